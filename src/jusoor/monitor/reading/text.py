"""Read press reports from files: plain text, HTML pages (main text only) and RSS/Atom feeds.

HTML goes through trafilatura, which keeps the article and drops menus, footers and comments; feeds
through feedparser, one document per item. A publication date is taken only from what the page or
feed declares (meta tags, `<time>`, the item's date), never searched for in the running text:
trafilatura's "extensive" date search would take an event date for the publication date.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

import charset_normalizer
from lxml import etree  # type: ignore[import-untyped]
from lxml import html as lxml_html

from jusoor.core.errors import Invalid
from jusoor.core.i18n import gettext as _

DocumentKind = Literal["text", "html", "feed"]
MAX_BYTES = 20 * 1024 * 1024  # a press report is never this big; a larger file is not one
_HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
_FEED_SUFFIXES = {".rss", ".atom", ".xml"}


def _unreadable(source: str, reason: str) -> Invalid:
    """The error for a file that holds no readable report (missing, empty, binary, broken feed).

    `reason` is already translated; the sentence around it is whole, for Arabic word order."""
    return Invalid("file", _("%(source)s cannot be read: %(reason)s", source=source, reason=reason))


@dataclass(frozen=True, slots=True)
class Document:
    source: str  # the file path; "path#3" for the third item of a feed
    text: str
    kind: DocumentKind = "text"
    title: str | None = None
    url: str | None = None
    published: date | None = None


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """The files named, folders replaced by the files under them (sorted, hidden ones skipped)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and not any(part.startswith(".") for part in p.parts)
            )
        else:
            files.append(path)
    return files


def read_file(path: Path) -> list[Document]:
    """The reports a file holds (several for a feed). Raises Invalid for an unreadable file."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise _unreadable(str(path), _("the file is too large to be a report"))
        data = path.read_bytes()
    except OSError as exc:
        raise _unreadable(
            str(path),
            _("the file cannot be opened (%(problem)s)", problem=exc.strerror or str(exc)),
        ) from exc
    return read_bytes(data, source=str(path), suffix=path.suffix.lower())


def read_bytes(data: bytes, *, source: str, suffix: str = "") -> list[Document]:
    """Reports in raw bytes, sniffing whether they are text, HTML or a feed."""
    if not data.strip():
        raise _unreadable(source, _("the file is empty"))
    if b"\x00" in data[:8192]:
        raise _unreadable(source, _("it is a binary file, not a text, an HTML page or a feed"))
    text = _decode(data, source)
    head = text[:2048].lstrip().lower()
    if (
        suffix in _FEED_SUFFIXES
        or head.startswith(("<rss", "<feed", "<rdf"))
        or (head.startswith("<?xml") and any(tag in head for tag in ("<rss", "<feed", "<rdf")))
    ):
        return read_feed(data, source=source)
    if suffix in _HTML_SUFFIXES or any(tag in head for tag in ("<html", "<!doctype html", "<body")):
        return [read_html(text, source=source)]
    return [Document(source=source, text=text.strip())]


def _decode(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        best = charset_normalizer.from_bytes(data).best()
        if best is None:
            raise _unreadable(source, _("its text encoding is unknown")) from None
        return str(best)


def read_html(html: str, *, source: str, url: str | None = None) -> Document:
    """The main text of an HTML page, its headline first, boilerplate dropped."""
    import trafilatura  # here, not at the top: it is slow to import and only reading needs it

    extracted = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    body = (getattr(extracted, "text", None) or "").strip() if extracted else ""
    if not body:
        body = _plain_text(html)
    if not body:
        raise _unreadable(source, _("no text was found in the HTML page"))
    title = getattr(extracted, "title", None) if extracted else None
    if title and not body.startswith(title):
        body = f"{title}\n\n{body}"
    published = _iso_date(getattr(extracted, "date", None) if extracted else None)
    return Document(source, body, "html", title, url, published)


def _plain_text(html: str) -> str:
    """Every text node, for fragments too short for main-text extraction (feed summaries)."""
    try:
        return " ".join(str(lxml_html.fromstring(html).text_content()).split())
    except (ValueError, etree.ParserError):
        return ""


def read_feed(data: bytes, *, source: str) -> list[Document]:
    """One document per item of an RSS or Atom feed (items with no text are skipped)."""
    import feedparser  # type: ignore[import-untyped]  # (as trafilatura above)

    feed: Any = feedparser.parse(data)
    documents = list(_feed_items(feed.entries, source))
    if not documents:
        # feedparser recovers what it can from a broken feed; nothing recovered is an error.
        reason = _("the feed does not parse") if feed.bozo else _("the feed has no items")
        raise _unreadable(source, reason)
    return documents


def _feed_items(entries: list[Any], source: str) -> Iterator[Document]:
    for number, entry in enumerate(entries, start=1):
        content = entry.get("content") or []
        html = content[0].get("value", "") if content else entry.get("summary", "")
        body = _plain_text(html) if html else ""
        title = entry.get("title")
        text = f"{title}\n\n{body}" if title and body else (title or body)
        if not text:
            continue
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        published = date(*stamp[:3]) if isinstance(stamp, time.struct_time) else None
        yield Document(f"{source}#{number}", text, "feed", title, entry.get("link"), published)


def _iso_date(value: object) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
