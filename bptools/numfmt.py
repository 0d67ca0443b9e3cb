"""Number formats: what a cell showed the person who typed into it.

Excel, WPS and LibreOffice store a typed `95%` as 0.95 with a percent format, and a typed
`12-31` as a date serial with a date format. python-calamine gives values only (dates it
already turns into `date`/`datetime`/`time`/`timedelta`), so the reader takes each cell's
format from xl/styles.xml and keeps its code beside the value; this module tells what a
format code does to the value shown.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from functools import lru_cache

PERCENT, DATE = "percent", "date"

# Built-in formats (ECMA-376 Part 1, 18.8.30) whose meaning matters to us, with the codes
# Chinese Excel shows for the locale-dependent ones (27-36, 50-58: dates and times).
BUILTIN_FORMATS: dict[int, str] = {
    9: "0%",
    10: "0.00%",
    14: "yyyy/m/d",
    15: "d-mmm-yy",
    16: "d-mmm",
    17: "mmm-yy",
    18: "h:mm AM/PM",
    19: "h:mm:ss AM/PM",
    20: "h:mm",
    21: "h:mm:ss",
    22: "yyyy/m/d h:mm",
    45: "mm:ss",
    46: "[h]:mm:ss",
    47: "mm:ss.0",
    **dict.fromkeys((27, 28, 29, 30, 31, 34, 35, 36, 50, 51, 52, 53, 54), "yyyy年m月d日"),
    **dict.fromkeys((32, 33, 55, 56, 57, 58), "h时mm分"),
}

_QUOTED = re.compile(r'"[^"]*"|\\.|_.|\*.')  # literal text, escaped and padding characters
_BRACKETS = re.compile(r"\[(?![hms]+\])[^\]]*\]", re.IGNORECASE)  # [Red], [$-804]; not [h]
_DATE_TOKENS = re.compile(r"[ymdhs]|[上下]午|AM/PM|A/P", re.IGNORECASE)


@lru_cache(maxsize=256)
def format_kind(code: str) -> str:
    """PERCENT, DATE or "" for a number format code (its first section decides)."""
    plain = _BRACKETS.sub("", _QUOTED.sub("", code)).split(";", 1)[0]
    if "%" in plain:
        return PERCENT
    if plain.lower() != "general" and _DATE_TOKENS.search(plain):
        return DATE
    return ""


def is_percent(code: str) -> bool:
    return bool(code) and format_kind(code) == PERCENT


# Excel's serial numbers count days from 1899-12-31, with a 29 February 1900 that never was
# (serial 60); calamine maps the serials below 61 one day later than the ones above.
_EPOCH = datetime(1899, 12, 30)
_EARLY_EPOCH = datetime(1899, 12, 31)
_LEAP_BUG_END = datetime(1900, 3, 1)


def serial_number(value: object) -> float | None:
    """The number a date, time or duration cell holds, as Excel stores it (None otherwise).

    A weight of 10 typed into a cell formatted as a date shows 1900-01-10, and calamine
    gives that date: this gives back the 10.
    """
    if isinstance(value, timedelta):
        return value.total_seconds() / 86400
    if isinstance(value, time):
        return (value.hour * 3600 + value.minute * 60 + value.second) / 86400
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    if isinstance(value, datetime):
        epoch = _EARLY_EPOCH if value < _LEAP_BUG_END else _EPOCH
        return (value - epoch).total_seconds() / 86400
    return None
