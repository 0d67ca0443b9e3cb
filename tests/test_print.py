"""Tests that look: every workbook we write, printed by LibreOffice and read page by page.

The samples go through `bptools merge`, `publish` and `template` once per session; LibreOffice
prints every workbook (the consolidated workbook, all feedback copies, the published tables,
the template as written and as committed, two samples) in one go, and poppler reads the pages
back (tests/printing.py). Each page belongs to the sheet its footer names.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from openpyxl.cell.cell import Cell
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.worksheet import Worksheet

from bptools import RULES
from bptools.instructions import for_departments

from .conftest import SAMPLE_FILES, SAMPLES
from .printing import (
    SAMPLE_NAMES,
    SCREEN_WIDTHS,
    Outputs,
    Page,
    Printed,
    Word,
    build_outputs,
    convert,
    fill_grey,
    grey_page,
    png_size,
    poppler,
    render,
    screenshots,
    squeeze,
)
from .test_office import soffice

# Conversion is the slow part: with `--dist loadgroup` (make test) one worker runs this file;
# with plain -n, the workers share one set of PDFs (see `_shared`).
pytestmark = pytest.mark.xdist_group("printing")

TABLES = {  # sheet: a word of its header row, which finds the row
    "项目汇总": "一级项目名称",
    "项目文本": "一级项目名称",
    "指标明细": "一级项目名称",
    "异常清单": "问题说明",
    "规则说明": "修改方法",
}
DEPARTMENT_KEY = "问题说明"  # a department sheet's long table is its list of anomalies
OPINIONS = "审核意见"
TOP = 0.2  # a header repeated on a page sits in the top fifth of it
MARK_CONTRAST = 24  # grey levels (of 255) between a marked cell and an unmarked input cell
PROBE = "probe"
TEMPLATES = ["template", "committed template", "next year"]
FILLED = list(SAMPLE_NAMES)  # two filled-in templates


# Outputs, built and printed once per session


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _shared(factory: pytest.TempPathFactory, name: str, make: Callable[[Path], object]) -> Path:
    """A folder `make` fills once per test run, even when xdist workers all ask for it: they
    share the run's base temporary folder, and a lock lets the first one make it."""
    base = factory.getbasetemp()
    root = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "printing"
    root.mkdir(exist_ok=True)
    folder = root / name
    with _locked(root / f"{name}.lock"):
        if not (folder / ".done").exists():
            shutil.rmtree(folder, ignore_errors=True)
            make(folder)
            (folder / ".done").touch()
    return folder


@pytest.fixture(scope="session")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Outputs:
    return Outputs.find(_shared(tmp_path_factory, "outputs", build_outputs))


def write_probe(path: Path) -> Path:
    """A workbook whose print shows the checks below can fail: a wrapped cell printed whole,
    three cut ones, a long table with and one without its header repeated, and three fills."""
    book = xlsxwriter.Workbook(path)
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    footer = "&L&A&C第 &P 页，共 &N 页"
    cells = book.add_worksheet("单元格")
    cells.set_footer(footer)
    cells.set_column(0, 1, 10)
    cells.set_row(0, 60)
    cells.write(0, 0, "天地玄黄宇宙洪荒日月盈昃辰宿列张", wrap)  # wraps in a tall row: whole
    cells.write(0, 1, "邻格")
    cells.write(2, 0, "寒来暑往秋收冬藏闰余成岁律吕调阳")  # runs into a filled cell: cut
    cells.write(2, 1, "邻格")
    cells.write_url(3, 0, "internal:'单元格'!A1", string="暑往寒来冬藏秋收岁成余闰阳调吕律")
    cells.write(3, 1, "邻格")  # a link runs into a filled cell: drawn whole, clipped
    cells.set_row(4, 15)
    cells.write(4, 0, "云腾致雨露结为霜金生丽水玉出昆冈", wrap)  # wraps, row too low: cut
    cells.write(4, 1, "邻格")
    for name, repeat in (("有表头", True), ("无表头", False)):
        sheet = book.add_worksheet(name)
        sheet.set_footer(footer)
        sheet.write_row(0, 0, ["序号", "问题说明", "修改建议"])
        for row in range(1, 150):
            sheet.write_row(row, 0, [row, f"第{row}条", "改"])
        if repeat:
            sheet.repeat_rows(0)
    fills = book.add_worksheet("标记")
    fills.set_footer(footer)
    fills.set_column(0, 2, 12)
    for col, (text, colour) in enumerate(
        (("甲一", "#FFF2CC"), ("乙二", "#F4A7A7"), ("丙三", "#FFF0CC"))
    ):
        fills.write(0, col, text, book.add_format({"bg_color": colour}))
    book.close()
    return path


