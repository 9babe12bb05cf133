"""`jusoor audit …`: prove the audit trail intact, and read it from the server's console."""

from __future__ import annotations

import json

import typer

from jusoor.audit import service
from jusoor.cli.common import JSON_OPTION, fail, operator, unit_of_work
from jusoor.core.i18n import gettext as _

app = typer.Typer(help="The hash-chained audit trail.", no_args_is_help=True)


@app.command("verify")
def verify(json_out: bool = JSON_OPTION) -> None:
    """Recompute the hash chain. Exit 0 when intact; 1, naming the first bad event, when not."""
    with unit_of_work() as session:
        result = service.verify(session)
    if json_out:
        typer.echo(
            json.dumps(
                {
                    "ok": result.ok,
                    "events": result.events,
                    "first_bad_seq": result.first_bad_seq,
                    "reason": result.reason,
                }
            )
        )
        if not result.ok:
            raise typer.Exit(1)
        return
    if result.ok:
        typer.echo(_("The audit trail is intact: %(n)s events.", n=result.events))
        return
    fail(
        _(
            "The audit trail was altered at event %(seq)s: %(reason)s.",
            seq=result.first_bad_seq,
            reason=result.reason,
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
