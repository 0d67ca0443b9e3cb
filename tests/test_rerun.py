"""A re-merge with nothing changed keeps the consolidated workbook and the HTML page it would
write again; any change to the inputs, the settings or a damaged output rewrites them."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import openpyxl

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


def books(out: Path) -> dict[str, tuple[int, int]]:
    return {p.name: identity(p) for p in (out / DEPARTMENT_DIR).iterdir()}


def test_only_the_workbooks_of_changed_departments_are_written_again(tmp_path: Path) -> None:
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    for path in SAMPLE_FILES:
        shutil.copy(path, inbox)
    out, config = tmp_path / "out", Config(department_sheets=3)
    write_report(consolidate([inbox], config=config), out, config)
    before = books(out)
    assert len(before) == 19
    write_report(consolidate([inbox], config=config), out, config)
    assert books(out) == before

    changed = inbox / SAMPLE_FILES[3].name  # its department rewrites a project's overview
    wb = openpyxl.load_workbook(changed)
    wb.worksheets[1]["B7"] = "本项目用于全区重点工作，具体内容待定。"
    wb.save(changed)
    write_report(consolidate([inbox], config=config), out, config)
    after = books(out)
    rewritten = {name for name in after if after[name] != before[name]}
    assert f"{changed.stem}.xlsx" in rewritten and len(rewritten) <= 3
    (out / DEPARTMENT_DIR / sorted(after)[4]).unlink()  # removed by hand: written again
    write_report(consolidate([inbox], config=config), out, config)
    assert sorted(books(out)) == sorted(before)
