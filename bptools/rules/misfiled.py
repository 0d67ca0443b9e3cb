"""BP410–BP414, BP416, BP417: indicators filed under the wrong 一级/二级指标, with the
evidence their names and units give."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial
from typing import Any

import pandas as pd

from ..normalize import is_blank
from ..schema import QUALITATIVE
from . import rule
from .base import Batch, Finding, Rule, Severity, records
from .taxonomy import ECONOMIC_COST, OUTPUT_COST
from .vocab import (
    BENEFIT,
    COST,
    COUNTER_WORDS,
    HARMFUL_WORDS,
    OUTPUT,
    QUALITY,
    QUANTITY,
    RESULT_RATE_ENDINGS,
    SATISFACTION,
    SATISFACTION_WORD,
    TIME_UNITS,
    TIMELINESS,
)

# Measure words of counted things, and verbs that open the name of a piece of work done.
# fmt: off
COUNT_UNITS = [
    "个", "次", "场", "场次", "件", "项", "批", "批次", "册",
    "份", "万份", "条", "篇", "人", "人次", "户", "家", "期",
]
OUTPUT_VERBS = [
    "开展", "举办", "举行", "召开", "组织", "完成", "打造", "建设", "建成", "新建",
    "发布", "印制", "制作", "培训", "发放", "购买", "采购", "出版", "创作", "编制",
]
# fmt: on


def _matches(names: pd.Series, patterns: list[str]) -> pd.Series:
    found = re.compile("|".join(f"(?:{p})" for p in patterns))
    return names.map(lambda name: bool(found.search(name)))


@rule(
    "BP410",
    "satisfaction-misfiled",
    Severity.WARNING,
    title="满意度指标归类不当",
    message="三级指标“{value}”{reason}",
    hint="名称含“满意”的指标请归入一级“满意度指标”；满意度指标下只填服务对象满意度，"
    "其他内容请移到产出或效益指标下。",
    advice="{advice}",
    description="名称含“满意”的指标应归入满意度指标；满意度指标下的指标名称应是某类"
    "服务对象的满意度。"
    "定为警告：名称已说明它属于哪一类，归类错误会影响评价。",
    params={"words": [SATISFACTION_WORD]},
)
def satisfaction_misfiled(batch: Batch) -> Iterator[Finding]:
    indicators = batch.indicators.assign(kind=batch.kinds)
    kinds = indicators["kind"]
    words = satisfaction_misfiled.param(batch, "words")
    named = indicators["name"].map(lambda name: any(w in name for w in words))
    outside = named & kinds.ne("") & kinds.ne(SATISFACTION)
    inside = ~named & kinds.eq(SATISFACTION) & ~indicators["name__raw"].map(is_blank)
    # Tables whose satisfaction rows name a satisfaction: a misfiled row can simply move.
    rated = set(indicators.loc[named & kinds.eq(SATISFACTION), "project_id"])
    for record in records(indicators[outside]):
        yield satisfaction_misfiled.at(
            record,
            "name",
            reason=f"是满意度指标，却填在“{record['kind']}”下",
            advice=f"请把“{record['name']}”移到一级“满意度指标”、二级“服务对象满意度指标”下。",
            related=record["level1__cell"],
        )
    for record in records(indicators[inside]):
        name = record["name"]
        if record["project_id"] in rated:
            advice = (
                f"“{name}”不是满意度：请移到产出或效益指标下；满意度指标下只填服务对象满意度。"
            )
        else:
            advice = (
                f"“{name}”不是满意度，本表也就没有满意度指标了：请把它移到效益指标下，"
                "在满意度指标下另设服务对象满意度（如“服务对象满意度 ≥ 90%”）；"
                "或把它改写为服务对象对本项目的满意度。"
            )
        yield satisfaction_misfiled.at(
            record,
            "name",
            reason="填在满意度指标下，但名称不是某类对象的满意度",
            advice=advice,
            related=record["level1__cell"],
        )


_COST_NAMES = ["成本", "费用", "经费", "标准", "补贴", "补助", "单价", "价格", "资金"]


@rule(
    "BP411",
    "cost-not-money",
    Severity.WARNING,
    title="成本指标不是金额",
    message="成本指标“{name}”以“{value}”计，不是成本；成本指标应以金额（元、万元）计量",
    hint="经济成本（或产出指标下的成本指标）填项目的成本控制数，如“单位成本 ≤ 80 元/人”"
    "“总成本 ≤ 50 万元”；次数、比率等请移到产出或效益指标下。",
    advice="“{name}”不是成本：请把它移到{move}下；成本指标填成本控制数，如“单位成本 ≤ 80 元/人”。",
    description="经济成本指标和产出指标下的成本指标应以金额（元、万元、亿元、元/人等）计量。"
    "名称和单位都表明不是成本的（次数、比率、人数等）定为警告：指标放错了位置，必须移开。"
    "名称像成本、只是没有以金额计量的，由 BP416 报告。社会成本和生态环境成本指标描述对社会、"
    "环境的负面影响，可以是定性或实物量，不检查单位。",
    params={"money_units": ["元", "千元", "万元", "百万元", "亿元"], "cost_names": _COST_NAMES},
    folds=("BP404",),
)
def cost_not_money(batch: Batch) -> Iterator[Finding]:
    for record, costly in _unpriced_costs(batch, cost_not_money):
        if not costly:
            move = _rate_home(record["name"]) if record["unit"] in ("%", "‰") else "数量指标"
            shown = record["op__raw"] if is_blank(record["unit__raw"]) else record["unit__raw"]
            yield cost_not_money.at(record, "unit", value=shown, name=record["name"], move=move)


@rule(
    "BP416",
    "cost-not-priced",
    Severity.WARNING,
    title="成本指标没有以金额计量",
    message="成本指标“{name}”没有以金额计量（现为“{value}”）",
    hint="成本指标宜写成金额，如“出差补贴标准 ≤ 150 元/人天”，便于与预算和实际支出比较。",
    advice="请把“{name}”写成金额，如“{name} ≤ ×× 元”（计量单位为元或万元）。",
    description="名称是成本、费用、标准一类的成本指标，没有以金额计量（定性或实物单位）。"
    "定为警告：成本指标要与预算和实际支出比较，不以金额计量就无法比较，需改写。"
    "定性值是笼统的等级词时一并指出。",
    folds=("BP507",),
    params={"money_units": ["元", "千元", "万元", "百万元", "亿元"], "cost_names": _COST_NAMES},
)
def cost_not_priced(batch: Batch) -> Iterator[Finding]:
    for record, costly in _unpriced_costs(batch, cost_not_priced):
        if costly:
            shown = record["op__raw"] if is_blank(record["unit__raw"]) else record["unit__raw"]
            yield cost_not_priced.at(record, "unit", value=shown, name=record["name"])


def _rate_home(name: str) -> str:
    """The 二级指标 a rate belongs to: 时效 for a 及时率 or 到位率, else 质量."""
    timely = level2_doubtful.params["timely_endings"]
    return TIMELINESS if name.endswith(tuple(timely)) else QUALITY


def _unpriced_costs(batch: Batch, this: Rule) -> Iterator[tuple[dict[str, Any], bool]]:
    """Economic cost rows not in money, and whether their name says they are a cost."""
    indicators, kinds = batch.indicators, batch.kinds
    money = set(this.param(batch, "money_units"))
    names = this.param(batch, "cost_names")
    economic = (kinds.eq(COST) & indicators["level2"].eq(ECONOMIC_COST)) | (
        kinds.eq(OUTPUT) & indicators["level2"].eq(OUTPUT_COST)
    )
    is_money = indicators["unit"].map(lambda unit: unit.split("/")[0] in money)
    # A quantitative row without a unit is reported as a missing unit elsewhere.
    unit_blank = indicators["unit__raw"].map(is_blank)
    judged = ~unit_blank | indicators["op"].eq(QUALITATIVE)
    for record in records(indicators[economic & ~is_money & judged]):
        costly = any(word in record["name"] for word in names)
        yield record, costly and record["unit"] not in ("%", "‰", "次", "人", "人次")


@rule(
    "BP412",
    "exec-rate-as-indicator",
    Severity.WARNING,
    title="预算执行率被设为指标",
    message="三级指标“{value}”与单独计分的预算执行率重复",
    hint="预算执行率已按“预算执行率权重”单独计分，请删除该指标，把它的权重分给其他指标。",
    advice="请删除“{value}”这一行，把它的权重分给其他指标（预算执行率已按“预算执行率权重”单独"
    "计分）{left}。",
    description="三级指标不应是预算执行率、预算控制率之类（它们已由预算执行率权重单独计分）。"
    "定为警告：重复计分，必须删除或改写。",
    params={"patterns": ["预算.{0,6}(执行|控制)率", "(资金|经费|支出)(执行|控制)率"]},
    folds=("BP509", "BP514"),
)
def exec_rate_as_indicator(batch: Batch) -> Iterator[Finding]:
    indicators = batch.indicators
    patterns = exec_rate_as_indicator.param(batch, "patterns")
    left = _benefits_left(batch)
    found = indicators.assign(kind=batch.kinds)
    for record in records(found[_matches(found["name"], patterns)]):
        note = left.get(record["project_id"], "") if record["kind"] == BENEFIT else ""
        yield exec_rate_as_indicator.at(record, "name", left=note)


@rule(
    "BP413",
    "level2-misfiled",
    Severity.WARNING,
    title="指标归错了二级指标",
    message="三级指标“{name}”{reason}，不宜归入“{value}”",
    hint="效益指标写项目带来的效果，完成多少数量属于产出指标；死亡人数、发案量、发生率等是"
    "结果，属于效益指标。",
    advice="请把“{name}”移到{move}。",
    description="名称和单位都表明归错了二级指标的：效益指标下的产出数量（以“开展”“完成”等"
    "开头或以“数量”结尾，且以个、次等计数）；数量、时效指标下的事故、死亡、发案等结果"
    "（质量指标下的另有提示）。移走后本表没有定量效益指标的，建议中一并指出。"
    "定为警告：归类影响评价，名称和单位已说明应放在哪里。",
    params={
        "count_units": COUNT_UNITS,
        "rate_units": ["%", "‰"],
        "output_verbs": OUTPUT_VERBS,
        "output_endings": ["数量"],
        "outcome_words": HARMFUL_WORDS,
        "counter_words": COUNTER_WORDS,
    },
)
def level2_misfiled(batch: Batch) -> Iterator[Finding]:
    indicators = batch.indicators
    counts, outcomes, _ = _misfiled(batch)
    left = _benefits_left(batch)
    for record in records(indicators[counts]):
        yield level2_misfiled.at(
            record,
            "level2",
            name=record["name"],
            reason=f"是产出数量（{record['unit']}）",
            move="产出指标的数量指标下" + left.get(record["project_id"], ""),
        )
    for record in records(indicators[outcomes]):
        yield level2_misfiled.at(
            record,
            "level2",
            name=record["name"],
            reason="是事故、发案一类的结果",
            move="效益指标的社会效益指标下",
        )


def _misfiled(batch: Batch) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Masks of the rows BP413 reports (output counts under 效益, outcomes under 数量 or
    时效) and of outcomes counted under 质量指标, which BP417 only suggests moving."""
    return batch.shared("misfiled", _misfiled_rows)


