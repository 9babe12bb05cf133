"""`serve --init-demo` runs the demo's peers (EG, TN, MR) as real nodes: their own processes,
ports, databases and keys; their requests reach the demo node, a reply goes back with its receipt,
and they stop with the node (issue 19). One real process tree over loopback, as `make run` starts it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.support.nodes import free_port, wait_until

pytestmark = pytest.mark.nodes

DEADLINE = 900.0  # three nodes set up side by side on a loaded two-core machine
PEERS = ("EG", "TN", "MR")


@dataclass
class Demo:
    dir: Path
    port: int
    log: Path
    process: subprocess.Popen[bytes] | None = None

    def env(self, node: str | None = None) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("JUSOOR_")}
        data = self.dir if node is None else self.dir / "peers" / node.lower()
        env.update(
            {
                "JUSOOR_DATA_DIR": str(data),
                "JUSOOR_DATABASE_URL": f"sqlite:///{data / 'jusoor.db'}",
                "JUSOOR_DEMO_PASSWORD": "demo-password-for-tests",
                "JUSOOR_DEMO_CASES": "0",
                "JUSOOR_EXCHANGE_DELIVER_SECONDS": "1",
                "JUSOOR_STATS_WARM": "false",
                "JUSOOR_LOCALE": "en",
                "JUSOOR_DEFAULT_LOCALE": "en",
                "JUSOOR_RATE_LIMIT_PER_MINUTE": "100000",
                "JUSOOR_RATE_LIMIT_ANONYMOUS_PER_MINUTE": "100000",
                "JUSOOR_PORT": str(self.port),
                "PYTHONUNBUFFERED": "1",
            }
        )
        return env

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "jusoor", "serve", "--init-demo"],
                env=self.env(),
                cwd=self.dir,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def stop(self) -> int:
        """Ctrl-C, as in a terminal; the exit code."""
        assert self.process is not None
        self.process.send_signal(signal.SIGINT)
        code = self.process.wait(timeout=120)
        self.process = None
        return code

    def cli(self, node: str | None, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "jusoor", *args],
            env=self.env(node),
            cwd=self.dir,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, f"{node}: jusoor {args}: {done.stdout}{done.stderr}"
        return done.stdout

    def cli_json(self, node: str | None, *args: str) -> Any:
        return json.loads(self.cli(node, *args))

    def peer_port(self, node: str) -> int:
        state = json.loads((self.dir / "peers" / node.lower() / "peer.json").read_text())
        return int(state["port"])

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def healthy(port: int) -> bool:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", "/healthz")
        return conn.getresponse().status == 200
    except OSError:
        return False
    finally:
        conn.close()


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    folder = tmp_path / "node"
    folder.mkdir(mode=0o700)
    running = Demo(folder, free_port(), tmp_path / "serve.log")
    try:
        yield running
    finally:
        if running.process is not None and running.process.poll() is None:
            running.process.kill()
            running.process.wait(timeout=60)


def test_the_demo_peers_run_as_nodes_their_requests_arrive_a_reply_returns_and_they_stop_with_it(
    demo: Demo,
) -> None:
    demo.start()
    wait_until(lambda: healthy(demo.port), deadline=DEADLINE, what="the demo node")
    ports = {node: demo.peer_port(node) for node in PEERS}
    assert len(set(ports.values()) | {demo.port}) == 4  # each its own address
    for node, port in ports.items():
        wait_until(lambda port=port: healthy(port), deadline=DEADLINE, what=f"the {node} node")
    started = demo.output()
    assert "Demo peer nodes" in started and f"http://127.0.0.1:{ports['EG']}" in started
    assert "liaison.eg" in started and "demo-password-for-tests" not in started

    # Each peer's own keys, imported on the demo node under the fingerprint the peer printed.
    known = {p["node_id"]: p for p in demo.cli_json(None, "exchange", "peers", "list", "--json")}
    for node in PEERS:
        own = json.loads((demo.dir / "peers" / node.lower() / "descriptor.json").read_text())
        assert known[node]["fingerprint"] == own["fingerprint"]

    # The requests the peers sealed arrived, and their senders hold the demo node's receipts.
    inbox = demo.cli_json(None, "exchange", "inbox", "--json")
    assert {m["peer"] for m in inbox} == set(PEERS)
    mla = next(m for m in inbox if m["type"] == "mla_request")
    wait_until(
        lambda: (
            demo.cli_json("EG", "exchange", "status", mla["id"], "--json")["status"] == "delivered"
        ),
        deadline=DEADLINE,
        interval=3,
        what="EG's receipt",
    )

    # A reply goes to Egypt's node; its receipt comes back, and Egypt's request is answered.
    body = demo.dir / f"reply-{uuid.uuid4().hex}.txt"
    body.write_text("The account statements are attached.", encoding="utf-8")
    reply = demo.cli(
        None,
        "exchange",
        "send",
        "--type",
        "reply",
        "--reply-to",
        mla["id"],
        "--body-file",
        str(body),
    ).split()[-1]
    wait_until(
        lambda: demo.cli_json(None, "exchange", "status", reply, "--json")["status"] == "delivered",
        deadline=DEADLINE,
        interval=3,
        what="the reply's receipt",
    )
    assert demo.cli_json("EG", "exchange", "status", mla["id"], "--json")["status"] == "answered"

    # Ctrl-C stops the node and every peer with it.
    assert demo.stop() == 0
    for node, port in ports.items():
        assert not healthy(port), f"{node} still answers"

    # A second start reuses the peers: nothing is set up again, the messages are still there.
    first_run = len(demo.output())
    demo.start()
    wait_until(lambda: healthy(demo.port), deadline=DEADLINE, what="the demo node again")
    for node, port in ports.items():
        wait_until(lambda port=port: healthy(port), deadline=DEADLINE, what=f"{node} again")
    second = demo.output()[first_run:]
    assert "Demo peer nodes" in second and "Setting up the demo peer nodes" not in second
    assert demo.cli_json("EG", "exchange", "status", mla["id"], "--json")["status"] == "answered"
    assert demo.stop() == 0
    for port in ports.values():
        assert not healthy(port)
