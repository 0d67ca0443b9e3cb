"""BP106, BP11x: how a project sheet was filled in (labels, formulas, hidden sheets, merged
cells). The reader finds these while reading a sheet; they have no check here."""

from __future__ import annotations

from ..limits import (
    MAX_BOOK_CELLS,
    MAX_INDICATORS,
    MAX_PROJECTS,
    MAX_READ_COLS,
    MAX_READ_ROWS,
    MAX_SHEETS,
)
from ..schema import MAX_CHARS, Kind
from . import declare
from .base import Severity

label_missing = declare(
    "BP106",
    "label-missing",
    Severity.ERROR,
    title="栏目名称缺失",
    message="找不到栏目“{label}”，无法读取该项内容",
    hint="请恢复模板中的栏目名称（不要改名、删除或与其他单元格合并），并在其右侧或下方填写内容。",
    description="项目表中“编制单位”“业务主管部门”“当年预算金额”等栏目名称，以及绩效指标表的"
    "各列名称，必须与模板一致，否则读不到对应的内容。"
    "定为错误：栏目读不到，相应内容都没有汇总。",
)
money_unit_note = declare(
    "BP110",
    "money-unit-note",
    Severity.INFO,
    title="缺少金额单位",
    message="项目表中没有“单位：万元”的说明",
    hint="请保留表头右上方的“单位：万元”，金额一律以万元为单位填写。",
    description="项目表应注明“单位：万元”，以确认各项金额都以万元为单位。"
    "定为提示：金额单位默认为万元，只是缺少说明。",
)
formula_uncalculated = declare(
    "BP111",
    "formula-uncalculated",
    Severity.ERROR,
    title="公式未计算",
    message="公式“{value}”未计算，无法读取其结果，请在 Excel/WPS 中打开并保存后重交",
    hint="请用 Excel 或 WPS 打开文件并保存（公式会自动计算），或把公式改为直接填写的数值后"
    "重新提交。",
    description="填写区的单元格中是公式，但文件里没有公式的计算结果（多见于由其他程序生成、"
    "没有在 Excel/WPS 中保存过的文件），无法读取。"
    "定为错误：公式没有计算结果，读不到实际数值。",
)
formula_in_input = declare(
    "BP112",
    "formula-in-input",
    Severity.INFO,
    title="填写区使用了公式",
    message="单元格中是公式“{formula}”，已按文件中保存的计算结果“{value}”读取",
    hint="建议在填写区直接填写数值或文字，不用公式，以免引用的单元格变动后结果跟着改变。",
    description="填写区的单元格中是公式：按文件中保存的计算结果读取，并提示填报单位。"
    "定为提示：已按保存的结果读取，只提醒不要在填写区用公式。",
)
hidden_sheet = declare(
    "BP113",
    "hidden-sheet",
    Severity.WARNING,
    title="项目表被隐藏",
    message="工作表“{value}”已被{how}，其中的项目已读取并汇总",
    hint="如果该项目不应报送，请删除这个工作表；否则请取消隐藏，以便核对。",
    description="隐藏（或深度隐藏）的工作表中的绩效目标表同样读取并汇总，并提示确认是否应当报送。"
    "定为警告：隐藏的表照样汇总，需要确认是否应当报送。",
)
merged_cells = declare(
    "BP114",
    "merged-cells",
    Severity.INFO,
    title="合并单元格",
    message="合并单元格 {range} 的内容“{value}”已按合并区域内的每一格读取",
    hint="请取消合并，在每一格中分别填写内容。",
    description="绩效指标表或填写区中有合并单元格：合并区域内的每一格都按其左上角单元格的内容"
    "读取。"
    "定为提示：已按合并区域读取，只建议取消合并。",
)
indicator_header_missing = declare(
    "BP115",
    "indicator-header-missing",
    Severity.ERROR,
    title="找不到指标表表头",
    message="找不到绩效指标表的表头（应有“三级指标”“指标值”等列名），无法读取指标",
    hint="请恢复模板中“绩效指标”下方的表头行：一级指标、二级指标、三级指标、计量单位、"
    "指标性质、指标值、权重（%）、是否核心指标。",
    description="项目表中必须有绩效指标表的表头行，才能读取各项指标。"
    "定为错误：找不到表头就读不到任何指标。",
)
value_interpreted = declare(
    "BP116",
    "value-interpreted",
    Severity.INFO,
    title="填写内容已按含义读取",
    message="{label}填写的是“{value}”，已按 {reading} 读取：{why}",
    hint="请核对读取结果是否是本意：金额只填以万元为单位的数字，权重和指标值只填数字，"
    "并把单元格格式设为“常规”或“数值”（不要设成日期或百分比）。",
    description="单元格中的内容要经过解释才能读取时（如金额写了“50万元”或以元为单位、数字被"
    "单元格格式显示成了日期或百分数），按最可能的含义读取，并写明读成了什么。"
    "定为提示：已按最可能的意思读取，请部门核对。",
)
control_characters = declare(
    "BP117",
    "control-characters",
    Severity.INFO,
    title="含有不可见字符",
    message="本表 {cells} 个单元格中有 {chars} 个不可见的控制字符，已删除后读取",
    hint="这类字符多由其他系统导出或从网页、Word 复制带入，请检查该单元格的内容是否完整。",
    description="单元格文字中的控制字符、零宽字符和改变文字方向的字符看不见，却会影响名称比对"
    "和显示，读取时删除，并提示一次。"
    "定为提示：已删除后读取，只提醒检查内容是否完整。",
)
text_too_long = declare(
    "BP118",
    "text-too-long",
    Severity.WARNING,
    title="内容过长",
    message="{label}有 {length} 个字，超过 {limit} 字的部分没有审核",
    hint="请精简内容：栏目中只写该栏要求的内容，详细材料另附；指标名称只写指标本身。",
    description="一格中的文字长得异常（如整篇文件粘贴进一格）时，只审核前面规定长度的部分"
    f"（长文本 {MAX_CHARS[Kind.LONG_TEXT]} 字，名称等 {MAX_CHARS[Kind.TEXT]} 字），"
    "以免审核耗时过长。"
    "定为警告：超出部分没有审核，内容也明显不像该栏应填的。",
)
too_many_indicators = declare(
    "BP119",
    "too-many-indicators",
    Severity.ERROR,
    title="指标行数过多",
    message="指标表有 {count} 行指标，只读取了前 {limit} 行，其余没有汇总",
    hint="一个项目的绩效指标一般只有十几到几十个：请删除多余或重复的行，"
    "确需这么多指标的，请拆分为几个项目。",
    description=f"一张表的指标行数超过上限（{MAX_INDICATORS} 行）时，超出的部分不读取，"
    "以免审核耗时过长。"
    "定为错误：超出的指标没有汇总。",
)
beyond_read_area = declare(
    "BP120",
    "beyond-read-area",
    Severity.INFO,
    title="表格以外还有内容",
    message="工作表的内容延伸到 {value}，只读取了 {area} 范围内的内容",
    hint="按 Ctrl+End 可找到最后一个有内容的单元格：如是误填，请删除该行列后保存；"
    "绩效目标表的内容请填在模板的表格内。",
    description="工作表在很远的行列还有内容（常是误填的空格或字符）时，只读取表格所在的前 "
    f"{MAX_READ_ROWS} 行、{MAX_READ_COLS} 列，其余不读取。"
    "定为提示：表格本身已完整读取，远处多半是误填的内容。",
)
sheets_not_read = declare(
    "BP121",
    "sheets-not-read",
    Severity.ERROR,
    title="工作表过多，部分未读取",
    message="工作簿中有 {count} 个工作表未读取：{value}",
    hint=f"一个工作簿只放本单位的项目表（最多 {MAX_PROJECTS} 个项目）：请删除多余的工作表，"
    "或把项目分到几个工作簿中分别提交。",
    description=f"一个工作簿最多检查 {MAX_SHEETS} 个工作表、读取 {MAX_PROJECTS} 个项目表，"
    f"所有工作表合计最多读取 {MAX_BOOK_CELLS:,} 个单元格；超出的工作表不读取，"
    "其中的项目没有汇总。"
    "定为错误：未读取的工作表中的项目没有汇总。",
)
