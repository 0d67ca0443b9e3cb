"""A merge's outputs written together (`bptools.outputs`): the feedback copies are made
while the workbook and the page are written, and each output is the one written alone; an
output that fails stops the others and leaves nothing of the run."""

from __future__ import annotations

import shutil
import threading
import zipfile
from pathlib import Path

import pytest

import bptools.feedback
import bptools.outputs
from bptools.errors import OutputError
from bptools.feedback import FEEDBACK_DIR, write_feedback
from bptools.html import write_html
from bptools.outputs import COPIES, PAGE, REPORT, write_outputs
from bptools.pipeline import Consolidation
from bptools.report import write_report
from bptools.stamp import html_stamp, xlsx_stamp
from bptools.write.output import OutputSet


def members(path: Path) -> dict[str, bytes]:
    """A workbook's parts, but for its creation time."""
    with zipfile.ZipFile(path) as package:
        return {n: package.read(n) for n in package.namelist() if n != "docProps/core.xml"}


def test_together_each_output_is_the_one_written_alone(
    sample_result: Consolidation, tmp_path: Path
) -> None:
    report = members(write_report(sample_result, tmp_path))
    page = html_stamp(write_html(sample_result, tmp_path))
    copies = {p.name: p.read_bytes() for p in write_feedback(sample_result, tmp_path)}
    shutil.rmtree(tmp_path)  # else what is there already is kept
    written = write_outputs(sample_result, tmp_path)
    assert members(written.report) == report
    assert written.page is not None and html_stamp(written.page) == page
    assert {p.name: p.read_bytes() for p in written.copies} == copies and len(copies) > 10
    assert set(written.seconds) == {REPORT, PAGE, COPIES}


def test_without_html_and_feedback_only_the_workbook(
    sample_result: Consolidation, tmp_path: Path
) -> None:
    written = write_outputs(sample_result, tmp_path, html=False, feedback=False)
    assert xlsx_stamp(written.report) is not None
    assert written.page is None and written.copies == []
    assert sorted(p.name for p in tmp_path.iterdir()) == [written.report.name]


def test_a_workbook_that_fails_stops_the_copies_and_leaves_nothing(
    sample_result: Consolidation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = threading.Event()
    real = bptools.feedback.make_copies

    def slow_copies(jobs: list[object]) -> list[object]:
        started.set()
        return real(jobs)  # type: ignore[arg-type]

    def failing_report(*args: object, **kwargs: object) -> Path:
        assert started.wait(10)  # the copies are being made meanwhile
        raise OutputError("无法写入 汇总表")

    monkeypatch.setattr(bptools.feedback, "make_copies", slow_copies)
    monkeypatch.setattr(bptools.outputs, "write_report", failing_report)
    with pytest.raises(OutputError, match="汇总表"), OutputSet(tmp_path) as out:
        write_outputs(sample_result, tmp_path, out=out)
    assert not any(t.name.startswith("bptools-feedback") for t in threading.enumerate())
    assert list(tmp_path.iterdir()) == []


def test_a_copy_that_cannot_be_written_fails_the_run_once_the_workbook_is_done(
    sample_result: Consolidation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(content: bytes, key: bytes) -> bytes:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(bptools.feedback, "_stamped", full_disk)
    with pytest.raises(OutputError, match="磁盘空间不足"), OutputSet(tmp_path) as out:
        write_outputs(sample_result, tmp_path, out=out)
    assert not (tmp_path / FEEDBACK_DIR).exists()
    assert list(tmp_path.iterdir()) == []
