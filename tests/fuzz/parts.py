"""Building blocks of the fuzz corpus (`tests.fuzz`): the samples as zip members, and the
zip- and XML-level surgery every variant is made of.

Nothing here opens a workbook with openpyxl: members are read once with zipfile and edited as
bytes, so thousands of files are written in seconds.
"""

from __future__ import annotations

import random
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
WORKBOOK = "xl/workbook.xml"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
SHARED_STRINGS = "xl/sharedStrings.xml"
STYLES = "xl/styles.xml"
CONTENT_TYPES = "[Content_Types].xml"
ROOT_RELS = "_rels/.rels"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # every member gets it: files are byte-identical per seed
WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
WORKSHEET_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"

Members = list[tuple[str, bytes]]


@dataclass(frozen=True)
class Source:
    """One sample workbook, unpacked: its bytes, its members in order, its sheets."""

    path: Path
    data: bytes
    members: tuple[tuple[str, bytes], ...]
    sheets: tuple[tuple[str, str], ...]  # (sheet name, member name), in workbook order

    @property
    def code(self) -> str:
        """The department code the file name starts with ("107")."""
        return self.path.name.split("-", 1)[0]

    def member(self, name: str) -> bytes:
        return dict(self.members)[name]

    @property
    def projects(self) -> list[tuple[str, str]]:
        """The project sheets (项目1, 项目2, ...) as (name, member)."""
        return [(name, part) for name, part in self.sheets if name.startswith("项目")]


@dataclass(frozen=True)
class Job:
    """What a variant gets: the sample to start from, its own random generator, the corpus
    folder (where the canary lives) and the run's seed."""

    source: Source
    rng: random.Random
    outdir: Path
    seed: int


Variant = Callable[[Job], bytes]


@cache
def load_sources() -> tuple[Source, ...]:
    """The samples, read once per process."""
    sources = []
    for path in sorted(SAMPLES.glob("*.xlsx")):
        data = path.read_bytes()
        with zipfile.ZipFile(BytesIO(data)) as archive:
            members = tuple((i.filename, archive.read(i)) for i in archive.infolist())
        contents = dict(members)
        rels = re.findall(rb'Id="([^"]+)"[^>]*?Target="([^"]+)"', contents[WORKBOOK_RELS])
        targets = {rid.decode(): "xl/" + target.decode() for rid, target in rels}
        found = re.findall(rb'<sheet name="([^"]*)"[^>]*?r:id="([^"]+)"', contents[WORKBOOK])
        sheets = tuple((unescape_attr(n.decode()), targets[rid.decode()]) for n, rid in found)
        sources.append(Source(path, data, members, sheets))
    if not sources:
        raise FileNotFoundError(f"no sample workbooks in {SAMPLES}")
    return tuple(sources)


def unescape_attr(text: str) -> str:
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'")):
        text = text.replace(entity, char)
    return text.replace("&amp;", "&")


def attr(text: str) -> str:
    """Text escaped for a double-quoted XML attribute."""
    return escape(text, {'"': "&quot;"})


# --- Writing packages ---------------------------------------------------------------------