@pytest.fixture(scope="session")
def printed(outputs: Outputs, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Printed]:
    """Every output printed, by name: report, publish, template, committed template, next
    year (a template made --from the report), the samples by file name, the feedback copies
    by file name, and the probe."""
    soffice()
    poppler()
    books = {
        "report": outputs.report,
        "publish": outputs.publish,
        "template": outputs.template,
        "committed template": outputs.committed_template,
        "next year": outputs.next_year,
        **{p.name: p for p in (*outputs.samples, *outputs.feedback)},
    }

    def make(folder: Path) -> None:
        probe = write_probe(folder.parent / f"{PROBE}.xlsx")
        convert([*books.values(), probe], folder)

    folder = _shared(tmp_path_factory, "pdf", make)
    books[PROBE] = folder.parent / f"{PROBE}.xlsx"
    return {name: Printed(path, folder / f"{path.stem}.pdf") for name, path in books.items()}


def feedback(printed: dict[str, Printed]) -> list[Printed]:
    return [p for name, p in printed.items() if name.endswith("（审核意见）.xlsx")]


def project_sheets(book: Printed) -> list[str]:
    names = openpyxl.load_workbook(book.workbook, read_only=True).sheetnames
    return [s for s in names if s.startswith("项目")]


def department_sheets(book: Path) -> list[str]:
    return [s for s in openpyxl.load_workbook(book, read_only=True).sheetnames if s[:3].isdigit()]


# Reading the workbooks


def header(ws: Worksheet, key: str) -> tuple[int, list[tuple[int, str]]]:
    """The first row holding `key` in a cell, with its printed cells' texts (squeezed)."""
    last, _ = _print_area(ws)
    for row in ws.iter_rows():
        if any(squeeze(c.value or "") == key for c in row):
            texts = [(c.column, squeeze(c.value)) for c in row if c.value and c.column <= last]
            return row[0].row, texts
    raise AssertionError(f"no row of {ws.title} holds {key}")


def table(ws: Worksheet, key: str) -> list[dict[str, Cell]]:
    """The rows under the header holding `key`, up to the first empty one, by column name."""
    row, names = header(ws, key)
    rows = []
    for cells in ws.iter_rows(min_row=row + 1):
        if all(c.value in (None, "") for c in cells):
            break
        by_column = {c.column: c for c in cells}
        rows.append({name: by_column[col] for col, name in names if col in by_column})
    return rows


# The footer: every page names its sheet


def test_every_page_names_its_sheet_and_number(printed: dict[str, Printed]) -> None:
    """Page N of M shows a sheet of its workbook on the left of its footer, 第 N 页，共 M 页
    in the centre: what the other tests tell the sheets' pages by."""
    wrong = [
        f"{name} p{page.number}: sheet {page.sheet!r}, footer {page.footer}"
        for name, book in printed.items()
        for page in book.pages
        if page.sheet is None or page.footer != (page.number, len(book.pages))
    ]
    assert wrong == [], "\n".join(wrong)


# Header rows repeat on every page of a long table


