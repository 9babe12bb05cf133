"""Documents up to their real limit: a 2 MB scan uploads on the file page and through the API, past
the node's 1 MB cap on a request (only these two routes take more); an 11 MB one is refused with
the form's error on the page and a 413 naming the field on the API, before its body is read; a
2 MB body on any other route is still a 413."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from jusoor.core.config import get_settings
from jusoor.core.db import Database
from jusoor.investigations import attachments
from jusoor.investigations.models import Attachment
from jusoor.web import body_limits
from tests.conftest import DEMO_PASSWORD
from tests.investigations.support import in_english, open_file
from tests.security.test_route_walk import routes as every_route
from tests.support.tokens import bearer
from tests.support.web import csrf_from, login, translated

MB = 1_000_000


def pdf(size: int) -> bytes:
    """A PDF of `size` bytes (a scan's worth of stream data)."""
    head = b"%PDF-1.7\n1 0 obj <</Type /Catalog>> endobj\n"
    tail = b"\ntrailer <</Root 1 0 R>>\n%%EOF\n"
    return head + b"0" * (size - len(head) - len(tail)) + tail


@pytest.fixture
def file_id(demo_db: Database) -> uuid.UUID:
    with demo_db.unit_of_work() as session:
        return open_file(session).id


def _stored(db: Database) -> list[int]:
    with db.unit_of_work() as session:
        return sorted(a.size for a in session.scalars(select(Attachment)))


def _page_upload(client: TestClient, url: str, data: bytes) -> tuple[int, str]:
    response = client.post(
        f"{url}/attachments",
        data={"csrf_token": csrf_from(client.get(url).text)},
        files={"attachment-file": ("scan.pdf", data, "application/pdf")},
        follow_redirects=False,
    )
    return response.status_code, response.text


def test_the_node_caps_requests_at_a_megabyte_and_documents_at_ten() -> None:
    settings = get_settings()
    assert settings.max_body_bytes == MB  # the premise of the tests below
    assert attachments.max_bytes() == settings.attachment_max_bytes == 10 * MB
    assert attachments.upload_limit() > attachments.max_bytes()


def test_a_two_megabyte_scan_uploads_on_the_page_and_the_api(
    client: TestClient, demo_db: Database, file_id: uuid.UUID
) -> None:
    login(client, demo_db, "investigator.ma", DEMO_PASSWORD)
    url = f"/investigations/{file_id}"
    status, _text = _page_upload(client, url, pdf(2 * MB))
    assert status == 303
    sent = client.post(
        f"/api/v1{url}/attachments",
        files={"file": ("scan-2.pdf", pdf(2 * MB + 1), "application/pdf")},
        headers=bearer(demo_db, "investigator.ma"),
    )
    assert sent.status_code == 201, sent.text
    assert sent.json()["size"] == 2 * MB + 1
    assert _stored(demo_db) == [2 * MB, 2 * MB + 1]


def test_an_eleven_megabyte_scan_gets_the_forms_error_on_the_page(
    client: TestClient, demo_db: Database, file_id: uuid.UUID
) -> None:
    in_english(demo_db, "investigator.ma")
    login(client, demo_db, "investigator.ma", DEMO_PASSWORD)
    url = f"/investigations/{file_id}"
    status, text = _page_upload(client, url, pdf(11 * MB))
    assert status == 422
    assert 'id="attachment-file-error"' in text
    assert "10,000,000" in text
    assert '<details class="card panel" id="attachments" open>' in text  # the error is seen
    # just over the document's limit, within the request's: the service's own message
    status, text = _page_upload(client, url, pdf(10 * MB + 1))
    assert status == 422
    assert 'id="attachment-file-error"' in text and "10,000,001" in text

    def chunks() -> Iterator[bytes]:  # no declared length: cut while it streams in
        yield b'--b\r\ncontent-disposition: form-data; name="attachment-file"; filename="x.pdf"'
        yield b"\r\ncontent-type: application/pdf\r\n\r\n%PDF-1.7\n"
        for _ in range(11 * MB // 65536 + 1):
            yield b"0" * 65536
        yield b"\r\n--b--\r\n"

    streamed = client.post(
        f"{url}/attachments",
        content=chunks(),
        headers={"content-type": "multipart/form-data; boundary=b"},
        follow_redirects=False,
    )
    assert streamed.status_code == 422 and 'id="attachment-file-error"' in streamed.text
    assert _stored(demo_db) == []


def test_an_eleven_megabyte_scan_gets_a_413_naming_the_field_on_the_api(
    client: TestClient, demo_db: Database, file_id: uuid.UUID
) -> None:
    api = f"/api/v1/investigations/{file_id}/attachments"
    in_english(demo_db, "investigator.ma")
    police = {**bearer(demo_db, "investigator.ma"), "accept-language": "en"}
    refused = client.post(api, files={"file": ("big.pdf", pdf(11 * MB), "application/pdf")},
                          headers=police)  # fmt: skip
    assert refused.status_code == 413
    error = refused.json()["error"]
    assert error["field"] == "file"
    assert error["message"] == translated(
        "The document is larger than %(limit)s bytes, the most that can be attached.",
        "en",
        limit="10,000,000",
    )

    def chunks() -> Iterator[bytes]:  # no declared length: cut while it streams in
        yield b'--b\r\ncontent-disposition: form-data; name="file"; filename="x.pdf"\r\n\r\n'
        for _ in range(11 * MB // 65536 + 1):
            yield b"0" * 65536
        yield b"\r\n--b--\r\n"

    streamed = client.post(
        api, content=chunks(), headers={**police, "content-type": "multipart/form-data; boundary=b"}
    )
    assert streamed.status_code == 413 and streamed.json()["error"]["field"] == "file"
    assert _stored(demo_db) == []


def test_two_megabytes_anywhere_else_are_still_refused(
    client: TestClient, demo_db: Database, file_id: uuid.UUID
) -> None:
    login(client, demo_db, "investigator.ma", DEMO_PASSWORD)
    url = f"/investigations/{file_id}"
    token = csrf_from(client.get(url).text)
    padded = {"csrf_token": token, "asset-kind": "cash", "asset-description": "x" * (2 * MB)}
    assert client.post(f"{url}/assets", data=padded).status_code == 413
    assert client.post(f"{url}/edit", data=padded).status_code == 413
    api = client.post(
        "/api/v1/investigations",
        json={"title": "x" * (2 * MB)},
        headers=bearer(demo_db, "investigator.ma"),
    )
    assert api.status_code == 413 and api.json()["error"]["field"] is None


def test_an_allowance_is_its_route_exactly(client: TestClient) -> None:
    app = client.app
    assert isinstance(app, FastAPI)
    routes = {(method, path) for method, path, _endpoint in every_route(app)}
    allowed = body_limits.allowances()
    assert {(a.method, a.path) for a in allowed} == set(attachments.UPLOAD_ROUTES)
    for allowance in allowed:
        assert (allowance.method, allowance.path) in routes  # a route that exists
    some = uuid.uuid4()
    assert body_limits.allowance_for("post", f"/investigations/{some}/attachments") is not None
    for method, path in (
        ("GET", f"/investigations/{some}/attachments"),
        ("POST", f"/investigations/{some}/attachments/{some}"),
        ("POST", f"/investigations/{some}/x/attachments"),
        ("POST", "/investigations//attachments"),
        ("POST", f"/api/v1/investigations/{some}/assets"),
    ):
        assert body_limits.allowance_for(method, path) is None, (method, path)
