"""One file's result (`bptools.intake.FileResult`) as JSON, and back.

JSON rather than pickle: what is loaded from the cache is data, never code. Values JSON has
no type for (a tuple, a date typed in a cell, a Decimal) go as {"$": tag, "v": ...}; a
value of any other type makes the result one not to cache (`Uncacheable`). Loading checks
the shape of everything (each row has our columns, each finding our fields and a known
rule, each count a number): whatever does not fit is `Corrupt`, never used.
"""

from __future__ import annotations

import datetime as dt
import json
import numbers
import zlib
from collections.abc import Callable, Collection, Mapping, Sequence
from decimal import Decimal
from functools import partial
from typing import Any

from .intake import FileResult, FileRows, FileStatus, Task
from .merge import INDICATOR_COLUMNS, PROJECT_COLUMNS
from .records import Row
from .rules import RULES, Finding, Severity

MAX_BYTES = 64 * 1024 * 1024  # one file's rows and findings, uncompressed: far above any real


class Uncacheable(ValueError):
    "The result holds a value that JSON cannot carry faithfully."


class Corrupt(ValueError):
    "A stored result is not one we wrote."


def dump(result: FileResult) -> bytes:
    """The result as compressed JSON (the path, mtime and digest are not in it)."""
    status, rows = result.status, result.rows
    data = {
        "projects": status.projects,
        "blank_sheets": status.blank_sheets,
        "error": _finding(status.error) if status.error else None,
        "rows": _rows(rows) if rows else None,
        "checks": {rule: [_finding(f) for f in found] for rule, found in result.checks.items()},
        "year": result.year,
    }
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return zlib.compress(text.encode("utf-8", "surrogatepass"), 1)


def load(blob: bytes, task: Task, digest: str, mtime: float, local: Collection[str]) -> FileResult:
    """The result stored in `blob` for the file of `task`, as it is now (its digest, its
    mtime); `local` are the rules it must have been checked by. Raises `Corrupt`."""
    try:
        inflate = zlib.decompressobj()
        text = inflate.decompress(blob, MAX_BYTES)
        if inflate.unconsumed_tail or not inflate.eof:
            raise Corrupt("truncated or too large")
        data = json.loads(text.decode("utf-8", "surrogatepass"))
        return _result(data, task, digest, mtime, local)
    except Corrupt:
        raise
    except Exception as exc:  # whatever is wrong with it, it is not ours
        raise Corrupt(f"{type(exc).__name__}: {exc}") from exc


def _result(
    data: Any, task: Task, digest: str, mtime: float, local: Collection[str]
) -> FileResult:
    _expect(type(data) is dict and set(data) == _RESULT_KEYS, "result")
    read = partial(_load_finding, label=task.label)
    status = FileStatus(task.path, task.label, mtime=mtime, digest=digest)
    status.projects = _count(data["projects"])
    status.blank_sheets = _count(data["blank_sheets"])
    status.error = None if data["error"] is None else read(data["error"])
    rows = None if data["rows"] is None else _load_rows(data["rows"], task, read)
    _expect((rows is None) != (status.error is None), "rows or error")
    _expect(rows is None or len(rows.projects) == status.projects, "project count")
    checks = data["checks"]
    _expect(type(checks) is dict and set(checks) <= set(local), "checks")
    year = data["year"]
    _expect(year is None or type(year) is int, "year")
    loaded = {rule: [read(f) for f in _list(found)] for rule, found in checks.items()}
    return FileResult(status, rows, loaded, year, cacheable=True)


_RESULT_KEYS = {"projects", "blank_sheets", "error", "rows", "checks", "year"}


# --- Rows ---------------------------------------------------------------------------------


def _rows(rows: FileRows) -> dict[str, Any]:
    return {
        "projects": [_row(row, PROJECT_COLUMNS) for row in rows.projects],
        "indicators": [_row(row, INDICATOR_COLUMNS) for row in rows.indicators],
        "findings": [_finding(f) for f in rows.findings],
    }


def _row(row: Row, columns: Sequence[str]) -> list[Any]:
    if len(row) != len(columns) or set(row) != set(columns):
        raise Uncacheable("a row with other columns than the batch's")
    return [v if type(v) in _SCALARS else _plain(v) for v in (row[c] for c in columns)]


def _load_rows(data: Any, task: Task, read: Callable[[Any], Finding]) -> FileRows:
    _expect(type(data) is dict and set(data) == {"projects", "indicators", "findings"}, "rows")
    projects = [_load_row(item, _PROJECT_TYPES, task) for item in _list(data["projects"])]
    indicators = [_load_row(item, _INDICATOR_TYPES, task) for item in _list(data["indicators"])]
    sheets = {row["sheet"] for row in projects}
    _expect(all(row["sheet"] in sheets for row in indicators), "indicator sheets")
    return FileRows(projects, indicators, [read(item) for item in _list(data["findings"])])


# Columns whose type a check relies on (the others hold what cells held: any plain value).
_TYPES: dict[str, tuple[type, ...]] = {
    "project_id": (str,),
    "file": (str,),
    "sheet": (str,),
    "unit_code": (str,),
    "unit_name": (str,),
    "unit_label": (str,),
    "project": (str,),
    "project_key": (str,),
    "year": (int, type(None)),
    "hidden": (bool,),
    "n_indicators": (int,),
    "seq": (int,),
    "row": (int,),
    "target_num": (float,),
}


def _typed(columns: Sequence[str]) -> tuple[Sequence[str], dict[str, tuple[type, ...]]]:
    """The columns, and the types of those whose type is known (cell addresses and number
    formats are text)."""
    suffixed = {c: (str,) for c in columns if c.endswith(("__cell", "__format"))}
    return columns, {**suffixed, **{c: t for c, t in _TYPES.items() if c in columns}}


