"""Checks of what `bptools merge` wrote from fuzz cases: every input named, nothing live
(formulas, links, scripts) coming from department text, and the canary nowhere.

The outputs are read at the XML level with regular expressions, never with an XML parser
that could expand entities, and the inputs (fuzz cases, some of them bombs) the same way.
Shared by tests/fuzz/run.py and tests/test_fuzz.py.
"""

from __future__ import annotations

import contextlib
import posixpath
import re
import zipfile
from collections import Counter
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import python_calamine as calamine

import bptools

from .parts import unescape_attr

OVERVIEW, ANOMALIES, FILES_SECTION = "总览", "异常清单", "文件情况"
FEEDBACK_DIR, COPY_MARK = "反馈", "（审核意见）"
REPORT_GLOB, HTML_GLOB = "*绩效目标汇总.xlsx", "*绩效目标汇总.html"
PAGE_TEMPLATE = Path(bptools.__file__).resolve().parent / "templates" / "report.html.j2"
MAX_MEMBER_BYTES = 200 << 20  # outputs are small; a larger member is not read for leaks
MERGE_OPTIONS = ("--fail-on", "never", "--keep", "all")
"""How fuzz merges run: never failing on findings, and keeping every file's projects (by
default a project in several files is kept from the newest only, and the older files get
no feedback copy: most cases share their projects with a sample and with each other)."""


@dataclass
class Problems:
    """What the outputs got wrong: (file label or output name, what)."""

    not_named: list[tuple[str, str]] = field(default_factory=list)
    live: list[tuple[str, str]] = field(default_factory=list)
    leaks: list[tuple[str, str]] = field(default_factory=list)
    no_report: bool = False  # no consolidated workbook: naming could not be checked
    unreadable: list[tuple[str, str]] = field(default_factory=list)  # outputs that fail to open


def labels(paths: Sequence[Path]) -> dict[str, Path]:
    """How bptools labels each input: its name, or its full path where names repeat."""
    names = Counter(p.name for p in paths)
    return {(p.name if names[p.name] == 1 else str(p)): p for p in paths}


def check_outputs(
    outdir: Path, inputs: Sequence[Path], flagged: Collection[Path], token: str
) -> Problems:
    """Check a merge's outputs in `outdir`; `flagged` are the inputs that must have a row
    in 异常清单 (their content differs from their source sample)."""
    problems = Problems()
    named = labels(inputs)
    reports = sorted(outdir.glob(REPORT_GLOB))
    problems.no_report = not reports
    try:
        for report in reports[:1]:
            _check_named(report, named, set(flagged), problems)
            _check_report(report, outdir, set(named.values()), problems)
    except Exception as exc:
        problems.no_report = True
        problems.unreadable.append((reports[0].name, repr(exc)[:200]))
    for copy in sorted((outdir / FEEDBACK_DIR).glob("*.xls*")):
        try:
            _check_copy(copy, _copied_input(copy, inputs), problems)
        except Exception as exc:
            problems.unreadable.append((copy.name, repr(exc)[:200]))
    for page in sorted(outdir.glob(HTML_GLOB)):
        problems.live += [(page.name, what) for what in _page_problems(page.read_bytes())]
    problems.leaks += leaks(outdir, token)
    return problems


# --- Every input named ------------------------------------------------------------------


def _check_named(
    report: Path, named: dict[str, Path], flagged: set[Path], problems: Problems
) -> None:
    book = calamine.CalamineWorkbook.from_path(str(report))
    listed = set(_file_table(book.get_sheet_by_name(OVERVIEW).to_python()))
    anomalies = book.get_sheet_by_name(ANOMALIES).to_python()
    column = list(anomalies[0]).index("文件") if anomalies else 0
    with_rows = {str(row[column]) for row in anomalies[1:]}
    for label, path in named.items():
        if label not in listed:
            problems.not_named.append((label, f"not in {OVERVIEW}'s {FILES_SECTION} table"))
        if path in flagged and label not in with_rows:
            problems.not_named.append((label, f"differs from its source, no row in {ANOMALIES}"))


