"""The files departments really send: each gets its own clear finding, none stops a run.

Every fixture is made here, in code, from the samples: cut, corrupted, renamed, converted by
LibreOffice, edited with openpyxl or in the sheet XML the way other programs write it.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import pandas as pd
import pytest

import bptools.reader
from bptools import Consolidation, Finding, consolidate
from bptools.errors import TooLarge, UnreadableWorkbook, UnsupportedFormat
from bptools.merge import department_summary
from bptools.model import Project
from bptools.package import MAX_PART_BYTES
from bptools.reader import read_workbook
from bptools.schema import COLUMNS_BY_KEY, HEADER_FIELDS

from .conftest import SAMPLES, MakeWorkbook
from .test_office import soffice

ORG = SAMPLES / "107-中国共产党重庆市北碚区委员会组织部.xlsx"  # one project, sheet 项目1
DPF = SAMPLES / "404-重庆市北碚区残疾人联合会.xlsx"  # four projects
SHEET = "xl/worksheets/sheet2.xml"  # 项目1 of a sample
MB = 1 << 20
READER_RULES = ("BP004", "BP005", "BP006", "BP106", "BP110", "BP111", "BP112")
READER_RULES += ("BP113", "BP114", "BP115")


def copy_sample(tmp_path: Path, name: str = "组织部.xlsx", sample: Path = ORG) -> Path:
    return Path(shutil.copy(sample, tmp_path / name))


def edit_part(path: Path, part: str, edit: Callable[[bytes], bytes]) -> Path:
    """Rewrite one member of a zip package, as another program would have written it."""
    with zipfile.ZipFile(path) as source:
        members = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in members:
            target.writestr(info, edit(data) if info.filename == part else data)
    return path


def replace_once(old: bytes, new: bytes) -> Callable[[bytes], bytes]:
    def edit(data: bytes) -> bytes:
        assert data.count(old) == 1, old
        return data.replace(old, new)

    return edit


Worksheet = openpyxl.worksheet.worksheet.Worksheet


def edit_sheet(path: Path, change: Callable[[Worksheet], None]) -> Path:
    """Change the sample's 项目1 as a department would in Excel (openpyxl saves it)."""
    wb = openpyxl.load_workbook(path)
    change(wb["项目1"])
    wb.save(path)
    return path


def mine(result: Consolidation) -> list[Finding]:
    return [f for f in result.findings if f.rule_id in READER_RULES]


def located(findings: list[Finding]) -> list[tuple[str, str, str, str]]:
    return [(f.rule_id, f.sheet, f.cell, f.value) for f in findings]


# --- Files that cannot be used, side by side with a good one --------------------------------


def bomb(path: Path, size: int = 20 * MB) -> Path:
    """The sample with its project sheet inflating to `size` bytes of blanks (≈1000:1)."""
    with zipfile.ZipFile(ORG) as source:
        members = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in members:
            if info.filename != SHEET:
                target.writestr(info, data)
        with target.open(SHEET, "w") as sheet:
            for _ in range(size // MB):
                sheet.write(b" " * MB)
    return path


def declare_size(path: Path, part: str, size: int) -> Path:
    """Change the uncompressed size the central directory declares for `part`."""
    data = bytearray(path.read_bytes())
    name = part.encode()
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + length] == name:
            struct.pack_into("<I", data, at + 24, size)
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))
    return path


def not_a_template(path: Path) -> Path:
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "金额"])
    wb.save(path)
    return path


