"""The submission ledger (收件台账): every file a merge into an output folder has seen, kept
in an SQLite database there (`.bptools-ledger.sqlite`) across runs and restarts.

A file is known by its content (sha256): renamed or moved unchanged, it is the same
submission. A department's new content in a run is its next round (第几次报送; files that
arrive together are one round), and the round keeps the department's findings then, so the
next round says which were fixed and which are new. Unlike the cache, the ledger is never
emptied when the code or settings change: it is the history of the season.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .ledger_view import Ledger, build_view
from .model import Department
from .normalize import split_unit
from .pipeline import Consolidation
from .roster import department_key
from .rules import Finding, Severity
from .rules.across import project_superseded

LEDGER_NAME = ".bptools-ledger.sqlite"
SCHEMA = "1"
BUSY_SECONDS = 30.0  # another run's transaction: wait this long for it
_HASH_CHUNK = 1 << 20
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    digest TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    path TEXT NOT NULL,
    unit TEXT NOT NULL,
    dept TEXT NOT NULL,
    received TEXT NOT NULL,
    mtime REAL NOT NULL,
    round INTEGER,
    readable INTEGER NOT NULL,
    projects INTEGER NOT NULL,
    superseded INTEGER NOT NULL,
    counts TEXT NOT NULL,
    present INTEGER NOT NULL,
    gone TEXT
);
CREATE TABLE IF NOT EXISTS rounds (
    dept TEXT NOT NULL,
    round INTEGER NOT NULL,
    at TEXT NOT NULL,
    findings TEXT NOT NULL,
    readable INTEGER NOT NULL,
    PRIMARY KEY (dept, round)
);
"""


class LedgerError(Exception):
    """The ledger cannot be used (a message for the clerk, in Chinese)."""


@dataclass(frozen=True)
class _Seen:
    """One input file of this run, as the ledger keeps it."""

    digest: str
    name: str
    path: str
    unit: str
    mtime: float
    readable: bool
    projects: int
    superseded: int
    counts: dict[str, int]


class Recording:
    """A run written into the ledger, not yet committed: `ledger` is the ledger as the run
    leaves it. `commit` once the outputs that show it are in place; `close` alone drops
    it, so that a run stopped before its outputs leaves the ledger as the outputs are."""

    def __init__(self, db: sqlite3.Connection, ledger: Ledger) -> None:
        self._db, self.ledger = db, ledger

    def commit(self) -> str:
        """Keep the run; why it could not be kept ("" when it was)."""
        try:
            self._db.commit()
        except sqlite3.Error as exc:
            return _problem(self.ledger.path, exc)
        finally:
            self.close()
        return ""

    def close(self) -> None:
        self._db.close()


def begin(
    path: Path,
    result: Consolidation,
    roster: Sequence[Department] = (),
    *,
    now: datetime | None = None,
) -> Recording:
    """Write what `result` read into the ledger at `path`, uncommitted (see Recording).

    `roster`: who has to submit (kept with the ledger, for `bptools status`). Raises
    LedgerError when the database cannot be opened or written (the merge goes on without
    it); a damaged database is moved aside, named in the error, and a new one started.
    """
    stamp = (now or datetime.now()).strftime("%Y-%m-%d %H:%M:%S")
    seen = _seen(result)
    db = _connected(path, create=True)
    try:
        db.execute("BEGIN IMMEDIATE")
        _put_files(db, seen, stamp)
        _put_rounds(db, seen, result.findings, stamp)
        db.execute(  # the roster of the last merge is the one `bptools status` shows
            "INSERT OR REPLACE INTO meta VALUES ('roster', ?)",
            (json.dumps([[m.code, m.name] for m in roster], ensure_ascii=False),),
        )
        return Recording(db, _view(db, path))
    except sqlite3.Error as exc:
        db.close()
        raise LedgerError(_problem(path, exc)) from exc
    except BaseException:
        db.close()
        raise


def record(
    path: Path,
    result: Consolidation,
    roster: Sequence[Department] = (),
    *,
    now: datetime | None = None,
) -> Ledger:
    """`begin` and commit at once: the ledger as it now is."""
    recording = begin(path, result, roster, now=now)
    problem = recording.commit()
    if problem:
        raise LedgerError(problem)
    return recording.ledger


