"""What a person gets on paper and on screen: every output printed by LibreOffice, read back.

The tests (tests/test_print.py) and `make preview` share this module:

* `build_outputs` runs the bptools commands on samples/ as a department and the finance
  bureau would (merge, publish, template), and adds the committed template and two samples;
* `convert` prints workbooks to PDF with LibreOffice, two processes side by side;
* `read_pdf` reads each page back with poppler: its text as laid out (`pdftotext -layout`),
  its words with their boxes (`pdftotext -bbox`), and the sheet it belongs to, from the
  footer every sheet we write carries: the sheet name on the left (&A), "第 N 页，共 M 页" in
  the centre;
* `Page.find` looks for a text printed whole, even where a cell wraps it onto several lines;
* `render` and `grey_page` turn pages into PNG files and grey levels (`pdftoppm`);
* `screenshots` photographs the HTML page in Chromium at a phone's and a desktop's width.

`python -m tests.printing out/preview` (what `make preview` runs) writes PNGs of every
output's pages into one folder per output, so a person can look at them.
"""

from __future__ import annotations

import base64
import contextlib
import html
import itertools
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from .conftest import ROOT, SAMPLE_GLOB, SAMPLES
from .office_typing import _run as run_office
from .test_html import chromium
from .test_office import RECALC_ALWAYS, soffice

COMMITTED_TEMPLATE = ROOT / "templates" / "项目支出绩效目标表模板.xlsx"
TEMPLATE_NAME = "模板.xlsx"  # what `bptools template` writes here
# Two filled-in templates: the department with the most indicators in one table (201, 17)
# and the one with the most project sheets (404, 4).
SAMPLE_NAMES = ("201-重庆市北碚区住房和城乡建设委员会.xlsx", "404-重庆市北碚区残疾人联合会.xlsx")
NEXT_YEAR_DIR = "下年模板"  # what `bptools template --from` writes here, for one department
NEXT_YEAR_UNIT = "403-重庆市北碚区卫生健康委员会"  # 3 projects; not a sample above (PDF names)
FOOTER = re.compile(r"第\s*(\d+)\s*页，共\s*(\d+)\s*页")
PREVIEW_DPI = 100
SCREEN_WIDTHS = (420, 1400)  # a phone, a desktop
SCREEN_TILE = 2000  # px: the HTML page is photographed in pieces this tall


def squeeze(text: object) -> str:
    """`text` without any whitespace: how a printed text is compared with a cell's."""
    return "".join(str(text).split())


def poppler() -> None:
    """Skip (fail on CI) when poppler's pdftotext or pdftoppm is missing, like soffice()."""
    missing = [tool for tool in ("pdftotext", "pdftoppm") if shutil.which(tool) is None]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"{', '.join(missing)} missing: install poppler-utils")
        pytest.skip(f"{', '.join(missing)} not installed (poppler-utils)")


# The outputs


@dataclass(frozen=True)
class Outputs:
    """Every workbook we write, made from the samples, and the HTML page."""

    report: Path  # 2023年绩效目标汇总.xlsx
    html: Path
    feedback: tuple[Path, ...]  # 反馈/*（审核意见）.xlsx
    publish: Path  # （公开）.xlsx
    template: Path  # written by `bptools template`
    committed_template: Path
    next_year: Path  # a 2024 template, written by `bptools template --from` the report
    samples: tuple[Path, ...]

    @classmethod
    def find(cls, folder: Path) -> Outputs:
        merged, published = folder / "merge", folder / "publish"
        (report,) = merged.glob("*汇总.xlsx")
        (page,) = merged.glob("*汇总.html")
        (publish,) = published.glob("*（公开）.xlsx")
        return cls(
            report=report,
            html=page,
            feedback=tuple(sorted((merged / "反馈").glob("*.xlsx"))),
            publish=publish,
            template=folder / TEMPLATE_NAME,
            committed_template=COMMITTED_TEMPLATE,
            next_year=folder / NEXT_YEAR_DIR / f"{NEXT_YEAR_UNIT}.xlsx",
            samples=tuple(SAMPLES / name for name in SAMPLE_NAMES),
        )

    def workbooks(self) -> list[Path]:
        return [
            self.report,
            *self.feedback,
            self.publish,
            self.template,
            self.committed_template,
            self.next_year,
            *self.samples,
        ]


