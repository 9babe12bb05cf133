"""`jusoor keys`: make data-encryption keys and move every protected value onto the newest one."""

from __future__ import annotations

import json

import typer
from sqlalchemy.exc import SQLAlchemyError

from jusoor.audit import service as audit
from jusoor.core.config import get_settings
from jusoor.core.console import JSON_OPTION, fail, reason
from jusoor.core.crypto import (
    CryptoError,
    generate_key_line,
    keyfile_path,
    keyring_from_settings,
    load_or_create_keyfile,
    rotate,
    save_keyfile,
    set_keyring,
)
from jusoor.core.db import Database
from jusoor.core.i18n import gettext as _

app = typer.Typer(
    help="Data-encryption keys for protected fields and backups.", no_args_is_help=True
)


@app.command("generate")
def generate(json_out: bool = JSON_OPTION) -> None:
    """Print a new `kid:base64key` line for JUSOOR_DATA_KEY or JUSOOR_AUDIT_KEY. Keep it secret."""
    line = generate_key_line()
    typer.echo(json.dumps({"key": line}) if json_out else line)


@app.command("rotate")
def rotate_command(
    new_key: bool = typer.Option(
        False, "--new-key", help="First add a fresh primary key to the key file in the data dir."
    ),
    json_out: bool = JSON_OPTION,
) -> None:
    """Re-encrypt every protected value under the primary (first) key, in one transaction.

    With JUSOOR_DATA_KEY: put a new key first there, restart Jusoor, then run this.
    Keep old keys as long as backups made with them: a backup needs its key.
    """
    settings = get_settings()
    added = None
    try:
        if new_key:
            if settings.data_key is not None:
                fail(
                    _(
                        "Keys come from JUSOOR_DATA_KEY: put a new key (jusoor keys generate) "
                        "first in it, restart Jusoor, then run jusoor keys rotate."
                    )
                )
            path = keyfile_path(settings)
            # Saved before re-encrypting: if that fails, every value still decrypts (old keys stay).
            keyring = load_or_create_keyfile(path).with_new_primary(generate_key_line())
            save_keyfile(path, keyring)
            added = keyring.primary_kid
        else:
            keyring = keyring_from_settings(settings)
        set_keyring(keyring)
        db = Database(settings.effective_database_url)
        try:
            with db.unit_of_work() as session:
                counts = rotate(session, keyring)
                audit.record(
                    session,
                    actor=None,
                    action="keys.rotate",
                    object_type="data_key",
                    object_id=keyring.primary_kid,
                    details={"reencrypted": counts},
                    username="cli",
                )
        finally:
            db.dispose()
    except (CryptoError, SQLAlchemyError, OSError) as exc:
        why = reason(exc)
        if added:
            why = _(
                "%(reason)s (new key %(kid)s is kept: run jusoor keys rotate again)",
                reason=why,
                kid=added,
            )
        fail(why)
    old = [kid for kid in keyring.kids if kid != keyring.primary_kid]
    if json_out:
        report = {"primary_kid": keyring.primary_kid, "old_kids": old, "reencrypted": counts}
        typer.echo(json.dumps(report, sort_keys=True))
        return
    for column, count in counts.items():
        typer.echo(f"{column}\t{count}")
    typer.echo(_("All protected values are now under key %(kid)s.", kid=keyring.primary_kid))
    if added:
        # Running servers cached the old keyring and still encrypt new values under the old key.
        typer.echo(_("Restart Jusoor, then run jusoor keys rotate again before removing old keys."))
    elif old:
        typer.echo(
            _(
                "Old keys %(kids)s may now be removed; keep them while backups made with them "
                "exist.",
                kids=", ".join(old),
            )
        )
