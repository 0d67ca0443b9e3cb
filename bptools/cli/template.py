"""template: the workbook a department fills; with --from, next year's, one per department."""

from __future__ import annotations

from pathlib import Path

import click
from click.core import ParameterSource

from .. import clickzh
from ..errors import OutputError
from ..nextyear import NextYearError, default_folder, next_year, write_next_year
from ..readback import ReadbackError, read_consolidated
from ..template import write_template
from .common import (
    OutputFailed,
    cli,
    wait_for,
)


@cli.command()
@click.option(
    "-o",
    "--output",
    "output",
    type=clickzh.Path(path_type=Path),
    metavar="路径",
    help="要生成的模板文件 (.xlsx)；用 --from 时为输出文件夹，默认按年度命名，如“2024年填报模板”",
)
@click.option(
    "--from",
    "source",
    type=clickzh.Path(exists=True, dir_okay=False, path_type=Path),
    metavar="汇总表",
    help="由 bptools merge 写出的汇总工作簿：为其中每个部门生成下一年的模板，"
    "预填该部门的项目（浅绿色标出上年的内容）",
)
@click.option(
    "--year",
    type=clickzh.IntRange(2000, 2100),
    default=2023,
    show_default=True,
    help="预算年度；用 --from 时默认为汇总表年度的下一年",
)
@click.option(
    "--dept",
    default="",
    metavar="编码-名称",
    help="预填编制单位，如 “107-中国共产党重庆市北碚区委员会组织部”；"
    "用 --from 时只生成该单位的模板（写编码或名称即可，如 107、组织部）。",
)
@click.option(
    "--projects",
    "n_projects",
    type=clickzh.IntRange(1, 200),
    default=3,
    show_default=True,
    help="项目工作表数量；用 --from 时不用：按上年的项目，另加一张空白项目表",
)
@click.option("--force", is_flag=True, help="输出文件已存在时覆盖它")
@click.pass_context
def template(
    ctx: click.Context,
    output: Path | None,
    source: Path | None,
    year: int,
    dept: str,
    n_projects: int,
    force: bool,
) -> None:
    """生成部门填报模板

    \b
    示例：
        bptools template --dept "107-中国共产党重庆市北碚区委员会组织部" -o 组织部.xlsx
        bptools template --from 汇总结果/2023年绩效目标汇总.xlsx
    """
    if source is not None:
        _next_year_templates(ctx, source, output, year, dept.strip(), force)
    else:
        _blank_template(ctx, output, year, dept.strip(), n_projects, force)


def _blank_template(
    ctx: click.Context, output: Path | None, year: int, dept: str, n_projects: int, force: bool
) -> None:
    if output is None:
        raise clickzh.UsageError(
            "缺少选项 -o / --output：请写上 -o 文件。"
            "要由汇总表生成下一年各部门的模板，请用 --from 汇总表。",
            ctx,
        )
    output = _checked_path(ctx, output, dir_okay=False)
    if output.suffix.lower() != ".xlsx":
        raise click.UsageError(f"模板文件名应以 .xlsx 结尾，如 {output.with_suffix('.xlsx').name}")
    if output.exists() and not force:
        raise click.UsageError(
            f"“{output}”已存在，为免覆盖已填写的内容，没有生成模板："
            "请换一个文件名，或加 --force 覆盖它"
        )
    try:
        path = write_template(output, year, unit=dept, n_projects=n_projects)
    except OutputError as exc:
        raise OutputFailed(str(exc)) from exc
    click.echo(f"已生成模板：{path}（{n_projects} 个项目表）")


def _next_year_templates(
    ctx: click.Context, source: Path, output: Path | None, year: int, dept: str, force: bool
) -> None:
    if ctx.get_parameter_source("n_projects") is not ParameterSource.DEFAULT:
        raise click.UsageError(
            "用 --from 时各部门的项目表按汇总表中的项目生成（另加一张空白项目表），"
            "不用 --projects：请去掉 --projects"
        )
    if output is not None and output.suffix.lower() == ".xlsx":
        raise click.UsageError(
            f"用 --from 时 -o 是文件夹（每个部门一个模板），不是 .xlsx 文件：如 -o {output.stem}"
        )
    try:
        plans = read_consolidated(source)
        if ctx.get_parameter_source("year") is ParameterSource.DEFAULT:
            year = next_year(plans)
        outdir = _checked_path(ctx, output or default_folder(year), file_okay=False)
        written = write_next_year(
            plans, outdir, year, dept=dept, force=force, on_wait=lambda: wait_for(outdir)
        )
    except (ReadbackError, NextYearError) as exc:
        raise clickzh.UsageError(str(exc), ctx) from exc
    except OutputError as exc:
        raise OutputFailed(str(exc)) from exc
    click.echo(f"已生成 {year} 年的模板，预填“{source.name}”中各部门的项目：")
    for each in written:
        click.echo(f"  {each.path.name}（{len(each.projects)} 个项目）")
    projects = sum(len(each.projects) for each in written)
    click.echo(f"共 {len(written)} 个部门、{projects} 个项目，在：{outdir}")


def _checked_path(ctx: click.Context, path: Path, **kind: bool) -> Path:
    """`path` as -o takes it, a file or a folder as the mode asks (said as for any option)."""
    param = next(p for p in ctx.command.params if p.name == "output")
    checked: Path = clickzh.Path(path_type=Path, **kind).convert(path, param, ctx)
    return checked
