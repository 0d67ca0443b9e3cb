"""BP9xx: across projects and files (duplicates, codes and names, copied tables).

All but BP906 compare files with each other, and are declared `cross_file`: they run on the
whole batch, after the files were read and checked one by one.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pandas as pd

from ..normalize import label_key
from . import declare, rule
from .base import Batch, Finding, Rule, Severity, records

project_superseded = declare(
    "BP902",
    "project-superseded",
    Severity.INFO,
    title="项目已被新版本取代",
    message="该项目在较新的文件“{newer}”（工作表“{newer_sheet}”）中也有，已采用较新的版本，本表未汇总",
    hint="如果两份都应汇总，请改用 --keep all；否则无需处理，可从收件文件夹移走旧版本。",
    description="同一单位的同一项目出现在多个文件中（如旧版和新版）时，默认只汇总修改时间最新的"
    "文件中的版本，旧版本列为提示。"
    "定为提示：已自动采用较新的版本，只提醒收件人。",
    bureau=True,
    cross_file=True,
)


def project_key(frame: pd.DataFrame) -> pd.Series:
    """Which rows are the same project: unit code (or the unit as typed) and project name."""
    unit = frame["unit_code"].where(frame["unit_code"] != "", frame["unit_label"].map(label_key))
    return unit + "\x00" + frame["project_key"]


@rule(
    "BP901",
    "project-duplicate",
    Severity.ERROR,
    title="项目重复",
    message="项目“{value}”重复填报，另见“{other_file}”工作表“{other_sheet}”",
    hint="同一项目只填一张表：删除重复的工作表，或把两张表合并为一张。",
    advice="请只保留一份“{value}”：删除重复的工作表，或把两张表合并为一张。",
    description="同一单位的同一项目（名称去除空格和全半角差异后相同）在汇总中出现两次以上："
    "同一文件内重复，或多个文件都有（使用 --keep all 汇总时）。"
    "定为错误：同一项目汇总两次，金额和指标都会重复计算。",
    cross_file=True,
)
def project_duplicate(batch: Batch) -> Iterator[Finding]:
    projects = batch.projects.assign(key=project_key(batch.projects))
    named = projects[projects["project_key"] != ""]
    for _, group in named.groupby("key", sort=False):
        if len(group) < 2:
            continue
        first = group.iloc[0]
        for record in records(group.iloc[1:]):
            yield project_duplicate.at(
                record, "name", other_file=first["file"], other_sheet=first["sheet"]
            )


@rule(
    "BP903",
    "project-two-units",
    Severity.WARNING,
    title="同名项目属于不同单位",
    message="项目“{value}”同时出现在{units}名下",
    hint="请核实该项目应由哪个单位填报；确属不同单位的项目，请在名称中加以区分。",
    advice="请核实“{value}”应由哪个单位填报；确属不同单位的项目，请在名称中加以区分。",
    description="同一个一级项目名称出现在两个以上编制单位名下。"
    "定为警告：同名项目可能是填错了单位，需要核实。",
    cross_file=True,
)
def project_two_units(batch: Batch) -> Iterator[Finding]:
    projects = batch.projects[batch.projects["project_key"] != ""]
    units = projects.groupby("project_key")["unit_label"].unique()
    shared = units[units.map(len) > 1]
    for record in records(projects[projects["project_key"].isin(shared.index)]):
        yield project_two_units.at(record, "name", units=_some(shared[record["project_key"]]))


LISTED_UNITS = 5  # a message names this many units at most: a row of a list stays readable


def _some(units: Sequence[str]) -> str:
    """“ A、B ” or, for many, “ A、B、C、D、E 等 40 个单位”: codes are set apart from the
    Chinese around them by a space."""
    named = "、".join(units[:LISTED_UNITS])
    return f" {named} " if len(units) <= LISTED_UNITS else f" {named} 等 {len(units)} 个单位"


@rule(
    "BP904",
    "unit-code-two-names",
    Severity.ERROR,
    title="同一单位编码对应多个名称",
    message="单位编码 {code} 对应多个单位名称：{names}",
    hint="同一单位在所有表中应使用同一个“编码-名称”，请按预算系统中的单位全称统一。",
    description="重码审核：一个单位编码只能对应一个单位名称。"
    "定为错误：一个编码对应多个名称，汇总时无法确定单位。",
    cross_file=True,
)
def unit_code_two_names(batch: Batch) -> Iterator[Finding]:
    yield from _one_to_one(batch, "unit_code", "unit_name", unit_code_two_names)


@rule(
    "BP905",
    "unit-name-two-codes",
    Severity.ERROR,
    title="同一单位名称对应多个编码",
    message="单位名称“{code}”对应多个单位编码：{names}",
    hint="同一单位在所有表中应使用同一个单位编码，请按预算系统中的编码统一。",
    description="重名审核：一个单位名称只能对应一个单位编码。"
    "定为错误：一个名称对应多个编码，汇总时会把一个单位拆成几个。",
    cross_file=True,
)
def unit_name_two_codes(batch: Batch) -> Iterator[Finding]:
    yield from _one_to_one(batch, "unit_name", "unit_code", unit_name_two_codes)


def _one_to_one(batch: Batch, key: str, other: str, found: Rule) -> Iterator[Finding]:
    projects = batch.projects[(batch.projects["unit_code"] != "")]
    values = projects.groupby(key)[other].unique()
    for name, options in values[values.map(len) > 1].items():
        for record in records(projects[projects[key] == name]):
            yield found.at(record, "unit", code=name, names="、".join(options))


@rule(
    "BP906",
    "supervisor-differs",
    Severity.WARNING,
    title="业务主管部门与编制单位不一致",
    message="业务主管部门“{value}”{reason}",
    hint="业务主管部门一般填本单位全称；由其他部门主管的项目请确认填写的是部门全称而不是科室名称。",
    advice="{advice}",
    description="业务主管部门通常就是编制单位本身；不一致时提示核实（可在 accepted 参数中列出"
    "允许的主管部门名称）。填的是内设科室（××科、××股）的，明确指出；财政局代编的项目，"
    "业务主管部门应是实际主管项目的部门。"
    "定为警告：业务主管部门可能填错，需要核实。",
    params={"accepted": [], "section_endings": ["科", "股", "组"]},
)
def supervisor_differs(batch: Batch) -> Iterator[Finding]:
    projects = batch.projects
    accepted = {label_key(name) for name in supervisor_differs.param(batch, "accepted")}
    sections = tuple(supervisor_differs.param(batch, "section_endings"))
    supervisor = projects["supervisor"].map(label_key)
    unit = projects["unit_name"].where(projects["unit_name"] != "", projects["unit_label"])
    differs = (supervisor != "") & (supervisor != unit.map(label_key))
    differs &= ~supervisor.isin(accepted)
    for record in records(projects[differs]):
        name = record["unit_name"] or record["unit_label"]
        section = record["supervisor"].endswith(sections)
        reason = "是内设科室，不是主管部门的全称" if section else f"与编制单位“{name}”不一致"
        if "代编" in name:
            advice = (
                f"本项目由“{name}”代编：业务主管部门请填实际主管本项目的部门全称"
                "（如“重庆市北碚区××局”），不要填科室名称。"
            )
        else:
            advice = (
                f"请把业务主管部门改为主管本项目的部门全称（多为“{name}”本身或其上级部门）"
                "，不要填内设科室。"
            )
        yield supervisor_differs.at(record, "supervisor", reason=reason, advice=advice)


@rule(
    "BP907",
    "indicators-copied",
    Severity.INFO,
    title="两个项目的指标完全相同",
    message="本项目的绩效指标与“{other_project}”（{other_file}）完全相同",
    hint="不同项目的绩效指标应反映各自的产出和效果，请确认是否照搬了其他项目的指标。",
    description="两个不同项目的指标（三级指标、指标性质、指标值、计量单位）逐条相同。"
    "定为提示：指标相同可能是复制后没有修改，也可能确实相同。",
    cross_file=True,
)
def indicators_copied(batch: Batch) -> Iterator[Finding]:
    indicators = batch.indicators
    if indicators.empty:
        return
    signature = (
        indicators.assign(
            line=indicators["name"].map(label_key)
            + "|"
            + indicators["op"]
            + "|"
            + indicators["target"]
            + "|"
            + indicators["unit"]
        )
        .groupby("project_id")["line"]
        .agg(lambda lines: "\n".join(sorted(lines)))
    )
    projects = {record["project_id"]: record for record in records(batch.projects)}
    for ids in signature.groupby(signature).groups.values():
        if len(ids) < 2:
            continue
        first = projects[ids[0]]
        for project_id in ids[1:]:
            record = projects[project_id]
            yield indicators_copied.at(
                record,
                "indicators",
                value="",
                other_project=first["project"],
                other_file=first["file"],
            )
