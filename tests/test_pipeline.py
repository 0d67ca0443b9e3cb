"""The whole path on the samples, and on a folder with the usual rubbish in it."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from bptools import Consolidation, Severity, consolidate
from bptools.model import Project

from .conftest import SAMPLE_FILES, SAMPLES


def sample_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "收件箱"
    folder.mkdir()
    for path in SAMPLES.glob("*.xlsx"):
        shutil.copy(path, folder)
    return folder


def test_samples_merge_into_the_published_document(sample_projects: list[Project]) -> None:
    result = consolidate(SAMPLE_FILES)
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


def test_a_shared_folder_with_subfolders_merges_every_department(tmp_path: Path) -> None:
    """Files filed by department and by round, as clerks organise a shared folder."""
    inbox = tmp_path / "收件箱"
    for n, path in enumerate(SAMPLE_FILES):
        folder = inbox / ("第一轮" if n % 3 == 0 else f"{path.stem[:3]}") / ("补交" * (n % 2))
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, folder)
    (inbox / ".git").mkdir()
    shutil.copy(SAMPLE_FILES[0], inbox / ".git" / "not-read.xlsx")
    (inbox / "Thumbs.db").write_bytes(b"\x00")
    result = consolidate([inbox])
    assert len(result.files) == 19 and all(s.ok for s in result.files)
    assert result.batch.projects["unit_label"].nunique() == 19
    assert [p.name for p in result.inputs.lock_files] == ["Thumbs.db"]
    assert consolidate([inbox], recursive=False).files == []
    # `**` matches the top level too.
    shutil.copy(SAMPLE_FILES[0], inbox / "顶层.xlsx")
    found = consolidate([str(inbox / "**" / "*.xlsx")])
    assert {p.name for p in found.inputs.files} >= {"顶层.xlsx", SAMPLE_FILES[1].name}
    assert len(found.inputs.files) == 20


def test_every_file_not_read_is_named_with_what_it_is(tmp_path: Path) -> None:
    folder = sample_folder(tmp_path)
    docx = folder / "通知.docx"
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    (folder / "扫描件.pdf").write_bytes(b"%PDF-1.7\n")
    (folder / "照片.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 20)
    (folder / "备份.xlsx.bak").write_bytes(SAMPLE_FILES[0].read_bytes())
    (folder / "导出.csv").write_text("一级指标,二级指标\n", encoding="utf-8")
    result = consolidate([folder])
    listed = {f.value: f.message for f in result.findings if f.rule_id == "BP007"}
    assert listed == {
        "通知.docx": "“通知.docx”是 Word 文档，不是 Excel 工作簿，没有读取",
        "扫描件.pdf": "“扫描件.pdf”是 PDF 文档，不是 Excel 工作簿，没有读取",
        "照片.jpg": "“照片.jpg”是图片，不是 Excel 工作簿，没有读取",
        "备份.xlsx.bak": "“备份.xlsx.bak”是 Excel 工作簿，但扩展名是“.bak”，没有读取："
        "如需汇总，请把扩展名改为 .xlsx",
    }
    (csv,) = [f for f in result.findings if f.file == "导出.csv"]
    assert csv.rule_id == "BP002" and "不是绩效目标表" in csv.message
    # Named on its own, a file is read whatever its name, to be told what it is.
    (word,) = consolidate([docx]).findings
    assert (word.rule_id, word.message) == (
        "BP002",
        "文件格式不支持：文件是 Word 文档，不是 Excel 工作簿",
    )


def test_the_run_policy_lives_in_the_result(sample_result: Consolidation) -> None:
    """What `check` and `merge` exit with, and what `--json` prints, come from the result."""
    assert not sample_result.valid  # the 2023 document holds errors
    assert sample_result.exit_code() == 1
    assert sample_result.exit_code(None) == 0
    data = sample_result.to_dict()
    assert data["valid"] is False and data["counts"] == sample_result.counts()
    assert len(data["findings"]) == len(sample_result.findings)
    clean = consolidate([])
    assert clean.valid and clean.exit_code(Severity.INFO) == 0
