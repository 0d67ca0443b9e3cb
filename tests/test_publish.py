"""The publishable print: the merged tables laid out as in the published 2023 document."""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from bptools import Consolidation, consolidate
from bptools.model import Project
from bptools.normalize import as_text, parse_number
from bptools.publish import (
    EMPTY_NOTE,
    MIN_CONTINUED,
    page_capacity,
    publish_path,
    write_publish,
)
from bptools.schema import (
    FIELDS_BY_KEY,
    HEADER_FIELDS,
    INDICATOR_COLUMNS,
    INDICATOR_HEADER_ROW,
    INDICATOR_SECTION,
    MONEY_UNIT,
    SECTION_ROW,
    Kind,
    title,
)

from .conftest import MakeWorkbook
from .test_office import convert, pages

TITLE = title(2023)
CONTINUED = f"{TITLE}（续）"
HEADER = [c.label for c in INDICATOR_COLUMNS]
HOSTILE = ['=HYPERLINK("http://x","y")', "+1", "@SUM(1)", "-1", "<script>alert(1)</script>"]

Cells = list[object]


def rows_of(ws: Worksheet) -> list[Cells]:
    return [list(r) for r in ws.iter_rows(min_col=1, max_col=len(HEADER), values_only=True)]


def blocks_of(rows: list[Cells]) -> list[list[Cells]]:
    """The rows of each project: from one title row to the next."""
    starts = [n for n, r in enumerate(rows) if r[0] == TITLE]
    return [rows[a:b] for a, b in zip(starts, [*starts[1:], len(rows)], strict=True)]


def is_continuation(row: Cells) -> bool:
    """A row topping a page that continues a project: the title marked 续, whose it is."""
    return row[0] == CONTINUED or str(row[0]).startswith("一级项目名称：")


def indicator_rows(block: list[Cells]) -> list[tuple[str, ...]]:
    """Indicator rows below the header, without what a continued page repeats."""
    rows = block[INDICATOR_HEADER_ROW:]
    return [tuple(as_text(v) for v in r) for r in rows if r != HEADER and not is_continuation(r)]


def by_unit_code(projects: list[Project]) -> list[Project]:
    return sorted(projects, key=lambda p: p.unit.split("-")[0])


def header_value(block: list[Cells], key: str) -> object:
    field = FIELDS_BY_KEY[key]
    row = block[field.row - 1]
    assert row[field.col - 1] == field.label
    return row[field.col]


