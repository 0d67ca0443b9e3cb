"""The department roster (部门名单): who has to submit. Given in bptools.toml (`roster = [...]`
or `roster = "部门名单.xlsx"`) or with --roster; 总览, 收件台账 and `bptools status` then name
the departments that have not submitted.

A department is matched by its code when both sides have one ("107-组织部" is 107 whatever
its name is typed as), else by its name.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import python_calamine as calamine

from .errors import BptoolsError, os_reason
from .normalize import as_text, clean_label, label_key, split_unit

ROSTER_SHEET = "部门名单"
CODE_HEADERS = ("单位编码", "部门编码", "编码", "代码")
NAME_HEADERS = ("单位名称", "部门名称", "单位", "部门", "名称", "编制单位")
MAX_ROWS = 20_000  # a city has about a thousand departments
_TEXT_SUFFIXES = (".txt", ".csv")


class RosterError(BptoolsError):
    """The roster cannot be read (a message for the clerk, in Chinese)."""


@dataclass(frozen=True)
class Member:
    code: str
    name: str

    @property
    def label(self) -> str:
        return f"{self.code}-{self.name}" if self.code and self.name else self.code or self.name


def department_key(label: str) -> str:
    """What identifies a department across files and rounds: its code, else its name."""
    split = split_unit(label)
    return f"#{split[0]}" if split else label_key(label)


def member(text: object) -> Member | None:
    """A roster entry from "107-组织部", "107" or "组织部"."""
    label = clean_label(as_text(text))
    if not label:
        return None
    split = split_unit(label)
    if split:
        return Member(*split)
    return Member(label, "") if label.isdigit() else Member("", label)


def members(values: Iterable[object]) -> tuple[Member, ...]:
    """The entries of `values`, once each (by `department_key`), in order."""
    seen: dict[str, Member] = {}
    for value in values:
        found = member(value)
        if found is not None:
            seen.setdefault(member_key(found), found)
    return tuple(seen.values())


def member_key(entry: Member) -> str:
    return f"#{entry.code}" if entry.code else label_key(entry.name)


def read_roster(path: Path) -> tuple[Member, ...]:
    """The roster in a workbook (the sheet 部门名单, else the first; a 单位编码 and/or 单位名称
    column, or one column of "编码-名称"), or in a text file of one department per line."""
    try:
        if path.suffix.lower() in _TEXT_SUFFIXES:
            rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
        else:
            book = calamine.CalamineWorkbook.from_path(str(path))
            sheet = ROSTER_SHEET if ROSTER_SHEET in book.sheet_names else book.sheet_names[0]
            rows = book.get_sheet_by_name(sheet).to_python(nrows=MAX_ROWS)
    except OSError as exc:
        raise RosterError(f"部门名单 {path} 无法读取：{os_reason(exc)}") from exc
    except Exception as exc:  # calamine's own errors for damaged or foreign files
        raise RosterError(
            f"部门名单 {path} 无法读取（{exc}）：请给出 .xlsx 工作簿或每行一个部门的 .txt 文件"
        ) from exc
    found = _from_rows(rows)
    if not found:
        raise RosterError(
            f"部门名单 {path} 中没有找到部门：请在第一列每行填写一个“编码-名称”，"
            "或设“单位编码”“单位名称”两列表头"
        )
    return found


def _from_rows(rows: Sequence[Sequence[object]]) -> tuple[Member, ...]:
    for top, row in enumerate(rows[:10]):
        header = [label_key(v) for v in row]
        code = next((header.index(h) for h in CODE_HEADERS if h in header), None)
        name = next((header.index(h) for h in NAME_HEADERS if h in header), None)
        if code is None and name is None:
            continue
        return members(_entry(values, code, name) for values in rows[top + 1 :])
    return members(row[0] for row in rows if row)


def _entry(values: Sequence[object], code: int | None, name: int | None) -> str:
    typed_code, typed_name = (
        clean_label(as_text(values[n])) if n is not None and n < len(values) else ""
        for n in (code, name)
    )
    if split_unit(typed_name) or not typed_code:
        return typed_name
    return f"{typed_code}-{typed_name}" if typed_name else typed_code
