"""Our style as SpreadsheetML, for the files we patch rather than write anew (feedback
copies): the XML of a font, fill, border and alignment, and of a sheet's page setup.

Elements are written without a namespace prefix; `prefix` puts them in the prefix a part
already uses for the main namespace ("x:" in some generated files).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.sax.saxutils import escape

from ..rules import Severity
from . import style
from .style import Page

MAX_CELL_TEXT = 32767  # Excel's limit for the text of one cell
CHARSET_GB2312 = 134  # the font's character set: Chinese, so 宋体 is not substituted
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Look:
    """How one cell looks, in our vocabulary; `Styles.xf` turns it into a cell style id."""

    size: float = style.FONT_SIZE
    bold: bool = False
    color: str | None = None
    underline: bool = False
    fill: str | None = None  # a colour of style's palette
    grid: bool = False  # the thin grid border of our tables
    horizontal: str | None = None
    vertical: str | None = None
    wrap: bool = False
    indent: int = 0
    quote: bool = False  # text that would read as a formula when typed: keep it text


def clean(text: object) -> str:
    """Without the control characters XML cannot carry, within Excel's length limit."""
    return _ILLEGAL.sub("", str(text))[:MAX_CELL_TEXT]


def text(value: object) -> str:
    """A value as XML character data."""
    return escape(clean(value))


def attr(value: object) -> str:
    return escape(clean(value), {'"': "&quot;", "\n": "&#10;", "\t": "&#9;"})


def _rgb(colour: str) -> str:
    return f'rgb="FF{colour}"'


def font_xml(look: Look, prefix: str = "") -> str:
    p = prefix
    parts = [f"<{p}b/>" if look.bold else "", f'<{p}u val="single"/>' if look.underline else ""]
    parts.append(f'<{p}sz val="{look.size:g}"/>')
    if look.color:
        parts.append(f"<{p}color {_rgb(look.color)}/>")
    parts.append(f'<{p}name val="{style.FONT}"/><{p}charset val="{CHARSET_GB2312}"/>')
    return f"<{p}font>{''.join(parts)}</{p}font>"


def fill_xml(colour: str, prefix: str = "") -> str:
    p = prefix
    return (
        f'<{p}fill><{p}patternFill patternType="solid"><{p}fgColor {_rgb(colour)}/>'
        f'<{p}bgColor indexed="64"/></{p}patternFill></{p}fill>'
    )


def border_xml(kind: str, colour: str, prefix: str = "") -> str:
    """A border drawn on all four sides in `kind` ("thin", "medium", "mediumDashed")."""
    p = prefix
    sides = "".join(
        f'<{p}{side} style="{kind}"><{p}color {_rgb(colour)}/></{p}{side}>'
        for side in ("left", "right", "top", "bottom")
    )
    return f"<{p}border>{sides}<{p}diagonal/></{p}border>"


def grid_border_xml(prefix: str = "") -> str:
    return border_xml("thin", style.GRID, prefix)


def outline_xml(severity: Severity, *, dashed: bool, prefix: str = "") -> str:
    """The border of a marked cell: solid where the problem is, dashed where a cell is only
    named as related. Printed in grey the outline shows the mark as well as the fill."""
    kind = "mediumDashed" if dashed else "medium"
    return border_xml(kind, style.SEVERITY_OUTLINE[severity], prefix)


def alignment_xml(look: Look, prefix: str = "") -> str:
    a = [f'horizontal="{look.horizontal}"'] if look.horizontal else []
    a += [f'vertical="{look.vertical}"'] if look.vertical else []
    a += ['wrapText="1"'] if look.wrap else []
    a += [f'indent="{look.indent}"'] if look.indent else []
    return f"<{prefix}alignment {' '.join(a)}/>" if a else ""


def page_xml(page: Page) -> dict[str, str]:
    """The elements of a sheet's page setup, by element name, to place in schema order:
    A4, orientation, margins, scaling, footer. Print titles are a defined name."""
    m = page.margins
    fit = page.scale is None and page.fit_width
    setup = [f'paperSize="{style.A4}"']
    if page.scale is not None:
        setup.append(f'scale="{page.scale}"')
    elif fit:
        setup += ['fitToWidth="1"', f'fitToHeight="{1 if page.one_page else 0}"']
    setup.append(f'orientation="{"landscape" if page.landscape else "portrait"}"')
    return {
        "pageSetUpPr": '<pageSetUpPr fitToPage="1"/>' if fit else "",
        "printOptions": '<printOptions horizontalCentered="1"/>' if page.center else "",
        "pageMargins": (
            f'<pageMargins left="{m.left}" right="{m.right}" top="{m.top}" '
            f'bottom="{m.bottom}" header="{m.footer}" footer="{m.footer}"/>'
        ),
        "pageSetup": f"<pageSetup {' '.join(setup)}/>",
        "headerFooter": (
            f"<headerFooter><oddFooter>{text(style.footer(page))}</oddFooter></headerFooter>"
        ),
    }


def print_titles(page: Page) -> tuple[int, int] | None:
    """The 1-based rows printed atop every page, if any."""
    return None if page.repeat is None else (page.repeat[0] + 1, page.repeat[1] + 1)
