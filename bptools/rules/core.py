"""BP7xx: core indicators (是否核心指标)."""

from __future__ import annotations
