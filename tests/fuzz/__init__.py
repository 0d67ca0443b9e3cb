"""A seeded fuzz corpus made from the samples: damaged, hostile and absurd workbooks.

    from tests.fuzz import generate
    cases = generate(Path("corpus"), 600, seed=1)

Five families, each a list of variants (one small function each, in tests/fuzz/*.py, whose
docstring says what a program or a person did to make such a file):

    bytes      random damage to the file's bytes
    zip        the package: members missing or twice, other compression methods, names and
               headers that lie, decompression bombs, empty and huge directories
    xml        parts that are malformed, not UTF-8, deeply nested, or carry entity bombs
               and external entities (reading the canary file)
    values     hostile values in the input cells: formulas as text, links, control and
               invisible characters, 32,767-character text, numbers no float holds
    structure  rows inserted, sheets renamed/hidden/reordered/copied, merged tables,
               thousands of rows, hundreds of sheets, values at the sheet's far end

`generate` spreads `n` files evenly over the families and round-robin over each family's
variants. Every case has its own random generator, seeded from (seed, family, index): a
case's bytes depend only on those, the sample it draws and `outdir` (only the external
entities hold its path), never on time or on which other families were asked for.

Files go to `outdir`/<family>/<family>-<index>-<variant>-<sample code>.xlsx; file names are
unique and differ from the samples', so they label findings unambiguously.
`outdir`/canary.txt holds `canary_token(seed)`, which no output may ever contain.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from .damage import BYTES, ZIP
from .markup import XML
from .parts import Job, Variant, load_sources
from .structure import STRUCTURE
from .values import VALUES

FAMILIES: dict[str, dict[str, Variant]] = {
    "bytes": BYTES,
    "zip": ZIP,
    "xml": XML,
    "values": VALUES,
    "structure": STRUCTURE,
}
VARIANTS: dict[str, Variant] = {
    name: f for family in FAMILIES.values() for name, f in family.items()
}
CANARY_PREFIX = "BPTOOLS-FUZZ-CANARY-"
CANARY_FILE = "canary.txt"


@dataclass(frozen=True)
class Case:
    """One generated file: `variant` names the function that made it from `source`."""

    path: Path
    family: str
    variant: str
    source: Path

    @property
    def label(self) -> str:
        """How bptools names the file in findings and reports (its name)."""
        return self.path.name


def canary_token(seed: int = 0) -> str:
    """The canary file's content for `seed`: unique, and never in any output."""
    digest = hashlib.sha256(f"bptools-fuzz-canary/{seed}".encode()).hexdigest()[:24]
    return CANARY_PREFIX + digest


def canary_path(outdir: Path, seed: int = 0) -> Path:
    """Write `outdir`/canary.txt holding the token; the xml family's external entities point
    at it."""
    outdir.mkdir(parents=True, exist_ok=True)
    path = outdir / CANARY_FILE
    path.write_text(canary_token(seed) + "\n", encoding="ascii")
    return path


def generate(
    outdir: Path,
    n: int,
    seed: int = 0,
    families: Sequence[str] | None = None,
    *,
    exclude: Collection[str] = (),
) -> list[Case]:
    """Write `n` files into `outdir` (see the module docstring) and return them in order.

    `families` restricts the corpus to some families (all by default); `exclude` names
    variants to leave out (e.g. "zip-bomb", the 200 MB one, for a quick test).
    """
    chosen = list(families) if families else list(FAMILIES)
    unknown = [f for f in chosen if f not in FAMILIES] + [v for v in exclude if v not in VARIANTS]
    if unknown:
        raise ValueError(f"unknown families or variants: {', '.join(unknown)}")
    canary_path(outdir, seed)
    sources = load_sources()
    cases: list[Case] = []
    for family, count in zip(chosen, spread(n, len(chosen)), strict=True):
        variants = [name for name in FAMILIES[family] if name not in exclude]
        if not variants:
            continue
        folder = outdir / family
        folder.mkdir(exist_ok=True)
        for index in range(count):
            variant = variants[index % len(variants)]
            rng = random.Random(f"{seed}/{family}/{index}")
            source = sources[rng.randrange(len(sources))]
            data = VARIANTS[variant](Job(source, rng, outdir, seed))
            short = variant.removeprefix(f"{family}-")
            path = folder / f"{family}-{index:05d}-{short}-{source.code}.xlsx"
            path.write_bytes(data)
            cases.append(Case(path, family, variant, source.path))
    return cases


def spread(n: int, parts: int) -> list[int]:
    """`n` split into `parts` counts differing by at most one, larger ones first."""
    return [n // parts + (1 if i < n % parts else 0) for i in range(parts)]
