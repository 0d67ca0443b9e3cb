"""What every sheet of the consolidated workbook is written from, and the findings table
they share."""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ..config import Config
from ..pipeline import Consolidation
from ..rules import Finding
from ..summary import Summary
from ..write import style
from ..write.book import sheet_ref
from ..write.findings import finding_columns, finding_values
from ..write.table import write_table

OVERVIEW = "总览"
PROJECTS = "项目汇总"
TEXTS = "项目文本"
INDICATORS = "指标明细"
ANOMALIES = "异常清单"
RULE_SHEET = "规则说明"


OVERVIEW_LINK = f"internal:{sheet_ref(OVERVIEW)}!A1"


@dataclass(frozen=True, kw_only=True)
class Context:
    """What any sheet is written with: its workbook and formats, and where its links go
    (`outdir` is the folder of the workbook: links to source files are relative to it)."""

    wb: Workbook
    f: dict[str, Format]
    outdir: Path
    dept_links: Mapping[str, str]  # department → the link to its summary (sheet or workbook)
    paths: Mapping[str, Path]  # input file label → its path
    back: str = OVERVIEW_LINK  # where a department's 返回总览 goes

    def severity_style(self, value: object) -> Format | None:
        return self.f.get(str(value))


@dataclass(frozen=True, kw_only=True)
class Book(Context):
    """The consolidated workbook being written: what its sheets are written from."""

    result: Consolidation
    summary: Summary
    config: Config


def source_link(path: Path, outdir: Path, sheet: str, cell: str) -> str | None:
    """An Excel link from the report to a cell of a department's file, relative to the
    report so that it survives moving both folders together (None where Excel cannot
    express it)."""
    target = _relative(path, outdir)
    if "#" in target or len(target) > 200:
        return None
    anchor = f"#{sheet_ref(sheet)}!{cell}" if sheet and cell else ""
    return f"external:{target}{anchor}"


@functools.lru_cache(maxsize=4096)  # one file's findings all link to it
def _relative(path: Path, outdir: Path) -> str:
    return os.path.relpath(path.resolve(), outdir.resolve())


def write_findings(
    book: Context,
    ws: Worksheet,
    top: int,
    findings: Sequence[Finding],
    layout: list[str],
    *,
    widths: Sequence[float] | None = None,
) -> list[float]:
    """Findings as a table with the columns named in `layout` (see FINDING_COLUMNS);
    cells link to the source workbook, units to their department's summary.

    A link is written only where its text fits the column: LibreOffice draws a link on
    one line and cuts it at the cell's edge, so a longer text stays wrapped text."""
    rows = [finding_values(x, layout) for x in findings]
    level = layout.index("级别")
    widths = write_table(
        ws,
        book.f,
        top,
        finding_columns(layout),
        rows,
        widths=widths,
        styles={level: book.severity_style},
    )

    def fits(name: str, text: str) -> bool:
        return name in layout and style.text_width(text) <= widths[layout.index(name)] - 1

    links = book.dept_links
    for r, x in enumerate(findings, top + 1):
        path = book.paths.get(x.file)
        related = x.related_cells[0] if x.related_cells else ""
        for name, cell, shown in (("单元格", x.cell, x.cell), ("相关单元格", related, x.related)):
            link = source_link(path, book.outdir, x.sheet, cell) if path and cell else None
            if link and fits(name, shown):
                tip = "打开源文件并定位到该单元格"
                ws.write_url(r, layout.index(name), link, book.f["link"], shown, tip)
        if x.unit in links and fits("单位", x.unit):
            ws.write_url(r, layout.index("单位"), links[x.unit], book.f["link"], x.unit)
    return widths
