"""BP2xx: the amounts of the header block (万元)."""

from __future__ import annotations

from collections.abc import Iterator

from ..normalize import is_blank
from ..readings import exact_amount
from ..schema import FIELDS_BY_KEY
from . import rule
from .base import Batch, Finding, Severity, records
from .vocab import AMOUNT_TOLERANCE, COST

AMOUNT_KEYS = ("retained", "budget", "subsidy")


@rule(
    "BP201",
    "amount-invalid",
    Severity.ERROR,
    title="金额不是有效数字",
    message="“{label}”应为不小于 0 的数字（万元），现为“{value}”",
    hint="只填数字，单位为万元，保留两位小数，不要带“万元”等文字。",
    advice="请在“{label}”中只填以万元为单位的数字（如 50 或 50.25），没有的填 0。",
    description="部门留用、当年预算金额、补助街镇必须是不小于 0 的数字。"
    "定为错误：金额不是有效数字，无法汇总。",
)
def amount_invalid(batch: Batch) -> Iterator[Finding]:
    projects = batch.projects
    for key in AMOUNT_KEYS:
        typed = ~projects[f"{key}__raw"].map(is_blank)
        bad = typed & ~(projects[key] >= 0)
        for record in records(projects[bad]):
            yield amount_invalid.at(record, key, label=FIELDS_BY_KEY[key].label)


@rule(
    "BP202",
    "amount-split",
    Severity.ERROR,
    title="金额不平衡",
    message="部门留用 {retained} ＋ 补助街镇 {subsidy} ＝ {total}，与当年预算金额 {budget} 不一致",
    hint="当年预算金额应等于部门留用与补助街镇之和，请核对三个金额。",
    advice="请核对三个金额：当年预算金额 {budget} 应等于部门留用与补助街镇之和（现为 {total}）。",
    description="部门留用＋补助街镇＝当年预算金额（允许 0.005 万元的舍入差）。"
    "定为错误：三个金额互相矛盾，必须改正其一。",
)
def amount_split(batch: Batch) -> Iterator[Finding]:
    projects = batch.projects
    frame = projects.assign(total=projects["retained"] + projects["subsidy"])
    off = (frame["total"] - frame["budget"]).abs() > AMOUNT_TOLERANCE  # NaN compares False
    for record in records(frame[off]):
        yield amount_split.at(
            record,
            "budget",
            retained=_money(record["retained"]),
            subsidy=_money(record["subsidy"]),
            total=_money(record["total"]),
            budget=_money(record["budget"]),
        )


def _money(value: float) -> str:
    return f"{value:,.2f}"


@rule(
    "BP203",
    "amount-decimals",
    Severity.WARNING,
    title="金额小数位过多",
    message="“{label}”为“{value}”，金额以万元为单位最多保留 {decimals} 位小数",
    hint="金额单位是万元，请四舍五入到两位小数（即精确到百元）；如果填的是元，请换算成万元。",
    advice="请把“{label}”四舍五入到两位小数；如果填的是元，请除以 10000 换算成万元。",
    description="部门留用、当年预算金额、补助街镇以万元为单位，最多保留两位小数。"
    "定为警告：多出的小数位常是把元当成了万元，需要核实。",
    params={"decimals": 2},
)
def amount_decimals(batch: Batch) -> Iterator[Finding]:
    decimals = amount_decimals.param(batch, "decimals")
    projects = batch.projects
    for key in AMOUNT_KEYS:
        # The amounts are read rounded to two decimals: look at what was typed.
        scaled = projects[f"{key}__raw"].map(exact_amount).astype(float) * 10**decimals
        excess = (scaled - scaled.round()).abs() > 1e-6  # NaN compares False
        for record in records(projects[excess & (projects[key] >= 0)]):
            yield amount_decimals.at(
                record, key, label=FIELDS_BY_KEY[key].label, decimals=decimals
            )


@rule(
    "BP204",
    "budget-zero",
    Severity.ERROR,
    title="当年预算金额为 0",
    message="当年预算金额为“{value}”，重点专项的当年预算金额应大于 0",
    hint="请填写该项目当年安排的预算金额（万元）；当年没有安排资金的项目不用填报。",
    description="当年预算金额必须大于 0。定为错误：没有预算的项目不应填报重点专项绩效目标。",
)
def budget_zero(batch: Batch) -> Iterator[Finding]:
    projects = batch.projects
    for record in records(projects[projects["budget"].eq(0)]):
        yield budget_zero.at(record, "budget")


@rule(
    "BP205",
    "cost-over-budget",
    Severity.WARNING,
    title="成本指标超过预算",
    message="成本指标“{name}”{op} {value}{unit}（{amount} 万元），超过当年预算金额 {budget} 万元",
    hint="成本控制指标一般不应超过当年预算金额，请核对指标值和计量单位（元、万元、亿元）。",
    advice="请核对“{name}”的指标值和计量单位：换算后 {amount} 万元超过了当年预算 {budget} 万元，"
    "多半是把元写成了万元。",
    description="以元、万元、亿元计的成本指标（≤ 或 ＜）换算成万元后不应超过当年预算金额。"
    "定为警告：成本控制数超过预算多半是单位填错，需要核实。",
    params={
        "money_units": {"元": 0.0001, "千元": 0.1, "万元": 1.0, "百万元": 100.0, "亿元": 10000.0},
        "cost_words": ["成本", "费用", "经费", "支出"],
    },
)
def cost_over_budget(batch: Batch) -> Iterator[Finding]:
    factors = cost_over_budget.param(batch, "money_units")
    words = cost_over_budget.param(batch, "cost_words")
    indicators = batch.indicators
    budgets = batch.projects.set_index("project_id")
    frame = indicators.assign(
        amount=indicators["target_num"] * indicators["unit"].map(factors),
        budget=indicators["project_id"].map(budgets["budget"]),
        budget__cell=indicators["project_id"].map(budgets["budget__cell"]),
    )
    cost = frame["level1"].eq(COST) | frame["level2"].eq(COST)
    cost |= frame["name"].map(lambda name: any(word in name for word in words))
    over = frame["op"].isin(("≤", "＜")) & (frame["amount"] - frame["budget"] > AMOUNT_TOLERANCE)
    for record in records(frame[cost & over]):
        yield cost_over_budget.at(
            record,
            "target",
            name=record["name"],
            op=record["op"],
            unit=record["unit"],
            amount=_money(record["amount"]),
            budget=_money(record["budget"]),
            related=record["budget__cell"],
        )
