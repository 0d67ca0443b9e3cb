"""What a rule is, what it finds, and the batch it looks at."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any, TypeVar

import pandas as pd

from ..normalize import as_text
from .vocab import indicator_kinds

T = TypeVar("T")


class Severity(Enum):
    """错误 must be fixed (blocks, like 强制性审核); 警告 should be looked at; 提示 informs."""

    ERROR = "错误"
    WARNING = "警告"
    INFO = "提示"

    @property
    def rank(self) -> int:
        return {"错误": 0, "警告": 1, "提示": 2}[self.value]


@dataclass(frozen=True)
class Finding:
    """One anomaly, located to the cell, with the value as it was typed."""

    rule_id: str
    severity: Severity
    message: str
    file: str
    sheet: str = ""
    cell: str = ""
    unit: str = ""
    project: str = ""
    value: str = ""
    related: str = ""  # other cells it is about (the goal a number contradicts), 、-separated
    indicator: str = ""  # the 三级指标 of an indicator-level finding
    hint: str = ""  # what to do, written for this case
    params: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def related_cells(self) -> list[str]:
        """The cells `related` names (one, or several joined by 、)."""
        return [cell for cell in self.related.split("、") if cell]

    @property
    def rule(self) -> Rule:
        """The rule that found it (its title, description and configured thresholds)."""
        from . import RULES  # the registry imports this module

        return RULES[self.rule_id]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["severity"] = self.severity.value
        data["params"] = {k: as_text(v) for k, v in self.params.items()}
        return data


@dataclass
class Batch:
    """Everything a rule may look at: one row per project, one row per indicator.

    Each input field appears three times: `key` (normalized), `key__raw` (as typed) and
    `key__cell` (its A1 address); see `bptools.merge` for the full column lists.
    `year` is the budget year of the batch; `params` holds each rule's thresholds as
    configured (defaults from the rule, overridden by bptools.toml).
    """

    projects: pd.DataFrame
    indicators: pd.DataFrame
    year: int | None = None
    params: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    _shared: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def shared(self, name: str, build: Callable[[Batch], T]) -> T:
        """What several rules derive from the batch, derived once (the frames are final
        when the rules run, and rules do not change what they are given)."""
        if name not in self._shared:
            self._shared[name] = build(self)
        return self._shared[name]

    @property
    def tables(self) -> list[tuple[dict[str, Any], pd.DataFrame]]:
        """Each project that has indicators: its record and its indicator rows (with their
        `kind`, see `indicator_kinds`), in batch order, grouped once for all rules."""
        return self.shared("tables", _project_tables)

    @property
    def kinds(self) -> pd.Series:
        """The 一级指标 each indicator row belongs to (`indicator_kinds`), derived once."""
        return self.shared("kinds", lambda batch: indicator_kinds(batch.indicators))

    def projects_where(self, mask: pd.Series, *, every: bool = False) -> set[str]:
        """The ids of the projects some indicator row of which `mask` holds for (with
        `every`, all of whose rows): one pass over the whole frame, where asking each
        project's table in turn costs a pandas call per project."""
        grouped = mask.groupby(self.indicators["project_id"], sort=False)
        flags = grouped.all() if every else grouped.any()
        return set(flags.index[flags.to_numpy(dtype=bool)])

    def tables_of(self, ids: Collection[str]) -> list[tuple[dict[str, Any], pd.DataFrame]]:
        """The `tables` of the projects `ids`, in batch order."""
        return [table for table in self.tables if table[0]["project_id"] in ids]


def _project_tables(batch: Batch) -> list[tuple[dict[str, Any], pd.DataFrame]]:
    indicators = batch.indicators.assign(kind=batch.kinds)
    groups = dict(tuple(indicators.groupby("project_id", sort=False)))
    projects = records(batch.projects)
    return [(r, groups[r["project_id"]]) for r in projects if r["project_id"] in groups]


