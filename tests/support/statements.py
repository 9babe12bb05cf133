"""Count the SQL statements a piece of work sends, to catch N+1 queries (issue 18, item 3)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, event


@dataclass
class Statements:
    """The statements seen, in order (text only: parameters may hold protected values)."""

    texts: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.texts)

    def selects(self) -> list[str]:
        return [t for t in self.texts if t.lstrip().upper().startswith(("SELECT", "WITH"))]

    def report(self) -> str:
        return "\n".join(f"{i + 1:3d}. {t[:160]}" for i, t in enumerate(self.texts))


@contextmanager
def counting(engine: Engine) -> Iterator[Statements]:
    """Every statement `engine` executes inside the block (any thread), BEGIN/COMMIT left out."""
    seen = Statements()

    def _before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        text = " ".join(statement.split())
        if text.upper() in {"BEGIN", "BEGIN IMMEDIATE", "COMMIT", "ROLLBACK"}:
            return
        seen.texts.append(text)

    event.listen(engine, "before_cursor_execute", _before)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", _before)
