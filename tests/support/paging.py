"""Walking a list to its end the way a person (its "Next page" links) or a script (the API's
`X-Next-Cursor` header) does."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from fastapi.testclient import TestClient

NEXT_RE = re.compile(r'href="([^"]+)" rel="next"')


def html_pages(client: TestClient, url: str, *, most: int = 20) -> list[str]:
    """Each page of a list, first to last, following its "Next page" link (each answered 200)."""
    texts: list[str] = []
    while url:
        assert len(texts) < most, f"more than {most} pages: the pages never ended"
        page = client.get(url)
        assert page.status_code == 200, page.text[:500]
        texts.append(page.text)
        found = NEXT_RE.search(page.text)
        url = unescape(found.group(1)) if found else ""
    return texts


def api_rows(
    client: TestClient, headers: dict[str, str], url: str, *, most: int = 100
) -> list[dict[str, Any]]:
    """Every row of an API list, page by page through `X-Next-Cursor` (`url` carries its own
    query; `after` is added)."""
    rows: list[dict[str, Any]] = []
    after = ""
    joiner = "&" if "?" in url else "?"
    for _ in range(most):
        response = client.get(f"{url}{joiner}after={after}", headers=headers)
        assert response.status_code == 200, response.text
        rows += response.json()
        after = response.headers.get("X-Next-Cursor", "")
        if not after:
            return rows
    raise AssertionError(f"more than {most} pages: the pages never ended")
