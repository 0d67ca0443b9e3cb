"""Cells read as the person who filled them saw them: number formats, amounts with units,
dates, and the 提示 (BP116) that says how an entry was read."""

from __future__ import annotations

import math
import re
import shutil
import zipfile
from datetime import date, datetime, time, timedelta
from pathlib import Path

import openpyxl
import pytest

from bptools import consolidate
from bptools.model import Project
from bptools.numfmt import DATE, PERCENT, format_kind, serial_number
from bptools.readings import (
    exact_amount,
    money_total,
    read_amount,
    read_target,
    read_weight,
)
from bptools.report import write_report

from .conftest import SAMPLES, MakeWorkbook
from .office_typing import type_into_workbook


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("0%", PERCENT),
        ("0.00%", PERCENT),
        ('0.0"%"', ""),  # a literal percent sign: the value is not scaled
        ("#,##0.00", ""),
        ("General", ""),
        ("yyyy/m/d", DATE),
        ("yyyy年m月d日", DATE),
        ("[$-804]yyyy年m月d日;@", DATE),
        ("h:mm:ss", DATE),
        ("[h]:mm", DATE),
        ("[Red]0.00", ""),
        ('0"人"', ""),
        ("0.00E+00", ""),
        ("@", ""),
    ],
)
def test_format_kinds(code: str, kind: str) -> None:
    assert format_kind(code) == kind


@pytest.mark.parametrize(
    ("value", "serial"),
    [
        (date(1900, 1, 10), 10),
        (date(2023, 12, 31), 45291),
        (datetime(1900, 3, 1), 61),
        (time(12, 0), 0.5),
        (timedelta(days=10), 10),
    ],
)
def test_serial_numbers_undo_calamines_dates(value: object, serial: float) -> None:
    """The serials calamine turned into these values (see its handling of 1900)."""
    assert serial_number(value) == serial


def test_a_percent_formatted_weight_is_percentage_points() -> None:
    reading = read_weight(0.1, "0%")
    assert (reading.value, reading.raw, reading.why) == (10.0, "10%", "")
    assert read_weight(0.07, "0.00%").value == 7.0  # not 7.000000000000001


def test_a_weight_typed_into_a_percent_cell_keeps_its_number_and_says_so() -> None:
    """A weight of 100 % or more cannot be meant: 10 was typed into a cell formatted as %."""
    reading = read_weight(10.0, "0%")
    assert (reading.value, reading.raw, reading.reading) == (10.0, "1000%", "10")
    assert "百分比格式" in reading.why


def test_a_percent_formatted_target_reads_as_typed() -> None:
    reading = read_target(0.95, "0%")
    assert (reading.value, reading.raw, reading.why) == ("95%", "95%", "")
    assert read_target(0.95, "").value == "0.95"  # no format: the stored number


def test_a_number_in_a_date_cell_is_the_number() -> None:
    reading = read_weight(date(1900, 1, 10), "yyyy-mm-dd")
    assert (reading.value, reading.raw, reading.reading) == (10.0, "1900-01-10", "10")
    target = read_target(date(1900, 4, 4), "yyyy-mm-dd")
    assert (target.value, target.reading) == ("95", "95")
    # A real date stays a date: the value is not a number.
    assert math.isnan(read_weight(date(2023, 12, 31), "yyyy-mm-dd").value)
    assert read_target(date(2023, 12, 31), "yyyy-mm-dd").value == "2023-12-31"
    assert read_target(time(12, 0), "h:mm").value == "12:00"


@pytest.mark.parametrize(
    ("raw", "value", "reading"),
    [
        (50, 50.0, ""),
        (12.345, 12.35, ""),  # the table keeps two decimals; BP203 still sees 12.345
        ("1,234.50", 1234.5, ""),
        ("１２３", 123.0, ""),
        ("50万元", 50.0, "50 万元"),
        ("50万", 50.0, "50 万元"),
        ("500000元", 50.0, "50 万元"),
        ("2亿元", 20000.0, "20000 万元"),
        ("五十万", math.nan, ""),
        ("abc", math.nan, ""),
        (1e308, math.nan, ""),
        (float("inf"), math.nan, ""),
        (True, math.nan, ""),
    ],
)
def test_amounts(raw: object, value: float, reading: str) -> None:
    got = read_amount(raw)
    assert got.value == value or (math.isnan(value) and math.isnan(got.value))
    assert got.reading == reading
    assert got.raw == raw


