"""BP80x: duplicate and bundled indicator names."""

from __future__ import annotations
