"""One style for every writer: colours that stay apart in grey, defined in one place."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bptools.rules import Severity
from bptools.write import style

PACKAGE = Path(__file__).resolve().parents[1] / "bptools"
STYLE = PACKAGE / "write" / "style.py"


@pytest.mark.parametrize("severity", list(Severity))
def test_a_mark_prints_apart_from_what_it_marks(severity: Severity) -> None:
    """Printed in grey, a severity fill is clearly darker than the input cells departments
    type into, the header fill and white paper; its outline darker still."""
    fill = style.grey(style.SEVERITY_FILL[severity])
    backgrounds = (style.INPUT_FILL, style.LAST_YEAR_FILL, style.HEADER_FILL, style.LABEL_FILL)
    for background in (*backgrounds, "FFFFFF"):
        assert style.grey(background) - fill >= 18, background
    assert style.grey(style.SEVERITY_OUTLINE[severity]) < fill - 60


def test_severities_are_ordered_in_grey() -> None:
    """An error prints darkest: the eye finds it first on a grey page."""
    error, warning, info = (style.grey(style.SEVERITY_FILL[s]) for s in Severity)
    assert error < warning - 15 and warning < info - 12


def test_last_years_values_have_a_colour_of_their_own() -> None:
    """The fill of a value carried from last year is none of the others a department sees,
    and light, as an entry cell is."""
    others = {style.INPUT_FILL, style.LABEL_FILL, style.HEADER_FILL, style.NOTE_FILL}
    others |= {*style.SEVERITY_FILL.values(), *style.SEVERITY_OUTLINE.values()}
    assert style.LAST_YEAR_FILL not in others
    assert style.grey(style.LAST_YEAR_FILL) >= 225


def test_the_black_text_on_a_fill_stays_readable() -> None:
    for severity in Severity:
        assert style.grey(style.SEVERITY_FILL[severity]) >= 170


def _python_sources() -> list[Path]:
    return [p for p in PACKAGE.rglob("*.py") if p != STYLE]


def test_no_writer_defines_a_colour_of_its_own() -> None:
    colour = re.compile(r"""["']#?[0-9A-Fa-f]{6}["']""")
    found = {
        str(p.relative_to(PACKAGE)): colour.findall(p.read_text(encoding="utf-8"))
        for p in _python_sources()
    }
    assert {k: v for k, v in found.items() if v} == {}


def test_page_setup_is_written_in_one_place() -> None:
    """Paper, margins, footers and scaling go through write.book.set_page (XlsxWriter) and
    write.ooxml.page_xml (the sheets we add to a department's package)."""
    calls = re.compile(
        r"\.(set_paper|set_margins|set_footer|set_header|fit_to_pages|set_landscape|"
        r"set_portrait|repeat_rows|set_print_scale)\(|PAPERSIZE_A4|oddFooter|fitToWidth"
    )
    allowed = {PACKAGE / "write" / "book.py", PACKAGE / "write" / "ooxml.py"}
    found = {
        str(p.relative_to(PACKAGE)): calls.findall(p.read_text(encoding="utf-8"))
        for p in _python_sources()
        if p not in allowed
    }
    assert {k: v for k, v in found.items() if v} == {}
