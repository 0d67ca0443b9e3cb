"""The workbook of a `Diff`: 摘要 (the two sides, the counts, each department), 项目增减,
预算变化 and 指标变化, one row per change. Every sheet prints on A4 landscape, its header
atop every page; headers are frozen and filtered."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from .diff import (
    ADDED,
    COUNT_KEYS,
    REMOVED,
    RENAMED,
    AmountChange,
    Diff,
    IndicatorChange,
    ProjectChange,
    Side,
)
from .model import Indicator
from .normalize import parse_number
from .write import style
from .write.book import fmt, new_workbook, rgb, set_page, table_formats
from .write.output import DirectOutput, Output
from .write.style import Page
from .write.table import Col, write_table

DIFF_NAME = "年度对比.xlsx"
SUMMARY, PROJECTS, AMOUNTS, INDICATORS = "摘要", "项目增减", "预算变化", "指标变化"
SUMMARY_TOP = 5  # the header row of 摘要's department table, below the title and the sides
NONE_NOTE = "（没有变化）"
LEVELS = ("一级指标", "二级指标")  # a change of these names its old value


def write_diff(diff: Diff, path: Path, *, out: Output | None = None) -> Path:
    """Write the workbook of `diff` at `path` (atomically) and return the path."""
    with (out or DirectOutput()).file(path) as tmp:
        wb = new_workbook(tmp)
        f = {**table_formats(wb), "note": fmt(wb, font_color=rgb(style.MUTED), text_wrap=True)}
        old, new = diff.labels()
        _summary(wb.add_worksheet(SUMMARY), f, diff, old, new)
        _sheet(wb.add_worksheet(PROJECTS), f, _project_columns(old, new), _project_rows(diff))
        _sheet(wb.add_worksheet(AMOUNTS), f, _amount_columns(old, new), _amount_rows(diff))
        _sheet(
            wb.add_worksheet(INDICATORS),
            f,
            _indicator_columns(old, new),
            [_indicator_row(c) for c in diff.indicators],
        )
        wb.close()
    return path


def counts_text(diff: Diff) -> str:
    """The counts in one line: 项目新增 1，项目删除 0，…"""
    return "，".join(f"{key} {n}" for key, n in diff.counts().items())


def side_text(side: Side) -> str:
    year = f"{side.year}年，" if side.year else ""
    return (
        f"{side.source}（{year}{side.departments} 个部门，{side.projects} 个项目，"
        f"{side.indicators} 条指标，当年预算金额合计 {side.budget:,.2f} 万元）"
    )


def _sheet(
    ws: Worksheet, f: Mapping[str, Format], columns: Sequence[Col], rows: list[list[Any]]
) -> None:
    write_table(ws, f, 0, columns, rows)
    if not rows:
        ws.write_string(2, 0, NONE_NOTE, f["subtitle"])
    set_page(ws, Page(landscape=True, repeat=(0, 0)))


def _summary(ws: Worksheet, f: Mapping[str, Format], diff: Diff, old: str, new: str) -> None:
    """The title, a line for each side and one for the counts, then a row per department
    and their total (below the filtered rows: sorting them leaves it last)."""
    columns = [
        Col("单位编码", max_width=8),
        Col("单位名称", max_width=40),
        Col(f"{old}\n项目数", "int", 7),
        Col(f"{new}\n项目数", "int", 7),
        Col(f"{old}预算\n（万元）", "money", 12),
        Col(f"{new}预算\n（万元）", "money", 12),
        *(Col(key[:2] + "\n" + key[2:], "int", 6) for key in COUNT_KEYS),
    ]
    rows = [
        [
            d.department.code,
            d.department.name,
            d.last_projects,
            d.this_projects,
            d.last_budget,
            d.this_budget,
            *d.counts.values(),
        ]
        for d in diff.departments
    ]
    widths = write_table(ws, f, SUMMARY_TOP, columns, rows)
    total = SUMMARY_TOP + len(rows) + 1
    ws.write_string(total, 0, "合计", f["label"])
    ws.write_blank(total, 1, None, f["label"])
    sides = [diff.last.projects, diff.this.projects, diff.last.budget, diff.this.budget]
    for c, value in enumerate([*sides, *diff.counts().values()], 2):
        ws.write_number(total, c, value, f[columns[c].kind])
    years = diff.last.year, diff.this.year
    span = f"：{years[0]}年 → {years[1]}年" if None not in years and years[0] != years[1] else ""
    ws.write_string(0, 0, f"绩效目标对比{span}", f["title"])
    changes = "没有变化" if diff.empty else counts_text(diff)
    lines = [
        f"{old}：{side_text(diff.last)}",
        f"{new}：{side_text(diff.this)}",
        f"变化：{changes}（明细见其后三张表）。",
    ]
    # Across the table, wrapped: a line running past its last column would not print. The
    # height is set, else LibreOffice sizes the row for the text wrapped in column A alone.
    for r, line in enumerate(lines, 1):
        ws.merge_range(r, 0, r, len(columns) - 1, line, f["note"])
        ws.set_row(r, style.fitted_height(line, sum(widths), minimum=style.ROW_HEIGHT))
    set_page(ws, Page(landscape=True, repeat=(SUMMARY_TOP, SUMMARY_TOP)))


def _project_columns(old: str, new: str) -> list[Col]:
    return [
        Col("变化", max_width=6),
        Col("单位编码", max_width=8),
        Col("单位名称", max_width=20),
        Col("一级项目名称", max_width=24),
        Col("改名前名称", max_width=24),
        Col(f"{old}预算\n（万元）", "money", 12),
        Col(f"{new}预算\n（万元）", "money", 12),
        Col(f"{old}\n指标数", "int", 7),
        Col(f"{new}\n指标数", "int", 7),
        Col("相同\n指标数", "int", 7),
    ]


def _project_rows(diff: Diff) -> list[list[Any]]:
    return [_project_row(c) for c in diff.projects]


def _project_row(change: ProjectChange) -> list[Any]:
    last, this = change.last, change.this
    return [
        change.kind,
        change.department.code,
        change.department.name,
        change.name,
        last.name if last and change.kind == RENAMED else "",
        last.budget if last else "",
        this.budget if this else "",
        len(last.indicators) if last else "",
        len(this.indicators) if this else "",
        change.shared if change.kind == RENAMED else "",
    ]


def _amount_columns(old: str, new: str) -> list[Col]:
    return [
        Col("单位编码", max_width=8),
        Col("单位名称", max_width=20),
        Col("一级项目名称", max_width=24),
        Col("金额项", max_width=12),
        Col(f"{old}\n（万元）", "money", 12),
        Col(f"{new}\n（万元）", "money", 12),
        Col("增减\n（万元）", "money", 12),
        Col("增减\n（%）", "number", 9),
    ]


def _amount_rows(diff: Diff) -> list[list[Any]]:
    return [_amount_row(c) for c in diff.amounts]


def _amount_row(change: AmountChange) -> list[Any]:
    return [
        change.department.code,
        change.department.name,
        change.project,
        change.label,
        change.last,
        change.this,
        change.delta if change.delta is not None else "",
        change.percent if change.percent is not None else "",
    ]


def _indicator_columns(old: str, new: str) -> list[Col]:
    pairs = [
        ("指标性质", "text", 6),
        ("指标值", "number", 10),
        ("计量单位", "text", 7),
        ("权重（%）", "number", 6),
    ]
    return [
        Col("变化", max_width=6),
        Col("单位名称", max_width=16),
        Col("一级项目名称", max_width=18),
        Col("一级指标", max_width=10),
        Col("二级指标", max_width=12),
        Col("三级指标", max_width=20),
        Col("改名前名称", max_width=18),
        Col("变动内容", "wrap", 14),
        *(
            Col(f"{side}\n{header}", kind, width)
            for header, kind, width in pairs
            for side in (old, new)
        ),
    ]


def _indicator_row(change: IndicatorChange) -> list[Any]:
    last, this = change.last, change.this
    shown = this or last
    assert shown is not None
    values = []
    for key in ("op", "target", "unit", "weight"):
        for side in (last, this):
            values.append(_value(side, key))
    return [
        change.kind,
        change.department.name,
        change.project,
        shown.level1,
        shown.level2,
        shown.name,
        last.name if last and change.kind == RENAMED else "",
        _what(change),
        *values,
    ]


def _value(indicator: Indicator | None, key: str) -> object:
    """A field as a cell: 指标值 and 权重 as numbers where they read as one."""
    if indicator is None:
        return ""
    value = getattr(indicator, key)
    if key in ("target", "weight"):
        number = parse_number(value)[0]
        return number if number is not None else value
    return value


def _what(change: IndicatorChange) -> str:
    """What changed, in words: the fields, a moved indicator's old 一级/二级 too."""
    if change.kind in (ADDED, REMOVED):
        return ""
    last = change.last
    assert last is not None
    parts = []
    for label in change.fields:
        if label in LEVELS:
            old = last.level1 if label == LEVELS[0] else last.level2
            label += f"（原为{old}）"
        parts.append(label)
    return "、".join(parts)
