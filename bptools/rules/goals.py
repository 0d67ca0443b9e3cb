"""BP812–BP817: what 当年绩效目标 (and 项目概述) promise, against the indicators that
measure it.

A performance target is only as good as its indicators: every quantity a goal commits to
needs an indicator that measures it, a deadline needs a 时效指标, and a goal must commit to
something measurable at all. See `bptools.rules.commitments` for how a commitment is matched
to its indicators; only what no indicator plausibly measures is reported.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from ..normalize import number_text
from ..schema import FIELDS_BY_KEY
from ..textnum import AT_LEAST, AT_MOST, find_quantities
from . import rule
from .base import Batch, Finding, Severity, records
from .commitments import (
    FRAGMENT_CHARS,
    LEAD_IN,
    UNMEASURED,
    Mention,
    batch_measures,
    bigrams,
    deadlines,
    is_change,
    is_execution_rate,
    is_past,
    is_rate,
    judge,
    mentions,
    related_units,
    same,
)
from .deliverables import deliverables
from .deliverables import measured as delivered
from .frames import target_text
from .narrative import conflicts, promised_zero
from .vocab import QUANTITATIVE_OPS, TIMELINESS

GOALS, OVERVIEW = "goals", "overview"
_BOUND_SIGNS = {AT_LEAST: "≥", AT_MOST: "≤"}
# Left out of an example indicator's name: years, quotes, the bound words after a number.
_NOT_A_NAME = re.compile(r"(?:19|20)\d{2}年|[“”\"'「」]|以上|以下|以内|左右|等目标|等")
# What a quote of the goal's words leaves off at its end: 等目标, 等.
_TRAILING_ETC = re.compile(r"等(?:目标|工作|任务)?$")
# Words that open a goal's object, not an indicator's name (针对39个路口, 向市扫黑办报送).
_PREPOSITION = re.compile(r"^(?:针对|对于|对|向|为|给|在)")
# In 项目概述 most numbers describe the project (森林面积57.2万亩); those in a clause that
# says what this year's work will achieve are commitments.
_COMMITMENT_MARKERS = ("计划", "确保", "力争", "争取", "目标", "年内", "完成", "实现")
_SPENDING_WORDS = ("投入", "投资", "安排", "预算", "资金")
# What makes a goal checkable besides numbers and deadlines: a standard or a deliverable.
_STANDARD_WORDS = (
    "标准",
    "验收",
    "投入使用",
    "建成",
    "全覆盖",
    "零",
    "控制在",
    "以内",
    "合格",
    "达标",
)
# A goal that follows a named document (按《国家基本公共卫生服务规范》…) has its standard.
_CITED_DOCUMENT = re.compile(r"《[^》]{2,}》")


@rule(
    "BP812",
    "goal-not-measured",
    Severity.WARNING,
    title="目标内容没有对应指标",
    message="当年绩效目标中的“{value}”没有对应的绩效指标",
    hint="当年绩效目标中每一项量化的承诺都应有衡量它的绩效指标：请增加相应指标，"
    "或从目标中删去当年不再承诺的内容。",
    advice="请增加衡量这项承诺的指标（如“{example}”），或从目标中删去当年不再承诺的内容。",
    description="当年绩效目标中写明数量或比率的承诺（如“开展培训150人次”“化解率达85%以上”），"
    "没有任何指标衡量（没有计量单位同类、名称相关的指标，也没有同一数字的指标）；"
    "承诺建成、投入使用、通过验收的事项（如“文艺家活动中心正式投入使用”），没有名称相关的"
    "指标。同一句中的几项数量一并列出。"
    "定为警告：承诺了却没有指标衡量，评价时无从考核，必须补上或删去承诺。",
    params={"min_overlap": 0.5},
)
def goal_not_measured(batch: Batch) -> Iterator[Finding]:
    min_overlap = float(goal_not_measured.param(batch, "min_overlap"))
    for project, fragments, examples in _unmeasured(batch, GOALS, min_overlap):
        yield goal_not_measured.at(project, GOALS, value=fragments, example=examples)
    by_project = batch_measures(batch)
    for project in records(batch.projects):
        candidates = by_project.get(project["project_id"], [])
        for promised in deliverables(project[GOALS], batch.year):
            if not delivered(promised, candidates):
                yield goal_not_measured.at(
                    project, GOALS, value=promised.clause, example=promised.example
                )


@rule(
    "BP813",
    "overview-not-measured",
    Severity.INFO,
    title="概述中的承诺没有对应指标",
    message="项目概述中的“{value}”没有对应的绩效指标",
    hint="项目概述中写明的当年要完成的数量，一般也应在当年绩效目标和绩效指标中体现。",
    advice="如果“{value}”是当年要完成的工作，请写进当年绩效目标并增加指标（如“{example}”）；"
    "如果只是项目背景，可不修改。",
    description="项目概述中说明当年要完成（计划、确保、完成、实现……）的数量，没有任何指标衡量，"
    "当年绩效目标中也没有写。"
    "定为提示：概述中的数字也可能只是项目背景。",
    params={"min_overlap": 0.5},
)
def overview_not_measured(batch: Batch) -> Iterator[Finding]:
    min_overlap = float(overview_not_measured.param(batch, "min_overlap"))
    for project, fragments, examples in _unmeasured(batch, OVERVIEW, min_overlap):
        yield overview_not_measured.at(project, OVERVIEW, value=fragments, example=examples)


@rule(
    "BP814",
    "deadline-without-timeliness",
    Severity.WARNING,
    title="目标有完成时限但没有时效指标",
    message="当年绩效目标写了完成时限（“{value}”），但没有时效指标",
    hint="目标写了完成时限的，请在产出指标下增加时效指标，如“资金拨付完成时间 ≤ 11 月”"
    "或“按期完成率 ＝ 100%”。",
    advice="请在产出指标下增加时效指标衡量“{first}”这一时限，如“{task}按时完成率 ＝ 100%”"
    "或“{task}完成时间 ≤ {month}”。",
    description="当年绩效目标写明了完成时限（如“11月底完成”“8月发放”），而指标中没有时效指标。"
    "只写“12月底前完成”“年底完成”的不算：那只是说预算年度内完成。"
    "定为警告：时限无从考核，必须增加时效指标。",
)
def deadline_without_timeliness(batch: Batch) -> Iterator[Finding]:
    levels = batch.indicators.groupby("project_id")["level2"].agg(set)
    for project in records(batch.projects):
        if TIMELINESS in levels.get(project["project_id"], set()):
            continue
        found = [d for d in deadlines(project[GOALS], batch.year) if not _YEAR_END.search(d)]
        if found:
            yield deadline_without_timeliness.at(
                project,
                GOALS,
                value="、".join(dict.fromkeys(found)),
                related=project["indicators__cell"],
                first=found[0],
                month=_month(found[0]),
                task=_task(project[GOALS], found[0]),
            )


@rule(
    "BP815",
    "goal-not-measurable",
    Severity.WARNING,
    title="当年绩效目标无法衡量",
    message="当年绩效目标没有写明任何数量、完成时限或标准，评价时无法判断是否实现",
    hint="请把当年要做的事写成可衡量的目标：做多少（数量、比率）、什么时候完成、达到什么"
    "标准，如“10月底前完成××项目建设并通过验收，服务对象覆盖率达到95%以上”。",
    advice="{advice}",
    description="当年绩效目标中既没有带单位的数字或比率，也没有完成时限，也没有可核实的标准"
    "（达到××标准、通过验收、投入使用、控制在××以内、按《××规范》等），只有“进一步提高”“顺利开展”之类的"
    "方向性表述。"
    "定为警告：目标无法衡量，评价时无从判断，必须改写。",
)
def goal_not_measurable(batch: Batch) -> Iterator[Finding]:
    projects = batch.projects
    indicators = batch.indicators
    quantified = indicators[indicators["op"].isin(QUANTITATIVE_OPS) & indicators["name"].ne("")]
    targets_of: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for record in records(quantified):
        targets_of[record["project_id"]].append(record)
    for project in records(projects[projects[GOALS].ne("")]):
        text = project[GOALS]
        if find_quantities(text) or deadlines(text, batch.year):
            continue
        if any(word in text for word in _STANDARD_WORDS) or _CITED_DOCUMENT.search(text):
            continue
        targets = [target_text(r) for r in targets_of.get(project["project_id"], [])][:2]
        if targets:
            advice = (
                "请把本表指标的目标写进当年绩效目标，写明做多少、什么时候完成、达到什么标准，"
                f"如“{'，'.join(targets)}”。"
            )
        else:
            advice = goal_not_measurable.hint
        yield goal_not_measurable.at(project, GOALS, value=_cut(text), advice=advice)


@rule(
    "BP816",
    "overview-goals-differ",
    Severity.INFO,
    title="概述与目标的数字不同",
    message="项目概述写“{overview}”，当年绩效目标写“{value}”，两处数字不同",
    hint="项目概述和当年绩效目标说的是同一件事时，数字应当一致：请核对后改正其中一处。",
    advice="请核对“{overview}”和“{value}”，改正写错的一处。",
    description="项目概述和当年绩效目标中衡量同一事项（单位同类、说法相近）的数字不一致，"
    "如概述写“死亡率下降50%以上”、目标写“下降60%以上”。"
    "定为提示：两处文字不一致，请部门核对。",
    params={"min_overlap": 0.6},
)
def overview_goals_differ(batch: Batch) -> Iterator[Finding]:
    min_overlap = float(overview_goals_differ.param(batch, "min_overlap"))
    for project in records(batch.projects):
        goals = [m for m in mentions(project[GOALS]) if not is_past(m, batch.year)]
        for told in mentions(project[OVERVIEW]):
            if is_past(told, batch.year):
                continue
            other = _differing(told, goals, min_overlap)
            if other is not None:
                yield overview_goals_differ.at(
                    project,
                    GOALS,
                    value=other.fragment,
                    overview=told.fragment,
                    related=project[f"{OVERVIEW}__cell"],
                )


@rule(
    "BP817",
    "promised-output-zero",
    Severity.ERROR,
    title="目标承诺的数量指标为 0",
    message="{label}写“{fragment}”，而数量指标“{name}”的指标值为 {op} 0，等于不做",
    hint="数量指标的指标值应是当年要完成的数量：请按目标填写；如果当年确实不做，"
    "请同时修改当年绩效目标，并删除该指标、重新分配权重。",
    advice="请把指标“{name}”的指标值改为目标中的数量（如 {op} {number}）；如果当年确实不做，"
    "请同时修改当年绩效目标。",
    description="当年绩效目标（或项目概述）承诺了某项产出的数量，衡量它的数量指标却是 ＝0、"
    "≤0 或 ≥0：两者矛盾，必须改正其一。取代同一指标上的“数量指标目标为 0”和"
    "“文字与指标值不一致”。"
    "定为错误：目标与指标互相矛盾。",
    params={"min_overlap": 0.5},
    folds=("BP512", "BP811"),
)
def promised_output_zero(batch: Batch) -> Iterator[Finding]:
    min_overlap = float(promised_output_zero.param(batch, "min_overlap"))
    for project, key, judgement in conflicts(batch, min_overlap):
        if not promised_zero(judgement) or judgement.measure is None:
            continue
        record, mention = judgement.measure.record, judgement.mention
        yield promised_output_zero.at(
            record,
            "target",
            related=project[f"{key}__cell"],
            label=FIELDS_BY_KEY[key].label,
            fragment=mention.fragment,
            name=record["name"],
            op=record["op"],
            number=_typed_number(mention),
        )


def _unmeasured(
    batch: Batch, key: str, min_overlap: float
) -> Iterator[tuple[dict[str, Any], str, str]]:
    """Per project, the commitments of `key` that no indicator measures, one group per
    sentence: their fragments and an example indicator for the first."""
    by_project = batch_measures(batch)
    for project in records(batch.projects):
        candidates = by_project.get(project["project_id"], [])
        promised = _commitments(project, key, batch.year)
        if key == OVERVIEW:
            goals = _commitments(project, GOALS, batch.year)
            promised = [m for m in promised if not _told(m, goals)]
        groups: dict[int, list[Mention]] = defaultdict(list)
        for mention in promised:
            if judge(mention, candidates, min_overlap).verdict == UNMEASURED:
                groups[mention.sentence].append(mention)
        for group in groups.values():
            yield project, _quoted(project[key], group), _example(group[0])


def _quoted(text: str, group: Sequence[Mention]) -> str:
    """The words of one sentence to quote for its mentions: the whole stretch from the first
    to the last when it is short, else each fragment (“A”、“B” once in the message)."""
    pieces = [m.fragment.removeprefix("…") for m in group]
    start = end = text.find(pieces[0])
    for piece in pieces:
        found = text.find(piece, end)
        if found < 0 or start < 0:
            start = -1
            break
        end = found + len(piece)
    lead = "…" if group[0].fragment.startswith("…") else ""
    if start >= 0 and end - start <= 2 * FRAGMENT_CHARS:
        return lead + _TRAILING_ETC.sub("", text[start:end])
    return "”、“".join(_TRAILING_ETC.sub("", m.fragment) for m in group)


def _commitments(project: dict[str, Any], key: str, year: int | None) -> list[Mention]:
    """The quantities of a text that are this year's commitments: written in digits (a
    numeral in words names a programme: “三千名流”, “五个一”), not history, not the budget
    execution rate, not an amount of money to spend, not a count of targets (4个100%).
    In 项目概述, only those in a clause that says what the year will achieve."""
    found = []
    for mention in mentions(project[key]):
        if not mention.arabic or mention.adjacent or is_past(mention, year):
            continue
        if is_execution_rate(mention) or _spending(mention, key):
            continue
        if key == OVERVIEW and (is_change(mention) or not _committing(mention)):
            continue
        found.append(mention)
    return found


def _spending(mention: Mention, key: str) -> bool:
    """Money to be spent (计划投入1500万元) is the budget, not a result."""
    if mention.quantity.unit.tags - {"元"}:
        return False
    return key == OVERVIEW or any(word in mention.clause for word in _SPENDING_WORDS)


def _committing(mention: Mention) -> bool:
    return any(word in mention.clause for word in _COMMITMENT_MARKERS)


def _told(mention: Mention, others: Sequence[Mention]) -> bool:
    """The goals carry the same number in a related unit."""
    quantity = mention.quantity
    return any(
        related_units(quantity.unit, o.quantity.unit) and same(quantity.value, o.quantity.value)
        for o in others
    )


def _differing(told: Mention, goals: Sequence[Mention], min_overlap: float) -> Mention | None:
    """The goal mention about the same thing as `told` with another number, if the goals
    state that thing only so."""
    words = bigrams(LEAD_IN.sub("", told.before))
    if not words:
        return None
    same_thing = []
    for goal in goals:
        if not related_units(told.quantity.unit, goal.quantity.unit):
            continue
        theirs = bigrams(LEAD_IN.sub("", goal.before))
        if theirs and len(words & theirs) / len(words | theirs) >= min_overlap:
            same_thing.append(goal)
    if not same_thing or any(same(g.quantity.value, told.quantity.value) for g in same_thing):
        return None
    return same_thing[0]


def _example(mention: Mention) -> str:
    """An indicator for the mention, as a department would write it: 接待客商 ≥ 100 批次."""
    before = _PREPOSITION.sub("", LEAD_IN.sub("", mention.before))
    after = mention.after.removeprefix("的")
    if not _NOT_A_NAME.sub("", before).strip() and after and not is_rate(mention.quantity.unit):
        after += "数"  # 针对39个重要交通路口 -> 重要交通路口数 ≥ 39 个
    subject = _NOT_A_NAME.sub("", before + after).strip("，、 ：:") or "（指标名称）"
    number = _typed_number(mention)
    full = number == "100" and is_rate(mention.quantity.unit)
    sign = "＝" if full else _BOUND_SIGNS.get(mention.quantity.bound, "≥")
    return f"{subject} {sign} {number} {mention.quantity.unit.text}"


def _typed_number(mention: Mention) -> str:
    quantity = mention.quantity
    return number_text(quantity.value / quantity.unit.factor)


# A deadline at the end of the budget year only says the work is done within the year.
_YEAR_END = re.compile(
    r"^(?:\d{4}\s*年\s*)?(?:(?:12|十二)\s*月\s*(?:底|末|份|31\s*[日号])?|年\s*[底末])"
    r"\s*(?:前|以前|之前)?$"
)


def _task(text: str, deadline: str) -> str:
    """What is to be done by the deadline: 缙云英才待遇资金拨付 in “11月底完成缙云英才待遇
    资金拨付”; “各项工作” when the clause names nothing."""
    after = text[text.find(deadline) + len(deadline) :]
    clause = re.split(r"[，,。；;：:！!？?\n]", after, maxsplit=1)[0]
    task = _TASK_LEAD.sub("", clause).strip()
    return task[:20] if len(task) >= 2 else "各项工作"


_TASK_LEAD = re.compile(r"^(?:以前|之前|前)?(?:全面|全部)?(?:完成|实现)?")


def _month(deadline: str) -> str:
    """“11 月” from 11月底前; the deadline itself when it names no month."""
    month = deadline.partition("月")[0]
    return f"{month[-2:].lstrip('年')} 月" if "月" in deadline else deadline


def _cut(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit] + "…"
