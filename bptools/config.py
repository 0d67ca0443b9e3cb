"""bptools.toml: the budget year, which rules run, their severities and thresholds.

year = 2023
keep = "latest"            # or "all": what to do with a project submitted twice
department_sheets = 200    # up to this many departments, one sheet each in the workbook;
                           # beyond, one workbook each under 部门/ (the page folds them)
roster = "部门名单.xlsx"    # who has to submit (see bptools.roster); or a list:
                           # roster = ["106-宣传部", "107-组织部"]

[rules]
disable = ["BP409", "BP8"] # rule ids, or prefixes of them
severity = { BP407 = "错误" }

[rules.BP603]              # a rule's thresholds (see `bptools rules`)
floor = 80
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import BptoolsError, os_reason
from .inputs import CONFIG_NAME
from .model import Department
from .roster import RosterError, members, read_roster
from .rules import RULES, Finding, Rule, Severity

KEEP_CHOICES = ("latest", "all")
# A district has 19-80 departments, a city a thousand: past this many, a sheet each would
# make a workbook nobody can page through.
DEPARTMENT_SHEETS = 200


class ConfigError(BptoolsError):
    "bptools.toml is malformed or names an unknown rule or setting."


@dataclass(frozen=True)
class Config:
    year: int | None = None
    keep: str = "latest"
    disabled: tuple[str, ...] = ()
    severities: Mapping[str, Severity] = field(default_factory=dict)
    params: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    source: Path | None = None
    department_sheets: int = DEPARTMENT_SHEETS
    roster: tuple[Department, ...] = ()  # who has to submit (empty: no roster)
    roster_file: Path | None = None  # where it was read from (never read as a submission)

    def one_book_per_department(self, count: int) -> bool:
        """Whether `count` departments are too many for a sheet each (DEPARTMENT_SHEETS): the
        consolidated workbook then links to a workbook per department, the page folds them."""
        return count > self.department_sheets

    def enabled(self, rule_id: str) -> bool:
        return not any(rule_id.startswith(prefix) for prefix in self.disabled)

    def rules(self) -> list[Rule]:
        return [r for r in RULES.values() if self.enabled(r.id)]

    def severity(self, rule_id: str) -> Severity:
        return self.severities.get(rule_id, RULES[rule_id].severity)

    def apply(self, findings: Iterable[Finding]) -> list[Finding]:
        """Drop findings of disabled rules; give the rest their configured severity."""
        return [
            f
            if f.severity is self.severity(f.rule_id)
            else replace(f, severity=self.severity(f.rule_id))
            for f in findings
            if self.enabled(f.rule_id)
        ]


def find_config(inputs: Sequence[str | Path]) -> Path | None:
    """bptools.toml in the first input folder (or the folder of the first input file)."""
    for item in inputs:
        path = Path(item)
        folder = path if path.is_dir() else path.parent
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def load_config(path: Path) -> Config:
    """Read and validate a bptools.toml; every mistake is reported with its key."""
    where = f"配置文件 {path}"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{where} 无法读取：{os_reason(exc)}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{where} 不是 UTF-8 编码：请用记事本等“另存为”，编码选 UTF-8 后重试"
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where} 格式有误：{_toml_place(exc)}") from exc
    unknown = set(data) - {"year", "keep", "department_sheets", "roster", "rules"}
    if unknown:
        raise ConfigError(f"{where} 中有不认识的设置：{'、'.join(sorted(unknown))}")
    year = data.get("year")
    if year is not None and (not isinstance(year, int) or not 2000 <= year <= 2100):
        raise ConfigError(f"{where}：year 应为四位年份，如 2023")
    keep = data.get("keep", "latest")
    if keep not in KEEP_CHOICES:
        raise ConfigError(f"{where}：keep 只能是 latest 或 all")
    sheets = _department_sheets(data.get("department_sheets", DEPARTMENT_SHEETS), where)
    rules = data.get("rules", {})
    disabled = tuple(rules.get("disable", ()))
    for prefix in disabled:
        if not any(rule_id.startswith(prefix) for rule_id in RULES):
            raise ConfigError(f"{where}：rules.disable 中的 {prefix} 不是规则编号")
    severities = {}
    for rule_id, name in rules.get("severity", {}).items():
        _known(rule_id, where)
        try:
            severities[rule_id] = Severity(name)
        except ValueError:
            raise ConfigError(
                f"{where}：{rule_id} 的级别“{name}”无效，应为 错误、警告 或 提示"
            ) from None
    params: dict[str, dict[str, Any]] = {}
    for rule_id, values in rules.items():
        if rule_id in ("disable", "severity"):
            continue
        rule = _known(rule_id, where)
        if not isinstance(values, dict):
            raise ConfigError(f"{where}：[rules.{rule_id}] 应为一节参数")
        for name, value in values.items():
            if name not in rule.params:
                known = "、".join(rule.params) or "无"
                raise ConfigError(f"{where}：{rule_id} 没有参数 {name}（可设置：{known}）")
            if not _same_kind(value, rule.params[name]):
                raise ConfigError(
                    f"{where}：{rule_id}.{name} 的类型应与默认值 {rule.params[name]!r} 相同"
                )
        params[rule_id] = values
    value = data.get("roster", [])
    roster = _roster(value, path.parent, where)
    return Config(
        year,
        keep,
        disabled,
        severities,
        params,
        path,
        department_sheets=sheets,
        roster=roster,
        roster_file=path.parent / value if isinstance(value, str) else None,
    )


def _roster(value: object, folder: Path, where: str) -> tuple[Department, ...]:
    """`roster`: a list of departments, or the file of one (relative to the config's folder)."""
    if isinstance(value, str):
        try:
            return read_roster(folder / value)
        except RosterError as exc:
            raise ConfigError(f"{where}：roster 指定的{exc}") from exc
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(
            f'{where}：roster 应为部门名单文件名（如 "部门名单.xlsx"），'
            '或部门列表（如 ["106-宣传部", "107-组织部"]）'
        )
    return members(value)


def _department_sheets(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigError(
            f"{where}：department_sheets 应为不小于 0 的整数，如 200"
            "（部门数超过该值时，各部门明细不再各占汇总表的一张工作表，"
            "而是写成“部门”文件夹中每个部门一个工作簿）"
        )
    return value


def _known(rule_id: str, where: str) -> Rule:
    if rule_id not in RULES:
        raise ConfigError(f"{where}：没有编号为 {rule_id} 的规则（bptools rules 可列出全部规则）")
    return RULES[rule_id]


def _same_kind(value: object, default: object) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, (int, float)):
        return isinstance(value, (int, float))
    if isinstance(default, (list, tuple)):
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    return isinstance(value, type(default))


_TOML_PLACE = re.compile(r"\(at line (\d+), column (\d+)\)")


def _toml_place(exc: tomllib.TOMLDecodeError) -> str:
    """Where the TOML is wrong and what it should look like (tomllib says it in English)."""
    found = _TOML_PLACE.search(str(exc))
    where = f"第 {found[1]} 行第 {found[2]} 列附近" if found else "某处"
    return (
        f"{where}不符合 TOML 写法；每个设置应写成 键 = 值（文字加英文双引号），"
        "规则一节写成 [rules.BP302]"
    )
