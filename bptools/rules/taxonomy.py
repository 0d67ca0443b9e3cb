"""BP401–BP409, BP415: 一级/二级指标 against the taxonomy (both frameworks accepted)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd

from ..normalize import is_blank
from ..schema import QUALITATIVE, TAXONOMY
from . import rule
from .base import Batch, Finding, Severity, records
from .vocab import (
    BENEFIT,
    COST,
    OUTPUT,
    QUANTITY,
    SATISFACTION,
    TIMELINESS,
)


@rule(
    "BP401",
    "level1-unknown",
    Severity.ERROR,
    title="一级指标不规范",
    message="一级指标“{value}”不在规定范围内（{allowed}）",
    hint="一级指标请从下拉列表选择：产出指标、效益指标、满意度指标、成本指标。",
    advice="请把一级指标“{value}”改为：{allowed}之一。",
    description="一级指标只能是产出指标、效益指标、满意度指标或成本指标。"
    "定为错误：一级指标不在指标体系内，无法归类评价。",
)
def level1_unknown(batch: Batch) -> Iterator[Finding]:
    indicators = batch.indicators
    typed = ~indicators["level1__raw"].map(is_blank)
    bad = typed & ~indicators["level1"].isin(TAXONOMY)
    for record in records(indicators[bad]):
        yield level1_unknown.at(record, "level1", allowed="、".join(TAXONOMY))


@rule(
    "BP402",
    "level2-mismatch",
    Severity.ERROR,
    title="二级指标与一级指标不匹配",
    message="二级指标“{value}”不属于“{level1}”，应为：{allowed}",
    hint="先选一级指标，再从下拉列表中选择该一级指标下的二级指标。",
    advice="请把二级指标“{value}”改为“{level1}”下的：{allowed}之一。",
    description="二级指标必须属于所填的一级指标（新旧两套指标体系均可，"
    "如产出指标下的成本指标或一级的成本指标）。"
    "定为错误：二级指标与一级指标对不上，无法归类评价。",
)
def level2_mismatch(batch: Batch) -> Iterator[Finding]:
    indicators = batch.indicators
    known = indicators["level1"].isin(TAXONOMY) & ~indicators["level2__raw"].map(is_blank)
    for record in records(indicators[known]):
        allowed = TAXONOMY[record["level1"]]
        if record["level2"] not in allowed:
            yield level2_mismatch.at(
                record, "level2", level1=record["level1"], allowed="、".join(allowed)
            )


OUTPUT_COST = COST  # the 二级 of the older framework has the 一级's name
ECONOMIC_COST = "经济成本指标"


def _framework_rows(kinds: pd.Series, level2: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Masks of the rows (of their 一级 `kinds` and 二级) that place cost: as a 一级 (2021
    framework), under 产出 (older)."""
    return kinds.eq(COST), kinds.eq(OUTPUT) & level2.eq(OUTPUT_COST)


def _framework_projects(batch: Batch) -> tuple[set[str], set[str]]:
    """The projects that place cost as a 一级, and those that place it under 产出."""

    def build(batch: Batch) -> tuple[set[str], set[str]]:
        as_level1, under_output = _framework_rows(batch.kinds, batch.indicators["level2"])
        return batch.projects_where(as_level1), batch.projects_where(under_output)

    return batch.shared("cost-frameworks", build)


def _kind_projects(batch: Batch) -> dict[str, set[str]]:
    """For each 一级指标, the projects with an indicator of it."""
    return batch.shared(
        "kind-projects", lambda b: {kind: b.projects_where(b.kinds.eq(kind)) for kind in TAXONOMY}
    )


def _classified(batch: Batch) -> set[str]:
    """Projects whose every indicator row has a recognisable 一级指标.

    A row with no recognisable 一级 or 二级 (reported by BP104/BP401/BP402) could be the
    missing kind, so tables holding one are not judged on what they lack.
    """
    return batch.shared("classified", lambda b: b.projects_where(b.kinds.ne(""), every=True))


