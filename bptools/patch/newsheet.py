"""A sheet we add to a department's package, built cell by cell and written as worksheet
XML whose strings go to the package's shared string table and whose looks become cell
styles appended to its styles part."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..sheetxml import column_letters
from ..write.book import sheet_ref
from ..write.ooxml import Look, attr, page_xml, print_titles
from ..write.style import Page, reads_as_formula
from .parts import MAIN_NS, REL_NS
from .styles import Styles
from .workbook import SharedStrings

Value = str | int | float | None


@dataclass
class NewSheet:
    """Cells by (row, column), 1-based, with the sheet's widths, heights, links, frozen
    rows, filter and page setup."""

    cells: dict[tuple[int, int], tuple[Value, Look]] = field(default_factory=dict)
    widths: dict[int, float] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)
    links: dict[tuple[int, int], tuple[str, str]] = field(default_factory=dict)  # -> place, text
    frozen_rows: int = 0
    filter: tuple[int, int, int, int] | None = None  # top, left, bottom, right
    page: Page = field(default_factory=Page)

    def put(self, row: int, col: int, value: Value, look: Look) -> None:
        self.cells[(row, col)] = (value, look)

    def xml(self, strings: SharedStrings, styles: Styles) -> bytes:
        rows: dict[int, list[str]] = {}
        for (r, c), (value, look) in sorted(self.cells.items()):
            if isinstance(value, str) and reads_as_formula(value):
                look = replace(look, quote=True)
            rows.setdefault(r, []).append(_cell(r, c, value, styles.xf(look), strings))
        data = "".join(
            f'<row r="{r}"{self._height(r)}>{"".join(cells)}</row>' for r, cells in rows.items()
        )
        page = page_xml(self.page)
        parts = [
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">',
            f"<sheetPr>{page['pageSetUpPr']}</sheetPr>" if page["pageSetUpPr"] else "",
            f'<sheetViews><sheetView tabSelected="1" workbookViewId="0">{self._pane()}'
            "</sheetView></sheetViews>",
            '<sheetFormatPr defaultRowHeight="15"/>',
            self._cols(),
            f"<sheetData>{data}</sheetData>",
            f'<autoFilter ref="{_range(*self.filter)}"/>' if self.filter else "",
            self._links(),
            page["printOptions"],
            page["pageMargins"],
            page["pageSetup"],
            page["headerFooter"],
            "</worksheet>",
        ]
        return "".join(parts).encode("utf-8")

    def defined_names(self, title: str) -> list[tuple[str, str, bool]]:
        """The names Excel keeps for the sheet's filter and print titles."""
        names = []
        if self.filter:
            top, left, bottom, right = self.filter
            value = f"{sheet_ref(title)}!{_range(top, left, bottom, right, absolute=True)}"
            names.append(("_xlnm._FilterDatabase", value, True))
        titles = print_titles(self.page)
        if titles:
            names.append(
                ("_xlnm.Print_Titles", f"{sheet_ref(title)}!${titles[0]}:${titles[1]}", False)
            )
        return names

    def _height(self, row: int) -> str:
        height = self.heights.get(row)
        return f' ht="{height:g}" customHeight="1"' if height else ""

    def _pane(self) -> str:
        if not self.frozen_rows:
            return '<selection activeCell="A1" sqref="A1"/>'
        top = f"A{self.frozen_rows + 1}"
        return (
            f'<pane ySplit="{self.frozen_rows}" topLeftCell="{top}" activePane="bottomLeft"'
            f' state="frozen"/><selection pane="bottomLeft" activeCell="{top}" sqref="{top}"/>'
        )

    def _cols(self) -> str:
        if not self.widths:
            return ""
        cols = "".join(
            f'<col min="{c}" max="{c}" width="{w:g}" customWidth="1"/>'
            for c, w in sorted(self.widths.items())
        )
        return f"<cols>{cols}</cols>"

    def _links(self) -> str:
        if not self.links:
            return ""
        links = "".join(
            f'<hyperlink ref="{_ref(r, c)}" location="{attr(place)}" display="{attr(shown)}"/>'
            for (r, c), (place, shown) in sorted(self.links.items())
        )
        return f"<hyperlinks>{links}</hyperlinks>"


def _ref(row: int, col: int, *, absolute: bool = False) -> str:
    mark = "$" if absolute else ""
    return f"{mark}{column_letters(col)}{mark}{row}"


def _range(top: int, left: int, bottom: int, right: int, *, absolute: bool = False) -> str:
    return f"{_ref(top, left, absolute=absolute)}:{_ref(bottom, right, absolute=absolute)}"


def _cell(row: int, col: int, value: Value, style: int, strings: SharedStrings) -> str:
    ref = _ref(row, col)
    if value is None or value == "":
        return f'<c r="{ref}" s="{style}"/>'
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f'<c r="{ref}" s="{style}" t="s"><v>{strings.index(str(value))}</v></c>'
    return f'<c r="{ref}" s="{style}"><v>{value!r}</v></c>'
