"""What an output was made from, written into it, so that a re-merge with nothing changed
keeps the outputs it would write again instead of rewriting them.

The key covers everything the consolidated workbook and the HTML page show: this code, the
configuration, the output folder, each input file (name, path, modification time, content
digest, what was read) and every finding. A file whose stamp is not the key is rewritten.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from pathlib import Path

from .config import Config
from .fingerprint import code_digest
from .pipeline import Consolidation

PROPERTY = "bptools-run"  # the workbook's custom document property holding the key
META = PROPERTY  # the HTML page's <meta name=...>
_MAX_PROPERTIES = 65536  # bytes of docProps/custom.xml read: ours is a few hundred
_HEAD = 4096  # bytes of the page read for its <meta>
_XLSX_STAMP = re.compile(
    rb'name="' + PROPERTY.encode() + rb'"[^>]*>\s*<vt:lpwstr>([0-9a-f]{64})</vt:lpwstr>'
)
_HTML_STAMP = re.compile(rb'<meta name="' + META.encode() + rb'" content="([0-9a-f]{64})">')


def run_key(result: Consolidation, config: Config, outdir: Path, output: str) -> str:
    """The key of `output` ("xlsx", "html") written for `result` into `outdir`."""
    digest = hashlib.sha256()
    files = [
        [s.label, str(s.path), s.mtime, s.digest, s.projects, s.blank_sheets, s.superseded]
        for s in result.files
    ]
    inputs = result.inputs
    head = [
        code_digest(),
        output,
        repr(config),
        str(outdir.resolve()),
        result.year,
        files,
        [str(p) for p in inputs.not_workbooks],
        inputs.unmatched,
        result.ledger.digest if result.ledger else None,
    ]
    digest.update(json.dumps(head, ensure_ascii=False, default=str).encode("utf-8", "replace"))
    digest.update(result.findings_digest)
    return digest.hexdigest()


def xlsx_stamp(path: Path) -> str | None:
    """The key a workbook we wrote carries, if it is one."""
    try:
        with zipfile.ZipFile(path) as package:
            part = package.getinfo("docProps/custom.xml")
            if part.file_size > _MAX_PROPERTIES:
                return None
            found = _XLSX_STAMP.search(package.read(part))
    except Exception:  # missing, damaged or not a zip: not a stamped workbook
        return None
    return found[1].decode() if found else None


def html_stamp(path: Path) -> str | None:
    """The key a page we wrote carries, if it is one."""
    try:
        with path.open("rb") as page:
            found = _HTML_STAMP.search(page.read(_HEAD))
    except OSError:
        return None
    return found[1].decode() if found else None
