"""What the web layer itself serves: the health probes, and the base templates every page extends."""

from __future__ import annotations

from jusoor.core.registry import Domain

DOMAIN = Domain(name="web", routers=("jusoor.web.health",), templates="jusoor.web")
