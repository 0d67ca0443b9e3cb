"""The consolidated workbook, opened as the clerk opens it."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from bptools import consolidate
from bptools.model import Project
from bptools.report import ANOMALIES, INDICATORS, OVERVIEW, PROJECTS, write_report

from .conftest import SAMPLES, MakeWorkbook


@pytest.fixture(scope="module")
def sample_report(tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    out = tmp_path_factory.mktemp("out")
    path = write_report(consolidate([SAMPLES]), out)
    assert path.name == "2023年绩效目标汇总.xlsx"
    return openpyxl.load_workbook(path)


def rows(ws: openpyxl.worksheet.worksheet.Worksheet) -> list[list[object]]:
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_sheets(sample_report: openpyxl.Workbook, sample_projects: list[Project]) -> None:
    names = sample_report.sheetnames
    assert names[:3] == [OVERVIEW, PROJECTS, INDICATORS] and names[-1] == ANOMALIES
    departments = names[3:-1]
    assert len(departments) == 19
    assert set(departments) == {p.unit[:31] for p in sample_projects}


def test_projects_and_indicators_sheets(sample_report: openpyxl.Workbook) -> None:
    projects = sample_report[PROJECTS]
    assert projects.freeze_panes == "A2"
    assert projects.auto_filter.ref == "A1:Q30"
    table = rows(projects)
    assert table[0][:5] == ["单位编码", "单位名称", "一级项目名称", "业务主管部门", "当年预算金额"]
    first = table[1]
    assert first[:5] == [
        "106",
        "中国共产党重庆市北碚区委员会宣传部",
        "文明城区创建及文明实践项目经费",
        "中国共产党重庆市北碚区委员会宣传部",
        221.92,
    ]
    assert projects["E2"].number_format == "#,##0.00"
    assert projects.column_dimensions["C"].width >= 30  # CJK text counted double
    indicators = sample_report[INDICATORS]
    assert len(rows(indicators)) == 1 + 226
    assert indicators.freeze_panes == "A2"


def test_overview_figures(sample_report: openpyxl.Workbook) -> None:
    figures = {r[0]: r[1] for r in rows(sample_report[OVERVIEW]) if r[0] and r[1] is not None}
    assert figures["部门"] == 19
    assert figures["项目"] == 29
    assert figures["绩效指标"] == 226
    assert figures["读取的文件"] == 19
    assert round(figures["当年预算金额合计"], 2) == 16669.03


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
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert hostile in [c.value for c in cells]
    assert not [c for c in cells if c.hyperlink and c.hyperlink.target]  # no external links
