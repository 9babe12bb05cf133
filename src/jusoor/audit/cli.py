"""`jusoor audit …`: prove the audit trail intact, anchor its head, rotate its key, read it."""

from __future__ import annotations

import json

import typer
from sqlalchemy.exc import SQLAlchemyError

from jusoor.audit import service
from jusoor.audit.checkpoints import anchor, write_checkpoint
from jusoor.audit.findings import describe
from jusoor.audit.keys import add_primary_key
from jusoor.core.config import get_settings
from jusoor.core.console import JSON_OPTION, fail, operator, reason, unit_of_work
from jusoor.core.crypto import CryptoError
from jusoor.core.db import Database
from jusoor.core.i18n import gettext as _

app = typer.Typer(
    help="The tamper-evident audit trail: keyed hash chain, anchored checkpoints.",
    no_args_is_help=True,
)


@app.command("verify")
def verify(json_out: bool = JSON_OPTION) -> None:
    """Recompute the whole keyed hash chain and compare it with the anchor file (JUSOOR_AUDIT_ANCHOR).

    Reports its speed (events per second) and the events still waiting to be chained.

    Exit 0 when intact (and anchor its head); 1 when rewritten, truncated, unanchored, or a key
    is missing, naming the first bad event.
    """
    with unit_of_work() as session:
        result = service.verify(session)
        if result.ok:  # so the pages can say when the whole chain was last verified
            service.record_verification(session, actor=operator(), result=result)
    written = False
    if result.ok:
        try:  # after the transaction: the checkpoint names committed events only
            written = write_checkpoint(result)
        except (CryptoError, OSError) as exc:
            typer.echo(
                _("Warning: no checkpoint written: %(reason)s", reason=reason(exc)), err=True
            )
    if json_out:
        typer.echo(json.dumps({**result.as_dict(), "checkpoint_written": written}))
        if not result.ok:
            raise typer.Exit(1)
        return
    if not result.ok:
        fail(describe(result))
    typer.echo(describe(result))
    typer.echo(_("Speed: %(rate)s events per second.", rate=f"{result.rate:,.0f}"))
    if result.pending:
        typer.echo(_("%(count)s events are waiting to be chained.", count=result.pending))
    if result.stale_pending:
        typer.echo(
            _(
                "%(count)s events have waited more than 10 minutes to be chained: check that "
                "the server's audit appender runs.",
                count=result.stale_pending,
            ),
            err=True,
        )
    if written:
        typer.echo(_("Checkpoint written at event %(seq)s.", seq=result.tip_seq))


@app.command("checkpoint")
def checkpoint(json_out: bool = JSON_OPTION) -> None:
    """Verify the chain, then append a signed checkpoint of its head to the anchor file.

    Starts the anchor file when there is none (recorded in the trail). Exit 1 when the chain is
    not intact: a broken chain is never anchored.
    """
    db = Database(get_settings().effective_database_url)
    try:
        done = anchor(db, actor=operator(), start=True)
    except (CryptoError, SQLAlchemyError, OSError) as exc:
        fail(reason(exc))
    finally:
        db.dispose()
    result = done.result
    if json_out:
        report = {**result.as_dict(), "checkpoint_written": done.written, "started": done.started}
        typer.echo(json.dumps(report))
        if not done.written and not result.ok:
            raise typer.Exit(1)
        return
    if not done.written and not result.ok:
        fail(describe(result))
    if done.started:
        typer.echo(_("Anchor file started: %(path)s", path=get_settings().effective_audit_anchor))
    if done.written:
        typer.echo(_("Checkpoint written at event %(seq)s.", seq=result.tip_seq))
    else:
        typer.echo(
            _(
                "The head has not moved since the last checkpoint (event %(seq)s).",
                seq=result.tip_seq,
            )
        )


@app.command("rotate-key")
def rotate_key(json_out: bool = JSON_OPTION) -> None:
    """Seal new audit events with a fresh key, added first to the audit key file in the data dir.

    Old keys stay: older events are checked with the key id they store. The head is anchored
    under the old key before, and under the new one after. With JUSOOR_AUDIT_KEY, put a new key
    (jusoor keys generate) first there instead and restart Jusoor.
    """
    settings = get_settings()
    db = Database(settings.effective_database_url)
    try:
        before = anchor(db, actor=operator())
        if not before.result.ok:
            fail(describe(before.result))
        kid = add_primary_key(settings)
        with db.unit_of_work() as session:
            service.record(
                session,
                actor=operator(),
                action="audit.key.rotate",
                object_type="audit_key",
                object_id=kid,
            )
        after = anchor(db, actor=operator())
    except (CryptoError, SQLAlchemyError, OSError) as exc:
        fail(reason(exc))
    finally:
        db.dispose()
    if json_out:
        typer.echo(json.dumps({"primary_kid": kid, "checkpoint_written": after.written}))
        return
    typer.echo(_("New audit events are now sealed with key %(kid)s.", kid=kid))
    typer.echo(
        _(
            "Keep the old audit keys: older events are checked with them. Restart Jusoor so "
            "that the server seals with the new key."
        )
    )


@app.command("list")
def list_events(
    actor: str = typer.Option("", "--actor", help="Username."),
    action: str = typer.Option("", "--action", help="Action, or its beginning (auth.)."),
    limit: int = typer.Option(50, "--limit"),
    json_out: bool = JSON_OPTION,
) -> None:
    """The newest events, newest first (reading the trail is itself audited)."""
    flt = service.AuditFilter(actor=actor or None, action=action or None, limit=limit)
    with unit_of_work() as session:
        rows = [
            {
                "seq": e.seq,
                "at": e.at.isoformat(),
                "actor": e.actor_username,
                "action": e.action,
                "object_type": e.object_type,
                "object_id": e.object_id,
                "outcome": e.outcome,
                "client_addr": e.client_addr,
                "details": service.details_of(e),
            }
            for e in service.search(session, actor=operator(), flt=flt)
        ]
    if json_out:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    for r in rows:
        typer.echo(
            f"{r['seq']}\t{r['at']}\t{r['actor']}\t{r['action']}\t{r['outcome']}\t{r['object_id'] or ''}"
        )
