from __future__ import annotations

import pytest

from jusoor.monitor import Extraction, extract

from .seed_expectations import SEEDS_DIR, seed_path


@pytest.fixture(scope="session")
def seed_extractions() -> dict[str, Extraction]:
    """The five seed reports, extracted once for the session (skipped when shared/ is absent)."""
    if not SEEDS_DIR.is_dir() or not any(SEEDS_DIR.glob("*.txt")):
        pytest.skip("shared/seeds is not next to the repository")
    return {
        prefix: extract(seed_path(prefix).read_text(encoding="utf-8"))
        for prefix in ("000", "001", "002", "003", "004")
    }
