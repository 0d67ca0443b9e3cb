"""The one entry point: read every workbook, normalize, check, merge."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import Config
from .errors import WorkbookError, os_reason
from .inputs import Inputs, collect_inputs
from .merge import build_batch
from .package import not_read
from .reader import read_workbook
from .records import Row, project_rows
from .rules import Batch, Finding, Severity, fold, run_rules
from .rules.across import project_key, project_superseded
from .rules.base import records
from .rules.files import (
    WORKBOOK_ERRORS,
    file_failed,
    file_unreadable,
    not_found,
    not_workbook,
)
from .sheet import Issue


@dataclass
class FileStatus:
    """What happened to one input file."""

    path: Path
    label: str  # how the file is named in reports
    projects: int = 0
    blank_sheets: int = 0
    superseded: int = 0  # projects replaced by a newer file's copy
    error: Finding | None = None
    mtime: float = 0.0  # when the file was last modified, as it was read

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class Consolidation:
    """The merged result of a run: data, findings, and what happened to each file."""

    year: int | None
    inputs: Inputs
    files: list[FileStatus]
    batch: Batch
    findings: list[Finding] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Anomalies by severity, keyed by the Chinese name (错误/警告/提示)."""
        counted = Counter(f.severity.value for f in self.findings)
        return {s.value: counted.get(s.value, 0) for s in Severity}

    @property
    def valid(self) -> bool:
        """No 错误: what a budget system would let through."""
        return not any(f.severity is Severity.ERROR for f in self.findings)

    def exit_code(self, fail_on: Severity | None = Severity.ERROR) -> int:
        """1 when there is a finding at or above `fail_on` (None: never), else 0."""
        if fail_on is None:
            return 0
        return int(any(f.severity.rank <= fail_on.rank for f in self.findings))

    def to_dict(self) -> dict[str, Any]:
        """Files, findings and counts, as `bptools check --json` prints them."""
        return {
            "year": self.year,
            "valid": self.valid,
            "files": [
                {
                    "file": s.label,
                    "path": str(s.path),
                    "readable": s.ok,
                    "projects": s.projects,
                    "superseded": s.superseded,
                }
                for s in self.files
            ],
            "counts": self.counts(),
            "findings": [f.to_dict() for f in self.findings],
        }


Progress = Callable[[Path], None]


def consolidate(
    items: Sequence[str | Path] | Inputs,
    *,
    config: Config | None = None,
    year: int | None = None,
    exclude: Sequence[Path] = (),
    recursive: bool = True,
    progress: Progress | None = None,
) -> Consolidation:
    """Read, check and merge every workbook named by `items` (files, folders, globs, or
    inputs already collected by `collect_inputs`).

    A file that cannot be read becomes a finding; the run goes on with the others.
    `year` (or the config's) is the budget year; by default the year most titles carry.
    `progress` is called once per file, before it is read.
    """
    config = config or Config()
    if isinstance(items, Inputs):
        inputs = items
    else:
        inputs = collect_inputs(items, exclude=exclude, recursive=recursive)
    labels = _labels([*inputs.files, *inputs.not_workbooks])
    statuses: list[FileStatus] = []
    projects: list[Row] = []
    indicators: list[Row] = []
    issues: list[Finding] = []
    for index, path in enumerate(inputs.files):
        if progress:
            progress(path)
        status = FileStatus(path, labels[path])
        statuses.append(status)
        read = _read_file(status, index)
        if read is None:
            continue
        projects += read.projects
        indicators += read.indicators
        issues += read.findings
    batch = build_batch(projects, indicators)
    if config.keep == "latest":
        issues.extend(_supersede(batch, statuses))
    batch.year = _batch_year(batch, year or config.year)
    batch.params = config.params
    findings = [s.error for s in statuses if s.error] + issues
    findings += [
        not_workbook.finding(file=labels[p], value=p.name, why=not_read(p))
        for p in inputs.not_workbooks
    ]
    findings += [not_found.finding(file=item, value=item) for item in inputs.unmatched]
    findings += run_rules(batch, config.rules())
    findings = fold(config.apply(findings))
    findings.sort(key=lambda f: (f.severity.rank, f.unit, f.file, f.sheet, _cell_order(f.cell)))
    return Consolidation(batch.year, inputs, statuses, batch, findings)


