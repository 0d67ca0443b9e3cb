"""Read filled workbooks: every sheet that holds a project table, within bounded cost.

`bptools.package` first checks what each file really is and that it is safe to open;
`bptools.sheet` reads one sheet as a project table.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine as calamine

from .errors import NotTemplate, TooLarge, UnreadableWorkbook, UnsupportedFormat
from .limits import MAX_BOOK_CELLS, MAX_PROJECTS, MAX_READ_COLS, MAX_READ_ROWS, MAX_SHEETS
from .normalize import as_text
from .package import MAX_SHEET_CELLS, Package, inspect_zip, sniff
from .rules.files import legacy_format, workbook_blank
from .rules.sheets import beyond_read_area, hidden_sheet, sheets_not_read
from .schema import FIELDS_BY_KEY, META_SHEET
from .sheet import Grid, Issue, Merged, SheetTable, cell_ref, read_formulas, read_table
from .sheetxml import column_letters

_SUFFIX_KINDS = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".xlsb": "xlsb", ".ods": "ods"}
_WPS_SUFFIXES = (".et", ".ett")
_LEGACY_KINDS = {
    "et": "WPS 表格",
    "ett": "WPS 表格模板",
    "xls": "Excel 97-2003 工作簿",
    "xlsb": "Excel 二进制工作簿",
    "ods": "OpenDocument 电子表格",
}


@dataclass
class WorkbookRead:
    path: Path
    meta: dict[str, str]
    tables: list[SheetTable]
    blank_sheets: list[str]
    other_sheets: list[str]
    issues: list[Issue] = field(default_factory=list)


# --- Opening and reading the workbook -----------------------------------------------------


def read_workbook(path: Path) -> WorkbookRead:
    """Read every project table of a workbook.

    Raises a `WorkbookError` subclass when the file cannot be used at all; how it was filled
    in (legacy format, hidden sheets, formulas, missing labels, ...) becomes `issues`.
    """
    package = inspect_zip(path) if sniff(path) == "zip" else Package("xls")
    try:
        with _calamine_errors():
            book = _open(path, package)
            try:
                return _read_book(path, book, package)
            finally:
                book.close()
    except UnreadableWorkbook as exc:
        if path.suffix.lower() not in _WPS_SUFFIXES:
            raise
        raise UnsupportedFormat(
            "这个 WPS 表格文件无法直接读取，请在 WPS 中“另存为” Excel 工作簿（.xlsx）后重新提交",
            path.suffix.lower(),
        ) from exc


@contextmanager
def _calamine_errors() -> Iterator[None]:
    """calamine's errors as ours; a Rust panic (a BaseException) too, so one file never
    stops a run."""
    try:
        yield
    except calamine.PasswordError as exc:
        raise UnsupportedFormat("工作簿设置了打开密码，无法读取", "已加密") from exc
    except (calamine.CalamineError, calamine.ZipError, calamine.XmlError) as exc:
        if "limit exceeded" in str(exc):  # calamine's own cap on repeated .ods cells
            raise TooLarge(f"表格展开后的单元格过多（{exc}）") from exc
        raise UnreadableWorkbook("文件已损坏或不完整", str(exc)[:200]) from exc
    except BaseException as exc:
        if type(exc).__name__ != "PanicException":
            raise
        raise UnreadableWorkbook("文件已损坏或不完整", str(exc)[:200]) from exc


def _open(path: Path, package: Package) -> calamine.CalamineWorkbook:
    if package.trimmed is not None:
        return calamine.CalamineWorkbook.from_filelike(io.BytesIO(package.trimmed))
    if _SUFFIX_KINDS.get(path.suffix.lower()) == package.kind:
        return calamine.CalamineWorkbook.from_path(str(path))
    # Named as another format (an .xls saved as .xlsx): let calamine go by the content.
    return calamine.CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes()))


def _read_book(path: Path, book: calamine.CalamineWorkbook, package: Package) -> WorkbookRead:
    read = WorkbookRead(path, {}, [], [], [])
    wps = path.suffix.lower() in _WPS_SUFFIXES
    if package.kind in _LEGACY_KINDS or wps:
        kind = path.suffix.lower()[1:] if wps else package.kind
        format_ = {"format": _LEGACY_KINDS[kind]}
        read.issues.append(Issue(legacy_format, value=f".{kind}", params=format_))
    budget = MAX_BOOK_CELLS
    unread: list[str] = []
    for n, info in enumerate(book.sheets_metadata):
        if info.typ != calamine.SheetTypeEnum.WorkSheet:
            read.other_sheets.append(info.name)
            continue
        if n >= MAX_SHEETS or len(read.tables) >= MAX_PROJECTS:
            unread.append(info.name)
            continue
        sheet = book.get_sheet_by_name(info.name)
        rows, cols = _extent(info.name, sheet)
        area = min(rows, MAX_READ_ROWS) * cols
        if area > budget:
            unread.append(info.name)
            continue
        budget -= area
        grid = sheet.to_python(skip_empty_area=False, nrows=MAX_READ_ROWS)
        if cols > MAX_READ_COLS:
            grid = [row[:MAX_READ_COLS] for row in grid]
        if info.name == META_SHEET:
            read.meta = {as_text(r[0]): as_text(r[1]) for r in grid if len(r) >= 2 and r[0]}
            continue
        table = _project_table(info, grid, sheet.merged_cell_ranges, package, (rows, cols))
        if table is None:
            read.other_sheets.append(info.name)
        elif table.is_blank:
            read.blank_sheets.append(info.name)
        else:
            read.tables.append(table)
            read.issues.extend(table.issues)
    if unread:
        read.issues.append(_unread_sheets(unread))
    if not read.tables and not read.blank_sheets:
        raise NotTemplate("工作簿中没有绩效目标表", "、".join(read.other_sheets) or "无工作表")
    if not read.tables:
        read.issues.append(_blank_workbook(read.blank_sheets))
    return read


def _project_table(
    info: calamine.SheetMetadata,
    grid: Grid,
    merged: Merged | None,
    package: Package,
    extent: tuple[int, int],
) -> SheetTable | None:
    hidden = info.visible != calamine.SheetVisibleEnum.Visible
    scan = package.sheets.get(info.name)
    formats = scan.formats if scan is not None else {}
    table = read_table(info.name, grid, hidden=hidden, merged=merged, formats=formats)
    if table is None:
        return None
    if scan is not None:
        read_formulas(table, scan.formulas, recalc=package.recalc)
        extent = (scan.rows, scan.cols)  # before trimming: what the file holds
    if extent[0] > MAX_READ_ROWS or extent[1] > MAX_READ_COLS:
        table.issues.append(_beyond_read_area(info.name, *extent))
    if hidden:
        very = info.visible == calamine.SheetVisibleEnum.VeryHidden
        how = {"how": "深度隐藏（只能在 VBA 中取消隐藏）" if very else "隐藏"}
        table.issues.append(
            Issue(hidden_sheet, info.name, table.fields["name"].ref, info.name, how)
        )
    return table


def _extent(name: str, sheet: calamine.CalamineSheet) -> tuple[int, int]:
    """Rows and columns from A1 to the sheet's last cell, refused when calamine's copy of
    them would be absurd (the .xlsx sheets were checked, and trimmed, before calamine built
    them; this catches the other formats)."""
    rows, cols = (sheet.end[0] + 1, sheet.end[1] + 1) if sheet.end else (0, 0)
    if rows * cols > MAX_SHEET_CELLS:
        raise TooLarge(f"工作表“{name}”的数据区域达 {rows} 行 × {cols} 列，超过可读取的上限")
    return rows, cols


def _beyond_read_area(sheet: str, rows: int, cols: int) -> Issue:
    """BP120: the sheet holds values beyond the rows and columns read."""
    last = f"{column_letters(cols)}{rows}"
    area = f"A1:{column_letters(MAX_READ_COLS)}{MAX_READ_ROWS}"
    return Issue(beyond_read_area, sheet, "", last, {"area": area, "rows": rows, "cols": cols})


def _unread_sheets(names: list[str]) -> Issue:
    """BP121: sheets past the limits of one workbook."""
    shown = "、".join(names[:10]) + ("……" if len(names) > 10 else "")
    limits = {"sheets": MAX_SHEETS, "projects": MAX_PROJECTS}
    return Issue(sheets_not_read, "", "", shown, {"count": len(names), **limits})


def _blank_workbook(sheets: list[str]) -> Issue:
    """BP006 at the first sheet's 一级项目名称 value cell, where filling in starts."""
    name = FIELDS_BY_KEY["name"]
    cell = cell_ref(name.row - 1, name.col)  # the column right of the label (1-based col)
    return Issue(workbook_blank, sheets[0], cell, "、".join(sheets), {"count": len(sheets)})
