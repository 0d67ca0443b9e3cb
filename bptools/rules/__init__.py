"""The rule registry: every review rule, declared once.

The checks, `bptools rules`, the template's 填表说明 and the report's rule list all read
`RULES`; a rule module registers its rules with `rule()` or `declare()` when imported.
"""

from __future__ import annotations

from collections.abc import Callable

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
) -> Rule:
    if id in RULES:
        raise ValueError(f"duplicate rule id {id}")
    new = Rule(id, name, severity, title, message, hint, description, check)
    RULES[id] = new
    return new


def rule(
    id: str,
    name: str,
    severity: Severity,
    *,
    title: str,
    message: str,
    hint: str,
    description: str,
) -> Callable[[Check], Rule]:
    """Register the decorated function as the check of a new rule."""

    def register(check: Check) -> Rule:
        return declare(
            id,
            name,
            severity,
            title=title,
            message=message,
            hint=hint,
            description=description,
            check=check,
        )

    return register


def run_rules(batch: Batch, rules: list[Rule] | None = None) -> list[Finding]:
    """Run every rule that has a check over the batch."""
    findings: list[Finding] = []
    for each in rules if rules is not None else list(RULES.values()):
        if each.check is not None:
            findings.extend(each.check(batch))
    return findings


# Imported for their registrations, in catalogue order.
from . import files, structure, amounts, weights, taxonomy  # noqa: E402, F401, I001

__all__ = ["RULES", "Batch", "Finding", "Rule", "Severity", "declare", "rule", "run_rules"]
