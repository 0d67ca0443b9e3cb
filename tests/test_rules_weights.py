"""BP303-BP307: the weight rules, on damaged copies of real tables and on the samples.

The first table of the 2023 document (组织部) weighs 效益 20+10, 满意度 10, 成本 10 (as a
一级指标) and 产出 40 in a single indicator, row 15.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest

from bptools import Consolidation, Finding, Severity, consolidate
from bptools.config import Config
from bptools.model import Project

from .conftest import MakeWorkbook

Findings = Callable[..., list[Finding]]


def cells(found: list[Finding]) -> list[tuple[str, str, str]]:
    return [(f.rule_id, f.sheet, f.cell) for f in found]


def on_samples(result: Consolidation, rule_id: str) -> list[tuple[str, str, str]]:
    """(unit code, project, cell) of each finding of `rule_id` on the samples."""
    return sorted(
        (f.unit.split("-")[0], f.project, f.cell) for f in result.findings if f.rule_id == rule_id
    )


def configured(
    make_workbook: MakeWorkbook,
    project: Project,
    rule_id: str,
    params: Mapping[str, Any],
    **changes: object,
) -> list[Finding]:
    path = make_workbook(project, **changes)
    result = consolidate([path], config=Config(params={rule_id: params}))
    return [f for f in result.findings if f.rule_id == rule_id]


def weights(*values: int) -> dict[int, dict[str, object]]:
    return {index: {"weight": value} for index, value in enumerate(values)}


# BP303 exec-weight


def test_exec_weight_other_than_ten(findings: Findings, project: Project) -> None:
    (finding,) = findings(project, rule="BP303", exec_weight=15)
    assert (finding.rule_id, finding.sheet, finding.cell) == ("BP303", "项目1", "B4")
    assert finding.severity is Severity.WARNING
    assert finding.message == "预算执行率权重应为 10，现为“15”"


def test_exec_weight_not_a_number(findings: Findings, project: Project) -> None:
    assert cells(findings(project, rule="BP303", exec_weight="十")) == [("BP303", "项目1", "B4")]


@pytest.mark.parametrize("typed", [10, "10", "１０", "10.00"])
def test_exec_weight_ten_however_typed(findings: Findings, project: Project, typed: str) -> None:
    assert findings(project, rule="BP303", exec_weight=typed) == []


def test_exec_weight_blank_is_left_to_bp101(findings: Findings, project: Project) -> None:
    assert findings(project, rule="BP303", exec_weight="") == []


def test_exec_weight_follows_the_configured_value(
    make_workbook: MakeWorkbook, project: Project
) -> None:
    assert configured(make_workbook, project, "BP303", {"expected": 15}, exec_weight=15) == []
    (finding,) = configured(make_workbook, project, "BP303", {"expected": 15})
    assert finding.message == "预算执行率权重应为 15，现为“10”"


# BP304 weight-profile


def test_weight_profile_far_from_the_recommended_one(findings: Findings, project: Project) -> None:
    # 成本 10 / 产出 25 / 效益 45 / 满意度 10 against 成本 20 / 产出 40 / 效益 20 / 满意度 10.
    (finding,) = findings(project, rule="BP304", indicators=weights(10, 35, 10, 10, 25))
    assert (finding.cell, finding.severity) == ("G10", Severity.INFO)
    assert finding.value == "成本 10 / 产出 25 / 效益 45 / 满意度 10"
    assert finding.message == (
        "一级指标权重为“成本 10 / 产出 25 / 效益 45 / 满意度 10”，"
        "与推荐的 成本 20 / 产出 40 / 效益 20 / 满意度 10 相差超过 10"
    )


def test_weight_profile_within_tolerance(findings: Findings, project: Project) -> None:
    # The real table is 10 points off on 成本 and 效益: on the edge, not beyond it.
    assert findings(project, rule="BP304") == []


def test_weight_profile_without_cost_level1(findings: Findings, project: Project) -> None:
    # With cost under 产出 the table is exactly 产出 50 / 效益 30 / 满意度 10.
    older = {3: {"level1": "产出指标", "level2": "成本指标"}}
    assert findings(project, rule="BP304", indicators=older) == []
    older[4] = {"weight": 25}
    older[1] = {"weight": 35}
    (finding,) = findings(project, rule="BP304", indicators=older)
    assert finding.value == "产出 35 / 效益 45 / 满意度 10"
    assert finding.message.endswith("与推荐的 产出 50 / 效益 30 / 满意度 10 相差超过 10")


def test_weight_profile_tolerance_is_configurable(
    make_workbook: MakeWorkbook, project: Project
) -> None:
    found = configured(make_workbook, project, "BP304", {"tolerance": 5})
    assert [f.value for f in found] == ["成本 10 / 产出 40 / 效益 30 / 满意度 10"]


def test_weight_profile_skips_tables_with_unreadable_weights(
    findings: Findings, project: Project
) -> None:
    damaged = weights(10, 35, 10, 10, 25)
    damaged[2] = {"weight": "十"}
    assert findings(project, rule="BP304", indicators=damaged) == []


# BP305 output-benefit-share


def test_output_benefit_share_below_sixty(findings: Findings, project: Project) -> None:
    (finding,) = findings(project, rule="BP305", indicators=weights(5, 5, 35, 10, 35))
    assert (finding.cell, finding.value) == ("G10", "55")
    assert finding.message == "产出、效益（含成本）指标权重合计为“55”，低于 60"


def test_output_benefit_share_counts_cost(findings: Findings, project: Project) -> None:
    # 5 + 10 (效益) + 10 (成本) + 35 (产出) = 60: on the limit.
    assert findings(project, rule="BP305", indicators=weights(5, 10, 30, 10, 35)) == []


# BP306 satisfaction-weight-cap


def test_satisfaction_weight_includes_items_filed_elsewhere(
    findings: Findings, project: Project
) -> None:
    renamed = {1: {"name": "奖补对象满意度"}}
    (finding,) = findings(project, rule="BP306", indicators=renamed)
    # On the weights it adds up: the first, the others related (not the G10 header).
    assert (finding.cell, finding.related, finding.value, finding.severity) == (
        "G12",
        "G13",
        "30",
        Severity.WARNING,
    )
    assert finding.indicator == "奖补对象满意度、补助对象满意度"
    assert finding.message == (
        "满意度类指标（奖补对象满意度、补助对象满意度）权重合计为“30”，超过 10"
    )


def test_satisfaction_weight_at_the_cap(findings: Findings, project: Project) -> None:
    assert findings(project, rule="BP306") == []
    assert findings(project, rule="BP306", indicators=weights(10, 25, 5, 10, 40)) == []


def test_satisfaction_block_over_the_cap(findings: Findings, project: Project) -> None:
    found = findings(project, rule="BP306", indicators=weights(10, 15, 15, 10, 40))
    assert [(f.cell, f.value) for f in found] == [("G13", "15")]


# BP307 dominant-weight


def test_dominant_weight(findings: Findings, project: Project) -> None:
    raised = {4: {"target": "4"}}  # ≥ 1 with 40 is BP308's, which says more
    (finding,) = findings(project, rule="BP307", indicators=raised)
    assert (finding.cell, finding.value, finding.severity) == ("G15", "40", Severity.INFO)
    assert finding.message == "三级指标“举行专家人才国情研修次数”的权重为“40”，超过 30"


# BP308 token-target


def test_a_token_target_with_a_heavy_weight(findings: Findings, project: Project) -> None:
    """组织部's own table: 举行专家人才国情研修次数 ≥ 1 次 carries 40 of the 100."""
    found = findings(project, rule="BP30")
    assert [(f.rule_id, f.cell) for f in found] == [("BP308", "G15")]  # BP307 folded
    assert found[0].message == (
        "三级指标“举行专家人才国情研修次数”的目标“≥ 1 次”，有 1 次就满分，却占 40 的权重"
    )
    assert findings(project, rule="BP308", indicators={4: {"target": "4"}}) == []
    assert findings(project, rule="BP308", indicators=weights(20, 20, 10, 40, 10)) == []


