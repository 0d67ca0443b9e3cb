"""Writing output files so that nothing is lost: one file at a time, or a whole set at once.

`atomic_output` writes one file through a temporary file beside it. An `OutputSet` holds the
files of one run (the consolidated workbook, the HTML page, the feedback copies): writers
write them into a staging folder inside the output folder, and `commit` puts them in place
together. The commit first moves every file it replaces (and every stale one it removes)
aside, so a file open in Excel stops it before anything changed; then it moves the new files
in. A journal records each step: a run killed during the commit is finished (or undone) by
the next one, a run killed before leaves the previous files alone, and the next run removes
what it left behind. One lock per output folder keeps two runs from writing into it at once.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, Protocol

from xlsxwriter.exceptions import FileCreateError

from ..errors import OutputError, os_reason

TEMP_PREFIX = ".~bptools-"  # every temporary name we make starts so (inputs skip them)
_STAGING = TEMP_PREFIX + "staging-"
_ASIDE = TEMP_PREFIX + "old-"
_JOURNAL = TEMP_PREFIX + "journal.json"
_LOCK = TEMP_PREFIX + "lock"
LEASE = TEMP_PREFIX + "watch.lock"  # held by `bptools watch` (see write.lease)


# xlsxwriter wraps the OSError of saving a workbook in one of its own.
_WRITE_ERRORS = (OSError, FileCreateError)


def output_problem(path: Path, exc: BaseException) -> OutputError:
    """What a clerk can do about a failure to write `path`."""
    if isinstance(exc, FileCreateError) and exc.args and isinstance(exc.args[0], OSError):
        exc = exc.args[0]
    code = getattr(exc, "errno", None)
    if code == errno.ENOSPC:
        advice = "磁盘空间不足，请清理磁盘或用 -o 换一个输出文件夹后重试"
    elif code == errno.EROFS:
        advice = "所在位置是只读的，请用 -o 换一个输出文件夹后重试"
    elif isinstance(exc, PermissionError) or code in (errno.EACCES, errno.EPERM):
        advice = (
            f"没有写入权限，或文件正在 Excel/WPS 中打开：请先关闭 {path.name}，"
            "或用 -o 换一个有写入权限的输出文件夹后重试"
        )
    else:
        reason = os_reason(exc) if isinstance(exc, OSError) else "写入出错"
        advice = f"{reason}；请检查该位置后重试"
    return OutputError(f"无法写入 {path}：{advice}")


def _private_umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


@contextlib.contextmanager
def atomic_output(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; move it over `target` only on success.

    A crash or an exception leaves any existing file at `target` untouched; a failure to
    write becomes an `OutputError` that names the file and says what to do.
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(
            prefix=TEMP_PREFIX, suffix=target.suffix, dir=target.parent
        )
        os.close(fd)
    except OSError as exc:
        raise output_problem(target, exc) from exc
    tmp = Path(tmp_name)
    # mkstemp makes the file private (0600); the output is for others on a shared folder too.
    tmp.chmod(0o666 & ~_private_umask())
    try:
        try:
            yield tmp
        except _WRITE_ERRORS as exc:
            raise output_problem(target, exc) from exc
        try:
            tmp.replace(target)
        except OSError as exc:
            raise output_problem(target, exc) from exc
    finally:
        tmp.unlink(missing_ok=True)


class Output(Protocol):
    """Where writers put a file: `file(target)` gives the path to write, `remove(target)`
    takes away a stale one."""

    def file(self, target: Path) -> contextlib.AbstractContextManager[Path]: ...

    def remove(self, target: Path) -> None: ...


class DirectOutput:
    """Each file in place as soon as it is written (atomically, one by one)."""

    def file(self, target: Path) -> contextlib.AbstractContextManager[Path]:
        return atomic_output(target)

    def remove(self, target: Path) -> None:
        target.unlink(missing_ok=True)


class OutputSet:
    """The files one run writes into `outdir`, put in place together on `commit`.

    Writers ask `file(target)` for the path to write `target` at and `remove(target)` for a
    stale file to go with the commit. Use as a context manager: it refuses a folder that
    another process's `bptools watch` holds, takes the folder's lock (`on_wait` is called
    if another run holds it), finishes what an earlier killed run left, and commits on
    success or discards the staged files on an exception.
    """

    def __init__(self, outdir: Path, on_wait: Callable[[], None] | None = None) -> None:
        self.outdir = outdir
        self.on_wait = on_wait
        self.staging = outdir / _STAGING  # made unique on entering
        self.moves: dict[Path, Path] = {}  # target -> staged file
        self.removals: set[Path] = set()
        self._lock: IO[Any] | None = None
        self._after: list[Callable[[], None]] = []

    def __enter__(self) -> OutputSet:
        from .lease import check_free  # the lease is built on this module's lock

        check_free(self.outdir)  # a `bptools watch` of another process writes here alone
        try:
            self.outdir.mkdir(parents=True, exist_ok=True)
            self._lock = _acquire(self.outdir / _LOCK, self.on_wait)
            recover(self.outdir)
            self.staging = Path(tempfile.mkdtemp(prefix=_STAGING, dir=self.outdir))
        except OSError as exc:
            self._release()
            raise output_problem(self.outdir, exc) from exc
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        try:
            if kind is None:
                self.commit()
                for action in self._after:
                    action()
        finally:
            shutil.rmtree(self.staging, ignore_errors=True)
            self._release()

    def file(self, target: Path) -> contextlib.AbstractContextManager[Path]:
        """Where to write `target` (a path inside the output folder)."""
        staged = self.staging / target.relative_to(self.outdir)
        self.moves[target] = staged
        return self._writing(target, staged)

    def remove(self, target: Path) -> None:
        self.removals.add(target)

    def after_commit(self, action: Callable[[], None]) -> None:
        """Run `action` once the files are in place (still holding the folder's lock)."""
        self._after.append(action)

    @contextlib.contextmanager
    def _writing(self, target: Path, staged: Path) -> Iterator[Path]:
        """A file whose writing fails is not part of the set."""
        try:
            staged.parent.mkdir(parents=True, exist_ok=True)
            yield staged
        except BaseException as exc:
            staged.unlink(missing_ok=True)
            self.moves.pop(target, None)
            if isinstance(exc, _WRITE_ERRORS):
                raise output_problem(target, exc) from exc
            raise

    def commit(self) -> None:
        """Move what is replaced or removed aside, then the new files in, then clean up."""
        moves = {t: s for t, s in self.moves.items() if s.exists()}
        for target in moves:  # never moved aside and removed as if it were our file
            if target.is_dir():
                raise OutputError(
                    f"无法写入 {target}：那里有一个同名的文件夹；请把它移走或改名，"
                    "或用 -o 换一个输出文件夹后重试"
                )
        for target in moves:  # before anything moves: a folder that cannot be made stops here
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise output_problem(target.parent, exc) from exc
        aside = {t: t.with_name(_ASIDE + t.name) for t in [*moves, *self.removals] if t.exists()}
        journal = {
            "state": "prepare",
            "staging": str(self.staging),
            "moves": [[str(t), str(s)] for t, s in moves.items()],
            "aside": [[str(t), str(a)] for t, a in aside.items()],
        }
        _write_journal(self.outdir, journal)
        done: list[Path] = []
        for target, old in aside.items():
            try:
                target.replace(old)
            except OSError as exc:
                for back in done:
                    aside[back].replace(back)
                (self.outdir / _JOURNAL).unlink(missing_ok=True)
                raise output_problem(target, exc) from exc
            done.append(target)
        _write_journal(self.outdir, {**journal, "state": "commit"})
        _finish(self.outdir, journal)

    def _release(self) -> None:
        if self._lock is not None:
            _release_lock(self._lock, self.outdir / _LOCK)
            self._lock = None


def recover(outdir: Path) -> None:
    """Finish (or undo) a commit an earlier run was killed in, and remove its temporary
    files: the folder then holds one complete set of outputs."""
    path = outdir / _JOURNAL
    if path.exists():
        try:
            journal = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            journal = None
        if journal and journal.get("state") == "commit":
            _finish(outdir, journal)
        elif journal:
            for target, old in journal.get("aside", []):
                if Path(old).exists() and not Path(target).exists():
                    Path(old).replace(target)
        path.unlink(missing_ok=True)
    for folder in (outdir, *(p for p in outdir.iterdir() if p.is_dir())):
        for stray in folder.glob(TEMP_PREFIX + "*"):
            if stray.name in (_LOCK, _JOURNAL, LEASE):
                continue
            if stray.is_dir():
                shutil.rmtree(stray, ignore_errors=True)
            else:
                stray.unlink(missing_ok=True)


def _finish(outdir: Path, journal: dict[str, Any]) -> None:
    for target, staged in journal["moves"]:
        if Path(staged).exists():
            Path(target).parent.mkdir(parents=True, exist_ok=True)
            Path(staged).replace(target)
    for _, old in journal["aside"]:
        Path(old).unlink(missing_ok=True)
    (outdir / _JOURNAL).unlink(missing_ok=True)
    shutil.rmtree(journal["staging"], ignore_errors=True)


def _write_journal(outdir: Path, journal: dict[str, Any]) -> None:
    tmp = outdir / (_JOURNAL + ".tmp")
    tmp.write_text(json.dumps(journal, ensure_ascii=False), "utf-8")
    tmp.replace(outdir / _JOURNAL)


def _acquire(path: Path, on_wait: Callable[[], None] | None) -> IO[Any]:
    """An exclusive lock on `path`, held while the returned file is open.

    The lock file is removed on release (`_release_lock`); a run that waited on a file so
    removed sees that it no longer is the one at `path` and locks afresh.
    """
    waited = False
    while True:
        handle = path.open("a+")
        try:
            if not lock_handle(handle, wait=False):
                if on_wait and not waited:
                    on_wait()
                waited = True
                lock_handle(handle, wait=True)
            if _still_at(handle, path):
                return handle
        except BaseException:
            handle.close()
            raise
        handle.close()


def _still_at(handle: IO[Any], path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(handle.fileno()), path.stat())
    except OSError:
        return False


def _release_lock(handle: IO[Any], path: Path) -> None:
    # Windows refuses to remove a file another process has open: it then stays.
    with contextlib.suppress(OSError):
        path.unlink()
    handle.close()


def lock_handle(handle: IO[Any], *, wait: bool) -> bool:
    """Lock the open file `handle` exclusively (waiting for it when `wait`); False when
    another process holds it and not `wait`."""
    try:
        import fcntl
    except ImportError:  # Windows: lock the first byte
        import msvcrt

        handle.seek(0)
        while True:
            try:
                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
                return True
            except OSError:
                if not wait:
                    return False
                time.sleep(0.5)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True
