"""`jusoor exchange …`: the node operator's and scripts' way to set up and use exchange."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import typer

from jusoor.core.config import get_settings
from jusoor.core.console import JSON_OPTION, fail, operator, read_json_file, unit_of_work
from jusoor.core.db import Database
from jusoor.core.i18n import gettext as _
from jusoor.exchange import queries
from jusoor.exchange.nodes import node, peers
from jusoor.exchange.nodes.keys import display_fingerprint
from jusoor.exchange.request.validation import text_field
from jusoor.exchange.transport import delivery, outbox
from jusoor.exchange.vocabulary import Direction, MessageType

app = typer.Typer(help="Cross-border exchange with other countries' nodes.", no_args_is_help=True)
peers_app = typer.Typer(help="The peer nodes this node exchanges with.", no_args_is_help=True)
app.add_typer(peers_app, name="peers")


def _echo_json(value: Any) -> None:
    typer.echo(json.dumps(value, ensure_ascii=False, indent=None))


@app.command("init")
def init_command(
    node_id: str = typer.Option(
        None, "--node-id", help="This node's id: the country's ISO code (default JUSOOR_NODE_ID)."
    ),
    name: str = typer.Option("", help="A name for people, e.g. the central authority's."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Create this node's signing and encryption keys (once; again changes nothing)."""
    chosen = node_id or get_settings().node_id
    with unit_of_work() as session:
        ident = node.init_node(session, actor=operator(), node_id=chosen, name=name)
        result = {"node_id": ident.node_id, "name": ident.name, "fingerprint": ident.fingerprint}
    if json_out:
        _echo_json(result)
        return
    typer.echo(_("Node %(node)s is ready for exchange.", node=result["node_id"]))
    typer.echo(_("Fingerprint: %(fp)s", fp=display_fingerprint(result["fingerprint"])))


@app.command("descriptor")
def descriptor_command(
    out: Path | None = typer.Option(None, "--out", help="Write to this file (default: print)."),
) -> None:
    """This node's public descriptor, for peers to import after checking its fingerprint."""
    with unit_of_work() as session:
        doc = node.descriptor_of(node.identity(session))
    text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    if out is None:
        typer.echo(text, nl=False)
        return
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(_("%(path)s cannot be written: %(reason)s", path=out, reason=exc.strerror or exc))
    typer.echo(_("Descriptor written to %(path)s.", path=out), err=True)
    typer.echo(
        _(
            "Read this fingerprint to the peer's operator: %(fp)s",
            fp=display_fingerprint(doc["fingerprint"]),
        ),
        err=True,
    )


@app.command("rotate-keys")
def rotate_command(json_out: bool = JSON_OPTION) -> None:
    """New keys for this node; every peer is told in a message signed with the old key."""
    from jusoor.exchange.nodes.rotation import rotate_and_announce

    with unit_of_work() as session:
        new, told = rotate_and_announce(session, actor=operator())
    if json_out:
        _echo_json({"fingerprint": new.fingerprint, "peers_told": told})
        return
    typer.echo(_("New fingerprint: %(fp)s", fp=display_fingerprint(new.fingerprint)))
    typer.echo(_("Peers to be told: %(n)s (run jusoor exchange deliver).", n=len(told)))


