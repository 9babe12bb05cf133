"""Counts made directly from the ORM rows, independently of the engine's SQL, to hold its tables
against: every unit's categories per dimension, then cells, margins and the total."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import product

from sqlalchemy.orm import Session

from jusoor.agencies import service as agencies
from jusoor.core.permissions import Actor
from jusoor.stats.tables import UNKNOWN, Key, Table

Categories = dict[str, list[str]]


def actor(session: Session, username: str) -> Actor:
    user = agencies.get_user_by_username(session, username)
    assert user is not None, username
    return agencies.actor_for(user, via="session")


def listed(values: Iterable[object] | None) -> list[str]:
    return sorted({str(v) for v in values or () if v not in (None, "")}) or [UNKNOWN]


def one(value: object) -> list[str]:
    if value is None or value == "":
        return [UNKNOWN]
    return [str(getattr(value, "value", value))]


def expected(
    units: Sequence[Categories], by: Sequence[str]
) -> tuple[dict[Key, int], int, list[dict[str, int]]]:
    cells: dict[Key, int] = defaultdict(int)
    margins: list[dict[str, int]] = [defaultdict(int) for _ in by]
    for unit in units:
        per = [unit[name] for name in by]
        for i, categories in enumerate(per):
            for category in categories:
                margins[i][category] += 1
        for key in product(*per):
            cells[key] += 1
    return dict(cells), len(units), [dict(m) for m in margins]


def assert_matches(table: Table, units: Sequence[Categories], by: Sequence[str]) -> None:
    cells, total, margins = expected(units, by)
    assert table.total == total, (table.statistic, by)
    assert table.cells == cells, (table.statistic, by)
    assert [dict(m) for m in table.margins] == margins, (table.statistic, by)
