"""The submission ledger (收件台账) over rounds of real submissions: copies of the samples,
resubmitted fixed, renamed, damaged and removed, with and without a roster."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from bptools.cli import cli
from bptools.config import Config
from bptools.inputs import collect_inputs
from bptools.ledger import LEDGER_NAME, load
from bptools.ledger_view import NEEDS_FIX, PASSED, REMOVED, REPLACED, UNREADABLE
from bptools.outputs import Merged, merge_into
from bptools.report import LEDGER_SHEET
from bptools.roster import RosterError, members, read_roster
from bptools.write.lease import held

from .conftest import SAMPLE_FILES, SAMPLES

DISABLED = "404-重庆市北碚区残疾人联合会.xlsx"  # 5 错误, two of them in 项目2
PROMOTION = "216-重庆市北碚区招商投资促进局.xlsx"  # 1 错误
REPORT = "2023年绩效目标汇总.xlsx"
EXTRA = "500-重庆市北碚区统计局"  # on the roster, never submits


def _merge(inbox: Path, out: Path, config: Config | None = None) -> Merged:
    return merge_into(collect_inputs([inbox]), out, config, html=False, feedback=False)


def _fix_two(path: Path) -> None:
    """The department's answer to feedback: 项目2's 400 % becomes 100 and 扶持就业人数's
    unit 人 (rules BP508 and BP511), nothing else."""
    wb = openpyxl.load_workbook(path)
    wb["项目2"]["F17"] = 100
    wb["项目2"]["D20"] = "人"
    wb.save(path)


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "收件箱"
    folder.mkdir()
    for path in SAMPLE_FILES:
        shutil.copy2(path, folder / path.name)
    return folder


def _entries(out: Path, name: str) -> list:
    return [e for e in load(out / LEDGER_NAME).entries if e.name == name]


def test_first_round_lists_every_file_with_its_status(inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "汇总结果"
    ledger = _merge(inbox, out).result.ledger
    assert ledger is not None
    assert len(ledger.entries) == len(SAMPLE_FILES) == len(ledger.standings)
    assert {e.round for e in ledger.entries} == {1}
    failing = {e.name for e in ledger.entries if e.status == NEEDS_FIX}
    assert failing == {DISABLED, PROMOTION}
    assert all(e.status == PASSED for e in ledger.entries if e.name not in failing)
    disabled = next(e for e in ledger.entries if e.name == DISABLED)
    assert disabled.counts["错误"] == 5 and disabled.fixed == disabled.new == []
    wb = openpyxl.load_workbook(out / REPORT, read_only=True)
    assert wb.sheetnames[:2] == ["总览", LEDGER_SHEET]
    rows = list(wb[LEDGER_SHEET].iter_rows(values_only=True))
    assert rows[0][:5] == ("单位", "文件名", "第几次\n报送", "收到时间", "状态")
    assert len(rows) == 1 + len(SAMPLE_FILES)
    assert rows[-1][:3] == ("404-重庆市北碚区残疾人联合会", DISABLED, 1)


def test_a_resubmission_that_fixes_two_findings_is_round_two(inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "汇总结果"
    _merge(inbox, out)
    _fix_two(inbox / DISABLED)  # saved over the first version, as departments do
    ledger = _merge(inbox, out).result.ledger
    assert ledger is not None
    first, second = sorted(_entries(out, DISABLED), key=lambda e: e.received + str(e.round))
    assert (first.round, first.status, first.present) == (1, REPLACED, False)
    assert (second.round, second.status, second.counts["错误"]) == (2, NEEDS_FIX, 3)
    assert len(second.fixed) == 2 and second.new == []
    assert any("BP508" in f and "资金及时拨付率" in f for f in second.fixed)
    assert any("BP511" in f and "扶持就业人数" in f for f in second.fixed)
    standing = next(s for s in ledger.standings if s.unit.startswith("404-"))
    assert (standing.rounds, standing.status, standing.counts["错误"]) == (2, NEEDS_FIX, 3)
    # The other departments did not send anything new: still their first round.
    assert {e.round for e in ledger.entries if e.name != DISABLED} == {1}
    rows = list(openpyxl.load_workbook(out / REPORT, read_only=True)[LEDGER_SHEET].values)
    row = next(r for r in rows if r[1] == DISABLED and r[2] == 2)
    assert row[8:10] == (2, 0)  # 已改正, 新出现
    assert "已改正：BP508" in row[10] and "新出现" not in row[10]


def test_a_renamed_file_is_the_same_submission(inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "汇总结果"
    _merge(inbox, out)
    (inbox / PROMOTION).rename(inbox / "招商局-终稿.xlsx")
    ledger = _merge(inbox, out).result.ledger
    assert ledger is not None
    assert len(ledger.entries) == len(SAMPLE_FILES)
    entry = next(e for e in ledger.entries if e.unit.startswith("216-"))
    assert (entry.name, entry.round, entry.present) == ("招商局-终稿.xlsx", 1, True)


def test_unreadable_and_removed_files(inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "汇总结果"
    _merge(inbox, out)
    (inbox / PROMOTION).unlink()
    broken = inbox / "501-重庆市北碚区审计局.xlsx"
    broken.write_bytes((SAMPLES / DISABLED).read_bytes()[:5000])  # a copy that broke off
    ledger = _merge(inbox, out).result.ledger
    assert ledger is not None
    removed = next(e for e in ledger.entries if e.name == PROMOTION)
    assert (removed.status, removed.present) == (REMOVED, False)
    unreadable = next(e for e in ledger.entries if e.name == broken.name)
    assert (unreadable.status, unreadable.unit, unreadable.round) == (
        UNREADABLE,
        "501-重庆市北碚区审计局",
        1,
    )
    units = {s.unit: s.status for s in ledger.standings}
    assert units["216-重庆市北碚区招商投资促进局"] == REMOVED
    assert units["501-重庆市北碚区审计局"] == UNREADABLE


def test_the_ledger_survives_a_restart_and_keeps_rounds(inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "汇总结果"
    view = _merge(inbox, out).result.ledger
    assert view is not None and load(out / LEDGER_NAME) == view
    again = _merge(inbox, out).result.ledger  # nothing changed: nothing new
    assert again is not None and again.digest == view.digest


def test_a_roster_names_the_missing_departments(inbox: Path, tmp_path: Path) -> None:
    roster = tmp_path / "部门名单.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["单位编码", "单位名称"])
    for path in SAMPLE_FILES:
        code, name = path.stem.split("-", 1)
        wb.active.append([int(code), name])
    wb.active.append([500, "重庆市北碚区统计局"])
    wb.save(roster)
    assert len(read_roster(roster)) == len(SAMPLE_FILES) + 1
    (inbox / PROMOTION).unlink()
    out = tmp_path / "汇总结果"
    config = Config(roster=read_roster(roster))
    ledger = _merge(inbox, out, config).result.ledger
    assert ledger is not None
    assert [m.label for m in ledger.missing] == ["216-重庆市北碚区招商投资促进局", EXTRA]
    assert [s.unit for s in ledger.with_errors] == ["404-重庆市北碚区残疾人联合会"]
    overview = list(openpyxl.load_workbook(out / REPORT)["总览"].values)
    waiting = [r[:2] for r in overview if r[1] in ("未报送", "需修改")]
    assert waiting == [
        ("216-重庆市北碚区招商投资促进局", "未报送"),
        (EXTRA, "未报送"),
        ("404-重庆市北碚区残疾人联合会", "需修改"),
    ]
    ledger_rows = list(openpyxl.load_workbook(out / REPORT)[LEDGER_SHEET].values)
    assert ledger_rows[-1][:5] == (EXTRA, None, None, None, "未报送")
    run = CliRunner().invoke(cli, ["status", str(out), "--json"])
    assert run.exit_code == 0, run.output
    status = json.loads(run.output)
    assert status["missing"] == ["216-重庆市北碚区招商投资促进局", EXTRA]
    assert status["with_errors"] == ["404-重庆市北碚区残疾人联合会"]
    text = CliRunner().invoke(cli, ["status", str(out)]).output
    assert "未报送（2 个）" in text and EXTRA in text and "需修改" in text


def test_a_roster_in_the_config_matches_by_code_whatever_the_name(tmp_path: Path) -> None:
    (tmp_path / "bptools.toml").write_text(
        'roster = ["106-宣传部", "107", "重庆市北碚区信访办公室"]\n', encoding="utf-8"
    )
    inbox = tmp_path
    for path in SAMPLE_FILES[:2]:
        shutil.copy2(path, inbox / path.name)
    run = CliRunner().invoke(cli, ["merge", str(inbox), "-o", str(tmp_path / "out")])
    assert run.exit_code == 0, run.output
    ledger = load(tmp_path / "out" / LEDGER_NAME)
    assert [m.label for m in ledger.missing] == ["重庆市北碚区信访办公室"]
    assert "名单 3 个，未报送 1 个" in run.output


def test_a_damaged_ledger_is_kept_aside_and_the_merge_goes_on(inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "汇总结果"
    out.mkdir()
    (out / LEDGER_NAME).write_bytes(b"not a database" * 100)
    run = CliRunner().invoke(cli, ["merge", str(inbox), "-o", str(out), "--fail-on", "never"])
    assert run.exit_code == 0, run.output
    assert "收件台账" in run.output and "已损坏" in run.output
    assert (out / REPORT).is_file()
    assert [p.name for p in out.glob(f"{LEDGER_NAME}.损坏-*")]
    again = CliRunner().invoke(cli, ["merge", str(inbox), "-o", str(out), "--fail-on", "never"])
    assert "已报送 19 个部门" in again.output  # a new ledger from the next run on


def test_status_without_a_ledger_says_what_to_do(tmp_path: Path) -> None:
    run = CliRunner().invoke(cli, ["status", str(tmp_path)])
    assert run.exit_code == 2
    assert "没有收件台账" in run.output and "bptools merge" in run.output


def test_a_folder_being_watched_refuses_another_writer(inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "汇总结果"
    hold = "from bptools.write.lease import held; from pathlib import Path; import sys\n"
    hold += "with held(Path(sys.argv[1])): "
    hold += "print('held', flush=True); sys.stdin.read()"
    holder = subprocess.Popen(  # a watch of another process holds the folder
        [sys.executable, "-c", hold.replace("sys.argv[1]", repr(str(out)))],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        run = CliRunner().invoke(cli, ["merge", str(inbox), "-o", str(out)])
        published = CliRunner().invoke(cli, ["publish", str(inbox), "-o", str(out)])
    finally:
        holder.communicate("", timeout=30)
    assert published.exit_code == 3 and "另一个 bptools watch" in published.output
    assert run.exit_code == 3
    assert "另一个 bptools watch" in run.output and "Ctrl-C" in run.output
    assert not (out / REPORT).exists()
    with held(out):  # once it stopped, the folder is free; and its own runs go through
        assert _merge(inbox, out).written.report.is_file()


def test_roster_entries_are_read_in_every_form() -> None:
    found = members(["106-宣传部", "107", " 重庆市北碚区信访办公室 ", "", "106－宣传部"])
    assert [m.label for m in found] == ["106-宣传部", "107", "重庆市北碚区信访办公室"]


def test_hostile_file_names_stay_text_in_the_ledger(inbox: Path, tmp_path: Path) -> None:
    for n, name in enumerate(('=HYPERLINK("x","y").xlsx', "@SUM(1).xlsx")):
        shutil.copy2(SAMPLE_FILES[n], inbox / name)
        (inbox / SAMPLE_FILES[n].name).unlink()
    out = tmp_path / "汇总结果"
    merge_into(collect_inputs([inbox]), out, html=True, feedback=False)
    ws = openpyxl.load_workbook(out / REPORT)[LEDGER_SHEET]
    names = {ws.cell(row, 2).value: ws.cell(row, 2) for row in range(2, ws.max_row + 1)}
    for name in ('=HYPERLINK("x","y").xlsx', "@SUM(1).xlsx"):
        assert names[name].data_type == "s" and names[name].quotePrefix
    assert not ws._hyperlinks
    page = (out / REPORT.replace(".xlsx", ".html")).read_text(encoding="utf-8")
    assert 'id="ledger"' in page and "=HYPERLINK(&#34;x&#34;,&#34;y&#34;).xlsx" in page


def test_a_round_that_cannot_be_read_fixes_nothing(inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "汇总结果"
    _merge(inbox, out)
    good = (inbox / DISABLED).read_bytes()
    (inbox / DISABLED).write_bytes(good[:15000])  # a resubmission that broke off
    ledger = _merge(inbox, out).result.ledger
    assert ledger is not None
    broken = next(e for e in ledger.entries if e.name == DISABLED and e.present)
    assert (broken.round, broken.status, broken.fixed, broken.new) == (2, UNREADABLE, [], [])
    assert "404-重庆市北碚区残疾人联合会" in [s.unit for s in ledger.with_errors]
    (inbox / DISABLED).write_bytes(good)
    _fix_two(inbox / DISABLED)  # the next round is compared with the last one read
    ledger = _merge(inbox, out).result.ledger
    assert ledger is not None
    third = next(e for e in ledger.entries if e.name == DISABLED and e.present)
    assert (third.round, len(third.fixed), third.new) == (3, 2, [])


def test_a_newer_copy_beside_the_old_one(inbox: Path, tmp_path: Path) -> None:
    """A department sends "v2" beside its first file: the old one's counts are kept, the
    new round is not blamed for the old file's 已被新版本取代 hints."""
    out = tmp_path / "汇总结果"
    first = _merge(inbox, out).result.ledger
    assert first is not None
    before = next(e for e in first.entries if e.name == DISABLED)
    newer = inbox / DISABLED.replace(".xlsx", "_v2.xlsx")
    shutil.copy2(inbox / DISABLED, newer)
    _fix_two(newer)
    ledger = _merge(inbox, out).result.ledger
    assert ledger is not None
    old = next(e for e in ledger.entries if e.name == DISABLED)
    assert (old.status, old.counts) == (REPLACED, before.counts)
    second = next(e for e in ledger.entries if e.name == newer.name)
    assert second.round == 2 and len(second.fixed) == 2
    assert not [f for f in second.new if "BP902" in f]


