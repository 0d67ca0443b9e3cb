"""BP206, BP81x: the goal and overview text against the indicators and the budget.

A number with a unit in 当年绩效目标 or 项目概述 (35座水库, 不少于12场) is compared with the
indicator that measures the same thing: same kind of unit, and a name whose words the
sentence carries. Precision comes first: a number is only reported when the best-matching
indicator disagrees with it and no other matching indicator (nor their sum) agrees.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..normalize import number_text
from ..schema import FIELDS_BY_KEY
from . import rule
from .base import Batch, Finding, Severity, records
from .commitments import (
    CONFLICT,
    LEAD_IN,
    Judgement,
    Mention,
    batch_measures,
    is_change,
    is_past,
    judge,
    mentions,
)
from .vocab import AMOUNT_TOLERANCE, QUANTITY, spoken_unit

TEXT_FIELDS = ("goals", "overview")  # the goals first: they are this year's promise


@rule(
    "BP811",
    "narrative-contradicts-indicator",
    Severity.WARNING,
    title="文字与指标值不一致",
    message="{label}写“{fragment}”，而指标“{name}”为 {op} {target} {unit}，两者不一致{units}"
    "{parts}",
    hint="请核对文字和指标：指标值填错的改正指标值，文字中的数字有误或已过时的修改文字，"
    "使当年绩效目标、项目概述与绩效指标说的是同一个数。",
    advice="{advice}",
    description="当年绩效目标、项目概述中带单位的数字（如“开展培训12场”）与衡量同一事项的"
    "定量指标（计量单位同类、名称相近）的指标值不一致，或方向相反（文字写“以上”、指标为≤）。"
    "人、人次、户算作同类单位（同一批对象的不同计法），不一致时一并指出。文字为它单列了"
    "数字的指标不再提示可能重复；指标描述的是投入的，一并指出。"
    "定为警告：同一件事写了两个数，必须改正其一。",
    params={"min_overlap": 0.5},
    folds=("BP802", "BP414"),
)
def narrative_contradicts_indicator(batch: Batch) -> Iterator[Finding]:
    min_overlap = float(narrative_contradicts_indicator.param(batch, "min_overlap"))
    for project, key, judgement in conflicts(batch, min_overlap):
        if not promised_zero(judgement):  # BP817's
            yield _contradiction(project, key, judgement)


Conflict = tuple[dict[str, Any], str, Judgement]  # a project, its text field, the verdict


def conflicts(batch: Batch, min_overlap: float) -> list[Conflict]:
    """Each indicator a goal or overview number contradicts, once (the goals first); found
    once for BP811 and BP817."""
    return batch.shared(f"conflicts {min_overlap}", lambda b: list(_conflicts(b, min_overlap)))


def _conflicts(batch: Batch, min_overlap: float) -> Iterator[Conflict]:
    by_project = batch_measures(batch)
    for project in records(batch.projects):
        candidates = [m for m in by_project.get(project["project_id"], []) if m.unit]
        reported: set[int] = set()
        for key in TEXT_FIELDS:
            for mention in mentions(project[key]):
                if is_change(mention) or is_past(mention, batch.year):
                    continue
                judgement = judge(mention, candidates, min_overlap)
                if judgement.verdict != CONFLICT or judgement.measure is None:
                    continue
                if judgement.measure.record["seq"] in reported:
                    continue
                reported.add(judgement.measure.record["seq"])
                yield project, key, judgement


def promised_zero(judgement: Judgement) -> bool:
    """A 数量指标 set to 0 where the text promises a number of it."""
    measure = judgement.measure
    return (
        measure is not None
        and measure.record["level2"] == QUANTITY
        and measure.value == 0
        and judgement.mention.quantity.value > 0
    )


@rule(
    "BP206",
    "narrative-amount",
    Severity.INFO,
    title="文字中的投入金额与预算不同",
    message="{label}写“{fragment}”，与当年预算金额 {budget} 万元不同",
    hint="如果文字中的金额是多年总投入或包含其他资金，可不修改；如果是当年预算，"
    "请与当年预算金额保持一致。",
    description="项目概述、当年绩效目标中写明的计划投入金额（如“计划投入1500万元”"
    "“总投资…万元”“安排资金…万元”）与当年预算金额不同。"
    "定为提示：文字中的金额可能是多年或多渠道资金，只提醒核对。",
    params={
        "phrases": [
            "计划投入",
            "拟投入",
            "共投入",
            "总投入",
            "总投资",
            "安排资金",
            "安排预算",
            "投入资金",
            "预算资金",
            "资金总额",
            "设立",
        ],
        "max_gap": 6,
        "partial_words": ["其中"],
    },
)
def narrative_amount(batch: Batch) -> Iterator[Finding]:
    phrases = tuple(narrative_amount.param(batch, "phrases"))
    max_gap = int(narrative_amount.param(batch, "max_gap"))
    partial_words = tuple(narrative_amount.param(batch, "partial_words"))
    projects = batch.projects[batch.projects["budget"].notna()]
    for project in records(projects):
        for key in ("overview", "goals"):
            for mention in mentions(project[key]):
                if not _planned_amount(mention, phrases, max_gap, partial_words):
                    continue
                if abs(mention.quantity.value / 1e4 - project["budget"]) <= AMOUNT_TOLERANCE:
                    continue
                yield narrative_amount.at(
                    project,
                    key,
                    value=mention.fragment,
                    related=project["budget__cell"],
                    label=FIELDS_BY_KEY[key].label,
                    fragment=mention.fragment,
                    budget=f"{project['budget']:,.2f}",
                )


def _contradiction(project: dict[str, Any], key: str, judgement: Judgement) -> Finding:
    assert judgement.measure is not None
    record, mention = judgement.measure.record, judgement.mention
    units = (
        f"（计量单位也不同：文字用“{mention.quantity.unit.text}”，指标用“{record['unit']}”）"
        if judgement.units_differ
        else ""
    )
    return narrative_contradicts_indicator.at(
        record,
        "target",
        related=project[f"{key}__cell"],
        label=FIELDS_BY_KEY[key].label,
        fragment=mention.fragment,
        name=record["name"],
        op=record["op"],
        target=number_text(record["target_num"]),
        unit=spoken_unit(record["unit"]),
        units=units,
        parts=_parts_note(judgement),
        advice=_contradiction_advice(judgement),
    )


def _contradiction_advice(judgement: Judgement) -> str:
    assert judgement.measure is not None
    record, said = judgement.measure.record, judgement.mention.written
    if judgement.parts:
        return (
            f"请先核对文字中的“{said}”：相关指标合计与它不符，文字写错的改正文字；"
            "指标不全或填错的，补充指标或改正指标值。"
        )
    units = "，并统一计量单位" if judgement.units_differ else ""
    value = f"{record['op']} {number_text(record['target_num'])} {spoken_unit(record['unit'])}"
    return (
        f"如果文字中的“{said}”和指标值“{value}”说的是同一件事，请改正写错的一处（文字或指标值）"
        f"{units}；如果两者范围不同（如专职与全部、全年与一期），请在指标名称或文字中写明范围。"
    )


def _parts_note(judgement: Judgement) -> str:
    """“（相关指标“A”“B”合计 1500 人）” when several indicators may measure the number."""
    if not judgement.parts:
        return ""
    names = "".join(f"“{m.record['name']}”" for m in judgement.parts)
    total = number_text(sum(m.record["target_num"] for m in judgement.parts))
    unit = spoken_unit(judgement.parts[0].record["unit"])
    return f"；相关指标{names}合计 {total} {unit}，也与文字不同"


def _planned_amount(
    mention: Mention, phrases: tuple[str, ...], max_gap: int, partial_words: tuple[str, ...]
) -> bool:
    """A money amount (元, 万元, 亿元 or a bare 万) right after 计划投入/总投资/…, and not
    a part of the whole (其中…)."""
    if mention.quantity.unit.tags - {"元"}:
        return False
    before = LEAD_IN.sub("", mention.before)
    for phrase in phrases:
        at = before.rfind(phrase)
        if at >= 0 and len(before) - at - len(phrase) <= max_gap:
            return not any(word in before[:at] for word in partial_words)
    return False