Check = Callable[[Batch], Iterable[Finding]]


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts, like `frame.to_dict("records")` but several times faster in pandas 3
    (which goes column by column through .iloc), and free for the many empty selections."""
    if frame.empty:
        return []
    columns = list(frame.columns)
    return [dict(zip(columns, row, strict=True)) for row in frame.to_numpy(dtype=object).tolist()]


@dataclass(frozen=True)
class Rule:
    """A review rule: stable id, severity, Chinese title/message/hint, and its check.

    `message` is a str.format template; `value` and the check's own parameters fill it.
    `params` are the rule's thresholds and word lists with their defaults; bptools.toml can
    override them. Rules without a check are raised by the reader or the pipeline.

    A rule is `cross_file` when what it finds on one file depends on other files' rows
    (duplicates, codes against names); the others find on a file, given the batch's year
    and params, what they find on that file's rows alone, so files can be checked apart
    (in worker processes, or once and cached).
    """

    id: str
    name: str
    severity: Severity
    title: str
    message: str
    hint: str
    description: str
    check: Check | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    advice: str = ""  # the hint for one finding, a template like `message`; else `hint`
    folds: tuple[str, ...] = ()  # rules whose findings on the same indicator this replaces
    folded_note: str = ""  # a template added to the message of a finding replacing one of its
    per_table: bool = False  # in 异常清单, one row for its same findings in one table
    bureau: bool = False  # about the inbox or the tool, not a table: not in the template
    cross_file: bool = False  # compares files with each other (see above)

    def param(self, batch: Batch, name: str) -> Any:
        """A threshold as configured for this batch (the rule's default otherwise)."""
        return batch.params.get(self.id, {}).get(name, self.params[name])

    def finding(
        self,
        *,
        file: str,
        sheet: str = "",
        cell: str = "",
        unit: str = "",
        project: str = "",
        value: object = "",
        related: str = "",
        indicator: str = "",
        **params: Any,
    ) -> Finding:
        """A finding at an explicit place; `params` fill the message template."""
        place = (file, sheet, cell, unit, project, indicator)
        return self._make(place, value, related, params)

    def at(self, record: Mapping[str, Any], field: str, **params: Any) -> Finding:
        """A finding on `field` of a project or indicator record (a row of the batch).

        `value` (default: the field as typed) and `related` may be given; any other keyword
        fills the message template, whatever its name.
        """
        value = params.pop("value", record.get(f"{field}__raw", ""))
        related = params.pop("related", "")
        # Indicator rows carry their sequence number; project rows do not.
        indicator = record.get("name", "") if "seq" in record else ""
        place = (
            record["file"],
            record["sheet"],
            record.get(f"{field}__cell", ""),
            record["unit_label"],
            record["project"],
            indicator,
        )
        return self._make(place, value, related, params)

    def _make(
        self,
        place: tuple[str, str, str, str, str, str],
        value: object,
        related: str,
        params: Mapping[str, Any],
    ) -> Finding:
        text = as_text(value)
        values = {"value": text, **params}
        message = self.message.format_map(_quoted(self.message, values))
        hint = self.advice.format_map(_quoted(self.advice, values)) if self.advice else self.hint
        file, sheet, cell, unit, project, indicator = place
        return Finding(
            self.id,
            self.severity,
            message,
            file,
            sheet,
            cell,
            unit,
            project,
            text,
            related,
            indicator,
            hint,
            dict(params),
        )


def _quoted(template: str, values: Mapping[str, Any]) -> Mapping[str, Any]:
    """The values, those a template puts inside “…” with their own “…” made ‘…’."""
    return {
        key: _inner_quotes(value) if f"“{{{key}}}”" in template else value
        for key, value in values.items()
    }


def _inner_quotes(text: object) -> object:
    """“治重化积” inside a quote reads ‘治重化积’."""
    if isinstance(text, str) and ("“" in text or "”" in text):
        return text.replace("“", "‘").replace("”", "’")
    return text
