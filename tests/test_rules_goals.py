"""BP812–BP817: what 当年绩效目标 (and 项目概述) promise against the indicators that measure
it, on made-up goals for 组织部's table and on the real 2023 document.

组织部's table (碚有引力专项资金) has, among others, 举行专家人才国情研修次数 ≥ 1 次, two
rates in % (发放各项奖补覆盖率 ≥ 95, 各项补助经费兑现率 ≥ 95) and no 时效指标.
"""

from __future__ import annotations

from collections.abc import Callable

from bptools import Consolidation, Finding, Severity
from bptools.model import Project

Findings = Callable[..., list[Finding]]


def messages(found: list[Finding]) -> list[tuple[str, str, str]]:
    return [(f.rule_id, f.cell, f.message) for f in found]


def on_samples(result: Consolidation, rule_id: str) -> list[tuple[str, str, str]]:
    return sorted(
        (f.unit.split("-")[0], f.project, f.value) for f in result.findings if f.rule_id == rule_id
    )


# --- BP812 goal-not-measured -----------------------------------------------------------


def test_a_promised_quantity_without_indicator(findings: Findings, project: Project) -> None:
    goals = "1.全年举行专家人才国情研修1次；2.召开人才工作推进会5次，走访企业30家。"
    found = findings(project, rule="BP812", goals=goals)
    assert messages(found) == [
        (
            "BP812",
            "B8",
            "当年绩效目标中的“召开人才工作推进会5次，走访企业30家”没有对应的绩效指标",
        )
    ]
    assert found[0].severity is Severity.WARNING
    assert found[0].hint == (
        "请增加衡量这项承诺的指标（如“召开人才工作推进会 ≥ 5 次”），"
        "或从目标中删去当年不再承诺的内容。"
    )


def test_a_quantity_an_indicator_measures_is_not_reported(
    findings: Findings, project: Project
) -> None:
    measured = [
        "举行专家人才国情研修1次。",  # the same number
        "举行专家人才国情研修3次。",  # another number: BP811's, not this rule's
        "奖补覆盖率达到95%以上。",  # a rate whose name the indicator shares
        "研修活动1次。",  # the same number in the same unit
        "2022年召开推进会5次。",  # history
        "到年底预算执行率达到100%。",  # scored by its own weight, no indicator
        "完成“三千名流”奖励拨付，推进“五个一”工程。",  # numerals in words name programmes
        "计划投入资金50万元。",  # money to spend is the budget
    ]
    for goals in measured:
        assert findings(project, rule="BP812", goals=goals) == [], goals


def test_a_promised_deliverable_without_indicator(findings: Findings, project: Project) -> None:
    goals = project.goals + "11月底前完成青年创业园改造并投入使用。"
    (found,) = findings(project, rule="BP812", goals=goals)
    assert (found.cell, found.value) == ("B8", "11月底前完成青年创业园改造并投入使用")
    assert "（如“青年创业园改造投入使用时间 ≤ ×× 月”）" in found.hint
    measured = {4: {"name": "青年创业园改造完成率", "unit": "%", "target": "100"}}
    assert findings(project, rule="BP812", goals=goals, indicators=measured) == []
    assert (
        findings(project, rule="BP812", goals=project.goals + "2022年青年创业园已投入使用。") == []
    )
    # With a number it is a quantity, reported once as such.
    goals = project.goals + "完成3个青年创业园建设并投入使用。"
    (found,) = findings(project, rule="BP812", goals=goals)
    assert found.hint.startswith(
        "请增加衡量这项承诺的指标（如“完成青年创业园建设并投入使用 ≥ 3 个”）"
    )


def test_several_indicators_add_up_to_a_promise(
    findings: Findings, sample_projects: list[Project]
) -> None:
    """残疾人托养500人次: 居家托养人数 ≥ 450 and 购买服务和机构托养人数 ≥ 50."""
    jobs = next(p for p in sample_projects if p.name == "残疾人就业和社会保障服务")
    assert findings(jobs, rule="BP812", goals="残疾人托养500人次。") == []
    (found,) = findings(jobs, rule="BP812", goals="残疾人托养500人次，法律援助80人次。")
    assert found.value == "法律援助80人次"


def test_goals_promises_on_the_samples(sample_result: Consolidation) -> None:
    """Each one reviewed: a quantity the goal commits to that no indicator measures."""
    assert on_samples(sample_result, "BP812") == sorted(
        [
            ("106", "文明城区创建及文明实践项目经费", "常态化维护好236个重要点位的宣传标语"),
            (
                "106",
                "文明城区创建及文明实践项目经费",
                "针对39个重要交通路口，组织开展120余名志愿者常年开展文明劝导工作",
            ),
            (
                "115",
                "扫黑除恶专项经费",
                "召开常态化扫黑除恶斗争推进会5次、向市扫黑办报送宣传信息5篇",
            ),
            ("106", "北碚区文艺工作专项经费", "文艺家活动中心正式投入使用"),
            ("115", "司法救助专项经费", "召开涉法涉诉信访工作推进会5次"),
            ("216", "招商引资专项资金", "接待客商100批次以上，外出考察24次"),
            ("301", "巩固拓展脱贫攻坚成果同乡村振兴有效衔接", "2023年累计培训人数1000人"),
            (
                "302",
                "松材线虫等重大林业有害生物防控",
                "测报准确率达到90%以上，枯死松树死亡率下降60%以上",
            ),
            ("404", "残疾人康复服务", "残疾儿童救助160人次"),
            ("404", "残疾人康复服务", "精准康复服务60人次"),
            ("404", "残疾人文化体育宣传服务", "开展助残日、国际残疾人节等宣传活动10次"),
        ]
    )
    assert {f.cell for f in sample_result.findings if f.rule_id == "BP812"} == {"B8"}
    # The example indicator is named for what is counted, not the goal's preposition.
    (crossings,) = (f for f in sample_result.findings if f.value.startswith("针对39个"))
    assert "（如“重要交通路口数 ≥ 39 个”）" in crossings.hint


