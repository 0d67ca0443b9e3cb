"""Feedback for departments: a copy of each workbook that has anomalies, with every offending
cell highlighted and commented, and a 审核意见 sheet listing them in front.

The copy is made with openpyxl from the file's bytes, so the original is never opened for
writing. openpyxl keeps what the template relies on (defined names, the dropdowns that refer
to them, merged cells, print setup, hidden code lists) but drops images, charts and
validations stored as x14 extensions, and formulas lose their cached results (Excel and WPS
recalculate them on opening). A department can fix the copy and send it back: the 审核意见
sheet is not a project table and is ignored when the copy is read again.

Legacy formats (.xls, .xlsb, .ods), which openpyxl cannot load, get a workbook holding only
the 审核意见 sheet.

A project replaced by a newer file's copy (rule BP902) is not the department's to fix: a file
gets no copy when all its projects were replaced or all its findings are on replaced sheets;
in a copy made for other findings, BP902 is listed (and marked) like any other finding, so
the department sees which of its sheets no longer count.
"""

from __future__ import annotations

import io
import math
import re
import warnings
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from .errors import OutputError, WorkbookError
from .limits import MAX_READ_COLS, MAX_READ_ROWS
from .opinions import OPINION_SHEET, write_opinions
from .package import Package, inspect_zip, sniff
from .pipeline import Consolidation, FileStatus
from .rules import Finding, Severity
from .write.cells import clean, outline, severity_fill
from .write.output import DirectOutput, Output
from .write.style import text_width

FEEDBACK_DIR = "反馈"
COPY_MARK = "（审核意见）"  # appended to the stem of every file we write
AUTHOR = "财政局审核"  # our comments' author: an earlier round's comments are recognised by it
SUPERSEDED = "BP902"

_LEGACY_NAMES = {"xls": "Excel 97-2003（.xls）", "xlsb": "Excel 二进制（.xlsb）", "ods": ".ods"}
_CELL_RE = re.compile(r"^[A-Z]{1,3}[1-9][0-9]{0,6}$")
_VBA_PART = "xl/vbaProject.bin"
_COMMENT_WIDTH = 320  # pixels: about 24 Chinese characters a line in the 9-point comment font
_COMMENT_LINE_UNITS = 48  # text_width units (a Chinese character is 2) on one comment line
_COMMENT_LINE_PX = 16


# A marked copy is made by loading and saving the workbook with openpyxl, whose cost grows
# with every cell: beyond these a department gets the list of its findings only.
MAX_MARKED_SHEETS = 60
MAX_MARKED_CELLS = 200_000


@dataclass
class _Mark:
    """What is written on one cell of the copy: the colours of the most severe finding there,
    and one comment paragraph per finding. A cell marked only as another finding's related
    cell gets a dashed outline."""

    severity: Severity
    related_only: bool = True
    paragraphs: list[str] = field(default_factory=list)

    def add(self, severity: Severity, paragraph: str, *, related: bool) -> None:
        if severity.rank < self.severity.rank:
            self.severity = severity
        self.related_only = self.related_only and related
        self.paragraphs.append(paragraph)


def write_feedback(
    result: Consolidation, outdir: Path, *, out: Output | None = None
) -> list[Path]:
    """Write a feedback copy of each input file that has findings into `outdir`/反馈.

    Returns the files written, in input order. Files that could not be read get none (the
    consolidated workbook lists them), and neither do clean files. Copies of earlier runs
    left in the folder for files that no longer need one are removed (never an input file).
    """
    folder = outdir / FEEDBACK_DIR
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for finding in result.findings:
        by_file[finding.file].append(finding)
    inputs = {s.path.resolve() for s in result.files}
    taken = {p.name.lower() for p in inputs if p.parent == folder.resolve()}
    out = out or DirectOutput()
    written: list[Path] = []
    for status in result.files:
        findings = by_file.get(status.label, [])
        if needs_copy(status, findings):
            unit = _department(result, status.label, findings)
            copy = _write_copy(status, findings, unit, result.year, folder, taken, out)
            written.append(copy)
    _remove_stale(folder, written, inputs, out)
    return written


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


