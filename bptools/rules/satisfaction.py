"""BP6xx: 服务对象满意度 indicators.

A satisfaction measure is any row of the 满意度指标 block, and a row named "…满意…" filed
elsewhere. Its target is a survey result: a lower bound in %, credible and checkable.
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from ..normalize import number_text
from ..schema import QUALITATIVE
from . import rule
from .base import Batch, Finding, Severity, records
from .frames import (
    PERCENT,
    indicator_view,
    qualitative_unclean,
    quantitative,
    satisfaction_rows,
)
from .vocab import UPPER_BOUNDS

SURVEY_OPS = ("≥", "＞", "＝")  # ops BP602/BP603 judge; ≤ and ＜ are BP601's
FULL_SATISFACTION = 100.0


@rule(
    "BP601",
    "satisfaction-qualitative",
    Severity.WARNING,
    title="满意度不是百分比下限",
    message="满意度指标“{name}”应以 % 为单位、用 ≥ 或 ＞ 设定目标，现{label}为“{value}”",
    hint="满意度通过问卷调查取得，请写成定量指标：计量单位 %，指标性质 ≥，指标值如 90。",
    advice="请把“{name}”写成“≥ 90%”一类的目标：计量单位 %，指标性质 ≥。",
    description="满意度指标（满意度指标下的各项，以及名称含“满意”的指标）应为定量指标："
    "计量单位为 %，指标性质为 ≥ 或 ＞。定性（如“较好”）、≤、＜ 或其他单位都无法按调查"
    "结果评分。用“＝”的另有规则。"
    "定为警告：满意度无法按调查结果评分，必须改写。",
)
def satisfaction_qualitative(batch: Batch) -> Iterator[Finding]:
    frame = indicator_view(batch)
    rows = satisfaction_rows(frame) & ~qualitative_unclean(frame)
    wrong_op = frame["op"].eq(QUALITATIVE) | frame["op"].isin(UPPER_BOUNDS)
    wrong_unit = quantitative(frame) & ~frame["unit_blank"] & frame["unit_key"].ne(PERCENT)
    for record in records(frame[rows & (wrong_op | wrong_unit)]):
        wrong = "op" if record["op"] in (QUALITATIVE, *UPPER_BOUNDS) else "unit"
        label = "指标性质" if wrong == "op" else "计量单位"
        yield satisfaction_qualitative.at(record, wrong, name=record["name"], label=label)


@rule(
    "BP602",
    "satisfaction-equals-100",
    Severity.WARNING,
    title="满意度目标为 100%",
    message="满意度目标“{op} {value}{unit}”要求人人满意，调查难以做到，也无法核实",
    hint="满意度请写成下限，如“≥ 90%”：调查不可能保证人人满意，100% 也无法核实。",
    advice="请把“{op} {value}{unit}”改为切实可达的下限，如“≥ 95%”。",
    description="满意度是抽样调查的结果，要求达到 100% 的目标既不现实也无法核实。定为警告："
    "目标不可信，必须改写。",
    folds=("BP604",),
)
def satisfaction_equals_100(batch: Batch) -> Iterator[Finding]:
    frame = _surveys(batch)
    for record in records(frame[frame["number"].eq(FULL_SATISFACTION)]):
        yield satisfaction_equals_100.at(record, "target", op=record["op"], unit=record["unit"])


@rule(
    "BP604",
    "satisfaction-equals",
    Severity.INFO,
    title="满意度目标写成“＝”",
    message="满意度目标“＝ {target}{unit}”用了“＝”，满意度应设定下限（≥ 或 ＞）{low}",
    hint="满意度请写成下限，如“≥ 90%”：调查结果高于目标也算达到。",
    advice="请把指标性质“＝”改为“≥”，即“≥ {target}{unit}”{low_advice}。",
    description="满意度是抽样调查的结果，应设定下限（≥ 或 ＞）而不是“＝”。定为提示：意思"
    "清楚，只是写法不规范。目标同时低于参数 floor 时一并指出（取代“满意度目标偏低”）。",
    params={"floor": 85},
    folds=("BP603",),
    per_table=True,
)
def satisfaction_equals(batch: Batch) -> Iterator[Finding]:
    frame = _surveys(batch)
    floor = float(satisfaction_equals.param(batch, "floor"))
    for record in records(frame[frame["op"].eq("＝")]):
        low = record["number"] < floor
        yield satisfaction_equals.at(
            record,
            "op",
            target=number_text(record["number"]),
            unit=record["unit"],
            low=f"，且低于 {number_text(floor)}%" if low else "",
            low_advice="，并核实目标是否过低" if low else "",
        )


def _surveys(batch: Batch) -> pd.DataFrame:
    """Satisfaction rows with a survey target (≥ ＞ ＝ and a number)."""
    frame = indicator_view(batch)
    survey = satisfaction_rows(frame) & frame["op"].isin(SURVEY_OPS) & frame["number"].notna()
    return frame[survey]


@rule(
    "BP603",
    "satisfaction-floor",
    Severity.INFO,
    title="满意度目标偏低",
    message="满意度目标“{op} {value}%”低于 {floor}%",
    hint="请核实目标是否符合实际；没有特殊原因的，满意度目标宜适当提高。",
    advice="满意度目标“{op} {value}%”偏低：如无特殊原因，建议提高到 {floor}% 以上。",
    description="满意度目标（%）低于 85（参数 floor）时提示，便于审核目标是否过低。"
    "定为提示：目标高低需要结合实际判断。",
    params={"floor": 85},
    per_table=True,
)
def satisfaction_floor(batch: Batch) -> Iterator[Finding]:
    frame = indicator_view(batch)
    floor = satisfaction_floor.param(batch, "floor")
    percent = frame["op"].isin(SURVEY_OPS) & frame["unit_key"].eq(PERCENT)
    low = frame["number"].ge(0) & frame["number"].lt(floor)
    for record in records(frame[satisfaction_rows(frame) & percent & low]):
        yield satisfaction_floor.at(
            record, "target", op=record["op"], floor=number_text(float(floor))
        )
