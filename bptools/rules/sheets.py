"""BP106, BP11x: how a project sheet was filled in (labels, formulas, hidden sheets, merged
cells). The reader finds these while reading a sheet; they have no check here."""

from __future__ import annotations

from . import declare
from .base import Severity

declare(
    "BP106",
    "label-missing",
    Severity.ERROR,
    title="栏目名称缺失",
    message="找不到栏目“{label}”，无法读取该项内容",
    hint="请恢复模板中的栏目名称（不要改名、删除或与其他单元格合并），并在其右侧或下方填写内容。",
    description="项目表中“编制单位”“业务主管部门”“当年预算金额”等栏目名称，以及绩效指标表的"
    "各列名称，必须与模板一致，否则读不到对应的内容。",
)
declare(
    "BP110",
    "money-unit-note",
    Severity.INFO,
    title="缺少金额单位",
    message="项目表中没有“单位：万元”的说明",
    hint="请保留表头右上方的“单位：万元”，金额一律以万元为单位填写。",
    description="项目表应注明“单位：万元”，以确认各项金额都以万元为单位。",
)
declare(
    "BP111",
    "formula-uncalculated",
    Severity.ERROR,
    title="公式未计算",
    message="公式“{value}”未计算，无法读取其结果，请在 Excel/WPS 中打开并保存后重交",
    hint="请用 Excel 或 WPS 打开文件并保存（公式会自动计算），或把公式改为直接填写的数值后"
    "重新提交。",
    description="填写区的单元格中是公式，但文件里没有公式的计算结果（多见于由其他程序生成、"
    "没有在 Excel/WPS 中保存过的文件），无法读取。",
)
declare(
    "BP112",
    "formula-in-input",
    Severity.INFO,
    title="填写区使用了公式",
    message="单元格中是公式“{formula}”，已按文件中保存的计算结果“{value}”读取",
    hint="建议在填写区直接填写数值或文字，不用公式，以免引用的单元格变动后结果跟着改变。",
    description="填写区的单元格中是公式：按文件中保存的计算结果读取，并提示填报单位。",
)
declare(
    "BP113",
    "hidden-sheet",
    Severity.WARNING,
    title="项目表被隐藏",
    message="工作表“{value}”已被{how}，其中的项目已读取并汇总",
    hint="如果该项目不应报送，请删除这个工作表；否则请取消隐藏，以便核对。",
    description="隐藏（或深度隐藏）的工作表中的绩效目标表同样读取并汇总，并提示确认是否应当报送。",
)
declare(
    "BP114",
    "merged-cells",
    Severity.INFO,
    title="合并单元格",
    message="合并单元格 {range} 的内容“{value}”已按合并区域内的每一格读取",
    hint="请取消合并，在每一格中分别填写内容。",
    description="绩效指标表或填写区中有合并单元格：合并区域内的每一格都按其左上角单元格的内容"
    "读取。",
)
declare(
    "BP115",
    "indicator-header-missing",
    Severity.ERROR,
    title="找不到指标表表头",
    message="找不到绩效指标表的表头（应有“三级指标”“指标值”等列名），无法读取指标",
    hint="请恢复模板中“绩效指标”下方的表头行：一级指标、二级指标、三级指标、计量单位、"
    "指标性质、指标值、权重（%）、是否核心指标。",
    description="项目表中必须有绩效指标表的表头行，才能读取各项指标。",
)
