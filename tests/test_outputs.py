"""The outputs of a run appear together or not at all: a folder that cannot be written, a
full disk, a file open in Excel or a run killed half-way leaves the previous set (or the new
one), a clear message and exit code 3, and nothing behind."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from bptools.cache import CACHE_NAME
from bptools.cli import cli
from bptools.ledger import LEDGER_NAME
from bptools.write.output import OutputSet, recover

from .conftest import SAMPLE_FILES

REPORT = "2023年绩效目标汇总.xlsx"
PAGE = "2023年绩效目标汇总.html"
EXTRA = SAMPLE_FILES[10]  # not among the files the tests start from


def merge(inbox: Path, out: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["merge", str(inbox), "-o", str(out), "--fail-on", "never"])
    return result.exit_code, result.output


def inbox(tmp_path: Path, files: list[Path]) -> Path:
    folder = tmp_path / "收件箱"
    folder.mkdir(exist_ok=True)
    for path in files:
        shutil.copy(path, folder)
    return folder


def snapshot(out: Path) -> dict[str, bytes]:
    """The outputs as they are (the cache is no output: it keeps what each file gave, whether
    or not the outputs were written)."""
    kept = (CACHE_NAME, LEDGER_NAME)
    files = [p for p in sorted(out.rglob("*")) if p.is_file() and p.name not in kept]
    return {str(p.relative_to(out)): p.read_bytes() for p in files}


def files_read(out: Path) -> tuple[int, int, int]:
    """Which run wrote the set: the number of files read, as the workbook, the page and the
    feedback folder each tell it."""
    ws = openpyxl.load_workbook(out / REPORT, read_only=True)["总览"]
    in_report = next(r[1] for r in ws.iter_rows(values_only=True) if r[0] == "读取的文件")
    page = (out / PAGE).read_text("utf-8")
    in_page = int(page.split('id="count-files" data-count="')[1].split('"', 1)[0])
    copies = len(list((out / "反馈").iterdir()))
    return in_report, in_page, copies


def test_an_output_folder_that_cannot_be_made_exits_3(tmp_path: Path) -> None:
    (tmp_path / "文件").write_text("x", encoding="utf-8")
    code, output = merge(inbox(tmp_path, SAMPLE_FILES[:2]), tmp_path / "文件" / "结果")
    assert code == 3
    assert f"无法写入 {tmp_path / '文件' / '结果'}" in output
    assert "Traceback" not in output


def test_a_feedback_folder_that_cannot_be_written_keeps_the_previous_outputs(
    tmp_path: Path,
) -> None:
    folder = inbox(tmp_path, SAMPLE_FILES[:2])
    out = tmp_path / "结果"
    assert merge(folder, out)[0] == 0
    shutil.rmtree(out / "反馈")
    (out / "反馈").write_text("挡住了", encoding="utf-8")  # a file where the folder goes
    before = snapshot(out)
    shutil.copy(EXTRA, folder / "新.xlsx")
    code, output = merge(folder, out)
    assert code == 3 and f"无法写入 {out / '反馈'}" in output
    assert snapshot(out) == before


def test_a_file_open_in_excel_stops_the_commit_before_anything_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows refuses to replace a file Excel has open: the copy for one department, which
    resubmitted (an unchanged department's copy is left as it is, open or not)."""
    folder = inbox(tmp_path, SAMPLE_FILES[:3])
    out = tmp_path / "结果"
    assert merge(folder, out)[0] == 0
    before = snapshot(out)
    resubmitted = folder / SAMPLE_FILES[1].name
    wb = openpyxl.load_workbook(resubmitted)
    wb.worksheets[1]["B5"] = "改过的项目名称"
    wb.save(resubmitted)
    locked = out / "反馈" / f"{resubmitted.stem}（审核意见）.xlsx"
    assert locked.exists()
    real = Path.replace

    def replace(self: Path, target: Path | str) -> Path:
        if self == locked:
            raise PermissionError(errno.EACCES, "in use", str(self))
        return real(self, target)

    monkeypatch.setattr(Path, "replace", replace)
    shutil.copy(EXTRA, folder / "新.xlsx")
    code, output = merge(folder, out)
    assert code == 3
    assert f"请先关闭 {locked.name}" in output
    assert snapshot(out) == before