def header_failures(book: Printed, sheet: str, key: str, *, first_page: bool) -> list[str]:
    """Pages of `sheet` that do not show its table's header, whole, at the top (a page
    before the table starts is left alone unless `first_page`: the table starts at once)."""
    ws = openpyxl.load_workbook(book.workbook)[sheet]
    _, names = header(ws, key)
    words = [text for _, text in names]
    pages = book.of(sheet)
    assert pages, f"{book.pdf.name}: no page of {sheet}"
    starts = [i for i, page in enumerate(pages) if all(page.has(w) for w in words)]
    if not starts or (first_page and starts[0] != 0):
        return [f"{sheet} p{pages[0].number}: the header {words} is not printed where it starts"]
    failures = []
    for page in pages[starts[0] + 1 :]:
        missing = [w for w in words if not page.has(w, top=TOP)]
        if missing:
            failures.append(f"{sheet} p{page.number}: no {missing} at the top")
    return failures


def test_header_check_can_fail(printed: dict[str, Printed]) -> None:
    """The probe's long table without repeated header rows fails on every page but its first."""
    probe = printed[PROBE]
    assert len(probe.of("有表头")) > 1 and len(probe.of("无表头")) > 1
    assert header_failures(probe, "有表头", "问题说明", first_page=True) == []
    failures = header_failures(probe, "无表头", "问题说明", first_page=True)
    assert len(failures) == len(probe.of("无表头")) - 1


@pytest.mark.parametrize("sheet", [*TABLES, "部门", OPINIONS])
def test_long_tables_repeat_their_header(printed: dict[str, Printed], sheet: str) -> None:
    """项目汇总, 项目文本, 指标明细, 异常清单, 规则说明, each department sheet and each
    feedback copy's 审核意见: every page after the one where the table starts shows the
    header row's words at its top."""
    report = printed["report"]
    if sheet in TABLES:
        jobs = [(report, sheet, TABLES[sheet], True)]
    elif sheet == "部门":
        jobs = [(report, s, DEPARTMENT_KEY, False) for s in department_sheets(report.workbook)]
    else:
        jobs = [(copy, OPINIONS, DEPARTMENT_KEY, True) for copy in feedback(printed)]
    long = [job for job in jobs if len(job[0].of(job[1])) > 1]
    assert long, f"no {sheet} sheet is longer than a page: nothing was checked"
    failures = [
        f"{book.pdf.name}: {failure}"
        for book, name, key, first in long
        for failure in header_failures(book, name, key, first_page=first)
    ]
    assert failures == [], "\n".join(failures)


# No column's text is cut


def test_cut_text_is_not_found(printed: dict[str, Printed]) -> None:
    """Page.find finds the probe's wrapped cell whole, and none of its cut cells."""
    (page,) = printed[PROBE].of("单元格")
    assert page.has("天地玄黄宇宙洪荒日月盈昃辰宿列张")  # on two or more lines
    assert "天地玄黄宇宙洪荒日月盈昃辰宿列张" not in page.squeezed  # …among the 邻格 line
    assert not page.has("寒来暑往秋收冬藏闰余成岁律吕调阳")
    assert "寒来暑往秋收" in page.squeezed  # the part shown
    assert not page.has("云腾致雨露结为霜金生丽水玉出昆冈")
    assert "暑往寒来冬藏秋收岁成余闰阳调吕律" in page.squeezed  # all there, partly hidden
    assert not page.has("暑往寒来冬藏秋收岁成余闰阳调吕律")
    assert page.has("邻格") and len(page.find("邻格")) == 4


def _names(report: Path, kind: str) -> list[str]:
    """The batch's department names or file names (from samples/), or the values of a
    column of 项目汇总 (project names, 业务主管部门)."""
    if kind == "单位名称":  # as the departments' files name them
        return [p.stem.split("-", 1)[1] for p in SAMPLE_FILES]
    if kind == "来源文件":
        return [p.name for p in SAMPLE_FILES]
    rows = table(openpyxl.load_workbook(report)["项目汇总"], "一级项目名称")
    return list(dict.fromkeys(squeeze(r[kind].value) for r in rows if r[kind].value))