def test_bad_files_each_get_their_own_finding_and_the_run_goes_on(
    tmp_path: Path, make_workbook: MakeWorkbook
) -> None:
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    good = copy_sample(inbox)
    (inbox / "截断.xlsx").write_bytes(ORG.read_bytes()[:5000])
    (inbox / "空文件.xlsx").write_bytes(b"")
    (inbox / "网页.xls").write_bytes(b"<html><body><table><tr><td>1</td></tr></table></html>")
    (inbox / "导出.xls").write_bytes("单位,项目\n107,碚有引力\n".encode("gb18030"))
    (inbox / "扫描件.xls").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    bomb(inbox / "炸弹.xlsx")
    not_a_template(inbox / "通讯录.xlsx")
    shutil.copy(make_workbook(name="blank.xlsx"), inbox / "空白模板.xlsx")

    result = consolidate([inbox])

    assert [s.label for s in result.files if s.ok] == ["空白模板.xlsx", good.name]
    assert len(result.batch.projects) == 1 and result.batch.projects["file"].tolist() == [
        good.name
    ]
    by_file = {f.file: (f.rule_id, f.value) for f in result.findings if f.rule_id < "BP100"}
    ratio = by_file["炸弹.xlsx"][1]  # the ratio depends on the zlib build
    assert by_file == {
        "截断.xlsx": ("BP001", "文件不完整或已损坏（可能在下载、复制或发送时被截断）"),
        "空文件.xlsx": ("BP001", "文件是空的（0 字节）"),
        "网页.xls": ("BP002", "文件实际是网页（HTML/XML）格式，只是扩展名为 .xls"),
        "导出.xls": ("BP002", "文件实际是文本（CSV/TXT）格式，只是扩展名为 .xls"),
        "扫描件.xls": ("BP002", "文件实际是 PDF 文档，只是扩展名为 .xls"),
        "通讯录.xlsx": ("BP003", "工作簿中没有绩效目标表"),
        "空白模板.xlsx": ("BP006", "项目1、项目2、项目3"),
        "炸弹.xlsx": ("BP004", ratio),
    }
    assert re.fullmatch(
        rf"其中“{SHEET}”压缩比达 1\d\d\d:1（解压后 20.0 MB），疑似“压缩炸弹”", ratio
    )


def test_a_file_that_cannot_be_read_keeps_the_department_its_name_gives(tmp_path: Path) -> None:
    """The clerk must know whom to call: “107-….xlsx” cut short is still 107's file."""
    named = tmp_path / ORG.name
    named.write_bytes(ORG.read_bytes()[:5000])
    (tmp_path / "水利局.xlsx").write_bytes(ORG.read_bytes()[:5000])
    result = consolidate([tmp_path])
    assert {f.file: f.unit for f in result.findings} == {ORG.name: ORG.stem, "水利局.xlsx": ""}
    # It has its row among the departments (and so its sheet), with no projects.
    (row,) = department_summary(result.batch, result.findings).to_dict("records")
    assert (row["unit_label"], row["unit_code"], row["projects"], row["错误"]) == (
        ORG.stem,
        "107",
        0,
        1,
    )


# --- Decompression bombs and absurd sizes: refused before calamine sees them --------------


