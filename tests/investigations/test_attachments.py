"""Documents of a file: accepted for what their bytes are (a renamed program, a PDF named .png,
an empty or oversized file refused), their name cleaned, stored encrypted (the raw column holds
neither the bytes nor the name), downloaded as an attachment with every download audited, and
refused to anyone outside the file's reach."""

from __future__ import annotations

import base64
import io
import zipfile
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from jusoor.audit.models import AuditEvent
from jusoor.core.config import get_settings
from jusoor.core.db import Database
from jusoor.core.errors import Invalid, NotFound
from jusoor.investigations import attachments
from jusoor.investigations.models import Attachment
from tests.conftest import DEMO_PASSWORD
from tests.investigations.support import actor, open_file
from tests.investigations.test_assets import in_english
from tests.support.tokens import bearer
from tests.support.web import csrf_from, login

PDF = b"%PDF-1.7\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(17)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(20)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(40)
STATEMENT = "أقوال الضحية: وُعدت بعمل في فندق.\nStatement of the witness.\n".encode()


def ooxml(main: str, *extra: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for part in (main, *extra):
            archive.writestr(part, "<x/>")
    return buffer.getvalue()


@pytest.fixture
def small_limit(monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    monkeypatch.setenv("JUSOOR_ATTACHMENT_MAX_BYTES", "2000")
    get_settings.cache_clear()
    yield 2000
    get_settings.cache_clear()


@pytest.mark.parametrize(
    ("name", "data", "stored"),
    [
        ("statement.pdf", PDF, attachments.PDF),
        ("scene.PNG", PNG, attachments.PNG),
        ("scene.jpeg", JPEG, attachments.JPEG),
        ("notes.txt", STATEMENT, attachments.TEXT),
        ("ledger.csv", b"date,amount\n2026-01-02,500\n", attachments.CSV),
        ("report.docx", ooxml("word/document.xml"), attachments.DOCX),
        ("transfers.xlsx", ooxml("xl/workbook.xml"), attachments.XLSX),
    ],
)
def test_a_document_is_typed_by_its_content(name: str, data: bytes, stored: str) -> None:
    assert attachments.content_type(name, data) == stored


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("statement.pdf", EXE),  # a program renamed
        ("invoice.txt", EXE),
        ("scene.png", PDF),  # a PDF named as an image
        ("statement.pdf", PNG),
        ("report.docx", ooxml("xl/workbook.xml")),  # a workbook named as a Word document
        ("report.docx", ooxml("word/document.xml", "word/vbaProject.bin")),  # with macros
        ("archive.zip", b"PK\x03\x04" + bytes(30)),
        ("page.html", b"<html><script>alert(1)</script></html>"),
        ("notes", STATEMENT),  # no extension
        ("binary.txt", b"abc\x00def"),
    ],
)
def test_anything_else_is_refused(name: str, data: bytes) -> None:
    with pytest.raises(Invalid) as caught:
        attachments.content_type(name, data)
    assert caught.value.field == "file"


def test_names_are_cleaned() -> None:
    assert attachments.clean_name("../../etc/passwd.txt") == "passwd.txt"
    assert attachments.clean_name("C:\\Users\\x\\محضر الاستماع.pdf") == "محضر الاستماع.pdf"
    assert attachments.clean_name('a<b>:"c|?*.pdf') == "a_b_c_.pdf"
    assert attachments.clean_name("...hidden.txt") == "hidden.txt"
    assert attachments.clean_name("line\nbreak\r.txt") == "line_break_.txt"
    long = attachments.clean_name("x" * 300 + ".pdf")
    assert len(long) == attachments.NAME_MAX and long.endswith(".pdf")


def test_empty_and_oversized_documents_are_refused_and_nothing_is_kept(
    demo_db: Database, small_limit: int
) -> None:
    with demo_db.unit_of_work() as s:
        police = actor(s, "investigator.ma")
        file = open_file(s)
        for name, data in (("empty.pdf", b""), ("big.txt", b"a" * (small_limit + 1)), ("", PDF)):
            with pytest.raises(Invalid) as caught:
                attachments.attach(s, actor=police, file_id=file.id, filename=name, data=data)
            assert caught.value.field == "file"
        assert s.scalars(select(Attachment)).all() == []
        kept = attachments.attach(
            s, actor=police, file_id=file.id, filename="ok.txt", data=b"a" * small_limit
        )
        assert kept.size == small_limit


