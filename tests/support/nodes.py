"""Real Jusoor nodes as separate processes on loopback, for multi-node tests and the benchmark.

A `Node` is a directory (data dir, SQLite file, server log), a free port and an environment; `cli()`
runs `python -m jusoor …` against it and `start()` runs `jusoor init` then `jusoor serve` and waits
for `/healthz`. Nothing is shared between nodes but the keys the test environment sets (each node
gets its own keys when none are set). The machine may be slow and shared: every wait is a poll
with a generous deadline, never a fixed sleep.
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import pytest

CLI_TIMEOUT = 180.0  # one CLI run (Python start-up and imports are slow on a loaded machine)
START_DEADLINE = 120.0  # from `serve` to a 200 on /healthz
STOP_DEADLINE = 30.0  # from SIGTERM to exit, before SIGKILL
PORT_ATTEMPTS = 3  # a free port may be taken by another process between probe and bind
START_MARK = "--- start"


class NodeError(AssertionError):
    """A node did not start, stop or answer as expected (the message holds its log)."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until(
    predicate: Callable[[], Any], *, deadline: float = 60.0, interval: float = 0.25, what: str = ""
) -> Any:
    """Poll `predicate` until it returns something truthy; that value, or NodeError at deadline."""
    end = time.monotonic() + deadline
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > end:
            raise NodeError(f"timed out after {deadline:.0f}s waiting for {what or predicate}")
        time.sleep(interval)


def _random_data_key() -> str:
    return "knode0001:" + base64.b64encode(secrets.token_bytes(32)).decode()