def test_dominant_weight_thirty_is_allowed(findings: Findings, project: Project) -> None:
    assert findings(project, rule="BP307", indicators=weights(20, 20, 10, 10, 30)) == []


def test_dominant_weight_threshold_is_configurable(
    make_workbook: MakeWorkbook, project: Project
) -> None:
    assert configured(make_workbook, project, "BP307", {"maximum": 40}) == []


# On the samples (the real 2023 document)


def test_weight_rules_on_the_samples(sample_result: Consolidation) -> None:
    # 预算执行率权重 is 10 everywhere and every 一级 profile is within 10 points of the
    # recommended one; satisfaction never crowds out 产出 and 效益.
    for rule_id in ("BP303", "BP304", "BP305"):
        assert on_samples(sample_result, rule_id) == []
    # 残联 项目1: three satisfaction items (5 + 5 under 满意度, 10 under 效益) make 20.
    assert on_samples(sample_result, "BP306") == [("404", "残疾人康复服务", "G12")]
    assert on_samples(sample_result, "BP307") == [
        ("215", "安全生产专项", "G11"),
        ("403", "基本药物制度专项", "G14"),
    ]
    # ≥ 1 on 40 (研修次数) and on 30 (救助…户数, core): one event scores it all.
    assert on_samples(sample_result, "BP308") == [
        ("107", "碚有引力专项资金", "G15"),
        ("115", "司法救助专项经费", "G14"),
    ]
