"""Across files: versions of the same project, codes and names, copied tables."""

from __future__ import annotations

import dataclasses
import os
import shutil
from pathlib import Path

from bptools import Consolidation, Finding, consolidate
from bptools.config import Config
from bptools.model import Project

from .conftest import SAMPLES, MakeWorkbook

ORG = "107-中国共产党重庆市北碚区委员会组织部.xlsx"


def across(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.rule_id.startswith("BP9")]


def touch(path: Path, mtime: float) -> Path:
    os.utime(path, (mtime, mtime))
    return path


def test_newest_version_of_a_project_wins(make_workbook: MakeWorkbook, project: Project) -> None:
    old = touch(make_workbook(project, name="组织部-旧.xlsx", retained="40", budget="40"), 1e9)
    new = touch(make_workbook(project, name="组织部-新.xlsx"), 2e9)
    result = consolidate([new, old])  # the order given does not matter
    projects = result.batch.projects
    assert projects["file"].tolist() == ["组织部-新.xlsx"]
    assert projects["budget"].tolist() == [50.0]
    assert set(result.batch.indicators["file"]) == {"组织部-新.xlsx"}
    (finding,) = across(result.findings)
    assert (finding.rule_id, finding.severity.value, finding.file, finding.cell) == (
        "BP902",
        "提示",
        "组织部-旧.xlsx",
        "B3",
    )
    assert "组织部-新.xlsx" in finding.message
    assert [s.superseded for s in result.files] == [0, 1]


def test_keep_all_merges_both_and_reports_the_duplicate(
    make_workbook: MakeWorkbook, project: Project
) -> None:
    old = touch(make_workbook(project, name="旧.xlsx"), 1e9)
    new = touch(make_workbook(project, name="新.xlsx"), 2e9)
    result = consolidate([old, new], config=Config(keep="all"))
    assert len(result.batch.projects) == 2
    assert [(f.rule_id, f.severity.value) for f in across(result.findings)] == [
        ("BP901", "错误"),
        ("BP907", "提示"),
    ]


def test_the_same_project_twice_in_one_file_is_an_error(
    make_workbook: MakeWorkbook, project: Project
) -> None:
    renamed = dataclasses.replace(project, name=" 碚有引力专项资金 ")  # spacing differs only
    path = make_workbook(project, renamed)
    result = consolidate([path])
    assert len(result.batch.projects) == 2
    duplicate = [f for f in result.findings if f.rule_id == "BP901"]
    assert [(f.sheet, f.cell) for f in duplicate] == [("项目2", "B3")]
    assert duplicate[0].message == f"项目“{renamed.name}”重复填报，另见“{path.name}”工作表“项目1”"


def test_one_project_under_two_units(make_workbook: MakeWorkbook, project: Project) -> None:
    other = dataclasses.replace(
        project,
        unit="106-中国共产党重庆市北碚区委员会宣传部",
        supervisor="中国共产党重庆市北碚区委员会宣传部",
    )
    result = consolidate([make_workbook(project), make_workbook(other)])
    found = [f for f in result.findings if f.rule_id == "BP903"]
    assert len(found) == 2 and "106-中国共产党重庆市北碚区委员会宣传部" in found[0].message


def test_code_with_two_names_and_name_with_two_codes(
    make_workbook: MakeWorkbook, sample_projects: list[Project]
) -> None:
    first, second = sample_projects[1], sample_projects[2]  # both 106 宣传部
    renamed = dataclasses.replace(second, unit="106-北碚区委宣传部")
    recoded = dataclasses.replace(second, unit="160-中国共产党重庆市北碚区委员会宣传部")
    found = consolidate([make_workbook(first), make_workbook(renamed)]).findings
    assert {(f.rule_id, f.cell) for f in found if f.rule_id == "BP904"} == {("BP904", "B2")}
    assert sum(f.rule_id == "BP904" for f in found) == 2
    found = consolidate([make_workbook(first), make_workbook(recoded)]).findings
    assert sum(f.rule_id == "BP905" for f in found) == 2


def test_supervisor_differs(make_workbook: MakeWorkbook, project: Project, tmp_path: Path) -> None:
    path = make_workbook(project, supervisor="人才科")
    (finding,) = across(consolidate([path]).findings)
    assert (finding.rule_id, finding.cell) == ("BP906", "F3")
    assert finding.message == "业务主管部门“人才科”是内设科室，不是主管部门的全称"
    assert "“中国共产党重庆市北碚区委员会组织部”本身或其上级部门" in finding.hint
    accepted = Config(params={"BP906": {"accepted": ["人才科"]}})
    assert across(consolidate([path], config=accepted).findings) == []
    other = make_workbook(project, supervisor="重庆市北碚区人力资源和社会保障局")
    (finding,) = across(consolidate([other]).findings)
    assert finding.message == (
        "业务主管部门“重庆市北碚区人力资源和社会保障局”与编制单位“中国共产党重庆市北碚区委员会组织部”不一致"
    )


def test_samples_across_files(sample_result: Consolidation) -> None:
    found = [
        (f.rule_id, f.unit, f.project, f.cell)
        for f in sample_result.findings
        if f.rule_id.startswith("BP9")
    ]
    # 市场监管专项 is compiled by the finance bureau (代编) and names a section, 产业科: the
    # department to name is the one that runs the project, not the bureau that compiled it.
    assert found == [("BP906", "118-北碚区财政局（代编）", "市场监管专项", "F3")]
    (finding,) = (f for f in sample_result.findings if f.rule_id == "BP906")
    assert finding.message == "业务主管部门“产业科”是内设科室，不是主管部门的全称"
    assert finding.hint.startswith("本项目由“北碚区财政局（代编）”代编：业务主管部门请填实际主管")


def test_an_old_version_beside_the_samples_is_superseded(tmp_path: Path) -> None:
    inbox = tmp_path / "收件箱"
    shutil.copytree(SAMPLES, inbox, ignore=shutil.ignore_patterns("data"))
    old = shutil.copy(inbox / ORG, inbox / "组织部（第一版）.xlsx")
    touch(Path(old), 1e9)
    result = consolidate([inbox])
    assert len(result.batch.projects) == 29
    superseded = [f for f in result.findings if f.rule_id == "BP902"]
    assert [(f.file, f.project) for f in superseded] == [
        ("组织部（第一版）.xlsx", "碚有引力专项资金")
    ]


def test_a_project_under_many_units_names_a_few(
    make_workbook: MakeWorkbook, project: Project
) -> None:
    units = [f"{code}-单位{code}" for code in range(201, 209)]
    paths = [
        make_workbook(dataclasses.replace(project, unit=unit), name=f"{unit}.xlsx")
        for unit in units
    ]
    found = [f for f in consolidate(paths).findings if f.rule_id == "BP903"]
    assert len(found) == 8
    assert found[0].message == (
        f"项目“{project.name}”同时出现在 {'、'.join(units[:5])} 等 8 个单位名下"
    )
