"""BP2xx: the amounts of the header block (万元)."""

from __future__ import annotations

from collections.abc import Iterator

from ..normalize import is_blank
from ..schema import FIELDS_BY_KEY
from . import rule
from .base import Batch, Finding, Severity

AMOUNT_KEYS = ("retained", "budget", "subsidy")
AMOUNT_TOLERANCE = 0.005  # half the last printed digit: amounts carry two decimals (万元)


@rule(
    "BP201",
    "amount-invalid",
    Severity.ERROR,
    title="金额不是有效数字",
    message="“{label}”应为不小于 0 的数字（万元），现为“{value}”",
    hint="只填数字，单位为万元，保留两位小数，不要带“万元”等文字。",
    description="部门留用、当年预算金额、补助街镇必须是不小于 0 的数字。",
)
def amount_invalid(batch: Batch) -> Iterator[Finding]:
    projects = batch.projects
    for key in AMOUNT_KEYS:
        typed = ~projects[f"{key}__raw"].map(is_blank)
        bad = typed & ~(projects[key] >= 0)
        for record in projects[bad].to_dict("records"):
            yield amount_invalid.at(record, key, label=FIELDS_BY_KEY[key].label)


@rule(
    "BP202",
    "amount-split",
    Severity.ERROR,
    title="金额不平衡",
    message="部门留用 {retained} ＋ 补助街镇 {subsidy} ＝ {total}，与当年预算金额 {budget} 不一致",
    hint="当年预算金额应等于部门留用与补助街镇之和，请核对三个金额。",
    description="部门留用＋补助街镇＝当年预算金额（允许 0.005 万元的舍入差）。",
)
def amount_split(batch: Batch) -> Iterator[Finding]:
    projects = batch.projects
    frame = projects.assign(total=projects["retained"] + projects["subsidy"])
    off = (frame["total"] - frame["budget"]).abs() > AMOUNT_TOLERANCE  # NaN compares False
    for record in frame[off].to_dict("records"):
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
