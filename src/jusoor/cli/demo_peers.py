"""The demo's peer nodes (Egypt, Tunisia, Mauritania) as real nodes beside `serve --init-demo`.

Each peer is a `jusoor serve` process of its own, with its own data dir under the demo node's
(`peers/eg/`), SQLite database, port, keys and demo users (the same demo password). At its first
start each is set up the way docs/EXCHANGE.md sets up two countries: `jusoor init --demo` makes
its keys and users; `jusoor demo join` imports this node's descriptor after checking the
fingerprint this node printed, writes its own descriptor and prints its fingerprint, which this
node checks in turn when it imports it. The peer then seals its demo requests to this node with
its own keys; this node receives those exact bytes through its inbox while it loads its demo, and
the peer's delivery worker, posting them again, gets the first receipts back.

The peers live as long as this node's server: they are stopped when it stops (Ctrl-C), and killed
by the kernel if it dies (PR_SET_PDEATHSIG). A second start reuses their data dirs.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import typer

from jusoor.core.config import Settings
from jusoor.core.console import JSON_OPTION
from jusoor.core.i18n import gettext as _

# The demo's peers and the ports they take when free (else any free port, kept for later starts).
PEER_PORTS = {"EG": 8712, "TN": 8716, "MR": 8722}
STATE_FILE = "peer.json"
SETUP_TIMEOUT = 600.0  # `init --demo` and `demo join` on a loaded two-core machine
STOP_DEADLINE = 20.0
# Settings of this node that a peer must not inherit: each has its own keys, database, address.
_OWN_SETTINGS = (
    "JUSOOR_DATA_KEY",
    "JUSOOR_SECRET_KEY",
    "JUSOOR_AUDIT_KEY",
    "JUSOOR_AUDIT_ANCHOR",
    "JUSOOR_DATABASE_URL",
    "JUSOOR_WEB_WORKERS",
    "JUSOOR_FORWARDED_ALLOW_IPS",
    "JUSOOR_ALLOWED_HOSTS",
)


class PeerSetupError(RuntimeError):
    """A peer could not be set up; the message says which and why, in the operator's words."""


@dataclass
class DemoPeer:
    """One demo peer node: where it lives, its port, and its process once started."""

    node_id: str
    dir: Path
    port: int
    hub_endpoint: str = ""  # this node's address as the peer last imported it
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.dir / "server.log"

    @property
    def descriptor_path(self) -> Path:
        return self.dir / "descriptor.json"

    @property
    def joined(self) -> bool:
        return bool(self.hub_endpoint) and self.descriptor_path.exists()

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def save(self) -> None:
        state = {"node_id": self.node_id, "port": self.port, "hub_endpoint": self.hub_endpoint}
        (self.dir / STATE_FILE).write_text(json.dumps(state) + "\n", encoding="utf-8")

    def env(self, settings: Settings, password: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in _OWN_SETTINGS}
        env.update(
            {
                "JUSOOR_DATA_DIR": str(self.dir),
                "JUSOOR_DATABASE_URL": f"sqlite:///{self.dir / 'jusoor.db'}",
                "JUSOOR_HOST": "127.0.0.1",
                "JUSOOR_PORT": str(self.port),
                "JUSOOR_PUBLIC_URL": self.url,
                "JUSOOR_NODE_ID": self.node_id,
                "JUSOOR_DEMO_CASES": "0",
                "JUSOOR_DEMO_PEERS": "false",  # a peer starts no peers of its own
                "JUSOOR_DEMO_PASSWORD": password,
                "JUSOOR_STATS_WARM": "false",
                "PYTHONUNBUFFERED": "1",
            }
        )
        return env


def peers_root(settings: Settings) -> Path:
    return settings.data_dir / "peers"