def build_outputs(folder: Path) -> Outputs:
    """Run `bptools merge`, `publish` and `template` on samples/ into `folder`, side by side,
    then `template --from` the consolidated workbook for one department."""
    folder.mkdir(parents=True, exist_ok=True)
    bptools = [sys.executable, "-m", "bptools"]
    review = [SAMPLE_GLOB, "--fail-on", "never"]
    commands = [
        [*bptools, "merge", *review, "-o", str(folder / "merge")],
        [*bptools, "publish", *review, "-o", str(folder / "publish")],
        [*bptools, "template", "-o", str(folder / TEMPLATE_NAME)],
    ]
    running = [
        subprocess.Popen(c, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        for c in commands
    ]
    for command, process in zip(commands, running, strict=True):
        output, _ = process.communicate(timeout=300)
        if process.returncode != 0:
            raise RuntimeError(f"{' '.join(command[2:4])} failed:\n{output.decode()}")
    (report,) = (folder / "merge").glob("*汇总.xlsx")
    next_year = [*bptools, "template", "--from", str(report), "--dept", NEXT_YEAR_UNIT]
    done = subprocess.run(
        [*next_year, "-o", str(folder / NEXT_YEAR_DIR)], cwd=ROOT, capture_output=True, timeout=300
    )
    if done.returncode != 0:
        said = (done.stdout + done.stderr).decode()
        raise RuntimeError(f"template --from failed:\n{said}")
    return Outputs.find(folder)


# Printing with LibreOffice


def convert(paths: Sequence[Path], outdir: Path, processes: int = 2) -> dict[Path, Path]:
    """Print each workbook to outdir/<stem>.pdf; return {workbook: pdf}.

    The files are shared out among `processes` LibreOffice processes (each with its own
    recalculating profile, as tests/test_office.py does), the largest first; a process that
    hangs is killed with its whole process group (tests/office_typing.py).
    """
    stems = [p.stem for p in paths]
    assert len(set(stems)) == len(stems), f"two workbooks would print to one PDF: {stems}"
    outdir.mkdir(parents=True, exist_ok=True)
    groups: list[list[Path]] = [[] for _ in range(max(1, min(processes, len(paths))))]
    for path in sorted(paths, key=lambda p: p.stat().st_size, reverse=True):
        min(groups, key=lambda g: sum(p.stat().st_size for p in g)).append(path)
    office = soffice()

    def run(index: int) -> None:
        profile = outdir / f".profile-{index}"
        (profile / "user").mkdir(parents=True, exist_ok=True)
        (profile / "user" / "registrymodifications.xcu").write_text(RECALC_ALWAYS, "utf-8")
        command = [
            office,
            f"-env:UserInstallation={profile.resolve().as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *map(str, groups[index]),
        ]
        run_office(command, timeout=300)

    try:
        with ThreadPoolExecutor(len(groups)) as pool:
            list(pool.map(run, range(len(groups))))
    finally:
        for index in range(len(groups)):
            shutil.rmtree(outdir / f".profile-{index}", ignore_errors=True)
    pdfs = {p: outdir / f"{p.stem}.pdf" for p in paths}
    missing = [p.name for p, pdf in pdfs.items() if not pdf.exists()]
    assert missing == [], f"LibreOffice did not print {missing}"
    return pdfs


# Reading the pages back


@dataclass(frozen=True)
class Word:
    """A word as pdftotext -bbox reports it (points, origin top left)."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def middle(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass(eq=False)
class Page:
    number: int  # 1-based, in the PDF
    width: float
    height: float
    text: str  # pdftotext -layout
    words: list[Word] = field(repr=False)
    sheet: str | None = None  # from the footer; None without one
    footer: tuple[int, int] | None = None  # (N, M) of "第 N 页，共 M 页"

    @cached_property
    def squeezed(self) -> str:
        return squeeze(self.text)

    @cached_property
    def _lines(self) -> list[list[Word]]:
        """The words in lines, top to bottom, each line left to right."""
        lines: list[list[Word]] = []
        for word in sorted(self.words, key=lambda w: (w.middle, w.x0)):
            line = lines[-1] if lines else None
            if line and abs(word.middle - line[0].middle) <= 0.45 * min(
                word.height, line[0].height
            ):
                line.append(word)
            else:
                lines.append([word])
        return [sorted(line, key=lambda w: w.x0) for line in lines]

    @cached_property
    def _place(self) -> dict[int, tuple[int, int]]:
        return {id(w): (i, j) for i, line in enumerate(self._lines) for j, w in enumerate(line)}

    @cached_property
    def _hidden(self) -> set[int]:
        """Words that run under the next word of their line: LibreOffice draws a cell's text
        whole but clipped at the cell's edge, for a hyperlink say, and the next cell's text
        starts inside it (pdftotext reports the whole word, the page shows a part)."""
        hidden = set()
        for line in self._lines:
            for left, right in itertools.pairwise(line):
                if right.x0 < left.x1 - 1:
                    hidden.add(id(left))
                    if right.x0 <= left.x0 + 1:
                        hidden.add(id(right))
        return hidden

    @cached_property
    def _run_start(self) -> dict[int, float]:
        """Where the run of close words (gaps under two word heights) holding a word begins:
        a wrapped cell's next line starts under it, or further right (centred)."""
        starts = {}
        for line in self._lines:
            start = line[0].x0
            for previous, word in itertools.pairwise(line):
                if word.x0 - previous.x1 > 2 * previous.height:
                    start = word.x0
                starts[id(word)] = start
            starts[id(line[0])] = line[0].x0
        return starts

    def _after(self, word: Word) -> Iterator[Word]:
        """Where a text may go on after `word`: the next word on its line if close (gaps under
        two word heights: a few spaces), and the words of the next line under the run of
        words `word` ends, as a wrapped cell's next line does."""
        i, j = self._place[id(word)]
        line = self._lines[i]
        if j + 1 < len(line) and line[j + 1].x0 - word.x1 <= 2 * word.height:
            yield line[j + 1]
        start = self._run_start[id(word)]
        for below in self._lines[i + 1 :]:
            gap = below[0].middle - word.middle
            if gap > 2.2 * word.height:
                break
            if gap >= 0.5 * word.height:
                yield from (w for w in below if w.x0 < word.x1 and w.x1 > start)

    def _continues(self, word: Word, rest: str) -> bool:
        if id(word) in self._hidden:
            return False
        if rest.startswith(word.text):
            rest = rest[len(word.text) :]
            return not rest or any(self._continues(w, rest) for w in self._after(word))
        return word.text.startswith(rest)

    def find(self, text: str, *, top: float | None = None) -> list[Word]:
        """The words where `text` starts, printed whole (whitespace aside), one per place.

        A cell that wraps puts its text on several lines, and pdftotext lists them among the
        lines of the neighbouring cells, so the page's text is no help. Here the text is
        followed word by word, as a reader would: it may start anywhere in a word, go on to
        the next word of the line, or to a word of the next line that lies under the line's
        run of words (the cell's next line, left-aligned or centred), and must end inside a
        word. Each word must be exactly the next part of the text, so
        a neighbouring cell's words never count. A text LibreOffice cut at the edge of its
        cell is not found: either the cut glyphs are not in the PDF at all (plain text meeting
        a filled cell, lines below a row too low), or the text is there whole but clipped
        (a hyperlink, which LibreOffice never wraps) and the next cell's first word, on the
        same line as in our top-aligned tables, starts inside it: such words never count.

        With `top`, only starts in the top part of the page (a fraction of its height).
        """
        text = squeeze(text)
        found = []
        for word, k in self._starts.get(text[0], ()):
            if top is not None and word.y0 > top * self.height:
                continue
            part = word.text[k:]
            if part.startswith(text) or (
                text.startswith(part)
                and any(self._continues(w, text[len(part) :]) for w in self._after(word))
            ):
                found.append(word)
        return found

    @cached_property
    def _starts(self) -> dict[str, list[tuple[Word, int]]]:
        """Every place a text may start, (word, offset), by its first character."""
        starts: dict[str, list[tuple[Word, int]]] = {}
        for word in self.words:
            if id(word) not in self._hidden:
                for k, char in enumerate(word.text):
                    starts.setdefault(char, []).append((word, k))
        return starts

    def has(self, text: str, *, top: float | None = None) -> bool:
        return bool(self.find(text, top=top))


_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', re.S
)