def _write_copy(
    status: FileStatus,
    findings: list[Finding],
    unit: str,
    year: int | None,
    folder: Path,
    taken: set[str],
    out: Output,
) -> Path:
    """The department's workbook with its cells marked; where that copy cannot be made (or
    saved), a workbook holding only the 审核意见 sheet, which says why."""
    wb, reason = _load(status.path)
    opinions = {"unit": unit, "file": status.label, "year": year}
    suffix = ".xlsm" if wb is not None and _has_macros(wb) else ".xlsx"
    target = folder / _unique(feedback_name(status.path, suffix), taken)
    if wb is not None:
        try:
            _forget_earlier_round(wb)
            marked = _mark_cells(wb, findings)
            ws = wb.create_sheet(OPINION_SHEET, 0)
            write_opinions(ws, findings, marked, **opinions, note="")
            return _save(wb, target, out)
        except OutputError:
            raise
        # openpyxl fails on values it loaded itself (a 400-digit integer cannot be saved)
        except Exception:
            reason = "原文件中有程序无法写回的内容，无法在副本中标注"
    wb = Workbook()
    ws = wb.active
    ws.title = OPINION_SHEET
    note = f"本工作簿只含审核意见：{reason}"
    write_opinions(ws, findings, set(), **opinions, note=note)
    return _save(wb, target.with_suffix(".xlsx"), out)


def _save(wb: Workbook, target: Path, out: Output) -> Path:
    _activate_first(wb)
    # openpyxl keeps formulas but not their results: have the office suite compute them
    # on opening, so the template's totals do not show 0.
    wb.calculation.fullCalcOnLoad = True
    with out.file(target) as tmp:
        wb.save(tmp)
    return target


def _load(path: Path) -> tuple[Workbook | None, str]:
    """The workbook to annotate, or None and why it cannot be copied."""
    try:
        package = inspect_zip(path) if sniff(path) == "zip" else Package("xls")
        data = io.BytesIO(path.read_bytes())
    except WorkbookError as exc:
        return None, f"原文件无法复制（{exc}）"
    except OSError:  # moved or locked on the share since it was read
        return None, "汇总时原文件已无法打开，无法复制"
    if package.kind != "xlsx":
        return None, f"原文件为 {_LEGACY_NAMES[package.kind]} 格式，无法在副本中标注单元格"
    cells = sum(
        min(s.rows, MAX_READ_ROWS) * min(s.cols, MAX_READ_COLS) for s in package.sheets.values()
    )
    if len(package.sheets) > MAX_MARKED_SHEETS or cells > MAX_MARKED_CELLS:
        # Loading and saving it would take most of a merge: openpyxl costs per cell.
        size = f"{len(package.sheets)} 个工作表，约 {cells:,} 个单元格"
        return None, f"原文件过大（{size}），无法在副本中标注单元格"
    try:
        # openpyxl warns about every extension it drops; the module docstring says which.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            return openpyxl.load_workbook(data, keep_vba=path.suffix.lower() == ".xlsm"), ""
    # openpyxl fails with many unrelated exception types on files other programs accept;
    # the department then still gets the list of findings.
    except Exception:
        return None, "原文件无法由程序复制和标注"


def _has_macros(wb: Workbook) -> bool:
    """keep_vba keeps every part of the package; only a VBA project makes an .xlsm (Excel
    refuses an .xlsm whose content is a plain workbook)."""
    return wb.vba_archive is not None and _VBA_PART in wb.vba_archive.namelist()


def _forget_earlier_round(wb: Workbook) -> None:
    """A copy sent back carries our earlier sheet and comments: drop them, so the new round
    shows only the new findings. (The earlier fills stay: what was there before is lost.)"""
    if OPINION_SHEET not in wb.sheetnames:
        return
    del wb[OPINION_SHEET]
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.comment is not None and cell.comment.author == AUTHOR:
                    cell.comment = None


