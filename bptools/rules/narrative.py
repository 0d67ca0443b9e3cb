"""BP81x: the goal and overview text against the indicators that measure it."""

from __future__ import annotations
