"""The rule registry: every review rule, declared once.

The checks, `bptools rules`, the template's 填表说明 and the report's 规则说明 all read
`RULES`; a rule module registers its rules with `rule()` or `declare()` when imported.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import Any

from .base import Batch, Check, Finding, Rule, Severity

RULES: dict[str, Rule] = {}


def declare(
    id: str,
    name: str,
    severity: Severity,
    *,
    title: str,
    message: str,
    hint: str,
    description: str,
    check: Check | None = None,
    params: Mapping[str, Any] | None = None,
    advice: str = "",
    folds: tuple[str, ...] = (),
    folded_note: str = "",
    per_table: bool = False,
    bureau: bool = False,
    cross_file: bool = False,
) -> Rule:
    """Register a rule; ids are a public contract, so a duplicate is a programming error."""
    if id in RULES:
        raise ValueError(f"duplicate rule id {id}")
    new = Rule(
        id,
        name,
        severity,
        title,
        message,
        hint,
        description,
        check,
        dict(params or {}),
        advice,
        folds,
        folded_note,
        per_table,
        bureau,
        cross_file,
    )
    RULES[id] = new
    return new


def rule(id: str, name: str, severity: Severity, **fields: Any) -> Callable[[Check], Rule]:
    """Register the decorated function as the check of a new rule (fields as `declare`)."""

    def register(check: Check) -> Rule:
        return declare(id, name, severity, check=check, **fields)

    return register


def run_rules(batch: Batch, rules: Iterable[Rule] | None = None) -> list[Finding]:
    """Run every rule that has a check over the batch.

    A check that fails is run again file by file: the files it still fails on get a
    finding saying so (BP009), the others their findings, and the run goes on.
    """
    findings: list[Finding] = []
    for each in RULES.values() if rules is None else rules:
        if each.check is None:
            continue
        try:
            findings += list(each.check(batch))
        except Exception:
            findings += _file_by_file(each, batch)
    return findings


def fold(findings: Iterable[Finding]) -> list[Finding]:
    """One problem, one row: a finding whose rule folds others (see `Rule.folds`) replaces
    their findings on the same indicator (file, sheet and row), and takes up the
    `folded_note` of each rule it replaced (filled in from the finding it replaced)."""
    found = list(findings)
    by_place: dict[tuple[str, str, str, str], list[int]] = {}
    for i, finding in enumerate(found):
        if finding.indicator:
            by_place.setdefault((finding.rule_id, *_indicator_place(finding)), []).append(i)
    replaced: set[int] = set()
    notes: dict[int, list[str]] = {}
    for i, finding in enumerate(found):
        for other in RULES[finding.rule_id].folds:
            gone = by_place.get((other, *_indicator_place(finding)), [])
            replaced.update(gone)
            if gone and RULES[other].folded_note:
                first = found[gone[0]]
                note = RULES[other].folded_note.format_map({"value": first.value, **first.params})
                notes.setdefault(i, []).append(note)
    return [_noted(f, notes.get(i, [])) for i, f in enumerate(found) if i not in replaced]


def _noted(finding: Finding, notes: list[str]) -> Finding:
    """The message with the notes after it; an indicator (or 指标值) the message already
    quotes is “该指标” (“该指标值”) in a note, not its long name twice."""
    message = finding.message
    for note in notes:
        named = _QUOTED.match(note)
        if named and named[0] in message:
            note = "该" + (named["label"] or "指标") + note[named.end() :]
        if note not in message:
            message = f"{message}；{note}"
    return finding if message == finding.message else replace(finding, message=message)


_QUOTED = re.compile(r"(?P<label>指标值)?“[^“”]+”")


def _indicator_place(finding: Finding) -> tuple[str, str, str]:
    return finding.file, finding.sheet, finding.cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _file_by_file(rule_: Rule, batch: Batch) -> list[Finding]:
    assert rule_.check is not None
    findings: list[Finding] = []
    for file, projects in batch.projects.groupby("file", sort=False):
        indicators = batch.indicators[batch.indicators["file"] == file]
        part = Batch(projects, indicators, batch.year, batch.params)
        try:
            findings += list(rule_.check(part))
        except Exception as exc:
            reason = f"{type(exc).__name__}: {exc}"[:200]
            findings.append(check_failed.finding(file=str(file), value=reason, rule=rule_.id))
    return findings


# Imported for their registrations; the catalogue is then put in id order.
from . import files, sheets, structure, amounts, weights, taxonomy, misfiled  # noqa: E402, F401, I001
from . import values, qualitative, satisfaction, core, wording  # noqa: E402, F401
from . import narrative, goals, across  # noqa: E402, F401
from .files import check_failed  # noqa: E402

_in_order = sorted(RULES.items())
RULES.clear()
RULES.update(_in_order)

__all__ = ["RULES", "Batch", "Finding", "Rule", "Severity", "declare", "fold", "rule", "run_rules"]
