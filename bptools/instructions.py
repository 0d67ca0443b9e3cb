"""The 填表说明 sheet of the template: how to fill it in, and the rules the bureau checks
it by, in a department's words."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from xlsxwriter.worksheet import Worksheet

from .rules import RULES
from .schema import DEFAULT_EXEC_WEIGHT, EXPECTED_TOTAL_WEIGHT
from .write import style
from .write.book import set_page
from .write.style import Page, fitted_height

if TYPE_CHECKING:
    from .template import Formats

RULE_TEXT_WIDTH = 70  # the 说明与修改方法 column
WIDTHS = (10, 8, 26, RULE_TEXT_WIDTH)
LAST_YEAR_NOTE = (
    "本模板预填了 {last_year} 年填报的内容，作为填写 {year} 年的起点。浅绿色单元格里是 "
    "{last_year} 年的内容（指标表中上年的指标整行为浅绿色），请逐项核对，按 {year} 年的实际"
    "情况修改，特别是当年预算金额、部门留用、补助街镇、项目概述、当年绩效目标和各项指标值；"
    "{year} 年不再安排的项目，删除它的工作表；新增的项目填在空白的项目表中。浅绿色只标明"
    "哪些是 {last_year} 年的内容，修改后不会自动变色，也不必清除，不影响审核和汇总。"
)


def write_instructions(ws: Worksheet, f: Formats, year: int, last_year: int | None) -> None:
    """How to fill the workbook (and, when it is pre-filled with the tables of `last_year`,
    what that means), then the rules it will be checked by."""
    for col, width in enumerate(WIDTHS):
        ws.set_column(col, col, width)
    ws.merge_range(0, 0, 0, 3, f"{year} 年区级重点专项绩效目标表 填表说明", f.title)
    steps = [
        "1. 每个一级项目填写一个工作表（“项目1”“项目2”…）。项目多时，右键工作表标签"
        "“移动或复制”→“建立副本”；多余的空白项目表可以保留或删除。",
        "2. 黄色单元格为填写区，灰色为栏目名称，请勿修改栏目名称、勿合并或拆分单元格。"
        "指标行不够时，在两行指标之间右键“插入”整行，下方的合计会包括新行。",
        "3. 金额单位为万元，保留两位小数；部门留用＋补助街镇＝当年预算金额。",
        f"4. 指标权重合计＋预算执行率权重（一般为 {DEFAULT_EXEC_WEIGHT}）＝"
        f"{EXPECTED_TOTAL_WEIGHT}，表格下方有自动合计供核对。",
        "5. 一级、二级指标、指标性质、是否核心指标请从下拉列表选择；二级指标的可选项随一级"
        "指标变化。定量指标的指标值只填数字，单位写在“计量单位”；定性指标计量单位留空。",
        "6. 应至少包含产出、效益、满意度指标，并至少有一个核心指标。",
        "7. 不要在单元格中输入公式；从 Word 复制的内容请用“选择性粘贴→文本”。",
    ]
    row = 2
    if last_year:
        # In the colour it explains: the note shows what a carried value looks like.
        note = LAST_YEAR_NOTE.format(year=year, last_year=last_year)
        ws.merge_range(row, 0, row, 3, note, f.last_year.wrap)
        ws.set_row(row, fitted_height(note, sum(WIDTHS), minimum=30))
        row += 2
    for n, text in enumerate(steps):
        ws.merge_range(row + n, 0, row + n, 3, text, f.note)
        ws.set_row(row + n, 30)
    row += len(steps) + 1
    ws.write_string(row, 0, "审核规则（财政局汇总时按以下规则检查）", f.note_bold)
    row += 1
    rules_header = row
    for col, text in enumerate(("规则编号", "级别", "规则", "说明与修改方法")):
        ws.write_string(row, col, text, f.label)
    for each in (r for r in RULES.values() if not r.bureau):
        row += 1
        ws.write_string(row, 0, each.id, f.rule_row)
        ws.write_string(row, 1, each.severity.value, f.rule_row)
        ws.write_string(row, 2, each.title, f.rule_row)
        text = f"{for_departments(each.description)}\n修改方法：{for_departments(each.hint)}"
        ws.write_string(row, 3, text, f.rule_row)
        ws.set_row(row, fitted_height(text, RULE_TEXT_WIDTH, minimum=style.ROW_HEIGHT))
    set_page(ws, Page(repeat=(rules_header, rules_header)))


_SENTENCE = re.compile(r"[^。；]*[。；]?")
_ASIDE = re.compile(r"（[^（）]*(?:参数|--)[^（）]*）")


def for_departments(text: str) -> str:
    """A rule's text as a department reads it: without the bureau's configuration (the
    parameters bptools.toml sets, command options)."""
    text = _ASIDE.sub(_spaced, text)
    kept = [s for s in _SENTENCE.findall(text) if "参数" not in s and "--" not in s]
    return "".join(kept).strip()


def _spaced(aside: re.Match[str]) -> str:
    """What an aside leaves: the space that kept a number apart from the word after it."""
    before = aside.string[aside.start() - 1 : aside.start()]
    return " " if before.isascii() and before.isalnum() else ""
