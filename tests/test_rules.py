"""The first rules (BP1-BP4 basics): each fires on a damaged copy of a real table, and not
on the original. Other rules of the same families are tested in tests/test_rules_*.py."""

from __future__ import annotations

import pytest

from bptools import RULES, Consolidation, Finding, Severity, consolidate
from bptools.model import Project

from .conftest import MakeWorkbook

Located = list[tuple[str, str, str]]


BASICS = ("BP101", "BP102", "BP103", "BP104", "BP201", "BP202", "BP301", "BP302", "BP401", "BP402")


def basics(found: list[Finding]) -> list[Finding]:
    return [f for f in found if f.rule_id in BASICS]


def located(make_workbook: MakeWorkbook, project: Project, **changes: object) -> Located:
    path = make_workbook(project, **changes)
    return [(f.rule_id, f.sheet, f.cell) for f in basics(consolidate([path]).findings)]


def test_the_real_first_table_passes(make_workbook: MakeWorkbook, project: Project) -> None:
    assert located(make_workbook, project) == []


def test_samples_pass_the_basic_rules(sample_result: Consolidation) -> None:
    # The 2023 document is consistent on required fields, amounts, weights and taxonomy;
    # its real anomalies are of other kinds.
    assert basics(sample_result.findings) == []


def test_required_field_missing(make_workbook: MakeWorkbook, project: Project) -> None:
    path = make_workbook(project, supervisor="", goals="  ")
    findings = basics(consolidate([path]).findings)
    assert [(f.rule_id, f.cell, f.message) for f in findings] == [
        ("BP101", "F3", "“业务主管部门”未填写"),
        ("BP101", "B8", "“当年绩效目标”未填写"),
    ]
    assert findings[0].severity is Severity.ERROR
    assert findings[0].unit == project.unit and findings[0].project == project.name


def test_unit_format(make_workbook: MakeWorkbook, project: Project) -> None:
    assert located(make_workbook, project, unit="组织部") == [("BP102", "项目1", "B2")]


def test_no_indicators(make_workbook: MakeWorkbook, project: Project) -> None:
    assert located(make_workbook, project, indicators_all=()) == [("BP103", "项目1", "A10")]


def test_indicator_cell_missing(make_workbook: MakeWorkbook, project: Project) -> None:
    found = located(make_workbook, project, indicators={2: {"core": "", "target": ""}})
    assert found == [("BP104", "项目1", "F13"), ("BP104", "项目1", "H13")]


@pytest.mark.parametrize("budget", ["五十万", "-50"])
def test_amount_invalid(make_workbook: MakeWorkbook, project: Project, budget: str) -> None:
    path = make_workbook(project, budget=budget, retained=budget)
    findings = basics(consolidate([path]).findings)
    assert [(f.rule_id, f.cell, f.value) for f in findings] == [
        ("BP201", "F4", budget),
        ("BP201", "B5", budget),
    ]


def test_amount_split(make_workbook: MakeWorkbook, project: Project) -> None:
    path = make_workbook(project, retained="40.00", subsidy="5")
    (finding,) = basics(consolidate([path]).findings)
    assert (finding.rule_id, finding.cell) == ("BP202", "B5")
    assert (
        finding.message == "部门留用 40.00 ＋ 补助街镇 5.00 ＝ 45.00，与当年预算金额 50.00 不一致"
    )


def test_amount_split_tolerates_rounding(make_workbook: MakeWorkbook, project: Project) -> None:
    assert located(make_workbook, project, retained="30.004", subsidy="20") == []


@pytest.mark.parametrize("weight", [0, -5, "十"])
def test_weight_invalid(make_workbook: MakeWorkbook, project: Project, weight: object) -> None:
    found = located(make_workbook, project, indicators={0: {"weight": weight}})
    assert ("BP301", "项目1", "G11") in found


def test_weight_sum(make_workbook: MakeWorkbook, project: Project) -> None:
    path = make_workbook(project, indicators={0: {"weight": 15}})
    (finding,) = basics(consolidate([path]).findings)
    assert (finding.rule_id, finding.cell, finding.value) == ("BP302", "G10", "105")
    assert finding.message == "指标权重合计 95 ＋ 预算执行率权重 10 ＝ 105，应为 100"


def test_level1_unknown(make_workbook: MakeWorkbook, project: Project) -> None:
    # "产出" is shorthand for 产出指标 and passes; 投入指标 is no first-level indicator.
    assert located(make_workbook, project, indicators={4: {"level1": "产出"}}) == []
    found = located(make_workbook, project, indicators={4: {"level1": "投入指标"}})
    assert found == [("BP401", "项目1", "A15")]


def test_level2_must_belong_to_level1(make_workbook: MakeWorkbook, project: Project) -> None:
    # 成本指标 is valid under 产出指标 (older framework) and as a first level (2021).
    assert located(make_workbook, project, indicators={4: {"level2": "成本指标"}}) == []
    found = located(make_workbook, project, indicators={0: {"level2": "数量指标"}})
    assert found == [("BP402", "项目1", "B11")]


def test_every_rule_is_complete() -> None:
    for rule in RULES.values():
        assert rule.id.startswith("BP") and len(rule.id) == 5
        assert rule.title and rule.hint and rule.description and rule.message
