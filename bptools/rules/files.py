"""BP0xx: problems with a whole file. The reader raises them; they have no check here."""

from __future__ import annotations

from . import declare
from .base import Severity

declare(
    "BP001",
    "file-unreadable",
    Severity.ERROR,
    title="文件无法打开",
    message="文件无法打开：{value}",
    hint="请用 Excel 或 WPS 打开该文件确认能否正常打开，另存为 .xlsx 后重新提交。",
    description="文件损坏、被截断，或根本不是电子表格，无法读取。",
)
declare(
    "BP002",
    "file-format-unsupported",
    Severity.ERROR,
    title="文件格式不支持",
    message="文件格式不支持：{value}",
    hint="请在 Excel 或 WPS 中打开后“另存为” Excel 工作簿（.xlsx），去掉打开密码后重新提交。",
    description="文件是加密工作簿、网页（HTML）或文本（CSV）等格式，不能作为绩效目标表读取。",
)
declare(
    "BP003",
    "not-template",
    Severity.ERROR,
    title="不是绩效目标表模板",
    message="工作簿中没有找到绩效目标表（未找到“一级项目名称”等栏目）：{value}",
    hint="请使用财政局下发的模板填报，每个项目一个工作表，不要改动栏目名称。",
    description="工作簿能打开，但没有任何工作表按绩效目标表的格式填写。",
)
declare(
    "BP004",
    "file-too-large",
    Severity.ERROR,
    title="文件过大",
    message="文件过大，已拒绝读取：{value}",
    hint="请删除多余的工作表、图片和远离表格误填的内容（按 Ctrl+End 可找到最后一个有内容的"
    "单元格），只保留绩效目标表，另存为 .xlsx 后重新提交。",
    description="文件本身或其解压后的内容大得异常（例如在很远的行列误填了内容，或是“压缩炸弹”），"
    "为免汇总时耗尽内存，不予读取。",
)
declare(
    "BP005",
    "legacy-format",
    Severity.INFO,
    title="旧版文件格式",
    message="文件是“{value}”格式（{format}），已正常读取，建议另存为 .xlsx 格式",
    hint="请在 Excel 或 WPS 中打开，“另存为” Excel 工作簿（.xlsx）后提交。",
    description="文件是 .xls、.xlsb 或 .ods 格式：可以读取，但无法检查其中的公式，"
    "建议统一使用模板的 .xlsx 格式。",
)
declare(
    "BP006",
    "workbook-blank",
    Severity.ERROR,
    title="模板未填写",
    message="工作簿中的 {count} 个项目表都没有填写：“{value}”",
    hint="请填写项目名称、金额、绩效目标和指标后重新提交；如果发错了文件，请改发已填好的文件。",
    description="工作簿是绩效目标表模板，但所有项目表都是空白的（只有模板自带的内容）。",
)
