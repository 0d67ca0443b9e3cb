"""BP4xx: 一级/二级指标 against the taxonomy (both frameworks accepted)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial
from typing import Any

import pandas as pd

from ..normalize import is_blank
from ..schema import QUALITATIVE, TAXONOMY
from . import rule
from .base import Batch, Finding, Rule, Severity, records
from .vocab import (
    BENEFIT,
    COST,
    COUNTER_WORDS,
    HARMFUL_WORDS,
    OUTPUT,
    QUANTITY,
    RESULT_RATE_ENDINGS,
    SATISFACTION,
    SATISFACTION_WORD,
    TIMELINESS,
)
from .weights import project_tables


@rule(
    "BP401",
    "level1-unknown",
    Severity.ERROR,
    title="一级指标不规范",
    message="一级指标“{value}”不在规定范围内（{allowed}）",
    hint="一级指标请从下拉列表选择：产出指标、效益指标、满意度指标、成本指标。",
    advice="请把一级指标“{value}”改为：{allowed}之一。",
    description="一级指标只能是产出指标、效益指标、满意度指标或成本指标。"
    "定为错误：一级指标不在指标体系内，无法归类评价。",
)
def level1_unknown(batch: Batch) -> Iterator[Finding]:
    indicators = batch.indicators
    typed = ~indicators["level1__raw"].map(is_blank)
    bad = typed & ~indicators["level1"].isin(TAXONOMY)
    for record in records(indicators[bad]):
        yield level1_unknown.at(record, "level1", allowed="、".join(TAXONOMY))


@rule(
    "BP402",
    "level2-mismatch",
    Severity.ERROR,
    title="二级指标与一级指标不匹配",
    message="二级指标“{value}”不属于“{level1}”，应为：{allowed}",
    hint="先选一级指标，再从下拉列表中选择该一级指标下的二级指标。",
    advice="请把二级指标“{value}”改为“{level1}”下的：{allowed}之一。",
    description="二级指标必须属于所填的一级指标（新旧两套指标体系均可，"
    "如产出指标下的成本指标或一级的成本指标）。"
    "定为错误：二级指标与一级指标对不上，无法归类评价。",
)
def level2_mismatch(batch: Batch) -> Iterator[Finding]:
    indicators = batch.indicators
    known = indicators["level1"].isin(TAXONOMY) & ~indicators["level2__raw"].map(is_blank)
    for record in records(indicators[known]):
        allowed = TAXONOMY[record["level1"]]
        if record["level2"] not in allowed:
            yield level2_mismatch.at(
                record, "level2", level1=record["level1"], allowed="、".join(allowed)
            )


# Each 二级指标 belongs to exactly one 一级指标 (成本指标 as a 二级 only under 产出指标).
LEVEL1_OF: dict[str, str] = {
    level2: level1 for level1, kids in TAXONOMY.items() for level2 in kids
}
OUTPUT_COST = COST  # the 二级 of the older framework has the 一级's name
ECONOMIC_COST = "经济成本指标"
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


def indicator_kinds(indicators: pd.DataFrame) -> pd.Series:
    """The 一级指标 each row belongs to: its 一级 when valid, else the one its 二级 implies
    ("" when neither tells)."""
    inferred = indicators["level2"].map(LEVEL1_OF).fillna("")
    return indicators["level1"].where(indicators["level1"].isin(TAXONOMY), inferred)


def _framework_rows(indicators: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Masks of the rows that place cost: as a 一级 (2021 framework), under 产出 (older)."""
    kinds = indicator_kinds(indicators)
    return kinds.eq(COST), kinds.eq(OUTPUT) & indicators["level2"].eq(OUTPUT_COST)


def _classified_tables(batch: Batch) -> Iterator[tuple[dict[str, Any], pd.DataFrame]]:
    """Tables whose every row has a recognisable 一级指标, with a `kind` column.

    A row with no recognisable 一级 or 二级 (reported by BP104/BP401/BP402) could be the
    missing kind, so tables holding one are not judged on what they lack.
    """
    for record, rows in project_tables(batch):
        kinds = indicator_kinds(rows)
        if kinds.ne("").all():
            yield record, rows.assign(kind=kinds)


def _matches(names: pd.Series, patterns: list[str]) -> pd.Series:
    found = re.compile("|".join(f"(?:{p})" for p in patterns))
    return names.map(lambda name: bool(found.search(name)))


