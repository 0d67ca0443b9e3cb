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
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from .config import Config
from .listing import BATCH_PLACE
from .normalize import CONTROLS, as_text
from .pipeline import Consolidation
from .report import report_path
from .report.ledger import ALARMS, change_text
from .rules import RULES, Finding, Severity
from .stamp import META, html_stamp, run_key
from .summary import NO_UNIT, ProjectRow, Summary, summarize
from .write import style
from .write.output import DirectOutput, Output

TEMPLATE_NAME = "report.html.j2"
# Stable names for the severities in ids, classes and CSS (the Chinese names are shown).
SEVERITY_SLUGS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "info"}
# Where there are too many departments for a sheet each (Config.department_sheets), the page
# folds their sections and shows the anomaly list this many rows at a time.
FOLDED_PAGE_SIZE = 100


def html_path(outdir: Path, year: int | None) -> Path:
    """The page sits beside the consolidated workbook, with the same name stem."""
    return report_path(outdir, year).with_suffix(".html")


def write_html(
    result: Consolidation,
    outdir: Path,
    config: Config | None = None,
    *,
    out: Output | None = None,
    summary: Summary | None = None,
) -> Path:
    """Write the HTML report into `outdir` (atomically) and return its path.

    `config` is the one the run used: the rule reference shows its severities. A page
    written from the same inputs, findings, settings and code by an earlier run is kept.
    `summary`: `summarize(result)`, when the caller has it already.
    """
    path = html_path(outdir, result.year)
    key = run_key(result, config or Config(), outdir, "html")
    if html_stamp(path) == key:
        return path
    page = render_html(result, config, key=key, summary=summary)
    with (out or DirectOutput()).file(path) as tmp:
        tmp.write_text(page, encoding="utf-8")
    return path


def render_html(
    result: Consolidation,
    config: Config | None = None,
    *,
    now: datetime | None = None,
    key: str = "",
    summary: Summary | None = None,
) -> str:
    """The report page as a string; department text is escaped, never markup. `key` is
    the run's stamp (see `bptools.stamp`)."""
    template = _environment().get_template(TEMPLATE_NAME)
    summary = summary or summarize(result)
    context = _context(result, summary, config or Config(), now or datetime.now())
    return template.render(context, run_key=key, stamp_name=META)


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


def _context(
    result: Consolidation, summary: Summary, config: Config, now: datetime
) -> dict[str, Any]:
    listing = summary.listing
    anchors = {d.unit: f"dept-{n}" for n, d in enumerate(summary.named_departments, 1)}
    folded = config.one_book_per_department(len(anchors))
    return {
        "title": summary.title,
        "generated": f"{now:%Y-%m-%d %H:%M}",
        "config_source": str(config.source) if config.source else "",
        "severities": [{"name": s.value, "slug": SEVERITY_SLUGS[s]} for s in Severity],
        "figures": _figures(summary),
        "budget_split": _budget_split(summary),
        "level1": _level1(summary),
        "by_department": _by_department(summary, anchors),
        "departments": _departments(summary, anchors, with_findings=not folded),
        "folded": folded,
        "page_size": FOLDED_PAGE_SIZE if folded else 0,
        "findings": [_finding_row(f, anchors) for f in listing.rows],
        "common": [_finding_row(f, anchors) for f in listing.common],
        "listing_summary": listing.summary(summary.findings),
        "rules": _fired_rules(result.findings, config),
        "files": [asdict(r) for r in summary.file_rows],
        "ledger": _ledger(summary),
        "palette": _palette(),
    }


def _ledger(summary: Summary) -> dict[str, Any] | None:
    """收件台账 as the page shows it: the departments waited for, then every file."""
    ledger = summary.ledger
    if ledger is None:
        return None
    entries = [
        {**asdict(e), "change": change_text(e), "alarm": e.status in ALARMS}
        for e in ledger.entries
    ]
    return {"waiting": [asdict(w) for w in summary.waiting], "entries": entries}


def _palette() -> dict[str, str]:
    """The CSS colours the workbooks share: severities, headings, header fill, links."""
    colours = {"muted": style.MUTED, "accent": style.ACCENT, "head": style.HEADER_FILL}
    colours["link"] = style.LINK
    for severity, slug in SEVERITY_SLUGS.items():
        colours[slug] = style.SEVERITY_OUTLINE[severity]
        colours[f"{slug}-bg"] = style.SEVERITY_FILL[severity]
        colours[f"{slug}-ink"] = style.SEVERITY_INK[severity]
    return colours


