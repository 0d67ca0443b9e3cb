"""BP0xx: problems with a whole file. The reader raises them; they have no check here."""

from __future__ import annotations

from ..errors import NotTemplate, TooLarge, UnreadableWorkbook, UnsupportedFormat, WorkbookError
from . import declare
from .base import Rule, Severity

file_unreadable = declare(
    "BP001",
    "file-unreadable",
    Severity.ERROR,
    title="文件无法打开",
    message="文件无法打开：{value}",
    hint="请用 Excel 或 WPS 打开该文件确认能否正常打开，另存为 .xlsx 后重新提交。",
    description="文件损坏、被截断，或根本不是电子表格，无法读取。"
    "定为错误：文件读不出来，其中的项目都没有汇总。",
)
format_unsupported = declare(
    "BP002",
    "file-format-unsupported",
    Severity.ERROR,
    title="文件格式不支持",
    message="文件格式不支持：{value}",
    hint="请用财政局下发的模板填写后提交 .xlsx 文件；如果是设了打开密码或其他格式的工作簿，"
    "请在 Excel 或 WPS 中去掉打开密码，“另存为” Excel 工作簿（.xlsx）后重新提交。",
    description="文件是加密工作簿、网页（HTML）或文本（CSV）等格式，不能作为绩效目标表读取。"
    "定为错误：不是可以读取的工作簿，其中的项目都没有汇总。",
)
not_template = declare(
    "BP003",
    "not-template",
    Severity.ERROR,
    title="不是绩效目标表模板",
    message="工作簿中没有找到绩效目标表（未找到“一级项目名称”等栏目）：{value}",
    hint="请使用财政局下发的模板填报，每个项目一个工作表，不要改动栏目名称。",
    description="工作簿能打开，但没有任何工作表按绩效目标表的格式填写。"
    "定为错误：没有按模板填写，读不到任何项目。",
)
file_too_large = declare(
    "BP004",
    "file-too-large",
    Severity.ERROR,
    title="文件过大",
    message="文件过大，已拒绝读取：{value}",
    hint="请删除多余的工作表、图片和远离表格误填的内容（按 Ctrl+End 可找到最后一个有内容的"
    "单元格），只保留绩效目标表，另存为 .xlsx 后重新提交。",
    description="文件本身或其解压后的内容大得异常（例如在很远的行列误填了内容，或是“压缩炸弹”），"
    "为免汇总时耗尽内存，不予读取。"
    "定为错误：为保护汇总不被拖垮而拒绝读取，其中的项目都没有汇总。",
)
legacy_format = declare(
    "BP005",
    "legacy-format",
    Severity.INFO,
    title="旧版文件格式",
    message="文件是“{value}”格式（{format}），已正常读取，建议另存为 .xlsx 格式",
    hint="请在 Excel 或 WPS 中打开，“另存为” Excel 工作簿（.xlsx）后提交。",
    description="文件是 .xls、.xlsb、.ods 或 WPS 的 .et 格式：可以读取，但无法检查其中的"
    "公式和单元格格式，建议统一使用模板的 .xlsx 格式。"
    "定为提示：内容已正常读取，只建议换用统一格式。",
)
workbook_blank = declare(
    "BP006",
    "workbook-blank",
    Severity.ERROR,
    title="模板未填写",
    message="工作簿中的 {count} 个项目表都没有填写：“{value}”",
    hint="请填写项目名称、金额、绩效目标和指标后重新提交；如果发错了文件，请改发已填好的文件。",
    description="工作簿是绩效目标表模板，但所有项目表都是空白的（只有模板自带的内容）。"
    "定为错误：交来的是空白模板，相当于没有报送。",
)
not_workbook = declare(
    "BP007",
    "not-a-workbook",
    Severity.WARNING,
    title="文件夹中有非工作簿文件",
    message="“{value}”{why}",
    hint="如果这是某部门报送的绩效目标表，请让该部门用模板填写后提交 .xlsx 文件；"
    "与报送无关的文件请移出收件文件夹。",
    description="收件文件夹（及其子文件夹）中不是 Excel 工作簿的文件（Word、PDF、图片等）"
    "不读取，逐个列出，以免漏掉以错误格式报送的表。"
    "定为警告：可能是以错误格式报送的表，需要收件人核实。",
    bureau=True,
)
not_found = declare(
    "BP010",
    "input-not-found",
    Severity.ERROR,
    title="给出的文件没有找到",
    message="命令中给出的“{value}”没有找到对应的文件，没有汇总",
    hint='请检查文件名或路径是否写错（含通配符的请加英文引号，如 "收件箱/*.xlsx"）；'
    "如果该部门还没有报送，请催报。",
    description="汇总时点名给出的文件、文件夹或通配符一个文件也没有找到：可能是名字写错，"
    "也可能是该部门还没有报送。定为错误：点名要汇总的内容没有汇总，汇总结果缺了这一块。",
    bureau=True,
)
file_failed = declare(
    "BP008",
    "file-read-failed",
    Severity.ERROR,
    title="读取文件时出错",
    message="读取文件时程序出错，该文件没有汇总（{value}）",
    hint="请用 Excel 或 WPS 打开该文件，“另存为” .xlsx 后重新提交；如仍出错，"
    "请把该文件发给 bptools 的维护人员。",
    description="读取这个文件时出现了程序没有预料到的情况：该文件没有汇总，其他文件照常汇总。"
    "定为错误：该文件没有汇总，必须处理。",
    bureau=True,
)
check_failed = declare(
    "BP009",
    "check-failed",
    Severity.WARNING,
    title="审核规则未能执行",
    message="审核规则 {rule} 检查该文件时程序出错，这条规则没有审核此文件（{value}）",
    hint="该文件其余的审核和汇总照常；请把该文件发给 bptools 的维护人员。",
    description="某条审核规则检查一个文件时出现了程序没有预料到的情况：该规则跳过这个文件，"
    "其他规则和其他文件照常审核。"
    "定为警告：该文件少审了一条规则，需要人工核对或报告维护人员。",
    bureau=True,
)

# What each reason a file cannot be used becomes.
WORKBOOK_ERRORS: dict[type[WorkbookError], Rule] = {
    UnreadableWorkbook: file_unreadable,
    UnsupportedFormat: format_unsupported,
    NotTemplate: not_template,
    TooLarge: file_too_large,
}
