"""The rule registry: every review rule, declared once.

The checks, `bptools rules`, the template's 填表说明 and the report's 规则说明 all read
`RULES`; a rule module registers its rules with `rule()` or `declare()` when imported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
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
    their findings on the same indicator (file, sheet and row)."""
    found = list(findings)
    folded: set[tuple[str, str, str, str]] = set()
    for finding in found:
        for other in RULES[finding.rule_id].folds:
            folded.add((other, *_indicator_place(finding)))
    return [f for f in found if not (f.indicator and (f.rule_id, *_indicator_place(f)) in folded)]


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
from . import files, sheets, structure, amounts, weights, taxonomy  # noqa: E402, F401, I001
from . import values, satisfaction, core, wording, narrative, goals, across  # noqa: E402, F401
from .files import check_failed  # noqa: E402

_in_order = sorted(RULES.items())
RULES.clear()
RULES.update(_in_order)

__all__ = ["RULES", "Batch", "Finding", "Rule", "Severity", "declare", "fold", "rule", "run_rules"]
