"""Read each file and check it on its own: the part of a run that files do apart.

A chunk of files is read, and the rules that do not compare files (not `cross_file`, see
`bptools.rules.base.Rule`) check its rows alone; `check_chunk` is what a worker process
runs (a top-level function of plain, picklable arguments, as Windows' spawn start needs).
The pipeline then merges the chunks and runs the rules across files on the whole batch.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import WorkbookError, os_reason
from .merge import build_batch
from .package import MAX_FILE_BYTES
from .reader import read_workbook
from .records import Row, project_rows
from .rules import RULES, Batch, Finding, Rule, run_rules
from .rules.files import WORKBOOK_ERRORS, file_failed, file_unreadable
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
    digest: str = ""  # sha256 of the content read ("" when it could not be read)

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class FileRows:
    """A file's rows and what reading it found."""

    projects: list[Row] = field(default_factory=list)
    indicators: list[Row] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


# A file's findings by each local rule, in rule order (see `check_rows`).
Checks = dict[str, list[Finding]]


@dataclass
class FileResult:
    """One file read and checked on its own."""

    status: FileStatus
    rows: FileRows | None  # None when it could not be used (`status.error` says why)
    checks: Checks = field(default_factory=dict)
    year: int | None = None  # the budget year `checks` were found under
    cacheable: bool = False  # the outcome depends on the content only, read unchanged


@dataclass(frozen=True)
class Task:
    """A file to read: its place among the inputs (projects are numbered by it) and label."""

    index: int
    path: Path
    label: str


@dataclass(frozen=True)
class Settings:
    """What checking a file on its own depends on, besides its content and label."""

    rule_ids: tuple[str, ...]  # the local rules to run, in order
    params: Mapping[str, Mapping[str, Any]]
    year: int | None = None  # the budget year if set; else each chunk's own


def local_rules(rules: Sequence[Rule]) -> tuple[str, ...]:
    """The ids of the rules (of those given) that check files one by one."""
    return tuple(r.id for r in rules if r.check is not None and not r.cross_file)


def check_chunk(
    tasks: Sequence[Task], settings: Settings, progress: Callable[[Path], None] | None = None
) -> list[FileResult]:
    """Read the files of a chunk and check each on its own. Until the whole batch's year is
    known, the year the chunk's titles mostly carry stands in for it."""
    rules = [RULES[rule_id] for rule_id in settings.rule_ids]
    results = []
    for task in tasks:
        if progress:
            progress(task.path)
        status = FileStatus(task.path, task.label)
        rows, cacheable = read_file(status, task.index)
        results.append(FileResult(status, rows, cacheable=cacheable))
    rows = {r.status.label: r.rows for r in results if r.rows is not None}
    if not rows:
        return results
    batch = rows_batch(rows)
    year = batch_year(batch, settings.year)
    checks = check_rows(batch, list(rows), rules, year, settings.params)
    for result in results:
        if result.rows is not None:
            result.checks, result.year = checks[result.status.label], year
    return results


def rows_batch(files: Mapping[str, FileRows]) -> Batch:
    """The batch of the given files' rows, in order."""
    projects = [row for rows in files.values() for row in rows.projects]
    indicators = [row for rows in files.values() for row in rows.indicators]
    return build_batch(projects, indicators)


def check_rows(
    batch: Batch,
    labels: Sequence[str],
    rules: Sequence[Rule],
    year: int | None,
    params: Mapping[str, Mapping[str, Any]],
) -> dict[str, Checks]:
    """The findings of each local rule on the batch of the files `labels`, file by file.

    Each rule runs once over all of them (pandas costs per call, not per row); a local
    rule's findings are each about one file of its batch (tests/test_local.py).
    """
    batch.year, batch.params = year, params
    checks: dict[str, Checks] = {label: {} for label in labels}
    for each in rules:
        for finding in run_rules(batch, [each]):
            checks[finding.file].setdefault(each.id, []).append(finding)
    return checks


def batch_year(batch: Batch, year: int | None) -> int | None:
    """`year`, or else the year most of the batch's titles carry."""
    if year is not None:
        return year
    years = batch.projects["year"].dropna()
    return int(years.mode().iloc[0]) if not years.empty else None


def read_file(status: FileStatus, index: int) -> tuple[FileRows | None, bool]:
    """One file's rows and reader findings, or None with `status.error` set; and whether
    the outcome can be kept for the same content (the file did not change while read, and
    nothing outside it, like a lock or a defect of ours, stopped the reading).

    Whatever goes wrong while reading one file (an unforeseen error included) becomes that
    file's finding: the run goes on with the others.
    """
    try:
        before = status.path.stat()
        status.mtime = before.st_mtime
        status.digest = content_digest(status.path, before.st_size)
        rows = _read_rows(status, index)
    except WorkbookError as exc:
        rule = WORKBOOK_ERRORS[type(exc)]
        status.error = rule.finding(file=status.label, value=str(exc), unit=_named_unit(status))
        return None, _unchanged(status.path, before)
    except OSError as exc:  # gone, locked or unreadable on the share since it was listed
        value = f"读取时出错（{os_reason(exc)}）"
        unit = _named_unit(status)
        status.error = file_unreadable.finding(file=status.label, value=value, unit=unit)
        return None, False
    except Exception as exc:  # a defect of ours: the file still gets its finding
        unit = _named_unit(status)
        status.error = file_failed.finding(file=status.label, value=_reason(exc), unit=unit)
        return None, False
    return rows, _unchanged(status.path, before)


def _read_rows(status: FileStatus, index: int) -> FileRows:
    book = read_workbook(status.path)
    read = FileRows()
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
    status.blank_sheets = len(book.blank_sheets)
    status.projects = len(read.projects)
    return read


def content_digest(path: Path, size: int) -> str:
    """The sha256 of a file's bytes; "" for one too large to be read at all."""
    if size > MAX_FILE_BYTES:
        return ""
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def _unchanged(path: Path, before: os.stat_result) -> bool:
    """The file is still as it was when its reading began (its digest says what was read)."""
    try:
        after = path.stat()
    except OSError:
        return False
    return (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)


# A file named as the template names it: “106-中国共产党重庆市北碚区委员会宣传部.xlsx”.
_UNIT_NAME = re.compile(r"^\d{3,6}-[\u4e00-\u9fff（）()]{2,40}$")


def _named_unit(status: FileStatus) -> str:
    """The department a file that cannot be read is from, when its name says so."""
    stem = status.path.stem
    return stem if _UNIT_NAME.match(stem) else ""


def _reason(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:300]


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
