"""Run bptools over a generated fuzz corpus and report what broke, one row per family.

    .venv/bin/python -m tests.fuzz.run --n 3000 --seed 1 [--families zip,xml] [--timeout 60]
        [--slow 5] [--jobs 2] [--markdown FILE] [--keep DIR]

1. The corpus (tests/fuzz/__init__.py) is generated and every input (cases and samples) hashed.
2. Per family, each case is checked as `bptools check FILE --json` in long-lived workers
   (tests/fuzz/worker.py), restarted per family, with a hard per-file timeout. A case is a
   crash when an exception escapes or its worker dies, "exit 4" when our crash handler
   fired, over-time above --slow seconds or when killed at --timeout.
3. Per family, one `bptools merge --fail-on never --keep all` in a subprocess, of all the
   family's cases (with --skip-broken, only those that did not crash, hit exit 4 or hang
   in step 2), plus the samples. Its outputs are checked by tests/fuzz/outputs.py: every
   input named, nothing live, no canary. When the merge fails, the cases that make it fail
   on their own are found (merged by variant, then one by one) and listed, and the merge is
   run again without them, for the output checks.
4. Inputs are hashed again (after each family and at the end); the table and the failing
   files are printed (tests/fuzz/report.py).
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from . import FAMILIES, Case, canary_token, generate
from .check import from_traceback
from .outputs import MERGE_OPTIONS, check_outputs
from .parts import SAMPLES
from .report import FamilyRun, Merge, broken, machine, report
from .worker import ROOT, Pool, memory_limit, reap


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "(missing)"


def samples() -> list[Path]:
    return sorted(SAMPLES.glob("*.xlsx"))


def check_family(run: FamilyRun, args: argparse.Namespace, token: str, logs: Path) -> None:
    logs.mkdir(parents=True, exist_ok=True)
    pool = Pool(args.jobs, args.timeout, token, logs, memory_mb=args.memory_limit)
    run.outcomes = pool.run(run.cases)
    run.check_peak_kb = pool.peak_kb


def merge_family(run: FamilyRun, args: argparse.Namespace, token: str, outdir: Path) -> None:
    """One merge; if it fails, the files that make it fail are found (by variant, then one
    by one) and the merge is run again without them, so that its outputs can be checked."""
    merged = [c for c in run.cases if not (args.skip_broken and broken(run.outcome(c)))]
    run.merge = run_merge([c.path for c in merged] + samples(), outdir, args)
    run.merge.left_out = len(run.cases) - len(merged)
    if run.merge.exit_code != 0:
        run.merge.culprits = culprits(merged, outdir.with_name(f"{outdir.name}-culprits"), args)
        merged = [c for c in merged if c.path not in run.merge.culprits]
        again = run_merge([c.path for c in merged] + samples(), outdir, args)
        run.merge.retry_exit = again.exit_code
    inputs = [c.path for c in merged] + samples()
    flagged = {c.path for c in merged if run.outcome(c).differs}
    run.problems = check_outputs(outdir, inputs, flagged, token)


def culprits(cases: Sequence[Case], folder: Path, args: argparse.Namespace) -> dict[Path, str]:
    """The cases whose merge on their own fails, with the error: each variant's cases are
    merged together first, then one by one where that fails."""
    found: dict[Path, str] = {}
    variants: dict[str, list[Case]] = {}
    for case in cases:
        variants.setdefault(case.variant, []).append(case)
    for variant, group in variants.items():
        if run_merge([c.path for c in group], folder / variant, args).exit_code == 0:
            continue
        for case in group:
            merge = run_merge([case.path], folder / case.path.stem, args)
            if merge.exit_code != 0:
                found[case.path] = merge.error or f"exit {merge.exit_code}"
    return found


def run_merge(inputs: Sequence[Path], outdir: Path, args: argparse.Namespace) -> Merge:
    """`bptools merge` in a subprocess, its peak memory from os.wait4."""
    shutil.rmtree(outdir, ignore_errors=True)
    outdir.mkdir(parents=True)
    log = outdir.parent / f"{outdir.name}.log"
    command = [sys.executable, "-m", "bptools", "merge", *map(str, inputs)]
    command += ["-o", str(outdir), *MERGE_OPTIONS]
    start = time.monotonic()
    with log.open("wb") as stream:
        process = subprocess.Popen(
            command,
            stdout=stream,
            stderr=stream,
            cwd=ROOT,
            preexec_fn=memory_limit(args.memory_limit * 2),
        )
        status = reap(process.pid, block=False)
        while status is None and time.monotonic() - start < args.merge_timeout:
            time.sleep(0.05)
            status = reap(process.pid, block=False)
        if status is None:
            process.kill()
            status = (None, (reap(process.pid) or (0, 0))[1])
    process.returncode = -9 if status[0] is None else status[0]  # reaped: no second wait
    merge = Merge(status[0], time.monotonic() - start, status[1])
    if merge.exit_code != 0:
        error, where = from_traceback(log.read_text(encoding="utf-8", errors="replace"))
        merge.error = f"{error} at {where}" if where else error
    return merge


def modified(paths: Sequence[Path], hashes: dict[Path, str]) -> list[Path]:
    return [p for p in paths if sha256(p) != hashes[p]]


def run(args: argparse.Namespace, folder: Path) -> str:
    token = canary_token(args.seed)
    start = time.monotonic()
    cases = generate(folder, args.n, args.seed, args.families)
    timings = {"generate": time.monotonic() - start}
    say(f"generated {len(cases)} files in {timings['generate']:.1f} s into {folder}")
    everything = [c.path for c in cases] + samples()
    hashes = {p: sha256(p) for p in everything}
    runs: list[FamilyRun] = []
    start = time.monotonic()
    for family in args.families:
        family_run = FamilyRun(family, [c for c in cases if c.family == family])
        if not family_run.cases:
            continue
        say(f"{family}: checking {len(family_run.cases)} files")
        check_family(family_run, args, token, folder / "_run" / f"logs-{family}")
        say(f"{family}: merging")
        merge_family(family_run, args, token, folder / "_run" / f"merge-{family}")
        family_run.modified = modified([c.path for c in family_run.cases] + samples(), hashes)
        runs.append(family_run)
    seen = {p for r in runs for p in r.modified}
    late = [p for p in modified(everything, hashes) if p not in seen]
    if late and runs:
        runs[-1].modified += late
    timings["run"] = time.monotonic() - start
    settings = f"n={args.n}, seed={args.seed}, --timeout {args.timeout:g}, --slow {args.slow:g}"
    settings += f", --jobs {args.jobs}, families {','.join(args.families)}"
    return report(runs, settings, timings, args.slow)


def say(text: str) -> None:
    print(f"fuzz: {text}", file=sys.stderr, flush=True)


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz.run")
    add = parser.add_argument
    add("--n", type=int, default=3000, help="files to generate (default 3000)")
    add("--seed", type=int, default=1)
    add("--families", default=",".join(FAMILIES), help="comma-separated (default: all)")
    add("--timeout", type=float, default=60, help="hard limit per file check, seconds")
    add("--slow", type=float, default=5, help="a file check over this is over-time, seconds")
    add("--jobs", type=int, default=2, help="worker processes")
    add("--markdown", type=Path, help="also write the report to this file")
    add("--keep", type=Path, help="generate the corpus into this folder and keep it")
    add("--memory-limit", type=int, default=4096, help="MB per worker, twice for a merge")
    add("--merge-timeout", type=float, default=1800, help="per merge, seconds")
    add(
        "--skip-broken",
        action="store_true",
        help="leave files that broke the checks out of merges",
    )
    args = parser.parse_args(argv)
    args.families = [f.strip() for f in args.families.split(",") if f.strip()]
    unknown = [f for f in args.families if f not in FAMILIES]
    if unknown:
        parser.error(f"unknown families {', '.join(unknown)}; known: {', '.join(FAMILIES)}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        text = run(args, args.keep)
    else:
        with tempfile.TemporaryDirectory(prefix="bptools-fuzz-") as folder:
            text = run(args, Path(folder))
    print(text)
    if args.markdown:
        args.markdown.write_text(f"{machine()}\n\n{text}", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
