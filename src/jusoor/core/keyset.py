"""Keyset ("seek") pagination: the next page starts after the last row seen, not at an offset.

An offset makes the database read and discard every earlier row, so page 5,000 of a national case
list costs 5,000 pages; a keyset page costs one index range scan whatever its depth. The position
is an opaque cursor (URL-safe base64 of the sort key of the last row shown) that a list hands out
as `after=`; a cursor that was altered, cut or made for another list is refused with
`InvalidCursor`, which pages and the API answer with a translated message naming the parameter.

Every column of the sort key must be NOT NULL and the last one unique (an id), so the order is
total and no row is skipped or shown twice; all columns sort the same way (all newest first, or
all oldest first), which lets one row-value comparison `(a, b) < (x, y)` seek on a composite index
on PostgreSQL and SQLite alike.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, tuple_
from sqlalchemy.orm import Session

from jusoor.core.errors import Invalid
from jusoor.core.i18n import gettext as _

T = TypeVar("T")

MAX_CURSOR_CHARS = 512

# A value's kind, written beside it so that a decoded cursor gives back the same Python type.
_KINDS: dict[str, type] = {"i": int, "s": str, "t": dt.datetime, "d": dt.date, "u": uuid.UUID}


class InvalidCursor(Invalid):
    """The `after` position is not one this list handed out."""


def _pack(value: Any) -> list[str | int]:
    if isinstance(value, bool):
        raise TypeError("a boolean cannot be part of a keyset sort key")
    if isinstance(value, int):
        return ["i", value]
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetime in a keyset cursor")
        return ["t", value.astimezone(dt.UTC).isoformat()]
    if isinstance(value, dt.date):
        return ["d", value.isoformat()]
    if isinstance(value, uuid.UUID):
        return ["u", str(value)]
    if isinstance(value, str):
        return ["s", value]
    raise TypeError(f"unsupported keyset value {type(value).__name__}")


def _unpack(kind: str, raw: Any) -> Any:
    if kind == "i" and isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if not isinstance(raw, str):
        raise ValueError(kind)
    if kind == "s":
        return raw
    if kind == "t":
        value = dt.datetime.fromisoformat(raw)
        if value.tzinfo is None:
            raise ValueError(raw)
        return value.astimezone(dt.UTC)
    if kind == "d":
        return dt.date.fromisoformat(raw)
    if kind == "u":
        return uuid.UUID(raw)
    raise ValueError(kind)


def encode(values: Sequence[Any], *, tag: str) -> str:
    """The cursor of a row whose sort key is `values`, for the list named `tag`."""
    body = json.dumps([tag, [_pack(v) for v in values]], separators=(",", ":"))
    return base64.urlsafe_b64encode(body.encode()).decode().rstrip("=")


def decode(
    cursor: str, *, tag: str, kinds: Sequence[type], field: str = "after"
) -> tuple[Any, ...]:
    """The sort key inside `cursor`, checked against the list's `tag` and its columns' types."""
    problem = InvalidCursor(
        field, _("This position in the list is not valid: go back to the first page.")
    )
    if not cursor or len(cursor) > MAX_CURSOR_CHARS:
        raise problem
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        found_tag, packed = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if found_tag != tag or not isinstance(packed, list) or len(packed) != len(kinds):
            raise ValueError(found_tag)
        values = []
        for (kind, raw), expected in zip(packed, kinds, strict=True):
            if _KINDS.get(kind) is not expected:
                raise ValueError(kind)
            values.append(_unpack(kind, raw))
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise problem from None
    return tuple(values)


def seek(
    stmt: Select[Any],
    columns: Sequence[ColumnElement[Any]],
    after: Sequence[Any] | None,
    *,
    descending: bool = True,
) -> Select[Any]:
    """`stmt` ordered by `columns` (all one way) and, given `after`, starting just past it."""
    if after is not None:
        key, mark = tuple_(*columns), tuple_(*after)
        stmt = stmt.where(key < mark if descending else key > mark)
    return stmt.order_by(*(c.desc() if descending else c.asc() for c in columns))


@dataclass(frozen=True)
class KeysetPage(Generic[T]):
    rows: list[T]
    next_cursor: str | None  # None on the last page
    first: bool  # this is the first page (no `after` was given)


def fetch(
    session: Session,
    stmt: Select[Any],
    columns: Sequence[ColumnElement[Any]],
    *,
    tag: str,
    after: str | None,
    limit: int,
    descending: bool = True,
    key_of: Any = None,
    scalars: bool = True,
    field: str = "after",
) -> KeysetPage[Any]:
    """One page of `stmt`: `limit` rows after the cursor `after`, and the next page's cursor.

    `key_of(row)` gives a row's sort key values in the order of `columns`; by default the
    attributes named like the columns are read from the row. One extra row is fetched to know
    whether there is a next page, so no count is needed.
    """
    kinds = [c.type.python_type for c in columns]
    position = decode(after, tag=tag, kinds=kinds, field=field) if after else None
    query = seek(stmt, columns, position, descending=descending).limit(limit + 1)
    result = session.scalars(query) if scalars else session.execute(query)
    rows = list(result.all())
    more = len(rows) > limit
    rows = rows[:limit]

    def _key(row: Any) -> tuple[Any, ...]:
        if key_of is not None:
            return tuple(key_of(row))
        return tuple(getattr(row, str(c.key)) for c in columns)

    next_cursor = encode(_key(rows[-1]), tag=tag) if more and rows else None
    return KeysetPage(rows=rows, next_cursor=next_cursor, first=position is None)
