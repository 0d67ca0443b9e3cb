"""About 250 damaged, hostile and absurd workbooks (tests/fuzz/), each checked in this
process as `bptools check FILE --json` does, then merged once with the samples.

Nothing may escape the command line or end in exit code 4, no input may change, every file
whose content differs from its sample must be named by a finding, and the merge's outputs
must hold no live formula or link from department text and no trace of the canary file the
external entities point at. Timings are not asserted: `python -m tests.fuzz.run` measures
them, with timeouts, on thousands of files.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from bptools.cli import cli

from .fuzz import FAMILIES, Case, canary_token, generate
from .fuzz.check import EXIT_INTERNAL, Outcome, check_file
from .fuzz.outputs import MERGE_OPTIONS, check_outputs
from .fuzz.parts import SAMPLES

# One worker builds the corpus once (`make test` runs pytest with --dist loadgroup).
pytestmark = pytest.mark.xdist_group("fuzz")

SEED = 20230
COUNT = 250


@dataclass
class Corpus:
    cases: list[Case]
    token: str
    hashes: dict[Path, str]

    @property
    def inputs(self) -> list[Path]:
        return [c.path for c in self.cases] + sorted(SAMPLES.glob("*.xlsx"))

    def modified(self) -> list[str]:
        return [p.name for p in self.inputs if _sha256(p) != self.hashes[p]]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "(missing)"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    cases = generate(tmp_path_factory.mktemp("fuzz"), COUNT, SEED)
    hashes = {p: _sha256(p) for p in [c.path for c in cases] + sorted(SAMPLES.glob("*.xlsx"))}
    return Corpus(cases, canary_token(SEED), hashes)


@pytest.fixture(scope="module")
def checked(corpus: Corpus) -> dict[Path, Outcome]:
    return {c.path: check_file(c.path, c.source, corpus.token) for c in corpus.cases}


def _listing(cases: list[Case], what: dict[Path, str]) -> str:
    lines = [f"{c.variant} {c.label}: {what[c.path]}" for c in cases if c.path in what]
    return f"{len(lines)} files:\n" + "\n".join(lines)


def test_the_corpus_has_every_family_and_variant(corpus: Corpus) -> None:
    made = {c.variant for c in corpus.cases}
    expected = {v for family in FAMILIES.values() for v in family}
    assert made == expected
    assert {c.family for c in corpus.cases} == set(FAMILIES)


def test_checking_each_file_never_crashes(corpus: Corpus, checked: dict[Path, Outcome]) -> None:
    crashes = {}
    for path, o in checked.items():
        where = f" at {o.where}" if o.where else ""
        if o.crashed:
            crashes[path] = f"escaped: {o.error}{where}"
        elif o.exit_code == EXIT_INTERNAL:
            crashes[path] = f"exit 4: {o.error}{where}"
        elif o.leaked:
            crashes[path] = "the canary token in the output"
    assert not crashes, _listing(corpus.cases, crashes)
    assert not corpus.modified()


def test_every_changed_file_is_named_by_a_finding(
    corpus: Corpus, checked: dict[Path, Outcome]
) -> None:
    silent = {
        path: "reads differently from its sample, no finding names it"
        for path, o in checked.items()
        if o.differs and not o.named and not o.crashed and o.exit_code != EXIT_INTERNAL
    }
    assert not silent, _listing(corpus.cases, silent)


def test_one_merge_writes_inert_outputs_naming_every_file(
    corpus: Corpus, checked: dict[Path, Outcome], tmp_path: Path
) -> None:
    """Every case and every sample in one merge: it completes, and names each file."""
    cases = corpus.cases
    inputs = corpus.inputs
    outdir = tmp_path / "汇总"
    args = ["merge", *map(str, inputs), "-o", str(outdir), *MERGE_OPTIONS]
    run = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert run.exit_code == 0, run.stderr
    flagged = {c.path for c in cases if checked[c.path].differs}
    problems = check_outputs(outdir, inputs, flagged, corpus.token)
    assert not problems.no_report and not problems.unreadable
    assert not problems.not_named
    assert not problems.live
    assert not problems.leaks
    assert not corpus.modified()
