"""收件台账: every file ever received into this output folder, a row each, by department and
round, then the roster's departments that have sent nothing."""

from __future__ import annotations

from collections.abc import Callable

from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from ..ledger_view import MISSING, NEEDS_FIX, UNREADABLE, Entry, Ledger
from ..rules import Severity
from ..write.book import set_page
from ..write.style import Page
from ..write.table import Col, write_table
from .book import Book

LEDGER_SHEET = "收件台账"
CHANGES_SHOWN = 5  # findings named in 变化说明, each way; the rest are counted
LEDGER_COLUMNS = [
    Col("单位", max_width=24),
    Col("文件名", max_width=26),
    Col("第几次\n报送", "int", 7),
    Col("收到时间", max_width=19),
    Col("状态", max_width=14),
    *(Col(s.value, "int", 6) for s in Severity),
    Col("已改正", "int", 7),
    Col("新出现", "int", 7),
    Col("与上次报送相比", "wrap", 44),
    Col("文件修改时间", max_width=19),
    Col("内容摘要\n（SHA-256）", max_width=14),
]
STATUS_COLUMN = 4
ALARMS = (NEEDS_FIX, UNREADABLE, MISSING)  # statuses shown in the 错误 colour


def write_ledger(book: Book, ws: Worksheet, ledger: Ledger) -> None:
    rows = [_row(entry) for entry in ledger.entries]
    blank = [None] * (len(LEDGER_COLUMNS) - STATUS_COLUMN - 1)
    rows += [[m.label, "", None, "", MISSING, *blank] for m in ledger.missing]
    write_table(ws, book.f, 0, LEDGER_COLUMNS, rows, styles={STATUS_COLUMN: _alarm(book)})
    set_page(ws, Page(landscape=True, repeat=(0, 0)))


def _row(entry: Entry) -> list[object]:
    changed = entry.readable and entry.round is not None and entry.round > 1
    return [
        entry.unit,
        entry.name,
        entry.round,
        entry.received,
        entry.status,
        *(entry.counts[s.value] for s in Severity),
        len(entry.fixed) if changed else None,
        len(entry.new) if changed else None,
        change_text(entry),
        entry.modified,
        entry.digest[:12],
    ]


def change_text(entry: Entry) -> str:
    """What the entry's round fixed and brought, a few findings named each way."""
    if not entry.readable:
        return "本次文件无法读取，未与上次报送比较" if entry.round and entry.round > 1 else ""
    parts = []
    for label, found in (("已改正", entry.fixed), ("新出现", entry.new)):
        if found:
            named = "；".join(found[:CHANGES_SHOWN])
            more = f" 等 {len(found)} 条" if len(found) > CHANGES_SHOWN else ""
            parts.append(f"{label}：{named}{more}")
    return "\n".join(parts)


def _alarm(book: Book) -> Callable[[object], Format | None]:
    alarm = book.f[Severity.ERROR.value]

    def style(value: object) -> Format | None:
        return alarm if value in ALARMS else None

    return style
