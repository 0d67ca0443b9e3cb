"""xl/workbook.xml and the shared strings: a sheet put first (an earlier one of the same
name taken out), the defined names that count sheets by position renumbered, the workbook
opening on the new sheet."""

from __future__ import annotations

import re
from collections.abc import Callable
from xml.sax.saxutils import unescape

from ..write.ooxml import attr, text
from .parts import (
    CONTENT_TYPES,
    MAIN_NS,
    REL_NS,
    XML_DECL,
    Parts,
    PatchError,
    attributes,
    insert_before_close,
    rels_name,
)
from .styles import Styles

WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_SHEET = re.compile(rb"<(?:\w+:)?sheet\b[^>]*>")
_NAME = re.compile(rb"<((?:\w+:)?)definedName\b([^>]*)>(.*?)</(?:\w+:)?definedName>", re.S)


def workbook_part(parts: Parts) -> str:
    for rel in parts.relationships(""):
        if rel.type == "officeDocument":
            return rel.target
    raise PatchError("no workbook part")


def sheet_parts(parts: Parts, workbook: str) -> list[tuple[str, str]]:
    """(name, part) of every worksheet, in tab order."""
    targets = {rel.id: rel.target for rel in parts.relationships(workbook)}
    found = []
    for tag in _SHEET.findall(parts.get(workbook)):
        a = attributes(tag)
        rid = next((v for k, v in a.items() if k.endswith(":id")), None)
        if rid is None or rid not in targets:
            raise PatchError("sheet without its part")
        found.append((unescape(a.get("name", ""), {"&quot;": '"', "&apos;": "'"}), targets[rid]))
    return found


def remove_sheet(parts: Parts, workbook: str, name: str) -> None:
    """Take out the sheet called `name` (an earlier round's 审核意见) with its part."""
    content = parts.get(workbook)
    tags = _SHEET.findall(content)
    sheets = sheet_parts(parts, workbook)
    position = [n for n, _ in sheets].index(name)
    part = sheets[position][1]
    rid = next(v for k, v in attributes(tags[position]).items() if k.endswith(":id"))
    content = content.replace(tags[position], b"", 1)
    parts.put(
        workbook, _renumbered(content, lambda n: None if n == position else n - (n > position))
    )
    parts.unrelate(workbook, rid)
    parts.undeclare(part)
    parts.remove(part)
    parts.remove(rels_name(part))


def insert_first(
    parts: Parts, workbook: str, name: str, sheet: bytes, names: list[tuple[str, str, bool]]
) -> str:
    """Put `sheet` (worksheet XML) in front, called `name`, with the defined names
    (name, value, hidden) local to it; return its part name."""
    part = parts.free_name("xl/worksheets/sheet{}.xml")
    parts.put(part, sheet)
    parts.declare(part, WORKSHEET_TYPE)
    rid = parts.relate(workbook, "worksheet", part)
    content = parts.get(workbook)
    prefix = _prefix(content)
    ids = [int(attributes(t).get("sheetId", 0) or 0) for t in _SHEET.findall(content)]
    rel_prefix = _rel_prefix(content)
    if rel_prefix is None:
        content = re.sub(
            rb"(<(?:\w+:)?workbook\b)",
            rb'\1 xmlns:bpr="' + REL_NS.encode() + b'"',
            content,
            count=1,
        )
        rel_prefix = b"bpr"
    new = b'<%ssheet name="%s" sheetId="%d" %s:id="%s"/>' % (
        prefix,
        attr(name).encode(),
        max(ids, default=0) + 1,
        rel_prefix,
        rid.encode(),
    )
    opened = re.search(rb"<(?:\w+:)?sheets\b[^>]*?>", content)
    if opened is None or opened[0].endswith(b"/>"):
        raise PatchError("workbook without sheets")
    content = content[: opened.end()] + new + content[opened.end() :]
    content = _renumbered(content, lambda n: n + 1)
    for defined, value, hidden in names:
        content = _add_name(content, prefix, defined, value, hidden)
    parts.put(workbook, _first_active(content))
    return part


def _prefix(content: bytes) -> bytes:
    m = re.search(rb"<(\w+:)?workbook\b", content)
    if m is None:
        raise PatchError("workbook part without workbook")
    return m[1] or b""


def _rel_prefix(content: bytes) -> bytes | None:
    m = re.search(rb'xmlns:(\w+)="' + re.escape(REL_NS.encode()) + rb'"', content)
    return m[1] if m else None


def _renumbered(content: bytes, change: Callable[[int], int | None]) -> bytes:
    """Defined names local to a sheet follow it: `change` maps an old position to the new
    one, or to None for a name that goes with its sheet."""

    def renumber(m: re.Match[bytes]) -> bytes:
        local = re.search(rb'\blocalSheetId="(\d+)"', m[2])
        if local is None:
            return m[0]
        new = change(int(local[1]))
        if new is None:
            return b""
        return m[0].replace(local[0], b'localSheetId="%d"' % new, 1)

    return _NAME.sub(renumber, content)


