"""One sheet as a project table: found by its labels, every cell kept with its address.

Tables are located by the labels declared in `bptools.schema`, never by fixed positions, so
inserted rows, renamed sheets or a table pasted from the published document still read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache

from xlsxwriter.utility import xl_col_to_name

from .limits import MAX_INDICATORS
from .normalize import CONTROLS, is_blank, label_key
from .rules import Rule
from .rules.sheets import (
    control_characters,
    formula_in_input,
    formula_uncalculated,
    indicator_header_missing,
    label_missing,
    merged_cells,
    money_unit_note,
    too_many_indicators,
)
from .schema import (
    AMOUNT_CHECK_LABEL,
    FIELDS_BY_KEY,
    HEADER_FIELDS,
    INDICATOR_COLUMNS,
    INDICATOR_HEADER_ROW,
    INDICATOR_SECTION,
    TITLE_RE,
    WEIGHT_TOTAL_LABEL,
)
from .sheetxml import Formula

Grid = list[list[object]]
Merged = list[tuple[tuple[int, int], tuple[int, int]]]  # calamine's: 0-based, inclusive

_HEADER_KEYS = {label_key(f.label): f for f in HEADER_FIELDS}
_COLUMN_KEYS = {
    label_key(name): column.key
    for column in INDICATOR_COLUMNS
    for name in (column.label, *column.aliases)
}
_TABLE_MARKERS = (label_key("三级指标"), label_key("指标值"))
_END_MARKERS = tuple(label_key(text)[:4] for text in (WEIGHT_TOTAL_LABEL, AMOUNT_CHECK_LABEL))
_PROJECT_MARKER = label_key("一级项目名称")
_SECTION_MARKER = label_key(INDICATOR_SECTION)
_MONEY_UNIT_RE = re.compile(r"单位[:(]*(人民币)?万元")  # on label keys: NFKC, no spaces
_TITLE_SCAN_ROWS = 5  # at least; the title is looked for above the 一级项目名称 label
_LABEL_MAX_CHARS = 80  # "编制单位：<code>-<a long unit name>" is the longest label cell

# The same labels and indicator words recur on every sheet of every file.
_key = lru_cache(maxsize=8192, typed=True)(label_key)
_column_name = lru_cache(maxsize=None)(xl_col_to_name)


@dataclass(frozen=True)
class Cell:
    """A value as read, with its A1 address ("" when the sheet has no such cell).

    A value read through a merged range comes from the range's top-left cell: `ref` is that
    cell and `merged` names the range ("A11:A13"); `merged` is "" otherwise.
    """

    value: object
    ref: str
    merged: str = ""
    fmt: str = ""  # the cell's number format code when it changes what the value means


@dataclass(frozen=True)
class Issue:
    """How a workbook or sheet was filled in, to become a finding of `rule`.

    `sheet` is "" for the whole workbook; `params` fill the rule's message.
    """

    rule: Rule
    sheet: str = ""
    cell: str = ""
    value: object = ""
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass
class SheetTable:
    """One project table as read from one sheet.

    A header label that cannot be found gives a field `Cell(None, "")`, and an indicator
    table whose header cannot be found gives `header_ref == ""`: an empty address marks
    what could not be read (rule BP106/BP115 reports it), as opposed to a blank cell.
    """

    sheet: str
    hidden: bool
    title: Cell
    fields: dict[str, Cell]
    header_ref: str  # first cell of the indicator header row
    columns: dict[str, str]  # indicator column key -> column letter
    rows: list[dict[str, Cell]] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    @property
    def is_blank(self) -> bool:
        """Nothing typed but what the template pre-fills (编制单位, 预算执行率权重)."""
        typed = [c for k, c in self.fields.items() if k not in ("unit", "exec_weight")]
        return not self.rows and all(is_blank(c.value) for c in typed)

    def cells(self) -> Iterator[Cell]:
        """Every value cell read: header fields, then indicator rows."""
        yield from self.fields.values()
        for row in self.rows:
            yield from row.values()


# --- One sheet as a project table -----------------------------------------------------------


@dataclass
class _Sheet:
    """A sheet's values with its merged ranges filled from their top-left cells."""

    grid: Grid
    sources: dict[tuple[int, int], tuple[int, int]]  # filled cell -> top-left of its range
    ranges: dict[tuple[int, int], str]  # top-left -> "A11:A13"
    formats: Mapping[str, str] = field(default_factory=dict)  # A1 -> number format code

    def cell(self, r: int, c: int) -> Cell:
        value = self.grid[r][c] if r < len(self.grid) and c < len(self.grid[r]) else None
        source = self.sources.get((r, c))
        ref = cell_ref(r, c) if source is None else cell_ref(*source)
        merged = "" if source is None else self.ranges[source]
        return Cell(value, ref, merged, self.formats.get(ref, ""))

    def own(self, r: int, c: int) -> bool:
        """The value at (r, c) was typed in row r, not merged down from a row above."""
        source = self.sources.get((r, c))
        return source is None or source[0] == r

    def from_label(self, r: int, c: int, label: tuple[int, int]) -> bool:
        return self.sources.get((r, c)) == label


