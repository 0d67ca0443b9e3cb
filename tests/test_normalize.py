"""What departments type, and what it means."""

from __future__ import annotations

import math

import pytest

from bptools.normalize import (
    as_text,
    clean_label,
    clean_text,
    label_key,
    parse_number,
    parse_operator,
    parse_yes_no,
    split_unit,
)


@pytest.mark.parametrize(
    ("raw", "value", "note"),
    [
        (95.0, 95.0, ""),
        ("95", 95.0, "数字以文本形式录入"),
        ("９５", 95.0, "数字以文本形式录入"),
        (" 1,234.50 ", 1234.5, "数字以文本形式录入，去掉了千位分隔符"),
        ("95%", 95.0, "数字以文本形式录入，去掉了百分号"),
        ("９５％", 95.0, "数字以文本形式录入，去掉了百分号"),
        ("-5", -5.0, "数字以文本形式录入"),
        ("十万", None, "不是数字"),
        ("2000万", None, "不是数字"),
        ("1,23", None, "不是数字"),
        ("", None, ""),
        (None, None, ""),
        (True, None, "不是数字"),
    ],
)
def test_parse_number(raw: object, value: float | None, note: str) -> None:
    assert parse_number(raw) == (value, note)


@pytest.mark.parametrize(
    ("raw", "op"),
    [
        ("≥", "≥"),
        (">=", "≥"),
        ("≧", "≥"),
        ("大于等于", "≥"),
        ("不低于", "≥"),
        ("＞＝", "≥"),
        ("≤", "≤"),
        ("<=", "≤"),
        ("不超过", "≤"),
        ("=", "＝"),
        ("＝", "＝"),
        ("等于", "＝"),
        (">", "＞"),
        ("＞", "＞"),
        ("<", "＜"),
        ("＜", "＜"),
        ("定性", "定性"),
        (" 定 性 ", "定性"),
        ("约等于", None),
        ("", None),
    ],
)
def test_parse_operator(raw: str, op: str | None) -> None:
    assert parse_operator(raw) == op


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("是", "是"),
        ("Y", "是"),
        ("yes", "是"),
        ("√", "是"),
        ("否", "否"),
        ("N", "否"),
        ("×", "否"),
        ("也许", None),
        ("", None),
    ],
)
def test_parse_yes_no(raw: str, value: str | None) -> None:
    assert parse_yes_no(raw) == value


@pytest.mark.parametrize(
    ("raw", "split"),
    [
        ("107-中国共产党重庆市北碚区委员会组织部", ("107", "中国共产党重庆市北碚区委员会组织部")),
        ("107－组织部", ("107", "组织部")),
        ("１０７—组织部", ("107", "组织部")),
        (" 118 - 北碚区财政局（代编） ", ("118", "北碚区财政局（代编）")),
        ("组织部", None),
        ("107-", None),
    ],
)
def test_split_unit(raw: str, split: tuple[str, str] | None) -> None:
    assert split_unit(raw) == split


def test_clean_label_undoes_wrapping_but_keeps_width() -> None:
    assert clean_label("发放各项奖\n补覆盖率 ") == "发放各项奖补覆盖率"
    assert clean_label("北碚区财政局（代编）") == "北碚区财政局（代编）"
    assert clean_label("PM 2.5 浓度") == "PM 2.5浓度"


def test_clean_text_keeps_paragraphs_and_maps_kangxi_radicals() -> None:
    assert clean_text("  1.完成⽇常工作；\r\n\r\n2.其他  ") == "1.完成日常工作；\n\n2.其他"


def test_label_key_ignores_width_space_and_colon() -> None:
    assert label_key("编制单位：") == label_key(" 编制 单位:") == "编制单位"
    assert label_key("权重（%）") == label_key("权重(%)")


def test_as_text_writes_numbers_as_people_do() -> None:
    assert as_text(95.0) == "95"
    assert as_text(0.125) == "0.125"
    assert as_text(math.nan) == ""