def test_exact_amounts_and_totals_without_noise() -> None:
    assert exact_amount(12.345) == 12.345
    assert exact_amount("50万元") == 50
    assert math.isnan(exact_amount("abc"))
    assert money_total([0.1, 0.2, math.nan]) == 0.3
    assert sum([0.1, 0.2]) != 0.3  # what a plain sum gives: 0.30000000000000004


def _edit(path: Path, **cells: tuple[object, str]) -> Path:
    """Set 项目1's cells as a person would in Excel: a value and its number format."""
    wb = openpyxl.load_workbook(path)
    for ref, (value, number_format) in cells.items():
        wb["项目1"][ref].value = value
        wb["项目1"][ref].number_format = number_format
    wb.save(path)
    return path


def test_typed_percentages_dates_and_amount_units_through_a_workbook(
    make_workbook: MakeWorkbook, project: Project
) -> None:
    """组织部's table: F11/G11 is its first indicator (发放各项奖补覆盖率, %, ≥ 95, weight 10)."""
    path = _edit(
        make_workbook(project),
        F11=(0.95, "0%"),
        G11=(0.1, "0.00%"),
        G12=(20, "yyyy/m/d"),
        B5=("50万元", "General"),
    )
    result = consolidate([path])
    first, second = result.batch.indicators.iloc[0], result.batch.indicators.iloc[1]
    assert (first["target_num"], first["target__raw"], first["target__format"]) == (
        95.0,
        "95%",
        "0%",
    )
    assert (first["weight"], first["weight__raw"]) == (10.0, "10%")
    assert (second["weight"], second["weight__raw"]) == (20.0, "1900-01-20")
    assert result.batch.projects.iloc[0]["budget"] == 50.0
    notes = [(f.rule_id, f.cell, f.value) for f in result.findings if f.rule_id == "BP116"]
    assert notes == [("BP116", "B5", "50万元"), ("BP116", "G12", "1900-01-20")]
    (budget,) = [f for f in result.findings if f.rule_id == "BP116" and f.cell == "B5"]
    assert budget.message == (
        "“当年预算金额”填写的是“50万元”，已按 50 万元 读取：金额栏以万元为单位，只填数字"
    )
    # The weights add up as the department meant them: no BP302.
    assert [f for f in result.findings if f.rule_id == "BP302"] == []


def test_a_percentage_typed_in_libreoffice_reads_back_as_typed(tmp_path: Path) -> None:
    """A person types `95%` into 指标值 of a row in % and `10%` into a weight, in
    LibreOffice Calc: the file stores 0.95 and 0.1 with a percent format (a custom
    "0.00%" numFmt, not the built-in ids). 组织部's F11 is 发放各项奖补覆盖率 (%, ≥ 95), G13
    the weight (10) of 补助对象满意度."""
    source = shutil.copy(SAMPLES / "107-中国共产党重庆市北碚区委员会组织部.xlsx", tmp_path)
    typed = type_into_workbook(
        Path(source), tmp_path / "typed.xlsx", [("项目1", "F11", "95%"), ("项目1", "G13", "10%")]
    )
    with zipfile.ZipFile(typed) as package:
        sheet = package.read("xl/worksheets/sheet2.xml").decode()
    assert re.search(r'<c r="F11" s="\d+" t="n"><v>0.95</v>', sheet)  # as Calc stored it
    result = consolidate([typed])
    rows = result.batch.indicators.set_index("seq")
    assert (rows.loc[1, "target"], rows.loc[1, "target_num"], rows.loc[1, "target__raw"]) == (
        "95",
        95.0,
        "95%",
    )
    assert "%" in rows.loc[1, "target__format"]
    assert (rows.loc[3, "weight"], rows.loc[3, "weight__raw"]) == (10.0, "10%")
    assert not [f for f in result.findings if f.rule_id in ("BP302", "BP508")]
    indicators = openpyxl.load_workbook(write_report(result, tmp_path / "out"))["指标明细"]
    row = next(r for r in indicators.iter_rows(values_only=True) if r[3] == 1)
    assert row[9:11] == (95, "95")  # 指标值 a number, beside it as the table reads it
