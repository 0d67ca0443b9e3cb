"""Chunks of work done in worker processes, the main process lending a hand.

Workers are started with "spawn" on every platform, the only way Windows has (and so the
way the tests run): the work goes to them by pickle, a module's top-level function with
plain arguments. The main process does chunks from the end of the list while the workers
start up and take them from the front, so a small run loses nothing to their start-up. A
chunk whose worker died, or that could not be sent or sent back, is done again in the main
process: a run never loses a chunk.

Within `kept_workers()` the worker processes are started once and serve every call (a
merge reads and checks, then makes feedback copies and department workbooks): each call
would otherwise spend a second starting its own.
"""

from __future__ import annotations

import collections
import contextlib
import itertools
import math
import multiprocessing
import os
import queue
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Generic, TypeVar, cast

T = TypeVar("T")
R = TypeVar("R")

MAX_JOBS = 8  # each worker holds pandas and the rules (~150 MB): enough for a clerk's PC
# Below this a run takes a second or so, about what starting a worker costs (importing
# pandas and the rules): 100 files took 1.3 s in one process and 1.25 s in two on 2 cores.
MIN_FILES = 100
# Files per chunk: checking a chunk costs about 0.1 s whatever its size (pandas costs per
# call), then 10-20 ms a file.
CHUNK_FILES = (10, 50)
CHUNKS_PER_JOB = 4
WAIT_FOR_HAND = 0.05  # seconds between looks at whether this process may lend a hand


def default_jobs(files: int) -> int:
    """Processes for reading and checking `files` files: the CPUs this process may use."""
    if files < MIN_FILES:
        return 1
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cpus or 1, MAX_JOBS))


def chunked(items: Sequence[T], jobs: int) -> list[list[T]]:
    """`items` in chunks: one for a single process; else a few per process, within
    CHUNK_FILES, so that one slow chunk does not leave the others idle."""
    if not items:
        return []
    if jobs <= 1:
        return [list(items)]
    low, high = CHUNK_FILES
    size = min(high, max(low, math.ceil(len(items) / (jobs * CHUNKS_PER_JOB))))
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def run_each(
    work: Callable[[list[T]], list[R]],
    items: Sequence[T],
    *,
    jobs: int | None = None,
    lend_hand: bool | threading.Event = True,
) -> Iterator[tuple[int, R]]:
    """Each item's index and result, as they are done: `work` does a chunk of items, in
    worker processes when there are many (`jobs`: default_jobs; see `run_chunks`)."""
    jobs = jobs or default_jobs(len(items))
    chunks = chunked(items, jobs)
    starts = list(itertools.accumulate((len(chunk) for chunk in chunks), initial=0))
    for n, results, _here in run_chunks(work, chunks, jobs, work, lend_hand=lend_hand):
        yield from enumerate(results, starts[n])


def run_chunks(
    work: Callable[[T], R],
    chunks: Sequence[T],
    jobs: int,
    here: Callable[[T], R],
    *,
    lend_hand: bool | threading.Event = True,
) -> Iterator[tuple[int, R, bool]]:
    """Each chunk's number and result, as they are done, and whether it was done here.

    `work` runs in `jobs - 1` worker processes; `here` does the same in this process (it
    may report progress as it goes). `lend_hand` is an event when this process has other
    work meanwhile, in another thread: it does chunks once the event is set (and what the
    workers could not do).
    """
    lending = lend_hand.is_set if isinstance(lend_hand, threading.Event) else lambda: lend_hand
    workers = min(jobs - 1, len(chunks) - (1 if lend_hand is True else 0))
    pool, own = _pool(workers) if workers > 0 else (None, True)
    if pool is None:
        for n, chunk in enumerate(chunks):
            yield n, here(chunk), True
        return
    share = _Share(pool, work, chunks)
    try:
        share.start(workers)
        while share.feeding:
            if not lending():
                yield from share.done(timeout=WAIT_FOR_HAND)
                continue
            if (n := share.take_last()) is None:
                break
            yield from share.done()
            yield n, here(chunks[n]), True
        yield from share.done(wait=True)
        # The worker died, or the chunk or its result would not pickle; what none took.
        for n in [*share.failed, *share.rest()]:
            yield n, here(chunks[n]), True
    finally:
        share.rest()  # none taken any more
        if own:
            pool.shutdown(wait=False, cancel_futures=True)
        elif share.broken:  # a worker died: the next call starts afresh
            _KEPT.drop(pool)


