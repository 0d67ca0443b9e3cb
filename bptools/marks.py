"""The marked copy of one department workbook: its package patched, not re-saved.

Every member of the package is copied byte for byte except those the marks change: the
marked sheets (new style ids on the marked cells), xl/styles.xml (fills, borders and cell
styles appended), the comments and their VML drawings, the shared strings and the new
审核意见 sheet, xl/workbook.xml, the relationship parts and [Content_Types].xml. What the
department had (dropdowns, x14 extensions, images, charts, defined names, macros, cached
formula results) stays as it was.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .opinions import OPINION_SHEET, opinion_sheet
from .patch.comments import Note, existing_texts, write_notes
from .patch.newsheet import NewSheet
from .patch.parts import CONTENT_TYPES, Parts, PatchError
from .patch.sheet import Area, Sheet, split_ref
from .patch.styles import Styles
from .patch.workbook import SharedStrings, insert_first, remove_sheet, sheet_parts, workbook_part
from .rules import Finding, Severity
from .write import style
from .write.ooxml import clean, fill_xml, outline_xml

AUTHOR = "财政局审核"  # our comments' author: an earlier round's comments are recognised by it
MACRO_TYPE = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
STYLES_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
_CELL_RE = re.compile(r"^[A-Z]{1,3}[1-9][0-9]{0,6}$")
_COMMENT_WIDTH = 320  # pixels: about 24 Chinese characters a line in the 9-point comment font
_COMMENT_LINE_UNITS = 48  # text_width units (a Chinese character is 2) on one comment line
_COMMENT_LINE_PX = 16


@dataclass
class _Mark:
    """What is written on one area of the copy: the colours of the most severe finding
    there, and one comment paragraph per finding. An area marked only as another finding's
    related cell gets a dashed outline."""

    severity: Severity
    related_only: bool = True
    paragraphs: list[str] = field(default_factory=list)

    def add(self, severity: Severity, paragraph: str, *, related: bool) -> None:
        if severity.rank < self.severity.rank:
            self.severity = severity
        self.related_only = self.related_only and related
        self.paragraphs.append(paragraph)


def is_macro_workbook(parts: Parts) -> bool:
    """The package is a macro-enabled workbook (to be named .xlsm), whatever its name."""
    return is_macro_content(parts.get(CONTENT_TYPES))


def is_macro_content(content_types: bytes) -> bool:
    """[Content_Types].xml declares a macro-enabled workbook: only its main part has the
    type."""
    return MACRO_TYPE.encode() in content_types


def mark_copy(
    parts: Parts, findings: list[Finding], *, unit: str, file: str, year: int | None
) -> None:
    """Patch `parts` into the feedback copy: the cells marked and commented, an earlier
    round's sheet and comments gone, the 审核意见 sheet in front."""
    workbook = workbook_part(parts)
    if OPINION_SHEET in dict(sheet_parts(parts, workbook)):
        remove_sheet(parts, workbook, OPINION_SHEET)
    styles_part = _styles_part(parts, workbook)
    styles = Styles(parts.data.get(styles_part))
    marked = _mark_sheets(parts, dict(sheet_parts(parts, workbook)), styles, findings)
    page = opinion_sheet(findings, marked, unit=unit, file=file, year=year, note="")
    _put_first(parts, workbook, styles_part, styles, page)


def opinions_only(
    parts: Parts, findings: list[Finding], *, unit: str, file: str, year: int | None, note: str
) -> None:
    """A package holding only the 审核意见 sheet, which says why (`note`)."""
    workbook = workbook_part(parts)
    styles_part = _styles_part(parts, workbook)
    page = opinion_sheet(findings, set(), unit=unit, file=file, year=year, note=note)
    _put_first(parts, workbook, styles_part, Styles(parts.data.get(styles_part)), page)


def _put_first(
    parts: Parts, workbook: str, styles_part: str, styles: Styles, page: NewSheet
) -> None:
    """The 审核意见 sheet in front, its strings and looks added to the package's."""
    strings = SharedStrings(parts, workbook)
    xml = page.xml(strings, styles)
    strings.save()
    parts.put(styles_part, styles.content())
    insert_first(parts, workbook, OPINION_SHEET, xml, page.defined_names(OPINION_SHEET))


