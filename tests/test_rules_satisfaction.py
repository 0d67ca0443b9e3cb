"""BP6xx (满意度): each rule fires on a damaged copy of a real table, stays quiet on the
original and on near misses, and finds the real anomalies of the 2023 document.

Table 1 of the document (组织部) has its satisfaction indicator in row 2 (sheet row 13):
补助对象满意度, no unit, 定性, 较好 — itself a BP601 case. Table 2 (宣传部, 文明城区创建…)
has a clean one in row 9 (sheet row 20): 群众满意度 % ≥ 98.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bptools import Consolidation, Finding, Severity, consolidate
from bptools.config import Config
from bptools.model import Project
from bptools.rules import RULES

from .conftest import MakeWorkbook

Findings = Callable[..., list[Finding]]

SURVEY = {"unit": "%", "op": "≥", "target": "90"}  # a well-formed satisfaction target


def cells(found: list[Finding]) -> list[tuple[str, str]]:
    return sorted((f.rule_id, f.cell) for f in found)


def satisfied(**changes: str) -> dict[int, dict[str, str]]:
    """Changes to row 2 of table 1: a clean satisfaction target, then `changes`."""
    return {2: {**SURVEY, **changes}}


def on_samples(result: Consolidation, rule_id: str) -> list[tuple[str, str, str]]:
    return [
        (f.unit.split("-")[0], f.project, f.cell) for f in result.findings if f.rule_id == rule_id
    ]


def test_severities() -> None:
    assert RULES["BP601"].severity is Severity.WARNING
    assert RULES["BP602"].severity is Severity.WARNING  # 100 %: not credible
    assert RULES["BP603"].severity is Severity.INFO
    assert RULES["BP604"].severity is Severity.INFO  # ＝ for ≥: wording


def test_a_clean_satisfaction_target_passes(
    findings: Findings, project: Project, sample_projects: list[Project]
) -> None:
    assert findings(project, rule="BP6", indicators=satisfied()) == []
    assert findings(sample_projects[1], rule="BP6") == []


# BP601 satisfaction-qualitative


def test_qualitative_satisfaction_of_the_real_table(findings: Findings, project: Project) -> None:
    (finding,) = findings(project, rule="BP6")
    assert (finding.rule_id, finding.cell, finding.value) == ("BP601", "E13", "定性")
    assert finding.message == (
        "满意度指标“补助对象满意度”应以 % 为单位、用 ≥ 或 ＞ 设定目标，现指标性质为“定性”"
    )


@pytest.mark.parametrize(("op", "cell"), [("≤", "E13"), ("＜", "E13")])
def test_satisfaction_as_upper_bound(
    findings: Findings, project: Project, op: str, cell: str
) -> None:
    found = findings(project, rule="BP6", indicators=satisfied(op=op))
    assert cells(found) == [("BP601", cell)]


def test_satisfaction_in_another_unit(findings: Findings, project: Project) -> None:
    (finding,) = findings(project, rule="BP6", indicators=satisfied(unit="分"))
    assert (finding.rule_id, finding.cell) == ("BP601", "D13")
    assert finding.message.endswith("现计量单位为“分”")


def test_satisfaction_named_outside_the_block(findings: Findings, project: Project) -> None:
    # A "…满意度" row filed outside the 满意度 block is judged as a satisfaction measure too.
    changes = {3: {"name": "奖补对象满意度", "target": "较好"}}
    assert cells(findings(project, rule="BP6", indicators={**satisfied(), **changes})) == [
        ("BP601", "E14")
    ]


def test_qualitative_satisfaction_with_a_number_is_left_to_bp505(
    findings: Findings, project: Project
) -> None:
    found = findings(project, indicators=satisfied(op="定性", target="90"))
    assert [c for c in cells(found) if c[0][:3] in ("BP5", "BP6")] == [("BP505", "F13")]


# BP602 satisfaction-equals-100, BP604 satisfaction-equals


def test_satisfaction_written_with_equals(findings: Findings, project: Project) -> None:
    (finding,) = findings(project, rule="BP6", indicators=satisfied(op="＝"))
    assert (finding.rule_id, finding.cell, finding.value) == ("BP604", "E13", "＝")
    assert finding.message == "满意度目标“＝ 90%”用了“＝”，满意度应设定下限（≥ 或 ＞）"
    assert finding.hint == "请把指标性质“＝”改为“≥”，即“≥ 90%”。"


@pytest.mark.parametrize("op", ["＝", "≥", "＞"])
def test_satisfaction_of_100(findings: Findings, project: Project, op: str) -> None:
    # One finding on the value, and no BP509 for the same 100 %.
    found = findings(project, indicators=satisfied(op=op, target="100"))
    mine = [f for f in found if f.rule_id[:3] in ("BP5", "BP6")]
    assert cells(mine) == [("BP602", "F13")]
    assert mine[0].message == f"满意度目标“{op} 100%”要求人人满意，调查难以做到，也无法核实"


def test_satisfaction_above_100_is_an_out_of_range_rate(
    findings: Findings, project: Project
) -> None:
    found = findings(project, indicators=satisfied(target="180"))
    assert [c for c in cells(found) if c[0][:3] in ("BP5", "BP6")] == [("BP508", "F13")]


# BP603 satisfaction-floor


def test_satisfaction_below_the_floor(findings: Findings, project: Project) -> None:
    (finding,) = findings(project, rule="BP6", indicators=satisfied(target="80"))
    assert (finding.rule_id, finding.cell, finding.severity) == ("BP603", "F13", Severity.INFO)
    assert finding.message == "满意度目标“≥ 80%”低于 85%"


def test_satisfaction_at_the_floor_passes(findings: Findings, project: Project) -> None:
    assert findings(project, rule="BP6", indicators=satisfied(target="85")) == []


def test_equals_below_the_floor_is_one_row(findings: Findings, project: Project) -> None:
    # The operator and the level of one target: one row saying both.
    (finding,) = findings(project, rule="BP6", indicators=satisfied(op="＝", target="80"))
    assert (finding.rule_id, finding.cell) == ("BP604", "E13")
    assert finding.message.endswith("，且低于 85%")


def test_floor_is_configurable(make_workbook: MakeWorkbook, project: Project) -> None:
    def floor_findings(target: str) -> list[tuple[str, str]]:
        path = make_workbook(project, indicators=satisfied(target=target))
        config = Config(params={"BP603": {"floor": 80}})
        return cells(
            [f for f in consolidate([path], config=config).findings if f.rule_id == "BP603"]
        )

    assert floor_findings("80") == []
    assert floor_findings("75") == [("BP603", "F13")]


# The 2023 document


def test_samples_qualitative_satisfaction(sample_result: Consolidation) -> None:
    assert on_samples(sample_result, "BP601") == [("107", "碚有引力专项资金", "E13")]


def test_samples_satisfaction_equals_or_100(sample_result: Consolidation) -> None:
    # 满意度 ＝ 100 %, and three satisfaction targets written ＝ 80 / ＝ 80 / ＝ 90.
    assert on_samples(sample_result, "BP602") == [("115", "司法救助专项经费", "F11")]
    assert on_samples(sample_result, "BP604") == [
        ("404", "残疾人就业和社会保障服务", "E11"),
        ("404", "残疾人文化体育宣传服务", "E12"),
        ("404", "其他残疾人事业支出", "E11"),
    ]


def test_samples_satisfaction_floor(sample_result: Consolidation) -> None:
    # Eleven targets of 80 %, two of them written ＝ 80 and said by BP604 (就业 F11, 文体
    # F12); 接受辅具救助残疾人满意度 (F12 of 残疾人康复服务) is filed under 效益指标 but is a
    # satisfaction measure all the same.
    assert on_samples(sample_result, "BP603") == [
        ("118", "市场监管专项", "F11"),
        ("215", "安全生产专项", "F14"),
        ("215", "自然灾害救灾专项", "F13"),
        ("403", "基本药物制度专项", "F13"),
        ("403", "基本公共卫生服务", "F11"),
        ("404", "残疾人康复服务", "F12"),
        ("404", "残疾人康复服务", "F15"),
        ("404", "残疾人康复服务", "F21"),
        ("404", "残疾人就业和社会保障服务", "F16"),
    ]
