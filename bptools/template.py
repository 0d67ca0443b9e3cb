"""Write the department workbook: 填表说明, one sheet per project, hidden code lists.

Everything about the layout comes from `bptools.schema`; a blank template and a sheet
pre-filled with a project's data (samples, last year's tables) come out of the same code.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from .dropdowns import add_indicator_validations, write_lists
from .instructions import write_instructions
from .model import Indicator, Project
from .normalize import is_blank, label_key, parse_number
from .rules import Severity
from .schema import (
    AMOUNT_CHECK_LABEL,
    DEFAULT_EXEC_WEIGHT,
    DEFAULT_INDICATOR_ROWS,
    EXPECTED_TOTAL_WEIGHT,
    FIELDS_BY_KEY,
    HEADER_FIELDS,
    INDICATOR_COLUMNS,
    INDICATOR_HEADER_ROW,
    INDICATOR_SECTION,
    INSTRUCTIONS_SHEET,
    LAST_COLUMN,
    META_SHEET,
    META_UNIT,
    META_VERSION,
    META_YEAR,
    MONEY_UNIT,
    PROJECT_SHEET,
    SECTION_ROW,
    TEMPLATE_VERSION,
    WEIGHT_TOTAL_LABEL,
    Kind,
    title,
)
from .write import style
from .write.book import fmt, new_workbook, rgb, set_page
from .write.output import atomic_output
from .write.style import Margins, Page, fitted_height

LONG_TEXT_HEIGHT = {"overview": 96, "basis": 80, "goals": 110}  # minimum, in points
INDICATOR_ROW_HEIGHT = 18
PROJECT_MARGINS = Margins(left=0.5, right=0.5)
_UNSAFE_IN_FILENAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


@dataclass
class Entry:
    """The formats of the cells a department types into, in one fill."""

    text: Any
    wrap: Any  # the long texts, read from their top
    money: Any
    number: Any
    indicator: Any
    indicator_wrap: Any

    @classmethod
    def create(cls, wb: Workbook, fill: str) -> Entry:
        entry = {"border": 1, "bg_color": rgb(fill), "locked": False}
        return cls(
            text=fmt(wb, **entry, text_wrap=True),
            wrap=fmt(wb, **entry, text_wrap=True, valign="top"),
            money=fmt(wb, **entry, num_format=style.MONEY),
            number=fmt(wb, **entry, num_format=style.NUMBER, align="center"),
            indicator=fmt(wb, **entry, align="center", text_wrap=True),
            indicator_wrap=fmt(wb, **entry, text_wrap=True),
        )


@dataclass
class Formats:
    title: Any
    right: Any
    label: Any
    entry: Entry
    last_year: Entry  # cells pre-filled with last year's values
    header: Any
    check_label: Any
    check_value: Any
    check_money: Any
    bad: Any
    note: Any
    note_bold: Any
    rule_row: Any

    @classmethod
    def create(cls, wb: Workbook) -> Formats:
        border = {"border": 1}
        caption = {**border, "bold": True, "bg_color": rgb(style.LABEL_FILL), "align": "center"}
        caption["text_wrap"] = True
        return cls(
            title=fmt(wb, bold=True, font_size=style.TITLE_SIZE, align="center"),
            right=fmt(wb, align="right"),
            label=fmt(wb, **caption),
            entry=Entry.create(wb, style.INPUT_FILL),
            last_year=Entry.create(wb, style.LAST_YEAR_FILL),
            header=fmt(wb, **caption),
            check_label=fmt(wb, **border, align="right", italic=True),
            check_value=fmt(wb, **border, align="center", bold=True, num_format=style.NUMBER),
            check_money=fmt(wb, **border, align="center", bold=True, num_format=style.MONEY),
            bad=fmt(
                wb,
                bg_color=rgb(style.SEVERITY_FILL[Severity.ERROR]),
                font_color=rgb(style.SEVERITY_INK[Severity.ERROR]),
            ),
            note=fmt(wb, text_wrap=True, valign="top"),
            note_bold=fmt(wb, bold=True, font_size=12),
            rule_row=fmt(wb, border=1, text_wrap=True, valign="top"),
        )


def write_template(
    path: Path,
    year: int,
    *,
    unit: str = "",
    projects: Sequence[Project | None] = (),
    n_projects: int = 3,
    indicator_rows: int = DEFAULT_INDICATOR_ROWS,
    last_year: int | None = None,
    reproducible: bool = False,
) -> Path:
    """Write a department workbook to `path` (atomically) and return the path.

    Args:
        year: budget year printed in every title.
        unit: "code-name" of the department, pre-filled on every project sheet.
        projects: tables to pre-fill, one sheet each (None: a blank sheet); when empty,
            `n_projects` blank sheets.
        indicator_rows: rows of the indicator table per sheet (more if a project needs them).
        last_year: the year `projects` were filled in for, when they are a starting point for
            `year`: their values get the last-year fill, and 填表说明 says what it means.
        reproducible: fixed document properties, so the same input gives the same bytes.
    """
    with atomic_output(path) as tmp:
        wb = new_workbook(tmp, reproducible=reproducible)
        formats = Formats.create(wb)
        write_instructions(wb.add_worksheet(INSTRUCTIONS_SHEET), formats, year, last_year)
        sheets = list(projects) or [None] * n_projects
        prefill = formats.last_year if last_year else formats.entry
        for n, project in enumerate(sheets, 1):
            ws = wb.add_worksheet(PROJECT_SHEET.format(n=n))
            _write_project_sheet(ws, formats, year, unit, project, indicator_rows, prefill)
        write_lists(wb, formats.label)
        _write_meta(wb, year, unit)
        wb.worksheets()[1 if len(wb.worksheets()) > 1 else 0].activate()
        wb.close()
    return path


def workbook_name(unit: str) -> str:
    """The file name of a department's workbook: its 编制单位 ("code-name"), as the samples
    are named, with what Windows refuses in a name replaced."""
    return f"{_UNSAFE_IN_FILENAME.sub('_', unit).strip(' .') or '未填编制单位'}.xlsx"


def _write_project_sheet(
    ws: Worksheet,
    f: Formats,
    year: int,
    unit: str,
    project: Project | None,
    indicator_rows: int,
    prefill: Entry,
) -> None:
    """One project sheet; the values taken from `project` in the `prefill` formats."""
    for n, column in enumerate(INDICATOR_COLUMNS):
        ws.set_column(n, n, column.width)
    last = LAST_COLUMN - 1
    ws.merge_range(0, 0, 0, last, title(year), f.title)
    ws.set_row(0, 30)

    for field in HEADER_FIELDS:
        value = project.header_value(field.key) if project else ""
        if field.key == "unit" and not value:
            value = unit
        if field.key == "exec_weight" and project is None:
            value = DEFAULT_EXEC_WEIGHT
        # 编制单位 is pre-filled as in any template, and a blank is still to fill: entry fill.
        carried = project is not None and field.key != "unit" and not is_blank(value)
        _write_field(ws, f, prefill if carried else f.entry, field.key, value)
    unit_field = FIELDS_BY_KEY["unit"]
    money_col = unit_field.col + unit_field.span  # 0-based column after the unit's value
    ws.merge_range(unit_field.row - 1, money_col, unit_field.row - 1, last, MONEY_UNIT, f.right)
    for key, height in LONG_TEXT_HEIGHT.items():
        field = FIELDS_BY_KEY[key]
        text = project.header_value(key) if project else ""
        span = sum(c.width for c in INDICATOR_COLUMNS[field.col : field.col + field.span])
        ws.set_row(field.row - 1, fitted_height(text, span, minimum=height))

    ws.merge_range(SECTION_ROW - 1, 0, SECTION_ROW - 1, last, INDICATOR_SECTION, f.label)
    header = INDICATOR_HEADER_ROW - 1
    for n, column in enumerate(INDICATOR_COLUMNS):
        ws.write_string(header, n, column.label, f.header)
    ws.set_row(header, 30)
    rows = list(project.indicators) if project else []
    count = max(indicator_rows, len(rows))
    first = header + 1
    for offset, indicator in enumerate(rows):
        _write_indicator(ws, prefill, first + offset, indicator)
    for offset in range(len(rows), count):
        _write_indicator(ws, f.entry, first + offset, None)
    last_row = first + count - 1
    add_indicator_validations(ws, first, last_row)
    _write_checks(ws, f, first, last_row, project, rows)

    # A table of the usual size prints on one page; a longer one breaks between indicator
    # rows with the header repeated.
    one_page = count <= DEFAULT_INDICATOR_ROWS
    page = Page(repeat=(header, header), one_page=one_page, center=True, margins=PROJECT_MARGINS)
    set_page(ws, page)
    ws.print_area(0, 0, last_row + 2, last)


# The checks a department's entry meets as it types (with the field's help as the prompt).
_VALIDATIONS: dict[Kind, dict[str, object]] = {
    Kind.MONEY: {
        "validate": "decimal",
        "criteria": ">=",
        "value": 0,
        "error_title": "金额不正确",
        "error_message": "请填写不小于 0 的数字，单位为万元。",
    },
    Kind.WEIGHT: {
        "validate": "decimal",
        "criteria": "between",
        "minimum": 0,
        "maximum": 100,
        "error_title": "权重不正确",
        "error_message": "请填写 0 到 100 之间的数字。",
    },
}


def _write_field(ws: Worksheet, f: Formats, entry: Entry, key: str, value: object) -> None:
    field = FIELDS_BY_KEY[key]
    row, col = field.row - 1, field.col - 1
    ws.write_string(row, col, field.label, f.label)
    first, last = col + 1, col + field.span
    cell_format = {
        Kind.MONEY: entry.money,
        Kind.WEIGHT: entry.number,
        Kind.LONG_TEXT: entry.wrap,
    }.get(field.kind, entry.text)
    ws.merge_range(row, first, row, last, "", cell_format)
    _write_value(
        ws, row, first, value, cell_format, numeric=field.kind in (Kind.MONEY, Kind.WEIGHT)
    )
    if field.kind in _VALIDATIONS or field.help:
        rule = _VALIDATIONS.get(field.kind, {"validate": "any"})
        prompt = {"input_title": field.label, "input_message": field.help}
        ws.data_validation(row, first, row, first, {**rule, **prompt})


def _write_value(
    ws: Worksheet, row: int, col: int, value: object, cell_format: Any, *, numeric: bool
) -> None:
    """Numbers go in as numbers (as a person typing them would), anything else as text."""
    if is_blank(value):
        ws.write_blank(row, col, None, cell_format)
        return
    if numeric or isinstance(value, (int, float)):
        number, _ = parse_number(value)
        if number is not None and "%" not in label_key(value):  # keep "95%" as typed
            ws.write_number(row, col, number, cell_format)
            return
    ws.write_string(row, col, str(value), cell_format)


def _write_indicator(ws: Worksheet, entry: Entry, row: int, indicator: Indicator | None) -> None:
    height = INDICATOR_ROW_HEIGHT
    for n, column in enumerate(INDICATOR_COLUMNS):
        value = getattr(indicator, column.key) if indicator else ""
        cell_format = entry.indicator_wrap if column.key == "name" else entry.indicator
        numeric = column.key in ("weight", "target")
        _write_value(ws, row, n, value, cell_format, numeric=numeric)
        height = max(height, fitted_height(value, column.width, minimum=height))
    ws.set_row(row, height)


def _write_checks(
    ws: Worksheet,
    f: Formats,
    first: int,
    last: int,
    project: Project | None,
    rows: list[Indicator],
) -> None:
    """Totals under the indicator table, as formulas carrying their cached values."""
    weight_col = next(n for n, c in enumerate(INDICATOR_COLUMNS) if c.key == "weight")
    letter = xl_col_to_name(weight_col)
    exec_cell = _value_cell("exec_weight")
    total_row = last + 1
    ws.merge_range(total_row, 0, total_row, weight_col - 1, WEIGHT_TOTAL_LABEL, f.check_label)
    weights = [parse_number(r.weight)[0] or 0.0 for r in rows]
    exec_weight = parse_number(project.exec_weight)[0] if project else DEFAULT_EXEC_WEIGHT
    cached = sum(weights) + (exec_weight or 0.0)
    ws.write_formula(
        total_row,
        weight_col,
        f"=SUM({letter}{first + 1}:{letter}{last + 1})+{exec_cell}",
        f.check_value,
        _clean_number(cached),
    )
    total_cell = xl_rowcol_to_cell(total_row, weight_col)
    ws.conditional_format(
        total_cell,
        {
            "type": "formula",
            "criteria": f"=ABS({total_cell}-{EXPECTED_TOTAL_WEIGHT})>0.001",
            "format": f.bad,
        },
    )

    split_row = total_row + 1
    ws.merge_range(split_row, 0, split_row, weight_col - 1, AMOUNT_CHECK_LABEL, f.check_label)
    retained, subsidy = _value_cell("retained"), _value_cell("subsidy")
    amounts = [
        parse_number(project.header_value(k))[0] if project else 0.0
        for k in ("retained", "subsidy")
    ]
    ws.write_formula(
        split_row,
        weight_col,
        f"={retained}+{subsidy}",
        f.check_money,
        _clean_number(sum(a or 0.0 for a in amounts)),
    )
    split_cell = xl_rowcol_to_cell(split_row, weight_col)
    ws.conditional_format(
        split_cell,
        {
            "type": "formula",
            "criteria": f"=ABS({split_cell}-{_value_cell('budget')})>0.005",
            "format": f.bad,
        },
    )


def _value_cell(key: str) -> str:
    field = FIELDS_BY_KEY[key]
    return xl_rowcol_to_cell(field.row - 1, field.col, row_abs=True, col_abs=True)


def _clean_number(value: float) -> float | int:
    rounded = round(value, 6)
    return int(rounded) if rounded == int(rounded) else rounded


def _write_meta(wb: Workbook, year: int, unit: str) -> None:
    ws = wb.add_worksheet(META_SHEET)
    for row, (key, value) in enumerate(
        ((META_VERSION, TEMPLATE_VERSION), (META_YEAR, str(year)), (META_UNIT, unit))
    ):
        ws.write_string(row, 0, key)
        ws.write_string(row, 1, value)
    ws.hide()
