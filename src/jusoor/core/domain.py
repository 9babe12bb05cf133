"""What the core brings to the node: the permission matrix (`permissions.yaml`)."""

from __future__ import annotations

from jusoor.core.registry import Domain

DOMAIN = Domain(name="core", data_files=("jusoor.core.permissions",))
