"""Fetching a report over HTTP is bounded as it streams: a gzip bomb or an endless page is cut at
the size limit, never read whole (a real loopback server)."""

from __future__ import annotations

import gzip
import threading
import tracemalloc
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from jusoor.monitor.store import ingest

LIMIT = 1_000_000
BOMB = gzip.compress(b"<p>" + b" " * 100_000_000 + b"</p>", compresslevel=9)  # ~100 KB


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # the http.server interface names it
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        if self.path == "/bomb":
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(BOMB)))
            self.end_headers()
            self.wfile.write(BOMB)
        elif self.path == "/endless":
            self.end_headers()  # no length: the body runs until the connection closes
            try:
                for _ in range(10_000):
                    self.wfile.write(b"<p>" + b"x" * 65_536 + b"</p>")
            except (BrokenPipeError, ConnectionResetError):
                pass
        else:
            body = b"<html><body><h1>Report</h1><p>Three men were arrested.</p></body></html>"
            if self.path == "/gzip":
                body = gzip.compress(body)
                self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setattr(ingest, "MAX_BYTES", LIMIT)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize("path", ["/bomb", "/endless"])
def test_a_body_past_the_limit_is_cut_while_streaming(server: str, path: str) -> None:
    tracemalloc.start()
    (result,) = list(ingest.fetch_url(server + path))
    _now, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert isinstance(result, ingest.SourceError)
    assert "too large" in result.message
    assert peak < 10 * LIMIT  # not the 100 MB the bomb inflates to, nor the endless page


@pytest.mark.parametrize("path", ["/page", "/gzip"])
def test_an_ordinary_page_is_still_read(server: str, path: str) -> None:
    (document,) = list(ingest.fetch_url(server + path))
    assert isinstance(document, ingest.Document)
    assert "arrested" in document.text
