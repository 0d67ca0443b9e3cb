"""BP1xx: required content of a project sheet."""

from __future__ import annotations

from collections.abc import Iterator

from ..normalize import is_blank
from ..schema import HEADER_FIELDS, INDICATOR_COLUMNS
from . import rule
from .base import Batch, Finding, Severity


@rule(
    "BP101",
    "required-field-missing",
    Severity.ERROR,
    title="必填项未填写",
    message="“{label}”未填写",
    hint="请在该单元格填写内容；金额没有时填 0。",
    description="编制单位、一级项目名称、业务主管部门、预算执行率权重、各项金额、项目概述、"
    "立项依据、当年绩效目标都必须填写。",
)
def required_field_missing(batch: Batch) -> Iterator[Finding]:
    projects = batch.projects
    for field in HEADER_FIELDS:
        if not field.required:
            continue
        blank = projects[f"{field.key}__raw"].map(is_blank)
        for record in projects[blank].to_dict("records"):
            yield required_field_missing.at(record, field.key, label=field.label)


@rule(
    "BP102",
    "unit-format",
    Severity.ERROR,
    title="编制单位格式不对",
    message="编制单位“{value}”不是“单位编码-单位名称”的格式",
    hint="请写成“单位编码-单位名称”，如 107-中国共产党重庆市北碚区委员会组织部。",
    description="编制单位须由预算单位编码、连字符和单位全称组成，汇总时按编码归并。",
)
def unit_format(batch: Batch) -> Iterator[Finding]:
    projects = batch.projects
    bad = ~projects["unit__raw"].map(is_blank) & projects["unit_code"].eq("")
    for record in projects[bad].to_dict("records"):
        yield unit_format.at(record, "unit")


@rule(
    "BP103",
    "no-indicators",
    Severity.ERROR,
    title="没有绩效指标",
    message="项目没有填写任何绩效指标",
    hint="请在“绩效指标”表中逐行填写产出、效益、满意度等指标。",
    description="每个项目至少要有一行绩效指标。",
)
def no_indicators(batch: Batch) -> Iterator[Finding]:
    projects = batch.projects
    for record in projects[projects["n_indicators"].eq(0)].to_dict("records"):
        yield no_indicators.at(record, "indicators", value="")


@rule(
    "BP104",
    "indicator-cell-missing",
    Severity.ERROR,
    title="指标栏目未填写",
    message="第 {seq} 个指标的“{label}”未填写",
    hint="每行指标都要填写一级、二级、三级指标、指标性质、指标值、权重和是否核心指标。",
    description="绩效指标表每一行除计量单位外都必须填写（计量单位另有规则）。",
)
def indicator_cell_missing(batch: Batch) -> Iterator[Finding]:
    indicators = batch.indicators
    for column in INDICATOR_COLUMNS:
        if column.key == "unit":
            continue
        blank = indicators[f"{column.key}__raw"].map(is_blank)
        for record in indicators[blank].to_dict("records"):
            yield indicator_cell_missing.at(
                record, column.key, label=column.label, seq=record["seq"]
            )
