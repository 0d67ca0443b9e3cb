"""Everything we write opens in a real office suite (LibreOffice, headless), and the values
our formulas carry are the ones the suite computes."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from bptools import consolidate, write_template
from bptools.feedback import write_feedback
from bptools.publish import write_publish
from bptools.report import write_report
from bptools.write.book import new_workbook

from .conftest import SAMPLE_FILES, SAMPLES

# A profile that makes LibreOffice recalculate every formula when it loads a file, instead of
# trusting the cached values (its default for files it did not write itself varies).
RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
           xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
  <prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
  <prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is missing: `make test` installs it (make office)")
        pytest.skip("LibreOffice not installed (run `make office`)")
    return found


def convert(paths: list[Path], outdir: Path, target: str) -> list[Path]:
    """Convert with a private, recalculating profile; return the converted files."""
    profile = outdir / "profile"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(RECALC_ALWAYS, "utf-8")
    subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(outdir),
            *map(str, paths),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return [outdir / f"{p.stem}.{target.split(':')[0]}" for p in paths]


def pages(pdf: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))


def formula_values(path: Path) -> dict[tuple[str, str], object]:
    """The cached value of every formula cell, by (sheet, cell)."""
    formulas = openpyxl.load_workbook(path)
    values = openpyxl.load_workbook(path, data_only=True)
    return {
        (ws.title, cell.coordinate): values[ws.title][cell.coordinate].value
        for ws in formulas
        for row in ws.iter_rows()
        for cell in row
        if cell.data_type == "f"
    }


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("written")
    result = consolidate(SAMPLE_FILES)
    copies = write_feedback(result, out)
    return {
        "template": write_template(out / "template.xlsx", 2023),
        "sample": SAMPLES / "404-重庆市北碚区残疾人联合会.xlsx",
        "report": write_report(result, out),
        "feedback": next(p for p in copies if p.name.startswith("404-")),
        "publish": write_publish(result, out),
    }


def test_every_workbook_converts_to_pdf(written: dict[str, Path], tmp_path: Path) -> None:
    pdfs = dict(zip(written, convert(list(written.values()), tmp_path, "pdf"), strict=True))
    # 填表说明 + 3 project sheets; 填表说明 + 4 projects; overview, 2 tables, 19 departments;
    # 审核意见 + 填表说明 + 4 projects; one page per project.
    minimum = {"template": 4, "sample": 5, "report": 22, "feedback": 6, "publish": 29}
    for name, pdf in pdfs.items():
        assert pdf.exists(), f"LibreOffice could not convert the {name}"
        assert pdf.read_bytes().startswith(b"%PDF")
        assert pages(pdf) >= minimum[name], name


def test_recalculated_formulas_equal_cached_values(
    written: dict[str, Path], tmp_path: Path
) -> None:
    ours = {name: written[name] for name in ("template", "sample", "report")}
    recalculated = convert(list(ours.values()), tmp_path, "xlsx")
    for (name, path), again in zip(ours.items(), recalculated, strict=True):
        cached, computed = formula_values(path), formula_values(again)
        assert cached, f"{name} has no formulas to check"
        assert computed.keys() >= cached.keys()
        differing = {k: (v, computed[k]) for k, v in cached.items() if computed[k] != v}
        assert differing == {}, name


def test_the_recalculation_check_can_fail(tmp_path: Path) -> None:
    path = tmp_path / "wrong.xlsx"
    wb = new_workbook(path)
    wb.add_worksheet("表").write_formula("A1", "=1+1", None, 5)  # a wrong cached value
    wb.close()
    (again,) = convert([path], tmp_path / "out", "xlsx")
    assert formula_values(path) == {("表", "A1"): 5}
    assert formula_values(again) == {("表", "A1"): 2}
