"""Reading and checking in worker processes gives what one process gives, and what the
whole batch checked at once gives; a worker that fails costs nothing but time."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest

import bptools.parallel
import bptools.pipeline
from bptools import Consolidation, consolidate
from bptools.config import Config
from bptools.inputs import collect_inputs
from bptools.intake import FileStatus, batch_year, read_file
from bptools.merge import build_batch
from bptools.package import not_read
from bptools.parallel import MAX_JOBS, MIN_FILES, chunked, default_jobs, kept_workers, run_chunks
from bptools.pipeline import _cell_order, _labels, _supersede
from bptools.rules import RULES, Rule, Severity, fold, run_rules
from bptools.rules.files import not_found, not_workbook

from .conftest import assert_same


def whole_batch(folder: Path, config: Config) -> Consolidation:
    """The run as it was before files were checked apart: every rule once, on the batch."""
    inputs = collect_inputs([folder])
    labels = _labels([*inputs.files, *inputs.not_workbooks])
    statuses, projects, indicators, issues = [], [], [], []
    for index, path in enumerate(inputs.files):
        status = FileStatus(path, labels[path])
        statuses.append(status)
        read, _ = read_file(status, index)
        if read is not None:
            projects += read.projects
            indicators += read.indicators
            issues += read.findings
    batch = build_batch(projects, indicators)
    if config.keep == "latest":
        issues += _supersede(batch, statuses)
    batch.year, batch.params = batch_year(batch, config.year), config.params
    findings = [s.error for s in statuses if s.error] + issues
    findings += [
        not_workbook.finding(file=labels[p], value=p.name, why=not_read(p))
        for p in inputs.not_workbooks
    ]
    findings += [not_found.finding(file=item, value=item) for item in inputs.unmatched]
    findings = fold(config.apply(findings + run_rules(batch, config.rules())))
    findings.sort(key=lambda f: (f.severity.rank, f.unit, f.file, f.sheet, _cell_order(f.cell)))
    return Consolidation(batch.year, inputs, statuses, batch, findings)


@pytest.fixture
def done_here(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """For each chunk of the runs of the test, whether it was done in this process; this
    process is slowed down, so that the workers, however slow to start, take a part."""
    real = bptools.pipeline.run_chunks
    flags: list[bool] = []

    def run(
        work: Callable[[Any], Any], chunks: list[Any], jobs: int, here: Callable[[Any], Any]
    ) -> Iterator[tuple[int, Any, bool]]:
        def slowly(chunk: Any) -> Any:
            time.sleep(0.5)
            return here(chunk)

        for n, result, by_us in real(work, chunks, jobs, slowly):
            flags.append(by_us)
            yield n, result, by_us

    monkeypatch.setattr(bptools.pipeline, "run_chunks", run)
    return flags


@pytest.mark.parametrize("keep", ["latest", "all"])
def test_one_process_many_and_the_whole_batch_agree(
    inbox: Path, keep: str, monkeypatch: pytest.MonkeyPatch, done_here: list[bool]
) -> None:
    config = Config(keep=keep)
    expected = whole_batch(inbox, config)
    assert any(s.superseded for s in expected.files) == (keep == "latest")
    assert_same(consolidate([inbox], config=config, jobs=1), expected)
    # A file a chunk: each checked under its own titles' year first (往年.xlsx under 2022),
    # the older version apart from the newer one that replaces its projects.
    monkeypatch.setattr(bptools.parallel, "CHUNK_FILES", (1, 1))
    done_here.clear()
    assert_same(consolidate([inbox], config=config, jobs=2), expected)
    assert len(done_here) == len(expected.files) and not all(done_here)


def test_progress_is_told_of_every_file_once(inbox: Path) -> None:
    seen: list[Path] = []
    result = consolidate([inbox], jobs=2, progress=seen.append)
    assert sorted(seen) == sorted(s.path for s in result.files)


def _dies() -> None:
    os._exit(3)


def _dying_pool(workers: int) -> ProcessPoolExecutor:
    """Workers that die as they start, as if killed."""
    context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(workers, mp_context=context, initializer=_dies)


def test_chunks_of_a_dead_worker_are_done_here(
    inbox: Path, monkeypatch: pytest.MonkeyPatch, done_here: list[bool]
) -> None:
    expected = consolidate([inbox], jobs=1)
    monkeypatch.setattr(bptools.parallel, "_executor", _dying_pool)
    seen: list[Path] = []
    assert_same(consolidate([inbox], jobs=3, progress=seen.append), expected)
    assert len(seen) == len(expected.files)
    assert len(done_here) > 1 and all(done_here)


def test_a_chunk_a_worker_cannot_do_is_done_here(
    inbox: Path, monkeypatch: pytest.MonkeyPatch, done_here: list[bool]
) -> None:
    """A rule declared here only (as a plug-in would be) is unknown to the workers."""
    rule = Rule(
        "BP999",
        "every-file",
        Severity.INFO,
        title="每个文件",
        message="{value}",
        hint="",
        description="",
        check=lambda batch: [
            rule.finding(file=label, value=label) for label in batch.projects["file"].unique()
        ],
    )
    monkeypatch.setitem(RULES, "BP999", rule)
    expected = consolidate([inbox], jobs=1)
    assert sum(f.rule_id == "BP999" for f in expected.findings) == 22
    done_here.clear()
    assert_same(consolidate([inbox], jobs=2), expected)
    assert len(done_here) > 1 and all(done_here)


def test_no_pool_at_all_is_one_process(inbox: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(workers: int) -> ProcessPoolExecutor:
        raise OSError("no processes here")

    monkeypatch.setattr(bptools.parallel, "_executor", refuse)
    assert_same(consolidate([inbox], jobs=4), consolidate([inbox], jobs=1))


def test_a_few_files_are_read_in_one_process() -> None:
    assert default_jobs(MIN_FILES - 1) == 1
    assert 1 <= default_jobs(1000) <= MAX_JOBS
    assert chunked(list(range(5)), 1) == [list(range(5))]
    sizes = [len(chunk) for chunk in chunked(list(range(1000)), 2)]
    assert sum(sizes) == 1000 and 5 <= len(sizes) <= 20
    assert chunked([], 4) == []


CHUNKS = [[n, n + 1] for n in range(0, 12, 2)]
SUMS = [(n, sum(chunk)) for n, chunk in enumerate(CHUNKS)]


def test_a_process_lending_no_hand_leaves_every_chunk_to_the_workers() -> None:
    done = list(run_chunks(sum, CHUNKS, 2, sum, lend_hand=False))
    assert sorted((n, total) for n, total, _ in done) == SUMS
    assert not any(here for _, _, here in done)


def test_what_dead_workers_leave_is_done_here_even_lending_no_hand(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(bptools.parallel, "_executor", _dying_pool)
    done = list(run_chunks(sum, CHUNKS, 2, sum, lend_hand=False))
    assert sorted((n, total) for n, total, _ in done) == SUMS
    assert all(here for _, _, here in done)


def _pid(chunk: list[int]) -> int:
    return os.getpid()


def test_kept_workers_serve_one_call_after_another() -> None:
    chunks = [[n] for n in range(6)]
    with kept_workers():
        first = list(run_chunks(_pid, chunks, 2, _pid, lend_hand=threading.Event()))
        second = list(run_chunks(_pid, chunks, 2, _pid, lend_hand=threading.Event()))
    workers = {pid for _, pid, here in first + second if not here}
    assert len(workers) == 1 and os.getpid() not in workers  # the one worker, both times


def test_a_kept_pool_whose_worker_died_is_started_afresh(monkeypatch: pytest.MonkeyPatch) -> None:
    real = bptools.parallel._executor
    monkeypatch.setattr(bptools.parallel, "_executor", _dying_pool)
    with kept_workers():
        dead = list(run_chunks(sum, CHUNKS, 2, sum, lend_hand=threading.Event()))
        assert sorted((n, total) for n, total, _ in dead) == SUMS and all(h for *_, h in dead)
        monkeypatch.setattr(bptools.parallel, "_executor", real)
        alive = list(run_chunks(sum, CHUNKS, 2, sum, lend_hand=threading.Event()))
    assert sorted((n, total) for n, total, _ in alive) == SUMS
    assert not all(here for *_, here in alive)
