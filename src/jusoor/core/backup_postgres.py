"""PostgreSQL's side of `jusoor backup` / `restore`, done with its own tools.

Backup: `pg_dump --format=custom` reads a snapshot exported by the transaction that counted the
rows (so the manifest matches the dump) and writes to a pipe that the caller seals as it comes:
no plaintext dump on disk or in memory, whatever the size of the database.

Restore never touches the live database until the restored copy is known good. `pg_restore`
fills a fresh database `<name>_restore_<id>`; the caller verifies it (row counts, schema, audit
chain); only then one short transaction renames the live database to `<name>_before_<id>` and the
copy to `<name>`, after ending the sessions still connected (PostgreSQL renames a database only
when nobody is connected to it). The previous database is dropped once the switch has committed,
or kept with `keep_previous`. A restore that fails or is killed at any earlier point leaves the
live database as it was, and at worst a `<name>_restore_<id>` database to drop.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO

from sqlalchemy import URL, Connection, create_engine, make_url, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from jusoor.core.backup_archive import BackupError
from jusoor.core.i18n import gettext as _
from jusoor.core.ids import uuid7

PIPE_BYTES = 1 << 20
_SWITCH_ATTEMPTS = 5


class ToolError(BackupError):
    """A PostgreSQL tool or statement failed; the message is translated and names no data."""


# --- the tools ---------------------------------------------------------------------------------


def tool_command(tool: str, url: str | URL, *args: str) -> tuple[list[str], dict[str, str]]:
    """The argv and environment to run `tool` against the database at `url`."""
    exe = shutil.which(tool)
    if exe is None:
        raise ToolError(_("%(tool)s was not found on PATH.", tool=tool))
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password is not None:
        # In the environment, not the command line, where other local users could read it.
        env["PGPASSWORD"] = str(parsed.password)
    dbname = parsed.set(drivername="postgresql", password=None).render_as_string(
        hide_password=False
    )
    return [exe, "--no-password", f"--dbname={dbname}", *args], env


def _failure(tool: str, stderr: IO[bytes]) -> ToolError:
    stderr.seek(0)
    lines = stderr.read().decode("utf-8", errors="replace").strip().splitlines() or ["?"]
    return ToolError(_("%(tool)s failed: %(reason)s", tool=tool, reason=lines[-1][:300]))


def stream_dump(url: str, *, snapshot: str, compress: int, sink: Callable[[bytes], None]) -> int:
    """Run pg_dump (custom format) on `snapshot` and hand its output to `sink` as it comes.

    Returns the bytes dumped. The pipe holds at most PIPE_BYTES at a time.
    """
    argv, env = tool_command(
        "pg_dump", url, "--format=custom", f"--compress={compress}", f"--snapshot={snapshot}"
    )
    total = 0
    with tempfile.TemporaryFile() as stderr:
        proc = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
            argv, env=env, stdout=subprocess.PIPE, stderr=stderr
        )
        assert proc.stdout is not None
        try:
            while data := proc.stdout.read(PIPE_BYTES):
                sink(data)
                total += len(data)
        except BaseException:
            proc.kill()
            raise
        finally:
            proc.stdout.close()
            returncode = proc.wait()
        if returncode != 0:
            raise _failure("pg_dump", stderr)
    return total


def run_restore(url: URL, *, source: Path | Iterable[bytes], jobs: int) -> None:
    """pg_restore into the (fresh, empty) database at `url`, stopping at the first error.

    `source` is a file (read by `jobs` parallel workers) or authenticated chunks streamed to
    one pg_restore through a pipe; an exception from the chunks stops pg_restore and is raised.
    """
    options = ["--no-owner", "--exit-on-error"]
    if isinstance(source, Path):
        argv, env = tool_command("pg_restore", url, *options, f"--jobs={jobs}", str(source))
    else:
        argv, env = tool_command("pg_restore", url, *options)
    with tempfile.TemporaryFile() as stderr:
        stdin = None if isinstance(source, Path) else subprocess.PIPE
        proc = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
            argv, env=env, stdin=stdin, stdout=subprocess.DEVNULL, stderr=stderr
        )
        try:
            if proc.stdin is not None and not isinstance(source, Path):
                _feed(proc.stdin, source)
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        if proc.wait() != 0:
            raise _failure("pg_restore", stderr)


def _feed(pipe: IO[bytes], chunks: Iterable[bytes]) -> None:
    # A broken pipe means pg_restore stopped: its exit status and stderr say why.
    try:
        with suppress(BrokenPipeError):
            for chunk in chunks:
                pipe.write(chunk)
    finally:
        with suppress(BrokenPipeError):
            pipe.close()


# --- databases ---------------------------------------------------------------------------------


@contextmanager
def _admin(url: str | URL, *, autocommit: bool = True) -> Iterator[Connection]:
    """A connection to the server's maintenance database (`postgres`); CREATE and DROP DATABASE
    need autocommit, the switch needs a transaction."""
    engine = create_engine(
        make_url(url).set(database="postgres"),
        poolclass=NullPool,
        hide_parameters=True,
        isolation_level="AUTOCOMMIT" if autocommit else "READ COMMITTED",
    )
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()


def _quote(conn: Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote_identifier(name)


def database_exists(url: str | URL) -> bool:
    name = make_url(url).database
    with _admin(url) as conn:
        query = text("SELECT 1 FROM pg_database WHERE datname = :name")
        return conn.execute(query, {"name": name}).first() is not None


def check_can_restore(url: str | URL) -> None:
    """Fail before any work when the role could not create the copy or rename the database."""
    name = make_url(url).database
    with _admin(url) as conn:
        role = conn.execute(
            text("SELECT rolsuper, rolcreatedb FROM pg_roles WHERE rolname = current_user")
        ).one()
        if not (role.rolsuper or role.rolcreatedb):
            raise ToolError(_("The database role needs CREATEDB to restore a backup."))
        owner = conn.execute(
            text(
                "SELECT pg_has_role(current_user, datdba, 'USAGE') FROM pg_database "
                "WHERE datname = :name"
            ),
            {"name": name},
        ).scalar()
        if owner is False and not role.rolsuper:
            raise ToolError(_("The database role must own %(name)s to restore it.", name=name))


def scratch_name(url: str | URL, kind: str) -> str:
    """`<name>_<kind>_<8 hex>`, within PostgreSQL's 63-byte names."""
    name = make_url(url).database or "jusoor"
    return f"{name.encode()[:40].decode(errors='ignore')}_{kind}_{uuid7().hex[-8:]}"


