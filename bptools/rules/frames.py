"""The indicator view the value checks share (BP5xx, BP6xx): each target read once, units
folded once, the masks several rules use."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from ..normalize import is_blank, label_key, parse_number
from ..schema import QUALITATIVE
from .base import Batch
from .vocab import QUANTITATIVE_OPS, SATISFACTION, SATISFACTION_WORD

PERCENT, PERMILLE = "%", "‰"
FULL_SCALE = {PERCENT: 100.0, PERMILLE: 1000.0}  # a rate in % or ‰ cannot go above this


def quantitative(frame: pd.DataFrame) -> pd.Series:
    return frame["op"].isin(QUANTITATIVE_OPS)


def fold(text: object) -> str:
    """Comparison key for units: NFKC (％ → %, ㎡ → m2), no spaces, lower case (Km = km)."""
    return label_key(text).casefold()


def target_text(record: dict[str, object]) -> str:
    """An indicator's value as a reader says it: “≥ 95 %”, “＝ 12 次”, a 定性 value as is."""
    if record["op"] == QUALITATIVE:
        return str(record["target"] or "（空）")
    parts = (record["op"], record["target"], record["unit"])
    return " ".join(str(p) for p in parts if not is_blank(p)) or "（空）"


def read_target(raw: object) -> tuple[float, str]:
    """The number in a 指标值 cell and the % or ‰ typed after it: '95%' -> (95.0, '%').

    A plain number gives (value, ''); text, ranges and '2000万' give (nan, '').
    """
    text = label_key(raw)
    sign = text[-1:] if text[-1:] in FULL_SCALE else ""
    value, _ = parse_number(text[:-1] if sign else raw)
    return (float("nan"), "") if value is None else (value, sign)


def indicator_view(batch: Batch) -> pd.DataFrame:
    """The indicators with the columns the BP5xx/BP6xx checks share, built once a batch.

    number: the target as `read_target` reads it (target_num, and values typed with ‰ as
    well); sign: the % or ‰ typed after it; unit_key: the unit folded by `fold`;
    unit_blank/target_blank: empty cells.
    """
    return batch.shared("indicator_view", _indicator_view)


def _indicator_view(batch: Batch) -> pd.DataFrame:
    frame = batch.indicators
    numbers = frame["target"].map(read_target)
    typed = frame["target__raw"].map(read_target)
    return frame.assign(
        number=numbers.map(lambda r: r[0]).astype(float),
        sign=typed.map(lambda r: r[1]).astype(str),
        unit_key=frame["unit"].map(fold).astype(str),
        unit_blank=frame["unit__raw"].map(is_blank).astype(bool),
        target_blank=frame["target__raw"].map(is_blank).astype(bool),
    )


def contains_any(texts: pd.Series, words: Iterable[str]) -> pd.Series:
    found = tuple(words)
    return texts.map(lambda text: any(word in text for word in found)).astype(bool)


def satisfaction_rows(frame: pd.DataFrame) -> pd.Series:
    """A satisfaction measure: any row of the 满意度 block, and a "…满意…" row filed
    elsewhere."""
    in_block = frame["level1"].eq(SATISFACTION)
    return in_block | frame["name"].str.contains(SATISFACTION_WORD, regex=False)


def qualitative_unclean(frame: pd.DataFrame) -> pd.Series:
    """定性 rows with a unit or a numeric value (BP505's), on an `indicator_view` frame."""
    return frame["op"].eq(QUALITATIVE) & (~frame["unit_blank"] | frame["number"].notna())