_PROJECT_TYPES = _typed(PROJECT_COLUMNS)
_INDICATOR_TYPES = _typed(INDICATOR_COLUMNS)


def _load_row(
    data: Any, typed: tuple[Sequence[str], dict[str, tuple[type, ...]]], task: Task
) -> Row:
    columns, types = typed
    values = _list(data)
    _expect(len(values) == len(columns), "row length")
    if not _SCALAR_TYPES.issuperset(map(type, values)):  # a tagged value among them
        values = [_value(value) for value in values]
    row = dict(zip(columns, values, strict=True))
    wrong = next((c for c, kinds in types.items() if type(row[c]) not in kinds), None)
    _expect(wrong is None, f"type of {wrong}")
    _expect(row["file"] == task.label, "file")
    # Projects are numbered by the file's place among this run's inputs.
    row["project_id"] = f"{task.index}/{row['sheet']}"
    return row


# --- Findings -----------------------------------------------------------------------------

_TEXT_FIELDS = ("message", "file", "sheet", "cell", "unit", "project", "value", "related")
_TEXT_FIELDS += ("indicator", "hint")


def _finding(finding: Finding) -> list[Any]:
    params = dict(finding.params)
    if not all(type(key) is str for key in params):
        raise Uncacheable("a finding's parameter not named by a string")
    texts = [getattr(finding, name) for name in _TEXT_FIELDS]
    encoded = {key: _plain(value) for key, value in params.items()}
    return [finding.rule_id, finding.severity.value, *texts, encoded]


def _load_finding(data: Any, label: str) -> Finding:
    values = _list(data)
    _expect(len(values) == 3 + len(_TEXT_FIELDS), "finding length")
    rule_id, severity, *texts, params = values
    _expect(type(rule_id) is str and rule_id in RULES, "rule")
    _expect(all(type(text) is str for text in texts), "finding texts")
    _expect(type(params) is dict, "finding params")
    finding = Finding(
        rule_id,
        Severity(severity),
        *texts,
        params={key: _value(value) for key, value in params.items()},
    )
    _expect(finding.file == label, "finding's file")
    return finding


# --- Values -------------------------------------------------------------------------------

_SCALARS = (str, bool, int, float, type(None))
_SCALAR_TYPES = frozenset(_SCALARS)


def _plain(value: object) -> Any:
    """A value as JSON: scalars as they are, the types JSON lacks tagged."""
    if type(value) in _SCALARS:
        return value
    for kind, (tag, encode, _) in _TAGGED.items():
        if isinstance(value, kind):
            return {"$": tag, "v": encode(value)}
    if isinstance(value, numbers.Integral):  # numpy's integers: the same number
        return int(value)
    if isinstance(value, float):  # and numpy's floats
        return float(value)
    raise Uncacheable(f"a value of type {type(value).__name__}")


def _value(data: Any) -> Any:
    if type(data) in _SCALARS:
        return data
    _expect(type(data) is dict and set(data) == {"$", "v"}, "value")
    decode = _DECODERS.get(data["$"])
    _expect(decode is not None, "value tag")
    assert decode is not None
    return decode(data["v"])


def _pairs(value: Mapping[Any, Any]) -> list[list[Any]]:
    return [[_plain(k), _plain(v)] for k, v in value.items()]


def _delta(value: dt.timedelta) -> list[int]:
    return [value.days, value.seconds, value.microseconds]


def _items(value: Sequence[Any]) -> list[Any]:
    return [_plain(x) for x in value]


def _load_items(data: Any) -> list[Any]:
    return [_value(x) for x in _list(data)]


def _load_pairs(data: Any) -> dict[Any, Any]:
    return {_value(k): _value(v) for k, v in map(_pair, _list(data))}


def _load_delta(data: Any) -> dt.timedelta:
    return dt.timedelta(*(_int(x) for x in _list(data)))


Encode = Callable[[Any], Any]
# Each type JSON lacks: its tag, how it is written, how it is read back. datetime before
# date: a datetime is a date too.
_TAGGED: dict[type, tuple[str, Encode, Encode]] = {
    list: ("list", _items, _load_items),
    tuple: ("tuple", _items, lambda data: tuple(_load_items(data))),
    dict: ("dict", _pairs, _load_pairs),
    dt.datetime: ("datetime", dt.datetime.isoformat, lambda v: dt.datetime.fromisoformat(_str(v))),
    dt.date: ("date", dt.date.isoformat, lambda v: dt.date.fromisoformat(_str(v))),
    dt.time: ("time", dt.time.isoformat, lambda v: dt.time.fromisoformat(_str(v))),
    dt.timedelta: ("timedelta", _delta, _load_delta),
    Decimal: ("decimal", str, lambda v: Decimal(_str(v))),
}
_DECODERS = {tag: decode for tag, _, decode in _TAGGED.values()}


# --- Checks on what was loaded ----------------------------------------------------------


def _expect(condition: bool, what: str) -> None:
    if not condition:
        raise Corrupt(f"unexpected {what}")


def _list(data: Any) -> list[Any]:
    _expect(type(data) is list, "list")
    return data  # type: ignore[no-any-return]


def _pair(data: Any) -> list[Any]:
    _expect(type(data) is list and len(data) == 2, "pair")
    return data  # type: ignore[no-any-return]


def _str(data: Any) -> str:
    _expect(type(data) is str, "text")
    return data  # type: ignore[no-any-return]


def _int(data: Any) -> int:
    _expect(type(data) is int, "integer")
    return data  # type: ignore[no-any-return]


def _count(data: Any) -> int:
    _expect(type(data) is int and data >= 0, "count")
    return data  # type: ignore[no-any-return]
