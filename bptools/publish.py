"""Write the merged tables in the published layout, ready to print or export to PDF.

The bureau publishes the year's tables as one document: for each project a title, the
编制单位 line with 单位：万元, the header grid, 项目概述, 立项依据, 当年绩效目标 and the
绩效指标 table. All projects go on one sheet with a page break before each, so a single
print or PDF export (Excel exports only the active sheet unless told otherwise) gives the
document; past Excel's 1,023 manual page breaks a further sheet takes the rest.

Pages are laid out here rather than by the office suite: "fit to N pages" makes Excel ignore
manual page breaks, and "rows to repeat" is one range per sheet, which cannot repeat each
project's own indicator header. So the sheet prints at a fixed scale that fits the width,
every row gets an explicit height, and where a project runs onto another page the break is
placed between indicator rows and the indicator header is written again below it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Any

from xlsxwriter.utility import xl_range
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from .normalize import as_text, is_blank, number_text
from .pipeline import Consolidation
from .rules.base import records
from .schema import (
    FIELDS_BY_KEY,
    HEADER_FIELDS,
    INDICATOR_COLUMNS,
    INDICATOR_SECTION,
    LAST_COLUMN,
    MONEY_UNIT,
    TITLE,
    Field,
    Kind,
    title,
)
from .write import style
from .write.book import fmt, new_workbook, set_page
from .write.output import DirectOutput, Output
from .write.style import Margins, Page, fitted_height
from .write.table import is_number

PUBLISH_NAME = "{year}区级重点专项绩效目标表（公开）.xlsx"
SHEET_TITLE = "绩效目标表"
EMPTY_NOTE = "没有可公开的项目表。"

# Page geometry in points (A4 portrait) and the margins we print with, in inches.
A4_WIDTH, A4_HEIGHT = 595.28, 841.89
MARGINS = Margins(bottom=0.7)
# Office suites wrap text slightly differently from our estimate of row heights: a page is
# planned this much shorter than it is, so no suite needs a page break of its own.
SAFETY = 0.95
MAX_BREAKS = 1023  # manual page breaks Excel keeps per sheet; more go on another sheet

MIN_CONTINUED = 3  # indicator rows at least, on a page that continues a table

TITLE_HEIGHT = 32.0
LINE_HEIGHT = 20.0  # the 编制单位 line, the grid, the 绩效指标 row, an indicator row
LONG_TEXT_HEIGHT = 30.0
TEXT_PADDING = 6.0  # breathing room above and below a long text
INDICATOR_HEADER_HEIGHT = 30.0

WIDTHS = [c.width for c in INDICATOR_COLUMNS]
Painter = Callable[[Worksheet, int], None]


@dataclass(frozen=True)
class _Row:
    """One sheet row: its height in points and what to write into it."""

    height: float
    paint: Painter


@dataclass(frozen=True)
class _Block:
    """Rows that must share a page; `continued` ones get the indicator header repeated
    when they start a new page."""

    rows: tuple[_Row, ...]
    continued: bool = False

    @property
    def height(self) -> float:
        return sum(r.height for r in self.rows)


def publish_path(outdir: Path, year: int | None) -> Path:
    return outdir / PUBLISH_NAME.format(year=f"{year}年" if year else "")


def write_publish(result: Consolidation, outdir: Path, *, out: Output | None = None) -> Path:
    """Write the published tables of every merged project into `outdir` (atomically) and
    return the workbook's path.

    Projects are ordered by unit code, then as read. Values are the normalized ones
    (≥ ＝ …, amounts with two decimals); where a value could not be normalized it is
    printed as the department typed it.
    """
    path = publish_path(outdir, result.year)
    with (out or DirectOutput()).file(path) as tmp:
        wb = new_workbook(tmp)
        _Publisher(wb, result).write()
        wb.close()
    return path


def print_scale() -> int:
    """Print scale (percent) at which the eight columns fit the printable width."""
    printable = A4_WIDTH - 72 * (MARGINS.left + MARGINS.right)
    return min(100, math.floor(100 * printable / _table_width()))


def page_capacity() -> float:
    """Height of sheet rows (points, before scaling) planned onto one printed page."""
    printable = A4_HEIGHT - 72 * (MARGINS.top + MARGINS.bottom)
    return SAFETY * printable * 100 / print_scale()


def _table_width() -> float:
    """The widest the columns print, in points at 100 %.

    Column widths count characters of the default font (Calibri 11). Excel makes a column
    of width w int(7w + 0.5) + 5 pixels wide; LibreOffice, measuring the font itself (or
    its metric twin Carlito), about 7.4 (w + 0.7) pixels. 7.5 (w + 1) pixels covers both.
    """
    return sum(7.5 * (w + 1) for w in WIDTHS) * 0.75


def _span_width(first: int, last: int) -> float:
    """Width in characters of columns first..last (0-based, inclusive)."""
    return sum(WIDTHS[first : last + 1])


class _Publisher:
    def __init__(self, wb: Workbook, result: Consolidation) -> None:
        self.wb = wb
        self.year = result.year
        self.projects = _ordered(records(result.batch.projects))
        indicators = sorted(records(result.batch.indicators), key=lambda i: i["project_id"])
        self.indicators = {
            key: sorted(rows, key=lambda i: i["seq"])
            for key, rows in groupby(indicators, key=lambda i: i["project_id"])
        }
        border = {"border": 1}
        self.f: dict[str, Any] = {
            "title": fmt(wb, bold=True, font_size=style.TITLE_SIZE, align="center"),
            "unit": fmt(wb, align="left"),
            "money_unit": fmt(wb, align="right"),
            "label": fmt(wb, **border, align="center", text_wrap=True),
            "text": fmt(wb, **border, align="left", text_wrap=True),
            "centred": fmt(wb, **border, align="center", text_wrap=True),
            "money": fmt(wb, **border, align="center", num_format=style.MONEY),
            "number": fmt(wb, **border, align="center", num_format=style.NUMBER),
            "note": fmt(wb),
        }
        self.sheets = 0

    def write(self) -> None:
        ws = self._new_sheet()
        if not self.projects:
            ws.write_string(0, 0, EMPTY_NOTE, self.f["note"])
            return
        row, breaks = 0, []
        for project in self.projects:
            placed = _paginate(
                self._blocks(project), self._continued(project), self._indicator_header()
            )
            if row and len(breaks) + sum(new for new, _ in placed) > MAX_BREAKS:
                self._finish(ws, row, breaks)
                ws, row, breaks = self._new_sheet(), 0, []
            for new_page, each in placed:
                if new_page and row:
                    breaks.append(row)
                each.paint(ws, row)
                ws.set_row(row, each.height)
                row += 1
        self._finish(ws, row, breaks)

    # Sheets and pages

    def _new_sheet(self) -> Worksheet:
        self.sheets += 1
        name = SHEET_TITLE if self.sheets == 1 else f"{SHEET_TITLE}({self.sheets})"
        ws = self.wb.add_worksheet(name)
        for n, width in enumerate(WIDTHS):
            ws.set_column(n, n, width)
        ws.hide_gridlines(2)
        set_page(ws, Page(scale=print_scale(), center=True, margins=MARGINS))
        return ws

    def _finish(self, ws: Worksheet, rows: int, breaks: list[int]) -> None:
        ws.set_h_pagebreaks(breaks)
        ws.print_area(0, 0, rows - 1, LAST_COLUMN - 1)
        # 指标值 is text even where it reads as a number: no green triangles on screen.
        ws.ignore_errors({"number_stored_as_text": xl_range(0, 0, rows - 1, LAST_COLUMN - 1)})

    # One project

    def _blocks(self, project: dict[str, Any]) -> list[_Block]:
        """The project's rows, grouped into what must not be split across pages: the title
        with the header grid, each long text, the indicator header with the first indicator,
        and every further indicator."""
        by_row: dict[int, list[Field]] = {}
        for field in HEADER_FIELDS:
            by_row.setdefault(field.row, []).append(field)
        head = [self._title()]
        texts = []
        for _, fields in sorted(by_row.items()):
            if fields[0].key == "unit":
                head.append(self._unit_line(project, fields[0]))
            elif fields[0].kind is Kind.LONG_TEXT:
                texts.append(_Block((self._fields(project, fields),)))
            else:
                head.append(self._fields(project, fields))
        indicators = [self._indicator(i) for i in self.indicators.get(project["project_id"], [])]
        table = [self._section(), *self._indicator_header()]
        first = _Block((*table, *indicators[:1]))
        rest = [_Block((r,), continued=True) for r in indicators[1:]]
        return [_Block(tuple(head)), *texts, first, *rest]

    def _title(self, suffix: str = "") -> _Row:
        text = _title_text(self.year) + suffix

        def paint(ws: Worksheet, r: int) -> None:
            ws.merge_range(r, 0, r, LAST_COLUMN - 1, "", self.f["title"])
            ws.write_string(r, 0, text, self.f["title"])

        return _Row(TITLE_HEIGHT, paint)

    def _continued(self, project: dict[str, Any]) -> tuple[_Row, ...]:
        """What tops a page that continues a project: the title marked 续, and whose
        project it is."""
        name = FIELDS_BY_KEY["name"]
        text = f"{name.label}：{as_text(project['name'])}（{project['unit_label']}）"

        def paint(ws: Worksheet, r: int) -> None:
            ws.merge_range(r, 0, r, LAST_COLUMN - 1, "", self.f["unit"])
            ws.write_string(r, 0, text, self.f["unit"])

        height = fitted_height(text, _span_width(0, LAST_COLUMN - 1), minimum=LINE_HEIGHT)
        return (self._title("（续）"), _Row(min(height, style.MAX_ROW_HEIGHT), paint))

    def _unit_line(self, project: dict[str, Any], field: Field) -> _Row:
        """编制单位：code-name on the left, 单位：万元 on the right, outside the grid."""
        text = f"{field.label}：{project['unit_label']}"
        last = field.col - 1 + field.span

        def paint(ws: Worksheet, r: int) -> None:
            ws.merge_range(r, 0, r, last, "", self.f["unit"])
            ws.write_string(r, 0, text, self.f["unit"])
            ws.merge_range(r, last + 1, r, LAST_COLUMN - 1, "", self.f["money_unit"])
            ws.write_string(r, last + 1, MONEY_UNIT, self.f["money_unit"])

        height = fitted_height(text, _span_width(0, last), minimum=LINE_HEIGHT)
        return _Row(min(height, style.MAX_ROW_HEIGHT), paint)

    def _fields(self, project: dict[str, Any], fields: list[Field]) -> _Row:
        """A row of the grid: each field's label, then its value across its span."""
        long_text = fields[0].kind is Kind.LONG_TEXT
        height = LONG_TEXT_HEIGHT if long_text else LINE_HEIGHT
        cells = []
        for field in fields:
            label_col, first, last = field.col - 1, field.col, field.col - 1 + field.span
            value, kind = self._header_value(project, field)
            cells.append((label_col, first, last, field.label, value, kind))
            height = max(
                height,
                fitted_height(field.label, WIDTHS[label_col], minimum=height),
                fitted_height(as_text(value), _span_width(first, last), minimum=height),
            )

        def paint(ws: Worksheet, r: int) -> None:
            for label_col, first, last, label, value, kind in cells:
                ws.write_string(r, label_col, label, self.f["label"])
                ws.merge_range(r, first, r, last, "", self.f[kind])
                _write(ws, r, first, value, self.f[kind])

        if long_text:
            height += TEXT_PADDING
        return _Row(min(height, style.MAX_ROW_HEIGHT), paint)

    def _header_value(self, project: dict[str, Any], field: Field) -> tuple[object, str]:
        """The value to print and its format name."""
        value = project[field.key]
        if field.kind in (Kind.MONEY, Kind.WEIGHT):
            if is_number(value):
                return value, "money" if field.kind is Kind.MONEY else "number"
            return as_text(project[f"{field.key}__raw"]), "centred"
        return value, "text"

    def _section(self) -> _Row:
        def paint(ws: Worksheet, r: int) -> None:
            ws.merge_range(r, 0, r, LAST_COLUMN - 1, "", self.f["label"])
            ws.write_string(r, 0, INDICATOR_SECTION, self.f["label"])

        return _Row(LINE_HEIGHT, paint)

    def _indicator_header(self) -> tuple[_Row, ...]:
        height = max(
            fitted_height(c.label, c.width, minimum=INDICATOR_HEADER_HEIGHT)
            for c in INDICATOR_COLUMNS
        )

        def paint(ws: Worksheet, r: int) -> None:
            for n, column in enumerate(INDICATOR_COLUMNS):
                ws.write_string(r, n, column.label, self.f["label"])

        return (_Row(height, paint),)

    def _indicator(self, indicator: dict[str, Any]) -> _Row:
        values: list[tuple[object, str]] = []
        for column in INDICATOR_COLUMNS:
            value = indicator[column.key]
            if column.kind is Kind.WEIGHT:
                values.append(
                    (value, "number")
                    if is_number(value)
                    else (as_text(indicator[f"{column.key}__raw"]), "centred")
                )
            elif column.key == "target" and _plain_number(indicator):
                values.append((indicator["target_num"], "number"))
            else:
                values.append((as_text(value), "centred"))
        height = max(
            fitted_height(as_text(v), c.width, minimum=LINE_HEIGHT)
            for (v, _), c in zip(values, INDICATOR_COLUMNS, strict=True)
        )

        def paint(ws: Worksheet, r: int) -> None:
            for n, (value, kind) in enumerate(values):
                _write(ws, r, n, value, self.f[kind])

        return _Row(min(height, style.MAX_ROW_HEIGHT), paint)


