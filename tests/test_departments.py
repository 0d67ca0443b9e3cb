"""Outputs at scale: past `department_sheets` departments, each department's summary is a
workbook of its own under OUTDIR/部门/, linked from 总览, and the HTML page folds the
departments and shows its anomaly list a page at a time. The samples' 19 departments are
made "many" by setting the threshold low."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path
from urllib.parse import quote

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.worksheet.worksheet import Worksheet

from bptools import Consolidation, consolidate
from bptools.cli import cli
from bptools.config import DEPARTMENT_SHEETS, Config, ConfigError, load_config
from bptools.html import render_html
from bptools.model import Project
from bptools.report import DEPARTMENT_DIR, OVERVIEW, write_report
from bptools.report.departments import book_name, is_department_book
from bptools.summary import summarize
from bptools.template import write_template
from bptools.write.output import OutputSet

from .conftest import SAMPLE_FILES, MakeWorkbook
from .printing import convert, poppler, read_pdf
from .test_html import Page, render
from .test_office import soffice

FEW = Config(department_sheets=5)  # the samples' 19 departments are "many"
FIXED = ["总览", "项目汇总", "项目文本", "指标明细", "异常清单", "规则说明"]


@pytest.fixture(scope="module")
def apart(tmp_path_factory: pytest.TempPathFactory, sample_result: Consolidation) -> Path:
    """The samples' outputs with a workbook per department."""
    out = tmp_path_factory.mktemp("apart")
    write_report(sample_result, out, FEW)
    return out


@pytest.fixture(scope="module")
def together(tmp_path_factory: pytest.TempPathFactory, sample_result: Consolidation) -> Path:
    """The samples' consolidated workbook as the default writes it: a sheet per department."""
    return write_report(sample_result, tmp_path_factory.mktemp("together"))


def books(out: Path) -> list[Path]:
    return sorted((out / DEPARTMENT_DIR).glob("*.xlsx"))


def linked_books(ws: Worksheet, out: Path) -> dict[str, Path]:
    """The cells of `ws` that link to a file, by their text: the file each opens."""
    return {
        cell.value: out / cell.hyperlink.target.replace("\\", "/")
        for row in ws.iter_rows()
        for cell in row
        if cell.hyperlink is not None and cell.hyperlink.target
    }


def cells(ws: Worksheet) -> dict[str, object]:
    return {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}


# The setting


def test_department_sheets_is_read_and_checked(tmp_path: Path) -> None:
    path = tmp_path / "bptools.toml"
    assert Config().department_sheets == DEPARTMENT_SHEETS == 200
    for text, value in (("department_sheets = 0\n", 0), ("department_sheets = 50\n", 50)):
        path.write_text(text, encoding="utf-8")
        assert load_config(path).department_sheets == value
    for bad in ("-1", '"200"', "true", "1.5"):
        path.write_text(f"department_sheets = {bad}\n", encoding="utf-8")
        with pytest.raises(ConfigError, match="department_sheets 应为不小于 0 的整数"):
            load_config(path)


def test_at_the_threshold_each_department_keeps_its_sheet(
    sample_result: Consolidation, together: Path, tmp_path: Path
) -> None:
    """19 departments and department_sheets = 19: the default's workbook, no 部门/."""
    path = write_report(sample_result, tmp_path, Config(department_sheets=19))
    assert openpyxl.load_workbook(path).sheetnames == openpyxl.load_workbook(together).sheetnames
    assert not (tmp_path / DEPARTMENT_DIR).exists()
    write_report(sample_result, tmp_path, Config(department_sheets=18))
    assert len(books(tmp_path)) == 19


# The department workbooks


def test_each_department_gets_a_workbook_named_by_code_and_name(
    apart: Path, sample_result: Consolidation
) -> None:
    (report,) = apart.glob("*.xlsx")
    assert openpyxl.load_workbook(report).sheetnames == FIXED
    units = [d.unit for d in summarize(sample_result).named_departments]
    assert len(units) == 19
    assert [p.name for p in books(apart)] == sorted(f"{u}.xlsx" for u in units)
    assert "106-中国共产党重庆市北碚区委员会宣传部.xlsx" in [p.name for p in books(apart)]
    assert all(is_department_book(p) for p in books(apart))


def test_a_department_workbook_holds_what_its_sheet_held(
    apart: Path, together: Path, sample_result: Consolidation
) -> None:
    """The same cells, widths and page setup; only 返回总览 leads to the other workbook."""
    summary = summarize(sample_result)
    consolidated = openpyxl.load_workbook(together)
    for path in books(apart):
        (ws,) = openpyxl.load_workbook(path).worksheets
        sheet = consolidated[ws.title]
        assert ws.title == path.stem[:31]
        assert cells(ws) == cells(sheet)
        assert {k: d.width for k, d in ws.column_dimensions.items()} == {
            k: d.width for k, d in sheet.column_dimensions.items()
        }
        assert ws.print_title_rows == sheet.print_title_rows
        assert ws.page_setup.orientation == sheet.page_setup.orientation == "landscape"
        assert ws.page_setup.paperSize == sheet.page_setup.paperSize
        assert ws["A2"].hyperlink.target == f"..\\{together.name}"
        assert ws["A2"].hyperlink.location == f"'{OVERVIEW}'!A1"
        # Its projects and its findings, whose cells link to the source workbook.
        unit = ws["A1"].value
        values = set(cells(ws).values())
        assert {p.name for p in summary.projects_of(unit)} <= values
        findings = summary.by_unit.get(unit, [])
        assert f"异常（{len(findings)} 条）" in values
        assert {f.message for f in findings} <= values
        sources = {t for t in linked_books(ws, path.parent).values() if t.name != together.name}
        assert all(t.resolve().is_file() for t in sources)


