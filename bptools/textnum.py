"""Numbers with units in Chinese free text: "不少于12场", "15.63万亩", "十二场次", "82%以上".

`find_quantities` reads every number that is followed by a measure word, with the bound the
words around it set (以上, 不少于, 以下, 不超过, ...); `parse_unit` reads the 计量单位 of an
indicator the same way, so a text quantity and an indicator compare in one base unit
(15000名 and 1.5 万人, 400亿元 and 4000000 万元). Dates, years, ordinals, list numbers and
document numbers (〔2021〕10号, 《…》) are not quantities.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

AT_LEAST, AT_MOST, EXACTLY = "≥", "≤", "＝"

# Written unit -> the tags of what it counts. Two units compare when their tags meet:
# 场次 and 次 both count times; the noun 人数, often typed as a unit, counts people or
# person-times, so it compares with both.
_BASES: dict[str, frozenset[str]] = {
    written: frozenset(tags.split())
    for written, tags in {
        "%": "%",
        "‰": "‰",
        "个百分点": "百分点",
        "元": "元",
        "亩": "亩",
        "平方米": "平方米",
        "平方公里": "平方公里",
        "公顷": "公顷",
        "km": "km",
        "公里": "km",
        "千米": "km",
        "米": "米",
        "吨": "吨",
        "公斤": "公斤",
        "千克": "公斤",
        "人次": "人次",
        "人数": "人 人次",
        "人（户）": "人 户",
        "人(户)": "人 户",
        "人": "人",
        "名": "人",
        "位": "人",
        "户": "户",
        "户次": "户次",
        "场次": "次",
        "场": "次",
        "次": "次",
        "批次": "批次",
        "个": "个",
        "座": "座",
        "条": "条",
        "件": "件",
        "块": "块",
        "册": "册",
        "本": "册",
        "项": "项",
        "家": "家",
        "所": "所",
        "篇": "篇",
        "份": "份",
        "套": "套",
        "台": "台",
        "株": "株",
        "处": "处",
        "期": "期",
        "辆": "辆",
        "支": "支",
        "张": "张",
        "天": "天",
        "个工作日": "天",
        "工作日": "天",
        "小时": "小时",
        "个月": "月",
        "月": "月",
        "年": "年",
    }.items()
}
_MULTIPLIERS = {"万": 1e4, "亿": 1e8}
_PER_YEAR = re.compile(r"(/|／|每)年$")  # 次/年, 万元/年: a yearly amount is the year's amount

_FULL_WIDTH = str.maketrans("０１２３４５６７８９．％，＞＜＝", "0123456789.%,><=")
_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7}
_CN_DIGITS |= {"八": 8, "九": 9}
_CN_TENS = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10**4, "亿": 10**8}

_LOWER_WORDS = ("不少于", "不低于", "不小于", "大于等于", "至少", "超过", "大于", "高于", "多于")
_UPPER_WORDS = ("不超过", "不高于", "不大于", "不多于", "小于等于", "至多", "小于", "低于", "少于")
# Longest first, so that 不超过 is not read as 超过.
_BOUND_WORDS = sorted(
    [(w, AT_LEAST) for w in _LOWER_WORDS] + [(w, AT_MOST) for w in _UPPER_WORDS],
    key=lambda item: len(item[0]),
    reverse=True,
)
_LOWER_AFTER = ("及以上", "以上")
_UPPER_AFTER = ("及以下", "以下", "以内")

_UNIT_ALTERNATION = "|".join(re.escape(u) for u in sorted(_BASES, key=len, reverse=True))
_CN_NUMERAL = "零一二两三四五六七八九十百千万亿"
# A numeral does not start inside a word (统一, 之一, 第二) or inside another numeral.
_NOT_NUMERAL_START = "第统唯同之单逐初每其任上下" + _CN_NUMERAL
_QUANTITY = re.compile(
    rf"(?P<number>(?<![\d.A-Za-z])\d+(?:,\d{{3}})*(?:\.\d+)?"
    rf"|(?<![{_NOT_NUMERAL_START}])[一二两三四五六七八九十][{_CN_NUMERAL}]*)"
    r"\s*(?P<approx1>[余多])?"
    rf"(?:(?P<mult>[万亿])?(?P<approx2>[余多])?(?P<base>{_UNIT_ALTERNATION})|(?P<bare>[万亿]))?",
    re.IGNORECASE,
)
_PERCENT_WORDS = re.compile(rf"百分之(?P<number>[{_CN_NUMERAL}]+)")
_MASKED = re.compile(r"《[^》]*》|〔[^〕]*〕|﹝[^﹞]*﹞|\[[^\]]*\]")
# "1." "2、" "（三）" opening a line number a list and are no quantities. "3.2023年" opens
# an item too when the text is a list (other items, or several lines opening so); alone it
# would be a decimal.
_ITEM_NUMBER = re.compile(r"(?m)^[ \t]*[（(]?(?:\d{1,2}|[一二三四五六七八九十]+)[.．、)）](?!\d)")
_LIST_ITEM = re.compile(r"(?m)^[ \t]*\d{1,2}[.．、]")
_RANGE_BEFORE = re.compile(r"\d\s*[-~～—–至到]\s*$")


@dataclass(frozen=True)
class Unit:
    """A unit as written, read as a multiplier and what it counts (tags; empty for 万)."""

    text: str
    factor: float
    tags: frozenset[str]

    def comparable(self, other: Unit) -> bool:
        """Same kind of count: a bare 万 goes with any count, never with a rate."""
        rates = {"%", "‰", "百分点"}
        if not self.tags or not other.tags:
            return not (self.tags | other.tags) & rates
        return bool(self.tags & other.tags)


@dataclass(frozen=True)
class Quantity:
    """A number with its unit found in a text, with the bound the text sets on it.

    `value` is in the unit's base (15.63万亩 -> 156300); `start`/`end` span the number,
    unit and any bound word after them as written (82%以上).
    """

    value: float
    unit: Unit
    bound: str
    start: int
    end: int


def chinese_number(text: str) -> int | None:
    """十二 -> 12, 两 -> 2, 三千 -> 3000, 一百零五 -> 105; None if not a numeral."""
    total = section = digit = 0
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_TENS:
            section += (digit or 1) * _CN_TENS[ch]
            digit = 0
        elif ch in _CN_BIG:
            total += (section + digit) * _CN_BIG[ch]
            section = digit = 0
        else:
            return None
    return total + section + digit


def parse_unit(text: str) -> Unit | None:
    """A 计量单位 such as 万亩, 亿元, 人次, km, 次/年; None when it is no unit we know."""
    written = _PER_YEAR.sub("", text.strip().translate(_FULL_WIDTH)).lower()
    if written in _BASES:
        return Unit(text, 1.0, _BASES[written])
    if written[:1] in _MULTIPLIERS:
        rest = written[1:]
        if not rest:
            return Unit(text, _MULTIPLIERS[written], frozenset())
        if rest in _BASES:
            return Unit(text, _MULTIPLIERS[written[0]], _BASES[rest])
    return None


def find_quantities(text: str) -> list[Quantity]:
    """Every number followed by a unit in `text`, in order of appearance."""
    plain = _plain(text)
    found = [_quantity(plain, match) for match in _QUANTITY.finditer(plain)]
    found += [_percent_words(plain, match) for match in _PERCENT_WORDS.finditer(plain)]
    return sorted((q for q in found if q is not None), key=lambda q: q.start)


def _plain(text: str) -> str:
    """Same length as `text`: full-width digits made ASCII; titles, 文号 and list numbers
    blanked out so that their digits are not read as quantities."""
    plain = text.translate(_FULL_WIDTH)
    patterns = [_MASKED, _ITEM_NUMBER]
    if _ITEM_NUMBER.search(plain) or len(_LIST_ITEM.findall(plain)) > 1:
        patterns.append(_LIST_ITEM)
    for pattern in patterns:
        plain = pattern.sub(lambda m: "　" * len(m.group()), plain)
    return plain


def _quantity(text: str, match: re.Match[str]) -> Quantity | None:
    unit_text = (match["mult"] or "") + (match["base"] or "") or (match["bare"] or "")
    number = _number(match["number"])
    unit = parse_unit(unit_text) if unit_text else None
    if number is None or unit is None or not _is_measure(text, match, number, unit):
        return None
    approximate = bool(match["approx1"] or match["approx2"])
    return _bounded(text, match, number, unit, approximate)


def _percent_words(text: str, match: re.Match[str]) -> Quantity | None:
    """百分之九十五 -> 95 %."""
    number = _number(match["number"])
    unit = parse_unit("%")
    if number is None or unit is None:
        return None
    return _bounded(text, match, number, unit, approximate=False)


def _bounded(
    text: str, match: re.Match[str], number: float, unit: Unit, approximate: bool
) -> Quantity:
    """The quantity with the bound that 以上/以下 after it or 不少于/不超过 before it set;
    “120余名” is at least 120."""
    end, bound = match.end(), None
    after = text[end : end + 3]
    for words, side in ((_LOWER_AFTER, AT_LEAST), (_UPPER_AFTER, AT_MOST)):
        word = next((w for w in words if after.startswith(w)), None)
        if word:
            bound, end = side, end + len(word)
            break
    bound = bound or _bound_before(text[: match.start()])
    if bound is None:
        bound = AT_LEAST if approximate else EXACTLY
    return Quantity(number * unit.factor, unit, bound, match.start(), end)


def _number(written: str) -> float | None:
    if written[0].isdigit():
        return float(written.replace(",", ""))
    # Two digit words in a row are a range or a word (三四个, 十四五), not one number.
    if any(a in _CN_DIGITS and b in _CN_DIGITS for a, b in itertools.pairwise(written)):
        return None
    parsed = chinese_number(written)
    return None if parsed is None else float(parsed)


def _is_measure(text: str, match: re.Match[str], number: float, unit: Unit) -> bool:
    """Not a date, a year, an ordinal (第3次), a range's end (3至5个) or 一次性."""
    before, after = text[: match.start()], text[match.end() :]
    if before.endswith("第") or after.startswith("性") or _RANGE_BEFORE.search(before):
        return False
    if unit.tags == {"年"} and 1900 <= number <= 2100:
        return False
    return not (unit.text == "月" and number <= 12)


def _bound_before(before: str) -> str | None:
    tail = before.rstrip()[-6:]
    for symbols, side in ((("≥", ">=", ">"), AT_LEAST), (("≤", "<=", "<"), AT_MOST)):
        if tail.endswith(symbols):
            return side
    tail = re.sub(r"(达到|达|为|在|控制在)$", "", tail)
    return next((side for word, side in _BOUND_WORDS if tail.endswith(word)), None)
