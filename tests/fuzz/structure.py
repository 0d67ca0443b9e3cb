"""Fuzz family `structure`: the workbook's shape changed the way people change it in Excel or
WPS (rows inserted, sheets renamed, hidden, reordered, copied), or pushed to sizes no one
fills in by hand (thousands of rows, hundreds of sheets, a value at the sheet's far end).
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from .parts import (
    CONTENT_TYPES,
    SHARED_STRINGS,
    WORKBOOK,
    WORKBOOK_RELS,
    WORKSHEET_REL,
    WORKSHEET_TYPE,
    Job,
    Variant,
    append_rows,
    attr,
    far_row,
    filled_rows,
    inline_text,
    renumber_row,
    repack,
    rows_of,
    shift_rows,
)

FAR_CELLS = ("XFD1048576", "Z100000", "H600000")
ONEIL_UNIT = "107-北碚区O'Neil局"
TABLE_COLUMNS = "ABCDEFGH"
LAST_TEMPLATE_ROW = 40  # the template leaves indicator rows 11-40 for filling in


def _project(job: Job) -> tuple[str, str]:
    return job.rng.choice(job.source.projects)


def structure_insert_rows(job: Job) -> bytes:
    """1-5 rows inserted above the table (a heading such as 附件2 added on top), every row
    and reference below moved down as Excel moves them; the print area is left as it was."""
    _, part = _project(job)
    count = job.rng.randint(1, 5)
    sheet = shift_rows(job.source.member(part), 1, count)
    note = job.rng.choice(["附件2", "填报单位（盖章）：", "2023年预算 第二批"])
    rows = b'<row r="1"><c r="A1" t="inlineStr">' + inline_text(note).encode() + b"</c></row>"
    rows += b"".join(b'<row r="%d"/>' % r for r in range(2, count + 1))
    sheet = sheet.replace(b"<sheetData>", b"<sheetData>" + rows, 1)
    return repack(job.source, {part: sheet})


def _renamed(job: Job, new: str) -> bytes:
    old, _ = _project(job)
    workbook = job.source.member(WORKBOOK)
    workbook = workbook.replace(
        f'<sheet name="{attr(old)}"'.encode(), f'<sheet name="{attr(new)}"'.encode(), 1
    )
    quoted = "'" + new.replace("'", "''") + "'"  # as Excel rewrites the defined names
    workbook = workbook.replace(f">{old}!".encode(), f">{escape(quoted)}!".encode())
    return repack(job.source, {WORKBOOK: workbook})


def _rename(names: tuple[str, ...], what: str) -> Variant:
    def rename(job: Job) -> bytes:
        return _renamed(job, job.rng.choice(names))

    rename.__doc__ = f"A project sheet renamed {what}: {', '.join(map(repr, names))}."
    return rename


def _sheet_state(state: str) -> Variant:
    def hide(job: Job) -> bytes:
        name, _ = _project(job)
        workbook = job.source.member(WORKBOOK)
        tag = f'<sheet name="{attr(name)}"'.encode()
        workbook = workbook.replace(tag, tag + f' state="{state}"'.encode(), 1)
        return repack(job.source, {WORKBOOK: workbook})

    hide.__doc__ = f"A project sheet made {state} (Format › Sheet › Hide, or VBA for veryHidden)."
    return hide


def structure_reorder(job: Job) -> bytes:
    """The sheet tabs dragged into another order."""
    workbook = job.source.member(WORKBOOK)
    block = re.search(rb"<sheets>(.*?)</sheets>", workbook, re.S)
    assert block is not None
    sheets = re.findall(rb"<sheet [^>]*/>", block[1])
    order = list(sheets)
    while order == sheets:
        job.rng.shuffle(order)
    body = b"<sheets>" + b"".join(order) + b"</sheets>"
    workbook = workbook[: block.start()] + body + workbook[block.end() :]
    return repack(job.source, {WORKBOOK: re.sub(rb' activeTab="\d+"', b"", workbook)})


def structure_merge_table(job: Job) -> bytes:
    """Cells of the indicator table merged (Merge & Center over a block of indicators)."""
    _, part = _project(job)
    sheet = job.source.member(part)
    rows = filled_rows(sheet)
    top = job.rng.choice(rows)
    bottom = min(top + job.rng.randint(0, 20), LAST_TEMPLATE_ROW)
    left = job.rng.randrange(len(TABLE_COLUMNS) - 1)
    right = job.rng.randrange(left + 1, len(TABLE_COLUMNS))
    ref = f"{TABLE_COLUMNS[left]}{top}:{TABLE_COLUMNS[right]}{bottom}".encode()
    sheet = re.sub(
        rb'<mergeCells count="(\d+)">',
        lambda m: b'<mergeCells count="%d"><mergeCell ref="%s"/>' % (int(m[1]) + 1, ref),
        sheet,
        count=1,
    )
    return repack(job.source, {part: sheet})


def structure_rows_5000(job: Job) -> bytes:
    """5,000 indicator rows (the filled ones copied down, the totals moved below them): a
    table pasted from a system export."""
    _, part = _project(job)
    sheet = job.source.member(part)
    filled = {n: row for n, row in rows_of(sheet) if n in filled_rows(sheet)}
    first = min(filled)
    copies = [filled[first + i % len(filled)] for i in range(5000)]
    sheet = shift_rows(sheet, LAST_TEMPLATE_ROW + 1, first + 5000 - LAST_TEMPLATE_ROW - 1)
    rows = rows_of(sheet)
    data = b"<sheetData>" + b"".join(row for n, row in rows if n < first)
    data += b"".join(renumber_row(row, first + i) for i, row in enumerate(copies))
    data += b"".join(row for n, row in rows if n > LAST_TEMPLATE_ROW) + b"</sheetData>"
    sheet = re.sub(rb"<sheetData>.*</sheetData>", lambda _: data, sheet, count=1, flags=re.S)
    return repack(job.source, {part: sheet})


def _with_copies(job: Job, total: int, far: str = "") -> bytes:
    """The workbook with project sheets 项目<n+1>…项目<total> added as copies of one of its
    own (with a value at `far` in each, when given)."""
    _, part = _project(job)
    sheet = job.source.member(part)
    if far:
        sheet = append_rows(sheet, far_row(far))
    existing = len(job.source.projects)
    sheets, rels, types, extra = [], [], [], []
    for n in range(existing + 1, total + 1):
        name = f"xl/worksheets/copy{n}.xml"
        extra.append((name, sheet))
        sheets.append(f'<sheet name="项目{n}" sheetId="{1000 + n}" r:id="rIdCopy{n}"/>')
        target = f"worksheets/copy{n}.xml"
        rels.append(f'<Relationship Id="rIdCopy{n}" Type="{WORKSHEET_REL}" Target="{target}"/>')
        types.append(f'<Override PartName="/{name}" ContentType="{WORKSHEET_TYPE}"/>')
    last = job.source.projects[-1][0]
    workbook = re.sub(
        rb'(<sheet name="%s"[^>]*/>)' % re.escape(attr(last).encode()),
        lambda m: m[1] + "".join(sheets).encode(),
        job.source.member(WORKBOOK),
        count=1,
    )
    changes = {
        WORKBOOK: workbook,
        WORKBOOK_RELS: _before(job.source.member(WORKBOOK_RELS), b"</Relationships>", rels),
        CONTENT_TYPES: _before(job.source.member(CONTENT_TYPES), b"</Types>", types),
    }
    return repack(job.source, changes, extra)


def _before(part: bytes, end: bytes, items: list[str]) -> bytes:
    return part.replace(end, "".join(items).encode() + end, 1)


def structure_sheets_300(job: Job) -> bytes:
    """300 project sheets, copies of one ("Move or Copy › Create a copy" done in a loop)."""
    return _with_copies(job, 300)


def _far(ref: str) -> Variant:
    def far(job: Job) -> bytes:
        _, part = _project(job)
        return repack(job.source, {part: append_rows(job.source.member(part), far_row(ref))})

    far.__doc__ = f"A stray value at {ref} of a project sheet (a key pressed after Ctrl+↓)."
    return far


def structure_far_100_sheets(job: Job) -> bytes:
    """100 project sheets, each with a stray value far down (at Z100000 or H600000): each
    sheet within the per-sheet limits, all of them together far beyond what fits in memory."""
    return _with_copies(job, 100, far=job.rng.choice(FAR_CELLS[1:]))


def structure_dept_oneil(job: Job) -> bytes:
    """The department in 编制单位 renamed to 107-北碚区O'Neil局 in every sheet (an apostrophe
    where sheet references and file names quote with one)."""
    sst = job.source.member(SHARED_STRINGS)
    pattern = rb"<t>%s-[^<]*</t>" % job.source.code.encode()
    sst = re.sub(pattern, f"<t>{escape(ONEIL_UNIT)}</t>".encode(), sst)
    return repack(job.source, {SHARED_STRINGS: sst})


STRUCTURE: dict[str, Variant] = {
    "structure-insert-rows": structure_insert_rows,
    "structure-rename-apostrophe": _rename(
        ("O'Neil", "项目1 O'Neil", "张三's 项目"), "with an apostrophe"
    ),
    "structure-rename-brackets": _rename(
        ("项目[1]", "[项目1]", "项目:1", "项目*1", "项目?", "项目/1", "项目\\1"),
        "with characters Excel does not allow",
    ),
    "structure-rename-31": _rename(
        (("碚有引力专项资金" * 4)[:31], "P" * 31, ("人才项目 " * 7)[:31]), "to 31 characters"
    ),
    "structure-rename-spaces": _rename(
        (" 项目1", "项目1 ", "  项目1  ", "\u3000项目1"), "with leading or trailing spaces"
    ),
    "structure-hidden": _sheet_state("hidden"),
    "structure-veryhidden": _sheet_state("veryHidden"),
    "structure-reorder": structure_reorder,
    "structure-merge-table": structure_merge_table,
    "structure-rows-5000": structure_rows_5000,
    "structure-sheets-300": structure_sheets_300,
    "structure-far-xfd": _far("XFD1048576"),
    "structure-far-z100000": _far("Z100000"),
    "structure-far-h600000": _far("H600000"),
    "structure-far-100-sheets": structure_far_100_sheets,
    "structure-dept-oneil": structure_dept_oneil,
}
