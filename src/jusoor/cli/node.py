"""`jusoor init`, `jusoor serve` and `jusoor demo …`: set up a node and run its web server."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

import typer

from jusoor.cli import demo_peers
from jusoor.core import datafiles, migrate
from jusoor.core.config import get_settings
from jusoor.core.console import JSON_OPTION, fail, operator, reason, unit_of_work
from jusoor.core.db import Database
from jusoor.core.i18n import gettext as _
from jusoor.synth import demo
from jusoor.synth import exchange as demo_exchange

demo_app = typer.Typer(help="Synthetic demo data: agencies and one user per role and country.")


def _migrate() -> None:
    settings = get_settings()
    if not settings.data_dir.exists():
        settings.data_dir.mkdir(parents=True, mode=0o700)  # the database holds victims' data
    db = Database(settings.effective_database_url)
    try:
        migrate.upgrade(db.engine)
    except Exception as exc:
        fail(_("The database could not be prepared: %(reason)s", reason=reason(exc)))
    finally:
        db.dispose()
    _start_audit_anchor()


def _start_audit_anchor() -> None:
    """A new node, or the first start after keyed audit hashes came in: start the anchor file.

    This seals events written before audit keys (plain SHA-256) once they verify; a trail that
    does not verify is reported and left unanchored, so `jusoor audit verify` keeps failing.
    """
    from jusoor.audit.checkpoints import anchor, anchor_exists
    from jusoor.audit.findings import describe

    if anchor_exists():
        return
    db = Database(get_settings().effective_database_url)
    try:
        done = anchor(db, actor=operator(), start=True)
    except Exception as exc:
        fail(_("The audit trail could not be anchored: %(reason)s", reason=reason(exc)))
    finally:
        db.dispose()
    if not done.written:
        typer.echo(describe(done.result), err=True)


def _load_demo_if_empty(arrived: Sequence[bytes] | None = None) -> int:
    """Load the demo on a node without users; `arrived`: the envelopes its running demo peers
    sealed for it (received even when the demo was loaded before the peers ran)."""
    settings = get_settings()
    with unit_of_work() as session:
        if demo.has_users(session):
            if arrived:
                demo_exchange.receive(session, arrived)
            return 0
        return demo.load(
            session,
            actor=operator(),
            password=demo.demo_password(settings),
            cases=max(0, get_settings().demo_cases),
            arrived=arrived,
        )


def _demo_network(bind_port: int) -> tuple[list[demo_peers.DemoPeer], list[bytes]]:
    """Set up the demo peers not yet joined to this node (docs/EXCHANGE.md, both ways, each
    fingerprint checked); (the peers, the envelopes they sealed for this node)."""
    from jusoor.exchange.nodes import node as exchange_node
    from jusoor.exchange.nodes import peers as exchange_peers

    settings = get_settings()
    password = demo.demo_password(settings)
    endpoint = settings.public_url.rstrip("/") or f"http://127.0.0.1:{bind_port}"
    with unit_of_work() as session:
        ident = demo_exchange.own_identity(session, actor=operator())
        own = exchange_node.descriptor_of(ident, endpoint=endpoint)
    network = demo_peers.plan(settings, ident.node_id, avoid=bind_port)
    hub_file = demo_peers.peers_root(settings) / f"{ident.node_id}.descriptor.json"
    hub_file.write_text(json.dumps(own, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if any(peer.hub_endpoint != endpoint or not peer.joined for peer in network):
        typer.echo(_("Setting up the demo peer nodes (at the first start: a few minutes)..."))
    joined, problems = demo_peers.set_up(
        network,
        settings,
        password,
        hub_descriptor=hub_file,
        hub_fingerprint=ident.fingerprint,
        hub_endpoint=endpoint,
    )
    for problem in problems:
        typer.echo(problem, err=True)
    arrived: list[bytes] = []
    with unit_of_work() as session:
        for peer in joined:
            exchange_peers.add_peer(
                session,
                actor=operator(),
                descriptor=json.loads(peer.descriptor.read_text("utf-8")),
                expected_fingerprint=peer.fingerprint,  # as the peer's own command printed it
                replace=True,  # a peer set up again has new keys
            )
            arrived.extend(peer.envelopes)
    return network, arrived


def _node_identity_from_settings() -> None:
    """With JUSOOR_NODE_ID set to a country code, the node gets its exchange keys at first init,
    so that `jusoor init` then `jusoor serve` is all a node needs (docs/EXCHANGE.md)."""
    from jusoor.core.errors import Invalid
    from jusoor.exchange.nodes import node

    try:
        node_id = node.check_node_id(get_settings().node_id)
    except Invalid:
        return  # the default "XX": exchange is set up later with `jusoor exchange init`
    with unit_of_work() as session:
        if not node.has_identity(session):
            ident = node.init_node(session, actor=operator(), node_id=node_id)
            typer.echo(_("Exchange keys created for node %(node)s.", node=ident.node_id))


def init_command(
    with_demo: bool = typer.Option(
        False, "--demo", help="Also load the synthetic demo data when the node has no users."
    ),
) -> None:
    """Create or upgrade the database schema (and optionally load the demo data)."""
    try:
        datafiles.check_all()  # a node is not set up on a data file that does not parse
    except datafiles.DataFileError as exc:
        fail(exc.message)
    _migrate()
    _node_identity_from_settings()
    created = _load_demo_if_empty() if with_demo else 0
    typer.echo(_("The database is ready."))
    if created:
        typer.echo(_("Demo data loaded: %(n)s users.", n=created))


DEMO_LOGINS_FILE = "demo-logins.txt"


def _write_logins_file(logins: list[demo.DemoLogin], password: str) -> Path:
    """The demo password and second-factor keys, in a file only the operator can read.

    Secrets never go to the terminal, where `serve` output ends up in service logs and
    journald (ASVS 4.0.3 V7.1.1, V2.10.4); this file sits beside the keys in the data dir."""
    path = get_settings().data_dir / DEMO_LOGINS_FILE
    lines = [
        _("Demo logins (synthetic data only):"),
        _("Password of every demo user: %(password)s", password=password),
        "",
    ]
    lines += [f"{x.username}\t{', '.join(x.roles)}\t{x.totp_secret or '-'}" for x in logins]
    tmp = path.with_name(f".{path.name}.partial")
    tmp.unlink(missing_ok=True)
    with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as fh:
        fh.write("\n".join(lines) + "\n")
    os.replace(tmp, path)
    return path


def _print_logins() -> None:
    """The demo usernames, one line per role; the password and keys go to a private file."""
    settings = get_settings()
    with unit_of_work() as session:
        logins = demo.logins(session)
    if not logins:
        return
    path = _write_logins_file(logins, demo.demo_password(settings))
    by_role: dict[str, list[str]] = {}
    for login in logins:
        by_role.setdefault(", ".join(login.roles), []).append(login.username)
    typer.echo("")
    typer.echo(_("Demo logins (synthetic data only):"))
    for role, usernames in sorted(by_role.items()):
        typer.echo(f"  {role:<18} {' '.join(usernames)}")
    if settings.demo_password is not None:
        # The operator chose it: name where it comes from, never echo it into the service log.
        typer.echo(
            _(
                "Password: the one in JUSOOR_DEMO_PASSWORD. The second-factor keys are in "
                "%(path)s, readable only by you. Print a user's current code with: "
                "%(command)s demo code USERNAME",
                path=str(path),
                command=own_command(),
            )
        )
    else:
        typer.echo(
            _(
                "The password and the second-factor keys are in %(path)s, readable only by "
                "you. Print a user's current code with: %(command)s demo code USERNAME",
                path=str(path),
                command=own_command(),
            )
        )
    typer.echo("")


def own_command() -> str:
    """How to run this same `jusoor` from the current directory: `jusoor` when the shell finds
    this one by that name, else its path (`make run` starts `.venv/bin/jusoor`, not on PATH)."""
    started = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if started is None or started.name != "jusoor":
        return "jusoor"  # `python -m jusoor`, an embedding program: the installed name
    found = shutil.which("jusoor")
    if found and Path(found).resolve() == started.resolve():
        return "jusoor"
    try:
        relative = started.resolve().relative_to(Path.cwd())
    except ValueError:
        return shlex.quote(str(started.resolve()))
    return shlex.quote(str(relative))


def serve_command(
    host: str | None = typer.Option(None, help="Address to bind (default JUSOOR_HOST)."),
    port: int | None = typer.Option(None, help="Port (default JUSOOR_PORT)."),
    init_demo: bool = typer.Option(
        False,
        "--init-demo",
        help="Migrate, load demo data on first run, and list the demo logins (their password "
        "and keys go to a private file in the data dir).",
    ),
    workers: int | None = typer.Option(
        None,
        "--workers",
        min=1,
        help="Web worker processes (default JUSOOR_WEB_WORKERS, 1). More than one needs "
        "PostgreSQL; the background work still runs once per node, in the main process.",
    ),
) -> None:
    """Serve the web app (http://127.0.0.1:8000 by default)."""
    settings = get_settings()
    processes = _worker_count(workers)
    bind_host, bind_port = host or settings.host, port or settings.port
    network: list[demo_peers.DemoPeer] = []
    if init_demo:
        _migrate()
        _node_identity_from_settings()
        arrived: list[bytes] | None = None
        if settings.demo_peers:
            network, arrived = _demo_network(bind_port)
        _load_demo_if_empty(arrived)
        _print_logins()
    else:
        db = Database(settings.effective_database_url)
        try:
            current = migrate.is_current(db.engine)
        finally:
            db.dispose()
        if not current:
            fail(_("The database schema is not current: run jusoor init first."))
    from jusoor.audit.keys import audit_keyring
    from jusoor.core.crypto import CryptoError

    try:
        audit_keyring()  # every request audits: refuse to start without a usable audit key
    except CryptoError as exc:
        fail(reason(exc))

    if network:
        # Before any thread of this process starts: the peers are forked from it.
        for problem in demo_peers.start(network, settings, demo.demo_password(settings)):
            typer.echo(problem, err=True)
        demo_peers.print_addresses(network)
    try:
        _serve(processes, bind_host, bind_port)
    finally:
        demo_peers.stop(network)  # the demo's peers end with this node (Ctrl-C, or a failure)


def _serve(processes: int, bind_host: str, bind_port: int) -> None:
    """Build the app, start the node's background threads, and serve until stopped."""
    import uvicorn
    from sqlalchemy.orm import configure_mappers

    from jusoor.app import WARM_ENV, create_app, warm_up

    settings = get_settings()
    typer.echo(_("Jusoor is serving on http://%(host)s:%(port)s", host=bind_host, port=bind_port))
    # The app first: it imports every domain's models, and the mappers are configured here, in
    # this thread. A background thread that queried while a models module was still half imported
    # would fail to configure the mappers, and SQLAlchemy then refuses every later query of the
    # process (seen as a node answering 500 to every envelope).
    app = create_app()
    configure_mappers()
    warm = settings.serve_warm_up
    if warm and processes == 1:
        warm_up()  # this process serves: its first viewers do not load the node's tables
    if settings.exchange_deliver_seconds > 0:
        from jusoor.exchange.transport.delivery import DeliveryThread

        # Delivers the exchange outbox while the server runs; a no-op on a node without peers.
        DeliveryThread(settings.effective_database_url, settings.exchange_deliver_seconds).start()
    from jusoor.audit.appender import start_appender

    # Requests record audit events unchained; this thread chains them in order (issue 18).
    appending = (
        start_appender(settings.effective_database_url, settings.audit_append_seconds)
        if settings.audit_append_seconds > 0
        else None
    )
    if settings.stats_warm and processes == 1:
        from jusoor.stats.warming import WarmingThread

        # Counts every scope's default dashboard in the background, in the app's own database
        # (its kept tables are per process): the first viewer of a scope does not wait.
        app.state.warming = WarmingThread(app.state.database)
        app.state.warming.start()
    if settings.audit_checkpoint_seconds > 0:
        from jusoor.audit.checkpoints import CheckpointThread

        # Anchors the audit chain's head outside the database whenever it moved (ASVS 7.3.3).
        CheckpointThread(settings.effective_database_url, settings.audit_checkpoint_seconds).start()
    trusted = settings.forwarded_allow_ips.strip()
    if warm and processes > 1:
        os.environ[WARM_ENV] = "1"  # each worker process warms its own app (`create_app`)
    try:
        uvicorn.run(
            # One process serves the app built above; several import the factory, each its own
            # app and connection pool, while this process only supervises them and runs the
            # threads (the appender's mode reaches the workers through the environment).
            app if processes == 1 else "jusoor.app:create_app",
            factory=processes > 1,
            workers=processes,
            host=bind_host,
            port=bind_port,
            proxy_headers=bool(trusted),
            forwarded_allow_ips=trusted or None,
            log_level="info",
        )
    finally:
        os.environ.pop(WARM_ENV, None)
        warming = getattr(app.state, "warming", None)
        if warming is not None:  # stopped between two scopes, not left counting
            warming.stopping.set()
            warming.join(timeout=60)
        if appending is not None:
            appending.stop()  # chains what is still pending, then records inline again


def _worker_count(given: int | None) -> int:
    """The web worker processes to run: more than one only on PostgreSQL.

    SQLite has one writer for the whole file and every request writes (its audit event): worker
    processes would only queue on the file lock, and on a two-core machine one process already
    keeps SQLite busy (docs/SCALE.md)."""
    settings = get_settings()
    count = settings.web_workers if given is None else given
    if count < 1:
        fail(_("Give at least one web worker (JUSOOR_WEB_WORKERS or --workers)."))
    if count > 1 and settings.effective_database_url.startswith("sqlite"):
        fail(
            _(
                "Several web workers need PostgreSQL: SQLite takes one writer at a time. "
                "Serve with one worker, or move the node to PostgreSQL (docs/SCALE.md)."
            )
        )
    return count


@demo_app.command("load")
def demo_load(
    cases: int | None = typer.Option(
        None,
        "--cases",
        min=1,
        help="Also load a national caseload of this many cases, with their history and an audit "
        "trail, in one transaction (COPY on PostgreSQL).",
    ),
    seed: int = typer.Option(2026, "--seed", help="Seed of the synthetic caseload."),
    audit_events: int | None = typer.Option(
        None, "--audit-events", min=0, help="Audit events to add (default: 3 per case)."
    ),
    years: int = typer.Option(5, "--years", min=1, max=30, help="Years the caseload spans."),
    batch: int = typer.Option(10_000, "--batch", min=100, help="Rows per batch written."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Load the demo agencies and users (those that already exist are kept); with --cases, a
    national caseload on top of them (README: "A national database at scale")."""
    _migrate()
    settings = get_settings()
    with unit_of_work() as session:
        created = demo.load(
            session,
            actor=operator(),
            password=demo.demo_password(settings),
            cases=0 if cases else max(0, settings.demo_cases),
        )
    if cases:
        from jusoor.synth.scale.console import load_caseload

        load_caseload(
            cases=cases,
            seed=seed,
            audit_events=audit_events,
            years=years,
            batch=batch,
            users_created=created,
            json_out=json_out,
        )
        return
    if json_out:
        typer.echo(json.dumps({"users_created": created}))
    else:
        typer.echo(_("Demo data loaded: %(n)s users.", n=created))


@demo_app.command("logins")
def demo_logins(json_out: bool = JSON_OPTION) -> None:
    """List the demo users, their roles and agencies."""
    if json_out:
        with unit_of_work() as session:
            rows = [
                {"username": x.username, "roles": list(x.roles), "agency": x.agency}
                for x in demo.logins(session)
            ]
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    _print_logins()


demo_app.command("join")(demo_peers.join_command)


@demo_app.command("code")
def demo_code(
    username: str = typer.Argument(..., help="A demo user with a second factor."),
) -> None:
    """Print a second-factor code of a demo user that has not been used yet (refused for real
    users). A code is single-use: after a sign-in, the next time step's code is printed, or the
    command waits for the clock to reach it."""
    from jusoor.core.security import totp

    with unit_of_work() as session:
        found = {x.username: x for x in demo.logins(session)}.get(username.strip().lower())
    if found is None or found.totp_secret is None:
        fail(_("%(username)s is not a demo user with a second factor.", username=username))
    typer.echo(totp.next_unused_code(found.totp_secret, found.totp_last_step))
