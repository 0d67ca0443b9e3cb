"""BP206, BP81x: the goal and overview text against the indicators and the budget.

A number with a unit in 当年绩效目标 or 项目概述 (35座水库, 不少于12场) is compared with the
indicator that measures the same thing: same kind of unit, and a name whose words the
sentence carries. Precision comes first: a number is only reported when the best-matching
indicator disagrees with it and no other matching indicator (nor their sum) agrees.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..normalize import number_text
from ..schema import FIELDS_BY_KEY, OPERATORS, QUALITATIVE
from ..textnum import AT_LEAST, AT_MOST, Quantity, Unit, find_quantities, parse_unit
from . import rule
from .base import Batch, Finding, Severity, records

TEXT_FIELDS = ("goals", "overview")  # the goals first: they are this year's promise
AMOUNT_TOLERANCE = 0.005  # 万元, half the last printed digit
FRAGMENT_CHARS = 40

_LOWER_OPS, _UPPER_OPS = {"≥", "＞"}, {"≤", "＜"}
_QUANTITATIVE_OPS = [op for op in OPERATORS if op != QUALITATIVE]
_CLAUSE_END = re.compile(r"[，,。；;：:！!？?\n]|(?<!\d)\.|\.(?!\d)")
_ITEM_END = re.compile(r"[，,。；;：:！!？?\n、]|(?<!\d)\.|\.(?!\d)")
_ITEM_NUMBER = re.compile(r"^\s*[（(]?(?:\d{1,2}|[一二三四五六七八九十]+)[.．、)）]")
_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
_WORDS = re.compile(r"[\u4e00-\u9fffA-Za-z]+")
# Words between a subject and its number: 化解率达到100%, 面积不低于4万亩.
_LEAD_IN = re.compile(r"(达到|达|为|了|到|约|共|共计|合计|不少于|不低于|超过|大于|高于)$")


@dataclass(frozen=True)
class Mention:
    """A quantity in a text field and the words around it: its clause, up to the
    neighbouring quantities (宣传次数达17次 in “…、宣传次数达17次、宣传品份数3万份”)."""

    quantity: Quantity
    before: str
    written: str  # the number, unit and bound as written
    after: str
    clause: str  # the whole clause, up to the punctuation that ends it

    @property
    def fragment(self) -> str:
        """The words quoted to the department, cut on the left when long."""
        keep = max(FRAGMENT_CHARS - len(self.written) - len(self.after), 0)
        before = self.before if len(self.before) <= keep else "…" + self.before[-keep:]
        return before + self.written + self.after


@dataclass(frozen=True)
class Measure:
    """A quantitative indicator: its record, unit, value in base units and name bigrams."""

    record: dict[str, Any]
    unit: Unit
    value: float
    key: frozenset[str]


@rule(
    "BP811",
    "narrative-contradicts-indicator",
    Severity.WARNING,
    title="文字与指标值不一致",
    message="{label}写“{fragment}”，而指标“{name}”为 {op} {target} {unit}，两者不一致",
    hint="请核对文字和指标：指标值填错的改正指标值，文字中的数字有误或已过时的修改文字，"
    "使当年绩效目标、项目概述与绩效指标说的是同一个数。",
    description="当年绩效目标、项目概述中带单位的数字（如“开展培训12场”）与衡量同一事项的"
    "定量指标（计量单位相同、名称相近）的指标值不一致，或方向相反（文字写“以上”、指标为≤）。",
    params={
        "min_overlap": 0.5,
        "stop_words": [
            "数量",
            "人数",
            "次数",
            "户数",
            "个数",
            "件数",
            "份数",
            "场次",
            "人次",
            "批次",
            "总数",
            "面积",
            "长度",
            "金额",
            "开展",
            "完成",
            "全年",
            "年度",
            "当年",
            "全区",
            "累计",
        ],
        "change_words": ["下降", "降低", "减少", "提高", "提升", "增长", "增加", "上升"],
        "past_words": ["去年", "上年", "上一年", "往年", "历年", "以往", "近年"],
    },
)
def narrative_contradicts_indicator(batch: Batch) -> Iterator[Finding]:
    this = narrative_contradicts_indicator
    min_overlap = float(this.param(batch, "min_overlap"))
    stop_words = sorted(this.param(batch, "stop_words"), key=len, reverse=True)
    change_words = tuple(this.param(batch, "change_words"))
    past_words = tuple(this.param(batch, "past_words"))
    measures = _measures(batch.indicators, stop_words)
    for project in records(batch.projects):
        candidates = measures.get(project["project_id"], [])
        if not candidates:
            continue
        reported: set[int] = set()
        for key in TEXT_FIELDS:
            for mention in mentions(project[key]):
                if _is_change(mention, change_words) or _is_past(mention, batch.year, past_words):
                    continue
                measure = _contradicted(mention, candidates, min_overlap)
                if measure is None or measure.record["seq"] in reported:
                    continue
                reported.add(measure.record["seq"])
                yield _contradiction(project, key, mention, measure)


@rule(
    "BP206",
    "narrative-amount",
    Severity.INFO,
    title="文字中的投入金额与预算不同",
    message="{label}写“{fragment}”，与当年预算金额 {budget} 万元不同",
    hint="如果文字中的金额是多年总投入或包含其他资金，可不修改；如果是当年预算，"
    "请与当年预算金额保持一致。",
    description="项目概述、当年绩效目标中写明的计划投入金额（如“计划投入1500万元”"
    "“总投资…万元”“安排资金…万元”）与当年预算金额不同。",
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


def mentions(text: object) -> list[Mention]:
    """The quantities of a text, each with the words that say what it counts."""
    if not isinstance(text, str):
        return []
    found = find_quantities(text)
    result = []
    for index, quantity in enumerate(found):
        previous_end = found[index - 1].end if index else 0
        next_start = found[index + 1].start if index + 1 < len(found) else len(text)
        clause_start = max(
            (m.end() for m in _CLAUSE_END.finditer(text, 0, quantity.start)), default=0
        )
        item_end = _ITEM_END.search(text, quantity.end)
        after_end = min(next_start, item_end.start() if item_end else len(text))
        clause_end = _CLAUSE_END.search(text, quantity.end)
        clause = text[clause_start : clause_end.start() if clause_end else len(text)]
        before = text[max(clause_start, previous_end) : quantity.start]
        if previous_end > clause_start:
            # 对114条河流、35座水库: the words before 、 belong to the previous number.
            before = before.rpartition("、")[2]
        if clause_start == 0 or text[clause_start - 1] == "\n":
            before = _ITEM_NUMBER.sub("", before)
        before = before.lstrip("、 ")
        written = text[quantity.start : quantity.end]
        after = text[quantity.end : after_end]
        result.append(Mention(quantity, before, written, after, clause))
    return result


def _measures(indicators: pd.DataFrame, stop_words: Sequence[str]) -> dict[Any, list[Measure]]:
    quantitative = indicators["op"].isin(_QUANTITATIVE_OPS) & indicators["target_num"].notna()
    by_project: dict[Any, list[Measure]] = {}
    for record in records(indicators[quantitative]):
        unit = parse_unit(record["unit"])
        key = _name_key(record["name"], stop_words)
        if unit is None or not key:
            continue
        measure = Measure(record, unit, record["target_num"] * unit.factor, key)
        by_project.setdefault(record["project_id"], []).append(measure)
    return by_project


def _name_key(name: str, stop_words: Sequence[str]) -> frozenset[str]:
    """The bigrams of an indicator's name that say what it counts: measure words (人数,
    面积) and filler (开展, 全年) removed, and a final 数 (管护水库数)."""
    for word in stop_words:
        name = name.replace(word, " ")
    runs = [run.removesuffix("数") for run in _WORDS.findall(name)]
    return frozenset(bigram for run in runs for bigram in _bigrams(run))


def _bigrams(text: str) -> set[str]:
    return {run[i : i + 2] for run in _WORDS.findall(text) for i in range(len(run) - 1)}


def _is_change(mention: Mention, change_words: tuple[str, ...]) -> bool:
    """A rate of change (死亡率下降50%以上) is no level an indicator states."""
    if not mention.quantity.unit.tags & {"%", "‰"}:
        return False
    return _LEAD_IN.sub("", mention.before).endswith(change_words)


def _is_past(mention: Mention, year: int | None, past_words: tuple[str, ...]) -> bool:
    """A clause about another year (2022年完成…, 去年…) is history, not this year's target."""
    if any(word in mention.clause for word in past_words):
        return True
    years = {int(found) for found in _YEAR.findall(mention.clause)}
    return bool(years - {year})


