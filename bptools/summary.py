"""The figures of a consolidation, built once as data: the consolidated workbook's sheets and
the HTML page both render them, so the two always show the same numbers."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from .ledger_view import MISSING, Ledger
from .listing import Listing, anomaly_list
from .merge import count_by_project, department_summary
from .normalize import as_text
from .pipeline import Consolidation
from .readings import money_total
from .rules import Finding, Severity
from .rules.base import records
from .schema import TAXONOMY

NO_UNIT = "（无法识别单位的文件）"
OTHER_LEVEL1 = "（其他）"
BLANK_LEVEL1 = "（空白）"


@dataclass(frozen=True)
class Figure:
    key: str  # a stable name (ids in the HTML page, tests)
    label: str
    value: float | int
    money: bool = False


@dataclass(frozen=True)
class DepartmentRow:
    unit: str
    projects: int
    indicators: int
    budget: float
    retained: float
    subsidy: float
    counts: dict[str, int]  # anomalies by severity name
    orphan: bool = False  # the row of files no department can be named for

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class ProjectRow:
    unit: str
    unit_code: str
    unit_name: str
    name: str
    supervisor: str
    budget: float
    retained: float
    subsidy: float
    exec_weight: float
    indicators: int
    weights: float  # the indicators' weights added up (NaN without indicators)
    counts: dict[str, int]
    overview: str
    basis: str
    goals: str
    file: str
    sheet: str


@dataclass(frozen=True)
class FileRow:
    name: str
    status: str
    ok: bool
    projects: int
    superseded: int
    blank_sheets: int
    note: str


@dataclass(frozen=True)
class Level1Row:
    name: str
    count: int
    weight: float
    note: str  # for （其他）: what was typed instead


@dataclass(frozen=True)
class WaitingRow:
    """A department the clerk is waiting for: nothing sent yet, or its files still have 错误."""

    unit: str
    status: str
    rounds: int | None
    last: str
    errors: int | None


@dataclass(frozen=True)
class Summary:
    title: str
    files: list[Figure]  # what was read and skipped
    departments: list[DepartmentRow]  # by unit code; the orphan row, if any, last
    projects: list[ProjectRow]
    file_rows: list[FileRow]
    level1: list[Level1Row]
    listing: Listing
    counts: dict[str, int]  # anomalies by severity name
    by_unit: dict[str, list[Finding]]  # each department's findings, in the run's order
    project_rows: dict[str, list[int]]  # each department's projects, by index
    ledger: Ledger | None = None  # the output folder's submission ledger, when kept
    submissions: list[Figure] = field(default_factory=list)  # who has sent what (ledger)
    waiting: list[WaitingRow] = field(default_factory=list)  # missing, or still with 错误

    @property
    def named_departments(self) -> list[DepartmentRow]:
        return [d for d in self.departments if not d.orphan]

    def projects_of(self, unit: str) -> list[ProjectRow]:
        return [self.projects[n] for n in self.project_rows.get(unit, [])]

    @property
    def findings(self) -> int:
        return sum(self.counts.values())

    def totals(self) -> dict[str, float]:
        """The amounts of the whole batch, as its cells show them."""
        return {
            key: money_total([getattr(p, key) for p in self.projects])
            for key in ("budget", "retained", "subsidy")
        }


def summarize(result: Consolidation) -> Summary:
    counts = result.counts()
    files = result.files
    projects = _projects(result)
    project_rows: dict[str, list[int]] = defaultdict(list)
    for n, project in enumerate(projects):
        project_rows[project.unit].append(n)
    return Summary(
        title=f"{result.year or ''} 年区级重点专项绩效目标汇总".strip(),
        files=[
            Figure("files", "读取的文件", len(files)),
            Figure("unusable", "无法使用的文件", sum(not s.ok for s in files)),
            Figure("lock-files", "跳过的临时/锁定文件", len(result.inputs.lock_files)),
            Figure("not-workbooks", "跳过的非工作簿文件", len(result.inputs.not_workbooks)),
        ],
        departments=_departments(result),
        projects=projects,
        file_rows=_file_rows(result),
        level1=_level1(result),
        listing=anomaly_list(result.findings, len(result.batch.projects)),
        counts=counts,
        by_unit=_by_unit(result.findings),
        project_rows=dict(project_rows),
        ledger=result.ledger,
        submissions=_submissions(result.ledger),
        waiting=_waiting(result.ledger),
    )


def _submissions(ledger: Ledger | None) -> list[Figure]:
    if ledger is None:
        return []
    sent = sum(1 for s in ledger.standings if s.files)
    figures = [Figure("roster", "名单中的部门", len(ledger.roster))] if ledger.roster else []
    figures.append(Figure("submitted", "已报送的部门", sent))
    if ledger.roster:
        figures.append(Figure("missing", "未报送的部门", len(ledger.missing)))
    figures.append(Figure("with-errors", "仍有错误的部门", len(ledger.with_errors)))
    figures.append(Figure("received", "收到的文件（累计）", len(ledger.entries)))
    return figures


def _waiting(ledger: Ledger | None) -> list[WaitingRow]:
    """The roster's departments that sent nothing, then those whose files still have 错误."""
    if ledger is None:
        return []
    rows = [WaitingRow(m.label, MISSING, None, "", None) for m in ledger.missing]
    rows += [
        WaitingRow(s.unit, s.status, s.rounds, s.last, s.counts[Severity.ERROR.value])
        for s in ledger.with_errors
    ]
    return rows


