"""The HTML report: its structure, its safety, and the page headless Chromium renders."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import html
import itertools
import json
import os
import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import bptools.html
from bptools import Consolidation, consolidate
from bptools.config import Config
from bptools.html import NO_UNIT, html_path, render_html, write_html
from bptools.listing import anomaly_list
from bptools.model import Project
from bptools.report import ANOMALIES, OVERVIEW, report_path, write_report
from bptools.rules import Severity

from .conftest import SAMPLE_FILES, SAMPLES, MakeWorkbook

SLUGS = {"错误": "error", "警告": "warning", "提示": "info"}
# The key figures of the page and the labels the workbook's 总览 gives them.
COUNT_LABELS = {
    "count-files": "读取的文件",
    "count-unusable": "无法使用的文件",
    "count-lock-files": "跳过的临时/锁定文件",
    "count-not-workbooks": "跳过的非工作簿文件",
    "count-departments": "部门",
    "count-projects": "项目",
    "count-indicators": "绩效指标",
    **{f"count-{slug}": f"异常（{name}）" for name, slug in SLUGS.items()},
}
AMOUNT_LABELS = {
    "amount-budget": "当年预算金额合计",
    "amount-retained": "其中：部门留用",
    "amount-subsidy": "其中：补助街镇",
}
HOSTILE_UNIT = "999-<script>alert(1)</script>"
HOSTILE_NAME = '=HYPERLINK("http://x","y")'
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""
    classes: set[str] = field(default_factory=set)


class Page(HTMLParser):
    """Every element of a page with its attributes and text (entities decoded)."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._open: list[Element] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        element = Element(tag, values, classes=set(values.get("class", "").split()))
        self.elements.append(element)
        if tag not in VOID:
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        for n in range(len(self._open) - 1, -1, -1):
            if self._open[n].tag == tag:
                del self._open[n:]
                return

    def handle_data(self, data: str) -> None:
        for element in self._open:
            element.text += data

    def by_id(self, id: str) -> Element:
        (found,) = [e for e in self.elements if e.attrs.get("id") == id]
        return found

    def select(self, tag: str, cls: str | None = None) -> list[Element]:
        return [e for e in self.elements if e.tag == tag and (cls is None or cls in e.classes)]

    def figure(self, id: str) -> str:
        """The number a key figure shows (the text of its <dd>)."""
        element = self.by_id(id)
        start = self.elements.index(element)
        dd = next(e for e in self.elements[start:] if e.tag == "dd")
        return dd.text.strip()


@pytest.fixture(scope="module")
def sample_outputs(
    tmp_path_factory: pytest.TempPathFactory, sample_result: Consolidation
) -> tuple[Path, Path]:
    """The page and the workbook, written side by side as `bptools merge` writes them."""
    out = tmp_path_factory.mktemp("out")
    return write_html(sample_result, out), write_report(sample_result, out)


@pytest.fixture(scope="module")
def sample_page(sample_outputs: tuple[Path, Path]) -> Page:
    return Page(sample_outputs[0].read_text(encoding="utf-8"))


# Structure


def test_page_sits_beside_the_workbook(sample_outputs: tuple[Path, Path]) -> None:
    page, workbook = sample_outputs
    assert page.name == "2023年绩效目标汇总.html"
    assert page.with_suffix(".xlsx") == workbook
    assert html_path(Path("out"), None) == report_path(Path("out"), None).with_suffix(".html")
    assert sorted(p.name for p in page.parent.iterdir()) == [page.name, workbook.name]


def test_rendering_is_reproducible(sample_result: Consolidation) -> None:
    now = datetime(2024, 3, 1, 9, 30)
    page = render_html(sample_result, now=now)
    assert page == render_html(sample_result, now=now)
    assert "生成时间：2024-03-01 09:30" in page


