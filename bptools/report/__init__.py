"""Write the consolidated workbook the clerk opens: 总览, 项目汇总, 项目文本, 指标明细, one
sheet per department, 异常清单 and 规则说明. One module writes each kind of sheet."""

from __future__ import annotations

from pathlib import Path

from ..config import Config
from ..pipeline import Consolidation
from ..summary import summarize
from ..write.book import new_workbook, safe_sheet_title, table_formats
from ..write.output import DirectOutput, Output
from .anomalies import write_anomalies, write_rules
from .book import ANOMALIES, INDICATORS, OVERVIEW, PROJECTS, RULE_SHEET, TEXTS, Book
from .department import write_department
from .overview import write_overview
from .tables import write_indicators, write_projects, write_texts

REPORT_NAME = "{year}绩效目标汇总.xlsx"

__all__ = [
    "ANOMALIES",
    "INDICATORS",
    "OVERVIEW",
    "PROJECTS",
    "REPORT_NAME",
    "RULE_SHEET",
    "TEXTS",
    "report_path",
    "write_report",
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
        summary = summarize(result)
        taken = {t.lower() for t in (OVERVIEW, PROJECTS, TEXTS, INDICATORS, ANOMALIES, RULE_SHEET)}
        book = Book(
            wb=wb,
            f=table_formats(wb),
            result=result,
            summary=summary,
            config=config or Config(),
            outdir=outdir,
            dept_sheets={
                d.unit: safe_sheet_title(d.unit, taken) for d in summary.named_departments
            },
        )
        overview = wb.add_worksheet(OVERVIEW)
        sheets = [wb.add_worksheet(name) for name in (PROJECTS, TEXTS, INDICATORS)]
        departments = [
            (d, wb.add_worksheet(book.dept_sheets[d.unit])) for d in summary.named_departments
        ]
        anomalies, rules = wb.add_worksheet(ANOMALIES), wb.add_worksheet(RULE_SHEET)
        write_overview(book, overview)
        writers = (write_projects, write_texts, write_indicators)
        for ws, writer in zip(sheets, writers, strict=True):
            writer(book, ws)
        for department, ws in departments:
            write_department(book, ws, department)
        write_anomalies(book, anomalies)
        write_rules(book, rules)
        overview.activate()
        wb.close()
    return path
