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
import contextlib
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from xlsxwriter.utility import xl_col_to_name

from .errors import TooLarge, UnreadableWorkbook, UnsupportedFormat, WorkbookError
from .normalize import spaced
from .numfmt import BUILTIN_FORMATS, format_kind
from .sheetxml import SheetScan, scan_sheet, trim

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


# --- What the file is --------------------------------------------------------------------


# What a file holds, as told to the people who sent it.
_CONTENT = {
    "pdf": "PDF 文档",
    "word": "Word 文档",
    "powerpoint": "PowerPoint 演示文稿",
    "text": "文本（CSV/TXT）格式",
    "html": "网页（HTML/XML）格式",
    "image": "图片",
    "archive": "压缩包",
    "xlsx": "Excel 工作簿",
    "xls": "Excel 97-2003 工作簿",
    "unknown": "无法识别格式的文件",
}
_IMAGES = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM", b"II*\x00", b"MM\x00*")
_OTHER_ARCHIVES = (b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b")
_SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm", ".xls", ".xlsb", ".ods", ".et")
_SPREADSHEET_SUFFIXES += (".ett",)


def sniff(path: Path) -> str:
    """What a file really is by its first bytes: "zip" or "ole" (legacy .xls).

    Raises a `WorkbookError` for everything else, with a message that says what it is:
    names lie (system exports are HTML or CSV named .xls), and an encrypted .xlsx is an OLE
    container like a legacy .xls.
    """
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise TooLarge(f"文件大小为 {_megabytes(size)}，超过 {_megabytes(MAX_FILE_BYTES)} 的上限")
    kind = _content(path)
    if kind in ("zip", "ole"):
        return kind
    if kind == "empty":
        raise UnreadableWorkbook("文件是空的（0 字节）", "0 字节")
    if kind == "encrypted":
        raise UnsupportedFormat("工作簿设置了打开密码（已加密），无法读取", "已加密")
    raise _not_a_workbook(path, kind)


def _not_a_workbook(path: Path, kind: str) -> WorkbookError:
    """The error for a file whose content is `kind`, worded by what its name claims."""
    what = _CONTENT.get(kind, _CONTENT["unknown"])
    suffix = path.suffix.lower()
    if kind == "text" and suffix in (".csv", ".txt"):
        message = "文件是 CSV/TXT 文本，不是绩效目标表（文本不保留表格的版式），请用模板填写"
    elif suffix in _SPREADSHEET_SUFFIXES:
        message = spaced(f"文件实际是{what}") + f"，只是扩展名为 {suffix}"
    else:
        message = spaced(f"文件是{what}，不是 Excel 工作簿")
    error = UnreadableWorkbook if kind == "unknown" else UnsupportedFormat
    return error(message, what)


def describe(path: Path) -> str:
    """What a file that is not read holds ("Word 文档", "Excel 工作簿", ...)."""
    return _describe(_kind(path))


def not_read(path: Path) -> str:
    """Why a file found in a folder was not read, after its name: "是 Word 文档，不是 Excel
    工作簿，没有读取"; a workbook with another extension is told how to get it read."""
    kind = _kind(path)
    if kind in ("xlsx", "xls"):
        suffix = path.suffix or "（无）"
        return f"是 Excel 工作簿，但扩展名是“{suffix}”，没有读取：如需汇总，请把扩展名改为 .xlsx"
    return spaced(f"是{_describe(kind)}，不是 Excel 工作簿，没有读取")


def _kind(path: Path) -> str:
    try:
        kind = _content(path)
        if kind == "zip":
            return _zip_content(path)
        if kind == "ole":
            return "word" if "WordDocument" in _ole_stream_names(path) else "xls"
    except (OSError, zipfile.BadZipFile):
        return "unopenable"
    return kind


def _describe(kind: str) -> str:
    if kind == "empty":
        return "空文件（0 字节）"
    if kind == "unopenable":
        return "无法打开的文件"
    return _CONTENT.get(kind, _CONTENT["unknown"])


def _content(path: Path) -> str:
    with path.open("rb") as stream:
        head = stream.read(4096)
    if not head:
        return "empty"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        streams = _ole_stream_names(path)
        if "EncryptedPackage" in streams:
            return "encrypted"
        return "word" if "WordDocument" in streams else "ole"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(_IMAGES):
        return "image"
    if head.startswith(_OTHER_ARCHIVES):
        return "archive"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16: Excel's "Unicode 文本" export
        return "text"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(b"<") and (b"<html" in text or b"<table" in text or b"<?xml" in text):
        return "html"
    if b"\x00" in head or not _is_text(head):
        return "unknown"
    return "text"


def _zip_content(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
    for prefix, kind in (("xl/", "xlsx"), ("word/", "word"), ("ppt/", "powerpoint")):
        if any(name.startswith(prefix) for name in names):
            return kind
    return "archive"


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


_SST_UNIQUE = re.compile(rb"""<(?:\w+:)?sst\b[^>]*?\buniqueCount=["'](\d+)["']""")


@dataclass
class Package:
    """A workbook file as classified before parsing.

    For .xlsx, `sheets` holds what the scan of each sheet found, and `trimmed` a copy of the
    package in which the oversized sheets (values beyond the area read) are cut down: the
    reader opens that copy instead of the file.
    """

    kind: str  # "xlsx", "xlsb", "ods" or "xls"
    sheets: dict[str, SheetScan] = field(default_factory=dict)  # xlsx, by sheet name
    recalc: bool = False  # last saved by a program that leaves formula results to Excel
    trimmed: bytes | None = None


def inspect_zip(path: Path) -> Package:
    """Classify a zip package and refuse it, before inflating anything large, when it would
    exhaust memory or time; for .xlsx also scan each sheet's extent and formulas."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            check_sizes(infos)
            names = {info.filename for info in infos}
            if "xl/workbook.bin" in names:
                return Package("xlsb")
            if "mimetype" in names and b"spreadsheet" in _head(archive, "mimetype"):
                return Package("ods")
            if "word/document.xml" in names:
                raise _not_a_workbook(path, "word")
            workbook = _workbook_part(archive, names)
            if workbook is None:
                raise UnreadableWorkbook("文件是压缩包，但其中没有 Excel 工作簿", "不是工作簿")
            return _scan_xlsx(archive, workbook, names)
    except WorkbookError:
        raise
    # zipfile and its decompressors fail in many ways on damaged files (BadZipFile, zlib and
    # lzma errors, OSError from a bzip2 stream or a seek past the end, NotImplementedError
    # for an unknown compression method, RuntimeError for an encrypted member, ...); none of
    # them is in a workbook that Excel or WPS wrote.
    except Exception as exc:
        raise UnreadableWorkbook(
            "文件不完整或已损坏（可能在下载、复制或发送时被截断）", _reason(exc)
        ) from exc


def _reason(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:200]


def check_sizes(infos: list[zipfile.ZipInfo]) -> None:
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
    styles: dict[int, str] = {}
    if rels_part in names:
        for rel in _parse_index(archive, rels_part).iter():
            target = _resolve(folder, rel.get("Target", ""))
            if rel.get("Id") and rel.get("Target"):
                targets[rel.get("Id", "")] = target
            if rel.get("Type", "").endswith("/styles") and target in names:
                styles = _number_styles(archive, target)
    package = Package("xlsx")
    parts: dict[str, str] = {}  # sheet name -> part
    for element in _parse_index(archive, workbook).iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "calcPr":
            package.recalc = element.get("fullCalcOnLoad") in ("1", "true")
        elif tag == "sheet":
            rid = next((v for k, v in element.attrib.items() if k.endswith("}id")), "")
            part = targets.get(rid, "")
            if part in names:
                parts[element.get("name", "")] = part
                package.sheets[element.get("name", "")] = scan_sheet(archive, part, styles)
    for part in targets.values():
        if part.endswith("sharedStrings.xml") and part in names:
            _check_shared_strings(archive, part)
    oversized = set()
    for name, scan in package.sheets.items():
        if scan.oversized and scan.plain:
            oversized.add(parts[name])
        elif scan.rows * scan.cols > MAX_SHEET_CELLS:
            raise TooLarge(
                f"工作表“{name}”的数据区域达 {scan.rows} 行 × {scan.cols} 列"
                f"（最后一个有内容的单元格在 {xl_col_to_name(scan.cols - 1)}{scan.rows}），"
                "超过可读取的上限"
            )
    if oversized:
        package.trimmed = _trimmed_copy(archive, oversized)
    return package


def _number_styles(archive: zipfile.ZipFile, part: str) -> dict[int, str]:
    """The cellXfs indexes whose number format changes what a value means (percent, date),
    with their format codes. A styles part too large to parse gives none."""
    if archive.getinfo(part).file_size > MAX_INDEX_BYTES:
        return {}
    custom: dict[int, str] = {}
    styles: dict[int, str] = {}
    root = _parse_index(archive, part)
    for element in root:
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "numFmts":
            for fmt in element:
                with contextlib.suppress(ValueError):
                    custom[int(fmt.get("numFmtId", ""))] = fmt.get("formatCode", "")
        elif tag == "cellXfs":
            for index, xf in enumerate(element):
                with contextlib.suppress(ValueError):
                    number = int(xf.get("numFmtId", "0"))
                    code = custom.get(number) or BUILTIN_FORMATS.get(number, "")
                    if code and format_kind(code):
                        styles[index] = code
    return styles


def _trimmed_copy(archive: zipfile.ZipFile, parts: set[str]) -> bytes:
    """The package with each of `parts` (sheets) cut down to the area read."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as copy:
        for info in archive.infolist():
            data = trim(archive, info.filename) if info.filename in parts else archive.read(info)
            copy.writestr(info.filename, data)
    return buffer.getvalue()


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
