"""Fuzz families `bytes` and `zip`: files damaged on the way, and packages other programs (or
an attacker) wrote differently from Excel.
"""

from __future__ import annotations

import warnings
import zipfile
import zlib
from functools import cache

from .parts import (
    CENTRAL,
    CONTENT_TYPES,
    LOCAL,
    ROOT_RELS,
    SHARED_STRINGS,
    STYLES,
    WORKBOOK,
    WORKBOOK_RELS,
    Job,
    RawMember,
    Variant,
    append_rows,
    deflated,
    edited,
    entries,
    entry,
    far_row,
    pack,
    patch,
    raw_zip,
    repack,
)

MB = 1 << 20
BOMB_BYTES = 200 * MB
SMALL_BOMB_BYTES = 8 * MB

# --- bytes --------------------------------------------------------------------------------


def bytes_flip(job: Job) -> bytes:
    """1-50 bytes changed at random places: a flaky USB stick or a bad network copy."""
    data = bytearray(job.source.data)
    for _ in range(job.rng.randint(1, 50)):
        data[job.rng.randrange(len(data))] ^= job.rng.randint(1, 255)
    return bytes(data)


def bytes_truncate(job: Job) -> bytes:
    """Cut at a random offset: a download or an e-mail attachment that stopped early."""
    return job.source.data[: job.rng.randrange(1, len(job.source.data))]


def bytes_zero(job: Job) -> bytes:
    """A range of up to 4 KB zeroed: a disk sector lost, a sync tool's hole."""
    data = bytearray(job.source.data)
    start = job.rng.randrange(len(data))
    length = min(job.rng.randint(1, 4096), len(data) - start)
    data[start : start + length] = bytes(length)
    return bytes(data)


def bytes_append(job: Job) -> bytes:
    """Up to 4 KB of junk after the end: a mail client or a messenger padding the file."""
    junk = bytes(job.rng.randrange(256) for _ in range(job.rng.randint(1, 4096)))
    return job.source.data + junk


BYTES: dict[str, Variant] = {
    "bytes-flip": bytes_flip,
    "bytes-truncate": bytes_truncate,
    "bytes-zero": bytes_zero,
    "bytes-append": bytes_append,
}

# --- zip: members missing or twice ------------------------------------------------------


def _drop(part: str | None) -> Variant:
    def drop(job: Job) -> bytes:
        name = part or job.rng.choice(job.source.projects)[1]
        return repack(job.source, {name: None})

    drop.__doc__ = (
        f"The package without {part or 'a project sheet'}: a tool that rebuilt the zip and "
        "skipped a member it did not know."
    )
    return drop


def zip_duplicate(job: Job) -> bytes:
    """A member written twice with the same content: a tool appending instead of replacing."""
    name = job.rng.choice([WORKBOOK, SHARED_STRINGS, job.source.projects[0][1]])
    members = edited(job.source, {})
    members.insert(job.rng.randint(0, len(members)), (name, job.source.member(name)))
    return _pack_quietly(members)


def zip_duplicate_differs(job: Job) -> bytes:
    """A project sheet twice, one copy with a value at XFD1048576: readers that take the
    first copy and readers that take the last one see different sheets (a crafted file)."""
    name = job.rng.choice(job.source.projects)[1]
    sheet = job.source.member(name)
    far = append_rows(sheet, far_row("XFD1048576"))
    copies = [(name, far), (name, sheet)]
    job.rng.shuffle(copies)
    return _pack_quietly([*edited(job.source, {name: None}), *copies])


def _pack_quietly(members: list[tuple[str, bytes]]) -> bytes:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zipfile: "Duplicate name"
        return pack(members)


# --- zip: compression methods --------------------------------------------------------------


def _method(method: int, what: str) -> Variant:
    def compressed(job: Job) -> bytes:
        return pack(job.source.members, method)

    compressed.__doc__ = f"Every member {what}: an archiver's setting, not Excel's deflate."
    return compressed


def zip_method99(job: Job) -> bytes:
    """A member's compression method set to 99 (AES in WinZip's scheme) in both headers:
    encrypted by an archiver, or a method id no reader knows."""
    data = bytearray(pack(job.source.members))
    target = entry(bytes(data), job.rng.choice([WORKBOOK, job.source.projects[0][1]]))
    patch(data, target.central + CENTRAL["method"], 99, 2)
    patch(data, target.local + LOCAL["method"], 99, 2)
    return bytes(data)


# --- zip: names and headers that lie ----------------------------------------------------

TRAVERSAL_NAMES = ("../../evil.xml", "/etc/x", "C:\\x")


def zip_traversal(job: Job) -> bytes:
    """Members named ../../evil.xml, /etc/x and C:\\x: a crafted archive that writes outside
    the folder of a careless unzipper."""
    evil = b'<?xml version="1.0"?><evil>x</evil>'
    return repack(job.source, {}, [(name, evil) for name in TRAVERSAL_NAMES])


def zip_traversal_target(job: Job) -> bytes:
    """A project sheet's relationship pointing outside the package (../../evil.xml, /evil.xml,
    C:\\evil.xml), with the sheet (plus a value at XFD1048576) stored under every name a
    reader might resolve that to: a crafted file aimed at readers that disagree on paths."""
    _, part = job.rng.choice(job.source.projects)
    target = job.rng.choice(["../../evil.xml", "/evil.xml", "C:\\evil.xml", "../evil.xml"])
    old = part.removeprefix("xl/").encode()
    rels = job.source.member(WORKBOOK_RELS).replace(
        b'"' + old + b'"', b'"' + target.encode() + b'"'
    )
    sheet = append_rows(job.source.member(part), far_row("XFD1048576"))
    names = {"../evil.xml", "../../evil.xml", "evil.xml", "/evil.xml", "C:\\evil.xml"}
    names |= {"xl/C:\\evil.xml", "xl/evil.xml"}
    extra = [(n, sheet) for n in sorted(names)]
    return repack(job.source, {WORKBOOK_RELS: rels, part: None}, extra)


