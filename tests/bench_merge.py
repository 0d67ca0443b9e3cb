"""`make bench`: how merge scales with the number of workbooks (not a test: timings are noisy).

Copies the 19 samples N times into a temporary inbox, then times each stage of a merge and
prints the time per workbook, each stage's share and the peak memory. Compare runs by the
ratios printed in one run, not by seconds across machines.
"""

from __future__ import annotations

import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bptools import consolidate
from bptools.config import Config
from bptools.feedback import write_feedback
from bptools.html import write_html
from bptools.report import write_report

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def main(copies: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        inbox, out = Path(tmp) / "inbox", Path(tmp) / "out"
        inbox.mkdir()
        for n in range(copies):
            for path in SAMPLES.glob("*.xlsx"):
                shutil.copy(path, inbox / f"{n:03d}-{path.name}")
        stages: dict[str, float] = {}
        start = time.perf_counter()
        # keep="all": the copies stay separate projects instead of superseding each other.
        result = consolidate([inbox], config=Config(keep="all"))
        stages["读取与审核"] = time.perf_counter() - start
        for name, write in (
            ("汇总工作簿", lambda: write_report(result, out)),
            ("网页版", lambda: write_html(result, out)),
            ("反馈副本", lambda: write_feedback(result, out)),
        ):
            start = time.perf_counter()
            write()
            stages[name] = time.perf_counter() - start
    files = len(result.files)
    total = sum(stages.values())
    print(
        f"{files} 个工作簿，{len(result.batch.projects)} 个项目，"
        f"{len(result.batch.indicators)} 条指标，{len(result.findings)} 条异常"
    )
    for name, seconds in stages.items():
        print(
            f"  {name:<6} {seconds:7.2f} s  {seconds / files * 1000:7.1f} ms/个  "
            f"{seconds / total:5.1%}"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  合计   {total:7.2f} s  {total / files * 1000:7.1f} ms/个；内存峰值 {peak:.0f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
