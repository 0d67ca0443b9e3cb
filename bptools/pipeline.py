"""The one entry point: read every workbook, normalize, check, merge.

Files are read and checked one by one (`bptools.intake`), in worker processes when there
are many (`bptools.parallel`) and from the cache when they have not changed
(`bptools.cache`); then the rules across files run on the whole batch. However a file's
part was done, the result is the same.
"""

from __future__ import annotations

import functools
import hashlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from .cache import Cache, fingerprint
from .config import Config
from .inputs import Inputs, collect_inputs
from .intake import (
    Checks,
    FileResult,
    FileRows,
    FileStatus,
    Settings,
    Task,
    batch_year,
    check_chunk,
    check_rows,
    local_rules,
    rows_batch,
)
from .ledger_view import Ledger
from .package import not_read
from .parallel import chunked, default_jobs, run_chunks
from .rules import RULES, Batch, Finding, Rule, Severity, fold, run_rules
from .rules.across import project_key, project_superseded
from .rules.base import records
from .rules.files import not_found, not_workbook

__all__ = ["Consolidation", "FileStatus", "consolidate"]


@dataclass
class Consolidation:
    """The merged result of a run: data, findings, and what happened to each file."""

    year: int | None
    inputs: Inputs
    files: list[FileStatus]
    batch: Batch
    findings: list[Finding] = field(default_factory=list)
    # The submission ledger of the output folder, once the run is recorded in it
    # (`bptools.ledger.record`); the outputs then show it.
    ledger: Ledger | None = None

    @functools.cached_property
    def findings_digest(self) -> bytes:
        """The sha256 of every field of every finding, as the outputs' stamps cover them
        (the findings are final once `consolidate` returns them). A finding's repr shows
        every field: dataclasses.asdict would cost ten times more."""
        described = "\n".join(map(repr, self.findings))
        return hashlib.sha256(described.encode("utf-8", "surrogatepass")).digest()

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

    def exit_note(self, fail_on: Severity | None = Severity.ERROR) -> str:
        """Why `exit_code` is 1, in a line for the terminal ("" when it is 0)."""
        if fail_on is None or not self.exit_code(fail_on):
            return ""
        counts = self.counts()
        found = "、".join(
            f"“{s.value}” {counts[s.value]} 条"
            for s in Severity
            if s.rank <= fail_on.rank and counts[s.value]
        )
        return (
            f"退出码为 1：有达到“{fail_on.value}”级别的异常（{found}）；"
            "不希望因此返回 1 时可加 --fail-on never。"
        )

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
    jobs: int | None = None,
    cache: Path | None = None,
) -> Consolidation:
    """Read, check and merge every workbook named by `items` (files, folders, globs, or
    inputs already collected by `collect_inputs`).

    A file that cannot be read becomes a finding; the run goes on with the others.
    `year` (or the config's) is the budget year; by default the year most titles carry.
    `progress` is called once per file, as it is read (or found in the cache).
    `jobs`: processes reading and checking files (default: one per CPU, one for a few
    files); workers are started by spawn, so a script calling this needs the
    `if __name__ == "__main__":` guard that multiprocessing asks for. `cache`: the database
    of what unchanged files gave (see `bptools.cache`).
    """
    config = config or Config()
    if isinstance(items, Inputs):
        inputs = items
    else:
        inputs = collect_inputs(items, exclude=exclude, recursive=recursive)
    labels = _labels([*inputs.files, *inputs.not_workbooks])
    rules = config.rules()
    settings = Settings(local_rules(rules), config.params, year or config.year)
    tasks = [Task(n, path, labels[path]) for n, path in enumerate(inputs.files)]
    store = None
    if cache is not None:
        store = Cache.open(cache, fingerprint(config, [RULES[i] for i in settings.rule_ids]))
    results, fresh = _results(tasks, settings, store, jobs, progress)
    statuses = [r.status for r in results]
    files = {r.status.label: r.rows for r in results if r.rows is not None}
    batch = rows_batch(files)
    issues = [finding for rows in files.values() for finding in rows.findings]
    if config.keep == "latest":
        issues.extend(_supersede(batch, statuses))
    batch.year = batch_year(batch, settings.year)
    batch.params = config.params
    fresh |= _recheck(results, batch.year, settings)
    if store is not None:
        store.save(results, [results[n] for n in sorted(fresh)])
    checks = _file_checks(results, batch, settings)
    findings = [s.error for s in statuses if s.error] + issues
    findings += [
        not_workbook.finding(file=labels[p], value=p.name, why=not_read(p))
        for p in inputs.not_workbooks
    ]
    findings += [not_found.finding(file=item, value=item) for item in inputs.unmatched]
    findings += _rule_findings(batch, rules, checks)
    findings = fold(config.apply(findings))
    findings.sort(key=lambda f: (f.severity.rank, f.unit, f.file, f.sheet, _cell_order(f.cell)))
    return Consolidation(batch.year, inputs, statuses, batch, findings)


