"""bptools: collect, check and consolidate project performance target tables.

The library API, usable without the command line:

    from bptools import consolidate, write_report, write_template
    result = consolidate(["samples/"])
    write_report(result, Path("out"))
"""

from .errors import BptoolsError, NotTemplate, UnreadableWorkbook, UnsupportedFormat
from .pipeline import Consolidation, consolidate
from .reader import read_workbook
from .rules import RULES, Finding, Rule, Severity
from .template import write_template

__all__ = [
    "RULES",
    "BptoolsError",
    "Consolidation",
    "Finding",
    "NotTemplate",
    "Rule",
    "Severity",
    "UnreadableWorkbook",
    "UnsupportedFormat",
    "consolidate",
    "read_workbook",
    "write_template",
]
