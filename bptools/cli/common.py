"""The command group, the options and steps the commands share."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from .. import clickzh
from ..config import Config, ConfigError, find_config, load_config
from ..inputs import Inputs, collect_inputs
from ..model import Department
from ..outputs import outputs_in
from ..package import describe
from ..pipeline import Consolidation, consolidate
from ..roster import RosterError, read_roster
from ..rules import Severity
from ..rules.files import not_found, not_workbook

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
    return source_options(fail_on_option(command))


def source_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """How the inputs are read: options shared by every command that reads workbooks."""
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
    ]
    for option in reversed(options):
        command = option(command)
    return command


fail_on_option = click.option(
    "--fail-on",
    "fail_on",
    type=clickzh.Choice(list(FAIL_ON)),
    default="错误",
    show_default=True,
    help="有该级别及以上的异常时退出码为 1；never 表示总是 0。",
)


def wait_for(outdir: Path) -> None:
    click.secho(f"另一个 bptools 正在写入 {outdir}，等它写完……", fg="yellow", err=True)


def run_config(
    inputs: tuple[str, ...], path: Path | None, keep: str | None, roster: Path | None = None
) -> Config:
    path = path or find_config(inputs)
    try:
        config = load_config(path) if path else Config()
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc
    if roster is not None:
        config = replace(config, roster=read_roster_option(roster), roster_file=roster)
    return replace(config, keep=KEEP[keep]) if keep else config


def read_roster_option(path: Path) -> tuple[Department, ...]:
    try:
        return read_roster(path)
    except RosterError as exc:
        raise click.UsageError(f"--roster：{exc}") from exc


roster_option = click.option(
    "--roster",
    type=clickzh.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="部门名单（.xlsx，或每行一个部门的 .txt），用于列出未报送的部门；"
    "默认用 bptools.toml 中的 roster。",
)


def collect(
    inputs: tuple[str, ...], *, outdir: Path | None, recursive: bool, config: Config
) -> Inputs:
    """The files named, or a usage error saying what was found instead of workbooks."""
    exclude = outputs_in(outdir) if outdir else []
    exclude += [config.roster_file] if config.roster_file else []
    found = collect_inputs(inputs, exclude=exclude, recursive=recursive)
    if not found.files:
        for pattern in found.unmatched:
            click.secho(f"没有找到：{pattern}", fg="yellow", err=True)
        for path in found.not_workbooks:
            click.secho(f"未读取：{path}（{describe(path)}）", fg="yellow", err=True)
        raise click.UsageError("没有找到要审核的工作簿（.xlsx/.xlsm/.xls/.ods/.et），请检查路径。")
    return found


class Reading:
    """The bar of files read, where someone watches it (in a log or a pipe it would be
    noise): `progress` for the reader, `done` once the files are read."""

    def __init__(self, count: int) -> None:
        self.bar: Any = None
        if count >= PROGRESS_MIN_FILES and sys.stderr.isatty():
            self.bar = click.progressbar(
                length=count, label="读取文件", file=sys.stderr, show_pos=True
            )
        self.progress = (lambda _path: self.bar.update(1)) if self.bar else None

    def __enter__(self) -> Reading:
        if self.bar is not None:
            self.bar.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.done()

    def done(self) -> None:
        if self.bar is not None:
            self.bar.render_finish()
            self.bar = None


def read_inputs(
    inputs: tuple[str, ...],
    config: Config,
    year: int | None,
    *,
    outdir: Path | None,
    recursive: bool,
) -> Consolidation:
    found = collect(inputs, outdir=outdir, recursive=recursive, config=config)
    with Reading(len(found.files)) as reading:
        return consolidate(found, config=config, year=year, progress=reading.progress)


def exit_with(result: Consolidation, fail_on: Severity | None, *, explain: bool = True) -> None:
    """Exit with the run's code, saying why when it is 1 (unless the output is for a script)."""
    if explain and (note := result.exit_note(fail_on)):
        click.secho(note, fg="yellow", err=True)
    sys.exit(result.exit_code(fail_on))


def print_summary(result: Consolidation) -> None:
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
