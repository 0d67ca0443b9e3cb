"""Next year's templates (`bptools template --from`): one workbook per department, pre-filled
with its projects of a year's consolidated workbook, the year in the titles advanced.

The values are the department's starting point, not its answer: every cell holding one of
last year's values gets the last-year fill (`write.style.LAST_YEAR_FILL`; a carried
indicator its whole row) and 填表说明 says what the fill means. 编制单位 is pre-filled as in
any template. A blank project sheet follows the department's projects, for a new one. The
workbooks are written together (`OutputSet`): a run that fails leaves none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .errors import BptoolsError
from .model import Project
from .normalize import label_key, split_unit
from .readback import Plans
from .template import workbook_name, write_template
from .write.output import OutputSet

FOLDER = "{year}年填报模板"  # the output folder when the clerk names none
NEW_PROJECT_SHEETS = 1  # blank sheets after the carried ones


class NextYearError(BptoolsError):
    "The templates cannot be made as asked (a message for the clerk, in Chinese)."


class WouldOverwrite(NextYearError):
    "Workbooks of the same names are in the output folder already."

    def __init__(self, message: str, paths: list[Path]) -> None:
        super().__init__(message)
        self.paths = paths


@dataclass(frozen=True)
class Template:
    """The workbook of one department: where it goes, and the projects it carries."""

    path: Path
    unit: str  # "code-name", as on the tables
    projects: tuple[Project, ...]


def next_year(plans: Plans) -> int:
    """The year after the one `plans` were filled for."""
    if plans.year is None:
        raise NextYearError(
            f"从“{plans.source}”看不出预算年度（总览的标题和文件名中都没有）："
            "请用 --year 指定要生成模板的年度，如 --year 2024"
        )
    return plans.year + 1


def default_folder(year: int) -> Path:
    return Path(FOLDER.format(year=year))


def plan_templates(plans: Plans, outdir: Path, *, dept: str = "") -> list[Template]:
    """The workbook of each department in `plans` (only `dept`'s when given: its code, its
    name or "code-name"), in the order of the workbook, each named after its 编制单位."""
    units = plans.by_unit()
    if dept:
        units = {unit: units[unit] for unit in _units_named(plans, dept)}
    templates, names = [], set()
    for unit, projects in units.items():
        name, n = workbook_name(unit), 1
        while name.casefold() in names:  # two units of one file name (a/b and a_b)
            n += 1
            name = workbook_name(f"{unit}（{n}）")
        names.add(name.casefold())
        templates.append(Template(outdir / name, unit, tuple(projects)))
    return templates


def write_next_year(
    plans: Plans,
    outdir: Path,
    year: int,
    *,
    dept: str = "",
    force: bool = False,
    on_wait: Callable[[], None] | None = None,
) -> list[Template]:
    """Write the templates for `year` of the departments of `plans` into `outdir`.

    Args:
        dept: only this department's (see `plan_templates`).
        force: replace workbooks of the same names; without it they stop the run
            (`WouldOverwrite`) before anything is written.
        on_wait: called when another bptools is writing into `outdir`.
    """
    last_year = plans.year if plans.year is not None else year - 1
    if year <= last_year:
        raise NextYearError(
            f"“{plans.source}”是 {last_year} 年的汇总表，--year 应晚于 {last_year}，"
            f"如 --year {last_year + 1}"
        )
    templates = plan_templates(plans, outdir, dept=dept)
    there = [t.path for t in templates if t.path.exists()]
    if there and not force:
        listing = "\n".join(f"  {path.name}" for path in there)
        raise WouldOverwrite(
            f"“{outdir}”中已有以下模板，为免覆盖已填写的内容，没有生成任何模板：\n{listing}\n"
            "请用 -o 换一个输出文件夹，或加 --force 覆盖它们",
            there,
        )
    with OutputSet(outdir, on_wait=on_wait) as out:
        for each in templates:
            sheets = [*each.projects, *[None] * NEW_PROJECT_SHEETS]
            with out.file(each.path) as staged:
                write_template(staged, year, unit=each.unit, projects=sheets, last_year=last_year)
    return templates


def _units_named(plans: Plans, dept: str) -> list[str]:
    """The department `dept` names as the clerk typed it: its code, its name or
    "code-name"; else the one department whose name holds it (组织部)."""
    units, wanted = list(plans.by_unit()), label_key(dept)
    exact = [u for u in units if wanted in {label_key(p) for p in (u, *(split_unit(u) or ()))}]
    if exact:
        return exact
    within = [u for u in units if wanted in label_key(u)]
    if len(within) == 1:
        return within
    if within:
        raise NextYearError(
            f"“{dept}”可以指 {len(within)} 个单位：{'、'.join(within)}。"
            "请用 --dept 写单位编码，如 --dept " + _code(within[0])
        )
    codes = [_code(unit) for unit in units]
    raise NextYearError(
        f"“{plans.source}”中没有编制单位“{dept}”：--dept 请写单位编码（如 "
        f"{codes[0] if codes else '107'}）、单位名称或“编码-名称”。"
        f"汇总表中的单位：{'、'.join(codes) or '（没有项目）'}"
    )


def _code(unit: str) -> str:
    split = split_unit(unit)
    return split[0] if split else unit
