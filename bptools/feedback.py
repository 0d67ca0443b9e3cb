"""Feedback for departments: a copy of each workbook that has anomalies, with every offending
cell highlighted and commented, and a 审核意见 sheet listing them in front.

The copy is the department's own package with marks patched in (`bptools.marks`): every
member the marks do not change is copied byte for byte, so dropdowns, images, charts,
extensions, defined names, macros and formula results stay as the department had them.
The original is only read. A department can fix the copy and send it back: the 审核意见
sheet is not a project table and is ignored when the copy is read again, and the next
round's copy replaces it and our earlier comments.

Legacy formats (.xls, .xlsb, .ods), and packages laid out in ways the patch does not know,
get a workbook holding only the 审核意见 sheet, which says why.

A project replaced by a newer file's copy (rule BP902) is not the department's to fix: a file
gets no copy when all its projects were replaced or all its findings are on replaced sheets;
in a copy made for other findings, BP902 is listed (and marked) like any other finding, so
the department sees which of its sheets no longer count.
"""

from __future__ import annotations

import hashlib
import io
import threading
import zipfile
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import WorkbookError
from .fingerprint import code_digest
from .marks import AUTHOR, is_macro_content, is_macro_workbook, mark_copy, opinions_only
from .opinions import OPINION_SHEET
from .package import check_sizes, sniff
from .parallel import run_each
from .patch.parts import CONTENT_TYPES, Parts
from .patch.workbook import new_package
from .pipeline import Consolidation, FileStatus
from .rules import Finding
from .write.output import DirectOutput, Output

FEEDBACK_DIR = "反馈"
COPY_MARK = "（审核意见）"  # appended to the stem of every file we write
SUPERSEDED = "BP902"

_LEGACY_FORMATS = {
    "xls": "Excel 97-2003（.xls）格式",
    "xlsb": "Excel 二进制（.xlsb）格式",
    "ods": ".ods 格式",
}


class Stopped(Exception):
    """The copies were abandoned: another output of the run failed."""


@dataclass(frozen=True)
class _Job:
    """One copy to make: from the file at `path`, for `findings`."""

    path: Path
    findings: tuple[Finding, ...]
    unit: str
    file: str
    year: int | None
    digest: str  # the sha256 of the file's bytes as read ("" when it was not)


@dataclass(frozen=True)
class _Copy:
    content: bytes
    suffix: str  # ".xlsx" or ".xlsm"


def write_feedback(
    result: Consolidation,
    outdir: Path,
    *,
    out: Output | None = None,
    jobs: int | None = None,
    stop: threading.Event | None = None,
    alongside: threading.Event | None = None,
) -> list[Path]:
    """Write a feedback copy of each input file that has findings into `outdir`/反馈.

    Returns the files written, in input order. Files that could not be read get none (the
    consolidated workbook lists them), and neither do clean files. Copies of earlier runs
    left in the folder for files that no longer need one are removed (never an input file).
    Copies are made in `jobs` processes (default: one per processor) when there are many.
    With `alongside` (this process writes other outputs meanwhile) the worker processes
    make the copies on their own until it is set. Once `stop` is set no copy is written
    any more, and `Stopped` is raised.
    """
    folder = outdir / FEEDBACK_DIR
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for finding in result.findings:
        by_file[finding.file].append(finding)
    here = folder.resolve()
    inputs = {p.name.lower() for p in (s.path.resolve() for s in result.files) if p.parent == here}
    taken = set(inputs)
    out = out or DirectOutput()
    units = _first_units(result)
    work = [
        _Job(s.path, tuple(found), _unit(units, s.label, found), s.label, result.year, s.digest)
        for s in result.files
        if needs_copy(s, found := by_file.get(s.label, []))
    ]
    keys = [_key(job) for job in work]
    kept = [_kept(folder, job, key, taken) for job, key in zip(work, keys, strict=True)]
    todo = [n for n, name in enumerate(kept) if name is None]
    # Named in input order before any is made, so that each is written as soon as it is.
    names = {n: _unique(feedback_name(work[n].path, _suffix(work[n].path)), taken) for n in todo}
    lend_hand = True if alongside is None else alongside
    for n, copy in run_each(make_copies, [work[n] for n in todo], jobs=jobs, lend_hand=lend_hand):
        if stop is not None and stop.is_set():
            raise Stopped
        job = todo[n]
        name = names[job]
        if not name.endswith(copy.suffix):  # a macro workbook the patch could not mark
            name = _unique(feedback_name(work[job].path, copy.suffix), taken)
        with out.file(folder / name) as tmp:
            tmp.write_bytes(_stamped(copy.content, keys[job]))
        kept[job] = name
    written = [folder / name for name in kept if name is not None]
    _remove_stale(folder, written, inputs, out)
    return written


def _suffix(path: Path) -> str:
    """The suffix the copy of `path` will have, as its package tells."""
    try:
        with zipfile.ZipFile(path) as archive:
            return ".xlsm" if is_macro_content(archive.read(CONTENT_TYPES)) else ".xlsx"
    except Exception:  # unreadable or damaged since: the copy lists the findings only
        return ".xlsx"


def make_copies(jobs: list[_Job]) -> list[_Copy]:
    return [make_copy(job) for job in jobs]


