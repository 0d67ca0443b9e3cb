"""The consolidated workbook, opened as the clerk opens it."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import openpyxl
import pytest

from bptools import Consolidation, consolidate
from bptools.config import Config
from bptools.model import Project
from bptools.report import (
    ANOMALIES,
    INDICATORS,
    OVERVIEW,
    PROJECTS,
    RULE_SHEET,
    TEXTS,
    write_report,
)
from bptools.rules import RULES
from bptools.rules.params import PARAM_LABELS
from bptools.schema import TAXONOMY

from .conftest import SAMPLE_FILES, SAMPLES, MakeWorkbook


@pytest.fixture(scope="module")
def sample_report_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = write_report(consolidate(SAMPLE_FILES), tmp_path_factory.mktemp("out"))
    assert path.name == "2023年绩效目标汇总.xlsx"
    return path


@pytest.fixture(scope="module")
def sample_report(sample_report_path: Path) -> openpyxl.Workbook:
    """The report with cached values, as a viewer shows it."""
    return openpyxl.load_workbook(sample_report_path, data_only=True)


def rows(ws: openpyxl.worksheet.worksheet.Worksheet) -> list[list[object]]:
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_sheets(sample_report: openpyxl.Workbook, sample_projects: list[Project]) -> None:
    names = sample_report.sheetnames
    assert names[:4] == [OVERVIEW, PROJECTS, TEXTS, INDICATORS]
    assert names[-2:] == [ANOMALIES, RULE_SHEET]
    departments = names[4:-2]
    assert len(departments) == 19
    assert set(departments) == {p.unit[:31] for p in sample_projects}


def test_projects_and_indicators_sheets(sample_report: openpyxl.Workbook) -> None:
    projects = sample_report[PROJECTS]
    assert projects.freeze_panes == "A2"
    assert projects.auto_filter.ref == "A1:O30"
    table = rows(projects)
    assert table[0][:5] == [
        "单位编码",
        "单位名称",
        "一级项目名称",
        "业务主管部门",
        "当年预算\n金额",
    ]
    first = table[1]
    assert first[:5] == [
        "106",
        "中国共产党重庆市北碚区委员会宣传部",
        "文明城区创建及文明实践项目经费",
        "中国共产党重庆市北碚区委员会宣传部",
        221.92,
    ]
    assert projects["E2"].number_format == "#,##0.00"
    # A name wider than its column wraps, in a row tall enough for its lines (CJK text
    # counted double: 30 units in a column of 22).
    assert projects.column_dimensions["C"].width == pytest.approx(22, abs=1)
    assert projects["C2"].alignment.wrap_text
    assert projects.row_dimensions[2].height >= 2 * 15
    indicators = sample_report[INDICATORS]
    assert len(rows(indicators)) == 1 + 226
    assert indicators.freeze_panes == "A2"


def test_overview_figures(sample_report: openpyxl.Workbook, sample_result: Consolidation) -> None:
    figures = {r[0]: r[1] for r in rows(sample_report[OVERVIEW]) if r[0] and r[1] is not None}
    assert figures["部门"] == 19
    assert figures["项目"] == 29
    assert figures["绩效指标"] == 226
    assert figures["读取的文件"] == 19
    assert round(figures["当年预算金额合计"], 2) == 16669.03
    for name, count in sample_result.counts().items():
        assert figures[f"异常（{name}）"] == count
    level1 = {r[0]: r[1] for r in rows(sample_report[OVERVIEW]) if r[0] in TAXONOMY}
    assert level1 == {"产出指标": 129, "效益指标": 65, "满意度指标": 31, "成本指标": 1}


def test_overview_totals_follow_filters(sample_report_path: Path) -> None:
    ws = openpyxl.load_workbook(sample_report_path)[OVERVIEW]
    formulas = {r[0].value: r[1].value for r in ws.iter_rows() if r[0].value and r[1].value}
    assert formulas["项目"].startswith("=SUBTOTAL(109,B")
    assert formulas["部门"].startswith("=SUBTOTAL(103,A")
    assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A")
    assert len(ws._charts) == 2


def test_a_quote_in_a_department_name_keeps_links_working(
    make_workbook: MakeWorkbook, project: Project, tmp_path: Path
) -> None:
    """A sheet named after 107-北碚区O'Neil局: links name it with the quote doubled."""
    unit = "107-北碚区O'Neil局"
    path = make_workbook(dataclasses.replace(project, unit=unit), name="quote.xlsx")
    result = consolidate([path])
    wb = openpyxl.load_workbook(write_report(result, tmp_path / "out"))
    assert unit in wb.sheetnames
    links = {
        c.hyperlink.location
        for ws in (wb[OVERVIEW], wb[ANOMALIES])
        for row in ws.iter_rows()
        for c in row
        if c.hyperlink is not None and c.hyperlink.location
    }
    assert "'107-北碚区O''Neil局'!A1" in links
    assert all(link.startswith("'") for link in links)
    source = {
        (c.hyperlink.target, c.hyperlink.location)
        for row in wb[ANOMALIES].iter_rows()
        for c in row
        if c.hyperlink is not None and c.hyperlink.target
    }
    assert source and all(t.endswith("quote.xlsx") and loc[:6] == "'项目1'!" for t, loc in source)


