"""The whole path on the samples, and on a folder with the usual rubbish in it."""

from __future__ import annotations

import shutil
from pathlib import Path

from bptools import consolidate
from bptools.model import Project

from .conftest import SAMPLES


def sample_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "收件箱"
    folder.mkdir()
    for path in SAMPLES.glob("*.xlsx"):
        shutil.copy(path, folder)
    return folder


def test_samples_merge_into_the_published_document(sample_projects: list[Project]) -> None:
    result = consolidate([SAMPLES])
    projects, indicators = result.batch.projects, result.batch.indicators
    assert len(result.files) == 19 and all(s.ok for s in result.files)
    assert result.year == 2023
    assert projects["unit_label"].nunique() == 19
    assert len(projects) == 29
    assert len(indicators) == 226
    expected = {}
    for project in sample_projects:
        expected[project.unit] = expected.get(project.unit, 0) + len(project.indicators)
    assert indicators.groupby("unit_label").size().to_dict() == expected
    assert round(projects["budget"].sum(), 2) == round(
        sum(float(p.budget) for p in sample_projects), 2
    )


def test_bad_files_do_not_stop_the_run(tmp_path: Path) -> None:
    folder = sample_folder(tmp_path)
    (folder / "~$107-中国共产党重庆市北碚区委员会组织部.xlsx").write_bytes(b"\x00" * 165)
    good = next(folder.glob("107-*.xlsx"))
    (folder / "损坏.xlsx").write_bytes(good.read_bytes()[:3000])
    (folder / "说明.docx").write_bytes(b"PK\x03\x04")
    result = consolidate([folder])
    assert len(result.batch.projects) == 29
    assert [p.name for p in result.inputs.lock_files] == [
        "~$107-中国共产党重庆市北碚区委员会组织部.xlsx"
    ]
    assert [p.name for p in result.inputs.not_workbooks] == ["说明.docx"]
    failed = [s for s in result.files if not s.ok]
    assert [s.label for s in failed] == ["损坏.xlsx"]
    assert failed[0].error is not None
    assert (failed[0].error.rule_id, failed[0].error.file) == ("BP001", "损坏.xlsx")
    assert failed[0].error in result.findings


def test_globs_are_expanded_by_bptools(tmp_path: Path) -> None:
    folder = sample_folder(tmp_path)
    result = consolidate([str(folder / "1*.xlsx"), str(folder / "nothing-*.xlsx")])
    assert len(result.files) == 10  # the ten 1xx departments
    assert result.inputs.unmatched == [str(folder / "nothing-*.xlsx")]


def test_same_file_named_twice_is_read_once(tmp_path: Path) -> None:
    folder = sample_folder(tmp_path)
    one = next(folder.glob("107-*.xlsx"))
    result = consolidate([one, folder, str(one)])
    assert len(result.files) == 19


def test_output_folder_inside_the_inputs_is_not_read(tmp_path: Path) -> None:
    folder = sample_folder(tmp_path)
    out = folder / "汇总结果"
    out.mkdir()
    shutil.copy(next(folder.glob("107-*.xlsx")), out / "old.xlsx")
    result = consolidate([folder, str(out / "*.xlsx")], exclude=[out])
    assert len(result.files) == 19


def test_empty_input_gives_an_empty_result(tmp_path: Path) -> None:
    result = consolidate([tmp_path])
    assert result.files == [] and result.findings == []
    assert result.batch.projects.empty and result.year is None
