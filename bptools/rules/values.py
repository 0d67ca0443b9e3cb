"""BP5xx: units, 指标性质 and 指标值."""

from __future__ import annotations