# --- BP813 overview-not-measured ------------------------------------------------------


def test_an_overview_promise_without_indicator(findings: Findings, project: Project) -> None:
    overview = project.overview + "2023年计划新建人才驿站3个。北碚区现有人才1.2万人。"
    (found,) = findings(project, rule="BP813", overview=overview)
    assert (found.cell, found.value, found.severity) == (
        "B6",
        "2023年计划新建人才驿站3个",
        Severity.INFO,
    )
    # The same promise in the goals is reported there, once.
    goals = project.goals + "新建人才驿站3个。"
    assert findings(project, rule="BP813", overview=overview, goals=goals) == []


# --- BP814 deadline-without-timeliness ------------------------------------------------


def test_a_deadline_needs_a_timeliness_indicator(findings: Findings, project: Project) -> None:
    (found,) = findings(project, rule="BP814")  # 组织部's own goals: 11月底完成…
    # 12月底 says no more than "within the budget year": only 11月底 is a deadline to measure.
    assert found.message == "当年绩效目标写了完成时限（“11月底”），但没有时效指标"
    assert (found.cell, found.related) == ("B8", "A10")
    timely = project.indicators[4].__class__(
        "产出指标", "时效指标", "奖补资金拨付及时率", "%", "≥", "95", 0, "否"
    )
    with_timeliness = (*project.indicators, timely)
    assert findings(project, rule="BP814", indicators_all=with_timeliness) == []
    assert findings(project, rule="BP814", goals="全年举行专家人才国情研修1次。") == []
    for year_end in (
        "12月底前完成奖补资金拨付。",
        "年底前完成全部工作。",
        "2023年12月31日前完成。",
    ):
        assert findings(project, rule="BP814", goals=year_end) == [], year_end


def test_deadlines_on_the_samples(sample_result: Consolidation) -> None:
    # 137 农业发展专项 promises its work “12月底前”: the end of the budget year, no deadline.
    assert on_samples(sample_result, "BP814") == [("107", "碚有引力专项资金", "11月底")]


# --- BP815 goal-not-measurable ----------------------------------------------------------


def test_a_goal_with_nothing_to_measure(findings: Findings, project: Project) -> None:
    vague = "进一步提高人才工作水平，营造良好氛围，推动各项工作顺利开展。"
    (found,) = findings(project, rule="BP815", goals=vague)
    assert (found.cell, found.severity) == ("B8", Severity.WARNING)
    for goals in (
        "举行研修1次。",
        "11月底完成奖补资金拨付。",
        "文艺家活动中心投入使用。",
        "依据《重庆市人才工作规范》开展人才服务。",
    ):
        assert findings(project, rule="BP815", goals=goals) == [], goals


def test_unmeasurable_goals_on_the_samples(sample_result: Consolidation) -> None:
    # 309: eleven items, none with a number, a date or a standard ("完成区域站资料传输及时率").
    # 403 works to 《国家基本公共卫生服务规范（第三版）》: the standard it is measured by.
    found = [(u, p) for u, p, _ in on_samples(sample_result, "BP815")]
    assert found == [("309", "气象业务维持专项经费")]


# --- BP816 overview-goals-differ -------------------------------------------------------


def test_overview_and_goals_state_different_numbers(findings: Findings, project: Project) -> None:
    overview = project.overview + "全年举行专家人才国情研修2次。"
    goals = "全年举行专家人才国情研修3次。"
    (found,) = findings(project, rule="BP816", overview=overview, goals=goals)
    assert found.message == (
        "项目概述写“全年举行专家人才国情研修2次”，当年绩效目标写“全年举行专家人才国情研修3次”，"
        "两处数字不同"
    )
    assert (found.cell, found.related) == ("B8", "B6")
    assert (
        findings(project, rule="BP816", overview=overview, goals="全年举行专家人才国情研修2次。")
        == []
    )


def test_text_against_text_on_the_samples(sample_result: Consolidation) -> None:
    assert on_samples(sample_result, "BP816") == [
        ("302", "松材线虫等重大林业有害生物防控", "枯死松树死亡率下降60%以上")
    ]


# --- BP817 promised-output-zero --------------------------------------------------------


def test_a_promised_output_set_to_zero_is_an_error(findings: Findings, project: Project) -> None:
    goals = "全年举行专家人才国情研修3次。"
    found = findings(project, rule="BP", goals=goals, indicators={4: {"target": "0", "op": "＝"}})
    (zero,) = [f for f in found if f.cell == "F15"]
    assert (zero.rule_id, zero.severity) == ("BP817", Severity.ERROR)
    assert zero.message == (
        "当年绩效目标写“全年举行专家人才国情研修3次”，而数量指标“举行专家人才国情研修次数”的"
        "指标值为 ＝ 0，等于不做"
    )
    assert zero.indicator == "举行专家人才国情研修次数"
    # Without the promise, a target of 0 is BP512's (a warning).
    found = findings(
        project, rule="BP5", goals="做好人才工作。", indicators={4: {"target": "0", "op": "＝"}}
    )
    assert [f.rule_id for f in found if f.cell == "F15"] == ["BP512"]
