"""A corpus of department workbooks made from the samples, as a city would receive them.

Each workbook is one of the 19 sample departments under a code and name of its own (so no
project supersedes another), written through the template as a department would fill it;
the samples' own faults (the real 2023 document's) come with them, and about one file in a
hundred is damaged (cut short) or not a workbook at all. A corpus is built once per size
and kept: building is not what is measured.
"""

from __future__ import annotations

import dataclasses
import shutil
from collections import defaultdict
from pathlib import Path

from bptools.model import Project
from bptools.samples import load_projects
from bptools.template import write_template

ROOT = Path(__file__).resolve().parent.parent
TRANSCRIPTION = ROOT / "samples" / "data" / "2023.yaml"
DAMAGED_EVERY = 100  # one workbook in this many is cut short, one more is a Word file


def departments() -> tuple[int, list[list[Project]]]:
    """The budget year, and the sample departments with their projects."""
    year, projects = load_projects(TRANSCRIPTION)
    by_unit: dict[str, list[Project]] = defaultdict(list)
    for project in projects:
        by_unit[project.unit].append(project)
    return year, list(by_unit.values())


def build(folder: Path, size: int) -> Path:
    """`size` workbooks in `folder` (reused when it already holds them)."""
    done = folder / ".complete"
    if done.is_file() and done.read_text() == str(size):
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    year, units = departments()
    for n in range(size):
        projects = units[n % len(units)]
        name = projects[0].unit.partition("-")[2]
        unit = f"{n + 1:04d}-{name}（{n // len(units) + 1}）"
        path = folder / f"{unit}.xlsx"
        own = [dataclasses.replace(p, unit=unit) for p in projects]
        write_template(path, year, unit=unit, projects=own, reproducible=True)
        if n % DAMAGED_EVERY == DAMAGED_EVERY - 1:
            data = path.read_bytes()
            path.write_bytes(data[: len(data) // 2])  # cut short, as by a broken copy
        elif n % DAMAGED_EVERY == DAMAGED_EVERY // 2:
            path.with_suffix(".docx").write_bytes(b"PK\x03\x04 not a workbook")
    done.write_text(str(size))
    return folder


def touch_one(folder: Path) -> Path:
    """Resubmit one workbook: the same tables, a changed overview (a new modification)."""
    path = sorted(folder.glob("*.xlsx"))[0]
    year, units = departments()
    unit = path.stem
    projects = [dataclasses.replace(p, unit=unit) for p in units[0]]
    projects[0] = dataclasses.replace(projects[0], overview=projects[0].overview + "（修改）")
    write_template(path, year, unit=unit, projects=projects)
    return path
