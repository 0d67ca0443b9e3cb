"""What one workbook may cost to read, in one place: the reader applies these limits and the
rules that report reaching them (BP118–BP121) quote them.

A department's workbook holds a few project sheets of a few hundred cells each; the limits
are far above that, and keep a paste of a whole document or a stray value at XFD1048576
from stalling the bureau's merge.
"""

from __future__ import annotations

# The area of a sheet that is read: a performance table is eight columns wide and a few
# dozen rows long; cells beyond are left out (and said so).
MAX_READ_ROWS = 5_000
MAX_READ_COLS = 64
# Indicator rows read per table: real tables have a few dozen; the checks compare rows in
# pairs, so thousands pasted into one table would take minutes.
MAX_INDICATORS = 200
MAX_SHEETS = 200  # worksheets examined per workbook
MAX_PROJECTS = 50  # project tables read per workbook
MAX_BOOK_CELLS = 1_000_000  # cells copied out of calamine, all sheets of a workbook together