def _pdftotext(*args: str) -> str:
    poppler()
    return subprocess.run(
        ["pdftotext", *args, "-"], check=True, capture_output=True, timeout=120
    ).stdout.decode("utf-8")


def read_pdf(pdf: Path, sheets: Iterable[str] = ()) -> list[Page]:
    """Every page of `pdf`: its text, its words, and the sheet its footer names (one of
    `sheets`, the longest that begins the footer line)."""
    texts = _pdftotext("-layout", str(pdf)).split("\f")
    names = sorted(sheets, key=len, reverse=True)
    pages = []
    for number, match in enumerate(_PAGE.finditer(_pdftotext("-bbox", str(pdf))), start=1):
        words = [
            Word(*map(float, w.groups()[:4]), html.unescape(w.group(5)).strip())
            for w in _WORD.finditer(match.group(3))
        ]
        page = Page(number, float(match.group(1)), float(match.group(2)), texts[number - 1], words)
        footers = [
            (line.strip(), m) for line in page.text.splitlines() if (m := FOOTER.search(line))
        ]
        if footers:
            line, m = footers[-1]
            page.footer = (int(m.group(1)), int(m.group(2)))
            page.sheet = next((s for s in names if line.startswith(s)), None)
        pages.append(page)
    return pages


@dataclass
class Printed:
    """A workbook and what LibreOffice printed of it."""

    workbook: Path
    pdf: Path

    @cached_property
    def pages(self) -> list[Page]:
        book = openpyxl.load_workbook(self.workbook, read_only=True)
        sheets = book.sheetnames
        book.close()
        return read_pdf(self.pdf, sheets)

    def of(self, sheet: str) -> list[Page]:
        return [p for p in self.pages if p.sheet == sheet]


