"""Comments on one sheet: the comments part and the VML drawing that shows them, created or
added to. An earlier round's comments (ours, by their author) go; a department's own
comment on a cell we comment is folded into ours, after it; every other comment and shape
(buttons and form controls live in the same drawing) stays as it was."""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.sax.saxutils import unescape

from ..sheetxml import column_letters
from ..write import style
from ..write.ooxml import attr, text
from .parts import MAIN_NS, Parts, PatchError, attributes, insert_before_close
from .sheet import Sheet, split_ref

COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
VML_TYPE = "application/vnd.openxmlformats-officedocument.vmlDrawing"
_VML = "urn:schemas-microsoft-com:vml"
_OFFICE = "urn:schemas-microsoft-com:office:office"
_EXCEL = "urn:schemas-microsoft-com:office:excel"
_SHAPE_BLOCK = 1024  # VML shape ids come in blocks of 1024 per drawing (o:idmap)
_NOTE_TYPE = (
    '<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202"'
    ' path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/>'
    '<v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
)


@dataclass
class Note:
    """One comment to write: on (row, col), 1-based."""

    row: int
    col: int
    text: str
    width: int  # pixels
    height: int


def existing_texts(parts: Parts, sheet_part: str, author: str) -> dict[tuple[int, int], str]:
    """The department's own comments on the sheet, by cell (ours of an earlier round left
    out): the text to keep after ours."""
    part = _comments_part(parts, sheet_part)
    if part is None:
        return {}
    content = parts.get(part)
    ours = _author_ids(content, author)
    found = {}
    for element, a in _comments(content):
        if a.get("authorId") not in ours and "ref" in a:
            with_text = re.findall(rb"<(?:\w+:)?t\b[^>]*>(.*?)</(?:\w+:)?t>", element, re.S)
            found[split_ref(a["ref"])] = unescape(b"".join(with_text).decode("utf-8", "replace"))
    return found


def write_notes(
    parts: Parts, sheet_part: str, sheet: Sheet, notes: list[Note], author: str
) -> None:
    """Put `notes` on the sheet, replacing our earlier ones and the department's comments on
    the same cells (whose text the notes carry)."""
    places = {(n.row, n.col) for n in notes}
    part = _comments_part(parts, sheet_part)
    removed: set[tuple[int, int]] = set()
    if part is None:
        part = parts.free_name("xl/comments{}.xml")
        parts.put(part, _new_comments(author))
        parts.declare(part, COMMENTS_TYPE)
        parts.relate(sheet_part, "comments", part)
    content, removed = _without(parts.get(part), places, author)
    content, author_id = _with_author(content, author)
    new = "".join(
        f'<comment ref="{_ref(n)}" authorId="{author_id}"><text>'
        f'<t xml:space="preserve">{text(n.text)}</t></text></comment>'
        for n in notes
    )
    prefix = _prefix(content)
    parts.put(part, insert_before_close(content, b"commentList", _prefixed(new, prefix)))
    _draw(parts, sheet_part, sheet, notes, removed)


def _ref(note: Note) -> str:
    return f"{column_letters(note.col)}{note.row}"


def _comments_part(parts: Parts, sheet_part: str) -> str | None:
    for rel in parts.relationships(sheet_part):
        if rel.type == "comments" and rel.target in parts:
            return rel.target
    return None


def _comments(content: bytes) -> list[tuple[bytes, dict[str, str]]]:
    elements = re.findall(
        rb"<(?:\w+:)?comment\b(?:[^>]*/>|[^>]*>.*?</(?:\w+:)?comment>)", content, re.S
    )
    return [(e, attributes(e[: e.index(b">") + 1])) for e in elements]


def _authors(content: bytes) -> list[str]:
    names = re.findall(rb"<(?:\w+:)?author>(.*?)</(?:\w+:)?author>", content, re.S)
    return [unescape(n.decode("utf-8", "replace")) for n in names]


def _author_ids(content: bytes, author: str) -> set[str]:
    return {str(n) for n, name in enumerate(_authors(content)) if name == author}


def _without(
    content: bytes, places: set[tuple[int, int]], author: str
) -> tuple[bytes, set[tuple[int, int]]]:
    """The part without our earlier comments and without those on `places`."""
    ours = _author_ids(content, author)
    removed = set()
    for element, a in _comments(content):
        try:
            place = split_ref(a.get("ref", ""))
        except PatchError:
            continue
        if a.get("authorId") in ours or place in places:
            content = content.replace(element, b"", 1)
            removed.add(place)
    return content, removed


def _with_author(content: bytes, author: str) -> tuple[bytes, int]:
    names = _authors(content)
    if author in names:
        return content, names.index(author)
    new = _prefixed(f"<author>{text(author)}</author>", _prefix(content))
    if re.search(rb"<(?:\w+:)?authors\b", content):
        return insert_before_close(content, b"authors", new), len(names)
    raise PatchError("comments part without authors")


def _prefix(content: bytes) -> str:
    m = re.search(rb"<(\w+:)?comments\b", content)
    if m is None:
        raise PatchError("comments part without comments")
    return (m[1] or b"").decode()


def _prefixed(xml: str, prefix: str) -> bytes:
    if prefix:
        xml = re.sub(r"<(/?)(?=[a-z])", lambda m: f"<{m[1]}{prefix}", xml)
    return xml.encode("utf-8")


def _new_comments(author: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<comments xmlns="{MAIN_NS}"><authors><author>{text(author)}</author></authors>'
        "<commentList></commentList></comments>"
    ).encode()


