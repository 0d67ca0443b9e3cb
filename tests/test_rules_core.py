"""BP701-BP705: core indicators (是否核心指标), on damaged real tables and on the samples.

The first table of the 2023 document (组织部) marks three indicators core: two quantitative
效益 rates (H11, H12) and the 定性 成本 indicator 是否清退往年聚才计划奖补 (H14).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bptools import Consolidation, Finding, Severity
from bptools.model import Project

Findings = Callable[..., list[Finding]]


def on_samples(result: Consolidation, rule_id: str) -> list[tuple[str, str, str]]:
    """(unit code, project, cell) of each finding of `rule_id` on the samples."""
    return sorted(
        (f.unit.split("-")[0], f.project, f.cell) for f in result.findings if f.rule_id == rule_id
    )


def flags(*values: str) -> dict[int, dict[str, object]]:
    return {index: {"core": value} for index, value in enumerate(values)}


# BP701 core-flag


def test_core_flag_not_yes_or_no(findings: Findings, project: Project) -> None:
    (finding,) = findings(project, rule="BP701", indicators={0: {"core": "重要"}})
    assert (finding.sheet, finding.cell, finding.severity) == ("项目1", "H11", Severity.ERROR)
    assert finding.message == "第 1 个指标的“是否核心指标”应为“是”或“否”，现为“重要”"


@pytest.mark.parametrize("typed", ["Y", "√", " 否 ", "N"])
def test_core_flag_spellings_of_yes_and_no(
    findings: Findings, project: Project, typed: str
) -> None:
    assert findings(project, rule="BP701", indicators={0: {"core": typed}}) == []


def test_core_flag_blank_is_left_to_bp104(findings: Findings, project: Project) -> None:
    assert findings(project, rule="BP701", indicators={0: {"core": ""}}) == []


# BP702 core-missing


def test_core_missing(findings: Findings, project: Project) -> None:
    (finding,) = findings(project, rule="BP702", indicators=flags(*"否否否否否"))
    assert (finding.cell, finding.value, finding.severity) == ("H10", "否", Severity.ERROR)
    assert finding.message == "本表 5 个指标都没有标为核心指标，至少应有一个核心指标"


def test_core_present(findings: Findings, project: Project) -> None:
    assert findings(project, rule="BP702") == []
    assert findings(project, rule="BP702", indicators=flags(*"否否否否是")) == []


def test_core_missing_not_judged_with_an_unreadable_flag(
    findings: Findings, project: Project
) -> None:
    # The blank or odd cell may be the core indicator: BP104/BP701 report it instead.
    assert findings(project, rule="BP702", indicators=flags("否", "否", "否", "否", "")) == []
    assert findings(project, rule="BP702", indicators=flags("否", "否", "否", "否", "?")) == []


# BP703 core-qualitative


def test_core_qualitative(findings: Findings, project: Project) -> None:
    (finding,) = findings(project, rule="BP703")
    assert (finding.cell, finding.value, finding.severity) == ("E14", "定性", Severity.WARNING)
    assert finding.message == (
        "核心指标“是否清退往年聚才计划奖补”是定性指标（指标值“是”），核心指标应可量化"
    )
    assert finding.indicator == "是否清退往年聚才计划奖补"


def test_qualitative_but_not_core(findings: Findings, project: Project) -> None:
    assert findings(project, rule="BP703", indicators={3: {"core": "否"}}) == []


# BP704 core-satisfaction


def test_core_satisfaction(findings: Findings, project: Project) -> None:
    (finding,) = findings(project, rule="BP704", indicators={2: {"core": "是"}})
    assert (finding.cell, finding.related, finding.severity) == ("C13", "H13", Severity.INFO)
    assert finding.message == "满意度指标“补助对象满意度”被标为核心指标"


def test_core_satisfaction_named_outside_the_block(findings: Findings, project: Project) -> None:
    renamed = {0: {"name": "奖补对象满意度"}}
    assert [f.cell for f in findings(project, rule="BP704", indicators=renamed)] == ["C11"]


def test_satisfaction_not_core(findings: Findings, project: Project) -> None:
    assert findings(project, rule="BP704") == []


# BP705 core-no-quantitative


def test_core_no_quantitative(findings: Findings, project: Project) -> None:
    (finding,) = findings(project, rule="BP705", indicators=flags("否", "否"))
    assert (finding.cell, finding.value, finding.severity) == ("H10", "定性", Severity.WARNING)
    assert finding.message == (
        "本表唯一的核心指标“是否清退往年聚才计划奖补”是定性指标，至少应有一个定量的核心指标"
    )


def test_core_with_a_quantitative_one(findings: Findings, project: Project) -> None:
    assert findings(project, rule="BP705") == []
    assert findings(project, rule="BP705", indicators=flags("否", "是")) == []


def test_core_no_quantitative_leaves_no_core_to_bp702(
    findings: Findings, project: Project
) -> None:
    found = findings(project, rule="BP70", indicators=flags(*"否否否否否"))
    assert [f.rule_id for f in found] == ["BP702"]


# On the samples (the real 2023 document)


def test_core_rules_on_the_samples(sample_result: Consolidation) -> None:
    # Every flag is 是/否, every table has a core indicator and a quantitative one.
    for rule_id in ("BP701", "BP702", "BP705"):
        assert on_samples(sample_result, rule_id) == []
    # Five more core indicators are 定性, each reported once by a more specific rule on the
    # same indicator: BP415 (all 效益 定性) at 106 文艺 E11 and 124 应指 E11, BP506 (a
    # direction, no standard) at 201 E20 and E22, BP505 (定性 with 80 %) at 404 E15.
    assert on_samples(sample_result, "BP703") == [
        ("106", "北碚区文艺工作专项经费", "E18"),
        ("107", "碚有引力专项资金", "E14"),
        ("119", "商贸服务业发展专项", "E16"),
        ("120", "区工业发展专项资金", "E16"),
    ]
    assert on_samples(sample_result, "BP704") == [
        ("201", "北碚区城市提升", "C11"),
        ("215", "安全生产专项", "C14"),
    ]
