"""BP5xx: units, 指标性质 and 指标值."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import pandas as pd

from ..normalize import is_blank, number_text
from ..schema import OPERATORS, QUALITATIVE
from . import rule
from .base import Batch, Finding, Rule, Severity, records
from .frames import (
    FULL_SCALE,
    contains_any,
    fold,
    indicator_view,
    quantitative,
    satisfaction_rows,
)
from .vocab import (
    COUNT_NAME_ENDINGS,
    COUNTER_WORDS,
    HARMFUL_WORDS,
    LOWER_BOUNDS,
    MEASURE_WORDS,
    QUANTITY,
    RATE_NAME_ENDINGS,
    TIME_UNITS,
    TIMELINESS,
)

MULTIPLIERS = ("十", "百", "千", "万", "十万", "百万", "千万", "亿")


# Growth measures: their rate may legitimately exceed 100 % or fall below 0.
GROWTH_WORDS = (
    "增长",
    "增幅",
    "增速",
    "增加",
    "增量",
    "上升",
    "提高",
    "提升",
    "比上年",
    "较上年",
    "同比",
    "环比",
)


def _harmful(names: pd.Series, harmful: Iterable[str], counter: Iterable[str]) -> pd.Series:
    return contains_any(names, harmful) & ~contains_any(names, counter)


def _rate_rows(frame: pd.DataFrame, growth_words: Iterable[str]) -> pd.Series:
    """Quantitative rows in % or ‰ with a number, growth measures left out."""
    return (
        quantitative(frame)
        & frame["unit_key"].isin(FULL_SCALE)
        & frame["number"].notna()
        & ~contains_any(frame["name"], growth_words)
    )


@rule(
    "BP501",
    "op-invalid",
    Severity.ERROR,
    title="指标性质无法识别",
    message="指标性质“{value}”无法识别，应为 ≥、≤、＝、＞、＜ 或 定性",
    hint="请从下拉列表选择指标性质：定量指标选 ≥ ≤ ＝ ＞ ＜ 之一，定性指标选“定性”。",
    advice="请把指标性质“{value}”改为 ≥、≤、＝、＞、＜ 之一（定量指标）或“定性”。",
    description="指标性质只能是 ≥、≤、＝、＞、＜ 或 定性（>=、大于等于、半角 = 等写法"
    "会自动换成规范符号）。"
    "定为错误：指标性质无法识别，指标值就没有意义。",
)
def op_invalid(batch: Batch) -> Iterator[Finding]:
    indicators = batch.indicators
    typed = ~indicators["op__raw"].map(is_blank)
    bad = typed & ~indicators["op"].isin(OPERATORS)
    for record in records(indicators[bad]):
        yield op_invalid.at(record, "op")


@rule(
    "BP502",
    "target-not-numeric",
    Severity.ERROR,
    title="定量指标值不是数字",
    message="定量指标的指标值应为一个数字，现为“{value}”",
    hint="指标值只填一个数字，不带单位和文字：单位填在“计量单位”栏（如“2000万元”写成"
    "计量单位“万元”、指标值 2000）；范围请取下限或上限并用 ≥ 或 ≤ 表示；"
    "不要用 XX、* 等占位符。",
    advice="请把指标值“{value}”改为一个数字；单位填在计量单位栏，范围取下限或上限并用 ≥ 或 ≤ 表示"
    "。",
    description="指标性质为 ≥ ≤ ＝ ＞ ＜ 的定量指标，指标值必须是一个数字（全角数字、"
    "千位分隔符会自动识别）；文字、范围（如 90-95）、占位符（XX、*）和带单位的写法"
    "（如 2000万）都不是数字。"
    "定为错误：定量指标没有数值就无法评价，预算系统同样不允许。",
)
def target_not_numeric(batch: Batch) -> Iterator[Finding]:
    frame = indicator_view(batch)
    bad = quantitative(frame) & ~frame["target_blank"] & frame["number"].isna()
    for record in records(frame[bad]):
        yield target_not_numeric.at(record, "target")


@rule(
    "BP503",
    "target-format",
    Severity.INFO,
    title="指标值带了百分号",
    message="指标值“{value}”带了“{sign}”，已按 {number} 读取",
    hint="指标值只填数字，“%”“‰”请填在“计量单位”栏。",
    description="定量指标的指标值带了 % 或 ‰（如 95%）时，按去掉符号后的数字读取，"
    "并提示把符号移到计量单位栏。定为提示：数字已按原意读出，只是写法不规范。",
    advice="指标值只填“{number}”，“{sign}”填在计量单位栏。",
    per_table=True,
)
def target_format(batch: Batch) -> Iterator[Finding]:
    frame = indicator_view(batch)
    for record in records(frame[quantitative(frame) & frame["sign"].ne("")]):
        yield target_format.at(
            record, "target", sign=record["sign"], number=number_text(record["number"])
        )


@rule(
    "BP504",
    "unit-missing",
    Severity.ERROR,
    title="定量指标缺计量单位",
    message="定量指标“{name}”（{goal}）未填写计量单位",
    hint="请填写计量单位，如 %、人、次、个、万元、km；只有定性指标不填计量单位。",
    advice="请为“{name}”填写计量单位，如 %、人、次、个、万元。",
    description="指标性质为 ≥ ≤ ＝ ＞ ＜ 的定量指标必须填写计量单位。"
    "定为错误：没有计量单位，指标值的意思不明，预算系统同样要求填写。",
)
def unit_missing(batch: Batch) -> Iterator[Finding]:
    frame = indicator_view(batch)
    for record in records(frame[quantitative(frame) & frame["unit_blank"]]):
        goal = " ".join(part for part in (record["op"], record["target"]) if part)
        yield unit_missing.at(record, "unit", name=record["name"], goal=goal)


@rule(
    "BP508",
    "percent-out-of-range",
    Severity.ERROR,
    title="比率超出 0～100%",
    message="计量单位为“{unit}”，目标“{op} {value}”{problem}",
    hint="比率不会超过 100%（‰ 不超过 1000）也不会小于 0：请核对指标值是否多写了数字，"
    "或计量单位是否应为人、次、万元等。",
    advice="{advice}",
    description="计量单位为 % 的指标值应在 0～100 之间，‰ 在 0～1000 之间，“＞ 100%”也不可能"
    "达到。名称含“增长、增幅、比上年、同比”等增长类指标可以超过 100% 或为负，不在此检查"
    "（词表见参数 growth_words）。定为错误：这样的比率不可能出现。",
    params={"growth_words": GROWTH_WORDS},
    folds=("BP516",),
)
def percent_out_of_range(batch: Batch) -> Iterator[Finding]:
    frame = indicator_view(batch)
    full = frame["unit_key"].map(FULL_SCALE)
    rates = _rate_rows(frame, percent_out_of_range.param(batch, "growth_words"))
    beyond = (frame["number"] > full) | (frame["number"] < 0)
    above_full = frame["op"].eq("＞") & frame["number"].eq(full) & ~satisfaction_rows(frame)
    for record in records(frame[rates & (beyond | above_full)]):
        scale = number_text(FULL_SCALE[record["unit_key"]])
        if record["number"] == FULL_SCALE[record["unit_key"]]:
            problem = "不可能达到（比率最高 {scale}{unit}）"
        else:
            problem = "超出了 0～{scale} 的范围"
        if record["name"].endswith(RATE_NAME_ENDINGS):
            advice = (
                f"“{record['name']}”是比率，最高 {scale}{record['unit']}：请改正指标值"
                f"（如“＝ {scale}”或实际要达到的比率）。"
            )
        else:
            advice = (
                f"请核对“{record['target']}”：比率最高 {scale}{record['unit']}；如果衡量的是人数、"
                "次数或金额，请把计量单位改为人、次、万元等。"
            )
        yield percent_out_of_range.at(
            record,
            "target",
            unit=record["unit"],
            op=record["op"],
            problem=problem.format(scale=scale, unit=record["unit"]),
            advice=advice,
        )


@rule(
    "BP509",
    "percent-at-least-full",
    Severity.INFO,
    title="比率写成“≥ 100%”",
    message="目标“≥ {value}{unit}”实际只能是正好 {value}{unit}",
    hint="要求全部达到的比率请写成“＝ 100”。",
    advice="请把指标性质“≥”改为“＝”：比率不会超过 {value}{unit}。",
    description="计量单位为 % 的指标写成“≥ 100”，实际只能是正好 100，应写“＝ 100”（‰ 以 "
    "1000 计）。增长类指标（参数 growth_words）和满意度指标（另有规则）除外。定为提示：意思"
    "没有错，只是写法不规范。",
    params={"growth_words": GROWTH_WORDS},
    per_table=True,
)
def percent_at_least_full(batch: Batch) -> Iterator[Finding]:
    for record in _at_full(batch, percent_at_least_full, "≥"):
        yield percent_at_least_full.at(record, "target", unit=record["unit"])


@rule(
    "BP514",
    "percent-upper-full",
    Severity.WARNING,
    title="比率上限写成“≤ 100%”",
    message="目标“≤ {value}{unit}”对比率不起约束作用",
    hint="比率本来就不会超过 100%：请写明真正要控制的上限，或改用下限（≥）表达要达到的水平。",
    advice="“≤ {value}{unit}”等于没有目标：请写明要控制的上限（如 ≤ 90），或改为要达到的"
    "下限（如 ≥ 95）。",
    description="计量单位为 % 的指标写成“≤ 100”（‰ 为 ≤ 1000），任何结果都满足，评价时"
    "无从判断。增长类指标（参数 growth_words）和满意度指标除外。定为警告：目标形同虚设，"
    "必须改写。",
    params={"growth_words": GROWTH_WORDS},
)
def percent_upper_full(batch: Batch) -> Iterator[Finding]:
    for record in _at_full(batch, percent_upper_full, "≤"):
        yield percent_upper_full.at(record, "target", unit=record["unit"])


def _at_full(batch: Batch, this: Rule, op: str) -> list[dict[str, Any]]:
    """Rates set with `op` at their full scale (100 %, 1000 ‰), satisfaction aside."""
    frame = indicator_view(batch)
    full = frame["unit_key"].map(FULL_SCALE)
    rates = _rate_rows(frame, this.param(batch, "growth_words"))
    at_full = rates & frame["number"].eq(full) & ~satisfaction_rows(frame)
    return records(frame[at_full & frame["op"].eq(op)])


def _advice(unit: str, known: set[str]) -> tuple[str, str]:
    """What a nonstandard unit should probably read ('人数' -> '人'): the words for the
    message, and the advice."""
    if unit in MULTIPLIERS:
        words = f"，“{unit}”要写明是{unit}什么（如 {unit}人、{unit}元）"
        return words, f"请把计量单位“{unit}”写明是{unit}什么，如“{unit}人”“{unit}元”。"
    if unit.endswith("数") and fold(unit[:-1]) in known:
        return f"，应写成“{unit[:-1]}”", f"请把计量单位“{unit}”改为“{unit[:-1]}”。"
    if "（" in unit or "(" in unit:
        return "", f"请在“{unit}”中选定一种计量单位（指标值按这种单位填写）。"
    return "", f"请把计量单位“{unit}”改为量词，如 人、次、个、件、户、万元、%。"


@rule(
    "BP510",
    "unit-nonstandard",
    Severity.INFO,
    title="计量单位不规范",
    message="计量单位“{value}”不是规范的计量单位{advice}",
    hint="计量单位填量词，如 人、人次、户、次、个、场次、万元、%、km、亩；"
    "“人数”写“人”，“万”写明“万人”“万元”等，“人（户）”请选定一种。",
    advice="{fix}",
    description="计量单位应取自常用量词表（参数 units，英文字母不分大小写）；"
    "“次/年”“元/人”这类两个量词组成的复合单位也可以。名词（人数、案件数）、"
    "单独的“万”和含糊的“人（户）”不是规范单位。定为提示：是写法问题，不影响对指标的理解。",
    params={"units": MEASURE_WORDS},
    per_table=True,
)
def unit_nonstandard(batch: Batch) -> Iterator[Finding]:
    frame = indicator_view(batch)
    known = {fold(unit) for unit in unit_nonstandard.param(batch, "units")}
    typed = ~frame["unit_blank"] & frame["op"].ne(QUALITATIVE)
    standard = frame["unit_key"].map(lambda key: _standard_unit(key, known)).astype(bool)
    for record in records(frame[typed & ~standard]):
        words, fix = _advice(record["unit"], known)
        yield unit_nonstandard.at(record, "unit", advice=words, fix=fix)


def _standard_unit(key: str, known: set[str]) -> bool:
    """A listed unit, or a ratio of two ('次/年', '元/人')."""
    return key in known or (key.count("/") == 1 and all(p in known for p in key.split("/")))


@rule(
    "BP511",
    "name-unit-mismatch",
    Severity.ERROR,
    title="指标名称与计量单位不符",
    message="“{name}”是{kind}，计量单位却是“{value}”",
    hint="计数类指标（…人数、…次数、…户数）填人、次、户等量词；比率类指标（…率）"
    "填 % 或 ‰。请核对名称和单位哪一个填错了。",
    advice="{fix}",
    description="名称以“人数、次数、数量、户数、个数”等结尾的计数类指标不应以 % 为单位；"
    "名称以“率”等结尾的比率类指标应以 % 或 ‰ 为单位（词表见参数）。定为错误：名称和单位"
    "互相矛盾，指标值无法理解。",
    params={"count_endings": COUNT_NAME_ENDINGS, "rate_endings": RATE_NAME_ENDINGS},
)
def name_unit_mismatch(batch: Batch) -> Iterator[Finding]:
    frame = indicator_view(batch)
    names = frame["name"]
    counts = names.str.endswith(tuple(name_unit_mismatch.param(batch, "count_endings")))
    rates = names.str.endswith(tuple(name_unit_mismatch.param(batch, "rate_endings")))
    in_rate_unit = frame["unit_key"].isin(FULL_SCALE)
    typed = ~frame["unit_blank"] & frame["op"].ne(QUALITATIVE)
    bad_count = typed & counts & in_rate_unit
    bad_rate = typed & rates & ~in_rate_unit
    for record in records(frame[bad_count | bad_rate]):
        if record["unit_key"] in FULL_SCALE:
            kind = "人数、次数一类的计数"
            fix = f"“{record['name']}”是计数：请把计量单位改为人、次、户等，指标值填数量；"
            fix += "如果要衡量的是比例，请把名称改为“…率”。"
        else:
            kind = "比率"
            fix = f"“{record['name']}”是比率：请把计量单位改为“%”，指标值填百分数；"
            fix += "如果要衡量的是数量，请把名称改为“…数”。"
        yield name_unit_mismatch.at(record, "unit", name=record["name"], kind=kind, fix=fix)


@rule(
    "BP512",
    "zero-output",
    Severity.WARNING,
    title="数量指标目标为 0",
    message="数量指标的目标为“{op} {value}”，等于没有产出",
    hint="数量指标应写明当年要完成的数量；当年确实没有这项产出的，请删除该指标并重新分配权重。",
    advice="请填写当年要完成的数量；当年确实不做的，请删除这一行并重新分配权重。",
    description="产出数量指标的目标为 ＝0、≤0、＜0 或 ≥0 时，等于不要求任何产出。"
    "事故、死亡等越少越好的指标（参数 harmful_words，含 counter_words 中的词时除外）"
    "以 0 为目标是正常的，不在此检查。"
    "定为警告：目标为 0 等于不做，需要改正或删除该指标。",
    params={"harmful_words": HARMFUL_WORDS, "counter_words": COUNTER_WORDS},
)
def zero_output(batch: Batch) -> Iterator[Finding]:
    frame = indicator_view(batch)
    param = zero_output.param
    harmful = _harmful(frame["name"], param(batch, "harmful_words"), param(batch, "counter_words"))
    zero = frame["number"].eq(0) & frame["op"].isin(("＝", "≤", "＜", "≥"))
    bad = frame["level2"].eq(QUANTITY) & zero & ~harmful
    for record in records(frame[bad]):
        yield zero_output.at(record, "target", op=record["op"])


@rule(
    "BP513",
    "harmful-event-direction",
    Severity.WARNING,
    title="越少越好的指标方向反了",
    message="“{name}”是越少越好的指标，指标性质“{value}”应改为 ≤ 或 ＜",
    hint="死亡、事故、发案等指标应设上限，如“≤ 3”；要求为零的写“＝ 0”。",
    advice="请把“{name}”的指标性质“{value}”改为“≤”（如“≤ 3”），要求为零的写“＝ 0”。",
    description="名称涉及死亡、事故、发案、成灾、肇事、火灾等有害事件的定量指标（参数 "
    "harmful_words；含“减少、整治、查处、化解、救助”等 counter_words 的除外）应使用 ≤ 或 ＜"
    "（＝ 0 也可以），不能用 ≥、＞ 或等于正数。"
    "定为警告：方向反了等于鼓励有害事件，必须改正。",
    params={"harmful_words": HARMFUL_WORDS, "counter_words": COUNTER_WORDS},
)
def harmful_event_direction(batch: Batch) -> Iterator[Finding]:
    frame = indicator_view(batch)
    param = harmful_event_direction.param
    harmful = _harmful(frame["name"], param(batch, "harmful_words"), param(batch, "counter_words"))
    wrong = frame["op"].isin(LOWER_BOUNDS) | (frame["op"].eq("＝") & frame["number"].gt(0))
    for record in records(frame[harmful & wrong]):
        yield harmful_event_direction.at(record, "op", name=record["name"])


@rule(
    "BP515",
    "time-limit-direction",
    Severity.INFO,
    title="时限用了下限",
    message="时效指标“{name}”以“{unit}”计，指标性质“{value}”要求时间越长越好",
    hint="完成时间、工期、办结时限等应设上限，如“设计工期 ≤ 6 月”“办结时限 ≤ 15 个工作日”。",
    advice="如果“{name}”是完成的期限，请把指标性质“{value}”改为“≤”（如“≤ {target} {unit}”）；"
    "如果衡量的是服务持续的时间，请移到数量指标下。",
    description="时效指标以天、月等时间单位计量、指标性质却是 ≥ 或 ＞ 的"
    "（如“技术服务周期 ≥ 12 月”）：期限应设上限。"
    "定为提示：也可能是服务时长，归到了时效指标下。",
    params={"time_units": list(TIME_UNITS)},
)
def time_limit_direction(batch: Batch) -> Iterator[Finding]:
    frame = indicator_view(batch)
    units = time_limit_direction.param(batch, "time_units")
    limits = frame["level2"].eq(TIMELINESS) & frame["unit_key"].isin(units)
    for record in records(frame[limits & frame["op"].isin(LOWER_BOUNDS)]):
        yield time_limit_direction.at(
            record,
            "op",
            name=record["name"],
            unit=record["unit"],
            target=number_text(record["number"]),
        )


@rule(
    "BP516",
    "percent-not-a-rate",
    Severity.INFO,
    title="以 % 计的指标不是比率",
    message="“{name}”以“{value}”计，但名称看不出是什么占什么的比率",
    hint="以 % 计的指标名称应是比率（××率、××占比），写明是什么占什么；不是比率的，改用相应的"
    "计量单位或改为定性指标。",
    advice="请把“{name}”写成比率（如“××率”“××占比”），说明是什么占什么的百分比；"
    "不是比率的，改用相应的计量单位，或改为定性指标并写明要达到的标准。",
    description="以 % 或 ‰ 计的定量指标，名称不以率、比例、占比、度、感、指数一类结尾的"
    "（如“社会稳定 ≥ 80%”），看不出百分比的分子和分母。计数类名称以 % 计是另一条规则的错误，"
    "不在此列。定为提示：名称可能只是省略了“率”字。",
    params={"rate_like_endings": [*RATE_NAME_ENDINGS, "比重", "度", "感", "指数", "幅", "满意"]},
)
def percent_not_a_rate(batch: Batch) -> Iterator[Finding]:
    frame = indicator_view(batch)
    names = frame["name"]
    rate_like = names.str.endswith(tuple(percent_not_a_rate.param(batch, "rate_like_endings")))
    counts = names.str.endswith(tuple(name_unit_mismatch.param(batch, "count_endings")))
    growth = contains_any(names, GROWTH_WORDS)
    percent = quantitative(frame) & frame["unit_key"].isin(FULL_SCALE) & names.ne("")
    for record in records(frame[percent & ~rate_like & ~counts & ~growth]):
        yield percent_not_a_rate.at(record, "unit", name=record["name"])
