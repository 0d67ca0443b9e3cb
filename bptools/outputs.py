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
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .config import Config
from .feedback import write_feedback
from .html import write_html
from .pipeline import Consolidation
from .report import DEPARTMENT_DIR, write_report
from .summary import summarize
from .write.output import DirectOutput, Output

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