def test_a_document_is_encrypted_at_rest_and_its_download_audited(demo_db: Database) -> None:
    name = "محضر-الضحية-Fatima.pdf"
    data = PDF + b"Fatima Z. told the police where the house is.\n"
    with demo_db.unit_of_work() as s:
        police = actor(s, "investigator.ma")
        file = open_file(s)
        found = attachments.attach(s, actor=police, file_id=file.id, filename=name, data=data)
        file_id, attachment_id = file.id, found.id
    with demo_db.unit_of_work() as s:
        raw = s.execute(
            text("SELECT filename, content, sha256 FROM investigation_attachments")
        ).one()
        stored = f"{raw.filename}{raw.content}"
        for secret in (name, "Fatima", base64.b64encode(data).decode(), data.decode()):
            assert secret not in stored
        assert len(raw.sha256) == 64
        got = attachments.download(
            s, actor=actor(s, "prosecutor.ma"), file_id=file_id, attachment_id=attachment_id
        )
        assert (got.filename, got.content_type, got.data) == (name, attachments.PDF, data)
        for outsider in ("prosecutor.eg", "investigator.tn"):
            with pytest.raises(NotFound):
                attachments.download(
                    s, actor=actor(s, outsider), file_id=file_id, attachment_id=attachment_id
                )
        with pytest.raises(NotFound):  # the right document, through another file
            attachments.download(
                s, actor=police, file_id=open_file(s).id, attachment_id=attachment_id
            )
        downloads = s.scalars(
            select(AuditEvent).where(AuditEvent.action == "investigations.attachment.download")
        ).all()
        assert len(downloads) == 1 and downloads[0].object_id == str(file_id)


def test_upload_and_download_through_the_page_and_the_api(
    client: TestClient, demo_db: Database
) -> None:
    with demo_db.unit_of_work() as s:
        file_id = open_file(s).id
    in_english(demo_db, "investigator.ma")
    login(client, demo_db, "investigator.ma", DEMO_PASSWORD)
    url = f"/investigations/{file_id}"
    token = csrf_from(client.get(url).text)

    def upload(name: str, data: bytes) -> int:
        response = client.post(
            f"{url}/attachments",
            data={"csrf_token": token},
            files={"attachment-file": (name, data, "application/octet-stream")},
            follow_redirects=False,
        )
        if response.status_code == 422:
            assert 'id="attachment-file-error"' in response.text
        return response.status_code

    assert upload("setup.pdf", EXE) == 422
    assert upload("photo.png", PDF) == 422
    assert upload("empty.txt", b"") == 422
    assert upload("شهادة.pdf", PDF) == 303
    page = client.get(url).text
    assert "شهادة.pdf" in page
    with demo_db.unit_of_work() as s:
        attachment_id = s.scalars(select(Attachment.id)).one()
    got = client.get(f"{url}/attachments/{attachment_id}")
    assert got.status_code == 200 and got.content == PDF
    assert got.headers["content-type"] == "application/pdf"
    assert got.headers["x-content-type-options"] == "nosniff"
    disposition = got.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''%D8%B4%D9%87%D8%A7%D8%AF%D8%A9.pdf" in disposition

    police = bearer(demo_db, "investigator.ma")
    api = f"/api/v1/investigations/{file_id}/attachments"
    sent = client.post(api, files={"file": ("notes.txt", STATEMENT, "text/plain")}, headers=police)
    assert sent.status_code == 201, sent.text
    assert sent.json()["content_type"] == attachments.TEXT
    listed = client.get(api, headers=police).json()
    assert {a["filename"] for a in listed} == {"شهادة.pdf", "notes.txt"}
    renamed = client.post(api, files={"file": ("a.png", PDF, "image/png")}, headers=police)
    assert renamed.status_code == 422
    outsider = bearer(demo_db, "prosecutor.eg")
    assert client.get(f"{api}/{attachment_id}", headers=outsider).status_code == 404
    worker = bearer(demo_db, "caseworker.ma")
    assert client.get(f"{api}/{attachment_id}", headers=worker).status_code == 403
    with demo_db.unit_of_work() as s:
        downloads = s.scalars(
            select(AuditEvent).where(AuditEvent.action == "investigations.attachment.download")
        ).all()
        assert len(downloads) == 1  # the refused ones read nothing


def test_an_oversized_upload_is_refused_on_the_form(
    client: TestClient, demo_db: Database, small_limit: int
) -> None:
    with demo_db.unit_of_work() as s:
        file_id = open_file(s).id
    in_english(demo_db, "investigator.ma")
    login(client, demo_db, "investigator.ma", DEMO_PASSWORD)
    url = f"/investigations/{file_id}"
    refused = client.post(
        f"{url}/attachments",
        data={"csrf_token": csrf_from(client.get(url).text)},
        files={"attachment-file": ("big.txt", b"a" * (small_limit + 1), "text/plain")},
        follow_redirects=False,
    )
    assert refused.status_code == 422
    assert 'id="attachment-file-error"' in refused.text
    assert "2,000" in refused.text  # the limit, as the reader writes numbers
    with demo_db.unit_of_work() as s:
        assert s.scalars(select(Attachment)).all() == []
