"""BP7xx: core indicators (是否核心指标)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd

from ..normalize import is_blank
from ..schema import CORE_CHOICES, QUALITATIVE, YES
from . import rule
from .base import Batch, Finding, Severity, records
from .vocab import SATISFACTION, SATISFACTION_WORD


def _core_header(record: dict[str, Any], rows: pd.DataFrame) -> dict[str, Any]:
    """The project record, pointing "core_header" at the 是否核心指标 header cell."""
    column = rows["core__cell"].iloc[0].rstrip("0123456789")
    header_row = record["indicators__cell"].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    return {**record, "core_header__cell": f"{column}{header_row}"}


def _core_tables(batch: Batch, ids: set[str]) -> Iterator[tuple[dict[str, Any], pd.DataFrame]]:
    """The tables of projects `ids`, with their core rows."""
    for record, rows in batch.tables_of(ids):
        yield _core_header(record, rows), rows[rows["core"].eq(YES)]


def _core_projects(batch: Batch) -> tuple[set[str], set[str]]:
    """The projects whose every 是否核心指标 reads as 是 or 否, and those with a core
    indicator.

    A blank or unreadable flag (BP104, BP701) might be the core indicator, so tables with one
    are not judged on their core indicators as a whole.
    """

    def build(batch: Batch) -> tuple[set[str], set[str]]:
        core = batch.indicators["core"]
        flagged = batch.projects_where(core.isin(CORE_CHOICES), every=True)
        return flagged, batch.projects_where(core.eq(YES))

    return batch.shared("core-projects", build)


@rule(
    "BP701",
    "core-flag",
    Severity.ERROR,
    title="是否核心指标填写不规范",
    message="第 {seq} 个指标的“是否核心指标”应为“是”或“否”，现为“{value}”",
    hint="是否核心指标请从下拉列表选择“是”或“否”。",
    advice="请把第 {seq} 个指标的“是否核心指标”改为“是”或“否”。",
    description="是否核心指标只能填“是”或“否”。定为错误：无法判断哪些是核心指标。",
)
def core_flag(batch: Batch) -> Iterator[Finding]:
    indicators = batch.indicators
    typed = ~indicators["core__raw"].map(is_blank)
    bad = typed & ~indicators["core"].isin(CORE_CHOICES)
    for record in records(indicators[bad]):
        yield core_flag.at(record, "core", seq=record["seq"])


@rule(
    "BP702",
    "core-missing",
    Severity.ERROR,
    title="没有核心指标",
    message="本表 {count} 个指标都没有标为核心指标，至少应有一个核心指标",
    hint="请把最能反映项目主要产出和关键效果的指标（最好是定量指标）标为核心指标“是”。",
    advice="请把最能反映主要产出和关键效果的一两个定量指标的“是否核心指标”改为“是”。",
    description="每个项目至少要有一个核心指标。定为错误：每张表必须有核心指标。",
)
def core_missing(batch: Batch) -> Iterator[Finding]:
    flagged, with_core = _core_projects(batch)
    for record, _ in _core_tables(batch, flagged - with_core):
        count = int(record["n_indicators"])
        yield core_missing.at(record, "core_header", value="否", count=count)


@rule(
    "BP703",
    "core-qualitative",
    Severity.WARNING,
    title="核心指标是定性指标",
    message="核心指标“{name}”是定性指标（指标值“{target}”），核心指标应可量化",
    hint="核心指标应能量化并逐年比较：请改为定量指标（写明比较符号、数值和计量单位），"
    "或另选定量指标作为核心指标。",
    advice="请把“{name}”改为定量指标（写明 ≥ 等比较符号、数值和计量单位）；不便量化的，"
    "请把它的“是否核心指标”改为“否”，另选一个定量指标作为核心指标。",
    description="标为核心的指标应是定量指标（财预〔2021〕101号：核心指标应能量化、逐年可比）。"
    "定为警告：不能量化的核心指标无法评价项目的主要产出和效果。同一指标的指标值是笼统的"
    "等级词时一并指出（取代“定性指标值是笼统的等级词”）。",
    folds=("BP507",),
    folded_note="“{name}”是核心指标，核心指标应可量化",
)
def core_qualitative(batch: Batch) -> Iterator[Finding]:
    indicators = batch.indicators
    found = indicators["core"].eq(YES) & indicators["op"].eq(QUALITATIVE)
    for record in records(indicators[found]):
        target = record["target"] or "（空）"
        yield core_qualitative.at(record, "op", name=record["name"], target=target)


@rule(
    "BP704",
    "core-satisfaction",
    Severity.INFO,
    title="满意度指标被标为核心指标",
    message="满意度指标“{value}”被标为核心指标",
    hint="核心指标应反映项目的主要产出和关键效果，一般不选满意度指标。",
    advice="建议把“{value}”的“是否核心指标”改为“否”，另选反映主要产出或效果的定量指标作为核心指标"
    "。",
    description="满意度指标（满意度指标下的指标或名称含“满意”的指标）一般不作为核心指标。"
    "定为提示：满意度一般不作为核心指标，但不禁止。",
    params={"words": [SATISFACTION_WORD]},
)
def core_satisfaction(batch: Batch) -> Iterator[Finding]:
    indicators = batch.indicators
    words = core_satisfaction.param(batch, "words")
    named = indicators["name"].map(lambda name: any(w in name for w in words))
    found = indicators["core"].eq(YES) & (batch.kinds.eq(SATISFACTION) | named)
    for record in records(indicators[found]):
        yield core_satisfaction.at(record, "name", related=record["core__cell"])


@rule(
    "BP705",
    "core-no-quantitative",
    Severity.WARNING,
    title="没有定量的核心指标",
    message="本表{which}，至少应有一个定量的核心指标",
    hint="请把一个能量化的主要产出或效果指标标为核心指标“是”。",
    advice="请把一个定量的主要产出或效果指标的“是否核心指标”改为“是”。",
    description="每个项目至少要有一个定量（有比较符号和数值）的核心指标。"
    "定为警告：核心指标全部定性，无法量化评价项目的主要产出和效果。",
)
def core_no_quantitative(batch: Batch) -> Iterator[Finding]:
    flagged, with_core = _core_projects(batch)
    indicators = batch.indicators
    quantitative_core = indicators["core"].eq(YES) & indicators["op"].ne(QUALITATIVE)
    ids = flagged & with_core - batch.projects_where(quantitative_core)
    for record, cores in _core_tables(batch, ids):
        names = "、".join(f"“{name}”" for name in cores["name"])
        if len(cores) == 1:
            which = f"唯一的核心指标{names}是定性指标"
        else:
            which = f"的 {len(cores)} 个核心指标（{names}）都是定性指标"
        yield core_no_quantitative.at(record, "core_header", value=QUALITATIVE, which=which)