# --- The drawing ---------------------------------------------------------------------------


def _draw(
    parts: Parts, sheet_part: str, sheet: Sheet, notes: list[Note], removed: set[tuple[int, int]]
) -> None:
    rid = sheet.legacy_drawing()
    targets = {rel.id: rel.target for rel in parts.relationships(sheet_part)}
    vml = targets.get(rid) if rid else None
    if vml is None or vml not in parts:
        vml = parts.free_name("xl/drawings/vmlDrawingBp{}.vml")
        block = _free_block(parts)
        parts.put(vml, _new_drawing(block))
        parts.declare_default("vml", VML_TYPE)
        if rid is None:
            sheet.add_legacy_drawing(parts.relate(sheet_part, "vmlDrawing", vml))
        else:  # the sheet names a drawing the package lacks: point it at ours
            parts.unrelate(sheet_part, rid)
            sheet.text = sheet.text.replace(
                rid.encode(), parts.relate(sheet_part, "vmlDrawing", vml).encode()
            )
    content = _without_shapes(parts.get(vml), removed)
    content, prefixes = _declared(content)
    if b'spt="202"' not in content:
        content = insert_before_close(content, b"xml", _in_prefixes(_NOTE_TYPE, prefixes))
    first = _next_shape_id(content)
    shapes = "".join(_shape(n, first + k) for k, n in enumerate(notes))
    parts.put(vml, insert_before_close(content, b"xml", _in_prefixes(shapes, prefixes)))


def _declared(content: bytes) -> tuple[bytes, dict[str, str]]:
    """The drawing with the VML, Office and Excel namespaces declared on its root, and the
    prefix each has there."""
    root = re.search(rb"<xml\b[^>]*>", content)
    if root is None:
        raise PatchError("VML drawing without its root")
    tag = root[0]
    prefixes = {}
    for short, uri in (("v", _VML), ("o", _OFFICE), ("x", _EXCEL)):
        m = re.search(rb'xmlns:([\w.-]+)="' + re.escape(uri.encode()) + rb'"', tag)
        if m:
            prefixes[short] = m[1].decode()
        else:
            prefixes[short] = f"bp{short}"
            tag = (
                tag[:-1].rstrip(b"/")
                + f' xmlns:bp{short}="{uri}"'.encode()
                + (b"/>" if tag.endswith(b"/>") else b">")
            )
    return content.replace(root[0], tag, 1), prefixes


def _in_prefixes(xml: str, prefixes: dict[str, str]) -> bytes:
    renamed = re.sub(r"(</?|\s)([vox]):", lambda m: f"{m[1]}{prefixes[m[2]]}:", xml)
    return renamed.encode("utf-8")


def _without_shapes(content: bytes, places: set[tuple[int, int]]) -> bytes:
    """The drawing without the note shapes of the cells whose comments were removed."""
    if not places:
        return content
    for m in re.finditer(rb"<([\w.-]+:)?shape\b[^>]*>.*?</\1shape>", content, re.S):
        shape = m[0]
        row = re.search(rb"<(?:[\w.-]+:)?Row>\s*(\d+)\s*<", shape)
        col = re.search(rb"<(?:[\w.-]+:)?Column>\s*(\d+)\s*<", shape)
        note = re.search(rb'ObjectType="Note"', shape)
        if note and row and col and (int(row[1]) + 1, int(col[1]) + 1) in places:
            content = content.replace(shape, b"", 1)
    return content


def _next_shape_id(content: bytes) -> int:
    ids = [int(n) for n in re.findall(rb"_x0000_s(\d+)", content)]
    if ids:
        return max(ids) + 1
    block = re.search(rb'idmap\b[^>]*\bdata="(\d+)', content)
    return (int(block[1]) if block else 1) * _SHAPE_BLOCK + 1


def _free_block(parts: Parts) -> int:
    """An o:idmap block no other drawing of the package uses."""
    used = {0}
    for name, content in parts.data.items():
        if name.lower().endswith(".vml"):
            for listed in re.findall(rb'idmap\b[^>]*\bdata="([\d,\s]+)"', content):
                used |= {int(n) for n in re.findall(rb"\d+", listed)}
            used |= {int(n) // _SHAPE_BLOCK for n in re.findall(rb"_x0000_s(\d+)", content)}
    return max(used) + 1


def _new_drawing(block: int) -> bytes:
    return (
        f'<xml xmlns:v="{_VML}" xmlns:o="{_OFFICE}" xmlns:x="{_EXCEL}">'
        f'<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{block}"/></o:shapelayout>'
        f"{_NOTE_TYPE}</xml>"
    ).encode()


def _shape(note: Note, number: int) -> str:
    box = (
        "position:absolute;margin-left:59.25pt;margin-top:1.5pt;"
        f"width:{note.width}px;height:{note.height}px;z-index:{number % _SHAPE_BLOCK};"
        "visibility:hidden"
    )
    return (
        f'<v:shape id="_x0000_s{number}" type="#_x0000_t202" style="{attr(box)}"'
        f' fillcolor="#{style.NOTE_FILL}" o:insetmode="auto"><v:fill color2="#{style.NOTE_FILL}"/>'
        '<v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/>'
        '<v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox>'
        '<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/>'
        f"<x:AutoFill>False</x:AutoFill><x:Row>{note.row - 1}</x:Row>"
        f"<x:Column>{note.col - 1}</x:Column></x:ClientData></v:shape>"
    )
