"""What every workbook we write shares: safe text handling, fonts, widths."""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import datetime
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook

FONT = "宋体"
# A fixed creation time keeps generated files byte-identical run after run (templates and
# samples are committed, and a test compares them with a fresh build).
FIXED_CREATED = datetime(2023, 1, 1)
_FORBIDDEN_IN_TITLE = re.compile(r"[\[\]:*?/\\]")
MAX_TITLE = 31
LINE_HEIGHT = 13.5  # points per wrapped line at our 10-point font


def new_workbook(path: Path, *, reproducible: bool = False) -> Workbook:
    """An XlsxWriter workbook that writes every string as text.

    Department text is data: without these options a value starting with '=' would become
    a live formula and one that looks like a URL a hyperlink.
    """
    workbook = xlsxwriter.Workbook(
        str(path),
        {
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    if reproducible:
        workbook.set_properties({"created": FIXED_CREATED})
    return workbook


def fmt(workbook: Workbook, **props: Any) -> Any:
    """A cell format with our font set explicitly (Calibri falls back badly for Chinese)."""
    props.setdefault("font_name", FONT)
    props.setdefault("font_size", 10)
    props.setdefault("valign", "vcenter")
    return workbook.add_format(props)


def _line_width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def text_width(text: object) -> float:
    """Display width in Excel character units of the longest line: CJK characters count two.

    XlsxWriter's autofit() counts them as one and cuts Chinese text short.
    """
    return max(_line_width(line) for line in str(text).split("\n"))


def fitted_height(text: object, width: float, *, minimum: float) -> float:
    """Row height (points) that shows `text` wrapped in a column `width` characters wide."""
    lines = sum(
        max(1, math.ceil(_line_width(line) / max(width - 1, 1))) for line in str(text).split("\n")
    )
    return max(minimum, lines * LINE_HEIGHT + 4)


def sheet_ref(title: str) -> str:
    """A sheet title as formulas and links name it: quoted, its own quotes doubled."""
    return "'" + title.replace("'", "''") + "'"


def safe_sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unique sheet title: no [ ] : * ? / \\, at most 31 characters.

    Excel compares titles without case; `taken` holds the lower-cased titles used so far and
    receives the new one.
    """
    base = _FORBIDDEN_IN_TITLE.sub("_", name).strip("'") or "Sheet"
    title = base[:MAX_TITLE]
    n = 2
    while title.lower() in taken:
        suffix = f"({n})"
        title = base[: MAX_TITLE - len(suffix)] + suffix
        n += 1
    taken.add(title.lower())
    return title
