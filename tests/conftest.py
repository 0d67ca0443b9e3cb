"""Shared fixtures: the samples, and workbooks written from the schema by our own template."""

from __future__ import annotations

import dataclasses
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from bptools import Consolidation, Finding, consolidate
from bptools.model import Project
from bptools.samples import load_projects
from bptools.template import write_template

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
# The department workbooks; samples/data/ beside them holds the transcription they are made
# from, which a merge of the whole folder would list as files that are not workbooks.
SAMPLE_FILES = sorted(SAMPLES.glob("*.xlsx"))
SAMPLE_GLOB = str(SAMPLES / "*.xlsx")
SAMPLE_DATA = SAMPLES / "data" / "2023.yaml"
# Text extracted from the published PDF (a copy of shared/seed/000_238168cf31c666a8.txt).
SEED = SAMPLES / "data" / "2023-published.txt"


@pytest.fixture(scope="session")
def sample_projects() -> list[Project]:
    return load_projects(SAMPLE_DATA)[1]


@pytest.fixture
def project(sample_projects: list[Project]) -> Project:
    """The first table of the 2023 document (组织部, 碚有引力专项资金)."""
    return sample_projects[0]


MakeWorkbook = Callable[..., Path]


@pytest.fixture
def make_workbook(tmp_path: Path) -> MakeWorkbook:
    """Write a department workbook holding `projects`, as a department would have filled it.

    Header fields and indicator cells can be overridden per call:
    make_workbook(project, budget="abc", indicators={0: {"weight": -5}});
    indicators_all replaces the whole indicator table.
    """
    counter = iter(range(1000))

    def make(
        *projects: Project,
        name: str | None = None,
        year: int = 2023,
        indicators: dict[int, dict[str, object]] | None = None,
        indicators_all: tuple[object, ...] | None = None,
        **fields: object,
    ) -> Path:
        changed = []
        for each in projects:
            rows = list(each.indicators if indicators_all is None else indicators_all)
            for index, updates in (indicators or {}).items():
                rows[index] = dataclasses.replace(rows[index], **updates)
            changed.append(dataclasses.replace(each, indicators=tuple(rows), **fields))
        path = tmp_path / (name or f"workbook{next(counter)}.xlsx")
        return write_template(
            path, year, unit=changed[0].unit if changed else "", projects=changed
        )

    return make


@pytest.fixture
def findings(make_workbook: MakeWorkbook) -> Callable[..., list[Finding]]:
    """Findings of a workbook made with `make_workbook` (same arguments), optionally only
    those whose rule id starts with `rule` (findings(project, rule="BP5", budget="x"))."""

    def run(*projects: Project, rule: str = "", **changes: object) -> list[Finding]:
        path = make_workbook(*projects, **changes)
        return [f for f in consolidate([path]).findings if f.rule_id.startswith(rule)]

    return run


@pytest.fixture(scope="session")
def sample_result() -> Consolidation:
    """The samples merged once per test session (treat as read-only)."""
    return consolidate(SAMPLE_FILES)


def build_inbox(folder: Path, projects: list[Project]) -> Path:
    """The samples in `folder`, with what else a bureau's inbox gets: a department's second
    version with two of its tables (one changed), a department code under another name, a
    department name under another code (both with tables of other departments), one of
    another year, a copy cut short, an empty file and a file that is not a workbook."""
    folder.mkdir(parents=True)
    for path in SAMPLE_FILES:
        shutil.copy(path, folder / path.name)
    by_unit: dict[str, list[Project]] = {}
    for each in projects:
        by_unit.setdefault(each.unit, []).append(each)
    second = by_unit["404-重庆市北碚区残疾人联合会"][:2]
    second[0] = dataclasses.replace(second[0], overview=second[0].overview + "（修改）")
    extra = {
        "404-重庆市北碚区残疾人联合会（第二版）.xlsx": (2023, second[0].unit, second),
        "改名.xlsx": (
            2023,
            "106-北碚区委宣传部",
            by_unit["107-中国共产党重庆市北碚区委员会组织部"],
        ),
        "改码.xlsx": (2023, "999-重庆市北碚区信访办公室", by_unit["111-重庆市北碚区信访办公室"]),
        "往年.xlsx": (2022, "302-重庆市北碚区林业局", by_unit["302-重庆市北碚区林业局"]),
    }
    for name, (year, unit, tables) in extra.items():
        own = [dataclasses.replace(p, unit=unit) for p in tables]
        write_template(folder / name, year, unit=unit, projects=own)
    data = SAMPLE_FILES[0].read_bytes()
    (folder / "截断.xlsx").write_bytes(data[: len(data) // 2])
    (folder / "空.xlsx").write_bytes(b"")
    (folder / "说明.docx").write_text("不是工作簿", encoding="utf-8")
    for n, path in enumerate(
        sorted(folder.iterdir())
    ):  # distinct times: the second version is newest
        stamp = 1.7e9 + (10_000 if "第二版" in path.name else n)
        os.utime(path, (stamp, stamp))
    return folder


@pytest.fixture(scope="session")
def inbox_original(
    tmp_path_factory: pytest.TempPathFactory, sample_projects: list[Project]
) -> Path:
    return build_inbox(tmp_path_factory.mktemp("inbox") / "收件箱", sample_projects)


@pytest.fixture
def inbox(inbox_original: Path, tmp_path: Path) -> Path:
    """A copy of the inbox of `build_inbox` of the test's own (times kept)."""
    return Path(shutil.copytree(inbox_original, tmp_path / "收件箱"))


def assert_same(result: Consolidation, expected: Consolidation) -> None:
    """The same findings in the same order, the same file statuses and the same frames."""
    assert result.to_dict() == expected.to_dict()
    assert result.findings == expected.findings
    assert [f.params for f in result.findings] == [f.params for f in expected.findings]
    assert result.files == expected.files
    assert result.year == expected.year
    pd.testing.assert_frame_equal(result.batch.projects, expected.batch.projects)
    pd.testing.assert_frame_equal(result.batch.indicators, expected.batch.indicators)
