"""The 审核意见 sheet at the front of a feedback copy: whose file it is, the counts, what to
do, and the findings in the columns every list of findings uses."""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from .rules import Finding, Severity
from .write import style
from .write.book import sheet_ref
from .write.cells import GRID_BORDER, fill, font, put, set_page, severity_fill
from .write.findings import FEEDBACK_LAYOUT, finding_columns, finding_values
from .write.style import Page
from .write.table import fitted_widths

OPINION_SHEET = "审核意见"
HEADER_ROW = 7  # 1-based: the table starts below the title block
CELL_COLUMN = 1 + FEEDBACK_LAYOUT.index("单元格")  # links to the marked cells
COLUMNS = finding_columns(FEEDBACK_LAYOUT)


def write_opinions(
    ws: Worksheet,
    findings: Sequence[Finding],
    marked: set[tuple[str, str]],
    *,
    unit: str,
    file: str,
    year: int | None,
    note: str,
) -> None:
    """The sheet for `findings`; the (sheet, cell) pairs in `marked` were marked in the copy
    and are linked."""
    title = f"{year} 年绩效目标表审核意见" if year else "绩效目标表审核意见"
    heading = f"{title}（{note}）" if note else title
    put(ws.cell(1, 1), heading, font(bold=True, size=style.TITLE_SIZE))
    for row, (label, value) in enumerate((("单位", unit), ("文件", file)), 2):
        put(ws.cell(row, 1), label, font(bold=True))
        put(ws.cell(row, 2), value, font())
    for n, severity in enumerate(Severity):
        label = ws.cell(4, 1 + 2 * n)
        put(label, severity.value, font(bold=True))
        label.fill = severity_fill(severity)
        label.alignment = Alignment(horizontal="center")
        count = ws.cell(4, 2 + 2 * n, sum(f.severity is severity for f in findings))
        count.font = font()
        count.alignment = Alignment(horizontal="right", indent=1)  # apart from the next label
    guide = "错误必须修改，警告请核实，提示供参考。" + (
        "有颜色的单元格即问题所在，鼠标移到单元格上可看批注，点击“单元格”列可跳转；"
        "改好后直接重交本文件即可。"
        if not note
        else "请对照下表修改原文件后重交。"
    )
    put(ws.cell(5, 1), guide, font(color=style.MUTED))
    _table(ws, [finding_values(f, FEEDBACK_LAYOUT) for f in findings])
    for r, f in enumerate(findings, HEADER_ROW + 1):
        severity_cell = ws.cell(r, 1)
        severity_cell.fill = severity_fill(f.severity)
        severity_cell.alignment = Alignment(horizontal="center", vertical="top")
        related = f.related_cells[0] if f.related_cells else ""
        for col, ref in ((CELL_COLUMN, f.cell), (CELL_COLUMN + 1, related)):
            if (f.sheet, ref) in marked:
                _link(ws.cell(r, col), f.sheet, ref)
    set_page(ws, Page(landscape=True, repeat=(HEADER_ROW - 1, HEADER_ROW - 1)))


def _table(ws: Worksheet, rows: list[list[str]]) -> None:
    """The header and the rows: widths fit the text, text wider than its column wraps,
    rows are as tall as their text."""
    for c, column in enumerate(COLUMNS, 1):
        cell = ws.cell(HEADER_ROW, c)
        put(cell, column.header, font(bold=True))
        cell.fill = fill(style.HEADER_FILL)
        cell.border = GRID_BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    widths = fitted_widths(COLUMNS, rows)
    body = font()
    for r, values in enumerate(rows, HEADER_ROW + 1):
        height = 17.0
        for c, (column, value, width) in enumerate(zip(COLUMNS, values, widths, strict=True), 1):
            cell = ws.cell(r, c)
            put(cell, value, body)
            cell.border = GRID_BORDER
            wraps = column.kind == "wrap" or style.text_width(value or " ") > width - 1
            cell.alignment = Alignment(vertical="top", wrap_text=wraps)
            if wraps:
                height = max(height, style.fitted_height(value, width, minimum=height))
        ws.row_dimensions[r].height = min(height, style.MAX_ROW_HEIGHT)
    for c, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(c)].width = width
    last = get_column_letter(len(COLUMNS))
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + max(len(rows), 1)}"


def _link(cell: Cell, sheet: str, ref: str) -> None:
    cell.hyperlink = Hyperlink(
        ref=cell.coordinate, location=f"{sheet_ref(sheet)}!{ref}", display=ref
    )
    cell.font = font(color=style.LINK, underline="single")