def create_like(url: str | URL, new: str) -> URL:
    """Create the empty database `new` with the encoding and collation of the one at `url`."""
    name = make_url(url).database
    with _admin(url) as conn:
        like = conn.execute(
            text(
                "SELECT pg_encoding_to_char(encoding) AS enc, datcollate, datctype "
                "FROM pg_database WHERE datname = :name"
            ),
            {"name": name},
        ).first()
        sql = f"CREATE DATABASE {_quote(conn, new)} TEMPLATE template0"
        if like is not None:
            sql += (
                f" ENCODING '{like.enc}' LC_COLLATE '{like.datcollate}' LC_CTYPE '{like.datctype}'"
            )
        conn.execute(text(sql))
        # Private to its owner while it fills; the live database's grants come at the switch.
        conn.execute(text(f"REVOKE ALL ON DATABASE {_quote(conn, new)} FROM PUBLIC"))
    return make_url(url).set(database=new)


def _carry_over(conn: Connection, live: str, restored: str) -> None:
    """Give `restored` the live database's grants and settings (`ALTER DATABASE ... SET`), which a
    dump without `--create` does not hold."""
    grants = conn.execute(
        text(
            "SELECT a.privilege_type, a.is_grantable, "
            "CASE WHEN a.grantee = 0 THEN NULL ELSE pg_get_userbyid(a.grantee) END AS role "
            "FROM pg_database d, aclexplode(COALESCE(d.datacl, acldefault('d', d.datdba))) a "
            "WHERE d.datname = :name"
        ),
        {"name": live},
    )
    for grant in grants.all():
        role = _quote(conn, grant.role) if grant.role else "PUBLIC"
        option = " WITH GRANT OPTION" if grant.is_grantable else ""
        conn.execute(
            text(
                f"GRANT {grant.privilege_type} ON DATABASE {_quote(conn, restored)} TO {role}{option}"
            )
        )
    settings = conn.execute(
        text(
            "SELECT format('ALTER DATABASE %I SET %s = %L', CAST(:new AS text), "
            "split_part(c, '=', 1), substr(c, strpos(c, '=') + 1)) "
            "FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase, "
            "unnest(s.setconfig) AS c WHERE d.datname = :name AND s.setrole = 0"
        ),
        {"name": live, "new": restored},
    )
    cursor = conn.connection.cursor()  # no parameters: a '%' in a value stays a '%'
    for statement in settings.scalars().all():
        cursor.execute(statement)


def drop(url: str | URL, name: str) -> None:
    """Drop the database `name` if it exists, ending any session still connected to it."""
    with _admin(url) as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {_quote(conn, name)} WITH (FORCE)"))


def switch(url: str | URL, restored: str) -> str | None:
    """Make the database `restored` the one at `url`, in one transaction; returns the name the
    previous database now has (None when there was none). Sessions on the live database end."""
    name = make_url(url).database
    assert name is not None
    previous = scratch_name(url, "before")
    exists = database_exists(url)
    with _admin(url, autocommit=False) as conn:
        for attempt in range(_SWITCH_ATTEMPTS):
            try:
                with conn.begin():
                    if exists:
                        conn.execute(
                            text(
                                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                "WHERE datname = :name AND pid <> pg_backend_pid()"
                            ),
                            {"name": name},
                        )
                        _carry_over(conn, name, restored)
                        conn.execute(
                            text(
                                f"ALTER DATABASE {_quote(conn, name)} "
                                f"RENAME TO {_quote(conn, previous)}"
                            )
                        )
                    conn.execute(
                        text(
                            f"ALTER DATABASE {_quote(conn, restored)} RENAME TO {_quote(conn, name)}"
                        )
                    )
                break
            except DBAPIError as exc:
                # 55006 object_in_use: a session reconnected between the terminate and the rename
                if (
                    getattr(exc.orig, "sqlstate", None) != "55006"
                    or attempt + 1 == _SWITCH_ATTEMPTS
                ):
                    raise ToolError(
                        _("The restored database could not replace %(name)s.", name=name)
                    ) from None
                time.sleep(0.2 * (attempt + 1))
    return previous if exists else None
