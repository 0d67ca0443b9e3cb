"""Workbooks written with XlsxWriter: text kept as text, our fonts and formats, page setup,
sheet titles Excel accepts."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ..rules import Severity
from . import style
from .fastsheet import FORMAT_PROPS, SHEET_CLASS
from .style import Page

# A fixed creation time keeps generated files byte-identical run after run (templates and
# samples are committed, and a test compares them with a fresh build).
FIXED_CREATED = datetime(2023, 1, 1)
_FORBIDDEN_IN_TITLE = re.compile(r"[\[\]:*?/\\]")
MAX_TITLE = 31


def new_workbook(
    path: Path | BinaryIO, *, reproducible: bool = False, in_memory: bool = False
) -> Workbook:
    """An XlsxWriter workbook that writes every string as text, to a file or into `path`'s
    buffer.

    Department text is data: without these options a value starting with '=' would become
    a live formula and one that looks like a URL a hyperlink. `in_memory` assembles the
    parts in memory rather than in a temporary file each (the parts are the same; the zip
    entries' dates differ).
    """
    workbook = xlsxwriter.Workbook(
        str(path) if isinstance(path, Path) else path,
        {
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "in_memory": in_memory,
        },
    )
    workbook.worksheet_class = SHEET_CLASS
    if reproducible:
        workbook.set_properties({"created": FIXED_CREATED})
    return workbook


def rgb(colour: str) -> str:
    """A style colour as XlsxWriter takes it."""
    return f"#{colour}"


def fmt(workbook: Workbook, **props: Any) -> Format:
    """A cell format in our font and size, vertically centred unless told otherwise."""
    props.setdefault("font_name", style.FONT)
    props.setdefault("font_size", style.FONT_SIZE)
    props.setdefault("valign", "vcenter")
    made = workbook.add_format(props)
    FORMAT_PROPS[made] = props
    return made


def table_formats(workbook: Workbook) -> dict[str, Format]:
    """The formats of the tables we write, by name: a column's kind (text, wrap, money,
    int, number) and the parts around tables; the severities by their Chinese name."""
    border = {"border": 1, "border_color": rgb(style.GRID)}
    body = {**border, "valign": "top"}  # rows of several lines read from their top
    link = {**body, "font_color": rgb(style.LINK), "underline": 1}
    number = {**body, "align": "right", "indent": 1}  # apart from the text beside it
    formats = {
        "title": fmt(workbook, bold=True, font_size=style.TITLE_SIZE),
        "subtitle": fmt(workbook, font_color=rgb(style.MUTED)),
        "section": fmt(
            workbook, bold=True, font_size=style.SECTION_SIZE, font_color=rgb(style.ACCENT)
        ),
        "header": fmt(
            workbook,
            **border,
            bold=True,
            bg_color=rgb(style.HEADER_FILL),
            text_wrap=True,
            align="center",
        ),
        "text": fmt(workbook, **body),
        "wrap": fmt(workbook, **body, text_wrap=True),
        "money": fmt(workbook, **number, num_format=style.MONEY),
        "int": fmt(workbook, **number, num_format=style.COUNT),
        "number": fmt(workbook, **number, num_format=style.NUMBER),
        "label": fmt(workbook, **body, bold=True, bg_color=rgb(style.LABEL_FILL)),
        "link": fmt(workbook, **link, text_wrap=True),
    }
    for severity in Severity:
        formats[severity.value] = fmt(
            workbook, **body, bg_color=rgb(style.SEVERITY_FILL[severity]), align="center"
        )
    return formats


def set_page(ws: Worksheet, page: Page) -> None:
    """Apply a page setup: A4, orientation, margins, print titles, scaling, footer."""
    ws.set_paper(style.A4)
    if page.landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    m = page.margins
    ws.set_margins(left=m.left, right=m.right, top=m.top, bottom=m.bottom)
    ws.set_footer(style.footer(page), {"margin": m.footer})
    if page.center:
        ws.center_horizontally()
    if page.repeat is not None:
        ws.repeat_rows(*page.repeat)
    if page.scale is not None:
        ws.set_print_scale(page.scale)
    elif page.fit_width:
        ws.fit_to_pages(1, 1 if page.one_page else 0)


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
