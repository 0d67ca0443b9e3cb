"""Exceptions. Messages are in Chinese: they reach the clerk or the department as they are."""

from __future__ import annotations

import errno


class BptoolsError(Exception):
    "Base class of every error bptools raises on purpose."


class WorkbookError(BptoolsError):
    """A file cannot be used as a submission (`bptools.rules.files.WORKBOOK_ERRORS` names
    the finding each kind becomes)."""

    def __init__(self, message: str, value: str = "") -> None:
        super().__init__(message)
        self.value = value


class UnreadableWorkbook(WorkbookError):
    "The file is damaged, truncated or not a spreadsheet at all."


class UnsupportedFormat(WorkbookError):
    "The file is a format we cannot read as a workbook (HTML, CSV, encrypted, ...)."


class NotTemplate(WorkbookError):
    "The workbook opens, but holds no sheet laid out as a performance target table."


class TooLarge(WorkbookError):
    "The file, or what it unpacks to, is too large to read safely (a decompression bomb)."


class OutputError(BptoolsError):
    "An output file could not be written."


_OS_REASONS = {
    errno.ENOENT: "文件或文件夹不存在",
    errno.ENOTDIR: "路径中有一段是文件而不是文件夹",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.EEXIST: "已有同名的文件或文件夹",
    errno.EACCES: "没有访问权限",
    errno.EPERM: "没有访问权限",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "所在位置是只读的",
    errno.EBUSY: "文件正被其他程序占用",
    errno.ENAMETOOLONG: "路径太长",
    errno.EIO: "磁盘或网络共享读写出错",
    errno.ETIMEDOUT: "网络共享连接超时",
    errno.EHOSTDOWN: "网络共享无法连接",
    errno.ENOTEMPTY: "文件夹不是空的",
    errno.EMFILE: "同时打开的文件太多",
}


def os_reason(exc: OSError) -> str:
    """What the system said, in Chinese: its English text never reaches a clerk."""
    code = exc.errno
    if code in _OS_REASONS:
        return _OS_REASONS[code]
    return f"系统错误（错误号 {code}）" if code else "系统错误"
