"""Expand what the clerk names on the command line into the files to read.

Files, folders and glob patterns are expanded here rather than by the shell: cmd.exe and
PowerShell pass `*.xlsx` through unexpanded.
"""

from __future__ import annotations

import glob
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"})
_GLOB_CHARS = frozenset("*?[")


@dataclass
class Inputs:
    """The files to read, and what was passed over (counted, never read)."""

    files: list[Path] = field(default_factory=list)
    lock_files: list[Path] = field(default_factory=list)
    not_workbooks: list[Path] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)


def is_lock_file(path: Path) -> bool:
    """Excel/WPS (`~$name.xlsx`) and LibreOffice (`.~lock.name.xlsx#`) lock files."""
    return path.name.startswith(("~$", ".~lock.", ".~bptools-"))


def collect_inputs(items: Sequence[str | Path], *, exclude: Iterable[Path] = ()) -> Inputs:
    """Files, folders (their files, not sub-folders) and glob patterns, in a stable order.

    `exclude` names folders never to read from (our own output folder).
    """
    excluded = [p.resolve() for p in exclude]
    found = Inputs()
    seen: set[Path] = set()
    for item in items:
        for path in _expand(item, found):
            resolved = path.resolve()
            if resolved in seen or any(resolved.is_relative_to(e) for e in excluded):
                continue
            seen.add(resolved)
            if is_lock_file(path):
                found.lock_files.append(path)
            elif path.suffix.lower() not in WORKBOOK_SUFFIXES:
                found.not_workbooks.append(path)
            else:
                found.files.append(path)
    return found


def _expand(item: str | Path, found: Inputs) -> list[Path]:
    path = Path(item)
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.is_file())
    if path.is_file():
        return [path]
    if _GLOB_CHARS & set(str(item)):
        # Path.glob takes no absolute patterns; the clerk's may be absolute.
        matches = sorted(Path(p) for p in glob.glob(str(item)))  # noqa: PTH207
        files = [p for p in matches if p.is_file()]
        if files:
            return files
    found.unmatched.append(str(item))
    return []
