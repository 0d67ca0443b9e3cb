"""What a file really is, and whether it is safe to open, before any parser sees it.

The first bytes say what a file is (names lie: system exports are HTML or CSV named .xls,
an encrypted .xlsx is an OLE container like a legacy .xls). A zip package is then checked
from its central directory and its sheets' cell references: calamine allocates a sheet as one
block of rows × columns and its shared-string table from the count the file declares, so a
decompression bomb or a single value at XFD1048576 would otherwise exhaust memory and abort
the whole run. The same pass finds the formulas of each sheet, which calamine does not expose.
"""

from __future__ import annotations

import codecs
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree
from xml.sax.saxutils import unescape

from xlsxwriter.utility import xl_col_to_name

from .errors import TooLarge, UnreadableWorkbook, UnsupportedFormat

_MB = 1 << 20
# What a file may take before it is read at all. A filled workbook is well under 1 MB; these
# limits only stop files that would exhaust memory or take minutes.
MAX_FILE_BYTES = 100 * _MB
MAX_ZIP_MEMBERS = 5_000
MAX_PART_BYTES = 100 * _MB  # one member of the package, uncompressed
MAX_PACKAGE_BYTES = 300 * _MB  # all members, uncompressed
MAX_RATIO = 500  # uncompressed : compressed, for members above RATIO_MIN_BYTES
RATIO_MIN_BYTES = 1 * _MB
MAX_INDEX_BYTES = 5 * _MB  # workbook.xml and the relationship parts, parsed whole
MAX_SHARED_STRINGS = 2_000_000  # calamine reserves memory for the count a file declares
MAX_SHEET_CELLS = 5_000_000  # rows × columns from A1, as calamine allocates a sheet

_SCAN_CHUNK = 1 * _MB


# --- What the file is --------------------------------------------------------------------


def sniff(path: Path) -> str:
    """What a file really is by its first bytes: "zip" or "ole" (legacy .xls).

    Raises a `WorkbookError` for everything else, with a message that says what it is:
    names lie (system exports are HTML or CSV named .xls), and an encrypted .xlsx is an OLE
    container like a legacy .xls.
    """
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise TooLarge(f"文件大小为 {_megabytes(size)}，超过 {_megabytes(MAX_FILE_BYTES)} 的上限")
    with path.open("rb") as stream:
        head = stream.read(4096)
    if not head:
        raise UnreadableWorkbook("文件是空的（0 字节）", "0 字节")
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        streams = _ole_stream_names(path)
        if "EncryptedPackage" in streams:
            raise UnsupportedFormat("工作簿设置了打开密码（已加密），无法读取", "已加密")
        if "WordDocument" in streams:
            raise UnsupportedFormat("文件实际是 Word 文档，不是 Excel 工作簿", "Word")
        return "ole"
    if head.startswith(b"%PDF"):
        raise UnsupportedFormat("文件实际是 PDF 文档，不是 Excel 工作簿", "PDF")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16: Excel's "Unicode 文本" export
        raise UnsupportedFormat("文件实际是文本（CSV/TXT）格式，只是扩展名为 Excel", "文本")
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(b"<") and (b"<html" in text or b"<table" in text or b"<?xml" in text):
        raise UnsupportedFormat("文件实际是网页（HTML/XML）格式，只是扩展名为 Excel", "HTML")
    if b"\x00" in head or not _is_text(head):
        raise UnreadableWorkbook("文件不是 Excel 工作簿，也无法识别格式", "未知格式")
    raise UnsupportedFormat("文件实际是文本（CSV/TXT）格式，只是扩展名为 Excel", "文本")


def _is_text(head: bytes) -> bool:
    for encoding in ("utf-8", "gb18030"):
        try:
            # Incremental: the 4096 bytes may end in the middle of a character.
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return True
    return False


def _ole_stream_names(path: Path) -> set[str]:
    # Directory entry names of an OLE file are UTF-16LE; looking for the few we care about
    # is enough to tell an encrypted package or a Word document from a workbook.
    with path.open("rb") as stream:
        data = stream.read(1 << 20)
    names = ("EncryptedPackage", "WordDocument")
    return {name for name in names if name.encode("utf-16-le") in data}


# --- The zip package, checked before calamine opens it ----------------------------------


@dataclass(frozen=True)
class Formula:
    text: str  # "=B4+B5"; "" when the cell shares another cell's formula
    cached: bool  # the file carries the formula's result


