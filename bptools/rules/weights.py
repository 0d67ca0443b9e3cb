"""BP3xx: indicator weights and the 预算执行率 weight."""

from __future__ import annotations

from collections.abc import Iterator

from ..normalize import is_blank, number_text
from ..schema import EXPECTED_TOTAL_WEIGHT
from . import rule
from .base import Batch, Finding, Severity

WEIGHT_TOLERANCE = 0.01


@rule(
    "BP301",
    "weight-invalid",
    Severity.ERROR,
    title="权重不是正数",
    message="第 {seq} 个指标的权重应为大于 0 的数字，现为“{value}”",
    hint="权重只填数字（不带 %），且必须大于 0；不需要的指标请整行删除。",
    description="每个指标的权重（%）必须是大于 0 的数字。",
)
def weight_invalid(batch: Batch) -> Iterator[Finding]:
    indicators = batch.indicators
    typed = ~indicators["weight__raw"].map(is_blank)
    bad = typed & ~(indicators["weight"] > 0)
    for record in indicators[bad].to_dict("records"):
        yield weight_invalid.at(record, "weight", seq=record["seq"])


@rule(
    "BP302",
    "weight-sum",
    Severity.ERROR,
    title="权重合计不等于 100",
    message="指标权重合计 {indicators} ＋ 预算执行率权重 {exec_weight} ＝ {total}，应为 100",
    hint="调整各指标权重，使指标权重合计加预算执行率权重正好等于 100。",
    description="各指标权重之和加预算执行率权重必须等于 100（预算执行率权重为 10 时，"
    "指标权重合计为 90）。",
)
def weight_sum(batch: Batch) -> Iterator[Finding]:
    projects, indicators = batch.projects, batch.indicators
    sums = indicators.groupby("project_id")["weight"].sum(min_count=1)
    frame = projects.assign(
        indicator_total=projects["project_id"].map(sums).fillna(0.0),
        exec_total=projects["exec_weight"].fillna(0.0),
    )
    frame["total"] = frame["indicator_total"] + frame["exec_total"]
    off = (frame["total"] - EXPECTED_TOTAL_WEIGHT).abs() > WEIGHT_TOLERANCE
    for record in frame[off & frame["n_indicators"].gt(0)].to_dict("records"):
        yield weight_sum.at(
            record,
            "weights",
            value=number_text(record["total"]),
            indicators=number_text(record["indicator_total"]),
            exec_weight=number_text(record["exec_total"]),
            total=number_text(record["total"]),
        )
