"""The command line: a thin shell over the library (`bptools.consolidate`, ...).

Exit codes: 0 no anomaly at or above --fail-on, 1 there are, 2 usage or configuration error,
3 an output file could not be written, 4 an internal error (a bug: the traceback is printed).
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from . import clickzh
from .cache import CACHE_NAME
from .config import Config, ConfigError, find_config, load_config
from .errors import OutputError
from .feedback import FEEDBACK_DIR
from .inputs import collect_inputs
from .outputs import Written, write_outputs
from .package import describe
from .parallel import kept_workers
from .pipeline import Consolidation, consolidate
from .publish import PUBLISH_NAME, write_publish
from .report import DEPARTMENT_DIR, REPORT_NAME
from .rules import RULES, Finding, Severity
from .rules.files import not_found, not_workbook
from .rules.params import params_text
from .template import write_template
from .write.output import OutputSet

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
PROGRESS_MIN_FILES = 5  # below this a run is instant; no bar
KEEP = {"latest": "latest", "最新": "latest", "all": "all", "全部": "all"}
FAIL_ON = {
    "错误": Severity.ERROR,
    "error": Severity.ERROR,
    "警告": Severity.WARNING,
    "warning": Severity.WARNING,
    "提示": Severity.INFO,
    "info": Severity.INFO,
    "never": None,
    "不失败": None,
}
COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
EXIT_OUTPUT = 3
EXIT_INTERNAL = 4


class OutputFailed(clickzh.Failure):
    exit_code = EXIT_OUTPUT


class _Group(clickzh.Group):
    """Turns an unexpected exception into a plain message and exit code 4, so a crash is
    never mistaken for "anomalies found" (exit 1) by a script."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except BrokenPipeError:
            # The reader went away (`bptools check x.xlsx | head`): stop quietly, and keep
            # Python from complaining again when it flushes stdout at exit.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(1)
        except Exception as exc:
            click.secho(f"bptools 内部错误：{exc!r}", fg="red", err=True)
            click.echo("请把以下信息发给维护人员：\n" + traceback.format_exc(), err=True)
            ctx.exit(EXIT_INTERNAL)


@click.group("bptools", cls=_Group, context_settings=CONTEXT)
@click.version_option(
    package_name="bptools", message="%(prog)s，版本 %(version)s", help="显示版本号并退出。"
)
def cli() -> None:
    """bptools：项目支出绩效目标表的模板、审核与汇总工具。"""


inputs_argument = click.argument(
    "inputs",
    nargs=-1,
    required=True,
    cls=clickzh.Argument,
    hint="请给出要读取的工作簿、文件夹或通配符，如 {command} 收件箱/",
)
outdir_option = click.option(
    "-o",
    "--outdir",
    type=clickzh.Path(file_okay=False, path_type=Path),
    default=Path("汇总结果"),
    show_default=True,
    help="输出文件夹",
)


