"""The fuzz runner's results, per family, and their report: a markdown table (one row per
family and a total) followed by the failing files.
"""

from __future__ import annotations

import datetime
import os
import platform
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import Case
from .check import EXIT_INTERNAL, Outcome
from .outputs import COPY_MARK, Problems

KB_PER_MB = 1024
COLUMNS = (
    "family",
    "files",
    "crashes",
    "exit 4",
    "over-time",
    "slowest s",
    "peak MB",
    "inputs modified",
    "bad files not named",
    "live formulas/links",
    "leaks",
    "merge exit",
    "merge s",
)


@dataclass
class Merge:
    exit_code: int | None  # None: killed at the merge timeout
    seconds: float
    peak_kb: int
    error: str = ""  # exception and last bptools frame, for a non-zero exit
    left_out: int = 0  # cases not merged (they crashed or hung when checked)
    culprits: dict[Path, str] = field(default_factory=dict)  # cases failing a merge alone
    retry_exit: int | None = None  # the merge again without the culprits


@dataclass
class FamilyRun:
    family: str
    cases: list[Case]
    outcomes: dict[Path, Outcome] = field(default_factory=dict)
    check_peak_kb: int = 0
    merge: Merge | None = None
    problems: Problems = field(default_factory=Problems)
    modified: list[Path] = field(default_factory=list)

    def outcome(self, case: Case) -> Outcome:
        return self.outcomes.get(case.path) or Outcome(None, error="never checked")


def broken(outcome: Outcome) -> bool:
    """The file crashed the checker, hit exit 4 or hung: merging it proves nothing more."""
    return outcome.crashed or outcome.exit_code in (None, EXIT_INTERNAL)


def hung(outcome: Outcome) -> bool:
    return outcome.exit_code is None and not outcome.crashed


def silent(outcome: Outcome) -> bool:
    """Read differently from its source, yet `check` named it in no finding."""
    return outcome.differs and not outcome.named and not broken(outcome)


@dataclass
class Row:
    files: int = 0
    crashes: int = 0
    exit4: int = 0
    slow: int = 0
    slowest: float = 0.0  # seconds, the slowest file check
    peak_kb: int = 0
    modified: int = 0
    not_named: int | None = 0  # None: no consolidated workbook to check
    live: int = 0
    leaks: int = 0

    def add(self, other: Row) -> None:
        """Sum (peak and slowest: maximum) of the rows; a family not checked (None) adds
        nothing."""
        for name, value in other.__dict__.items():
            mine = getattr(self, name) or 0
            if value is not None:
                largest = name in ("peak_kb", "slowest")
                setattr(self, name, max(mine, value) if largest else mine + value)


def row_of(run: FamilyRun, slow: float) -> Row:
    outcomes = {c.label: run.outcome(c) for c in run.cases}
    unnamed = {label for label, _ in run.problems.not_named}
    unnamed |= {label for label, o in outcomes.items() if silent(o)}
    return Row(
        files=len(run.cases),
        crashes=sum(o.crashed for o in outcomes.values()),
        exit4=sum(o.exit_code == EXIT_INTERNAL for o in outcomes.values()),
        slow=sum(o.seconds > slow or hung(o) for o in outcomes.values()),
        slowest=max((o.seconds for o in outcomes.values()), default=0.0),
        peak_kb=max(run.check_peak_kb, run.merge.peak_kb if run.merge else 0),
        modified=len(run.modified),
        not_named=None if run.problems.no_report else len(unnamed),
        live=len(run.problems.live),
        leaks=len(run.problems.leaks) + sum(o.leaked for o in outcomes.values()),
    )


def table(runs: Sequence[FamilyRun], slow: float) -> list[str]:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + " --- |" * len(COLUMNS)]
    total = Row()
    for run in runs:
        row = row_of(run, slow)
        total.add(row)
        merge = run.merge
        code = "—" if merge is None else "killed" if merge.exit_code is None else merge.exit_code
        if merge and merge.exit_code != 0:
            code = f"{code} ({len(merge.culprits)} files)"
        lines.append(_cells(run.family, row, code, f"{merge.seconds:.1f}" if merge else "—"))
    merges = [r.merge for r in runs if r.merge]
    codes = "/".join(sorted({str(m.exit_code) for m in merges})) or "—"
    lines.append(_cells("**total**", total, codes, f"{sum(m.seconds for m in merges):.1f}"))
    return lines


def _cells(name: str, row: Row, code: object, seconds: str) -> str:
    values = (row.files, row.crashes, row.exit4, row.slow, f"{row.slowest:.1f}")
    values += (f"{row.peak_kb / KB_PER_MB:.0f}",)
    not_named = "n/a" if row.not_named is None else row.not_named
    values += (row.modified, not_named, row.live, row.leaks, code, seconds)
    return f"| {name} | " + " | ".join(map(str, values)) + " |"


