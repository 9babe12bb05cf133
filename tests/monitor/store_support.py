"""Helpers for the database-backed monitor tests: actors of each role and the seed folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from jusoor.core.permissions import Actor

from .seed_expectations import SEEDS_DIR


def actor(role: str, country: str = "MA") -> Actor:
    return Actor(
        user_id=None, username=f"{role}.t", agency_id=None, country=country, roles=frozenset({role})
    )


ANALYST = actor("analyst")
SCREENER = actor("screener")


def seeds_dir() -> Path:
    if not SEEDS_DIR.is_dir() or not any(SEEDS_DIR.glob("*.txt")):
        pytest.skip("shared/seeds is not next to the repository")
    return SEEDS_DIR


def seed_file(prefix: str) -> Path:
    return next(seeds_dir().glob(f"{prefix}_*.txt"))
