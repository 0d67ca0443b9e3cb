"""Our style applied with openpyxl, for the files we change rather than write anew
(feedback copies): fonts, fills, borders, page setup, text written as text."""

from __future__ import annotations

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from ..rules import Severity
from . import style
from .style import Page

MAX_CELL_TEXT = 32767  # Excel's limit for the text of one cell
_GRID = Side(style="thin", color=style.GRID)
GRID_BORDER = Border(left=_GRID, right=_GRID, top=_GRID, bottom=_GRID)


def font(
    *,
    size: float = style.FONT_SIZE,
    bold: bool = False,
    color: str | None = None,
    underline: str | None = None,
) -> Font:
    return Font(name=style.FONT, size=size, bold=bold, color=color, underline=underline)


def fill(colour: str) -> PatternFill:
    return PatternFill("solid", fgColor=colour)


def severity_fill(severity: Severity) -> PatternFill:
    return fill(style.SEVERITY_FILL[severity])


def outline(severity: Severity, *, dashed: bool = False) -> Border:
    """The border of a marked cell: solid where the problem is, dashed where a cell is only
    named as related. Printed in grey the outline shows the mark as well as the fill."""
    side = Side(
        style="mediumDashed" if dashed else "medium", color=style.SEVERITY_OUTLINE[severity]
    )
    return Border(left=side, right=side, top=side, bottom=side)


def set_page(ws: Worksheet, page: Page) -> None:
    """Apply a page setup: A4, orientation, margins, print titles, scaling, footer."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = (
        ws.ORIENTATION_LANDSCAPE if page.landscape else ws.ORIENTATION_PORTRAIT
    )
    m = page.margins
    ws.page_margins.left, ws.page_margins.right = m.left, m.right
    ws.page_margins.top, ws.page_margins.bottom = m.top, m.bottom
    ws.page_margins.footer = m.footer
    if page.center:
        ws.print_options.horizontalCentered = True
    if page.repeat is not None:
        first, last = page.repeat
        ws.print_title_rows = f"{first + 1}:{last + 1}"
    if page.scale is not None:
        ws.page_setup.scale = page.scale
    elif page.fit_width:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 1 if page.one_page else 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    if page.sheet_in_footer:
        ws.oddFooter.left.text = "&A"
    ws.oddFooter.center.text = style.FOOTER


def put(cell: Cell, text: str, cell_font: Font) -> None:
    """Write text as text: openpyxl makes a formula of any string starting with '='."""
    cell.font = cell_font
    if text:
        cell.value = clean(text)
        cell.data_type = "s"


def clean(text: str) -> str:
    """Without the control characters XML cannot carry, within Excel's length limit."""
    return ILLEGAL_CHARACTERS_RE.sub("", str(text))[:MAX_CELL_TEXT]
