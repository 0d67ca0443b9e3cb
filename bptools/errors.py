"""Exceptions. Messages are in Chinese: they reach the clerk or the department as they are."""

from __future__ import annotations


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
