"""What every `jusoor` command shares: the database, the operator as actor, one-line errors.

It lives in core, not in `jusoor.cli`, so that each domain's `cli.py` can use it without
importing the layer above it (DESIGN.md "Layers").

Exit codes (DESIGN.md): 0 on success, 1 on a user error with a one-line message, 2 on usage errors.
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import typer
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session

from jusoor.core.config import get_settings
from jusoor.core.crypto import CryptoError
from jusoor.core.db import Database, is_busy
from jusoor.core.errors import DomainError
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor, system_actor
from jusoor.core.reading import StaleWrite

JSON_OPTION = typer.Option(False, "--json", help="Print machine-readable JSON.")


def reason(exc: Exception) -> str:
    """A one-line reason for an error, without SQL, parameters or a stack trace."""
    if isinstance(exc, DomainError):
        return f"{exc.field}: {exc.message}" if exc.field else exc.message
    if isinstance(exc, StaleWrite) or (isinstance(exc, DBAPIError) and is_busy(exc)):
        return _(
            "The database is busy with another change; nothing was saved. Try again in a moment."
        )
    if isinstance(exc, DBAPIError):
        return (str(exc.orig).strip().splitlines() or [type(exc.orig).__name__])[0][:300]
    if isinstance(exc, SQLAlchemyError):
        return _("The database cannot be used (%(kind)s).", kind=type(exc).__name__)
    return str(exc)


def fail(message: str) -> NoReturn:
    typer.echo(_("Error: %(reason)s", reason=message), err=True)
    raise typer.Exit(1)


def read_json_file(path: Path, what: str) -> Any:
    """The JSON in `path`, or a clear error naming the file (missing, unreadable, not JSON)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        fail(_("%(path)s does not exist.", path=path))
    except (OSError, UnicodeDecodeError, ValueError):
        fail(_("%(path)s is not a readable %(what)s file.", path=path, what=what))


def operator() -> Actor:
    """The person at the server's console: acts as the node, and is named in the audit trail."""
    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = "unknown"
    return system_actor(f"cli:{who}"[:64])


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """One transaction for the command; a user error becomes a one-line message and exit 1."""
    db = Database(get_settings().effective_database_url)
    try:
        with db.unit_of_work() as session:
            yield session
    except (DomainError, SQLAlchemyError, CryptoError, OSError, StaleWrite) as exc:
        fail(reason(exc))
    finally:
        db.dispose()
