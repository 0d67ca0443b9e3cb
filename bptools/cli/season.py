"""watch and status: the budget season as it runs, over a shared folder."""

from __future__ import annotations

import json
import signal
import time
import traceback
from datetime import datetime
from pathlib import Path
from types import FrameType

import click

from .. import clickzh
from ..config import Config
from ..errors import OutputError
from ..ledger import LEDGER_NAME, LedgerError, load
from ..ledger_view import PASSED, Ledger
from ..outputs import merge_into
from ..parallel import kept_workers
from ..rules import Severity
from ..watch import GIVE_UP, RESCAN, SETTLE, FolderWatch, Snapshot
from ..write import style
from ..write.lease import held
from .common import (
    OutputFailed,
    cli,
    outdir_option,
    read_roster_option,
    roster_option,
    run_config,
    source_options,
    wait_for,
)


@cli.command()
@click.argument(
    "folder", type=clickzh.Path(exists=True, file_okay=False, path_type=Path), metavar="收件文件夹"
)
@outdir_option
@source_options
@click.option("--html/--no-html", default=True, show_default=True, help="同时生成网页版汇总")
@click.option(
    "--feedback/--no-feedback", default=True, show_default=True, help="生成给各部门的反馈副本"
)
@roster_option
@click.option(
    "--poll",
    type=clickzh.Seconds(1),
    default=None,
    help="每隔多少秒查看一次文件夹，代替系统的变化通知（用于收不到通知的网络共享文件夹）",
)
@click.option(
    "--settle",
    type=clickzh.Seconds(0.2),
    default=SETTLE,
    show_default=True,
    help="文件大小和修改时间保持这么久不变（且能打开）才读取，以免读到复制了一半的文件",
)
def watch(
    folder: Path,
    outdir: Path,
    config_path: Path | None,
    year: int | None,
    keep: str | None,
    recursive: bool,
    html: bool,
    feedback: bool,
    roster: Path | None,
    poll: float | None,
    settle: float,
) -> None:
    """监视收件文件夹，有工作簿新增、修改或移出时自动重新汇总

    每次汇总在终端打印一行（时间、变化、各级别异常数），并记入收件台账；未改动的文件不重新读取。

    损坏的文件照常列入异常清单，不会中断监视。

    按 Ctrl-C 停止，输出文件夹中保留最近一次完整的汇总结果。

    \b
    示例：
        bptools watch 收件箱/ -o 汇总结果
        bptools watch //财政局/共享/收件箱 -o 汇总结果 --poll 10
    """
    config = run_config((str(folder),), config_path, keep, roster)
    signal.signal(signal.SIGTERM, _interrupt)  # a service manager's stop: as Ctrl-C
    try:
        ignore = [config.roster_file] if config.roster_file else []  # not a submission
        with (
            held(outdir),
            kept_workers(),
            FolderWatch(
                folder,
                recursive=recursive,
                outdir=outdir,
                ignore=ignore,
                waiting=_waiting,
                poll=poll,
                settle=settle,
            ) as watcher,
        ):
            _watch(watcher, outdir, config, year=year, html=html, feedback=feedback)
    except OutputError as exc:
        raise OutputFailed(str(exc)) from exc
    except KeyboardInterrupt:
        click.echo("已停止监视。输出文件夹中是最近一次完整的汇总结果。", err=True)


def _waiting(paths: list[Path]) -> None:
    names = "、".join(p.name for p in paths[:3]) + (
        f" 等 {len(paths)} 个" if len(paths) > 3 else ""
    )
    click.echo(
        f"{datetime.now():%H:%M:%S} 等待 {names} 复制完成：还打不开；"
        f"{GIVE_UP:.0f} 秒内仍打不开就照常读取（会列为无法读取）……"
    )


