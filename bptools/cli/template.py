"""template: the workbook a department fills."""

from __future__ import annotations

from pathlib import Path

import click

from .. import clickzh
from ..errors import OutputError
from ..template import write_template
from .common import (
    OutputFailed,
    cli,
)


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