def _port_free(port: int) -> bool:
    """Whether a server could listen on `port` now (as uvicorn binds: connections of a server
    just stopped, still in TIME_WAIT, do not hold the port)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _any_free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def plan(settings: Settings, own_node_id: str, *, avoid: int) -> list[DemoPeer]:
    """The demo peers of this node (every demo country but its own), as last started or new."""
    root = peers_root(settings)
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    found: list[DemoPeer] = []
    for code, wanted in PEER_PORTS.items():
        if code == own_node_id[:2]:
            continue
        folder = root / code.lower()
        state_file = folder / STATE_FILE
        if state_file.exists():
            state: dict[str, Any] = json.loads(state_file.read_text("utf-8"))
            peer = DemoPeer(code, folder, int(state["port"]), str(state.get("hub_endpoint", "")))
        else:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            port = wanted if wanted != avoid and _port_free(wanted) else _any_free_port()
            peer = DemoPeer(code, folder, port)
            peer.save()
        found.append(peer)
    return found


def _run(peer: DemoPeer, settings: Settings, password: str, *args: str) -> str:
    """Run `jusoor ARGS` as the peer's operator; its standard output, or PeerSetupError."""
    try:
        done = subprocess.run(  # noqa: S603 - this interpreter, our own command
            [sys.executable, "-m", "jusoor", *args],
            env=peer.env(settings, password),
            cwd=peer.dir,  # no `.env` of a checkout is read
            capture_output=True,
            text=True,
            timeout=SETUP_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PeerSetupError(
            _(
                "The demo node of %(node)s could not be set up: %(reason)s",
                node=peer.node_id,
                reason=exc,
            )
        ) from exc
    if done.returncode != 0:
        last = (done.stderr or done.stdout).strip().splitlines()[-1:] or [""]
        raise PeerSetupError(
            _(
                "The demo node of %(node)s could not be set up: %(reason)s",
                node=peer.node_id,
                reason=last[0],
            )
        )
    return done.stdout


@dataclass(frozen=True)
class Joined:
    """What a peer's `jusoor demo join` printed: its node id, fingerprint, descriptor file and the
    envelopes it sealed for this node."""

    node_id: str
    fingerprint: str
    descriptor: Path
    envelopes: tuple[bytes, ...]


def set_up(
    peers: Sequence[DemoPeer],
    settings: Settings,
    password: str,
    *,
    hub_descriptor: Path,
    hub_fingerprint: str,
    hub_endpoint: str,
) -> tuple[list[Joined], list[str]]:
    """Set up every peer not yet joined to this node at `hub_endpoint`, side by side: `init
    --demo`, then `demo join`. (what each joined printed, the problems of those that failed)."""

    def one(peer: DemoPeer) -> Joined:
        if not peer.descriptor_path.exists():
            _run(peer, settings, password, "init", "--demo")
        out = _run(
            peer,
            settings,
            password,
            "demo",
            "join",
            str(hub_descriptor),
            "--fingerprint",
            hub_fingerprint,
            "--out",
            str(peer.descriptor_path),
            "--json",
        )
        printed = json.loads(out)
        return Joined(
            node_id=str(printed["node_id"]),
            fingerprint=str(printed["fingerprint"]),
            descriptor=peer.descriptor_path,
            envelopes=tuple(str(e).encode() for e in printed["envelopes"]),
        )

    todo = [peer for peer in peers if peer.hub_endpoint != hub_endpoint or not peer.joined]
    joined: list[Joined] = []
    problems: list[str] = []
    with ThreadPoolExecutor(max_workers=max(1, len(todo))) as pool:
        futures = {peer.node_id: (peer, pool.submit(one, peer)) for peer in todo}
        for peer, future in futures.values():
            try:
                joined.append(future.result())
            except PeerSetupError as exc:
                problems.append(str(exc))
                continue
            peer.hub_endpoint = hub_endpoint
            peer.save()
    return joined, problems


def _die_with_parent() -> Callable[[], None] | None:
    """What a child runs before exec so that the kernel sends it SIGTERM when this node's
    process dies: even a killed demo leaves no peer behind (Linux; elsewhere None, and the
    `finally` of `serve` stops them). libc is loaded here, in the parent, not in the child."""
    try:
        prctl = ctypes.CDLL("libc.so.6", use_errno=True).prctl
    except (OSError, AttributeError):
        return None

    def set_death_signal() -> None:
        prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG

    return set_death_signal


def start(peers: Sequence[DemoPeer], settings: Settings, password: str) -> list[str]:
    """Start every joined peer's server (`serve --init-demo`: it migrates first); the problems
    of those that cannot start (e.g. their port is taken)."""
    problems: list[str] = []
    before_exec = _die_with_parent()
    for peer in peers:
        if not peer.joined:
            continue
        if not _port_free(peer.port):
            problems.append(
                _(
                    "The demo node of %(node)s did not start: port %(port)s is taken by another "
                    "program.",
                    node=peer.node_id,
                    port=peer.port,
                )
            )
            continue
        log: IO[bytes] = peer.log_path.open("ab")
        log.write(f"\n--- start on port {peer.port} at {time.ctime()} ---\n".encode())
        log.flush()
        peer.process = subprocess.Popen(
            [sys.executable, "-m", "jusoor", "serve", "--init-demo"],
            env=peer.env(settings, password),
            cwd=peer.dir,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches this node, which stops the peers in order
            preexec_fn=before_exec,  # no thread runs yet in this process (see `serve`)
        )
        log.close()  # the child holds its own copy
    return problems


def stop(peers: Sequence[DemoPeer]) -> None:
    """SIGTERM every running peer, then SIGKILL those still running after a deadline."""
    running = [peer for peer in peers if peer.running]
    for peer in running:
        assert peer.process is not None
        with contextlib.suppress(ProcessLookupError):
            peer.process.send_signal(signal.SIGTERM)
    end = time.monotonic() + STOP_DEADLINE
    for peer in running:
        assert peer.process is not None
        try:
            peer.process.wait(timeout=max(0.1, end - time.monotonic()))
        except subprocess.TimeoutExpired:
            peer.process.kill()
            peer.process.wait(timeout=STOP_DEADLINE)
        peer.process = None


def print_addresses(peers: Sequence[DemoPeer]) -> None:
    """The peers' addresses and logins, for the start-up banner (no secret: same password)."""
    from jusoor.web.labels import country_name

    started = [peer for peer in peers if peer.process is not None]
    if not started:
        return
    typer.echo(
        _("Demo peer nodes (each its own process, database and keys; stopped with this one):")
    )
    for peer in started:
        code = peer.node_id.lower()
        typer.echo(
            "  "
            + _(
                "%(country)s (%(node)s): %(url)s, sign in as liaison.%(code)s or "
                "caseworker.%(code)s (same password); log: %(log)s",
                country=country_name(peer.node_id),
                node=peer.node_id,
                url=peer.url,
                code=code,
                log=str(peer.log_path),
            )
        )
    typer.echo("")


def join_command(
    hub: Path = typer.Argument(..., help="The demo node's descriptor file."),
    fingerprint: str = typer.Option(
        ..., "--fingerprint", help="The fingerprint the demo node printed for its descriptor."
    ),
    out: Path = typer.Option(..., "--out", help="Where to write this node's own descriptor."),
    json_out: bool = JSON_OPTION,
) -> None:
    """On a demo peer: import the demo node as a peer, write this node's descriptor, and queue
    this peer's demo requests to it (once); prints the envelopes of those still undelivered."""
    from sqlalchemy import select

    from jusoor.agencies.service import actor_for, get_user_by_username
    from jusoor.core.console import fail, operator, read_json_file, unit_of_work
    from jusoor.core.errors import DomainError
    from jusoor.exchange.models import Message, OutboxEntry
    from jusoor.exchange.nodes import node, peers
    from jusoor.exchange.vocabulary import Direction
    from jusoor.synth import exchange as demo_exchange

    doc = read_json_file(hub, "descriptor")
    try:
        with unit_of_work() as session:
            hub_peer = peers.add_peer(
                session,
                actor=operator(),
                descriptor=doc,
                expected_fingerprint=fingerprint,
                replace=True,  # the demo node was set up again: its operator printed new keys
            )
            ident = node.identity(session)
            own = node.descriptor_of(ident)
            sent_before = session.scalars(
                select(Message.id).where(
                    Message.peer == hub_peer.node_id, Message.direction == Direction.outgoing
                )
            ).first()
            if sent_before is None:
                liaison = get_user_by_username(session, f"liaison.{ident.node_id[:2].lower()}")
                author = actor_for(liaison, via="cli") if liaison is not None else operator()
                demo_exchange.queue_requests(session, actor=author, to=hub_peer.node_id)
                session.flush()
            envelopes = session.scalars(
                select(OutboxEntry.envelope)
                .where(OutboxEntry.peer == hub_peer.node_id, OutboxEntry.pending.is_(True))
                .order_by(OutboxEntry.message_id)
            ).all()
    except DomainError as exc:
        fail(exc.message)
    out.write_text(json.dumps(own, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    result = {
        "node_id": ident.node_id,
        "fingerprint": ident.fingerprint,
        "envelopes": list(envelopes),
    }
    if json_out:
        typer.echo(json.dumps(result))
        return
    typer.echo(
        _("Joined %(node)s; descriptor written to %(path)s.", node=hub_peer.node_id, path=out)
    )
