"""Year over year: what changed between two sets of projects (`readback.Plans`), last year's
and this year's, or two rounds of one year.

Departments are matched by code (by name where a side has no code); within a department,
projects by normalized name. Projects left over on both sides of a department that share
most of their indicators are one project renamed. Of each matched pair, the amounts are
compared, and the indicators: by (一级, 二级, 三级) first, then by 三级 alone (an indicator
moved to another 二级), then a renamed one by its place and value or a close name.

`compare(last, this)` returns a `Diff` of plain dataclasses; `bptools.diff_report` writes it.
"""

from __future__ import annotations

import difflib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .model import Department, Indicator, Project
from .normalize import as_text, label_key, parse_number, parse_operator, parse_yes_no, split_unit
from .pairing import best, equal, match
from .readback import Plans

# A project missing on one side is the other side's under a new name when the two share at
# least this share of the indicators of the one with fewer (the overlap coefficient: a
# project that dropped or gained indicators in the same year is still recognised), and at
# least RENAME_MIN_SHARED of them (one shared 满意度 indicator is no evidence). In the 2023
# document two projects of one department share at most 12% of their indicators.
RENAME_SHARE = 0.6
RENAME_MIN_SHARED = 2
# Two 三级指标 names under the same 一级/二级 name one indicator when their difflib ratio is
# at least this (补助对象满意度 / 服务对象满意度: 0.71), or when value and unit are the same.
NAME_SIMILARITY = 0.6

ADDED, REMOVED, RENAMED, CHANGED = "新增", "删除", "改名", "修改"
PROJECT_KINDS = (ADDED, REMOVED, RENAMED)
INDICATOR_KINDS = (ADDED, REMOVED, CHANGED, RENAMED)
BUDGETS = "预算变化"  # the count of projects with an amount changed
AMOUNTS = (("budget", "当年预算金额"), ("retained", "部门留用"), ("subsidy", "补助街镇"))
# The fields of an indicator compared, by the header the tables give them.
INDICATOR_FIELDS = (
    ("level1", "一级指标"),
    ("level2", "二级指标"),
    ("name", "三级指标"),
    ("unit", "计量单位"),
    ("op", "指标性质"),
    ("target", "指标值"),
    ("weight", "权重"),
    ("core", "是否核心指标"),
)
COUNT_KEYS = (
    *(f"项目{k}" for k in PROJECT_KINDS),
    BUDGETS,
    *(f"指标{k}" for k in INDICATOR_KINDS),
)


@dataclass(frozen=True)
class Side:
    """What one side holds: where it comes from, its year and its size."""

    source: str
    year: int | None
    departments: int
    projects: int
    indicators: int
    budget: float  # 当年预算金额 of every project that has a number there


@dataclass(frozen=True)
class ProjectChange:
    """A project added, removed or renamed (`shared`: indicators the two names have in
    common)."""

    kind: str
    department: Department
    last: Project | None
    this: Project | None
    shared: int = 0

    @property
    def name(self) -> str:
        project = self.this or self.last
        assert project is not None
        return project.name


@dataclass(frozen=True)
class AmountChange:
    """One amount of a project that changed; `delta` in 万元 (None when a side is not a
    number), `percent` of last's (None when last's is 0 or blank)."""

    department: Department
    project: str
    label: str
    last: float | str
    this: float | str
    delta: float | None
    percent: float | None


@dataclass(frozen=True)
class IndicatorChange:
    """An indicator of a matched project added, removed, changed or renamed; `fields` are
    the headers of what differs."""

    kind: str
    department: Department
    project: str
    last: Indicator | None
    this: Indicator | None
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class DepartmentCounts:
    department: Department
    last_projects: int
    this_projects: int
    last_budget: float
    this_budget: float
    counts: dict[str, int]


