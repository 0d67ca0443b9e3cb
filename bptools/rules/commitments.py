"""What the goal and overview texts commit to, and which indicators measure it.

A commitment is a number with a unit (开展培训150人次, 慰问1600人次), a rate (化解率达85%以上),
or a deadline (11月底完成). Each quantity is judged against the project's indicators:

- agrees: an indicator that measures the same thing (a related unit and a name whose word
  pairs the sentence carries) has the same number, or several such add up to it;
- conflict: the indicator that measures it states another number;
- related: no indicator clearly measures it, but one plausibly does (shares two word pairs,
  or the same number in a related unit): precision first, nothing is reported;
- unmeasured: no indicator has anything to do with it.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..textnum import AT_LEAST, AT_MOST, Quantity, Unit, find_quantities, parse_unit
from .base import Batch, records
from .vocab import (
    CHANGE_WORDS,
    EXECUTION_RATE_WORDS,
    GENERIC_PAIRS,
    LOWER_BOUNDS,
    NAME_STOP_WORDS,
    PAST_WORDS,
    QUANTITATIVE_OPS,
    RATE_UNITS,
    UPPER_BOUNDS,
)

FRAGMENT_CHARS = 40
# A name that shares this share of its characters with the words before a number in the
# same unit measures that number, even when they share few word pairs.
STRONG_ALIKE = 0.6
AGREES, CONFLICT, RELATED, UNMEASURED = "agrees", "conflict", "related", "unmeasured"

_CLAUSE_END = re.compile(r"[，,。；;：:！!？?\n]|(?<!\d)\.|\.(?!\d)")
_ITEM_END = re.compile(r"[，,。；;：:！!？?\n、]|(?<!\d)\.|\.(?!\d)")
_SENTENCE_END = re.compile(r"[。；;！!？?\n]")
_ITEM_NUMBER = re.compile(r"^\s*[（(]?(?:\d{1,2}|[一二三四五六七八九十]+)[.．、)）]")
_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
_TRAILING_JOIN = re.compile(r"(?:以及|和|及|与|并)$")
_WORDS = re.compile(r"[\u4e00-\u9fffA-Za-z]+")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# Words between a subject and its number: 化解率达到100%, 面积不低于4万亩.
LEAD_IN = re.compile(r"(达到|达|为|了|到|约|共|共计|合计|不少于|不低于|超过|大于|高于)$")
# Counts of people (and households) are one family: a goal in 人次 and an indicator in 户
# count the same beneficiaries differently; so are items (个, 项, 件).
_FAMILIES = (frozenset({"人", "人次", "户", "户次"}), frozenset({"个", "项", "件"}))


@dataclass(frozen=True)
class Mention:
    """A quantity in a text field and the words around it: its clause, up to the
    neighbouring quantities (宣传次数达17次 in “…、宣传次数达17次、宣传品份数3万份”)."""

    quantity: Quantity
    before: str
    written: str  # the number, unit and bound as written
    after: str
    clause: str  # the whole clause, up to the punctuation that ends it
    sentence: int  # which sentence of the text (split at 。；and line breaks) holds it
    context: str = ""  # the clause before, when this one names no subject (…测评，达到90%以上)
    arabic: bool = True  # written in digits (三千名流, “五个一” are names, not targets)
    adjacent: bool = False  # touching another quantity (4个100%)

    @property
    def fragment(self) -> str:
        """The words quoted to the department, cut on the left when long."""
        after = _TRAILING_JOIN.sub("", self.after)  # 设立300万风险补偿金和(100万…)
        keep = max(FRAGMENT_CHARS - len(self.written) - len(after), 0)
        before = self.before if len(self.before) <= keep else "…" + self.before[-keep:]
        return before + self.written + after

    @property
    def words(self) -> set[str]:
        return bigrams(" ".join((self.context, self.before, self.after)))


@dataclass(frozen=True)
class Measure:
    """An indicator as a commitment's possible measure: its record, its unit and value in
    base units (None for a 定性 row or a unit we cannot read) and its name's word pairs."""

    record: dict[str, Any]
    unit: Unit | None
    value: float
    key: frozenset[str]


@dataclass(frozen=True)
class Judgement:
    mention: Mention
    verdict: str
    measure: Measure | None = None  # the indicator a conflict is with
    parts: tuple[Measure, ...] = ()  # several indicators that together may measure it

    @property
    def units_differ(self) -> bool:
        """A conflict across units of one family (1600人次 against 1200 户)."""
        unit = self.measure.unit if self.measure else None
        return unit is not None and not self.mention.quantity.unit.comparable(unit)


def mentions(text: object) -> list[Mention]:
    """The quantities of a text, each with the words that say what it counts."""
    return list(_mentions(text)) if isinstance(text, str) else []


