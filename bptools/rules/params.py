"""What each rule parameter is, in Chinese, beside the key bptools.toml sets it by; and the
parameters as text, as 规则说明 and `bptools rules` show them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

PARAM_LABELS = {
    "chars": "无实际内容的符号",
    "words": "词语",
    "max_age": "最长年限",
    "annual_words": "年度文件用词",
    "edition_words": "修订版用词",
    "decimals": "小数位数",
    "money_units": "金额单位",
    "cost_words": "成本用词",
    "phrases": "投入金额说法",
    "max_gap": "最大间隔字数",
    "partial_words": "部分金额用词",
    "expected": "应为",
    "profile": "各一级指标权重参考",
    "cost_profile": "含成本指标时的权重参考",
    "tolerance": "允许偏差",
    "minimum": "最低",
    "cap": "上限",
    "maximum": "最高",
    "min_weight": "最低权重",
    "kinds": "二级指标",
    "cost_names": "成本指标用词",
    "patterns": "名称模式",
    "count_units": "计数单位",
    "rate_units": "比率单位",
    "output_verbs": "产出动词",
    "output_endings": "产出名称结尾",
    "outcome_words": "结果用词",
    "counter_words": "应对用词",
    "rate_endings": "比率名称结尾",
    "timely_endings": "及时率名称结尾",
    "time_units": "时间单位",
    "time_words": "时间用词",
    "directional_words": "方向性用词",
    "grades": "评价等级",
    "standard_words": "标准用词",
    "grade_words": "程度用词",
    "growth_words": "增长用词",
    "units": "常用计量单位",
    "count_endings": "计数名称结尾",
    "harmful_words": "负面结果用词",
    "rate_like_endings": "比率类名称结尾",
    "floor": "下限",
    "min_length": "最短字数",
    "min_share": "最低重合比例",
    "separators": "分隔符",
    "keep_words": "保留用词",
    "measure_endings": "度量名称结尾",
    "measure_openings": "度量名称开头",
    "min_value": "最小数值",
    "min_overlap": "最少相同字数",
    "accepted": "认可的写法",
    "section_endings": "科室名称结尾",
}


def params_text(defaults: Mapping[str, Any], configured: Mapping[str, Any] | None = None) -> str:
    """ "最长年限 max_age = 1；…": what each parameter is, its key, its value in effect."""
    values = {**defaults, **(configured or {})}
    return "；".join(
        f"{PARAM_LABELS.get(key, key)} {key} = {_value(value)}" for key, value in values.items()
    )


def _value(value: Any) -> str:
    if isinstance(value, Mapping):
        return "、".join(f"{k}：{_value(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple, set, frozenset)):
        return "、".join(_value(v) for v in value)
    if isinstance(value, re.Pattern):
        return value.pattern
    return str(value)
