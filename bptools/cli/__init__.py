"""The command line: a thin shell over the library (`bptools.consolidate`, ...). One module
per group of commands; `common` holds the group and what the commands share.

Exit codes: 0 no anomaly at or above --fail-on, 1 there are, 2 usage or configuration error,
3 an output file could not be written, 4 an internal error (a bug: the traceback is printed).
"""

from . import diff, review, season, template  # noqa: F401  (registers their commands)
from .common import cli

__all__ = ["cli"]