@dataclass(frozen=True)
class Diff:
    last: Side
    this: Side
    projects: list[ProjectChange] = field(default_factory=list)
    amounts: list[AmountChange] = field(default_factory=list)
    indicators: list[IndicatorChange] = field(default_factory=list)
    departments: list[DepartmentCounts] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Changes by kind (COUNT_KEYS: 项目新增 … 指标改名)."""
        return _counts(self.projects, self.amounts, self.indicators)

    @property
    def empty(self) -> bool:
        return not (self.projects or self.amounts or self.indicators)

    def labels(self) -> tuple[str, str]:
        """What the two sides are called in headers: their years when they differ."""
        years = self.last.year, self.this.year
        if None not in years and years[0] != years[1]:
            return f"{years[0]}年", f"{years[1]}年"
        return "上次", "本次"


def compare(last: Plans, this: Plans) -> Diff:
    """What changed from `last` to `this`, department by department (in code order)."""
    keys = _department_keys([*last.projects, *this.projects])
    old, new = _grouped(last.projects, keys), _grouped(this.projects, keys)
    diff = Diff(_side(last, keys), _side(this, keys))
    for key in sorted(old.keys() | new.keys(), key=_code_order):
        before, after = old.get(key, []), new.get(key, [])
        department = _department((after or before)[0])
        pairs, projects = _project_changes(department, before, after)
        amounts = [c for a, b in pairs for c in _amount_changes(department, a, b)]
        indicators = [c for a, b in pairs for c in _indicator_changes(department, a, b)]
        diff.projects.extend(projects)
        diff.amounts.extend(amounts)
        diff.indicators.extend(indicators)
        diff.departments.append(
            DepartmentCounts(
                department,
                last_projects=len(before),
                this_projects=len(after),
                last_budget=_total(before),
                this_budget=_total(after),
                counts=_counts(projects, amounts, indicators),
            )
        )
    return diff


# Departments


def _department_keys(projects: Iterable[Project]) -> dict[str, str]:
    """Each 编制单位 as written -> its department's key: its code; for one written without a
    code, the code of the one coded department of that name, else the name ("#" first:
    codes are letters and digits)."""
    codes: dict[str, set[str]] = defaultdict(set)
    units = {p.unit: _split(p.unit) for p in projects}
    for code, name in units.values():
        if code:
            codes[label_key(name)].add(code)
    keys = {}
    for unit, (code, name) in units.items():
        if not code and len(found := codes.get(label_key(name), set())) == 1:
            code = next(iter(found))
        keys[unit] = code or "#" + label_key(name)
    return keys


def _split(unit: str) -> tuple[str, str]:
    return split_unit(unit) or ("", unit.strip())


def _department(project: Project) -> Department:
    return Department(*_split(project.unit))


def _grouped(projects: Iterable[Project], keys: dict[str, str]) -> dict[str, list[Project]]:
    grouped: dict[str, list[Project]] = defaultdict(list)
    for project in projects:
        grouped[keys[project.unit]].append(project)
    return grouped


def _code_order(key: str) -> tuple[int, int, str]:
    """Codes in numeric order (106 before 1001), then other codes, then names."""
    if key.isdigit():
        return 0, int(key), key
    return (2 if key.startswith("#") else 1), 0, key


def _side(plans: Plans, keys: dict[str, str]) -> Side:
    return Side(
        source=plans.source,
        year=plans.year,
        departments=len({keys[p.unit] for p in plans.projects}),
        projects=len(plans.projects),
        indicators=sum(len(p.indicators) for p in plans.projects),
        budget=_total(plans.projects),
    )


def _counts(
    projects: Sequence[ProjectChange],
    amounts: Sequence[AmountChange],
    indicators: Sequence[IndicatorChange],
) -> dict[str, int]:
    counted = Counter(f"项目{c.kind}" for c in projects)
    counted.update(f"指标{c.kind}" for c in indicators)
    counted[BUDGETS] = len({(c.department, c.project) for c in amounts})
    return {key: counted[key] for key in COUNT_KEYS}


# Projects

_PROJECT_RENAME = 1  # the stage of `_project_changes` that matches renamed projects


def _project_changes(
    department: Department, before: Sequence[Project], after: Sequence[Project]
) -> tuple[list[tuple[Project, Project]], list[ProjectChange]]:
    """The pairs of one project on both sides (the same name, or renamed), and the
    projects added, renamed and removed, in this side's order (removed ones last)."""
    stages = [equal(lambda p: label_key(p.name)), best(_rename_share)]
    pairs, removed, added = match(before, after, stages)
    renamed = {j: i for stage, i, j in pairs if stage == _PROJECT_RENAME}
    changes = []
    for j, project in enumerate(after):
        if j in renamed:
            last = before[renamed[j]]
            shared = _shared(last, project)
            changes.append(ProjectChange(RENAMED, department, last, project, shared))
        elif j in added:
            changes.append(ProjectChange(ADDED, department, None, project))
    changes += [ProjectChange(REMOVED, department, before[i], None) for i in removed]
    return [(before[i], after[j]) for _, i, j in pairs], changes