def _misfiled_rows(batch: Batch) -> tuple[pd.Series, pd.Series, pd.Series]:
    indicators, kinds = batch.indicators, batch.kinds
    param = partial(level2_misfiled.param, batch)
    names, units, level2 = indicators["name"], indicators["unit"], indicators["level2"]
    output_like = names.str.startswith(tuple(param("output_verbs"))) | names.str.endswith(
        tuple(param("output_endings"))
    )
    counts = kinds.eq(BENEFIT) & units.isin(param("count_units")) & output_like
    outcome = _contains(names, param("outcome_words")) & ~_contains(names, param("counter_words"))
    outcome &= kinds.eq(OUTPUT)
    # A rate of such events under 质量指标 (成灾率, 贫困发生率) is filed so often it stays; a
    # count there (事故死亡人数 of the project's own works) can be read as its quality.
    quality = level2.eq(QUALITY)
    return counts, outcome & ~quality, outcome & quality & ~units.isin(param("rate_units"))


def _benefits_left(batch: Batch) -> dict[Any, str]:
    """Per project, what following BP412 and BP413 leaves of its 效益指标, when it is
    nothing or nothing quantitative: said in their advice so that the fix is whole."""
    return batch.shared("benefits-left", _left_notes)


def _left_notes(batch: Batch) -> dict[Any, str]:
    indicators = batch.indicators
    benefit = batch.kinds.eq(BENEFIT)
    patterns = exec_rate_as_indicator.param(batch, "patterns")
    gone = (_misfiled(batch)[0] | _matches(indicators["name"], patterns)) & benefit
    kept = benefit & ~gone
    moved, left = batch.projects_where(gone), batch.projects_where(kept)
    quantitative = batch.projects_where(kept & indicators["op"].ne(QUALITATIVE))
    none = "；这样本表就没有效益指标了，请另设一个衡量项目效果的定量效益指标"
    qualitative = "；这样本表的效益指标只剩定性的，请另设一个衡量项目效果的定量效益指标"
    notes = dict.fromkeys(moved - left, none)
    return notes | dict.fromkeys(moved & left - quantitative, qualitative)


