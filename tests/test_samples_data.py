"""The transcription of the 2023 document against the published text, and the sample
workbooks against the transcription."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from bptools.model import Project
from bptools.samples import build_samples

from .conftest import SAMPLE_DATA, SAMPLES, SEED

TITLE = "年区级重点专项绩效目标表（一级项目）"
INDICATOR_HEADER = "绩效指标一级指标二级指标三级指标计量单位指标性质指标值权重（%）是否核心指标"


def squash(text: object) -> str:
    """Whitespace removed: the PDF extraction broke cells across lines at arbitrary points."""
    return re.sub(r"\s+", "", str(text))


def published_tables() -> list[str]:
    return [squash(part) for part in SEED.read_text(encoding="utf-8").split(TITLE)[1:]]


def pieces(project: Project) -> list[tuple[str, str]]:
    """Every published piece of a table, as the transcription says it reads, in order."""
    weight = project.exec_weight
    found = [
        ("编制单位", f"编制单位：{project.unit}单位：万元"),
        ("项目名称/业务主管部门", f"一级项目名称{project.name}业务主管部门{project.supervisor}"),
        ("预算执行率权重/部门留用", f"预算执行率权重{weight}部门留用{project.retained}"),
        ("当年预算金额/补助街镇", f"当年预算金额{project.budget}补助街镇{project.subsidy}"),
        ("项目概述", "项目概述" + project.overview),
        ("立项依据", "立项依据" + "".join(project.basis)),
        ("当年绩效目标", "当年绩效目标" + project.goals),
        ("指标表头", INDICATOR_HEADER),
    ]
    for n, row in enumerate(project.indicators, 1):
        cells = (
            row.level1,
            row.level2,
            row.name,
            row.unit,
            row.op,
            row.target,
            row.weight,
            row.core,
        )
        found.append((f"第 {n} 个指标", "".join(str(c) for c in cells)))
    return [(label, squash(text)) for label, text in found]


def uncovered(project: Project, table: str) -> tuple[list[str], str]:
    """Pieces missing from the published table, and published text no piece accounts for."""
    missing = []
    rest = table
    for label, text in pieces(project):
        at = rest.find(text)
        if at < 0:
            missing.append(f"{label}: {text}")
            continue
        rest = rest[:at] + "|" * len(text) + rest[at + len(text) :]
    leftover = re.sub(r"\|+", " ", rest)
    # What may remain: the year before the title's split point and page numbers.
    leftover = re.sub(r"^2023", "", leftover.strip())
    return missing, re.sub(r"[\d ]", "", leftover)


def test_transcription_has_every_published_table(sample_projects: list[Project]) -> None:
    tables = published_tables()
    assert len(tables) == len(sample_projects) == 29
    assert len({p.unit for p in sample_projects}) == 19
    assert sum(len(p.indicators) for p in sample_projects) == 226


@pytest.mark.parametrize("number", range(1, 30))
def test_transcription_matches_published_table(
    sample_projects: list[Project], number: int
) -> None:
    project = sample_projects[number - 1]
    missing, leftover = uncovered(project, published_tables()[number - 1])
    assert missing == [], f"table {number} ({project.name}): not in the published text"
    assert leftover == "", f"table {number} ({project.name}): published text not transcribed"


def test_cross_check_catches_a_wrong_value(sample_projects: list[Project]) -> None:
    project = sample_projects[0]
    rows = list(project.indicators)
    rows[0] = dataclasses.replace(rows[0], target="96")
    damaged = dataclasses.replace(project, indicators=tuple(rows))
    missing, leftover = uncovered(damaged, published_tables()[0])
    assert missing == ["第 1 个指标: 效益指标社会效益指标发放各项奖补覆盖率%≥9610是"]
    # The published row stays unaccounted for (digits are not compared in the leftover).
    assert leftover == "效益指标社会效益指标发放各项奖补覆盖率%≥是"


def test_sample_workbooks_are_built_from_the_transcription(tmp_path: Path) -> None:
    built = build_samples(SAMPLE_DATA, tmp_path)
    committed = sorted(p.name for p in SAMPLES.glob("*.xlsx"))
    assert sorted(p.name for p in built) == committed, "run `make samples`"
    for path in built:
        assert path.read_bytes() == (SAMPLES / path.name).read_bytes(), (
            f"samples/{path.name} is stale: run `make samples`"
        )
