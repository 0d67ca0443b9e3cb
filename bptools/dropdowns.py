"""The template's dropdowns: the hidden lists sheet, its defined names, and the validations
of the indicator rows that use them."""

from __future__ import annotations

from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from .schema import CORE_CHOICES, INDICATOR_COLUMNS, LISTS_SHEET, OPERATORS, TAXONOMY

# Defined names of the dropdown lists. Validations that go through a defined name survive
# an openpyxl round trip (what a department's own tools may do to the file); direct
# references to another sheet become x14 extensions, which openpyxl drops.
LEVEL1_LIST = "一级指标列表"
OPERATOR_LIST = "指标性质列表"
YES_NO_LIST = "是否列表"


def add_indicator_validations(ws: Worksheet, first: int, last: int) -> None:
    """Dropdowns and checks on the indicator rows `first` to `last` (0-based)."""
    col = {c.key: n for n, c in enumerate(INDICATOR_COLUMNS)}
    level1_cell = xl_rowcol_to_cell(first, col["level1"], col_abs=True)

    def add(key: str, options: dict[str, Any]) -> None:
        column = INDICATOR_COLUMNS[col[key]]
        ws.data_validation(
            first,
            col[key],
            last,
            col[key],
            {
                **options,
                "input_title": column.label,
                "input_message": column.help,
            },
        )

    add(
        "level1",
        {
            "validate": "list",
            "source": f"={LEVEL1_LIST}",
            "error_message": "请从下拉列表选择一级指标。",
        },
    )
    add(
        "level2",
        {
            "validate": "list",
            "source": f"=INDIRECT({level1_cell})",
            "error_message": "请先选择一级指标，再从下拉列表选择其下的二级指标。",
        },
    )
    add(
        "op",
        {
            "validate": "list",
            "source": f"={OPERATOR_LIST}",
            "error_message": "指标性质只能是 ≥ ≤ ＝ ＞ ＜ 或 定性。",
        },
    )
    add(
        "weight",
        {
            "validate": "decimal",
            "criteria": ">",
            "value": 0,
            "error_message": "权重请填写大于 0 的数字。",
        },
    )
    add(
        "core",
        {"validate": "list", "source": f"={YES_NO_LIST}", "error_message": "请选择 是 或 否。"},
    )


def write_lists(wb: Workbook, label: Format) -> None:
    """The hidden sheet the dropdowns take their options from, by defined names."""
    ws = wb.add_worksheet(LISTS_SHEET)
    ws.write_string(0, 0, "一级指标", label)
    for row, level1 in enumerate(TAXONOMY, 1):
        ws.write_string(row, 0, level1)
    wb.define_name(LEVEL1_LIST, f"='{LISTS_SHEET}'!$A$2:$A${len(TAXONOMY) + 1}")
    for col, (level1, level2s) in enumerate(TAXONOMY.items(), 1):
        ws.write_string(0, col, level1, label)
        for row, level2 in enumerate(level2s, 1):
            ws.write_string(row, col, level2)
        letter = xl_col_to_name(col)
        wb.define_name(level1, f"='{LISTS_SHEET}'!${letter}$2:${letter}${len(level2s) + 1}")
    extra = len(TAXONOMY) + 1
    for col, (name, heading, values) in enumerate(
        ((OPERATOR_LIST, "指标性质", OPERATORS), (YES_NO_LIST, "是否核心指标", CORE_CHOICES)),
        extra,
    ):
        ws.write_string(0, col, heading, label)
        for row, value in enumerate(values, 1):
            ws.write_string(row, col, value)
        letter = xl_col_to_name(col)
        wb.define_name(name, f"='{LISTS_SHEET}'!${letter}$2:${letter}${len(values) + 1}")
    ws.set_column(0, extra + 1, 16)
    ws.hide()
