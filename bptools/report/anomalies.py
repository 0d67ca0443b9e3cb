"""异常清单, the list the clerk works from, and 规则说明, the rules it was checked by."""

from __future__ import annotations

from collections import Counter

from xlsxwriter.worksheet import Worksheet

from ..rules import RULES
from ..rules.params import params_text
from ..write.book import set_page
from ..write.findings import ANOMALY_LAYOUT, ANOMALY_PRINTED
from ..write.style import Page
from ..write.table import Col, write_table
from .book import Book, write_findings


def write_anomalies(book: Book, ws: Worksheet) -> None:
    findings = book.summary.listing.rows
    write_findings(book, ws, 0, findings, ANOMALY_LAYOUT)
    ws.print_area(0, 0, max(len(findings), 1), ANOMALY_PRINTED - 1)
    set_page(ws, Page(landscape=True, repeat=(0, 0)))


def write_rules(book: Book, ws: Worksheet) -> None:
    counts = Counter(f.rule_id for f in book.result.findings)
    config = book.config
    columns = [
        Col("规则编号", max_width=9),
        Col("级别", max_width=6),
        Col("规则", max_width=16),
        Col("说明", "wrap", 50),
        Col("修改方法", "wrap", 40),
        Col("参数", "wrap", 22),
        Col("本次\n发现", "int", 6),
        Col("状态", max_width=6),
    ]
    rows = [
        [
            rule.id,
            config.severity(rule.id).value,
            rule.title,
            rule.description,
            rule.hint,
            params_text(rule.params, config.params.get(rule.id, {})),
            counts.get(rule.id, 0),
            "启用" if config.enabled(rule.id) else "停用",
        ]
        for rule in RULES.values()
    ]
    write_table(ws, book.f, 0, columns, rows, styles={1: book.severity_style})
    set_page(ws, Page(landscape=True, repeat=(0, 0)))