def _what(outcome: Outcome, slow: float) -> list[str]:
    """What went wrong checking one file, exception first."""
    where = f" at {outcome.where}" if outcome.where and not hung(outcome) else ""
    found = []
    if outcome.crashed:
        found.append(f"crash: {outcome.error}{where}")
    elif outcome.exit_code == EXIT_INTERNAL:
        found.append(f"exit 4: {outcome.error}{where}")
    if hung(outcome):
        found.append(f"over-time: {outcome.error}")
    elif outcome.seconds > slow:
        found.append(f"over-time: {outcome.seconds:.1f} s")
    if outcome.leaked:
        found.append("leak: the canary token in the check's output")
    if silent(outcome):
        found.append("not named: differs from its source, no finding of `check` names it")
    return found


def failures(run: FamilyRun, slow: float) -> list[tuple[str, str, str, str]]:
    """(family, variant, file, what happened) for every problem of a family's run."""
    found = []
    by_label = {c.label: c for c in run.cases}

    def variant(label: str, other: str) -> str:
        case = by_label.get(label)
        return case.variant if case else other

    for case in run.cases:
        found += [(case.variant, case.label, w) for w in _what(run.outcome(case), slow)]
    for label, what in run.problems.not_named:
        found.append((variant(label, "(sample)"), label, f"not named: {what}"))
    for output, what in run.problems.live:
        copied = Path(output).stem.removesuffix(COPY_MARK) + ".xlsx"
        found.append((variant(copied, "(output)"), output, f"live: {what}"))
    for output, error in run.problems.unreadable:
        found.append(("(output)", output, f"output unreadable: {error}"))
    for output, member in run.problems.leaks:
        found.append(("(output)", output, f"leak: the canary token in {member}"))
    for path in run.modified:
        found.append((variant(path.name, "(sample)"), path.name, "input modified"))
    merge = run.merge
    if merge and merge.exit_code != 0:
        code = "killed" if merge.exit_code is None else f"exit {merge.exit_code}"
        again = f"; without the {len(merge.culprits)} files below: exit {merge.retry_exit}"
        found.append(("(merge)", "", f"merge {code}: {merge.error}{again}"))
        for path, error in merge.culprits.items():
            found.append((variant(path.name, "?"), path.name, f"merge fails: {error}"))
    return [(run.family, *item) for item in found]


def causes(runs: Sequence[FamilyRun], slow: float) -> list[str]:
    """Crashes and exit 4 grouped by exception type and last bptools frame, then the
    over-time files by variant."""
    groups: dict[str, Counter[str]] = defaultdict(Counter)
    for run in runs:
        for case in run.cases:
            o = run.outcome(case)
            if o.crashed or o.exit_code == EXIT_INTERNAL:
                kind = "crash" if o.crashed else "exit 4"
                key = f"{kind}: {o.error.split(':', 1)[0]} at {o.where or '(no bptools frame)'}"
                groups[key][case.variant] += 1
            elif hung(o) or o.seconds > slow:
                groups["over-time"][case.variant] += 1
        by_path = {c.path: c for c in run.cases}
        for path, error in (run.merge.culprits if run.merge else {}).items():
            kind, _, where = error.partition(" at ")
            key = f"merge exit 4: {kind.split(':', 1)[0]} at {where or '(no bptools frame)'}"
            groups[key][by_path[path].variant] += 1
    lines = []
    for key, variants in sorted(groups.items(), key=lambda item: -item[1].total()):
        items = ", ".join(f"{v} ×{n}" for v, n in variants.most_common())
        lines.append(f"- {key}: {variants.total()} files ({items})")
    return lines


def only_source_findings(runs: Sequence[FamilyRun]) -> list[str]:
    """Changed cases whose findings all came with their source (informational: they are
    named, but nothing says what changed)."""
    lines = []
    for run in runs:
        counted = Counter(
            c.variant
            for c in run.cases
            if (o := run.outcome(c)).differs and not broken(o) and not o.new_findings
        )
        if counted:
            items = ", ".join(f"{v} ×{n}" for v, n in counted.most_common())
            lines.append(f"- {run.family}: {items}")
    return lines


def report(
    runs: Sequence[FamilyRun], settings: str, timings: dict[str, float], slow: float
) -> str:
    lines = [f"Fuzz run: {settings}."]
    lines.append(
        f"Generation {timings['generate']:.1f} s; checks and merges {timings['run']:.1f} s."
    )
    lines += ["", *table(runs, slow)]
    left = sum(r.merge.left_out for r in runs if r.merge)
    if left:
        lines += ["", f"The merges left out {left} cases that crashed, hit exit 4 or hung."]
    grouped = causes(runs, slow)
    if grouped:
        lines += ["", "## Causes", "", *grouped]
    found = [f for run in runs for f in failures(run, slow)]
    lines += ["", f"## Failing files ({len(found)})", ""]
    lines += [f"- {family} · {v} · {file}: {what}" for family, v, file, what in found] or ["None."]
    extra = only_source_findings(runs)
    if extra:
        lines += ["", "Changed cases with no finding their source lacks (informational):"]
        lines += extra
    return "\n".join(lines) + "\n"


def machine() -> str:
    """The machine and the date, for the --markdown file."""
    now = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    python = platform.python_version()
    return f"Machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {python}; {now}."
