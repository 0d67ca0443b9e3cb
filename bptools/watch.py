"""Watching the shared folder: notice workbooks that appear, change or disappear, and say
when the folder has settled, so that a re-merge reads complete files only.

Events from the operating system (watchdog) only wake the watcher; what counts is the list
of workbooks with their sizes and modification times, taken again after every wake-up and
every `rescan` seconds (a share whose events are lost is still seen). A burst of files is
waited out (`quiet` seconds without an event), and a changed file must keep its size and
time for `settle` seconds and open, so a slow copy over the network is not read half-way; a
file that never opens (damaged, or a copy that broke off) is read after `give_up` seconds,
to be reported like any bad file. Lock files, temporary files and our own outputs are never
looked at.
"""

from __future__ import annotations

import threading
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from .inputs import Inputs, collect_inputs, is_lock_file
from .outputs import outputs_in

QUIET = 1.0  # seconds without an event before a burst is over
SETTLE = 2.0  # seconds a changed file keeps its size and time before it is read
GIVE_UP = 60.0  # seconds after which a file that will not open is read anyway
RESCAN = 30.0  # seconds between looks at the folder when no event comes
_ZIPPED = frozenset({".xlsx", ".xlsm", ".xltx", ".xltm", ".xlsb", ".ods", ".et", ".ett"})

Snapshot = dict[Path, tuple[int, int]]  # workbook → (size, modification time in ns)


@dataclass(frozen=True)
class Change:
    """What differs between two looks at the folder."""

    added: list[Path]
    changed: list[Path]
    removed: list[Path]
    renamed: list[tuple[Path, Path]] = field(default_factory=list)  # (old, new)

    def describe(self) -> str:
        """ "新增 2 个，修改 1 个" (what the terminal line says changed)."""
        kinds = (
            ("新增", self.added),
            ("修改", self.changed),
            ("改名", self.renamed),
            ("移出", self.removed),
        )
        parts = [f"{label} {len(paths)} 个" for label, paths in kinds if paths]
        return "，".join(parts) or "无变化"


def compare(before: Snapshot, after: Snapshot) -> Change:
    """The change from `before` to `after`; a file gone and one come with the same size and
    time is one renamed (or moved)."""
    added = sorted(p for p in after if p not in before)
    removed = sorted(p for p in before if p not in after)
    renamed = []
    for old in list(removed):
        new = next((p for p in added if after[p] == before[old]), None)
        if new is not None:
            renamed.append((old, new))
            added.remove(new)
            removed.remove(old)
    changed = sorted(p for p in after if p in before and after[p] != before[p])
    return Change(added, changed, removed, renamed)


class FolderWatch:
    """The workbooks under `folder` (its sub-folders too when `recursive`), but our own
    outputs in `outdir`, as they settle. `poll`: look every `poll` seconds instead of asking the
    operating system (for network shares that send no events)."""

    def __init__(
        self,
        folder: Path,
        *,
        recursive: bool = True,
        outdir: Path | None = None,
        ignore: Sequence[Path] = (),
        waiting: Callable[[list[Path]], None] | None = None,
        poll: float | None = None,
        quiet: float = QUIET,
        settle: float = SETTLE,
        give_up: float = GIVE_UP,
        rescan: float = RESCAN,
    ) -> None:
        self.folder, self.recursive, self.outdir = folder, recursive, outdir
        self.ignore = list(ignore)  # files in the folder that are no submissions (a roster)
        self.waiting = waiting  # told once a settle of the workbooks that will not open yet
        self.quiet, self.settle, self.give_up, self.rescan = quiet, settle, give_up, rescan
        self.stop = threading.Event()
        self._woken = threading.Event()
        self._observer: BaseObserver = PollingObserver(timeout=poll) if poll else Observer()

    def __enter__(self) -> FolderWatch:
        folder = self.folder.absolute()
        handler = _Wake(self._woken, folder)
        self._observer.schedule(handler, str(folder), recursive=self.recursive)
        self._observer.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop.set()
        self._observer.stop()
        self._observer.join(timeout=5)

    def inputs(self) -> Inputs:
        """The folder's files now (our outputs are looked up each time: they come and go)."""
        exclude = [*(outputs_in(self.outdir) if self.outdir else []), *self.ignore]
        return collect_inputs([self.folder], exclude=exclude, recursive=self.recursive)

    def snapshot(self, inputs: Inputs | None = None) -> Snapshot:
        found: Snapshot = {}
        for path in (inputs or self.inputs()).files:
            try:
                stat = path.stat()
            except OSError:
                continue  # gone since it was listed
            found[path] = (stat.st_size, stat.st_mtime_ns)
        return found

    def next_change(self, last: Snapshot) -> tuple[Snapshot, Change] | None:
        """Wait until the folder differs from `last` and has settled; None once `stop`."""
        while not self.stop.is_set():
            self._woken.wait(self.rescan)
            if self.stop.is_set():
                return None
            self._quieten()
            if self.snapshot() == last:
                continue
            settled = self._settled(last)
            if settled is not None and settled != last:
                return settled, compare(last, settled)
        return None

    def wake(self) -> None:
        """Look at the folder now (as if an event had come)."""
        self._woken.set()

    def _quieten(self) -> None:
        """Wait for a burst of events to end (at most `give_up` seconds)."""
        start = time.monotonic()
        self._woken.clear()
        while self._woken.wait(self.quiet) and time.monotonic() - start < self.give_up:
            self._woken.clear()
            if self.stop.is_set():
                return

    def _settled(self, last: Snapshot) -> Snapshot | None:
        """The folder once every changed workbook has kept its size and time for `settle`
        seconds and opens (or `give_up` seconds have passed); None once `stop`."""
        start, told = time.monotonic(), False
        before = self.snapshot()
        while not self.stop.wait(self.settle):
            now = self.snapshot()
            changed = [p for p, seen in now.items() if last.get(p) != seen]
            if now == before:
                closed = [p for p in changed if not _opens(p)]
                if not closed:
                    return now
                if self.waiting is not None and not told:
                    self.waiting(closed)
                    told = True
            if time.monotonic() - start >= self.give_up:
                return now
            before = now
        return None


def _opens(path: Path) -> bool:
    """Whether the file can be opened whole: a zip whose directory (at its end) reads, or
    any other file that opens for reading (Windows refuses one still being copied)."""
    try:
        if path.suffix.lower() in _ZIPPED:
            with zipfile.ZipFile(path):
                return True
        with path.open("rb") as file:
            file.read(1)
        return True
    except (OSError, zipfile.BadZipFile, ValueError):
        return False


class _Wake(FileSystemEventHandler):
    """Wakes the watcher on any event but those of lock files and temporary folders (ours
    among them: the outputs are staged in one). An event of an output wakes it for
    nothing: the folder's workbooks are as they were."""

    def __init__(self, woken: threading.Event, folder: Path) -> None:
        self.woken, self.folder = woken, folder

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return  # reading a file (we do) changes nothing
        paths = [str(event.src_path), str(getattr(event, "dest_path", "") or "")]
        if all(self._ignored(Path(p)) for p in paths if p):
            return
        self.woken.set()

    def _ignored(self, path: Path) -> bool:
        if is_lock_file(path):
            return True
        try:
            folders = path.relative_to(self.folder).parts[:-1]
        except ValueError:
            return False
        return any(part.startswith(".") for part in folders)
