"""Feedback copies for departments, opened as the department opens them."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import shutil
import zipfile
from collections import defaultdict
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from bptools import Consolidation, Finding, Severity, consolidate, read_workbook
from bptools.config import Config
from bptools.feedback import AUTHOR, FEEDBACK_DIR, OPINION_SHEET, write_feedback
from bptools.model import Project
from bptools.rules import RULES
from bptools.write.book import safe_sheet_title
from bptools.write.style import SEVERITY_FILL

from .conftest import SAMPLES, MakeWorkbook
from .test_office import convert, pages

HOSTILE = ('=HYPERLINK("http://x","y")', "+1", "@SUM(1)", "-1", "<script>alert(1)</script>")
COLOURS = {colour: severity for severity, colour in SEVERITY_FILL.items()}
HEADER = [
    "级别",
    "规则编号",
    "规则",
    "工作表",
    "指标",
    "单元格",
    "相关单元格",
    "问题说明",
    "修改建议",
]
CELL, RELATED = HEADER.index("单元格") + 1, HEADER.index("相关单元格") + 1  # columns, from 1


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.glob("*.xlsx")}


@pytest.fixture(scope="module")
def sample_feedback(
    sample_result: Consolidation, tmp_path_factory: pytest.TempPathFactory
) -> list[Path]:
    before = digest(SAMPLES)
    written = write_feedback(sample_result, tmp_path_factory.mktemp("out"))
    assert digest(SAMPLES) == before  # the originals are only read
    return written


def by_file(findings: list[Finding]) -> dict[str, list[Finding]]:
    grouped: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        grouped[f.file].append(f)
    return grouped


def copy_name(label: str, suffix: str = ".xlsx") -> str:
    return f"{Path(label).stem}（审核意见）{suffix}"


def marks(wb: openpyxl.Workbook) -> tuple[dict[tuple[str, str], str], dict[tuple[str, str], str]]:
    """(sheet, cell) -> comment text, and (sheet, cell) -> fill of a severity colour, over
    every sheet but 审核意见."""
    comments: dict[tuple[str, str], str] = {}
    fills: dict[tuple[str, str], str] = {}
    for ws in wb.worksheets:
        if ws.title == OPINION_SHEET:
            continue
        for row in ws.iter_rows():
            for cell in row:
                if cell.comment is not None:
                    comments[(ws.title, cell.coordinate)] = cell.comment.text
                rgb = cell.fill.fgColor.rgb if cell.fill.fill_type == "solid" else None
                if isinstance(rgb, str) and rgb[-6:] in COLOURS:
                    fills[(ws.title, cell.coordinate)] = rgb[-6:]
    return comments, fills


def opinion_rows(ws: Worksheet) -> list[list[object]]:
    """The rows of the table under its header (级别 …)."""
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    top = next(n for n, r in enumerate(rows) if r[0] == "级别")
    assert rows[top] == HEADER
    return rows[top + 1 :]


def expected_rows(findings: list[Finding]) -> list[list[object]]:
    return [
        [
            f.severity.value,
            f.rule_id,
            RULES[f.rule_id].title,
            f.sheet or None,
            f.indicator or None,
            f.cell or None,
            f.related or None,
            f.message,
            f.hint,
        ]
        for f in findings
    ]


def places(findings: list[Finding]) -> set[tuple[str, str]]:
    cells = {(f.sheet, f.cell) for f in findings if f.cell}
    return cells | {(f.sheet, cell) for f in findings for cell in f.related_cells}


# --- The samples -------------------------------------------------------------------------------


def test_a_copy_for_exactly_the_files_with_findings(
    sample_result: Consolidation, sample_feedback: list[Path]
) -> None:
    with_findings = {f.file for f in sample_result.findings}
    assert {p.name for p in sample_feedback} == {copy_name(label) for label in with_findings}
    assert len(sample_feedback) == len(with_findings) == 19
    folder = sample_feedback[0].parent
    assert folder.name == FEEDBACK_DIR
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in sample_feedback)


def assert_marked(wb: openpyxl.Workbook, findings: list[Finding]) -> None:
    """The cells with our fill and comment are exactly the findings' cells and related cells;
    each is coloured by its most severe finding, and its comment has every finding there."""
    comments, fills = marks(wb)
    expected = places([f for f in findings if f.sheet in wb.sheetnames])
    assert set(comments) == expected
    assert set(fills) == expected
    for place in expected:
        here = [
            f
            for f in findings
            if place == (f.sheet, f.cell) or place in {(f.sheet, c) for c in f.related_cells}
        ]
        worst = min(here, key=lambda f: f.severity.rank).severity
        assert COLOURS[fills[place]] is worst
        for f in here:
            assert f"[{f.severity.value} {f.rule_id}]" in comments[place]
            assert f.message in comments[place]
            assert f"修改：{f.hint}" in comments[place]
    for f in findings:
        for cell in f.related_cells:
            if cell != f.cell and f.sheet in wb.sheetnames:
                assert f"（相关单元格，问题见 {f.cell}）" in comments[(f.sheet, cell)]


def test_marked_cells_are_the_findings_cells(
    sample_result: Consolidation, sample_feedback: list[Path]
) -> None:
    for label, findings in by_file(sample_result.findings).items():
        original = openpyxl.load_workbook(SAMPLES / label)
        assert marks(original) == ({}, {})  # nothing in the samples looks like our marks
        assert_marked(
            openpyxl.load_workbook(sample_feedback[0].parent / copy_name(label)), findings
        )


def test_several_findings_on_one_cell_share_one_comment(
    sample_result: Consolidation, sample_feedback: list[Path]
) -> None:
    places = defaultdict(list)
    for f in sample_result.findings:
        if f.cell:
            places[(f.file, f.sheet, f.cell)].append(f)
    (label, sheet, cell), shared = next((p, fs) for p, fs in places.items() if len(fs) > 1)
    ws = openpyxl.load_workbook(sample_feedback[0].parent / copy_name(label))[sheet]
    comment = ws[cell].comment
    assert comment.author == AUTHOR
    for f in shared:
        assert f"[{f.severity.value} {f.rule_id}]" in comment.text
    # openpyxl reads no comment box sizes: look at the drawing that holds them.
    with zipfile.ZipFile(sample_feedback[0].parent / copy_name(label)) as archive:
        vml = "".join(archive.read(n).decode() for n in archive.namelist() if n.endswith(".vml"))
    sizes = [tuple(map(int, m)) for m in re.findall(r"width:(\d+)px;height:(\d+)px", vml)]
    assert sizes and all(w >= 300 for w, _ in sizes)
    assert max(h for _, h in sizes) >= 150  # two findings and their hints need a larger box


def test_opinion_sheet_lists_the_files_findings(
    sample_result: Consolidation, sample_feedback: list[Path]
) -> None:
    for label, findings in by_file(sample_result.findings).items():
        wb = openpyxl.load_workbook(sample_feedback[0].parent / copy_name(label))
        assert wb.sheetnames[0] == OPINION_SHEET
        assert wb.active.title == OPINION_SHEET
        assert [ws.title for ws in wb.worksheets if ws.sheet_view.tabSelected] == [OPINION_SHEET]
        ws = wb[OPINION_SHEET]
        assert opinion_rows(ws) == expected_rows(findings)
        unit = findings[0].unit
        texts = [c.value for row in ws.iter_rows(max_row=6) for c in row]
        assert unit in texts and label in texts
        counts = {s.value: sum(f.severity is s for f in findings) for s in Severity}
        for r in ws.iter_rows(min_row=1, max_row=6):
            for c in r:
                if c.value in counts and c.column < 7:
                    assert ws.cell(c.row, c.column + 1).value == counts[c.value]


def test_opinion_sheet_layout(sample_result: Consolidation, sample_feedback: list[Path]) -> None:
    label = "404-重庆市北碚区残疾人联合会.xlsx"
    findings = by_file(sample_result.findings)[label]
    wb = openpyxl.load_workbook(sample_feedback[0].parent / copy_name(label))
    ws = wb[OPINION_SHEET]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    top = next(n for n, r in enumerate(rows) if r[0] == "级别") + 1  # Excel's row number
    assert ws.freeze_panes == f"A{top + 1}"
    assert ws.auto_filter.ref == f"A{top}:I{top + len(findings)}"
    assert ws.page_setup.paperSize == 9  # A4
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.print_title_rows == f"${top}:${top}"
    assert {c.font.name for row in ws.iter_rows() for c in row if c.value is not None} == {"宋体"}
    # The columns every list of findings uses; a 规则 title of up to 12 characters (24
    # units, CJK counted double) is wider than its column and wraps.
    assert ws.column_dimensions["C"].width == 14
    assert ws.column_dimensions["H"].width == 36  # 问题说明
    long_titles = [n for n, f in enumerate(findings, top + 1) if len(f.rule.title) > 6]
    assert long_titles and all(ws.cell(n, 3).alignment.wrap_text for n in long_titles)
    for n, f in enumerate(findings, top + 1):
        severity = ws.cell(n, 1)
        assert severity.fill.fgColor.rgb[-6:] == SEVERITY_FILL[f.severity]
        link = ws.cell(n, CELL).hyperlink
        assert link.target is None  # inside the workbook, not a file or URL
        assert link.location == f"'{f.sheet}'!{f.cell}"
        related = ws.cell(n, RELATED).hyperlink
        assert (related.location if related else None) == (
            f"'{f.sheet}'!{f.related_cells[0]}" if f.related else None
        )
        assert ws.row_dimensions[n].height >= 17


def test_dropdowns_survive_the_copy(sample_feedback: list[Path]) -> None:
    wb = openpyxl.load_workbook(sample_feedback[0])
    assert {"一级指标列表", "指标性质列表", "是否列表", "产出指标"} <= set(wb.defined_names)
    projects = [ws for ws in wb.worksheets if ws.title.startswith("项目")]
    assert projects
    for ws in projects:
        formulas = {dv.formula1 for dv in ws.data_validations.dataValidation}
        assert {"一级指标列表", "指标性质列表", "是否列表", "INDIRECT($A11)"} <= formulas
    assert wb["代码表"].sheet_state == "hidden"


def test_copy_reads_back_like_the_original(sample_feedback: list[Path]) -> None:
    """The department can fix the copy and send it back: it reads as the original did."""

    def found(path: Path) -> list[tuple[str, str, str, str, str]]:
        return [
            (f.rule_id, f.sheet, f.cell, f.related, f.message)
            for f in consolidate([path]).findings
        ]

    for copy in sample_feedback:
        original = SAMPLES / copy.name.replace("（审核意见）", "")
        ours, theirs = read_workbook(copy), read_workbook(original)
        assert ours.tables == theirs.tables
        assert ours.other_sheets == [OPINION_SHEET, *theirs.other_sheets]
        assert found(copy) == found(original)


# --- Files made for the purpose ---------------------------------------------------------------


def rule_ids(result: Consolidation) -> set[str]:
    """The rules that fired, and those their findings fold (which fire once they are off)."""
    fired = {f.rule_id for f in result.findings}
    return fired | {folded for rule_id in fired for folded in RULES[rule_id].folds}


def test_a_clean_file_gets_no_copy_and_an_old_copy_goes(
    sample_projects: list[Project], make_workbook: MakeWorkbook, tmp_path: Path
) -> None:
    first, second = sample_projects[0], sample_projects[1]
    noisy = rule_ids(
        consolidate([make_workbook(first, name="甲.xlsx"), make_workbook(second, name="乙.xlsx")])
    )
    quiet = Config(disabled=tuple(sorted(noisy)))
    damaged = make_workbook(first, name="甲.xlsx", budget="十万")
    clean = make_workbook(second, name="乙.xlsx")
    result = consolidate([damaged, clean], config=quiet)
    assert {f.file for f in result.findings} == {"甲.xlsx"}  # the damage is not in `noisy`
    out = tmp_path / "out"
    assert [p.name for p in write_feedback(result, out)] == ["甲（审核意见）.xlsx"]

    fixed = make_workbook(first, name="甲.xlsx")
    result = consolidate([fixed, clean], config=quiet)
    assert result.findings == []
    assert write_feedback(result, out) == []
    assert list((out / FEEDBACK_DIR).iterdir()) == []  # last round's copy would mislead


def test_unreadable_files_get_no_copy(make_workbook: MakeWorkbook, project: Project) -> None:
    good = make_workbook(project, name="好.xlsx", budget="abc")
    broken = good.with_name("坏.xlsx")
    broken.write_bytes(good.read_bytes()[:500])
    result = consolidate([good, broken])
    assert {f.file for f in result.findings} == {"好.xlsx", "坏.xlsx"}
    written = write_feedback(result, good.parent / "out")
    assert [p.name for p in written] == ["好（审核意见）.xlsx"]


def test_hostile_text_stays_text(make_workbook: MakeWorkbook, project: Project) -> None:
    """Department text (unit, file and sheet names, values quoted in messages) is never a
    formula or a link in the 审核意见 sheet."""
    paths = []
    for text in HOSTILE:
        path = make_workbook(
            project,
            name=text.replace("/", "／") + ".xlsx",
            unit=text,
            indicators={0: {"target": text, "level1": text}},
        )
        wb = openpyxl.load_workbook(path)
        wb["项目1"].title = safe_sheet_title(text, set())
        wb.save(path)
        paths.append(path)
    result = consolidate(paths)
    written = write_feedback(result, paths[0].parent / "out")
    assert len(written) == len(HOSTILE)
    for path, text in zip(written, HOSTILE, strict=True):
        ws = openpyxl.load_workbook(path)[OPINION_SHEET]
        cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
        assert all(c.data_type in ("s", "n") for c in cells)
        formula_like = [c for c in cells if str(c.value).startswith(("=", "+", "-", "@"))]
        assert all(c.quotePrefix for c in formula_like)  # edited, still text
        assert not any(c.quotePrefix for c in cells if c not in formula_like)
        values = {c.value for c in cells}
        assert text in values  # 单位, as typed
        assert text.replace("/", "／") + ".xlsx" in values  # 文件
        assert safe_sheet_title(text, set()) in values  # 工作表
        message = HEADER.index("问题说明") + 1
        assert any(text in str(c.value) for c in cells if c.column == message)
        links = [c.hyperlink for c in cells if c.hyperlink]
        assert links
        assert all(link.target is None for link in links)
        sheet = safe_sheet_title(text, set()).replace("'", "''")
        assert all(link.location.startswith(f"'{sheet}'!") for link in links)


def test_control_characters_do_not_break_the_copy(
    make_workbook: MakeWorkbook, project: Project
) -> None:
    """The reader removes control characters from cells (BP117), but a finding can still
    carry one from elsewhere, a file name for instance; XML cannot hold it."""
    path = make_workbook(project, indicators={0: {"level1": "产出\x07指标"}})
    result = consolidate([path])
    assert [f.rule_id for f in result.findings if "\x07" in f.message + f.value] == []
    named = RULES["BP901"].finding(
        file=path.name,
        sheet="项目1",
        cell="B3",
        value=project.name,
        other_file="新\x07版.xlsx",
        other_sheet="项目1",
    )
    result.findings.append(named)
    [copy] = write_feedback(result, path.parent / "out")
    wb = openpyxl.load_workbook(copy)
    cleaned = named.message.replace("\x07", "")
    assert cleaned in wb["项目1"]["B3"].comment.text
    assert cleaned in {c.value for row in wb[OPINION_SHEET].iter_rows() for c in row}


def test_findings_without_a_cell_are_only_listed(
    make_workbook: MakeWorkbook, project: Project
) -> None:
    path = make_workbook(project, name="甲.xlsx")
    result = consolidate([path])
    warned = next(f for f in result.findings if f.severity is Severity.WARNING)
    workbook_level = RULES["BP904"].finding(file="甲.xlsx", code="107", names="甲、乙")
    elsewhere = RULES["BP901"].finding(
        file="甲.xlsx",
        sheet="没有这张表",
        cell="B3",
        value="某项目",
        other_file="乙.xlsx",
        other_sheet="项目1",
    )
    # Out of severity order: the cell still takes the colour of its worst finding.
    worse = dataclasses.replace(elsewhere, sheet=warned.sheet, cell=warned.cell)
    result.findings = [workbook_level, elsewhere, *result.findings, worse]
    [copy] = write_feedback(result, path.parent / "out")
    wb = openpyxl.load_workbook(copy)
    assert opinion_rows(wb[OPINION_SHEET]) == expected_rows(result.findings)
    assert_marked(wb, result.findings)
    assert COLOURS[marks(wb)[1][(warned.sheet, warned.cell)]] is Severity.ERROR
    assert ("没有这张表", "B3") not in marks(wb)[0]


def test_superseded_projects_are_not_sent_back(
    sample_projects: list[Project], make_workbook: MakeWorkbook
) -> None:
    """Only a newer file's copy of a project is merged (BP902 tells the clerk). A file with
    nothing else to fix gets no copy; a file with other findings lists BP902 beside them."""
    p0, p1, p2 = sample_projects[:3]
    separate = [make_workbook(p, name=f"{n}.xlsx") for n, p in enumerate((p0, p1, p2))]
    quiet = Config(disabled=tuple(sorted(rule_ids(consolidate(separate)))))
    files = [
        make_workbook(p0, name="全部旧.xlsx"),
        make_workbook(p1, p0, name="部分旧.xlsx"),
        make_workbook(p2, p0, name="有错.xlsx", budget="十万"),
        make_workbook(p0, name="最新.xlsx"),
    ]
    for n, path in enumerate(files):
        os.utime(path, (1_700_000_000 + n, 1_700_000_000 + n))
    result = consolidate(files, config=quiet)
    assert {f.file for f in result.findings if f.rule_id == "BP902"} == {
        "全部旧.xlsx",
        "部分旧.xlsx",
        "有错.xlsx",
    }
    assert {f.file for f in result.findings} == {"全部旧.xlsx", "部分旧.xlsx", "有错.xlsx"}
    # A remark on the whole file (as for an .xls) does not matter once all of it is replaced.
    legacy = RULES["BP005"].finding(file="全部旧.xlsx", value=".xls", format="Excel 97-2003")
    result.findings.append(legacy)
    [copy] = write_feedback(result, files[0].parent / "out")
    assert copy.name == "有错（审核意见）.xlsx"
    rows = opinion_rows(openpyxl.load_workbook(copy)[OPINION_SHEET])
    assert rows == expected_rows([f for f in result.findings if f.file == "有错.xlsx"])
    assert "BP902" in {r[1] for r in rows}


def test_a_copy_sent_back_is_reviewed_afresh(sample_feedback: list[Path], tmp_path: Path) -> None:
    """The department returns the copy unchanged: the next round's copy keeps one mark in
    its name, one 审核意见 sheet, and only this round's comments."""
    returned = Path(shutil.copy(sample_feedback[0], tmp_path / sample_feedback[0].name))
    result = consolidate([returned])
    [again] = write_feedback(result, tmp_path / "out")
    assert again.name == sample_feedback[0].name
    wb = openpyxl.load_workbook(again)
    assert wb.sheetnames.count(OPINION_SHEET) == 1 and wb.sheetnames[0] == OPINION_SHEET
    comments, _ = marks(wb)
    assert set(comments) == places(result.findings)
    assert all(text.count("原批注") == 0 for text in comments.values())


