"""BP11x: how a project sheet was filled in (labels, formulas, hidden sheets, merged cells)."""

from __future__ import annotations
