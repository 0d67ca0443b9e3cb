"""A department's summary: its figures, its projects and its findings, with a link back to
总览. A sheet of the consolidated workbook, or a workbook of its own (see departments.py)."""

from __future__ import annotations

from xlsxwriter.worksheet import Worksheet

from ..rules import Finding, Severity
from ..summary import DepartmentRow, ProjectRow
from ..write.book import set_page
from ..write.findings import DEPARTMENT_LAYOUT
from ..write.style import Page
from ..write.table import Col, write_cell, write_table
from .book import Context, write_findings

# Widths shared by the projects table and the findings below it: 项目/一级项目名称,
# 指标/当年预算金额, 级别/部门留用, 规则编号/补助街镇, 规则/指标数, 工作表/错误, 单元格/警告,
# 相关单元格/提示, 填写内容/工作表, 问题说明/来源文件, 修改建议.
WIDTHS = [20.0, 16.0, 10.0, 10.0, 14.0, 8.0, 8.0, 10.0, 16.0, 36.0, 36.0]
PROJECT_COLUMNS = [
    Col("一级项目名称"),
    Col("当年预算金额", "money"),
    Col("部门留用", "money"),
    Col("补助街镇", "money"),
    Col("指标数", "int"),
    *(Col(s.value, "int") for s in Severity),
    Col("工作表"),
    Col("来源文件"),
]


def write_department(
    book: Context,
    ws: Worksheet,
    department: DepartmentRow,
    projects: list[ProjectRow],
    findings: list[Finding],
) -> None:
    f, unit = book.f, department.unit
    ws.write_string(0, 0, unit, f["title"])
    ws.write_url(1, 0, book.back, f["link"], "← 返回总览")
    figures = [
        ("项目数", department.projects, "int"),
        ("指标数", department.indicators, "int"),
        ("当年预算金额", department.budget, "money"),
        ("部门留用", department.retained, "money"),
        ("补助街镇", department.subsidy, "money"),
        *((s.value, department.counts[s.value], "int") for s in Severity),
    ]
    for n, (label, value, kind) in enumerate(figures, 3):
        ws.write_string(n, 0, label, f["label"])
        write_cell(ws, n, 1, value, kind, f[kind])
    row = 4 + len(figures)
    ws.write_string(row, 0, "项目", f["section"])
    rows = [
        [
            p.name,
            p.budget,
            p.retained,
            p.subsidy,
            p.indicators,
            *(p.counts[s.value] for s in Severity),
            p.sheet,
            p.file,
        ]
        for p in projects
    ]
    write_table(ws, f, row + 1, PROJECT_COLUMNS, rows, widths=WIDTHS)
    row += len(rows) + 3
    ws.write_string(row, 0, f"异常（{len(findings)} 条）", f["section"])
    write_findings(book, ws, row + 1, findings, DEPARTMENT_LAYOUT, widths=WIDTHS)
    for c, width in enumerate(WIDTHS):
        ws.set_column(c, c, width)
    # The findings' header tops every page after the first (it is where the list begins).
    set_page(ws, Page(landscape=True, repeat=(row + 1, row + 1)))
