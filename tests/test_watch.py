"""`bptools watch` as the clerk runs it, in a process of its own over a temporary inbox: a
lock file, a burst of submissions, a resubmission copied slowly that fixes two findings, a
second writer, and Ctrl-C."""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from bptools.cli import cli
from bptools.ledger import LEDGER_NAME, load
from bptools.ledger_view import NEEDS_FIX, REPLACED, UNREADABLE
from bptools.watch import FolderWatch, compare

from .conftest import SAMPLE_FILES
from .test_ledger import DISABLED, _fix_two

REPORT = "2023年绩效目标汇总.xlsx"
RUN_LINE = "→ 文件"  # every re-merge prints one line with it
WAIT = 90.0  # seconds a step may take on a slow, busy machine


class Watching:
    """A `bptools watch` process and the lines it prints."""

    def __init__(self, inbox: Path, out: Path) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [
                *(sys.executable, "-m", "bptools", "watch", str(inbox), "-o", str(out)),
                *("--settle", "0.5", "--no-html"),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, text: str, timeout: float = WAIT) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                if self.process.poll() is not None and self.lines.empty():
                    break
                continue
            self.seen.append(line)
            if text in line:
                return line
        raise AssertionError(f"no line with {text!r}; printed:\n" + "\n".join(self.seen))

    def quiet_for(self, seconds: float) -> list[str]:
        """The run lines printed within `seconds`."""
        end, runs = time.monotonic() + seconds, []
        while (left := end - time.monotonic()) > 0:
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                break
            self.seen.append(line)
            runs += [line] if RUN_LINE in line else []
        return runs


@pytest.fixture
def watching(tmp_path: Path) -> Iterator[tuple[Watching, Path, Path]]:
    inbox, out = tmp_path / "收件箱", tmp_path / "汇总结果"
    inbox.mkdir()
    watch = Watching(inbox, out)
    try:
        yield watch, inbox, out
    finally:
        if watch.process.poll() is None:
            watch.process.kill()
            watch.process.wait(timeout=30)


def test_the_season_through_a_watched_folder(
    watching: tuple[Watching, Path, Path], tmp_path: Path
) -> None:
    watch, inbox, out = watching
    watch.wait_for("等待文件")
    (inbox / "~$106-中国共产党重庆市北碚区委员会宣传部.xlsx").write_bytes(b"lock")
    (inbox / ".~lock.x.xlsx#").write_text("lock", encoding="utf-8")
    assert watch.quiet_for(3) == []  # lock files start nothing

    for path in SAMPLE_FILES:  # a burst: one re-merge
        shutil.copy2(path, inbox / path.name)
    first = watch.wait_for(RUN_LINE)
    assert "新增 19 个" in first and "错误 6" in first
    assert watch.quiet_for(3) == []
    assert (out / REPORT).is_file()

    fixed = tmp_path / DISABLED
    shutil.copy2(inbox / DISABLED, fixed)
    _fix_two(fixed)
    content = fixed.read_bytes()
    with (inbox / DISABLED).open("wb") as copy:  # a slow copy over the network
        copy.write(content[: len(content) // 3])
        copy.flush()
        time.sleep(2.5)  # longer than --settle: only "it opens" tells it is not done
        copy.write(content[len(content) // 3 :])
    second = watch.wait_for(RUN_LINE)
    assert "修改 1 个" in second and "错误 4" in second
    assert any(f"等待 {DISABLED} 复制完成" in line for line in watch.seen), watch.seen
    entries = [e for e in load(out / LEDGER_NAME).entries if e.name == DISABLED]
    assert [(e.round, e.status) for e in entries] == [(1, REPLACED), (2, NEEDS_FIX)]
    assert len(entries[1].fixed) == 2 and entries[1].new == []
    assert all(e.status != UNREADABLE for e in load(out / LEDGER_NAME).entries)
    rows = list(openpyxl.load_workbook(out / REPORT, read_only=True)["收件台账"].values)
    assert [r[2] for r in rows if r[1] == DISABLED] == [1, 2]

    # One writer per output folder: another watch, or a merge, is told and refused.
    other = CliRunner().invoke(cli, ["watch", str(inbox), "-o", str(out)])
    assert other.exit_code == 3 and "另一个 bptools watch" in other.output
    merge = CliRunner().invoke(cli, ["merge", str(inbox), "-o", str(out)])
    assert merge.exit_code == 3 and "Ctrl-C" in merge.output

    damaged = inbox / "501-重庆市北碚区审计局.xlsx"  # opens as a zip, holds no workbook
    with zipfile.ZipFile(damaged, "w") as package:
        package.writestr("xl/workbook.xml", "<not a workbook")
    assert "新增 1 个" in watch.wait_for(RUN_LINE)  # read and reported; the watch goes on
    entry = next(e for e in load(out / LEDGER_NAME).entries if e.name == damaged.name)
    assert (entry.status, entry.unit) == (UNREADABLE, "501-重庆市北碚区审计局")

    (inbox / DISABLED).unlink()
    assert "移出 1 个" in watch.wait_for(RUN_LINE)
    watch.process.send_signal(signal.SIGINT)
    assert watch.process.wait(timeout=WAIT) == 0
    watch.wait_for("已停止监视")
    assert openpyxl.load_workbook(out / REPORT, read_only=True).sheetnames[1] == "收件台账"
    assert not [p for p in out.iterdir() if p.name.startswith(".~bptools-")]

    before = load(out / LEDGER_NAME)
    again = Watching(inbox, out)  # the next morning: the ledger and the cache are there
    try:
        assert "开始监视，有工作簿 19 个" in again.wait_for(RUN_LINE)
        assert load(out / LEDGER_NAME).entries == before.entries  # nothing new arrived
    finally:
        again.process.send_signal(signal.SIGINT)
        again.process.wait(timeout=WAIT)


def test_a_burst_settles_into_one_change(tmp_path: Path) -> None:
    """The library under the command: a burst of copies, then one Change of them all."""
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    with FolderWatch(inbox, quiet=0.3, settle=0.3, rescan=5) as watcher:
        for path in SAMPLE_FILES[:5]:
            shutil.copy2(path, inbox / path.name)
            time.sleep(0.1)
        (inbox / "~$lock.xlsx").write_bytes(b"x")
        found = watcher.next_change({})
        assert found is not None
        snapshot, change = found
        assert [p.name for p in change.added] == sorted(p.name for p in SAMPLE_FILES[:5])
        assert change.describe() == "新增 5 个"
        (inbox / SAMPLE_FILES[0].name).unlink()
        again = watcher.next_change(snapshot)
        assert again is not None and again[1] == compare(snapshot, again[0])
        assert again[1].describe() == "移出 1 个"
        moved = inbox / "改名.xlsx"
        (inbox / SAMPLE_FILES[1].name).rename(moved)
        third = watcher.next_change(again[0])
        assert third is not None and third[1].describe() == "改名 1 个"
        assert third[1].renamed == [(inbox / SAMPLE_FILES[1].name, moved)]