@pytest.fixture
def no_calamine(monkeypatch: pytest.MonkeyPatch) -> None:
    """Opening the workbook at all fails the test: the refusal must come before parsing."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("calamine was asked to open a file that should be refused")

    monkeypatch.setattr(bptools.reader, "_open", refuse)


@pytest.mark.usefixtures("no_calamine")
def test_compression_bomb_is_refused_from_the_central_directory(tmp_path: Path) -> None:
    path = bomb(tmp_path / "bomb.xlsx", size=8 * MB)
    with pytest.raises(TooLarge, match="压缩炸弹"):
        read_workbook(path)


@pytest.mark.usefixtures("no_calamine")
def test_declared_sizes_over_the_limits_are_refused(tmp_path: Path) -> None:
    path = declare_size(copy_sample(tmp_path), SHEET, 3_000_000_000)
    with pytest.raises(TooLarge, match=r"解压后共 2861\.\d MB，超过 300\.0 MB 的上限"):
        read_workbook(path)
    path = declare_size(copy_sample(tmp_path), SHEET, MAX_PART_BYTES + 1)
    with pytest.raises(TooLarge, match=r"其中“xl/worksheets/sheet2.xml”解压后为 100.0 MB"):
        read_workbook(path)


def append_rows(rows: bytes) -> Callable[[bytes], bytes]:
    return replace_once(b"</sheetData>", rows + b"</sheetData>")


MAIN_NS = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"


@pytest.mark.parametrize(
    "row",
    [
        b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>',
        b"<row r='1048576'><c r='XFD1048576' t='n'><v>1</v></c></row>",
    ],
    ids=["excel", "single-quotes"],
)
def test_a_value_in_the_last_cell_of_the_sheet_is_left_out(
    tmp_path: Path, row: bytes, project: Project
) -> None:
    """calamine would allocate 1,048,576 × 16,384 cells and abort the whole process: the
    sheet is read from a copy without the cells beyond the area read, and that is said."""
    path = edit_part(copy_sample(tmp_path), SHEET, append_rows(row))
    before = path.read_bytes()
    (table,) = read_workbook(path).tables
    assert len(table.rows) == len(project.indicators)
    result = consolidate([path])
    (far,) = [f for f in result.findings if f.rule_id == "BP120"]
    assert (far.sheet, far.cell, far.value) == ("项目1", "", "XFD1048576")
    assert far.message == "工作表的内容延伸到 XFD1048576，只读取了 A1:BL5000 范围内的内容"
    assert path.read_bytes() == before


@pytest.mark.usefixtures("no_calamine")
@pytest.mark.parametrize(
    "row",
    [
        b'<row r="1048576"><c s="1" r="XFD1048576"><v>1</v></c></row>',
        b'<row\nr="1048576"><c\nr="XFD1048576"><v>1</v></c></row>',
        b'<x:row xmlns:x="%s" r="1048576"><x:c r="XFD1048576"><x:v>1</x:v></x:c></x:row>'
        % MAIN_NS,
    ],
    ids=["r-not-first", "line-breaks", "prefixed"],
)
def test_a_far_value_written_unusually_is_refused(tmp_path: Path, row: bytes) -> None:
    """Tags that only the slow scan understands are not trimmed: the file is refused."""
    path = edit_part(copy_sample(tmp_path), SHEET, append_rows(row))
    with pytest.raises(TooLarge) as caught:
        read_workbook(path)
    assert str(caught.value) == (
        "工作表“项目1”的数据区域达 1048576 行 × 16384 列（最后一个有内容的单元格在 "
        "XFD1048576），超过可读取的上限"
    )


@pytest.mark.usefixtures("no_calamine")
def test_cells_without_references_are_placed_as_calamine_places_them(tmp_path: Path) -> None:
    # A row with a reference, then cells without one: they follow from column A.
    rows = b'<row r="1048576"><c t="inlineStr"><is><t>x</t></is></c><c><v>1</v></c></row>'
    path = edit_part(copy_sample(tmp_path), SHEET, append_rows(rows))
    with pytest.raises(TooLarge, match="1048576 行 × 8 列"):
        read_workbook(path)


@pytest.mark.usefixtures("no_calamine")
def test_shared_strings_declaring_billions_of_entries_are_refused(tmp_path: Path) -> None:
    path = edit_part(
        copy_sample(tmp_path),
        "xl/sharedStrings.xml",
        lambda data: re.sub(rb'uniqueCount="\d+"', b'uniqueCount="4000000000"', data),
    )
    with pytest.raises(TooLarge, match="4000000000 个不同的文字内容"):
        read_workbook(path)


def test_a_sheet_just_within_the_limits_reads(tmp_path: Path, project: Project) -> None:
    """A stray value far down column H (WPS users reach row 600,000 by accident)."""
    path = edit_part(
        copy_sample(tmp_path),
        SHEET,
        append_rows(b'<row r="600000"><c r="H600000" t="inlineStr"><is><t>x</t></is></c></row>'),
    )
    (table,) = read_workbook(path).tables
    assert len(table.rows) == len(project.indicators)


def lie_about(path: Path, part: str, size: int) -> Path:
    """Make both headers of `part` declare `size` bytes, with the CRC of its first `size`
    bytes: zipfile then reads that much without complaint."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        local = archive.getinfo(part).header_offset
        crc, name = zipfile.crc32(archive.read(part)[:size]), part.encode()
    struct.pack_into("<I", data, local + 14, crc)
    struct.pack_into("<I", data, local + 22, size)
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + length] == name:
            struct.pack_into("<I", data, at + 16, crc)
            struct.pack_into("<I", data, at + 24, size)
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))
    return path


def test_a_member_larger_than_declared_is_unreadable(tmp_path: Path) -> None:
    """A sheet inflating past the size its headers declare, hiding a value at XFD1048576 in
    the undeclared part: calamine stops at the declared size with an error."""
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    path = edit_part(copy_sample(tmp_path), SHEET, append_rows(far))
    with zipfile.ZipFile(path) as archive:
        size = archive.read(SHEET).index(far)
    lie_about(path, SHEET, size)
    with pytest.raises(UnreadableWorkbook, match="文件已损坏或不完整"):
        read_workbook(path)


def test_a_corrupted_member_is_unreadable(tmp_path: Path) -> None:
    path = copy_sample(tmp_path)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(SHEET)
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for offset in range(start + 200, start + 260):
        data[offset] ^= 0x55
    path.write_bytes(bytes(data))
    with pytest.raises(UnreadableWorkbook, match="文件不完整或已损坏"):
        read_workbook(path)