@functools.lru_cache(maxsize=8192)  # several rules read the same goal and overview texts
def _mentions(text: str) -> tuple[Mention, ...]:
    found = find_quantities(text)
    sentence_starts = [0] + [m.end() for m in _SENTENCE_END.finditer(text)]
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
        sentence = sum(1 for start in sentence_starts if start <= quantity.start) - 1
        context = ""
        if len(bigrams(LEAD_IN.sub("", before))) < 1 and clause_start > 0:
            previous = max(
                (m.end() for m in _CLAUSE_END.finditer(text, 0, clause_start - 1)), default=0
            )
            context = text[previous : clause_start - 1]
        touching = (index and found[index - 1].end == quantity.start) or (
            index + 1 < len(found) and found[index + 1].start == quantity.end
        )
        result.append(
            Mention(
                quantity,
                before,
                written,
                after,
                clause,
                sentence,
                context,
                written[:1].isdigit(),
                bool(touching),
            )
        )
    return tuple(result)


def batch_measures(batch: Batch) -> dict[Any, list[Measure]]:
    """`measures` of the batch's indicators, found once for the rules that use them."""
    return batch.shared("measures", lambda b: measures(b.indicators))


def measures(indicators: pd.DataFrame) -> dict[Any, list[Measure]]:
    """Every named indicator of each project as a possible measure."""
    by_project: dict[Any, list[Measure]] = {}
    for record in records(indicators[indicators["name"].ne("")]):
        key = name_key(record["name"])
        if not key:
            continue
        unit = parse_unit(record["unit"]) if record["op"] in QUANTITATIVE_OPS else None
        number = record["target_num"]
        value = number * unit.factor if unit is not None and not math.isnan(number) else math.nan
        by_project.setdefault(record["project_id"], []).append(
            Measure(record, unit if not math.isnan(value) else None, value, key)
        )
    return by_project


def name_key(name: str, stop_words: Sequence[str] = NAME_STOP_WORDS) -> frozenset[str]:
    """The word pairs of an indicator's name that say what it counts: measure words (人数,
    面积) and filler (开展, 全年) removed, and a final 数 (管护水库数)."""
    for word in sorted(stop_words, key=len, reverse=True):
        name = name.replace(word, " ")
    runs = [run.removesuffix("数") for run in _WORDS.findall(name)]
    return frozenset(pair for run in runs for pair in bigrams(run))


def bigrams(text: str) -> set[str]:
    return {run[i : i + 2] for run in _WORDS.findall(text) for i in range(len(run) - 1)}


def related_units(a: Unit, b: Unit) -> bool:
    """Units that can count the same thing: comparable ones, or one family's."""
    return a.comparable(b) or any(a.tags & f and b.tags & f for f in _FAMILIES)


def is_rate(unit: Unit) -> bool:
    return bool(unit.tags & set(RATE_UNITS))


def is_change(mention: Mention) -> bool:
    """A rate of change (死亡率下降50%以上) is no level an indicator states."""
    return is_rate(mention.quantity.unit) and LEAD_IN.sub("", mention.before).endswith(
        CHANGE_WORDS
    )


def is_past(mention: Mention, year: int | None) -> bool:
    """A clause about another year (2022年完成…, 去年…) is history, not this year's target."""
    if any(word in mention.clause for word in PAST_WORDS):
        return True
    years = {int(found) for found in _YEAR.findall(mention.clause)}
    return bool(years - {year})


def is_execution_rate(mention: Mention) -> bool:
    """预算执行率 is scored on its own weight: no indicator is expected to measure it."""
    return any(word in mention.clause for word in EXECUTION_RATE_WORDS)


def judge(mention: Mention, candidates: Sequence[Measure], min_overlap: float) -> Judgement:
    """How the project's indicators measure the mention (see the module docstring)."""
    quantity, words = mention.quantity, mention.words
    generic = generic_pairs(candidates)
    strong: list[tuple[float, int, Measure]] = []
    related = False
    for measure in candidates:
        common = measure.key & words
        shared = len(common)
        overlap = shared / len(measure.key)
        kin = measure.unit is not None and related_units(quantity.unit, measure.unit)
        alike = _alike(mention, measure) if common - generic else 0.0
        if kin and overlap >= min_overlap:
            strong.append((overlap, shared, measure))
        elif kin and alike >= STRONG_ALIKE and quantity.unit.comparable(measure.unit):
            # 命案侦破率 and 现行命案破案率, 专职协管员 and 食品药品协管员人员
            strong.append((alike * min_overlap, shared, measure))
        else:
            specific = alike >= min_overlap
            related = related or _plausible(
                measure, quantity, shared, specific, overlap >= min_overlap
            )
    if not strong:
        if related or _adds_up(quantity, candidates, words):
            return Judgement(mention, RELATED)
        return Judgement(mention, UNMEASURED)
    matching = [measure for *_, measure in strong]
    if any(agrees(quantity, measure) for measure in matching):
        return Judgement(mention, AGREES)
    if len(matching) > 1 and same(sum(m.value for m in matching), quantity.value):
        return Judgement(mention, AGREES)
    best = max(strong, key=lambda item: item[:2])[2]
    return Judgement(mention, CONFLICT, best, _parts(quantity, best, candidates, words - generic))