def _file_table(rows: list[list[object]]) -> Iterator[str]:
    """The 文件 column of 总览's 文件情况 table."""
    starts = [n for n, row in enumerate(rows) if row and row[0] == FILES_SECTION]
    if not starts:
        return
    header = list(rows[starts[0] + 1])
    column = header.index("文件")
    for row in rows[starts[0] + 2 :]:
        if not row or row[column] in ("", None):
            return
        yield str(row[column])


# --- Nothing live -----------------------------------------------------------------------

_F = re.compile(rb"<f\b[^>]*?(?:/>|>(.*?)</f>)", re.S)
_HYPERLINK = re.compile(rb"<hyperlink\b([^>]*?)/?>")
_RELATIONSHIP = re.compile(rb"<Relationship\b([^>]*?)/?>")
_ATTR = re.compile(rb'([\w:]+)="([^"]*)"')
_CELL_REF = re.compile(rb'\br="([A-Z]+\d+)"')


def _attrs(text: bytes) -> dict[str, str]:
    return {
        k.decode(): unescape_attr(v.decode("utf-8", "replace")) for k, v in _ATTR.findall(text)
    }


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> worksheet member, from workbook.xml and its relationships (a target
    outside xl/ resolved the way a reader would, to a member that exists if one does)."""
    names = set(archive.namelist())
    rels = {
        a.get("Id", ""): a.get("Target", "")
        for a in map(_attrs, _RELATIONSHIP.findall(archive.read("xl/_rels/workbook.xml.rels")))
    }
    parts = {}
    for tag in re.findall(rb"<sheet\b([^>]*?)/?>", archive.read("xl/workbook.xml")):
        a = _attrs(tag)
        target = rels.get(a.get("r:id", ""), "")
        candidates = [posixpath.normpath("xl/" + target), target.lstrip("/"), target]
        parts[a.get("name", "")] = next((c for c in candidates if c in names), candidates[0])
    return parts


def formulas(sheet: bytes) -> Iterator[tuple[str, str]]:
    """(cell, formula text) of every <f> element of a worksheet's XML."""
    for match in _F.finditer(sheet):
        start = sheet.rfind(b"<c ", 0, match.start())
        ref = _CELL_REF.search(sheet, start, match.start()) if start >= 0 else None
        text = (match[1] or b"").decode("utf-8", "replace")
        yield (ref[1].decode() if ref else "?"), text


def _external(archive: zipfile.ZipFile) -> Iterator[dict[str, str]]:
    for name in archive.namelist():
        if name.endswith(".rels"):
            for tag in _RELATIONSHIP.findall(archive.read(name)):
                if (a := _attrs(tag)).get("TargetMode") == "External":
                    yield a


def _check_report(report: Path, outdir: Path, inputs: set[Path], problems: Problems) -> None:
    """Formulas: only 总览's SUBTOTALs. Links: internal, or relative to an input file."""
    where = report.name
    resolved = {p.resolve() for p in inputs}
    with zipfile.ZipFile(report) as archive:
        for sheet, part in sheet_parts(archive).items():
            data = archive.read(part)
            for cell, text in formulas(data):
                if sheet != OVERVIEW or not text.upper().startswith("SUBTOTAL("):
                    problems.live.append((where, f"formula at {sheet}!{cell}: ={text[:80]}"))
            for link in map(_attrs, _HYPERLINK.findall(data)):
                if "r:id" not in link and not link.get("location"):
                    problems.live.append(
                        (where, f"hyperlink at {sheet}!{link.get('ref')}: {link}")
                    )
        for rel in _external(archive):
            target = rel.get("Target", "")
            if not rel.get("Type", "").endswith("/hyperlink") or not _to_input(
                target, outdir, resolved
            ):
                problems.live.append((where, f"external target {target!r} ({rel.get('Type')})"))
        problems.live += [(where, f"external link part {n}") for n in _link_parts(archive)]


