"""What this machine has, for the engines to size themselves by."""

from __future__ import annotations

import os


def memory_gib(unknown: float) -> float:
    """This machine's physical memory in GiB, or `unknown` where the system does not say."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError, AttributeError):
        return unknown
