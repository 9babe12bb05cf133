"""FastAPI dependencies shared by every domain's routes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from jusoor.core.config import get_settings
from jusoor.core.db import Database
from jusoor.core.permissions import Actor
from jusoor.web.access import require_actor
from jusoor.web.context import RequestContext, context_of


def database(request: Request) -> Database:
    db = request.app.state.database
    assert isinstance(db, Database)
    return db


READING_METHODS = frozenset({"GET", "HEAD"})
WRITES_ATTR = "__jusoor_writes__"
F = TypeVar("F", bound=Callable[..., Any])


def writes(endpoint: F) -> F:
    """Mark a GET route that changes what it read (not only its audit event): it gets an
    ordinary unit of work, holding SQLite's writer lock for the whole request."""
    setattr(endpoint, WRITES_ATTR, True)
    return endpoint


def db_session(request: Request) -> Iterator[Session]:
    """The request is the unit of work: committed when the route returns, rolled back on error.

    A page that is read (GET, HEAD) is a reading unit of work: on SQLite it takes the writer's
    lock only for its audit event, so people saving are not kept waiting by people reading
    (core.reading). Other methods hold it from the start (taken in this dependency). Every statement of a
    request is bounded on PostgreSQL (`settings.pg_statement_timeout_ms`)."""
    db = database(request)
    bound = get_settings().pg_statement_timeout_ms
    marked = getattr(request.scope.get("endpoint"), WRITES_ATTR, False)
    if request.method in READING_METHODS and not marked:
        with db.reading(statement_timeout_ms=bound) as session:
            yield session
    else:
        with db.unit_of_work(statement_timeout_ms=bound) as session:
            if db.engine.dialect.name == "sqlite":
                # Take the writer's lock here, in the dependency's worker thread. Many routes that
                # post are `async` (they read the form) and run on the event loop's thread: had
                # their first statement waited for the lock there, every request would have
                # waited with it, the holder too when it needed the loop to finish and commit,
                # until the busy bound told the waiter "busy" (seen in CI). The body has already
                # been read (`web.access`), so the lock is not held while a slow client uploads.
                session.connection()
            yield session


def reading_session(request: Request) -> Iterator[Session]:
    """A reading unit of work for a route that posts but only reads and audits (a search)."""
    bound = get_settings().pg_statement_timeout_ms
    with database(request).reading(statement_timeout_ms=bound) as session:
        yield session


def signing_in_session(request: Request) -> Iterator[Session]:
    """A reading unit of work for a sign-in: the password is checked (Argon2, slow on purpose)
    before SQLite's writer lock is taken, then the attempt, the session and the audit event are
    written briefly. Its only changes to rows it read are stamps (the user's last sign-in, a
    rehashed password), so the last writer wins (`blind_writes`)."""
    bound = get_settings().pg_statement_timeout_ms
    with database(request).reading(blind_writes=True, statement_timeout_ms=bound) as session:
        yield session


# scope="function": commit before the response is sent, so a failed commit is reported as an
# error rather than after a success was already answered (FastAPI's default closes it later).
DbSession = Annotated[Session, Depends(db_session, scope="function")]
DbReading = Annotated[Session, Depends(reading_session, scope="function")]
DbSigningIn = Annotated[Session, Depends(signing_in_session, scope="function")]
CurrentActor = Annotated[Actor, Depends(require_actor)]
Ctx = Annotated[RequestContext, Depends(context_of)]
