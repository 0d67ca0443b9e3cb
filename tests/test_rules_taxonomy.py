"""BP403-BP415: frameworks, required kinds and classification, on damaged real tables.

Sample tables used (indexes into `sample_projects`):
0  组织部 碚有引力专项资金: 效益 A11-A12, 满意度 A13, 成本 (一级, 社会成本) A14, 产出 A15;
2  宣传部 文艺工作专项经费: every 效益 indicator 定性;
24 公安局 交通设施设备运维费: 成本指标 under 产出 at row 14, unit %;
25 公安局 破案打击专项经费: 成本指标 under 产出 at row 11, 定性.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bptools import Consolidation, Finding, Severity, consolidate
from bptools.config import Config
from bptools.model import Project

from .conftest import MakeWorkbook

Findings = Callable[..., list[Finding]]
Tables = list[Project]


def cells(found: list[Finding]) -> list[tuple[str, str, str]]:
    return [(f.rule_id, f.sheet, f.cell) for f in found]


def on_samples(result: Consolidation, rule_id: str) -> list[tuple[str, str, str]]:
    """(unit code, project, cell) of each finding of `rule_id` on the samples."""
    return sorted(
        (f.unit.split("-")[0], f.project, f.cell) for f in result.findings if f.rule_id == rule_id
    )


# BP403 framework-mix


def test_framework_mix_in_one_table(findings: Findings, project: Project) -> None:
    (finding,) = findings(project, rule="BP403", indicators={4: {"level2": "成本指标"}})
    assert (finding.cell, finding.related, finding.value) == ("B15", "A14", "成本指标")
    assert finding.severity is Severity.ERROR
    assert finding.message == (
        "本表已把成本指标作为一级指标（如“是否清退往年聚才计划奖补”），"
        "又在产出指标下填了二级指标“成本指标”"
    )


def test_framework_mix_one_framework_per_table(
    findings: Findings, project: Project, sample_projects: Tables
) -> None:
    assert findings(project, rule="BP403") == []
    assert findings(sample_projects[24], rule="BP403") == []


# BP404 old-cost-framework


def test_the_older_framework_is_pointed_to_the_2021_one(
    findings: Findings, sample_projects: Tables
) -> None:
    """The 2021 framework (成本 as a 一级) is never the odd one out, however few use it.
    交通设施设备运维费 (24) files a 及时率 as its cost: BP411 says to move it instead."""
    tables = (sample_projects[0], sample_projects[24], sample_projects[25])
    found = findings(*tables, rule="BP4")
    assert [(f.rule_id, f.sheet, f.cell) for f in found if f.rule_id in ("BP404", "BP411")] == [
        ("BP411", "项目2", "D14"),
        ("BP404", "项目3", "B11"),
    ]
    (old,) = [f for f in found if f.rule_id == "BP404"]
    assert old.severity is Severity.INFO
    assert old.message == "本表把成本指标“出差补贴标准”放在产出指标下（旧指标体系）"
    assert old.hint == (
        "建议把“出差补贴标准”的一级指标改为“成本指标”、二级指标改为“经济成本指标”"
        "（财预〔2021〕101号）。"
    )


def test_the_2021_framework_alone_is_never_reported(
    findings: Findings, sample_projects: Tables
) -> None:
    assert findings(sample_projects[0], sample_projects[1], rule="BP404") == []
    (alone,) = findings(sample_projects[25], rule="BP404")  # the older framework alone
    assert alone.message == "本表把成本指标“出差补贴标准”放在产出指标下（旧指标体系）"


# BP405-BP407 required kinds


def test_output_missing(findings: Findings, project: Project) -> None:
    no_output = {4: {"level1": "效益指标", "level2": "社会效益指标"}}
    (finding,) = findings(project, rule="BP405", indicators=no_output)
    assert (finding.cell, finding.severity) == ("A10", Severity.ERROR)
    assert finding.message == "没有产出指标（已填的一级指标：“效益指标、满意度指标、成本指标”）"


def test_output_missing_not_reported_for_an_unclassified_row(
    findings: Findings, project: Project
) -> None:
    # A blank 一级 with a 产出 二级 still counts; a row with neither is BP104's to report.
    assert findings(project, rule="BP405", indicators={4: {"level1": ""}}) == []
    blank = {4: {"level1": "", "level2": ""}}
    assert findings(project, rule="BP405", indicators=blank) == []
    assert findings(project, rule="BP405") == []


def test_benefit_missing(findings: Findings, project: Project) -> None:
    to_output = {"level1": "产出指标", "level2": "质量指标"}
    (finding,) = findings(project, rule="BP406", indicators={0: to_output, 1: to_output})
    assert (finding.rule_id, finding.cell, finding.severity) == ("BP406", "A10", Severity.ERROR)
    assert finding.message == "没有效益指标（已填的一级指标：“产出指标、满意度指标、成本指标”）"
    assert findings(project, rule="BP406", indicators={0: to_output}) == []


def test_satisfaction_missing(findings: Findings, project: Project) -> None:
    moved = {2: {"level1": "效益指标", "level2": "社会效益指标", "name": "补助政策知晓度"}}
    (finding,) = findings(project, rule="BP407", indicators=moved)
    assert (finding.cell, finding.severity) == ("A10", Severity.WARNING)
    # in the order of the framework, not of the sheet
    assert finding.message == "没有满意度指标（已填的一级指标：“产出指标、效益指标、成本指标”）"
    assert findings(project, rule="BP407") == []


# BP408 output-kinds


def test_output_kinds(findings: Findings, project: Project) -> None:
    (finding,) = findings(project, rule="BP408")
    assert (finding.cell, finding.value, finding.severity) == (
        "A10",
        "质量指标、时效指标",
        Severity.INFO,
    )
    assert finding.message == "产出指标中没有“质量指标、时效指标”"


def test_output_kinds_all_present(findings: Findings, sample_projects: Tables) -> None:
    # 交通设施设备运维费 has 数量, 质量 and 时效 (and 成本) under 产出.
    assert findings(sample_projects[24], rule="BP408") == []


def test_output_kinds_are_configurable(make_workbook: MakeWorkbook, project: Project) -> None:
    path = make_workbook(project)
    config = Config(params={"BP408": {"kinds": ["数量指标"]}})
    assert [f for f in consolidate([path], config=config).findings if f.rule_id == "BP408"] == []


# BP409 cost-missing


def test_cost_missing(findings: Findings, sample_projects: Tables) -> None:
    (finding,) = findings(sample_projects[1], rule="BP409")
    assert (finding.cell, finding.severity) == ("A10", Severity.INFO)
    assert finding.message == "没有成本指标（已填的一级指标：“产出指标、效益指标、满意度指标”）"


def test_cost_present_under_either_framework(
    findings: Findings, project: Project, sample_projects: Tables
) -> None:
    assert findings(project, rule="BP409") == []
    assert findings(sample_projects[24], rule="BP409") == []


# BP410 satisfaction-misfiled


def test_satisfaction_item_outside_the_satisfaction_block(
    findings: Findings, project: Project
) -> None:
    (finding,) = findings(project, rule="BP410", indicators={0: {"name": "奖补对象满意度"}})
    assert (finding.cell, finding.related, finding.severity) == ("C11", "A11", Severity.WARNING)
    assert finding.message == "三级指标“奖补对象满意度”是满意度指标，却填在“效益指标”下"


def test_non_satisfaction_item_inside_the_satisfaction_block(
    findings: Findings, project: Project
) -> None:
    (finding,) = findings(project, rule="BP410", indicators={2: {"name": "补助对象获得感"}})
    assert (finding.cell, finding.related) == ("C13", "A13")
    assert (
        finding.message == "三级指标“补助对象获得感”填在满意度指标下，但名称不是某类对象的满意度"
    )


def test_satisfaction_filed_correctly(findings: Findings, project: Project) -> None:
    assert findings(project, rule="BP410") == []
    assert findings(project, rule="BP410", indicators={2: {"name": "补助对象满意率"}}) == []


# BP411 cost-not-money


def test_cost_not_money(findings: Findings, sample_projects: Tables) -> None:
    (finding,) = findings(sample_projects[24], rule="BP411")
    assert (finding.cell, finding.value, finding.severity) == ("D14", "%", Severity.WARNING)
    assert finding.message == (
        "成本指标“交通设施故障响应及排除及时率”以“%”计，不是成本；成本指标应以金额（元、万元）计量"
    )


def test_economic_cost_stated_qualitatively(findings: Findings, project: Project) -> None:
    economic = {3: {"level2": "经济成本指标"}}
    assert cells(findings(project, rule="BP411", indicators=economic)) == [
        ("BP411", "项目1", "D14")
    ]
    assert findings(project, rule="BP411", indicators=economic)[0].value == "定性"


@pytest.mark.parametrize("unit", ["万元", "元/人", "万元/年", "亿元"])
def test_cost_in_money(findings: Findings, project: Project, unit: str) -> None:
    economic = {
        "level2": "经济成本指标",
        "name": "单位成本",
        "unit": unit,
        "op": "≤",
        "target": "80",
    }
    assert findings(project, rule="BP411", indicators={3: economic}) == []


def test_social_cost_is_not_held_to_money(findings: Findings, project: Project) -> None:
    # The real table's 社会成本指标 is 定性 without a unit: a negative impact, not a cost.
    assert findings(project, rule="BP411") == []


# BP412 exec-rate-as-indicator


def test_exec_rate_as_indicator(findings: Findings, project: Project) -> None:
    renamed = {4: {"name": "预算资金执行率", "unit": "%", "target": "95"}}
    (finding,) = findings(project, rule="BP412", indicators=renamed)
    assert (finding.cell, finding.severity) == ("C15", Severity.WARNING)
    assert finding.message == "三级指标“预算资金执行率”与单独计分的预算执行率重复"


def test_other_money_rates_are_not_exec_rates(findings: Findings, project: Project) -> None:
    assert findings(project, rule="BP412", indicators={4: {"name": "资金到位率"}}) == []
    assert findings(project, rule="BP412") == []


# BP413 level2-misfiled, BP417 level2-doubtful


def test_quality_rate_filed_under_quantity(findings: Findings, project: Project) -> None:
    """A rate under 数量指标 only suggests a misfiling (a rate can be how much of the work is
    done): a 提示 naming the one 二级指标 to move it to."""
    rate = {4: {"name": "研修考核合格率", "unit": "%", "target": "95"}}
    assert findings(project, rule="BP413", indicators=rate) == []
    (finding,) = findings(project, rule="BP417", indicators=rate)
    assert (finding.cell, finding.value, finding.severity) == ("B15", "数量指标", Severity.INFO)
    assert finding.message == "三级指标“研修考核合格率”是比率（%），反映的是质量，不像“数量指标”"
    assert finding.hint == "建议把“研修考核合格率”的二级指标改为“质量指标”。"
    timely = {4: {"name": "研修经费拨付及时率", "unit": "%", "target": "95"}}
    (finding,) = findings(project, rule="BP417", indicators=timely)
    assert finding.hint == "建议把“研修经费拨付及时率”的二级指标改为“时效指标”。"


def test_coverage_rate_under_quantity_is_accepted(findings: Findings, project: Project) -> None:
    coverage = {4: {"name": "研修覆盖率", "unit": "%", "target": "95"}}
    assert findings(project, rule="BP41", indicators=coverage) == []


def test_timeliness_without_time(findings: Findings, project: Project) -> None:
    """Only a suggestion: the name says nothing of time."""
    timely = {4: {"level2": "时效指标"}}
    (finding,) = findings(project, rule="BP417", indicators=timely)
    assert (finding.cell, finding.severity) == ("B15", Severity.INFO)
    assert finding.message == (
        "三级指标“举行专家人才国情研修次数”看不出与时间、期限或及时性有关，不像“时效指标”"
    )


@pytest.mark.parametrize(
    ("name", "unit"), [("研修完成时间", "月"), ("研修按期完成率", "%"), ("研修报告报送", "天")]
)
def test_timeliness_about_time(findings: Findings, project: Project, name: str, unit: str) -> None:
    timely = {4: {"level2": "时效指标", "name": name, "unit": unit}}
    assert findings(project, rule="BP417", indicators=timely) == []


def test_output_count_filed_as_benefit(findings: Findings, project: Project) -> None:
    count = {0: {"name": "开展人才交流活动", "unit": "次", "target": "3"}}
    (finding,) = findings(project, rule="BP413", indicators=count)
    assert finding.cell == "B11"
    assert finding.message == "三级指标“开展人才交流活动”是产出数量（次），不宜归入“社会效益指标”"


def test_an_outcome_filed_as_output(findings: Findings, project: Project) -> None:
    deaths = {4: {"name": "安全生产事故死亡人数", "unit": "人", "op": "≤", "target": "3"}}
    (finding,) = findings(project, rule="BP413", indicators=deaths)
    assert (
        finding.message
        == "三级指标“安全生产事故死亡人数”是事故、发案一类的结果，不宜归入“数量指标”"
    )
    work = {4: {"name": "事故隐患排查次数", "unit": "次", "target": "12"}}
    assert findings(project, rule="BP413", indicators=work) == []
    quality = {4: {"level2": "质量指标", "name": "林业有害生物成灾率", "unit": "‰", "op": "≤"}}
    assert findings(project, rule="BP413", indicators=quality) == []


def test_benefit_counts_that_are_effects(findings: Findings, project: Project) -> None:
    effect = {0: {"name": "引进高层次人才人数", "unit": "人", "target": "3"}}
    assert findings(project, rule="BP413", indicators=effect) == []
    assert findings(project, rule="BP413") == []


# BP414 input-as-target


def test_input_as_target(findings: Findings, project: Project) -> None:
    (finding,) = findings(project, rule="BP414", indicators={4: {"name": "投入研修师资力量"}})
    assert (finding.cell, finding.severity) == ("C15", Severity.INFO)
    assert (
        finding.message == "三级指标“投入研修师资力量”描述的是投入（人力、资金等），不是产出或效果"
    )


def test_outputs_are_not_inputs(findings: Findings, project: Project) -> None:
    assert findings(project, rule="BP414") == []
    assert findings(project, rule="BP414", indicators={4: {"name": "研修培训人员人次"}}) == []


# BP415 benefit-all-qualitative


def test_benefit_all_qualitative(findings: Findings, project: Project) -> None:
    qualitative = {"unit": "", "op": "定性", "target": "好"}
    found = findings(project, rule="BP415", indicators={0: qualitative, 1: qualitative})
    assert [(f.cell, f.value, f.severity) for f in found] == [("E11", "定性", Severity.WARNING)]
    assert found[0].message == (
        "本表的 2 个效益指标都是定性指标（如“发放各项奖补覆盖率”为“好”），没有可衡量的效益；"
        "该指标是核心指标，核心指标应可量化；指标值“好”是笼统的等级词"  # BP703, BP507
    )
    (alone,) = findings(
        project,
        rule="BP415",
        indicators={
            0: qualitative | {"core": "否"},
            1: {"level1": "产出指标", "level2": "质量指标"},
        },
    )
    assert alone.message == (
        "本表唯一的效益指标“发放各项奖补覆盖率”是定性指标（指标值“好”），没有可衡量的效益；"
        "该指标值是笼统的等级词"
    )


def test_one_quantitative_benefit_is_enough(findings: Findings, project: Project) -> None:
    qualitative = {"unit": "", "op": "定性", "target": "好"}
    assert findings(project, rule="BP415", indicators={0: qualitative}) == []
    assert findings(project, rule="BP415") == []


# On the samples (the real 2023 document)


def test_structure_of_the_samples(sample_result: Consolidation) -> None:
    # No table mixes frameworks or lacks 产出/效益; 政法委's 扫黑除恶 table has no 满意度.
    for rule_id in ("BP403", "BP405", "BP406"):
        assert on_samples(sample_result, rule_id) == []
    # Six tables file 成本 under 产出: 124 交通 and 215 救灾 are BP411's (their cost
    # indicator is no cost at all), the other three get BP404; 107 uses the 2021 framework.
    assert on_samples(sample_result, "BP404") == [
        ("124", "破案打击专项经费", "B11"),
        ("201", "北碚区城市提升", "B14"),
        ("403", "基本公共卫生服务", "B12"),
    ]
    assert on_samples(sample_result, "BP407") == [("115", "扫黑除恶专项经费", "A10")]
    # 21 tables lack 质量 or 时效 under 产出; the 6 with a cost indicator are spared BP409.
    assert len(on_samples(sample_result, "BP408")) == 21
    with_cost = {"碚有引力专项资金", "北碚区城市提升", "自然灾害救灾专项", "基本公共卫生服务"}
    with_cost |= {"交通设施设备运维费", "破案打击专项经费"}
    missing = on_samples(sample_result, "BP409")
    assert len(missing) == 23 and not with_cost & {project for _, project, _ in missing}


def test_classification_on_the_samples(sample_result: Consolidation) -> None:
    assert on_samples(sample_result, "BP410") == [
        ("124", "交通设施设备运维费", "C15"),  # 交通安全及畅通度 under 满意度
        ("216", "招商引资专项资金", "C14"),  # 企业投资积极性 under 满意度
        ("404", "残疾人康复服务", "C12"),  # a satisfaction item under 效益
    ]
    assert on_samples(sample_result, "BP411") == [
        ("124", "交通设施设备运维费", "D14"),  # 及时率 in %
        ("215", "自然灾害救灾专项", "D12"),  # 参与抢险救援次数, 次
    ]
    # 出差补贴标准, 定性 适中: a cost by its name, only not in money.
    assert on_samples(sample_result, "BP416") == [("124", "破案打击专项经费", "D11")]
    assert on_samples(sample_result, "BP412") == [
        ("120", "区工业发展专项资金", "C14"),  # 预算指标执行率
        ("124", "交通设施设备运维费", "C11"),  # 预算经费控制率
    ]
    # 聘用食品药品协管员人员 (118) is said in its BP811 row: the goal gives another number.
    assert on_samples(sample_result, "BP414") == [
        ("215", "自然灾害救灾专项", "C11"),  # 投入救援力量
        ("404", "其他残疾人事业支出", "C20"),  # 劳务派遣和购买服务人员人数
    ]
    assert on_samples(sample_result, "BP415") == [
        ("106", "北碚区文艺工作专项经费", "E11"),
        ("120", "区工业发展专项资金", "E11"),
        ("124", "应指工程运行维护费", "E11"),
        ("303", "河长制工作综合", "E12"),
        ("403", "基本药物制度专项", "E11"),
    ]


def test_level2_semantic_on_the_samples(sample_result: Consolidation) -> None:
    # Precise on purpose: coverage rates under 数量 (national templates file them there),
    # 资金到位率 under 时效, effect counts under 效益 and rates of events under 质量 are left
    # alone.
    assert on_samples(sample_result, "BP413") == [
        ("106", "文明城区创建及文明实践项目经费", "B17"),  # 开展模拟测评 (次), 效益
        ("106", "文明城区创建及文明实践项目经费", "B19"),  # 打造创建活动品牌数 (项), 效益
        ("118", "市场监管专项", "B12"),  # 完成标准化试点示范项目数量 (个), 效益
        ("124", "破案打击专项经费", "B13"),  # 扒窃案件发案控制量 under 产出
        ("150", "文化旅游发展专项", "B13"),  # 文旅体宣传信息发布数量 (条), 效益
        ("215", "安全生产专项", "B11"),  # 安全生产事故死亡人数 under 产出
        ("215", "自然灾害救灾专项", "B15"),  # 自然灾害防范遏制死亡人数 under 产出
    ]
    # Suggested only: rates under 数量, 交通设施完好率 under 时效.
    assert on_samples(sample_result, "BP417") == [
        ("111", "解决特殊疑难信访问题专项资金", "B13"),  # 化解率 under 数量
        ("111", "解决特殊疑难信访问题专项资金", "B14"),  # 息诉息访率 under 数量
        ("111", "解决特殊疑难信访问题专项资金", "B15"),  # 化解率 under 数量
        ("124", "交通设施设备运维费", "B12"),  # 完好率 under 时效
        ("124", "破案打击专项经费", "B15"),  # 破案率 under 数量
        ("215", "安全生产专项", "B15"),  # 项目安全生产事故死亡人数 under 质量: maybe its own
        ("309", "气象业务维持专项经费", "B11"),  # 传输及时率 under 数量: to 时效
        ("309", "气象业务维持专项经费", "B13"),  # 传输率 under 数量
    ]
