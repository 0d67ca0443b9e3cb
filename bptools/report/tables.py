"""项目汇总, 项目文本 and 指标明细: one row per project, per project text, per indicator."""

from __future__ import annotations

import itertools
import math

from xlsxwriter.worksheet import Worksheet

from ..rules import Severity
from ..rules.base import records
from ..summary import ProjectRow
from ..write import style
from ..write.book import set_page
from ..write.style import Page
from ..write.table import Col, write_table
from .book import Book

TEXT_WIDTH = 80  # the 内容 column of 项目文本
TEXT_FIELDS = [("overview", "项目概述"), ("basis", "立项依据"), ("goals", "当年绩效目标")]


# Each sheet's columns by the field they show: the reader of a consolidated workbook
# (`bptools.readback`) finds them by these headers.
PROJECT_COLUMNS = {
    "unit_code": Col("单位编码", max_width=8),
    "unit_name": Col("单位名称", max_width=18),
    "name": Col("一级项目名称", max_width=22),
    "supervisor": Col("业务主管部门", max_width=14),
    "budget": Col("当年预算\n金额", "money", 12),
    "retained": Col("部门留用", "money", 12),
    "subsidy": Col("补助街镇", "money", 12),
    "exec_weight": Col("预算执行\n率权重", "number", 8),
    "indicators": Col("指标数", "int", 6),
    "weights": Col("指标权\n重合计", "number", 7),
    **{s.value: Col(s.value, "int", 6) for s in Severity},
    "file": Col("来源文件", max_width=22),
    "sheet": Col("工作表", max_width=8),
}
TEXT_COLUMNS = {
    "unit_name": Col("单位名称", max_width=16),
    "name": Col("一级项目名称", max_width=20),
    "field": Col("栏目", max_width=12),
    "text": Col("内容", "wrap", TEXT_WIDTH),
}
CONTINUED = "{label}（续）"  # the 栏目 of a text's rows after its first
INDICATOR_COLUMNS = {
    "unit_code": Col("单位编码", max_width=8),
    "unit_name": Col("单位名称", max_width=16),
    "project": Col("一级项目名称", max_width=20),
    "seq": Col("序号", "int", 5),
    "level1": Col("一级指标", max_width=10),
    "level2": Col("二级指标", max_width=12),
    "name": Col("三级指标", max_width=24),
    "unit": Col("计量\n单位", max_width=9),
    "op": Col("指标\n性质", max_width=6),
    "target_num": Col("指标值", "number", 9),
    "target": Col("指标值\n（原文）", max_width=14),
    "weight": Col("权重\n（%）", "number", 6),
    "core": Col("是否核\n心指标", max_width=6),
    "file": Col("来源文件", max_width=20),
    "sheet": Col("工作表", max_width=8),
    "row": Col("行号", "int", 5),
}


def write_projects(book: Book, ws: Worksheet) -> None:
    """One row per project. The long texts are on 项目文本, so the sheet prints on A4."""
    rows = [[_project_value(p, key) for key in PROJECT_COLUMNS] for p in book.summary.projects]
    write_table(ws, book.f, 0, list(PROJECT_COLUMNS.values()), rows)
    set_page(ws, Page(landscape=True, repeat=(0, 0)))


def _project_value(project: ProjectRow, key: str) -> object:
    return project.counts[key] if key in project.counts else getattr(project, key)


def write_texts(book: Book, ws: Worksheet) -> None:
    """Each project's 项目概述, 立项依据 and 当年绩效目标, one row each, whole: a text
    taller than a row can be is continued on the rows below."""
    columns = list(TEXT_COLUMNS.values())
    rows = []
    for p in book.summary.projects:
        for key, label in TEXT_FIELDS:
            parts = split_text(getattr(p, key), TEXT_WIDTH)
            for n, part in enumerate(parts):
                field = label if n == 0 else CONTINUED.format(label=label)
                rows.append([p.unit_name, p.name, field, part])
    widths = [16.0, 20.0, 12.0, float(TEXT_WIDTH)]
    for c, width in enumerate(widths):
        ws.set_column(c, c, width)
    write_table(ws, book.f, 0, columns, rows, widths=widths)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(rows), 1), len(columns) - 1)
    set_page(ws, Page(landscape=True, repeat=(0, 0)))


def split_text(text: str, width: float) -> list[str]:
    """`text` in pieces that each fit one row of a column `width` wide (Excel's rows are
    at most 409 points tall), broken at line ends where it can be (`joined_text` puts them
    back together)."""
    lines_per_row, per_line = _row_size(width)
    parts, current, used = [], "", 0
    for line in text.split("\n"):
        while True:
            needed = max(1, math.ceil(style.line_width(line) / per_line))
            if used + needed <= lines_per_row:
                current, used = (f"{current}\n{line}" if used else line), used + needed
                break
            if used:  # the row is full: start another
                parts.append(current)
                current, used = "", 0
                continue
            cut = _cut(line, int(lines_per_row * per_line))
            parts.append(line[:cut])
            line = line[cut:]
    parts.append(current)
    return parts


def joined_text(parts: list[str], width: float) -> str:
    """The text `split_text(text, width)` cut into `parts`.

    Between two parts a line ended, unless the first part is a single line that fills a
    whole row so that the next part's first character would not fit beside it: a line too
    long for one row, cut inside. (A line that ended at just that length reads as cut: the
    two split the same.)
    """
    lines_per_row, per_line = _row_size(width)
    units = int(lines_per_row * per_line)
    text = parts[0] if parts else ""
    for before, part in itertools.pairwise(parts):
        full = "\n" not in before and style.line_width(before + part[:1]) > units
        text += ("" if full and part else "\n") + part
    return text


def _row_size(width: float) -> tuple[int, float]:
    """The lines one row shows in a column `width` wide, and the width of a line."""
    return int((style.MAX_ROW_HEIGHT - 4) // style.LINE_HEIGHT), max(width - 1, 1)


def _cut(line: str, units: int) -> int:
    """How many characters of `line` fill `units` of width."""
    taken = 0
    for n, ch in enumerate(line):
        taken += style.line_width(ch)
        if taken > units:
            return max(n, 1)
    return len(line)


def write_indicators(book: Book, ws: Worksheet) -> None:
    """One row per indicator; 指标值 is a number wherever it reads as one, with the value
    as typed beside it."""
    projects = book.result.batch.projects
    names = zip(projects["unit_code"], projects["unit_name"], strict=True)
    units = dict(zip(projects["project_id"], names, strict=True))
    rows = []
    for i in records(book.result.batch.indicators):
        code, name = units[i["project_id"]]
        number = i["target_num"]
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
                number if isinstance(number, (int, float)) and math.isfinite(number) else None,
                i["target"],
                i["weight"] if not math.isnan(i["weight"]) else i["weight__raw"],
                i["core"],
                i["file"],
                i["sheet"],
                i["row"],
            ]
        )
    write_table(ws, book.f, 0, list(INDICATOR_COLUMNS.values()), rows)
    set_page(ws, Page(landscape=True, repeat=(0, 0)))