def _interrupt(_signal: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _watch(
    watcher: FolderWatch, outdir: Path, config: Config, *, year: int | None, **writing: bool
) -> None:
    click.echo(f"正在监视 {watcher.folder}，汇总结果写入 {outdir}（按 Ctrl-C 停止）")
    last: Snapshot = {}
    starting = bool(watcher.snapshot())  # the first run is of what the folder holds
    if starting:
        watcher.wake()
    else:
        click.echo("收件文件夹中还没有工作簿，等待文件……")
    while (found := watcher.next_change(last)) is not None:
        snapshot, change = found
        what = f"开始监视，有工作簿 {len(snapshot)} 个" if starting else change.describe()
        if _run(watcher, outdir, config, what, year=year, **writing):
            last, starting = snapshot, False
        # else `last` stays: the next look (within RESCAN seconds) tries again


def _run(
    watcher: FolderWatch,
    outdir: Path,
    config: Config,
    what: str,
    *,
    year: int | None,
    **writing: bool,
) -> bool:
    """One re-merge and its line; False when its outputs could not be written."""
    stamp, start = f"{datetime.now():%H:%M:%S}", time.monotonic()
    inputs = watcher.inputs()
    if not inputs.files:
        click.echo(f"{stamp} {what}：收件文件夹中已没有工作簿，等待文件……")
        return True
    try:
        merged = merge_into(
            inputs, outdir, config, year=year, on_wait=lambda: wait_for(outdir), **writing
        )
    except OutputError as exc:
        click.secho(f"{stamp} 未能写出汇总结果：{exc}。约 {RESCAN:.0f} 秒后重试。", fg="red")
        return False
    except Exception as exc:  # a bug must not end the season's watch
        click.secho(f"{stamp} bptools 内部错误：{exc!r}；继续监视。", fg="red", err=True)
        click.echo("请把以下信息发给维护人员：\n" + traceback.format_exc(), err=True)
        return True
    result = merged.result
    counts = "、".join(f"{name} {n}" for name, n in result.counts().items())
    line = f"{stamp} {what} → 文件 {len(result.files)} 个，异常：{counts}"
    if result.ledger is not None and result.ledger.roster:
        line += f"；未报送 {len(result.ledger.missing)} 个部门"
    click.echo(f"{line}（用时 {time.monotonic() - start:.1f} 秒）")
    if merged.ledger_problem:
        click.secho(f"注意：{merged.ledger_problem}", fg="yellow", err=True)
    return True


@cli.command()
@click.argument(
    "outdir",
    type=clickzh.Path(exists=True, file_okay=False, path_type=Path),
    default=Path("汇总结果"),
    required=False,
    metavar="[输出文件夹]",
)
@roster_option
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出，供脚本使用")
def status(outdir: Path, roster: Path | None, as_json: bool) -> None:
    """查看收件情况：各部门第几次报送、是否仍有错误，以及名单中未报送的部门

    读取输出文件夹（默认“汇总结果”）中的收件台账，不重新汇总。

    \b
    示例：
        bptools status 汇总结果
        bptools status 汇总结果 --roster 部门名单.xlsx --json
    """
    members = read_roster_option(roster) if roster else None
    try:
        ledger = load(outdir / LEDGER_NAME, roster=members)
    except LedgerError as exc:
        raise click.UsageError(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(ledger.to_dict(), ensure_ascii=False, indent=2))
        return
    _print_status(ledger)


def _print_status(ledger: Ledger) -> None:
    click.secho(ledger.headline(), bold=True)
    error = Severity.ERROR.value
    width = max((style.text_width(s.status) for s in ledger.standings), default=0)
    for s in ledger.standings:
        colour = "red" if s.counts[error] or s.status != PASSED else None
        pad = " " * int(width - style.text_width(s.status))
        now = "、".join(f"{name} {n}" for name, n in s.counts.items()) if s.files else "文件已移出"
        click.echo(
            f"  {click.style(s.status, fg=colour)}{pad}  {s.unit}  共报送 {s.rounds} 次，"
            f"最近 {s.last}；{now}"
        )
    if ledger.missing:
        click.secho(f"未报送（{len(ledger.missing)} 个）：", fg="red", bold=True)
        for member in ledger.missing:
            click.echo(f"  {member.label}")
    click.echo(f"每个文件的记录见汇总工作簿的“收件台账”工作表（{ledger.path.parent}）。")
