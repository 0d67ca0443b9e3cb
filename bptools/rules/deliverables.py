"""The named deliverables of a goal text: things to be built, opened or accepted by a date
(文艺家活动中心正式投入使用, 完成……建设并通过验收), which carry no number for BP812's
quantities, and whether any indicator measures them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..textnum import find_quantities
from .commitments import Measure, bigrams, generic_pairs
from .vocab import PAST_WORDS

# The words that say a thing is delivered, longest first, each with how its indicator reads.
_DELIVERED = {
    "交付使用": "交付使用时间",
    "投入使用": "投入使用时间",
    "竣工验收": "竣工验收合格率",
    "通过验收": "验收合格率",
    "建成": "建成时间",
    "竣工": "竣工时间",
}
_CLAUSE = re.compile(r"[^，,。；;：:！!？?\n]+")
_ITEM_NUMBER = re.compile(r"^\s*[（(]?(?:\d{1,2}|[一二三四五六七八九十]+)[.．、)）]\s*")
_FILLER = re.compile(r"^(?:并|和|及|同时|确保|力争|争取|实现|推动|完成)+|正式|全面|顺利|如期|按期")
_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
_WHEN = re.compile(
    r"(?:(?:19|20)\d\d\s*年)?(?:\d{1,2}\s*月\s*[底末份]?|年\s*[底末]|[上下]半年)\s*(?:以?前)?"
)
_JOIN = re.compile(r"(?:并|和|及|与|的)+$")


@dataclass(frozen=True)
class Deliverable:
    clause: str  # the words quoted to the department
    subject: str  # what is delivered (文艺家活动中心)
    measure: str  # how an indicator of it reads (投入使用时间)
    unit: str  # the unit of that indicator

    @property
    def example(self) -> str:
        if self.unit == "%":
            return f"{self.subject}{self.measure} ＝ 100%"
        return f"{self.subject}{self.measure} ≤ ×× 月"


def deliverables(text: object, year: int | None) -> list[Deliverable]:
    """The clauses of `text` that promise a thing delivered, without a number of their own
    (those are BP812's quantities) and not about another year."""
    if not isinstance(text, str):
        return []
    found = []
    for match in _CLAUSE.finditer(text):
        clause = _ITEM_NUMBER.sub("", match[0]).strip()
        word = next((w for w in _DELIVERED if w in clause), None)
        if word is None or find_quantities(clause) or any(w in clause for w in PAST_WORDS):
            continue
        if {int(y) for y in _YEAR.findall(clause)} - {year}:
            continue
        before, _, after = clause.partition(word)
        subject = _subject(before) if len(_subject(before)) >= 2 else _subject(after)
        if len(subject) >= 2:
            unit = "%" if _DELIVERED[word].endswith("率") else "月"
            found.append(Deliverable(clause, subject, _DELIVERED[word], unit))
    return found


def _subject(words: str) -> str:
    """What is delivered, from the words before (or after) the delivering verb."""
    return _JOIN.sub("", _FILLER.sub("", _WHEN.sub("", words)).strip()).strip()


def measured(deliverable: Deliverable, candidates: Sequence[Measure]) -> bool:
    """An indicator names something of what is delivered (a word pair not common to the
    project's indicators)."""
    words = bigrams(deliverable.subject) - generic_pairs(candidates)
    return any(measure.key & words for measure in candidates)
