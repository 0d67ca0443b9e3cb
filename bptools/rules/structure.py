"""BP1xx: required content of a project sheet."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..normalize import is_blank, label_key
from ..schema import FIELDS_BY_KEY, HEADER_FIELDS, INDICATOR_COLUMNS
from . import rule
from .base import Batch, Finding, Severity, records


@rule(
    "BP101",
    "required-field-missing",
    Severity.ERROR,
    title="必填项未填写",
    message="“{label}”未填写",
    hint="请在该单元格填写内容；金额没有时填 0。",
    description="编制单位、一级项目名称、业务主管部门、预算执行率权重、各项金额、项目概述、"
    "立项依据、当年绩效目标都必须填写。"
    "定为错误：缺少必填内容，表格不完整，预算系统同样不允许提交。",
)
def required_field_missing(batch: Batch) -> Iterator[Finding]:
    projects = batch.projects
    for field in HEADER_FIELDS:
        if not field.required:
            continue
        # No cell at all means the label is missing: BP106 says so, not this rule.
        located = projects[f"{field.key}__cell"] != ""
        blank = projects[f"{field.key}__raw"].map(is_blank) & located
        for record in records(projects[blank]):
            yield required_field_missing.at(record, field.key, label=field.label)


@rule(
    "BP102",
    "unit-format",
    Severity.ERROR,
    title="编制单位格式不对",
    message="编制单位“{value}”不是“单位编码-单位名称”的格式",
    hint="请写成“单位编码-单位名称”，如 107-中国共产党重庆市北碚区委员会组织部。",
    description="编制单位须由预算单位编码、连字符和单位全称组成，汇总时按编码归并。"
    "定为错误：汇总按单位编码归并，格式不对就无法归到正确的单位。",
)
def unit_format(batch: Batch) -> Iterator[Finding]:
    projects = batch.projects
    bad = ~projects["unit__raw"].map(is_blank) & projects["unit_code"].eq("")
    for record in records(projects[bad]):
        yield unit_format.at(record, "unit")


@rule(
    "BP103",
    "no-indicators",
    Severity.ERROR,
    title="没有绩效指标",
    message="项目没有填写任何绩效指标",
    hint="请在“绩效指标”表中逐行填写产出、效益、满意度等指标。",
    description="每个项目至少要有一行绩效指标。定为错误：没有指标就没有绩效目标表。",
)
def no_indicators(batch: Batch) -> Iterator[Finding]:
    projects = batch.projects
    # Without a header row the table was not found at all: BP115 says so.
    empty = projects["n_indicators"].eq(0) & (projects["indicators__cell"] != "")
    for record in records(projects[empty]):
        yield no_indicators.at(record, "indicators", value="")


@rule(
    "BP104",
    "indicator-cell-missing",
    Severity.ERROR,
    title="指标栏目未填写",
    message="第 {seq} 个指标的“{label}”未填写",
    hint="每行指标都要填写一级、二级、三级指标、指标性质、指标值、权重和是否核心指标。",
    advice="请在第 {seq} 个指标的“{label}”栏填写内容；这一行不需要的，请整行删除。",
    description="绩效指标表每一行除计量单位外都必须填写（计量单位另有规则）。"
    "定为错误：一行指标缺了要素就无法评价，预算系统同样要求填全。",
)
def indicator_cell_missing(batch: Batch) -> Iterator[Finding]:
    indicators = batch.indicators
    for column in INDICATOR_COLUMNS:
        if column.key == "unit":
            continue
        # A column whose header is missing has no cells: BP106 reports the header once.
        located = indicators[f"{column.key}__cell"] != ""
        blank = indicators[f"{column.key}__raw"].map(is_blank) & located
        for record in records(indicators[blank]):
            yield indicator_cell_missing.at(
                record, column.key, label=column.label, seq=record["seq"]
            )


@rule(
    "BP105",
    "title-year",
    Severity.ERROR,
    title="模板年度不对",
    message="表格标题“{value}”是 {found} 年的，本次填报的是 {year} 年绩效目标表",
    hint="请改用财政局下发的本年度模板重新填报，并核对金额、指标等内容是否已按本年度更新。",
    description="表格标题中的年度必须是本次填报的预算年度，用往年模板填报的表格要重新填报。"
    "定为错误：用错年度的模板，内容很可能没有按本年度更新。",
)
def title_year(batch: Batch) -> Iterator[Finding]:
    # A sheet whose title was deleted or carries no year is not reported: the title is
    # printed by the template, not typed by the department, and the sheet is still read by
    # its labels; only a year that is there and wrong shows an outdated template.
    if batch.year is None:
        return
    projects = batch.projects
    other = projects["year"].notna() & projects["year"].ne(batch.year)
    for record in records(projects[other]):
        yield title_year.at(record, "title", found=int(record["year"]), year=batch.year)


@rule(
    "BP107",
    "text-placeholder",
    Severity.ERROR,
    title="只填了占位符号",
    message="“{label}”只填了“{value}”，没有实际内容",
    hint="请写明项目的具体内容和当年要完成的产出、效果，不要只填“无”“略”或符号。",
    description="项目概述和当年绩效目标不能只填“*”“-”“无”“略”等占位符号或字样。"
    "定为错误：只有占位符等于没有填写，预算系统同样不允许。",
    params={
        "chars": "*＊_＿-－—–―‐~～·.。．…,，、;；:：/／\\|xX×?？",
        "words": ["暂无", "待定", "同上", "详见附件", "见附件", "不适用", "无", "略"],
    },
)
def text_placeholder(batch: Batch) -> Iterator[Finding]:
    chars = set(text_placeholder.param(batch, "chars"))
    words = sorted(text_placeholder.param(batch, "words"), key=len, reverse=True)
    projects = batch.projects
    for key in ("overview", "goals"):
        typed = ~projects[f"{key}__raw"].map(is_blank)
        junk = typed & projects[key].map(lambda text: _only_placeholders(text, chars, words))
        for record in records(projects[junk]):
            yield text_placeholder.at(record, key, label=FIELDS_BY_KEY[key].label)


_NUMBERING = re.compile(r"(?:[（(]?(?:\d+|[一二三四五六七八九十]+)[.．、)）])")
_WHITESPACE = re.compile(r"\s+")


def _only_placeholders(text: str, chars: set[str], words: list[str]) -> bool:
    rest = _NUMBERING.sub("", _WHITESPACE.sub("", text))
    for word in words:
        rest = rest.replace(word, "")
    return all(ch in chars for ch in rest)


@rule(
    "BP108",
    "basis-format",
    Severity.INFO,
    title="立项依据写法不规范",
    message="立项依据{problems}",
    hint="每行写一个文件：《文件名称》（文号），文号写成“机关代字〔年份〕序号号”，"
    "括号用全角，同一文件只列一次。",
    advice="{advice}",
    description="立项依据每行应为《文件名称》加文号；文号年份用六角括号〔〕，括号统一用全角，"
    "同一文件不重复列出。一张表的问题合为一条。定为提示：只是写法，不影响依据是否成立。",
)
def basis_format(batch: Batch) -> Iterator[Finding]:
    projects = batch.projects
    for record in records(projects[~projects["basis__raw"].map(is_blank)]):
        seen: dict[str, int] = {}
        found: list[tuple[int, str, list[str]]] = []
        for item, line in _basis_lines(record["basis"]):
            problems = _line_problems(line)
            keys = [_line_key(line), *(_number_key(m) for m in _numbers(line))]
            first = next((seen[k] for k in keys if k in seen), None)
            if first is not None:
                problems.append(f"与第 {first} 条重复")
            for key in keys:
                seen.setdefault(key, item)
            if problems:
                found.append((item, line, problems))
        if found:
            yield basis_format.at(
                record,
                "basis",
                value="\n".join(line for _, line, _ in found),
                problems=_problems_text(found),
                advice=_basis_advice(found),
            )


def _basis_advice(found: list[tuple[int, str, list[str]]]) -> str:
    items = "、".join(str(item) for item, _, _ in found)
    if all(p.startswith("与第 ") for _, _, problems in found for p in problems):
        return f"请删去重复的第 {items} 条。"
    return (
        f"请逐条改正第 {items} 条：每行写一个文件，写成“《文件名称》（文号）”，文号写成"
        "“机关代字〔年份〕序号号”，括号用全角，重复的删去。"
    )


@rule(
    "BP109",
    "basis-stale",
    Severity.INFO,
    title="立项依据可能过时",
    message="立项依据{which}适用于 {found} 年，作为 {year} 年项目的依据可能已过时",
    hint="年度工作要点、计划、考核细则等只管当年，五年规划只管规划期，请改列本年度（或仍然"
    "有效）的文件。",
    advice="请把{which}换成 {year} 年（或仍然有效）的文件；年度工作要点、计划、考核细则等"
    "只管当年，五年规划只管规划期。",
    description="立项依据中的年度性文件（年度计划、工作要点、考核细则等）应是当年或上年的，"
    "五年规划（如“十三五”规划）应在规划期内；法律法规和长期有效的管理办法不受此限。一张表的几条合为一条。定为提示：文件可能仍是"
    "依据，需要部门确认。",
    params={
        "max_age": 1,
        "annual_words": ["年度", "要点", "计划", "考核", "方案", "任务", "目标", "工作", "细则"],
        "edition_words": ["修正", "修订", "修改", "版"],
    },
)
def basis_stale(batch: Batch) -> Iterator[Finding]:
    if batch.year is None:
        return
    oldest = batch.year - basis_stale.param(batch, "max_age")
    annual = basis_stale.param(batch, "annual_words")
    editions = tuple(basis_stale.param(batch, "edition_words"))
    projects = batch.projects
    for record in records(projects[~projects["basis__raw"].map(is_blank)]):
        stale: list[tuple[int, str, str]] = []
        for item, line in _basis_lines(record["basis"]):
            for title in _TITLE.findall(line):
                found = _annual_year(title, annual, editions)
                if found is not None and found[0] < oldest:
                    stale.append((item, line, found[1]))
                    break
        if stale:
            yield basis_stale.at(
                record,
                "basis",
                value="\n".join(line for _, line, _ in stale),
                which="第 " + "、".join(str(item) for item, _, _ in stale) + " 条",
                found="、".join(dict.fromkeys(year for *_, year in stale)),
                year=batch.year,
            )


def _problems_text(found: list[tuple[int, str, list[str]]]) -> str:
    """“第 3 条与第 1 条重复” for one problem, “有 3 条写法不规范：第 2、5 条…；第 3 条…”
    for more, each problem once with the lines that have it."""
    items: dict[str, list[int]] = {}
    for item, _, problems in found:
        for problem in problems:
            items.setdefault(problem, []).append(item)
    parts = [f"第 {'、'.join(map(str, on))} 条{problem}" for problem, on in items.items()]
    lines = len(found)
    return parts[0] if len(parts) == 1 else f"有 {lines} 条写法不规范：{'；'.join(parts)}"


_TITLE = re.compile(r"《([^《》]+)》")
_BASIS_LINE = re.compile(r"《[^《》]+》(?:\s*[（(].+[）)])?")
_ENUMERATION = re.compile(r"^(?:(?:\d+|[一二三四五六七八九十]+)[.．、]|[（(]\d+[)）])\s*")
# The issuing organ's code is a few characters (渝府办发, 财预); bounded, so that a long run
# of text without a 文号 costs linear time, not quadratic.
_DOC_NUMBER = re.compile(
    r"(?P<org>[\u4e00-\u9fffA-Za-z]{1,20})\s*(?P<open>[〔﹝\[［【〖(（])\s*(?P<year>(?:19|20)\d{2})"
    r"\s*(?P<close>[〕﹞\]］】〗)）])\s*(?P<seq>[A-Za-z]?\d+)\s*号"
)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
# Five-year plans by the last year they cover (a “十三五”规划 ends in 2020).
_FIVE_YEAR_PLANS = {"十一五": 2010, "十二五": 2015, "十三五": 2020, "十四五": 2025, "十五五": 2030}
_DASH = re.compile(r"\s*[-－—–~～至到]\s*")
_PERIOD = re.compile(r"(?<!\d)(?:19|20)\d{2}\s*[-－—–~～至到]\s*((?:19|20)\d{2})(?!\d)")


def _basis_lines(text: str) -> Iterator[tuple[int, str]]:
    """The documents of a 立项依据 cell, numbered from 1, without list numbering."""
    lines = [_ENUMERATION.sub("", line).rstrip("；;。，,、") for line in text.split("\n")]
    yield from enumerate((line for line in lines if line), 1)


def _numbers(line: str) -> list[re.Match[str]]:
    """The 文号 of a line, outside its document titles."""
    return list(_DOC_NUMBER.finditer(_TITLE.sub("", line)))


def _number_key(match: re.Match[str]) -> str:
    return f"{match['org']}〔{match['year']}〕{match['seq']}号"


def _line_key(line: str) -> str:
    return label_key(_DOC_NUMBER.sub(_number_key, line))


def _line_problems(line: str) -> list[str]:
    problems = []
    if len(_TITLE.findall(line)) > 1:
        problems.append("一行写了多个文件，应每行一个")
    elif not _BASIS_LINE.fullmatch(line):
        problems.append("不是“《文件名称》（文号）”的写法")
    for match in _numbers(line):
        if (match["open"], match["close"]) != ("〔", "〕"):
            problems.append(f"文号“{match[0]}”的年份应该用“〔〕”括起来")
    if "(" in line or ")" in line:
        mixed = "（" in line or "）" in line
        problems.append("全角、半角括号混用" if mixed else "用了半角括号“()”")
    return problems


def _annual_year(
    title: str, annual: list[str], editions: tuple[str, ...]
) -> tuple[int, str] | None:
    """The latest year an annual document's title is about, and how the title names it."""
    plans = [(end, f"{end - 4}—{end}") for name, end in _FIVE_YEAR_PLANS.items() if name in title]
    if not any(word in title for word in annual):
        return max(plans) if plans else None
    found = plans + [
        (int(m[1]), m[1])
        for m in _YEAR.finditer(title)
        if not title[m.end() :].startswith(editions)
    ]
    found += [(int(m[1]), _DASH.sub("—", m[0])) for m in _PERIOD.finditer(title)]
    return max(found) if found else None
