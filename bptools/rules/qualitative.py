"""BP505–BP507: 定性 indicators, whose 指标值 must be words a reviewer can judge."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from ..normalize import clean_label, number_text
from ..schema import QUALITATIVE
from . import rule
from .base import Batch, Finding, Severity, records
from .frames import contains_any, indicator_view, qualitative_unclean, satisfaction_rows
from .wording import name_measures

_VALUE_PUNCTUATION = "。.，,；;！!、"
GRADES = ("达成年度指标", "部分达成年度指标并具有一定效果", "未达成年度指标且效果较差")
STANDARD_WORDS = (
    "符合",
    "达到",
    "满足",
    "达标",
    "标准",
    "规范",
    "合格",
    "通过",
    "验收",
    "按时",
    "按期",
    "如期",
    "完成",
)
DIRECTIONAL_WORDS = (
    "提升",
    "提高",
    "增强",
    "加强",
    "加大",
    "改善",
    "改进",
    "优化",
    "推进",
    "推动",
    "促进",
    "挖掘",
    "扩大",
    "进一步",
    "持续",
    "不断",
    "逐步",
    "稳步",
)
GRADE_WORDS = (
    "高",
    "较高",
    "很高",
    "好",
    "较好",
    "很好",
    "良好",
    "优",
    "优秀",
    "优良",
    "良",
    "中",
    "中等",
    "一般",
    "适中",
    "合理",
    "较合理",
    "明显",
    "显著",
    "满意",
    "较满意",
)


@rule(
    "BP505",
    "qualitative-not-clean",
    Severity.ERROR,
    title="定性指标填了单位或数字",
    message="指标性质为“定性”，{label}却填了{kind}“{value}”{extra}",
    hint="如果这是定量指标，请把指标性质改为 ≥ ≤ ＝ ＞ ＜ 之一；如果确是定性指标，"
    "请删去计量单位，指标值填写能判断是否达成的文字。",
    advice="{advice}",
    description="定性指标不填计量单位，指标值是文字而不是数字；带单位或数字的，"
    "通常是误选了“定性”的定量指标。"
    "定为错误：指标性质与指标值互相矛盾，多半是误选了“定性”。",
    folds=("BP703", "BP803"),
)
def qualitative_not_clean(batch: Batch) -> Iterator[Finding]:
    frame = indicator_view(batch)
    for record in records(frame[qualitative_unclean(frame)]):
        unit = record["unit"]
        if pd.isna(record["number"]):
            advice = f"请删去计量单位“{unit}”；如果这是定量指标，"
            advice += "请改用 ≥ 等比较符号并把指标值改为数字。"
            yield qualitative_not_clean.at(
                record, "unit", label="计量单位", kind="", extra="", advice=advice
            )
            continue
        extra = f"，计量单位也填了“{unit}”" if unit else ""
        typed = f"≥ {number_text(record['number'])}{unit}"
        advice = f"这是定量指标：请把指标性质“定性”改为 ≥ 等比较符号（如“{typed}”）。"
        parts = name_measures(batch, record["name"])
        if len(parts) > 1:
            advice = (
                f"“{record['name']}”把 {len(parts)} 项内容写在了一个指标里：请拆成 {len(parts)} "
                f"个指标，如“{parts[0]} {typed}”（定量）和“{parts[1]}”（定性）。"
            )
        yield qualitative_not_clean.at(
            record, "target", label="指标值", kind="数字", extra=extra, advice=advice
        )


def _qualitative_values(frame: pd.DataFrame) -> pd.DataFrame:
    """定性 rows BP505 and BP601 leave alone, with their value tidied in `value_key`."""
    keep = (
        frame["op"].eq(QUALITATIVE)
        & ~frame["target_blank"]
        & ~qualitative_unclean(frame)
        & ~satisfaction_rows(frame)
    )
    rows = frame[keep]
    values = rows["target"].map(lambda v: clean_label(v).strip(_VALUE_PUNCTUATION))
    return rows.assign(value_key=values.astype(str))


@rule(
    "BP506",
    "qualitative-directional",
    Severity.WARNING,
    title="定性指标值只有方向没有标准",
    message="定性指标值“{value}”只说明努力方向，评价时无法判断是否达成",
    hint="能量化的请改为定量指标（如“××覆盖率 ≥ 90%”）；确需定性的，请写明可核实的标准"
    "（如“达到××标准”“按时完成××”），或使用评分等级“达成年度指标”。",
    advice="请把“{value}”改为可核实的目标：能量化的改为定量指标（如“××率 ≥ 90%”）；确需定性的，写"
    "明要达到的标准（如“达到××标准”“按时完成××”）。",
    description="定性指标值应为评分等级（达成年度指标／部分达成年度指标并具有一定效果／"
    "未达成年度指标且效果较差）、“是否…”指标的 是／否，或可核实的具体标准（符合、达到、"
    "满足…标准，合格，按时完成…）。只有“提升、加强、改善、有效提升、深度挖掘”等方向词"
    "而没有标准的，评价时无法判断是否达成。满意度指标另有规则。"
    "定为警告：只有方向没有标准，评价时无法判断是否达成，必须改写。",
    params={
        "directional_words": DIRECTIONAL_WORDS,
        "grades": GRADES,
        "standard_words": STANDARD_WORDS,
    },
    folds=("BP703",),
    folded_note="指标值“{value}”只说明努力方向",
)
def qualitative_directional(batch: Batch) -> Iterator[Finding]:
    frame = _qualitative_values(indicator_view(batch))
    values = frame["value_key"]
    param = qualitative_directional.param
    bad = (
        contains_any(values, param(batch, "directional_words"))
        & ~values.isin(param(batch, "grades"))
        & ~contains_any(values, param(batch, "standard_words"))
    )
    for record in records(frame[bad]):
        yield qualitative_directional.at(record, "target")


@rule(
    "BP507",
    "qualitative-grade-word",
    Severity.INFO,
    title="定性指标值是笼统的等级词",
    message="定性指标值“{value}”是笼统的等级词，没有说明怎样才算达到",
    hint="请改为定量指标，或使用评分等级（达成年度指标／部分达成年度指标并具有一定效果／"
    "未达成年度指标且效果较差），或写明具体标准。",
    advice="请把“{value}”改为可核实的标准，或使用评分等级“达成年度指标”；能量化的改为定量指标。",
    description="定性指标值只写“高、好、较好、优、良、适中”等等级词时，没有约定评价尺度就"
    "无法判断是否达成；如本地采用了这类等级，可在参数 grade_words 中删去相应的词。"
    "满意度指标另有规则。"
    "定为提示：如本地采用了这类等级，可以不改。",
    params={"grade_words": GRADE_WORDS},
    folded_note="指标值“{value}”是笼统的等级词",
)
def qualitative_grade_word(batch: Batch) -> Iterator[Finding]:
    frame = _qualitative_values(indicator_view(batch))
    bad = frame["value_key"].isin(qualitative_grade_word.param(batch, "grade_words"))
    for record in records(frame[bad]):
        yield qualitative_grade_word.at(record, "target")
