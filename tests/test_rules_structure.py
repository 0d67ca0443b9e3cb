"""BP105-BP109: template year, placeholder text, and the 立项依据 list."""

from __future__ import annotations

import re
from collections.abc import Callable

import openpyxl

from bptools import RULES, Consolidation, Finding, Severity, consolidate
from bptools.config import Config
from bptools.merge import build_batch
from bptools.model import Project
from bptools.rules import run_rules

from .conftest import SAMPLES, MakeWorkbook

Findings = Callable[..., list[Finding]]
ORGANIZATION = "107-中国共产党重庆市北碚区委员会组织部"
OLD_TITLE = "2022 年区级重点专项绩效目标表（一级项目）"


def only(result: Consolidation, rule: str) -> list[Finding]:
    return [f for f in result.findings if f.rule_id == rule]


def messages(found: list[Finding]) -> list[tuple[str, str, str]]:
    return [(f.rule_id, f.cell, f.message) for f in found]


# BP105 title-year


def test_template_of_another_year_among_this_years_files(
    make_workbook: MakeWorkbook, project: Project
) -> None:
    old = make_workbook(project, year=2022, name="组织部-旧模板.xlsx")
    result = consolidate([SAMPLES, old])
    assert result.year == 2023  # the year most titles carry
    (finding,) = only(result, "BP105")
    assert (finding.file, finding.sheet, finding.cell) == ("组织部-旧模板.xlsx", "项目1", "A1")
    assert finding.severity is Severity.ERROR
    assert finding.value == OLD_TITLE
    assert finding.message == f"表格标题“{OLD_TITLE}”是 2022 年的，本次填报的是 2023 年绩效目标表"
    assert (finding.unit, finding.project) == (ORGANIZATION, "碚有引力专项资金")


def test_every_sheet_of_an_old_template_is_reported_when_the_year_is_given(
    make_workbook: MakeWorkbook, sample_projects: list[Project]
) -> None:
    old = make_workbook(*sample_projects[1:3], year=2022)
    result = consolidate([old], year=2023)
    assert [(f.sheet, f.cell) for f in only(result, "BP105")] == [("项目1", "A1"), ("项目2", "A1")]


def test_a_batch_of_one_year_passes(make_workbook: MakeWorkbook, project: Project) -> None:
    # Without a configured year the batch's year is its titles' year: nothing to report.
    assert only(consolidate([make_workbook(project, year=2022)]), "BP105") == []
    assert only(consolidate([make_workbook(project)], year=2023), "BP105") == []


def test_a_missing_title_is_not_reported(make_workbook: MakeWorkbook, project: Project) -> None:
    # Decision: only a title that names another year is reported. A title deleted or without
    # a year cannot tell the template's year, and the sheet is still read by its labels.
    path = make_workbook(project, year=2022)
    book = openpyxl.load_workbook(path)
    book["项目1"]["A1"] = "区级重点专项绩效目标表（一级项目）"
    book.save(path)
    result = consolidate([path], year=2023)
    assert result.batch.projects["year"].isna().all()
    assert only(result, "BP105") == []


def test_samples_are_all_of_the_budget_year(sample_result: Consolidation) -> None:
    assert sample_result.year == 2023
    assert only(sample_result, "BP105") == []


# BP107 text-placeholder


def test_placeholder_goals_and_overview(findings: Findings, project: Project) -> None:
    found = findings(project, rule="BP107", overview="无", goals="——")
    assert messages(found) == [
        ("BP107", "B6", "“项目概述”只填了“无”，没有实际内容"),
        ("BP107", "B8", "“当年绩效目标”只填了“——”，没有实际内容"),
    ]
    assert found[0].severity is Severity.ERROR


def test_numbered_placeholders_are_placeholders(findings: Findings, project: Project) -> None:
    found = findings(project, rule="BP107", goals="1.略\n2.*\n3. xx")
    assert [(f.cell, f.value) for f in found] == [("B8", "1.略\n2.*\n3. xx")]


def test_real_text_and_blank_text_are_not_placeholders(
    findings: Findings, project: Project
) -> None:
    assert findings(project, rule="BP107", goals="无公害防治率达到82%以上。") == []
    assert findings(project, rule="BP107", overview="略有增加：1.完成研修") == []
    # A blank goal is BP101's, not a placeholder.
    rule_ids = [f.rule_id for f in findings(project, goals=" ")]
    assert "BP101" in rule_ids and "BP107" not in rule_ids