# Pictures


def render(
    pdf: Path, folder: Path, dpi: int = PREVIEW_DPI, names: Sequence[str] = ()
) -> list[Path]:
    """PNG files of every page, named 001-<name>.png (the page's sheet, say) in `folder`."""
    poppler()
    folder.mkdir(parents=True, exist_ok=True)
    prefix = folder / ".page"
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(prefix)], check=True, timeout=300
    )
    made = sorted(folder.glob(".page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    files = []
    for index, png in enumerate(made):
        name = f"{index + 1:03d}"
        if index < len(names) and names[index]:
            name += "-" + re.sub(r'[\\/:*?"<>|]', "_", names[index])
        files.append(png.replace(folder / f"{name}.png"))
    return files


def read_pgm(path: Path) -> np.ndarray:
    """A binary greyscale PGM (P5, as pdftoppm -gray writes it) as a 2-D array."""
    data = path.read_bytes()
    tokens = re.match(rb"P5\s+(?:#.*\s+)*(\d+)\s+(\d+)\s+(\d+)\s", data)
    assert tokens, f"{path} is not a binary PGM"
    width, height, maxval = map(int, tokens.groups())
    assert maxval < 256
    return np.frombuffer(data, np.uint8, width * height, tokens.end()).reshape(height, width)


def grey_page(pdf: Path, page: int, folder: Path, dpi: int = 100) -> np.ndarray:
    """One page rendered in grey, as a greyscale printer would (0 black, 255 white)."""
    poppler()
    prefix = folder / f"{pdf.stem}-{page}"
    subprocess.run(
        [
            "pdftoppm",
            "-gray",
            "-singlefile",
            "-r",
            str(dpi),
            "-f",
            str(page),
            "-l",
            str(page),
            str(pdf),
            str(prefix),
        ],
        check=True,
        timeout=120,
    )
    return read_pgm(prefix.with_suffix(".pgm"))


def fill_grey(image: np.ndarray, word: Word, dpi: int = 100) -> int:
    """The grey level of the cell behind `word`: the commonest level in the word's box,
    widened by a third of its height (the glyphs cover less of it than the fill does)."""
    scale = dpi / 72
    pad = word.height / 3
    box = image[
        max(0, int((word.y0 - pad) * scale)) : math.ceil((word.y1 + pad) * scale),
        max(0, int((word.x0 - pad) * scale)) : math.ceil((word.x1 + pad) * scale),
    ]
    return int(np.bincount(box.ravel(), minlength=256).argmax())


class _Chromium:
    """Headless Chromium driven over --remote-debugging-pipe (the DevTools protocol), so one
    browser takes every screenshot (a page 100 000 px tall takes many)."""

    def __init__(self, profile: Path, timeout: float = 300) -> None:
        # The protocol runs on file descriptors 3 (to the browser) and 4 (from it).
        command = [
            chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            f"--user-data-dir={profile}",
            "--remote-debugging-pipe",
            "about:blank",
        ]
        self.process = subprocess.Popen(
            ["sh", "-c", 'exec "$@" 3<&0 4>&1 0</dev/null 1>/dev/null', "sh", *command],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.watchdog = threading.Timer(timeout, self.kill)
        self.watchdog.daemon = True
        self.watchdog.start()
        self.ids = iter(range(1, 1 << 30))
        self.buffer = b""
        self.events: list[dict[str, object]] = []
        try:
            target = self.call("Target.createTarget", url="about:blank")["targetId"]
            attached = self.call("Target.attachToTarget", targetId=target, flatten=True)
            self.session = attached["sessionId"]
            self.call("Page.enable", session=True)
        except BaseException:
            self.kill()
            raise

    def _read(self) -> dict[str, object]:
        assert self.process.stdout is not None
        while b"\0" not in self.buffer:
            chunk = os.read(self.process.stdout.fileno(), 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe (or took too long)")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method: str, *, session: bool = False, **params: object) -> dict:
        assert self.process.stdin is not None
        id = next(self.ids)
        message: dict[str, object] = {"id": id, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        self.process.stdin.write(json.dumps(message).encode() + b"\0")
        self.process.stdin.flush()
        while True:
            reply = self._read()
            if reply.get("id") == id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]  # type: ignore[return-value]
            self.events.append(reply)

    def wait_for(self, method: str) -> None:
        while not any(e.get("method") == method for e in self.events):
            self.events.append(self._read())
        self.events = [e for e in self.events if e.get("method") != method]

    def navigate(self, url: str) -> None:
        self.events.clear()
        self.call("Page.navigate", session=True, url=url)
        self.wait_for("Page.loadEventFired")

    def kill(self) -> None:
        """End the browser's process group (start_new_session made it ours alone)."""
        self.watchdog.cancel()
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def close(self) -> None:
        assert self.process.stdin is not None
        with contextlib.suppress(OSError):
            message = {"id": next(self.ids), "method": "Browser.close", "params": {}}
            self.process.stdin.write(json.dumps(message).encode() + b"\0")
            self.process.stdin.flush()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)
        self.kill()


def screenshots(
    page: Path,
    folder: Path,
    widths: Sequence[int] = SCREEN_WIDTHS,
    tile: int = SCREEN_TILE,
    limit: int | None = None,
) -> dict[int, list[Path]]:
    """Photograph the HTML page at each width, top to bottom, `tile` px at a time (at most
    `limit` pieces): {width: [<width>-01.png, ...]} in `folder`. The window is the tile,
    scrolled down a tile at a time, so what stays on screen while scrolling shows on each."""
    folder.mkdir(parents=True, exist_ok=True)
    profile = tempfile.TemporaryDirectory(prefix="bptools-chromium-", ignore_cleanup_errors=True)
    browser = _Chromium(Path(profile.name))
    shots: dict[int, list[Path]] = {}
    try:
        for width in widths:
            browser.call(
                "Emulation.setDeviceMetricsOverride",
                session=True,
                width=width,
                height=tile,
                deviceScaleFactor=1,
                mobile=False,
            )
            browser.navigate(page.resolve().as_uri())
            height = browser.call(
                "Runtime.evaluate",
                session=True,
                expression="document.documentElement.scrollHeight",
                returnByValue=True,
            )["result"]["value"]
            count = max(1, math.ceil(height / tile))
            shots[width] = []
            for index in range(count if limit is None else min(count, limit)):
                browser.call(
                    "Runtime.evaluate",
                    session=True,
                    expression=f"window.scrollTo(0, {index * tile})",
                    awaitPromise=False,
                )
                data = browser.call("Page.captureScreenshot", session=True, format="png")
                path = folder / f"{width}-{index + 1:02d}.png"
                path.write_bytes(base64.b64decode(data["data"]))
                shots[width].append(path)
    finally:
        browser.close()
        profile.cleanup()
    return shots


def png_size(path: Path) -> tuple[int, int]:
    """(width, height) from a PNG's header."""
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


# make preview


def preview(folder: Path) -> dict[str, list[Path]]:
    """Write PNGs of every output's pages: 汇总, 反馈 (three copies), 公开, 模板, 下年模板
    (one department's), 网页."""
    work = folder / "输出"
    for name in ("汇总", "反馈", "公开", "模板", NEXT_YEAR_DIR, "网页", "输出"):
        shutil.rmtree(folder / name, ignore_errors=True)
    outputs = build_outputs(work)
    by_size = sorted(outputs.feedback, key=lambda p: p.stat().st_size)
    copies = list(dict.fromkeys([by_size[-1], by_size[len(by_size) // 2], by_size[0]]))
    targets = {outputs.report: folder / "汇总", outputs.publish: folder / "公开"}
    targets |= {copy: folder / "反馈" / copy.stem for copy in copies}
    targets[outputs.template] = folder / "模板"
    targets[outputs.next_year] = folder / NEXT_YEAR_DIR
    pdfs = convert(list(targets), work / "pdf")
    made: dict[str, list[Path]] = {}
    for workbook, target in targets.items():
        printed = Printed(workbook, pdfs[workbook])
        names = [p.sheet or "" for p in printed.pages]
        made[str(target.relative_to(folder))] = render(printed.pdf, target, names=names)
    for width, files in screenshots(outputs.html, folder / "网页").items():
        made[f"网页 {width} px"] = files
    return made


def main(argv: Sequence[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m tests.printing FOLDER", file=sys.stderr)
        return 2
    folder = Path(argv[0])
    try:
        made = preview(folder)
    except (pytest.skip.Exception, pytest.fail.Exception) as exc:
        print(f"preview: {exc}", file=sys.stderr)
        return 1
    for name, files in made.items():
        print(f"{name}: {len(files)} 张")
    print(f"预览图：{folder}/")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