def _by_unit(findings: list[Finding]) -> dict[str, list[Finding]]:
    grouped: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        if finding.unit:
            grouped[finding.unit].append(finding)
    return dict(grouped)


def _departments(result: Consolidation) -> list[DepartmentRow]:
    rows = [
        DepartmentRow(
            unit=r["unit_label"],
            projects=int(r["projects"]),
            indicators=int(r["indicators"]),
            budget=float(r["budget"]),
            retained=float(r["retained"]),
            subsidy=float(r["subsidy"]),
            counts={s.value: int(r[s.value]) for s in Severity},
        )
        for r in records(department_summary(result.batch, result.findings))
    ]
    # Findings no department can be named for (unreadable files): a row of their own, so
    # the anomaly totals add up.
    orphans = Counter(f.severity.value for f in result.findings if not f.unit)
    if orphans:
        counts = {s.value: orphans.get(s.value, 0) for s in Severity}
        rows.append(DepartmentRow(NO_UNIT, 0, 0, 0.0, 0.0, 0.0, counts, orphan=True))
    return rows


def _projects(result: Consolidation) -> list[ProjectRow]:
    batch = result.batch
    weights = batch.indicators.groupby("project_id")["weight"].sum()
    found = count_by_project(result.findings).to_dict("index")  # (file, sheet) → counts
    rows = []
    for p in records(batch.projects):
        counted = found.get((p["file"], p["sheet"]), {})
        counts = {s.value: int(counted.get(s.value, 0)) for s in Severity}
        rows.append(
            ProjectRow(
                unit=p["unit_label"],
                unit_code=as_text(p["unit_code"]),
                unit_name=as_text(p["unit_name"]) or as_text(p["unit_label"]),
                name=as_text(p["name"]) or as_text(p["project"]),
                supervisor=as_text(p["supervisor"]),
                budget=p["budget"],
                retained=p["retained"],
                subsidy=p["subsidy"],
                exec_weight=p["exec_weight"],
                indicators=int(p["n_indicators"]),
                weights=float(weights.get(p["project_id"], math.nan)),
                counts=counts,
                overview=as_text(p["overview"]),
                basis=as_text(p["basis"]),
                goals=as_text(p["goals"]),
                file=p["file"],
                sheet=p["sheet"],
            )
        )
    return rows


def _file_rows(result: Consolidation) -> list[FileRow]:
    rows = [
        FileRow(
            s.label,
            "无法使用" if s.error else "已读取",
            s.ok,
            s.projects,
            s.superseded,
            s.blank_sheets,
            s.error.message if s.error else "",
        )
        for s in result.files
    ]
    rows += [
        FileRow(p.name, "跳过：临时文件", True, 0, 0, 0, "打开、保存或复制文件时产生的临时文件")
        for p in result.inputs.lock_files
    ]
    rows += [
        FileRow(p.name, "跳过：非工作簿", True, 0, 0, 0, "不是 Excel 工作簿，未读取")
        for p in result.inputs.not_workbooks
    ]
    rows += [
        FileRow(item, "没有找到", False, 0, 0, 0, "命令中给出的文件没有找到")
        for item in result.inputs.unmatched
    ]
    return rows


def _level1(result: Consolidation) -> list[Level1Row]:
    """Indicators by 一级指标: every level of the taxonomy, then （其他） for whatever else
    was typed (listed in its note)."""
    indicators = result.batch.indicators
    names = [as_text(v).strip() for v in indicators["level1"]]
    weights: Counter[str] = Counter()
    counted: Counter[str] = Counter()
    for name, weight in zip(names, indicators["weight"], strict=True):
        level = name if name in TAXONOMY else OTHER_LEVEL1
        counted[level] += 1
        weights[level] += _number(weight)
    others = sorted({n or BLANK_LEVEL1 for n in names if n not in TAXONOMY})
    return [
        Level1Row(
            name,
            counted[name],
            round(weights[name], 2),
            "、".join(others) if name == OTHER_LEVEL1 else "",
        )
        for name in [*TAXONOMY, *([OTHER_LEVEL1] if others else [])]
    ]


def _number(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) and math.isfinite(value) else 0.0
