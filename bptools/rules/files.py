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