def test_a_run_stopped_before_its_outputs_leaves_the_ledger_as_they_are(
    inbox: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "汇总结果"
    _merge(inbox, out)
    before = load(out / LEDGER_NAME)
    _fix_two(inbox / DISABLED)

    def stopped(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt  # Ctrl-C while the outputs are written

    monkeypatch.setattr("bptools.outputs.write_outputs", stopped)
    with pytest.raises(KeyboardInterrupt):
        _merge(inbox, out)
    assert load(out / LEDGER_NAME) == before
    monkeypatch.undo()
    ledger = _merge(inbox, out).result.ledger  # the next run records the round
    assert ledger is not None and max(e.round or 0 for e in ledger.entries) == 2


def test_a_roster_beside_the_config_is_no_submission(inbox: Path, tmp_path: Path) -> None:
    (inbox / "部门名单.txt").write_text(
        "\n".join(["107 中国共产党重庆市北碚区委员会组织部", "500-重庆市北碚区统计局"]),
        encoding="utf-8",
    )
    wb = openpyxl.Workbook()
    wb.active.append(["编制单位"])
    wb.active.append(["106-中国共产党重庆市北碚区委员会宣传部"])
    wb.save(inbox / "部门名单.xlsx")
    (inbox / "~WRL0005.tmp").write_bytes(b"Word saving")  # Office's temporary file
    (inbox / "bptools.toml").write_text('roster = "部门名单.xlsx"\n', encoding="utf-8")
    out = tmp_path / "汇总结果"
    run = CliRunner().invoke(cli, ["merge", str(inbox), "-o", str(out), "--fail-on", "never"])
    assert run.exit_code == 0, run.output
    assert "部门名单.xlsx" not in run.output and "无法使用 0 个" in run.output
    assert "跳过临时/锁定文件 2 个" in run.output and "非工作簿 1 个" in run.output  # tmp, toml
    ledger = load(out / LEDGER_NAME)
    assert [m.label for m in ledger.roster] == ["106-中国共产党重庆市北碚区委员会宣传部"]
    status = CliRunner().invoke(cli, ["status", str(out), "--roster", str(inbox / "部门名单.txt")])
    assert "未报送（1 个）" in status.output and "500-重庆市北碚区统计局" in status.output


def test_a_workbook_without_a_roster_header_is_refused(tmp_path: Path) -> None:
    report = tmp_path / "汇总结果"
    _merge(SAMPLES, report)
    with pytest.raises(RosterError, match="没有“单位编码”或“单位名称”表头"):
        read_roster(report / REPORT)
    broken = tmp_path / "名单.xlsx"
    broken.write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(RosterError, match="不是能打开的工作簿"):
        read_roster(broken)