def test_department_sheet_links_back(sample_report: openpyxl.Workbook) -> None:
    ws = sample_report["404-重庆市北碚区残疾人联合会"]
    assert ws["A1"].value == "404-重庆市北碚区残疾人联合会"
    assert ws["A2"].hyperlink.location == f"'{OVERVIEW}'!A1"
    values = [v for r in rows(ws) for v in r if isinstance(v, str)]
    for name in (
        "残疾人康复服务",
        "残疾人就业和社会保障服务",
        "残疾人文化体育宣传服务",
        "其他残疾人事业支出",
    ):
        assert name in values


def test_department_text_stays_text(
    make_workbook: MakeWorkbook, project: Project, tmp_path: Path
) -> None:
    hostile = '=HYPERLINK("http://example.com","点我")'
    path = make_workbook(
        project,
        name="hostile.xlsx",
        supervisor=hostile,
        goals="",
        indicators={0: {"name": "+cmd|' /C calc'!A0", "target": "@SUM(1)"}},
    )
    out = write_report(consolidate([path]), tmp_path / "out")
    wb = openpyxl.load_workbook(out)
    cells = [c for ws in wb for row in ws.iter_rows() for c in row if c.value is not None]
    # The only formulas are our own totals on 总览.
    formulas = [c for c in cells if c.data_type == "f"]
    assert formulas and all(
        re.fullmatch(r"=SUBTOTAL\(10[39],[A-Z]+\d+:[A-Z]+\d+\)", c.value) for c in formulas
    )
    assert hostile in [c.value for c in cells]
    # Text that would read as a formula if a clerk typed it again keeps the quote prefix,
    # and the look of its column; other text has none.
    texts = [c for c in cells if c.data_type == "s"]
    quoted = [c for c in texts if c.value.startswith(("=", "+", "-", "@"))]
    shown = {c.value for c in quoted}
    assert {hostile, "@SUM(1)"} <= shown and any(v.startswith("+cmd|") for v in shown)
    assert all(c.quotePrefix for c in quoted)
    assert not any(c.quotePrefix for c in texts if c not in quoted)
    supervisor = next(c for c in quoted if c.value == hostile)
    plain = next(c for c in supervisor.parent[supervisor.column_letter] if c.row > 1)
    assert (supervisor.font.name, supervisor.border.left.style) == (
        plain.font.name,
        plain.border.left.style,
    )
    # The only links are ours: to sheets of the report and to the source workbook's cells.
    targets = {c.hyperlink.target for c in cells if c.hyperlink and c.hyperlink.target}
    assert targets == {"..\\hostile.xlsx"}


def test_anomaly_rows_link_to_the_source_cell(
    make_workbook: MakeWorkbook, project: Project, tmp_path: Path
) -> None:
    path = make_workbook(project, name="组织部.xlsx", indicators={0: {"weight": 15}})
    out = write_report(consolidate([path]), tmp_path / "out")
    ws = openpyxl.load_workbook(out)[ANOMALIES]
    header = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[1].value == "BP302")
    cell = row[header.index("单元格")]
    assert cell.value == "G10"
    assert cell.hyperlink.target == "../组织部.xlsx".replace("/", "\\")
    assert cell.hyperlink.location == "'项目1'!G10"
    # A department's name is wider than the 单位 column: LibreOffice would print a link on
    # one line, cut; it is text that wraps (its sheet is linked from 总览).
    unit = row[header.index("单位")]
    assert unit.value == project.unit
    assert unit.hyperlink is None and unit.alignment.wrap_text


