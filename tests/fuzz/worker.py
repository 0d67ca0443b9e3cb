"""Long-lived worker processes that check fuzz cases one at a time, for tests/fuzz/run.py.

A worker (`python -m tests.fuzz.worker`) imports bptools once, then reads one JSON request a
line on stdin ({"path", "source", "token"}) and answers one JSON line: the `Outcome` of
`tests.fuzz.check.check_file` plus its peak memory so far. Its own stdout is moved to stderr
first, so nothing bptools (or Rust) prints can garble the answers.

`Pool` runs a list of cases on N workers with a hard per-file timeout: a worker that does
not answer in time is killed and replaced, one that dies (a Rust abort, a segfault) is
counted as a crash of the file it was checking and replaced. Each worker's peak memory is
read with os.wait4 when it ends, whichever way it ends.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import selectors
import signal
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from . import Case
from .check import Outcome, first_line

ROOT = Path(__file__).resolve().parents[2]
READY = "ready"
STARTUP_SECONDS = 120
MB = 1 << 20


def main() -> None:
    channel = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    os.dup2(2, 1)
    import faulthandler

    faulthandler.enable()  # a segfault or abort prints the Python stack to stderr

    from .check import check_file

    channel.write(json.dumps({READY: True}) + "\n")
    for line in sys.stdin:
        request = json.loads(line)
        print(f"--- {request['path']}", file=sys.stderr, flush=True)
        try:
            outcome = check_file(Path(request["path"]), Path(request["source"]), request["token"])
        except Exception as exc:  # the comparison with the source failed, not the check
            outcome = Outcome(None, crashed=True, error=f"fuzz harness: {exc!r}"[:200])
            outcome.where = "(tests/fuzz/check.py)"
        answer = outcome.to_dict()
        answer["maxrss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        channel.write(json.dumps(answer) + "\n")


def memory_limit(megabytes: int) -> Callable[[], None]:
    """A preexec_fn capping a child's address space (a runaway file fails, not the host)."""

    def limit() -> None:
        if megabytes > 0:
            size = megabytes * MB
            resource.setrlimit(resource.RLIMIT_AS, (size, size))

    return limit


def reap(pid: int, *, block: bool = True) -> tuple[int, int] | None:
    """(exit status as subprocess gives it, peak memory in KB), or None if still running."""
    done, status, usage = os.wait4(pid, 0 if block else os.WNOHANG)
    if done == 0:
        return None
    return os.waitstatus_to_exitcode(status), usage.ru_maxrss


@dataclass
class Worker:
    process: subprocess.Popen[bytes]
    log: IO[bytes]
    ready: bool = False
    case: Case | None = None
    started: float = 0.0
    deadline: float = 0.0
    log_at: int = 0
    buffer: bytes = b""

    @classmethod
    def start(cls, log: Path, memory_mb: int) -> Worker:
        stream = log.open("w+b")
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.fuzz.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stream,
            cwd=ROOT,
            preexec_fn=memory_limit(memory_mb),
        )
        return cls(process, stream, deadline=time.monotonic() + STARTUP_SECONDS)

    def send(self, case: Case, token: str, timeout: float) -> None:
        self.case, self.started = case, time.monotonic()
        self.deadline = self.started + timeout
        self.log_at = self.log.seek(0, os.SEEK_END)
        request = {"path": str(case.path), "source": str(case.source), "token": token}
        assert self.process.stdin is not None
        with contextlib.suppress(BrokenPipeError):  # it died: its stdout's end says so next
            self.process.stdin.write(json.dumps(request).encode() + b"\n")
            self.process.stdin.flush()

    def lines(self, data: bytes) -> list[dict[str, Any]]:
        self.buffer += data
        *complete, self.buffer = self.buffer.split(b"\n")
        return [json.loads(line) for line in complete if line.strip()]

    def log_tail(self) -> str:
        self.log.flush()
        self.log.seek(self.log_at)
        return self.log.read().decode("utf-8", "replace")

    def stop(self, *, kill: bool = False) -> tuple[int, int]:
        if kill:
            self.process.kill()
        elif self.process.stdin is not None:
            with contextlib.suppress(BrokenPipeError):
                self.process.stdin.close()
        status = reap(self.process.pid) or (0, 0)
        self.process.returncode = status[0]  # reaped here: subprocess must not wait again
        if self.process.stdout is not None:
            self.process.stdout.close()
        self.log.close()
        return status