@pytest.mark.parametrize("kind", ["一级项目名称", "单位名称", "业务主管部门", "来源文件"])
def test_summary_prints_every_name_whole(printed: dict[str, Printed], kind: str) -> None:
    """Every project name, department name and file name of the batch, as many times as
    项目汇总's cells hold it, is printed whole on the pages of 项目汇总.

    pdftotext lays a wrapped cell's lines among its neighbours' lines, so neither a page's
    text nor that text without whitespace holds a wrapped name. `Page.find` follows the
    text word by word instead: on along the line, or down to the next line under the same
    cell. A cut cell is not found, whether LibreOffice left the cut glyphs out of the PDF or
    drew the whole text clipped under the next cell (test_cut_text_is_not_found). Counting
    the places also catches a name cut in one row and whole in another.
    """
    report = printed["report"]
    ws = openpyxl.load_workbook(report.workbook)["项目汇总"]
    cells = [squeeze(c.value) for row in ws.iter_rows(min_row=2) for c in row if c.value]
    pages = report.of("项目汇总")
    assert pages
    failures = []
    for name in _names(report.workbook, kind):
        expected = sum(text.count(name) for text in cells)
        found = sum(len(page.find(name)) for page in pages)
        if expected == 0 or found < expected:
            failures.append(f"{name}: in {expected} cells, printed whole {found} times")
    assert failures == [], "\n".join(failures)


def _print_area(ws: Worksheet) -> tuple[int, int]:
    """The last column and row that print."""
    if not ws.print_area:
        return ws.max_column, ws.max_row
    areas = [ws.print_area] if isinstance(ws.print_area, str) else ws.print_area
    bounds = [range_boundaries(a.split("!")[-1].replace("$", "")) for a in areas]
    return max(b[2] for b in bounds), max(b[3] for b in bounds)


def cut_cells(book: Printed, sheet: str) -> list[str]:
    """The texts of `sheet`'s cells that its pages do not print whole as often as the cells
    hold them (a cell holding another's text counts, as the page shows it too). Only text
    cells: how numbers print depends on their format, and test_numbers_are_numeric_cells
    checks those."""
    ws = openpyxl.load_workbook(book.workbook, data_only=True)[sheet]
    last_column, last_row = _print_area(ws)
    texts = [
        squeeze(cell.value)
        for row in ws.iter_rows(max_row=last_row, max_col=last_column)
        for cell in row
        if isinstance(cell.value, str)
        and squeeze(cell.value)
        and not ws.column_dimensions[cell.column_letter].hidden
        and not ws.row_dimensions[cell.row].hidden
    ]
    pages = book.of(sheet)
    cut = {}
    for text in dict.fromkeys(texts):
        expected = sum(t.count(text) for t in texts)
        found = sum(len(page.find(text)) for page in pages)
        if found < expected:
            cut[text] = f"{text[:40]} (whole {found} of {expected} times)"
    # A text inside a longer cut one (a "0" in a cut "404-…") is cut with it: named once.
    return [line for text, line in cut.items() if not any(text in t != text for t in cut)]


@pytest.mark.parametrize("name", ["report", "feedback", "publish", *TEMPLATES])
def test_every_text_cell_prints_whole(printed: dict[str, Printed], name: str) -> None:
    """Every text cell of every printed sheet shows whole on the sheet's pages (Page.find):
    the consolidated workbook, each feedback copy's 审核意见 and project sheets (its 填表说明
    is the template's), the published tables, the template."""
    if name == "feedback":
        books = [(b, s) for b in feedback(printed) for s in (OPINIONS, *project_sheets(b))]
    else:
        book = printed[name]
        visible = openpyxl.load_workbook(book.workbook, read_only=True)
        books = [(book, ws.title) for ws in visible if ws.sheet_state == "visible"]
    failures = []
    for book, sheet in books:
        if not book.of(sheet):
            failures.append(f"{book.pdf.name}: {sheet} does not print")
        failures += [f"{book.pdf.name}: {sheet}: {cut}" for cut in cut_cells(book, sheet)]
    assert failures == [], "\n".join(failures)


