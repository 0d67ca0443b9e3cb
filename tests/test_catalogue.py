"""The rule catalogue as a whole: complete declarations, every rule tested, and the real
2023 document's 错误 exactly the ones a reviewer would raise."""

from __future__ import annotations

import re
from pathlib import Path

from bptools import RULES, Consolidation, Severity
from bptools.config import Config
from bptools.instructions import for_departments
from bptools.template import write_template

TESTS = Path(__file__).parent


def test_every_rule_is_declared_completely() -> None:
    names = set()
    for rule in RULES.values():
        assert re.fullmatch(r"BP\d{3}", rule.id)
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name), rule.id
        assert rule.name not in names, rule.name
        names.add(rule.name)
        assert rule.title and rule.hint and rule.description and rule.message, rule.id


def test_every_rule_says_why_it_has_its_severity() -> None:
    """错误: impossible or contradictory, or the file is not merged; 警告: to be corrected or
    explained; 提示: wording and style. Each description ends by saying which and why."""
    for rule in RULES.values():
        assert f"定为{rule.severity.value}：" in rule.description, rule.id


def test_folding_is_declared_between_real_rules() -> None:
    for rule in RULES.values():
        for other in rule.folds:
            assert other in RULES and other != rule.id, rule.id


def test_every_rule_has_tests() -> None:
    text = "\n".join(
        p.read_text(encoding="utf-8")
        for p in TESTS.glob("test_*.py")
        if p.name != "test_catalogue.py"
    )
    untested = [rule_id for rule_id in RULES if f'"{rule_id}"' not in text]
    assert untested == []


def test_catalogue_is_in_id_order() -> None:
    assert list(RULES) == sorted(RULES)


def test_template_instructions_list_every_rule_a_department_acts_on(tmp_path: Path) -> None:
    import openpyxl

    ws = openpyxl.load_workbook(write_template(tmp_path / "t.xlsx", 2023))["填表说明"]
    listed = {row[0] for row in ws.iter_rows(values_only=True) if row[0] in RULES}
    assert listed == {r.id for r in RULES.values() if not r.bureau}
    for row in ws.iter_rows(values_only=True):
        if row[0] in RULES:
            rule = RULES[row[0]]
            assert row[1:3] == (rule.severity.value, rule.title)
            text = f"{for_departments(rule.description)}\n修改方法：{for_departments(rule.hint)}"
            assert row[3] == text


def test_the_samples_real_errors(sample_result: Consolidation) -> None:
    """Every 错误 on the published 2023 document, reviewed one by one."""
    errors = [
        (f.rule_id, f.unit.split("-")[0], f.project, f.cell)
        for f in sample_result.findings
        if f.severity is Severity.ERROR
    ]
    assert sorted(errors) == sorted(
        [
            # 企业投资积极性 ≥ 180 %: a rate cannot exceed 100 %.
            ("BP508", "216", "招商引资专项资金", "F14"),
            # 资金及时拨付率 ＝ 400 %.
            ("BP508", "404", "残疾人就业和社会保障服务", "F17"),
            # Marked 定性 but has unit % and value 80: a quantitative row with the wrong 指标性质.
            ("BP505", "404", "其他残疾人事业支出", "F15"),
            # 资金及时拨付率 listed twice in one table (＝400 and ≥100).
            ("BP801", "404", "残疾人就业和社会保障服务", "C28"),
            # The goal promises 支持协会开展活动20场次, the indicator 开展协会活动次数 is ＝ 0:
            # the table contradicts itself and one of the two must change.
            ("BP817", "404", "其他残疾人事业支出", "F22"),
            # 扶持就业人数 in %: a headcount cannot be a percentage.
            ("BP511", "404", "残疾人就业和社会保障服务", "D20"),
        ]
    )


def test_disabling_and_reseverity_apply_to_every_finding(sample_result: Consolidation) -> None:
    from bptools import consolidate

    from .conftest import SAMPLE_FILES

    config = Config(disabled=("BP4", "BP508"), severities={"BP801": Severity.WARNING})
    result = consolidate(SAMPLE_FILES, config=config)
    assert not [f for f in result.findings if f.rule_id.startswith(("BP4", "BP508"))]
    assert {f.severity for f in result.findings if f.rule_id == "BP801"} == {Severity.WARNING}
    assert len(result.findings) < len(sample_result.findings)


def test_findings_on_an_indicator_name_it(sample_result: Consolidation) -> None:
    """Every finding on an indicator's row says which indicator (the 指标 column)."""
    rows = {
        (i["file"], i["sheet"], str(i["row"])): i["name"]
        for i in sample_result.batch.indicators.to_dict("records")
    }
    on_rows = [
        f
        for f in sample_result.findings
        if (f.file, f.sheet, f.cell.lstrip("ABCDEFGH")) in rows and f.cell[:1] in "ABCDEFGH"
    ]
    assert len(on_rows) > 50
    for f in on_rows:
        name = rows[(f.file, f.sheet, f.cell.lstrip("ABCDEFGH"))]
        # one finding on several rows (its related cells) names them all
        assert f.indicator == name or (f.related and f.indicator.startswith(name + "、")), f


def test_one_problem_one_row(sample_result: Consolidation) -> None:
    """No indicator carries two findings one of which the other's rule folds (such pairs
    give opposite advice, or say the same thing twice)."""
    by_row: dict[tuple[str, str, str], set[str]] = {}
    for f in sample_result.findings:
        if f.indicator:
            key = (f.file, f.sheet, f.cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
            by_row.setdefault(key, set()).add(f.rule_id)
    for place, rule_ids in by_row.items():
        for rule_id in rule_ids:
            assert not set(RULES[rule_id].folds) & rule_ids, (place, rule_ids)


def test_cosmetic_rules_are_hints() -> None:
    """Wording and style are 提示 (a sign in the value, ≥ 100 % for ＝ 100, a unit written as
    a noun, ＝ for ≥ in a satisfaction target, bracket widths in 立项依据)."""
    for rule_id in ("BP503", "BP509", "BP510", "BP604", "BP108"):
        assert RULES[rule_id].severity is Severity.INFO, rule_id
