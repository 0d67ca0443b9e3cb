"""One sheet's XML, read in pieces of whole rows before calamine builds the sheet.

calamine allocates a sheet as one block from A1 to its last cell and exposes neither
formulas nor number formats. The scan here finds the sheet's extent, its formulas and the
number formats of its cells (percent and date formats are what change a reading); `trim`
writes a copy of a sheet without the cells beyond the area bptools reads, so a stray value
at XFD1048576 costs nothing and the table is still read.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from xml.sax.saxutils import unescape

from .limits import MAX_READ_COLS, MAX_READ_ROWS

_CHUNK = 1 << 20


@dataclass(frozen=True)
class Formula:
    text: str  # "=B4+B5"; "" when the cell shares another cell's formula
    cached: bool  # the file carries the formula's result


@dataclass
class SheetScan:
    """What the cells of one sheet's XML say, read without building the sheet.

    `styles` maps the cellXfs indexes whose number format matters to their format codes;
    `formats` then holds the code of each cell (within the read area) styled so.
    """

    styles: Mapping[int, str] = field(default_factory=dict)
    rows: int = 0  # last row holding a value (1-based)
    cols: int = 0  # last column holding a value (1-based)
    formulas: dict[str, Formula] = field(default_factory=dict)
    formats: dict[str, str] = field(default_factory=dict)
    plain: bool = True  # every row and cell tag carries its reference (see _plainly_referenced)
    _row: int = 0  # the row being scanned, for cells without a reference

    @property
    def oversized(self) -> bool:
        """Values lie beyond the area read: the sheet is read from a trimmed copy."""
        return self.rows > MAX_READ_ROWS or self.cols > MAX_READ_COLS

    def feed(self, data: bytes) -> None:
        """Scan a piece of sheet XML made of whole rows (plus what precedes or follows)."""
        if _plainly_referenced(data):
            cells = _VALUE_CELL.findall(data)
            if cells:
                cols, rows = zip(*cells, strict=True)
                self.rows = max(self.rows, *map(int, rows))
                self.cols = max(self.cols, *map(col_number, set(cols)))
            last = _ROW_REF.match(data, max(data.rfind(b"<row "), 0))
            if last:
                self._row = int(last[1])
            if self.styles and b" s=" in data:
                for col, row, style in _STYLED_CELL.findall(data):
                    self._add_format(col, int(row), style)
        else:
            self.plain = False
            self._feed_positionally(data)
        if b"<f" in data or b":f" in data:
            for match in _FORMULA.finditer(data):
                self._add_formula(data, match)

    def _feed_positionally(self, data: bytes) -> None:
        # Rows and cells may omit their reference: they then follow the previous one, as
        # calamine places them.
        col = 0
        for tag in _ROW_OR_CELL.finditer(data):
            name, attrs, empty = tag.groups()
            if name == b"row":
                ref = _ROW_REF_ATTR.search(attrs)
                self._row = int(ref[1]) if ref else self._row + 1
                col = 0
                continue
            ref = _CELL_REF_ATTR.search(attrs)
            if ref:
                col, self._row = col_number(ref[1]), int(ref[2])
            else:
                col += 1
            if not empty:
                self.rows, self.cols = max(self.rows, self._row), max(self.cols, col)
            style = _STYLE_ATTR.search(attrs) if self.styles else None
            if style and col <= MAX_READ_COLS:
                self._add_format(column_letters(col).encode(), self._row, style[1])

    def _add_format(self, col: bytes, row: int, style: bytes) -> None:
        code = self.styles.get(int(style))
        if code and row <= MAX_READ_ROWS and len(col) <= 2:
            self.formats[col.upper().decode() + str(row)] = code

    def _add_formula(self, data: bytes, match: re.Match[bytes]) -> None:
        # The <f> element comes first in its cell, so the cell's start tag is just before.
        start = data.rfind(b"<", 0, match.start())
        tag = data[start : match.start()]
        ref = _CELL_REF_ATTR.search(tag)
        if ref is None:
            return
        text, value = match.group(2), match.group(3)
        is_text = _STRING_RESULT.search(tag) is not None
        cached = value is not None and (value.strip() != b"" or is_text)
        formula = "=" + unescape(text.decode("utf-8", "replace")) if text else ""
        self.formulas[(ref[1].upper() + ref[2]).decode()] = Formula(formula, cached)


def scan_sheet(archive: zipfile.ZipFile, part: str, styles: Mapping[int, str]) -> SheetScan:
    """Stream one sheet's XML in pieces of whole rows: memory stays at about one chunk."""
    scan = SheetScan(styles)
    for piece in _pieces(archive, part):
        scan.feed(piece)
    return scan