@peers_app.command("add")
def peers_add(
    file: Path = typer.Argument(..., help="The peer's descriptor file."),
    fingerprint: str | None = typer.Option(
        None, "--fingerprint", help="The fingerprint the peer's operator read to you."
    ),
    replace: bool = typer.Option(False, "--replace", help="Replace a known peer's keys."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Import a peer's descriptor (refused if its fingerprint or signature does not hold)."""
    doc = read_json_file(file, "descriptor")
    with unit_of_work() as session:
        peer = peers.add_peer(
            session,
            actor=operator(),
            descriptor=doc,
            expected_fingerprint=fingerprint,
            replace=replace,
        )
        result = {
            "node_id": peer.node_id,
            "endpoint": peer.endpoint,
            "fingerprint": peer.fingerprint,
        }
    if json_out:
        _echo_json(result)
        return
    typer.echo(
        _(
            "Peer %(node)s added (%(endpoint)s).",
            node=result["node_id"],
            endpoint=result["endpoint"],
        )
    )
    typer.echo(_("Fingerprint: %(fp)s", fp=display_fingerprint(result["fingerprint"])))
    if fingerprint is None:
        typer.echo(
            _(
                "Check this fingerprint with the peer's operator by phone or in person "
                "before sending anything."
            )
        )


@peers_app.command("list")
def peers_list(json_out: bool = JSON_OPTION) -> None:
    """The peers this node knows."""
    with unit_of_work() as session:
        rows = [
            {
                "node_id": p.node_id,
                "name": p.name,
                "endpoint": p.endpoint,
                "fingerprint": p.fingerprint,
                "active": p.active,
                "added_at": p.added_at.isoformat(),
            }
            for p in peers.list_peers(session, actor=operator())
        ]
    if json_out:
        _echo_json(rows)
        return
    for row in rows:
        mark = "" if row["active"] else _(" (removed)")
        typer.echo(
            f"{row['node_id']:<10} {display_fingerprint(str(row['fingerprint']))}  {row['endpoint']}{mark}"
        )


@peers_app.command("remove")
def peers_remove(node_id: str = typer.Argument(..., help="The peer's node id.")) -> None:
    """Stop exchanging with a peer (its messages are kept)."""
    with unit_of_work() as session:
        peers.remove_peer(session, actor=operator(), node_id=node_id)
    typer.echo(_("Peer %(node)s removed.", node=node_id.upper()))


def _body_from_file(kind: MessageType, path: Path | None) -> dict[str, Any]:
    if path is None:
        return {}
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        fail(_("%(path)s does not exist.", path=path))
    except (OSError, UnicodeDecodeError):
        fail(_("%(path)s is not a readable UTF-8 text file.", path=path))
    stripped = text.strip()
    if stripped.startswith("{"):
        try:
            data = json.loads(stripped)
        except ValueError:
            fail(_("%(path)s starts like JSON but is not valid JSON.", path=path))
        if isinstance(data, dict):
            return data
    return {text_field(kind): text}


@app.command("send")
def send_command(
    to: str | None = typer.Option(None, "--to", help="The peer's node id (for a new request)."),
    kind: str = typer.Option(
        ...,
        "--type",
        help="information_request, mla_request, "
        "spontaneous_information, or (with --reply-to) reply, "
        "acknowledgement, refusal, withdrawal, progress_report.",
    ),
    subject: str | None = typer.Option(None, "--subject", help="The subject line."),
    body_file: Path | None = typer.Option(
        None, "--body-file", help="Plain text (the main field) or a JSON object of all fields."
    ),
    reply_to: str | None = typer.Option(None, "--reply-to", help="The message this answers."),
    handling: str | None = typer.Option(None, "--handling", help="Handling code H0-H3."),
    deadline: str | None = typer.Option(None, "--deadline", help="Answer wanted by (YYYY-MM-DD)."),
    expires_in_hours: float | None = typer.Option(
        None, "--expires-in-hours", help="Give up delivery after this long (default 30 days)."
    ),
    case_worker: str | None = typer.Option(
        None,
        "--case-worker",
        help="Accepting a referral from abroad: the case worker who takes the person in "
        "(default: the holder of the case already linked, else the first of this country).",
    ),
    json_out: bool = JSON_OPTION,
) -> None:
    """Queue a message for a peer; prints its id. `jusoor exchange deliver` (or the server) sends it.
    An acknowledgement with "decision": "accepted" of a referral from abroad opens or links its
    local case."""
    message_type = outbox.parse_type(kind)
    data = _body_from_file(message_type, body_file)
    if subject is not None:
        data["subject"] = subject
    if handling is not None:
        data["handling_code"] = handling
    if deadline is not None:
        data["deadline"] = deadline
    expires = dt.timedelta(hours=expires_in_hours) if expires_in_hours is not None else None
    with unit_of_work() as session:
        message = outbox.send(
            session,
            actor=operator(),
            to=to,
            kind=message_type,
            data=data,
            reply_to=reply_to,
            expires_in=expires,
            case_worker=case_worker,
        )
        result = queries.summary(message)
    if json_out:
        _echo_json(result)
    else:
        typer.echo(result["id"])


@app.command("refer")
def refer_command(
    case_reference: str = typer.Argument(..., help="The case's reference, e.g. MA-2026-000123."),
    to: str = typer.Option(..., "--to", help="The receiving country's node id."),
    share: list[str] = typer.Option(..., "--share", help="A case field to share (repeat)."),
    service_kind: list[str] = typer.Option(
        ..., "--service", help="A service requested, e.g. shelter or return_reintegration (repeat)."
    ),
    summary: str = typer.Option(..., "--summary", help="Why the person is referred."),
    destination: str = typer.Option("", "--destination", help="City or area of return or stay."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Refer a victim's case to another country's NRM (needs cross-border consent on the case)."""
    from jusoor.cases import service as cases
    from jusoor.exchange.referral import refer_abroad

    with unit_of_work() as session:
        actor = operator()
        file = cases.get_case_by_reference(session, actor=actor, reference=case_reference)
        message = refer_abroad(
            session,
            actor=actor,
            case_id=file.case.id,
            to=to,
            shared_fields=share,
            data={
                "subject": summary[:200],
                "summary": summary,
                "destination": destination,
                "services_requested": service_kind,
            },
        )
        result = queries.summary(message)
    if json_out:
        _echo_json(result)
    else:
        typer.echo(result["id"])


@app.command("status")
def status_command(
    message_id: str = typer.Argument(..., help="The message id."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Where a message stands (and its delivery attempts, for one this node sent)."""
    with unit_of_work() as session:
        message = queries.get_message(session, actor=operator(), message_id_=message_id)
        result = queries.summary(message)
        sent = queries.delivery_of(session, message)
        result["attempts"] = sent.attempts if sent else 0
        result["last_error"] = sent.last_error if sent else ""
    if json_out:
        _echo_json(result)
        return
    typer.echo(
        f"{result['id']}  {result['type']}  {result['status']}  ({_('attempts')}: {result['attempts']})"
    )
    if result["last_error"]:
        typer.echo(_("Last error: %(error)s", error=result["last_error"]))


def _listing(direction: Direction, json_out: bool, everything: bool) -> None:
    with unit_of_work() as session:
        rows, _total = queries.list_messages(
            session, actor=operator(), direction=direction, opening_only=not everything
        )
        result = [queries.summary(m) for m in rows]
    if json_out:
        _echo_json(result)
        return
    for row in result:
        peer = row["from"] or row["to"]
        typer.echo(f"{row['id']}  {peer:<6} {row['type']:<24} {row['status']:<12} {row['subject']}")


@app.command("inbox")
def inbox_command(
    everything: bool = typer.Option(False, "--all", help="Thread messages too."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Messages received from peers (newest activity first)."""
    _listing(Direction.incoming, json_out, everything)


@app.command("outbox")
def outbox_command(
    everything: bool = typer.Option(False, "--all", help="Thread messages too."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Messages this node sent (newest activity first)."""
    _listing(Direction.outgoing, json_out, everything)


@app.command("show")
def show_command(message_id: str = typer.Argument(..., help="The message id.")) -> None:
    """One message with its content and its thread, as JSON (the read is audited)."""
    with unit_of_work() as session:
        message = queries.get_message(session, actor=operator(), message_id_=message_id)
        result = queries.summary(message, with_content=True)
        result["thread_messages"] = [
            queries.summary(m, with_content=True) for m in queries.thread_of(session, message)
        ]
    _echo_json(result)


@app.command("deliver")
def deliver_command(
    due_only: bool = typer.Option(
        False,
        "--due-only",
        help="Respect each message's back-off (for cron); default: try all now.",
    ),
    json_out: bool = JSON_OPTION,
) -> None:
    """One delivery pass over the outbox: send what is pending, collect receipts."""
    db = Database(get_settings().effective_database_url)
    try:
        report = delivery.deliver(db, force=not due_only)
    finally:
        db.dispose()
    if json_out:
        _echo_json(report.as_dict())
        return
    typer.echo(
        _(
            "Delivered: %(d)s, to retry: %(r)s, expired: %(e)s.",
            d=report.delivered,
            r=report.retrying,
            e=report.expired,
        )
    )
    for message_id, error in report.errors.items():
        typer.echo(f"  {message_id}: {error}")


@app.command("overdue")
def overdue_command(json_out: bool = JSON_OPTION) -> None:
    """Requests past their deadline and not answered, both ways."""
    with unit_of_work() as session:
        result = [queries.summary(m) for m in queries.overdue(session, actor=operator())]
    if json_out:
        _echo_json(result)
        return
    for row in result:
        typer.echo(
            f"{row['deadline']}  {row['id']}  {row['peer']:<6} {row['type']:<24} {row['subject']}"
        )
