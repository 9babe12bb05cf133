"""Where reports come from: files, folders (recursively) and URLs, read into `Document`s.

Reading never stops a batch: a source that cannot be read becomes a `SourceError` in the stream,
in its place, and the next source is read. Fetching URLs needs the network and httpx; everything
else works offline.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from jusoor.core.errors import Invalid
from jusoor.core.i18n import gettext as _
from jusoor.monitor.reading.text import MAX_BYTES, Document, expand_paths, read_bytes, read_file

FETCH_TIMEOUT = 20.0  # seconds
USER_AGENT = "Jusoor news monitor (+https://github.com/jusoor)"
# Only encodings `_capped_body` inflates with a bound.
HEADERS = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"}


@dataclass(frozen=True, slots=True)
class SourceError:
    """A source (file, feed, URL) that gave no report, and why, in one translated line."""

    source: str
    message: str


def is_url(source: str) -> bool:
    return urlparse(source).scheme in {"http", "https"}


def read_sources(sources: Iterable[str | Path]) -> Iterator[Document | SourceError]:
    """Every report in the files, folders (recursive) and http(s) URLs named, in order."""
    for source in sources:
        if isinstance(source, str) and is_url(source):
            yield from fetch_url(source)
            continue
        path = Path(source)
        if not path.exists():
            yield SourceError(str(path), _("No such file or folder."))
            continue
        for file in expand_paths([path]):
            yield from read_path(file)


def read_path(path: Path) -> Iterator[Document | SourceError]:
    try:
        yield from read_file(path)
    except Invalid as exc:
        yield SourceError(str(path), _reason(exc, str(path)))


def fetch_url(url: str) -> Iterator[Document | SourceError]:
    """The reports at a URL (a page or a feed); a network or HTTP failure is a `SourceError`."""
    try:
        import httpx
    except ImportError:  # pragma: no cover - httpx is an optional dependency
        yield SourceError(url, _("Fetching URLs needs the httpx package."))
        return
    try:
        with (
            httpx.Client(timeout=FETCH_TIMEOUT, follow_redirects=True, headers=HEADERS) as client,
            client.stream("GET", url) as response,
        ):
            response.raise_for_status()
            data = _capped_body(response.headers.get("content-encoding", ""), response.iter_raw())
    except httpx.HTTPStatusError as exc:
        yield SourceError(
            url, _("The server answered %(status)s.", status=exc.response.status_code)
        )
        return
    except httpx.HTTPError as exc:
        yield SourceError(url, _("The page could not be fetched (%(reason)s).", reason=str(exc)))
        return
    if data is None:
        yield SourceError(url, _("The server sent the page in an encoding Jusoor cannot read."))
        return
    if len(data) > MAX_BYTES:
        yield SourceError(url, _("The page is too large to be a report."))
        return
    suffix = Path(urlparse(url).path).suffix.lower()
    try:
        documents = read_bytes(data, source=url, suffix=suffix)
    except Invalid as exc:
        yield SourceError(url, _reason(exc, url))
        return
    for document in documents:
        yield document if document.url else _with_url(document, url)


def _capped_body(encoding: str, chunks: Iterable[bytes]) -> bytes | None:
    """The body as it streams in, inflated here with a bound on each step (httpx would inflate a
    whole chunk at once), stopped one byte past `MAX_BYTES`: a page that never ends, or a small
    gzip that inflates to gigabytes, costs at most that much memory (ASVS 4.0.3 12.1.1,
    12.1.2). None when the encoding is not one Jusoor asked for."""
    encoding = encoding.strip().lower()
    if encoding not in ("", "identity", "gzip", "x-gzip", "deflate"):
        return None
    inflate = zlib.decompressobj(zlib.MAX_WBITS | 32) if encoding not in ("", "identity") else None
    body = bytearray()
    for chunk in chunks:
        pending = chunk
        while pending and len(body) <= MAX_BYTES:
            if inflate is None:
                body += pending
                break
            body += inflate.decompress(pending, MAX_BYTES + 1 - len(body))  # never 0: unbounded
            pending = inflate.unconsumed_tail
        if len(body) > MAX_BYTES:
            break
    return bytes(body[: MAX_BYTES + 1])


def _with_url(document: Document, url: str) -> Document:
    return Document(
        document.source, document.text, document.kind, document.title, url, document.published
    )


def _reason(exc: Invalid, source: str) -> str:
    """The reader's message without the source name it starts with (the result names it)."""
    prefix = f"{source}: "
    return exc.message[len(prefix) :] if exc.message.startswith(prefix) else exc.message
