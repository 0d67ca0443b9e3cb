"""BP6xx: 服务对象满意度 indicators."""

from __future__ import annotations
