"""总览: key figures, 一级指标 counts, the department table with its totals, the files, the
problems common to the batch, and two charts.

Department-driven figures are SUBTOTAL formulas over the department table, so they follow
the clerk's filter; each carries its value for viewers that do not calculate.
"""

from __future__ import annotations

from datetime import datetime

from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from ..readings import money_total
from ..rules import Severity
from ..summary import DepartmentRow
from ..write import style
from ..write.book import rgb, set_page
from ..write.style import Page
from ..write.table import Col, write_table
from .book import OVERVIEW, Book
from .ledger import LEDGER_SHEET

DEPARTMENT_COLUMNS = [
    Col("单位"),
    Col("项目数", "int"),
    Col("指标数", "int"),
    Col("当年预算金额", "money"),
    Col("部门留用", "money"),
    Col("补助街镇", "money"),
    *(Col(s.value, "int") for s in Severity),
]
NUMBER_WIDTH = 13  # columns B to I
CHART_WIDTH = 520  # pixels: two side by side are as wide as the tables
FIGURES = [  # label, department-table column, SUBTOTAL function, kind
    ("部门", 0, 103, "int"),
    ("项目", 1, 109, "int"),
    ("绩效指标", 2, 109, "int"),
    ("当年预算金额合计", 3, 109, "money"),
    ("其中：部门留用", 4, 109, "money"),
    ("其中：补助街镇", 5, 109, "money"),
    *((f"异常（{s.value}）", 6 + n, 109, "int") for n, s in enumerate(Severity)),
]


def write_overview(book: Book, ws: Worksheet) -> None:
    summary, f = book.summary, book.f
    ws.write_string(0, 0, summary.title, f["title"])
    ws.write_string(
        1,
        0,
        f"生成时间：{datetime.now():%Y-%m-%d %H:%M}    单位：万元    "
        "筛选“各部门情况”表时，关键数字随之变化",
        f["subtitle"],
    )
    names = [d.unit for d in summary.departments] + [r.name for r in summary.file_rows]
    first_width = min(max([24, *(style.text_width(n) + 2 for n in names)]), 52)
    widths = [first_width, *[NUMBER_WIDTH] * (len(DEPARTMENT_COLUMNS) - 1)]
    ws.set_column(0, 0, first_width)
    ws.set_column(1, len(widths) - 1, NUMBER_WIDTH)

    level1_top = 4 + len(summary.files) + len(FIGURES) + 2
    dept_top = level1_top + len(summary.level1) + 3  # section title, header, rows, a gap
    first, last = _departments(book, ws, dept_top, widths)
    _figures(book, ws, 4, first, last)
    ws.write_string(level1_top - 1, 0, "按一级指标统计", f["section"])
    rows = [[r.name, r.count, r.weight] for r in summary.level1]
    columns = [Col("一级指标"), Col("指标数", "int"), Col("权重合计", "number")]
    write_table(ws, f, level1_top, columns, rows, widths=widths)
    bottom = _files(book, ws, last + 4, widths)
    bottom = _submissions(book, ws, bottom + 3, widths)
    bottom = _common_problems(book, ws, bottom + 3, widths)
    # The department table starts a page (it is the page the 局领导 reads), the charts
    # another; the title row tops every page.
    breaks = [dept_top - 1]
    if summary.named_departments:
        _charts(book, ws, first, first + len(summary.departments) - 1, bottom + 2)
        breaks.append(bottom + 1)
    ws.set_h_pagebreaks(breaks)
    set_page(ws, Page(landscape=True, repeat=(0, 1)))