@rule(
    "BP417",
    "level2-doubtful",
    Severity.INFO,
    title="二级指标归类存疑",
    message="三级指标“{name}”{reason}，不像“{value}”",
    hint="数量指标写完成多少（个、次、人等）；合格率、达标率一类归入质量指标，及时率、到位率"
    "归入时效指标；时效指标写完成时间、期限或及时率，如“资金拨付完成时间 ≤ 11 月”。",
    advice="{advice}",
    description="名称和单位提示归类可能有误的：数量指标下的合格率、及时率一类比率（比率也可以"
    "是数量的完成程度，如覆盖率，不在此列）；时效指标的名称和单位都看不出与时间、期限或"
    "及时性有关（如“交通设施完好率”）；质量指标下的事故、死亡人数一类结果（也可以读作工程自身"
    "的安全质量）。"
    "定为提示：名称只是提示归类可能有误，由填报单位判断。",
    params={
        "rate_units": ["%", "‰"],
        "rate_endings": RESULT_RATE_ENDINGS,
        "timely_endings": ["及时率", "到位率", "按时完成率", "按期完成率"],
        "time_units": list(TIME_UNITS),
        "time_words": ["时", "期", "限", "日", "天", "月", "年", "季", "周", "进度", "到位"],
    },
)
def level2_doubtful(batch: Batch) -> Iterator[Finding]:
    indicators = batch.indicators
    param = partial(level2_doubtful.param, batch)
    output = batch.kinds.eq(OUTPUT)
    names, units, level2 = indicators["name"], indicators["unit"], indicators["level2"]
    rate = units.isin(param("rate_units")) & names.str.endswith(tuple(param("rate_endings")))
    for record in records(indicators[output & level2.eq(QUANTITY) & rate]):
        timely = record["name"].endswith(tuple(param("timely_endings")))
        move = TIMELINESS if timely else "质量指标"
        yield level2_doubtful.at(
            record,
            "level2",
            name=record["name"],
            reason=f"是比率（{record['unit']}），反映的是{'时效' if timely else '质量'}",
            advice=f"建议把“{record['name']}”的二级指标改为“{move}”。",
        )
    timely = units.isin(param("time_units")) | _contains(names, param("time_words"))
    for record in records(indicators[output & level2.eq(TIMELINESS) & names.ne("") & ~timely]):
        yield level2_doubtful.at(
            record,
            "level2",
            name=record["name"],
            reason="看不出与时间、期限或及时性有关",
            advice=f"“{record['name']}”看不出与时间有关：如果衡量的是质量，请把二级指标改为"
            "“质量指标”；如果是时效，请在名称中写明时限或及时性。",
        )
    for record in records(indicators[_misfiled(batch)[2]]):
        yield level2_doubtful.at(
            record,
            "level2",
            name=record["name"],
            reason="是事故、发案一类的结果",
            advice=f"“{record['name']}”是项目带来的结果，一般归入效益指标的社会效益指标；"
            "如果衡量的是本项目工程自身的安全质量，可以保留。",
        )