@rule(
    "BP403",
    "framework-mix",
    Severity.ERROR,
    title="一张表混用两套指标体系",
    message="本表已把成本指标作为一级指标（如“{name}”），又在产出指标下填了二级指标“{value}”",
    hint="同一张表只能用一套指标体系：要么把成本指标作为一级指标（下设经济成本、社会成本、"
    "生态环境成本指标），要么放在产出指标下作为二级指标，不能两种都用。",
    description="成本指标作为一级指标（财预〔2021〕101号）和作为产出指标下的二级指标"
    "（旧指标体系）不能在同一张表中同时出现。"
    "定为错误：一张表同时用两套体系，成本指标会被重复或错误归类。",
)
def framework_mix(batch: Batch) -> Iterator[Finding]:
    as_level1_ids, under_output_ids = _framework_projects(batch)
    for _, rows in batch.tables_of(as_level1_ids & under_output_ids):
        as_level1, under_output = _framework_rows(rows["kind"], rows["level2"])
        first = rows[as_level1].iloc[0]
        yield framework_mix.at(
            rows[under_output].iloc[0].to_dict(),
            "level2",
            name=first["name"],
            related=first["level1__cell"],
        )


@rule(
    "BP404",
    "old-cost-framework",
    Severity.INFO,
    title="成本指标用的是旧指标体系",
    message="本表把成本指标“{name}”放在产出指标下（旧指标体系）",
    hint="按财预〔2021〕101号，成本指标是一级指标，下设经济成本、社会成本、生态环境成本指标；"
    "财政局没有另行要求的，建议改用新的指标体系。",
    advice="建议把“{name}”的一级指标改为“成本指标”、二级指标改为“经济成本指标”"
    "（财预〔2021〕101号）。",
    description="把成本指标作为产出指标下的二级指标，是财预〔2015〕88号的旧指标体系；"
    "财预〔2021〕101号起成本指标是一级指标。定为提示：两套体系都还在用，只建议统一到新体系。",
)
def old_cost_framework(batch: Batch) -> Iterator[Finding]:
    as_level1, under_output = _framework_projects(batch)
    for _, rows in batch.tables_of(under_output - as_level1):  # both at once is BP403's
        first = rows[_framework_rows(rows["kind"], rows["level2"])[1]].iloc[0].to_dict()
        yield old_cost_framework.at(first, "level2", name=first["name"])


def _present(batch: Batch, record: dict[str, Any]) -> str:
    """The 一级指标 a project has, in the taxonomy's order (产出、效益、满意度、成本)."""
    projects = _kind_projects(batch)
    return "、".join(kind for kind in TAXONOMY if record["project_id"] in projects[kind])


def _missing_kind(batch: Batch, kind: str) -> Iterator[tuple[dict[str, Any], str]]:
    """Tables without a `kind` indicator, with the 一级指标 they do have."""
    for record, _ in batch.tables_of(_classified(batch) - _kind_projects(batch)[kind]):
        yield record, _present(batch, record)


@rule(
    "BP405",
    "output-missing",
    Severity.ERROR,
    title="缺少产出指标",
    message="没有产出指标（已填的一级指标：“{value}”）",
    hint="请增加产出指标，写明项目当年要完成的数量、质量、时效等。",
    description="每个项目至少要有一个产出指标。"
    "定为错误：绩效目标必须有产出指标，预算系统同样要求。",
)
def output_missing(batch: Batch) -> Iterator[Finding]:
    for record, present in _missing_kind(batch, OUTPUT):
        yield output_missing.at(record, "indicators", value=present)


@rule(
    "BP406",
    "benefit-missing",
    Severity.ERROR,
    title="缺少效益指标",
    message="没有效益指标（已填的一级指标：“{value}”）",
    hint="请增加效益指标，写明项目实施后产生的经济、社会、生态效益或可持续影响。",
    description="每个项目至少要有一个效益指标。"
    "定为错误：绩效目标必须有效益指标，预算系统同样要求。",
)
def benefit_missing(batch: Batch) -> Iterator[Finding]:
    for record, present in _missing_kind(batch, BENEFIT):
        yield benefit_missing.at(record, "indicators", value=present)


@rule(
    "BP407",
    "satisfaction-missing",
    Severity.WARNING,
    title="缺少满意度指标",
    message="没有满意度指标（已填的一级指标：“{value}”）",
    hint="请增加服务对象满意度指标（如“受益群众满意度 ≥ 90%”）；"
    "项目确实没有服务对象的，请在报送时说明。",
    advice="请增加一个服务对象满意度指标，如“受益群众满意度 ≥ 90%”；确实没有服务对象的，请在报送"
    "时说明。",
    description="项目一般应设置服务对象满意度指标。"
    "定为警告：一般应有满意度指标，确实没有服务对象的可以说明。",
)
def satisfaction_missing(batch: Batch) -> Iterator[Finding]:
    for record, present in _missing_kind(batch, SATISFACTION):
        yield satisfaction_missing.at(record, "indicators", value=present)