def _parts(
    quantity: Quantity, best: Measure, candidates: Iterable[Measure], words: set[str]
) -> tuple[Measure, ...]:
    """The counts in `best`'s unit that share a specific word pair with the sentence,
    when there are several (住院救助人数 and 服药救助人数 for 住院和服药救助15500人次)."""
    assert best.unit is not None
    if is_rate(best.unit):
        return ()  # rates do not add up
    parts = tuple(
        m
        for m in candidates
        if m.unit is not None and best.unit.comparable(m.unit) and m.key & words
    )
    return parts if len(parts) > 1 and best in parts else ()


def _adds_up(quantity: Quantity, candidates: Iterable[Measure], words: set[str]) -> bool:
    """Several indicators in a related unit, each sharing a word pair with the sentence,
    add up to the number (托养500人次: 居家托养 450 and 机构托养 50)."""
    parts = [
        m.value
        for m in candidates
        if m.unit is not None and related_units(quantity.unit, m.unit) and m.key & words
    ]
    return len(parts) > 1 and same(sum(parts), quantity.value)


def _plausible(
    measure: Measure, quantity: Quantity, shared: int, specific: bool, overlapping: bool
) -> bool:
    """Could measure the quantity: in a related unit, two word pairs in common, or one that
    is not common to the project's indicators, or the same number (not for rates: 90% is
    everyone's number); in any unit, a name that largely matches."""
    if measure.unit is not None and related_units(quantity.unit, measure.unit):
        same_number = same(measure.value, quantity.value) and not is_rate(quantity.unit)
        return shared >= 2 or specific or same_number
    return shared >= 2 and overlapping


def _alike(mention: Mention, measure: Measure) -> float:
    """The share of the shorter of the two, in characters, that the subject of the mention
    and the indicator's name have in common (命案侦破率 and 现行命案破案率: 4 of 5)."""
    subject = set(_CJK.findall(LEAD_IN.sub("", mention.context + mention.before)))
    name = set(_CJK.findall(measure.record["name"]))
    if not subject or not name:
        return 0.0
    return len(subject & name) / min(len(subject), len(name))


def generic_pairs(candidates: Sequence[Measure]) -> set[str]:
    """Word pairs that say little about which indicator is meant: the project's own
    vocabulary (残疾 in every name of a 残联 table) and words of every project."""
    counts = Counter(pair for measure in candidates for pair in measure.key)
    return {pair for pair, n in counts.items() if n >= 3} | set(GENERIC_PAIRS)


def agrees(quantity: Quantity, measure: Measure) -> bool:
    """The same number in a related unit (30人次 and 30 人 count the same people), not
    bounded in opposite directions (以上 against ≤)."""
    if measure.unit is None or not related_units(quantity.unit, measure.unit):
        return False
    op = measure.record["op"]
    opposite = (quantity.bound == AT_LEAST and op in UPPER_BOUNDS) or (
        quantity.bound == AT_MOST and op in LOWER_BOUNDS
    )
    return same(quantity.value, measure.value) and not opposite


def same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


# A month, a month's end or a part of the year, optionally with the year and 前: 11月底,
# 12月底前, 8月, 3月和9月, 6月30日前, 年底前, 上半年.
_DEADLINE = re.compile(
    r"(?:(?P<year>(?:19|20)\d{2})\s*年\s*)?"
    r"(?:(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s*月\s*"
    r"(?:份|底|末|初|中旬|上旬|下旬|[1-3]?\d\s*[日号])?|年\s*[底末]|[上下]半年)"
    r"\s*(?:前|以前|之前)?"
)
# What a deadline is for: the action that follows it, or 完成 somewhere in its clause.
_DEADLINE_ACTIONS = (
    "完成",
    "发放",
    "兑现",
    "拨付",
    "兑付",
    "实现",
    "开展",
    "建成",
    "交付",
    "投入使用",
    "上报",
    "验收",
    "到位",
)


def deadlines(text: object, year: int | None) -> list[str]:
    """The completion deadlines a text sets (11月底完成…, 8月发放…), as written; dates of
    other years and the deadline of the budget execution rate are none."""
    if not isinstance(text, str):
        return []
    found = []
    for match in _DEADLINE.finditer(text):
        if match["year"] and year is not None and int(match["year"]) != year:
            continue
        clause_start = max(
            (m.end() for m in _CLAUSE_END.finditer(text, 0, match.start())), default=0
        )
        end = _SENTENCE_END.search(text, match.end())
        clause = text[clause_start : end.start() if end else len(text)]
        if any(word in clause for word in EXECUTION_RATE_WORDS):
            continue
        if any(word in clause for word in _DEADLINE_ACTIONS):
            found.append(match[0].strip())
    return found