@rule(
    "BP403",
    "framework-mix",
    Severity.ERROR,
    title="一张表混用两套指标体系",
    message="本表已把成本指标作为一级指标（如“{name}”），又在产出指标下填了二级指标“{value}”",
    hint="同一张表只能用一套指标体系：要么把成本指标作为一级指标（下设经济成本、社会成本、"
    "生态环境成本指标），要么放在产出指标下作为二级指标，不能两种都用。",
    description="成本指标作为一级指标（财预〔2021〕101号）和作为产出指标下的二级指标"
    "（旧指标体系）不能在同一张表中同时出现。"
    "定为错误：一张表同时用两套体系，成本指标会被重复或错误归类。",
)
def framework_mix(batch: Batch) -> Iterator[Finding]:
    for _, rows in project_tables(batch):
        as_level1, under_output = _framework_rows(rows)
        if as_level1.any() and under_output.any():
            first = rows[as_level1].iloc[0]
            yield framework_mix.at(
                rows[under_output].iloc[0].to_dict(),
                "level2",
                name=first["name"],
                related=first["level1__cell"],
            )


@rule(
    "BP404",
    "old-cost-framework",
    Severity.INFO,
    title="成本指标用的是旧指标体系",
    message="本表把成本指标“{name}”放在产出指标下（旧指标体系）{batch}",
    hint="按财预〔2021〕101号，成本指标是一级指标，下设经济成本、社会成本、生态环境成本指标；"
    "财政局没有另行要求的，建议改用新的指标体系。",
    advice="建议把“{name}”的一级指标改为“成本指标”、二级指标改为“经济成本指标”"
    "（财预〔2021〕101号）。",
    description="把成本指标作为产出指标下的二级指标，是财预〔2015〕88号的旧指标体系；"
    "财预〔2021〕101号起成本指标是一级指标。定为提示：两套体系都还在用，只建议统一到新体系。",
)
def old_cost_framework(batch: Batch) -> Iterator[Finding]:
    placed = [(_framework_rows(rows), rows) for _, rows in project_tables(batch)]
    new_tables = sum(bool(as_level1.any()) for (as_level1, _), _ in placed)
    for (as_level1, under_output), rows in placed:
        if as_level1.any() or not under_output.any():  # both at once is BP403's
            continue
        first = rows[under_output].iloc[0].to_dict()
        note = f"，本批次已有 {new_tables} 个项目把成本指标作为一级指标" if new_tables else ""
        yield old_cost_framework.at(first, "level2", name=first["name"], batch=note)


def _missing_kind(batch: Batch, kind: str) -> Iterator[tuple[dict[str, Any], str]]:
    """Tables without a `kind` indicator, with the 一级指标 they do have."""
    for record, rows in _classified_tables(batch):
        if not rows["kind"].eq(kind).any():
            yield record, "、".join(rows["kind"].drop_duplicates())


@rule(
    "BP405",
    "output-missing",
    Severity.ERROR,
    title="缺少产出指标",
    message="没有产出指标（已填的一级指标：“{value}”）",
    hint="请增加产出指标，写明项目当年要完成的数量、质量、时效等。",
    description="每个项目至少要有一个产出指标。"
    "定为错误：绩效目标必须有产出指标，预算系统同样要求。",
)
def output_missing(batch: Batch) -> Iterator[Finding]:
    for record, present in _missing_kind(batch, OUTPUT):
        yield output_missing.at(record, "indicators", value=present)


@rule(
    "BP406",
    "benefit-missing",
    Severity.ERROR,
    title="缺少效益指标",
    message="没有效益指标（已填的一级指标：“{value}”）",
    hint="请增加效益指标，写明项目实施后产生的经济、社会、生态效益或可持续影响。",
    description="每个项目至少要有一个效益指标。"
    "定为错误：绩效目标必须有效益指标，预算系统同样要求。",
)
def benefit_missing(batch: Batch) -> Iterator[Finding]:
    for record, present in _missing_kind(batch, BENEFIT):
        yield benefit_missing.at(record, "indicators", value=present)


@rule(
    "BP407",
    "satisfaction-missing",
    Severity.WARNING,
    title="缺少满意度指标",
    message="没有满意度指标（已填的一级指标：“{value}”）",
    hint="请增加服务对象满意度指标（如“受益群众满意度 ≥ 90%”）；"
    "项目确实没有服务对象的，请在报送时说明。",
    advice="请增加一个服务对象满意度指标，如“受益群众满意度 ≥ 90%”；确实没有服务对象的，请在报送"
    "时说明。",
    description="项目一般应设置服务对象满意度指标。"
    "定为警告：一般应有满意度指标，确实没有服务对象的可以说明。",
)
def satisfaction_missing(batch: Batch) -> Iterator[Finding]:
    for record, present in _missing_kind(batch, SATISFACTION):
        yield satisfaction_missing.at(record, "indicators", value=present)