def _fill_merged(grid: Grid, merged: Merged) -> _Sheet:
    sheet = _Sheet(grid, {}, {})
    budget = sum(len(row) for row in grid)  # overlapping ranges cannot make this quadratic
    for (r0, c0), (r1, c1) in merged:
        if r0 >= len(grid) or c0 >= len(grid[r0]):
            continue
        sheet.ranges[(r0, c0)] = f"{cell_ref(r0, c0)}:{cell_ref(r1, c1)}"
        value = grid[r0][c0]
        for r in range(r0, min(r1 + 1, len(grid))):
            for c in range(c0, min(c1 + 1, len(grid[r]))):
                if (r, c) != (r0, c0):
                    grid[r][c] = value
                    sheet.sources[(r, c)] = (r0, c0)
                    budget -= 1
            if budget < 0:
                return sheet
    return sheet


def read_table(
    sheet: str,
    grid: Grid,
    *,
    hidden: bool = False,
    merged: Merged | None = None,
    formats: Mapping[str, str] | None = None,
) -> SheetTable | None:
    """Read one sheet as a project table, or None if it does not hold one.

    `merged` are the sheet's merged ranges as calamine gives them (0-based, inclusive);
    `formats` the number format codes of the cells whose format matters (A1 -> code).
    `grid` is cleaned of control characters and filled from the merged ranges in place.
    """
    cleaned = _remove_controls(grid)
    values = _fill_merged(grid, merged or [])
    values.formats = formats or {}
    labels = _label_positions(values)
    if _PROJECT_MARKER not in labels:
        return None
    name_row, name_col = labels[_PROJECT_MARKER]
    name_field = FIELDS_BY_KEY["name"]
    shift = (name_row - (name_field.row - 1), name_col - (name_field.col - 1))
    issues: list[Issue] = [_controls_removed(sheet, cleaned)] if cleaned else []
    fields: dict[str, Cell] = {}
    for field_ in HEADER_FIELDS:
        fields[field_.key] = _field_value(values, labels, field_.key)
        if not fields[field_.key].ref:
            at = (field_.row - 1 + shift[0], field_.col - 1 + shift[1])
            issues.append(_label_missing(sheet, values, field_.label, at))
    header = _find_indicator_header(grid)
    columns: dict[str, str] = {}
    rows: list[dict[str, Cell]] = []
    header_ref = ""
    if header is None:
        issues.append(_header_missing(sheet, labels, shift))
    else:
        positions = _column_positions(grid[header])
        columns = {k: xl_col_to_name(c) for k, c in positions.items()}
        header_ref = f"A{header + 1}"
        rows, more = _indicator_rows(values, header, positions)
        if more:
            last_read = rows[-1][next(iter(rows[-1]))].ref
            params = {"count": len(rows) + more, "limit": len(rows)}
            issues.append(Issue(too_many_indicators, sheet, last_read, len(rows) + more, params))
        for n, column in enumerate(INDICATOR_COLUMNS):
            if column.key not in positions:
                issues.append(_label_missing(sheet, values, column.label, (header, n)))
    if not _has_money_unit(grid, len(grid) if header is None else header):
        # Where the template writes it: right of the 编制单位 value.
        unit = FIELDS_BY_KEY["unit"]
        row = labels.get(_key(unit.label), (name_row - 1, 0))[0]
        issues.append(Issue(money_unit_note, sheet, cell_ref(row, unit.col + unit.span)))
    title = _title(grid, name_row)
    table = SheetTable(sheet, hidden, title, fields, header_ref, columns, rows, issues)
    issues.extend(_merged_issues(table))
    return table


