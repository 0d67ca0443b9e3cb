"""The cache in OUTDIR: a re-merge reads only changed files and gives what a fresh run gives;
a cache that is stale, foreign, damaged or out of reach is never trusted, never fatal."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sqlite3
import zlib
from pathlib import Path

import pytest

import bptools.cache
import bptools.intake
from bptools import Consolidation, consolidate
from bptools.cache import CACHE_NAME
from bptools.config import Config
from bptools.model import Project
from bptools.rules import Severity
from bptools.template import write_template

from .conftest import assert_same
from .test_cli import invoke

SECOND = "404-重庆市北碚区残疾人联合会（第二版）.xlsx"


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files read in this process by the runs of the test (they run in one process)."""
    read: list[Path] = []
    real = bptools.intake.read_workbook

    def counting(path: Path):  # type: ignore[no-untyped-def]
        read.append(path)
        return real(path)

    monkeypatch.setattr(bptools.intake, "read_workbook", counting)
    return read


def run(inbox: Path, db: Path | None, **options: object) -> Consolidation:
    return consolidate([inbox], jobs=1, cache=db, **options)  # type: ignore[arg-type]


def test_a_warm_cache_reads_nothing_and_gives_the_same(
    inbox: Path, tmp_path: Path, reads: list[Path]
) -> None:
    db = tmp_path / CACHE_NAME
    fresh = run(inbox, None)
    assert any(s.superseded for s in fresh.files)  # a file that lost projects is rechecked
    reads.clear()
    assert_same(run(inbox, db), fresh)
    assert len(reads) == len(fresh.files)
    reads.clear()
    assert_same(run(inbox, db), fresh)
    assert reads == []
    # In worker processes too (they read what the cache does not have).
    assert_same(consolidate([inbox], jobs=2, cache=db), fresh)


def test_the_digest_is_the_contents_sha256(inbox: Path, tmp_path: Path) -> None:
    for status in run(inbox, tmp_path / CACHE_NAME).files:
        assert status.digest == hashlib.sha256(status.path.read_bytes()).hexdigest()


def test_a_changed_file_is_the_only_one_read_again(
    inbox: Path, tmp_path: Path, reads: list[Path], sample_projects: list[Project]
) -> None:
    db = tmp_path / CACHE_NAME
    run(inbox, db)
    changed = inbox / "改码.xlsx"
    unit = "999-重庆市北碚区信访办公室"
    tables = [dataclasses.replace(p, unit=unit) for p in sample_projects if "信访" in p.unit]
    tables[0] = dataclasses.replace(tables[0], overview=tables[0].overview + "（修改）")
    write_template(changed, 2023, unit=unit, projects=tables)
    reads.clear()
    result = run(inbox, db)
    assert reads == [changed]
    assert_same(result, run(inbox, None))


def test_a_renamed_file_is_named_by_its_new_name(
    inbox: Path, tmp_path: Path, reads: list[Path]
) -> None:
    db = tmp_path / CACHE_NAME
    run(inbox, db)
    (inbox / "改码.xlsx").rename(inbox / "信访办.xlsx")
    reads.clear()
    result = run(inbox, db)
    assert reads == [inbox / "信访办.xlsx"]
    assert "改码.xlsx" not in {f.file for f in result.findings}
    assert "信访办.xlsx" in {f.file for f in result.findings}
    assert_same(result, run(inbox, None))


def test_files_gone_are_dropped_from_the_cache(inbox: Path, tmp_path: Path) -> None:
    db = tmp_path / CACHE_NAME
    before = len(run(inbox, db).files)
    (inbox / "改名.xlsx").unlink()
    run(inbox, db)
    with sqlite3.connect(db) as connection:
        (stored,) = connection.execute("SELECT count(*) FROM files").fetchone()
    assert stored == before - 1


@pytest.mark.parametrize(
    "config",
    [
        Config(params={"BP603": {"floor": 70}}),
        Config(disabled=("BP8",)),
        Config(severities={"BP301": Severity.INFO}),
    ],
    ids=["params", "disabled", "severity"],
)
def test_another_configuration_starts_afresh(
    inbox: Path, tmp_path: Path, reads: list[Path], config: Config
) -> None:
    db = tmp_path / CACHE_NAME
    files = len(run(inbox, db).files)
    reads.clear()
    result = run(inbox, db, config=config)
    assert len(reads) == files
    assert_same(result, run(inbox, None, config=config))


def test_another_year_rechecks_without_reading(
    inbox: Path, tmp_path: Path, reads: list[Path]
) -> None:
    db = tmp_path / CACHE_NAME
    run(inbox, db)
    for year in (2024, None):
        reads.clear()
        result = run(inbox, db, year=year)
        assert reads == []
        assert_same(result, run(inbox, None, year=year))