@pytest.fixture(scope="module")
def published(sample_result: Consolidation, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_publish(sample_result, tmp_path_factory.mktemp("publish"))


@pytest.fixture(scope="module")
def sheet(published: Path) -> Worksheet:
    return load_workbook(published).worksheets[0]


def test_one_block_per_project_in_unit_order(
    published: Path, sheet: Worksheet, sample_projects: list[Project]
) -> None:
    assert published.name == "2023年区级重点专项绩效目标表（公开）.xlsx"
    assert len(load_workbook(published).worksheets) == 1
    blocks = blocks_of(rows_of(sheet))
    expected = by_unit_code(sample_projects)
    assert len(blocks) == 29
    assert [header_value(b, "name") for b in blocks] == [p.name for p in expected]
    assert [b[1][0] for b in blocks] == [f"编制单位：{p.unit}" for p in expected]


def test_each_block_equals_the_transcription(
    sheet: Worksheet, sample_projects: list[Project]
) -> None:
    for block, project in zip(
        blocks_of(rows_of(sheet)), by_unit_code(sample_projects), strict=True
    ):
        assert block[0][0] == TITLE
        assert block[1][0] == f"编制单位：{project.unit}"
        assert block[1][6] == MONEY_UNIT
        for field in (f for f in HEADER_FIELDS if f.kind is not Kind.UNIT):
            value, expected = header_value(block, field.key), project.header_value(field.key)
            if field.kind in (Kind.MONEY, Kind.WEIGHT):
                assert value == parse_number(expected)[0], (project.name, field.label)
            else:
                assert value == expected, (project.name, field.label)
        assert block[SECTION_ROW - 1][0] == INDICATOR_SECTION
        assert block[INDICATOR_HEADER_ROW - 1] == HEADER
        assert indicator_rows(block) == [
            tuple(as_text(v) for v in dataclasses.astuple(i)) for i in project.indicators
        ], project.name


def test_amounts_have_two_decimals_and_weights_no_trailing_zeros(sheet: Worksheet) -> None:
    first = next(n for n, r in enumerate(rows_of(sheet)) if r[0] == TITLE) + 1
    for key, number_format in (
        ("budget", "#,##0.00"),
        ("retained", "#,##0.00"),
        ("subsidy", "#,##0.00"),
        ("exec_weight", "General"),
    ):
        field = FIELDS_BY_KEY[key]
        cell = sheet.cell(first + field.row - 1, field.col + 1)
        assert isinstance(cell.value, (int, float))
        assert cell.number_format == number_format, key
    weight = sheet.cell(first + INDICATOR_HEADER_ROW, HEADER.index("权重（%）") + 1)
    assert weight.value == 10
    assert weight.number_format == "General"


def test_a_page_break_before_each_project_and_the_header_again_on_a_continued_page(
    sheet: Worksheet,
) -> None:
    rows = rows_of(sheet)
    # openpyxl numbers a break by the 1-based row above it: the next page starts at row id.
    page_starts = sorted(b.id for b in sheet.row_breaks.brk)
    titles = [n for n, r in enumerate(rows) if r[0] == TITLE]
    assert [s for s in page_starts if rows[s][0] == TITLE] == titles[1:]
    continued = [s for s in page_starts if rows[s][0] != TITLE]
    assert continued, "the samples have a project longer than a page (201, 北碚区城市提升)"
    for start in continued:
        # The title marked 续, the project and its department, the indicator header.
        assert rows[start][0] == CONTINUED
        project = max(t for t in titles if t < start)
        name = rows[project + 2][1]
        assert rows[start + 1][0] == f"一级项目名称：{name}（{rows[project + 1][0][5:]}）"
        assert rows[start + 2] == HEADER
        following = rows[start + 3 : start + 3 + MIN_CONTINUED]
        assert all(r[0] not in (TITLE, None) and r != HEADER for r in following)


def test_every_page_fits_the_planned_height(sheet: Worksheet) -> None:
    starts = [0, *sorted(b.id for b in sheet.row_breaks.brk), sheet.max_row]
    for top, bottom in itertools.pairwise(starts):
        height = sum(sheet.row_dimensions[r + 1].height for r in range(top, bottom))
        assert height <= page_capacity(), f"page starting at row {top + 1}"


def test_print_setup(sheet: Worksheet) -> None:
    setup = sheet.page_setup
    assert setup.paperSize == 9
    assert setup.orientation == "portrait"
    assert not sheet.sheet_properties.pageSetUpPr.fitToPage
    assert 50 <= setup.scale <= 100
    assert sheet.print_options.horizontalCentered
    assert sheet.oddFooter.center.text == "第 &P 页，共 &N 页"
    assert not sheet.conditional_formatting
    assert not sheet.data_validations.dataValidation


def test_hostile_text_stays_text(make_workbook: MakeWorkbook, project: Project) -> None:
    hostile = dataclasses.replace(project, name=HOSTILE[0])
    path = make_workbook(
        hostile,
        supervisor=HOSTILE[1],
        overview=HOSTILE[2],
        basis=(HOSTILE[3], HOSTILE[4]),
        goals=HOSTILE[0],
        budget="=1+1",
        indicators={0: {"name": HOSTILE[0], "unit": HOSTILE[3], "level2": HOSTILE[4]}},
    )
    out = write_publish(consolidate([path]), path.parent / "out")
    ws = load_workbook(out).worksheets[0]
    cells = {c.coordinate: c for row in ws.iter_rows() for c in row if c.value is not None}
    texts = {c.value for c in cells.values()}
    assert {*HOSTILE, f"{HOSTILE[3]}\n{HOSTILE[4]}", "=1+1"} <= texts
    assert all(c.data_type == "s" for c in cells.values() if isinstance(c.value, str))
    with zipfile.ZipFile(out) as package:
        names = package.namelist()
        sheet_xml = package.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml
    assert "hyperlink" not in sheet_xml
    assert not [n for n in names if "rels" in n and "sheet" in n]


def test_values_that_cannot_be_normalized_are_printed_as_typed(
    make_workbook: MakeWorkbook, project: Project
) -> None:
    path = make_workbook(
        project, budget="五十万", exec_weight="十", indicators={0: {"weight": "二十", "op": "约"}}
    )
    ws = load_workbook(write_publish(consolidate([path]), path.parent / "out")).worksheets[0]
    block = blocks_of(rows_of(ws))[0]
    assert header_value(block, "budget") == "五十万"
    assert header_value(block, "exec_weight") == "十"
    first = indicator_rows(block)[0]
    assert first[HEADER.index("权重（%）")] == "二十"
    assert first[HEADER.index("指标性质")] == "约"


def test_normalized_values_are_printed(make_workbook: MakeWorkbook, project: Project) -> None:
    path = make_workbook(
        project, budget="50.00", indicators={0: {"op": ">=", "weight": "10", "core": "Y"}}
    )
    ws = load_workbook(write_publish(consolidate([path]), path.parent / "out")).worksheets[0]
    block = blocks_of(rows_of(ws))[0]
    assert header_value(block, "budget") == 50
    first = indicator_rows(block)[0]
    assert (first[HEADER.index("指标性质")], first[HEADER.index("是否核心指标")]) == ("≥", "是")
    assert first[HEADER.index("权重（%）")] == "10"


def test_only_the_newest_copy_of_a_project_is_published(
    make_workbook: MakeWorkbook, project: Project
) -> None:
    old = make_workbook(project, name="旧.xlsx", overview="旧版概述")
    new = make_workbook(project, name="新.xlsx", overview="新版概述")
    os.utime(old, (1_600_000_000, 1_600_000_000))
    ws = load_workbook(write_publish(consolidate([old, new]), old.parent / "out")).worksheets[0]
    blocks = blocks_of(rows_of(ws))
    assert [header_value(b, "overview") for b in blocks] == ["新版概述"]


def test_inputs_untouched_and_output_replaced_only_when_complete(
    make_workbook: MakeWorkbook, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_workbook(project)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    result = consolidate([path])
    outdir = path.parent / "out"
    target = write_publish(result, outdir)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    published = target.read_bytes()

    def fail(*_: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr("bptools.publish._Publisher.write", fail)
    with pytest.raises(RuntimeError):
        write_publish(result, outdir)
    assert target.read_bytes() == published
    assert [p.name for p in outdir.iterdir()] == [target.name]


def test_nothing_to_publish(tmp_path: Path) -> None:
    result = consolidate([tmp_path])
    out = write_publish(result, tmp_path / "out")
    assert out == publish_path(tmp_path / "out", None)
    assert out.name == "区级重点专项绩效目标表（公开）.xlsx"
    assert load_workbook(out).worksheets[0]["A1"].value == EMPTY_NOTE


def test_past_the_page_break_limit_a_further_sheet_takes_the_rest(
    sample_result: Consolidation,
    sample_projects: list[Project],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Excel keeps 1,023 manual breaks per sheet; a lower limit shows the same with 29 tables.
    monkeypatch.setattr("bptools.publish.MAX_BREAKS", 10)
    book = load_workbook(write_publish(sample_result, tmp_path))
    titles = [ws.title for ws in book.worksheets]
    assert len(titles) >= 3
    assert titles == ["绩效目标表", *(f"绩效目标表({n})" for n in range(2, len(titles) + 1))]
    assert all(len(ws.row_breaks.brk) <= 10 for ws in book.worksheets)
    assert all(ws["A1"].value == TITLE for ws in book.worksheets)
    blocks = [b for ws in book.worksheets for b in blocks_of(rows_of(ws))]
    assert [header_value(b, "name") for b in blocks] == [
        p.name for p in by_unit_code(sample_projects)
    ]


@pytest.fixture(scope="module")
def pdf(published: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    (converted,) = convert([published], tmp_path_factory.mktemp("pdf"), "pdf")
    assert converted.exists(), "LibreOffice could not convert the published workbook"
    return converted


def calibri_metrics() -> bool:
    """Whether fontconfig gives LibreOffice Calibri or its metric twin Carlito."""
    if shutil.which("fc-match") is None:
        return False
    found = subprocess.run(["fc-match", "Calibri"], capture_output=True, text=True).stdout
    return "Carlito" in found or "Calibri" in found


def test_libreoffice_prints_every_project(pdf: Path) -> None:
    assert pdf.read_bytes().startswith(b"%PDF")
    assert pages(pdf) >= 29


def test_libreoffice_keeps_our_pages(pdf: Path, sheet: Worksheet) -> None:
    """No page break of LibreOffice's own: every page is one we planned, the columns fit
    the width. Column widths are measured in Calibri: without it (or its metric twin
    Carlito) LibreOffice draws every column about a third wider."""
    if not calibri_metrics():
        if os.environ.get("CI"):
            pytest.fail("Carlito is missing: `make office` installs fonts-crosextra-carlito")
        pytest.skip("Carlito not installed (fonts-crosextra-carlito)")
    assert pages(pdf) == len(sheet.row_breaks.brk) + 1
