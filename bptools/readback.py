"""A year's projects as plain values (`model.Project`, with their indicators), read back from
a consolidated workbook (项目汇总, 项目文本, 指标明细) or taken from a consolidation: what
next year's templates are pre-filled from (`bptools template --from`) and what
`bptools diff` compares.

The workbook is found by its headers (`report.tables`, which writes them), not by column
positions, and a clerk's sorting of 项目汇总 or 指标明细 does not matter: indicators belong
to their project by 来源文件 and 工作表, in 行号 order, and each project's texts by 单位名称 and
一级项目名称 (in 项目文本's order, which has to be the written one: its long texts are
continued on the rows below).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import python_calamine as calamine

from .model import Indicator, Project
from .normalize import as_text
from .pipeline import Consolidation
from .report.book import INDICATORS, OVERVIEW, PROJECTS, TEXTS
from .report.tables import (
    CONTINUED,
    INDICATOR_COLUMNS,
    PROJECT_COLUMNS,
    TEXT_COLUMNS,
    TEXT_FIELDS,
    TEXT_WIDTH,
    joined_text,
)
from .rules.base import records
from .write.table import Col

_YEAR = re.compile(r"(20\d\d)\s*年")
_INDICATOR_FIELDS = ("level1", "level2", "name", "unit", "op", "target", "weight", "core")
_MONEY = ("budget", "retained", "subsidy", "exec_weight")


class ReadbackError(Exception):
    """The workbook is not a consolidated workbook bptools can read back (a message for the
    clerk, in Chinese)."""


@dataclass(frozen=True)
class Plans:
    """One year's projects, in the order the workbook (or the consolidation) has them."""

    year: int | None
    projects: list[Project]
    source: str  # the workbook or folder they come from, as the clerk named it

    def by_unit(self) -> dict[str, list[Project]]:
        """Each department's projects ("code-name" as on the tables), in order."""
        grouped: dict[str, list[Project]] = defaultdict(list)
        for project in self.projects:
            grouped[project.unit].append(project)
        return dict(grouped)


def read_consolidated(path: Path) -> Plans:
    """The projects of a consolidated workbook written by `bptools merge`."""
    try:
        book = calamine.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own kinds for every damage
        why = (
            f"无法打开“{path.name}”：它不是能打开的 Excel 工作簿（可能已损坏，或是别的格式）。"
            "请给出 bptools merge 写出的汇总工作簿"
        )
        raise ReadbackError(why) from exc
    sheets = {name: _rows(book, path, name) for name in (PROJECTS, TEXTS, INDICATORS)}
    projects = _table(sheets[PROJECTS], PROJECT_COLUMNS, path, PROJECTS)
    texts = _texts(_table(sheets[TEXTS], TEXT_COLUMNS, path, TEXTS))
    indicators = _indicators(_table(sheets[INDICATORS], INDICATOR_COLUMNS, path, INDICATORS))
    plans = []
    for row in projects:
        code, name = as_text(row["unit_code"]), as_text(row["unit_name"])
        key = (name, as_text(row["name"]))
        text = texts[key].popleft() if texts.get(key) else {}
        plans.append(
            _project(
                unit=f"{code}-{name}" if code else name,
                values=row,
                texts=text,
                indicators=indicators.get((as_text(row["file"]), as_text(row["sheet"])), []),
            )
        )
    return Plans(_year(book, path), plans, path.name)


def plans_of(result: Consolidation, source: str) -> Plans:
    """The projects of a consolidation (every input file read and merged), as `Plans`."""
    batch = result.batch
    grouped: dict[str, list[dict[str, object]]] = defaultdict(list)
    for row in records(batch.indicators.sort_values(["project_id", "row"], kind="stable")):
        grouped[row["project_id"]].append(row)
    projects = [
        _project(
            unit=as_text(p["unit_label"]),
            values={**p, "name": as_text(p["name"]) or as_text(p["project"])},
            texts={key: as_text(p[key]) for key, _ in TEXT_FIELDS},
            indicators=[_indicator(_as_written(i)) for i in grouped.get(p["project_id"], [])],
        )
        for p in records(batch.projects)
    ]
    return Plans(result.year, projects, source)


def _rows(book: calamine.CalamineWorkbook, path: Path, sheet: str) -> list[list[object]]:
    if sheet not in book.sheet_names:
        raise ReadbackError(
            f"“{path.name}”中没有“{sheet}”工作表，不是 bptools merge 写出的汇总工作簿"
            "（如“2023年绩效目标汇总.xlsx”）。请给出汇总工作簿，或给出部门工作簿所在的文件夹。"
        )
    return book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)