def test_department_comments_are_kept(make_workbook: MakeWorkbook, project: Project) -> None:
    path = make_workbook(project, name="甲.xlsx", budget="abc")
    wb = openpyxl.load_workbook(path)
    cell = next(f for f in consolidate([path]).findings if f.rule_id.startswith("BP2"))
    wb[cell.sheet][cell.cell].comment = openpyxl.comments.Comment("预算待批复", "部门")
    wb.save(path)
    [copy] = write_feedback(consolidate([path]), path.parent / "out")
    text = openpyxl.load_workbook(copy)[cell.sheet][cell.cell].comment.text
    assert text.startswith(f"[错误 {cell.rule_id}]")
    assert text.endswith("原批注：预算待批复")


def test_files_with_the_same_name_get_separate_copies(
    make_workbook: MakeWorkbook, project: Project, tmp_path: Path
) -> None:
    a = make_workbook(project, name="报表.xlsx", budget="abc")
    b = tmp_path / "补交" / "报表.xlsx"
    b.parent.mkdir()
    shutil.copy(make_workbook(project, name="other.xlsx", retained="x"), b)
    written = write_feedback(consolidate([a, b], config=Config(keep="all")), tmp_path / "out")
    assert sorted(p.name for p in written) == [
        "报表（审核意见）.xlsx",
        "报表（审核意见）（2）.xlsx",
    ]