def pack(members: Iterable[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip package of `members` as written by zipfile, with fixed timestamps."""
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.compress_type = method
            archive.writestr(info, data)
    return buffer.getvalue()


def edited(source: Source, changes: Mapping[str, bytes | None]) -> Members:
    """The source's members with some replaced (bytes) or dropped (None)."""
    members: Members = []
    for name, data in source.members:
        new = changes.get(name, data)
        if new is not None:
            members.append((name, new))
    return members


def repack(
    source: Source, changes: Mapping[str, bytes | None], extra: Iterable[tuple[str, bytes]] = ()
) -> bytes:
    """The source re-zipped with `changes` (see `edited`) and `extra` members at the end."""
    return pack([*edited(source, changes), *extra])


@dataclass(frozen=True)
class RawMember:
    """A member written byte by byte: `payload` is stored as is under `method`, whatever it
    holds, and the sizes and CRC are the ones given."""

    name: str
    method: int
    payload: bytes
    size: int
    crc: int


def deflated(name: str, data: bytes) -> RawMember:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    payload = compressor.compress(data) + compressor.flush()
    return RawMember(name, zipfile.ZIP_DEFLATED, payload, len(data), zlib.crc32(data))


def raw_zip(members: Iterable[RawMember]) -> bytes:
    """A zip file written without zipfile, so that any field can hold anything."""
    local, central = BytesIO(), BytesIO()
    count = 0
    for m in members:
        name = m.name.encode()
        flags = 0x800 if not m.name.isascii() else 0
        offset = local.tell()
        fields = (m.method, 0, 0x21, m.crc, len(m.payload), m.size, len(name), 0)
        local.write(struct.pack("<4sHH", b"PK\x03\x04", 20, flags))
        local.write(struct.pack("<HHHIIIHH", *fields) + name + m.payload)
        central.write(struct.pack("<4sHHH", b"PK\x01\x02", 20, 20, flags))
        central.write(struct.pack("<HHHIIIHH", *fields))
        central.write(struct.pack("<HHHII", 0, 0, 0, 0, offset) + name)
        count += 1
    start, directory = local.tell(), central.getvalue()
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, count, count, len(directory), start, 0)
    return local.getvalue() + directory + end


@dataclass(frozen=True)
class Entry:
    """Where one member's headers sit in a zip file."""

    name: str
    central: int  # offset of its central directory header
    local: int  # offset of its local header


def entries(data: bytes) -> list[Entry]:
    """The central directory of a zip file written by `pack` (no zip64, no comment)."""
    end = data.rindex(b"PK\x05\x06")
    count, _size, at = struct.unpack_from("<HII", data, end + 10)
    found = []
    for _ in range(count):
        n, m, k = struct.unpack_from("<HHH", data, at + 28)
        local = struct.unpack_from("<I", data, at + 42)[0]
        found.append(Entry(data[at + 46 : at + 46 + n].decode(), at, local))
        at += 46 + n + m + k
    return found


def entry(data: bytes, name: str) -> Entry:
    return next(e for e in entries(data) if e.name == name)


# Offsets of the fields in each header, from its signature.
CENTRAL = {"method": 10, "crc": 16, "csize": 20, "size": 24, "offset": 42}
LOCAL = {"method": 8, "crc": 14, "csize": 18, "size": 22}


def patch(data: bytearray, at: int, value: int, width: int = 4) -> None:
    struct.pack_into("<I" if width == 4 else "<H", data, at, value)


# --- Editing XML parts --------------------------------------------------------------------

_CELL = r'<c r="{ref}"(?=[ />])[^>]*?(?:/>|>.*?</c>)'
_STYLE = re.compile(rb'\ss="(\d+)"')


def cell_xml(ref: str, inner: str, *, kind: str = "", style: str = "") -> bytes:
    """A cell element: `kind` is its t= attribute ("" for a number), `inner` its content."""
    t = f' t="{kind}"' if kind else ""
    s = f' s="{style}"' if style else ""
    return f'<c r="{ref}"{s}{t}>{inner}</c>'.encode()


def set_cell(sheet: bytes, ref: str, inner: str, *, kind: str = "", style: str = "") -> bytes:
    """Replace the cell at `ref` (which the template always writes) keeping its style unless
    `style` is given."""
    pattern = re.compile(_CELL.format(ref=ref).encode(), re.S)
    match = pattern.search(sheet)
    if match is None:
        raise KeyError(ref)
    old = _STYLE.search(match[0])
    keep = old[1].decode() if old else ""
    new = cell_xml(ref, inner, kind=kind, style=style or keep)
    return sheet[: match.start()] + new + sheet[match.end() :]


def inline_text(text: str) -> str:
    return f'<is><t xml:space="preserve">{escape(text)}</t></is>'


def add_shared_string(sst: bytes, inner: bytes) -> tuple[bytes, int]:
    """Append a shared string whose <si> content is `inner` (raw XML); return its index."""
    index = len(re.findall(rb"<si[ >/]", sst))
    sst = sst.replace(b"</sst>", b"<si>" + inner + b"</si></sst>")
    sst = re.sub(rb'\bcount="(\d+)"', lambda m: b'count="%d"' % (int(m[1]) + 1), sst, count=1)
    sst = re.sub(rb'uniqueCount="\d+"', b'uniqueCount="%d"' % (index + 1), sst, count=1)
    return sst, index


def add_cell_format(styles: bytes, num_fmt: int, format_code: str = "") -> tuple[bytes, int]:
    """Append a cellXfs entry with number format `num_fmt` (declared when `format_code` is
    given); return its index, for a cell's s= attribute."""
    if format_code:
        declared = f'<numFmt numFmtId="{num_fmt}" formatCode="{attr(format_code)}"/>'.encode()
        styles = styles.replace(b"</numFmts>", declared + b"</numFmts>", 1)
    block = re.search(rb"<cellXfs count=\"(\d+)\">(.*?)</cellXfs>", styles, re.S)
    assert block is not None
    index = len(re.findall(rb"<xf\b", block[2]))
    xf = b'<xf numFmtId="%d" fontId="2" fillId="3" borderId="1" xfId="0" ' % num_fmt
    xf += b'applyNumberFormat="1"/>'
    body = b'<cellXfs count="%d">' % (index + 1) + block[2] + xf + b"</cellXfs>"
    return styles[: block.start()] + body + styles[block.end() :], index


def after_declaration(part: bytes, insert: bytes) -> bytes:
    """Insert text right after the XML declaration (where a DOCTYPE goes)."""
    end = part.index(b"?>") + 2 if part.startswith(b"<?xml") else 0
    return part[:end] + insert + part[end:]


def append_rows(sheet: bytes, rows: bytes) -> bytes:
    return sheet.replace(b"</sheetData>", rows + b"</sheetData>", 1)


def far_row(ref: str, text: str = "x") -> bytes:
    """A row holding one value at `ref` ("XFD1048576"), as a stray keystroke leaves it."""
    row = ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    return f'<row r="{row}"><c r="{ref}" t="inlineStr">{inline_text(text)}</c></row>'.encode()


def filled_rows(sheet: bytes) -> list[int]:
    """The indicator rows the sample filled in (a text in column C below the header)."""
    rows = [int(r) for r in re.findall(rb'<c r="C(\d+)"[^>]*t="s"', sheet)]
    return [r for r in rows if r > 10] or [11]


_A1 = re.compile(rb"(?<![A-Za-z_\d])(\$?)([A-Z]{1,3})(\$?)(\d+)(?![\d(])")
_REF_ATTR = re.compile(rb'\b(r|ref|sqref)="([^"]*)"')
_FORMULA_TEXT = re.compile(rb"(<(f|formula|formula1|formula2)\b[^>]*>)(.*?)(</\2>)", re.S)


def shift_rows(sheet: bytes, first: int, by: int) -> bytes:
    """Move every row from `first` down by `by`, with the references to them (cells, merged
    ranges, validations, conditional formats, formulas), as Excel does on inserting rows."""

    def refs(text: bytes) -> bytes:
        def one(m: re.Match[bytes]) -> bytes:
            row = int(m[4])
            return m[1] + m[2] + m[3] + b"%d" % (row + by if row >= first else row)

        return _A1.sub(one, text)

    def attribute(m: re.Match[bytes]) -> bytes:
        value = m[2]
        if value.isdigit():  # <row r="12">
            row = int(value)
            value = b"%d" % (row + by if row >= first else row)
        else:
            value = refs(value)
        return m[1] + b'="' + value + b'"'

    sheet = _REF_ATTR.sub(attribute, sheet)
    return _FORMULA_TEXT.sub(lambda m: m[1] + refs(m[3]) + m[4], sheet)


def rows_of(sheet: bytes) -> list[tuple[int, bytes]]:
    """Each <row> element with its number, in order."""
    return [(int(m[1]), m[0]) for m in re.finditer(rb'<row r="(\d+)"[^>]*>.*?</row>', sheet, re.S)]


def renumber_row(row: bytes, number: int) -> bytes:
    row = re.sub(rb'<row r="\d+"', b'<row r="%d"' % number, row, count=1)
    return re.sub(rb'<c r="([A-Z]+)\d+"', lambda m: b'<c r="%s%d"' % (m[1], number), row)
