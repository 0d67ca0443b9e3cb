"""The command line, checked through the files it writes and the library it wraps."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from bptools import read_workbook
from bptools.cli import cli

from .conftest import SAMPLES


def test_every_command_has_chinese_help_and_an_example() -> None:
    runner = CliRunner()
    for name, command in cli.commands.items():
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name
        assert command.help and "示例" in command.help, name


def test_template_command(tmp_path: Path) -> None:
    out = tmp_path / "组织部.xlsx"
    result = CliRunner().invoke(
        cli,
        [
            "template",
            "--dept",
            "107-中国共产党重庆市北碚区委员会组织部",
            "--projects",
            "5",
            "--year",
            "2024",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
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
    result = CliRunner().invoke(cli, ["merge", str(inbox), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "文件 20 个（无法使用 1 个；跳过临时/锁定文件 1 个，非工作簿 0 个）" in result.output
    assert "部门 19 个，项目 29 个，指标 226 条" in result.output
    assert "异常：错误 1 条，警告 0 条，提示 0 条" in result.output
    assert "坏文件.xlsx" in result.output
    report = out / "2023年绩效目标汇总.xlsx"
    anomalies = openpyxl.load_workbook(report)["异常清单"]
    first = [c.value for c in anomalies[2]]
    assert first[:2] == ["错误", "BP002"] and "坏文件.xlsx" in first
    assert not list(out.glob(".~bptools-*")), "no temporary file left behind"


def test_merge_keeps_the_old_report_when_writing_fails(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "结果"
    runner = CliRunner()
    assert runner.invoke(cli, ["merge", str(SAMPLES), "-o", str(out)]).exit_code == 0
    report = out / "2023年绩效目标汇总.xlsx"
    before = report.read_bytes()

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr("bptools.report._Report.write", broken)
    result = runner.invoke(cli, ["merge", str(SAMPLES), "-o", str(out)])
    assert result.exit_code != 0
    assert report.read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == [report.name]


def test_merge_with_nothing_to_read_says_so(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["merge", str(tmp_path / "没有.xlsx"), "-o", str(tmp_path / "out")]
    )
    assert result.exit_code == 2
    assert "没有找到" in result.output
    assert not (tmp_path / "out").exists()