class _Kept:
    """The worker processes `kept_workers` keeps, started at the first call that wants them."""

    def __init__(self) -> None:
        self.depth = 0  # kept_workers() entered and not left
        self.pool: Executor | None = None
        self._lock = threading.Lock()

    def get(self, workers: int) -> Executor | None:
        with self._lock:
            if self.pool is None:
                self.pool = _start(workers)
            return self.pool

    def drop(self, pool: Executor | None) -> None:
        with self._lock:
            if pool is not None and self.pool is pool:
                self.pool = None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)


_KEPT = _Kept()


@contextlib.contextmanager
def kept_workers() -> Iterator[None]:
    """Keep the worker processes of every `run_chunks` call within for the next one; stop
    them on leaving."""
    _KEPT.depth += 1
    try:
        yield
    finally:
        _KEPT.depth -= 1
        if _KEPT.depth == 0:
            _KEPT.drop(_KEPT.pool)


def _pool(workers: int) -> tuple[Executor | None, bool]:
    """The pool for a call wanting `workers` processes, and whether the call owns it."""
    if _KEPT.depth:
        return _KEPT.get(workers), False
    return _start(workers), True


class _Share(Generic[T, R]):
    """The chunks not yet taken, and what the workers made of theirs.

    One thread per worker hands it a chunk at a time (taken from the front) and waits for
    it: a worker never holds a chunk in reserve that this process, taking chunks from the
    back, could have done while it waited.
    """

    def __init__(self, pool: Executor, work: Callable[[T], R], chunks: Sequence[T]) -> None:
        self._pool, self._work, self._chunks = pool, work, chunks
        self._left = collections.deque(range(len(chunks)))
        self._lock = threading.Lock()
        # (chunk, result, whether it was done), and None from each thread as it stops.
        self._results: queue.SimpleQueue[tuple[int, R | None, bool] | None] = queue.SimpleQueue()
        self._feeding = 0  # threads handing chunks to workers, until they say they stopped
        self.failed: list[int] = []
        self.broken = False  # a worker died: the pool takes no more work

    def start(self, workers: int) -> None:
        for _ in range(workers):
            threading.Thread(target=self._feed, daemon=True).start()
            self._feeding += 1

    def take_last(self) -> int | None:
        return self._take(first=False)

    @property
    def feeding(self) -> bool:
        """Whether workers may still send results."""
        return self._feeding > 0

    def done(
        self, *, wait: bool = False, timeout: float | None = None
    ) -> Iterator[tuple[int, R, bool]]:
        """What the workers have done so far (or within `timeout` seconds); with `wait`,
        all they are going to do."""
        while not wait or self._feeding:
            try:
                item = self._results.get(block=wait or timeout is not None, timeout=timeout)
            except queue.Empty:
                return
            if item is None:
                self._feeding -= 1
                continue
            n, result, ok = item
            if ok:
                yield n, cast(R, result), False
            else:
                self.failed.append(n)

    def rest(self) -> list[int]:
        """The chunks no worker took, taken."""
        with self._lock:
            left = list(self._left)
            self._left.clear()
        return left

    def _feed(self) -> None:
        """Hand chunks to a worker until none is left (or the pool fails)."""
        try:
            while (n := self._take(first=True)) is not None:
                try:
                    result = self._pool.submit(self._work, self._chunks[n]).result()
                except Exception as exc:
                    self.broken |= isinstance(exc, BrokenProcessPool)
                    self._results.put((n, None, False))
                    return
                self._results.put((n, result, True))
        finally:
            self._results.put(None)

    def _take(self, *, first: bool) -> int | None:
        with self._lock:
            if not self._left:
                return None
            return self._left.popleft() if first else self._left.pop()


def _executor(workers: int) -> Executor:
    context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(workers, mp_context=context, initializer=_ignore_interrupts)


def _ignore_interrupts() -> None:
    """Ctrl-C reaches every process of the terminal: the main one stops the run (and its
    workers); a worker left to it would print its own traceback at the clerk."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _start(workers: int) -> Executor | None:
    try:
        return _executor(workers)
    except Exception:  # no processes to be had here (a sandbox, a frozen build): do it all here
        return None