def _table(
    rows: list[list[object]], columns: Mapping[str, Col], path: Path, sheet: str
) -> list[dict[str, object]]:
    """The rows of a sheet below its header, by the keys of `columns` (found by header)."""
    header = [as_text(v) for v in rows[0]] if rows else []
    where: dict[str, int] = {}
    for n, text in enumerate(header):
        where.setdefault(text, n)
    missing = [col.header.replace("\n", "") for col in columns.values() if col.header not in where]
    if missing:
        raise ReadbackError(
            f"“{path.name}”的“{sheet}”工作表第 1 行缺少列：{'、'.join(missing)}。"
            "请给出 bptools merge 写出、未删改表头的汇总工作簿。"
        )
    index = {key: where[col.header] for key, col in columns.items()}
    return [
        {key: _cell(row, n) for key, n in index.items()}
        for row in rows[1:]
        if any(as_text(v).strip() for v in row)
    ]


def _cell(row: list[object], n: int) -> object:
    return row[n] if n < len(row) else ""


def _texts(rows: list[dict[str, object]]) -> dict[tuple[str, str], deque[dict[str, str]]]:
    """Each project's three texts, by (单位名称, 一级项目名称), in the sheet's order."""
    labels = {label: key for key, label in TEXT_FIELDS}
    continued = {CONTINUED.format(label=label): key for key, label in TEXT_FIELDS}
    found: dict[tuple[str, str], deque[dict[str, str]]] = defaultdict(deque)
    parts: list[str] = []
    current: dict[str, str] = {}
    field = ""

    def close() -> None:
        if field:
            current[field] = joined_text(parts, TEXT_WIDTH)

    for row in rows:
        label, text = as_text(row["field"]), as_text(row["text"])
        if label in continued and continued[label] == field:
            parts.append(text)
            continue
        close()
        field, parts = labels.get(label, ""), [text]
        if field == TEXT_FIELDS[0][0]:  # a project's texts start with its 项目概述
            current = {}
            found[(as_text(row["unit_name"]), as_text(row["name"]))].append(current)
    close()
    return found


def _indicators(rows: Iterable[dict[str, object]]) -> dict[tuple[str, str], list[Indicator]]:
    grouped: dict[tuple[str, str], list[dict[str, object]]] = defaultdict(list)
    for row in rows:
        grouped[(as_text(row["file"]), as_text(row["sheet"]))].append(row)
    return {
        key: [_indicator(r) for r in sorted(found, key=lambda r: _number(r["row"]))]
        for key, found in grouped.items()
    }


def _indicator(row: Mapping[str, object]) -> Indicator:
    values = {key: as_text(row[key]) for key in _INDICATOR_FIELDS if key != "weight"}
    return Indicator(**values, weight=_amount(row["weight"]))


def _as_written(row: dict[str, object]) -> dict[str, object]:
    """An indicator row with the weight 指标明细 shows: as typed where it is no number."""
    weight = row["weight"]
    if isinstance(weight, float) and math.isnan(weight):
        return {**row, "weight": row["weight__raw"]}
    return row


def _project(
    *,
    unit: str,
    values: Mapping[str, object],
    texts: Mapping[str, str],
    indicators: list[Indicator],
) -> Project:
    basis = texts.get("basis", "")
    return Project(
        unit=unit,
        name=as_text(values["name"]),
        supervisor=as_text(values["supervisor"]),
        **{key: _amount(values[key]) for key in _MONEY},
        overview=texts.get("overview", ""),
        basis=tuple(basis.split("\n")) if basis else (),
        goals=texts.get("goals", ""),
        indicators=tuple(indicators),
    )


def _amount(value: object) -> float | str:
    """A number as a number; text as typed; a blank (or NaN) as ""."""
    if isinstance(value, bool):
        return as_text(value)
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else ""
    return as_text(value)


def _number(value: object) -> float:
    return float(value) if isinstance(value, (int, float)) else math.inf


def _year(book: calamine.CalamineWorkbook, path: Path) -> int | None:
    """The budget year: 总览's title, else the file name."""
    title = ""
    if OVERVIEW in book.sheet_names:
        rows = book.get_sheet_by_name(OVERVIEW).to_python(nrows=1)
        title = as_text(rows[0][0]) if rows and rows[0] else ""
    match = _YEAR.search(title) or _YEAR.search(path.name)
    return int(match.group(1)) if match else None
