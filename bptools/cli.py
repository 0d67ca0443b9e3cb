"""The command line: a thin shell over the library (`bptools.consolidate`, ...)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .errors import BptoolsError
from .inputs import collect_inputs
from .pipeline import Consolidation, consolidate
from .report import write_report
from .template import write_template

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
PROGRESS_MIN_FILES = 5  # below this a run is instant; no bar


@click.group(context_settings=CONTEXT)
@click.version_option(package_name="bptools")
def cli() -> None:
    """bptools：项目支出绩效目标表的模板、审核与汇总工具。

    Collect, check and consolidate project performance target tables (项目支出绩效目标表).
    """


@cli.command()
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="要生成的模板文件 (.xlsx) / the workbook to write.",
)
@click.option(
    "--year",
    type=click.IntRange(2000, 2100),
    default=2023,
    show_default=True,
    help="预算年度 / budget year.",
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
    type=click.IntRange(1, 200),
    default=3,
    show_default=True,
    help="项目工作表数量 / number of project sheets.",
)
def template(output: Path, year: int, dept: str, n_projects: int) -> None:
    """生成部门填报模板 / write a department template workbook.

    \b
    示例 / Example:
        bptools template --dept "107-中国共产党重庆市北碚区委员会组织部" -o 组织部.xlsx
    """
    try:
        path = write_template(output, year, unit=dept.strip(), n_projects=n_projects)
    except BptoolsError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"已生成模板：{path}（{n_projects} 个项目表）")


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "-o",
    "--outdir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("汇总结果"),
    show_default=True,
    help="输出文件夹 / output folder.",
)
@click.option(
    "--year",
    type=click.IntRange(2000, 2100),
    default=None,
    help="预算年度（默认取各表标题中的年度）/ budget year.",
)
def merge(inputs: tuple[str, ...], outdir: Path, year: int | None) -> None:
    """审核并汇总各部门的绩效目标表 / check and consolidate department workbooks.

    INPUTS 可以是文件、文件夹或通配符（如 "收件箱/*.xlsx"），由 bptools 自行展开。
    Files, folders or glob patterns, expanded by bptools itself.

    \b
    示例 / Example:
        bptools merge 收件箱/ -o 汇总结果
    """
    try:
        result = _consolidate_with_progress(inputs, year, outdir)
        if not result.files:
            _print_summary(result)
            raise click.UsageError("没有找到要汇总的工作簿（.xlsx/.xlsm/.xls/.ods），请检查路径。")
        path = write_report(result, outdir)
    except BptoolsError as exc:
        raise click.ClickException(str(exc)) from exc
    _print_summary(result)
    click.echo(f"汇总表：{path}")


def _consolidate_with_progress(
    inputs: tuple[str, ...], year: int | None, outdir: Path
) -> Consolidation:
    found = collect_inputs(inputs, exclude=[outdir])
    # A bar only where someone watches it: in a log or a pipe it would be noise.
    if len(found.files) < PROGRESS_MIN_FILES or not sys.stderr.isatty():
        return consolidate(found, year=year)
    with click.progressbar(
        length=len(found.files), label="读取文件", file=sys.stderr, show_pos=True
    ) as bar:
        return consolidate(found, year=year, progress=lambda _path: bar.update(1))


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
    for pattern in inputs.unmatched:
        click.secho(f"  没有找到：{pattern}", fg="yellow", err=True)