@dataclass
class _SheetScan:
    """What the cell references of one sheet's XML say, read without building the sheet."""

    rows: int = 0  # last row holding a value (1-based)
    cols: int = 0  # last column holding a value (1-based)
    formulas: dict[str, Formula] = field(default_factory=dict)
    _row: int = 0  # the row being scanned, for cells without a reference

    def feed(self, data: bytes) -> None:
        """Scan a piece of sheet XML made of whole rows (plus what precedes or follows)."""
        if _plainly_referenced(data):
            cells = _VALUE_CELL.findall(data)
            if cells:
                cols, rows = zip(*cells, strict=True)
                self.rows = max(self.rows, *map(int, rows))
                self.cols = max(self.cols, *map(_col_number, set(cols)))
            last = _ROW_REF.match(data, max(data.rfind(b"<row "), 0))
            if last:
                self._row = int(last[1])
        else:
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
                col, self._row = _col_number(ref[1]), int(ref[2])
            else:
                col += 1
            if not empty:
                self.rows, self.cols = max(self.rows, self._row), max(self.cols, col)

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


def _plainly_referenced(data: bytes) -> bool:
    """Every row and cell tag is written `<row r="…"` / `<c r="…"`, as Excel, WPS,
    LibreOffice and the usual libraries write them: one quick pattern then finds the cells.
    Tags with a namespace prefix, no reference or odd spacing take the slow path."""
    return _ODD_TAG.search(data) is None and b":c" not in data and b":row" not in data


_ODD_TAG = re.compile(rb"""<(?:c|row)(?! r=["']|[A-Za-z])""")
_VALUE_CELL = re.compile(rb"""<c r=["']([A-Za-z]+)(\d+)["'][^>]*(?<!/)>""")
_ROW_REF = re.compile(rb"""<row r=["'](\d+)["']""")
_ROW_OR_CELL = re.compile(rb"<(?:\w+:)?(row|c)(?=[\s/>])([^>]*?)(/?)>")
_ROW_REF_ATTR = re.compile(rb"""\br=["'](\d+)["']""")
_CELL_REF_ATTR = re.compile(rb"""\br=["']([A-Za-z]+)(\d+)["']""")
_STRING_RESULT = re.compile(rb"""\bt=["']str["']""")
_FORMULA = re.compile(
    rb"<(?:\w+:)?f\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?f>)\s*"
    rb"(?:<(?:\w+:)?v\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?v>))?",
    re.S,
)
_SST_UNIQUE = re.compile(rb"""<(?:\w+:)?sst\b[^>]*?\buniqueCount=["'](\d+)["']""")


def _col_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


@dataclass
class Package:
    """A workbook file as classified before parsing."""

    kind: str  # "xlsx", "xlsb", "ods" or "xls"
    sheets: dict[str, _SheetScan] = field(default_factory=dict)  # xlsx, by sheet name
    recalc: bool = False  # last saved by a program that leaves formula results to Excel


