"""XlsxWriter's worksheet with its commonest cells written faster.

A table of a thousand departments is 400,000 cells, and XlsxWriter spends most of its time
on each one's XML: it escapes every attribute (a cell reference and a style number, which
have nothing to escape) and tells the cell's kind by its class name. `TableSheet` writes a
text, number or blank cell with a style in one f-string, exactly the bytes XlsxWriter writes
(tests/test_fastsheet.py compares whole workbooks), and leaves every other cell to it.

It leans on XlsxWriter's cell tuples and its `_write_cell`: where a version of XlsxWriter
has them not as this module expects, `SHEET_CLASS` is XlsxWriter's own worksheet.
"""

from __future__ import annotations

import weakref
from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from .style import reads_as_formula

try:
    from xlsxwriter.utility import xl_rowcol_to_cell_fast
    from xlsxwriter.worksheet import CellBlankTuple, CellNumberTuple, CellStringTuple
except ImportError:  # another XlsxWriter than the one this was written against
    CellStringTuple = CellNumberTuple = CellBlankTuple = None  # type: ignore[assignment,misc]


# The properties each of our formats was made with (`write.book.fmt`), for its twin.
FORMAT_PROPS: weakref.WeakKeyDictionary[Format, dict[str, Any]] = weakref.WeakKeyDictionary()


class TableSheet(Worksheet):
    """A worksheet whose styled text, number and blank cells are written directly, and
    whose text that would read as a formula when typed (=, +, -, @ first) gets its format's
    quote-prefixed twin: a clerk editing the cell keeps the text."""

    def __init__(self) -> None:
        super().__init__()
        self._quoted: dict[int, Format] = {}  # id of a format -> its twin (formats live on)

    def _write_string(self, row: int, col: int, string: str, cell_format: Any = None) -> Any:
        if reads_as_formula(string):
            cell_format = self._twin(cell_format)
        return super()._write_string(row, col, string, cell_format)

    def _twin(self, cell_format: Format | None) -> Format | None:
        twin = self._quoted.get(id(cell_format))
        if twin is None and hasattr(self, "workbook_add_format"):  # else: still text
            props = FORMAT_PROPS.get(cell_format, {}) if cell_format is not None else {}
            twin = self.workbook_add_format({**props, "quote_prefix": True})
            self._quoted[id(cell_format)] = twin
        return twin or cell_format

    def _write_cell(self, row: int, col: int, cell: Any) -> None:
        kind, style = type(cell), cell.format
        if style is None or kind not in _FAST:
            super()._write_cell(row, col, cell)
            return
        head = f'<c r="{xl_rowcol_to_cell_fast(row, col)}" s="{style._get_xf_index()}"'
        if kind is CellStringTuple:  # its `string` is the index in the shared strings
            self.fh.write(f'{head} t="s"><v>{cell.string}</v></c>')
        elif kind is CellNumberTuple:
            self.fh.write(f"{head}><v>{cell.number:.16G}</v></c>")
        else:
            self.fh.write(f"{head}/>")


_FAST = (CellStringTuple, CellNumberTuple, CellBlankTuple)


def _usable() -> bool:
    """Whether XlsxWriter is laid out as TableSheet expects."""
    hooks = ("_write_cell", "_write_string", "_write_number", "_write_blank")
    return CellStringTuple is not None and all(hasattr(Worksheet, name) for name in hooks)


SHEET_CLASS: type[Worksheet] = TableSheet if _usable() else Worksheet
