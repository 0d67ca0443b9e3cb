"""Reading filled workbooks as departments really fill them."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from bptools.errors import NotTemplate, UnreadableWorkbook, UnsupportedFormat
from bptools.model import Project
from bptools.reader import read_workbook
from bptools.records import project_rows

from .conftest import SAMPLES, MakeWorkbook

ORG = SAMPLES / "107-中国共产党重庆市北碚区委员会组织部.xlsx"


def copy_sample(tmp_path: Path, name: str = "组织部.xlsx") -> Path:
    return Path(shutil.copy(ORG, tmp_path / name))


def test_inserted_rows_and_renamed_sheet_still_read(tmp_path: Path, project: Project) -> None:
    path = copy_sample(tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb["项目1"]
    ws.title = "碚有引力"
    ws.insert_rows(9, amount=3)  # above the 绩效指标 section
    wb.save(path)
    (table,) = read_workbook(path).tables
    assert table.sheet == "碚有引力"
    assert table.header_ref == "A13"
    assert [row["name"].value for row in table.rows] == [i.name for i in project.indicators]
    assert table.rows[0]["name"].ref == "C14"
    assert table.fields["name"].value == project.name
    assert table.fields["name"].ref == "B3"


def test_published_layout_with_label_and_value_in_one_cell(tmp_path: Path) -> None:
    """A table pasted from the published document: "编制单位：107-…" is a single cell."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2023 年区级重点专项绩效目标表（一级项目）"])
    ws.append(["编制单位：107-中国共产党重庆市北碚区委员会组织部", None, None, None, "单位：万元"])
    ws.append(["一级项目名称", "碚有引力专项资金", "业务主管部门", "组织部"])
    ws.append(["预算执行率权重", 10, "部门留用", 50])
    ws.append(["当年预算金额", 50, "补助街镇", 0])
    ws.append(["项目概述", "概述"])
    ws.append(["立项依据", "《办法》（渝人社发〔2017〕187号）"])
    ws.append(["当年绩效目标", "目标"])
    ws.append(["绩效指标"])
    ws.append(
        [
            "一级\n指标",
            "二级指标",
            "三级指标",
            "计量\n单位",
            "指标\n性质",
            "指标\n值",
            "权重\n（%）",
            "是否核\n心指标",
        ]
    )
    ws.append(["产出\n指标", "数量指标", "举行专家人\n才国情研修\n次数", "次", "≥", 1, 90, "是"])
    path = tmp_path / "pasted.xlsx"
    wb.save(path)
    (table,) = read_workbook(path).tables
    project, rows, _ = project_rows(table, file="pasted.xlsx", project_id="0/Sheet")
    assert project["unit_code"] == "107"
    assert project["unit_name"] == "中国共产党重庆市北碚区委员会组织部"
    assert project["year"] == 2023
    assert project["supervisor"] == "组织部"
    assert project["budget"] == 50
    assert rows[0]["name"] == "举行专家人才国情研修次数"
    assert rows[0]["level1"] == "产出指标"
    assert rows[0]["weight"] == 90


def test_text_typed_values_are_normalized_and_raw_kept(
    make_workbook: MakeWorkbook, project: Project
) -> None:
    path = make_workbook(
        project,
        unit="107－中国共产党重庆市北碚区委员会组织部",
        indicators={0: {"op": ">=", "core": "Y", "target": "95%", "level1": "效益"}},
    )
    wb = openpyxl.load_workbook(path)
    wb["项目1"]["B5"] = "５０.００"  # typed as text, full width
    wb.save(path)
    (table,) = read_workbook(path).tables
    record, rows, _ = project_rows(table, file=path.name, project_id="0/项目1")
    assert (record["unit_code"], record["budget"], record["budget__raw"]) == (
        "107",
        50.0,
        "５０.００",
    )
    assert record["budget__cell"] == "B5"
    first = rows[0]
    assert (first["op"], first["op__raw"]) == ("≥", ">=")
    assert (first["core"], first["core__raw"]) == ("是", "Y")
    assert (first["target_num"], first["target__raw"]) == (95.0, "95%")
    assert (first["level1"], first["level1__raw"]) == ("效益指标", "效益")
    assert first["op__cell"] == "E11"


def test_blank_rows_inside_the_table_are_skipped(tmp_path: Path, project: Project) -> None:
    path = copy_sample(tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb["项目1"]
    ws.insert_rows(13, amount=2)  # two empty rows between the 2nd and 3rd indicator
    wb.save(path)
    (table,) = read_workbook(path).tables
    assert len(table.rows) == len(project.indicators)
    assert table.rows[2]["name"].ref == "C15"


def test_workbook_without_tables_is_not_a_template(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "金额"])
    path = tmp_path / "other.xlsx"
    wb.save(path)
    with pytest.raises(NotTemplate):
        read_workbook(path)


def test_truncated_workbook_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "cut.xlsx"
    path.write_bytes(ORG.read_bytes()[:4000])
    with pytest.raises(UnreadableWorkbook):
        read_workbook(path)


def test_zip_that_is_not_a_workbook_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(UnreadableWorkbook):
        read_workbook(path)


def test_empty_file_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    with pytest.raises(UnreadableWorkbook, match="空"):
        read_workbook(path)


@pytest.mark.parametrize(
    ("content", "what"),
    [
        (b"<html><body><table><tr><td>1</td></tr></table></body></html>", "HTML"),
        ("单位,项目\n107,碚有引力\n".encode("gb18030"), "文本"),
        ("单位,项目\n107,碚有引力\n".encode(), "文本"),
    ],
)
def test_exports_named_xls_are_recognised(tmp_path: Path, content: bytes, what: str) -> None:
    path = tmp_path / "export.xls"
    path.write_bytes(content)
    with pytest.raises(UnsupportedFormat, match=what):
        read_workbook(path)