def inspect_zip(path: Path) -> Package:
    """Classify a zip package and refuse it, before inflating anything large, when it would
    exhaust memory or time; for .xlsx also scan each sheet's extent and formulas."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            _check_sizes(infos)
            names = {info.filename for info in infos}
            if "xl/workbook.bin" in names:
                return Package("xlsb")
            if "mimetype" in names and b"spreadsheet" in _head(archive, "mimetype"):
                return Package("ods")
            if "word/document.xml" in names:
                raise UnsupportedFormat("文件实际是 Word 文档，不是 Excel 工作簿", "Word")
            workbook = _workbook_part(archive, names)
            if workbook is None:
                raise UnreadableWorkbook("文件是压缩包，但其中没有 Excel 工作簿", "不是工作簿")
            return _scan_xlsx(archive, workbook, names)
    # NotImplementedError: a compression method zipfile lacks; RuntimeError: an encrypted
    # member. Neither is in a workbook that Excel or WPS wrote.
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        ElementTree.ParseError,
        NotImplementedError,
        RuntimeError,
    ) as exc:
        raise UnreadableWorkbook(
            "文件不完整或已损坏（可能在下载、复制或发送时被截断）", str(exc)[:200]
        ) from exc


def _check_sizes(infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_ZIP_MEMBERS:
        raise TooLarge(f"压缩包内有 {len(infos)} 个部件，超过 {MAX_ZIP_MEMBERS} 个的上限")
    total = sum(info.file_size for info in infos)
    if total > MAX_PACKAGE_BYTES:
        raise TooLarge(
            f"解压后共 {_megabytes(total)}，超过 {_megabytes(MAX_PACKAGE_BYTES)} 的上限"
        )
    for info in infos:
        if info.file_size > MAX_PART_BYTES:
            raise TooLarge(
                f"其中“{info.filename}”解压后为 {_megabytes(info.file_size)}，"
                f"超过 {_megabytes(MAX_PART_BYTES)} 的上限"
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_MIN_BYTES and ratio > MAX_RATIO:
            raise TooLarge(
                f"其中“{info.filename}”压缩比达 {ratio:.0f}:1（解压后 "
                f"{_megabytes(info.file_size)}），疑似“压缩炸弹”"
            )


def _megabytes(size: int) -> str:
    return f"{size / _MB:.1f} MB"


_OFFICE_DOCUMENT = "/officeDocument"


def _workbook_part(archive: zipfile.ZipFile, names: set[str]) -> str | None:
    if "_rels/.rels" in names:
        for rel in _parse_index(archive, "_rels/.rels").iter():
            if rel.get("Type", "").endswith(_OFFICE_DOCUMENT):
                target = _resolve("", rel.get("Target", ""))
                return target if target in names else None
    return "xl/workbook.xml" if "xl/workbook.xml" in names else None


def _scan_xlsx(archive: zipfile.ZipFile, workbook: str, names: set[str]) -> Package:
    folder = posixpath.dirname(workbook)
    rels_part = posixpath.join(folder, "_rels", posixpath.basename(workbook) + ".rels")
    targets: dict[str, str] = {}
    if rels_part in names:
        for rel in _parse_index(archive, rels_part).iter():
            if rel.get("Id") and rel.get("Target"):
                targets[rel.get("Id", "")] = _resolve(folder, rel.get("Target", ""))
    package = Package("xlsx")
    for element in _parse_index(archive, workbook).iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "calcPr":
            package.recalc = element.get("fullCalcOnLoad") in ("1", "true")
        elif tag == "sheet":
            rid = next((v for k, v in element.attrib.items() if k.endswith("}id")), "")
            part = targets.get(rid, "")
            if part in names:
                package.sheets[element.get("name", "")] = _scan_sheet(archive, part)
    for part in targets.values():
        if part.endswith("sharedStrings.xml") and part in names:
            _check_shared_strings(archive, part)
    for name, scan in package.sheets.items():
        if scan.rows * scan.cols > MAX_SHEET_CELLS:
            raise TooLarge(
                f"工作表“{name}”的数据区域达 {scan.rows} 行 × {scan.cols} 列"
                f"（最后一个有内容的单元格在 {xl_col_to_name(scan.cols - 1)}{scan.rows}），"
                "超过可读取的上限"
            )
    return package


def _resolve(folder: str, target: str) -> str:
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(folder, target))


def _parse_index(archive: zipfile.ZipFile, part: str) -> ElementTree.Element:
    """A small XML part (workbook, relationships) parsed whole, after checking its size."""
    info = archive.getinfo(part)
    if info.file_size > MAX_INDEX_BYTES:
        raise TooLarge(f"其中“{part}”解压后为 {_megabytes(info.file_size)}，结构异常")
    data = archive.read(part)
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:  # never in OOXML; entity expansion bombs
        raise UnreadableWorkbook("文件结构异常（含有不应出现的 XML 声明）", "DOCTYPE")
    return ElementTree.fromstring(data)


def _head(archive: zipfile.ZipFile, part: str) -> bytes:
    with archive.open(part) as stream:
        return stream.read(4096)


def _check_shared_strings(archive: zipfile.ZipFile, part: str) -> None:
    match = _SST_UNIQUE.search(_head(archive, part))
    if match and int(match[1]) > MAX_SHARED_STRINGS:
        raise TooLarge(f"文件声明了 {int(match[1])} 个不同的文字内容，超过可读取的上限")


def _scan_sheet(archive: zipfile.ZipFile, part: str) -> _SheetScan:
    """Stream one sheet's XML in pieces of whole rows: memory stays at about one chunk."""
    scan = _SheetScan()
    pieces: list[bytes] = []
    with archive.open(part) as stream:
        while chunk := stream.read(_SCAN_CHUNK):
            cut = chunk.rfind(b"<row")
            if cut < 0:
                pieces.append(chunk)
                continue
            pieces.append(chunk[:cut])
            scan.feed(b"".join(pieces))
            pieces = [chunk[cut:]]
    scan.feed(b"".join(pieces))
    return scan
