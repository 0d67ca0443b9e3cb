"""The 审核意见 sheet at the front of a feedback copy: whose file it is, the counts, what to
do, and the findings in the columns every list of findings uses."""

from __future__ import annotations

from collections.abc import Sequence

from .patch.newsheet import NewSheet
from .rules import Finding, Severity
from .write import style
from .write.book import sheet_ref
from .write.findings import FEEDBACK_LAYOUT, finding_columns, finding_values
from .write.ooxml import Look
from .write.style import Page
from .write.table import fitted_widths

OPINION_SHEET = "审核意见"
HEADER_ROW = 7  # 1-based: the table starts below the title block
CELL_COLUMN = 1 + FEEDBACK_LAYOUT.index("单元格")  # links to the marked cells
COLUMNS = finding_columns(FEEDBACK_LAYOUT)
_BOLD = Look(bold=True)
_BODY_HEIGHT = 17.0


def opinion_sheet(
    findings: Sequence[Finding],
    marked: set[tuple[str, str]],
    *,
    unit: str,
    file: str,
    year: int | None,
    note: str,
) -> NewSheet:
    """The sheet for `findings`; the (sheet, cell) pairs in `marked` were marked in the copy
    and are linked."""
    sheet = NewSheet(page=Page(landscape=True, repeat=(HEADER_ROW - 1, HEADER_ROW - 1)))
    title = f"{year} 年绩效目标表审核意见" if year else "绩效目标表审核意见"
    heading = f"{title}（{note}）" if note else title
    sheet.put(1, 1, heading, Look(bold=True, size=style.TITLE_SIZE))
    for row, (label, value) in enumerate((("单位", unit), ("文件", file)), 2):
        sheet.put(row, 1, label, _BOLD)
        sheet.put(row, 2, value, Look())
    for n, severity in enumerate(Severity):
        label = Look(bold=True, fill=style.SEVERITY_FILL[severity], horizontal="center")
        sheet.put(4, 1 + 2 * n, severity.value, label)
        count = sum(f.severity is severity for f in findings)
        sheet.put(
            4, 2 + 2 * n, count, Look(horizontal="right", indent=1)
        )  # apart from the next label
    guide = "错误必须修改，警告请核实，提示供参考。" + (
        "有颜色的单元格即问题所在，鼠标移到单元格上可看批注，点击“单元格”列可跳转；"
        "改好后直接重交本文件即可。"
        if not note
        else "请对照下表修改原文件后重交。"
    )
    sheet.put(5, 1, guide, Look(color=style.MUTED))
    _table(sheet, findings, marked)
    return sheet


def _table(sheet: NewSheet, findings: Sequence[Finding], marked: set[tuple[str, str]]) -> None:
    """The header and the rows: widths fit the text, text wider than its column wraps,
    rows are as tall as their text."""
    header = Look(
        bold=True,
        fill=style.HEADER_FILL,
        grid=True,
        horizontal="center",
        vertical="center",
        wrap=True,
    )
    for c, column in enumerate(COLUMNS, 1):
        sheet.put(HEADER_ROW, c, column.header, header)
    rows = [finding_values(f, FEEDBACK_LAYOUT) for f in findings]
    widths = fitted_widths(COLUMNS, rows)
    for r, (f, values) in enumerate(zip(findings, rows, strict=True), HEADER_ROW + 1):
        height = _BODY_HEIGHT
        for c, (column, value, width) in enumerate(zip(COLUMNS, values, widths, strict=True), 1):
            wraps = column.kind == "wrap" or style.text_width(value or " ") > width - 1
            look = Look(grid=True, vertical="top", wrap=wraps)
            if wraps:
                height = max(height, style.fitted_height(value, width, minimum=height))
            sheet.put(r, c, value, look)
        sheet.heights[r] = min(height, style.MAX_ROW_HEIGHT)
        sheet.put(
            r,
            1,
            values[0],
            Look(
                grid=True,
                fill=style.SEVERITY_FILL[f.severity],
                horizontal="center",
                vertical="top",
            ),
        )
        related = f.related_cells[0] if f.related_cells else ""
        for col, ref in ((CELL_COLUMN, f.cell), (CELL_COLUMN + 1, related)):
            if (f.sheet, ref) in marked:
                sheet.links[(r, col)] = (f"{sheet_ref(f.sheet)}!{ref}", ref)
                value, plain = sheet.cells[(r, col)]
                link = Look(
                    grid=True, vertical="top", wrap=plain.wrap, color=style.LINK, underline=True
                )
                sheet.put(r, col, value, link)
    sheet.widths = dict(enumerate(widths, 1))
    sheet.frozen_rows = HEADER_ROW
    sheet.filter = (HEADER_ROW, 1, HEADER_ROW + max(len(rows), 1), len(COLUMNS))
