"""Write the consolidated workbook the clerk opens: 总览, 项目汇总, 指标明细, one sheet per
department, 异常清单.
"""

from __future__ import annotations

import math
import numbers
import os
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from .config import Config
from .listing import anomaly_list
from .merge import count_by_project, department_summary
from .normalize import as_text
from .outputs import DirectOutput, Output
from .pipeline import Consolidation
from .readings import money_total
from .rules import RULES, Finding, Severity
from .rules.base import records
from .schema import TAXONOMY
from .xlsx import (
    FONT,
    fitted_height,
    fmt,
    new_workbook,
    safe_sheet_title,
    sheet_ref,
    text_width,
)

OVERVIEW = "总览"
PROJECTS = "项目汇总"
INDICATORS = "指标明细"
ANOMALIES = "异常清单"
RULE_SHEET = "规则说明"
REPORT_NAME = "{year}绩效目标汇总.xlsx"

ROW_HEIGHT = 15  # points: Excel's default for our 10-point font
MAX_ROW_HEIGHT = 409  # Excel's limit
CHART_COLOURS = {Severity.ERROR: "#E06666", Severity.WARNING: "#F6B26B", Severity.INFO: "#6FA8DC"}
SEVERITY_COLOURS = {
    Severity.ERROR: "#FFC7CE",
    Severity.WARNING: "#FFEB9C",
    Severity.INFO: "#DDEBF7",
}


@dataclass(frozen=True)
class Col:
    """A column of an output table: header, value type and a width cap."""

    header: str
    kind: str = "text"  # text | wrap | money | int | number
    max_width: float = 40


FINDING_COLUMNS: dict[str, tuple[Col, Callable[[Finding], Any]]] = {
    "级别": (Col("级别"), lambda x: x.severity.value),
    "规则编号": (Col("规则编号"), lambda x: x.rule_id),
    "规则": (Col("规则", max_width=20), lambda x: x.rule.title),
    "单位": (Col("单位", max_width=30), lambda x: x.unit),
    "项目": (Col("项目", max_width=30), lambda x: x.project),
    "指标": (Col("指标", max_width=30), lambda x: x.indicator),
    "文件": (Col("文件", max_width=36), lambda x: x.file),
    "工作表": (Col("工作表"), lambda x: x.sheet),
    "单元格": (Col("单元格"), lambda x: x.cell),
    "相关单元格": (Col("相关单元格"), lambda x: x.related),
    "填写内容": (Col("填写内容", max_width=30), lambda x: x.value),
    "问题说明": (Col("问题说明", "wrap", 50), lambda x: x.message),
    "修改建议": (Col("修改建议", "wrap", 40), lambda x: x.hint),
}
ANOMALY_LAYOUT = list(FINDING_COLUMNS)
# On a department sheet the project comes first, under the projects table's name column.
DEPARTMENT_LAYOUT = [
    "项目",
    "指标",
    "级别",
    "规则编号",
    "规则",
    "工作表",
    "单元格",
    "相关单元格",
    "填写内容",
    "问题说明",
    "修改建议",
]


def report_path(outdir: Path, year: int | None) -> Path:
    return outdir / REPORT_NAME.format(year=f"{year}年" if year else "")


def write_report(
    result: Consolidation,
    outdir: Path,
    config: Config | None = None,
    *,
    out: Output | None = None,
) -> Path:
    """Write the consolidated workbook into `outdir` (atomically) and return its path.

    `config` is the one the run used: the 规则说明 sheet shows its severities and thresholds.
    """
    path = report_path(outdir, result.year)
    with (out or DirectOutput()).file(path) as tmp:
        wb = new_workbook(tmp)
        _Report(wb, result, config or Config(), outdir).write()
        wb.close()
    return path


def source_link(path: Path, outdir: Path, sheet: str, cell: str) -> str | None:
    """An Excel link from the report to a cell of a department's file, relative to the
    report so that it survives moving both folders together (None where Excel cannot
    express it)."""
    target = os.path.relpath(path.resolve(), outdir.resolve())
    if "#" in target or len(target) > 200:
        return None
    anchor = f"#{sheet_ref(sheet)}!{cell}" if sheet and cell else ""
    return f"external:{target}{anchor}"


