"""Build the sample department workbooks from the transcription of the 2023 document.

`samples/data/2023.yaml` holds the 29 published tables; each department gets the template
pre-filled with its tables, as if it had typed them in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .model import Indicator, Project
from .template import workbook_name, write_template


def load_projects(path: Path) -> tuple[int, list[Project]]:
    """The budget year and the tables of a transcription file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return int(data["year"]), [_project(item) for item in data["projects"]]


def _project(item: dict[str, Any]) -> Project:
    return Project(
        unit=item["unit"],
        name=item["name"],
        supervisor=item["supervisor"],
        exec_weight=item["exec_weight"],
        retained=item["retained"],
        budget=item["budget"],
        subsidy=item["subsidy"],
        overview=item["overview"],
        basis=tuple(item["basis"]),
        goals=item["goals"],
        indicators=tuple(Indicator(*row) for row in item["indicators"]),
    )


def build_samples(data: Path, outdir: Path) -> list[Path]:
    """Write one workbook per department into `outdir`; return their paths."""
    year, projects = load_projects(data)
    by_unit: dict[str, list[Project]] = {}
    for project in projects:
        by_unit.setdefault(project.unit, []).append(project)
    written = []
    for unit, tables in by_unit.items():
        path = outdir / workbook_name(unit)
        written.append(write_template(path, year, unit=unit, projects=tables, reproducible=True))
    return written


def main(argv: list[str] | None = None) -> None:
    """python -m bptools.samples DATA.yaml OUTDIR"""
    import sys

    data, outdir = (argv if argv is not None else sys.argv[1:])[:2]
    for path in build_samples(Path(data), Path(outdir)):
        print(path)


if __name__ == "__main__":
    main()
