"""Fuzz family `values`: hostile or absurd values typed (or pasted) into the input cells of
a project sheet: formula-like text, links, huge and invisible text, numbers no float holds.

The workbook stays valid; only one cell changes. Text goes into a shared string or an inline
string (chosen at random), as Excel or another program would store it.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from .parts import (
    SHARED_STRINGS,
    STYLES,
    Job,
    Variant,
    add_cell_format,
    add_shared_string,
    filled_rows,
    inline_text,
    repack,
    set_cell,
)

MAX_CELL_TEXT = 32_767  # Excel's limit for one cell
TEXT_HEADER = ("B3", "F3", "B6", "B7", "B8")  # 一级项目名称, 业务主管部门, 概述, 依据, 目标
NUMBER_HEADER = ("B4", "F4", "B5", "F5")  # 预算执行率权重, 部门留用, 当年预算金额, 补助街镇
AMOUNTS = ("F4", "B5", "F5")
CONTROL = [chr(c) for c in range(32) if chr(c) not in "\t\n\r"]


def _target(job: Job, kinds: str) -> tuple[str, str]:
    """A project sheet's member and one of its input cells: "text", "number" or both."""
    _, part = job.rng.choice(job.source.projects)
    row = job.rng.choice(filled_rows(job.source.member(part)))
    cells: list[str] = []
    if "text" in kinds:
        cells += [*TEXT_HEADER, f"C{row}", f"D{row}", f"F{row}"]
    if "number" in kinds:
        cells += [*NUMBER_HEADER, f"F{row}", f"G{row}"]
    return part, job.rng.choice(cells)


def _text(job: Job, text: str, *, kinds: str = "text number", shared: bool | None = None) -> bytes:
    part, ref = _target(job, kinds)
    sheet = job.source.member(part)
    if shared if shared is not None else job.rng.random() < 0.5:
        inner = f'<t xml:space="preserve">{escape(text)}</t>'.encode()
        sst, index = add_shared_string(job.source.member(SHARED_STRINGS), inner)
        changes = {SHARED_STRINGS: sst, part: set_cell(sheet, ref, f"<v>{index}</v>", kind="s")}
        return repack(job.source, changes)
    return repack(job.source, {part: set_cell(sheet, ref, inline_text(text), kind="inlineStr")})


def _number(job: Job, literal: str) -> bytes:
    part, ref = _target(job, "number")
    sheet = set_cell(job.source.member(part), ref, f"<v>{literal}</v>")
    return repack(job.source, {part: sheet})


def _typed(text: str, what: str) -> Variant:
    def typed(job: Job) -> bytes:
        return _text(job, text)

    typed.__doc__ = f"{what} typed as text into an input cell: {text!r}."
    return typed


def _stored(literal: str, what: str) -> Variant:
    def stored(job: Job) -> bytes:
        return _number(job, literal)

    stored.__doc__ = f"A number cell holding <v>{literal}</v>: {what}."
    return stored


def values_long(job: Job) -> bytes:
    """32,767 characters (Excel's maximum) in one cell: a whole document pasted in."""
    unit = job.rng.choice(["人才项目资金管理", "A", "1234567890", "碚有引力 "])
    text = (unit * (MAX_CELL_TEXT // len(unit) + 1))[:MAX_CELL_TEXT]
    return _text(job, text, kinds="text")


def values_control_raw(job: Job) -> bytes:
    """Control characters (NUL, BEL, ESC, ...) written raw into the XML: text copied from a
    terminal or a legacy system by a program that does not filter them."""
    noise = "".join(job.rng.choice(CONTROL) for _ in range(job.rng.randint(1, 8)))
    return _text(job, f"人才{noise}项目", kinds="text")


def values_control_escaped(job: Job) -> bytes:
    """Control characters as Excel stores them in shared strings: _x0000_ … _x001F_."""
    escapes = "".join(f"_x{c:04X}_" for c in range(32))
    return _text(job, f"项目{escapes}资金", kinds="text", shared=True)


def values_negative(job: Job) -> bytes:
    """A negative amount or weight: a refund typed as a minus, or a sign typed by mistake."""
    literal = job.rng.choice(["-1", "-0.01", "-50", "-100", "-99999999"])
    _, part = job.rng.choice(job.source.projects)
    row = job.rng.choice(filled_rows(job.source.member(part)))
    ref = job.rng.choice([*AMOUNTS, "B4", f"G{row}"])
    sheet = set_cell(job.source.member(part), ref, f"<v>{literal}</v>")
    return repack(job.source, {part: sheet})


def values_date(job: Job) -> bytes:
    """A date in a number cell (a 2023 date serial with a date format from a new cellXfs
    entry): the cell was formatted as a date, or a date was typed where a number belongs."""
    fmt, code = job.rng.choice([(14, ""), (22, ""), (176, 'yyyy"年"m"月"d"日"')])
    styles, index = add_cell_format(job.source.member(STYLES), fmt, code)
    part, ref = _target(job, "number")
    serial = str(job.rng.randint(44927, 45291))
    sheet = set_cell(job.source.member(part), ref, f"<v>{serial}</v>", style=str(index))
    return repack(job.source, {STYLES: styles, part: sheet})


def values_percent(job: Job) -> bytes:
    """The indicator value typed as 95% (stored 0.95 with a percent format): Excel turns a
    typed percent into a fraction."""
    styles, index = add_cell_format(job.source.member(STYLES), job.rng.choice([9, 10]))
    _, part = job.rng.choice(job.source.projects)
    row = job.rng.choice(filled_rows(job.source.member(part)))
    sheet = set_cell(job.source.member(part), f"F{row}", "<v>0.95</v>", style=str(index))
    return repack(job.source, {STYLES: styles, part: sheet})


VALUES: dict[str, Variant] = {
    "values-formula-hyperlink": _typed('=HYPERLINK("http://x","点我")', "A link formula"),
    "values-formula-plus": _typed("+1+1", "A formula typed with a leading +"),
    "values-formula-minus": _typed("-2+3", "A formula typed with a leading -"),
    "values-formula-at": _typed("@SUM(A1)", "A formula typed with a leading @"),
    "values-formula-dde": _typed("=cmd|' /C calc'!A0", "A DDE command (CSV injection)"),
    "values-url": _typed("http://evil.example/", "A URL"),
    "values-long": values_long,
    "values-control-raw": values_control_raw,
    "values-control-escaped": values_control_escaped,
    "values-rtl": _typed("碚有引力\u202e金资项专", "A right-to-left override (U+202E)"),
    "values-emoji": _typed("人才👍🏽项目👨‍👩‍👧‍👦🇨🇳1️⃣𠀀", "Emoji and astral-plane characters"),
    "values-num-1e308": _stored("1e308", "the largest float's order"),
    "values-num-1e309": _stored("1e309", "beyond any float (overflows to infinity)"),
    "values-num-inf": _stored("inf", "not a number Excel writes"),
    "values-num-nan": _stored("NaN", "not a number at all"),
    "values-num-bigint": _stored("9" * 400, "a 400-digit integer"),
    "values-negative": values_negative,
    "values-date": values_date,
    "values-percent": values_percent,
}
