"""Turn what departments type into what they mean.

Every parser returns the normalized value (or None when it cannot tell) and leaves the raw
value alone: callers keep both, so an anomaly can always show what was typed.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, time, timedelta

from .schema import CORE_CHOICES, NO, OPERATORS, QUALITATIVE, YES

_SPACES = re.compile(r"[ \t\u3000\u00a0]+")
_ALL_SPACE = re.compile(r"\s+")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")

# Spellings of the comparison signs seen in filled tables, after NFKC and space removal.
_OPERATOR_SPELLINGS: dict[str, str] = {
    "≥": "≥",
    ">=": "≥",
    "≧": "≥",
    "=>": "≥",
    "大于等于": "≥",
    "大于或等于": "≥",
    "不低于": "≥",
    "不少于": "≥",
    "不小于": "≥",
    "至少": "≥",
    "≤": "≤",
    "<=": "≤",
    "≦": "≤",
    "=<": "≤",
    "小于等于": "≤",
    "小于或等于": "≤",
    "不高于": "≤",
    "不多于": "≤",
    "不大于": "≤",
    "不超过": "≤",
    "至多": "≤",
    "=": "＝",
    "==": "＝",
    "等于": "＝",
    ">": "＞",
    "大于": "＞",
    "高于": "＞",
    "多于": "＞",
    "<": "＜",
    "小于": "＜",
    "低于": "＜",
    "少于": "＜",
    "定性": QUALITATIVE,
    "定性指标": QUALITATIVE,
}
_YES_NO: dict[str, str] = {
    "是": YES,
    "y": YES,
    "yes": YES,
    "√": YES,
    "✓": YES,
    "✔": YES,
    "true": YES,
    "1": YES,
    "核心": YES,
    "否": NO,
    "n": NO,
    "no": NO,
    "×": NO,
    "✗": NO,
    "false": NO,
    "0": NO,
    "不是": NO,
    "非核心": NO,
}
# Control characters (C0 and C1 but tab and line breaks), bidirectional overrides and
# zero-width characters: invisible, they break matching and can disguise text in outputs.
CONTROLS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]"
)
_DASHES = re.compile(r"\s*[-－—–_‐‑―]+\s*")
_CODE = re.compile(r"[0-9A-Za-z]+")


def is_blank(raw: object) -> bool:
    if raw is None:
        return True
    if isinstance(raw, float) and math.isnan(raw):
        return True
    return isinstance(raw, str) and not raw.strip()


def number_text(value: float) -> str:
    """A number as a person would write it: 95.0 -> '95', 0.125 -> '0.125', 1e309 -> 'inf'."""
    if math.isfinite(value) and value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


def as_text(raw: object) -> str:
    """Any cell value as text: numbers without a trailing .0, dates as yyyy-mm-dd."""
    if is_blank(raw):
        return ""
    if isinstance(raw, bool):
        return YES if raw else NO
    if isinstance(raw, (int, float)):
        return number_text(float(raw))
    if isinstance(raw, datetime) and raw.time() != time():
        return raw.strftime("%Y-%m-%d %H:%M")
    if isinstance(raw, (datetime, date)):
        return raw.strftime("%Y-%m-%d")
    if isinstance(raw, time):
        return raw.strftime("%H:%M")
    if isinstance(raw, timedelta):
        hours, seconds = divmod(int(raw.total_seconds()), 3600)
        return f"{hours}:{seconds // 60:02d}"
    return str(raw)


_CJK_THEN_ASCII = re.compile(r"([\u4e00-\u9fff])([A-Za-z0-9])")
_ASCII_THEN_CJK = re.compile(r"([A-Za-z0-9])([\u4e00-\u9fff])")


def spaced(text: str) -> str:
    """Our own message text with a space between Chinese and Latin words ("是 Word 文档");
    never applied to what a department typed."""
    return _ASCII_THEN_CJK.sub(r"\1 \2", _CJK_THEN_ASCII.sub(r"\1 \2", text))


def clean_text(raw: object) -> str:
    """Tidy free text: unify line breaks, trim each line, drop blank lines at the ends.

    Chinese is never folded to ASCII; only the look-alike Kangxi radicals (⽇ for 日) that PDF
    copies bring in are mapped to the ordinary characters.
    """
    text = as_text(raw).replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(
        unicodedata.normalize("NFKC", ch) if "\u2f00" <= ch <= "\u2fdf" else ch for ch in text
    )
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(lines).strip()


def clean_label(raw: object) -> str:
    """A one-line name (项目名称, 三级指标, ...): line breaks and stray spaces inside removed.

    Spaces between two ASCII words are kept ("PM 2.5" stays readable); any other space is an
    artefact of wrapping or copy-paste.
    """
    text = clean_text(raw).replace("\n", "")
    return re.sub(r"(?<![A-Za-z0-9]) | (?![A-Za-z0-9])", "", text)


def label_key(raw: object) -> str:
    """Comparison key for labels and names: NFKC, no whitespace, no trailing colon."""
    text = unicodedata.normalize("NFKC", as_text(raw))
    return _ALL_SPACE.sub("", text).rstrip(":")


def parse_number(raw: object) -> tuple[float | None, str]:
    """Read a number typed as a number or as text.

    Returns (value, note). The note says what was changed ("去掉了百分号") or why the value
    could not be read; it is empty when the cell simply held a number.
    """
    if is_blank(raw):
        return None, ""
    if isinstance(raw, bool):
        return None, "不是数字"
    if isinstance(raw, (int, float)):
        value = float(raw)
        return (value, "") if math.isfinite(value) else (None, "不是有限的数")
    text = _ALL_SPACE.sub("", unicodedata.normalize("NFKC", str(raw)))
    notes = ["数字以文本形式录入"]
    if "," in text and re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?%?", text):
        text = text.replace(",", "")
        notes.append("去掉了千位分隔符")
    if text.endswith("%"):
        text = text[:-1]
        notes.append("去掉了百分号")
    if _NUMBER.fullmatch(text):
        value = float(text)
        return (value, "，".join(notes)) if math.isfinite(value) else (None, "不是有限的数")
    return None, "不是数字"


def parse_operator(raw: object) -> str | None:
    """The canonical 指标性质 (≥ ≤ ＝ ＞ ＜ 定性), or None for anything else."""
    key = label_key(raw)
    found = _OPERATOR_SPELLINGS.get(key)
    return found if found in OPERATORS else None


def parse_yes_no(raw: object) -> str | None:
    value = _YES_NO.get(label_key(raw).lower())
    return value if value in CORE_CHOICES else None


def split_unit(raw: object) -> tuple[str, str] | None:
    """'107-中国共产党…组织部' (any dash, full or half width) -> ('107', '中国共产党…组织部')."""
    parts = _DASHES.split(clean_label(raw), maxsplit=1)
    if len(parts) != 2:
        return None
    code, name = unicodedata.normalize("NFKC", parts[0]), parts[1]
    if not _CODE.fullmatch(code) or not name:
        return None
    return code, name
