"""Helpers to write catalogue and rules files for the loader tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from jusoor.screening.catalogue import ILO_FILE
from jusoor.screening.rules import RULES_FILE

Edit = Callable[[dict[str, Any]], object]

FORCED_BEGGING: dict[str, Any] = {
    "country": "MA",
    "sources": {
        "ma-2024": {
            "title": "Guide national d'identification des victimes",
            "publisher": "Commission nationale",
            "year": 2024,
            "url": None,
        }
    },
    "texts": {
        "forced_begging": {
            "en": "Forced to beg",
            "ar": "الإكراه على التسوّل",
            "fr": "Contrainte à la mendicité",
        }
    },
    "lists": {
        "child-labour": {
            "verified": True,
            "checked_against": ["ma-2024"],
            "dimensions": {
                "exploitative_conditions": {"strong": ["forced_begging"]},
                # A country may also place an ILO text in another dimension under its own id.
                "coercion_at_destination": {"medium": ["hazardous_work"]},
            },
        }
    },
}


def write_yaml(path: Path, data: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def ilo_data() -> dict[str, Any]:
    """A fresh copy of the shipped ILO file, to break in one place."""
    data: dict[str, Any] = yaml.safe_load(ILO_FILE.read_text(encoding="utf-8"))
    return data


@pytest.fixture
def rules_data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
    return data