@pytest.mark.parametrize(
    ("content", "what"),
    [
        ("单位\t项目\n107\t碚有引力\n".encode("utf-16"), "文本"),
        (b"%PDF-1.4\n", "PDF"),
    ],
)
def test_other_documents_named_xls_are_recognised(
    tmp_path: Path, content: bytes, what: str
) -> None:
    path = tmp_path / "export.xls"
    path.write_bytes(content)
    with pytest.raises(UnsupportedFormat, match=what):
        read_workbook(path)


def test_a_word_document_named_xlsx_is_recognised(tmp_path: Path) -> None:
    path = tmp_path / "说明.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(UnsupportedFormat, match="Word 文档"):
        read_workbook(path)


# --- Legacy formats and encrypted workbooks, made by LibreOffice --------------------------

_BASIC = """
Sub Store(doc, target As String, filterName As String, password As String)
  Dim secret(1) As New com.sun.star.beans.NamedValue
  secret(0).Name = "OOXPassword"
  secret(0).Value = password
  secret(1).Name = "CryptoType"
  secret(1).Value = "StrongEncryptionDataSpace"
  Dim args(1) As New com.sun.star.beans.PropertyValue
  args(0).Name = "FilterName"
  args(0).Value = filterName
  If password = "" Then
    args(1).Name = "Overwrite"
    args(1).Value = True
  ElseIf filterName = "MS Excel 97" Then
    args(1).Name = "Password"
    args(1).Value = password
  Else
    args(1).Name = "EncryptionData"
    args(1).Value = secret()
  End If
  doc.storeToURL(ConvertToURL(target), args())
End Sub

Sub MakeFixtures(source As String, outdir As String)
  On Error GoTo Failed
  Dim hidden(0) As New com.sun.star.beans.PropertyValue
  hidden(0).Name = "Hidden"
  hidden(0).Value = True
  doc = StarDesktop.loadComponentFromURL(ConvertToURL(source), "_blank", 0, hidden())
  Store(doc, outdir + "/legacy.xls", "MS Excel 97", "")
  Store(doc, outdir + "/legacy.ods", "calc8", "")
  Store(doc, outdir + "/locked.xlsx", "Calc MS Excel 2007 XML", "secret")
  Store(doc, outdir + "/locked.xls", "MS Excel 97", "secret")
  doc.close(True)
  Exit Sub
Failed:
  n = FreeFile
  Open outdir + "/error.txt" For Output As #n
  Print #n, Err & " " & Error$ & " line " & Erl
  Close #n
  StarDesktop.terminate()
End Sub
"""
OFFICE_COPIES = ("legacy.xls", "legacy.ods", "locked.xlsx", "locked.xls")


def basic_module(code: str) -> str:
    """A Basic module as LibreOffice keeps it in a profile (an .xba file)."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN"'
        ' "module.dtd">\n'
        '<script:module xmlns:script="http://openoffice.org/2000/script"'
        ' script:name="Module1" script:language="StarBasic">'
        + escape(code, {'"': "&quot;"})
        + "</script:module>\n"
    )


@pytest.fixture(scope="session")
def office_copies(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """DPF saved by LibreOffice as .xls and .ods, and with an open password as .xlsx and .xls.

    Saving with a password needs the UNO API, so a Basic macro is put in a fresh profile.
    """
    office = soffice()
    folder = tmp_path_factory.mktemp("office")
    profile = folder / "profile"
    source = Path(shutil.copy(DPF, folder / "sample.xlsx"))
    base = [office, f"-env:UserInstallation=file://{profile}", "--headless"]
    subprocess.run([*base, "--terminate_after_init"], check=True, capture_output=True, timeout=300)
    module = profile / "user" / "basic" / "Standard" / "Module1.xba"
    module.write_text(basic_module(_BASIC), "utf-8")
    macro = f'macro:///Standard.Module1.MakeFixtures("{source}","{folder}")'
    subprocess.run([*base, macro], check=True, capture_output=True, timeout=300)
    error = folder / "error.txt"
    assert not error.exists(), error.read_text(errors="replace")
    copies = {name: folder / name for name in OFFICE_COPIES}
    missing = [name for name, path in copies.items() if not path.exists()]
    assert not missing, f"LibreOffice did not write {missing}"
    return copies


def content(result: Consolidation) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What was read, normalized, with every cell address: what must not depend on format."""
    header = [c for f in HEADER_FIELDS for c in (f.key, f"{f.key}__cell")]
    columns = [c for key in COLUMNS_BY_KEY for c in (key, f"{key}__cell")]
    projects = result.batch.projects[["sheet", "unit_label", "project", *header]]
    indicators = result.batch.indicators[["sheet", "seq", "row", *columns, "target_num"]]
    return projects.reset_index(drop=True), indicators.reset_index(drop=True)


