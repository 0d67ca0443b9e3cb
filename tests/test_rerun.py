"""A re-merge with nothing changed keeps the consolidated workbook and the HTML page it would
write again; any change to the inputs, the settings or a damaged output rewrites them."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from bptools import consolidate
from bptools.config import Config
from bptools.html import write_html
from bptools.report import DEPARTMENT_DIR, write_report
from bptools.rules import Severity

from .conftest import SAMPLE_FILES


def identity(path: Path) -> tuple[int, int]:
    """A file written again (atomically, through a temporary file) gets a new inode."""
    return path.stat().st_ino, path.stat().st_mtime_ns


def outputs(inbox: Path, out: Path, config: Config) -> tuple[Path, Path]:
    result = consolidate([inbox], config=config)
    return write_report(result, out, config), write_html(result, out, config)


def test_only_a_change_rewrites_the_consolidated_outputs(tmp_path: Path) -> None:
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    for path in SAMPLE_FILES[:5]:
        shutil.copy(path, inbox)
    out, config = tmp_path / "out", Config()
    report, page = outputs(inbox, out, config)
    first = identity(report), identity(page)

    assert outputs(inbox, out, config) == (report, page)
    assert (identity(report), identity(page)) == first

    with zipfile.ZipFile(inbox / SAMPLE_FILES[2].name, "a") as archive:
        archive.comment = "重交".encode()  # the same tables, sent again: a new file time
    outputs(inbox, out, config)
    second = identity(report), identity(page)
    assert second[0] != first[0] and second[1] != first[1]

    stricter = Config(severities={"BP812": Severity.ERROR})
    outputs(inbox, out, stricter)
    third = identity(report), identity(page)
    assert third[0] != second[0] and third[1] != second[1]

    report.write_bytes(report.read_bytes()[:-100])  # cut short on the share
    outputs(inbox, out, stricter)
    assert identity(report) != third[0] and identity(page) == third[1]
    assert zipfile.ZipFile(report).testzip() is None


def test_department_workbooks_are_kept_or_written_with_the_workbook(tmp_path: Path) -> None:
    out, config = tmp_path / "out", Config(department_sheets=3)
    result = consolidate(SAMPLE_FILES)
    write_report(result, out, config)
    books = sorted((out / DEPARTMENT_DIR).iterdir())
    assert len(books) == 19
    before = {p.name: identity(p) for p in books}
    write_report(result, out, config)
    assert {p.name: identity(p) for p in (out / DEPARTMENT_DIR).iterdir()} == before
    books[4].unlink()  # removed by hand: the set is written again
    write_report(result, out, config)
    assert sorted(p.name for p in (out / DEPARTMENT_DIR).iterdir()) == sorted(before)