def _key(job: _Job) -> bytes:
    """What a copy is made from: the file's bytes (their digest, as read), its findings,
    this code. An earlier copy stamped with the same key is the copy this run would
    write."""
    digest = hashlib.sha256(code_digest().encode())
    digest.update(job.digest.encode() if job.digest else b"unread")
    described = repr((job.unit, job.file, job.year, job.findings))  # every field of each
    digest.update(described.encode("utf-8", "surrogatepass"))
    return b"bptools-feedback " + digest.hexdigest().encode()


def _kept(folder: Path, job: _Job, key: bytes, taken: set[str]) -> str | None:
    """The name of an earlier run's copy for `job` that can stay as it is, if any (the name
    is then taken)."""
    for suffix in (".xlsx", ".xlsm"):
        name = feedback_name(job.path, suffix)
        if name.lower() in taken:
            continue
        try:
            with zipfile.ZipFile(folder / name) as archive:
                if archive.comment == key:
                    taken.add(name.lower())
                    return name
        except (OSError, zipfile.BadZipFile, ValueError):
            continue
    return None


def _stamped(content: bytes, key: bytes) -> bytes:
    """The zip file with `key` as its comment (office programs ignore it)."""
    buffer = io.BytesIO(content)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.comment = key
    return buffer.getvalue()


def needs_copy(status: FileStatus, findings: Sequence[Finding]) -> bool:
    """Whether a file gets a feedback copy: it was read, and it has findings that are not
    only about projects a newer file replaced."""
    if status.error is not None or (status.projects and status.superseded == status.projects):
        return False
    replaced = {f.sheet for f in findings if f.rule_id == SUPERSEDED}
    return any(f.sheet not in replaced for f in findings)


def feedback_name(path: Path, suffix: str) -> str:
    """<原文件名>（审核意见）.xlsx; a copy sent back and reviewed again keeps one mark."""
    stem = path.stem
    while stem.endswith(COPY_MARK):
        stem = stem[: -len(COPY_MARK)]
    return f"{stem}{COPY_MARK}{suffix}"


# --- One file ------------------------------------------------------------------------------


def make_copy(job: _Job) -> _Copy:
    """The department's workbook with its cells marked; where that copy cannot be made, a
    workbook holding only the 审核意见 sheet, which says why."""
    opinions = {"unit": job.unit, "file": job.file, "year": job.year}
    findings = list(job.findings)
    parts, reason = _load(job.path)
    if parts is not None:
        try:
            suffix = ".xlsm" if is_macro_workbook(parts) else ".xlsx"
            mark_copy(parts, findings, **opinions)
            return _Copy(parts.content(), suffix)
        # A package laid out unlike anything the patch knows (or a defect of ours): the
        # department still gets the list of its findings.
        except Exception:
            reason = "原文件的结构特殊，程序无法在副本中标注单元格"
    only = new_package()
    opinions_only(only, findings, **opinions, note=f"本工作簿只含审核意见：{reason}")
    return _Copy(only.content(), ".xlsx")


def _load(path: Path) -> tuple[Parts | None, str]:
    """The package to patch, or None and why it cannot be copied."""
    try:
        if sniff(path) != "zip":
            return None, f"原文件为 {_LEGACY_FORMATS['xls']}，无法在副本中标注单元格"
        with zipfile.ZipFile(path) as archive:
            check_sizes(archive.infolist())
        parts = Parts.read(path)
    except WorkbookError as exc:
        return None, f"原文件无法复制（{exc}）"
    except OSError:  # moved or locked on the share since it was read
        return None, "汇总时原文件已无法打开，无法复制"
    except Exception:  # damaged since it was read
        return None, "原文件已损坏，无法复制"
    if "xl/workbook.bin" in parts:
        return None, f"原文件为 {_LEGACY_FORMATS['xlsb']}，无法在副本中标注单元格"
    if "mimetype" in parts:
        return None, f"原文件为 {_LEGACY_FORMATS['ods']}，无法在副本中标注单元格"
    return parts, ""


def _unique(name: str, taken: set[str]) -> str:
    """`name`, or name（2）… when another input of the run has the same file name."""
    stem, dot, suffix = name.rpartition(".")
    candidate, n = name, 2
    while candidate.lower() in taken:
        candidate = f"{stem}（{n}）{dot}{suffix}"
        n += 1
    taken.add(candidate.lower())
    return candidate


def _remove_stale(folder: Path, written: list[Path], inputs: set[str], out: Output) -> None:
    """Remove the copies in `folder` this run did not write; never an input (`inputs`: the
    lower-case names of those in `folder`)."""
    if not folder.is_dir():
        return
    keep = {p.name.lower() for p in written} | inputs
    for path in folder.iterdir():
        ours = COPY_MARK in path.stem and path.suffix.lower() in (".xlsx", ".xlsm")
        if ours and path.name.lower() not in keep and path.is_file():
            out.remove(path)


def _first_units(result: Consolidation) -> dict[str, str]:
    """The department of each file's first project that names one."""
    projects = result.batch.projects
    units: dict[str, str] = {}
    for file, unit in zip(projects["file"], projects["unit_label"], strict=True):
        if unit:
            units.setdefault(file, str(unit))
    return units


def _unit(units: dict[str, str], label: str, findings: Sequence[Finding]) -> str:
    return units.get(label) or next((f.unit for f in findings if f.unit), "")


__all__ = [
    "AUTHOR",
    "FEEDBACK_DIR",
    "OPINION_SHEET",
    "feedback_name",
    "needs_copy",
    "write_feedback",
]
