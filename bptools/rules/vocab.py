"""The domain words the rules share: indicator levels, comparison signs, and the words that
tell what an indicator or a sentence of a goal is about. One place, so that two rules never
disagree on what counts as a satisfaction indicator or a rate."""

from __future__ import annotations

import pandas as pd

from ..schema import OPERATORS, QUALITATIVE, TAXONOMY

# 一级指标, and the 二级 that matter to several rules.
OUTPUT, BENEFIT, SATISFACTION, COST = "产出指标", "效益指标", "满意度指标", "成本指标"
QUANTITY, QUALITY, TIMELINESS = "数量指标", "质量指标", "时效指标"

# 指标性质: the five comparison signs, by the side they bound.
QUANTITATIVE_OPS: tuple[str, ...] = tuple(op for op in OPERATORS if op != QUALITATIVE)
LOWER_BOUNDS = ("≥", "＞")
UPPER_BOUNDS = ("≤", "＜")

SATISFACTION_WORD = "满意"
AMOUNT_TOLERANCE = 0.005  # 万元: half the last printed digit, amounts carrying two decimals
# Measure words a unit cell often carries as a noun (人数 for 人): said as the measure word.
_NOUN_UNITS = {"人数": "人", "次数": "次", "户数": "户", "个数": "个", "件数": "件", "项数": "项"}


def spoken_unit(unit: str) -> str:
    """A unit as it reads after a number: ≥ 1300 人, not ≥ 1300 人数."""
    return _NOUN_UNITS.get(unit, unit)


RATE_UNITS = ("%", "‰")

# Words that say how a thing is counted or when, not what it is: left out when the name of
# an indicator is compared with the words of a goal (管护水库数 is about 水库 and 管护).
NAME_STOP_WORDS: tuple[str, ...] = (
    "数量",
    "人数",
    "次数",
    "户数",
    "个数",
    "件数",
    "份数",
    "场次",
    "人次",
    "批次",
    "总数",
    "面积",
    "长度",
    "金额",
    "开展",
    "完成",
    "全年",
    "年度",
    "当年",
    "全区",
    "累计",
)
# A rate of change (下降50%, 提高10个百分点) is no level an indicator states.
CHANGE_WORDS = ("下降", "降低", "减少", "提高", "提升", "增长", "增加", "上升")
# Other years than the budget year.
PAST_WORDS = ("去年", "上年", "上一年", "往年", "历年", "以往", "近年")
# The budget execution rate is scored on its own (预算执行率权重), never by an indicator.
EXECUTION_RATE_WORDS = ("预算执行率", "资金执行率", "支出执行率")
# Word pairs of indicator names that tell little about what is counted.
GENERIC_PAIRS = ("服务", "工作", "活动", "开展", "完成", "项目", "资金", "管理", "建设", "保障")

# Events nobody wants more of; the "…率" entries are rates of such events.
HARMFUL_WORDS: tuple[str, ...] = (
    "死亡",
    "伤亡",
    "受伤",
    "事故",
    "发案",
    "案发",
    "成灾",
    "肇事",
    "肇祸",
    "火灾",
    "发生率",
    "发病率",
    "返贫",
    "投诉",
    "差错",
    "失误",
)
# Work against such an event, where more is better (事故隐患排查次数, 投诉办结率).
COUNTER_WORDS: tuple[str, ...] = (
    "减少",
    "降低",
    "下降",
    "挽回",
    "避免",
    "整治",
    "整改",
    "排查",
    "查处",
    "处置",
    "处理",
    "化解",
    "破案",
    "侦破",
    "去除",
    "救援",
    "救助",
    "调查",
    "报告",
    "上报",
    "办结",
    "结案",
    "受理",
    "回复",
    "响应",
    "演练",
    "培训",
    "宣传",
)
# Rates about quality, timeliness or results, never a quantity of output. Coverage-type
# rates (覆盖率, 服务率, 救助率…) stay out: national templates file them under 数量指标.
RESULT_RATE_ENDINGS: tuple[str, ...] = (
    "及时率",
    "合格率",
    "达标率",
    "完好率",
    "准确率",
    "优良率",
    "规范率",
    "传输率",
    "稳定率",
    "成功率",
    "化解率",
    "破案率",
    "办结率",
    "结案率",
    "整改率",
    "息诉息访率",
)
# What the name of a count or a rate ends with (扶持就业人数, 覆盖率).
COUNT_NAME_ENDINGS = ("人数", "次数", "数量", "户数", "个数", "件数", "场次数", "家数", "项数")
RATE_NAME_ENDINGS = ("率", "比例", "占比")
# The measure words a 计量单位 may be written with (BP510 tells the others apart).
MEASURE_WORDS = (
    # people and households
    "人",
    "人次",
    "万人",
    "万人次",
    "名",
    "户",
    "户次",
    "万户",
    "家",
    # events and items
    "次",
    "场",
    "场次",
    "期",
    "批",
    "批次",
    "个",
    "件",
    "项",
    "类",
    "种",
    "宗",
    "起",
    "例",
    "处",
    "所",
    "座",
    "条",
    "块",
    "台",
    "套",
    "辆",
    "艘",
    "架",
    "株",
    "棵",
    "万株",
    "头",
    "只",
    "间",
    "栋",
    "幢",
    "床",
    "张",
    "篇",
    "部",
    "本",
    "册",
    "份",
    "万份",
    "课时",
    "学时",
    # money
    "元",
    "万元",
    "亿元",
    # rates
    "%",
    "‰",
    "个百分点",
    "倍",
    "分",
    # length, area, volume, weight
    "m",
    "米",
    "km",
    "公里",
    "千米",
    "m2",
    "平方米",
    "万平方米",
    "km2",
    "平方公里",
    "亩",
    "万亩",
    "公顷",
    "m3",
    "立方米",
    "万立方米",
    "kg",
    "千克",
    "公斤",
    "吨",
    "万吨",
    # time
    "秒",
    "分钟",
    "小时",
    "天",
    "日",
    "工作日",
    "周",
    "月",
    "个月",
    "季度",
    "年",
)
# Units of time, in which a 时效指标 states its limit (≤ 6 月, ≤ 15 个工作日).
TIME_UNITS = ("天", "日", "工作日", "小时", "分钟", "周", "月", "个月", "年", "季度")


# Each 二级指标 belongs to exactly one 一级指标 (成本指标 as a 二级 only under 产出指标).
LEVEL1_OF: dict[str, str] = {
    level2: level1 for level1, kids in TAXONOMY.items() for level2 in kids
}


def indicator_kinds(indicators: pd.DataFrame) -> pd.Series:
    """The 一级指标 each row belongs to: its 一级 when valid, else the one its 二级 implies
    ("" when neither tells). A project's rows from `Batch.tables` carry it already, as
    their `kind` column."""
    if "kind" in indicators:
        return indicators["kind"]
    inferred = indicators["level2"].map(LEVEL1_OF).fillna("")
    return indicators["level1"].where(indicators["level1"].isin(TAXONOMY), inferred)
