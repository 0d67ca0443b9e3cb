"""Fuzz family `xml`: parts that are not well-formed, not UTF-8, absurdly deep, or carry
DOCTYPEs with entity bombs and external entities (the canary file).
"""

from __future__ import annotations

import re

from .parts import (
    CONTENT_TYPES,
    ROOT_RELS,
    SHARED_STRINGS,
    STYLES,
    WORKBOOK,
    WORKBOOK_RELS,
    Job,
    Variant,
    after_declaration,
    repack,
    set_cell,
)

DEEP = 100_000
INVALID_UTF8 = (
    b"\xff",
    b"\xfe\xfe",
    b"\xc3\x28",  # a lead byte without its continuation
    b"\xed\xa0\x80",  # an encoded surrogate
    b"\xc0\xaf",  # an overlong '/'
    b"\xf8\x88\x80\x80\x80",  # a five-byte sequence
    b"\xe4\xb8",  # a CJK character cut short
)
LAUGHS = (
    b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10)
        for n in range(1, 10)
    )
    + b"]>"
)


def canary_file(job: Job) -> str:
    """The canary's absolute path (written by `tests.fuzz.canary_path`)."""
    return str((job.outdir / "canary.txt").resolve())


def _project_part(job: Job) -> str:
    return job.rng.choice(job.source.projects)[1]


def _text_positions(part: bytes) -> list[int]:
    """Offsets just inside a text node (<t>…</t> or <v>…</v>) that holds something."""
    return [m.end(1) for m in re.finditer(rb"(<t(?: [^>]*)?>|<v>)[^<]", part)]


# --- not well-formed ----------------------------------------------------------------------

CUTTABLE = (WORKBOOK, SHARED_STRINGS, STYLES, CONTENT_TYPES, ROOT_RELS, WORKBOOK_RELS)


def xml_cut(job: Job) -> bytes:
    """A part cut in the middle of a tag: an editor or a tool that crashed while saving."""
    name = job.rng.choice([*CUTTABLE, _project_part(job)])
    part = job.source.member(name)
    tags = [m.start() for m in re.finditer(rb"<", part) if m.start() > 40]
    at = job.rng.choice(tags) + job.rng.randint(1, 6)
    return repack(job.source, {name: part[:at]})


def xml_stray_lt(job: Job) -> bytes:
    """A bare '<' in a text or a value: a program that wrote text without escaping it."""
    name = job.rng.choice([SHARED_STRINGS, _project_part(job)])
    part = job.source.member(name)
    at = job.rng.choice(_text_positions(part))
    return repack(job.source, {name: part[:at] + b"<" + part[at:]})


def _invalid_utf8(job: Job, name: str) -> bytes:
    part = job.source.member(name)
    at = job.rng.choice(_text_positions(part))
    return repack(job.source, {name: part[:at] + job.rng.choice(INVALID_UTF8) + part[at:]})


def xml_utf8_strings(job: Job) -> bytes:
    """Bytes that are not UTF-8 in a shared string: text pasted through a GBK-only tool."""
    return _invalid_utf8(job, SHARED_STRINGS)


def xml_utf8_sheet(job: Job) -> bytes:
    """Bytes that are not UTF-8 in a project sheet's values."""
    return _invalid_utf8(job, _project_part(job))


# --- deep nesting -------------------------------------------------------------------------


def _nested(tag: str, depth: int, leaf: str) -> str:
    return f"<{tag}>" * depth + leaf + f"</{tag}>" * depth


def xml_deep_strings(job: Job) -> bytes:
    """The project name's shared string wrapped in 100,000+ nested elements: a crafted file
    aimed at recursive parsers."""
    sst = job.source.member(SHARED_STRINGS)
    strings = list(re.finditer(rb"<si>.*?</si>", sst, re.S))
    target = strings[job.rng.randrange(len(strings))]
    tag = job.rng.choice(["r", "x", "rPh"])
    deep = _nested(tag, DEEP + job.rng.randrange(50_000), "<t>deep</t>").encode()
    sst = sst[: target.start()] + b"<si>" + deep + b"</si>" + sst[target.end() :]
    return repack(job.source, {SHARED_STRINGS: sst})