def _label_positions(values: _Sheet) -> dict[str, tuple[int, int]]:
    """Where each text cell sits, by label key (the first occurrence wins).

    A long text is keyed by its beginning only ("项目概述：…" typed in one cell is found by
    its label); the copies a merged range spreads are not labels.
    """
    positions: dict[str, tuple[int, int]] = {}
    for r, row in enumerate(values.grid):
        for c, value in enumerate(row):
            if isinstance(value, str) and value and (r, c) not in values.sources:
                key = _key(value[:_LABEL_MAX_CHARS])
                if key:
                    positions.setdefault(key, (r, c))
    return positions


def _field_value(values: _Sheet, labels: dict[str, tuple[int, int]], key: str) -> Cell:
    field_ = FIELDS_BY_KEY[key]
    wanted = _key(field_.label)
    position = labels.get(wanted)
    if position is None:
        # The published layout puts label and value in one cell: "编制单位：107-…".
        for text, (r, c) in labels.items():
            if text.startswith(wanted) and len(text) > len(wanted):
                raw = values.cell(r, c)
                value = str(raw.value).split("：", 1)[-1].split(":", 1)[-1]
                return Cell(value.strip(), raw.ref)
        return Cell(None, "")
    r, c = position
    first: Cell | None = None
    for col in range(c + 1, c + 1 + field_.span):
        if values.from_label(r, col, position):
            continue  # the label's own merged cells
        found = values.cell(r, col)
        if first is None:
            first = found
        if not is_blank(found.value):
            if isinstance(found.value, str) and _key(found.value) in _HEADER_KEYS:
                break  # the next label: this field's value cell is empty
            return found
    return Cell(None, first.ref if first else cell_ref(r, c + 1))


def _find_indicator_header(grid: Grid) -> int | None:
    for r, row in enumerate(grid):
        keys = {_key(v) for v in row if isinstance(v, str) and len(v) <= _LABEL_MAX_CHARS}
        if all(marker in keys for marker in _TABLE_MARKERS):
            return r
    return None