def _add_name(content: bytes, prefix: bytes, name: str, value: str, hidden: bool) -> bytes:
    element = b'<%sdefinedName name="%s" localSheetId="0"%s>%s</%sdefinedName>' % (
        prefix,
        name.encode(),
        b' hidden="1"' if hidden else b"",
        text(value).encode(),
        prefix,
    )
    if re.search(rb"<(?:\w+:)?definedNames\b", content):
        return insert_before_close(content, b"definedNames", element)
    block = b"<%sdefinedNames>%s</%sdefinedNames>" % (prefix, element, prefix)
    after = re.search(rb"</(?:\w+:)?sheets>", content)
    assert after is not None
    # externalReferences and functionGroups, if any, come between sheets and definedNames.
    later = re.search(rb"</(?:\w+:)?externalReferences>", content)
    at = (later or after).end()
    return content[:at] + block + content[at:]


def _first_active(content: bytes) -> bytes:
    """Open on the first sheet, the only one selected."""

    def first(m: re.Match[bytes]) -> bytes:
        tag = re.sub(rb'\s(?:activeTab|firstSheet)="\d*"', b"", m[0])
        return re.sub(rb"(/?>)$", rb' activeTab="0"\1', tag)

    return re.sub(rb"<(?:\w+:)?workbookView\b[^>]*>", first, content)


class SharedStrings:
    """The shared string table, added to: strings we write are appended."""

    def __init__(self, parts: Parts, workbook: str) -> None:
        self.parts = parts
        related = next(
            (r.target for r in parts.relationships(workbook) if r.type == "sharedStrings"), None
        )
        # The usual name: some readers (python-calamine, bptools' own) look only there.
        usual = "xl/sharedStrings.xml"
        self.part = related or (
            usual if usual not in parts else parts.free_name("xl/sharedStrings{}.xml")
        )
        if self.part not in parts:
            empty = f'{XML_DECL}<sst xmlns="{MAIN_NS}" count="0" uniqueCount="0"></sst>'
            parts.put(self.part, empty.encode())
            parts.declare(self.part, STRINGS_TYPE)
            if related is None:
                parts.relate(workbook, "sharedStrings", self.part)
        content = parts.get(self.part)
        m = re.search(rb"<(\w+:)?sst\b", content)
        if m is None:
            raise PatchError("shared strings without sst")
        self.prefix = m[1] or b""
        self.base = len(re.findall(rb"<" + re.escape(self.prefix) + rb"si\b", content))
        self.added: dict[str, int] = {}
        self.uses = 0

    def index(self, value: str) -> int:
        self.uses += 1
        if value not in self.added:
            self.added[value] = self.base + len(self.added)
        return self.added[value]

    def save(self) -> None:
        if not self.added:
            return
        p = self.prefix.decode()
        new = "".join(
            f'<{p}si><{p}t xml:space="preserve">{text(v)}</{p}t></{p}si>' for v in self.added
        )
        content = self.parts.get(self.part)
        head = re.search(rb"<(?:\w+:)?sst\b[^>]*>", content)
        assert head is not None
        tag = head[0]
        total = self.base + len(self.added)
        count = re.search(rb'\bcount="(\d+)"', tag)
        used = (int(count[1]) if count else self.base) + self.uses
        tag = re.sub(rb'\s(?:count|uniqueCount)="[^"]*"', b"", tag)
        tag = re.sub(rb"(/?>)$", b' count="%d" uniqueCount="%d"\\1' % (used, total), tag)
        content = content.replace(head[0], tag, 1)
        self.parts.put(self.part, insert_before_close(content, b"sst", new.encode("utf-8")))


_RELS_TYPE = "application/vnd.openxmlformats-package.relationships+xml"
_MAIN_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_STYLES_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"


def new_package() -> Parts:
    """An empty workbook package, to hold only the sheets we add."""
    parts = Parts([], {})
    types = (
        f'{XML_DECL}<Types xmlns="{_TYPES_NS}">'
        f'<Default Extension="rels" ContentType="{_RELS_TYPE}"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_MAIN_TYPE}"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{_STYLES_TYPE}"/></Types>'
    )
    parts.put(CONTENT_TYPES, types.encode())
    workbook = (
        f'{XML_DECL}<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
        "<bookViews><workbookView/></bookViews><sheets></sheets></workbook>"
    )
    parts.put("xl/workbook.xml", workbook.encode())
    parts.relate("", "officeDocument", "xl/workbook.xml")
    parts.relate("xl/workbook.xml", "styles", "xl/styles.xml")
    parts.put("xl/styles.xml", Styles(None).content())
    return parts
