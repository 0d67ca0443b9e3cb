"""The outputs of a merge written together: the consolidated workbook (with the department
workbooks), the HTML page and the feedback copies.

The feedback copies are made in worker processes, fed from a thread of this process, while
this process writes the workbook and the page; then this process makes copies too. Every
output is the one it would be written on its own (tests/test_write_outputs.py compares
them).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .cache import CACHE_NAME
from .config import Config
from .feedback import FEEDBACK_DIR, write_feedback
from .html import write_html
from .inputs import Inputs
from .ledger import LEDGER_NAME, LedgerError, begin
from .pipeline import Consolidation, Progress, consolidate
from .publish import PUBLISH_NAME
from .report import DEPARTMENT_DIR, REPORT_NAME, write_report
from .summary import summarize
from .write.lease import check_free
from .write.output import DirectOutput, Output, OutputSet

REPORT, PAGE, COPIES = "汇总工作簿", "网页版", "反馈副本"  # the names of `Written.seconds`


@dataclass(frozen=True)
class Written:
    """What a merge wrote, and the seconds each output took (the copies' at the same time
    as the other two)."""

    report: Path
    page: Path | None
    copies: list[Path]
    books: Path | None = None  # the folder of the department workbooks, when there are any
    seconds: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Merged:
    """One merge into an output folder: its result, what it wrote, and why the 收件台账 could
    not record it ("" when it did)."""

    result: Consolidation
    written: Written
    ledger_problem: str = ""


def merge_into(
    inputs: Inputs,
    outdir: Path,
    config: Config | None = None,
    *,
    year: int | None = None,
    cache: bool = True,
    html: bool = True,
    feedback: bool = True,
    progress: Progress | None = None,
    on_wait: Callable[[], None] | None = None,
    before_writing: Callable[[Consolidation], None] | None = None,
) -> Merged:
    """What `bptools merge` and each round of `bptools watch` do: read, check and merge
    `inputs`, record them in the 收件台账 of `outdir`, and write every output there
    together (`on_wait` is called if another run is writing there; `before_writing` once
    the inputs are read).

    Raises OutputError when a `bptools watch` of another process holds `outdir`, or when
    an output cannot be written (then nothing of this run is in place).
    """
    config = config or Config()
    check_free(outdir)  # before reading: OutputSet would refuse only once all is read
    store = outdir / CACHE_NAME if cache else None
    result = consolidate(inputs, config=config, year=year, cache=store, progress=progress)
    problems: list[str] = []
    recording = None
    try:
        with OutputSet(outdir, on_wait=on_wait) as out:
            try:  # within the folder's lock: one run at a time records in its ledger
                recording = begin(outdir / LEDGER_NAME, result, config.roster)
            except LedgerError as exc:
                problems.append(str(exc))
            if recording is not None:
                result.ledger = recording.ledger
                out.after_commit(lambda: problems.append(recording.commit()))
            if before_writing is not None:
                before_writing(result)
            written = write_outputs(result, outdir, config, out=out, html=html, feedback=feedback)
    finally:  # a run stopped before its outputs are in place leaves the ledger as they are
        if recording is not None:
            recording.close()
    problem = "；".join(p for p in problems if p)
    return Merged(result, written, problem)


def outputs_in(outdir: Path) -> list[Path]:
    """What bptools writes into `outdir`, never read as a submission: the folder may be
    the inbox itself, or hold it."""
    names = (REPORT_NAME, REPORT_NAME.replace(".xlsx", ".html"), PUBLISH_NAME)
    written = [p for name in names for p in outdir.glob(name.format(year="*"))]
    for name in (CACHE_NAME, LEDGER_NAME):
        written += [outdir / name, outdir / f"{name}-journal"]
    return [outdir / FEEDBACK_DIR, outdir / DEPARTMENT_DIR, *written]


def write_outputs(
    result: Consolidation,
    outdir: Path,
    config: Config | None = None,
    *,
    out: Output | None = None,
    html: bool = True,
    feedback: bool = True,
    jobs: int | None = None,
) -> Written:
    """Write the consolidated workbook, the HTML page (`html`) and the feedback copies
    (`feedback`) of `result` into `outdir` through `out`.

    An output that fails stops the others: the copies still being made are abandoned at
    the next one, and the exception is raised once all have stopped writing.
    """
    config, out = config or Config(), out or DirectOutput()
    summary = summarize(result)
    seconds: dict[str, float] = {}
    stop, done = threading.Event(), threading.Event()  # `done`: this thread's own writing
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="bptools-feedback") as pool:
        copies: Future[list[Path]] | None = None
        if feedback:
            copies = pool.submit(_copies, seconds, result, outdir, out, jobs, stop, done)
        try:
            start = time.perf_counter()
            report = write_report(result, outdir, config, out=out, summary=summary)
            seconds[REPORT] = time.perf_counter() - start
            page = None
            if html:
                start = time.perf_counter()
                page = write_html(result, outdir, config, out=out, summary=summary)
                seconds[PAGE] = time.perf_counter() - start
        except BaseException:
            stop.set()
            raise
        finally:
            done.set()
        written = copies.result() if copies is not None else []
    apart = config.one_book_per_department(len(summary.named_departments))
    return Written(report, page, written, outdir / DEPARTMENT_DIR if apart else None, seconds)


def _copies(
    seconds: dict[str, float],
    result: Consolidation,
    outdir: Path,
    out: Output,
    jobs: int | None,
    stop: threading.Event,
    done: threading.Event,
) -> list[Path]:
    start = time.perf_counter()
    written = write_feedback(result, outdir, out=out, jobs=jobs, stop=stop, alongside=done)
    seconds[COPIES] = time.perf_counter() - start
    return written
