"""The subjects the engine counts, one module per domain whose records are counted. Each module
registers its subjects with `stats.engine.register_subject` when `load()` imports it."""

from __future__ import annotations

import importlib

MODULES = (
    "jusoor.stats.sources.cases",
    "jusoor.stats.sources.screenings",
    "jusoor.stats.sources.referrals",
    "jusoor.stats.sources.exchange",
    "jusoor.stats.sources.justice",
)
_loaded = False


def load() -> None:
    global _loaded
    if _loaded:
        return
    for module in MODULES:
        importlib.import_module(module)
    _loaded = True
