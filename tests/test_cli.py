"""The command line, checked through the files it writes and the library it wraps."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from bptools import consolidate, read_workbook
from bptools.cli import cli
from bptools.model import Project

from .conftest import SAMPLE_FILES, SAMPLE_GLOB, SAMPLES, MakeWorkbook

REPORT = "2023年绩效目标汇总.xlsx"


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_every_command_has_chinese_help_and_an_example() -> None:
    for name, command in cli.commands.items():
        code, _ = invoke(name, "--help")
        assert code == 0, name
        assert command.help and "示例" in command.help, name


def test_template_command(tmp_path: Path) -> None:
    out = tmp_path / "组织部.xlsx"
    code, output = invoke(
        "template",
        "--dept",
        "107-中国共产党重庆市北碚区委员会组织部",
        "--projects",
        "5",
        "--year",
        "2024",
        "-o",
        str(out),
    )
    assert code == 0, output
    book = read_workbook(out)
    assert book.blank_sheets == [f"项目{n}" for n in range(1, 6)]
    assert book.meta["预算年度"] == "2024"
    ws = openpyxl.load_workbook(out)["项目1"]
    assert ws["B2"].value == "107-中国共产党重庆市北碚区委员会组织部"
    assert ws["A1"].value.startswith("2024 年")


def test_merge_command_on_a_folder(tmp_path: Path) -> None:
    inbox = tmp_path / "收件箱"
    shutil.copytree(SAMPLES, inbox, ignore=shutil.ignore_patterns("data"))
    (inbox / "~$lock.xlsx").write_bytes(b"lock")
    (inbox / "坏文件.xlsx").write_text("not a workbook", encoding="utf-8")
    out = tmp_path / "结果"
    code, output = invoke("merge", str(inbox), "-o", str(out), "--fail-on", "never")
    assert code == 0, output
    assert "文件 20 个（无法使用 1 个；跳过临时/锁定文件 1 个，非工作簿 0 个）" in output
    assert "部门 19 个，项目 29 个，指标 226 条" in output
    counts = consolidate([inbox]).counts()
    assert "异常：" + "，".join(f"{k} {v} 条" for k, v in counts.items()) in output
    assert "坏文件.xlsx" in output
    anomalies = openpyxl.load_workbook(out / REPORT)["异常清单"]
    rows = [[c.value for c in row] for row in anomalies.iter_rows(min_row=2)]
    assert rows[0][:2] == ["错误", "BP002"] and "坏文件.xlsx" in rows[0]
    assert not list(out.glob(".~bptools-*")), "no temporary file left behind"
    # Every readable department file has findings (the real document): each gets a copy.
    copies = sorted(p.name for p in (out / "反馈").iterdir())
    assert len(copies) == 19 and all(name.endswith("（审核意见）.xlsx") for name in copies)
    assert "反馈副本 19 份" in output


def test_merge_exit_code_follows_fail_on(tmp_path: Path) -> None:
    # The samples are the real 2023 document: they hold errors.
    assert consolidate(SAMPLE_FILES).counts()["错误"] > 0
    assert invoke("merge", SAMPLE_GLOB, "-o", str(tmp_path))[0] == 1
    assert invoke("merge", SAMPLE_GLOB, "-o", str(tmp_path), "--fail-on", "never")[0] == 0
    assert (tmp_path / REPORT).exists()


def test_merge_keeps_the_old_report_when_writing_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "结果"
    only_report = ("--fail-on", "never", "--no-feedback", "--no-html")
    assert invoke("merge", SAMPLE_GLOB, "-o", str(out), *only_report)[0] == 0
    report = out / REPORT
    before = report.read_bytes()

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr("bptools.report._Report.write", broken)
    code, output = invoke("merge", SAMPLE_GLOB, "-o", str(out), "--no-feedback", "--no-html")
    assert code == 4  # an internal error, told apart from "anomalies found"
    assert "内部错误" in output and "disk full" in output
    assert report.read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == [report.name]


def test_merge_with_nothing_to_read_is_a_usage_error(tmp_path: Path) -> None:
    code, output = invoke("merge", str(tmp_path / "没有.xlsx"), "-o", str(tmp_path / "out"))
    assert code == 2
    assert "没有找到" in output
    assert not (tmp_path / "out").exists()


def test_check_clean_file_exits_0(
    make_workbook: MakeWorkbook, project: Project, tmp_path: Path
) -> None:
    path = make_workbook(project)
    errors = [f for f in consolidate([path]).findings if f.severity.value == "错误"]
    assert errors == []  # table 1 of the document has warnings, no errors
    code, output = invoke("check", str(path))
    assert code == 0, output
    assert "错误 0 条" in output


def test_check_faulty_file_exits_1_with_the_findings_merge_reports(
    make_workbook: MakeWorkbook, project: Project, tmp_path: Path
) -> None:
    path = make_workbook(project, indicators={0: {"weight": 15}}, supervisor="")
    code, output = invoke("check", str(path))
    assert code == 1
    assert "BP302" in output and "指标权重合计 95 ＋ 预算执行率权重 10 ＝ 105，应为 100" in output
    assert "BP101" in output and "修改：" in output
    code, output = invoke("check", str(path), "--json")
    assert code == 1
    data = json.loads(output)
    assert data == json.loads(json.dumps(consolidate([path]).to_dict(), ensure_ascii=False))
    merged = invoke("merge", str(path), "-o", str(tmp_path / "out"), "--fail-on", "never")
    assert merged[0] == 0
    sheet = openpyxl.load_workbook(tmp_path / "out" / REPORT)["异常清单"]
    header = [c.value for c in sheet[1]]
    rule, cell = header.index("规则编号"), header.index("单元格")
    listed = sorted((r[rule].value, r[cell].value) for r in sheet.iter_rows(min_row=2))
    assert listed == sorted((f["rule_id"], f["cell"]) for f in data["findings"])


def test_config_file_in_the_input_folder(
    make_workbook: MakeWorkbook, project: Project, tmp_path: Path
) -> None:
    path = make_workbook(project, indicators={0: {"weight": 15}}, supervisor="人才科")
    (tmp_path / "bptools.toml").write_text(
        '[rules]\ndisable = ["BP302"]\nseverity = { BP906 = "错误" }\n', encoding="utf-8"
    )
    code, output = invoke("check", str(path), "--json")
    found = {f["rule_id"]: f["severity"] for f in json.loads(output)["findings"]}
    assert "BP302" not in found
    assert found["BP906"] == "错误"
    assert code == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[rules]\ndisable = ["XX1"]\n', "XX1 不是规则编号"),
        ("[rules.BP302]\ntotal = 90\n", "BP302 没有参数 total"),
        ('[rules]\nseverity = { BP302 = "严重" }\n', "级别“严重”无效"),
        ('year = "二〇二三"\n', "year 应为四位年份"),
        ("yaer = 2023\n", "不认识的设置：yaer"),
        ("[rules\n", "格式有误"),
    ],
)
def test_config_mistakes_are_usage_errors(
    make_workbook: MakeWorkbook, project: Project, tmp_path: Path, content: str, message: str
) -> None:
    path = make_workbook(project)
    config = tmp_path / "my.toml"
    config.write_text(content, encoding="utf-8")
    code, output = invoke("check", str(path), "--config", str(config))
    assert code == 2
    assert message in output


def test_rules_command_lists_the_registry() -> None:
    from bptools.rules import RULES

    code, output = invoke("rules")
    assert code == 0
    for rule in RULES.values():
        assert f"{rule.id}  {rule.severity.value}  {rule.title}" in output
    code, output = invoke("rules", "--markdown")
    assert output.count("\n| BP") == len(RULES)


def test_output_cut_short_by_a_pipe_is_not_a_crash() -> None:
    """`bptools check x.xlsx | head -1`: the reader leaves early; no traceback."""
    import fcntl
    import os
    import subprocess
    import sys

    sample = SAMPLES / "404-重庆市北碚区残疾人联合会.xlsx"
    read_end, write_end = os.pipe()
    fcntl.fcntl(write_end, 1031, 4096)  # F_SETPIPE_SZ: the output (~10 KB) cannot fit
    process = subprocess.Popen(
        [sys.executable, "-m", "bptools", "check", str(sample)],
        stdout=write_end,
        stderr=subprocess.PIPE,
    )
    os.close(write_end)
    assert os.read(read_end, 100)
    os.close(read_end)
    assert process.stderr is not None
    errors = process.stderr.read().decode("utf-8")
    assert process.wait(timeout=60) == 1
    assert "Traceback" not in errors and "内部错误" not in errors


def test_publish_command_writes_the_published_layout(tmp_path: Path) -> None:
    code, output = invoke("publish", SAMPLE_GLOB, "-o", str(tmp_path), "--fail-on", "never")
    assert code == 0, output
    path = tmp_path / "2023年区级重点专项绩效目标表（公开）.xlsx"
    assert f"公开表：{path}" in output
    errors = consolidate(SAMPLE_FILES).counts()["错误"]
    assert f"还有 {errors} 条错误，公开前请核对" in output  # the real document's errors
    ws = openpyxl.load_workbook(path).worksheets[0]
    assert ws["A1"].value == "2023 年区级重点专项绩效目标表（一级项目）"
    assert invoke("publish", SAMPLE_GLOB, "-o", str(tmp_path))[0] == 1


def test_merge_writes_the_web_page_beside_the_workbook(tmp_path: Path) -> None:
    code, output = invoke(
        "merge", SAMPLE_GLOB, "-o", str(tmp_path), "--fail-on", "never", "--no-feedback"
    )
    assert code == 0, output
    page = tmp_path / "2023年绩效目标汇总.html"
    assert f"网页版：{page}" in output
    assert 'id="count-projects"' in page.read_text(encoding="utf-8")
    assert not (tmp_path / "反馈").exists()


def test_check_on_a_document_says_what_it_is(tmp_path: Path) -> None:
    notice = tmp_path / "通知.docx"
    with zipfile.ZipFile(notice, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    code, output = invoke("check", str(notice))
    assert code == 1
    assert "错误 BP002" in output and "文件是 Word 文档，不是 Excel 工作簿" in output


def test_a_folder_holding_no_workbook_names_what_it_holds(tmp_path: Path) -> None:
    (tmp_path / "扫描件.pdf").write_bytes(b"%PDF-1.7\n")
    code, output = invoke("check", str(tmp_path))
    assert code == 2
    assert f"未读取：{tmp_path / '扫描件.pdf'}（PDF 文档）" in output
    assert "没有找到要审核的工作簿" in output


def test_merge_names_every_file_it_did_not_read(tmp_path: Path) -> None:
    inbox = tmp_path / "收件箱"
    (inbox / "第二轮").mkdir(parents=True)
    for path in SAMPLE_FILES[:2]:
        shutil.copy(path, inbox / "第二轮")
    (inbox / "说明.pdf").write_bytes(b"%PDF-1.7\n")
    code, output = invoke("merge", str(inbox), "-o", str(tmp_path / "out"), "--fail-on", "never")
    assert code == 0
    assert "未读取：“说明.pdf”是 PDF 文档，不是 Excel 工作簿，没有读取" in output
    assert "部门 2 个" in output


def test_check_names_the_indicator_and_says_what_to_write(
    make_workbook: MakeWorkbook, project: Project
) -> None:
    path = make_workbook(project, indicators={0: {"target": "180"}})
    code, output = invoke("check", str(path))
    assert code == 1
    assert "［发放各项奖补覆盖率］计量单位为“%”，目标“≥ 180”超出了 0～100 的范围" in output
    assert "修改：“发放各项奖补覆盖率”是比率，最高 100%：请改正指标值" in output
    code, output = invoke("check", str(path), "--json")
    (found,) = [f for f in json.loads(output)["findings"] if f["rule_id"] == "BP508"]
    assert (found["indicator"], found["params"]["op"]) == ("发放各项奖补覆盖率", "≥")
    assert found["hint"].startswith("“发放各项奖补覆盖率”是比率")


def test_check_gives_each_advice_once_and_every_different_one(
    make_workbook: MakeWorkbook, sample_projects: list[Project]
) -> None:
    """宣传部's two tables lack different 产出 kinds (BP408): each gets its own advice; the
    same advice twice in one file is shown once."""
    path = make_workbook(*(p for p in sample_projects if p.unit.startswith("106-")))
    code, output = invoke("check", str(path))
    assert code == 0, output  # 宣传部 has warnings, no errors
    advice = [line.strip() for line in output.splitlines() if line.strip().startswith("修改：")]
    assert len(advice) == len(set(advice))
    on_408 = [a for a in advice if a.startswith("修改：请在产出指标下补充")]
    assert len(on_408) == 2, output