class _Report:
    def __init__(self, wb: Workbook, result: Consolidation, config: Config, outdir: Path) -> None:
        self.wb = wb
        self.result = result
        self.config = config
        self.outdir = outdir
        self.paths = {s.label: s.path for s in result.files}
        self.batch = result.batch
        border = {"border": 1, "border_color": "#BFBFBF"}
        self.f: dict[str, Any] = {
            "title": fmt(wb, bold=True, font_size=16),
            "subtitle": fmt(wb, font_color="#595959"),
            "section": fmt(wb, bold=True, font_size=12, font_color="#1F4E79"),
            "header": fmt(
                wb, **border, bold=True, bg_color="#DDEBF7", text_wrap=True, align="center"
            ),
            "text": fmt(wb, **border),
            "wrap": fmt(wb, **border, text_wrap=True, valign="top"),
            "money": fmt(wb, **border, num_format="#,##0.00"),
            "int": fmt(wb, **border, num_format="0"),
            "number": fmt(wb, **border, num_format="General"),
            "label": fmt(wb, **border, bold=True, bg_color="#F2F2F2"),
            "link": fmt(wb, **border, font_color="#0563C1", underline=1),
        }
        for severity, colour in SEVERITY_COLOURS.items():
            self.f[severity.value] = fmt(wb, **border, bg_color=colour, align="center")
        self.departments = department_summary(self.batch, result.findings)
        self.listing = anomaly_list(result.findings, len(self.batch.projects))
        taken = {t.lower() for t in (OVERVIEW, PROJECTS, INDICATORS, ANOMALIES, RULE_SHEET)}
        self.dept_sheets = {
            row.unit_label: safe_sheet_title(row.unit_label, taken)
            for row in self.departments.itertuples()
        }

    def write(self) -> None:
        overview = self.wb.add_worksheet(OVERVIEW)
        projects = self.wb.add_worksheet(PROJECTS)
        indicators = self.wb.add_worksheet(INDICATORS)
        dept_sheets = {u: self.wb.add_worksheet(t) for u, t in self.dept_sheets.items()}
        anomalies = self.wb.add_worksheet(ANOMALIES)
        rules = self.wb.add_worksheet(RULE_SHEET)
        self._overview(overview)
        self._projects(projects)
        self._indicators(indicators)
        for unit, ws in dept_sheets.items():
            self._department(ws, unit)
        self._anomalies(anomalies)
        self._rules(rules)
        overview.activate()

    # Sheets

    def _overview(self, ws: Worksheet) -> None:
        """Key figures, 一级指标 counts, the department table with its totals, file status
        and two charts. Department-driven figures are SUBTOTAL formulas over the department
        table, so they follow the clerk's filter; each carries its value for viewers."""
        result, f = self.result, self.f
        ws.write_string(0, 0, f"{result.year or ''} 年区级重点专项绩效目标汇总", f["title"])
        ws.write_string(
            1,
            0,
            f"生成时间：{datetime.now():%Y-%m-%d %H:%M}    单位：万元    "
            "筛选“各部门情况”表时，关键数字随之变化",
            f["subtitle"],
        )
        units = self._department_rows()
        files = [
            ("读取的文件", len(result.files)),
            ("无法使用的文件", sum(not s.ok for s in result.files)),
            ("跳过的临时/锁定文件", len(result.inputs.lock_files)),
            ("跳过的非工作簿文件", len(result.inputs.not_workbooks)),
        ]
        figures = [  # label, department-table column, SUBTOTAL function, format
            ("部门", 0, 103, "int"),
            ("项目", 1, 109, "int"),
            ("绩效指标", 2, 109, "int"),
            ("当年预算金额合计", 3, 109, "money"),
            ("其中：部门留用", 4, 109, "money"),
            ("其中：补助街镇", 5, 109, "money"),
            ("异常（错误）", 6, 109, "int"),
            ("异常（警告）", 7, 109, "int"),
            ("异常（提示）", 8, 109, "int"),
        ]
        level1 = self._level1_rows()
        figures_top = 4
        level1_top = figures_top + len(files) + len(figures) + 2
        dept_top = level1_top + len(level1) + 3  # section title, header, rows, a gap
        first, last = dept_top + 1, dept_top + len(units)

        ws.write_string(figures_top - 1, 0, "关键数字", f["section"])
        for n, (label, value) in enumerate(files, figures_top):
            ws.write_string(n, 0, label, f["label"])
            ws.write_number(n, 1, value, f["int"])
        departments = len(self.departments)  # the rows before any （无法识别单位的文件） row
        for n, (label, col, function, kind) in enumerate(figures, figures_top + len(files)):
            ws.write_string(n, 0, label, f["label"])
            end = first + departments - 1 if function == 103 else last
            cells = f"{xl_col_to_name(col)}{first + 1}:{xl_col_to_name(col)}{end + 1}"
            cached = departments if function == 103 else _total([u[col] for u in units], kind)
            ws.write_formula(n, 1, f"=SUBTOTAL({function},{cells})", f[kind], cached)

        ws.write_string(level1_top - 1, 0, "按一级指标统计", f["section"])
        self._table(
            ws,
            level1_top,
            [Col("一级指标"), Col("指标数", "int"), Col("权重合计", "number")],
            level1,
            widths=False,
        )

        ws.write_string(dept_top - 1, 0, "各部门情况（点击部门查看明细）", f["section"])
        columns = [
            Col("单位"),
            Col("项目数", "int"),
            Col("指标数", "int"),
            Col("当年预算金额", "money"),
            Col("部门留用", "money"),
            Col("补助街镇", "money"),
            Col("错误", "int"),
            Col("警告", "int"),
            Col("提示", "int"),
        ]
        self._table(ws, dept_top, columns, units, widths=False)
        ws.autofilter(dept_top, 0, max(last, first), len(columns) - 1)
        for n, unit in enumerate(units, first):
            if unit[0] in self.dept_sheets:
                ws.write_url(
                    n, 0, f"internal:{sheet_ref(self.dept_sheets[unit[0]])}!A1", f["link"], unit[0]
                )
        totals = last + 1
        ws.write_string(totals, 0, "合计（随筛选变化）", f["label"])
        for col, column in enumerate(columns[1:], 1):
            letter = xl_col_to_name(col)
            ws.write_formula(
                totals,
                col,
                f"=SUBTOTAL(109,{letter}{first + 1}:{letter}{last + 1})",
                f[column.kind],
                _total([u[col] for u in units], column.kind),
            )

        files_top = totals + 3
        ws.write_string(files_top - 1, 0, "文件情况", f["section"])
        file_rows = self._file_rows()
        self._table(
            ws,
            files_top,
            [
                Col("文件"),
                Col("状态"),
                Col("项目数", "int"),
                Col("被新版本取代", "int"),
                Col("空白项目表", "int"),
                Col("说明"),
            ],
            file_rows,
            widths=False,
        )
        self._common_problems(ws, files_top + len(file_rows) + 3)
        longest = [text_width(r[0]) for r in units + file_rows]
        ws.set_column(0, 0, min(max([24, *longest]) + 2, 60))
        ws.set_column(1, 8, 13)
        if units:
            self._charts(ws, first, last)
        self._print_setup(ws, landscape=True)

    def _common_problems(self, ws: Worksheet, top: int) -> None:
        """The rules that fire on most tables: one row each, as in 异常清单."""
        common = self.listing.common
        if not common:
            return
        total = self.listing.summary(len(self.result.findings))
        ws.write_string(top - 1, 0, f"本批次普遍存在的问题（异常共 {total}）", self.f["section"])
        # The projects are listed in 异常清单: here the list would stretch the printed page.
        rows = [[f.rule_id, f.rule.title, f.severity.value, f.params["count"]] for f in common]
        columns = [Col("规则编号"), Col("规则"), Col("级别"), Col("项目数", "int")]
        self._table(ws, top, columns, rows, widths=False, styles={2: lambda v: self.f.get(v)})

    def _department_rows(self) -> list[list[Any]]:
        rows = [
            [
                r.unit_label,
                r.projects,
                r.indicators,
                r.budget,
                r.retained,
                r.subsidy,
                r.错误,
                r.警告,
                r.提示,
            ]
            for r in self.departments.itertuples()
        ]
        # Findings no department can be named for (unreadable files): a row of their own,
        # so the anomaly totals add up.
        orphans = Counter(f.severity.value for f in self.result.findings if not f.unit)
        if orphans:
            rows.append(
                [
                    "（无法识别单位的文件）",
                    0,
                    0,
                    0.0,
                    0.0,
                    0.0,
                    *(orphans.get(s.value, 0) for s in Severity),
                ]
            )
        return rows

    def _level1_rows(self) -> list[list[Any]]:
        indicators = self.batch.indicators
        known = indicators["level1"].where(indicators["level1"].isin(TAXONOMY), "（其他）")
        grouped = indicators.groupby(known)["weight"]
        order = [*TAXONOMY, "（其他）"]
        return [
            [name, int(grouped.size().get(name, 0)), float(grouped.sum().get(name, 0.0))]
            for name in order
            if name in grouped.size() or name in TAXONOMY
        ]

    def _file_rows(self) -> list[list[Any]]:
        result = self.result
        rows = [
            [
                s.label,
                "无法使用" if s.error else "已读取",
                s.projects,
                s.superseded,
                s.blank_sheets,
                s.error.message if s.error else "",
            ]
            for s in result.files
        ]
        rows += [
            [p.name, "跳过：临时文件", 0, 0, 0, "Excel/WPS 打开文件时产生的锁定文件"]
            for p in result.inputs.lock_files
        ]
        rows += [
            [p.name, "跳过：非工作簿", 0, 0, 0, "不是 Excel 工作簿，未读取"]
            for p in result.inputs.not_workbooks
        ]
        return rows

    def _charts(self, ws: Worksheet, first: int, last: int) -> None:
        """Native charts over the department table: budget, and anomalies by severity."""
        font = {"name": FONT, "size": 9}
        categories = [OVERVIEW, first, 0, last, 0]
        height = max(320, 22 * (last - first + 1) + 80)
        budget = self.wb.add_chart({"type": "bar"})
        budget.add_series(
            {
                "name": "当年预算金额（万元）",
                "categories": categories,
                "values": [OVERVIEW, first, 3, last, 3],
                "fill": {"color": "#5B9BD5"},
                "gap": 60,
            }
        )
        anomalies = self.wb.add_chart({"type": "bar", "subtype": "stacked"})
        for col, severity in enumerate(Severity, 6):
            anomalies.add_series(
                {
                    "name": severity.value,
                    "categories": categories,
                    "values": [OVERVIEW, first, col, last, col],
                    "fill": {"color": CHART_COLOURS[severity]},
                    "gap": 60,
                }
            )
        for chart, name in ((budget, "各部门当年预算金额（万元）"), (anomalies, "各部门异常数")):
            chart.set_title({"name": name, "name_font": {**font, "size": 12}})
            chart.set_x_axis({"num_font": font, "major_gridlines": {"visible": True}})
            chart.set_y_axis({"num_font": font, "reverse": True})
            chart.set_legend({"position": "bottom", "font": font})
            chart.set_size({"width": 620, "height": height})
        budget.set_legend({"none": True})
        ws.insert_chart(3, 10, budget)
        ws.insert_chart(3 + height // 20 + 1, 10, anomalies)

    def _projects(self, ws: Worksheet) -> None:
        projects = self.batch.projects
        sums = self.batch.indicators.groupby("project_id")["weight"].sum()
        counts = count_by_project(self.result.findings)
        columns = [
            Col("单位编码"),
            Col("单位名称", max_width=30),
            Col("一级项目名称", max_width=36),
            Col("业务主管部门", max_width=30),
            Col("当年预算金额", "money"),
            Col("部门留用", "money"),
            Col("补助街镇", "money"),
            Col("预算执行率权重", "number"),
            Col("指标数", "int"),
            Col("指标权重合计", "number"),
            Col("错误", "int"),
            Col("警告", "int"),
            Col("项目概述", "wrap", 50),
            Col("立项依据", "wrap", 50),
            Col("当年绩效目标", "wrap", 50),
            Col("来源文件", max_width=40),
            Col("工作表"),
        ]
        rows = []
        for p in records(projects):
            key = (p["file"], p["sheet"])
            found = counts.loc[key] if key in counts.index else None
            rows.append(
                [
                    p["unit_code"],
                    p["unit_name"] or p["unit_label"],
                    p["name"],
                    p["supervisor"],
                    p["budget"],
                    p["retained"],
                    p["subsidy"],
                    p["exec_weight"],
                    p["n_indicators"],
                    sums.get(p["project_id"], math.nan),
                    0 if found is None else int(found["错误"]),
                    0 if found is None else int(found["警告"]),
                    p["overview"],
                    p["basis"],
                    p["goals"],
                    p["file"],
                    p["sheet"],
                ]
            )
        self._table(ws, 0, columns, rows)
        self._print_setup(ws, landscape=True)

    def _indicators(self, ws: Worksheet) -> None:
        columns = [
            Col("单位编码"),
            Col("单位名称", max_width=30),
            Col("一级项目名称", max_width=30),
            Col("序号", "int"),
            Col("一级指标"),
            Col("二级指标"),
            Col("三级指标", max_width=40),
            Col("计量单位"),
            Col("指标性质"),
            Col("指标值", max_width=24),
            Col("权重（%）", "number"),
            Col("是否核心指标"),
            Col("来源文件", max_width=40),
            Col("工作表"),
            Col("行号", "int"),
        ]
        units = self.batch.projects.set_index("project_id")[["unit_code", "unit_name"]]
        rows = []
        for i in records(self.batch.indicators):
            code, name = units.loc[i["project_id"]]
            rows.append(
                [
                    code,
                    name or i["unit_label"],
                    i["project"],
                    i["seq"],
                    i["level1"],
                    i["level2"],
                    i["name"],
                    i["unit"],
                    i["op"],
                    i["target"],
                    i["weight"] if not math.isnan(i["weight"]) else i["weight__raw"],
                    i["core"],
                    i["file"],
                    i["sheet"],
                    i["row"],
                ]
            )
        self._table(ws, 0, columns, rows)
        self._print_setup(ws, landscape=True)

    def _department(self, ws: Worksheet, unit: str) -> None:
        f = self.f
        projects = self.batch.projects[self.batch.projects["unit_label"] == unit]
        summary = self.departments[self.departments["unit_label"] == unit].iloc[0]
        ws.write_string(0, 0, unit, f["title"])
        ws.write_url(1, 0, f"internal:{sheet_ref(OVERVIEW)}!A1", f["link"], "← 返回总览")
        figures = [
            ("项目数", summary["projects"], "int"),
            ("指标数", summary["indicators"], "int"),
            ("当年预算金额", summary["budget"], "money"),
            ("部门留用", summary["retained"], "money"),
            ("补助街镇", summary["subsidy"], "money"),
            *((s.value, summary[s.value], "int") for s in Severity),
        ]
        for n, (label, value, kind) in enumerate(figures, 3):
            ws.write_string(n, 0, label, f["label"])
            self._cell(ws, n, 1, value, kind)
        row = 4 + len(figures)
        ws.write_string(row, 0, "项目", f["section"])
        counts = count_by_project(self.result.findings)
        rows = []
        for p in records(projects):
            key = (p["file"], p["sheet"])
            found = counts.loc[key] if key in counts.index else None
            rows.append(
                [
                    p["name"],
                    p["budget"],
                    p["retained"],
                    p["subsidy"],
                    p["n_indicators"],
                    *(0 if found is None else int(found[s.value]) for s in Severity),
                    p["file"],
                    p["sheet"],
                ]
            )
        self._table(
            ws,
            row + 1,
            [
                Col("一级项目名称", "wrap"),
                Col("当年预算金额", "money"),
                Col("部门留用", "money"),
                Col("补助街镇", "money"),
                Col("指标数", "int"),
                Col("错误", "int"),
                Col("警告", "int"),
                Col("提示", "int"),
                Col("来源文件", max_width=40),
                Col("工作表"),
            ],
            rows,
            widths=False,
        )
        row += len(rows) + 3
        findings = [x for x in self.result.findings if x.unit == unit]
        ws.write_string(row, 0, f"异常（{len(findings)} 条）", f["section"])
        self._finding_table(ws, row + 1, findings, DEPARTMENT_LAYOUT)
        # Widths shared by the projects table above and the findings below (项目, 指标, 级别,
        # 规则编号, 规则, 工作表, 单元格, 相关单元格, 填写内容, 问题说明, 修改建议).
        ws.set_column(0, 0, 28, f["wrap"])
        ws.set_column(1, 1, 20, f["wrap"])
        ws.set_column(2, 3, 10)
        ws.set_column(4, 4, 16, f["wrap"])
        ws.set_column(5, 7, 10)
        ws.set_column(8, 8, 24, f["wrap"])
        ws.set_column(9, 10, 40, f["wrap"])
        self._print_setup(ws, landscape=True)

    def _anomalies(self, ws: Worksheet) -> None:
        findings = self.listing.rows
        self._finding_table(ws, 0, findings, ANOMALY_LAYOUT, widths=True)
        ws.freeze_panes(1, 0)
        if findings:  # each row tinted by its severity, in the first column
            for severity, colour in SEVERITY_COLOURS.items():
                tint = self.wb.add_format({"bg_color": colour})
                ws.conditional_format(
                    1,
                    1,
                    len(findings),
                    len(ANOMALY_LAYOUT) - 1,
                    {
                        "type": "formula",
                        "criteria": f'=$A2="{severity.value}"',
                        "format": tint,
                    },
                )
        self._print_setup(ws, landscape=True)
        ws.repeat_rows(0)

    def _rules(self, ws: Worksheet) -> None:
        counts = Counter(f.rule_id for f in self.result.findings)
        columns = [
            Col("规则编号"),
            Col("级别"),
            Col("规则", max_width=24),
            Col("说明", "wrap", 60),
            Col("修改方法", "wrap", 50),
            Col("参数", "wrap", 40),
            Col("本次发现", "int"),
            Col("状态"),
        ]
        rows = [
            [
                rule.id,
                self.config.severity(rule.id).value,
                rule.title,
                rule.description,
                rule.hint,
                _params_text(rule.params, self.config.params.get(rule.id, {})),
                counts.get(rule.id, 0),
                "启用" if self.config.enabled(rule.id) else "停用",
            ]
            for rule in RULES.values()
        ]
        self._table(ws, 0, columns, rows, styles={1: lambda v: self.f.get(v)})
        self._print_setup(ws, landscape=True)

    # Building blocks

    def _finding_table(
        self,
        ws: Worksheet,
        top: int,
        findings: Sequence[Finding],
        layout: Sequence[str],
        *,
        widths: bool = False,
    ) -> None:
        """Findings as a table with the columns named in `layout` (see FINDING_COLUMNS);
        cells link to the source workbook, units to their department sheet."""
        columns = [FINDING_COLUMNS[name][0] for name in layout]
        rows = [[FINDING_COLUMNS[name][1](x) for name in layout] for x in findings]
        level = layout.index("级别")
        self._table(ws, top, columns, rows, widths=widths, styles={level: lambda v: self.f.get(v)})
        for r, x in enumerate(findings, top + 1):
            path = self.paths.get(x.file)
            related = x.related_cells[0] if x.related_cells else ""
            for name, cell, shown in (
                ("单元格", x.cell, x.cell),
                ("相关单元格", related, x.related),
            ):
                link = source_link(path, self.outdir, x.sheet, cell) if path and cell else None
                if link and name in layout:
                    ws.write_url(
                        r,
                        layout.index(name),
                        link,
                        self.f["link"],
                        shown,
                        "打开源文件并定位到该单元格",
                    )
            if "单位" in layout and x.unit in self.dept_sheets:
                ws.write_url(
                    r,
                    layout.index("单位"),
                    f"internal:{sheet_ref(self.dept_sheets[x.unit])}!A1",
                    self.f["link"],
                    x.unit,
                )

    def _table(
        self,
        ws: Worksheet,
        top: int,
        columns: Sequence[Col],
        rows: Sequence[Sequence[Any]],
        *,
        widths: bool = True,
        styles: dict[int, Callable[[Any], Any]] | None = None,
    ) -> None:
        """A header row and data rows; with `widths`, the sheet is this table's alone:
        column widths fit the text, the header is frozen and filterable.

        Rows holding wrapped text get a height that shows it: office suites keep the
        default height of rows written by a library.
        """
        for c, col in enumerate(columns):
            ws.write_string(top, c, col.header, self.f["header"])
        wrapped = [c for c, col in enumerate(columns) if col.kind == "wrap"]
        for r, values in enumerate(rows, top + 1):
            for c, (col, value) in enumerate(zip(columns, values, strict=True)):
                style = styles[c](value) if styles and c in styles else None
                self._cell(ws, r, c, value, col.kind, style)
            if wrapped:
                height = max(
                    fitted_height(as_text(values[c]), columns[c].max_width, minimum=ROW_HEIGHT)
                    for c in wrapped
                )
                if height > ROW_HEIGHT:
                    ws.set_row(r, min(height, MAX_ROW_HEIGHT))
        if not widths:
            return
        ws.freeze_panes(top + 1, 0)
        ws.autofilter(top, 0, top + max(len(rows), 1), len(columns) - 1)
        for c, col in enumerate(columns):
            sample = [rows[i][c] for i in range(min(len(rows), 2000))]
            width = max([text_width(col.header)] + [_display_width(v, col.kind) for v in sample])
            ws.set_column(c, c, min(width + 2, col.max_width))

    def _cell(
        self, ws: Worksheet, r: int, c: int, value: Any, kind: str, style: Any = None
    ) -> None:
        cell_format = style or self.f["wrap" if kind == "wrap" else kind]
        if value is None or (isinstance(value, float) and math.isnan(value)):
            ws.write_blank(r, c, None, cell_format)
        elif kind in ("money", "int", "number") and _finite(value):
            ws.write_number(r, c, value, cell_format)
        else:
            ws.write_string(r, c, as_text(value), cell_format)

    def _print_setup(self, ws: Worksheet, *, landscape: bool) -> None:
        ws.set_paper(9)
        if landscape:
            ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.set_footer("&C第 &P 页，共 &N 页")


def _total(values: list[Any], kind: str) -> float | int:
    """A column's total as its cells show it: amounts without binary noise, counts whole."""
    return money_total(values) if kind == "money" else sum(values)


def _finite(value: object) -> bool:
    """A number a cell can hold (XlsxWriter refuses NaN and infinity)."""
    numeric = isinstance(value, numbers.Real) and not isinstance(value, bool)
    return numeric and math.isfinite(value)  # numpy's counts too


def _params_text(defaults: Mapping[str, Any], configured: Mapping[str, Any]) -> str:
    values = {**defaults, **configured}
    return "；".join(
        f"{k} = {'、'.join(v) if isinstance(v, (list, tuple)) else v}" for k, v in values.items()
    )


def _display_width(value: Any, kind: str) -> float:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return 0
    if kind == "money" and isinstance(value, (int, float)):
        return len(f"{value:,.2f}")
    return text_width(value)
