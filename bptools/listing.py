"""The anomaly list the clerk reads: a rule that fires on most tables of the batch (no 成本指标
on 23 of 29) is one row for the whole batch, with the count and the projects; every other
finding is its own row. Department sheets, feedback copies and `bptools check` keep the
per-table rows: there each table is the department's to fix."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from .rules import Finding

# A rule fires "on most tables" when it does on at least this share of the batch's tables,
# and on at least BATCH_MIN of them.
BATCH_SHARE = 0.5
BATCH_MIN = 5
BATCH_PLACE = "（本批次）"


@dataclass(frozen=True)
class Listing:
    rows: list[Finding]  # the anomaly list, batch rows first within their severity
    common: list[Finding]  # the batch rows alone, for 总览
    represented: int  # findings the batch rows stand for


def anomaly_list(findings: Sequence[Finding], tables: int) -> Listing:
    """The rows of 异常清单 for `findings` of a batch of `tables` project tables."""
    by_rule: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        if finding.sheet:
            by_rule[finding.rule_id].append(finding)
    common: dict[str, Finding] = {}
    for rule_id, found in by_rule.items():
        places = {(f.file, f.sheet) for f in found}
        if len(places) >= max(BATCH_MIN, BATCH_SHARE * tables):
            common[rule_id] = _batch_row(found, len(places), tables)
    rows: list[Finding] = []
    for finding in findings:
        if finding.rule_id not in common:
            rows.append(finding)
        elif finding is by_rule[finding.rule_id][0]:
            rows.append(common[finding.rule_id])
    represented = sum(len(by_rule[rule_id]) for rule_id in common)
    return Listing(rows, list(common.values()), represented)


def _batch_row(found: list[Finding], count: int, tables: int) -> Finding:
    first = found[0]
    rule = first.rule
    projects = list(dict.fromkeys(f"{f.project}（{f.unit.split('-')[0]}）" for f in found))
    message = (
        f"本批次 {count} 个项目（共 {tables} 个）{rule.title}，各表明细见各部门工作表和反馈副本："
        + "、".join(projects)
    )
    return Finding(
        first.rule_id,
        first.severity,
        message,
        file=BATCH_PLACE,
        project=f"{count} 个项目",
        value=f"{count} 个项目",
        hint=rule.hint,
        params={"count": count, "tables": tables, "projects": "、".join(projects)},
    )
