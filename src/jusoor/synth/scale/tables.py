"""Rows of many tables, written in bulk: COPY on PostgreSQL, Core `executemany` on SQLite.

Generators hand rows over as plain Python values (UUIDs, aware datetimes, enum members, lists for
JSON columns, plaintext for encrypted columns), one dict per row with the same keys for every row
of a table. The writer turns them into what the database stores exactly as the app's column types
do: on SQLite through those types themselves (`EncryptedText` encrypts under the data key, `Uuid`,
`UTCDateTime`, `JSON` and `Enum` bind as usual); on PostgreSQL, where COPY bypasses the types, each
column is converted by the same rules (the type's own `process_bind_param` for encrypted and UTC
columns, enum members by name as SQLAlchemy's `Enum` stores them, JSON as text).

Both write inside the caller's transaction, which the loader commits once: all or nothing.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from sqlalchemy import JSON, Connection, Enum, Table, insert
from sqlalchemy.types import TypeDecorator

Row = dict[str, Any]
Convert = Callable[[Any], Any]


class TableWriter(Protocol):
    def write(self, table: Table, rows: Sequence[Row]) -> None: ...


class CoreWriter:
    """SQLite (or any engine): one `executemany` per batch, through the columns' types."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def write(self, table: Table, rows: Sequence[Row]) -> None:
        if rows:
            self.conn.execute(insert(table), list(rows))


def _enum_name(value: Any) -> Any:
    return value.name if isinstance(value, enum.Enum) else value


def _json_text(value: Any) -> Any:
    return None if value is None else json.dumps(value)


def _converter(table: Table, name: str, conn: Connection) -> Convert | None:
    column_type = table.c[name].type
    if isinstance(column_type, TypeDecorator):
        dialect = conn.dialect
        process = column_type.process_bind_param
        return lambda value: process(value, dialect)
    if isinstance(column_type, Enum):
        # The type's own processor: a member's name, or its value with `values_callable`.
        processor: Convert | None = column_type.bind_processor(conn.dialect)  # type: ignore[no-untyped-call]
        return processor or _enum_name
    if isinstance(column_type, JSON):
        return _json_text
    return None


class CopyWriter:
    """PostgreSQL: `COPY table (columns) FROM STDIN` through psycopg 3, on the transaction's own
    connection (so the load commits or rolls back as one)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._plans: dict[tuple[str, tuple[str, ...]], list[Convert | None]] = {}

    def write(self, table: Table, rows: Sequence[Row]) -> None:
        if not rows:
            return
        names = tuple(rows[0])
        key = (table.name, names)
        if key not in self._plans:
            self._plans[key] = [_converter(table, n, self.conn) for n in names]
        plan = list(zip(names, self._plans[key], strict=True))
        raw: Any = self.conn.connection.driver_connection
        columns = ", ".join(f'"{n}"' for n in names)
        with (
            raw.cursor() as cursor,
            cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy,
        ):
            for row in rows:
                copy.write_row([row[n] if f is None else f(row[n]) for n, f in plan])


def writer_for(conn: Connection) -> TableWriter:
    return CopyWriter(conn) if conn.dialect.name == "postgresql" else CoreWriter(conn)