def _to_input(target: str, outdir: Path, inputs: set[Path]) -> bool:
    path = unquote(target).replace("\\", "/")
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", path) or path.startswith("/"):
        return False  # a URL, file:, C:… or an absolute path
    return (outdir / path.split("#", 1)[0]).resolve() in inputs


def _link_parts(archive: zipfile.ZipFile) -> list[str]:
    return [n for n in archive.namelist() if n.startswith("xl/externalLinks/")]


def _copied_input(copy: Path, inputs: Sequence[Path]) -> Path | None:
    stems = {p.stem + COPY_MARK: p for p in inputs}
    return stems.get(re.sub(r"（\d+）$", "", copy.stem))


def _formula_cells(path: Path | None) -> set[tuple[str, str]]:
    """(sheet, cell) of every formula of an input; what cannot be read has none."""
    cells: set[tuple[str, str]] = set()
    try:
        with zipfile.ZipFile(path) as archive:  # type: ignore[arg-type]
            for sheet, part in sheet_parts(archive).items():
                with contextlib.suppress(Exception):
                    cells |= {(sheet, cell) for cell, _ in formulas(archive.read(part))}
    except Exception:
        pass  # a damaged input (or none): no formulas to keep
    return cells


def _input_link_parts(path: Path | None) -> set[str]:
    try:
        with zipfile.ZipFile(path) as archive:  # type: ignore[arg-type]
            return set(_link_parts(archive))
    except Exception:
        return set()


def _check_copy(copy: Path, source: Path | None, problems: Problems) -> None:
    """A feedback copy: formulas only where its input has them; links internal only."""
    where = copy.name
    allowed = _formula_cells(source)
    with zipfile.ZipFile(copy) as archive:
        for sheet, part in sheet_parts(archive).items():
            data = archive.read(part)
            for cell, text in formulas(data):
                if (sheet, cell) not in allowed:
                    problems.live.append((where, f"formula at {sheet}!{cell}: ={text[:80]}"))
            for link in map(_attrs, _HYPERLINK.findall(data)):
                if "r:id" in link or not link.get("location"):
                    problems.live.append(
                        (where, f"hyperlink at {sheet}!{link.get('ref')}: {link}")
                    )
        for rel in _external(archive):
            problems.live.append((where, f"external target {rel.get('Target')!r}"))
        known = _input_link_parts(source)
        added = [n for n in _link_parts(archive) if n not in known]
        problems.live += [(where, f"external link part {n}") for n in added]


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts = 0
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.scripts += tag == "script"
        for name, value in attrs:
            value = (value or "").strip()
            if name == "href" and not value.startswith("#"):
                self.problems.append(f"<{tag} href={value[:80]!r}>")
            elif name in ("src", "action", "formaction", "srcdoc", "xlink:href", "data"):
                if not value.startswith(("data:", "#")):
                    self.problems.append(f"<{tag} {name}={value[:80]!r}>")
            elif name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> (an event handler)")


def _page_problems(html: bytes) -> list[str]:
    own = PAGE_TEMPLATE.read_text(encoding="utf-8").lower().count("<script")
    page = _Page()
    page.feed(html.decode("utf-8", "replace"))
    found = list(page.problems)
    if page.scripts > own or html.lower().count(b"<script") > own:
        found.append(f"{page.scripts} <script> elements, the page has {own} of its own")
    if b"javascript:" in html.lower():
        found.append("javascript: in the page")
    return found


# --- Leaks --------------------------------------------------------------------------------


def leaks(outdir: Path, token: str) -> list[tuple[str, str]]:
    """Outputs (any file; every member of each zip, decompressed) holding the token."""
    needle = token.encode()
    found = []
    for path in sorted(p for p in outdir.rglob("*") if p.is_file()):
        where = str(path.relative_to(outdir))
        if needle in path.read_bytes():
            found.append((where, "raw bytes"))
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                for info in archive.infolist():
                    if info.file_size <= MAX_MEMBER_BYTES and needle in archive.read(info):
                        found.append((where, info.filename))
    return found