def test_xlsm_without_macros_is_copied_as_xlsx(
    make_workbook: MakeWorkbook, project: Project
) -> None:
    """openpyxl can only write an .xlsm that has macros; Excel refuses an .xlsm that is not."""
    path = make_workbook(project, name="甲.xlsx", budget="abc")
    xlsm = Path(shutil.copy(path, path.with_suffix(".xlsm")))
    [copy] = write_feedback(consolidate([xlsm]), path.parent / "out")
    assert copy.name == "甲（审核意见）.xlsx"
    assert read_workbook(copy).tables == read_workbook(path).tables


@pytest.mark.parametrize("target", ["xls", "ods"])
def test_legacy_formats_get_the_opinion_sheet_only(target: str, tmp_path: Path) -> None:
    sample = Path(shutil.copy(SAMPLES / "107-中国共产党重庆市北碚区委员会组织部.xlsx", tmp_path))
    [legacy] = convert([sample], tmp_path / "converted", target)
    result = consolidate([legacy])
    assert "BP005" in rule_ids(result)
    [copy] = write_feedback(result, tmp_path / "out")
    assert copy.name == f"{sample.stem}（审核意见）.xlsx"
    wb = openpyxl.load_workbook(copy)
    assert wb.sheetnames == [OPINION_SHEET]
    ws = wb[OPINION_SHEET]
    assert "本工作簿只含审核意见" in ws["A1"].value
    assert opinion_rows(ws) == expected_rows(result.findings)
    assert not any(c.hyperlink for row in ws.iter_rows() for c in row)
    [pdf] = convert([copy], tmp_path / "pdf", "pdf")
    assert pages(pdf) >= 1