def trim(archive: zipfile.ZipFile, part: str) -> bytes:
    """The sheet's XML without the rows and cells beyond the area read (a plainly
    referenced sheet only: see `SheetScan.plain`)."""
    out = []
    for piece in _pieces(archive, part):
        out.append(_ROW_ELEMENT.sub(_trim_row, piece))
    return b"".join(out)


def _trim_row(match: re.Match[bytes]) -> bytes:
    if int(match[1]) > MAX_READ_ROWS:
        return b""
    return _CELL_ELEMENT.sub(
        lambda cell: cell[0] if col_number(cell[1]) <= MAX_READ_COLS else b"", match[0]
    )


def _pieces(archive: zipfile.ZipFile, part: str) -> Iterator[bytes]:
    """The part's bytes in pieces that end just before a `<row` tag (the last: the rest)."""
    held: list[bytes] = []
    with archive.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            cut = chunk.rfind(b"<row")
            if cut < 0:
                held.append(chunk)
                continue
            held.append(chunk[:cut])
            yield b"".join(held)
            held = [chunk[cut:]]
    yield b"".join(held)


def _plainly_referenced(data: bytes) -> bool:
    """Every row and cell tag is written `<row r="…"` / `<c r="…"`, as Excel, WPS,
    LibreOffice and the usual libraries write them: one quick pattern then finds the cells.
    Tags with a namespace prefix, no reference or odd spacing take the slow path."""
    return _ODD_TAG.search(data) is None and b":c" not in data and b":row" not in data


_ODD_TAG = re.compile(rb"""<(?:c|row)(?! r=["']|[A-Za-z])""")
_VALUE_CELL = re.compile(rb"""<c r=["']([A-Za-z]+)(\d+)["'][^>]*(?<!/)>""")
_STYLED_CELL = re.compile(rb"""<c r=["']([A-Za-z]+)(\d+)["'][^>]*?\ss=["'](\d+)["']""")
_ROW_REF = re.compile(rb"""<row r=["'](\d+)["']""")
_ROW_ELEMENT = re.compile(rb"""<row r=["'](\d+)["'][^>]*?(?:/>|>.*?</row>)""", re.S)
_CELL_ELEMENT = re.compile(rb"""<c r=["']([A-Za-z]+)\d+["'][^>]*?(?:/>|>.*?</c>)""", re.S)
_ROW_OR_CELL = re.compile(rb"<(?:\w+:)?(row|c)(?=[\s/>])([^>]*?)(/?)>")
_ROW_REF_ATTR = re.compile(rb"""\br=["'](\d+)["']""")
_CELL_REF_ATTR = re.compile(rb"""\br=["']([A-Za-z]+)(\d+)["']""")
_STYLE_ATTR = re.compile(rb"""\bs=["'](\d+)["']""")
_STRING_RESULT = re.compile(rb"""\bt=["']str["']""")
_FORMULA = re.compile(
    rb"<(?:\w+:)?f\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?f>)\s*"
    rb"(?:<(?:\w+:)?v\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?v>))?",
    re.S,
)


def col_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


def column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
