"""Check one fuzz case in this process, as `bptools check FILE --json` does, and say whether
its content differs from its source sample (then some finding must name it).

Shared by the runner's workers (tests/fuzz/worker.py) and tests/test_fuzz.py.
"""

from __future__ import annotations

import re
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
from click.testing import CliRunner

import bptools
import bptools.cli.common
from bptools import Consolidation, consolidate

BPTOOLS_DIR = Path(bptools.__file__).resolve().parent
LABEL_COLUMNS = ("file", "project_id")  # differ between a case and its source by design
EXIT_INTERNAL = 4
_FRAME = re.compile(r'File "([^"]+)", line (\d+), in (\S+)')


@dataclass
class Outcome:
    """What checking one file did.

    `crashed`: an exception escaped the command line (or, in the runner, the worker died or
    hung); `error` is its type and message's first line and `where` the last bptools frame
    ("bptools/reader.py:123 in _read_book"), also filled for exit code 4 from the
    traceback the crash handler prints. `differs`: the case reads differently from its
    source (other projects or indicators, or the file is unusable), so a finding must name
    it; `new_findings`: it has a finding (rule, sheet, cell, value) its source has not.
    """

    exit_code: int | None
    crashed: bool = False
    error: str = ""
    where: str = ""
    seconds: float = 0.0
    leaked: bool = False
    differs: bool = True
    new_findings: bool = False
    named: bool = False  # a finding of the check names the file

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def check_file(path: Path, source: Path, token: str) -> Outcome:
    """`bptools check PATH --json`, timed, through click's test runner (the real exit
    code; exit 4 is the crash handler's), then the comparison with `source`."""
    start = time.perf_counter()
    with _captured() as results:
        try:
            run = CliRunner().invoke(bptools.cli.cli, ["check", str(path), "--json"])
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:
            outcome = Outcome(None, crashed=True, seconds=time.perf_counter() - start)
            outcome.error, outcome.where = _describe(exc)
            return outcome
    outcome = Outcome(run.exit_code, seconds=time.perf_counter() - start)
    if run.exception is not None and not isinstance(run.exception, SystemExit):
        outcome.crashed = True
        outcome.error, outcome.where = _describe(run.exception)
    elif run.exit_code == EXIT_INTERNAL:
        outcome.error, outcome.where = from_traceback(run.stderr)
    outcome.leaked = token in run.stdout or token in run.stderr
    if outcome.crashed or outcome.exit_code == EXIT_INTERNAL:
        if not results:
            return outcome  # it failed before reading: differs, nothing names it
    elif not results:  # the command no longer calls bptools.cli.common.consolidate: read again
        try:
            results.append(consolidate([path]))
        except Exception:
            return outcome
    compare(outcome, results[-1], source, path.name)
    return outcome


@contextmanager
def _captured() -> Iterator[list[Consolidation]]:
    """The Consolidation the command computes, kept for the comparison (no second read)."""
    real = getattr(bptools.cli.common, "consolidate", None)
    results: list[Consolidation] = []
    if real is None:
        yield results
        return

    def keep(*args: Any, **kwargs: Any) -> Consolidation:
        result = real(*args, **kwargs)
        results.append(result)
        return result

    bptools.cli.common.consolidate = keep  # type: ignore[assignment]
    try:
        yield results
    finally:
        bptools.cli.common.consolidate = real


def compare(outcome: Outcome, result: Consolidation, source: Path, label: str) -> None:
    """Fill `differs`, `new_findings` and `named` from the case's result."""
    mine = _content(result)
    theirs = _source_content(source)
    outcome.differs = mine is None or theirs is None or not _same(mine, theirs)
    outcome.named = any(f.file == label for f in result.findings)
    outcome.new_findings = bool(_finding_keys(result) - _source_findings(source))


Content = tuple[pd.DataFrame, pd.DataFrame]


def _content(result: Consolidation) -> Content | None:
    if any(not status.ok for status in result.files):
        return None
    return tuple(  # type: ignore[return-value]
        frame.drop(columns=list(LABEL_COLUMNS), errors="ignore").reset_index(drop=True)
        for frame in (result.batch.projects, result.batch.indicators)
    )


def _same(a: Content, b: Content) -> bool:
    return all(x.equals(y) for x, y in zip(a, b, strict=True))


@cache
def _source_result(source: Path) -> Consolidation:
    return consolidate([source])


def _source_content(source: Path) -> Content | None:
    return _content(_source_result(source))


def _finding_keys(result: Consolidation) -> set[tuple[str, str, str, str]]:
    return {(f.rule_id, f.sheet, f.cell, str(f.value)) for f in result.findings}


@cache
def _source_findings(source: Path) -> frozenset[tuple[str, str, str, str]]:
    return frozenset(_finding_keys(_source_result(source)))


def _describe(exc: BaseException) -> tuple[str, str]:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if _ours(f.filename)]
    where = _frame(frames[-1].filename, frames[-1].lineno, frames[-1].name) if frames else ""
    return first_line(f"{type(exc).__name__}: {exc}"), where


def from_traceback(text: str) -> tuple[str, str]:
    """The exception and last bptools frame of the traceback our crash handler printed."""
    frames = [m for m in _FRAME.finditer(text) if _ours(m[1])]
    where = _frame(frames[-1][1], int(frames[-1][2]), frames[-1][3]) if frames else ""
    lines = [line for line in text.strip().splitlines() if line and not line[0].isspace()]
    return first_line(lines[-1] if lines else "exit 4"), where


def _ours(filename: str) -> bool:
    return Path(filename).resolve().is_relative_to(BPTOOLS_DIR)


def _frame(filename: str, line: int | None, name: str) -> str:
    relative = Path(filename).resolve().relative_to(BPTOOLS_DIR.parent)
    return f"{relative}:{line} in {name}"


def first_line(text: str, limit: int = 200) -> str:
    lines = text.strip().splitlines()
    return (lines[0] if lines else "")[:limit]
