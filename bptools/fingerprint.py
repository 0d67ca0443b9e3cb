"""What a stored result was computed by: this code, to the byte. The version number alone
does not change with each edit, so results cached or stamped by one build are not trusted
by another."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path


@functools.cache
def code_digest() -> str:
    """A digest of bptools' own source files ("" when they cannot be read)."""
    package = Path(__file__).parent
    digest = hashlib.sha256()
    try:
        for path in sorted(package.rglob("*.py")):
            digest.update(path.relative_to(package).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    except OSError:
        return ""
    return digest.hexdigest()
