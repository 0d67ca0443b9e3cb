"""Shared fixtures: the samples, and workbooks written from the schema by our own template."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

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
