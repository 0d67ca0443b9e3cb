"""Read each input cell the way the person who filled it saw it.

A cell gives a value and its number format (see `bptools.numfmt`). What the department meant
can differ from the stored value: a weight typed as `10%` is stored as 0.1, a 10 typed into
a cell formatted as a date comes back as 1900-01-10, an amount written `50万元` is text.
Each reader returns a `Reading`: the normalized value, the raw value as the cell showed it
(what the department typed), and, where the entry had to be interpreted, how it was read
and why, which becomes a 提示 quoting what was typed (rule BP116).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from .normalize import as_text, clean_label, clean_text, number_text, parse_number
from .numfmt import is_percent, serial_number

# Beyond these a number is not an amount (万元) or a weight anyone meant: 1e9 万元 is ten
# trillion yuan. They also keep sums and products finite.
MAX_AMOUNT = 1e9
MAX_WEIGHT = 1e4
# A number typed into a cell formatted as a date shows as a date before this serial (1910):
# no date in a performance table is that old.
_DATE_NUMBERS_BELOW = 3653
# A percent-formatted cell showing a weight of 100 % or more, or a target of 1000 % or
# more, holds the number typed into a cell that was already formatted as percent.
_WEIGHT_PERCENT_BELOW = 1
_TARGET_PERCENT_BELOW = 10
_CENT = Decimal("0.01")
_MONEY_UNITS = {"万元": 1, "万": 1, "元": Decimal("0.0001"), "千元": Decimal("0.1")}
_MONEY_UNITS |= {"百万元": 100, "百万": 100, "亿元": 10000, "亿": 10000}
_MONEY_TEXT = re.compile(r"(?P<number>.+?)(?P<unit>万元|万|千元|百万元|百万|亿元|亿|元)")

DATE_SHOWN = "单元格是日期格式，填写的数字显示成了日期"
PERCENT_SHOWN = "单元格是百分比格式，填写的数字显示成了百分数"


@dataclass(frozen=True)
class Reading:
    """A cell as read: `value` normalized, `raw` as the cell showed it, and for an entry that
    had to be interpreted, `reading` (how it was read) and `why`."""

    value: Any
    raw: object
    reading: str = ""
    why: str = ""
    length: int = 0  # the text's length when it was cut to the field's limit (else 0)


def read_label(raw: object, fmt: str = "") -> Reading:
    """A one-line name (项目名称, 三级指标, ...)."""
    return Reading(clean_label(raw), _shown(raw, fmt))


def read_text(raw: object, fmt: str = "") -> Reading:
    """Free text (项目概述, 立项依据, 当年绩效目标)."""
    return Reading(clean_text(raw), _shown(raw, fmt))


def read_target(raw: object, fmt: str = "") -> Reading:
    """指标值: text, or a number as typed. A percent-formatted 0.95 was typed `95%` and reads
    as that text; a date-formatted 10 was typed 10."""
    if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not is_percent(fmt):
        number = _date_number(raw, times=False)
        if number is not None:
            return Reading(number_text(number), as_text(raw), number_text(number), DATE_SHOWN)
        return read_text(raw, fmt)
    shown = _percent_text(raw)
    if abs(raw) < _TARGET_PERCENT_BELOW:
        return Reading(shown, shown)
    typed = number_text(float(raw))
    return Reading(typed, shown, typed, PERCENT_SHOWN)


def read_weight(raw: object, fmt: str = "") -> Reading:
    """权重（%）and 预算执行率权重: percentage points, whether typed 10 or 10%."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and is_percent(fmt):
        shown = _percent_text(raw)
        if abs(raw) < _WEIGHT_PERCENT_BELOW:
            return Reading(_bounded(_scaled(raw, 100), MAX_WEIGHT), shown)
        value = _bounded(float(raw), MAX_WEIGHT)
        return Reading(value, shown, number_text(float(raw)), PERCENT_SHOWN)
    number = _date_number(raw, times=True)
    if number is not None:
        return Reading(number, as_text(raw), number_text(number), DATE_SHOWN)
    value, _ = parse_number(raw)
    return Reading(_bounded(value, MAX_WEIGHT), raw)


def read_amount(raw: object, fmt: str = "") -> Reading:
    """An amount in 万元, rounded to the two decimals the table keeps. `50万元` reads as 50,
    `500000元` as 50 (万元); both are said."""
    number = _date_number(raw, times=True)
    if number is not None:
        value = _money(Decimal(repr(number)))
        return Reading(value, as_text(raw), _money_text(value), DATE_SHOWN)
    exact, unit = _amount(raw)
    if exact is None:
        return Reading(math.nan, raw)
    value = _money(exact)
    if not unit:
        return Reading(value, raw)
    if unit.startswith("万"):
        return Reading(value, raw, _money_text(value), "金额栏以万元为单位，只填数字")
    return Reading(value, raw, _money_text(value), f"金额栏以万元为单位，已把{unit}换算成万元")


def money_total(values: Iterable[float]) -> float:
    """A sum of amounts without binary noise: 471.32, not 471.3200000000001 (NaN skipped)."""
    return round(math.fsum(v for v in values if not math.isnan(v)), 2)


def exact_amount(raw: object) -> float:
    """The amount as typed, in 万元, before rounding to two decimals (NaN if it is not one)."""
    exact, _ = _amount(raw)
    return math.nan if exact is None else float(exact)


def _amount(raw: object) -> tuple[Decimal | None, str]:
    """The amount in 万元 and the unit written after it ("" for a plain number)."""
    match = _MONEY_TEXT.fullmatch(_compact(raw)) if isinstance(raw, str) else None
    number, _ = parse_number(match["number"] if match else raw)
    if number is None:
        return None, ""
    unit = match["unit"] if match else ""
    exact = Decimal(repr(number)) * _MONEY_UNITS.get(unit, 1)
    return (exact, unit) if abs(exact) <= MAX_AMOUNT else (None, "")


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _money(value: Decimal) -> float:
    return float(value.quantize(_CENT, rounding=ROUND_HALF_UP))


def _money_text(value: float) -> str:
    return f"{number_text(value)} 万元"


def _scaled(value: float, factor: int) -> float:
    """value × factor without binary noise: 0.07 × 100 is 7, not 7.000000000000001."""
    try:
        return float(Decimal(repr(float(value))) * factor)
    except InvalidOperation:
        return math.nan


def _percent_text(value: float) -> str:
    return f"{number_text(_scaled(value, 100))}%"


def _bounded(value: float | None, limit: float) -> float:
    return math.nan if value is None or not abs(value) <= limit else value


def _date_number(raw: object, *, times: bool) -> float | None:
    """The number behind a date-formatted cell, when it cannot have been meant as a date
    (`times`: nor as a time of day or a duration)."""
    if not isinstance(raw, date if not times else (date, time, timedelta)):
        return None
    serial = serial_number(raw)
    if serial is None:
        return None
    if isinstance(raw, date) and not serial < _DATE_NUMBERS_BELOW:
        return None
    return round(serial, 10)


def _shown(raw: object, fmt: str) -> object:
    """A text cell as shown: percent-formatted numbers with their %, others as stored."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and is_percent(fmt):
        return _percent_text(raw)
    return raw


def capped(reading: Reading, max_chars: int) -> Reading:
    """The reading with its text cut to `max_chars` (`length` says how long it was)."""
    text = reading.value
    if not isinstance(text, str) or len(text) <= max_chars:
        return reading
    return Reading(text[:max_chars], reading.raw, reading.reading, reading.why, len(text))
