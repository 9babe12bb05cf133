"""Alembic environment: runs on the connection (or URL) handed over by `jusoor.core.migrate`."""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from sqlalchemy import Connection

from jusoor.core.crypto import EncryptedText, all_models_metadata
from jusoor.core.db import UTCDateTime, make_engine
from jusoor.domains import register_all

config = context.config
register_all()  # the tables are those the registered domains declare (core.registry)
target_metadata = all_models_metadata()


def _render_item(type_: str, obj: Any, autogen_context: Any) -> str | Literal[False]:
    """Render Jusoor's column types as the storage types they wrap, so that migrations do not
    depend on application code (an encrypted field is TEXT; a UTC time is a timezone-aware time)."""
    if type_ == "type" and isinstance(obj, EncryptedText):
        return "sa.Text()"
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # ALTER TABLE on SQLite
        compare_type=True,
        render_item=_render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()