def test_copies_open_in_an_office_suite(sample_feedback: list[Path], tmp_path: Path) -> None:
    copy = sample_feedback[0].parent / copy_name("404-重庆市北碚区残疾人联合会.xlsx")
    [pdf] = convert([copy], tmp_path, "pdf")
    assert pages(pdf) >= 6  # 审核意见, 填表说明 and four project sheets


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def rewrite(path: Path, parts: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)


def test_untouched_members_are_copied_byte_for_byte(
    sample_result: Consolidation, sample_feedback: list[Path]
) -> None:
    """Only the parts the marks change differ from the department's file; the sheets
    without findings, the theme, the document properties are the original bytes."""
    for status in sample_result.files:
        copy = sample_feedback[0].parent / copy_name(status.label)
        if not copy.exists():
            continue
        before, after = members(status.path), members(copy)
        assert set(before) <= set(after)
        changed = {name for name in before if before[name] != after[name]}
        marked = {f.sheet for f in sample_result.findings if f.file == status.label and f.cell}
        wb = openpyxl.load_workbook(status.path, read_only=True)
        sheet_files = {
            ws.title: f"xl/worksheets/sheet{n}.xml" for n, ws in enumerate(wb.worksheets, 1)
        }
        allowed = {sheet_files[s] for s in marked if s in sheet_files}
        allowed |= {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"}
        allowed |= {"xl/styles.xml", "xl/sharedStrings.xml"}
        assert changed <= allowed, status.label
        assert "xl/theme/theme1.xml" not in changed and "docProps/app.xml" not in changed
        unmarked = set(sheet_files.values()) - allowed
        assert unmarked and all(before[n] == after[n] for n in unmarked)


_X14_VALIDATION = (
    b'<extLst><ext xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"'
    b' uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}"><x14:dataValidations'
    b' xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main" count="1">'
    b'<x14:dataValidation type="list" allowBlank="1"><x14:formula1><xm:f>'
    b"'\xe4\xbb\xa3\xe7\xa0\x81\xe8\xa1\xa8'!$G$2:$G$3</xm:f></x14:formula1>"
    b"<xm:sqref>H30</xm:sqref></x14:dataValidation></x14:dataValidations></ext></extLst>"
)


def _png() -> bytes:
    """A 1x1 red PNG."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )


def _with_image_and_x14(path: Path, sheet: str) -> None:
    """What openpyxl drops: an x14 list validation and a picture on `sheet`."""
    parts = members(path)
    rels_ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    drawing = (
        '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"'
        ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        "<xdr:oneCellAnchor><xdr:from><xdr:col>9</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>1"
        '</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:ext cx="952500" cy="952500"/>'
        '<xdr:pic><xdr:nvPicPr><xdr:cNvPr id="2" name="印章"/><xdr:cNvPicPr/></xdr:nvPicPr>'
        f'<xdr:blipFill><a:blip xmlns:r="{rels_ns}" r:embed="rId1"/><a:stretch><a:fillRect/>'
        '</a:stretch></xdr:blipFill><xdr:spPr><a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
        "</xdr:spPr></xdr:pic><xdr:clientData/></xdr:oneCellAnchor></xdr:wsDr>"
    )
    parts["xl/media/image1.png"] = _png()
    parts["xl/drawings/drawing1.xml"] = drawing.encode()
    parts["xl/drawings/_rels/drawing1.xml.rels"] = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{rels_ns}/image" Target="../media/image1.png"/>'
        "</Relationships>"
    ).encode()
    parts[f"xl/worksheets/_rels/{sheet}.rels"] = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rIdPic" Type="{rels_ns}/drawing" Target="../drawings/drawing1.xml"/>'
        "</Relationships>"
    ).encode()
    xml = parts[f"xl/worksheets/{sheet}"]
    if rels_ns.encode() not in xml:
        xml = xml.replace(b"<worksheet ", f'<worksheet xmlns:r="{rels_ns}" '.encode(), 1)
    xml = xml.replace(
        b"</worksheet>", b'<drawing r:id="rIdPic"/>' + _X14_VALIDATION + b"</worksheet>"
    )
    parts[f"xl/worksheets/{sheet}"] = xml
    types = parts["[Content_Types].xml"]
    extra = (
        b'<Default Extension="png" ContentType="image/png"/><Override PartName="/xl/drawings/'
        b'drawing1.xml" ContentType="application/vnd.openxmlformats-officedocument.drawing+xml"/>'
    )
    parts["[Content_Types].xml"] = types.replace(b"</Types>", extra + b"</Types>")
    rewrite(path, parts)


def test_what_openpyxl_drops_survives_the_copy(tmp_path: Path) -> None:
    """Pictures, x14 validations and values openpyxl cannot write back stay as they were,
    on a sheet that is marked; the copy opens in openpyxl and LibreOffice."""
    path = Path(shutil.copy(SAMPLES / "107-中国共产党重庆市北碚区委员会组织部.xlsx", tmp_path))
    parts = members(path)
    huge = b"9" * 400  # a 400-digit number: openpyxl loads it and cannot save it
    parts["xl/worksheets/sheet2.xml"] = re.sub(
        rb'(<c r="F15"[^>]*>)<v>[^<]*</v>',
        rb"\g<1><v>" + huge + b"</v>",
        parts["xl/worksheets/sheet2.xml"],
    )
    rewrite(path, parts)
    _with_image_and_x14(path, "sheet2.xml")
    result = consolidate([path])
    sheet = openpyxl.load_workbook(path, read_only=True).worksheets[1].title
    assert any(f.sheet == sheet and f.cell for f in result.findings)
    (copy,) = write_feedback(result, tmp_path / "out")
    before, after = members(path), members(copy)
    for name in (
        "xl/media/image1.png",
        "xl/drawings/drawing1.xml",
        "xl/drawings/_rels/drawing1.xml.rels",
    ):
        assert after[name] == before[name]
    marked = after["xl/worksheets/sheet2.xml"]
    assert _X14_VALIDATION in marked and b'<drawing r:id="rIdPic"/>' in marked
    assert b"<v>" + huge + b"</v>" in marked
    assert (
        marked.index(b"<drawing ") < marked.index(b"<legacyDrawing ") < marked.index(b"<extLst>")
    )
    wb = openpyxl.load_workbook(copy)
    comments, fills = marks(wb)
    expected = {p for p in places(result.findings) if p[0] == sheet}
    assert expected and expected <= set(comments) and expected <= set(fills) | set(comments)
    [pdf] = convert([copy], tmp_path / "pdf", "pdf")
    assert pages(pdf) >= 4


def test_a_huge_workbook_gets_a_marked_copy(tmp_path: Path) -> None:
    """A patch costs what the marked sheets weigh, not what the workbook holds: a notes
    sheet of 250,000 cells is copied as it was, and the project sheets are marked."""
    path = Path(shutil.copy(SAMPLES / "107-中国共产党重庆市北碚区委员会组织部.xlsx", tmp_path))
    wb = openpyxl.load_workbook(path)
    notes = wb.create_sheet("备注")
    for r in range(1, 5001):
        notes.append([f"第{r}行"] * 50)
    wb.save(path)
    result = consolidate([path])
    (copy,) = write_feedback(result, tmp_path / "out")
    notes_part = f"xl/worksheets/sheet{len(wb.sheetnames)}.xml"
    assert members(copy)[notes_part] == members(path)[notes_part]
    comments, _ = marks(openpyxl.load_workbook(copy))
    assert set(comments) == places(result.findings)


def test_a_file_gone_from_the_share_after_reading_still_gets_its_findings(
    tmp_path: Path,
) -> None:
    path = Path(shutil.copy(SAMPLES / "107-中国共产党重庆市北碚区委员会组织部.xlsx", tmp_path))
    result = consolidate([path])
    path.unlink()  # moved away by a colleague while the merge ran
    (copy,) = write_feedback(result, tmp_path / "out")
    title = openpyxl.load_workbook(copy)[OPINION_SHEET]["A1"].value
    assert "汇总时原文件已无法打开" in title


def _identity(folder: Path) -> dict[str, tuple[int, int]]:
    """Each copy's inode and modification time: a copy written again gets a new inode."""
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.glob("*.xls*")}