def _indicator_key(i: Indicator) -> tuple[str, str, str]:
    return label_key(i.level1), label_key(i.level2), label_key(i.name)


def _shared(a: Project, b: Project) -> int:
    """How many indicators two projects have in common (by 一级, 二级 and 三级)."""
    common = Counter(map(_indicator_key, a.indicators)) & Counter(
        map(_indicator_key, b.indicators)
    )
    return sum(common.values())


def _rename_share(a: Project, b: Project) -> float | None:
    """The share of the smaller project's indicators the two have in common, when it makes
    them one project renamed."""
    shared = _shared(a, b)
    smaller = min(len(a.indicators), len(b.indicators))
    if shared < RENAME_MIN_SHARED or shared < RENAME_SHARE * smaller:
        return None
    return shared / smaller


def _amount_changes(department: Department, a: Project, b: Project) -> list[AmountChange]:
    changes = []
    for key, label in AMOUNTS:
        old, new = getattr(a, key), getattr(b, key)
        x, y = _money(old), _money(new)
        delta = percent = None
        if x is not None and y is not None:
            if round(x, 2) == round(y, 2):
                continue
            delta = round(y - x, 2)
            percent = round(delta / x * 100, 2) if round(x, 2) else None
        elif label_key(old) == label_key(new):
            continue
        changes.append(AmountChange(department, b.name, label, old, new, delta, percent))
    return changes


def _money(value: object) -> float | None:
    """An amount as a number (a blank is 0), None when it is text that is not one."""
    if not as_text(value).strip():
        return 0.0
    return parse_number(value)[0]


def _total(projects: Iterable[Project]) -> float:
    """The 当年预算金额 of `projects`, where it is a number."""
    found = (parse_number(p.budget)[0] for p in projects)
    return round(sum(n for n in found if n is not None), 2)


# Indicators

_INDICATOR_RENAME = 2  # the stage of `_indicator_changes` that matches renamed indicators


def _indicator_changes(department: Department, a: Project, b: Project) -> list[IndicatorChange]:
    """The indicators of one project added, changed, renamed and removed, in this side's
    order (removed ones last)."""
    left, right = a.indicators, b.indicators
    stages = [
        equal(_indicator_key),
        equal(lambda i: label_key(i.name)),  # moved to another 一级/二级
        best(_indicator_likeness),
    ]
    pairs, removed, added = match(left, right, stages)
    matched = {j: (stage, i) for stage, i, j in pairs}
    changes = []
    for j, indicator in enumerate(right):
        if j in added:
            changes.append(IndicatorChange(ADDED, department, b.name, None, indicator))
            continue
        stage, i = matched[j]
        fields = _changed_fields(left[i], indicator)
        if stage == _INDICATOR_RENAME or fields:
            kind = RENAMED if stage == _INDICATOR_RENAME else CHANGED
            changes.append(IndicatorChange(kind, department, b.name, left[i], indicator, fields))
    changes += [IndicatorChange(REMOVED, department, b.name, left[i], None) for i in removed]
    return changes


def _indicator_likeness(a: Indicator, b: Indicator) -> float | None:
    """How alike two indicators of one 一级/二级 are, when one is the other renamed: the
    same value and unit, or a close name."""
    if _indicator_key(a)[:2] != _indicator_key(b)[:2]:
        return None
    same_value = all(
        _norm(key, getattr(a, key)) == _norm(key, getattr(b, key))
        for key in ("unit", "op", "target")
    )
    ratio = difflib.SequenceMatcher(None, label_key(a.name), label_key(b.name)).ratio()
    if not same_value and ratio < NAME_SIMILARITY:
        return None
    return ratio + (1.0 if same_value else 0.0)


def _changed_fields(a: Indicator, b: Indicator) -> tuple[str, ...]:
    return tuple(
        label
        for key, label in INDICATOR_FIELDS
        if _norm(key, getattr(a, key)) != _norm(key, getattr(b, key))
    )


def _norm(key: str, value: object) -> object:
    """What a field means, for comparing: 95 and "95％" are one value, ">=" is ≥."""
    if key in ("target", "weight"):
        number = parse_number(value)[0]
        if number is not None:
            return round(number, 6)
    if key == "op":
        return parse_operator(value) or label_key(value)
    if key == "core":
        return parse_yes_no(value) or label_key(value)
    return label_key(value)