def test_overview_links_each_department_to_its_workbook(apart: Path) -> None:
    (report,) = apart.glob("*.xlsx")
    wb = openpyxl.load_workbook(report)
    links = linked_books(wb[OVERVIEW], apart)
    assert sorted(links.values()) == books(apart)
    assert all(path.stem == unit for unit, path in links.items())
    # 异常清单: a unit's link, where its name fits the column, opens its workbook too.
    targets = linked_books(wb["异常清单"], apart).values()
    assert all(t.is_file() for t in targets if t.parent.name == DEPARTMENT_DIR)


def test_department_names_are_safe_file_names(
    make_workbook: MakeWorkbook, project: Project, tmp_path: Path
) -> None:
    """Text a department typed: a string in 总览 (never a formula), a file name Windows
    takes, two names that come out alike kept apart."""
    units = ['998-甲/乙:"丙"', "998-甲_乙__丙_", '=HYPERLINK("http://x","y")']
    paths = [
        make_workbook(dataclasses.replace(project, unit=unit), name=f"{n}.xlsx")
        for n, unit in enumerate(units)
    ]
    out = tmp_path / "out"
    report = write_report(consolidate(paths), out, Config(department_sheets=0))
    names = {p.name for p in books(out)}
    assert len(names) == 3
    assert {"998-甲_乙__丙_.xlsx", "998-甲_乙__丙_（2）.xlsx"} <= names
    ws = openpyxl.load_workbook(report)[OVERVIEW]
    linked = [c for row in ws.iter_rows() for c in row if c.hyperlink and c.hyperlink.target]
    assert len(linked) == 3 and all(c.data_type == "s" for c in linked)
    assert '=HYPERLINK("http://x","y")' in [c.value for c in linked]
    formulas = [c.value for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert formulas and all(f.startswith("=SUBTOTAL(") for f in formulas)


@pytest.mark.parametrize(
    ("unit", "name"),
    [
        ("106-宣传部", "106-宣传部.xlsx"),
        ('1<2>3:4"5/6\\7|8?9*#%[]', "1_2_3_4_5_6_7_8_9_____.xlsx"),
        ("CON", "_CON.xlsx"),
        ("lpt1.部门", "_lpt1.部门.xlsx"),
        ("..~$部门. ", "$部门.xlsx"),
        ("\u200b\x07", "部门.xlsx"),
        ("局" * 100, "局" * 60 + ".xlsx"),
    ],
)
def test_book_name(unit: str, name: str) -> None:
    assert book_name(unit, set()) == name


def test_book_names_differ_without_case() -> None:
    taken: set[str] = set()
    assert [book_name(u, taken) for u in ("A局", "a局", "A局")] == [
        "A局.xlsx",
        "a局（2）.xlsx",
        "A局（3）.xlsx",
    ]


def test_a_later_run_removes_its_own_stale_workbooks_only(
    sample_result: Consolidation, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    write_report(sample_result, out, FEW)
    foreign = out / DEPARTMENT_DIR / "自己的表.xlsx"
    openpyxl.Workbook().save(foreign)
    note = out / DEPARTMENT_DIR / "说明.txt"
    note.write_text("x", encoding="utf-8")
    fewer = consolidate(SAMPLE_FILES[:8])
    with OutputSet(out) as staged:
        write_report(fewer, out, FEW, out=staged)
    kept = [p.name for p in books(out) if p != foreign]
    assert kept == sorted(f"{d.unit}.xlsx" for d in summarize(fewer).named_departments)
    assert len(kept) == 8
    write_report(fewer, out)  # 8 departments: a sheet each again
    assert books(out) == [foreign] and note.exists()


def test_department_workbooks_are_not_read_back(tmp_path: Path) -> None:
    """The output folder inside the inbox: the second run reads the 19 samples, not the
    department workbooks the first one wrote."""
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    for path in SAMPLE_FILES:
        shutil.copy(path, inbox)
    (inbox / "bptools.toml").write_text("department_sheets = 5\n", encoding="utf-8")
    out = inbox / "汇总结果"
    for _ in range(2):
        args = ["merge", str(inbox), "-o", str(out), "--fail-on", "never", "--no-feedback"]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        assert f"各部门汇总（每个部门一个工作簿）：{out / DEPARTMENT_DIR}" in result.output
    assert len(books(out)) == 19
    ws = openpyxl.load_workbook(out / "2023年绩效目标汇总.xlsx", read_only=True)[OVERVIEW]
    assert next(r[1] for r in ws.iter_rows(values_only=True) if r[0] == "读取的文件") == 19


@pytest.mark.xdist_group("printing")
def test_libreoffice_prints_a_department_workbook(apart: Path, tmp_path: Path) -> None:
    soffice()
    poppler()
    path = apart / DEPARTMENT_DIR / "404-重庆市北碚区残疾人联合会.xlsx"
    pdf = convert([path], tmp_path)[path]
    pages = read_pdf(pdf, [path.stem])
    assert pages and all(p.sheet == path.stem for p in pages)
    text = "".join("".join(p.text.split()) for p in pages)
    assert "残疾人康复服务" in text and "问题说明" in text and "返回总览" in text


# The HTML page


def sections(page: Page) -> list[str]:
    return [e.attrs["data-unit"] for e in page.select("section", "department")]


def test_the_page_folds_many_departments(sample_result: Consolidation) -> None:
    page = Page(render_html(sample_result, FEW))
    summary = summarize(sample_result)
    assert len(sections(page)) == 19
    folds = page.select("details", "fold")
    assert len(folds) == 19 and not any("open" in f.attrs for f in folds)
    # A department's anomalies are in the anomaly list only, which its section links to.
    assert len(page.select("tr", "finding")) == len(summary.listing.rows)
    listed = [e for e in page.elements if e.tag == "tr" and "data-severity" in e.attrs]
    assert len(listed) == len(summary.listing.rows)
    linked = {e.attrs["data-filter-unit"] for e in page.elements if "data-filter-unit" in e.attrs}
    assert linked == {u for u, found in summary.by_unit.items() if found}
    assert page.by_id("anomaly-table").attrs["data-page-size"] == "100"


def test_the_page_keeps_a_district_open(sample_result: Consolidation) -> None:
    page = Page(render_html(sample_result))
    assert page.select("details") == []
    assert "data-page-size" not in page.by_id("anomaly-table").attrs
    assert not [e for e in page.elements if e.attrs.get("id") == "anomaly-pager"]


def test_chromium_pages_the_list_and_opens_a_linked_department(
    sample_result: Consolidation, tmp_path: Path
) -> None:
    path = tmp_path / "page.html"
    path.write_text(render_html(sample_result, FEW), encoding="utf-8")
    rows = len(summarize(sample_result).listing.rows)
    assert rows > 100  # two pages
    dom = render(path.as_uri() + "#dept-3", tmp_path).dom
    shown = [r for r in dom.select("tr", "finding") if "hidden" not in r.attrs]
    assert len(shown) == 100
    assert "hidden" not in dom.by_id("anomaly-pager").attrs
    (section,) = [e for e in dom.select("section", "department") if e.attrs["id"] == "dept-3"]
    start = dom.elements.index(section)
    fold = next(e for e in dom.elements[start:] if e.tag == "details")
    assert "open" in fold.attrs
    assert len([f for f in dom.select("details", "fold") if "open" in f.attrs]) == 1
    # Filtered to one department, its anomalies fit one page: no pager.
    unit = next(e.attrs["data-unit"] for e in shown)
    (tmp_path / "filtered").mkdir()
    filtered = render(f"{path.as_uri()}?unit={quote(unit)}", tmp_path / "filtered").dom
    shown = [r for r in filtered.select("tr", "finding") if "hidden" not in r.attrs]
    assert shown and {r.attrs["data-unit"] for r in shown} == {unit}
    assert "hidden" in filtered.by_id("anomaly-pager").attrs


@pytest.fixture(scope="module")
def many(
    tmp_path_factory: pytest.TempPathFactory, sample_projects: list[Project]
) -> tuple[Consolidation, Consolidation]:
    """The 19 sample departments once and four times, each time under a code and name of
    its own (as bench/corpus.py makes them)."""
    folder = tmp_path_factory.mktemp("many")
    by_unit: dict[str, list[Project]] = {}
    for project in sample_projects:
        by_unit.setdefault(project.unit, []).append(project)
    units = list(by_unit.values())
    paths = []
    for n in range(4 * len(units)):
        projects = units[n % len(units)]
        unit = f"{n + 1:04d}-{projects[0].unit.partition('-')[2]}（{n // len(units) + 1}）"
        own = [dataclasses.replace(p, unit=unit) for p in projects]
        paths.append(write_template(folder / f"{unit}.xlsx", 2023, unit=unit, projects=own))
    return consolidate(paths[: len(units)]), consolidate(paths)


@pytest.mark.parametrize("threshold", [DEPARTMENT_SHEETS, 0], ids=["open", "folded"])
def test_the_page_grows_linearly_with_the_departments(
    many: tuple[Consolidation, Consolidation], threshold: int
) -> None:
    """Bytes per department stay the same from N to 4N departments (the page's fixed part
    makes them a little fewer)."""
    config = Config(department_sheets=threshold)
    per_department = []
    for result in many:
        page = render_html(result, config)
        count = len(sections(Page(page)))
        assert count == len(result.files)
        per_department.append(len(page.encode("utf-8")) / count)
    assert 0.8 <= per_department[1] / per_department[0] <= 1.1, per_department