def test_placeholder_words_are_configurable(make_workbook: MakeWorkbook, project: Project) -> None:
    path = make_workbook(project, goals="待定")
    assert len(only(consolidate([path]), "BP107")) == 1
    config = Config(params={"BP107": {"words": ["无", "略"]}})
    assert only(consolidate([path], config=config), "BP107") == []


def test_samples_have_no_placeholder_text(sample_result: Consolidation) -> None:
    assert only(sample_result, "BP107") == []


# BP108 basis-format

DAMAGED_BASIS = (
    "《关于印发重庆市城市更新管理办法的通知》（渝府发﹝2021﹞15号）",
    "1.《残疾人就业条例》",
    "区政府第71次常务会议纪要（第71期)",
    "《国务院关于印发“十四五”残疾人保障和发展规划的通知》（国发（2021）10号）",
    "《关于加强道路交通安全设施规划建设管理的通知》(北碚府办发〔2014〕27号)",
    "《关于印发重庆市城市更新管理办法的通知》（渝府发〔2021〕15号）；",
    "《重庆市残疾人保障条例》、《中华人民共和国残疾人保障法》",
)


def test_basis_format(findings: Findings, project: Project) -> None:
    """One row for the cell, naming each line and what is wrong with it."""
    (found,) = findings(project, rule="BP108", basis=DAMAGED_BASIS)
    assert (found.cell, found.severity) == ("B7", Severity.INFO)
    assert found.message == (
        "立项依据有 6 条写法不规范："
        "第 1 条文号“渝府发﹝2021﹞15号”的年份应该用“〔〕”括起来；"
        "第 3 条不是“《文件名称》（文号）”的写法；"
        "第 3 条全角、半角括号混用；"
        "第 4 条文号“国发（2021）10号”的年份应该用“〔〕”括起来；"
        "第 5 条用了半角括号“()”；"
        "第 6 条与第 1 条重复；"
        "第 7 条一行写了多个文件，应每行一个"
    )
    assert found.value.split("\n") == [DAMAGED_BASIS[n].rstrip("；") for n in (0, 2, 3, 4, 5, 6)]
    assert found.hint.startswith("请逐条改正第 1、3、4、5、6、7 条：")


def test_a_repeated_basis_line_is_to_be_deleted(findings: Findings, project: Project) -> None:
    basis = (*project.basis, project.basis[0])
    (found,) = findings(project, rule="BP108", basis=basis)
    assert found.message == "立项依据第 7 条与第 1 条重复"
    assert found.hint == "请删去重复的第 7 条。"


def test_same_document_number_is_the_same_document(findings: Findings, project: Project) -> None:
    basis = (
        "《关于繁荣发展社会主义文艺的实施意见》（北碚委发〔2016〕8号）",
        "《实施意见》（北碚委发〔2016〕8号）",
    )
    (finding,) = findings(project, rule="BP108", basis=basis)
    assert (finding.value, finding.message) == (basis[1], "立项依据第 2 条与第 1 条重复")


def test_well_written_basis_passes(findings: Findings, project: Project) -> None:
    basis = (
        *project.basis,
        "《中华人民共和国残疾人保障法》",  # laws carry no 文号
        "《重庆市城市道路交通安全设施管理办法》（重庆市人民政府令第292号）",
        "《北碚区司法救助资金管理办法（试行）》（碚财〔2013〕497号）",
    )
    assert findings(project, rule="BP108", basis=basis) == []


def test_samples_basis_format(sample_result: Consolidation) -> None:
    found = [(f.project, f.message) for f in only(sample_result, "BP108")]
    assert found == [
        ("北碚区文艺工作专项经费", "立项依据第 3 条与第 1 条重复"),
        (
            "交通设施设备运维费",
            "立项依据有 3 条写法不规范：第 2 条用了半角括号“()”；"
            "第 3 条不是“《文件名称》（文号）”的写法；第 3 条全角、半角括号混用；"
            "第 9 条与第 5 条重复",
        ),
        ("破案打击专项经费", "立项依据第 4 条不是“《文件名称》（文号）”的写法"),
        (
            "应指工程运行维护费",
            "立项依据第 1、2 条不是“《文件名称》（文号）”的写法",  # one problem, said once
        ),
        ("农业发展专项", "立项依据第 7 条不是“《文件名称》（文号）”的写法"),
        (
            "北碚区城市提升",
            "立项依据有 2 条写法不规范：第 1 条文号“渝府发﹝2021﹞15号”的年份应该用“〔〕”括起来；"
            "第 4 条全角、半角括号混用",
        ),
        ("招商引资专项资金", "立项依据第 4 条全角、半角括号混用"),
        (
            "残疾人就业和社会保障服务",
            "立项依据第 2 条文号“国发（2021）10号”的年份应该用“〔〕”括起来",
        ),
    ]
    assert {f.cell for f in only(sample_result, "BP108")} == {"B7"}


