"""The command line, checked through the files it writes and the library it wraps."""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
import zipfile
from pathlib import Path

import click
import openpyxl
import pytest
from click.testing import CliRunner

from bptools import clickzh, consolidate, read_workbook
from bptools.cache import CACHE_NAME
from bptools.cli import cli
from bptools.errors import OutputError
from bptools.ledger import LEDGER_NAME
from bptools.model import Project

from .conftest import SAMPLE_FILES, SAMPLE_GLOB, SAMPLES, MakeWorkbook

REPORT = "2023年绩效目标汇总.xlsx"
# What click writes in English on its own: headings, help texts, error wording, metavars.
CLICK_ENGLISH = re.compile(
    r"Usage|Options|Commands|Arguments|Show |Try |Error|Missing|Invalid|No such|Did you"
    r"|Got unexpected|does not|is a (file|directory)|requires|not one of|is not a valid"
    r"|Aborted|(?<!-)version|default|required|<=|\b(TEXT|INTEGER|RANGE|PATH|FILE|DIRECTORY)\b"
)


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def on_screen(text: str) -> int:
    """Columns `text` takes in a terminal: two for a Chinese character."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def test_every_command_has_chinese_help_and_an_example() -> None:
    for name, command in cli.commands.items():
        code, _ = invoke(name, "--help")
        assert code == 0, name
        assert command.help and "示例" in command.help, name


@pytest.mark.parametrize("command", ["", *sorted(cli.commands)])
def test_help_pages_hold_none_of_clicks_english(command: str) -> None:
    code, output = invoke(*command.split(), "--help")
    assert code == 0
    assert output.startswith(f"用法：{f'bptools {command}'.strip()} [选项]")
    assert "选项：\n" in output and "-h, --help" in output and "显示本帮助并退出。" in output
    assert ("命令：\n" in output) == (command == "")
    assert not CLICK_ENGLISH.search(output), CLICK_ENGLISH.search(output)


def test_help_notes_defaults_ranges_and_required_options_in_chinese() -> None:
    merge_help = invoke("merge", "--help")[1]
    assert "-o, --outdir 文件夹" in merge_help and "（默认：汇总结果）" in merge_help
    assert "--config 文件" in merge_help and "（默认：--recursive）" in merge_help
    template_help = invoke("template", "--help")[1]
    assert "--year 整数" in template_help and "（默认：2023；2000～2100）" in template_help
    assert "-o, --output 路径" in template_help and "用 --from 时为输出文件夹" in template_help
    required = clickzh.Command("t", params=[click.Option(["-o"], required=True, help="输出")])
    assert "输出（必填）" in CliRunner().invoke(required, ["--help"]).output
    # Columns line up on screen, where a Chinese character takes two columns.
    rows = [re.match(r"(.*?\S {2,})\S", line) for line in template_help.splitlines()]
    starts = {on_screen(row[1]) for row in rows if row and row[1].startswith("  -")}
    assert len(starts) == 1, template_help


def test_version_is_told_in_chinese() -> None:
    code, output = invoke("--version")
    assert code == 0
    assert output.startswith("bptools，版本 ") and not CLICK_ENGLISH.search(output)


# Each kind of usage error: the command line ("{tmp}" a folder holding a.txt), what it says.
USAGE_ERRORS = {
    "missing argument": (
        "merge",
        "缺少参数 INPUTS：请给出要读取的工作簿、文件夹或通配符，如 bptools merge 收件箱/",
    ),
    "missing option": ("template", "缺少选项 -o / --output：请写上 -o 文件。"),
    "bad choice": (
        "check a.xlsx --fail-on 严重",
        "--fail-on 的取值“严重”无效，可选：错误、error、警告、warning、提示、info、never、"
        "不失败。",
    ),
    "unknown option": (
        "merge a.xlsx --fial-on never",
        "没有 --fial-on 这个选项，您是否要用 --fail-on？",
    ),
    "unknown flag": ("check a.xlsx --jsno", "没有 --jsno 这个选项，您是否要用 --json？"),
    "unknown command": ("mrege 收件箱", "没有 mrege 这个命令，您是否要用 merge？"),
    "missing command": (
        "--",
        "缺少命令：请在 bptools 后面写上命令，可用的命令：check、diff、merge、publish、rules",
    ),
    "extra argument": (
        "rules BP302",
        "多余的参数 “BP302”：bptools rules 用不到；如果是某个选项的值",
    ),
    "no such file": (
        "check a.xlsx --config {tmp}/没有.toml",
        "--config 指定的文件“{tmp}/没有.toml”不存在",
    ),
    "folder for a file": ("template -o {tmp}", "-o / --output 应为文件，“{tmp}”是文件夹。"),
    "file for a folder": (
        "merge a.xlsx -o {tmp}/a.txt",
        "-o / --outdir 应为文件夹，“{tmp}/a.txt”是文件。",
    ),
    "option without value": ("template -o", "-o 后面缺少取值：请写成 -o 路径。"),
    "choice without value": (
        "check a.xlsx --keep",
        "--keep 后面缺少取值，可选：latest、最新、all、全部。",
    ),
    "flag with a value": (
        "rules --markdown=是",
        "--markdown 是开关，不带取值：请只写 --markdown。",
    ),
    "not an integer": ("template -o a.xlsx --projects 三", "--projects 应为整数，“三”不是整数。"),
    "out of range": (
        "template -o a.xlsx --year 1999",
        "--year 应在 2000～2100 之间，1999 超出了范围。",
    ),
}


@pytest.mark.parametrize(("line", "message"), USAGE_ERRORS.values(), ids=USAGE_ERRORS)
def test_usage_errors_say_in_chinese_what_to_do(tmp_path: Path, line: str, message: str) -> None:
    (tmp_path / "a.txt").write_text("", encoding="utf-8")
    args = [arg.replace("{tmp}", str(tmp_path)) for arg in line.split()]
    code, output = invoke(*args)
    assert code == 2
    assert f"错误：{message.replace('{tmp}', str(tmp_path))}" in output
    command = " ".join(["bptools", *[arg for arg in args[:1] if arg in cli.commands]])
    assert output.startswith(f"用法：{command} [选项]")
    assert output.rstrip().endswith(f"运行 {command} --help 查看用法。")
    assert not CLICK_ENGLISH.search(output), CLICK_ENGLISH.search(output)


def test_errors_while_running_are_told_in_chinese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unwritable(*args: object, **kwargs: object) -> None:
        raise OutputError("无法写入 组织部.xlsx")

    monkeypatch.setattr("bptools.cli.template.write_template", unwritable)
    code, output = invoke("template", "-o", str(tmp_path / "组织部.xlsx"))
    assert (code, output) == (3, "错误：无法写入 组织部.xlsx\n")

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("bptools.cli.template.write_template", interrupted)
    code, output = invoke("template", "-o", str(tmp_path / "组织部.xlsx"))
    assert (code, output) == (1, "\n已中止。\n")


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


@pytest.mark.parametrize("where", ["the inbox", "above the inbox"])
def test_the_output_folder_may_be_the_inbox_or_hold_it(tmp_path: Path, where: str) -> None:
    """The clerk writes into the inbox (or its parent): the workbooks there are read, and a
    second run reads none of what the first wrote."""
    inbox = tmp_path / "收件箱"
    shutil.copytree(SAMPLES, inbox, ignore=shutil.ignore_patterns("data"))
    out = inbox if where == "the inbox" else tmp_path
    for _ in range(2):
        code, output = invoke("merge", str(inbox), "-o", str(out), "--fail-on", "never")
        assert code == 0, output
        assert "文件 19 个（无法使用 0 个；跳过临时/锁定文件 0 个，非工作簿 0 个）" in output
    assert (out / "反馈").is_dir() and (out / REPORT).is_file()


def test_template_never_overwrites_a_file_unless_told(tmp_path: Path) -> None:
    """`template -o 组织部.xlsx` in a department's folder must not destroy its work."""
    filled = tmp_path / "组织部.xlsx"
    shutil.copy(SAMPLE_FILES[0], filled)
    before = filled.read_bytes()
    code, output = invoke("template", "-o", str(filled))
    assert code == 2
    assert "已存在，为免覆盖已填写的内容，没有生成模板" in output and "--force" in output
    assert filled.read_bytes() == before
    assert invoke("template", "-o", str(filled), "--force")[0] == 0
    assert filled.read_bytes() != before
    code, output = invoke("template", "-o", str(tmp_path / "模板.xls"))
    assert code == 2 and "应以 .xlsx 结尾，如 模板.xlsx" in output
    assert not (tmp_path / "模板.xls").exists()