@pytest.mark.parametrize(
    ("name", "kind"),
    [("legacy.xls", "Excel 97-2003 工作簿"), ("legacy.ods", "OpenDocument 电子表格")],
)
def test_legacy_formats_read_like_the_xlsx(
    office_copies: dict[str, Path], name: str, kind: str
) -> None:
    legacy = consolidate([office_copies[name]])
    expected = consolidate([DPF])
    for got, want in zip(content(legacy), content(expected), strict=True):
        pd.testing.assert_frame_equal(got, want, check_dtype=False)
    assert len(legacy.batch.projects) == 4
    (finding,) = [f for f in legacy.findings if f.rule_id == "BP005"]
    suffix = name[-4:]
    assert finding.message == f"文件是“{suffix}”格式（{kind}），已正常读取，建议另存为 .xlsx 格式"
    assert (finding.sheet, finding.cell) == ("", "")
    assert [f.rule_id for f in expected.findings if f.rule_id == "BP005"] == []


def test_wps_workbooks_are_read_when_they_can_be(
    office_copies: dict[str, Path], tmp_path: Path
) -> None:
    """WPS saves .et; what python-calamine can read is read (BP005 says to save as .xlsx),
    what it cannot is told how to get it read. Both are found in a folder."""
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    shutil.copy(office_copies["legacy.xls"], inbox / "残联.et")
    (inbox / "坏的.ett").write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 4000)
    result = consolidate([inbox])
    assert len(result.batch.projects) == 4
    by_file = {f.file: (f.rule_id, f.message) for f in result.findings if f.rule_id < "BP100"}
    assert by_file == {
        "残联.et": ("BP005", "文件是“.et”格式（WPS 表格），已正常读取，建议另存为 .xlsx 格式"),
        "坏的.ett": (
            "BP002",
            "文件格式不支持：这个 WPS 表格文件无法直接读取，请在 WPS 中“另存为” Excel 工作簿"
            "（.xlsx）后重新提交",
        ),
    }


def test_an_xls_named_xlsx_reads_by_its_content(
    office_copies: dict[str, Path], tmp_path: Path
) -> None:
    renamed = Path(shutil.copy(office_copies["legacy.xls"], tmp_path / "改了扩展名.xlsx"))
    result = consolidate([renamed])
    assert len(result.batch.projects) == 4
    assert [f.value for f in result.findings if f.rule_id == "BP005"] == [".xls"]


def test_an_ods_repeating_a_cell_a_hundred_billion_times_is_refused(
    office_copies: dict[str, Path], tmp_path: Path
) -> None:
    repeated = (
        b'<table:table-row table:number-rows-repeated="100000000">'
        b'<table:table-cell office:value-type="string" table:number-columns-repeated="1000">'
        b"<text:p>x</text:p></table:table-cell></table:table-row></table:table>"
    )
    path = Path(shutil.copy(office_copies["legacy.ods"], tmp_path / "bomb.ods"))
    edit_part(path, "content.xml", lambda data: data.replace(b"</table:table>", repeated, 1))
    with pytest.raises(TooLarge, match="单元格过多"):
        read_workbook(path)


@pytest.mark.parametrize("name", ["locked.xlsx", "locked.xls"])
def test_password_protected_workbooks_say_so(office_copies: dict[str, Path], name: str) -> None:
    with pytest.raises(UnsupportedFormat, match="打开密码"):
        read_workbook(office_copies[name])
    (finding,) = consolidate([office_copies[name]]).findings
    assert finding.rule_id == "BP002" and "密码" in finding.message


# --- How a project sheet was filled in ---------------------------------------------------


def reader_findings(path: Path) -> list[Finding]:
    return mine(consolidate([path]))


def test_the_samples_hold_none_of_these(sample_result: Consolidation) -> None:
    assert mine(sample_result) == []


