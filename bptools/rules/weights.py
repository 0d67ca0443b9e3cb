"""BP3xx: indicator weights and the 预算执行率 weight."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import pandas as pd

from ..normalize import is_blank, number_text
from ..schema import EXPECTED_TOTAL_WEIGHT, TAXONOMY
from . import rule
from .base import Batch, Finding, Severity, records
from .vocab import BENEFIT, COST, OUTPUT, QUANTITY, SATISFACTION, SATISFACTION_WORD

WEIGHT_TOLERANCE = 0.01


@rule(
    "BP301",
    "weight-invalid",
    Severity.ERROR,
    title="权重不是正数",
    message="第 {seq} 个指标的权重应为大于 0 的数字，现为“{value}”",
    hint="权重只填数字（不带 %），且必须大于 0；不需要的指标请整行删除。",
    advice="请把第 {seq} 个指标的权重改为大于 0 的数字；不需要的指标请整行删除。",
    description="每个指标的权重（%）必须是大于 0 的数字。"
    "定为错误：权重必须为正数才能计分，预算系统同样不允许。",
)
def weight_invalid(batch: Batch) -> Iterator[Finding]:
    indicators = batch.indicators
    typed = ~indicators["weight__raw"].map(is_blank)
    bad = typed & ~(indicators["weight"] > 0)
    for record in records(indicators[bad]):
        yield weight_invalid.at(record, "weight", seq=record["seq"])


@rule(
    "BP302",
    "weight-sum",
    Severity.ERROR,
    title="权重合计不等于 100",
    message="指标权重合计 {indicators} ＋ 预算执行率权重 {exec_weight} ＝ {total}，应为 100",
    hint="调整各指标权重，使指标权重合计加预算执行率权重正好等于 100。",
    advice="请调整权重：指标权重合计应为 {need}，现为 {indicators}{gap}。",
    description="各指标权重之和加预算执行率权重必须等于 100（预算执行率权重为 10 时，"
    "指标权重合计为 90）。"
    "定为错误：权重合计不是 100 就无法计分，预算系统同样不允许。",
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
    # Without a 权重 column (BP106) there is nothing to add up.
    weighed = indicators.loc[indicators["weight__cell"] != "", "project_id"].unique()
    for record in records(frame[off & frame["project_id"].isin(weighed)]):
        yield weight_sum.at(
            record,
            "weights",
            value=number_text(record["total"]),
            indicators=number_text(record["indicator_total"]),
            exec_weight=number_text(record["exec_total"]),
            total=number_text(record["total"]),
            need=number_text(EXPECTED_TOTAL_WEIGHT - record["exec_total"]),
            gap=_gap(record["total"] - EXPECTED_TOTAL_WEIGHT),
        )


def _gap(excess: float) -> str:
    return f"，多了 {number_text(excess)}" if excess > 0 else f"，还差 {number_text(-excess)}"


def _level1_totals(batch: Batch) -> pd.DataFrame:
    """Weight per 一级指标 (columns) of each project (index) whose weights can be added up:
    every weight a number and every 一级 known (BP301/BP401 report the others)."""
    indicators = batch.indicators
    readable = indicators["weight"].notna() & indicators["level1"].isin(TAXONOMY)
    complete = readable.groupby(indicators["project_id"]).all()
    rows = indicators[indicators["project_id"].map(complete).astype(bool)]
    totals = rows.pivot_table(
        index="project_id", columns="level1", values="weight", aggfunc="sum", fill_value=0.0
    )
    return totals.reindex(columns=list(TAXONOMY), fill_value=0.0)


def _project_records(batch: Batch, ids: Iterable[str]) -> Iterator[dict[str, Any]]:
    wanted = set(ids)
    for record in records(batch.projects):
        if record["project_id"] in wanted:
            yield record


def _profile_text(weights: Mapping[str, float]) -> str:
    """{'产出指标': 50, '效益指标': 30} -> '产出 50 / 效益 30'."""
    return " / ".join(
        f"{level1.removesuffix('指标')} {number_text(float(w))}" for level1, w in weights.items()
    )


@rule(
    "BP303",
    "exec-weight",
    Severity.WARNING,
    title="预算执行率权重不是规定值",
    message="预算执行率权重应为 {expected}，现为“{value}”",
    hint="预算执行率权重按财政局规定填写（一般为 10），其余权重分配给各项指标。",
    advice="请把预算执行率权重改为 {expected}，其余权重分给各项指标。",
    description="预算执行率权重应等于财政局规定的值（默认 10）。"
    "定为警告：与财政局规定不符，需要改正或说明。",
    params={"expected": 10},
)
def exec_weight(batch: Batch) -> Iterator[Finding]:
    projects = batch.projects
    expected = exec_weight.param(batch, "expected")
    typed = ~projects["exec_weight__raw"].map(is_blank)
    off = ~((projects["exec_weight"] - expected).abs() <= WEIGHT_TOLERANCE)  # NaN is off too
    for record in records(projects[typed & off]):
        yield exec_weight.at(record, "exec_weight", expected=number_text(expected))


@rule(
    "BP304",
    "weight-profile",
    Severity.INFO,
    title="一级指标权重分配偏离推荐值",
    message="一级指标权重为“{value}”，与推荐的 {recommended} 相差超过 {tolerance}",
    hint="参考推荐比例分配权重：产出 50、效益 30、满意度 10（以成本指标为一级指标时："
    "成本 20、产出 40、效益 20、满意度 10）；确有需要偏离的，请在报送时说明理由。",
    description="各一级指标的权重合计与推荐比例（产出 50、效益 30、满意度 10；以成本指标为"
    "一级指标时为成本 20、产出 40、效益 20、满意度 10）相差超过 10 时提示。"
    "定为提示：推荐比例不是硬性规定，只提醒说明理由。",
    params={
        "profile": {OUTPUT: 50, BENEFIT: 30, SATISFACTION: 10},
        "cost_profile": {COST: 20, OUTPUT: 40, BENEFIT: 20, SATISFACTION: 10},
        "tolerance": 10,
    },
)
def weight_profile(batch: Batch) -> Iterator[Finding]:
    totals = _level1_totals(batch)
    tolerance = weight_profile.param(batch, "tolerance")
    plain = weight_profile.param(batch, "profile")
    with_cost = weight_profile.param(batch, "cost_profile")

    def off(profile: Mapping[str, float]) -> pd.Series:
        expected = pd.Series(profile, dtype=float).reindex(totals.columns, fill_value=0.0)
        return (totals - expected).abs().max(axis=1)

    costed = totals[COST] > 0
    apart = off(with_cost).where(costed, off(plain))
    for record in _project_records(batch, apart.index[apart > tolerance + WEIGHT_TOLERANCE]):
        actual = totals.loc[record["project_id"]]
        recommended = with_cost if actual[COST] > 0 else plain
        yield weight_profile.at(
            record,
            "weights",
            value=_profile_text(actual.reindex(list(recommended), fill_value=0.0).to_dict()),
            recommended=_profile_text(recommended),
            tolerance=number_text(tolerance),
        )


@rule(
    "BP305",
    "output-benefit-share",
    Severity.WARNING,
    title="产出和效益指标权重偏低",
    message="产出、效益（含成本）指标权重合计为“{value}”，低于 {minimum}",
    hint="绩效评价以结果为导向：请把权重主要分配给产出、效益（和成本）指标，合计一般不低于 60。",
    description="产出指标、效益指标（以及成本指标）的权重合计应不低于 60（满分 100）。"
    "定为警告：权重偏离结果导向，需要调整或说明。",
    params={"minimum": 60},
)
def output_benefit_share(batch: Batch) -> Iterator[Finding]:
    totals = _level1_totals(batch)
    minimum = output_benefit_share.param(batch, "minimum")
    share = totals[[OUTPUT, BENEFIT, COST]].sum(axis=1)
    low = share[share < minimum - WEIGHT_TOLERANCE]
    for record in _project_records(batch, low.index):
        yield output_benefit_share.at(
            record,
            "weights",
            value=number_text(low[record["project_id"]]),
            minimum=number_text(minimum),
        )


@rule(
    "BP306",
    "satisfaction-weight-cap",
    Severity.WARNING,
    title="满意度指标权重过高",
    message="满意度类指标（{names}）权重合计为“{value}”，超过 {cap}",
    hint="满意度指标权重合计一般不超过 10，请把多出的权重调给产出或效益指标；"
    "填在其他一级指标下的满意度指标也计算在内。",
    advice="请把满意度类指标的权重合计降到 {cap} 以内（现为 {value}），多出的分给产出或效益指标。",
    description="满意度指标（满意度指标下的全部指标，以及其他一级指标下名称含“满意”的"
    "指标）权重合计不应超过 10。"
    "定为警告：满意度权重过高会使评价偏离产出和效果，需要调整。",
    params={"cap": 10, "words": [SATISFACTION_WORD]},
)
def satisfaction_weight_cap(batch: Batch) -> Iterator[Finding]:
    indicators = batch.indicators
    cap = satisfaction_weight_cap.param(batch, "cap")
    words = satisfaction_weight_cap.param(batch, "words")
    named = indicators["name"].map(lambda name: any(w in name for w in words))
    items = indicators[indicators["level1"].eq(SATISFACTION) | named]
    totals = items.groupby("project_id")["weight"].sum()
    over = totals[totals > cap + WEIGHT_TOLERANCE]
    for record in _project_records(batch, over.index):
        rows = items[items["project_id"].eq(record["project_id"])]
        cells = list(rows["weight__cell"])
        names = "、".join(rows["name"])
        yield satisfaction_weight_cap.finding(
            # on the weights it adds up (the first, the others related), not on the header
            file=record["file"],
            sheet=record["sheet"],
            cell=cells[0],
            unit=record["unit_label"],
            project=record["project"],
            indicator=names,
            value=number_text(over[record["project_id"]]),
            names=names,
            cap=number_text(cap),
            related="、".join(cells[1:]),
        )


@rule(
    "BP307",
    "dominant-weight",
    Severity.INFO,
    title="单个指标权重过大",
    message="三级指标“{name}”的权重为“{value}”，超过 {maximum}",
    hint="单个指标权重过大会使评价结果取决于一项指标，建议拆分或把权重分散到其他指标。",
    advice="“{name}”一项占 {value}：建议拆成几个指标，或把部分权重分给其他指标。",
    description="单个指标的权重一般不超过 30。定为提示：权重集中只是评价风险，不是错误。",
    params={"maximum": 30},
)
def dominant_weight(batch: Batch) -> Iterator[Finding]:
    indicators = batch.indicators
    maximum = dominant_weight.param(batch, "maximum")
    for record in records(indicators[indicators["weight"] > maximum]):
        yield dominant_weight.at(
            record, "weight", name=record["name"], maximum=number_text(maximum)
        )


@rule(
    "BP308",
    "token-target",
    Severity.INFO,
    title="目标值过低却占很大权重",
    message="三级指标“{name}”的目标“{op} {target} {unit}”，有 1 {unit}就满分，却占 {value} 的权重",
    hint="数量目标应按当年计划的工作量设定；只要做一次就达到的目标，不宜占很大权重。",
    advice="请按当年实际计划设定“{name}”的目标值（如全年计划的次数、户数），或把它的部分权重"
    "分给其他指标。",
    description="以“≥ 1”（或“＞ 0”）为目标的数量指标，权重达到 20（参数 min_weight）的："
    "做一次就满分，起不到考核作用。定为提示：也可能当年确实只有一次，由部门说明。"
    "权重过大的提示一并取代。",
    params={"min_weight": 20},
    folds=("BP307",),
)
def token_target(batch: Batch) -> Iterator[Finding]:
    indicators = batch.indicators
    heavy = indicators["weight"] >= token_target.param(batch, "min_weight")
    token = (indicators["op"].eq("≥") & indicators["target_num"].eq(1)) | (
        indicators["op"].eq("＞") & indicators["target_num"].eq(0)
    )
    counted = ~indicators["unit"].isin(("%", "‰", "")) & indicators["level2"].eq(QUANTITY)
    for record in records(indicators[heavy & token & counted]):
        yield token_target.at(
            record,
            "weight",
            name=record["name"],
            op=record["op"],
            target=number_text(record["target_num"]),
            unit=record["unit"],
        )
