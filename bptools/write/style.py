"""The one style every file we write shares: fonts, colours, number formats, page setup,
row heights and the width of Chinese text. The XlsxWriter writers, the SpreadsheetML of the
sheets we patch into a department's workbook and the HTML page all take their values from
here.
"""

from __future__ import annotations

import functools
import math
import unicodedata
from dataclasses import dataclass, field

from ..rules import Severity

FONT = "宋体"  # set explicitly: Calibri falls back badly for Chinese
FONT_SIZE = 10
TITLE_SIZE = 16
SECTION_SIZE = 12
COMMENT_SIZE = 9

# Colours as RRGGBB. Fills carry black text and stay apart when printed in grey: the
# severity fills (grey 173, 196, 212) are clearly darker than the input fill departments
# type into (FFF2CC, grey 242) and the header fill (grey 232), and apart from each other,
# an error darkest (see tests/test_style.py).
INPUT_FILL = "FFF2CC"
# Next year's templates: an entry cell holding last year's value, a starting point to check
# (light green: apart from the yellow of an empty entry, the blue of headers and the
# review marks, grey 233, and still clearly lighter than any severity fill).
LAST_YEAR_FILL = "E2EFDA"
LABEL_FILL = "F2F2F2"
HEADER_FILL = "DDEBF7"
GRID = "BFBFBF"
MUTED = "595959"
ACCENT = "1F4E79"
LINK = "0563C1"
NOTE_FILL = "FFFFE1"  # the pale yellow of a comment box, as Excel draws one
BAR = "5B9BD5"
SEVERITY_FILL = {Severity.ERROR: "F09090", Severity.WARNING: "FFC233", Severity.INFO: "BFD8F0"}
SEVERITY_INK = {Severity.ERROR: "9C0006", Severity.WARNING: "7F6000", Severity.INFO: "1F4E79"}
# Outlines of marked cells in feedback copies, darker than the fills.
SEVERITY_OUTLINE = {Severity.ERROR: "C00000", Severity.WARNING: "9C6500", Severity.INFO: "2F75B5"}
SEVERITY_CHART = {Severity.ERROR: "E06666", Severity.WARNING: "F6B26B", Severity.INFO: "6FA8DC"}

# Number formats: amounts in 万元 with two decimals, counts whole, other numbers as typed.
MONEY = "#,##0.00"
COUNT = "0"
NUMBER = "General"

# Row heights in points.
ROW_HEIGHT = 15.0  # Excel's default for our 10-point font
LINE_HEIGHT = 15.0  # per wrapped line of 10-point CJK text as LibreOffice and WPS set it
MAX_ROW_HEIGHT = 409.0  # Excel's limit

A4 = 9  # the paper size code of A4 in SpreadsheetML
FOOTER = "第 &P 页，共 &N 页"


@dataclass(frozen=True)
class Margins:
    """Page margins in inches."""

    left: float = 0.4
    right: float = 0.4
    top: float = 0.6
    bottom: float = 0.6
    footer: float = 0.3


@dataclass(frozen=True)
class Page:
    """How a sheet prints. `repeat` names the 0-based first and last row printed atop
    every page; `fit_width` scales the sheet to the page width (height free), `one_page`
    to a single page, `scale` fixes the zoom instead (for sheets that place their own page
    breaks)."""

    landscape: bool = False
    repeat: tuple[int, int] | None = None
    fit_width: bool = True
    one_page: bool = False  # also fit the height: the whole sheet on one page
    scale: int | None = None
    center: bool = False
    margins: Margins = field(default_factory=Margins)
    sheet_in_footer: bool = True


def grey(colour: str) -> float:
    """The grey level (0-255) a colour prints as (ITU-R BT.601 luma)."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
    return 0.299 * r + 0.587 * g + 0.114 * b


def footer(page: Page) -> str:
    """The footer code: page numbers in the centre, the sheet name on the left."""
    return ("&L&A" if page.sheet_in_footer else "") + "&C" + FOOTER


@functools.lru_cache(maxsize=65536)  # the same names and messages come back row after row
def line_width(line: str) -> int:
    if line.isascii():
        return len(line)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def text_width(text: object) -> float:
    """Display width in Excel character units of the longest line: CJK characters count two.

    XlsxWriter's autofit() counts them as one and cuts Chinese text short.
    """
    return max(line_width(line) for line in str(text).split("\n"))


def fitted_height(text: object, width: float, *, minimum: float) -> float:
    """Row height (points) that shows `text` wrapped in a column `width` characters wide."""
    return max(minimum, wrapped_lines(str(text), width) * LINE_HEIGHT + 4)


@functools.lru_cache(maxsize=16384)  # a message comes back on many rows, in one column
def wrapped_lines(text: str, width: float) -> int:
    """How many lines `text` takes wrapped in a column `width` characters wide."""
    per_line = max(width - 1, 1)
    return sum(max(1, math.ceil(line_width(line) / per_line)) for line in text.split("\n"))


# What Excel, WPS and LibreOffice read as the start of a formula when a cell is typed in.
FORMULA_START = ("=", "+", "-", "@")


def reads_as_formula(text: str) -> bool:
    """Whether `text`, typed into a cell, would become a formula: a text cell holding it
    gets the quote-prefix style, so that editing the cell keeps it text."""
    return text.startswith(FORMULA_START)