def _figures(summary: Summary) -> list[dict[str, Any]]:
    """The key figures in groups, each with a stable id (also the hook for tests)."""
    counts = summary.counts
    totals = summary.totals()

    def count(key: str, label: str, value: float, css: str = "") -> dict[str, Any]:
        return {"id": f"count-{key}", "label": label, "value": value, "money": False, "css": css}

    def money(key: str, label: str) -> dict[str, Any]:
        return {"id": f"amount-{key}", "label": label, "value": totals[key], "money": True}

    files = [count(x.key, x.label, x.value) for x in summary.files]
    unusable = next(x for x in files if x["id"] == "count-unusable")
    unusable["css"] = "attention" if unusable["value"] else ""
    waited = ("missing", "with-errors")
    sent = [
        count(x.key, x.label, x.value, "attention" if x.key in waited and x.value else "")
        for x in summary.submissions
    ]
    return [
        *([{"title": "报送", "items": sent}] if sent else []),
        {"title": "文件", "items": files},
        {
            "title": "汇总",
            "items": [
                count("departments", "部门", len(summary.named_departments)),
                count("projects", "项目", len(summary.projects)),
                count("indicators", "绩效指标", sum(p.indicators for p in summary.projects)),
            ],
        },
        {
            "title": "金额（万元）",
            "items": [
                money("budget", "当年预算金额合计"),
                money("retained", "其中：部门留用"),
                money("subsidy", "其中：补助街镇"),
            ],
        },
        {
            "title": "异常",
            "items": [
                *(
                    count(SEVERITY_SLUGS[s], s.value, counts[s.value], f"sev-{SEVERITY_SLUGS[s]}")
                    for s in Severity
                ),
                count("findings", "合计", summary.findings),
            ],
        },
    ]


def _budget_split(summary: Summary) -> list[dict[str, Any]]:
    totals = summary.totals()
    parts = [("retained", "部门留用"), ("subsidy", "补助街镇")]
    total = sum(totals[key] for key, _ in parts)
    return [
        {"key": key, "label": label, "value": totals[key], "share": _share(totals[key], total)}
        for key, label in parts
    ]


def _level1(summary: Summary) -> list[dict[str, Any]]:
    """Indicators by 一级指标 as the workbook counts them."""
    top = max((r.count for r in summary.level1), default=0)
    return [
        {"name": r.name, "count": r.count, "width": _share(r.count, top), "note": r.note}
        for r in summary.level1
    ]


def _by_department(summary: Summary, anchors: Mapping[str, str]) -> list[dict[str, Any]]:
    """Anomalies per department, most first; findings on files without a unit form a row."""
    top = max((d.total for d in summary.departments), default=0)
    rows = [
        {
            "unit": d.unit,
            "anchor": anchors.get(d.unit, ""),
            "total": d.total,
            "parts": [
                {
                    "name": s.value,
                    "slug": SEVERITY_SLUGS[s],
                    "count": d.counts[s.value],
                    "width": _share(d.counts[s.value], top),
                }
                for s in Severity
            ],
        }
        for d in summary.departments
    ]
    return sorted(rows, key=lambda r: -r["total"])


def _departments(
    summary: Summary, anchors: Mapping[str, str], *, with_findings: bool
) -> list[dict[str, Any]]:
    """The department sections; without their findings where the page folds them (the
    anomaly list has them all, and filters them by department)."""
    named = summary.named_departments
    top = max((d.budget for d in named), default=0.0)
    found = {d.unit: summary.by_unit.get(d.unit, []) for d in named}
    return [
        {
            "unit": d.unit,
            "anchor": anchors[d.unit],
            "projects": [_project_row(p) for p in summary.projects_of(d.unit)],
            "indicators": d.indicators,
            "budget": d.budget,
            "budget_width": _share(d.budget, top),
            "retained": d.retained,
            "subsidy": d.subsidy,
            "counts": d.counts,
            "finding_count": len(found[d.unit]),
            "findings": [_finding_row(f, anchors) for f in found[d.unit] if with_findings],
        }
        for d in named
    ]


def _project_row(project: ProjectRow) -> dict[str, Any]:
    return {
        "name": project.name,
        "budget": project.budget,
        "retained": project.retained,
        "subsidy": project.subsidy,
        "indicators": project.indicators,
        "counts": project.counts,
        "file": project.file,
        "sheet": project.sheet,
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