# Numbers are numbers


def _number_failures(
    cells: list[Cell], *, formats: tuple[str, ...] = (), integer: bool = False
) -> list[str]:
    """Cells that are not numbers (stored as text, or formatted as text) or will not print
    right-aligned (an explicit left or centred alignment), or lack the given format."""
    failures = []
    for cell in cells:
        value = cell.value
        problems = []
        if isinstance(value, bool) or not isinstance(value, int | float):
            problems.append(f"holds {value!r}")
        elif integer and value != int(value):
            problems.append(f"holds {value!r}, not a whole number")
        if cell.number_format == "@" or (formats and cell.number_format not in formats):
            problems.append(f"format {cell.number_format!r}")
        if cell.alignment.horizontal not in (None, "general", "right"):
            problems.append(f"aligned {cell.alignment.horizontal}")
        if problems:
            failures.append(f"{cell.parent.title}!{cell.coordinate} " + ", ".join(problems))
    return failures


AMOUNT = ("#,##0.00",)
COUNT = ("0", "#,##0")
AMOUNTS = ("当年预算金额", "部门留用", "补助街镇")
COUNTS = ("指标数", "错误", "警告", "提示")


def _column(rows: list[dict[str, Cell]], name: str, *, filled: bool = False) -> list[Cell]:
    cells = [r[name] for r in rows]
    return [c for c in cells if c.value not in (None, "")] if filled else cells


@pytest.mark.parametrize("sheet", ["项目汇总", "指标明细", "部门", OPINIONS])
def test_numbers_are_numeric_cells(outputs: Outputs, sheet: str) -> None:
    """Amounts, counts, weights and indicator values are numeric cells, printed right-aligned:
    amounts formatted #,##0.00, counts 0; weights and 指标值 in any number format but text
    (General shows 2000, 0.5 and 95 as they are; a fixed format would not)."""
    book = openpyxl.load_workbook(outputs.report)
    failures: list[str] = []
    if sheet == "项目汇总":
        rows = table(book[sheet], "一级项目名称")
        assert rows
        for name in AMOUNTS:
            failures += _number_failures(_column(rows, name), formats=AMOUNT)
        for name in COUNTS:
            failures += _number_failures(_column(rows, name), formats=COUNT, integer=True)
        for name in ("预算执行率权重", "指标权重合计"):
            failures += _number_failures(_column(rows, name))
    elif sheet == "指标明细":
        rows = table(book[sheet], "一级项目名称")
        assert rows
        failures += _number_failures(_column(rows, "序号"), formats=COUNT, integer=True)
        failures += _number_failures(_column(rows, "权重（%）"))
        quantitative = [r for r in rows if r["指标性质"].value != "定性"]
        assert quantitative
        failures += _number_failures(_column(quantitative, "指标值", filled=True))
    elif sheet == "部门":
        for name in department_sheets(outputs.report):
            ws = book[name]
            top, _ = header(ws, "一级项目名称")
            labels = {c.value: ws.cell(c.row, 2) for c in ws["A"][: top - 1] if c.value}
            assert set(labels) >= {"项目数", *COUNTS, *AMOUNTS}, name
            failures += _number_failures([labels[n] for n in AMOUNTS], formats=AMOUNT)
            counts = [labels[n] for n in ("项目数", *COUNTS)]
            failures += _number_failures(counts, formats=COUNT, integer=True)
            rows = table(ws, "一级项目名称")
            for column in AMOUNTS:
                failures += _number_failures(_column(rows, column), formats=AMOUNT)
            for column in COUNTS:
                failures += _number_failures(_column(rows, column), formats=COUNT, integer=True)
    else:
        assert outputs.feedback
        for copy in outputs.feedback:
            ws = openpyxl.load_workbook(copy)[OPINIONS]
            row = next(r for r in ws.iter_rows() if r[0].value == "错误")
            labelled = [
                row[i + 1] for i in range(0, 6, 2) if row[i].value in ("错误", "警告", "提示")
            ]
            assert len(labelled) == 3, copy.name
            failures += _number_failures(labelled, integer=True)
    assert failures == [], "\n".join(failures)