def _paginate(
    blocks: list[_Block], resumed: tuple[_Row, ...], header: tuple[_Row, ...]
) -> list[tuple[bool, _Row]]:
    """A project's rows in print order, each flagged when a page starts with it.

    The project starts a page; a block that no longer fits on the current page starts the
    next one, below the `resumed` rows (title and project name) and, if it continues the
    indicator table, a repeat of the indicator `header`. The last few indicator rows go
    over together rather than one alone under the header.
    """
    capacity = page_capacity()
    placed: list[tuple[bool, _Row]] = []
    new_page, used = True, 0.0
    for n, block in enumerate(blocks):
        rows = block.rows
        if used and _starts_page(blocks[n:], used, capacity):
            new_page, used = True, 0.0
            rows = (*resumed, *header, *rows) if block.continued else (*resumed, *rows)
        for each in rows:
            placed.append((new_page, each))
            new_page = False
            used += each.height
    return placed


def _starts_page(blocks: list[_Block], used: float, capacity: float) -> bool:
    """Whether the first of `blocks` (the rest of a project) must start a new page."""
    first = blocks[0]
    if used + first.height > capacity:
        return True
    tail = len(blocks) <= MIN_CONTINUED and all(b.continued for b in blocks)
    return tail and used + sum(b.height for b in blocks) > capacity


def _ordered(projects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """By unit code (projects without one last), then in the order they were read."""
    return sorted(projects, key=lambda p: (not p["unit_code"], p["unit_code"] or ""))


def _title_text(year: int | None) -> str:
    return title(year) if year else TITLE.replace("{year} 年", "")


def _plain_number(indicator: dict[str, Any]) -> bool:
    """Whether the 指标值 is a number as it stands (95, 0.5), to be written as one."""
    number = indicator["target_num"]
    return is_number(number) and as_text(indicator["target"]) == number_text(number)


def _write(ws: Worksheet, r: int, c: int, value: object, cell_format: Any) -> None:
    """Numbers as numbers; anything else as text, never as a formula or a link."""
    if is_number(value):
        ws.write_number(r, c, value, cell_format)
    elif is_blank(value):
        ws.write_blank(r, c, None, cell_format)
    else:
        ws.write_string(r, c, as_text(value), cell_format)
