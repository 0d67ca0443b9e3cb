"""The performance target table, declared once.

The template writer lays sheets out from these declarations and the reader finds the same
labels in filled workbooks, so a label or a position changes here and nowhere else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

TEMPLATE_VERSION = "1"

TITLE = "{year} 年区级重点专项绩效目标表（一级项目）"
TITLE_RE = re.compile(r"(\d{4})\s*年\s*区级重点专项绩效目标表")
MONEY_UNIT = "单位：万元"
INDICATOR_SECTION = "绩效指标"
WEIGHT_TOTAL_LABEL = "权重合计（指标权重＋预算执行率权重，应为 100）"
AMOUNT_CHECK_LABEL = "部门留用＋补助街镇（应等于当年预算金额）"

INSTRUCTIONS_SHEET = "填表说明"
LISTS_SHEET = "代码表"
META_SHEET = "模板信息"
PROJECT_SHEET = "项目{n}"

# Keys of the 模板信息 sheet (label in column A, value in column B).
META_VERSION = "模板版本"
META_YEAR = "预算年度"
META_UNIT = "编制单位"

EXPECTED_TOTAL_WEIGHT = 100
DEFAULT_EXEC_WEIGHT = 10
DEFAULT_INDICATOR_ROWS = 20  # with the header and the texts, one A4 page
LAST_COLUMN = 8  # the published table is eight columns wide (A:H)


class Kind(Enum):
    """How a field's value is typed in and normalized."""

    TEXT = "text"
    LONG_TEXT = "long_text"
    UNIT = "unit"  # 编制单位: "code-name"
    MONEY = "money"  # 万元, two decimals
    WEIGHT = "weight"  # a number of percentage points
    CHOICE = "choice"


# What the checks examine of a text, at most (characters): a paste of a whole document into
# one cell (Excel allows 32,767 characters) must not make the review of a file take minutes.
MAX_CHARS: dict[Kind, int] = {
    Kind.LONG_TEXT: 3000,
    Kind.TEXT: 200,
    Kind.UNIT: 200,
    Kind.CHOICE: 200,
}


@dataclass(frozen=True)
class Field:
    """One labelled input of a project sheet's header block.

    The label sits at (row, col); its value cell starts just right of it and spans `span`
    columns. Rows and columns are 1-based, as Excel shows them.
    """

    key: str
    label: str
    kind: Kind
    row: int
    col: int
    span: int
    required: bool = True
    help: str = ""

    @property
    def max_chars(self) -> int:
        return MAX_CHARS.get(self.kind, 0)


@dataclass(frozen=True)
class Column:
    """One column of the indicator table."""

    key: str
    label: str
    kind: Kind
    width: float
    help: str = ""
    aliases: tuple[str, ...] = ()  # other headers the reader accepts for this column

    @property
    def max_chars(self) -> int:
        return MAX_CHARS.get(self.kind, 0)


HEADER_FIELDS: tuple[Field, ...] = (
    Field(
        "unit",
        "编制单位",
        Kind.UNIT,
        2,
        1,
        5,
        help="填写“单位编码-单位名称”，如 107-中国共产党重庆市北碚区委员会组织部",
    ),
    Field("name", "一级项目名称", Kind.TEXT, 3, 1, 3, help="与预算系统中的一级项目名称一致"),
    Field("supervisor", "业务主管部门", Kind.TEXT, 3, 5, 3, help="填写业务主管部门全称"),
    Field(
        "exec_weight",
        "预算执行率权重",
        Kind.WEIGHT,
        4,
        1,
        3,
        help="一般为 10；指标权重合计＋本项应为 100",
    ),
    Field("retained", "部门留用", Kind.MONEY, 4, 5, 3, help="单位：万元，保留两位小数"),
    Field(
        "budget", "当年预算金额", Kind.MONEY, 5, 1, 3, help="单位：万元；应等于部门留用＋补助街镇"
    ),
    Field("subsidy", "补助街镇", Kind.MONEY, 5, 5, 3, help="单位：万元；没有则填 0"),
    Field("overview", "项目概述", Kind.LONG_TEXT, 6, 1, 7, help="项目内容、实施范围、资金用途"),
    Field("basis", "立项依据", Kind.LONG_TEXT, 7, 1, 7, help="每行一个文件：《文件名称》（文号）"),
    Field(
        "goals",
        "当年绩效目标",
        Kind.LONG_TEXT,
        8,
        1,
        7,
        help="写明当年要完成的产出和效果，尽量量化，可分条 1. 2. 3.",
    ),
)
FIELDS_BY_KEY = {f.key: f for f in HEADER_FIELDS}

SECTION_ROW = 9
INDICATOR_HEADER_ROW = 10

INDICATOR_COLUMNS: tuple[Column, ...] = (
    Column("level1", "一级指标", Kind.CHOICE, 14, "从下拉列表选择"),
    Column("level2", "二级指标", Kind.CHOICE, 14, "先选一级指标，再从下拉列表选择"),
    Column("name", "三级指标", Kind.TEXT, 24, "指标名称，一行一个指标"),
    Column("unit", "计量单位", Kind.TEXT, 9, "定量指标必填，如 %、次、人、万元；定性指标留空"),
    Column("op", "指标性质", Kind.CHOICE, 12, "≥ ≤ ＝ ＞ ＜ 或 定性", ("计算符号",)),
    Column("target", "指标值", Kind.TEXT, 12, "定量指标填数字（不带单位）；定性指标填文字"),
    Column("weight", "权重（%）", Kind.WEIGHT, 9, "大于 0 的数字", ("权重", "指标权重")),
    Column("core", "是否核心指标", Kind.CHOICE, 12, "是 / 否", ("核心指标", "是否核心")),
)
COLUMNS_BY_KEY = {c.key: c for c in INDICATOR_COLUMNS}

# Indicator taxonomy (一级 → 二级). Both frameworks in use are accepted: the older one keeps
# 成本指标 under 产出指标 (财预〔2015〕88号), the 2021 one makes 成本指标 a first level
# (财预〔2021〕101号); 可持续影响指标 stays because local systems still carry it.
TAXONOMY: dict[str, tuple[str, ...]] = {
    "产出指标": ("数量指标", "质量指标", "时效指标", "成本指标"),
    "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    "满意度指标": ("服务对象满意度指标",),
    "成本指标": ("经济成本指标", "社会成本指标", "生态环境成本指标"),
}

QUALITATIVE = "定性"
# Canonical comparison signs, written as in the published tables.
OPERATORS: tuple[str, ...] = ("≥", "≤", "＝", "＞", "＜", QUALITATIVE)
YES, NO = "是", "否"
CORE_CHOICES: tuple[str, ...] = (YES, NO)


def title(year: int) -> str:
    return TITLE.format(year=year)