@dataclass
class _FileRows:
    projects: list[Row] = field(default_factory=list)
    indicators: list[Row] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def _read_file(status: FileStatus, index: int) -> _FileRows | None:
    """One file's rows and reader findings, or None with `status.error` set.

    Whatever goes wrong while reading one file (an unforeseen error included) becomes that
    file's finding: the run goes on with the others.
    """
    try:
        status.mtime = status.path.stat().st_mtime
        book = read_workbook(status.path)
        read = _FileRows()
        sheet_projects: dict[str, Row] = {}
        notes: list[Issue] = []
        for table in book.tables:
            project_id = f"{index}/{table.sheet}"
            project, rows, found = project_rows(table, file=status.label, project_id=project_id)
            read.projects.append(project)
            read.indicators += rows
            notes += found
            sheet_projects[table.sheet] = project
        issues = [*book.issues, *notes]
        read.findings = [_issue_finding(i, status.label, sheet_projects) for i in issues]
    except WorkbookError as exc:
        rule = WORKBOOK_ERRORS[type(exc)]
        status.error = rule.finding(file=status.label, value=str(exc), unit=_named_unit(status))
        return None
    except OSError as exc:  # gone, locked or unreadable on the share since it was listed
        value = f"读取时出错（{os_reason(exc)}）"
        unit = _named_unit(status)
        status.error = file_unreadable.finding(file=status.label, value=value, unit=unit)
        return None
    except Exception as exc:  # a defect of ours: the file still gets its finding
        unit = _named_unit(status)
        status.error = file_failed.finding(file=status.label, value=_reason(exc), unit=unit)
        return None
    status.blank_sheets = len(book.blank_sheets)
    status.projects = len(read.projects)
    return read


# A file named as the template names it: “106-中国共产党重庆市北碚区委员会宣传部.xlsx”.
_UNIT_NAME = re.compile(r"^\d{3,6}-[\u4e00-\u9fff（）()]{2,40}$")


def _named_unit(status: FileStatus) -> str:
    """The department a file that cannot be read is from, when its name says so."""
    stem = status.path.stem
    return stem if _UNIT_NAME.match(stem) else ""


def _reason(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:300]


def _supersede(batch: Batch, statuses: list[FileStatus]) -> list[Finding]:
    """Keep only the newest file's copy of a project submitted in several files.

    Newest by modification time; between equal times the file read last wins. Copies inside
    one file are left alone: which one is meant cannot be told (rule BP901 reports them).
    """
    order = {s.label: (s.mtime, n) for n, s in enumerate(statuses) if s.ok}
    projects = batch.projects.assign(key=project_key(batch.projects))
    projects = projects[projects["project_key"] != ""]
    dropped: list[str] = []
    findings: list[Finding] = []
    for _, group in projects.groupby("key", sort=False):
        if group["file"].nunique() < 2:
            continue
        newest = max(group["file"], key=order.__getitem__)
        kept = group[group["file"] == newest].iloc[0]
        for record in records(group[group["file"] != newest]):
            dropped.append(record["project_id"])
            findings.append(
                project_superseded.at(
                    record,
                    "name",
                    value=record["project"],
                    newer=newest,
                    newer_sheet=kept["sheet"],
                )
            )
    for status in statuses:
        status.superseded = sum(1 for f in findings if f.file == status.label)
    batch.projects = batch.projects[~batch.projects["project_id"].isin(dropped)]
    batch.indicators = batch.indicators[~batch.indicators["project_id"].isin(dropped)]
    return findings


def _issue_finding(issue: Issue, file: str, projects: dict[str, Row]) -> Finding:
    project = projects.get(issue.sheet, {})
    return issue.rule.finding(
        file=file,
        sheet=issue.sheet,
        cell=issue.cell,
        unit=project.get("unit_label", ""),
        project=project.get("project", ""),
        value=issue.value,
        **issue.params,
    )


def _labels(paths: list[Path]) -> dict[Path, str]:
    """File names, or the full path where two inputs share a name."""
    names = Counter(p.name for p in paths)
    return {p: p.name if names[p.name] == 1 else str(p) for p in paths}


def _batch_year(batch: Batch, year: int | None) -> int | None:
    if year is not None:
        return year
    years = batch.projects["year"].dropna()
    return int(years.mode().iloc[0]) if not years.empty else None


def _cell_order(cell: str) -> tuple[int, str]:
    letters = cell.rstrip("0123456789")
    digits = cell[len(letters) :]
    return (int(digits) if digits else 0, letters)