def _contains(names: pd.Series, words: list[str]) -> pd.Series:
    return names.map(lambda name: any(w in name for w in words)).astype(bool)


@rule(
    "BP414",
    "input-as-target",
    Severity.INFO,
    title="以投入作为绩效指标",
    message="三级指标“{value}”描述的是投入（人力、资金等），不是产出或效果",
    hint="人员、经费等投入不作为绩效目标，请改写为这些投入完成的工作量或带来的效果，"
    "如“开展巡查次数”“服务群众人次”。",
    advice="请把“{value}”改写为这些投入完成的工作量或带来的效果，如“开展巡查次数”“服务群众人次”。",
    description="三级指标不应描述投入（投入力量、聘用人员、劳务派遣人数、经费保障等）。"
    "定为提示：是否属于投入需要结合项目判断。",
    params={
        "patterns": [
            "投入.*(力量|人员|人力|资金|经费)",
            "聘用.*人员",
            "劳务派遣.*人",
            "经费保障",
        ]
    },
    folded_note="“{value}”描述的是投入，宜改写为投入完成的工作量或带来的效果",
)
def input_as_target(batch: Batch) -> Iterator[Finding]:
    indicators = batch.indicators
    patterns = input_as_target.param(batch, "patterns")
    for record in records(indicators[_matches(indicators["name"], patterns)]):
        yield input_as_target.at(record, "name")
