"""Compiled modules kept between test processes when the environment forbids writing them.

With PYTHONDONTWRITEBYTECODE=1 every Python process compiles each module it imports from source:
about 3 s of one core at every `jusoor` start (half of it), and node and browser tests start many
(tests/support/nodes.py), as do the xdist workers. Bytecode goes instead to a folder of this
checkout that git ignores and `make clean` removes (`.pytest_cache/pycache`, never the source
tree); the test process and every process it starts (workers, nodes, CLI runs) read and write it
there. A stale file is never used: Python checks each one against its source's size and time.
Called from tests/__init__.py, before the first import of Jusoor or its dependencies.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

PREFIX = Path(__file__).resolve().parents[2] / ".pytest_cache" / "pycache"


def cache_bytecode() -> None:
    """Write and read bytecode under PREFIX, for this process and those it starts."""
    if not sys.dont_write_bytecode or os.environ.get("PYTHONPYCACHEPREFIX"):
        return  # bytecode is written already (the usual case), or to a place someone chose
    PREFIX.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(PREFIX)
    sys.pycache_prefix = str(PREFIX)
    sys.dont_write_bytecode = False
