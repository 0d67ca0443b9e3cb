"""Next year's templates (`bptools template --from`), made from the 2023 consolidated workbook
of the samples: they read back to the same projects, a year on, and review as the 2023 tables
do, apart from what the advance of the year itself changes."""

from __future__ import annotations

import contextlib
import dataclasses
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.worksheet.worksheet import Worksheet

from bptools import Consolidation, Finding, consolidate, read_workbook
from bptools.cli import cli
from bptools.model import Project
from bptools.nextyear import NEW_PROJECT_SHEETS, WouldOverwrite, write_next_year
from bptools.readback import Plans, plans_of, read_consolidated
from bptools.schema import (
    FIELDS_BY_KEY,
    HEADER_FIELDS,
    INDICATOR_COLUMNS,
    INDICATOR_HEADER_ROW,
    INSTRUCTIONS_SHEET,
    title,
)
from bptools.template import write_template
from bptools.write import style

from .conftest import SAMPLE_FILES, SAMPLE_GLOB, MakeWorkbook

REPORT = "2023年绩效目标汇总.xlsx"


def invoke(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    return result.exit_code, result.output


def merged(inputs: list[str], outdir: Path) -> Path:
    code, output = invoke(
        "merge", *inputs, "-o", outdir, "--no-html", "--no-feedback", "--fail-on", "never"
    )
    assert code == 0, output
    return outdir / REPORT


@pytest.fixture(scope="module")
def consolidated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 2023 consolidated workbook of the samples, as `bptools merge` writes it."""
    return merged([SAMPLE_GLOB], tmp_path_factory.mktemp("merged"))


@pytest.fixture(scope="module")
def templates(consolidated: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 2024 templates `bptools template --from` writes (into its default folder)."""
    cwd = tmp_path_factory.mktemp("clerk")
    with contextlib.chdir(cwd):  # the folder is named after the year, where the clerk is
        code, output = invoke("template", "--from", consolidated)
    assert code == 0, output
    lines = output.splitlines()
    assert lines[0] == f"已生成 2024 年的模板，预填“{REPORT}”中各部门的项目："
    assert lines[1] == f"  {SAMPLE_FILES[0].name}（2 个项目）"
    assert lines[-1] == "共 19 个部门、29 个项目，在：2024年填报模板"
    return cwd / "2024年填报模板"


@pytest.fixture(scope="module")
def samples_2023() -> Consolidation:
    return consolidate(SAMPLE_FILES)


@pytest.fixture(scope="module")
def templates_2024(templates: Path) -> Consolidation:
    return consolidate([templates])


def test_the_templates_read_back_to_last_years_projects_a_year_on(
    templates_2024: Consolidation, samples_2023: Consolidation, consolidated: Path
) -> None:
    assert templates_2024.year == 2024
    plans = plans_of(templates_2024, "2024")
    assert len(plans.projects) == 29
    assert plans.projects == plans_of(samples_2023, "2023").projects
    assert plans.projects == read_consolidated(consolidated).projects
    assert set(templates_2024.batch.projects["year"]) == {2024}


def test_one_workbook_per_department_named_as_the_samples(templates: Path) -> None:
    assert sorted(p.name for p in templates.iterdir()) == [p.name for p in SAMPLE_FILES]
    for path in templates.iterdir():
        book = read_workbook(path)
        carried = len(book.tables)
        assert book.blank_sheets == [
            f"项目{carried + n}" for n in range(1, NEW_PROJECT_SHEETS + 1)
        ]
        assert book.meta["预算年度"] == "2024"
        wb = openpyxl.load_workbook(path, read_only=True)
        for n in range(1, carried + NEW_PROJECT_SHEETS + 1):
            assert wb[f"项目{n}"]["A1"].value == title(2024)
        assert str(wb[INSTRUCTIONS_SHEET]["A1"].value).startswith("2024 年")
        assert wb[f"项目{carried + 1}"]["B2"].value == path.stem  # 编制单位 on the blank one


def _fill(ws: Worksheet, row: int, col: int) -> str:
    return str(ws.cell(row, col).fill.fgColor.rgb)[-6:]


def test_last_years_values_carry_the_last_year_colour(
    templates: Path, sample_projects: list[Project]
) -> None:
    unit = "404-重庆市北碚区残疾人联合会"
    wb = openpyxl.load_workbook(templates / f"{unit}.xlsx")
    ws = wb["项目1"]
    for field in HEADER_FIELDS:
        expected = style.INPUT_FILL if field.key == "unit" else style.LAST_YEAR_FILL
        assert _fill(ws, field.row, field.col + 1) == expected, field.key
    assert _fill(ws, *_cell("budget")) == style.LAST_YEAR_FILL  # amounts are last year's
    first = INDICATOR_HEADER_ROW + 1
    rows = 0
    while ws.cell(first + rows, 3).value:
        rows += 1
    assert rows == len(next(p for p in sample_projects if p.unit == unit).indicators)
    for row in range(first, first + rows):  # a carried indicator: its whole row
        assert {_fill(ws, row, c) for c in range(1, len(INDICATOR_COLUMNS) + 1)} == {
            style.LAST_YEAR_FILL
        }
    assert _fill(ws, first + rows, 1) == style.INPUT_FILL  # the rows left for new ones
    blank = wb["项目5"]
    assert _fill(blank, *_cell("budget")) == style.INPUT_FILL
    assert _fill(blank, first, 3) == style.INPUT_FILL


def _cell(key: str) -> tuple[int, int]:
    field = FIELDS_BY_KEY[key]
    return field.row, field.col + 1


def _note(path: Path) -> tuple[str, str]:
    """The text and the fill of the note on 填表说明 about last year's values."""
    ws = openpyxl.load_workbook(path)[INSTRUCTIONS_SHEET]
    cell = next(c for row in ws.iter_rows() for c in row if "预填了" in str(c.value or ""))
    return str(cell.value), str(cell.fill.fgColor.rgb)[-6:]


def test_the_instructions_say_whose_values_and_what_the_colour_means(
    templates: Path, tmp_path: Path
) -> None:
    text, fill = _note(templates / SAMPLE_FILES[0].name)
    assert fill == style.LAST_YEAR_FILL  # the note is in the colour it explains
    assert "本模板预填了 2023 年填报的内容，作为填写 2024 年的起点" in text
    assert "浅绿色单元格里是 2023 年的内容" in text and "当年预算金额" in text
    assert "修改后不会自动变色，也不必清除" in text
    plain = openpyxl.load_workbook(write_template(tmp_path / "空白.xlsx", 2024))
    cells = plain[INSTRUCTIONS_SHEET].iter_rows()
    assert not any("预填了" in str(c.value or "") for row in cells for c in row)


Place = tuple[str, str, str, str, str]


def _place(finding: Finding) -> Place:
    return (finding.rule_id, finding.unit, finding.project, finding.sheet, finding.cell)


def test_the_colour_changes_no_finding(
    consolidated: Path, samples_2023: Consolidation, tmp_path: Path
) -> None:
    """Last year's tables in last year's colour, for the same year: the review finds
    exactly what it finds in the samples, cell for cell."""
    for unit, projects in read_consolidated(consolidated).by_unit().items():
        path = tmp_path / f"{unit}.xlsx"
        write_template(path, 2023, unit=unit, projects=projects, last_year=2022)
    found = consolidate([tmp_path]).findings
    assert {_place(f) for f in found} == {_place(f) for f in samples_2023.findings}


def test_the_advance_of_the_year_changes_only_year_bound_findings(
    templates_2024: Consolidation, samples_2023: Consolidation
) -> None:
    """The 2024 templates give the findings of the 2023 tables, cell for cell, except
    BP109 (立项依据可能过时) where a basis lists annual documents of 2022 (current for a
    2023 table, stale for a 2024 one), and BP812 (目标内容没有对应指标) where the goal's
    commitment names 2023 (about another year, once the table is 2024's)."""
    before = {_place(f) for f in samples_2023.findings}
    after = {_place(f) for f in templates_2024.findings}
    added = [f for f in templates_2024.findings if _place(f) not in before]
    assert [(f.rule_id, f.params["found"]) for f in added] == [("BP109", "2022")] * 2
    assert [f.project for f in added] == ["市场监管专项", "文化旅游发展专项"]
    gone = [f for f in samples_2023.findings if _place(f) not in after]
    assert [(f.rule_id, f.value) for f in gone] == [("BP812", "2023年累计培训人数1000人")]


def test_dept_writes_one_department_only(consolidated: Path, tmp_path: Path) -> None:
    code, output = invoke("template", "--from", consolidated, "--dept", "组织部", "-o", tmp_path)
    assert code == 0, output
    assert [p.name for p in tmp_path.iterdir()] == ["107-中国共产党重庆市北碚区委员会组织部.xlsx"]
    assert "107-中国共产党重庆市北碚区委员会组织部.xlsx（1 个项目）" in output
    for dept in ("107", "107－中国共产党重庆市北碚区委员会组织部"):
        assert (
            invoke("template", "--from", consolidated, "--dept", dept, "-o", tmp_path / dept)[0]
            == 0
        )
        assert len(list((tmp_path / dept).iterdir())) == 1
    code, output = invoke(
        "template", "--from", consolidated, "--dept", "委员会", "-o", tmp_path / "x"
    )
    assert code == 2 and "“委员会”可以指 9 个单位" in output and "--dept 106" in output
    code, output = invoke(
        "template", "--from", consolidated, "--dept", "108", "-o", tmp_path / "x"
    )
    assert code == 2 and "中没有编制单位“108”" in output and "106、107、111" in output
    assert not (tmp_path / "x").exists()


def test_year_may_be_given(consolidated: Path, tmp_path: Path) -> None:
    code, output = invoke(
        "template", "--from", consolidated, "--year", 2025, "--dept", 404, "-o", tmp_path
    )
    assert code == 0, output
    path = tmp_path / "404-重庆市北碚区残疾人联合会.xlsx"
    assert openpyxl.load_workbook(path)["项目1"]["A1"].value == title(2025)
    assert "本模板预填了 2023 年填报的内容，作为填写 2025 年的起点" in _note(path)[0]
    assert consolidate([path]).year == 2025
    code, output = invoke("template", "--from", consolidated, "--year", 2023, "-o", tmp_path / "x")
    assert code == 2 and "--year 应晚于 2023" in output


def test_existing_templates_are_not_overwritten_unless_told(
    consolidated: Path, tmp_path: Path
) -> None:
    filled = tmp_path / "107-中国共产党重庆市北碚区委员会组织部.xlsx"
    shutil.copy(SAMPLE_FILES[1], filled)
    before = filled.read_bytes()
    code, output = invoke("template", "--from", consolidated, "-o", tmp_path)
    assert code == 2
    assert "中已有以下模板，为免覆盖已填写的内容，没有生成任何模板：\n  107-" in output
    assert "--force" in output
    assert [p.name for p in tmp_path.iterdir()] == [filled.name]  # nothing else written
    assert filled.read_bytes() == before
    code, output = invoke("template", "--from", consolidated, "-o", tmp_path, "--force")
    assert code == 0, output
    assert filled.read_bytes() != before and len(list(tmp_path.iterdir())) == 19
    with pytest.raises(WouldOverwrite) as caught:
        write_next_year(read_consolidated(consolidated), tmp_path, 2024, dept="107")
    assert caught.value.paths == [filled]


def test_what_is_no_consolidated_workbook_is_a_usage_error(tmp_path: Path) -> None:
    code, output = invoke("template", "--from", SAMPLE_FILES[0], "-o", tmp_path / "x")
    assert code == 2 and "中没有“项目汇总”工作表，不是 bptools merge 写出的汇总工作簿" in output
    broken = tmp_path / REPORT
    broken.write_bytes(b"PK\x03\x04")
    code, output = invoke("template", "--from", broken, "-o", tmp_path / "x")
    assert code == 2 and f"无法打开“{REPORT}”" in output
    assert not (tmp_path / "x").exists()


def test_the_options_of_a_folder_of_templates(consolidated: Path, tmp_path: Path) -> None:
    code, output = invoke("template", "--from", consolidated, "-o", tmp_path / "模板.xlsx")
    assert code == 2 and "用 --from 时 -o 是文件夹（每个部门一个模板），不是 .xlsx 文件" in output
    code, output = invoke("template", "--from", consolidated, "--projects", 2, "-o", tmp_path)
    assert code == 2 and "请去掉 --projects" in output
    (tmp_path / "a.txt").write_text("", encoding="utf-8")
    code, output = invoke("template", "--from", consolidated, "-o", tmp_path / "a.txt")
    assert code == 2 and "-o / --output 应为文件夹" in output
    code, output = invoke("template", "-o", tmp_path)  # no --from: -o is a file
    assert code == 2 and "-o / --output 应为文件，" in output
    code, output = invoke("template")
    assert (
        code == 2
        and "请写上 -o 文件。要由汇总表生成下一年各部门的模板，请用 --from 汇总表" in output
    )


def test_an_unwritable_folder_is_an_output_failure(consolidated: Path, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("", encoding="utf-8")
    code, output = invoke("template", "--from", consolidated, "-o", tmp_path / "a.txt" / "模板")
    assert code == 3 and output.startswith("错误：无法写入") and "a.txt" in output


def test_a_year_the_workbook_does_not_tell_is_asked_for(
    consolidated: Path, tmp_path: Path
) -> None:
    wb = openpyxl.load_workbook(consolidated)
    wb["总览"]["A1"].value = "绩效目标汇总"
    wb.save(tmp_path / "汇总.xlsx")
    code, output = invoke("template", "--from", tmp_path / "汇总.xlsx", "-o", tmp_path / "x")
    assert code == 2 and "看不出预算年度" in output and "--year 2024" in output
    args = ["--year", 2024, "--dept", 107, "-o", tmp_path / "x"]
    assert invoke("template", "--from", tmp_path / "汇总.xlsx", *args)[0] == 0
    assert "预填了 2023 年" in _note(next((tmp_path / "x").iterdir()))[0]


FORMULA_LIKE = {
    "name": '=HYPERLINK("http://example.com","点此")',
    "supervisor": "@SUM(1)",
    "overview": "+1 开展培训",
    "goals": "-1. 完成建设任务",
}


def test_text_that_reads_as_a_formula_stays_text(
    make_workbook: MakeWorkbook, project: Project, tmp_path: Path
) -> None:
    rows = list(project.indicators)
    rows[0] = dataclasses.replace(rows[0], name="=1+1", target="@A1")
    typed = dataclasses.replace(project, **FORMULA_LIKE)
    path = make_workbook(typed, name="公式.xlsx", indicators_all=tuple(rows))
    source = merged([str(path)], tmp_path / "merged")
    out = tmp_path / "2024"
    assert invoke("template", "--from", source, "-o", out)[0] == 0
    (written,) = out.iterdir()
    wb = openpyxl.load_workbook(written)
    for ws in wb.worksheets:
        assert not ws._hyperlinks, ws.title
        formulas = {
            c.coordinate: c.value for row in ws.iter_rows() for c in row if c.data_type == "f"
        }
        # Only the template's own checks under the indicator table (weights, amounts).
        assert all(v.startswith(("=SUM(", "=$")) for v in formulas.values()), formulas
    ws = wb["项目1"]
    assert ws.cell(*_cell("name")).value == FORMULA_LIKE["name"]
    assert ws.cell(*_cell("name")).quotePrefix  # retyped in Excel, it stays text
    (plan,) = plans_of(consolidate([written]), "").projects
    assert (plan.name, plan.supervisor, plan.overview, plan.goals) == tuple(FORMULA_LIKE.values())
    assert (plan.indicators[0].name, plan.indicators[0].target) == ("=1+1", "@A1")


def test_plans_without_projects_write_nothing(tmp_path: Path) -> None:
    assert write_next_year(Plans(2023, [], "空.xlsx"), tmp_path / "out", 2024) == []
    assert not [p for p in (tmp_path / "out").iterdir() if not p.name.startswith(".~")]
