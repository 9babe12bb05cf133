"""A small reverse proxy on loopback that loses what a test tells it to lose.

Put in front of a node (the node's public URL, hence its descriptor, names the proxy), it forwards
each request to the node and returns the answer, unless a switch says otherwise:

- `drop_responses = N`: the next N requests reach the node, but the client's connection is closed
  without an answer (a receipt lost on the way back);
- `refuse = True`: connections are closed before anything is read (a node that is unreachable);
- `blackhole = True`: requests are read and recorded but never forwarded nor answered (a request
  lost on the way in), which captures fresh envelopes that the node has never seen.

Every request is recorded (`seen`) with its body and what became of it, so that tests can replay or
tamper with real envelopes.
"""

from __future__ import annotations

import http.client
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

HOP_BY_HOP = frozenset(
    {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "host"}
)


@dataclass(frozen=True)
class Seen:
    """One request the proxy received; `status` is the node's answer (0: never reached it)."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    status: int
    dropped: bool


@dataclass
class FaultyProxy:
    """`FaultyProxy().start()`; `forward_to(node.url)`; `url` goes in the node's public URL."""

    target: str = ""
    drop_responses: int = 0
    refuse: bool = False
    blackhole: bool = False
    timeout: float = 60.0
    seen: list[Seen] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the proxy is not started")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> FaultyProxy:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def forward_to(self, target: str) -> None:
        self.target = target

    def requests_to(self, path: str) -> list[Seen]:
        with self._lock:
            return [s for s in self.seen if s.path == path]

    def _take_drop(self) -> bool:
        with self._lock:
            if self.drop_responses > 0:
                self.drop_responses -= 1
                return True
            return False

    def _record(self, seen: Seen) -> None:
        with self._lock:
            self.seen.append(seen)

    def _forward(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        parts = urlsplit(self.target)
        conn = http.client.HTTPConnection(
            parts.hostname or "127.0.0.1", parts.port or 80, timeout=self.timeout
        )
        try:
            conn.request(method, path, body=body or None, headers=headers)
            response = conn.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            conn.close()


def _handler_for(proxy: FaultyProxy) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def handle(self) -> None:
            if proxy.refuse:
                proxy._record(Seen("", "", {}, b"", 0, dropped=True))
                return  # the server closes the socket unread
            super().handle()

        def _relay(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            if proxy.blackhole:
                proxy._record(Seen(self.command, self.path, headers, body, 0, dropped=True))
                self.close_connection = True
                return
            try:
                status, answer_headers, answer = proxy._forward(
                    self.command, self.path, headers, body
                )
            except OSError:
                proxy._record(Seen(self.command, self.path, headers, body, 0, dropped=True))
                self.send_error(502)
                return
            dropped = proxy._take_drop()
            proxy._record(Seen(self.command, self.path, headers, body, status, dropped))
            if dropped:
                self.close_connection = True  # the node acted; its answer never arrives
                return
            self.send_response(status)
            for name, value in answer_headers:
                if name.lower() not in HOP_BY_HOP | {"content-length", "server", "date"}:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def do_GET(self) -> None:
            self._relay()

        def do_POST(self) -> None:
            self._relay()

        def log_message(self, format: str, *args: object) -> None:
            pass  # quiet: the record is `seen`

    return Handler
