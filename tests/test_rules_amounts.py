"""BP203-BP205: decimals, a zero budget, and cost indicators above the budget."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bptools import Consolidation, Finding, Severity, consolidate
from bptools.config import Config
from bptools.model import Project

from .conftest import MakeWorkbook

Findings = Callable[..., list[Finding]]


def only(result: Consolidation, rule: str) -> list[Finding]:
    return [f for f in result.findings if f.rule_id == rule]


# BP203 amount-decimals


def test_amount_with_three_decimals(findings: Findings, project: Project) -> None:
    (finding,) = findings(project, rule="BP203", retained="30.004", subsidy="20")
    assert (finding.cell, finding.value, finding.severity) == ("F4", "30.004", Severity.WARNING)
    assert finding.message == "“部门留用”为“30.004”，金额以万元为单位最多保留 2 位小数"


def test_amount_typed_as_a_number(findings: Findings, project: Project) -> None:
    found = findings(project, rule="BP203", budget=50.125, retained=50.125)
    assert [(f.cell, f.value) for f in found] == [("F4", "50.125"), ("B5", "50.125")]


@pytest.mark.parametrize("amount", ["30.4", 30.4, "30.40", 221.92, "1,234.56"])
def test_two_decimals_pass(findings: Findings, project: Project, amount: object) -> None:
    assert findings(project, rule="BP203", retained=amount) == []


def test_decimals_are_configurable(make_workbook: MakeWorkbook, project: Project) -> None:
    path = make_workbook(project, retained="30.004", subsidy="20")
    config = Config(params={"BP203": {"decimals": 3}})
    assert only(consolidate([path], config=config), "BP203") == []


def test_invalid_amounts_are_left_to_bp201(findings: Findings, project: Project) -> None:
    found = findings(project, rule="BP20", retained="-0.125")
    assert [f.rule_id for f in found if f.cell == "F4"] == ["BP201"]


# BP204 budget-zero


def test_budget_zero(findings: Findings, project: Project) -> None:
    (finding,) = findings(project, rule="BP204", budget="0", retained="0", subsidy="0")
    assert (finding.cell, finding.severity) == ("B5", Severity.ERROR)
    assert finding.message == "当年预算金额为“0”，重点专项的当年预算金额应大于 0"


def test_budget_above_zero_or_blank(findings: Findings, project: Project) -> None:
    assert findings(project, rule="BP204", budget="0.01", retained="0.01") == []
    # A blank budget is BP101's.
    rule_ids = [f.rule_id for f in findings(project, budget="")]
    assert "BP101" in rule_ids and "BP204" not in rule_ids


# BP205 cost-over-budget
# Table 7 (北碚区城市提升, budget 10.00) has 产出指标/成本指标/成本支出 ≤ 10 万元 as row 4.

COST_ROW = 3


@pytest.fixture
def city(sample_projects: list[Project]) -> Project:
    return sample_projects[6]


def test_cost_indicator_above_budget(findings: Findings, city: Project) -> None:
    (finding,) = findings(city, rule="BP205", indicators={COST_ROW: {"target": "12"}})
    assert (finding.cell, finding.related, finding.value) == ("F14", "B5", "12")
    assert finding.severity is Severity.WARNING
    assert finding.message == (
        "成本指标“成本支出”≤ 12万元（12.00 万元），超过当年预算金额 10.00 万元"
    )


@pytest.mark.parametrize(
    ("unit", "target"), [("元", "120000"), ("亿元", "0.01"), ("万元", "10.01")]
)
def test_money_units_are_converted(
    findings: Findings, city: Project, unit: str, target: str
) -> None:
    changes = {COST_ROW: {"unit": unit, "target": target}}
    assert [f.cell for f in findings(city, rule="BP205", indicators=changes)] == ["F14"]


def test_cost_word_outside_the_cost_category(findings: Findings, city: Project) -> None:
    changes = {COST_ROW: {"level2": "数量指标", "name": "项目经费支出", "target": "15"}}
    assert [f.cell for f in findings(city, rule="BP205", indicators=changes)] == ["F14"]


@pytest.mark.parametrize(
    "changes",
    [
        {},  # ≤ 10 万元 with a budget of 10.00: within the budget
        {"unit": "元", "target": "100000"},  # 10 万元
        {"op": "≥", "target": "12"},  # a floor, not a ceiling
        {"unit": "元/人", "target": "200000"},  # a unit cost
        {"unit": "个", "target": "12"},  # not money
        {"level2": "数量指标", "name": "完成投资", "target": "12"},  # not a cost
    ],
)
def test_cost_within_budget_or_not_a_cost_ceiling(
    findings: Findings, city: Project, changes: dict[str, object]
) -> None:
    assert findings(city, rule="BP205", indicators={COST_ROW: changes}) == []


def test_money_units_are_configurable(make_workbook: MakeWorkbook, city: Project) -> None:
    path = make_workbook(city, indicators={COST_ROW: {"unit": "千元", "target": "120"}})
    assert len(only(consolidate([path]), "BP205")) == 1
    config = Config(params={"BP205": {"money_units": {"万元": 1.0}}})
    assert only(consolidate([path], config=config), "BP205") == []


# The samples


def test_samples_amounts(sample_result: Consolidation) -> None:
    # Every 2023 amount has two decimals and a budget above 0; the only money cost ceiling
    # (成本支出 ≤ 10 万元) equals its budget; 完成投资 ≥ 1.5 亿元 is a target, not a cost.
    assert [f for f in sample_result.findings if f.rule_id in {"BP203", "BP204", "BP205"}] == []
