"""diff: what changed between two years' (or two rounds') projects."""

from __future__ import annotations

from pathlib import Path

import click

from .. import clickzh
from ..diff import compare
from ..diff_report import DIFF_NAME, counts_text, side_text, write_diff
from ..errors import OutputError
from ..inputs import collect_inputs
from ..parallel import kept_workers
from ..pipeline import consolidate
from ..readback import Plans, ReadbackError, plans_of, read_consolidated
from .common import OutputFailed, cli, outputs_in, run_config

SIDE_HINT = "请给出{which}的汇总工作簿（bptools merge 写出的）或部门工作簿所在的文件夹"


def _side_argument(name: str, which: str) -> click.Argument:
    return click.argument(
        name,
        type=clickzh.Path(exists=True, path_type=Path),
        cls=clickzh.Argument,
        hint=SIDE_HINT.format(which=which) + "，如 {command} 2022年绩效目标汇总.xlsx 收件箱/",
    )


@cli.command()
@_side_argument("last", "上次（如上年）")
@_side_argument("this", "本次（如本年）")
@click.option(
    "-o",
    "--output",
    type=clickzh.Path(dir_okay=False, path_type=Path),
    default=Path(DIFF_NAME),
    show_default=True,
    help="要生成的对比工作簿 (.xlsx)",
)
def diff(last: Path, this: Path, output: Path) -> None:
    """对比两年（或两轮）的绩效目标：项目增减、预算变化、指标变化

    LAST 和 THIS 各是 bptools merge 写出的汇总工作簿，或部门工作簿所在的文件夹。

    文件夹中的工作簿照汇总时一样读取，但不在其中写任何文件。

    项目按单位编码和项目名称对应；同一部门中指标大多相同、名称不同的项目算作改名。

    \b
    示例：
        bptools diff 2022年绩效目标汇总.xlsx 收件箱/ -o 年度对比.xlsx
        bptools diff 第一轮/ 第二轮/
    """
    if output.suffix.lower() != ".xlsx":
        raise click.UsageError(
            f"对比表的文件名应以 .xlsx 结尾，如 {output.with_suffix('.xlsx').name}"
        )
    if output.resolve() in (last.resolve(), this.resolve()):
        raise click.UsageError(f"输出文件“{output}”就是要对比的文件，请用 -o 换一个文件名。")
    with kept_workers():  # two folders read with the same workers
        sides = [_plans(path, output) for path in (last, this)]
    result = compare(*sides)
    before, after = result.last.year, result.this.year
    if before is not None and after is not None and before > after:
        click.secho(
            f"注意：LAST 是 {before} 年的，THIS 是 {after} 年的，两者是否写反了？"
            "（先写上次的，再写本次的）",
            fg="yellow",
            err=True,
        )
    try:
        path = write_diff(result, output)
    except OutputError as exc:
        raise OutputFailed(str(exc)) from exc
    old, new = result.labels()
    click.echo(f"{old}：{side_text(result.last)}")
    click.echo(f"{new}：{side_text(result.this)}")
    click.echo("变化：" + ("没有变化" if result.empty else counts_text(result)))
    click.echo(f"对比表：{path}")


def _plans(path: Path, output: Path) -> Plans:
    """The projects of a consolidated workbook, or of the department workbooks of a folder."""
    if not path.is_dir():
        try:
            return read_consolidated(path)
        except ReadbackError as exc:
            raise click.UsageError(str(exc)) from exc
    found = collect_inputs([path], exclude=[*outputs_in(path), output])
    if not found.files:
        raise click.UsageError(
            f"文件夹“{path}”中没有工作簿（.xlsx/.xlsm/.xls/.ods/.et）：请给出部门工作簿所在的"
            "文件夹，或 bptools merge 写出的汇总工作簿。"
        )
    result = consolidate(found, config=run_config((str(path),), None, None))
    for status in result.files:
        if not status.ok:
            assert status.error is not None
            click.secho(
                f"  无法使用：{status.label}：{status.error.message}（其中的项目不在对比之内）",
                fg="yellow",
                err=True,
            )
    return plans_of(result, path.resolve().name or str(path))
