"""Every file costs a bounded effort and none stops a run: long pastes, thousands of rows,
hundreds of sheets, invisible characters, and a defect of ours meeting one odd file."""

from __future__ import annotations

import dataclasses
import shutil
import zipfile
from pathlib import Path

import pytest

import bptools.intake
import bptools.rules.wording
from bptools import consolidate
from bptools.feedback import write_feedback
from bptools.html import write_html
from bptools.limits import MAX_INDICATORS, MAX_PROJECTS
from bptools.model import Indicator, Project
from bptools.reader import read_workbook
from bptools.report import write_report
from bptools.schema import MAX_CHARS, Kind

from .conftest import SAMPLES, MakeWorkbook

ORG = SAMPLES / "107-中国共产党重庆市北碚区委员会组织部.xlsx"
DPF = SAMPLES / "404-重庆市北碚区残疾人联合会.xlsx"  # four projects


def test_a_whole_document_pasted_into_one_cell_is_cut_and_said(
    make_workbook: MakeWorkbook, project: Project
) -> None:
    """32,767 characters (Excel's maximum) of 立项依据 without a 文号: once the 文号 pattern
    took minutes on such a text."""
    basis = ("关于进一步加强人才工作的若干意见" * 2100)[:32767]
    path = make_workbook(project, basis=(basis,))
    result = consolidate([path])
    (cut,) = [f for f in result.findings if f.rule_id == "BP118"]
    limit = MAX_CHARS[Kind.LONG_TEXT]
    assert cut.message == f"“立项依据”有 32767 个字，超过 {limit} 字的部分没有审核"
    assert len(result.batch.projects.iloc[0]["basis"]) == limit
    assert result.batch.projects.iloc[0]["basis__raw"] == basis  # what was typed is kept


def test_thousands_of_indicator_rows_read_up_to_the_limit(
    make_workbook: MakeWorkbook, project: Project
) -> None:
    rows = tuple(
        Indicator("产出指标", "数量指标", f"培训人数{n}", "人", "≥", "10", 1, "否")
        for n in range(MAX_INDICATORS + 300)
    )
    path = make_workbook(project, indicators_all=rows)
    result = consolidate([path])
    assert len(result.batch.indicators) == MAX_INDICATORS
    (many,) = [f for f in result.findings if f.rule_id == "BP119"]
    assert many.message == (
        f"指标表有 {len(rows)} 行指标，只读取了前 {MAX_INDICATORS} 行，其余没有汇总"
    )


def test_sheets_past_the_limit_are_named_not_read(tmp_path: Path) -> None:
    """A workbook of MAX_PROJECTS + 5 copies of a project sheet."""
    path = tmp_path / "很多表.xlsx"
    with zipfile.ZipFile(ORG) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    sheet = parts["xl/worksheets/sheet2.xml"]
    extra = MAX_PROJECTS + 5
    workbook = parts["xl/workbook.xml"].decode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    types = parts["[Content_Types].xml"].decode()
    sheets, links, overrides = [], [], []
    for n in range(extra):
        sheets.append(f'<sheet name="复制{n}" sheetId="{100 + n}" r:id="rIdX{n}"/>')
        links.append(
            f'<Relationship Id="rIdX{n}" Type="http://schemas.openxmlformats.org/'
            f'officeDocument/2006/relationships/worksheet" Target="worksheets/x{n}.xml"/>'
        )
        overrides.append(
            f'<Override PartName="/xl/worksheets/x{n}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        )
        parts[f"xl/worksheets/x{n}.xml"] = sheet
    parts["xl/workbook.xml"] = workbook.replace(
        "</sheets>", "".join(sheets) + "</sheets>"
    ).encode()
    parts["xl/_rels/workbook.xml.rels"] = rels.replace(
        "</Relationships>", "".join(links) + "</Relationships>"
    ).encode()
    parts["[Content_Types].xml"] = types.replace(
        "</Types>", "".join(overrides) + "</Types>"
    ).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    read = read_workbook(path)
    assert len(read.tables) == MAX_PROJECTS
    result = consolidate([path])
    (unread,) = [f for f in result.findings if f.rule_id == "BP121"]
    assert unread.message.startswith("工作簿中有 6 个工作表未读取：复制49、复制50")


def test_invisible_characters_are_removed_once_per_sheet(
    make_workbook: MakeWorkbook, project: Project
) -> None:
    """NUL and other controls (written as _x0000_ escapes in the file), a right-to-left
    override and a zero-width space pasted from a web page."""
    named = dataclasses.replace(project, name="项目\x00名称\u202e")
    path = make_workbook(named, indicators={0: {"name": "覆盖\u200b率\x07"}})
    result = consolidate([path])
    assert result.batch.projects.iloc[0]["name"] == "项目名称"
    assert result.batch.indicators.iloc[0]["name"] == "覆盖率"
    (removed,) = [f for f in result.findings if f.rule_id == "BP117"]
    assert removed.message == "本表 2 个单元格中有 4 个不可见的控制字符，已删除后读取"
    assert removed.cell == "B3"


def test_a_failure_reading_one_file_is_that_files_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = Path(shutil.copy(ORG, tmp_path / "好.xlsx"))
    odd = Path(shutil.copy(ORG, tmp_path / "怪.xlsx"))
    real = bptools.intake.read_workbook

    def read(path: Path):  # type: ignore[no-untyped-def]
        if path == odd:
            raise KeyError("a defect of ours")
        return real(path)

    monkeypatch.setattr(bptools.intake, "read_workbook", read)
    result = consolidate([good, odd])
    assert result.batch.projects["file"].tolist() == ["好.xlsx"]
    (failed,) = [f for f in result.findings if f.rule_id == "BP008"]
    assert (failed.file, failed.value) == ("怪.xlsx", "KeyError: 'a defect of ours'")


def test_a_check_that_fails_on_one_file_skips_only_that_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = Path(shutil.copy(ORG, tmp_path / "好.xlsx"))
    odd = Path(shutil.copy(DPF, tmp_path / "怪.xlsx"))
    rule = bptools.rules.RULES["BP803"]
    real = rule.check
    assert real is not None

    def check(batch):  # type: ignore[no-untyped-def]
        if (batch.projects["file"] == "怪.xlsx").any():
            raise ValueError("odd")
        return real(batch)

    monkeypatch.setitem(bptools.rules.RULES, "BP803", dataclasses.replace(rule, check=check))
    result = consolidate([good, odd])
    (failed,) = [f for f in result.findings if f.rule_id == "BP009"]
    assert failed.file == "怪.xlsx"
    assert failed.message.startswith("审核规则 BP803 检查该文件时程序出错")
    assert len(result.batch.projects) == 5  # both files still merged


def test_absurd_numbers_are_reported_and_every_output_still_writes(
    make_workbook: MakeWorkbook, project: Project, tmp_path: Path
) -> None:
    """A budget of 1e308 once passed the checks and crashed the workbook writer."""
    path = make_workbook(
        project, budget=1e308, retained=-5, indicators={0: {"weight": 1e300, "target": 1e308}}
    )
    result = consolidate([path])
    found = {(f.rule_id, f.cell) for f in result.findings}
    assert {("BP201", "B5"), ("BP201", "F4"), ("BP301", "G11")} <= found
    out = tmp_path / "out"
    assert write_report(result, out).exists()
    assert write_html(result, out).exists()
    assert write_feedback(result, out)
