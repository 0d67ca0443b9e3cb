"""BP801-BP803: duplicate, overlapping and bundled indicator names."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest

from bptools import Consolidation, Finding, Severity
from bptools.model import Project

Findings = Callable[..., list[Finding]]
# Table 1 (组织部) rows, from C11: 发放各项奖补覆盖率 % ≥95, 各项补助经费兑现率 % ≥95,
# 补助对象满意度 定性, 是否清退往年聚才计划奖补 定性, 举行专家人才国情研修次数 次 ≥1.


def only(result: Consolidation, rule: str) -> list[Finding]:
    return [f for f in result.findings if f.rule_id == rule]


# BP801 duplicate-indicator


def test_duplicate_indicator(findings: Findings, project: Project) -> None:
    (finding,) = findings(project, rule="BP801", indicators={1: {"name": "发放各项 奖补覆盖率"}})
    assert (finding.cell, finding.related, finding.severity) == ("C12", "C11", Severity.ERROR)
    assert finding.message == "三级指标“发放各项 奖补覆盖率”与第 1 个指标（C11 单元格）重名"


def test_every_later_copy_names_the_first(findings: Findings, project: Project) -> None:
    changes = {
        2: {"name": "补助对象满意度（家属）"},
        3: {"name": "补助对象满意度(家属)"},
        4: {"name": "补助对象满意度 （家属）"},
    }
    found = findings(project, rule="BP801", indicators=changes)
    assert [(f.cell, f.related) for f in found] == [("C14", "C13"), ("C15", "C13")]


def test_different_names_are_no_duplicates(findings: Findings, project: Project) -> None:
    assert findings(project, rule="BP801") == []
    assert findings(project, rule="BP801", indicators={1: {"name": "发放各项奖补覆盖率2"}}) == []


def test_the_same_name_in_two_tables_is_no_duplicate(findings: Findings, project: Project) -> None:
    other = dataclasses.replace(project, name="另一个专项")
    assert findings(project, other, rule="BP801") == []


def test_samples_duplicate_indicator(sample_result: Consolidation) -> None:
    found = [(f.unit, f.project, f.cell, f.related, f.value) for f in only(sample_result, "BP801")]
    assert found == [
        (
            "404-重庆市北碚区残疾人联合会",
            "残疾人就业和社会保障服务",
            "C28",
            "C17",
            "资金及时拨付率",
        )
    ]


# BP802 near-duplicate


def test_name_contained_in_another(findings: Findings, project: Project) -> None:
    changes = {1: {"name": "街镇发放各项奖补覆盖率", "target": "90"}}
    (finding,) = findings(project, rule="BP802", indicators=changes)
    assert (finding.cell, finding.related, finding.severity) == ("C12", "C11", Severity.INFO)
    assert finding.message == (
        "三级指标“街镇发放各项奖补覆盖率”与第 1 个指标“发放各项奖补覆盖率”"
        "的名称相互包含，计量单位相同，请确认是否重复"
    )


def test_contained_name_with_another_unit_is_another_indicator(
    findings: Findings, project: Project
) -> None:
    # A count and a rate of the same thing are two indicators.
    changes = {4: {"name": "发放各项奖补覆盖率次数"}}
    assert findings(project, rule="BP802", indicators=changes) == []


@pytest.mark.parametrize(
    ("first", "second", "reported"),
    [
        ("区域自动站资料传输及时率", "区域自动站观测数据传输率", True),
        # parallel indicators: another subject, or another measure of one subject
        ("特扶资金到位率", "奖扶资金到位率", False),
        ("2型糖尿病患者基层规范管理服务率", "高血压患者基层规范管理服务率", False),
        ("群众安全感", "群众幸福感", False),
        ("签约居民对基本公共卫生服务满意度", "签约居民基本公卫服务受益率", False),
    ],
)
def test_similar_names_with_the_same_unit_and_value(
    findings: Findings, project: Project, first: str, second: str, reported: bool
) -> None:
    changes = {0: {"name": first, "target": "96"}, 1: {"name": second, "target": "96"}}
    found = findings(project, rule="BP802", indicators=changes)
    assert [(f.cell, f.related) for f in found] == ([("C12", "C11")] if reported else [])
    if reported:
        assert "的名称相近，计量单位和指标值都相同" in found[0].message


def test_similar_names_with_different_values(findings: Findings, project: Project) -> None:
    changes = {
        0: {"name": "区域自动站资料传输及时率", "target": "96"},
        1: {"name": "区域自动站观测数据传输率", "target": "95"},
    }
    assert findings(project, rule="BP802", indicators=changes) == []


def test_the_same_thing_in_other_words(findings: Findings, project: Project) -> None:
    """Duplicates by meaning: the only two indicators in 册, about publishing books."""
    books = {
        3: {"level1": "产出指标", "level2": "数量指标", "name": "出版诗集", "unit": "册"},
        4: {"name": "计划出版书籍", "unit": "册", "op": "＝", "target": "10"},
    }
    books[3] |= {"op": "≥", "target": "1"}
    (finding,) = findings(project, rule="BP802", indicators=books)
    assert (finding.cell, finding.related) == ("C15", "C14")
    assert finding.message == (
        "三级指标“计划出版书籍”与第 4 个指标“出版诗集”说法不同，但都以“册”计，可能说的是同一件事，"
        "请确认是否重复"
    )
    # Two different things counted in one unit are not: 管护 and 建立示范 rivers (条).
    rivers = {
        3: {"level1": "产出指标", "level2": "数量指标", "name": "管护河流数", "unit": "条"},
        4: {"name": "建立示范河流数", "unit": "条", "op": "＝", "target": "1"},
    }
    rivers[3] |= {"op": "＝", "target": "114"}
    assert findings(project, rule="BP802", indicators=rivers) == []


def test_samples_near_duplicates(sample_result: Consolidation) -> None:
    found = [(f.project, f.cell, f.related, f.value) for f in only(sample_result, "BP802")]
    assert found == [
        ("北碚区文艺工作专项经费", "C16", "C14", "计划出版书籍"),  # 出版诗集, 册
        # Not 信访's two 化解率: the goal gives one its own number (100 %), so they differ,
        # and the BP811 row on that indicator says so.
        ("扫黑除恶专项经费", "C14", "C12", "新媒体宣传次数"),
        ("安全生产专项", "C15", "C11", "项目安全生产事故死亡人数"),
        ("气象业务维持专项经费", "C13", "C11", "区域自动站观测数据传输率"),
        # 保障区级长训运动员人数 ＝ 5 and 长训运动员数量 ＝ 24: one count, two numbers.
        ("残疾人文化体育宣传服务", "C18", "C17", "长训运动员数量"),
    ]
    athletes = only(sample_result, "BP802")[-1]
    assert athletes.message == (
        "三级指标“长训运动员数量”与第 7 个指标“保障区级长训运动员人数”都衡量“长训运动员”"
        "（＝ 24 人、＝ 5 人），请确认是否重复"
    )


# BP804 benefit-repeats-output


def test_a_benefit_that_repeats_an_output(findings: Findings, project: Project) -> None:
    """The same medals as an output and as a benefit: one row, BP804's, not BP802's."""
    medals = {
        0: {"name": "重大赛事运动员获奖牌数", "unit": "块", "op": "≥", "target": "5"},
        4: {"name": "获得奖牌数", "unit": "块", "op": "≥", "target": "5"},
    }
    found = findings(project, rule="BP80", indicators=medals)
    assert [(f.rule_id, f.cell, f.related, f.severity) for f in found] == [
        ("BP804", "C11", "C15", Severity.WARNING)
    ]
    assert found[0].message == (
        "效益指标“重大赛事运动员获奖牌数”与产出指标“获得奖牌数”都是 5 块，是把产出数量又算作了效益"
    )
    # Another number, a rate, or a small number with nothing in common: two indicators.
    for change in ({"target": "3"}, {"unit": "%"}, {"name": "引进人才人数", "unit": "块"}):
        changed = medals | {0: medals[0] | change}
        assert findings(project, rule="BP804", indicators=changed) == [], change


def test_samples_benefits_repeating_outputs(sample_result: Consolidation) -> None:
    found = [(f.project, f.cell, f.related, f.value) for f in only(sample_result, "BP804")]
    assert found == [
        # 获奖牌数 (of 运动员 at 重大赛事) and 获得奖牌数, both ≥ 5 块.
        ("残疾人文化体育宣传服务", "C15", "C16", "国内外重大体育赛事残疾人运动员获奖牌数"),
        # 掌握残疾人需求和服务情况人数 ＝ 14200 restates 调查残疾人人数 ≥ 14200.
        ("其他残疾人事业支出", "C17", "C21", "掌握残疾人需求和服务情况人数"),
    ]


# BP803 compound-name


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "提升知名度、美誉度",
            "三级指标“提升知名度、美誉度”同时衡量“提升知名度”和“提升美誉度”，建议拆成 2 个指标",
        ),
        (
            "北碚城市知名度和美誉度",  # the second part takes the subject of the first
            "三级指标“北碚城市知名度和美誉度”同时衡量“北碚城市知名度”和“北碚城市美誉度”，"
            "建议拆成 2 个指标",
        ),
        (
            "覆盖率、兑现率及满意度",
            "三级指标“覆盖率、兑现率及满意度”同时衡量“覆盖率”、“兑现率”和“满意度”，"
            "建议拆成 3 个指标",
        ),
    ],
)
def test_compound_name(findings: Findings, project: Project, name: str, message: str) -> None:
    (finding,) = findings(project, rule="BP803", indicators={4: {"name": name}})
    assert (finding.cell, finding.severity, finding.message) == ("C15", Severity.INFO, message)


@pytest.mark.parametrize(
    "name",
    [
        "辅具及时发放率",
        "交通设施故障响应及排除及时率",
        "社会和谐稳定度",
        "65岁及以上老年人健康管理服务率",
        "开展市、区级示范活动场次",  # one count of two kinds of activity
        "协会、村社助残员满意度",  # one satisfaction of two groups
        "开展宣传活动、普法活动",
    ],
)
def test_single_measures_are_not_compound(findings: Findings, project: Project, name: str) -> None:
    assert findings(project, rule="BP803", indicators={4: {"name": name}}) == []


def test_samples_compound_names(sample_result: Consolidation) -> None:
    found = [(f.project, f.cell, f.value) for f in only(sample_result, "BP803")]
    assert found == [
        ("北碚区文艺工作专项经费", "C11", "文艺工作者的积极性和创造性"),
        ("北碚区文艺工作专项经费", "C13", "北碚城市知名度和美誉度"),
        ("区工业发展专项资金", "C16", "提升知名度、美誉度"),
        ("破案打击专项经费", "C12", "群众安全感及满意度"),
    ]
    # 残疾人节日宣传率、是否进一步营造了社会助残氛围 is also 定性 with 80 %: one row, BP505's,
    # which says to split it.
    (split,) = (
        f
        for f in sample_result.findings
        if f.project == "其他残疾人事业支出" and f.cell[1:] == "15" and f.sheet == "项目4"
    )
    assert (split.rule_id, split.cell) == ("BP505", "F15")
    assert "请拆成 2 个指标" in split.hint