def review_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Options shared by `check` and `merge`."""
    options = [
        click.option(
            "--config",
            "config_path",
            type=clickzh.Path(exists=True, dir_okay=False, path_type=Path),
            help="配置文件（默认使用输入文件夹中的 bptools.toml）",
        ),
        click.option(
            "--year",
            type=clickzh.IntRange(2000, 2100),
            default=None,
            help="预算年度（默认取配置或各表标题中的年度）",
        ),
        click.option(
            "--keep",
            type=clickzh.Choice(list(KEEP)),
            default=None,
            help="同一项目出现在多个文件中时：latest（最新）只汇总最新文件（默认），"
            "all（全部）全部汇总。",
        ),
        click.option(
            "--recursive/--no-recursive",
            default=True,
            show_default=True,
            help="读取文件夹时包括其中的子文件夹",
        ),
        click.option(
            "--fail-on",
            "fail_on",
            type=clickzh.Choice(list(FAIL_ON)),
            default="错误",
            show_default=True,
            help="有该级别及以上的异常时退出码为 1；never 表示总是 0。",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@cli.command()
@click.option(
    "-o",
    "--output",
    "output",
    type=clickzh.Path(dir_okay=False, path_type=Path),
    required=True,
    help="要生成的模板文件 (.xlsx)",
)
@click.option(
    "--year",
    type=clickzh.IntRange(2000, 2100),
    default=2023,
    show_default=True,
    help="预算年度",
)
@click.option(
    "--dept",
    default="",
    metavar="编码-名称",
    help="预填编制单位，如 “107-中国共产党重庆市北碚区委员会组织部”。",
)
@click.option(
    "--projects",
    "n_projects",
    type=clickzh.IntRange(1, 200),
    default=3,
    show_default=True,
    help="项目工作表数量",
)
@click.option("--force", is_flag=True, help="输出文件已存在时覆盖它")
def template(output: Path, year: int, dept: str, n_projects: int, force: bool) -> None:
    """生成部门填报模板

    \b
    示例：
        bptools template --dept "107-中国共产党重庆市北碚区委员会组织部" -o 组织部.xlsx
    """
    if output.suffix.lower() != ".xlsx":
        raise click.UsageError(f"模板文件名应以 .xlsx 结尾，如 {output.with_suffix('.xlsx').name}")
    if output.exists() and not force:
        raise click.UsageError(
            f"“{output}”已存在，为免覆盖已填写的内容，没有生成模板："
            "请换一个文件名，或加 --force 覆盖它"
        )
    try:
        path = write_template(output, year, unit=dept.strip(), n_projects=n_projects)
    except OutputError as exc:
        raise OutputFailed(str(exc)) from exc
    click.echo(f"已生成模板：{path}（{n_projects} 个项目表）")


@cli.command()
@inputs_argument
@review_options
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出，供脚本使用")
def check(
    inputs: tuple[str, ...],
    config_path: Path | None,
    year: int | None,
    keep: str | None,
    recursive: bool,
    fail_on: str,
    as_json: bool,
) -> None:
    """部门自查：审核自己的工作簿并列出问题

    规则与汇总（merge）完全相同；有“错误”时退出码为 1。

    \b
    示例：
        bptools check 组织部.xlsx
        bptools check 组织部.xlsx --json > 结果.json
    """
    config = _config(inputs, config_path, keep)
    result = _run(inputs, config, year, outdir=None, recursive=recursive)
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        _print_findings(result)
        _print_summary(result)
    _exit(result, FAIL_ON[fail_on], explain=not as_json)


@cli.command()
@inputs_argument
@outdir_option
@review_options
@click.option(
    "--html/--no-html",
    default=True,
    show_default=True,
    help="同时生成可用浏览器打开的网页版汇总",
)
@click.option(
    "--feedback/--no-feedback",
    default=True,
    show_default=True,
    help="为有问题的部门生成标注了问题的工作簿副本（反馈/）。",
)
@click.option(
    "--cache/--no-cache",
    default=True,
    show_default=True,
    help="在输出文件夹中记下各文件的读取和审核结果，再次汇总时只重新读取改动过的文件；"
    "--no-cache 全部重新读取。",
)
def merge(
    inputs: tuple[str, ...],
    outdir: Path,
    config_path: Path | None,
    year: int | None,
    keep: str | None,
    recursive: bool,
    fail_on: str,
    html: bool,
    feedback: bool,
    cache: bool,
) -> None:
    """审核并汇总各部门的绩效目标表

    INPUTS 可以是文件、文件夹或通配符（如 "收件箱/*.xlsx"），由 bptools 自行展开。

    \b
    示例：
        bptools merge 收件箱/ -o 汇总结果
        bptools merge "收件箱/*.xlsx" --fail-on never
    """
    config = _config(inputs, config_path, keep)
    store = outdir / CACHE_NAME if cache else None
    with kept_workers():  # reading, then the copies and department workbooks
        result = _run(inputs, config, year, outdir=outdir, recursive=recursive, cache=store)
        if len(result.files) >= PROGRESS_MIN_FILES and sys.stderr.isatty():
            click.echo("正在写汇总表、网页版和反馈副本……", err=True)
        written = _write_outputs(result, outdir, config, html=html, feedback=feedback)
    _print_summary(result)
    click.echo(f"汇总表：{written.report}")
    if written.books:
        click.echo(f"各部门汇总（每个部门一个工作簿）：{written.books}")
    if written.page:
        click.echo(f"网页版：{written.page}")
    if written.copies:
        click.echo(f"反馈副本 {len(written.copies)} 份：{written.copies[0].parent}")
    _exit(result, FAIL_ON[fail_on])


@cli.command()
@inputs_argument
@outdir_option
@review_options
def publish(
    inputs: tuple[str, ...],
    outdir: Path,
    config_path: Path | None,
    year: int | None,
    keep: str | None,
    recursive: bool,
    fail_on: str,
) -> None:
    """按公开文件的版式输出汇总后的绩效目标表

    每个项目一页，版式与公开的绩效目标表一致，可直接打印或另存为 PDF。
    审核仍有“错误”时照样生成，但会提醒公开前核对。

    \b
    示例：
        bptools publish 收件箱/ -o 汇总结果
    """
    config = _config(inputs, config_path, keep)
    result = _run(inputs, config, year, outdir=outdir, recursive=recursive)
    try:
        with OutputSet(outdir, on_wait=lambda: _wait_for(outdir)) as out:
            path = write_publish(result, outdir, out=out)
    except OutputError as exc:
        raise OutputFailed(str(exc)) from exc
    _print_summary(result)
    errors = result.counts()["错误"]
    if errors:
        click.secho(
            f"注意：还有 {errors} 条错误，公开前请核对（bptools check 可逐条列出）。",
            fg="red",
            err=True,
        )
    click.echo(f"公开表：{path}")
    _exit(result, FAIL_ON[fail_on])


@cli.command()
@click.option("--markdown", is_flag=True, help="输出 Markdown 表格")
def rules(markdown: bool) -> None:
    """列出全部审核规则

    \b
    示例：
        bptools rules
        bptools rules --markdown > 规则.md
    """
    if markdown:
        click.echo("| 编号 | 级别 | 规则 | 说明 | 可配置参数 |")
        click.echo("| --- | --- | --- | --- | --- |")
    for rule in RULES.values():
        params = params_text(rule.params)
        if markdown:
            click.echo(
                f"| {rule.id} | {rule.severity.value} | {rule.title} | "
                f"{rule.description} | {params} |"
            )
            continue
        click.secho(
            f"{rule.id}  {rule.severity.value}  {rule.title}", bold=True, fg=COLOURS[rule.severity]
        )
        click.echo(f"    {rule.description}")
        if params:
            click.echo(f"    参数：{params}")


def _wait_for(outdir: Path) -> None:
    click.secho(f"另一个 bptools 正在写入 {outdir}，等它写完……", fg="yellow", err=True)


def _config(inputs: tuple[str, ...], path: Path | None, keep: str | None) -> Config:
    path = path or find_config(inputs)
    try:
        config = load_config(path) if path else Config()
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc
    return replace(config, keep=KEEP[keep]) if keep else config


def _outputs_in(outdir: Path) -> list[Path]:
    """What bptools writes into `outdir`, never read as a submission: the folder may be
    the inbox itself, or hold it."""
    names = (REPORT_NAME, REPORT_NAME.replace(".xlsx", ".html"), PUBLISH_NAME)
    written = [p for name in names for p in outdir.glob(name.format(year="*"))]
    written += [outdir / CACHE_NAME, outdir / f"{CACHE_NAME}-journal"]
    return [outdir / FEEDBACK_DIR, outdir / DEPARTMENT_DIR, *written]


def _run(
    inputs: tuple[str, ...],
    config: Config,
    year: int | None,
    *,
    outdir: Path | None,
    recursive: bool,
    cache: Path | None = None,
) -> Consolidation:
    exclude = _outputs_in(outdir) if outdir else []
    found = collect_inputs(inputs, exclude=exclude, recursive=recursive)
    if not found.files:
        for pattern in found.unmatched:
            click.secho(f"没有找到：{pattern}", fg="yellow", err=True)
        for path in found.not_workbooks:
            click.secho(f"未读取：{path}（{describe(path)}）", fg="yellow", err=True)
        raise click.UsageError("没有找到要审核的工作簿（.xlsx/.xlsm/.xls/.ods/.et），请检查路径。")
    # A bar only where someone watches it: in a log or a pipe it would be noise.
    if len(found.files) < PROGRESS_MIN_FILES or not sys.stderr.isatty():
        return consolidate(found, config=config, year=year, cache=cache)
    with click.progressbar(
        length=len(found.files), label="读取文件", file=sys.stderr, show_pos=True
    ) as bar:
        return consolidate(
            found, config=config, year=year, cache=cache, progress=lambda _path: bar.update(1)
        )


def _print_findings(result: Consolidation) -> None:
    """Findings grouped by sheet; the same advice is shown once per file, not per finding."""
    place = None
    advised: set[tuple[str, str]] = set()
    for finding in sorted(result.findings, key=lambda f: (f.file, f.sheet)):
        if (finding.file, finding.sheet) != place:
            place = (finding.file, finding.sheet)
            where = f"{finding.file}" + (f" › {finding.sheet}" if finding.sheet else "")
            if finding.project:
                where += f"（{finding.project}）"
            click.secho(where, bold=True)
        first = (finding.file, finding.hint) not in advised
        advised.add((finding.file, finding.hint))
        _print_finding(finding, advice=first)


def _print_finding(finding: Finding, *, advice: bool) -> None:
    colour = COLOURS[finding.severity]
    cell = f"{finding.cell:<5}" if finding.cell else "     "
    about = f"［{finding.indicator}］" if finding.indicator else ""
    click.echo(
        f"  {click.style(finding.severity.value, fg=colour)} {finding.rule_id} "
        f"{cell} {about}{finding.message}"
    )
    if advice:
        click.echo(f"                  修改：{finding.hint}")


def _write_outputs(
    result: Consolidation, outdir: Path, config: Config, *, html: bool, feedback: bool
) -> Written:
    try:
        with OutputSet(outdir, on_wait=lambda: _wait_for(outdir)) as out:
            return write_outputs(result, outdir, config, out=out, html=html, feedback=feedback)
    except OutputError as exc:
        raise OutputFailed(str(exc)) from exc


def _exit(result: Consolidation, fail_on: Severity | None, *, explain: bool = True) -> None:
    """Exit with the run's code, saying why when it is 1 (unless the output is for a script)."""
    if explain and (note := result.exit_note(fail_on)):
        click.secho(note, fg="yellow", err=True)
    sys.exit(result.exit_code(fail_on))


def _print_summary(result: Consolidation) -> None:
    batch, inputs = result.batch, result.inputs
    failed = [s for s in result.files if not s.ok]
    click.echo(
        f"文件 {len(result.files)} 个（无法使用 {len(failed)} 个；"
        f"跳过临时/锁定文件 {len(inputs.lock_files)} 个，"
        f"非工作簿 {len(inputs.not_workbooks)} 个）"
    )
    click.echo(
        f"部门 {batch.projects['unit_label'].nunique()} 个，项目 {len(batch.projects)} 个，"
        f"指标 {len(batch.indicators)} 条"
    )
    counts = result.counts()
    click.echo("异常：" + "，".join(f"{name} {n} 条" for name, n in counts.items()))
    for status in failed:
        assert status.error is not None
        click.secho(f"  无法使用：{status.label}：{status.error.message}", fg="red", err=True)
    for finding in result.findings:
        if finding.rule_id == not_workbook.id:
            click.secho(f"  未读取：{finding.message}", fg="yellow", err=True)
        elif finding.rule_id == not_found.id:
            click.secho(f"  没有找到：{finding.value}", fg="red", err=True)
