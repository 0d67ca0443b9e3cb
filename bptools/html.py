"""The HTML report: one self-contained page (overview, departments, anomaly list) that opens
from a file path in any browser, without network access and without JavaScript.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd
from markupsafe import Markup

from .config import Config
from .listing import BATCH_PLACE, anomaly_list
from .merge import count_by_project, department_summary
from .normalize import CONTROLS, as_text
from .outputs import DirectOutput, Output
from .pipeline import Consolidation
from .readings import money_total
from .report import report_path
from .rules import RULES, Finding, Severity
from .rules.base import records
from .schema import TAXONOMY

TEMPLATE_NAME = "report.html.j2"
# Stable names for the severities in ids, classes and CSS (the Chinese names are shown).
SEVERITY_SLUGS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "info"}
# As the workbook's 总览 names them.
NO_UNIT = "（无法识别单位的文件）"
OTHER_LEVEL1 = "（其他）"
BLANK_LEVEL1 = "（空白）"


def html_path(outdir: Path, year: int | None) -> Path:
    """The page sits beside the consolidated workbook, with the same name stem."""
    return report_path(outdir, year).with_suffix(".html")


def write_html(
    result: Consolidation,
    outdir: Path,
    config: Config | None = None,
    *,
    out: Output | None = None,
) -> Path:
    """Write the HTML report into `outdir` (atomically) and return its path.

    `config` is the one the run used: the rule reference shows its severities.
    """
    path = html_path(outdir, result.year)
    page = render_html(result, config)
    with (out or DirectOutput()).file(path) as tmp:
        tmp.write_text(page, encoding="utf-8")
    return path


def render_html(
    result: Consolidation, config: Config | None = None, *, now: datetime | None = None
) -> str:
    """The report page as a string; department text is escaped, never markup."""
    template = _environment().get_template(TEMPLATE_NAME)
    return template.render(_context(result, config or Config(), now or datetime.now()))


@functools.cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("bptools", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_visible,
    )
    env.filters["money"] = _money
    env.filters["csp_hash"] = _csp_hash
    return env


def _context(result: Consolidation, config: Config, now: datetime) -> dict[str, Any]:
    summary = department_summary(result.batch, result.findings)
    listing = anomaly_list(result.findings, len(result.batch.projects))
    anchors = {unit: f"dept-{n}" for n, unit in enumerate(summary["unit_label"], 1)}
    counts = result.counts()
    return {
        "title": f"{result.year or ''} 年区级重点专项绩效目标汇总".strip(),
        "generated": f"{now:%Y-%m-%d %H:%M}",
        "config_source": str(config.source) if config.source else "",
        "severities": [{"name": s.value, "slug": SEVERITY_SLUGS[s]} for s in Severity],
        "figures": _figures(result, summary),
        "budget_split": _budget_split(result.batch.projects),
        "level1": _level1(result.batch.indicators),
        "by_department": _by_department(result.findings, summary, anchors),
        "departments": _departments(result, summary, anchors),
        "findings": [_finding_row(f, anchors) for f in listing.rows],
        "common": [_finding_row(f, anchors) for f in listing.common],
        "listing_summary": listing.summary(sum(counts.values())),
        "rules": _fired_rules(result.findings, config),
        "files": _files(result),
    }


def _figures(result: Consolidation, summary: pd.DataFrame) -> list[dict[str, Any]]:
    """The key figures in groups, each with a stable id (also the hook for tests)."""
    projects = result.batch.projects
    counts = result.counts()

    def count(key: str, label: str, value: int, css: str = "") -> dict[str, Any]:
        return {"id": f"count-{key}", "label": label, "value": value, "money": False, "css": css}

    def money(key: str, label: str, value: float) -> dict[str, Any]:
        return {"id": f"amount-{key}", "label": label, "value": float(value), "money": True}

    unusable = sum(not s.ok for s in result.files)

    return [
        {
            "title": "文件",
            "items": [
                count("files", "读取的文件", len(result.files)),
                count("unusable", "无法使用的文件", unusable, "attention" if unusable else ""),
                count("lock-files", "跳过的临时/锁定文件", len(result.inputs.lock_files)),
                count("not-workbooks", "跳过的非工作簿文件", len(result.inputs.not_workbooks)),
            ],
        },
        {
            "title": "汇总",
            "items": [
                count("departments", "部门", len(summary)),
                count("projects", "项目", len(projects)),
                count("indicators", "绩效指标", len(result.batch.indicators)),
            ],
        },
        {
            "title": "金额（万元）",
            "items": [
                money("budget", "当年预算金额合计", money_total(projects["budget"])),
                money("retained", "其中：部门留用", money_total(projects["retained"])),
                money("subsidy", "其中：补助街镇", money_total(projects["subsidy"])),
            ],
        },
        {
            "title": "异常",
            "items": [
                *(
                    count(SEVERITY_SLUGS[s], s.value, counts[s.value], f"sev-{SEVERITY_SLUGS[s]}")
                    for s in Severity
                ),
                count("findings", "合计", sum(counts.values())),
            ],
        },
    ]


def _budget_split(projects: pd.DataFrame) -> list[dict[str, Any]]:
    parts = [("retained", "部门留用"), ("subsidy", "补助街镇")]
    sums = {key: money_total(projects[key]) for key, _ in parts}
    total = sum(sums.values())
    return [
        {"key": key, "label": label, "value": sums[key], "share": _share(sums[key], total)}
        for key, label in parts
    ]


def _level1(indicators: pd.DataFrame) -> list[dict[str, Any]]:
    """Indicators by 一级指标 as the workbook counts them: every level of the taxonomy, then
    （其他） for whatever else was typed (listed in its note)."""
    names = [as_text(v).strip() for v in indicators["level1"]]
    counted = Counter(n if n in TAXONOMY else OTHER_LEVEL1 for n in names)
    others = sorted({n or BLANK_LEVEL1 for n in names if n not in TAXONOMY})
    top = max(counted.values(), default=0)
    return [
        {
            "name": name,
            "count": counted[name],
            "width": _share(counted[name], top),
            "note": "、".join(others) if name == OTHER_LEVEL1 else "",
        }
        for name in [*TAXONOMY, *([OTHER_LEVEL1] if others else [])]
    ]


def _by_department(
    findings: list[Finding], summary: pd.DataFrame, anchors: Mapping[str, str]
) -> list[dict[str, Any]]:
    """Anomalies per department, most first; findings on files without a unit form a row."""
    table: dict[str, Counter[str]] = {unit: Counter() for unit in summary["unit_label"]}
    for f in findings:
        table.setdefault(f.unit or NO_UNIT, Counter())[f.severity.value] += 1
    top = max((sum(c.values()) for c in table.values()), default=0)
    rows = [
        {
            "unit": unit,
            "anchor": anchors.get(unit, ""),
            "total": sum(c.values()),
            "parts": [
                {
                    "name": s.value,
                    "slug": SEVERITY_SLUGS[s],
                    "count": c[s.value],
                    "width": _share(c[s.value], top),
                }
                for s in Severity
            ],
        }
        for unit, c in table.items()
    ]
    return sorted(rows, key=lambda r: -r["total"])


def _departments(
    result: Consolidation, summary: pd.DataFrame, anchors: Mapping[str, str]
) -> list[dict[str, Any]]:
    by_project = count_by_project(result.findings)
    projects = result.batch.projects
    top = float(summary["budget"].max()) if not summary.empty else 0.0
    sections = []
    for row in records(summary):
        unit = row["unit_label"]
        sections.append(
            {
                "unit": unit,
                "anchor": anchors[unit],
                "projects": [
                    _project_row(p, by_project)
                    for p in records(projects[projects["unit_label"] == unit])
                ],
                "indicators": int(row["indicators"]),
                "budget": float(row["budget"]),
                "budget_width": _share(float(row["budget"]), top),
                "retained": float(row["retained"]),
                "subsidy": float(row["subsidy"]),
                "counts": {s.value: int(row[s.value]) for s in Severity},
                "findings": [_finding_row(f, anchors) for f in result.findings if f.unit == unit],
            }
        )
    return sections


def _project_row(project: Mapping[str, Any], by_project: pd.DataFrame) -> dict[str, Any]:
    key = (project["file"], project["sheet"])
    found = by_project.loc[key] if key in by_project.index else None
    return {
        "name": as_text(project["name"]) or as_text(project["project"]),
        "budget": project["budget"],
        "retained": project["retained"],
        "subsidy": project["subsidy"],
        "indicators": int(project["n_indicators"]),
        "counts": {s.value: 0 if found is None else int(found[s.value]) for s in Severity},
        "file": project["file"],
        "sheet": project["sheet"],
    }


def _finding_row(finding: Finding, anchors: Mapping[str, str]) -> dict[str, Any]:
    return {
        "severity": finding.severity.value,
        "slug": SEVERITY_SLUGS[finding.severity],
        "rule_id": finding.rule_id,
        "rule_title": finding.rule.title,
        "hint": finding.hint,
        "indicator": finding.indicator,
        "unit": finding.unit,
        # What the filter's department list offers.
        "unit_key": finding.unit or (BATCH_PLACE if finding.file == BATCH_PLACE else NO_UNIT),
        "anchor": anchors.get(finding.unit, ""),
        "project": finding.project,
        "file": finding.file,
        "sheet": finding.sheet,
        "cell": finding.cell,
        "related": finding.related,
        "value": finding.value,
        "message": finding.message,
        "count": finding.params.get("count", 1),
    }


def _fired_rules(findings: Iterable[Finding], config: Config) -> list[dict[str, Any]]:
    counted = Counter(f.rule_id for f in findings)
    rules = []
    for rule_id in sorted(counted):
        rule, severity = RULES[rule_id], config.severity(rule_id)
        rules.append(
            {
                "id": rule.id,
                "severity": severity.value,
                "slug": SEVERITY_SLUGS[severity],
                "title": rule.title,
                "description": rule.description,
                "hint": rule.hint,
                "count": counted[rule_id],
            }
        )
    return rules


def _files(result: Consolidation) -> list[dict[str, Any]]:
    rows = [
        {
            "name": s.label,
            "status": "无法使用" if s.error else "已读取",
            "ok": s.ok,
            "projects": s.projects,
            "note": s.error.message if s.error else "",
        }
        for s in result.files
    ]
    rows += [
        {"name": p.name, "status": "跳过：临时文件", "ok": True, "projects": 0, "note": ""}
        for p in result.inputs.lock_files
    ]
    rows += [
        {"name": p.name, "status": "跳过：非工作簿", "ok": True, "projects": 0, "note": ""}
        for p in result.inputs.not_workbooks
    ]
    return rows


def _share(part: float, whole: float) -> float:
    """Percentage for bar widths, within 0-100 (0 when there is nothing to share)."""
    if not whole > 0 or not part > 0:  # also NaN
        return 0.0
    return round(min(100 * part / whole, 100.0), 1)


def _money(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, (int, float)):
        return f"{value:,.2f}"
    return as_text(value)


def _visible(value: Any) -> Any:
    """Every value the page prints, without invisible control characters (a file name can
    carry them); markup we built is left as it is."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return CONTROLS.sub("", value)
    return value


def _csp_hash(script: str) -> Markup:
    """The Content-Security-Policy source that allows exactly this inline script."""
    digest = hashlib.sha256(str(script).encode("utf-8")).digest()
    return Markup(f"'sha256-{base64.b64encode(digest).decode('ascii')}'")  # base64: safe
