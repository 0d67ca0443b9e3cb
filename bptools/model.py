"""Plain values: a department, and one project table, used to pre-fill templates (samples,
last year's data) and to compare years."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Department:
    """A 编制单位 as a roster or a table names it: its code (may be "") and its name."""

    code: str
    name: str

    @property
    def label(self) -> str:
        """ "107-组织部", as printed after 编制单位："""
        return f"{self.code}-{self.name}" if self.code and self.name else self.code or self.name


@dataclass(frozen=True)
class Indicator:
    level1: str
    level2: str
    name: str
    unit: str
    op: str
    target: str
    weight: float | str
    core: str


@dataclass(frozen=True)
class Project:
    unit: str  # "code-name", as printed after 编制单位：
    name: str
    supervisor: str
    exec_weight: float | str
    retained: float | str
    budget: float | str
    subsidy: float | str
    overview: str
    basis: tuple[str, ...]
    goals: str
    indicators: tuple[Indicator, ...] = field(default_factory=tuple)

    def header_value(self, key: str) -> object:
        """The value of a header field, as it goes into its cell ('basis' one per line)."""
        if key == "basis":
            return "\n".join(self.basis)
        return getattr(self, key)