def _results(
    tasks: list[Task],
    settings: Settings,
    store: Cache | None,
    jobs: int | None,
    progress: Progress | None,
) -> tuple[list[FileResult], set[int]]:
    """Each file's result, in input order, and the indexes of those read in this run."""
    found = store.load(tasks, settings.rule_ids) if store is not None else {}
    for task in tasks:
        if progress and task.index in found:
            progress(task.path)
    unread = [task for task in tasks if task.index not in found]
    jobs = default_jobs(len(unread)) if jobs is None else max(1, jobs)
    chunks = chunked(unread, jobs)
    work = partial(check_chunk, settings=settings)
    here = partial(check_chunk, settings=settings, progress=progress)
    for n, chunk_results, done_here in run_chunks(work, chunks, jobs, here):
        for task, result in zip(chunks[n], chunk_results, strict=True):
            found[task.index] = result
            if progress and not done_here:
                progress(task.path)
    return [found[task.index] for task in tasks], {task.index for task in unread}


def _recheck(results: list[FileResult], year: int | None, settings: Settings) -> set[int]:
    """Check again the files checked under another year than the batch's (their chunk's,
    or an earlier run's); the indexes of those checked."""
    stale = [n for n, r in enumerate(results) if r.rows is not None and r.year != year]
    if not stale:
        return set()
    files = {results[n].status.label: results[n].rows for n in stale}
    rules = [RULES[rule_id] for rule_id in settings.rule_ids]
    checks = check_rows(rows_batch(files), list(files), rules, year, settings.params)
    for n in stale:
        results[n].checks, results[n].year = checks[results[n].status.label], year
    return set(stale)


def _file_checks(results: list[FileResult], batch: Batch, settings: Settings) -> list[Checks]:
    """Each readable file's local findings, in input order: on the rows it has left, for a
    file that lost projects to a newer file's copies."""
    kept = set(batch.projects["project_id"])
    lost: dict[str, FileRows] = {}
    for result in results:
        if result.rows is not None and result.status.superseded:
            projects = [r for r in result.rows.projects if r["project_id"] in kept]
            indicators = [r for r in result.rows.indicators if r["project_id"] in kept]
            lost[result.status.label] = FileRows(projects, indicators)
    again: dict[str, Checks] = {}
    if lost:
        rules = [RULES[rule_id] for rule_id in settings.rule_ids]
        again = check_rows(rows_batch(lost), list(lost), rules, batch.year, batch.params)
    return [again.get(r.status.label, r.checks) for r in results if r.rows is not None]


def _rule_findings(batch: Batch, rules: Sequence[Rule], checks: list[Checks]) -> list[Finding]:
    """The findings of every rule, rule by rule as one run over the whole batch gives
    them; a local rule's file by file (each file's in the order that run gives them: the
    findings are then sorted by file). The rules across files run here, on the batch."""
    found: list[Finding] = []
    for each in rules:
        if each.check is None:
            continue
        if each.cross_file:
            found += run_rules(batch, [each])
        else:
            for file_checks in checks:
                found += file_checks.get(each.id, [])
    return found


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


def _labels(paths: list[Path]) -> dict[Path, str]:
    """File names, or the full path where two inputs share a name."""
    names = Counter(p.name for p in paths)
    return {p: p.name if names[p.name] == 1 else str(p) for p in paths}


def _cell_order(cell: str) -> tuple[int, str]:
    letters = cell.rstrip("0123456789")
    digits = cell[len(letters) :]
    return (int(digits) if digits else 0, letters)
