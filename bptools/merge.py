"""Merge rows from every workbook into DataFrames, and summarize them per department."""

from __future__ import annotations

import pandas as pd

from .records import Row
from .rules import Batch, Finding, Severity
from .schema import COLUMNS_BY_KEY, HEADER_FIELDS


def _field_columns(keys: list[str]) -> list[str]:
    suffixes = ("", "__raw", "__cell", "__format")
    return [key + suffix for key in keys for suffix in suffixes]


PROJECT_COLUMNS: list[str] = [
    "project_id",
    "file",
    "sheet",
    *_field_columns([f.key for f in HEADER_FIELDS]),
    "unit_code",
    "unit_name",
    "unit_label",
    "project",
    "project_key",
    "year",
    "title__raw",
    "title__cell",
    "indicators__raw",
    "indicators__cell",
    "weights__cell",
    "hidden",
    "n_indicators",
]
INDICATOR_COLUMNS: list[str] = [
    "project_id",
    "file",
    "sheet",
    "unit_label",
    "project",
    "seq",
    *_field_columns(list(COLUMNS_BY_KEY)),
    "target_num",
    "row",
]


def build_batch(projects: list[Row], indicators: list[Row]) -> Batch:
    """DataFrames with fixed columns, so rules and reports also work on an empty batch."""
    return Batch(_frame(projects, PROJECT_COLUMNS), _frame(indicators, INDICATOR_COLUMNS))


def _frame(rows: list[Row], columns: list[str]) -> pd.DataFrame:
    """Text columns as plain objects: pandas 3 gives each string column a block of its own,
    and every row selection a rule makes would then copy dozens of blocks one by one."""
    frame = pd.DataFrame.from_records(rows, columns=columns)
    text = [c for c in frame.columns if pd.api.types.is_string_dtype(frame[c].dtype)]
    return frame.astype(dict.fromkeys(text, object)).copy()  # the copy consolidates blocks


def count_by_project(findings: list[Finding]) -> pd.DataFrame:
    """Anomaly counts per (file, sheet) and severity: columns 错误, 警告, 提示."""
    frame = pd.DataFrame(
        [(f.file, f.sheet, f.severity.value) for f in findings],
        columns=["file", "sheet", "severity"],
    )
    table = pd.crosstab([frame["file"], frame["sheet"]], frame["severity"])
    return table.reindex(columns=[s.value for s in Severity], fill_value=0)


_MONEY = ["budget", "retained", "subsidy"]


def department_summary(batch: Batch, findings: list[Finding]) -> pd.DataFrame:
    """One row per department (unit code and name): projects, indicators, money, anomalies.

    A department whose files could not be read is a row too (no projects, its findings),
    when the file's name says which department it is.
    """
    columns = ["unit_label", "unit_code", "unit_name", "projects", "indicators", *_MONEY]
    projects = batch.projects
    summary = (
        projects.groupby("unit_label", sort=False).agg(
            unit_code=("unit_code", "first"),
            unit_name=("unit_name", "first"),
            projects=("project_id", "count"),
            indicators=("n_indicators", "sum"),
            budget=("budget", "sum"),
            retained=("retained", "sum"),
            subsidy=("subsidy", "sum"),
        )
        if not projects.empty
        else pd.DataFrame(columns=columns[1:], index=pd.Index([], name="unit_label"))
    )
    named = dict.fromkeys(f.unit for f in findings if f.unit and f.unit not in summary.index)
    if named:
        code_name = [unit.partition("-") for unit in named]
        extra = pd.DataFrame(
            {
                "unit_code": [code for code, _, _ in code_name],
                "unit_name": [name for _, _, name in code_name],
                "projects": 0,
                "indicators": 0,
                **dict.fromkeys(_MONEY, 0.0),
            },
            index=pd.Index(list(named), name="unit_label"),
        )
        summary = pd.concat([summary, extra]) if len(summary) else extra
    counts = pd.DataFrame(
        [(f.unit, f.severity.value) for f in findings if f.unit], columns=["unit", "severity"]
    )
    by_unit = pd.crosstab(counts["unit"], counts["severity"]).reindex(
        columns=[s.value for s in Severity], fill_value=0
    )
    summary[_MONEY] = summary[_MONEY].astype(float).round(2)  # sums of two-decimal amounts
    summary = summary.join(by_unit).fillna({s.value: 0 for s in Severity}).reset_index()
    for severity in Severity:
        summary[severity.value] = summary[severity.value].astype(int)
    for column in ("projects", "indicators"):
        summary[column] = summary[column].astype(int)
    summary = summary.reindex(columns=[*columns, *(s.value for s in Severity)])
    return summary.sort_values(["unit_code", "unit_label"], kind="stable").reset_index(drop=True)
