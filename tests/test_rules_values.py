"""BP5xx (units, 指标性质, 指标值): each rule fires on a damaged copy of a real table, stays
quiet on the original and on near misses, and finds the real anomalies of the 2023 document.

The table is table 1 of the document (组织部, 碚有引力专项资金); its indicator rows 0-4 sit
in sheet rows 11-15: 0 发放各项奖补覆盖率 % ≥ 95, 1 各项补助经费兑现率 % ≥ 95,
2 补助对象满意度 定性 较好, 3 是否清退往年聚才计划奖补 定性 是, 4 举行专家人才国情研修次数 次 ≥ 1.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest

from bptools import Consolidation, Finding, Severity, consolidate
from bptools.config import Config
from bptools.merge import build_batch
from bptools.model import Project
from bptools.rules import RULES
from bptools.rules.frames import read_target

from .conftest import MakeWorkbook

Findings = Callable[..., list[Finding]]


def cells(found: list[Finding]) -> list[tuple[str, str]]:
    return [(f.rule_id, f.cell) for f in found]


def on_samples(result: Consolidation, rule_id: str) -> list[tuple[str, str, str]]:
    """(unit code, project, cell) of every finding of one rule on the samples."""
    return [
        (f.unit.split("-")[0], f.project, f.cell) for f in result.findings if f.rule_id == rule_id
    ]


def test_the_real_first_table_has_no_value_findings(findings: Findings, project: Project) -> None:
    assert findings(project, rule="BP5") == []


def test_severities_follow_the_catalogue() -> None:
    # 错误: impossible or contradictory; 提示: wording (a sign in the value, ≥ 100 %, a unit
    # spelled as a noun); 警告: what must be corrected or explained.
    errors = {"BP501", "BP502", "BP504", "BP505", "BP508", "BP511"}
    infos = {"BP503", "BP507", "BP509", "BP510"}
    for rule_id in [f"BP5{n:02}" for n in range(1, 15)]:
        expected = (
            Severity.ERROR
            if rule_id in errors
            else Severity.INFO
            if rule_id in infos
            else Severity.WARNING
        )
        assert RULES[rule_id].severity is expected, rule_id


def test_empty_batch() -> None:
    empty = build_batch([], [])
    for rule_id in [f"BP5{n:02}" for n in range(1, 14)]:
        check = RULES[rule_id].check
        assert check is not None and list(check(empty)) == [], rule_id


# BP501 op-invalid


def test_op_invalid(findings: Findings, project: Project) -> None:
    (finding,) = findings(project, rule="BP5", indicators={4: {"op": "约等于"}})
    assert (finding.rule_id, finding.cell, finding.value) == ("BP501", "E15", "约等于")
    assert finding.message == "指标性质“约等于”无法识别，应为 ≥、≤、＝、＞、＜ 或 定性"


@pytest.mark.parametrize("op", [">=", "大于等于", "=", "≧", "不少于"])
def test_op_spellings_are_normalized(findings: Findings, project: Project, op: str) -> None:
    assert findings(project, rule="BP5", indicators={4: {"op": op}}) == []


def test_op_blank_is_left_to_the_required_cell_rule(findings: Findings, project: Project) -> None:
    found = findings(project, indicators={4: {"op": ""}})
    assert ("BP104", "E15") in cells(found)
    assert [f for f in found if f.rule_id.startswith("BP5")] == []


# BP502 target-not-numeric


@pytest.mark.parametrize("target", ["90-95", "XX", "*", "2000万", "约95", "≥95"])
def test_target_not_numeric(findings: Findings, project: Project, target: str) -> None:
    found = findings(project, rule="BP5", indicators={0: {"target": target}})
    assert cells(found) == [("BP502", "F11")]
    assert found[0].message == f"定量指标的指标值应为一个数字，现为“{target}”"


@pytest.mark.parametrize("target", ["９５", " 95 ", "1,000", "95.5"])
def test_target_spellings_of_a_number(findings: Findings, project: Project, target: str) -> None:
    assert findings(project, rule="BP5", indicators={4: {"target": target}}) == []


def test_text_target_of_a_qualitative_row_is_no_number_problem(
    findings: Findings, project: Project
) -> None:
    assert findings(project, rule="BP502", indicators={3: {"target": "已清退"}}) == []


# BP503 target-format


def test_target_with_percent_sign(findings: Findings, project: Project) -> None:
    (finding,) = findings(project, rule="BP5", indicators={0: {"target": "95%"}})
    assert (finding.rule_id, finding.cell, finding.severity) == ("BP503", "F11", Severity.INFO)
    assert finding.hint == "指标值只填“95”，“%”填在计量单位栏。"
    assert finding.message == "指标值“95%”带了“%”，已按 95 读取"


def test_target_with_full_width_percent_sign(findings: Findings, project: Project) -> None:
    (finding,) = findings(project, rule="BP5", indicators={0: {"target": "９５％"}})
    assert (finding.rule_id, finding.cell, finding.value) == ("BP503", "F11", "９５％")


def test_target_with_permille_sign_is_read(findings: Findings, project: Project) -> None:
    # The number behind ‰ is still read, so the range check sees it too.
    found = findings(project, rule="BP5", indicators={0: {"unit": "‰", "target": "1200‰"}})
    assert sorted(cells(found)) == [("BP503", "F11"), ("BP508", "F11")]


@pytest.mark.parametrize(
    ("raw", "reading"),
    [("９５％", (95.0, "%")), ("3‰", (3.0, "‰")), (95, (95.0, "")), ("1,000", (1000.0, ""))],
)
def test_read_target(raw: object, reading: tuple[float, str]) -> None:
    assert read_target(raw) == reading


@pytest.mark.parametrize("raw", ["2000万", "90-95", "%", "XX"])
def test_read_target_not_a_number(raw: str) -> None:
    value, sign = read_target(raw)
    assert math.isnan(value) and sign == ""


# BP504 unit-missing


def test_unit_missing(findings: Findings, project: Project) -> None:
    (finding,) = findings(project, rule="BP5", indicators={4: {"unit": ""}})
    assert (finding.rule_id, finding.cell, finding.value) == ("BP504", "D15", "")
    assert finding.message == "定量指标“举行专家人才国情研修次数”（≥ 1）未填写计量单位"


# BP505 qualitative-not-clean


def test_qualitative_with_unit(findings: Findings, project: Project) -> None:
    (finding,) = findings(project, rule="BP5", indicators={3: {"unit": "个", "core": "否"}})
    assert (finding.rule_id, finding.cell) == ("BP505", "D14")
    assert finding.message == "指标性质为“定性”，计量单位却填了“个”"


def test_qualitative_with_number(findings: Findings, project: Project) -> None:
    (finding,) = findings(project, rule="BP5", indicators={3: {"target": "1", "core": "否"}})
    assert (finding.rule_id, finding.cell) == ("BP505", "F14")
    assert finding.message == "指标性质为“定性”，指标值却填了数字“1”"


def test_qualitative_with_number_and_unit_is_one_finding(
    findings: Findings, project: Project
) -> None:
    # The 2023 document's own case (残联, 残疾人节日宣传率…): 定性, %, 80.
    changes = {3: {"unit": "%", "target": "80", "core": "否"}}
    found = findings(project, rule="BP5", indicators=changes)
    assert cells(found) == [("BP505", "F14")]
    assert found[0].message == "指标性质为“定性”，指标值却填了数字“80”，计量单位也填了“%”"


def test_a_core_indicator_folded_in_says_so(findings: Findings, project: Project) -> None:
    # BP703 (core indicator is 定性) is the same problem: one row, which says it too.
    changes = {3: {"unit": "%", "target": "80", "core": "是"}}
    found = findings(project, indicators=changes)
    assert [f.rule_id for f in found if f.cell.endswith("14")] == ["BP505"]
    (finding,) = (f for f in found if f.rule_id == "BP505")
    name = project.indicators[3].name
    assert finding.message.endswith(f"计量单位也填了“%”；“{name}”是核心指标，核心指标应可量化")


def test_a_compound_name_is_split_in_the_advice(findings: Findings, project: Project) -> None:
    # The 2023 残联 row: two measures in one name, a number and a %, marked 定性.
    name = "残疾人节日宣传率、是否进一步营造了社会助残氛围"
    changes = {3: {"name": name, "unit": "%", "target": "80", "core": "否"}}
    found = findings(project, indicators=changes)
    assert [f.rule_id for f in found if f.cell.endswith("14")] == ["BP505"]  # BP803 folded
    (finding,) = (f for f in found if f.rule_id == "BP505")
    assert finding.message.endswith("；名称中包含多项内容，宜拆成几个指标")
    assert finding.hint == (
        f"“{name}”把 2 项内容写在了一个指标里：请拆成 2 个指标，如“残疾人节日宣传率 ≥ 80%”（定量）"
        "和“是否进一步营造了社会助残氛围”（定性）。"
    )


# BP506 qualitative-directional and BP507 qualitative-grade-word


@pytest.mark.parametrize("target", ["有效提升", "加强", "深度挖掘", "明显改善。"])
def test_qualitative_directional(findings: Findings, project: Project, target: str) -> None:
    changes = {3: {"name": "人才工作成效", "target": target, "core": "否"}}
    found = findings(project, rule="BP5", indicators=changes)
    assert cells(found) == [("BP506", "F14")]
    assert found[0].message == f"定性指标值“{target}”只说明努力方向，评价时无法判断是否达成"


@pytest.mark.parametrize(
    "target",
    [
        "达成年度指标",
        "部分达成年度指标并具有一定效果",
        "达到省级标准并有效提升",
        "按时完成",
        "合格",
    ],
)
def test_qualitative_grades_and_standards_pass(
    findings: Findings, project: Project, target: str
) -> None:
    changes = {3: {"name": "人才工作成效", "target": target, "core": "否"}}
    assert findings(project, rule="BP5", indicators=changes) == []


@pytest.mark.parametrize("target", ["较好", "高", "优", "适中"])
def test_qualitative_grade_word(findings: Findings, project: Project, target: str) -> None:
    changes = {3: {"name": "人才工作成效", "target": target, "core": "否"}}
    (finding,) = findings(project, rule="BP5", indicators=changes)
    assert (finding.rule_id, finding.cell, finding.severity) == ("BP507", "F14", Severity.INFO)
    assert finding.message == f"定性指标值“{target}”是笼统的等级词，没有说明怎样才算达到"


def test_a_core_indicator_with_a_grade_word_is_one_row(
    findings: Findings, project: Project
) -> None:
    """The core indicator that cannot be measured (BP703) says the grade word too."""
    changes = {3: {"name": "人才工作成效", "target": "较好", "core": "是"}}
    (finding,) = [f for f in findings(project, indicators=changes) if f.cell[1:] == "14"]
    assert finding.rule_id == "BP703"
    assert finding.message == (
        "核心指标“人才工作成效”是定性指标（指标值“较好”），核心指标应可量化；该指标值是笼统的等级词"
    )


def test_grade_words_are_configurable(make_workbook: MakeWorkbook, project: Project) -> None:
    path = make_workbook(project, indicators={3: {"name": "人才工作成效", "target": "较好"}})
    config = Config(params={"BP507": {"grade_words": ["高"]}})
    assert [f for f in consolidate([path], config=config).findings if f.rule_id == "BP507"] == []


def test_satisfaction_grade_word_is_left_to_the_satisfaction_rule(
    findings: Findings, project: Project
) -> None:
    # Row 2 (补助对象满意度 定性) gets BP601 and no BP506/BP507.
    found = findings(project, indicators={2: {"target": "有效提升"}})
    assert [c for c in cells(found) if c[0][:3] in ("BP5", "BP6")] == [("BP601", "E13")]


# BP508 percent-out-of-range


@pytest.mark.parametrize("target", ["180", "-5", "100.5"])
def test_percent_out_of_range(findings: Findings, project: Project, target: str) -> None:
    found = findings(project, rule="BP5", indicators={0: {"target": target}})
    assert cells(found) == [("BP508", "F11")]
    assert found[0].message == f"计量单位为“%”，目标“≥ {target}”超出了 0～100 的范围"
    assert found[0].indicator == "发放各项奖补覆盖率"


def test_permille_range(findings: Findings, project: Project) -> None:
    assert findings(project, rule="BP5", indicators={0: {"unit": "‰", "target": "800"}}) == []
    found = findings(project, rule="BP5", indicators={0: {"unit": "‰", "target": "1001"}})
    assert cells(found) == [("BP508", "F11")]


@pytest.mark.parametrize("name", ["奖补资金比上年增长率", "人才数量增幅"])
def test_growth_rates_may_exceed_100(findings: Findings, project: Project, name: str) -> None:
    changes = {0: {"name": name, "target": "150"}}
    assert findings(project, rule="BP5", indicators=changes) == []


# BP509 percent-at-least-full, BP514 percent-upper-full (and ＞ 100 %, BP508)


@pytest.mark.parametrize(
    ("op", "rule_id", "message", "severity"),
    [
        ("≥", "BP509", "目标“≥ 100%”实际只能是正好 100%", Severity.INFO),
        ("＞", "BP508", "计量单位为“%”，目标“＞ 100”不可能达到（比率最高 100%）", Severity.ERROR),
        ("≤", "BP514", "目标“≤ 100%”对比率不起约束作用", Severity.WARNING),
    ],
)
def test_percent_trivial(
    findings: Findings, project: Project, op: str, rule_id: str, message: str, severity: Severity
) -> None:
    """≥ 100 % is only a style of writing ＝ 100; ＞ 100 % cannot happen; ≤ 100 % binds
    nothing."""
    found = findings(project, rule="BP5", indicators={0: {"op": op, "target": "100"}})
    assert [(f.rule_id, f.cell, f.message, f.severity) for f in found] == [
        (rule_id, "F11", message, severity)
    ]


@pytest.mark.parametrize(("op", "target"), [("＝", "100"), ("≥", "99"), ("＜", "100")])
def test_percent_near_misses(findings: Findings, project: Project, op: str, target: str) -> None:
    assert findings(project, rule="BP5", indicators={0: {"op": op, "target": target}}) == []


# BP510 unit-nonstandard


@pytest.mark.parametrize(
    ("unit", "advice"),
    [
        ("人数", "，应写成“人”"),
        ("万", "，“万”要写明是万什么（如 万人、万元）"),
        ("人（户）", ""),
        ("案件数", ""),
    ],
)
def test_unit_nonstandard(findings: Findings, project: Project, unit: str, advice: str) -> None:
    found = findings(project, rule="BP5", indicators={4: {"unit": unit}})
    assert cells(found) == [("BP510", "D15")]
    assert found[0].message == f"计量单位“{unit}”不是规范的计量单位{advice}"


@pytest.mark.parametrize("unit", ["Km", "KM", "场次", "次/年", "万元/年", "元/人", "工作日"])
def test_standard_units(findings: Findings, project: Project, unit: str) -> None:
    assert findings(project, rule="BP5", indicators={4: {"unit": unit}}) == []


# BP511 name-unit-mismatch


def test_count_in_percent(findings: Findings, project: Project) -> None:
    changes = {4: {"name": "参加研修人数", "unit": "%"}}
    (finding,) = findings(project, rule="BP5", indicators=changes)
    assert (finding.rule_id, finding.cell) == ("BP511", "D15")
    assert finding.message == "“参加研修人数”是人数、次数一类的计数，计量单位却是“%”"


def test_rate_not_in_percent(findings: Findings, project: Project) -> None:
    (finding,) = findings(project, rule="BP5", indicators={0: {"unit": "个"}})
    assert (finding.rule_id, finding.cell) == ("BP511", "D11")
    assert finding.message == "“发放各项奖补覆盖率”是比率，计量单位却是“个”"


def test_rate_in_permille_passes(findings: Findings, project: Project) -> None:
    assert findings(project, rule="BP5", indicators={0: {"unit": "‰"}}) == []


# BP512 zero-output


def test_zero_output(findings: Findings, project: Project) -> None:
    (finding,) = findings(project, rule="BP5", indicators={4: {"op": "＝", "target": "0"}})
    assert (finding.rule_id, finding.cell, finding.severity) == ("BP512", "F15", Severity.WARNING)
    assert finding.message == "数量指标的目标为“＝ 0”，等于没有产出"


@pytest.mark.parametrize(
    "changes",
    [
        {"op": "＞", "target": "0"},
        {"op": "＝", "target": "0", "name": "研修期间安全事故次数"},
        {"op": "＝", "target": "0", "level1": "效益指标", "level2": "社会效益指标"},
    ],
)
def test_zero_output_near_misses(
    findings: Findings, project: Project, changes: dict[str, str]
) -> None:
    assert findings(project, rule="BP512", indicators={4: changes}) == []


# BP513 harmful-event-direction


def test_harmful_event_direction(findings: Findings, project: Project) -> None:
    changes = {4: {"name": "安全生产事故死亡人数", "unit": "人"}}
    (finding,) = findings(project, rule="BP5", indicators=changes)
    assert (finding.rule_id, finding.cell, finding.value) == ("BP513", "E15", "≥")
    assert finding.message == "“安全生产事故死亡人数”是越少越好的指标，指标性质“≥”应改为 ≤ 或 ＜"


@pytest.mark.parametrize(
    "changes",
    [
        {"name": "安全生产事故死亡人数", "op": "≤", "target": "3"},
        {"name": "安全生产事故死亡人数", "op": "＝", "target": "0"},
        {"name": "事故隐患排查次数"},
        {"name": "火灾事故调查处理次数"},
    ],
)
def test_harmful_event_near_misses(
    findings: Findings, project: Project, changes: dict[str, str]
) -> None:
    assert findings(project, rule="BP513", indicators={4: changes}) == []


# The 2023 document


def test_samples_out_of_range_rates(sample_result: Consolidation) -> None:
    # Both are real errors, no growth measures: 企业投资积极性 ≥ 180 % (in the 满意度 block)
    # and 资金及时拨付率 ＝ 400 %.
    assert on_samples(sample_result, "BP508") == [
        ("216", "招商引资专项资金", "F14"),
        ("404", "残疾人就业和社会保障服务", "F17"),
    ]


def test_samples_qualitative_with_unit_and_number(sample_result: Consolidation) -> None:
    # 残疾人节日宣传率、是否进一步营造了社会助残氛围: 定性, unit %, value 80.
    assert on_samples(sample_result, "BP505") == [("404", "其他残疾人事业支出", "F15")]


def test_samples_have_no_format_findings(sample_result: Consolidation) -> None:
    found = {f.rule_id for f in sample_result.findings}
    assert found.isdisjoint({"BP501", "BP502", "BP503", "BP504", "BP513"})


def test_samples_directional_values(sample_result: Consolidation) -> None:
    # 深度挖掘, 有效提升; 有效推进城市更新工作, 加强, 改善; 提升.
    assert on_samples(sample_result, "BP506") == [
        ("106", "北碚区文艺工作专项经费", "F12"),
        ("106", "北碚区文艺工作专项经费", "F13"),
        ("201", "北碚区城市提升", "F18"),
        ("201", "北碚区城市提升", "F20"),
        ("201", "北碚区城市提升", "F22"),
    ]
    # 403's 提升 is the value of its only benefit indicator: one row, BP415's, says both.
    (benefit,) = (
        f for f in sample_result.findings if f.project == "基本药物制度专项" and f.cell[1:] == "11"
    )
    assert benefit.rule_id == "BP415"
    assert benefit.message.endswith("（指标值“提升”），没有可衡量的效益；该指标值只说明努力方向")


def test_samples_grade_words(sample_result: Consolidation) -> None:
    # 满足国家行业标准, 管网内窥结果真实可靠, 及时提供 and the 是 of 是否… names pass; the
    # 较好 of 补助对象满意度 is BP601's.
    found = [f for f in sample_result.findings if f.rule_id == "BP507"]
    # The grade words of core indicators are said by BP703, one row per indicator: 106 文艺
    # F11 and F18, 119 F16, 120 F16, 124 应指 F11; that of a cost by BP416 (124 出差补贴标准
    # 适中), that of the first of only qualitative benefits by BP415 (303 F12).
    assert [(f.unit.split("-")[0], f.project, f.cell, f.value) for f in found] == [
        ("106", "文明城区创建及文明实践项目经费", "F18", "高"),
        ("119", "商贸服务业发展专项", "F15", "优"),
        ("137", "农业发展专项", "F12", "优"),
        ("216", "招商引资专项资金", "F15", "良"),
        ("303", "河长制工作综合", "F17", "好"),
    ]


def test_samples_trivial_rates(sample_result: Consolidation) -> None:
    # ≥ 100 % five times (达标率, 知晓率, 合格率, 到位率, 拨付率). 预算经费控制率 ≤ 100 % is
    # BP514's, folded into BP412 (the indicator is to be deleted, not given an upper bound).
    assert on_samples(sample_result, "BP514") == []
    assert on_samples(sample_result, "BP509") == [
        ("115", "扫黑除恶专项经费", "F15"),
        ("150", "文化旅游发展专项", "F12"),
        ("150", "文化旅游发展专项", "F14"),
        ("150", "文化旅游发展专项", "F15"),
        ("404", "残疾人就业和社会保障服务", "F28"),
    ]


def test_samples_nonstandard_units(sample_result: Consolidation) -> None:
    found = [f for f in sample_result.findings if f.rule_id == "BP510"]
    assert [(f.unit.split("-")[0], f.project, f.cell, f.value) for f in found] == [
        ("118", "市场监管专项", "D15", "人数"),
        ("124", "破案打击专项经费", "D13", "案件数"),
        ("150", "文化旅游发展专项", "D17", "万"),
        ("201", "北碚区城市提升", "D21", "万"),
        ("215", "安全生产专项", "D11", "人数"),
        ("215", "安全生产专项", "D15", "人数"),
        ("215", "自然灾害救灾专项", "D15", "人数"),
        ("404", "残疾人康复服务", "D20", "人数"),
        ("404", "残疾人康复服务", "D22", "人数"),
        ("404", "残疾人就业和社会保障服务", "D23", "人数"),
        ("404", "其他残疾人事业支出", "D23", "人（户）"),
    ]


def test_samples_name_unit_mismatch(sample_result: Consolidation) -> None:
    # 扶持就业人数 ≥ 70 %.
    assert on_samples(sample_result, "BP511") == [("404", "残疾人就业和社会保障服务", "D20")]


def test_samples_zero_output(sample_result: Consolidation) -> None:
    # 开展协会活动次数 ＝ 0 次 is the samples' one zero target, and its goal promises
    # 20场次: BP817 (an error) reports it and folds this finding.
    assert on_samples(sample_result, "BP512") == []
    assert on_samples(sample_result, "BP817") == [("404", "其他残疾人事业支出", "F22")]


# BP515 time-limit-direction


def test_a_time_limit_is_an_upper_bound(findings: Findings, project: Project) -> None:
    period = {
        "level2": "时效指标",
        "name": "技术服务周期",
        "unit": "月",
        "op": "≥",
        "target": "12",
    }
    (finding,) = findings(project, rule="BP515", indicators={4: period})
    assert (finding.cell, finding.value, finding.severity) == ("E15", "≥", Severity.INFO)
    assert finding.message == "时效指标“技术服务周期”以“月”计，指标性质“≥”要求时间越长越好"
    assert "请把指标性质“≥”改为“≤”（如“≤ 12 月”）" in finding.hint
    for fine in ({"op": "≤"}, {"unit": "%", "name": "按期完成率"}, {"level2": "数量指标"}):
        assert findings(project, rule="BP515", indicators={4: period | fine}) == [], fine


def test_samples_time_limits(sample_result: Consolidation) -> None:
    # 住建委's 技术服务周期 ≥ 12 月 beside 设计工期 ＜ 6 月.
    assert on_samples(sample_result, "BP515") == [("201", "北碚区城市提升", "E15")]


# BP516 percent-not-a-rate


def test_a_percent_that_is_no_rate(findings: Findings, project: Project) -> None:
    stable = {"name": "社会稳定", "unit": "%", "op": "≥", "target": "80"}
    (finding,) = findings(project, rule="BP516", indicators={0: stable})
    assert (finding.cell, finding.value, finding.severity) == ("D11", "%", Severity.INFO)
    assert finding.message == "“社会稳定”以“%”计，但名称看不出是什么占什么的比率"
    for name in ("社会稳定率", "群众安全感", "游客增长", "扶持就业人数", "城市美誉度"):
        changed = {0: stable | {"name": name}}
        assert findings(project, rule="BP516", indicators=changed) == [], name


def test_samples_percents_that_are_no_rates(sample_result: Consolidation) -> None:
    # 企业投资积极性 ≥ 180 % is BP508's error, which says to change the unit.
    assert on_samples(sample_result, "BP516") == [
        ("124", "破案打击专项经费", "D14"),  # 执法公信力
        ("215", "自然灾害救灾专项", "D14"),  # 社会稳定
        ("403", "基本药物制度专项", "D12"),  # …配备使用一定数量的非基药
    ]
