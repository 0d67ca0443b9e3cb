"""Everything we write opens in a real office suite (LibreOffice, headless)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from bptools import consolidate, write_template
from bptools.report import write_report

from .conftest import SAMPLES


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is missing: `make test` installs it (make office)")
        pytest.skip("LibreOffice not installed (run `make office`)")
    return found


def to_pdf(paths: list[Path], outdir: Path) -> list[Path]:
    profile = outdir / "profile"
    subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *map(str, paths),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return [outdir / f"{p.stem}.pdf" for p in paths]


def test_template_sample_and_report_convert_to_pdf(tmp_path: Path) -> None:
    template = write_template(tmp_path / "template.xlsx", 2023)
    sample = SAMPLES / "404-重庆市北碚区残疾人联合会.xlsx"
    report = write_report(consolidate([SAMPLES]), tmp_path / "out")
    pdfs = to_pdf([template, sample, report], tmp_path / "pdf")
    # 填表说明 + 3 project sheets; 填表说明 + 4 projects; overview, 2 tables, 19 departments.
    minimum_pages = {template.stem: 4, sample.stem: 5, report.stem: 22}
    for pdf in pdfs:
        assert pdf.exists(), f"LibreOffice could not convert {pdf.stem}"
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF")
        assert len(re.findall(rb"/Type\s*/Page[^s]", data)) >= minimum_pages[pdf.stem]
