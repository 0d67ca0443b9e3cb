"""What each file gave, kept in OUTDIR between runs, so a re-merge reads only what changed.

An SQLite database (one file, stdlib `sqlite3`) of each file's rows, reader findings and
findings by the rules that check files one by one (`bptools.intake`), keyed by the file's
content (sha256) and label (findings name the file). It holds one `fingerprint`: this
code and its libraries, and the local rules and their configuration; any other fingerprint
empties it. The budget year a file was checked under is kept with it, and compared by the
pipeline. Severities, `keep` and the year are applied after it, to every run's findings.

Nothing in it is trusted: a file that is not our database (garbage, truncated, another
program's), or an entry that does not check out (its checksum, its shape: see
`bptools.filejson`), starts the cache afresh. A cache that cannot be opened, read or
written (locked by another run, read-only) is done without: the run never fails for it.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys
from collections.abc import Iterable, Sequence
from importlib import metadata
from pathlib import Path

from . import filejson
from .config import Config
from .fingerprint import code_digest
from .intake import FileResult, Task, content_digest
from .rules import Rule

CACHE_NAME = ".bptools-cache.sqlite"
_APPLICATION_ID = 0x62707463  # "bptc", in the database header: the file is ours
_SCHEMA = 1  # the header's user_version: the layout of the tables below
_LOCK_WAIT = 2.0  # seconds to wait for another run holding the database
_SQL_SCHEMA = f"""
PRAGMA application_id = {_APPLICATION_ID};
PRAGMA user_version = {_SCHEMA};
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE files (
    digest TEXT NOT NULL,
    label TEXT NOT NULL,
    result BLOB NOT NULL,
    checksum TEXT NOT NULL,
    PRIMARY KEY (digest, label)
);
"""
# SQLite's primary result codes for a database that is damaged or not one at all.
_DAMAGED = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB


class Cache:
    """An open cache; `open` gives None when there can be none."""

    def __init__(self, path: Path, connection: sqlite3.Connection, fingerprint: str) -> None:
        self.path = path
        self._db: sqlite3.Connection | None = connection
        self._fingerprint = fingerprint

    @classmethod
    def open(cls, path: Path, fingerprint: str) -> Cache | None:
        """The cache at `path`, emptied if it was another fingerprint's and started afresh
        if it was not ours; None if it cannot be used."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            connection = _connect(path)
            try:
                if _prepare(connection, fingerprint):
                    return cls(path, connection, fingerprint)
            except sqlite3.DatabaseError as exc:
                if _code(exc) not in _DAMAGED:
                    connection.close()
                    return None
            connection.close()
            return cls._afresh(path, fingerprint)
        except (sqlite3.Error, OSError):
            return None

    @classmethod
    def _afresh(cls, path: Path, fingerprint: str) -> Cache | None:
        """A new, empty cache in place of whatever `path` held."""
        for stale in (path, path.with_name(path.name + "-journal")):
            stale.unlink(missing_ok=True)
        connection = _connect(path)
        if _prepare(connection, fingerprint):
            return cls(path, connection, fingerprint)
        connection.close()
        return None

    def load(self, tasks: Sequence[Task], local: Sequence[str]) -> dict[int, FileResult]:
        """The results of the tasks' files as they are now, by task index; if any entry
        does not check out, none (and the cache is started afresh)."""
        found: dict[int, FileResult] = {}
        try:
            for task in tasks:
                result = self._get(task, local)
                if result is not None:
                    found[task.index] = result
        except (filejson.Corrupt, sqlite3.DatabaseError) as exc:
            if isinstance(exc, sqlite3.DatabaseError) and _code(exc) not in _DAMAGED:
                self.close()
                return {}
            self._restart()
            return {}
        return found

    def _get(self, task: Task, local: Sequence[str]) -> FileResult | None:
        assert self._db is not None
        try:
            now = task.path.stat()
            digest = content_digest(task.path, now.st_size)
        except OSError:
            return None  # the reading will say what is wrong with it
        if not digest:
            return None
        row = self._db.execute(
            "SELECT result, checksum FROM files WHERE digest = ? AND label = ?",
            (digest, task.label),
        ).fetchone()
        if row is None:
            return None
        blob, checksum = row
        if type(blob) is not bytes or checksum != _checksum(digest, task.label, blob):
            raise filejson.Corrupt("checksum")
        return filejson.load(blob, task, digest, now.st_mtime, local)

    def save(self, results: Iterable[FileResult], fresh: Iterable[FileResult]) -> None:
        """Keep exactly `results` (those that may be kept): `fresh` ones are written, the
        others are there already; entries of files no longer read are removed."""
        if self._db is None:
            return
        keys = {(r.status.digest, r.status.label) for r in results if _keeps(r)}
        rows = []
        for result in fresh:
            if not _keeps(result):
                continue
            try:
                blob = filejson.dump(result)
            except filejson.Uncacheable:
                keys.discard((result.status.digest, result.status.label))
                continue
            digest, label = result.status.digest, result.status.label
            rows.append((digest, label, blob, _checksum(digest, label, blob)))
        try:
            with self._db:
                self._db.execute("BEGIN IMMEDIATE")
                stored = self._db.execute("SELECT digest, label FROM files").fetchall()
                gone = [key for key in map(tuple, stored) if key not in keys]
                self._db.executemany("DELETE FROM files WHERE digest = ? AND label = ?", gone)
                self._db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)", rows)
        except sqlite3.Error:
            pass  # locked by another run, read-only, full: this run's results go unkept
        self.close()

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def _restart(self) -> None:
        self.close()
        try:
            fresh = Cache._afresh(self.path, self._fingerprint)
        except (sqlite3.Error, OSError):
            return
        if fresh is not None:
            self._db, fresh._db = fresh._db, None