def test_a_mistyped_input_is_an_error_in_the_list(tmp_path: Path) -> None:
    """A department named on the command line but not found is not silently left out."""
    out = tmp_path / "结果"
    typo = str(SAMPLES / "108-不存在.xlsx")
    code, output = invoke("merge", str(SAMPLE_FILES[0]), typo, "-o", str(out), "--no-feedback")
    assert code == 1
    assert f"没有找到：{typo}" in output
    wb = openpyxl.load_workbook(out / REPORT)
    rows = [[c.value for c in r] for r in wb["异常清单"].iter_rows(min_row=2)]
    assert rows[0][:2] == ["错误", "BP010"] and typo in rows[0]
    files = [[c.value for c in r] for r in wb["总览"].iter_rows() if r[0].value == typo]
    assert files and files[0][1] == "没有找到"


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

    monkeypatch.setattr("bptools.report.write_anomalies", broken)
    # Another setting than the first run's: the workbook must be written again.
    again = ("--no-feedback", "--no-html", "--keep", "all")
    code, output = invoke("merge", SAMPLE_GLOB, "-o", str(out), *again)
    assert code == 4  # an internal error, told apart from "anomalies found"
    assert "内部错误" in output and "disk full" in output
    assert report.read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == [CACHE_NAME, LEDGER_NAME, report.name]


