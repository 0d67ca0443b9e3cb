"""BP801–BP804: duplicate, overlapping and bundled indicators."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from functools import partial
from typing import Any

import pandas as pd

from ..normalize import is_blank, label_key, number_text
from . import rule
from .base import Batch, Finding, Severity, records
from .commitments import name_key
from .frames import FULL_SCALE, fold, target_text
from .vocab import (
    BENEFIT,
    GENERIC_PAIRS,
    NAME_STOP_WORDS,
    OUTPUT,
    QUANTITATIVE_OPS,
    indicator_kinds,
)

# Units so common in a table that sharing one says nothing.
_COMMON_UNITS = frozenset({"%", "‰", "次", "个", "人", "人次", "项", "件", "户", "万元", "元"})


@rule(
    "BP801",
    "duplicate-indicator",
    Severity.ERROR,
    title="三级指标重复",
    message="三级指标“{value}”与第 {first} 个指标（{first_cell} 单元格）重名",
    hint="同一项目的三级指标不能重名：删除重复的一行，或把两个指标的名称写清楚以示区别。",
    advice="{advice}",
    description="同一项目中三级指标名称不能重复（忽略空格和全角半角差别）。"
    "定为错误：重名指标无法区分，预算系统同样不允许保存。",
)
def duplicate_indicator(batch: Batch) -> Iterator[Finding]:
    named = _named(batch)
    named = named.assign(first=named.groupby(["project_id", "key"])["seq"].transform("min"))
    later = named[named["seq"].ne(named["first"])]
    rows = {(r["project_id"], r["seq"]): r for r in records(named)}
    for record in records(later):
        first = rows[(record["project_id"], record["first"])]
        yield duplicate_indicator.at(
            record,
            "name",
            first=record["first"],
            first_cell=first["name__cell"],
            related=first["name__cell"],
            advice=_duplicate_advice(first, record),
        )


def _duplicate_advice(first: dict[str, Any], later: dict[str, Any]) -> str:
    """Which of two indicators of one name to keep: the one whose value can be right."""
    told = (
        f"第 {first['seq']} 个指标“{first['name']}”为“{target_text(first)}”，"
        f"本行为“{target_text(later)}”"
    )
    other = f"第 {first['seq']} 个指标"
    if _impossible(first) != _impossible(later):
        gone, kept = (other, "本行") if _impossible(first) else ("本行", other)
        return f"{told}：{gone}的比率超过了 100%，请删除{gone}、保留{kept}，并把权重合并。"
    return (
        f"{told}：是同一指标的，保留正确的一行、删除另一行，并把权重合并；"
        "确是不同指标的，改写名称以示区别。"
    )


def _impossible(record: dict[str, Any]) -> bool:
    """A rate in % or ‰ beyond its full scale (BP508's, without growth measures)."""
    full = FULL_SCALE.get(fold(record["unit"]))
    number = record["target_num"]
    return full is not None and record["op"] in QUANTITATIVE_OPS and number > full


@rule(
    "BP802",
    "near-duplicate",
    Severity.INFO,
    title="指标可能重复",
    message="三级指标“{value}”与第 {other} 个指标“{other_name}”{why}，请确认是否重复",
    hint="内容重复的指标请合并为一个；确实不同的，请在名称中写明区别。",
    advice="请确认“{value}”与“{other_name}”是否同一指标：是的，删去一行并合并权重；不是的，在名称"
    "中写明区别。",
    description="同一项目中名称相互包含，或名称相近且计量单位和指标值都相同的两个指标，"
    "可能是同一指标填了两次。"
    "定为提示：是否重复需要部门确认。",
    params={"min_length": 3, "min_share": 0.5},
)
def near_duplicate(batch: Batch) -> Iterator[Finding]:
    min_length = near_duplicate.param(batch, "min_length")
    min_share = near_duplicate.param(batch, "min_share")
    for first, second, in_unit in _unit_pairs(batch):
        if _repeated_output(batch, first, second):
            continue  # BP804's
        why = _overlap(first, second, min_length, min_share)
        if not why and in_unit == 2:
            why = _same_subject(first, second)
        if why:
            yield near_duplicate.at(
                second,
                "name",
                other=first["seq"],
                other_name=first["name"],
                why=why,
                related=first["name__cell"],
            )


@rule(
    "BP804",
    "benefit-repeats-output",
    Severity.WARNING,
    title="效益指标重复产出数量",
    message="效益指标“{value}”与产出指标“{other_name}”都是 {target}，是把产出数量又算作了效益",
    hint="效益指标写产出带来的效果（覆盖率、增长、改善程度等），不重复产出的数量。",
    advice="请把“{value}”改写为这些产出带来的效果（如“××覆盖率 ≥ 90%”“××增长 ≥ ××%”），"
    "或删去这一行并把权重并入“{other_name}”。",
    description="同一项目中一个效益指标和一个产出指标的计量单位、指标值都相同（计数单位，"
    "不含比率），且名称有共同的词或数值较大（参数 min_value），是同一数量计了两次。"
    "定为警告：同一数量两次计分，效益也没有写出来，必须改写。",
    params={"min_value": 100},
)
def benefit_repeats_output(batch: Batch) -> Iterator[Finding]:
    for first, second, _ in _unit_pairs(batch):
        pair = _repeated_output(batch, first, second)
        if pair:
            benefit, output = pair
            yield benefit_repeats_output.at(
                benefit,
                "name",
                other_name=output["name"],
                target=f"{number_text(benefit['target_num'])} {benefit['unit']}",
                related=output["name__cell"],
            )


def _repeated_output(
    batch: Batch, first: dict[str, Any], second: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """(the benefit, the output) when one counts what the other does, with the same number."""
    by_kind = {first["kind"]: first, second["kind"]: second}
    benefit, output = by_kind.get(BENEFIT), by_kind.get(OUTPUT)
    if benefit is None or output is None or len(by_kind) != 2:
        return None
    unit = benefit["unit_key"]
    value = benefit["target_num"]
    if (
        not unit
        or unit in ("%", "‰")
        or unit != output["unit_key"]
        or value != output["target_num"]
    ):
        return None  # NaN never equals
    if benefit["op"] not in QUANTITATIVE_OPS or output["op"] not in QUANTITATIVE_OPS:
        return None
    shared = (name_key(benefit["name"]) & name_key(output["name"])) - set(GENERIC_PAIRS)
    big = value >= benefit_repeats_output.param(batch, "min_value")
    return (benefit, output) if shared or big else None


@rule(
    "BP803",
    "compound-name",
    Severity.INFO,
    title="一个指标包含多项内容",
    message="三级指标“{value}”同时衡量{measures}，建议拆成 {count} 个指标",
    hint="一个三级指标只衡量一件事：请拆成多行，每行一个指标，分别设指标值和权重。",
    advice="请把“{value}”拆成 {count} 行：{measures}，各设指标值和权重。",
    description="三级指标名称用“、”“和”“及”等把两个可以分别衡量的指标（如知名度、美誉度）"
    "连在一起的，建议拆分。"
    "定为提示：建议拆分，不拆也能评价。",
    folded_note="名称中包含多项内容，宜拆成几个指标",
    params={
        "separators": ["、", "；", ";", "，", ",", "以及", "和", "及", "与", "并且"],
        "keep_words": ["及时", "及格", "普及", "涉及", "及以上", "及以下", "和谐", "和平", "总和"],
        "measure_endings": ["率", "度", "数", "量", "感", "性", "比例", "指数", "金额", "面积"],
        "measure_openings": ["是否"],
    },
)
def compound_name(batch: Batch) -> Iterator[Finding]:
    for record in records(_named(batch)):
        measures = name_measures(batch, record["name"])
        if len(measures) >= 2:
            quoted = [f"“{part}”" for part in measures]
            yield compound_name.at(
                record,
                "name",
                measures="、".join(quoted[:-1]) + "和" + quoted[-1],
                count=len(measures),
            )


def name_measures(batch: Batch, name: str) -> list[str]:
    """The measures a name joins (“北碚城市知名度”, “北碚城市美誉度” from 北碚城市知名度和美誉度),
    as BP803 is configured; a short part takes the subject the first one opens with."""
    param = partial(compound_name.param, batch)
    endings, openings = tuple(param("measure_endings")), tuple(param("measure_openings"))
    parts = _parts(name, param("separators"), param("keep_words"))
    measures = [p for p in parts if p.endswith(endings) or p.startswith(openings)]
    if len(measures) < 2:
        return []
    first = measures[0]
    return [first] + [_with_subject(first, part) for part in measures[1:]]


def _with_subject(first: str, part: str) -> str:
    """`part` with the subject of `first` before it when it has none of its own: 美誉度 after
    北碚城市知名度 is 北碚城市美誉度; a part as long as a full name stays as it is."""
    if len(part) > _SHORT_PART or len(part) >= len(first) or part.startswith("是否"):
        return part
    return first[: len(first) - len(part)] + part


_SHORT_PART = 4  # a part this short names a measure, not what it measures (美誉度, 创造性)


def _unit_pairs(batch: Batch) -> list[tuple[dict[str, Any], dict[str, Any], int]]:
    """Each pair of named indicators of one project in the same unit, in table order, with
    how many of the project's named indicators are in that unit: the only pairs BP802 and
    BP804 can find a repetition in (a count and a rate of one thing are two indicators)."""

    def build(batch: Batch) -> list[tuple[dict[str, Any], dict[str, Any], int]]:
        tables: dict[Any, list[dict[str, Any]]] = {}
        for record in records(_named(batch)):
            tables.setdefault(record["project_id"], []).append(record)
        pairs = []
        for rows in tables.values():
            units = Counter(row["unit_key"] for row in rows)
            for first, second in itertools.combinations(rows, 2):
                if first["unit_key"] == second["unit_key"]:
                    pairs.append((first, second, units[first["unit_key"]]))
        return pairs

    return batch.shared("unit-pairs", build)


def _named(batch: Batch) -> pd.DataFrame:
    """Indicator rows that have a name, with the comparison keys of name and unit (spaces
    and widths ignored) and the 一级指标 each belongs to."""
    return batch.shared("named", _named_rows)


def _named_rows(batch: Batch) -> pd.DataFrame:
    indicators = batch.indicators
    named = indicators[~indicators["name__raw"].map(is_blank).astype(bool)]
    return named.assign(
        key=named["name"].map(label_key),
        unit_key=named["unit"].map(label_key),
        kind=indicator_kinds(named),
    )


def _overlap(
    first: Mapping[str, Any], second: Mapping[str, Any], min_length: int, min_share: float
) -> str:
    """Why two indicators of one table look like the same one ("" when they do not)."""
    a, b = first["key"], second["key"]
    if a == b or first["unit_key"] != second["unit_key"]:
        return ""  # the same name is BP801's; a count and a rate of one thing are two indicators
    if min(len(a), len(b)) >= min_length and (a in b or b in a):
        return "的名称相互包含，计量单位相同"
    a_stem, b_stem = _stem(first["name"]), _stem(second["name"])
    if min(len(a_stem), len(b_stem)) >= min_length and (a_stem in b_stem or b_stem in a_stem):
        values = f"{target_text(second)}、{target_text(first)}"
        return f"都衡量“{min(a_stem, b_stem, key=len)}”（{values}）"
    same_value = first["target_num"] == second["target_num"]  # NaN never equals
    if same_value and _similar(a, b, min_share):
        return "的名称相近，计量单位和指标值都相同"
    return ""


def _same_subject(first: Mapping[str, Any], second: Mapping[str, Any]) -> str:
    """The only two indicators of a table in their unit, counting the same thing in other
    words: one name's characters all in the other once synonyms are one (出版诗集 and
    计划出版书籍), or the same target and a word in common (获奖牌数 and 获得奖牌数)."""
    unit = first["unit_key"]
    if not unit or unit != second["unit_key"] or unit in _COMMON_UNITS:
        return ""
    a, b = sorted((_meaning(first["name"]), _meaning(second["name"])), key=len)
    if a and a <= b:
        return f"说法不同，但都以“{first['unit']}”计，可能说的是同一件事"
    shared = name_key(first["name"]) & name_key(second["name"])
    if shared - set(GENERIC_PAIRS) and first["target_num"] == second["target_num"]:
        return f"说法不同，但都以“{first['unit']}”计、指标值相同"
    return ""


# Words that name one kind of thing, and characters that only qualify a name.
_SYNONYMS = {
    "诗集": "书",
    "书籍": "书",
    "图书": "书",
    "丛书": "书",
    "书刊": "书",
    "读物": "书",
    "画册": "书",
    "金牌": "牌",
    "奖牌": "牌",
}
_QUALIFIERS = frozenset("数量的计划年度当全累总共")


def _stem(name: str) -> str:
    """A name without its measure words and filler (长训运动员 from 长训运动员数量)."""
    for word in sorted(NAME_STOP_WORDS, key=len, reverse=True):
        name = name.replace(word, "")
    return label_key(name)


def _meaning(name: str) -> frozenset[str]:
    for word, kind in _SYNONYMS.items():
        name = name.replace(word, kind)
    return frozenset(ch for ch in name if "\u4e00" <= ch <= "\u9fff") - _QUALIFIERS


def _similar(a: str, b: str, min_share: float) -> bool:
    """Same subject and same measure, worded differently.

    Both names must start and end alike, the shared start and end must make up `min_share`
    of the shorter name, and the differing middles must share a word (two characters):
    区域自动站资料传输及时率 / 区域自动站观测数据传输率. Names that differ only in their
    subject (特扶资金到位率 / 奖扶资金到位率) or only in their measure (群众安全感 /
    群众幸福感) are parallel indicators, not duplicates.
    """
    head = len(_common_prefix(a, b))
    tail = len(_common_prefix(a[head:][::-1], b[head:][::-1]))
    if head < 2 or tail < 1 or head + tail < min_share * min(len(a), len(b)):
        return False
    middle_a, middle_b = a[head : len(a) - tail], b[head : len(b) - tail]
    return any(middle_a[i : i + 2] in middle_b for i in range(len(middle_a) - 1))


def _common_prefix(a: str, b: str) -> str:
    size = next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )
    return a[:size]


def _parts(name: str, separators: list[str], keep_words: list[str]) -> list[str]:
    """A name cut at its separators, leaving words such as 及时 or 和谐 whole."""
    masked = name
    for word in sorted(keep_words, key=len, reverse=True):
        masked = masked.replace(word, "\0" * len(word))
    cuts = [(0, 0)]
    if separators:
        splitter = "|".join(re.escape(s) for s in sorted(separators, key=len, reverse=True))
        cuts += [m.span() for m in re.finditer(splitter, masked)]
    ends = [start for start, _ in cuts[1:]] + [len(name)]
    parts = [name[cut[1] : end] for cut, end in zip(cuts, ends, strict=True)]
    return [part for part in parts if len(part) >= 2]
