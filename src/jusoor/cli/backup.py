"""`jusoor backup` and `jusoor restore`: encrypted backups of the whole database.

Register at the top level: `root.command("backup")(backup_command)` and
`root.command("restore")(restore_command)` (or copy `app.registered_commands`).
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

import typer
from sqlalchemy.exc import SQLAlchemyError

from jusoor.audit import service as audit
from jusoor.audit.checkpoints import anchor, retire_anchor
from jusoor.audit.findings import describe
from jusoor.audit.restored import verify_restored_chain
from jusoor.auth import credentials
from jusoor.core.backup import (
    DEFAULT_COMPRESS,
    DEFAULT_JOBS,
    BackupError,
    CopyCheck,
    Figures,
    Manifest,
    create_backup,
    has_rows,
    restore_backup,
)
from jusoor.core.config import get_settings
from jusoor.core.console import JSON_OPTION, fail, operator, reason
from jusoor.core.crypto import CryptoError, keyring_from_settings
from jusoor.core.db import Database
from jusoor.core.i18n import N_
from jusoor.core.i18n import gettext as _

app = typer.Typer(help="Encrypted backups of the whole database.", no_args_is_help=True)

_ERRORS = (BackupError, CryptoError, SQLAlchemyError, OSError)
# What a restored copy of a Jusoor database must also pass before it replaces the database.
RESTORE_CHECKS: dict[str, CopyCheck] = {"audit": verify_restored_chain}


@app.command("backup")
def backup_command(
    out_file: Path = typer.Argument(..., help="Archive to write (encrypted)."),
    force: bool = typer.Option(False, "--force", help="Replace OUT_FILE if it exists."),
    compress: int = typer.Option(
        DEFAULT_COMPRESS, "--compress", min=0, max=9, help="PostgreSQL: pg_dump's gzip level."
    ),
    json_out: bool = JSON_OPTION,
) -> None:
    """Write an encrypted, consistent backup of the database to OUT_FILE.

    Safe while Jusoor runs. Keep the primary data key as long as the archive. On PostgreSQL
    the dump is encrypted as pg_dump writes it: no plaintext copy on disk.
    """
    settings = get_settings()
    url = settings.effective_database_url
    try:
        figures = create_backup(
            out_file,
            url=url,
            keyring=keyring_from_settings(settings),
            overwrite=force,
            compress=compress,
        )
        try:
            _audit(url, "backup.create", figures.manifest)
        except BaseException:
            out_file.unlink(missing_ok=True)  # no export without its audit event
            raise
    except _ERRORS as exc:
        fail(reason(exc))
    _report(figures, json_out, _("Backup %(id)s written: %(tables)s tables, %(rows)s rows."))


@app.command("restore")
def restore_command(
    in_file: Path = typer.Argument(..., help="Archive made by jusoor backup."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Replace a database that holds data."),
    jobs: int = typer.Option(
        DEFAULT_JOBS, "--jobs", min=1, help="PostgreSQL: parallel pg_restore workers."
    ),
    keep_previous: bool = typer.Option(
        False, "--keep-previous", help="Keep the replaced database (its name is printed)."
    ),
    json_out: bool = JSON_OPTION,
) -> None:
    """Replace the database with the backup in IN_FILE once the restored copy is verified.

    The copy (a new file on SQLite, a new database on PostgreSQL) must match the backup's row
    counts, reach the current schema and hold an intact audit chain; only then does it replace
    the database, so a restore that fails leaves it as it was. Stop Jusoor first. Any key in
    the keyring opens the archive. Afterwards every web session ends and every API token is
    revoked, since the backup cannot know of revocations made after it: people sign in again
    and programs get new tokens.
    """
    settings = get_settings()
    url = settings.effective_database_url
    if not in_file.is_file():
        fail(_("%(path)s is not a file.", path=in_file))
    try:
        keyring = keyring_from_settings(settings)
        if not yes and has_rows(url):
            if not sys.stdin.isatty():
                fail(_("The database holds data: pass --yes to replace it."))
            if not typer.confirm(_("The database holds data. Replace it with the backup?")):
                raise typer.Exit(1)
        figures = restore_backup(
            in_file,
            url=url,
            keyring=keyring,
            checks=RESTORE_CHECKS,
            jobs=jobs,
            keep_previous=keep_previous,
        )
        manifest = figures.manifest
        # The restored trail ends before the old checkpoints: keep them aside, anchor anew.
        retired = retire_anchor(f"before-restore-{manifest.backup_id}")
        ended = _audit(url, "backup.restore", manifest, end_credentials=True)
        if retired is not None:
            _anchor_restored(url, retired)
    except _ERRORS as exc:
        fail(reason(exc))
    assert ended is not None
    extra = {"sessions_ended": ended.sessions, "tokens_revoked": ended.tokens}
    _report(
        figures,
        json_out,
        _("Backup %(id)s restored and verified: %(tables)s tables, %(rows)s rows."),
        extra,
    )
    if not json_out:
        typer.echo(
            _(
                "Every session ended (%(sessions)s) and every API token was revoked "
                "(%(tokens)s): revocations made after the backup are unknown to it. Everyone "
                "signs in again, and programs need new tokens.",
                sessions=ended.sessions,
                tokens=ended.tokens,
            )
        )


def _anchor_restored(url: str, retired: Path) -> None:
    db = Database(url)
    try:
        done = anchor(db, actor=None, start=True, retired=retired)
    finally:
        db.dispose()
    if not done.written:
        typer.echo(describe(done.result), err=True)
    typer.echo(_("Audit checkpoints from before the restore: %(path)s", path=retired), err=True)


def _audit(
    url: str, action: str, manifest: Manifest, *, end_credentials: bool = False
) -> credentials.Ended | None:
    """The audit event of each command: a backup is an export of every case (DESIGN).

    After a restore, in the same transaction, every session ends and every API token is revoked
    (`auth.credentials.after_restore`): a backup cannot know the revocations made after it.
    """
    db = Database(url)
    try:
        with db.unit_of_work() as session:
            audit.record(
                session,
                actor=None,
                action=action,
                object_type="backup",
                object_id=manifest.backup_id,
                details={
                    "engine": manifest.engine,
                    "kid": manifest.kid,
                    "created_at": manifest.created_at,
                    "rows": sum(manifest.tables.values()),
                },
                username="cli",
            )
            if end_credentials:
                return credentials.after_restore(
                    session, actor=operator(), backup_id=manifest.backup_id
                )
            return None
    finally:
        db.dispose()


def _report(
    figures: Figures, json_out: bool, message: str, extra: dict[str, int] | None = None
) -> None:
    manifest = figures.manifest
    if json_out:
        body = {**asdict(manifest), **(extra or {}), "figures": figures.as_dict()}
        typer.echo(json.dumps(body, sort_keys=True))
        return
    rows = sum(manifest.tables.values())
    typer.echo(message % {"id": manifest.backup_id, "tables": len(manifest.tables), "rows": rows})
    steps = ", ".join(
        _("%(step)s %(seconds)s s", step=_(_STEPS.get(k, k)), seconds=f"{v:.1f}")
        for k, v in figures.seconds.items()
    )
    typer.echo(
        _(
            "Time: %(steps)s. Archive: %(archive)s MB (dump %(dump)s MB); %(rate)s rows/s.",
            steps=steps,
            archive=f"{figures.archive_bytes / 1e6:.1f}",
            dump=f"{figures.dump_bytes / 1e6:.1f}",
            rate=f"{figures.rows_per_second:,.0f}",
        )
    )
    if figures.previous:
        typer.echo(_("The previous database was kept as %(name)s.", name=figures.previous))


# The steps create_backup and restore_backup time, as the report names them.
_STEPS = {
    "snapshot": N_("copying the database"),
    "count": N_("counting rows"),
    "dump": N_("dumping"),
    "encrypt": N_("encrypting"),
    "decrypt": N_("decrypting"),
    "restore": N_("restoring"),
    "verify_counts": N_("checking row counts"),
    "verify_schema": N_("checking the schema"),
    "verify_audit": N_("checking the audit trail"),
    "switch": N_("switching"),
    "total": N_("in all"),
}
