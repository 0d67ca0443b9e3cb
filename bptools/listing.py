"""The anomaly list the clerk reads: a rule that fires on most tables of the batch (no 成本指标
on 23 of 29) is one row for the whole batch, with the count and the projects; a rule that
opts in (`Rule.per_table`) says the same thing of several indicators of one table once
(计量单位“人数” on three rows); every other finding is its own row. Department sheets,
feedback copies and `bptools check` keep the per-indicator rows: there each cell is the
department's to fix."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace

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
    merged: int = 0  # findings said once for several indicators of a table
    merged_rows: int = 0  # the rows that say them

    def summary(self, total: int) -> str:
        """How the list's rows stand for the `total` findings, for its heading."""
        parts = []
        if self.common:
            parts.append(f"普遍问题 {self.represented} 条合并为 {len(self.common)} 行")
        if self.merged:
            parts.append(f"同一表中相同的问题 {self.merged} 条合并为 {self.merged_rows} 行")
        return f"{total} 条，" + "，".join(parts) if parts else f"{total} 条"


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
    rows, merged, merged_rows = _per_table(rows)
    return Listing(rows, list(common.values()), represented, merged, merged_rows)


def _per_table(rows: list[Finding]) -> tuple[list[Finding], int, int]:
    """The rows with each `per_table` rule's identical findings in one table made one, and
    how many findings went into how many such rows."""
    groups: dict[tuple[str, str, str, str], list[Finding]] = defaultdict(list)
    for finding in rows:
        if finding.indicator and finding.rule.per_table:
            groups[(finding.rule_id, finding.file, finding.sheet, finding.message)].append(finding)
    merged = {id(g[0]): _table_row(g) for g in groups.values() if len(g) > 1}
    dropped = {id(f) for g in groups.values() if len(g) > 1 for f in g[1:]}
    kept = [merged.get(id(f), f) for f in rows if id(f) not in dropped]
    return kept, len(dropped) + len(merged), len(merged)


def _table_row(found: list[Finding]) -> Finding:
    names = "、".join(dict.fromkeys(f.indicator for f in found))
    return replace(
        found[0],
        message=f"{found[0].message}（本表 {len(found)} 个指标：{names}）",
        indicator=names,
        related="、".join(f.cell for f in found[1:]),
    )


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