def _figures(book: Book, ws: Worksheet, top: int, first: int, last: int) -> None:
    """What was read, then the figures of the department table (rows `first` to `last`)."""
    f, summary = book.f, book.summary
    ws.write_string(top - 1, 0, "关键数字", f["section"])
    for n, figure in enumerate(summary.files, top):
        ws.write_string(n, 0, figure.label, f["label"])
        ws.write_number(n, 1, figure.value, f["int"])
    named = summary.named_departments
    rows = summary.departments
    for n, (label, col, function, kind) in enumerate(FIGURES, top + len(summary.files)):
        ws.write_string(n, 0, label, f["label"])
        # The count of departments leaves out the row of files without one.
        end = first + len(named) - 1 if function == 103 else last
        cells = f"{xl_col_to_name(col)}{first + 1}:{xl_col_to_name(col)}{end + 1}"
        cached = len(named) if function == 103 else _total([_row(d)[col] for d in rows], kind)
        ws.write_formula(n, 1, f"=SUBTOTAL({function},{cells})", f[kind], cached)


def _departments(book: Book, ws: Worksheet, top: int, widths: list[float]) -> tuple[int, int]:
    """The department table at `top`, filterable, with its totals; the rows it spans."""
    f, departments = book.f, book.summary.departments
    ws.write_string(top - 1, 0, "各部门情况（点击部门查看明细）", f["section"])
    rows = [_row(d) for d in departments]
    write_table(ws, f, top, DEPARTMENT_COLUMNS, rows, widths=widths)
    first, last = top + 1, top + len(rows)
    ws.autofilter(top, 0, max(last, first), len(DEPARTMENT_COLUMNS) - 1)
    for n, d in enumerate(departments, first):
        if d.unit in book.dept_links:  # the text is the department's: a string, never a formula
            ws.write_url(n, 0, book.dept_links[d.unit], f["link"], d.unit)
    totals = last + 1
    ws.write_string(totals, 0, "合计（随筛选变化）", f["label"])
    for col, column in enumerate(DEPARTMENT_COLUMNS[1:], 1):
        letter = xl_col_to_name(col)
        ws.write_formula(
            totals,
            col,
            f"=SUBTOTAL(109,{letter}{first + 1}:{letter}{last + 1})",
            f[column.kind],
            _total([r[col] for r in rows], column.kind),
        )
    return first, last


def _files(book: Book, ws: Worksheet, top: int, widths: list[float]) -> int:
    """The files read and skipped; the note spans the columns to the right. Returns the
    last row written."""
    f, file_rows = book.f, book.summary.file_rows
    ws.write_string(top - 1, 0, "文件情况", f["section"])
    columns = [
        Col("文件"),
        Col("状态"),
        Col("项目数", "int"),
        Col("被新版本取代", "int"),
        Col("空白项目表", "int"),
    ]
    rows = [[r.name, r.status, r.projects, r.superseded, r.blank_sheets] for r in file_rows]
    write_table(ws, f, top, columns, rows, widths=widths)
    note_first, note_last = len(columns), len(widths) - 1
    note_width = sum(widths[note_first:])
    ws.merge_range(top, note_first, top, note_last, "说明", f["header"])
    for r, row in enumerate(file_rows, top + 1):
        ws.merge_range(r, note_first, r, note_last, "", f["wrap"])
        ws.write_string(r, note_first, row.note, f["wrap"])
        if row.note:  # as tall as the note or the name needs
            height = max(
                style.fitted_height(row.note, note_width, minimum=style.ROW_HEIGHT),
                style.fitted_height(row.name, widths[0], minimum=style.ROW_HEIGHT),
            )
            ws.set_row(r, min(height, style.MAX_ROW_HEIGHT))
    return top + len(rows)


