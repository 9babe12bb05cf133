"""Keyset pagination walks a list without skipping or repeating a row, and refuses forged cursors."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Uuid,
    create_engine,
    select,
)
from sqlalchemy.orm import Session

from jusoor.core import keyset

META = MetaData()
ROWS = Table(
    "rows",
    META,
    Column("id", Uuid, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("rank", Integer, nullable=False),
    Column("name", String(20), nullable=False),
)


@pytest.fixture
def session() -> Session:
    engine = create_engine("sqlite://")
    META.create_all(engine)
    base = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    with engine.begin() as conn:
        conn.execute(
            ROWS.insert(),
            [
                # many rows share a timestamp: the id must break the ties
                {
                    "id": uuid.UUID(int=i),
                    "at": base + dt.timedelta(hours=i // 7),
                    "rank": i % 3,
                    "name": f"n{i}",
                }
                for i in range(1, 101)
            ],
        )
    return Session(engine)


def test_walks_every_row_once_in_order_both_ways(session: Session) -> None:
    cols = [ROWS.c.rank, ROWS.c.id]
    for descending in (True, False):
        seen: list[uuid.UUID] = []
        after: str | None = None
        pages = 0
        while True:
            page = keyset.fetch(
                session,
                select(ROWS),
                cols,
                tag="t",
                after=after,
                limit=9,
                descending=descending,
                scalars=False,
            )
            assert page.first is (after is None)
            seen += [row.id for row in page.rows]
            pages += 1
            after = page.next_cursor
            if after is None:
                break
        expected = sorted(
            session.execute(select(ROWS)).all(), key=lambda r: (r.rank, r.id), reverse=descending
        )
        assert seen == [r.id for r in expected]
        assert pages == 12  # 100 rows by 9: 11 full pages and one of 1


def test_a_cursor_round_trips_its_types() -> None:
    at = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
    key = (at, dt.date(2026, 3, 1), 7, "MA-2026-1", uuid.UUID(int=5))
    text = keyset.encode(key, tag="cases")
    kinds = [dt.datetime, dt.date, int, str, uuid.UUID]
    assert keyset.decode(text, tag="cases", kinds=kinds) == key


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "not base64 at all!!",
        "x" * 600,
        keyset.encode((1, uuid.UUID(int=1)), tag="referrals"),  # another list's cursor
        keyset.encode(("1", uuid.UUID(int=1)), tag="t"),  # the wrong type
        keyset.encode((1,), tag="t"),  # a key cut short
    ],
)
def test_forged_or_foreign_cursors_are_refused_naming_the_field(cursor: str) -> None:
    with pytest.raises(keyset.InvalidCursor) as caught:
        keyset.decode(cursor, tag="t", kinds=[int, uuid.UUID], field="after")
    assert caught.value.field == "after"