class Node:
    """One national node: `Node("MA", tmp_path)`; `start()`, `cli(...)`, `stop()`."""

    def __init__(
        self,
        name: str,
        root: Path,
        *,
        public_url: str | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        self.name = name.upper()
        self.dir = root / self.name.lower()
        self.dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.db_file = self.dir / "jusoor.db"
        self.log_path = self.dir / "server.log"
        self.port = free_port()
        self._public_url = public_url
        self._extra_env = dict(env or {})
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None
        self._initialised = False
        self._ever_started = False
        # Keys of the test environment (tests/conftest.py) when set, else this node's own.
        inherited = {k: v for k, v in os.environ.items() if k.startswith("JUSOOR_")}
        self._keys = {
            "JUSOOR_DATA_KEY": inherited.get("JUSOOR_DATA_KEY", _random_data_key()),
            "JUSOOR_SECRET_KEY": inherited.get("JUSOOR_SECRET_KEY", secrets.token_urlsafe(32)),
            "JUSOOR_DEMO_PASSWORD": inherited.get(
                "JUSOOR_DEMO_PASSWORD", secrets.token_urlsafe(12)
            ),
        }
        self._inherited = inherited

    # --- addresses ---------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """Where the node's own server listens (not necessarily its public URL)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def public_url(self) -> str:
        """The address in its descriptor: its own URL, or a proxy's in front of it."""
        return self._public_url or self.url

    @public_url.setter
    def public_url(self, value: str | None) -> None:
        self._public_url = value

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("JUSOOR_")}
        env.update(self._inherited)
        env.update(self._keys)
        env.update(
            {
                "JUSOOR_DATA_DIR": str(self.dir),
                "JUSOOR_DATABASE_URL": f"sqlite:///{self.db_file}",
                "JUSOOR_HOST": "127.0.0.1",
                "JUSOOR_PORT": str(self.port),
                "JUSOOR_PUBLIC_URL": self.public_url,
                "JUSOOR_NODE_ID": self.name,
                "JUSOOR_EXCHANGE_DELIVER_SECONDS": "1",
                "JUSOOR_SERVE_WARM_UP": "false",  # a second and a half per start, dozens of starts
                "JUSOOR_DEMO_CASES": "0",
                "JUSOOR_DEFAULT_LOCALE": "en",
                "JUSOOR_LOCALE": "en",  # the CLI's own messages, asserted on by tests
                "JUSOOR_RATE_LIMIT_PER_MINUTE": "100000",
                "JUSOOR_RATE_LIMIT_ANONYMOUS_PER_MINUTE": "100000",
                "PYTHONUNBUFFERED": "1",
            }
        )
        env.pop("JUSOOR_REQUIRE_POSTGRES", None)
        env.update(self._extra_env)
        return env

    # --- the command line --------------------------------------------------------------------

    def cli(
        self, *args: str, check: bool = True, input: str | None = None, timeout: float = CLI_TIMEOUT
    ) -> subprocess.CompletedProcess[str]:
        """Run `jusoor ARGS…` as this node's operator; with `check`, a non-zero exit fails."""
        command = [sys.executable, "-m", "jusoor", *args]
        # cwd is the node's directory so that no `.env` of the checkout is read.
        result = subprocess.run(
            command,
            env=self.env,
            cwd=self.dir,
            input=input,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if check and result.returncode != 0:
            raise NodeError(
                f"{self.name}: `jusoor {' '.join(args)}` exited {result.returncode}\n"
                f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
            )
        return result

    def cli_json(self, *args: str) -> Any:
        """Run a command that prints JSON (add `--json` yourself when it needs the flag)."""
        out = self.cli(*args).stdout
        try:
            return json.loads(out)
        except json.JSONDecodeError as exc:
            raise NodeError(
                f"{self.name}: `jusoor {' '.join(args)}` printed no JSON:\n{out}"
            ) from exc

    def init(self) -> None:
        """`jusoor init` (migrations), once per node."""
        if not self._initialised:
            self.cli("init")
            self._initialised = True

    # --- the server --------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self) -> Node:
        """Init once, then serve; returns when /healthz answers 200. Raises NodeError with the log."""
        self.init()
        for attempt in range(PORT_ATTEMPTS):
            self._spawn()
            try:
                self.wait_healthy()
            except NodeError:
                last_run = self._last_run_log().lower()
                if self.running or attempt == PORT_ATTEMPTS - 1:
                    self.stop()
                    raise
                if "run jusoor init" in last_run:
                    self.cli("init")  # the code gained a migration since this node was set up
                elif "address already in use" in last_run and not self._ever_started:
                    self.port = free_port()  # nobody knows this node's address yet
                else:
                    self.stop()
                    raise
                continue
            self._ever_started = True
            return self
        raise NodeError(f"{self.name}: could not start")  # pragma: no cover - loop returns

    def _spawn(self) -> None:
        if self.running:
            raise NodeError(f"{self.name} is already running")
        self._log = self.log_path.open("ab")
        self._log.write(f"\n{START_MARK} on port {self.port} at {time.ctime()} ---\n".encode())
        self._log.flush()
        self._process = subprocess.Popen(
            [sys.executable, "-m", "jusoor", "serve"],
            env=self.env,
            cwd=self.dir,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def wait_healthy(self, deadline: float = START_DEADLINE) -> None:
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            if not self.running:
                raise NodeError(f"{self.name} exited while starting\n{self.log_tail()}")
            try:
                status, _ = self.request("GET", "/healthz", timeout=5.0)
            except OSError:
                status = 0
            if status == 200:
                return
            time.sleep(0.2)
        raise NodeError(
            f"{self.name} did not answer /healthz in {deadline:.0f}s\n{self.log_tail()}"
        )

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after a deadline. Safe to call on a stopped node."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=STOP_DEADLINE)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=STOP_DEADLINE)
        if self._log is not None:
            self._log.close()
            self._log = None

    def restart(self) -> Node:
        self.stop()
        return self.start()

    # --- HTTP --------------------------------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 60.0,
    ) -> tuple[int, bytes]:
        """One HTTP request to this node's own server: (status, body)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def post_json(self, path: str, payload: bytes | Any) -> tuple[int, Any]:
        """POST JSON (bytes as they are, anything else dumped); (status, decoded answer or None)."""
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        status, raw = self.request(
            "POST", path, body=body, headers={"Content-Type": "application/json"}
        )
        try:
            return status, json.loads(raw)
        except json.JSONDecodeError:
            return status, None

    # --- diagnostics -------------------------------------------------------------------------

    def log_text(self) -> str:
        if self._log is not None:
            self._log.flush()
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def _last_run_log(self) -> str:
        return self.log_text().rsplit(START_MARK, 1)[-1]

    def log_tail(self, lines: int = 60) -> str:
        tail = "\n".join(self.log_text().splitlines()[-lines:])
        return f"--- {self.name} log ({self.log_path}) ---\n{tail}"

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"Node({self.name}, {self.url}, {state})"


NodeFactory = Callable[..., Node]


@contextmanager
def node_group(root: Path) -> Iterator[NodeFactory]:
    """`make(name, **kwargs) -> Node` (not started); every node made is stopped on leaving."""
    made: list[Node] = []

    def make(name: str, **kwargs: Any) -> Node:
        node = Node(name, root, **kwargs)
        made.append(node)
        return node

    try:
        yield make
    finally:
        for node in made:
            node.stop()


@pytest.fixture
def nodes(tmp_path: Path) -> Iterator[NodeFactory]:
    """A factory of nodes under the test's tmp_path, every one stopped at teardown."""
    with node_group(tmp_path) as make:
        yield make


def start_all(*members: Node) -> None:
    """Start several nodes side by side (their start-ups overlap on the shared machine)."""
    for node in members:
        node.init()
    for node in members:
        if not node.running:
            node._spawn()
    for node in members:
        try:
            node.wait_healthy()
        except NodeError:
            # A lost port race or a slow start: the one-by-one path retries and explains.
            node.stop()
            node.start()
        node._ever_started = True