def test_a_rerun_rewrites_only_the_copies_whose_file_or_findings_changed(
    tmp_path: Path,
) -> None:
    inbox = tmp_path / "收件箱"
    shutil.copytree(SAMPLES, inbox, ignore=shutil.ignore_patterns("data"))
    out = tmp_path / "out"
    first = write_feedback(consolidate([inbox]), out)
    before = _identity(out / FEEDBACK_DIR)
    assert len(before) == len(first) > 10

    again = write_feedback(consolidate([inbox]), out)
    assert again == first and _identity(out / FEEDBACK_DIR) == before

    changed = inbox / "107-中国共产党重庆市北碚区委员会组织部.xlsx"
    wb = openpyxl.load_workbook(changed)
    wb.worksheets[1]["B5"] = "人才引进专项资金（调整）"
    wb.save(changed)
    damaged = out / FEEDBACK_DIR / copy_name("404-重庆市北碚区残疾人联合会.xlsx")
    damaged.write_bytes(damaged.read_bytes()[:-200])  # cut short on the share
    resaved = out / FEEDBACK_DIR / copy_name("111-重庆市北碚区信访办公室.xlsx")
    openpyxl.load_workbook(resaved).save(resaved)  # a department saved the copy in place
    before = _identity(out / FEEDBACK_DIR)
    third = write_feedback(consolidate([inbox]), out)
    after = _identity(out / FEEDBACK_DIR)
    rewritten = {name for name in after if after[name] != before[name]}
    assert rewritten == {copy_name(changed.name), damaged.name, resaved.name}
    assert len(third) == len(first)
    comments, _ = marks(openpyxl.load_workbook(damaged))
    assert comments


