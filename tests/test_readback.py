"""Reading a consolidated workbook back into projects (`bptools.readback`): what `bptools merge`
wrote comes back as the consolidation had it, whatever a clerk's sorting did to the sheets."""

from __future__ import annotations

import dataclasses
import random
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from bptools import consolidate
from bptools.cli import cli
from bptools.model import Project
from bptools.readback import ReadbackError, plans_of, read_consolidated
from bptools.report.book import INDICATORS, OVERVIEW, PROJECTS, TEXTS
from bptools.report.tables import INDICATOR_COLUMNS, TEXT_WIDTH, joined_text, split_text

from .conftest import SAMPLE_FILES, SAMPLE_GLOB, MakeWorkbook

REPORT = "2023年绩效目标汇总.xlsx"


def merged(inputs: list[str], outdir: Path) -> Path:
    """The consolidated workbook `bptools merge` writes for `inputs`."""
    args = ["merge", *inputs, "-o", str(outdir), "--no-html", "--no-feedback"]
    result = CliRunner().invoke(cli, [*args, "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    return outdir / REPORT


@pytest.fixture(scope="module")
def consolidated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return merged([SAMPLE_GLOB], tmp_path_factory.mktemp("merged"))


def test_the_samples_come_back_as_merged(consolidated: Path) -> None:
    plans = read_consolidated(consolidated)
    expected = plans_of(consolidate(SAMPLE_FILES), "samples")
    assert plans.year == expected.year == 2023
    assert len(plans.projects) == 29
    assert plans.projects == expected.projects
    assert plans.source == REPORT
    assert len(plans.by_unit()) == 19
    organisation = plans.by_unit()["107-中国共产党重庆市北碚区委员会组织部"]
    assert [p.name for p in organisation] == ["碚有引力专项资金"]


def _shuffled(path: Path, target: Path, *sheets: str) -> Path:
    """`path` as a clerk leaves it after sorting the data rows of `sheets` another way."""
    wb = openpyxl.load_workbook(path)
    for name in sheets:
        ws = wb[name]
        rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
        random.Random(name).shuffle(rows)
        for r, values in enumerate(rows, 2):
            for c, value in enumerate(values, 1):
                ws.cell(r, c).value = value
    wb.save(target)
    return target


def test_sorting_the_project_and_indicator_rows_changes_nothing(
    consolidated: Path, tmp_path: Path
) -> None:
    expected = read_consolidated(consolidated).projects
    sorted_copy = _shuffled(consolidated, tmp_path / REPORT, PROJECTS, INDICATORS)
    plans = read_consolidated(sorted_copy)
    assert sorted(plans.projects, key=repr) == sorted(expected, key=repr)
    # The indicators of each project in their table's order, not in the sheet's.
    assert {p.name: p.indicators for p in plans.projects} == {
        p.name: p.indicators for p in expected
    }


def _long_overview() -> str:
    """More than a row of 项目文本 holds: many short lines, then one line longer than a
    whole row (cut inside), then short lines again."""
    short = [f"{n}. 开展第{n}批次项目实施，完成年度建设任务。" for n in range(1, 40)]
    long_line = "按照项目管理办法统筹推进实施" * 100
    return "\n".join([*short, long_line, *short[:5]])


def test_a_text_continued_over_several_rows_comes_back_whole(
    make_workbook: MakeWorkbook, project: Project, tmp_path: Path
) -> None:
    overview = _long_overview()
    goals = "1. 完成建设任务\n\n2. 群众满意度达到95%以上"
    path = make_workbook(project, name=f"{project.unit}.xlsx", overview=overview, goals=goals)
    consolidated = merged([str(path)], tmp_path / "out")
    expected = consolidate([path])
    assert len(split_text(expected.batch.projects["overview"][0], TEXT_WIDTH)) >= 3
    text_rows = openpyxl.load_workbook(consolidated, read_only=True)[TEXTS].max_row
    assert text_rows > 4  # the overview does take several rows
    (plan,) = read_consolidated(consolidated).projects
    assert plan == plans_of(expected, "").projects[0]
    assert plan.overview == expected.batch.projects["overview"][0]
    assert "\n" + "按照项目管理办法" in plan.overview and plan.overview.count("\n") == 44
    assert plan.goals == goals


def test_two_projects_of_one_name_keep_their_own_texts(
    make_workbook: MakeWorkbook, project: Project, tmp_path: Path
) -> None:
    """Two versions of a project merged with --keep all: each row of 项目汇总 gets the texts
    written for it."""
    second = dataclasses.replace(project, overview="第二版概述", budget=1.0, retained=1.0)
    path = make_workbook(project, second, name="两版.xlsx")
    out = tmp_path / "out"
    args = ["merge", str(path), "-o", str(out), "--no-html", "--no-feedback"]
    assert CliRunner().invoke(cli, [*args, "--keep", "all", "--fail-on", "never"]).exit_code == 0
    plans = read_consolidated(out / REPORT)
    assert [p.overview for p in plans.projects] == [project.overview, "第二版概述"]
    assert [p.budget for p in plans.projects] == [50.0, 1.0]


def _without(path: Path, target: Path, sheet: str, header: str | None = None) -> Path:
    wb = openpyxl.load_workbook(path)
    if header is None:
        del wb[sheet]
    else:
        cell = next(c for c in wb[sheet][1] if c.value == header)
        cell.value = "备注"
    wb.save(target)
    return target


@pytest.mark.parametrize("sheet", [PROJECTS, TEXTS, INDICATORS])
def test_a_missing_sheet_is_named(consolidated: Path, tmp_path: Path, sheet: str) -> None:
    damaged = _without(consolidated, tmp_path / REPORT, sheet)
    with pytest.raises(ReadbackError, match=f"没有“{sheet}”工作表"):
        read_consolidated(damaged)


def test_a_missing_header_is_named(consolidated: Path, tmp_path: Path) -> None:
    header = INDICATOR_COLUMNS["core"].header
    damaged = _without(consolidated, tmp_path / REPORT, INDICATORS, header)
    with pytest.raises(ReadbackError) as caught:
        read_consolidated(damaged)
    assert f"“{INDICATORS}”工作表第 1 行缺少列：是否核心指标" in str(caught.value)


def test_a_department_workbook_is_not_a_consolidated_one() -> None:
    with pytest.raises(ReadbackError, match="不是 bptools merge 写出的汇总工作簿"):
        read_consolidated(SAMPLE_FILES[0])


@pytest.mark.parametrize(
    "content",
    [b"", b"not a workbook at all", b"PK\x03\x04 cut short"],
    ids=["empty", "text", "zip"],
)
def test_a_file_that_is_no_workbook_is_told(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / REPORT
    path.write_bytes(content)
    with pytest.raises(ReadbackError, match=f"无法打开“{REPORT}”"):
        read_consolidated(path)


def test_the_year_comes_from_the_overview_else_the_file_name(
    consolidated: Path, tmp_path: Path
) -> None:
    renamed = Path(shutil.copy(consolidated, tmp_path / "汇总.xlsx"))
    assert read_consolidated(renamed).year == 2023
    wb = openpyxl.load_workbook(consolidated)
    wb[OVERVIEW]["A1"].value = "绩效目标汇总"
    wb.save(tmp_path / "2022年汇总.xlsx")
    assert read_consolidated(tmp_path / "2022年汇总.xlsx").year == 2022
    wb.save(tmp_path / "汇总.xlsx")
    assert read_consolidated(tmp_path / "汇总.xlsx").year is None


@pytest.mark.parametrize(
    "text",
    [
        "",
        "一行",
        "\n\n开头空行",
        # A line that nearly fills a row, then a line end (one that fills it to the last
        # character would read as cut: see joined_text).
        "行" * 1060 + "\n" + "下一行",
        "\n".join(["短行"] * 26 + ["", "长" * 3000]),  # an empty line ends a full row
        "ab" * 2000 + "中" * 1500,  # cut where the narrow letters end
        "\n".join(["第一节。" * 300, "第二节。" * 700, ""]),
    ],
    ids=["empty", "one line", "blank lines", "full row", "blank at boundary", "mixed", "long"],
)
def test_a_text_split_over_rows_joins_back(text: str) -> None:
    parts = split_text(text, TEXT_WIDTH)
    assert joined_text(parts, TEXT_WIDTH) == text


def test_what_was_typed_comes_back_where_it_is_no_number(
    make_workbook: MakeWorkbook, project: Project, tmp_path: Path
) -> None:
    """A weight typed as words comes back as typed, a target typed with its unit as read,
    from the workbook and from the consolidation alike."""
    changes = {0: {"weight": "十"}, 1: {"target": "95%"}, 2: {"weight": ""}}
    path = make_workbook(project, name="文字.xlsx", indicators=changes, budget="五十")
    (plan,) = read_consolidated(merged([str(path)], tmp_path / "out")).projects
    assert plan == plans_of(consolidate([path]), "").projects[0]
    assert [i.weight for i in plan.indicators[:3]] == ["十", project.indicators[1].weight, ""]
    assert plan.indicators[1].target == "95"
