"""One watcher per output folder: `bptools watch` holds the folder's lease while it runs, and
every other run into that folder is told so instead of writing beside it.

The lease is an OS lock on a file in the folder, so a watcher that was killed leaves no lease
behind. Byte 0 is the one Windows locks; who holds the lease is written after it.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import IO

from ..errors import OutputError
from .output import LEASE, lock_handle, output_problem

_HELD: set[Path] = set()  # the folders this process holds the lease of


@contextlib.contextmanager
def held(outdir: Path) -> Iterator[None]:
    """Hold the lease of `outdir` while the block runs; OutputError when another holds it."""
    path = outdir / LEASE
    try:
        outdir.mkdir(parents=True, exist_ok=True)
        handle = path.open("a+", encoding="utf-8")
    except OSError as exc:
        raise output_problem(path, exc) from exc
    with handle:
        if not lock_handle(handle, wait=False):
            raise OutputError(_refusal(outdir, _holder(path)))
        try:
            yield _hold(handle, outdir)
        finally:
            _HELD.discard(outdir.resolve())
            with contextlib.suppress(OSError):
                path.unlink()  # before the lock goes with the handle: no one sees it free


def _hold(handle: IO[str], outdir: Path) -> None:
    """Say who holds the lease (after byte 0, the one Windows locks)."""
    holder = {"pid": os.getpid(), "host": socket.gethostname()}
    holder["since"] = f"{datetime.now():%Y-%m-%d %H:%M}"
    handle.seek(0)
    handle.truncate()
    handle.write(" " + json.dumps(holder, ensure_ascii=False))
    handle.flush()
    _HELD.add(outdir.resolve())


def check_free(outdir: Path) -> None:
    """OutputError when another watcher holds the lease of `outdir` (a run would write
    beside it); this process's own lease lets its runs through."""
    if outdir.resolve() in _HELD:
        return
    path = outdir / LEASE
    try:
        handle = path.open("r+", encoding="utf-8")
    except OSError:
        return  # no lease file: nobody watches
    with handle:
        if lock_handle(handle, wait=False):
            return  # a lease file left by a watcher that is gone: free
        raise OutputError(_refusal(outdir, _holder(path)))


def _holder(path: Path) -> dict[str, object]:
    try:
        with path.open(encoding="utf-8") as handle:
            handle.seek(1)
            found = json.loads(handle.read() or "{}")
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _refusal(outdir: Path, holder: dict[str, object]) -> str:
    who = ""
    if holder:
        host, pid, since = (holder.get(k, "") for k in ("host", "pid", "since"))
        who = f"（{host} 上的进程 {pid}，自 {since} 起）"
    return (
        f"另一个 bptools watch{who}正在监视并汇总到 {outdir}，它会在文件变化时自动更新汇总结果。"
        "如需手动汇总，请先在运行 watch 的窗口按 Ctrl-C 停止它，或用 -o 换一个输出文件夹"
    )