def _mark_cells(wb: Workbook, findings: Iterable[Finding]) -> set[tuple[str, str]]:
    """Fill and comment each finding's cell (and its related cell); return the (sheet, cell)
    pairs marked, as the findings name them. Findings whose place is not a cell of this
    workbook are only listed."""
    marks: dict[tuple[str, str], _Mark] = {}
    placed: set[tuple[str, str]] = set()
    sheets = {ws.title: ws for ws in wb.worksheets}
    for f in findings:
        ws = sheets.get(f.sheet)
        if ws is None:
            continue
        places = [(f.cell, "")] if _CELL_RE.match(f.cell) else []
        where = f"（相关单元格，问题见 {f.cell}）" if places else "（相关单元格）"
        places += [(c, where) for c in f.related_cells if _CELL_RE.match(c) and c != f.cell]
        for ref, where in places:
            placed.add((ws.title, ref))
            mark = marks.setdefault((ws.title, _area(ws, ref)), _Mark(f.severity))
            mark.add(f.severity, _paragraph(f, where), related=bool(where))
    for (title, area), mark in marks.items():
        _annotate(sheets[title], area, mark)
    return placed


def _area(ws: Worksheet, ref: str) -> str:
    """The merged range holding `ref` ("B7:H7"), or `ref` itself."""
    for merged in ws.merged_cells.ranges:
        if ref in merged:
            return str(merged.coord)
    return ref


def _paragraph(f: Finding, where: str) -> str:
    return f"[{f.severity.value} {f.rule_id}]{where} {f.message}\n修改：{f.hint}"


def _annotate(ws: Worksheet, area: str, mark: _Mark) -> None:
    """Fill and comment the top-left cell (a merged range shows that cell's fill), and
    outline every cell of the area (Excel draws a merged range's outline from them all)."""
    border = outline(mark.severity, dashed=mark.related_only)
    cells = ws[area] if ":" in area else ((ws[area],),)
    for row in cells:
        for each in row:
            each.border = border
    cell = cells[0][0]
    cell.fill = severity_fill(mark.severity)
    text = "\n\n".join(mark.paragraphs)
    if cell.comment is not None:  # the department's own note stays, after ours
        text += f"\n\n原批注：{cell.comment.text}"
    text = clean(text)
    lines = sum(
        max(1, math.ceil(text_width(line) / _COMMENT_LINE_UNITS)) for line in text.split("\n")
    )
    height = min(max(lines * _COMMENT_LINE_PX + 12, 80), 640)
    cell.comment = Comment(text, AUTHOR, height=height, width=_COMMENT_WIDTH)


def _activate_first(wb: Workbook) -> None:
    """Open on the 审核意见 sheet. Only it may be selected: several selected tabs would
    open the workbook with sheets grouped, and edits would go to all of them."""
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = False
    wb.active = 0
    wb.worksheets[0].sheet_view.tabSelected = True
    for view in wb.views:
        view.firstSheet = 0


def _unique(name: str, taken: set[str]) -> str:
    """`name`, or name（2）… when another input of the run has the same file name."""
    stem, dot, suffix = name.rpartition(".")
    candidate, n = name, 2
    while candidate.lower() in taken:
        candidate = f"{stem}（{n}）{dot}{suffix}"
        n += 1
    taken.add(candidate.lower())
    return candidate


def _remove_stale(folder: Path, written: list[Path], inputs: set[Path], out: Output) -> None:
    if not folder.is_dir():
        return
    keep = {p.resolve() for p in written} | inputs
    for path in folder.iterdir():
        ours = COPY_MARK in path.stem and path.suffix.lower() in (".xlsx", ".xlsm")
        if ours and path.is_file() and path.resolve() not in keep:
            out.remove(path)


def _department(result: Consolidation, label: str, findings: Sequence[Finding]) -> str:
    projects = result.batch.projects
    units = [u for u in projects.loc[projects["file"] == label, "unit_label"] if u]
    units += [f.unit for f in findings if f.unit]
    return str(units[0]) if units else ""