def test_a_renamed_label_is_reported_not_read_as_blank(tmp_path: Path) -> None:
    path = edit_sheet(copy_sample(tmp_path), lambda ws: ws.__setitem__("E3", "主管部门"))
    result = consolidate([path])
    (finding,) = mine(result)
    assert located([finding]) == [("BP106", "项目1", "E3", "主管部门")]
    assert finding.message == "找不到栏目“业务主管部门”，无法读取该项内容"
    assert (finding.unit, finding.project) == (
        "107-中国共产党重庆市北碚区委员会组织部",
        "碚有引力专项资金",
    )
    (record,) = result.batch.projects.to_dict("records")
    assert record["supervisor__cell"] == ""  # the mark that the label, not the value, is missing


def test_labels_written_a_little_differently_still_read(tmp_path: Path) -> None:
    def retype(ws: Worksheet) -> None:
        ws["E3"] = "业务主管\n部门："
        ws["A5"] = "当年预算金额 "
        ws["G10"] = "权重"

    path = edit_sheet(copy_sample(tmp_path), retype)
    assert reader_findings(path) == []


def test_a_long_text_typed_after_its_label_in_one_cell_reads(tmp_path: Path) -> None:
    overview = "保障实施“碚有引力”产业聚才计划、“缙云英才”支持计划、“智汇北碚”行动。" * 3

    def one_cell(ws: Worksheet) -> None:
        ws["A6"] = f"项目概述：{overview}"
        ws["B6"] = None

    result = consolidate([edit_sheet(copy_sample(tmp_path), one_cell)])
    assert mine(result) == []
    (record,) = result.batch.projects.to_dict("records")
    assert (record["overview"], record["overview__cell"]) == (overview, "A6")


def test_a_missing_label_is_not_also_reported_as_unfilled(tmp_path: Path) -> None:
    path = edit_sheet(copy_sample(tmp_path), lambda ws: ws.__setitem__("E3", "主管部门"))
    assert [f.cell for f in consolidate([path]).findings if f.rule_id == "BP101"] == []


def test_a_renamed_indicator_column_is_reported(tmp_path: Path, project: Project) -> None:
    path = edit_sheet(copy_sample(tmp_path), lambda ws: ws.__setitem__("G10", "分值"))
    result = consolidate([path])
    assert located(mine(result)) == [("BP106", "项目1", "G10", "分值")]
    assert mine(result)[0].message == "找不到栏目“权重（%）”，无法读取该项内容"
    assert result.batch.indicators["weight__cell"].eq("").all()
    assert len(result.batch.indicators) == len(project.indicators)


def test_a_missing_column_is_not_also_reported_on_every_row(tmp_path: Path) -> None:
    path = edit_sheet(copy_sample(tmp_path), lambda ws: ws.__setitem__("G10", "分值"))
    assert [f.cell for f in consolidate([path]).findings if f.rule_id == "BP104"] == []


def test_a_missing_indicator_header_is_reported(tmp_path: Path) -> None:
    path = edit_sheet(copy_sample(tmp_path), lambda ws: ws.__setitem__("C10", "指标名称"))
    result = consolidate([path])
    (finding,) = mine(result)
    assert located([finding]) == [("BP115", "项目1", "A10", "")]
    assert finding.message == (
        "找不到绩效指标表的表头（应有“三级指标”“指标值”等列名），无法读取指标"
    )
    (record,) = result.batch.projects.to_dict("records")
    assert (record["indicators__cell"], record["n_indicators"]) == ("", 0)


def test_a_missing_header_is_not_also_reported_as_no_indicators(tmp_path: Path) -> None:
    path = edit_sheet(copy_sample(tmp_path), lambda ws: ws.__setitem__("C10", "指标名称"))
    assert [f for f in consolidate([path]).findings if f.rule_id == "BP103"] == []


def test_a_missing_money_unit_is_noted(tmp_path: Path) -> None:
    path = edit_sheet(copy_sample(tmp_path), lambda ws: ws.__setitem__("G2", None))
    (finding,) = reader_findings(path)
    assert located([finding]) == [("BP110", "项目1", "G2", "")]
    assert finding.message == "项目表中没有“单位：万元”的说明"
    near_miss = edit_sheet(
        copy_sample(tmp_path), lambda ws: ws.__setitem__("G2", "金额单位：万元")
    )
    assert reader_findings(near_miss) == []


