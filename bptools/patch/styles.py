"""xl/styles.xml, added to and never reordered: the fonts, fills, borders and cell styles a
patch needs are appended after the department's own, so every style id the workbook uses
keeps its meaning."""

from __future__ import annotations

import re

from ..write.ooxml import Look, alignment_xml, fill_xml, font_xml, grid_border_xml
from .parts import PatchError, attributes

_SECTIONS = ("fonts", "fills", "borders", "cellXfs")
_CHILD = {"fonts": "font", "fills": "fill", "borders": "border", "cellXfs": "xf"}
_DEFAULT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="1"><font><sz val="11"/><name val="宋体"/><charset val="134"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


class Styles:
    """The styles part being added to. `xf` gives the id of a cell style made from one of
    our looks; `restyled` the id of a copy of an existing cell style with a new fill and
    border. Equal requests give the same id."""

    def __init__(self, content: bytes | None) -> None:
        self.text = (content or _DEFAULT.encode()).decode("utf-8")
        head = re.search(r"<(\w+:)?styleSheet\b", self.text)
        if head is None:
            raise PatchError("styles part without styleSheet")
        self.prefix = head[1] or ""
        self.items = {name: self._children(name) for name in _SECTIONS}
        self.added: dict[str, list[str]] = {name: [] for name in _SECTIONS}
        self._ids: dict[tuple[str, str], int] = {}

    def _children(self, section: str) -> list[str]:
        p, child = re.escape(self.prefix), _CHILD[section]
        block = re.search(rf"<{p}{section}\b[^>]*?(?:/>|>(.*?)</{p}{section}>)", self.text, re.S)
        if block is None:
            return []
        body = block[1] or ""
        return re.findall(rf"<{p}{child}\b(?:[^>]*?/>|[^>]*>.*?</{p}{child}>)", body, re.S)

    def _add(self, section: str, xml: str) -> int:
        key = (section, xml)
        if key not in self._ids:
            self._ids[key] = len(self.items[section]) + len(self.added[section])
            self.added[section].append(xml)
        return self._ids[key]

    def xf(self, look: Look) -> int:
        p = self.prefix
        font = self._add("fonts", font_xml(look, p))
        fill = self._add("fills", fill_xml(look.fill, p)) if look.fill else 0
        border = self._add("borders", grid_border_xml(p)) if look.grid else 0
        align = alignment_xml(look, p)
        applied = ' applyFont="1"' + (' applyFill="1"' if fill else "")
        applied += ' applyBorder="1"' if border else ""
        head = f'<{p}xf numFmtId="0" fontId="{font}" fillId="{fill}" borderId="{border}" xfId="0"'
        head += ' quotePrefix="1"' if look.quote else ""
        if align:
            xml = f'{head}{applied} applyAlignment="1">{align}</{p}xf>'
        else:
            xml = f"{head}{applied}/>"
        return self._add("cellXfs", xml)

    def restyled(self, xf: int, fill: str | None, border: str) -> int:
        """A copy of cell style `xf` (0 when out of range) with fill `fill` (XML without
        prefix, or None to keep) and border `border`."""
        xfs = self.items["cellXfs"]
        base = xfs[xf] if 0 <= xf < len(xfs) else (xfs[0] if xfs else "")
        ids = {"borderId": self._add("borders", _prefixed(border, self.prefix))}
        if fill is not None:
            ids["fillId"] = self._add("fills", _prefixed(fill, self.prefix))
        return self._add("cellXfs", _with_ids(base, ids, self.prefix))

    def content(self) -> bytes:
        text = self.text
        for section in _SECTIONS:
            if self.added[section]:
                existing = len(self.items[section])
                text = _append(text, self.prefix, section, existing, self.added[section])
        return text.encode("utf-8")


def _prefixed(xml: str, prefix: str) -> str:
    return re.sub(r"<(/?)(?=\w)", lambda m: f"<{m[1]}{prefix}", xml) if prefix else xml


def _with_ids(xf: str, ids: dict[str, int], prefix: str) -> str:
    if not xf:
        xf = f'<{prefix}xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    head = re.match(r"<[^>]*?(/?)>", xf, re.S)
    assert head is not None
    tag = head[0]
    attrs = attributes(tag.encode())
    for name, value in ids.items():
        attrs[name] = str(value)
        attrs["apply" + name[0].upper() + name[1:-2]] = "1"
    rebuilt = f"<{prefix}xf " + " ".join(f'{k}="{_escaped(v)}"' for k, v in attrs.items())
    return rebuilt + ("/>" if head[1] else ">") + xf[head.end() :]


def _escaped(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _append(text: str, prefix: str, section: str, existing: int, added: list[str]) -> str:
    block = re.search(rf"<{re.escape(prefix)}{section}\b([^>]*?)(/?)>", text)
    new = "".join(added)
    total = existing + len(added)
    if block is None:
        return _new_section(text, prefix, section, new, total)
    head = re.sub(r'\s*\bcount="[^"]*"', "", block[1]) + f' count="{total}"'
    opened = f"<{prefix}{section}{head}>"
    if block[2]:  # self-closed
        return text[: block.start()] + opened + new + f"</{prefix}{section}>" + text[block.end() :]
    close = text.index(f"</{prefix}{section}>", block.end())
    return text[: block.start()] + opened + text[block.end() : close] + new + text[close:]


def _new_section(text: str, prefix: str, section: str, new: str, n: int) -> str:
    """A section the part lacks, placed before the first section that follows it."""
    order = [
        "numFmts",
        "fonts",
        "fills",
        "borders",
        "cellStyleXfs",
        "cellXfs",
        "cellStyles",
        "dxfs",
    ]
    later = order[order.index(section) + 1 :]
    element = f'<{prefix}{section} count="{n}">{new}</{prefix}{section}>'
    for name in later:
        at = re.search(rf"<{re.escape(prefix)}{name}\b", text)
        if at:
            return text[: at.start()] + element + text[at.start() :]
    close = text.rindex(f"</{prefix}styleSheet>")
    return text[:close] + element + text[close:]