@dataclass
class Pool:
    """Runs cases on `jobs` workers; `peak_kb` is the largest worker peak seen."""

    jobs: int
    timeout: float
    token: str
    logs: Path
    memory_mb: int = 0
    peak_kb: int = 0
    started: int = 0
    results: dict[Path, Outcome] = field(default_factory=dict)

    def run(self, cases: Sequence[Case]) -> dict[Path, Outcome]:
        pending = deque(cases)
        workers: list[Worker] = []
        selector = selectors.DefaultSelector()
        try:
            for _ in range(min(self.jobs, len(cases))):
                self._add(workers, selector)
            while pending or any(w.case for w in workers):
                for worker in workers:
                    if worker.ready and worker.case is None and pending:
                        worker.send(pending.popleft(), self.token, self.timeout)
                self._wait(workers, selector, bool(pending))
        finally:
            for worker in workers:
                self._retire(worker, selector, kill=worker.case is not None)
        return self.results

    def _add(self, workers: list[Worker], selector: selectors.BaseSelector) -> None:
        self.started += 1
        worker = Worker.start(self.logs / f"worker-{self.started}.log", self.memory_mb)
        assert worker.process.stdout is not None
        selector.register(worker.process.stdout, selectors.EVENT_READ, worker)
        workers.append(worker)

    def _retire(self, worker: Worker, selector: selectors.BaseSelector, *, kill: bool) -> None:
        assert worker.process.stdout is not None
        selector.unregister(worker.process.stdout)
        _, peak = worker.stop(kill=kill)
        self.peak_kb = max(self.peak_kb, peak)

    def _replace(
        self, worker: Worker, workers: list[Worker], selector: Any, *, kill: bool
    ) -> None:
        workers.remove(worker)
        self._retire(worker, selector, kill=kill)
        self._add(workers, selector)

    def _wait(self, workers: list[Worker], selector: Any, more: bool) -> None:
        now = time.monotonic()
        wait = max(0.0, min(w.deadline for w in workers) - now)
        for key, _ in selector.select(wait):
            worker: Worker = key.data
            if worker not in workers:  # replaced while handling an earlier event
                continue
            data = os.read(key.fileobj.fileno(), 1 << 16)
            if not data:
                self._died(worker, workers, selector)
                continue
            for answer in worker.lines(data):
                if answer.get(READY):
                    worker.ready = True
                elif worker.case is not None:
                    self.peak_kb = max(self.peak_kb, answer.pop("maxrss_kb", 0))
                    self.results[worker.case.path] = Outcome(**answer)
                    worker.case, worker.deadline = None, float("inf")
        for worker in list(workers):
            if worker in workers and time.monotonic() > worker.deadline:
                self._timed_out(worker, workers, selector)

    def _died(self, worker: Worker, workers: list[Worker], selector: Any) -> None:
        case, seconds, tail = worker.case, time.monotonic() - worker.started, worker.log_tail()
        self._replace(worker, workers, selector, kill=False)
        status = worker.process.returncode
        if case is None:
            raise RuntimeError(f"a fuzz worker died while starting (exit {status}):\n{tail}")
        outcome = Outcome(None, crashed=True, seconds=seconds)
        outcome.error = f"worker died ({_status(status)}): {_last_message(tail)}"
        outcome.where = _fault_frame(tail)
        self.results[case.path] = outcome

    def _timed_out(self, worker: Worker, workers: list[Worker], selector: Any) -> None:
        if worker.case is None:
            raise RuntimeError("a fuzz worker did not start:\n" + worker.log_tail())
        case = worker.case
        self._replace(worker, workers, selector, kill=True)
        error = f"no answer within {self.timeout:g} s: killed"
        self.results[case.path] = Outcome(None, error=error, seconds=self.timeout)
        self.results[case.path].where = "(hard timeout)"


def _status(code: int) -> str:
    if code < 0:
        try:
            return signal.Signals(-code).name
        except ValueError:
            return f"signal {-code}"
    return f"exit {code}"


def _last_message(log: str) -> str:
    """The most telling line a dying worker printed (Rust's panic or allocation message,
    Python's fatal error), not the traceback lines after it."""
    lines = [line for line in log.splitlines() if line.strip() and not line.startswith("---")]
    for line in lines:
        if any(w in line for w in ("panicked", "memory allocation", "Fatal Python error")):
            return first_line(line)
    return first_line(lines[-1]) if lines else "no message"


def _fault_frame(log: str) -> str:
    """The innermost bptools frame of a faulthandler dump (it lists the innermost first)."""
    from .check import BPTOOLS_DIR

    for line in log.splitlines():
        line = line.strip()
        if line.startswith('File "') and str(BPTOOLS_DIR) in line:
            path, _, rest = line[6:].partition('", line ')
            number, _, name = rest.partition(" in ")
            relative = Path(path).relative_to(BPTOOLS_DIR.parent)
            return f"{relative}:{number.rstrip(',')} in {name}"
    return ""


if __name__ == "__main__":
    main()
