"""Each department's summary as a workbook of its own, under OUTDIR/部门/: what the
consolidated workbook does when there are too many departments for a sheet each
(`Config.department_sheets`). A department's workbook holds the sheet the consolidated
workbook would have held, its 返回总览 link pointing to the consolidated workbook.

Our workbooks carry a custom document property, so that a later run removes its own stale
ones from 部门/ and nothing else that was put there.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..fingerprint import code_digest
from ..normalize import CONTROLS
from ..parallel import run_each
from ..rules import Finding
from ..stamp import PROPERTY, xlsx_stamp
from ..summary import DepartmentRow, ProjectRow
from ..write.book import new_workbook, safe_sheet_title, sheet_ref, table_formats
from ..write.output import Output
from .book import OVERVIEW, Book, Context
from .department import write_department

DEPARTMENT_DIR = "部门"
BOOK_MARK = ("bptools", "部门汇总")  # the custom property that marks our workbooks
SUFFIX = ".xlsx"
# Characters Windows refuses in a file name, and those an Excel link cannot hold (# ends
# the file part, % starts an escape, [ ] name a workbook in a formula).
_UNSAFE = re.compile(r'[<>:"/\\|?*#%\[\]\x00-\x1f\x7f]')
_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", *(f"{d}{n}" for d in ("com", "lpt") for n in range(1, 10))}
)
# Characters of a name without its suffix: 60 CJK characters are 180 bytes in UTF-8, so the
# name, a （n） and the staging prefix stay within the 255 bytes a file system allows.
MAX_STEM = 60
MAX_PROPERTIES = 65536  # bytes of docProps/custom.xml read to tell whether a file is ours


def book_name(unit: str, taken: set[str]) -> str:
    """The file name of `unit`'s workbook: its name (code-name) made safe on Windows and
    unique without case; `taken` holds the lower-cased names used so far and receives it."""
    stem = _UNSAFE.sub("_", CONTROLS.sub("", unit)).strip().lstrip(".~")
    stem = stem[:MAX_STEM].rstrip(" .") or "部门"
    if stem.split(".")[0].lower() in _RESERVED:
        stem = f"_{stem}"
    name, n = stem, 2
    while (name + SUFFIX).lower() in taken:
        name, n = f"{stem}（{n}）", n + 1
    taken.add((name + SUFFIX).lower())
    return name + SUFFIX


def book_names(departments: Iterable[DepartmentRow]) -> dict[str, str]:
    """Each department's workbook file name, in the departments' order."""
    taken: set[str] = set()
    return {d.unit: book_name(d.unit, taken) for d in departments}


def book_links(names: dict[str, str]) -> dict[str, str]:
    """Links from the consolidated workbook (in OUTDIR) to each department's workbook."""
    return {unit: f"external:{DEPARTMENT_DIR}/{name}" for unit, name in names.items()}


@dataclass(frozen=True)
class _BookJob:
    """A department's workbook to write: what it shows and where it links to (sent to a
    worker process as it is)."""

    department: DepartmentRow
    projects: list[ProjectRow]
    findings: list[Finding]
    paths: dict[str, Path]  # the files it links to
    folder: Path
    back: str
    key: str


def write_department_books(
    book: Book, names: dict[str, str], report: Path, out: Output
) -> list[Path]:
    """Write each named department's workbook into `book.outdir`/部门 (through `out`, as the
    consolidated workbook at `report` is) and return the files written. A thousand are made
    in worker processes (see `bptools.parallel`)."""
    folder = book.outdir / DEPARTMENT_DIR
    back = f"external:../{report.name}#{sheet_ref(OVERVIEW)}!A1"
    place = str(folder.resolve())
    written, jobs, targets = [], [], []
    for department in book.summary.named_departments:
        target = folder / names[department.unit]
        job = _job(book, department, folder, back, place)
        if xlsx_stamp(target) != job.key:  # else an earlier run wrote this very workbook
            jobs.append(job)
            targets.append(target)
        written.append(target)
    for n, content in run_each(make_books, jobs):
        with out.file(targets[n]) as tmp:
            tmp.write_bytes(content)
    return written


def _job(book: Book, department: DepartmentRow, folder: Path, back: str, place: str) -> _BookJob:
    """The department's workbook, keyed by what it shows: its figures, projects and
    findings, the files they link to (from the folder at `place`), the settings and this
    code."""
    unit = department.unit
    projects = book.summary.projects_of(unit)
    findings = book.summary.by_unit.get(unit, [])
    files = sorted({f.file for f in findings} | {p.file for p in projects})
    paths = {file: book.paths[file] for file in files if file in book.paths}
    described = (code_digest(), book.config, place, back, department, projects, findings)
    key = repr((*described, sorted((file, str(path)) for file, path in paths.items())))
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
    return _BookJob(department, projects, findings, paths, folder, back, digest)


def make_books(jobs: list[_BookJob]) -> list[bytes]:
    return [_book(job) for job in jobs]


def _book(job: _BookJob) -> bytes:
    buffer = io.BytesIO()
    # In memory: a small workbook's parts are not worth a temporary file each.
    wb = new_workbook(buffer, in_memory=True)
    wb.set_custom_property(*BOOK_MARK)
    wb.set_custom_property(PROPERTY, job.key)
    context = Context(
        wb=wb,
        f=table_formats(wb),
        outdir=job.folder,
        dept_links={},
        paths=job.paths,
        back=job.back,
    )
    ws = wb.add_worksheet(safe_sheet_title(job.department.unit, set()))
    write_department(context, ws, job.department, job.projects, job.findings)
    wb.close()
    return buffer.getvalue()


def remove_stale_books(
    outdir: Path, written: Sequence[Path], inputs: Iterable[Path], out: Output
) -> None:
    """Remove our workbooks in `outdir`/部门 that this run did not write (never an input
    file, nor a file of someone else's)."""
    folder = outdir / DEPARTMENT_DIR
    if not folder.is_dir():
        return
    here = folder.resolve()
    keep = {p.name.lower() for p in written}  # all in `folder`
    keep |= {p.name.lower() for p in (p.resolve() for p in inputs) if p.parent == here}
    for path in folder.iterdir():
        stale = path.suffix.lower() == SUFFIX and path.name.lower() not in keep
        if stale and path.is_file() and is_department_book(path):
            out.remove(path)


def is_department_book(path: Path) -> bool:
    """Whether `path` is a department workbook bptools wrote (it carries BOOK_MARK)."""
    name, value = BOOK_MARK
    try:
        with zipfile.ZipFile(path) as package:
            part = package.getinfo("docProps/custom.xml")
            if part.file_size > MAX_PROPERTIES:  # not ours: ours is a few hundred bytes
                return False
            custom = package.read(part).decode("utf-8")
    except (OSError, KeyError, ValueError, NotImplementedError, zipfile.BadZipFile, zlib.error):
        return False
    return f'name="{name}"' in custom and f"<vt:lpwstr>{value}</vt:lpwstr>" in custom