def _styles_part(parts: Parts, workbook: str) -> str:
    for rel in parts.relationships(workbook):
        if rel.type == "styles":
            return rel.target
    name = parts.free_name("xl/styles{}.xml")
    parts.put(name, Styles(None).content())
    parts.declare(name, STYLES_TYPE)
    parts.relate(workbook, "styles", name)
    return name


def _mark_sheets(
    parts: Parts, sheets: dict[str, str], styles: Styles, findings: Iterable[Finding]
) -> set[tuple[str, str]]:
    """Fill, outline and comment each finding's cell (and its related cells) on every
    sheet; return the (sheet, cell) pairs marked, as the findings name them. Findings whose
    place is not a cell of this workbook are only listed."""
    loaded: dict[str, Sheet] = {}
    marks: dict[str, dict[Area, _Mark]] = {}
    placed: set[tuple[str, str]] = set()
    for f in findings:
        if f.sheet not in sheets:
            continue
        places = [(f.cell, "")] if _CELL_RE.match(f.cell) else []
        where = f"（相关单元格，问题见 {f.cell}）" if places else "（相关单元格）"
        places += [(c, where) for c in f.related_cells if _CELL_RE.match(c) and c != f.cell]
        if not places:
            continue
        sheet = loaded.get(f.sheet) or loaded.setdefault(
            f.sheet, Sheet(parts.get(sheets[f.sheet]))
        )
        for ref, where in places:
            placed.add((f.sheet, ref))
            area = sheet.area(*split_ref(ref))
            mark = marks.setdefault(f.sheet, {}).setdefault(area, _Mark(f.severity))
            mark.add(f.severity, _paragraph(f, where), related=bool(where))
    for name, part in sheets.items():
        content = parts.get(part)
        if name in marks:
            _annotate(parts, part, loaded[name], styles, marks[name])
        elif AUTHOR.encode() in _comments_of(parts, part):  # an earlier round's comments
            loaded[name] = Sheet(content)
            write_notes(parts, part, loaded[name], [], AUTHOR)
        elif b"tabSelected" in content:
            loaded[name] = Sheet(content)
        else:
            continue
        loaded[name].unselect()
        parts.put(part, loaded[name].text)
    return placed


def _comments_of(parts: Parts, part: str) -> bytes:
    for rel in parts.relationships(part):
        if rel.type == "comments" and rel.target in parts:
            return parts.get(rel.target)
    return b""


def _annotate(
    parts: Parts, part: str, sheet: Sheet, styles: Styles, marks: dict[Area, _Mark]
) -> None:
    """Fill and comment the top-left cell of each area (a merged range shows that cell's
    fill), and outline every cell of it (Excel draws a merged range's outline from them)."""
    current = sheet.styles({cell for area in marks for cell in area.cells()})
    new: dict[tuple[int, int], int] = {}
    theirs = existing_texts(parts, part, AUTHOR)
    notes = []
    for area, mark in marks.items():
        border = outline_xml(mark.severity, dashed=mark.related_only)
        for cell in area.cells():
            top_left = cell == (area.top, area.left)
            fill = fill_xml(style.SEVERITY_FILL[mark.severity]) if top_left else None
            new[cell] = styles.restyled(current[cell], fill, border)
        notes.append(_note(area, mark, theirs.get((area.top, area.left))))
    sheet.set_styles(new)
    write_notes(parts, part, sheet, notes, AUTHOR)


def _paragraph(f: Finding, where: str) -> str:
    return f"[{f.severity.value} {f.rule_id}]{where} {f.message}\n修改：{f.hint}"


def _note(area: Area, mark: _Mark, theirs: str | None) -> Note:
    text = "\n\n".join(mark.paragraphs)
    if theirs:  # the department's own note stays, after ours
        text += f"\n\n原批注：{theirs}"
    text = clean(text)
    lines = sum(
        max(1, math.ceil(style.text_width(line) / _COMMENT_LINE_UNITS))
        for line in text.split("\n")
    )
    height = min(max(lines * _COMMENT_LINE_PX + 12, 80), 640)
    return Note(area.top, area.left, text, _COMMENT_WIDTH, height)


__all__ = [
    "AUTHOR",
    "PatchError",
    "is_macro_content",
    "is_macro_workbook",
    "mark_copy",
    "opinions_only",
]
