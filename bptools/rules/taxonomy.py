"""BP4xx: 一级/二级指标 against the taxonomy (both frameworks accepted)."""

from __future__ import annotations

from collections.abc import Iterator

from ..normalize import is_blank
from ..schema import TAXONOMY
from . import rule
from .base import Batch, Finding, Severity


@rule(
    "BP401",
    "level1-unknown",
    Severity.ERROR,
    title="一级指标不规范",
    message="一级指标“{value}”不在规定范围内（{allowed}）",
    hint="一级指标请从下拉列表选择：产出指标、效益指标、满意度指标、成本指标。",
    description="一级指标只能是产出指标、效益指标、满意度指标或成本指标。",
)
def level1_unknown(batch: Batch) -> Iterator[Finding]:
    indicators = batch.indicators
    typed = ~indicators["level1__raw"].map(is_blank)
    bad = typed & ~indicators["level1"].isin(TAXONOMY)
    for record in indicators[bad].to_dict("records"):
        yield level1_unknown.at(record, "level1", allowed="、".join(TAXONOMY))


@rule(
    "BP402",
    "level2-mismatch",
    Severity.ERROR,
    title="二级指标与一级指标不匹配",
    message="二级指标“{value}”不属于“{level1}”，应为：{allowed}",
    hint="先选一级指标，再从下拉列表中选择该一级指标下的二级指标。",
    description="二级指标必须属于所填的一级指标（新旧两套指标体系均可，"
    "如产出指标下的成本指标或一级的成本指标）。",
)
def level2_mismatch(batch: Batch) -> Iterator[Finding]:
    indicators = batch.indicators
    known = indicators["level1"].isin(TAXONOMY) & ~indicators["level2__raw"].map(is_blank)
    for record in indicators[known].to_dict("records"):
        allowed = TAXONOMY[record["level1"]]
        if record["level2"] not in allowed:
            yield level2_mismatch.at(
                record, "level2", level1=record["level1"], allowed="、".join(allowed)
            )
