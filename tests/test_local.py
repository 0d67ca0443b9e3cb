"""Rules not declared `cross_file` find on each file, alone, what they find on it in the
whole batch: what checking files apart (worker processes, the cache) relies on."""

from __future__ import annotations

from pathlib import Path

import pytest

from bptools import consolidate
from bptools.config import Config
from bptools.intake import FileRows, FileStatus, check_rows, read_file, rows_batch
from bptools.rules import RULES, Finding, run_rules

from .conftest import ROOT

# Built by `make bench`, not in CI: 100 workbooks of the sample departments, with faults.
CORPUS_100 = ROOT / "out" / "bench" / "corpus-100"


def _file_rows(folder: Path) -> dict[str, FileRows]:
    """Each readable file's rows, read as the pipeline reads them (numbered in input order)."""
    result = consolidate([folder], jobs=1)
    rows = {}
    for index, status in enumerate(result.files):
        read, _ = read_file(FileStatus(status.path, status.label), index)
        if read is not None:
            rows[status.label] = read
    return rows


def _alone_and_together(
    folder: Path,
) -> tuple[dict[str, dict[str, list[Finding]]], dict[str, list[Finding]]]:
    """Each rule's findings on each file alone, and on the whole batch (all copies kept)."""
    config = Config(keep="all")
    result = consolidate([folder], config=config, jobs=1)
    rows = _file_rows(folder)
    alone = {
        label: check_rows(rows_batch({label: read}), [label], config.rules(), result.year, {})[
            label
        ]
        for label, read in rows.items()
    }
    # The batch as the pipeline gives it to the rules (consolidate set its year and params).
    together = {r.id: run_rules(result.batch, [r]) for r in config.rules() if r.check}
    return alone, together


@pytest.mark.parametrize("corpus", ["inbox", "corpus-100"])
def test_local_rules_find_on_a_file_alone_what_they_find_on_it_in_the_batch(
    corpus: str, request: pytest.FixtureRequest
) -> None:
    if corpus == "corpus-100" and not CORPUS_100.is_dir():
        pytest.skip("out/bench/corpus-100 is built by make bench")
    folder = CORPUS_100 if corpus == "corpus-100" else request.getfixturevalue("inbox")
    alone, together = _alone_and_together(folder)
    local = [rule for rule in RULES.values() if rule.check and not rule.cross_file]
    assert sum(len(together[rule.id]) for rule in local) > 200  # findings enough to compare
    for rule in local:
        assert {f.file for f in together[rule.id]} <= set(alone), rule.id
        for label, checks in alone.items():
            on_file = [f for f in together[rule.id] if f.file == label]
            assert checks.get(rule.id, []) == on_file, (rule.id, label)
            assert [f.params for f in checks.get(rule.id, [])] == [f.params for f in on_file]


def test_each_cross_file_rule_finds_what_no_file_alone_shows(inbox: Path) -> None:
    """The inbox has a department's two versions, a code with two names, a name with two
    codes, and tables copied under another department."""
    alone, together = _alone_and_together(inbox)
    cross = [rule for rule in RULES.values() if rule.check and rule.cross_file]
    assert {rule.id for rule in cross} == {"BP901", "BP903", "BP904", "BP905", "BP907"}
    for rule in cross:
        separate = [f for checks in alone.values() for f in checks.get(rule.id, [])]
        assert len(together[rule.id]) > len(separate), rule.id