def load(path: Path, roster: Sequence[Department] | None = None) -> Ledger:
    """The ledger at `path`, as the last merge left it (for `bptools status`); `roster`
    instead of the one that merge used."""
    if not path.is_file():
        raise LedgerError(
            f"{path.parent} 中没有收件台账（{path.name}）：请先用 bptools merge 或 "
            "bptools watch 把各部门的工作簿汇总到这个文件夹"
        )
    db = _connected(path, create=False)
    try:
        return _view(db, path, roster)
    except sqlite3.Error as exc:
        raise LedgerError(_problem(path, exc)) from exc
    finally:
        db.close()


def _connected(path: Path, *, create: bool) -> sqlite3.Connection:
    try:
        return _connect(path, create)
    except OSError as exc:  # the folder cannot be made: the outputs will say so too
        raise LedgerError(_problem(path, exc)) from exc
    except sqlite3.DatabaseError as exc:
        if not create or "locked" in str(exc):
            raise LedgerError(_problem(path, exc)) from exc
        aside = _move_aside(path)
        raise LedgerError(
            f"收件台账 {path} 已损坏，已改名为 {aside.name} 保存；下次汇总时将新建台账"
        ) from exc


def _connect(path: Path, create: bool) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    uri = f"{path.resolve().as_uri()}?mode={'rwc' if create else 'ro'}"
    db = sqlite3.connect(uri, uri=True, timeout=BUSY_SECONDS, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode = DELETE")  # a single file beside the outputs
        if create:
            db.executescript(_SCHEMA)
            db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (SCHEMA,))
        found = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        if found is None or found[0] != SCHEMA:
            raise sqlite3.DatabaseError("not a bptools ledger of this version")
    except BaseException:
        db.close()
        raise
    return db


def _problem(path: Path, exc: BaseException) -> str:
    if "locked" in str(exc) or "busy" in str(exc):
        wait = f"{BUSY_SECONDS:.0f} 秒"
        return f"收件台账 {path} 正被另一个 bptools 使用，{wait}内未能写入，本次未记入台账"
    return f"收件台账 {path} 无法读写（{exc}），本次未记入台账；请检查该文件夹的权限"


def _move_aside(path: Path) -> Path:
    aside = path.with_name(f"{path.name}.损坏-{time.strftime('%Y%m%d-%H%M%S')}")
    with contextlib.suppress(OSError):
        path.replace(aside)
    return aside


def _seen(result: Consolidation) -> list[_Seen]:
    """Each input file (readable or not), with its department and its findings' counts."""
    projects = result.batch.projects
    units: dict[str, Counter[str]] = defaultdict(Counter)
    for file, unit in zip(projects["file"], projects["unit_label"], strict=True):
        units[file][str(unit)] += 1
    counted: dict[str, Counter[str]] = defaultdict(Counter)
    for finding in result.findings:
        counted[finding.file][finding.severity.value] += 1
    seen = []
    for status in result.files:
        unit = units[status.label].most_common(1)[0][0] if units.get(status.label) else ""
        seen.append(
            _Seen(
                digest=status.digest or _digest(status.path),
                name=status.label,
                path=str(status.path),
                unit=unit or _unit_from_name(status.path),
                mtime=status.mtime,
                readable=status.ok,
                projects=status.projects,
                superseded=status.superseded,
                counts={s.value: counted[status.label].get(s.value, 0) for s in Severity},
            )
        )
    return seen


