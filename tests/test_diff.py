"""bptools diff: the 2023 samples against copies with known edits, through both kinds of input
(department folders and consolidated workbooks written by `bptools merge`)."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from bptools import consolidate
from bptools.cli import cli
from bptools.diff import (
    ADDED,
    CHANGED,
    COUNT_KEYS,
    NAME_SIMILARITY,
    REMOVED,
    RENAME_SHARE,
    RENAMED,
    Diff,
    compare,
)
from bptools.diff_report import AMOUNTS, INDICATORS, PROJECTS, SUMMARY, SUMMARY_TOP, write_diff
from bptools.model import Indicator, Project
from bptools.normalize import split_unit
from bptools.readback import Plans, plans_of, read_consolidated
from bptools.template import write_template

from .conftest import SAMPLE_FILES
from .printing import convert, poppler, read_pdf

HOSTILE = '=HYPERLINK("http://x","y")'
SHEETS = [SUMMARY, PROJECTS, AMOUNTS, INDICATORS]


@dataclass(frozen=True)
class Edits:
    """What the edited copy changes, found in the samples by name (not by position)."""

    removed: Project  # gone from the copy
    budget: Project  # 当年预算金额 and 部门留用 raised by RAISE
    renamed_in: Project  # one indicator renamed
    old_name: str
    new_name: str
    added_to: Project  # one indicator added
    added: Indicator


RAISE = 15.0


def find(plans: Plans, code: str, name: str) -> Project:
    return next(
        p for p in plans.projects if (split_unit(p.unit) or ("",))[0] == code and p.name == name
    )


def edits_of(plans: Plans) -> Edits:
    renamed_in = find(plans, "150", "文化旅游发展专项")
    added_to = find(plans, "403", "基本药物制度专项")
    return Edits(
        removed=find(plans, "115", "司法救助专项经费"),
        budget=find(plans, "107", "碚有引力专项资金"),
        renamed_in=renamed_in,
        old_name="群众满意度",
        new_name="游客满意度",
        added_to=added_to,
        added=Indicator(
            "效益指标", "社会效益指标", "基本药物配备使用率", "%", "≥", "90", 10.0, "否"
        ),
    )


def edited(plans: Plans, edits: Edits) -> list[Project]:
    projects = []
    for p in plans.projects:
        if p is edits.removed:
            continue
        if p is edits.budget:
            p = replace(p, budget=p.budget + RAISE, retained=p.retained + RAISE)
        if p is edits.renamed_in:
            rows = [
                replace(i, name=edits.new_name) if i.name == edits.old_name else i
                for i in p.indicators
            ]
            p = replace(p, indicators=tuple(rows))
        if p is edits.added_to:
            p = replace(p, indicators=(*p.indicators, edits.added))
        projects.append(p)
    return projects


def write_folder(folder: Path, projects: list[Project], year: int = 2023) -> Path:
    """One department workbook per 编制单位, as departments would send them."""
    folder.mkdir()
    by_unit: dict[str, list[Project]] = {}
    for p in projects:
        by_unit.setdefault(p.unit, []).append(p)
    for unit, found in by_unit.items():
        write_template(folder / f"{unit}.xlsx", year, unit=unit, projects=found)
    return folder


def merged(inputs: Path, outdir: Path) -> Path:
    """The consolidated workbook `bptools merge` writes of `inputs`."""
    result = CliRunner().invoke(
        cli,
        [
            "merge",
            str(inputs),
            "-o",
            str(outdir),
            "--no-html",
            "--no-feedback",
            "--no-cache",
            "--fail-on",
            "never",
        ],
    )
    assert result.exit_code == 0, result.output
    [path] = outdir.glob("*绩效目标汇总.xlsx")
    return path


@dataclass(frozen=True)
class Run:
    samples: Plans
    edits: Edits
    samples_folder: Path
    edited_folder: Path
    edited_plans: Plans
    renamed_folder: Path
    samples_book: Path
    edited_book: Path


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    tmp = tmp_path_factory.mktemp("diff")
    samples = plans_of(consolidate(SAMPLE_FILES), "samples")
    edits = edits_of(samples)
    edited_folder = write_folder(tmp / "edited", edited(samples, edits))
    renamed = [
        replace(p, name="残疾人康复救助服务") if p.name == "残疾人康复服务" else p
        for p in samples.projects
    ]
    # The samples folder holds the transcription beside the workbooks: a copy of the
    # workbooks alone is what a department folder is.
    samples_folder = write_folder(tmp / "samples", samples.projects)
    return Run(
        samples=samples,
        edits=edits,
        samples_folder=samples_folder,
        edited_folder=edited_folder,
        edited_plans=plans_of(consolidate([edited_folder]), "edited"),
        renamed_folder=write_folder(tmp / "renamed", renamed),
        samples_book=merged(samples_folder, tmp / "merged-samples"),
        edited_book=merged(edited_folder, tmp / "merged-edited"),
    )


def flat(diff: Diff) -> dict[str, set[tuple[object, ...]]]:
    """The changes as tuples, by sheet (the sides' sources left out)."""
    return {
        PROJECTS: {
            (c.kind, c.department.code, c.name, c.last.name if c.last else None)
            for c in diff.projects
        },
        AMOUNTS: {
            (c.department.code, c.project, c.label, c.last, c.this, c.delta, c.percent)
            for c in diff.amounts
        },
        INDICATORS: {
            (
                c.kind,
                c.department.code,
                c.project,
                c.last.name if c.last else None,
                c.this.name if c.this else None,
                c.fields,
            )
            for c in diff.indicators
        },
    }


def expected(edits: Edits) -> dict[str, set[tuple[object, ...]]]:
    old = edits.budget.budget
    raised = [
        (
            "107",
            edits.budget.name,
            label,
            before,
            before + RAISE,
            RAISE,
            round(RAISE / before * 100, 2),
        )
        for label, before in (("当年预算金额", old), ("部门留用", edits.budget.retained))
    ]
    return {
        PROJECTS: {(REMOVED, "115", edits.removed.name, edits.removed.name)},
        AMOUNTS: set(raised),
        INDICATORS: {
            (RENAMED, "150", edits.renamed_in.name, edits.old_name, edits.new_name, ("三级指标",)),
            (ADDED, "403", edits.added_to.name, None, edits.added.name, ()),
        },
    }


def test_the_edited_copy_lists_exactly_its_edits(run: Run) -> None:
    diff = compare(run.samples, run.edited_plans)
    assert flat(diff) == expected(run.edits)
    assert diff.counts() == {
        "项目新增": 0,
        "项目删除": 1,
        "项目改名": 0,
        "预算变化": 1,
        "指标新增": 1,
        "指标删除": 0,
        "指标修改": 0,
        "指标改名": 1,
    }
    changed = {d.department.code: d.counts for d in diff.departments if any(d.counts.values())}
    assert set(changed) == {"107", "115", "150", "403"}
    assert sum(sum(c.values()) for c in changed.values()) == sum(diff.counts().values())
    assert (diff.last.projects, diff.this.projects) == (29, 28)
    assert math.isclose(diff.this.budget - diff.last.budget, RAISE - run.edits.removed.budget)


def test_consolidated_workbooks_and_folders_give_the_same_diff(run: Run) -> None:
    from_books = compare(read_consolidated(run.samples_book), read_consolidated(run.edited_book))
    from_folders = compare(
        plans_of(consolidate([run.samples_folder]), "a"),
        plans_of(consolidate([run.edited_folder]), "b"),
    )
    mixed = compare(read_consolidated(run.samples_book), run.edited_plans)
    assert flat(from_books) == flat(from_folders) == flat(mixed) == expected(run.edits)
    assert from_books.last.year == from_books.this.year == 2023


def test_identical_inputs_give_an_empty_diff(run: Run) -> None:
    for diff in (
        compare(run.samples, run.samples),
        compare(read_consolidated(run.samples_book), run.samples),
        compare(read_consolidated(run.edited_book), run.edited_plans),
    ):
        assert diff.empty
        assert set(diff.counts().values()) == {0}
        assert len(diff.departments) == 19


def test_a_renamed_project_is_one_rename(run: Run) -> None:
    diff = compare(run.samples, plans_of(consolidate([run.renamed_folder]), "renamed"))
    [change] = diff.projects
    assert (change.kind, change.last.name, change.this.name) == (
        RENAMED,
        "残疾人康复服务",
        "残疾人康复救助服务",
    )
    assert change.shared == len(change.last.indicators)
    assert diff.amounts == [] and diff.indicators == []


def first_with(plans: Plans, n: int) -> Project:
    return next(p for p in plans.projects if len(p.indicators) == n)


@pytest.mark.parametrize("above", [True, False])
def test_a_rename_needs_most_indicators_in_common(run: Run, above: bool) -> None:
    project = first_with(run.samples, 5)
    kept = math.ceil(RENAME_SHARE * 5) - (0 if above else 1)
    others = [
        replace(i, level1="产出指标", level2="数量指标", name=f"另一个指标{n}")
        for n, i in enumerate(project.indicators[kept:])
    ]
    moved = replace(
        project, name=project.name + "（新）", indicators=(*project.indicators[:kept], *others)
    )
    this = [moved if p is project else p for p in run.samples.projects]
    kinds = sorted(c.kind for c in compare(run.samples, Plans(2023, this, "x")).projects)
    assert kinds == ([RENAMED] if above else sorted([ADDED, REMOVED]))


def with_indicator(plans: Plans, project: Project, index: int, **fields: object) -> Plans:
    rows = list(project.indicators)
    rows[index] = replace(rows[index], **fields)
    changed = replace(project, indicators=tuple(rows))
    return Plans(plans.year, [changed if p is project else p for p in plans.projects], "x")


def test_indicator_fields_compare_by_meaning(run: Run) -> None:
    project = find(run.samples, "107", "碚有引力专项资金")  # first row: ≥ 95 %, weight 10
    same = with_indicator(run.samples, project, 0, op=">=", target="95%", unit="％", weight="10")
    assert compare(run.samples, same).empty
    other = with_indicator(run.samples, project, 0, op="＝", weight=15.0, core="否")
    [change] = compare(run.samples, other).indicators
    assert (change.kind, change.fields) == (CHANGED, ("指标性质", "权重", "是否核心指标"))


def test_an_indicator_moved_or_renamed_with_a_close_name_is_one_row(run: Run) -> None:
    project = find(run.samples, "107", "碚有引力专项资金")
    moved = with_indicator(run.samples, project, 0, level2="经济效益指标")
    [change] = compare(run.samples, moved).indicators
    assert (change.kind, change.fields) == (CHANGED, ("二级指标",))
    # 补助对象满意度 (定性, 较好): renamed and its value changed
    close = "补助对象总体满意度"
    renamed = with_indicator(run.samples, project, 2, name=close, target="好")
    [change] = compare(run.samples, renamed).indicators
    assert (change.kind, change.fields) == (RENAMED, ("三级指标", "指标值"))
    far = with_indicator(run.samples, project, 2, name="群众获得感", target="好")
    assert sorted(c.kind for c in compare(run.samples, far).indicators) == sorted([ADDED, REMOVED])
    # The two names are either side of the threshold the rename stage uses.
    ratio = {n: SequenceMatcher(None, "补助对象满意度", n).ratio() for n in (close, "群众获得感")}
    assert ratio[close] >= NAME_SIMILARITY > ratio["群众获得感"]


def test_amounts_change_in_wanyuan_and_percent(run: Run) -> None:
    project = find(run.samples, "107", "碚有引力专项资金")
    this = replace(project, budget=55.0, subsidy=5.0)
    plans = Plans(2024, [this if p is project else p for p in run.samples.projects], "x")
    diff = compare(run.samples, plans)
    found = {c.label: (c.last, c.this, c.delta, c.percent) for c in diff.amounts}
    assert found == {"当年预算金额": (50.0, 55.0, 5.0, 10.0), "补助街镇": (0.0, 5.0, 5.0, None)}
    assert diff.labels() == ("2023年", "2024年")


def test_a_department_without_its_code_is_matched_by_name(run: Run) -> None:
    uncoded = [replace(p, unit=p.unit.split("-", 1)[1]) for p in run.samples.projects]
    diff = compare(run.samples, Plans(2023, uncoded, "x"))
    assert diff.empty and diff.this.departments == 19


# The workbook


def cells(path: Path, sheet: str) -> list[list[object]]:
    book = openpyxl.load_workbook(path)
    rows = [list(r) for r in book[sheet].iter_rows(values_only=True)]
    book.close()
    return rows


def test_the_workbook_has_a_sheet_per_kind_of_change(run: Run, tmp_path: Path) -> None:
    diff = compare(run.samples, run.edited_plans)
    path = write_diff(diff, tmp_path / "对比.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == SHEETS
    for ws in book.worksheets:
        top = SUMMARY_TOP + 1 if ws.title == SUMMARY else 1
        assert ws.freeze_panes == f"A{top + 1}", ws.title
        assert ws.print_title_rows == f"${top}:${top}", ws.title
        assert ws.auto_filter.ref.startswith(f"A{top}:"), ws.title
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    book.close()
    projects = cells(path, PROJECTS)
    assert projects[1][:4] == [
        REMOVED,
        "115",
        run.edits.removed.unit.split("-", 1)[1],
        run.edits.removed.name,
    ]
    amounts = cells(path, AMOUNTS)
    assert [r[3] for r in amounts[1:]] == ["当年预算金额", "部门留用"]
    assert amounts[1][4:] == [50, 65, 15, 30]
    indicators = {r[5]: r for r in cells(path, INDICATORS)[1:]}
    assert indicators[run.edits.new_name][0] == RENAMED
    assert indicators[run.edits.new_name][6] == run.edits.old_name
    summary = cells(path, SUMMARY)
    header, rows = summary[SUMMARY_TOP], summary[SUMMARY_TOP + 1 :]
    assert [h.replace("\n", "") for h in header[6:]] == list(COUNT_KEYS)
    assert rows[-1][0] == "合计" and rows[-1][6:] == list(diff.counts().values())
    assert len(rows) == 19 + 1


def test_hostile_names_stay_text(run: Run, tmp_path: Path) -> None:
    project = replace(run.samples.projects[0], name=HOSTILE, unit=f"999-{HOSTILE}")
    diff = compare(run.samples, Plans(2023, [*run.samples.projects, project], HOSTILE))
    path = write_diff(diff, tmp_path / "对比.xlsx")
    book = openpyxl.load_workbook(path)
    found = [
        c
        for ws in book.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith("=")
    ]
    book.close()
    assert {c.value for c in found} >= {HOSTILE}
    assert all(c.data_type == "s" and c.quotePrefix for c in found if c.value == HOSTILE)
    assert len([c for c in found if c.value == HOSTILE]) >= 3  # 摘要 and 项目增减


def many_changes(plans: Plans) -> Diff:
    """Every indicator's value changed, every other budget raised, every fifth project
    renamed: 指标变化 runs over several pages."""
    this = []
    for n, p in enumerate(plans.projects):
        rows = tuple(replace(i, target=f"{i.target}0") for i in p.indicators)
        p = replace(p, indicators=rows, budget=p.budget + n % 2, retained=p.retained + n % 2)
        this.append(replace(p, name=f"{p.name}（调整）") if n % 5 == 0 else p)
    return compare(plans, Plans(2024, this, "2024年绩效目标汇总.xlsx"))


def test_every_sheet_prints_on_landscape_pages_with_its_header(run: Run, tmp_path: Path) -> None:
    poppler()
    diff = many_changes(run.samples)
    path = write_diff(diff, tmp_path / "对比.xlsx")
    pages = read_pdf(convert([path], tmp_path / "pdf", processes=1)[path], SHEETS)
    assert [p.sheet for p in pages] == sorted((p.sheet for p in pages), key=SHEETS.index)
    assert {p.sheet for p in pages} == set(SHEETS)
    assert all(p.width > p.height for p in pages)  # A4 landscape
    assert pages[0].has("2023年 → 2024年") and pages[0].has("当年预算金额合计")
    long = [p for p in pages if p.sheet == INDICATORS]
    assert len(long) > 1
    assert all(p.has("变动内容", top=0.2) and p.has("改名前名称", top=0.2) for p in long)
    projects = [p for p in pages if p.sheet == PROJECTS]
    for change in diff.projects:  # names print whole, not cut at their cell's edge
        assert any(p.has(change.name) for p in projects), change.name


# The command


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_cli_compares_a_consolidated_workbook_with_a_folder(run: Run, tmp_path: Path) -> None:
    before = sorted(run.edited_folder.rglob("*"))
    out = tmp_path / "年度对比.xlsx"
    code, output = invoke("diff", str(run.samples_book), str(run.edited_folder), "-o", str(out))
    assert code == 0, output
    assert "项目删除 1" in output and "指标改名 1" in output and str(out) in output
    assert sorted(run.edited_folder.rglob("*")) == before  # nothing written into the input
    assert openpyxl.load_workbook(out, read_only=True).sheetnames == SHEETS
    assert cells(out, PROJECTS)[1][3] == run.edits.removed.name


def test_cli_says_the_inputs_are_the_same(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "同.xlsx"
    code, output = invoke("diff", str(run.samples_folder), str(run.samples_book), "-o", str(out))
    assert code == 0 and "没有变化" in output
    assert cells(out, PROJECTS)[1:] != [] and cells(out, PROJECTS)[2][0] == "（没有变化）"


def test_cli_warns_when_the_years_look_swapped(run: Run, tmp_path: Path) -> None:
    later = write_folder(tmp_path / "2024", run.samples.projects, year=2024)
    out = tmp_path / "对比.xlsx"
    code, output = invoke("diff", str(later), str(run.samples_book), "-o", str(out))
    assert code == 0 and "LAST 是 2024 年的，THIS 是 2023 年的" in output
    assert "变化：没有变化" in output
    assert cells(out, SUMMARY)[0][0] == "绩效目标对比：2024年 → 2023年"
    code, output = invoke("diff", str(run.samples_book), str(later), "-o", str(out))
    assert code == 0 and "写反" not in output


@pytest.mark.parametrize(
    ("which", "said"),
    [
        ("department", "没有“项目汇总”工作表"),
        ("same", "就是要对比的文件"),
        ("empty", "中没有工作簿"),
        ("suffix", "应以 .xlsx 结尾"),
    ],
)
def test_cli_usage_errors_name_the_file(run: Run, tmp_path: Path, which: str, said: str) -> None:
    (tmp_path / "空").mkdir()
    department = SAMPLE_FILES[0]
    args = {
        "department": [str(department), str(run.edited_folder), "-o", str(tmp_path / "a.xlsx")],
        "same": [str(run.samples_book), str(run.edited_folder), "-o", str(run.samples_book)],
        "empty": [str(tmp_path / "空"), str(run.edited_book), "-o", str(tmp_path / "a.xlsx")],
        "suffix": [str(run.samples_book), str(run.edited_book), "-o", str(tmp_path / "a.csv")],
    }[which]
    code, output = invoke("diff", *args)
    assert code == 2 and said in output
    if which == "department":
        assert department.name in output
    assert not (tmp_path / "a.xlsx").exists()


def test_cli_output_not_writable_exits_3(run: Run, tmp_path: Path) -> None:
    blocker = tmp_path / "文件"
    blocker.write_text("")
    out = blocker / "对比.xlsx"  # a folder that is a file
    code, output = invoke("diff", str(run.samples_book), str(run.edited_book), "-o", str(out))
    assert code == 3 and "无法写入" in output