def _submissions(book: Book, ws: Worksheet, top: int, widths: list[float]) -> int:
    """Who has sent what, from the ledger: its figures, then the departments the clerk
    waits for (nothing sent, or still with 错误). Returns the last row written."""
    f, summary = book.f, book.summary
    if summary.ledger is None:
        return top - 3
    ws.write_string(top - 1, 0, f"报送情况（每个文件见“{LEDGER_SHEET}”）", f["section"])
    for n, figure in enumerate(summary.submissions, top):
        ws.write_string(n, 0, figure.label, f["label"])
        ws.write_number(n, 1, figure.value, f["int"])
    if not summary.waiting:
        return top + len(summary.submissions) - 1
    table = top + len(summary.submissions) + 1
    columns = [Col("单位"), Col("情况"), Col("报送次数", "int"), Col("最近报送")]
    columns.append(Col("错误", "int"))
    rows = [[w.unit, w.status, w.rounds, w.last, w.errors] for w in summary.waiting]
    alarm = f[Severity.ERROR.value]
    write_table(ws, f, table, columns, rows, widths=widths, styles={1: lambda _: alarm})
    return table + len(rows)


def _common_problems(book: Book, ws: Worksheet, top: int, widths: list[float]) -> int:
    """The rules that fire on most tables: one row each, as in 异常清单. Returns the last
    row written."""
    listing = book.summary.listing
    if not listing.common:
        return top - 3
    total = listing.summary(book.summary.findings)
    ws.write_string(top - 1, 0, f"本批次普遍存在的问题（异常共 {total}）", book.f["section"])
    # The projects are listed in 异常清单: here the list would stretch the printed page.
    rows = [[x.rule.title, x.rule_id, x.severity.value, x.params["count"]] for x in listing.common]
    columns = [Col("规则"), Col("规则编号"), Col("级别"), Col("项目数", "int")]
    write_table(ws, book.f, top, columns, rows, widths=widths, styles={2: book.severity_style})
    return top + len(rows)


def _charts(book: Book, ws: Worksheet, first: int, last: int, top: int) -> None:
    """Native charts over the department table, below the tables (so that the page prints
    at the tables' width): budget, and anomalies by severity."""
    font = {"name": style.FONT, "size": 9}
    categories = [OVERVIEW, first, 0, last, 0]
    height = min(max(320, 22 * (last - first + 1) + 80), 660)  # pixels: one printed page
    budget = book.wb.add_chart({"type": "bar"})
    budget.add_series(
        {
            "name": "当年预算金额（万元）",
            "categories": categories,
            "values": [OVERVIEW, first, 3, last, 3],
            "fill": {"color": rgb(style.BAR)},
            "gap": 60,
        }
    )
    anomalies = book.wb.add_chart({"type": "bar", "subtype": "stacked"})
    for col, severity in enumerate(Severity, 6):
        anomalies.add_series(
            {
                "name": severity.value,
                "categories": categories,
                "values": [OVERVIEW, first, col, last, col],
                "fill": {"color": rgb(style.SEVERITY_CHART[severity])},
                "gap": 60,
            }
        )
    for chart, name in ((budget, "各部门当年预算金额（万元）"), (anomalies, "各部门异常数")):
        chart.set_title({"name": name, "name_font": {**font, "size": 12}})
        chart.set_x_axis({"num_font": font, "major_gridlines": {"visible": True}})
        chart.set_y_axis({"num_font": font, "reverse": True})
        chart.set_legend({"position": "bottom", "font": font})
        chart.set_size({"width": CHART_WIDTH, "height": height})
    budget.set_legend({"none": True})
    # Side by side on a page of their own (the caller breaks the page before `top - 1`):
    # a chart split by a page break, or under the repeated title row, cannot be read.
    ws.write_string(top - 1, 0, "图表", book.f["section"])
    ws.insert_chart(top, 0, budget)
    ws.insert_chart(top, 0, anomalies, {"x_offset": CHART_WIDTH + 16})


def _row(d: DepartmentRow) -> list[object]:
    return [
        d.unit,
        d.projects,
        d.indicators,
        d.budget,
        d.retained,
        d.subsidy,
        *(d.counts[s.value] for s in Severity),
    ]


def _total(values: list[object], kind: str) -> float | int:
    """A column's total as its cells show it: amounts without binary noise, counts whole."""
    return money_total(values) if kind == "money" else sum(values)  # type: ignore[arg-type]