@rule(
    "BP408",
    "output-kinds",
    Severity.INFO,
    title="产出指标不全",
    message="产出指标中没有“{value}”",
    hint="产出指标一般应同时包括数量、质量和时效指标；确实无法设置的可不补。",
    advice="请在产出指标下补充{value}，如“按期完成率 ＝ 100%”“验收合格率 ≥ 95%”；确实无法设置的可"
    "不补。",
    description="产出指标应覆盖数量指标、质量指标和时效指标。"
    "定为提示：最严格的要求才要求三类齐全，只提醒补充。",
    params={"kinds": [QUANTITY, "质量指标", TIMELINESS]},
)
def output_kinds(batch: Batch) -> Iterator[Finding]:
    kinds = output_kinds.param(batch, "kinds")
    for record, rows in _classified_tables(batch):
        output = rows.loc[rows["kind"].eq(OUTPUT), "level2"]
        if output.empty or not output.isin(TAXONOMY[OUTPUT]).all():
            continue  # no 产出 at all is BP405's; an unknown 二级 is BP402's or BP104's
        missing = [k for k in kinds if k not in set(output)]
        if missing:
            yield output_kinds.at(record, "indicators", value="、".join(missing))


@rule(
    "BP409",
    "cost-missing",
    Severity.INFO,
    title="没有成本指标",
    message="没有成本指标（已填的一级指标：“{value}”）",
    hint="可增加成本指标（一级“成本指标”下的经济成本指标，或产出指标下的“成本指标”），"
    "如单位成本、总成本控制数（万元）。",
    advice="可增加一个成本指标，如“单位成本 ≤ ×× 元”“总成本 ≤ ×× 万元”（一级“成本指标”下的经济成"
    "本指标）。",
    description="项目宜设置成本指标（作为一级指标或产出指标下的二级指标均可）。"
    "定为提示：成本指标宜设但不强制。",
)
def cost_missing(batch: Batch) -> Iterator[Finding]:
    for record, rows in _classified_tables(batch):
        as_level1, under_output = _framework_rows(rows)
        if not (as_level1.any() or under_output.any()):
            present = "、".join(rows["kind"].drop_duplicates())
            yield cost_missing.at(record, "indicators", value=present)


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
    indicators = batch.indicators.assign(kind=indicator_kinds(batch.indicators))
    kinds = indicators["kind"]
    words = satisfaction_misfiled.param(batch, "words")
    named = indicators["name"].map(lambda name: any(w in name for w in words))
    outside = named & kinds.ne("") & kinds.ne(SATISFACTION)
    inside = ~named & kinds.eq(SATISFACTION) & ~indicators["name__raw"].map(is_blank)
    for mask, reason, advice in (
        (
            outside,
            "是满意度指标，却填在“{kind}”下",
            "请把“{name}”移到一级“满意度指标”、二级“服务对象满意度指标”下。",
        ),
        (
            inside,
            "填在满意度指标下，但名称不是某类对象的满意度",
            "“{name}”不是满意度：请移到产出或效益指标下；满意度指标下只填服务对象满意度。",
        ),
    ):
        for record in records(indicators[mask]):
            yield satisfaction_misfiled.at(
                record,
                "name",
                reason=reason.format(kind=record["kind"]),
                advice=advice.format(name=record["name"]),
                related=record["level1__cell"],
            )


_COST_NAMES = ["成本", "费用", "经费", "标准", "补贴", "补助", "单价", "价格", "资金"]