def test_a_hidden_project_sheet_is_read_and_reported(tmp_path: Path) -> None:
    def hide(state: str) -> Path:
        path = copy_sample(tmp_path, f"{state}.xlsx")
        wb = openpyxl.load_workbook(path)
        wb.active = 0
        wb["项目1"].sheet_state = state
        wb.save(path)
        return path

    result = consolidate([hide("hidden")])
    assert result.batch.projects["project"].tolist() == ["碚有引力专项资金"]
    (finding,) = mine(result)
    assert located([finding]) == [("BP113", "项目1", "B3", "项目1")]
    assert finding.message == "工作表“项目1”已被隐藏，其中的项目已读取并汇总"
    (very,) = reader_findings(hide("veryHidden"))
    assert (
        very.message
        == "工作表“项目1”已被深度隐藏（只能在 VBA 中取消隐藏），其中的项目已读取并汇总"
    )


def test_merged_cells_are_read_from_their_top_left_cell(tmp_path: Path, project: Project) -> None:
    def merge(ws: Worksheet) -> None:
        ws.merge_cells("A11:A12")  # two 效益指标 rows: A12 is emptied by the merge
        ws.merge_cells("A15:A20")  # the last row's 产出指标 carried into five empty rows

    path = edit_sheet(copy_sample(tmp_path), merge)
    result = consolidate([path])
    (finding,) = mine(result)
    assert located([finding]) == [("BP114", "项目1", "A11", "效益指标")]
    assert finding.message == "合并单元格 A11:A12 的内容“效益指标”已按合并区域内的每一格读取"
    indicators = result.batch.indicators
    assert len(indicators) == len(project.indicators)  # no rows made of a merge's copies
    second = indicators.iloc[1]
    assert (second["level1"], second["level1__cell"], second["name__cell"], second["row"]) == (
        "效益指标",
        "A11",
        "C12",
        12,
    )
    assert not [f for f in result.findings if f.rule_id == "BP104"]


def formula_in(cell: str, xml: bytes) -> Callable[[bytes], bytes]:
    """Put `xml` (a formula and maybe a result) into `cell` of the sample's 项目1."""

    def edit(data: bytes) -> bytes:
        return re.sub(
            rb'(<c r="%s" s="\d+")(?: t="\w+")?>.*?</c>' % cell.encode(),
            rb"\1>" + xml + b"</c>",
            data,
            count=1,
        )

    return edit


def test_a_formula_without_result_is_not_read_as_blank_or_zero(tmp_path: Path) -> None:
    path = edit_sheet(copy_sample(tmp_path), lambda ws: ws.__setitem__("B5", "=F4+F5"))
    result = consolidate([path])
    (finding,) = mine(result)
    assert located([finding]) == [("BP111", "项目1", "B5", "=F4+F5")]
    assert finding.message == (
        "公式“=F4+F5”未计算，无法读取其结果，请在 Excel/WPS 中打开并保存后重交"
    )
    (record,) = result.batch.projects.to_dict("records")
    assert record["budget__raw"] == "=F4+F5"


def without_recalculation(path: Path) -> Path:
    """As Excel or WPS saves: no request to recalculate every formula on opening."""
    return edit_part(path, "xl/workbook.xml", replace_once(b' fullCalcOnLoad="1"', b""))


@pytest.mark.parametrize(
    ("xml", "recalculate", "rule"),
    [
        (b"<f>F4+F5</f>", False, "BP111"),
        (b"<f>F4+F5</f><v></v>", False, "BP111"),
        # XlsxWriter writes 0 as the result and asks Excel to recalculate on opening.
        (b"<f>F4+F5</f><v>0</v>", True, "BP111"),
        (b"<f>F4+F5</f><v>50</v>", False, "BP112"),
    ],
)
def test_formula_results_are_used_only_when_the_file_has_them(
    tmp_path: Path, xml: bytes, recalculate: bool, rule: str
) -> None:
    path = edit_part(copy_sample(tmp_path), SHEET, formula_in("B5", xml))
    if not recalculate:
        without_recalculation(path)
    result = consolidate([path])
    assert [(f.rule_id, f.cell) for f in mine(result)] == [(rule, "B5")]
    budget = 50.0 if rule == "BP112" else "=F4+F5"
    (record,) = result.batch.projects.to_dict("records")
    assert record["budget__raw"] == budget