# BP109 basis-stale

OLD_PLAN = (
    "《关于印发北碚区2021年度招商投资促进工作考核实施细则的通知》（北碚招投促组办发〔2021〕1号）"
)


def test_basis_stale(findings: Findings, project: Project) -> None:
    (finding,) = findings(project, rule="BP109", basis=(*project.basis, OLD_PLAN))
    assert (finding.cell, finding.value, finding.severity) == ("B7", OLD_PLAN, Severity.INFO)
    assert finding.message == "立项依据第 7 条适用于 2021 年，作为 2023 年项目的依据可能已过时"


def test_an_expired_period_is_stale(findings: Findings, project: Project) -> None:
    basis = ("《城市道路交通文明畅通提升行动计划（2017-2020）》（公通字〔2017〕16号）",)
    (finding,) = findings(project, rule="BP109", basis=basis)
    assert "适用于 2017—2020 年" in finding.message


def test_an_expired_five_year_plan_is_stale(findings: Findings, project: Project) -> None:
    basis = ("《重庆市突发事件应急体系建设“十三五”规划》", "《北碚区“十四五”人才发展规划》")
    (finding,) = findings(project, rule="BP109", basis=basis)
    assert (
        finding.message == "立项依据第 1 条适用于 2016—2020 年，作为 2023 年项目的依据可能已过时"
    )


def test_standing_documents_and_last_year_are_not_stale(
    findings: Findings, project: Project
) -> None:
    basis = (
        # last year's annual document is the usual basis of a budget made in autumn
        "《关于下达2022年度市级标准化试点示范项目计划的通知》（渝市监办发〔2022〕192号）",
        # a standing 办法 with an old 文号 and a law's revision year
        "《北碚区安全生产专项资金使用管理办法的通知》（北碚财〔2017〕202号）",
        "《重庆市安全生产工作条例（2016年修订）》",
        # a year outside the title (a meeting) and a plan running past the budget year
        "2014年区政府第34次常务会议纪要",
        "《北碚区城市更新工作方案（2021-2025年）》",
    )
    assert findings(project, rule="BP109", basis=basis) == []


def test_basis_age_is_configurable(make_workbook: MakeWorkbook, project: Project) -> None:
    path = make_workbook(project, basis=(OLD_PLAN,))
    assert len(only(consolidate([path]), "BP109")) == 1
    assert (
        only(consolidate([path], config=Config(params={"BP109": {"max_age": 2}})), "BP109") == []
    )


def test_samples_basis_stale(sample_result: Consolidation) -> None:
    stale = re.compile(r"立项依据第 (\S+) 条适用于 (\S+) 年")
    found = [
        (f.unit[:3], f.project, f.cell, *stale.fullmatch(f.message.split("，作为")[0]).groups())
        for f in only(sample_result, "BP109")
    ]
    assert found == [
        ("119", "商贸服务业发展专项", "B7", "2", "2016—2020"),  # “十三五”规划
        ("124", "交通设施设备运维费", "B7", "6", "2017—2020"),
        ("137", "农业发展专项", "B7", "4", "2020"),
        ("216", "招商引资专项资金", "B7", "1、2、3", "2021"),
        ("301", "巩固拓展脱贫攻坚成果同乡村振兴有效衔接", "B7", "1", "2021"),
        ("403", "基本公共卫生服务", "B7", "1、2", "2020、2021"),
    ]
    # 2022 documents (渝委督办〔2022〕12号 and others) are last year's: not reported.
    assert all("2022" not in f.value for f in only(sample_result, "BP109"))


def test_the_rules_of_issue_3_work_on_an_empty_batch() -> None:
    batch = build_batch([], [])
    batch.year = 2023
    ids = ("BP105", "BP107", "BP108", "BP109", "BP203", "BP204", "BP205", "BP801", "BP802")
    assert run_rules(batch, [RULES[rule_id] for rule_id in (*ids, "BP803")]) == []
