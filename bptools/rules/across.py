"""BP9xx: across projects and files (duplicates, codes and names)."""

from __future__ import annotations