def xml_deep_cell(job: Job) -> bytes:
    """An inline-string cell (the project name) holding 100,000+ nested elements."""
    part = _project_part(job)
    tag = job.rng.choice(["r", "is", "x"])
    inner = "<is>" + _nested(tag, DEEP + job.rng.randrange(50_000), "<t>deep</t>") + "</is>"
    ref = job.rng.choice(["B3", "F11", "C11"])
    return repack(
        job.source, {part: set_cell(job.source.member(part), ref, inner, kind="inlineStr")}
    )


# --- entities ---------------------------------------------------------------------------


def _replace_text(part: bytes, job: Job, new: bytes) -> bytes:
    at = job.rng.choice(_text_positions(part))
    end = part.index(b"<", at)
    return part[:at] + new + part[end:]


def _with_entity(job: Job, name: str, doctype: bytes, use: bytes) -> bytes:
    part = after_declaration(job.source.member(name), doctype)
    if name == WORKBOOK:  # no text nodes: the entity goes into a sheet's name
        part = re.sub(rb'(<sheet name=")[^"]*', lambda m: m[1] + use, part, count=1)
    elif name.startswith("xl/worksheets/"):  # into the project name, as an inline string
        inner = "<is><t>" + use.decode() + "</t></is>"
        part = set_cell(part, job.rng.choice(["B3", "C11"]), inner, kind="inlineStr")
    else:
        part = _replace_text(part, job, use)
    return repack(job.source, {name: part})


def xml_laughs_strings(job: Job) -> bytes:
    """The "billion laughs" entity bomb in sharedStrings.xml, used in a string."""
    return _with_entity(job, SHARED_STRINGS, LAUGHS, b"&lol9;")


def xml_laughs_workbook(job: Job) -> bytes:
    """The "billion laughs" bomb in workbook.xml, used in a sheet name."""
    return _with_entity(job, WORKBOOK, LAUGHS, b"&lol9;")


def xml_laughs_sheet(job: Job) -> bytes:
    """The "billion laughs" bomb in a project sheet, used in a value."""
    return _with_entity(job, _project_part(job), LAUGHS, b"&lol9;")


def _external(job: Job) -> bytes:
    return b'<!DOCTYPE x [<!ENTITY e SYSTEM "file://%s">]>' % canary_file(job).encode()


def xml_xxe_strings(job: Job) -> bytes:
    """An external entity (the canary file) in sharedStrings.xml, used in a string: a file
    crafted to make the reader copy a local file into the outputs."""
    return _with_entity(job, SHARED_STRINGS, _external(job), b"&e;")


def xml_xxe_sheet(job: Job) -> bytes:
    """The external entity in a project sheet, used in a value."""
    return _with_entity(job, _project_part(job), _external(job), b"&e;")


def xml_xxe_workbook(job: Job) -> bytes:
    """The external entity in workbook.xml, used in a sheet name."""
    return _with_entity(job, WORKBOOK, _external(job), b"&e;")


def xml_xxe_parameter(job: Job) -> bytes:
    """The canary through a parameter entity in sharedStrings.xml (expanded inside the DTD,
    where some parsers resolve what they would not in content)."""
    path = canary_file(job).encode()
    doctype = b'<!DOCTYPE x [<!ENTITY %% p SYSTEM "file://%s"> %%p;]>' % path
    return _with_entity(job, SHARED_STRINGS, doctype, b"p")


XML: dict[str, Variant] = {
    "xml-cut": xml_cut,
    "xml-stray-lt": xml_stray_lt,
    "xml-utf8-strings": xml_utf8_strings,
    "xml-utf8-sheet": xml_utf8_sheet,
    "xml-deep-strings": xml_deep_strings,
    "xml-deep-cell": xml_deep_cell,
    "xml-laughs-strings": xml_laughs_strings,
    "xml-laughs-workbook": xml_laughs_workbook,
    "xml-laughs-sheet": xml_laughs_sheet,
    "xml-xxe-strings": xml_xxe_strings,
    "xml-xxe-sheet": xml_xxe_sheet,
    "xml-xxe-workbook": xml_xxe_workbook,
    "xml-xxe-parameter": xml_xxe_parameter,
}