@rule(
    "BP411",
    "cost-not-money",
    Severity.WARNING,
    title="成本指标不是金额",
    message="成本指标“{name}”应以金额计量（如元、万元），现为“{value}”",
    hint="经济成本（或产出指标下的成本指标）填项目的成本控制数，如“单位成本 ≤ 80 元/人”"
    "“总成本 ≤ 50 万元”；次数、比率等请移到产出或效益指标下。",
    advice="“{name}”不是成本：请把它移到{move}下；成本指标填成本控制数，如“单位成本 ≤ 80 元/人”。",
    description="经济成本指标和产出指标下的成本指标应以金额（元、万元、亿元、元/人等）计量。"
    "名称和单位都表明不是成本的（次数、比率、人数等）定为警告：指标放错了位置，必须移开。"
    "名称像成本、只是没有以金额计量的，另有提示。社会成本和生态环境成本指标描述对社会、"
    "环境的负面影响，可以是定性或实物量，不检查单位。",
    params={"money_units": ["元", "千元", "万元", "百万元", "亿元"], "cost_names": _COST_NAMES},
    folds=("BP404",),
)
def cost_not_money(batch: Batch) -> Iterator[Finding]:
    for record, costly in _unpriced_costs(batch, cost_not_money):
        if not costly:
            move = "质量指标或时效指标" if record["unit"] in ("%", "‰") else "数量指标"
            shown = record["op__raw"] if is_blank(record["unit__raw"]) else record["unit__raw"]
            yield cost_not_money.at(record, "unit", value=shown, name=record["name"], move=move)


@rule(
    "BP416",
    "cost-not-priced",
    Severity.INFO,
    title="成本指标没有以金额计量",
    message="成本指标“{name}”没有以金额计量（现为“{value}”）",
    hint="成本指标宜写成金额，如“出差补贴标准 ≤ 150 元/人天”，便于与预算和实际支出比较。",
    advice="请把“{name}”写成金额，如“{name} ≤ ×× 元”（计量单位为元或万元）。",
    description="名称是成本、费用、标准一类的成本指标，没有以金额计量（定性或实物单位）。"
    "定为提示：确是成本指标，只是无法与预算比较。",
    params={"money_units": ["元", "千元", "万元", "百万元", "亿元"], "cost_names": _COST_NAMES},
)
def cost_not_priced(batch: Batch) -> Iterator[Finding]:
    for record, costly in _unpriced_costs(batch, cost_not_priced):
        if costly:
            shown = record["op__raw"] if is_blank(record["unit__raw"]) else record["unit__raw"]
            yield cost_not_priced.at(record, "unit", value=shown, name=record["name"])


def _unpriced_costs(batch: Batch, this: Rule) -> Iterator[tuple[dict[str, Any], bool]]:
    """Economic cost rows not in money, and whether their name says they are a cost."""
    indicators = batch.indicators
    kinds = indicator_kinds(indicators)
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
    advice="请删除“{value}”这一行，把它的权重分给其他指标：预算执行率已按“预算执行率权重”单独计分"
    "。",
    description="三级指标不应是预算执行率、预算控制率之类（它们已由预算执行率权重单独计分）。"
    "定为警告：重复计分，必须删除或改写。",
    params={"patterns": ["预算.{0,6}(执行|控制)率", "(资金|经费|支出)(执行|控制)率"]},
    folds=("BP509", "BP514"),
)
def exec_rate_as_indicator(batch: Batch) -> Iterator[Finding]:
    indicators = batch.indicators
    patterns = exec_rate_as_indicator.param(batch, "patterns")
    for record in records(indicators[_matches(indicators["name"], patterns)]):
        yield exec_rate_as_indicator.at(record, "name")


@rule(
    "BP413",
    "level2-misfiled",
    Severity.WARNING,
    title="指标归错了二级指标",
    message="三级指标“{name}”{reason}，不宜归入“{value}”",
    hint="比率一般归入质量指标或效益指标；效益指标写项目带来的效果，完成多少数量属于产出"
    "指标；死亡人数、发案量、发生率等是结果，属于效益指标。",
    advice="请把“{name}”移到{move}下。",
    description="名称和单位都表明归错了二级指标的：数量指标下反映质量、时效或结果的比率（如"
    "合格率、及时率、化解率，覆盖率等不在此列）；效益指标下的产出数量（以“开展”“完成”等"
    "开头或以“数量”结尾，且以个、次等计数）；产出指标下的事故、死亡、发案等结果（质量指标下"
    "的成灾率、发生率一类比率不在此列）。"
    "定为警告：归类影响评价，名称和单位已说明应放在哪里。",
    params={
        "rate_units": ["%", "‰"],
        "rate_endings": RESULT_RATE_ENDINGS,
        "count_units": COUNT_UNITS,
        "output_verbs": OUTPUT_VERBS,
        "output_endings": ["数量"],
        "outcome_words": HARMFUL_WORDS,
        "counter_words": COUNTER_WORDS,
    },
)
def level2_misfiled(batch: Batch) -> Iterator[Finding]:
    indicators = batch.indicators
    kinds = indicator_kinds(indicators)
    param = partial(level2_misfiled.param, batch)
    names, units, level2 = indicators["name"], indicators["unit"], indicators["level2"]
    rate = units.isin(param("rate_units")) & names.str.endswith(tuple(param("rate_endings")))
    output_like = names.str.startswith(tuple(param("output_verbs"))) | names.str.endswith(
        tuple(param("output_endings"))
    )
    outcome = _contains(names, param("outcome_words")) & ~_contains(names, param("counter_words"))
    # A rate of such events under 质量指标 (成灾率, 贫困发生率) is filed so often it stays.
    outcome &= level2.eq(QUANTITY) | ~units.isin(param("rate_units"))
    checks = (
        (
            kinds.eq(OUTPUT) & level2.eq(QUANTITY) & rate,
            "是反映质量、时效或结果的比率（{unit}）",
            "质量指标（或时效指标、效益指标）",
        ),
        (
            kinds.eq(BENEFIT) & units.isin(param("count_units")) & output_like,
            "是产出数量（{unit}）",
            "产出指标的数量指标",
        ),
        (kinds.eq(OUTPUT) & outcome, "是事故、发案一类的结果", "效益指标的社会效益指标"),
    )
    for mask, reason, move in checks:
        for record in records(indicators[mask]):
            yield level2_misfiled.at(
                record,
                "level2",
                name=record["name"],
                reason=reason.format(unit=record["unit"]),
                move=move,
            )


