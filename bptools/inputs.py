"""Expand what the clerk names on the command line into the files to read.

Files, folders and glob patterns are expanded here rather than by the shell: cmd.exe and
PowerShell pass `*.xlsx` through unexpanded. Folders are read with their sub-folders (a
shared folder is often organised by department or by round), `**` in a pattern matches
the top level too, and every file found is accounted for: read, skipped as a lock or system
file, or listed as not a workbook.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

# Read as workbooks. WPS saves .et/.ett; a .csv is read only to say it is not the template.
WORKBOOK_SUFFIXES = frozenset(
    {".xlsx", ".xlsm", ".xltx", ".xltm", ".xls", ".xlsb", ".ods", ".et", ".ett", ".csv"}
)
CONFIG_NAME = "bptools.toml"
# Written by operating systems and sync clients beside the files people put in a folder.
_SYSTEM_FILES = frozenset({"thumbs.db", "desktop.ini", ".ds_store", CONFIG_NAME})
_GLOB_CHARS = frozenset("*?[")
# Written while a file is saved, copied or downloaded (Office's ~WRL0005.tmp, browsers').
_TEMPORARY_SUFFIXES = frozenset({".tmp", ".crdownload", ".part", ".partial"})


@dataclass
class Inputs:
    """The files to read, and what was passed over (never read)."""

    files: list[Path] = field(default_factory=list)
    lock_files: list[Path] = field(default_factory=list)  # and system files
    not_workbooks: list[Path] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)


def is_lock_file(path: Path) -> bool:
    """Excel/WPS (`~$name.xlsx`), LibreOffice (`.~lock.name.xlsx#`), our own and other
    temporary files (saving, copying, downloading), and what operating systems leave in
    folders."""
    name = path.name
    if path.suffix.lower() in _TEMPORARY_SUFFIXES:
        return True
    return name.startswith(("~$", ".~lock.", ".~bptools-")) or name.lower() in _SYSTEM_FILES


def collect_inputs(
    items: Sequence[str | Path], *, exclude: Iterable[Path] = (), recursive: bool = True
) -> Inputs:
    """Files, folders (with their sub-folders unless not `recursive`) and glob patterns, in
    a stable order.

    A file named on its own is always read, whatever its name, so that it is told what it
    is; in folders and patterns only workbooks are, the rest are listed. `exclude` names
    folders never to read from (our own output folder).
    """
    excluded = [p.resolve() for p in exclude]
    found = Inputs()
    seen: set[Path] = set()
    for item in items:
        named = Path(item).is_file()
        for path in _expand(item, found, recursive):
            resolved = path.resolve()
            if resolved in seen or any(resolved.is_relative_to(e) for e in excluded):
                continue
            seen.add(resolved)
            if is_lock_file(path):
                found.lock_files.append(path)
            elif named or path.suffix.lower() in WORKBOOK_SUFFIXES:
                found.files.append(path)
            else:
                found.not_workbooks.append(path)
    return found


def _expand(item: str | Path, found: Inputs, recursive: bool) -> list[Path]:
    path = Path(item)
    if path.is_dir():
        return _folder(path, recursive)
    if path.is_file():
        return [path]
    if _GLOB_CHARS & set(str(item)):
        # Path.glob takes no absolute patterns; the clerk's may be absolute.
        matches = sorted(Path(p) for p in glob.glob(str(item), recursive=True))  # noqa: PTH207
        files = [p for p in matches if p.is_file()]
        if files:
            return files
    found.unmatched.append(str(item))
    return []


def _folder(folder: Path, recursive: bool) -> list[Path]:
    """The files of a folder, sub-folders after the files beside them, hidden folders (a
    leading dot: version control, our staging folders) left out."""
    if not recursive:
        return sorted(p for p in folder.iterdir() if p.is_file())
    files: list[Path] = []
    for top, folders, names in os.walk(folder):
        folders[:] = sorted(f for f in folders if not f.startswith("."))
        files += sorted(Path(top) / name for name in names)
    return [p for p in files if p.is_file()]
