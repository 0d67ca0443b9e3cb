"""Tables written with XlsxWriter: typed cells, widths that fit Chinese text, rows tall
enough for what they hold, the header frozen, filtered and printed atop every page."""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.utility import xl_range
from xlsxwriter.worksheet import Worksheet

from ..normalize import as_text
from . import style

NUMERIC = ("money", "int", "number")


@dataclass(frozen=True)
class Col:
    """A column of an output table: its header (a "\\n" in it is where the header breaks
    when it is wider than the column), the kind of its values (text, wrap, money, int,
    number) and the widest the column grows. Text wider than the column wraps."""

    header: str
    kind: str = "text"
    max_width: float = 40


def write_table(
    ws: Worksheet,
    formats: Mapping[str, Format],
    top: int,
    columns: Sequence[Col],
    rows: Sequence[Sequence[Any]],
    *,
    widths: Sequence[float] | None = None,
    styles: Mapping[int, Callable[[Any], Format | None]] | None = None,
) -> list[float]:
    """Write a header row at `top` and the data rows below; return the column widths.

    Without `widths` the sheet is this table's alone: columns get widths that fit their
    text, the header is frozen, filterable and repeated on every printed page. With them
    (a sheet of several tables sets its columns itself) the table only wraps to them.
    """
    own = widths is None
    widths = list(widths) if widths is not None else fitted_widths(columns, rows)
    header_height = max(
        style.fitted_height(col.header, width, minimum=style.ROW_HEIGHT)
        for col, width in zip(columns, widths, strict=False)
    )
    for c, col in enumerate(columns):
        ws.write_string(top, c, col.header, formats["header"])
    if header_height > style.ROW_HEIGHT:
        ws.set_row(top, header_height)
    wrap = formats["wrap"]
    for r, values in enumerate(rows, top + 1):
        height = style.ROW_HEIGHT
        for c, (col, value) in enumerate(zip(columns, values, strict=True)):
            chosen = styles[c](value) if styles and c in styles else None
            text = "" if col.kind in NUMERIC and is_number(value) else as_text(value)
            # An empty cell is one character wide (the width of " ").
            wraps = col.kind == "wrap" or (style.text_width(text) if text else 1) > widths[c] - 1
            cell_format = chosen or (wrap if wraps else formats[col.kind])
            write_cell(ws, r, c, value, col.kind, cell_format, text=text)
            if wraps and text:
                height = max(height, style.fitted_height(text, widths[c], minimum=height))
        if height > style.ROW_HEIGHT:
            ws.set_row(r, min(height, style.MAX_ROW_HEIGHT))
    if own:
        for c, width in enumerate(widths):
            ws.set_column(c, c, width)
        ws.freeze_panes(top + 1, 0)
        last = top + max(len(rows), 1), len(columns) - 1
        ws.autofilter(top, 0, *last)
        # Codes such as 106 are identifiers, text on purpose: no green triangle on each.
        ws.ignore_errors({"number_stored_as_text": xl_range(top, 0, *last)})
    return widths


def fitted_widths(columns: Sequence[Col], rows: Sequence[Sequence[Any]]) -> list[float]:
    """Widths that show each column's longest value up to its cap, and its header."""
    sample = rows[:2000]
    return [
        min(
            max([header_width(col.header)] + [display_width(row[c], col.kind) for row in sample])
            + 2,
            max(col.max_width, header_width(col.header) + 2),
        )
        for c, col in enumerate(columns)
    ]


def header_width(header: str) -> float:
    """A header's width: the longest of its lines (it breaks where it has a "\\n")."""
    return style.text_width(header)


def write_cell(
    ws: Worksheet,
    r: int,
    c: int,
    value: Any,
    kind: str,
    cell_format: Format,
    *,
    text: str | None = None,
) -> None:
    """A value as its kind: numbers as number cells, everything else as text (`text`, the
    value's as_text, where the caller has it already)."""
    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        ws.write_blank(r, c, None, cell_format)
    elif kind in NUMERIC and is_number(value):
        ws.write_number(r, c, value, cell_format)
    else:
        ws.write_string(r, c, as_text(value) if text is None else text, cell_format)


def is_number(value: object) -> bool:
    """A number a cell can hold (XlsxWriter refuses NaN and infinity); numpy's too."""
    numeric = isinstance(value, numbers.Real) and not isinstance(value, bool)
    return numeric and math.isfinite(value)


def display_width(value: Any, kind: str) -> float:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return 0
    if kind == "money" and is_number(value):
        return len(f"{value:,.2f}")
    if kind == "wrap":
        return min(style.text_width(value), 1000)
    return style.text_width(value)