def test_a_package_with_prefixed_elements_is_marked(tmp_path: Path) -> None:
    """Some generators write every element with a prefix (<x:row>): the patch keeps it."""
    main = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    path = Path(shutil.copy(SAMPLES / "107-中国共产党重庆市北碚区委员会组织部.xlsx", tmp_path))
    parts = members(path)
    for name, data in parts.items():
        if name.startswith("xl/") and b'xmlns="' + main + b'"' in data:
            data = data.replace(b'xmlns="' + main + b'"', b'xmlns:x="' + main + b'"')
            parts[name] = re.sub(rb"<(/?)([A-Za-z]\w*)(?=[\s/>])", rb"<\1x:\2", data)
    rewrite(path, parts)
    result = consolidate([path])
    (copy,) = write_feedback(result, tmp_path / "out")
    wb = openpyxl.load_workbook(copy)
    assert wb.sheetnames[0] == OPINION_SHEET
    assert opinion_rows(wb[OPINION_SHEET]) == expected_rows(result.findings)
    comments, fills = marks(wb)
    assert set(comments) == places(result.findings) and fills
    assert b"<x:row " in members(copy)["xl/worksheets/sheet2.xml"]


def test_copies_made_in_worker_processes_are_the_same(
    sample_result: Consolidation, sample_feedback: list[Path], tmp_path: Path
) -> None:
    """Byte for byte: a copy does not depend on the process that made it."""
    written = write_feedback(sample_result, tmp_path / "out", jobs=2)
    assert [p.name for p in written] == [p.name for p in sample_feedback]
    assert digest(written[0].parent) == digest(sample_feedback[0].parent)


