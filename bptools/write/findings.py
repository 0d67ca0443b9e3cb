"""The columns a finding is shown in, by every writer that lists findings: the consolidated
workbook's 异常清单 and department sheets, and the 审核意见 sheet of feedback copies."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..rules import Finding
from .table import Col


def _related(finding: Finding) -> str:
    return finding.related if finding.related != finding.cell else ""


FINDING_COLUMNS: dict[str, tuple[Col, Callable[[Finding], Any]]] = {
    "级别": (Col("级别", max_width=6), lambda x: x.severity.value),
    "规则编号": (Col("规则编号", max_width=9), lambda x: x.rule_id),
    "规则": (Col("规则", max_width=14), lambda x: x.rule.title),
    "单位": (Col("单位", max_width=16), lambda x: x.unit),
    "项目": (Col("项目", max_width=16), lambda x: x.project),
    "指标": (Col("指标", max_width=16), lambda x: x.indicator),
    "工作表": (Col("工作表", max_width=10), lambda x: x.sheet),
    "单元格": (Col("单元格", max_width=8), lambda x: x.cell),
    "填写内容": (Col("填写内容", max_width=16), lambda x: x.value),
    "问题说明": (Col("问题说明", "wrap", 36), lambda x: x.message),
    "修改建议": (Col("修改建议", "wrap", 36), lambda x: x.hint),
    "相关单元格": (Col("相关单元格", max_width=10), _related),
    "文件": (Col("文件", max_width=30), lambda x: x.file),
}
# 异常清单: what a reader needs first; 相关单元格 and 文件 come last, outside the printed
# area (the 单位 and 项目 columns say whose it is).
ANOMALY_LAYOUT = list(FINDING_COLUMNS)
ANOMALY_PRINTED = ANOMALY_LAYOUT.index("相关单元格")
# A department sheet: the project first, under the projects table's name column.
DEPARTMENT_LAYOUT = [
    "项目",
    "指标",
    "级别",
    "规则编号",
    "规则",
    "工作表",
    "单元格",
    "相关单元格",
    "填写内容",
    "问题说明",
    "修改建议",
]
# The 审核意见 sheet of a department's own file: whose it is goes without saying.
FEEDBACK_LAYOUT = [
    "级别",
    "规则编号",
    "规则",
    "工作表",
    "指标",
    "单元格",
    "相关单元格",
    "问题说明",
    "修改建议",
]


def finding_columns(layout: list[str]) -> list[Col]:
    return [FINDING_COLUMNS[name][0] for name in layout]


def finding_values(finding: Finding, layout: list[str]) -> list[Any]:
    return [FINDING_COLUMNS[name][1](finding) for name in layout]