def _column_positions(header: list[object]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for c, value in enumerate(header):
        key = _COLUMN_KEYS.get(_key(value))
        if key and key not in positions:
            positions[key] = c
    return positions


def _indicator_rows(
    values: _Sheet, header: int, positions: dict[str, int]
) -> tuple[list[dict[str, Cell]], int]:
    """The indicator rows below the header (at most MAX_INDICATORS), and how many more."""
    rows = []
    more = 0
    grid = values.grid
    for r in range(header + 1, len(grid)):
        typed = [c for c, v in enumerate(grid[r]) if not is_blank(v) and values.own(r, c)]
        if not typed:
            continue
        if _key(grid[r][typed[0]]).startswith(_END_MARKERS):
            break
        # A row holding only what a vertically merged cell carries down is not an indicator.
        if not any(c in typed for c in positions.values()):
            continue
        if len(rows) < MAX_INDICATORS:
            rows.append({k: values.cell(r, c) for k, c in positions.items()})
        else:
            more += 1
    return rows, more


def _remove_controls(grid: Grid) -> list[tuple[str, int]]:
    """Remove invisible characters from every text cell; return (cell, count) per cell."""
    cleaned = []
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            if isinstance(value, str) and CONTROLS.search(value):
                text, count = CONTROLS.subn("", value)
                row[c] = text
                cleaned.append((cell_ref(r, c), count))
    return cleaned


def _controls_removed(sheet: str, cleaned: list[tuple[str, int]]) -> Issue:
    """BP117, once per sheet, at the first cell cleaned."""
    chars = sum(count for _, count in cleaned)
    params = {"cells": len(cleaned), "chars": chars}
    return Issue(control_characters, sheet, cleaned[0][0], f"{chars} 个", params)


def _title(grid: Grid, name_row: int) -> Cell:
    for r, row in enumerate(grid[: max(name_row, _TITLE_SCAN_ROWS)]):
        for c, value in enumerate(row):
            if isinstance(value, str) and TITLE_RE.search(_key(value)):
                return Cell(value, cell_ref(r, c))
    return Cell(None, "")


def _has_money_unit(grid: Grid, above: int) -> bool:
    """Whether 单位：万元 (or 金额单位：万元, 单位（万元）) is written above row `above`."""
    return any(
        isinstance(value, str) and "万元" in value and _MONEY_UNIT_RE.search(_key(value))
        for row in grid[:above]
        for value in row
    )


def _label_missing(sheet: str, values: _Sheet, label: str, at: tuple[int, int]) -> Issue:
    """BP106 at the cell where the template has the label, quoting what is there instead."""
    r, c = max(at[0], 0), max(at[1], 0)
    return Issue(label_missing, sheet, cell_ref(r, c), values.cell(r, c).value, {"label": label})


def _header_missing(
    sheet: str, labels: dict[str, tuple[int, int]], shift: tuple[int, int]
) -> Issue:
    section = labels.get(_SECTION_MARKER)
    if section is not None:
        r, c = section[0] + 1, section[1]
    else:
        r, c = INDICATOR_HEADER_ROW - 1 + shift[0], max(shift[1], 0)
    return Issue(indicator_header_missing, sheet, cell_ref(r, c))


def _merged_issues(table: SheetTable) -> list[Issue]:
    """BP114: one issue per merged range through which a value was read."""
    seen: dict[str, Cell] = {}
    for cell in table.cells():
        if cell.merged and not is_blank(cell.value):
            seen.setdefault(cell.merged, cell)
    return [
        Issue(merged_cells, table.sheet, cell.ref, cell.value, {"range": merged})
        for merged, cell in seen.items()
    ]


def read_formulas(table: SheetTable, formulas: dict[str, Formula], *, recalc: bool) -> None:
    """Formulas in the cells read: a result the file carries is used (BP112); a formula
    without one (or in a file whose results a program left to Excel) is never read as 0 or
    as blank: the cell takes the formula's text (BP111)."""
    if not formulas:
        return
    replaced: dict[str, Cell] = {}
    for cell in table.cells():
        formula = formulas.get(cell.ref)
        if formula is None or cell.ref in replaced:
            continue
        text = formula.text or "=（共享公式）"
        if formula.cached and not recalc:
            table.issues.append(
                Issue(formula_in_input, table.sheet, cell.ref, cell.value, {"formula": text})
            )
            replaced[cell.ref] = cell
        else:
            table.issues.append(Issue(formula_uncalculated, table.sheet, cell.ref, text))
            replaced[cell.ref] = replace(cell, value=text)
    table.fields = {k: replaced.get(c.ref, c) for k, c in table.fields.items()}
    table.rows = [{k: replaced.get(c.ref, c) for k, c in row.items()} for row in table.rows]


def cell_ref(r: int, c: int) -> str:
    return f"{_column_name(c)}{r + 1}"