def _contradicted(mention: Mention, measures: list[Measure], min_overlap: float) -> Measure | None:
    """The indicator the mention contradicts, if it measures the same thing and no
    other matching indicator, nor the sum of them all, agrees with the text."""
    words = _bigrams(mention.before + " " + mention.after)
    scored = []
    for measure in measures:
        if not mention.quantity.unit.comparable(measure.unit):
            continue
        shared = len(measure.key & words)
        overlap = shared / len(measure.key)
        if overlap >= min_overlap:
            scored.append((overlap, shared, measure))
    if not scored:
        return None
    matching = [measure for _, _, measure in scored]
    if any(_agrees(mention.quantity, measure) for measure in matching):
        return None
    if len(matching) > 1 and _same(sum(m.value for m in matching), mention.quantity.value):
        return None
    return max(scored, key=lambda item: item[:2])[2]


def _agrees(quantity: Quantity, measure: Measure) -> bool:
    """The same number, and not bounds in opposite directions (以上 against ≤)."""
    op = measure.record["op"]
    opposite = (quantity.bound == AT_LEAST and op in _UPPER_OPS) or (
        quantity.bound == AT_MOST and op in _LOWER_OPS
    )
    return _same(quantity.value, measure.value) and not opposite


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def _contradiction(
    project: dict[str, Any], key: str, mention: Mention, measure: Measure
) -> Finding:
    record = measure.record
    return narrative_contradicts_indicator.at(
        record,
        "target",
        related=project[f"{key}__cell"],
        label=FIELDS_BY_KEY[key].label,
        fragment=mention.fragment,
        name=record["name"],
        op=record["op"],
        target=number_text(record["target_num"]),
        unit=record["unit"],
    )


def _planned_amount(
    mention: Mention, phrases: tuple[str, ...], max_gap: int, partial_words: tuple[str, ...]
) -> bool:
    """A money amount (元, 万元, 亿元 or a bare 万) right after 计划投入/总投资/…, and not
    a part of the whole (其中…)."""
    if mention.quantity.unit.tags - {"元"}:
        return False
    before = _LEAD_IN.sub("", mention.before)
    for phrase in phrases:
        at = before.rfind(phrase)
        if at >= 0 and len(before) - at - len(phrase) <= max_gap:
            return not any(word in before[:at] for word in partial_words)
    return False