def test_failed_write_leaves_the_old_page(
    sample_result: Consolidation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = write_html(sample_result, tmp_path)
    before = old.read_bytes()

    def broken(*args: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(bptools.html, "_context", broken)
    stricter = Config(severities={"BP812": Severity.ERROR})  # a page to write again
    with pytest.raises(RuntimeError):
        write_html(sample_result, tmp_path, stricter)
    assert old.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [old.name]


def test_key_figures_match_the_consolidation(
    sample_page: Page, sample_result: Consolidation
) -> None:
    batch = sample_result.batch
    expected = {
        "count-files": 19,
        "count-unusable": 0,
        "count-departments": 19,
        "count-projects": len(batch.projects),
        "count-indicators": len(batch.indicators),
        "count-findings": len(sample_result.findings),
        **{f"count-{SLUGS[k]}": n for k, n in sample_result.counts().items()},
    }
    assert expected["count-projects"] == 29
    assert expected["count-indicators"] == 226
    for id, value in expected.items():
        assert sample_page.by_id(id).attrs["data-count"] == str(value), id
        assert sample_page.figure(id) == str(value), id
    assert sample_page.by_id("amount-budget").attrs["data-amount"] == "16669.03"
    assert sample_page.figure("amount-budget") == "16,669.03"
    assert sample_page.figure("amount-subsidy") == "0.00"


def test_one_section_per_department(sample_page: Page, sample_result: Consolidation) -> None:
    sections = sample_page.select("section", "department")
    assert len(sections) == 19
    assert {s.attrs["data-unit"] for s in sections} == set(
        sample_result.batch.projects["unit_label"]
    )
    assert sum(int(s.attrs["data-projects"]) for s in sections) == 29
    assert sum(int(s.attrs["data-findings"]) for s in sections) == len(sample_result.findings)
    disabled = next(s for s in sections if s.attrs["data-unit"] == "404-重庆市北碚区残疾人联合会")
    for name in ("残疾人康复服务", "残疾人就业和社会保障服务", "其他残疾人事业支出"):
        assert name in disabled.text
    assert "F15" in disabled.text  # anomalies are located to their cell


def test_anomaly_list_has_one_row_per_finding(
    sample_page: Page, sample_result: Consolidation
) -> None:
    """One row per finding, but one for a rule that fires on most tables (BP408 and BP409
    on the 2023 document: 21 and 23 of the 29 tables)."""
    rows = sample_page.select("tr", "finding")
    listing = anomaly_list(sample_result.findings, len(sample_result.batch.projects))
    assert {f.rule_id for f in listing.common} == {"BP408", "BP409"}
    assert listing.represented == 21 + 23
    # and one for the same cosmetic problem on several rows of a table (BP510, BP603, BP509)
    assert (listing.merged, listing.merged_rows) == (10, 4)
    assert len(rows) == len(sample_result.findings) - listing.represented + 2 - 10 + 4
    total = len(sample_result.findings)
    heading = (
        f"异常清单（{total} 条，普遍问题 44 条合并为 2 行，同一表中相同的问题 10 条合并为 4 行）"
    )
    assert heading in sample_page.by_id("anomalies").text
    by_class = Counter(c for r in rows for c in r.classes if c.startswith("sev-"))
    expected = Counter(f"sev-{SLUGS[f.severity.value]}" for f in listing.rows)
    assert by_class == expected
    common = {r.attrs["data-rule"]: r for r in sample_page.select("tr") if "data-rule" in r.attrs}
    assert "本批次 23 个项目（共 29 个）没有成本指标" in common["BP409"].text
    first, finding = rows[0], sample_result.findings[0]
    assert finding.indicator and finding.indicator in first.text  # the 指标 column
    assert first.attrs["data-severity"] == finding.severity.value == "错误"
    assert first.attrs["data-rule"] == finding.rule_id
    assert finding.message in first.text
    assert f"{finding.sheet}!{finding.cell}" in first.text


def test_indicators_by_level1_and_rule_reference(
    sample_page: Page, sample_result: Consolidation
) -> None:
    level1 = {
        r.attrs["data-level1"]: r for r in sample_page.select("tr") if "data-level1" in r.attrs
    }
    counts = {name: int(row.attrs["data-count"]) for name, row in level1.items()}
    assert counts == {"产出指标": 129, "效益指标": 65, "满意度指标": 31, "成本指标": 1}
    assert "129" in level1["产出指标"].text
    fired = Counter(f.rule_id for f in sample_result.findings)
    rules = [e for e in sample_page.elements if e.attrs.get("id", "").startswith("rule-")]
    assert [r.attrs["id"] for r in rules] == [f"rule-{i}" for i in sorted(fired)]
    assert str(fired["BP508"]) in sample_page.by_id("rule-BP508").text


def test_unknown_level1_is_counted_as_other(make_workbook: MakeWorkbook, project: Project) -> None:
    path = make_workbook(project, indicators={0: {"level1": "其他指标"}, 1: {"level1": ""}})
    page = Page(render_html(consolidate([path])))
    rows = {r.attrs["data-level1"]: r for r in page.select("tr") if "data-level1" in r.attrs}
    assert list(rows) == ["产出指标", "效益指标", "满意度指标", "成本指标", "（其他）"]
    assert rows["（其他）"].attrs["data-count"] == "2"
    assert "其他指标" in rows["（其他）"].text
    assert "（空白）" in rows["（其他）"].text
    assert sum(int(r.attrs["data-count"]) for r in rows.values()) == len(project.indicators)


def test_page_is_self_contained(sample_outputs: tuple[Path, Path], sample_page: Page) -> None:
    markup = sample_outputs[0].read_text(encoding="utf-8")
    assert not re.search(r"https?:", markup)
    assert not re.search(r"@import|@font-face|url\(", markup)
    assert (
        not sample_page.select("link") + sample_page.select("img") + sample_page.select("iframe")
    )
    assert not [e for e in sample_page.elements if "src" in e.attrs]
    # Every link stays in the page and lands on an element of it.
    all_ids = [e.attrs["id"] for e in sample_page.elements if "id" in e.attrs]
    ids = set(all_ids)
    assert len(ids) == len(all_ids)
    hrefs = [e.attrs["href"] for e in sample_page.select("a")]
    assert hrefs
    assert {h[:1] for h in hrefs} == {"#"}
    assert {h[1:] for h in hrefs} <= ids
    assert '"Microsoft YaHei"' in markup
    assert '"Noto Sans CJK SC"' in markup


def test_only_our_script_may_run(sample_page: Page) -> None:
    (script,) = sample_page.select("script")
    policy = next(
        e.attrs["content"]
        for e in sample_page.select("meta")
        if e.attrs.get("http-equiv") == "Content-Security-Policy"
    )
    assert "default-src 'none'" in policy
    digest = base64.b64encode(hashlib.sha256(script.text.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}';" in policy
    # Without the script the page reads the same: the filter form is only shown by it.
    assert "hidden" in sample_page.by_id("anomaly-filter").attrs


def test_department_text_is_escaped(
    make_workbook: MakeWorkbook, project: Project, tmp_path: Path
) -> None:
    hostile = dataclasses.replace(project, unit=HOSTILE_UNIT, name=HOSTILE_NAME)
    path = make_workbook(
        hostile,
        name="hostile.xlsx",
        supervisor="+1",
        indicators={0: {"name": "@SUM(1)", "target": "<img src=x onerror=alert(2)>"}},
    )
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    page_path = write_html(consolidate([path]), tmp_path / "out")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    markup = page_path.read_text(encoding="utf-8")
    assert "<script>alert(1)" not in markup
    assert "<img" not in markup
    assert markup.count("<script") == 1
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markup
    page = Page(markup)
    (section,) = page.select("section", "department")
    assert section.attrs["data-unit"] == HOSTILE_UNIT
    assert HOSTILE_NAME in section.text
    assert {a.attrs["href"][:1] for a in page.select("a")} == {"#"}
    assert not page.select("img")


def test_no_control_character_reaches_the_page(
    make_workbook: MakeWorkbook, project: Project, tmp_path: Path
) -> None:
    """Cells lose them when read (BP117); a file name can still carry them."""
    named = dataclasses.replace(project, name="项目\x00名称\x1b[31m\u202e")
    path = make_workbook(named, name="坏\x07名字.xlsx")
    markup = render_html(consolidate([path]))
    assert "项目名称[31m" in markup
    assert "坏名字.xlsx" in markup
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202e]", markup)


def test_unusable_file_is_counted_and_listed(
    make_workbook: MakeWorkbook, project: Project, tmp_path: Path
) -> None:
    good = make_workbook(project, name="good.xlsx")
    bad = tmp_path / "坏文件.xlsx"
    bad.write_bytes(b"this is not a workbook")
    result = consolidate([good, bad])
    page = Page(render_html(result))
    assert page.by_id("count-files").attrs["data-count"] == "2"
    assert page.by_id("count-unusable").attrs["data-count"] == "1"
    assert len(page.select("section", "department")) == 1
    (row,) = [r for r in page.select("tr", "finding") if "坏文件.xlsx" in r.text]
    assert row.attrs["data-unit"] == NO_UNIT
    assert row.attrs["data-severity"] == "错误"
    assert [u for u in page.select("option") if u.attrs.get("value") == NO_UNIT]


def test_nothing_readable_still_renders(tmp_path: Path) -> None:
    bad = tmp_path / "坏文件.xlsx"
    bad.write_bytes(b"PK\x03\x04 truncated")
    page = Page(render_html(consolidate([bad])))
    assert page.by_id("count-departments").attrs["data-count"] == "0"
    assert page.by_id("amount-budget").attrs["data-amount"] == "0.00"
    assert not page.select("section", "department")
    assert len(page.select("tr", "finding")) == 1


def test_rule_reference_shows_the_configured_severity() -> None:
    config = Config(severities={"BP508": Severity.WARNING})
    result = consolidate(SAMPLE_FILES, config=config)
    page = Page(render_html(result, config))
    assert "警告" in page.by_id("rule-BP508").text
    errors = sum(f.severity is Severity.ERROR for f in result.findings)
    assert errors == len(
        [
            f
            for f in consolidate(SAMPLE_FILES).findings
            if f.rule_id != "BP508" and f.severity is Severity.ERROR
        ]
    )
    assert page.by_id("count-error").attrs["data-count"] == str(errors)


def test_every_card_line_is_named_by_its_column(sample_page: Page) -> None:
    """On a phone a table.stack shows each row as a card, each cell headed by its data-label:
    the name of its column. The cells without one name or head the card."""
    headers: list[str] = []
    stack = False
    stacked = unstacked = column = labelled = 0
    for e in sample_page.elements:
        if e.tag == "table":
            headers, column = [], 0
            stack = "stack" in e.classes
            stacked += stack
            unstacked += not stack
            assert stack or "compact" in e.classes, "a wide table with no narrow-screen layout"
        elif e.tag == "th":
            headers.append(e.text.strip())
        elif e.tag == "tr":
            column = 0
        elif e.tag == "td" and stack:
            if "data-label" in e.attrs:
                assert e.attrs["data-label"] == headers[column], (headers, e.text)
                labelled += 1
            else:
                assert e.classes & {"name", "severity", "rule", "rule-id"}, (headers[column], e)
            column += 1
    # The level-1 table stays a (narrow) table; every other table of the page is stacked.
    sections = sample_page.select("section", "department")
    with_findings = sum(s.attrs["data-findings"] != "0" for s in sections)
    assert (stacked, unstacked) == (6 + len(sections) + with_findings, 1)
    assert labelled > 1000


# Headless Chromium


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: `make test` installs it (make office)")
        pytest.skip("Chromium not installed (run `make office`)")
    return found


@dataclass
class Rendered:
    dom: Page
    requests: list[str]  # URLs the page asked for (the browser's own traffic left out)


def render(url: str, tmp_path: Path, *extra: str) -> Rendered:
    """Open `url` in headless Chromium; the DOM after scripts ran, and the page's requests.

    Name resolution is disabled, so a page that does ask for something gets nothing.
    """
    profile = tmp_path / "chromium-profile"
    log = tmp_path / "netlog.json"
    run = subprocess.run(
        [
            chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            f"--user-data-dir={profile}",
            f"--log-net-log={log}",
            *extra,
            "--dump-dom",
            url,
        ],
        capture_output=True,
        check=True,
        timeout=180,
        text=True,
    )
    events = json.loads(log.read_text(encoding="utf-8"))
    start = events["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    starts = [e["params"] for e in events["events"] if e["type"] == start and "url" in e["params"]]
    requests = [p["url"] for p in starts if p.get("initiator") != "not an origin"]
    return Rendered(Page(run.stdout), requests)


def overview_level1(ws: openpyxl.worksheet.worksheet.Worksheet) -> dict[str, object]:
    """The 按一级指标统计 table of the 总览 sheet: 一级指标 -> 指标数."""
    rows = list(ws.iter_rows(values_only=True))
    top = next(n for n, r in enumerate(rows) if r[0] == "一级指标")
    table = itertools.takewhile(lambda r: r[0] is not None, rows[top + 1 :])
    return {r[0]: r[1] for r in table}


def overview_figures(ws: openpyxl.worksheet.worksheet.Worksheet) -> dict[str, object]:
    """Each label of the 总览 sheet with the value in the cell to its right."""
    figures: dict[str, object] = {}
    for row in ws.iter_rows(values_only=True):
        for label, value in itertools.pairwise(row):
            if isinstance(label, str) and value is not None:
                figures.setdefault(label, value)
    return figures


@pytest.fixture(
    params=[
        "samples",
        "with an unreadable file",
    ]
)
def both_outputs(
    request: pytest.FixtureRequest, sample_outputs: tuple[Path, Path], tmp_path: Path
) -> tuple[Path, Path]:
    """The page and the workbook for the samples, and for the samples plus a broken file."""
    if request.param == "samples":
        return sample_outputs
    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLES, inbox, ignore=shutil.ignore_patterns("data"))
    (inbox / "坏文件.xlsx").write_bytes(b"this is not a workbook")
    result = consolidate([inbox])
    return write_html(result, tmp_path / "out"), write_report(result, tmp_path / "out")


def test_chromium_shows_the_counts_of_the_workbook(
    both_outputs: tuple[Path, Path], tmp_path: Path
) -> None:
    page, workbook = both_outputs
    wb = openpyxl.load_workbook(workbook, data_only=True)
    figures = overview_figures(wb[OVERVIEW])
    anomaly_rows = [r for r in wb[ANOMALIES].iter_rows(min_row=2, values_only=True) if r[0]]
    rendered = render(page.as_uri(), tmp_path)
    dom = rendered.dom
    for id, label in COUNT_LABELS.items():
        assert dom.figure(id) == str(figures[label]), label
    for id, label in AMOUNT_LABELS.items():
        assert dom.figure(id) == f"{figures[label]:,.2f}", label
    assert dom.figure("count-departments") == "19"  # the unreadable file is not one
    rows = dom.select("tr", "finding")
    assert len(rows) == len(anomaly_rows)
    assert [r.attrs["data-severity"] for r in rows] == [r[0] for r in anomaly_rows]
    assert len(dom.select("section", "department")) == figures["部门"]
    level1 = {r.attrs["data-level1"]: r for r in dom.select("tr") if "data-level1" in r.attrs}
    assert {k: int(r.attrs["data-count"]) for k, r in level1.items()} == overview_level1(
        wb[OVERVIEW]
    )
    # The inline script ran despite the page's strict policy: it shows the filter.
    assert "hidden" not in dom.by_id("anomaly-filter").attrs
    assert dom.by_id("filter-shown").text == str(len(anomaly_rows))
    assert rendered.requests == []


def test_chromium_filters_anomalies_from_the_address(
    sample_outputs: tuple[Path, Path], sample_result: Consolidation, tmp_path: Path
) -> None:
    url = sample_outputs[0].as_uri() + "?severity=%E9%94%99%E8%AF%AF"  # 错误
    dom = render(url, tmp_path).dom
    shown = [r for r in dom.select("tr", "finding") if "hidden" not in r.attrs]
    errors = sample_result.counts()["错误"]
    assert len(shown) == errors > 0
    assert {r.attrs["data-severity"] for r in shown} == {"错误"}
    assert dom.by_id("filter-shown").text == str(errors)


def test_chromium_renders_hostile_text_as_text(
    make_workbook: MakeWorkbook, project: Project, tmp_path: Path
) -> None:
    image = '<img src="http://example.invalid/y.png">'
    hostile = dataclasses.replace(project, unit=HOSTILE_UNIT, name=image)
    path = make_workbook(hostile, name="hostile.xlsx")
    page = write_html(consolidate([path]), tmp_path / "out")
    rendered = render(page.as_uri(), tmp_path)
    assert len(rendered.dom.select("script")) == 1
    assert not rendered.dom.select("img")
    (section,) = rendered.dom.select("section", "department")
    assert section.attrs["data-unit"] == HOSTILE_UNIT
    assert image in section.text
    assert rendered.requests == []


def test_request_check_sees_an_external_request(tmp_path: Path) -> None:
    """The check above can fail: a page that loads an image is caught."""
    page = tmp_path / "leaky.html"
    page.write_text('<!DOCTYPE html><img src="http://example.invalid/x.png">', encoding="utf-8")
    assert render(page.as_uri(), tmp_path).requests == ["http://example.invalid/x.png"]


def test_chromium_prints_on_a4(sample_outputs: tuple[Path, Path], tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    render(sample_outputs[0].as_uri(), tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    sizes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    assert sizes
    assert {(round(float(w)), round(float(h))) for w, h in sizes} == {(595, 842)}  # A4, points
    assert len(re.findall(rb"/Type\s*/Page[^s]", data)) >= 20


# Phone and desktop widths

PHONE, DESKTOP = 420, 1400
# Run in the test's own wrapper page (no policy) on each frame's load, before --dump-dom reads
# the wrapper: what the page looks like at the frame's width, as JSON in <pre id="layout-W">.
MEASURE = r"""
function measure(frame) {
  var doc = frame.contentDocument, win = frame.contentWindow;
  var width = doc.documentElement.clientWidth;
  function all(selector) { return Array.prototype.slice.call(doc.querySelectorAll(selector)); }
  function style(e, pseudo) { return win.getComputedStyle(e, pseudo || null); }
  function shown(e) { return e.getBoundingClientRect().height > 0; }
  function describe(e) {
    return e.tagName + "." + e.className + ": " + e.textContent.trim().slice(0, 40);
  }
  function cell(e) {  // its width, and the lines its text takes
    var range = doc.createRange(), tops = {};
    range.selectNodeContents(e);
    Array.prototype.forEach.call(range.getClientRects(), function (r) {
      tops[Math.round(r.top)] = true;
    });
    var lines = Object.keys(tops).length;
    return {text: e.textContent.trim(), width: e.getBoundingClientRect().width, lines: lines};
  }
  var layout = {
    width: width,
    scrollWidth: doc.documentElement.scrollWidth,
    outside: all("body *").filter(function (e) {
      var r = e.getBoundingClientRect();
      return r.width > 0 && (r.left < -0.5 || r.right > width + 0.5);
    }).map(describe),
    units: all("tr[data-unit] > td.name, td.unit").map(cell),
    messages: all('td[data-label="问题说明"]').map(cell),
    values: all('td[data-label="填写内容"]').filter(shown).map(cell),
    unnamed: all("td[data-label]").filter(function (e) {
      var label = JSON.stringify(e.getAttribute("data-label"));
      return shown(e) && style(e, "::before").content !== label;
    }).map(describe),
    tables: all("table").map(function (t) {
      var row = t.tBodies[0].rows[0];
      return [t.id || t.className, style(t).display, style(t.tHead).display, shown(t.tHead),
              style(row).display, style(row.cells[0]).display];
    })
  };
  var form = doc.getElementById("anomaly-filter");
  layout.filter = !form.hidden;
  form.elements.severity.value = "错误";
  form.dispatchEvent(new win.Event("change"));
  layout.errors = all("tr.finding").filter(shown).map(function (r) {
    return r.getAttribute("data-severity");
  });
  document.getElementById("layout-" + frame.width).textContent = JSON.stringify(layout);
}
"""


@pytest.fixture(scope="module")
def layouts(
    sample_outputs: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory
) -> dict[int, dict[str, Any]]:
    """The samples' page laid out at a phone's and at a desktop's width: one Chromium run.

    Headless Chromium keeps its window at least 500 px wide, so the page goes into an iframe of
    each width. srcdoc frames share the wrapper's origin: its script can measure them, and the
    page keeps its own policy (its filter script still runs).
    """
    markup = sample_outputs[0].read_text(encoding="utf-8")
    frames = "".join(
        f'<pre id="layout-{w}"></pre><iframe width="{w}" height="800" onload="measure(this)"'
        f' srcdoc="{html.escape(markup)}"></iframe>'
        for w in (PHONE, DESKTOP)
    )
    tmp = tmp_path_factory.mktemp("layout")
    wrapper = tmp / "wrapper.html"
    wrapper.write_text(
        f"<!DOCTYPE html><meta charset=utf-8><script>{MEASURE}</script>{frames}", encoding="utf-8"
    )
    rendered = render(wrapper.as_uri(), tmp, f"--window-size={DESKTOP + 100},900")
    assert rendered.requests == []
    found = {w: rendered.dom.by_id(f"layout-{w}").text for w in (PHONE, DESKTOP)}
    assert all(found.values()), "the measuring script did not run"
    return {w: json.loads(text) for w, text in found.items()}


def test_phone_width_shows_cards_without_sideways_scrolling(
    layouts: dict[int, dict[str, Any]], sample_page: Page
) -> None:
    phone = layouts[PHONE]
    assert phone["width"] <= PHONE
    assert phone["scrollWidth"] <= phone["width"]
    assert phone["outside"] == []
    # A department's name reads on one or two lines (it took seven to nine in a table column).
    units = phone["units"]
    assert len(units) > 19 * 2
    assert [u for u in units if u["width"] < 160 or u["lines"] > 2] == []
    messages = phone["messages"]
    assert len(messages) == len(
        [e for e in sample_page.select("td") if e.attrs.get("data-label") == "问题说明"]
    )
    assert min(m["width"] for m in messages) >= 300
    assert phone["unnamed"] == []  # every card line shows its column's name
    for name, table, head, head_shown, row, cell in phone["tables"]:
        if name == "compact":
            assert (table, row, cell) == ("table", "table-row", "table-cell")
        else:
            assert (table, head, head_shown, row) == ("block", "none", False, "flex"), name
            assert cell in {"block", "none"}, name  # an empty cell is left out
    # The filter still hides the cards it leaves out.
    assert phone["filter"]
    errors = [r for r in sample_page.select("tr", "finding") if r.attrs["data-severity"] == "错误"]
    assert phone["errors"] == ["错误"] * len(errors) != []


def test_desktop_width_keeps_the_tables(layouts: dict[int, dict[str, Any]]) -> None:
    desktop = layouts[DESKTOP]
    assert desktop["scrollWidth"] <= desktop["width"]
    assert desktop["outside"] == []
    tables = desktop["tables"]
    assert len(tables) > 19 * 2
    for name, *displays in tables:
        assert displays == ["table", "table-header-group", True, "table-row", "table-cell"], name
    # What the department typed is quoted whole, not squeezed into a column a few characters
    # wide beside the roomy 问题说明.
    values = [v for v in desktop["values"] if v["text"]]
    assert values and min(v["width"] for v in values) >= 140