# The template: a project sheet on one page, the rules whole


@pytest.mark.parametrize("name", [*TEMPLATES, *FILLED])
def test_a_project_sheet_prints_on_one_page(printed: dict[str, Printed], name: str) -> None:
    """Each project sheet (项目1…) of the template, blank or filled in, prints on one page."""
    book = printed[name]
    sheets = project_sheets(book)
    assert sheets
    pages = {s: [p.number for p in book.of(s)] for s in sheets}
    assert {s: n for s, n in pages.items() if len(n) != 1} == {}


@pytest.mark.parametrize("name", TEMPLATES)
def test_template_rule_table_prints_every_rule_whole(
    printed: dict[str, Printed], name: str
) -> None:
    """Each rule's row of 填表说明 shows its whole text: the description and, after
    "修改方法：", the rule's hint."""
    book = printed[name]
    rows = table(openpyxl.load_workbook(book.workbook)["填表说明"], "规则编号")
    pages = book.of("填表说明")
    assert rows and pages
    assert {r["规则编号"].value for r in rows} == {r.id for r in RULES.values() if not r.bureau}
    failures = []
    for row in rows:
        rule = RULES[row["规则编号"].value]
        description, hint = for_departments(rule.description), for_departments(rule.hint)
        for part, text in (("说明", description), ("修改方法", f"修改方法：{hint}")):
            assert squeeze(text) in squeeze(row["说明与修改方法"].value), rule.id
            if not any(page.has(text) for page in pages):
                failures.append(f"{rule.id} {part}")
    assert failures == [], f"{len(failures)} of {2 * len(rows)} texts are cut"


# The published tables: a continued project says what it is


def test_publish_pages_carry_the_title_and_the_project(
    printed: dict[str, Printed], outputs: Outputs
) -> None:
    """Every page of the published tables shows the title and the project's name at its top,
    the pages a project continues onto too, and every project has a page."""
    book = printed["publish"]
    ws = openpyxl.load_workbook(book.workbook).worksheets[0]
    title = squeeze(ws["A1"].value)
    assert title.startswith("2023年")
    names = _names(outputs.report, "一级项目名称")
    assert names
    failures, seen, current = [], set(), None
    for page in book.pages:
        shown = [n for n in names if page.has(n, top=TOP)]
        seen |= set(shown)
        lacking = [] if page.has(title, top=TOP) else ["the title"]
        if not shown:
            lacking.append("the project name")
        if lacking:
            failures.append(f"p{page.number} (continuing {current}): no {', '.join(lacking)}")
        current = shown[-1] if shown else current
    assert failures == [], "\n".join(failures)
    assert seen == set(names)


# Feedback marks show in grey


def _marks(copy: Path, sample: Path, sheet: str) -> tuple[dict[str, list[Cell]], list[Cell]]:
    """A feedback copy's marked cells by fill colour, and its unmarked input cells (holding a
    value), against the department's own workbook: input cells have the commonest fill."""
    ours, theirs = openpyxl.load_workbook(copy)[sheet], openpyxl.load_workbook(sample)[sheet]

    def fill(cell: Cell) -> str | None:
        return cell.fill.fgColor.rgb[-6:] if cell.fill.patternType == "solid" else None

    given = {c.coordinate: fill(c) for row in theirs.iter_rows() for c in row}
    (input_fill, _), *_ = Counter(f for f in given.values() if f).most_common(1)
    marked: dict[str, list[Cell]] = defaultdict(list)
    plain = []
    for coordinate, before in given.items():
        cell = ours[coordinate]
        after = fill(cell)
        if before == input_fill and after == input_fill and cell.value not in (None, ""):
            plain.append(cell)
        elif after not in (before, input_fill, None):
            marked[after].append(cell)
    return marked, plain