def test_a_copy_of_a_workbook_without_shared_strings_reads_back(tmp_path: Path) -> None:
    """openpyxl saves text inline, with no shared string table: the copy adds the usual
    one, so that the department's returned copy is read again like the original."""
    path = Path(shutil.copy(SAMPLES / "107-中国共产党重庆市北碚区委员会组织部.xlsx", tmp_path))
    openpyxl.load_workbook(path).save(path)
    assert "xl/sharedStrings.xml" not in members(path)
    result = consolidate([path])
    (copy,) = write_feedback(result, tmp_path / "out")
    assert "xl/sharedStrings.xml" in members(copy)
    again = consolidate([copy])
    assert again.files[0].error is None
    assert again.files[0].projects == result.files[0].projects > 0


OLE_HEAD = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a legacy .xls (an OLE container)


def test_a_copy_that_cannot_be_marked_says_why_in_its_title(
    sample_result: Consolidation, tmp_path: Path
) -> None:
    """A file that was read but whose package cannot be marked (here, as if replaced by a
    legacy .xls since) gets the list of its findings, titled with why."""
    status = sample_result.files[0]
    findings = [f for f in sample_result.findings if f.file == status.label]
    moved = tmp_path / "收件箱" / status.path.name
    moved.parent.mkdir()
    moved.write_bytes(OLE_HEAD + b"\x00" * 600)
    result = dataclasses.replace(
        sample_result, files=[dataclasses.replace(status, path=moved)], findings=findings
    )
    [copy] = write_feedback(result, tmp_path / "out")
    book = openpyxl.load_workbook(copy)
    assert book.sheetnames == [OPINION_SHEET]
    title = str(book[OPINION_SHEET]["A1"].value)
    assert "原文件为 Excel 97-2003（.xls）格式，无法在副本中标注单元格" in title
