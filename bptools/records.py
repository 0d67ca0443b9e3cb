"""Flatten what the reader found into rows: one per project, one per indicator.

Each input field becomes four columns: `key` (normalized), `key__raw` (as typed: the value as
the cell showed it, so a weight typed `10%` is "10%" though the file stores 0.1),
`key__cell` (A1 address) and `key__format` (the cell's number format code, "" if General),
so checks work on clean values and every anomaly can still show the department what it
typed and where.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from .normalize import label_key, parse_number, parse_operator, parse_yes_no, split_unit
from .readings import (
    Reading,
    capped,
    read_amount,
    read_label,
    read_target,
    read_text,
    read_weight,
)
from .rules.sheets import text_too_long, value_interpreted
from .schema import COLUMNS_BY_KEY, HEADER_FIELDS, TAXONOMY, TITLE_RE, Kind
from .sheet import Cell, Issue, SheetTable

Row = dict[str, Any]
Read = Callable[[object, str], Reading]


def _level1(raw: object, fmt: str) -> Reading:
    reading = read_label(raw, fmt)
    text = reading.value
    # "产出" for "产出指标" is a common shorthand.
    if text and text not in TAXONOMY and text + "指标" in TAXONOMY:
        return Reading(text + "指标", reading.raw)
    return reading


def _operator(raw: object, fmt: str) -> Reading:
    reading = read_label(raw, fmt)
    return Reading(parse_operator(raw) or reading.value, reading.raw)


def _yes_no(raw: object, fmt: str) -> Reading:
    reading = read_label(raw, fmt)
    return Reading(parse_yes_no(raw) or reading.value, reading.raw)


_HEADER_READERS: dict[Kind, Read] = {
    Kind.TEXT: read_label,
    Kind.UNIT: read_label,
    Kind.LONG_TEXT: read_text,
    Kind.MONEY: read_amount,
    Kind.WEIGHT: read_weight,
}
_INDICATOR_READERS: dict[str, Read] = {
    "level1": _level1,
    "level2": read_label,
    "name": read_label,
    "unit": read_label,
    "op": _operator,
    "target": read_target,
    "weight": read_weight,
    "core": _yes_no,
}


def _put(row: Row, key: str, cell: Cell, read: Read, max_chars: int) -> Reading:
    reading = read(cell.value, cell.fmt)
    if max_chars:
        reading = capped(reading, max_chars)
    row[key] = reading.value
    row[f"{key}__raw"] = reading.raw
    row[f"{key}__cell"] = cell.ref
    row[f"{key}__format"] = cell.fmt
    return reading


def _notes(reading: Reading, sheet: str, cell: Cell, label: str) -> list[Issue]:
    """What a reading has to say: how an entry was interpreted (BP116), a text cut (BP118)."""
    issues = []
    if reading.why:
        params = {"label": label, "reading": reading.reading, "why": reading.why}
        issues.append(Issue(value_interpreted, sheet, cell.ref, reading.raw, params))
    if reading.length:
        params = {"label": label, "length": reading.length, "limit": len(reading.value)}
        issues.append(Issue(text_too_long, sheet, cell.ref, reading.raw, params))
    return issues


def project_rows(
    table: SheetTable, *, file: str, project_id: str
) -> tuple[Row, list[Row], list[Issue]]:
    """The project row and the indicator rows of one sheet, and what reading them found."""
    project: Row = {"project_id": project_id, "file": file, "sheet": table.sheet}
    issues: list[Issue] = []
    for field in HEADER_FIELDS:
        cell = table.fields[field.key]
        reading = _put(project, field.key, cell, _HEADER_READERS[field.kind], field.max_chars)
        issues += _notes(reading, table.sheet, cell, f"“{field.label}”")
    split = split_unit(project["unit"])
    project["unit_code"], project["unit_name"] = split if split else ("", "")
    project["unit_label"] = f"{split[0]}-{split[1]}" if split else project["unit"]
    project["project"] = project["name"]
    project["project_key"] = label_key(project["name"])
    match = TITLE_RE.search(label_key(table.title.value))
    project["year"] = int(match.group(1)) if match else None
    project["title__raw"] = table.title.value
    project["title__cell"] = table.title.ref
    project["indicators__raw"] = ""
    project["indicators__cell"] = table.header_ref
    weight_col = table.columns.get("weight")
    header_row = table.header_ref[1:]
    project["weights__cell"] = f"{weight_col}{header_row}" if weight_col else table.header_ref
    project["hidden"] = table.hidden

    indicators: list[Row] = []
    for seq, cells in enumerate(table.rows, 1):
        row: Row = {
            "project_id": project_id,
            "file": file,
            "sheet": table.sheet,
            "unit_label": project["unit_label"],
            "project": project["project"],
            "seq": seq,
        }
        for key, column in COLUMNS_BY_KEY.items():
            cell = cells.get(key, Cell(None, ""))
            reading = _put(row, key, cell, _INDICATOR_READERS[key], column.max_chars)
            issues += _notes(reading, table.sheet, cell, f"第 {seq} 个指标的“{column.label}”")
        row["target"] = _without_unit_sign(row["target"], row["unit"])
        row["target_num"] = _number(row["target"])
        # A cell merged down from a row above carries that row's address: the row's own
        # number is the largest among its cells' addresses.
        row["row"] = max(_row_number(c.ref) for c in cells.values() if c.ref)
        indicators.append(row)
    project["n_indicators"] = len(indicators)
    return project, indicators, issues


def _without_unit_sign(target: str, unit: str) -> str:
    """'95%' in a row whose unit is % means 95: the sign repeats the unit."""
    sign = label_key(unit)
    text = target.rstrip()
    if (
        sign in ("%", "‰")
        and label_key(text[-1:]) == sign
        and parse_number(text[:-1])[0] is not None
    ):
        return text[:-1].rstrip()
    return target


def _number(raw: object) -> float:
    value, _ = parse_number(raw)
    return math.nan if value is None else value


def _row_number(ref: str) -> int:
    return int(ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