def _printed_once(page: Page, cells: list[Cell], everything: list[str]) -> dict[str, Word]:
    """Of `cells`, those whose text no other cell holds, with the one word it prints as."""
    found = {}
    for cell in cells:
        text = squeeze(cell.value)
        words = [w for w in page.words if w.text == text]
        if everything.count(text) == 1 and len(words) == 1:
            found[cell.coordinate] = words[0]
    return found


def test_grey_levels_tell_fills_apart(printed: dict[str, Printed], tmp_path: Path) -> None:
    """The grey check tells a mark's fill from the input fill, and a near twin it does not."""
    probe = printed[PROBE]
    (page,) = probe.of("标记")
    image = grey_page(probe.pdf, page.number, tmp_path)
    levels = {
        w.text: fill_grey(image, w) for w in page.words if w.text in ("甲一", "乙二", "丙三")
    }
    assert abs(levels["乙二"] - levels["甲一"]) >= MARK_CONTRAST  # F4A7A7 on FFF2CC
    assert abs(levels["丙三"] - levels["甲一"]) < MARK_CONTRAST  # FFF0CC: no mark in grey


def test_feedback_marks_show_in_grey(
    printed: dict[str, Printed], outputs: Outputs, tmp_path: Path
) -> None:
    """On a feedback copy's project sheet printed in grey (pdftoppm -gray), every kind of mark
    (one per fill colour) is at least MARK_CONTRAST grey levels off the unmarked input fill."""
    name, sheet = "404-重庆市北碚区残疾人联合会", "项目2"
    copy = printed[f"{name}（审核意见）.xlsx"]
    marked, plain = _marks(copy.workbook, SAMPLES / f"{name}.xlsx", sheet)
    assert len(marked) >= 2, f"{sheet} has marks of {len(marked)} colours"
    page = copy.of(sheet)[0]
    image = grey_page(copy.pdf, page.number, tmp_path)
    ws = openpyxl.load_workbook(copy.workbook)[sheet]
    everything = [squeeze(c.value) for row in ws.iter_rows() for c in row if c.value]
    plain_levels = [fill_grey(image, w) for w in _printed_once(page, plain, everything).values()]
    assert len(plain_levels) >= 3
    plain_level = sorted(plain_levels)[len(plain_levels) // 2]
    assert max(plain_levels) - min(plain_levels) < MARK_CONTRAST / 2, plain_levels
    report = {}
    for colour, cells in marked.items():
        words = _printed_once(page, cells, everything)
        assert words, f"no cell marked {colour} could be found on p{page.number}"
        report[colour] = {c: fill_grey(image, w) for c, w in words.items()}
    faint = {
        colour: levels
        for colour, levels in report.items()
        if any(abs(level - plain_level) < MARK_CONTRAST for level in levels.values())
    }
    assert faint == {}, f"input fill prints at grey {plain_level}"


# make preview


def test_preview_pictures(printed: dict[str, Printed], outputs: Outputs, tmp_path: Path) -> None:
    """The pictures `make preview` writes: a PNG per page, named after its sheet, and the
    HTML page photographed at each width, top to bottom."""
    template = printed["template"]
    files = render(template.pdf, tmp_path / "模板", names=[p.sheet or "" for p in template.pages])
    assert [f.name for f in files] == [f"{p.number:03d}-{p.sheet}.png" for p in template.pages]
    assert all(png_size(f)[0] > 300 for f in files)
    shots = screenshots(outputs.html, tmp_path / "网页", limit=2)
    for width in SCREEN_WIDTHS:
        assert len(shots[width]) == 2
        assert {png_size(f)[0] for f in shots[width]} == {width}
        assert shots[width][0].read_bytes() != shots[width][1].read_bytes()  # scrolled