def test_rule_sheet_comes_from_the_registry_and_the_config(tmp_path: Path) -> None:
    config = Config(
        disabled=("BP906",),
        severities={"BP303": RULES["BP101"].severity},
        params={"BP109": {"max_age": 2}},
    )
    out = write_report(consolidate([SAMPLES], config=config), tmp_path, config)
    ws = openpyxl.load_workbook(out)[RULE_SHEET]
    table = rows(ws)
    header = [str(h).replace("\n", "") for h in table[0]]  # headers break between words
    assert header == ["规则编号", "级别", "规则", "说明", "修改方法", "参数", "本次发现", "状态"]
    by_id = {r[0]: r for r in table[1:]}
    assert list(by_id) == list(RULES)
    assert by_id["BP906"][7] == "停用" and by_id["BP906"][6] == 0
    assert by_id["BP303"][1] == "错误"
    assert by_id["BP101"][3] == RULES["BP101"].description
    # Each parameter says what it is, beside the key bptools.toml sets it by, at the value
    # the run used.
    assert by_id["BP109"][5].startswith("最长年限 max_age = 2；年度文件用词 annual_words = 年度、")
    assert by_id["BP101"][5] is None


def test_every_rule_parameter_is_named_in_chinese() -> None:
    unnamed = {k for rule in RULES.values() for k in rule.params if k not in PARAM_LABELS}
    assert unnamed == set()


def test_a_rule_on_most_tables_is_one_row_of_the_anomaly_list(
    sample_report: openpyxl.Workbook, sample_result: Consolidation
) -> None:
    """No 成本指标 on 23 of 29 tables: one row in 异常清单 and in 总览, one per table on the
    department sheets."""
    ws = sample_report[ANOMALIES]
    header = [c.value for c in ws[1]]
    rule, message = header.index("规则编号"), header.index("问题说明")
    listed = [r for r in ws.iter_rows(min_row=2, values_only=True) if r[rule] == "BP409"]
    (row,) = listed
    assert row[message].startswith("本批次 23 个项目（共 29 个）没有成本指标，")
    assert row[header.index("文件")] == "（本批次）"
    overview = [r for r in rows(sample_report[OVERVIEW]) if r[1] in ("BP408", "BP409")]
    assert [(r[1], r[2], r[3]) for r in overview] == [("BP408", "提示", 21), ("BP409", "提示", 23)]
    # The section says how the list's rows stand for all the findings.
    (heading,) = [
        r[0] for r in rows(sample_report[OVERVIEW]) if str(r[0]).startswith("本批次普遍")
    ]
    assert heading.startswith(f"本批次普遍存在的问题（异常共 {len(sample_result.findings)} 条，")
    per_table = sum(
        1
        for name in sample_report.sheetnames
        for r in rows(sample_report[name])
        if name[:3].isdigit() and "BP409" in r
    )
    assert per_table == 23


def test_one_cosmetic_problem_on_several_rows_of_a_table_is_one_row(
    sample_report: openpyxl.Workbook,
) -> None:
    """残疾人康复服务 sets three satisfaction targets at ≥ 80%: one row in 异常清单 naming the
    three indicators, three on the department sheet, where each cell is to be fixed."""
    ws = sample_report[ANOMALIES]
    header = [c.value for c in ws[1]]
    rule, indicator = header.index("规则编号"), header.index("指标")
    listed = [
        r
        for r in ws.iter_rows(min_row=2, values_only=True)
        if r[rule] == "BP603" and r[header.index("项目")] == "残疾人康复服务"
    ]
    (row,) = listed
    names = "接受辅具救助残疾人满意度、残疾儿童及家长满意率、接受救助精神病患者家属满意度"
    assert row[indicator] == names
    assert row[header.index("问题说明")] == f"满意度目标“≥ 80%”低于 85%（本表 3 个指标：{names}）"
    department = [r for r in rows(sample_report["404-重庆市北碚区残疾人联合会"]) if "BP603" in r]
    assert sum("残疾人康复服务" in r for r in department) == 3
