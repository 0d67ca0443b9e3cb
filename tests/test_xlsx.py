"""Shared workbook helpers: sheet titles, CJK widths, atomic output."""

from __future__ import annotations

from pathlib import Path

import pytest

from bptools.errors import OutputError
from bptools.write.book import safe_sheet_title
from bptools.write.output import atomic_output
from bptools.write.style import fitted_height, text_width


def test_sheet_titles_are_valid_and_unique() -> None:
    taken = {"总览"}
    long = "404-重庆市北碚区残疾人联合会康复服务中心及其下属的各个事业单位汇总"
    first = safe_sheet_title(long, taken)
    second = safe_sheet_title(long, taken)
    assert len(first) == len(second) == 31
    assert first != second and second.endswith("(2)")
    assert safe_sheet_title("a/b:c*d?e[f]g\\h", taken) == "a_b_c_d_e_f_g_h"
    assert safe_sheet_title("总览", taken) == "总览(2)"
    assert safe_sheet_title("ABC", taken) == "ABC"
    assert safe_sheet_title("abc", taken) == "abc(2)"  # Excel ignores case


def test_text_width_counts_chinese_double() -> None:
    assert text_width("abc") == 3
    assert text_width("项目汇总") == 8
    assert text_width("短\n长一些的行") == 10
    assert fitted_height("字" * 40, 20, minimum=15) > fitted_height("字" * 5, 20, minimum=15)


def test_atomic_output_keeps_the_old_file_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_output(target) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("crash")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]
    with atomic_output(target) as tmp:
        tmp.write_bytes(b"new")
    assert target.read_bytes() == b"new"


def test_a_locked_target_gets_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def locked(self: Path, target: Path) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "replace", locked)
    with (
        pytest.raises(OutputError, match=r"请先关闭 out\.xlsx"),
        atomic_output(tmp_path / "out.xlsx") as tmp,
    ):
        tmp.write_bytes(b"new")
