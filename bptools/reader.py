"""Read filled workbooks: find each project table by its labels, keep every cell's address.

Tables are located by the labels declared in `bptools.schema`, never by fixed positions, so
inserted rows, renamed sheets or a table pasted from the published document still read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine as calamine
from xlsxwriter.utility import xl_col_to_name

from .errors import NotTemplate, UnreadableWorkbook, UnsupportedFormat
from .normalize import as_text, is_blank, label_key
from .schema import (
    AMOUNT_CHECK_LABEL,
    HEADER_FIELDS,
    INDICATOR_COLUMNS,
    META_SHEET,
    TITLE_RE,
    WEIGHT_TOTAL_LABEL,
)

Grid = Sequence[Sequence[object]]

_HEADER_KEYS = {label_key(f.label): f for f in HEADER_FIELDS}
_COLUMN_KEYS = {
    label_key(name): column.key
    for column in INDICATOR_COLUMNS
    for name in (column.label, *column.aliases)
}
_TABLE_MARKERS = (label_key("三级指标"), label_key("指标值"))
_END_MARKERS = tuple(label_key(text)[:4] for text in (WEIGHT_TOTAL_LABEL, AMOUNT_CHECK_LABEL))
_PROJECT_MARKER = label_key("一级项目名称")
_TITLE_SCAN_ROWS = 5


@dataclass(frozen=True)
class Cell:
    """A value as read, with its A1 address ("" when the sheet has no such cell)."""

    value: object
    ref: str


@dataclass
class SheetTable:
    """One project table as read from one sheet."""

    sheet: str
    hidden: bool
    title: Cell
    fields: dict[str, Cell]
    header_ref: str  # first cell of the indicator header row
    columns: dict[str, str]  # indicator column key -> column letter
    rows: list[dict[str, Cell]] = field(default_factory=list)

    @property
    def is_blank(self) -> bool:
        """Nothing typed but what the template pre-fills (编制单位, 预算执行率权重)."""
        typed = [c for k, c in self.fields.items() if k not in ("unit", "exec_weight")]
        return not self.rows and all(is_blank(c.value) for c in typed)


@dataclass(frozen=True)
class Issue:
    """How a workbook or sheet was filled in, to become a finding of rule `rule_id`.

    `sheet` is "" for the whole workbook; `params` fill the rule's message.
    """

    rule_id: str
    sheet: str = ""
    cell: str = ""
    value: object = ""
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass
class WorkbookRead:
    path: Path
    meta: dict[str, str]
    tables: list[SheetTable]
    blank_sheets: list[str]
    other_sheets: list[str]
    issues: list[Issue] = field(default_factory=list)


def sniff(path: Path) -> None:
    """Refuse files that are not workbooks, with a message that says what they are.

    Classifies by the first bytes, since names lie: system exports are often HTML or CSV
    named .xls, and an encrypted .xlsx is an OLE container like a legacy .xls.
    """
    with path.open("rb") as stream:
        head = stream.read(4096)
    if not head:
        raise UnreadableWorkbook("文件是空的（0 字节）", "0 字节")
    if head.startswith(b"PK\x03\x04"):
        return
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        if _is_encrypted(path):
            raise UnsupportedFormat("工作簿设置了打开密码（已加密），无法读取", "已加密")
        return
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(b"<") and (b"<html" in text or b"<table" in text or b"<?xml" in text):
        raise UnsupportedFormat("文件实际是网页（HTML/XML）格式，只是扩展名为 Excel", "HTML")
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        try:
            head.decode("gb18030")
        except UnicodeDecodeError:
            raise UnreadableWorkbook("文件不是 Excel 工作簿，也无法识别格式", "未知格式") from None
    raise UnsupportedFormat("文件实际是文本（CSV/TXT）格式，只是扩展名为 Excel", "文本")


def _is_encrypted(path: Path) -> bool:
    # An encrypted OOXML package is an OLE file holding an "EncryptedPackage" stream; the
    # directory entry names are UTF-16LE.
    marker = "EncryptedPackage".encode("utf-16-le")
    with path.open("rb") as stream:
        return marker in stream.read(1 << 20)


def read_workbook(path: Path) -> WorkbookRead:
    """Read every project table of a workbook.

    Raises a `WorkbookError` subclass when the file cannot be used at all.
    """
    sniff(path)
    try:
        book = calamine.CalamineWorkbook.from_path(str(path))
    except calamine.PasswordError as exc:
        raise UnsupportedFormat("工作簿设置了打开密码，无法读取", "已加密") from exc
    except (calamine.CalamineError, calamine.ZipError, calamine.XmlError, ValueError) as exc:
        raise UnreadableWorkbook("文件已损坏或不完整", str(exc)[:200]) from exc
    try:
        return _read_book(path, book)
    except (calamine.CalamineError, calamine.ZipError, calamine.XmlError) as exc:
        raise UnreadableWorkbook("文件已损坏或不完整", str(exc)[:200]) from exc
    finally:
        book.close()


def _read_book(path: Path, book: calamine.CalamineWorkbook) -> WorkbookRead:
    meta: dict[str, str] = {}
    tables: list[SheetTable] = []
    blank: list[str] = []
    other: list[str] = []
    for info in book.sheets_metadata:
        grid = book.get_sheet_by_name(info.name).to_python(skip_empty_area=False)
        if info.name == META_SHEET:
            meta = {as_text(r[0]): as_text(r[1]) for r in grid if len(r) >= 2 and r[0]}
            continue
        hidden = info.visible != calamine.SheetVisibleEnum.Visible
        table = read_table(info.name, grid, hidden=hidden)
        if table is None:
            other.append(info.name)
        elif table.is_blank:
            blank.append(info.name)
        else:
            tables.append(table)
    if not tables and not blank:
        raise NotTemplate("工作簿中没有绩效目标表", "、".join(other) or "无工作表")
    return WorkbookRead(path, meta, tables, blank, other)


def read_table(sheet: str, grid: Grid, *, hidden: bool = False) -> SheetTable | None:
    """Read one sheet as a project table, or None if it does not hold one."""
    labels = _label_positions(grid)
    if _PROJECT_MARKER not in labels:
        return None
    fields = {f.key: _field_value(grid, labels, f.key) for f in HEADER_FIELDS}
    header = _find_indicator_header(grid)
    columns: dict[str, str] = {}
    rows: list[dict[str, Cell]] = []
    header_ref = ""
    if header is not None:
        positions = {}
        for c, value in enumerate(grid[header]):
            key = _COLUMN_KEYS.get(label_key(value))
            if key and key not in positions:
                positions[key] = c
        columns = {k: xl_col_to_name(c) for k, c in positions.items()}
        header_ref = f"A{header + 1}"
        rows = _indicator_rows(grid, header, positions)
    return SheetTable(sheet, hidden, _title(grid), fields, header_ref, columns, rows)


def _label_positions(grid: Grid) -> dict[str, tuple[int, int]]:
    """Where each text cell sits, by label key (the first occurrence wins)."""
    positions: dict[str, tuple[int, int]] = {}
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            if isinstance(value, str) and value.strip():
                positions.setdefault(label_key(value), (r, c))
    return positions


def _field_value(grid: Grid, labels: dict[str, tuple[int, int]], key: str) -> Cell:
    field_ = next(f for f in HEADER_FIELDS if f.key == key)
    wanted = label_key(field_.label)
    position = labels.get(wanted)
    if position is None:
        # The published layout puts label and value in one cell: "编制单位：107-…".
        for text, (r, c) in labels.items():
            if text.startswith(wanted) and len(text) > len(wanted):
                raw = _cell(grid, r, c)
                value = str(raw).split("：", 1)[-1].split(":", 1)[-1]
                return Cell(value.strip(), _ref(r, c))
        return Cell(None, "")
    r, c = position
    for col in range(c + 1, c + 1 + field_.span):
        value = _cell(grid, r, col)
        if not is_blank(value):
            if isinstance(value, str) and label_key(value) in _HEADER_KEYS:
                break  # the next label: this field's value cell is empty
            return Cell(value, _ref(r, col))
    return Cell(None, _ref(r, c + 1))


def _find_indicator_header(grid: Grid) -> int | None:
    for r, row in enumerate(grid):
        keys = {label_key(v) for v in row if isinstance(v, str)}
        if all(marker in keys for marker in _TABLE_MARKERS):
            return r
    return None


def _indicator_rows(grid: Grid, header: int, positions: dict[str, int]) -> list[dict[str, Cell]]:
    rows = []
    for r in range(header + 1, len(grid)):
        first = next((label_key(v) for v in grid[r] if not is_blank(v)), "")
        if first.startswith(_END_MARKERS):
            break
        cells = {k: Cell(_cell(grid, r, c), _ref(r, c)) for k, c in positions.items()}
        if all(is_blank(cell.value) for cell in cells.values()):
            continue
        rows.append(cells)
    return rows


def _title(grid: Grid) -> Cell:
    for r, row in enumerate(grid[:_TITLE_SCAN_ROWS]):
        for c, value in enumerate(row):
            if isinstance(value, str) and TITLE_RE.search(label_key(value)):
                return Cell(value, _ref(r, c))
    return Cell(None, "")


def _cell(grid: Grid, r: int, c: int) -> object:
    if r < len(grid) and c < len(grid[r]):
        return grid[r][c]
    return None


def _ref(r: int, c: int) -> str:
    return f"{xl_col_to_name(c)}{r + 1}"