def _digest(path: Path) -> str:
    """The sha256 of a file the reader could not take in; its path when it cannot be read."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as file:
            while chunk := file.read(_HASH_CHUNK):
                digest.update(chunk)
    except OSError:
        return f"unread:{path}"
    return digest.hexdigest()


def _unit_from_name(path: Path) -> str:
    """A file that gave no project is known by its name when it reads "107-组织部…"."""
    split = split_unit(path.stem)
    return f"{split[0]}-{split[1]}" if split else ""


def _put_files(db: sqlite3.Connection, seen: list[_Seen], stamp: str) -> None:
    present = {s.digest for s in seen}
    known = {row[0] for row in db.execute("SELECT digest FROM files")}
    db.execute(
        "UPDATE files SET present = 0, gone = ? WHERE present = 1 AND digest NOT IN "
        "(SELECT value FROM json_each(?))",
        (stamp, json.dumps(sorted(present))),
    )
    for s in seen:
        values = (s.name, s.path, s.mtime, int(s.readable), s.projects, s.superseded)
        counts = json.dumps(s.counts, ensure_ascii=False)
        if s.digest in known:  # the same content, perhaps renamed or moved
            # A file whose projects a newer one replaced keeps the counts it had.
            db.execute(
                "UPDATE files SET name = ?, path = ?, mtime = ?, readable = ?, projects = ?, "
                "superseded = ?, present = 1, gone = NULL WHERE digest = ?",
                (*values, s.digest),
            )
            if not (s.projects and s.superseded >= s.projects):
                db.execute("UPDATE files SET counts = ? WHERE digest = ?", (counts, s.digest))
        else:
            db.execute(
                "INSERT INTO files (digest, name, path, mtime, readable, projects, superseded,"
                " counts, unit, dept, received, round, present, gone)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, 1, NULL)",
                (s.digest, *values, counts, s.unit, department_key(s.unit), stamp),
            )
            known.add(s.digest)


def _put_rounds(
    db: sqlite3.Connection, seen: list[_Seen], findings: list[Finding], stamp: str
) -> None:
    """A new round for each department with content not seen before, with its findings."""
    new = db.execute("SELECT dept, readable FROM files WHERE round IS NULL").fetchall()
    depts = sorted({dept for dept, _ in new if dept})
    readable = {dept for dept, ok in new if ok}
    if not depts:
        return
    files = {s.name: department_key(s.unit) for s in seen}
    keys = {unit: department_key(unit) for unit in {f.unit for f in findings if f.unit}}
    by_dept: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        dept = keys[finding.unit] if finding.unit else files.get(finding.file, "")
        by_dept[dept].append(finding)
    for dept in depts:
        last = db.execute("SELECT MAX(round) FROM rounds WHERE dept = ?", (dept,)).fetchone()[0]
        number = (last or 0) + 1
        found = _finding_keys(by_dept.get(dept, []))
        db.execute(
            "INSERT INTO rounds VALUES (?, ?, ?, ?, ?)",
            (
                dept,
                number,
                stamp,
                json.dumps(found, ensure_ascii=False, sort_keys=True),
                int(dept in readable),
            ),
        )
        db.execute("UPDATE files SET round = ? WHERE round IS NULL AND dept = ?", (number, dept))


def _finding_keys(findings: list[Finding]) -> dict[str, str]:
    """Each finding once, by what stays the same when the department fixes others (rule,
    project, indicator, column), with the words the ledger shows for it."""
    keys = {}
    for f in findings:
        if f.rule_id == project_superseded.id:
            continue  # about the older file, not about what the department sent
        column = f.cell.rstrip("0123456789")
        key = "\x1f".join((f.rule_id, f.project or f.sheet, f.indicator, column))
        where = f"［{f.project}］" if f.project else ""
        about = f"“{f.indicator}”" if f.indicator else ""
        keys[key] = f"{f.rule_id} {where}{about}{f.rule.title}"
    return keys


def _view(
    db: sqlite3.Connection, path: Path, roster: Sequence[Department] | None = None
) -> Ledger:
    files = db.execute(
        "SELECT digest, name, unit, dept, received, mtime, round, readable, projects,"
        " superseded, counts, present, gone FROM files ORDER BY dept, received, name"
    ).fetchall()
    rounds = db.execute("SELECT dept, round, at, findings, readable FROM rounds").fetchall()
    if roster is None:
        found = db.execute("SELECT value FROM meta WHERE key = 'roster'").fetchone()
        roster = [Department(code, name) for code, name in json.loads(found[0])] if found else []
    return build_view(path, files, rounds, list(roster))