def _garbage(db: Path) -> None:
    db.write_bytes(os.urandom(8192))


def _truncated(db: Path) -> None:
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 3])


def _foreign(db: Path) -> None:
    db.unlink()
    with sqlite3.connect(db) as connection:
        connection.execute("CREATE TABLE files (name TEXT, size INTEGER)")
        connection.execute("INSERT INTO files VALUES ('a.xlsx', 3)")


def _other_schema(db: Path) -> None:
    with sqlite3.connect(db) as connection:
        connection.execute("PRAGMA user_version = 99")


def _stored(db: Path, label: str) -> tuple[str, dict]:  # type: ignore[type-arg]
    with sqlite3.connect(db) as connection:
        digest, blob = connection.execute(
            "SELECT digest, result FROM files WHERE label = ?", (label,)
        ).fetchone()
    return digest, json.loads(zlib.decompress(blob))


def _store(db: Path, digest: str, label: str, data: object, *, sign: bool) -> None:
    blob = zlib.compress(json.dumps(data, ensure_ascii=False).encode())
    checksum = bptools.cache._checksum(digest, label, blob) if sign else "0" * 32
    with sqlite3.connect(db) as connection:
        connection.execute(
            "UPDATE files SET result = ?, checksum = ? WHERE digest = ? AND label = ?",
            (blob, checksum, digest, label),
        )


def _tampered(db: Path) -> None:
    """A value in a row changed, its checksum left as it was."""
    digest, data = _stored(db, SECOND)
    data["rows"]["projects"][0][3] = "改过的"
    _store(db, digest, SECOND, data, sign=False)


def _wrong_types(db: Path) -> None:
    """Rows whose types are not ours, under a checksum that matches."""
    digest, data = _stored(db, SECOND)
    data["rows"]["indicators"][0][-1] = "12"  # the row number
    _store(db, digest, SECOND, data, sign=True)


def _wrong_shape(db: Path) -> None:
    digest, data = _stored(db, SECOND)
    data["projects"] = "3"
    data["checks"] = {"BP301": [["BP301", "致命", "x"]]}
    _store(db, digest, SECOND, data, sign=True)


@pytest.mark.parametrize(
    "damage",
    [_garbage, _truncated, _foreign, _other_schema, _tampered, _wrong_types, _wrong_shape],
)
def test_a_damaged_cache_is_started_afresh(
    inbox: Path, tmp_path: Path, reads: list[Path], damage: object
) -> None:
    db = tmp_path / CACHE_NAME
    expected = run(inbox, db)
    damage(db)  # type: ignore[operator]
    reads.clear()
    assert_same(run(inbox, db), expected)
    assert len(reads) == len(expected.files)
    reads.clear()
    assert_same(run(inbox, db), expected)
    assert reads == []


def test_a_cache_held_by_another_run_is_done_without(
    inbox: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reads: list[Path]
) -> None:
    monkeypatch.setattr(bptools.cache, "_LOCK_WAIT", 0.1)
    db = tmp_path / CACHE_NAME
    expected = run(inbox, db)
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    reads.clear()
    assert_same(run(inbox, db), expected)
    assert len(reads) == len(expected.files)
    other.rollback()
    other.close()


def test_a_cache_that_cannot_be_made_is_done_without(inbox: Path, tmp_path: Path) -> None:
    folder = tmp_path / "文件夹"  # where the database would be
    folder.mkdir()
    in_the_way = tmp_path / "文件"  # where its folder would be
    in_the_way.write_text("")
    expected = run(inbox, None)
    for place in (folder, in_the_way / CACHE_NAME):
        assert_same(run(inbox, place), expected)


def test_merge_keeps_its_cache_out_of_the_inputs(inbox: Path) -> None:
    """The output folder may be the inbox itself."""
    options = ("--no-html", "--no-feedback", "--fail-on", "never")
    assert invoke("merge", str(inbox), "-o", str(inbox), *options)[0] == 0
    assert (inbox / CACHE_NAME).is_file()
    code, output = invoke("merge", str(inbox), "-o", str(inbox), *options)
    assert code == 0 and "未读取：" + str(inbox / CACHE_NAME) not in output
    assert "非工作簿 1 个" in output  # 说明.docx, as before


def test_merge_no_cache_keeps_none(inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "结果"
    options = ("--no-html", "--no-feedback", "--fail-on", "never", "--no-cache")
    assert invoke("merge", str(inbox), "-o", str(out), *options)[0] == 0
    assert not (out / CACHE_NAME).exists()
