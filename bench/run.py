"""`make bench`: bptools against the naive way and the floor, at several sizes.

For each size, in one run: (a) the naive script a colleague writes (pandas.read_excel with
openpyxl on every sheet, concat, to_excel), (b) the floor (python-calamine reading every
cell of every file), (c) `bptools merge` with its default outputs, timed by stage, (d) a
re-merge after one file changed, (e) a re-merge with nothing changed. Each runs in a
process of its own, so its peak memory is its own. Timings are noisy on a small shared
machine: compare the ratios printed by one run, not seconds across runs.

    python -m bench.run --sizes 100,1000 [--results bench/RESULTS.md]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.corpus import ROOT, build, touch_one

WORK = ROOT / "out" / "bench"
READING = "读取、规范化与审核"
WRITING = "写出（汇总工作簿、网页版与反馈副本同时进行）"


def naive(corpus: Path, out: Path) -> dict[str, Any]:
    import pandas as pd

    frames = [
        frame.assign(文件=path.name, 工作表=sheet)
        for path in sorted(corpus.glob("*.xlsx"))
        for sheet, frame in _sheets(pd, path).items()
    ]
    pd.concat(frames, ignore_index=True).astype(str).to_excel(out / "naive.xlsx", index=False)
    return {}


def _sheets(pd: Any, path: Path) -> dict[str, Any]:
    try:
        return pd.read_excel(path, sheet_name=None, header=None, engine="openpyxl")
    except Exception:  # the naive script skips what it cannot read
        return {}


def floor(corpus: Path, out: Path) -> dict[str, Any]:
    from python_calamine import CalamineWorkbook

    cells = 0
    for path in sorted(corpus.glob("*.xlsx")):
        try:
            book = CalamineWorkbook.from_path(str(path))
        except Exception:
            continue
        for name in book.sheet_names:
            cells += sum(len(row) for row in book.get_sheet_by_name(name).to_python())
    return {"cells": cells}


def merge(corpus: Path, out: Path) -> dict[str, Any]:
    """What `bptools merge` does, stage by stage."""
    from bptools import consolidate
    from bptools.cache import CACHE_NAME
    from bptools.config import Config
    from bptools.outputs import write_outputs
    from bptools.parallel import kept_workers

    stages: dict[str, float] = {}
    config = Config()
    with kept_workers():  # as `bptools merge` does
        start = time.perf_counter()
        result = consolidate([corpus], config=config, exclude=[out], cache=out / CACHE_NAME)
        stages[READING] = time.perf_counter() - start
        start = time.perf_counter()
        written = write_outputs(result, out, config)
        stages[WRITING] = time.perf_counter() - start
    return {
        "outputs": written.seconds,
        "stages": stages,
        "files": len(result.files),
        "projects": len(result.batch.projects),
        "indicators": len(result.batch.indicators),
        "findings": len(result.findings),
    }


JOBS = {"naive": naive, "floor": floor, "merge": merge}


def one(job: str, corpus: Path, out: Path) -> None:
    """Run one job here and print its time and peak memory as JSON (the child's side)."""
    out.mkdir(parents=True, exist_ok=True)
    tree = TreePeak(os.getpid())
    tree.start()
    start = time.perf_counter()
    found = JOBS[job](corpus, out)
    seconds = time.perf_counter() - start
    tree.stop()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # The worker processes' own peaks are not told by RUSAGE_CHILDREN: a child started by
    # spawn counts the parent's pages it was forked with before it exec'd.
    figures = {"seconds": seconds, "peak_mb": peak, "tree_mb": max(tree.peak_mb, peak), **found}
    print(json.dumps(figures, ensure_ascii=False))


class TreePeak(threading.Thread):
    """The most memory a process and its worker processes held at once: their resident
    sizes added up, looked at ten times a second (Linux's /proc; elsewhere 0)."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root, self.peak_mb = root, 0.0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(0.1):
            self.peak_mb = max(self.peak_mb, _tree_kib(self.root) / 1024)

    def stop(self) -> None:
        self._done.set()
        self.join()


def _tree_kib(root: int) -> int:
    proc = Path("/proc")
    parents: dict[int, int] = {}
    for entry in proc.iterdir() if proc.is_dir() else []:
        try:
            if entry.name.isdigit():
                stat = (entry / "stat").read_text()
                parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
    tree, grown = {root}, True
    while grown:
        more = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= more
        grown = bool(more)
    return sum(_rss_kib(pid) for pid in tree)


def _rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def measure(job: str, corpus: Path, out: Path) -> dict[str, Any]:
    command = [sys.executable, "-m", "bench.run", "--one", job, str(corpus), str(out)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def size_run(size: int) -> dict[str, Any]:
    corpus = build(WORK / f"corpus-{size}", size)
    out = WORK / f"out-{size}"
    shutil.rmtree(out, ignore_errors=True)  # (c) starts from nothing: no cache, no copies
    figures = {job: measure(job, corpus, out / job) for job in ("naive", "floor", "merge")}
    touch_one(corpus)
    figures["changed"] = measure("merge", corpus, out / "merge")
    figures["unchanged"] = measure("merge", corpus, out / "merge")
    return figures


def report(results: dict[int, dict[str, Any]]) -> str:
    lines = [
        "# make bench",
        "",
        f"{datetime.now():%Y-%m-%d %H:%M}, {platform.node()}: {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {platform.platform()}.",
        "Ratios are measured in one run; seconds vary with the machine and its load.",
        "",
        "| 工作簿 | (a) 朴素脚本 | (b) 下限 calamine | (c) merge | (c)/(a) | (c)/(b) "
        "| (d) 改一个后重汇 | (d)/(c) | (e) 未改重汇 | (e)/(c) "
        "| 内存峰值 (c) 主进程 / 连同工作进程 | 每个工作簿 (c) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for size, f in results.items():
        a, b, c = (f[k]["seconds"] for k in ("naive", "floor", "merge"))
        d, e = f["changed"]["seconds"], f["unchanged"]["seconds"]
        lines.append(
            f"| {size} | {a:.1f} s | {b:.1f} s | {c:.1f} s | {c / a:.2f}× | {c / b:.0f}× "
            f"| {d:.1f} s | {d / c:.0%} | {e:.1f} s | {e / c:.0%} "
            f"| {f['merge']['peak_mb']:.0f} MB / {f['merge']['tree_mb']:.0f} MB "
            f"| {c / size * 1000:.0f} ms |"
        )
    lines += [
        "",
        "Where (c) goes:",
        "",
        "| 工作簿 | 阶段 | 秒 | 占比 |",
        "| --- | --- | --- | --- |",
    ]
    for size, f in results.items():
        stages = f["merge"]["stages"]
        total = sum(stages.values())
        lines += [f"| {size} | {k} | {v:.1f} | {v / total:.0%} |" for k, v in stages.items()]
        lines += [f"| {size} | 其中：{k} | {v:.1f} | |" for k, v in f["merge"]["outputs"].items()]
    lines += [
        "",
        "The copies are made in worker processes while the workbook and the page are written:",
        "the three outputs' seconds add up to more than the writing took.",
    ]
    return "\n".join(lines + targets(results)) + "\n"


def targets(results: dict[int, dict[str, Any]]) -> list[str]:
    """The issue's targets against this run: at 1,000 workbooks (or the largest size run),
    and the cost per workbook at the largest size against the smallest."""
    size = 1000 if 1000 in results else max(results)
    f = results[size]
    a, b, c = (f[k]["seconds"] for k in ("naive", "floor", "merge"))
    read = f["merge"]["stages"][READING]
    peak = max(r["merge"]["tree_mb"] for r in results.values())
    small, large = min(results), max(results)
    per = (results[large]["merge"]["seconds"] / large) / (
        results[small]["merge"]["seconds"] / small
    )
    rows = [
        ("(c) 比 (a) 快", "≥ 10×", f"{a / c:.2f}×", a / c >= 10),
        ("读取与审核 / (b)", "≤ 5×", f"{read / b:.1f}×", read / b <= 5),
        (
            "(d)/(c)",
            "≤ 15%",
            f"{f['changed']['seconds'] / c:.0%}",
            f["changed"]["seconds"] / c <= 0.15,
        ),
        (
            "(e)/(c)",
            "≤ 5%",
            f"{f['unchanged']['seconds'] / c:.0%}",
            f["unchanged"]["seconds"] / c <= 0.05,
        ),
        ("内存峰值（主进程加各工作进程，各规模最大）", "< 1024 MB", f"{peak:.0f} MB", peak < 1024),
        (f"每个工作簿 {large} / {small}", "≤ 1.3×", f"{per:.2f}×", per <= 1.3),
    ]
    lines = [
        "",
        f"Targets ({size} workbooks):",
        "",
        "| 目标 | 要求 | 本次 | 达到 |",
        "| --- | --- | --- | --- |",
    ]
    return lines + [
        f"| {name} | {want} | {got} | {'是' if ok else '否'} |" for name, want, got, ok in rows
    ]


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100,1000")
    parser.add_argument("--results", type=Path, default=None)
    parser.add_argument("--one", nargs=3, metavar=("JOB", "CORPUS", "OUT"))
    args = parser.parse_args(argv)
    if args.one:
        job, corpus, out = args.one
        one(job, Path(corpus), Path(out))
        return 0
    results = {}
    for size in (int(s) for s in args.sizes.split(",")):
        print(f"{size} 个工作簿……", file=sys.stderr, flush=True)
        results[size] = size_run(size)
    text = report(results)
    print(text)
    if args.results:
        args.results.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