@rule(
    "BP408",
    "output-kinds",
    Severity.INFO,
    title="产出指标不全",
    message="产出指标中没有“{value}”",
    hint="产出指标一般应同时包括数量、质量和时效指标；确实无法设置的可不补。",
    advice="请在产出指标下补充{value}，如“按期完成率 ＝ 100%”“验收合格率 ≥ 95%”；确实无法设置的可"
    "不补。",
    description="产出指标应覆盖数量指标、质量指标和时效指标。"
    "定为提示：最严格的要求才要求三类齐全，只提醒补充。",
    params={"kinds": [QUANTITY, "质量指标", TIMELINESS]},
)
def output_kinds(batch: Batch) -> Iterator[Finding]:
    kinds = output_kinds.param(batch, "kinds")
    output, level2 = batch.kinds.eq(OUTPUT), batch.indicators["level2"]
    # No 产出 at all is BP405's; an unknown 二级 is BP402's or BP104's.
    known = batch.projects_where(~output | level2.isin(TAXONOMY[OUTPUT]), every=True)
    having = {kind: batch.projects_where(output & level2.eq(kind)) for kind in kinds}
    for record, _ in batch.tables_of(_classified(batch) & _kind_projects(batch)[OUTPUT] & known):
        missing = [k for k in kinds if record["project_id"] not in having[k]]
        if missing:
            yield output_kinds.at(record, "indicators", value="、".join(missing))


@rule(
    "BP409",
    "cost-missing",
    Severity.INFO,
    title="没有成本指标",
    message="没有成本指标（已填的一级指标：“{value}”）",
    hint="可增加成本指标（按财预〔2021〕101号，一级“成本指标”下的经济成本指标），"
    "如单位成本、总成本控制数（万元）。",
    advice="可增加一个成本指标，如“单位成本 ≤ ×× 元”“总成本 ≤ ×× 万元”（一级“成本指标”下的经济成"
    "本指标）。",
    description="项目宜设置成本指标（作为一级指标或产出指标下的二级指标均可）。"
    "定为提示：成本指标宜设但不强制。",
)
def cost_missing(batch: Batch) -> Iterator[Finding]:
    as_level1, under_output = _framework_projects(batch)
    for record, _ in batch.tables_of(_classified(batch) - as_level1 - under_output):
        yield cost_missing.at(record, "indicators", value=_present(batch, record))


@rule(
    "BP415",
    "benefit-all-qualitative",
    Severity.WARNING,
    title="效益指标全部为定性",
    message="本表{which}，没有可衡量的效益",
    hint="请至少设置一个定量的效益指标（如覆盖率、增收金额、发生率的下降），写明比较符号和数值。",
    advice="请至少把一个效益指标写成定量的，衡量项目给服务对象或社会带来的效果（受益面、"
    "达标程度、增长或下降的幅度等），写明比较符号、数值和计量单位。",
    description="效益指标不能全部是定性指标，至少应有一个可量化的效益指标。"
    "定为警告：没有可量化的效益就无法评价效果，必须补充。同一指标的指标值只有方向或是笼统"
    "的等级词时一并指出。",
    folds=("BP703", "BP506", "BP507"),
)
def benefit_all_qualitative(batch: Batch) -> Iterator[Finding]:
    is_benefit = batch.kinds.eq(BENEFIT)
    qualitative = batch.indicators["op"].eq(QUALITATIVE)
    all_qualitative = batch.projects_where(~is_benefit | qualitative, every=True)
    for _, rows in batch.tables_of(_kind_projects(batch)[BENEFIT] & all_qualitative):
        benefit = rows[rows["kind"].eq(BENEFIT)]
        first = benefit.iloc[0].to_dict()
        name, value = first["name"], first["target"]
        if len(benefit) == 1:
            which = f"唯一的效益指标“{name}”是定性指标（指标值“{value}”）"
        else:
            which = f"的 {len(benefit)} 个效益指标都是定性指标（如“{name}”为“{value}”）"
        yield benefit_all_qualitative.at(first, "op", which=which)