def _lie(where: tuple[str, ...]) -> Variant:
    def lie(job: Job) -> bytes:
        data = bytearray(pack(job.source.members))
        name = job.rng.choice([WORKBOOK, SHARED_STRINGS, STYLES, job.source.projects[0][1]])
        target = entry(bytes(data), name)
        actual = len(job.source.member(name))
        size = job.rng.choice([0, 1, actual - 1, actual + 1, actual * 2, 1 << 31, 0xFFFFFFFF])
        field = job.rng.choice(["size", "csize"])
        if "central" in where:
            patch(data, target.central + CENTRAL[field], size)
        if "local" in where:
            patch(data, target.local + LOCAL[field], size)
        return bytes(data)

    lie.__doc__ = (
        f"A member's declared size (compressed or not) wrong in the {' and '.join(where)} "
        "header(s): a buggy zip writer, or a file crafted to mislead size checks."
    )
    return lie


def zip_offset_past(job: Job) -> bytes:
    """A member's local header offset pointing past the end of the file: a zip whose end
    was spliced onto another file's start."""
    data = bytearray(pack(job.source.members))
    target = job.rng.choice(entries(bytes(data)))
    past = job.rng.choice([len(data) + job.rng.randint(1, 1 << 20), 0xFFFFFFF0])
    patch(data, target.central + CENTRAL["offset"], past)
    return bytes(data)


def zip_offset_middle(job: Job) -> bytes:
    """A member's local header offset pointing into the middle of another member's data: two
    archives glued together, or a crafted overlap."""
    data = bytearray(pack(job.source.members))
    found = entries(bytes(data))
    target, other = job.rng.sample(found, 2)
    middle = other.local + job.rng.randint(1, 200)
    patch(data, target.central + CENTRAL["offset"], middle)
    return bytes(data)


# --- zip: bombs and odd archives ------------------------------------------------------------


@cache
def zeros_deflated(size: int) -> tuple[bytes, int]:
    """`size` zero bytes, deflated in 1 MB chunks (memory stays small), with their CRC;
    computed once per process."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk, parts, crc = bytes(MB), [], 0
    for _ in range(size // MB):
        parts.append(compressor.compress(chunk))
        crc = zlib.crc32(chunk, crc)
    parts.append(compressor.flush())
    return b"".join(parts), crc


def _bomb(job: Job, size: int, *, declared: int | None = None) -> bytes:
    _, part = job.rng.choice(job.source.projects)
    payload, crc = zeros_deflated(size)
    members = [deflated(n, d) for n, d in job.source.members if n != part]
    members.append(RawMember(part, zipfile.ZIP_DEFLATED, payload, declared or size, crc))
    return raw_zip(members)


def zip_bomb(job: Job) -> bytes:
    """A project sheet replaced by 200 MB of zeros deflated to about 200 KB: a decompression
    bomb."""
    return _bomb(job, BOMB_BYTES)


def zip_bomb_small(job: Job) -> bytes:
    """The same with 8 MB of zeros: still far over any sane compression ratio."""
    return _bomb(job, SMALL_BOMB_BYTES)


def zip_bomb_liar(job: Job) -> bytes:
    """The 200 MB bomb declaring a plausible size (the sheet's real one) in both headers: a
    bomb crafted to pass checks made from the central directory."""
    size = len(job.source.member(job.source.projects[0][1]))
    return _bomb(job, BOMB_BYTES, declared=size)


def zip_empty(job: Job) -> bytes:
    """An empty zip (only the end record): "compress to zip" on an empty selection."""
    return b"PK\x05\x06" + bytes(18)


def zip_many(job: Job) -> bytes:
    """The workbook plus 3,000-8,000 one-byte members: a crafted file that makes a reader
    walk a huge directory."""
    count = job.rng.randint(3000, 8000)
    extra = [(f"xl/media/image{i}.png", b"\x89") for i in range(count)]
    return pack([*edited(job.source, {}), *extra], zipfile.ZIP_STORED)


ZIP: dict[str, Variant] = {
    "zip-drop-workbook": _drop(WORKBOOK),
    "zip-drop-sheet": _drop(None),
    "zip-drop-sharedstrings": _drop(SHARED_STRINGS),
    "zip-drop-styles": _drop(STYLES),
    "zip-drop-contenttypes": _drop(CONTENT_TYPES),
    "zip-drop-rels": _drop(ROOT_RELS),
    "zip-drop-workbookrels": _drop(WORKBOOK_RELS),
    "zip-duplicate": zip_duplicate,
    "zip-duplicate-differs": zip_duplicate_differs,
    "zip-stored": _method(zipfile.ZIP_STORED, "stored without compression"),
    "zip-bzip2": _method(zipfile.ZIP_BZIP2, "compressed with bzip2"),
    "zip-lzma": _method(zipfile.ZIP_LZMA, "compressed with LZMA"),
    "zip-method99": zip_method99,
    "zip-traversal": zip_traversal,
    "zip-traversal-target": zip_traversal_target,
    "zip-size-central": _lie(("central",)),
    "zip-size-local": _lie(("local",)),
    "zip-size-both": _lie(("central", "local")),
    "zip-offset-past": zip_offset_past,
    "zip-offset-middle": zip_offset_middle,
    "zip-bomb": zip_bomb,
    "zip-bomb-small": zip_bomb_small,
    "zip-bomb-liar": zip_bomb_liar,
    "zip-empty": zip_empty,
    "zip-many": zip_many,
}
