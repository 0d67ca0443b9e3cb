"""The template: laid out from the schema, read back by the reader, committed copy fresh."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from bptools.model import Project
from bptools.normalize import number_text
from bptools.reader import read_workbook
from bptools.rules import RULES
from bptools.schema import (
    DEFAULT_INDICATOR_ROWS,
    HEADER_FIELDS,
    INDICATOR_COLUMNS,
    INDICATOR_HEADER_ROW,
    INSTRUCTIONS_SHEET,
    LISTS_SHEET,
    META_SHEET,
    TAXONOMY,
    title,
)
from bptools.template import write_template

from .conftest import ROOT

COMMITTED = ROOT / "templates" / "项目支出绩效目标表模板.xlsx"


def test_committed_template_is_fresh(tmp_path: Path) -> None:
    fresh = write_template(tmp_path / "t.xlsx", 2023, reproducible=True)
    assert fresh.read_bytes() == COMMITTED.read_bytes(), "templates/ is stale: run `make template`"


def test_template_layout_follows_the_schema(tmp_path: Path) -> None:
    path = write_template(tmp_path / "t.xlsx", 2024, unit="107-组织部", n_projects=2)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [INSTRUCTIONS_SHEET, "项目1", "项目2", LISTS_SHEET, META_SHEET]
    assert wb[LISTS_SHEET].sheet_state == "hidden"
    assert wb[META_SHEET].sheet_state == "hidden"
    ws = wb["项目1"]
    assert ws["A1"].value == title(2024)
    for field in HEADER_FIELDS:
        assert ws.cell(field.row, field.col).value == field.label
    assert ws.cell(2, 2).value == "107-组织部"
    header = [ws.cell(INDICATOR_HEADER_ROW, n + 1).value for n in range(len(INDICATOR_COLUMNS))]
    assert header == [c.label for c in INDICATOR_COLUMNS]
    assert ws.print_options.horizontalCentered
    assert ws.page_setup.paperSize == 9


def test_template_dropdowns_use_defined_names(tmp_path: Path) -> None:
    path = write_template(tmp_path / "t.xlsx", 2023)
    wb = openpyxl.load_workbook(path)
    names = set(wb.defined_names)
    assert set(TAXONOMY) <= names
    assert {"一级指标列表", "指标性质列表", "是否列表"} <= names
    formulas = {dv.formula1 for dv in wb["项目1"].data_validations.dataValidation}
    assert "一级指标列表" in formulas
    assert "INDIRECT($A11)" in formulas  # each row's 二级 follows its own 一级
    assert "指标性质列表" in formulas
    # Each 一级 name lists exactly its 二级.
    lists = wb[LISTS_SHEET]
    for level1, level2s in TAXONOMY.items():
        sheet, ref = next(iter(wb.defined_names[level1].destinations))
        assert sheet == LISTS_SHEET
        values = [c.value for row in lists[ref.replace("$", "")] for c in row]
        assert tuple(values) == level2s


def test_blank_template_reads_as_blank_sheets(tmp_path: Path) -> None:
    book = read_workbook(write_template(tmp_path / "t.xlsx", 2023, n_projects=3))
    assert book.tables == []
    assert book.blank_sheets == ["项目1", "项目2", "项目3"]


def test_round_trip_reads_back_what_was_filled(tmp_path: Path, project: Project) -> None:
    path = write_template(tmp_path / "t.xlsx", 2023, unit=project.unit, projects=[project])
    book = read_workbook(path)
    assert book.meta == {"模板版本": "1", "预算年度": "2023", "编制单位": project.unit}
    (table,) = book.tables
    typed = {k: c.value for k, c in table.fields.items()}
    assert typed == {
        "unit": project.unit,
        "name": project.name,
        "supervisor": project.supervisor,
        "exec_weight": 10.0,
        "retained": 50.0,
        "budget": 50.0,
        "subsidy": 0.0,
        "overview": project.overview,
        "basis": "\n".join(project.basis),
        "goals": project.goals,
    }
    assert len(table.rows) == len(project.indicators)
    for row, indicator in zip(table.rows, project.indicators, strict=True):
        for column in INDICATOR_COLUMNS:
            value = row[column.key].value
            shown = number_text(value) if isinstance(value, float) else value
            expected = getattr(indicator, column.key)
            assert shown == (str(expected) if expected != "" else ""), column.key


@pytest.mark.parametrize("rows", [5, 40])
def test_indicator_rows_grow_to_fit_the_project(
    tmp_path: Path, project: Project, rows: int
) -> None:
    path = write_template(tmp_path / "t.xlsx", 2023, projects=[project], indicator_rows=rows)
    ws = openpyxl.load_workbook(path)["项目1"]
    first = INDICATOR_HEADER_ROW + 1
    total_row = first + max(rows, len(project.indicators))
    assert str(ws.cell(total_row, 1).value).startswith("权重合计")
    assert ws.cell(total_row, 7).value.startswith("=SUM(G11:G")


def test_prefilled_department_text_stays_text(tmp_path: Path, project: Project) -> None:
    import dataclasses

    hostile = '=HYPERLINK("http://example.com","点我")'
    rows = list(project.indicators)
    rows[0] = dataclasses.replace(rows[0], name="+cmd|' /C calc'!A0", target="@SUM(1)")
    filled = dataclasses.replace(
        project, supervisor=hostile, overview="-1+1", indicators=tuple(rows)
    )
    path = write_template(tmp_path / "t.xlsx", 2023, projects=[filled])
    ws = openpyxl.load_workbook(path)["项目1"]
    assert ws["F3"].value == hostile and ws["F3"].data_type == "s"
    assert ws["B6"].value == "-1+1" and ws["C11"].data_type == "s"
    formulas = [c.coordinate for row in ws.iter_rows() for c in row if c.data_type == "f"]
    totals = INDICATOR_HEADER_ROW + DEFAULT_INDICATOR_ROWS + 1  # below the indicator rows
    assert formulas == [f"G{totals}", f"G{totals + 1}"]  # our own totals only
    assert not [c for row in ws.iter_rows() for c in row if c.hyperlink]


def test_instructions_list_the_rules_a_department_acts_on_in_its_words(tmp_path: Path) -> None:
    """The rule table tells a department what is checked: no rule about the bureau's inbox
    or the tool itself, no configuration keys or command options."""
    path = write_template(tmp_path / "t.xlsx", 2023)
    ws = openpyxl.load_workbook(path)[INSTRUCTIONS_SHEET]
    listed = {row[0]: row[3] for row in ws.iter_rows(values_only=True) if row[0] in RULES}
    assert set(listed) == {r.id for r in RULES.values() if not r.bureau}
    assert {"BP007", "BP008", "BP009", "BP902"}.isdisjoint(listed)
    for rule_id, text in listed.items():
        keys = [k for k in RULES[rule_id].params if k in text]
        assert not keys and "--" not in text and "参数" not in text, rule_id
    assert "权重达到 20 的" in listed["BP308"]  # what an aside on a parameter leaves
    assert listed["BP603"].startswith("满意度目标（%）低于 85 时提示")
