"""The department roster (部门名单): who has to submit. Given in bptools.toml (`roster = [...]`
or `roster = "部门名单.xlsx"`) or with --roster; 总览, 收件台账 and `bptools status` then name
the departments that have not submitted.

A department is matched by its code when both sides have one ("107-组织部" is 107 whatever
its name is typed as), else by its name.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import python_calamine as calamine

from .errors import BptoolsError, os_reason
from .model import Department
from .normalize import as_text, clean_label, label_key, split_unit

ROSTER_SHEET = "部门名单"
CODE_HEADERS = ("单位编码", "部门编码", "编码", "代码")
NAME_HEADERS = ("单位名称", "部门名称", "编制单位", "预算单位")
MAX_ROWS = 20_000  # a city has about a thousand departments
_TEXT_SUFFIXES = (".txt", ".csv")
_SPACED = re.compile(r"(\d+)\s+(\S.*)")  # "107 组织部": a code, spaces, a name


class RosterError(BptoolsError):
    """The roster cannot be read (a message for the clerk, in Chinese)."""


def department_key(label: str) -> str:
    """What identifies a department across files and rounds: its code, else its name."""
    found = member(label)
    return member_key(found) if found else ""


def member(text: object) -> Department | None:
    """A roster entry from "107-组织部", "107 组织部", "107" or "组织部"."""
    typed = _SPACED.fullmatch(as_text(text).strip())
    label = clean_label(f"{typed[1]}-{typed[2]}" if typed else as_text(text))
    if not label:
        return None
    split = split_unit(label)
    if split:
        return Department(*split)
    return Department(label, "") if label.isdigit() else Department("", label)


def members(values: Iterable[object]) -> tuple[Department, ...]:
    """The entries of `values`, once each (by `department_key`), in order."""
    seen: dict[str, Department] = {}
    for value in values:
        found = member(value)
        if found is not None:
            seen.setdefault(member_key(found), found)
    return tuple(seen.values())


def member_key(entry: Department) -> str:
    return f"#{entry.code}" if entry.code else label_key(entry.name)


def read_roster(path: Path) -> tuple[Department, ...]:
    """The roster in a workbook (the sheet 部门名单, else the first; under a 单位编码 and/or
    单位名称 header, or 编制单位 of "编码-名称"), or in a text file of one department a line."""
    try:
        if path.suffix.lower() in _TEXT_SUFFIXES:
            rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
        else:
            book = calamine.CalamineWorkbook.from_path(str(path))
            sheet = ROSTER_SHEET if ROSTER_SHEET in book.sheet_names else book.sheet_names[0]
            rows = book.get_sheet_by_name(sheet).to_python(nrows=MAX_ROWS)
            headed = _headed(rows)
            if headed is None:
                raise RosterError(_NO_HEADER.format(path=path))
            return headed or _empty(path)
    except RosterError:
        raise
    except OSError as exc:
        raise RosterError(f"部门名单 {path} 无法读取：{os_reason(exc)}") from exc
    except Exception as exc:  # calamine's own errors for damaged or foreign files
        raise RosterError(
            f"部门名单 {path} 不是能打开的工作簿（可能已损坏）：请给出 .xlsx 工作簿，"
            "或每行一个部门的 .txt 文件"
        ) from exc
    return members(row[0] for row in rows if row) or _empty(path)


_NO_HEADER = (
    "部门名单 {path} 的前 10 行中没有“单位编码”或“单位名称”表头：请在名单的第一行写上"
    "“单位编码”“单位名称”（或一列“编制单位”，每行一个“编码-名称”）"
)


def _empty(path: Path) -> tuple[Department, ...]:
    raise RosterError(
        f"部门名单 {path} 中没有找到部门：请每行填写一个部门，如“107-组织部”，"
        "工作簿请设“单位编码”“单位名称”两列表头"
    )


def _headed(rows: Sequence[Sequence[object]]) -> tuple[Department, ...] | None:
    """The departments under a 单位编码 and/or 单位名称 header (None: no such header)."""
    for top, row in enumerate(rows[:10]):
        header = [label_key(v) for v in row]
        code = next((header.index(h) for h in CODE_HEADERS if h in header), None)
        name = next((header.index(h) for h in NAME_HEADERS if h in header), None)
        if code is None and name is None:
            continue
        return members(_entry(values, code, name) for values in rows[top + 1 :])
    return None


def _entry(values: Sequence[object], code: int | None, name: int | None) -> str:
    typed_code, typed_name = (
        clean_label(as_text(values[n])) if n is not None and n < len(values) else ""
        for n in (code, name)
    )
    if split_unit(typed_name) or not typed_code:
        return typed_name
    return f"{typed_code}-{typed_name}" if typed_name else typed_code