def test_a_full_disk_keeps_the_previous_outputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = inbox(tmp_path, SAMPLE_FILES[:2])
    out = tmp_path / "结果"
    assert merge(folder, out)[0] == 0
    before = snapshot(out)
    real = Path.write_text

    def write_text(self: Path, *args: object, **kwargs: object) -> int:
        if self.suffix == ".html":
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "write_text", write_text)
    shutil.copy(EXTRA, folder / "新.xlsx")
    code, output = merge(folder, out)
    assert code == 3 and "磁盘空间不足" in output and PAGE in output
    assert snapshot(out) == before


KILLER = """
import os, signal, sys
from pathlib import Path
from bptools.cli import cli

moves = 0
real = Path.replace

def replace(self, target):
    global moves
    names = str(self) + str(target)
    if ".~bptools-" in names and "journal" not in names:
        moves += 1
        if moves == int(sys.argv[1]):
            os.kill(os.getpid(), signal.SIGKILL)
    return real(self, target)

Path.replace = replace
cli.main(sys.argv[2:])
"""


@pytest.mark.parametrize("kill_at", [1, 3, 6, 7, 9, 13])
def test_a_run_killed_during_the_commit_leaves_one_complete_set(
    tmp_path: Path, kill_at: int
) -> None:
    """SIGKILL at the k-th move of the commit (6 old files moved aside, then 7 new ones in;
    every department resubmitted, so every copy is replaced):
    once the next run (or any command on the folder) has recovered, every output is from
    the same run."""
    folder = inbox(tmp_path, SAMPLE_FILES[:4])
    out = tmp_path / "结果"
    assert merge(folder, out)[0] == 0
    first = files_read(out)
    for resubmitted in folder.iterdir():  # every department sends its file again
        with zipfile.ZipFile(resubmitted, "a") as archive:
            archive.comment = "第二次报送".encode()
    shutil.copy(EXTRA, folder / "新.xlsx")
    script = tmp_path / "killer.py"
    script.write_text(textwrap.dedent(KILLER), encoding="utf-8")
    args = ["merge", str(folder), "-o", str(out), "--fail-on", "never"]
    run = subprocess.run(
        [sys.executable, str(script), str(kill_at), *args], capture_output=True, timeout=120
    )
    assert run.returncode == -signal.SIGKILL, run.stderr.decode()
    with OutputSet(out):
        pass  # what every run does first: recover
    assert files_read(out) in (first, (5, 5, 5))
    assert not list(out.rglob(".~bptools-*"))


def test_a_later_run_removes_what_a_killed_one_left(tmp_path: Path) -> None:
    out = tmp_path / "结果"
    (out / "反馈").mkdir(parents=True)
    (out / ".~bptools-abc123.xlsx").write_bytes(b"half")
    (out / "反馈" / ".~bptools-def456.xlsx").write_bytes(b"half")
    staging = out / ".~bptools-staging-xyz" / "反馈"
    staging.mkdir(parents=True)
    (staging / "a.xlsx").write_bytes(b"new")
    (out / "keep.txt").write_text("the clerk's own", encoding="utf-8")
    recover(out)
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*")) == ["keep.txt", "反馈"]


def test_two_runs_into_one_folder_take_turns(tmp_path: Path) -> None:
    folder = inbox(tmp_path, SAMPLE_FILES[:3])
    out = tmp_path / "结果"
    args = [sys.executable, "-m", "bptools", "merge", str(folder), "-o", str(out)]
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    runs = [subprocess.Popen([*args, "--fail-on", "never"], env=env) for _ in range(2)]
    assert [p.wait(timeout=120) for p in runs] == [0, 0]
    assert files_read(out) == (3, 3, 3)
    assert not list(out.rglob(".~bptools-*"))


def test_a_folder_where_an_output_goes_is_left_alone_and_named(tmp_path: Path) -> None:
    folder = inbox(tmp_path, SAMPLE_FILES[:2])
    out = tmp_path / "结果"
    (out / PAGE).mkdir(parents=True)
    (out / PAGE / "笔记.txt").write_text("别删", encoding="utf-8")
    code, output = merge(folder, out)
    assert code == 3 and f"无法写入 {out / PAGE}：那里有一个同名的文件夹" in output
    assert (out / PAGE / "笔记.txt").read_text(encoding="utf-8") == "别删"
    assert sorted(p.name for p in out.iterdir()) == [CACHE_NAME, LEDGER_NAME, PAGE]  # nothing else
