"""check, merge, publish and rules: review the workbooks and write what a merge gives."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..errors import OutputError
from ..outputs import merge_into
from ..parallel import kept_workers
from ..pipeline import Consolidation
from ..publish import write_publish
from ..rules import RULES, Finding
from ..rules.params import params_text
from ..write.output import OutputSet
from .common import (
    COLOURS,
    FAIL_ON,
    PROGRESS_MIN_FILES,
    OutputFailed,
    Reading,
    cli,
    collect,
    exit_with,
    inputs_argument,
    outdir_option,
    print_summary,
    read_inputs,
    review_options,
    roster_option,
    run_config,
    wait_for,
)


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
    config = run_config(inputs, config_path, keep)
    result = read_inputs(inputs, config, year, outdir=None, recursive=recursive)
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        _print_findings(result)
        print_summary(result)
    exit_with(result, FAIL_ON[fail_on], explain=not as_json)


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
@roster_option
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
    roster: Path | None,
) -> None:
    """审核并汇总各部门的绩效目标表

    INPUTS 可以是文件、文件夹或通配符（如 "收件箱/*.xlsx"），由 bptools 自行展开。

    每次汇总都记入输出文件夹中的收件台账（第几次报送、状态、改正了哪些问题），

    bptools status 可随时查看。

    \b
    示例：
        bptools merge 收件箱/ -o 汇总结果
        bptools merge "收件箱/*.xlsx" --fail-on never
    """
    config = run_config(inputs, config_path, keep, roster)
    found = collect(inputs, outdir=outdir, recursive=recursive, config=config)

    def writing(result: Consolidation) -> None:
        reading.done()
        if len(result.files) >= PROGRESS_MIN_FILES and sys.stderr.isatty():
            click.echo("正在写汇总表、网页版和反馈副本……", err=True)

    # The workers read, then make the copies and department workbooks.
    with kept_workers(), Reading(len(found.files)) as reading:
        try:
            merged = merge_into(
                found,
                outdir,
                config,
                year=year,
                cache=cache,
                html=html,
                feedback=feedback,
                progress=reading.progress,
                on_wait=lambda: wait_for(outdir),
                before_writing=writing,
            )
        except OutputError as exc:
            raise OutputFailed(str(exc)) from exc
    result, written = merged.result, merged.written
    if merged.ledger_problem:
        click.secho(f"注意：{merged.ledger_problem}", fg="yellow", err=True)
    print_summary(result)
    click.echo(f"汇总表：{written.report}")
    if written.books:
        click.echo(f"各部门汇总（每个部门一个工作簿）：{written.books}")
    if written.page:
        click.echo(f"网页版：{written.page}")
    if written.copies:
        click.echo(f"反馈副本 {len(written.copies)} 份：{written.copies[0].parent}")
    if result.ledger is not None:
        click.echo(result.ledger.headline())
    exit_with(result, FAIL_ON[fail_on])


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
    config = run_config(inputs, config_path, keep)
    result = read_inputs(inputs, config, year, outdir=outdir, recursive=recursive)
    try:
        with OutputSet(outdir, on_wait=lambda: wait_for(outdir)) as out:
            path = write_publish(result, outdir, out=out)
    except OutputError as exc:
        raise OutputFailed(str(exc)) from exc
    print_summary(result)
    errors = result.counts()["错误"]
    if errors:
        click.secho(
            f"注意：还有 {errors} 条错误，公开前请核对（bptools check 可逐条列出）。",
            fg="red",
            err=True,
        )
    click.echo(f"公开表：{path}")
    exit_with(result, FAIL_ON[fail_on])


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
