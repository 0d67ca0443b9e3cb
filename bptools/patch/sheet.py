"""One existing worksheet's XML, edited as text: new style ids on some cells (a cell or a
row the sheet lacks is inserted in order), a legacy drawing for comments, and its tab
unselected. Everything else in the part stays as the department's program wrote it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ..sheetxml import col_number, column_letters
from .parts import REL_NS, PatchError, attributes

# Elements that follow legacyDrawing in a worksheet (ECMA-376 CT_Worksheet order).
_AFTER_LEGACY = (
    b"legacyDrawingHF",
    b"drawingHF",
    b"picture",
    b"oleObjects",
    b"controls",
    b"webPublishItems",
    b"tableParts",
    b"extLst",
)
_REF = re.compile(r"^([A-Z]{1,3})([1-9][0-9]*)$")


def split_ref(ref: str) -> tuple[int, int]:
    """ "B7" -> (row 7, column 2)."""
    m = _REF.match(ref)
    if m is None:
        raise PatchError(f"not a cell reference: {ref}")
    return int(m[2]), col_number(m[1].encode())


@dataclass(frozen=True)
class Area:
    """A merged range, or one cell."""

    top: int
    left: int
    bottom: int
    right: int

    def __contains__(self, place: tuple[int, int]) -> bool:
        row, col = place
        return self.top <= row <= self.bottom and self.left <= col <= self.right

    def cells(self) -> list[tuple[int, int]]:
        return [
            (r, c)
            for r in range(self.top, self.bottom + 1)
            for c in range(self.left, self.right + 1)
        ]


class Sheet:
    """The XML of one worksheet part."""

    def __init__(self, content: bytes) -> None:
        self.text = content
        head = re.search(rb"<(\w+:)?worksheet\b[^>]*>", content)
        if head is None:
            raise PatchError("worksheet part without worksheet")
        self.p = head[1] or b""
        self._root = head
        self.merged = [_area(attributes(t).get("ref", "")) for t in self._find_all(b"mergeCell")]

    def _find_all(self, name: bytes) -> list[bytes]:
        return re.findall(rb"<" + re.escape(self.p) + name + rb"\b[^>]*>", self.text)

    def area(self, row: int, col: int) -> Area:
        """The merged range holding the cell, or the cell alone."""
        for each in self.merged:
            if each is not None and (row, col) in each:
                return each
        return Area(row, col, row, col)

    def styles(self, places: set[tuple[int, int]]) -> dict[tuple[int, int], int]:
        """The style id each cell has now (a missing cell: its row's or 0)."""
        found: dict[tuple[int, int], int] = {}
        for row, (start, end) in self._rows({r for r, _ in places}).items():
            if start < 0:
                continue
            tag, cells = self._row_cells(start, end)
            row_style = int(attributes(tag).get("s", 0)) if b"customFormat" in tag else 0
            for col in (c for r, c in places if r == row):
                cell = cells.get(col)
                found[(row, col)] = int(attributes(cell[2]).get("s", 0)) if cell else row_style
        return {place: found.get(place, 0) for place in places}

    def set_styles(self, styles: Mapping[tuple[int, int], int]) -> None:
        """Give each cell its new style id; cells and rows the sheet lacks are inserted."""
        rows = self._rows({r for r, _ in styles})
        text = self.text
        # From the bottom up, so the positions found stay valid.
        for row in sorted(rows, reverse=True):
            start, end = rows[row]
            wanted = {c: s for (r, c), s in styles.items() if r == row}
            if start < 0:  # no such row: a new one at position `end`
                cells = b"".join(_new_cell(row, c, s, self.p) for c, s in sorted(wanted.items()))
                new = b'<%srow r="%d">%s</%srow>' % (self.p, row, cells, self.p)
                text = text[:end] + new + text[end:]
                continue
            text = text[:start] + self._restyle_row(row, start, end, wanted) + text[end:]
        self.text = text

    def _restyle_row(self, row: int, start: int, end: int, wanted: dict[int, int]) -> bytes:
        tag, cells = self._row_cells(start, end)
        body = self.text[start:end]
        pieces: list[tuple[int, int, bytes]] = []  # (offset in body, end offset, new bytes)
        closing = body.rfind(b"</")
        if tag.endswith(b"/>"):  # <row r="7"/>: open it
            opened = tag[:-2].rstrip() + b">"
            inner = b"".join(_new_cell(row, c, s, self.p) for c, s in sorted(wanted.items()))
            return opened + inner + b"</" + self.p + b"row>"
        for col, s in sorted(wanted.items()):
            if col in cells:
                c_start, _, c_tag = cells[col]
                pieces.append((c_start, c_start + len(c_tag), _with_style(c_tag, s)))
            else:
                after = [cells[c][0] for c in cells if c > col]
                at = min(after) if after else closing
                pieces.append((at, at, _new_cell(row, col, s, self.p)))
        for offset, stop, new in sorted(pieces, reverse=True):
            body = body[:offset] + new + body[stop:]
        return body

    def _rows(self, wanted: set[int]) -> dict[int, tuple[int, int]]:
        """For each wanted row, the span of its element, or (-1, insertion point)."""
        p = re.escape(self.p)
        data = re.search(rb"<" + p + rb"sheetData\b[^>]*?(/?)>", self.text)
        if data is None:
            raise PatchError("no sheetData")
        if data[1]:
            raise PatchError("empty sheetData")  # rare: a sheet with no cells at all
        close = self.text.index(b"</" + self.p + b"sheetData>", data.end())
        spans: dict[int, tuple[int, int]] = {}
        pending = sorted(wanted)
        row_close = b"</" + self.p + b"row>"
        row_tag = re.compile(rb"<" + p + rb"row\b[^>]*?(/?)>")
        for m in row_tag.finditer(self.text, data.end(), close):
            number = attributes(m[0]).get("r")
            if number is None:
                raise PatchError("row without reference")
            n = int(number)
            while pending and pending[0] < n:
                spans[pending.pop(0)] = (-1, m.start())
            if pending and pending[0] == n:
                end = m.end() if m[1] else self.text.index(row_close, m.end()) + len(row_close)
                spans[pending.pop(0)] = (m.start(), end)
            if not pending:
                break
        for n in pending:
            spans[n] = (-1, close)
        return spans

    def _row_cells(self, start: int, end: int) -> tuple[bytes, dict[int, tuple[int, int, bytes]]]:
        """A row's start tag and its cells: column -> (offset in the row, end, start tag)."""
        body = self.text[start:end]
        tag_end = body.index(b">") + 1
        cells: dict[int, tuple[int, int, bytes]] = {}
        p = re.escape(self.p)
        for m in re.finditer(rb"<" + p + rb"c\b[^>]*?(/?)>", body[tag_end:]):
            ref = attributes(m[0]).get("r")
            if ref is None:
                raise PatchError("cell without reference")
            _, col = split_ref(ref)
            offset = tag_end + m.start()
            cells[col] = (offset, tag_end + m.end(), m[0])
        return body[:tag_end], cells

    # --- tabs and drawings ----------------------------------------------------------------

    def unselect(self) -> None:
        self.text = re.sub(
            rb'(<(?:\w+:)?sheetView\b[^>]*?)\s+tabSelected="(?:1|true)"', rb"\1", self.text
        )

    def legacy_drawing(self) -> str | None:
        tags = self._find_all(b"legacyDrawing")
        for tag in tags:
            for name, value in attributes(tag).items():
                if name.endswith(":id"):
                    return value
        return None

    def add_legacy_drawing(self, rid: str) -> None:
        prefix = self._rel_prefix()
        new = b'<%slegacyDrawing %s:id="%s"/>' % (self.p, prefix, rid.encode())
        p = re.escape(self.p)
        at = None
        for name in _AFTER_LEGACY:
            m = re.search(rb"<" + p + name + rb"\b", self.text)
            if m and (at is None or m.start() < at):
                at = m.start()
        if at is None:
            at = self.text.rindex(b"</" + self.p + b"worksheet>")
        self.text = self.text[:at] + new + self.text[at:]

    def _rel_prefix(self) -> bytes:
        """The prefix the root declares for the relationships namespace, declared if none."""
        root = self._root[0]
        m = re.search(rb'xmlns:(\w+)="' + re.escape(REL_NS.encode()) + rb'"', root)
        if m:
            return m[1]
        declared = root[:-1].rstrip(b"/") + b' xmlns:bpr="' + REL_NS.encode() + b'"'
        declared += b"/>" if root.endswith(b"/>") else b">"
        self.text = self.text.replace(root, declared, 1)
        return b"bpr"


def _area(ref: str) -> Area | None:
    try:
        first, _, last = ref.partition(":")
        top, left = split_ref(first)
        bottom, right = split_ref(last or first)
    except PatchError:
        return None
    return Area(top, left, bottom, right)


def _new_cell(row: int, col: int, style: int, prefix: bytes) -> bytes:
    return b'<%sc r="%s%d" s="%d"/>' % (prefix, column_letters(col).encode(), row, style)


def _with_style(tag: bytes, style: int) -> bytes:
    if re.search(rb'\ss="[^"]*"', tag):
        return re.sub(rb'\ss="[^"]*"', b' s="%d"' % style, tag, count=1)
    return re.sub(rb"^(<(?:\w+:)?c\b)", rb'\1 s="%d"' % style, tag)
