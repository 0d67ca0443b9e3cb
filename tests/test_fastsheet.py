"""The worksheet that writes its commonest cells directly (`bptools.write.fastsheet`) writes
the very bytes XlsxWriter's own does, for every sheet we write."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
from xlsxwriter.worksheet import Worksheet

import bptools.write.book
from bptools.config import Config
from bptools.pipeline import Consolidation
from bptools.report import write_report
from bptools.write.book import new_workbook, table_formats
from bptools.write.fastsheet import SHEET_CLASS, TableSheet


def parts(path: Path) -> dict[str, bytes]:
    """A workbook's parts, but for its creation time and its stamp (which names its folder)."""
    stamps = ("docProps/core.xml", "docProps/custom.xml")
    with zipfile.ZipFile(path) as package:
        return {n: package.read(n) for n in package.namelist() if n not in stamps}


ONE_BOOK, BOOK_EACH = Config(), Config(department_sheets=0)


@pytest.mark.parametrize("config", [ONE_BOOK, BOOK_EACH], ids=["sheets", "books"])
def test_the_fast_sheet_writes_what_xlsxwriter_writes(
    sample_result: Consolidation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, config: Config
) -> None:
    assert SHEET_CLASS is TableSheet  # the XlsxWriter we install is the one it expects
    fast = write_report(sample_result, tmp_path / "fast", config)
    monkeypatch.setattr(bptools.write.book, "SHEET_CLASS", Worksheet)
    plain = write_report(sample_result, tmp_path / "plain", config)
    assert parts(fast) == parts(plain)
    books = sorted((tmp_path / "fast").rglob("部门/*.xlsx"))
    assert len(books) == (19 if config.department_sheets == 0 else 0)
    for book in books:
        assert parts(book) == parts(tmp_path / "plain" / book.relative_to(tmp_path / "fast"))


def sheet_xml(tmp_path: Path, sheet_class: type[Worksheet]) -> bytes:
    """A sheet of every kind of cell, with a style and without, written by `sheet_class`."""
    path = tmp_path / f"{sheet_class.__name__}.xlsx"
    wb = new_workbook(path)
    wb.worksheet_class = sheet_class
    ws = wb.add_worksheet("表")
    styled = wb.add_format({"bold": True})
    numbers = [5, -0.0, 1 / 3, 1234567890.123456, 1e20, 2.5e-10, 10**15 + 1]
    for r, number in enumerate(numbers):
        ws.write_number(r, 0, number, styled)
        ws.write_number(r, 1, number)
        ws.write_string(r, 2, f"第{r}行 <&> “引号”", styled)
        ws.write_string(r, 3, "文字")
        ws.write_blank(r, 4, None, styled)
    ws.write_rich_string(0, 5, styled, "粗", "细")
    ws.write_formula(1, 5, "=A1+1", styled)
    ws.write_url(2, 5, "https://example.org/", styled, "链接")
    ws.write_boolean(3, 5, True, styled)
    wb.close()
    with zipfile.ZipFile(path) as package:
        return package.read("xl/worksheets/sheet1.xml")


def test_every_kind_of_cell_is_the_bytes_xlsxwriter_writes(tmp_path: Path) -> None:
    assert sheet_xml(tmp_path, TableSheet) == sheet_xml(tmp_path, Worksheet)


def test_text_that_reads_as_a_formula_keeps_its_look_and_a_quote_prefix(tmp_path: Path) -> None:
    path = tmp_path / "quoted.xlsx"
    wb = new_workbook(path)
    formats = table_formats(wb)
    ws = wb.add_worksheet("表")
    texts = ["=1+1", "+86", "-5", "@SUM(1)", "正常", "1=1"]
    for r, text in enumerate(texts):
        ws.write_string(r, 0, text, formats["wrap"])
    ws.write_url(len(texts), 0, "internal:'表'!A1", formats["link"], "=点我")
    wb.close()
    sheet = openpyxl.load_workbook(path)["表"]
    cells = [sheet.cell(r + 1, 1) for r in range(len(texts) + 1)]
    assert [c.quotePrefix for c in cells] == [True, True, True, True, False, False, True]
    assert all(c.data_type == "s" for c in cells)
    assert {(c.font.name, c.border.left.style, c.alignment.wrap_text) for c in cells[:6]} == {
        (cells[4].font.name, "thin", True)
    }
