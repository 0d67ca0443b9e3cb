"""BP811 (goal/overview numbers against the indicators) and BP206 (planned amount in the
text against the budget), and the number reader they share (bptools.textnum)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bptools import Consolidation, Finding, Severity, consolidate
from bptools.config import Config
from bptools.model import Project
from bptools.textnum import AT_LEAST, AT_MOST, EXACTLY, find_quantities, parse_unit

from .conftest import MakeWorkbook

Findings = Callable[..., list[Finding]]

# Table 1 (组织部): 5th indicator 举行专家人才国情研修次数 ≥ 1 次 (F15); 1st 发放各项奖补覆盖率
# ≥ 95 % (F11). Goals sit in B8, the overview in B6, the budget (50.00) in B5.
TRAINING = "1.11月底完成缙云英才待遇资金拨付；\n2.{}。"


def by_name(projects: list[Project], name: str) -> Project:
    return next(p for p in projects if p.name == name)


# --- the number reader ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "bound", "written"),
    [
        ("开展培训不少于十二场", 12, AT_LEAST, "十二场"),
        ("无公害防治率达到82%以上", 82, AT_LEAST, "82%以上"),
        ("成灾率控制在3‰以下", 3, AT_MOST, "3‰以下"),
        ("支出不超过300万元", 3_000_000, AT_MOST, "300万元"),
        ("防控面积15.63万亩", 156_300, EXACTLY, "15.63万亩"),
        ("年发生防治面积达7万余亩", 70_000, AT_LEAST, "7万余亩"),
        ("组织开展120余名志愿者", 120, AT_LEAST, "120余名"),
        ("覆盖群众≥5万人", 50_000, AT_LEAST, "5万人"),
        ("满意度达到百分之九十五", 95, EXACTLY, "百分之九十五"),
        ("接待游客３万人次", 30_000, EXACTLY, "３万人次"),
        ("粉丝数不低于30万；", 300_000, AT_LEAST, "30万"),
    ],
)
def test_quantities_in_text(text: str, value: float, bound: str, written: str) -> None:
    (quantity,) = find_quantities(text)
    assert (quantity.value, quantity.bound) == (value, bound)
    assert text[quantity.start : quantity.end] == written


@pytest.mark.parametrize(
    "text",
    [
        "2018年7月12日召开会议",  # a date
        "11月底完成拨付",  # a month
        "《关于印发2021年10项措施的通知》（渝府发〔2021〕15号）",  # a title and its 文号
        "第二十条“加强综合保障”，第3次会议",  # ordinals
        "补助由街镇一次性发放",  # 一次性
        "“十四五”规划，区级投入不低于上一年度",  # words, not numerals
        "每户补助3至5个",  # a range
    ],
)
def test_no_quantities(text: str) -> None:
    assert find_quantities(text) == []


def test_list_numbers_are_no_quantities() -> None:
    found = find_quantities("1.11月底完成拨付；\n3.2023年架空线改造≥20Km")
    assert [(q.value, q.unit.text) for q in found] == [(20, "Km")]


def test_units_compare_in_one_base() -> None:
    wan_ren, ming = parse_unit("万人"), parse_unit("名")
    assert wan_ren is not None and ming is not None
    assert wan_ren.factor == 10_000 and wan_ren.comparable(ming)
    people, times, session = parse_unit("人数"), parse_unit("人次"), parse_unit("场次")
    assert people is not None and times is not None and session is not None
    assert people.comparable(times) and not session.comparable(times)
    yearly, rate, bare = parse_unit("次/年"), parse_unit("%"), parse_unit("万")
    assert yearly is not None and rate is not None and bare is not None
    assert yearly.comparable(session) and not bare.comparable(rate)
    assert parse_unit("案件数") is None


# --- BP811 ------------------------------------------------------------------------------


def test_goal_contradicts_indicator(findings: Findings, project: Project) -> None:
    found = findings(
        project, rule="BP811", goals=TRAINING.format("举行专家人才国情研修不少于十二次")
    )
    assert [(f.rule_id, f.sheet, f.cell, f.related, f.value) for f in found] == [
        ("BP811", "项目1", "F15", "B8", "1")
    ]
    assert found[0].severity is Severity.WARNING
    assert found[0].message == (
        "当年绩效目标写“举行专家人才国情研修不少于十二次”，"
        "而指标“举行专家人才国情研修次数”为 ≥ 1 次，两者不一致"
    )


def test_goal_agreeing_with_indicator(findings: Findings, project: Project) -> None:
    goals = TRAINING.format("举行专家人才国情研修不少于十二次")
    assert findings(project, rule="BP811", goals=goals, indicators={4: {"target": "12"}}) == []
    assert findings(project, rule="BP811", goals=TRAINING.format("举行专家人才国情研修1次")) == []


@pytest.mark.parametrize(
    ("goal", "fires"),
    [
        ("发放各项奖补覆盖率达95%以上", False),  # 95 以上 against ≥ 95
        ("发放各项奖补覆盖率100%", True),  # the text promises more than ≥ 95
        ("发放各项奖补覆盖率不低于90%", True),  # and here less
        ("发放各项奖补覆盖率95%以下", True),  # the same number, the opposite direction
        ("发放各项奖补覆盖率提高95%", False),  # a change, not a level
        ("各项补贴发放95个工作日", False),  # another unit
        ("缙云英才覆盖率100%", False),  # another name
    ],
)
def test_comparison_direction(
    findings: Findings, project: Project, goal: str, fires: bool
) -> None:
    found = findings(project, rule="BP811", goals=TRAINING.format(goal))
    assert [f.cell for f in found] == (["F11"] if fires else [])


def test_overview_contradicts_indicator(findings: Findings, project: Project) -> None:
    overview = project.overview + "全年举行专家人才国情研修3次。"
    (finding,) = findings(project, rule="BP811", overview=overview)
    assert (finding.cell, finding.related) == ("F15", "B6")
    assert finding.message.startswith("项目概述写“全年举行专家人才国情研修3次”")


def test_history_is_no_target(findings: Findings, project: Project) -> None:
    for told in ("2022年举行专家人才国情研修3次。", "去年举行专家人才国情研修3次。"):
        assert findings(project, rule="BP811", overview=project.overview + told) == []


def test_one_finding_per_indicator(findings: Findings, project: Project) -> None:
    # The goals and the overview say the same wrong number: reported once, on the goals.
    told = "举行专家人才国情研修3次"
    found = findings(
        project, rule="BP811", goals=TRAINING.format(told), overview=project.overview + told
    )
    assert [(f.cell, f.related) for f in found] == [("F15", "B8")]


def test_units_with_multipliers(findings: Findings, sample_projects: list[Project]) -> None:
    # 奖励扶助人数 ≥ 1.5 万人; the goals say 15000名以上 (table 14, 计划生育).
    family = by_name(sample_projects, "计划生育及家庭发展专项")
    assert findings(family, rule="BP811") == []
    goals = family.goals.replace("15000名", "12000名")
    (finding,) = findings(family, rule="BP811", goals=goals)
    assert (finding.cell, finding.value) == ("F11", "1.5")
    assert "全区12000名以上计奖励扶助人员扶助金发放" in finding.message


def test_sum_of_indicators_agrees(findings: Findings, sample_projects: list[Project]) -> None:
    # 居家托养人数 ≥ 450 and 购买服务和机构托养人数 ≥ 50 add up to the 500 of the text.
    jobs = by_name(sample_projects, "残疾人就业和社会保障服务")
    goals = "居家和机构托养{}人次。"
    assert findings(jobs, rule="BP811", goals=goals.format(500)) == []
    (finding,) = findings(jobs, rule="BP811", goals=goals.format(600))
    assert finding.message.endswith(
        "而指标“居家托养人数”为 ≥ 450 人次，两者不一致；"
        "相关指标“居家托养人数”“购买服务和机构托养人数”合计 500 人次，也与文字不同"
    )


def test_narrative_on_the_samples(sample_result: Consolidation) -> None:
    found = [
        (f.unit.split("-")[0], f.project, f.cell, f.related, f.value)
        for f in sample_result.findings
        if f.rule_id == "BP811"
    ]
    assert sorted(found) == [
        ("111", "解决特殊疑难信访问题专项资金", "F15", "B8", "90"),  # 上报化解率 100% vs ≥ 90
        ("118", "市场监管专项", "F15", "B8", "213"),  # 聘用专职协管员30人 vs 协管员人员 213
        ("124", "破案打击专项经费", "F15", "B8", "95"),  # 命案侦破率100% vs 现行命案破案率 95
        ("303", "河长制工作综合", "F14", "B6", "36"),  # 35座水库 vs 管护水库数 36
        ("303", "河长制工作综合", "F15", "B8", "60"),  # 117个断面 vs 断面监测数 60
        # 春节慰问1600人次 vs 慰问户数 ＝ 1200 户: people counted in another unit.
        ("404", "残疾人就业和社会保障服务", "F19", "B8", "1200"),
        ("404", "残疾人就业和社会保障服务", "F23", "B8", "130"),  # 培训 150 vs 130
        ("404", "残疾人就业和社会保障服务", "F25", "B8", "306"),  # 大学生救助 250 vs 306
        ("404", "残疾人康复服务", "F22", "B8", "1300"),  # 15500人次 vs 200 + 1300
    ]
    (care,) = (f for f in sample_result.findings if f.rule_id == "BP811" and f.value == "1300")
    assert care.message == (
        "当年绩效目标写“精神病患者住院和服药救15500人次”，而指标“服药救助人数”为 ≥ 1300 人，"
        "两者不一致；相关指标“住院救助人数”“服药救助人数”合计 1500 人，也与文字不同"
    )
    water = next(f for f in sample_result.findings if f.rule_id == "BP811" and f.value == "36")
    assert (
        water.message == "项目概述写“35座水库进行管护”，而指标“管护水库数”为 ＝ 36 座，两者不一致"
    )


def test_name_overlap_is_configurable(
    make_workbook: MakeWorkbook, sample_projects: list[Project]
) -> None:
    # “35座水库进行管护” carries two of the three word pairs of 管护水库数 (管护, 水库).
    path = make_workbook(by_name(sample_projects, "河长制工作综合"))

    def cells(**params: object) -> list[str]:
        config = Config(params={"BP811": params} if params else {})
        result = consolidate([path], config=config)
        return [f.cell for f in result.findings if f.rule_id == "BP811"]

    assert cells() == ["F14", "F15"]
    assert cells(min_overlap=0.7) == ["F15"]


# --- BP206 ------------------------------------------------------------------------------


def test_planned_amount_differs(findings: Findings, project: Project) -> None:
    overview = project.overview + "2023年计划投入80万元。"
    found = findings(project, rule="BP206", overview=overview)
    assert [(f.rule_id, f.cell, f.related, f.value) for f in found] == [
        ("BP206", "B6", "B5", "2023年计划投入80万元")
    ]
    assert found[0].severity is Severity.INFO
    assert found[0].message == "项目概述写“2023年计划投入80万元”，与当年预算金额 50.00 万元不同"


@pytest.mark.parametrize(
    ("told", "fires"),
    [
        ("项目总投资0.5亿元。", True),  # 5000 万元
        ("安排资金共计60万元。", True),
        ("计划投入50万元。", False),  # the budget
        ("计划投入资金500000元。", False),  # the budget, in 元
        ("其中计划投入20万元用于人才安居。", False),  # a part of it
        ("人才安居补助20万元。", False),  # no planned total
    ],
)
def test_planned_amount_near_misses(
    findings: Findings, project: Project, told: str, fires: bool
) -> None:
    found = findings(project, rule="BP206", goals=project.goals + "\n" + told)
    assert [f.cell for f in found] == (["B8"] if fires else [])


def test_planned_amount_on_the_samples(sample_result: Consolidation) -> None:
    found = [
        (f.project, f.cell, f.related, f.value)
        for f in sample_result.findings
        if f.rule_id == "BP206"
    ]
    # 林业局: 计划投入1500万元 against a budget of 226.96 (maybe a several-year total);
    # 供销社: 设立300万风险补偿金和100万贷款贴息资金 on a budget of 119.84.
    assert found == [
        ("农业发展专项", "B6", "B5", "设立300万风险补偿金"),
        ("松材线虫等重大林业有害生物防控", "B6", "B5", "2023年计划投入1500万元"),
    ]