def test_a_formula_in_an_indicator_cell(tmp_path: Path) -> None:
    path = edit_part(copy_sample(tmp_path), SHEET, formula_in("G11", b"<f>100-90</f><v>0</v>"))
    assert located(reader_findings(path)) == [("BP111", "项目1", "G11", "=100-90")]


def test_a_formula_with_its_result_is_read_and_noted(tmp_path: Path) -> None:
    path = edit_part(copy_sample(tmp_path), SHEET, formula_in("B5", b"<f>F4+F5</f><v>50</v>"))
    result = consolidate([without_recalculation(path)])
    (finding,) = mine(result)
    assert located([finding]) == [("BP112", "项目1", "B5", "50")]
    assert finding.message == "单元格中是公式“=F4+F5”，已按文件中保存的计算结果“50”读取"
    assert result.batch.projects["budget"].tolist() == [50.0]


def test_formulas_outside_the_cells_read_are_not_noted(tmp_path: Path) -> None:
    path = edit_part(
        copy_sample(tmp_path), SHEET, append_rows(b'<row r="60"><c r="J60"><f>1+1</f></c></row>')
    )
    assert reader_findings(path) == []  # nor the template's own totals (G41, G42)


def test_a_blank_template_sent_back_is_reported(
    make_workbook: MakeWorkbook, project: Project
) -> None:
    result = consolidate([make_workbook(name="空白.xlsx")])
    assert located(result.findings) == [("BP006", "项目1", "B3", "项目1、项目2、项目3")]
    assert result.findings[0].message == "工作簿中的 3 个项目表都没有填写：“项目1、项目2、项目3”"
    partly = consolidate([make_workbook(project, name="部分.xlsx")])
    assert not [f for f in partly.findings if f.rule_id == "BP006"]


def test_another_years_template_reads(make_workbook: MakeWorkbook, project: Project) -> None:
    (table,) = read_workbook(make_workbook(project, year=2022)).tables
    assert table.title.value == "2022 年区级重点专项绩效目标表（一级项目）"
    assert [row["name"].value for row in table.rows] == [i.name for i in project.indicators]


def test_a_table_pushed_far_down_on_a_renamed_sheet_reads(
    tmp_path: Path, project: Project
) -> None:
    def push(ws: Worksheet) -> None:
        ws.title = "碚有引力"
        ws.insert_rows(1, amount=40)  # above the title
        ws.insert_rows(50, amount=200)  # between 当年绩效目标 and 绩效指标

    path = edit_sheet(copy_sample(tmp_path), push)
    result = consolidate([path])
    (record,) = result.batch.projects.to_dict("records")
    assert (record["sheet"], record["year"], record["name__cell"]) == ("碚有引力", 2023, "B43")
    assert record["indicators__cell"] == "A250"
    assert result.batch.indicators["name"].tolist() == [i.name for i in project.indicators]
    assert result.batch.indicators["row"].tolist() == list(range(251, 256))


def test_wps_files_read_like_the_original(tmp_path: Path, project: Project) -> None:
    """WPS writes a dimension of A1:A1 and thousands of empty formatted rows."""
    rows = b"".join(
        b'<row r="%d">' % r
        + b"".join(b'<c r="%s%d" s="9"/>' % (c.encode(), r) for c in "ABCDEFGH")
        + b"</row>"
        for r in range(43, 5043)
    )
    path = edit_part(copy_sample(tmp_path), SHEET, append_rows(rows))
    edit_part(
        path,
        SHEET,
        lambda data: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:A1"/>', data),
    )
    (table,) = read_workbook(path).tables
    (original,) = read_workbook(ORG).tables
    assert table == original


def test_numbers_stored_as_text_are_read_with_what_was_typed(tmp_path: Path) -> None:
    def as_text(ws: Worksheet) -> None:
        ws["B5"] = "1,234.50"
        ws["F4"] = "１２３４.５"
        ws["F11"] = "95%"

    path = edit_sheet(copy_sample(tmp_path), as_text)
    result = consolidate([path])
    (record,) = result.batch.projects.to_dict("records")
    assert (record["budget"], record["budget__raw"]) == (1234.5, "1,234.50")
    assert (record["retained"], record["retained__raw"]) == (1234.5, "１２３４.５")
    first = result.batch.indicators.iloc[0]
    assert (first["target_num"], first["target__raw"]) == (95.0, "95%")