@rule(
    "BP417",
    "timeliness-misfiled",
    Severity.INFO,
    title="时效指标与时间无关",
    message="三级指标“{name}”与时间或及时性无关，不宜归入“{value}”",
    hint="时效指标写完成时间、期限或及时率，如“资金拨付完成时间 ≤ 11 月”“及时发放率 ＝ 100%”。",
    advice="“{name}”看不出与时间有关：如果衡量的是质量，请移到质量指标下；"
    "如果是时效，请在名称中写明时限或及时性。",
    description="时效指标的名称和计量单位都看不出与时间、期限或及时性有关（如“交通设施完好率”）。"
    "定为提示：名称只是提示归类可能有误。",
    params={
        "time_units": ["天", "日", "工作日", "小时", "分钟", "周", "月", "个月", "年", "季度"],
        "time_words": ["时", "期", "限", "日", "天", "月", "年", "季", "周", "进度", "到位"],
    },
)
def timeliness_misfiled(batch: Batch) -> Iterator[Finding]:
    indicators = batch.indicators
    kinds = indicator_kinds(indicators)
    names = indicators["name"]
    time_words = timeliness_misfiled.param(batch, "time_words")
    timely = indicators["unit"].isin(timeliness_misfiled.param(batch, "time_units"))
    timely |= _contains(names, time_words)
    mask = kinds.eq(OUTPUT) & indicators["level2"].eq(TIMELINESS) & names.ne("") & ~timely
    for record in records(indicators[mask]):
        yield timeliness_misfiled.at(record, "level2", name=record["name"])


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
)
def input_as_target(batch: Batch) -> Iterator[Finding]:
    indicators = batch.indicators
    patterns = input_as_target.param(batch, "patterns")
    for record in records(indicators[_matches(indicators["name"], patterns)]):
        yield input_as_target.at(record, "name")


@rule(
    "BP415",
    "benefit-all-qualitative",
    Severity.WARNING,
    title="效益指标全部为定性",
    message="本表{which}，没有可衡量的效益",
    hint="请至少设置一个定量的效益指标（如受益人数、增收金额、达标率），写明比较符号和数值。",
    advice="请至少把一个效益指标写成定量的，如“受益群众人数 ≥ ×× 人”“达标率 ≥ 90%”，写明比较符号"
    "、数值和计量单位。",
    description="效益指标不能全部是定性指标，至少应有一个可量化的效益指标。"
    "定为警告：没有可量化的效益就无法评价效果，必须补充。",
    folds=("BP703",),
)
def benefit_all_qualitative(batch: Batch) -> Iterator[Finding]:
    for _, rows in project_tables(batch):
        benefit = rows[indicator_kinds(rows).eq(BENEFIT)]
        if not benefit.empty and benefit["op"].eq(QUALITATIVE).all():
            first = benefit.iloc[0].to_dict()
            if len(benefit) == 1:
                which = f"唯一的效益指标“{first['name']}”是定性指标"
            else:
                which = f"的 {len(benefit)} 个效益指标都是定性指标（如“{first['name']}”）"
            yield benefit_all_qualitative.at(first, "op", which=which)