def _keeps(result: FileResult) -> bool:
    return result.cacheable and bool(result.status.digest)


def _connect(path: Path) -> sqlite3.Connection:
    # Autocommit: transactions are begun explicitly. The default rollback journal, not WAL,
    # which needs shared memory that folders on a network share do not have.
    return sqlite3.connect(path, timeout=_LOCK_WAIT, isolation_level=None)


def _prepare(connection: sqlite3.Connection, fingerprint: str) -> bool:
    """Make the database ours with this fingerprint: True when it is (now), False when it
    is someone else's; raises sqlite3.DatabaseError when it is no database at all."""
    application = connection.execute("PRAGMA application_id").fetchone()[0]
    schema = connection.execute("PRAGMA user_version").fetchone()[0]
    if (application, schema) == (0, 0):
        tables = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if tables:
            return False
        with connection:
            connection.execute("BEGIN IMMEDIATE")
            for statement in filter(str.strip, _SQL_SCHEMA.split(";")):
                connection.execute(statement)
            connection.execute("INSERT INTO meta VALUES ('fingerprint', ?)", (fingerprint,))
        return True
    if (application, schema) != (_APPLICATION_ID, _SCHEMA):
        return False
    row = connection.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
    if row is None or row[0] != fingerprint:
        with connection:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("DELETE FROM files")
            connection.execute(
                "INSERT OR REPLACE INTO meta VALUES ('fingerprint', ?)", (fingerprint,)
            )
    return True


def _code(exc: sqlite3.Error) -> int:
    return getattr(exc, "sqlite_errorcode", 0) & 0xFF


def _checksum(digest: str, label: str, blob: bytes) -> str:
    """Ties a stored result to its key: a bit flipped or an entry moved does not check out."""
    key = f"{digest}\0{label}\0".encode("utf-8", "surrogatepass")
    return hashlib.blake2b(key + blob, digest_size=16).hexdigest()


def fingerprint(config: Config, rules: Sequence[Rule]) -> str:
    """What every stored result depends on besides its file: this code, its libraries, and
    the local `rules` as configured."""
    described = {
        "code": code_digest(),
        "versions": [sys.version, *map(_version, ("bptools", "pandas", "python-calamine"))],
        "rules": [
            [r.id, r.severity.value, config.severity(r.id).value, _name(r.check), r.params]
            for r in rules
        ],
        "params": config.params,
    }
    text = json.dumps(described, sort_keys=True, ensure_ascii=False, default=repr)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return ""


def _name(check: object) -> str:
    return f"{getattr(check, '__module__', '')}.{getattr(check, '__qualname__', '')}"
