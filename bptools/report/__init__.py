"""Write the consolidated workbook the clerk opens: 总览, 项目汇总, 项目文本, 指标明细, one
sheet per department, 异常清单 and 规则说明; 收件台账 after 总览 when the output folder
keeps a submission ledger. One module writes each kind of sheet.

Past `Config.department_sheets` departments, the department sheets are workbooks of their
own under OUTDIR/部门/ instead (departments.py), which 总览 and 异常清单 link to.
"""

from __future__ import annotations

from pathlib import Path

from ..config import Config
from ..pipeline import Consolidation
from ..stamp import PROPERTY, run_key, xlsx_stamp
from ..summary import Summary, summarize
from ..write.book import new_workbook, safe_sheet_title, sheet_ref, table_formats
from ..write.output import DirectOutput, Output
from .anomalies import write_anomalies, write_rules
from .book import ANOMALIES, INDICATORS, OVERVIEW, PROJECTS, RULE_SHEET, TEXTS, Book
from .department import write_department
from .departments import (
    DEPARTMENT_DIR,
    book_links,
    book_names,
    remove_stale_books,
    write_department_books,
)
from .ledger import LEDGER_SHEET, write_ledger
from .overview import write_overview
from .tables import write_indicators, write_projects, write_texts

REPORT_NAME = "{year}绩效目标汇总.xlsx"

__all__ = [
    "ANOMALIES",
    "DEPARTMENT_DIR",
    "INDICATORS",
    "LEDGER_SHEET",
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
    summary: Summary | None = None,
) -> Path:
    """Write the consolidated workbook into `outdir` (atomically) and return its path;
    with more departments than `config.department_sheets`, their workbooks in 部门/ too.

    `config` is the one the run used: the 规则说明 sheet shows its severities and thresholds.
    Department workbooks of earlier runs that this one did not write are removed. A
    workbook (and department workbooks) written from the same inputs, findings, settings
    and code by an earlier run is kept as it is. `summary`: `summarize(result)`, when the
    caller has it already.
    """
    config, out = config or Config(), out or DirectOutput()
    path = report_path(outdir, result.year)
    summary = summary or summarize(result)
    apart = config.one_book_per_department(len(summary.named_departments))
    names = book_names(summary.named_departments) if apart else {}
    titles = {} if apart else _sheet_titles(summary)
    key = run_key(result, config, outdir, "xlsx")
    books = [outdir / DEPARTMENT_DIR / name for name in names.values()]
    if xlsx_stamp(path) == key and all(p.is_file() for p in books):
        # What this run would write is there already: the inputs are as they were.
        remove_stale_books(outdir, books, [s.path for s in result.files], out)
        return path
    with out.file(path) as tmp:
        wb = new_workbook(tmp)
        wb.set_custom_property(PROPERTY, key)
        book = Book(
            wb=wb,
            f=table_formats(wb),
            result=result,
            summary=summary,
            config=config,
            outdir=outdir,
            dept_links=book_links(names) if apart else _sheet_links(titles),
            paths={s.label: s.path for s in result.files},
        )
        _write_sheets(book, titles)
        wb.close()
    written = write_department_books(book, names, path, out) if apart else []
    remove_stale_books(outdir, written, [s.path for s in result.files], out)
    return path


def _sheet_titles(summary: Summary) -> dict[str, str]:
    """Each named department's sheet title, clear of the other sheets' titles."""
    sheets = (OVERVIEW, LEDGER_SHEET, PROJECTS, TEXTS, INDICATORS, ANOMALIES, RULE_SHEET)
    taken = {t.lower() for t in sheets}
    return {d.unit: safe_sheet_title(d.unit, taken) for d in summary.named_departments}


def _sheet_links(titles: dict[str, str]) -> dict[str, str]:
    return {unit: f"internal:{sheet_ref(title)}!A1" for unit, title in titles.items()}


def _write_sheets(book: Book, titles: dict[str, str]) -> None:
    """Every sheet, in the order the clerk reads them; a sheet per department in `titles`."""
    wb, named = book.wb, book.summary.named_departments
    overview = wb.add_worksheet(OVERVIEW)
    ledger = wb.add_worksheet(LEDGER_SHEET) if book.result.ledger else None
    sheets = [wb.add_worksheet(name) for name in (PROJECTS, TEXTS, INDICATORS)]
    departments = [(d, wb.add_worksheet(titles[d.unit])) for d in named if d.unit in titles]
    anomalies, rules = wb.add_worksheet(ANOMALIES), wb.add_worksheet(RULE_SHEET)
    write_overview(book, overview)
    if ledger is not None and book.result.ledger is not None:
        write_ledger(book, ledger, book.result.ledger)
    writers = (write_projects, write_texts, write_indicators)
    for ws, writer in zip(sheets, writers, strict=True):
        writer(book, ws)
    for department, ws in departments:
        unit = department.unit
        projects, findings = book.summary.projects_of(unit), book.summary.by_unit.get(unit, [])
        write_department(book, ws, department, projects, findings)
    write_anomalies(book, anomalies)
    write_rules(book, rules)
    overview.activate()