def test_merge_with_nothing_to_read_is_a_usage_error(tmp_path: Path) -> None:
    code, output = invoke("merge", str(tmp_path / "没有.xlsx"), "-o", str(tmp_path / "out"))
    assert code == 2
    assert "没有找到" in output
    assert (
        "错误：没有找到要审核的工作簿" in output
        and "运行 bptools merge --help 查看用法。" in output
    )
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
        ("[rules\n", "第 1 行第 7 列附近不符合 TOML 写法"),
        ("year = 2023\nkeep = latest\n", "第 2 行第 8 列附近不符合 TOML 写法"),
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


def test_a_config_file_not_in_utf8_says_how_to_save_it(
    make_workbook: MakeWorkbook, project: Project, tmp_path: Path
) -> None:
    """Old Notepad saves in GBK: say so, in Chinese, not Python's codec message."""
    config = tmp_path / "my.toml"
    config.write_bytes('[rules]\ndisable = ["BP302"]  # 停用\n'.encode("gbk"))
    code, output = invoke("check", str(make_workbook(project)), "--config", str(config))
    assert code == 2
    assert "不是 UTF-8 编码：请用记事本等“另存为”，编码选 UTF-8 后重试" in output
    assert "codec" not in output and "decode" not in output


def test_a_system_error_reaches_the_clerk_in_chinese(tmp_path: Path) -> None:
    """-o under a file: the system's "Not a directory" becomes what it means."""
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    code, output = invoke("merge", SAMPLE_GLOB, "-o", str(tmp_path / "a.txt" / "out"))
    assert code in (2, 3)
    assert "Not a directory" not in output and "No such file" not in output
    assert re.search(r"[\u4e00-\u9fff]", output)


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


def test_keep_takes_its_chinese_names_too(tmp_path: Path) -> None:
    code, _ = invoke("merge", SAMPLE_GLOB, "-o", str(tmp_path), "--keep", "全部", "--no-html")
    assert code in (0, 1)


# What a help page may show in Latin letters: command and option names, choices, formats.
HELP_WORDS = {
    "INPUTS",
    "LAST",
    "THIS",
    "diff",
    "bptools",
    "check",
    "merge",
    "publish",
    "template",
    "rules",
    "Ctrl",  # the key the clerk presses
    "roster",
    "watch",
    "status",
    "xlsx",
    "toml",
    "JSON",
    "json",
    "Markdown",
    "markdown",
    "never",
    "latest",
    "all",
    "error",
    "warning",
    "info",
    "recursive",
    "html",
    "feedback",
    "cache",
    "outdir",
    "config",
    "year",
    "keep",
    "fail",
    "dept",
    "projects",
    "version",
    "help",
    "PDF",
}


def test_help_is_chinese_apart_from_option_names() -> None:
    """No English sentence in any help page: only option names, metavars and examples."""
    commands = ("check", "merge", "publish", "template", "rules", "watch", "status", "diff")
    for command in ("", *commands):
        _, output = invoke(*([command] if command else []), "--help")
        words = set(re.findall(r"(?<![-\w.])[A-Za-z]{3,}\b", output))
        assert words <= HELP_WORDS, (command, words - HELP_WORDS)


def test_an_exit_code_of_1_is_explained(
    make_workbook: MakeWorkbook, project: Project, tmp_path: Path
) -> None:
    path = make_workbook(project, indicators={0: {"weight": 15}})  # weights add up to 105
    code, output = invoke("merge", str(path), "-o", str(tmp_path / "out"))
    assert code == 1
    assert "退出码为 1：有达到“错误”级别的异常（“错误” " in output and "--fail-on never" in output
    code, output = invoke("check", str(path), "--fail-on", "警告")
    assert code == 1 and "达到“警告”级别的异常（“错误” " in output and "、“警告” " in output
    plain = make_workbook(project, name="原样.xlsx")
    code, output = invoke("check", str(plain), "--fail-on", "警告")
    assert code == 1 and "（“警告” " in output and "“错误” 0 条" not in output
    code, output = invoke("merge", str(path), "-o", str(tmp_path / "out"), "--fail-on", "never")
    assert code == 0 and "退出码" not in output
    code, output = invoke("check", str(path), "--json")
    assert code == 1 and "退出码" not in output
