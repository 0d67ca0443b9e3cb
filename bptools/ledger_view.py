"""The ledger as the clerk reads it: a row per file ever seen, a line per department, and
who on the roster is missing. Built from the database by `bptools.ledger`; the 收件台账
sheet, the page, 总览 and `bptools status` all show this one view."""

from __future__ import annotations

import functools
import hashlib
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from .model import Department
from .normalize import label_key, split_unit
from .roster import member, member_key
from .rules import Severity

PASSED = "通过"
NEEDS_FIX = "需修改"
UNREADABLE = "无法读取"
REPLACED = "已被新版本取代"
REMOVED = "已移出收件夹"
MISSING = "未报送"
NO_UNIT = "（无法识别单位）"


@dataclass(frozen=True)
class Entry:
    """One file ever seen: a row of 收件台账."""

    received: str  # when a merge first saw this content
    unit: str
    name: str  # the file's name as last seen
    digest: str
    round: int | None  # 第几次报送 of its department (None: no department known)
    status: str
    counts: dict[str, int]
    fixed: list[str]  # findings of the department's previous round gone in this one
    new: list[str]  # findings of this round its previous one did not have
    modified: str  # the file's modification time
    present: bool  # still in the folder
    readable: bool


@dataclass(frozen=True)
class Standing:
    """A department as its files in the folder leave it."""

    unit: str
    rounds: int
    last: str  # when its latest round arrived
    status: str
    counts: dict[str, int]
    files: int  # its files in the folder


@dataclass(frozen=True)
class Ledger:
    path: Path
    entries: list[Entry]
    standings: list[Standing]  # by department code
    roster: list[Department]
    missing: list[Department]  # on the roster, with no file in the folder

    @property
    def with_errors(self) -> list[Standing]:
        """Departments whose files in the folder still have 错误, or cannot be read."""
        return [s for s in self.standings if s.status in (NEEDS_FIX, UNREADABLE)]

    def headline(self) -> str:
        """The ledger in one line, for the terminal."""
        sent = sum(1 for s in self.standings if s.files)
        line = f"收件台账：已报送 {sent} 个部门"
        if self.roster:
            line += f"（名单 {len(self.roster)} 个，未报送 {len(self.missing)} 个）"
        return f"{line}，仍有错误 {len(self.with_errors)} 个，累计收到文件 {len(self.entries)} 个"

    @functools.cached_property
    def digest(self) -> str:
        """What the outputs showing the ledger are stamped with."""
        text = json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()

    def to_dict(self) -> dict[str, Any]:
        """The ledger as `bptools status --json` prints it."""
        return {
            "ledger": str(self.path),
            "roster": [m.label for m in self.roster],
            "missing": [m.label for m in self.missing],
            "with_errors": [s.unit for s in self.with_errors],
            "departments": [asdict(s) for s in self.standings],
            "files": [asdict(e) for e in self.entries],
        }


def build_view(
    path: Path,
    files: Sequence[Sequence[Any]],
    rounds: Sequence[Sequence[Any]],
    roster: list[Department],
) -> Ledger:
    """The ledger from the rows of its `files` and `rounds` tables."""
    found = {(dept, number): json.loads(keys) for dept, number, _, keys, _ in rounds}
    readable = {(dept, number) for dept, number, _, _, ok in rounds if ok}
    latest: dict[str, int] = defaultdict(int)
    for dept, number in found:
        latest[dept] = max(latest[dept], number)
    entries = [_entry(row, found, readable, latest) for row in files]
    by_dept: dict[str, list[Entry]] = defaultdict(list)
    for entry, row in zip(entries, files, strict=True):
        if row[3]:
            by_dept[row[3]].append(entry)
    standings = sorted((_standing(e) for e in by_dept.values()), key=lambda s: _code_order(s.unit))
    return Ledger(path, entries, standings, roster, _missing(roster, standings))


def _entry(
    row: Sequence[Any],
    found: dict[tuple[str, int], dict[str, str]],
    read_rounds: set[tuple[str, int]],
    latest: dict[str, int],
) -> Entry:
    digest, name, unit, dept, received, mtime, number, readable, projects = row[:9]
    superseded, counts, present = row[9], json.loads(row[10]), bool(row[11])
    fixed, new = _changes(found, read_rounds, dept, number) if readable else ([], [])
    return Entry(
        received=received,
        unit=unit or NO_UNIT,
        name=name,
        digest=digest,
        round=number,
        status=_status(bool(readable), projects, superseded, counts)
        if present
        else _gone(dept, number, latest),
        counts={s.value: int(counts.get(s.value, 0)) for s in Severity},
        fixed=fixed,
        new=new,
        modified=datetime.fromtimestamp(mtime).strftime("%Y-%m-%d %H:%M:%S") if mtime else "",
        present=present,
        readable=bool(readable),
    )


def _gone(dept: str, number: int | None, latest: dict[str, int]) -> str:
    """A file no longer in the folder: replaced when its department sent a later round."""
    later = dept and number is not None and latest.get(dept, 0) > number
    return REPLACED if later else REMOVED


def _status(readable: bool, projects: int, superseded: int, counts: dict[str, int]) -> str:
    """A file in the folder."""
    if not readable:
        return UNREADABLE
    if projects and superseded >= projects:
        return REPLACED
    return NEEDS_FIX if counts.get(Severity.ERROR.value, 0) else PASSED


def _changes(
    found: dict[tuple[str, int], dict[str, str]],
    readable: set[tuple[str, int]],
    dept: str,
    number: int | None,
) -> tuple[list[str], list[str]]:
    """What the department's round `number` fixed and brought, against its last round
    before that could be read (a round of unreadable files tells nothing)."""
    if not dept or not number or (dept, number) not in readable:
        return [], []
    earlier = [n for d, n in readable if d == dept and n < number]
    if not earlier:
        return [], []
    before, now = found[(dept, max(earlier))], found.get((dept, number), {})
    fixed = [before[k] for k in sorted(before) if k not in now]
    return fixed, [now[k] for k in sorted(now) if k not in before]


def _standing(entries: list[Entry]) -> Standing:
    here = [e for e in entries if e.present]
    newest = max(entries, key=lambda e: (e.round or 0, e.received))
    counted = {
        s.value: sum(e.counts[s.value] for e in here if e.status != REPLACED) for s in Severity
    }
    if not here:
        status = REMOVED
    elif all(e.status == UNREADABLE for e in here):
        status = UNREADABLE
    elif counted[Severity.ERROR.value] or any(e.status == UNREADABLE for e in here):
        status = NEEDS_FIX
    else:
        status = PASSED
    return Standing(
        unit=newest.unit,
        rounds=max(e.round or 0 for e in entries),
        last=newest.received,
        status=status,
        counts=counted,
        files=len(here),
    )


def _missing(roster: list[Department], standings: list[Standing]) -> list[Department]:
    """The roster's departments with no file in the folder: matched by code, else name."""
    sent = [found for s in standings if s.files and (found := member(s.unit))]
    codes = {member_key(d) for d in sent if d.code}
    names = {label_key(d.name) for d in sent if d.name}
    return [
        m
        for m in roster
        if member_key(m) not in codes and not (m.name and label_key(m.name) in names)
    ]


def _code_order(unit: str) -> tuple[int, str]:
    split = split_unit(unit)
    return (0, f"{split[0]:>12}") if split else (1, unit)
