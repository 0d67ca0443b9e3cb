"""Flatten what the reader found into rows: one per project, one per indicator.

Each input field becomes three columns: `key` (normalized), `key__raw` (as typed) and
`key__cell` (A1 address), so checks work on clean values and every anomaly can still show
the department what it typed and where.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from .normalize import (
    clean_label,
    clean_text,
    label_key,
    parse_number,
    parse_operator,
    parse_yes_no,
    split_unit,
)
from .reader import Cell, SheetTable
from .schema import COLUMNS_BY_KEY, HEADER_FIELDS, TAXONOMY, TITLE_RE, Kind

Row = dict[str, Any]


def _number(raw: object) -> float:
    value, _ = parse_number(raw)
    return math.nan if value is None else value


def _level1(raw: object) -> str:
    text = clean_label(raw)
    # "产出" for "产出指标" is a common shorthand.
    return text + "指标" if text and text not in TAXONOMY and text + "指标" in TAXONOMY else text


def _operator(raw: object) -> str:
    return parse_operator(raw) or clean_label(raw)


def _yes_no(raw: object) -> str:
    return parse_yes_no(raw) or clean_label(raw)


_HEADER_PARSERS: dict[Kind, Callable[[object], Any]] = {
    Kind.TEXT: clean_label,
    Kind.UNIT: clean_label,
    Kind.LONG_TEXT: clean_text,
    Kind.MONEY: _number,
    Kind.WEIGHT: _number,
}
_INDICATOR_PARSERS: dict[str, Callable[[object], Any]] = {
    "level1": _level1,
    "level2": clean_label,
    "name": clean_label,
    "unit": clean_label,
    "op": _operator,
    "target": clean_text,
    "weight": _number,
    "core": _yes_no,
}


def _put(row: Row, key: str, cell: Cell, parse: Callable[[object], Any]) -> None:
    row[key] = parse(cell.value)
    row[f"{key}__raw"] = cell.value
    row[f"{key}__cell"] = cell.ref


def project_rows(table: SheetTable, *, file: str, project_id: str) -> tuple[Row, list[Row]]:
    """The project row and the indicator rows of one sheet."""
    project: Row = {"project_id": project_id, "file": file, "sheet": table.sheet}
    for field in HEADER_FIELDS:
        _put(project, field.key, table.fields[field.key], _HEADER_PARSERS[field.kind])
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
        for key in COLUMNS_BY_KEY:
            cell = cells.get(key, Cell(None, ""))
            _put(row, key, cell, _INDICATOR_PARSERS[key])
        row["target_num"] = _number(row["target__raw"])
        # A cell merged down from a row above carries that row's address: the row's own
        # number is the largest among its cells' addresses.
        row["row"] = max(_row_number(c.ref) for c in cells.values() if c.ref)
        indicators.append(row)
    project["n_indicators"] = len(indicators)
    return project, indicators


def _row_number(ref: str) -> int:
    return int(ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
