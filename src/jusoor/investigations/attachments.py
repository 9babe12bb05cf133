"""Documents attached to a file (statements, scans, photographs, bank records), encrypted at rest.

A document is accepted for what its bytes are, not for what its name says (ASVS 4.0.3 12.2.1):
PDF, JPEG, PNG, UTF-8 text, and Word or Excel documents (OOXML zips holding the parts of their
kind, without macros). The name must agree with the content, so a PDF named ".png" is refused,
as is anything else. The name is cleaned, the SHA-256 of the content kept (to show the document
is the one attached), and name and content encrypted; each download is audited.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import unicodedata
import uuid
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from jusoor.audit.service import record
from jusoor.core.config import get_settings
from jusoor.core.errors import Invalid, NotFound
from jusoor.core.i18n import N_, format_number
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor
from jusoor.investigations import access, service
from jusoor.investigations.exhibits import local_time
from jusoor.investigations.models import Attachment, FileEvent, InvestigationFile
from jusoor.investigations.workflow import machine

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
TEXT = "text/plain; charset=utf-8"
CSV = "text/csv; charset=utf-8"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The names each kind of content may carry.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    PDF: (".pdf",),
    JPEG: (".jpg", ".jpeg"),
    PNG: (".png",),
    TEXT: (".txt",),
    DOCX: (".docx",),
    XLSX: (".xlsx",),
}
ACCEPTED = ".pdf,.jpg,.jpeg,.png,.txt,.csv,.docx,.xlsx"  # the upload field's `accept`

# The part every OOXML document of the kind has (ECMA-376 Part 2, the package's main part).
_OOXML_MAIN = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX}
_TEXT_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')
NAME_MAX = 120


# The routes that carry a document, given a larger body than the node's cap (web.body_limits,
# registered from domain.py): the file page's form and the API. Nothing else takes more.
UPLOAD_ROUTES = (
    ("POST", "/investigations/{file_id}/attachments"),
    ("POST", "/api/v1/investigations/{file_id}/attachments"),
)
# What a multipart body adds to the document: boundaries, part headers, the CSRF token.
FORM_OVERHEAD = 64_000


def max_bytes() -> int:
    """The largest document accepted (`JUSOOR_ATTACHMENT_MAX_BYTES`)."""
    return get_settings().attachment_max_bytes


def upload_limit() -> int:
    """The largest request an upload route takes: the document and its form around it."""
    return max_bytes() + FORM_OVERHEAD


def too_large() -> str:
    """The refusal of a document whose request is over `upload_limit()` (not read: no name)."""
    return _(
        "The document is larger than %(limit)s bytes, the most that can be attached.",
        limit=format_number(max_bytes()),
    )


def _ooxml(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, EOFError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        return None  # macros: a document that runs code when opened
    kinds = {kind for part, kind in _OOXML_MAIN.items() if part in names}
    return kinds.pop() if len(kinds) == 1 else None


def _text(data: bytes) -> bool:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not _TEXT_CONTROLS.search(text)


def sniff(data: bytes) -> str | None:
    """The content type the bytes really are, among those accepted (None: not accepted)."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"PK\x03\x04"):
        return _ooxml(data)
    if _text(data):
        return TEXT
    return None


def clean_name(name: str) -> str:
    """The name without its folders, control and reserved characters, or leading dots; at
    most NAME_MAX characters, keeping its extension (Arabic and other scripts kept)."""
    base = unicodedata.normalize("NFC", re.split(r"[/\\]", name or "")[-1])
    base = " ".join(_UNSAFE_NAME.sub("_", base).split()).lstrip(". ")
    if len(base) > NAME_MAX:
        stem, dot, ext = base.rpartition(".")
        ext = ext[:10] if dot else ""
        base = (stem if dot else base)[: NAME_MAX - len(ext) - 1] + (f".{ext}" if ext else "")
    return base


def content_type(name: str, data: bytes) -> str:
    """The type to store for `data` named `name`; Invalid("file") when the two disagree."""
    found = sniff(data)
    extension = ("." + name.rpartition(".")[2].lower()) if "." in name else ""
    if found == TEXT and extension == ".csv":
        return CSV
    if found is None or extension not in EXTENSIONS.get(found, ()):
        raise Invalid(
            "file",
            _(
                "%(file)s is not a document that can be attached: attach a PDF, JPEG or PNG "
                "image, text, Word or Excel document whose name matches its content.",
                file=name or "—",
            ),
        )
    return found


def attach(
    session: Session, *, actor: Actor, file_id: uuid.UUID, filename: str, data: bytes
) -> Attachment:
    """Attach a document to the file, once its size, name and content are checked."""
    file = service.file_for_update(session, actor=actor, file_id=file_id)
    name = clean_name(filename)
    if not name:
        raise Invalid("file", _("Choose a document to attach."))
    if not data:
        raise Invalid("file", _("%(file)s is empty.", file=name))
    limit = max_bytes()
    if len(data) > limit:
        raise Invalid(
            "file",
            _(
                "%(file)s is %(size)s bytes; documents of up to %(limit)s bytes can be attached.",
                file=name,
                size=format_number(len(data)),
                limit=format_number(limit),
            ),
        )
    attachment = Attachment(
        file_id=file.id,
        filename=name,
        content_type=content_type(name, data),
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        content=base64.b64encode(data).decode("ascii"),
        uploaded_by=actor.user_id,
    )
    session.add(attachment)
    session.flush()
    details = {"size": attachment.size, "type": attachment.content_type.split(";")[0]}
    service.add_event(session, file, actor=actor, kind="attachment", details=details)
    record(
        session,
        actor=actor,
        action="investigations.attachment.add",
        object_type=service.OBJECT,
        object_id=file.id,
        details={"attachment": str(attachment.id), "sha256": attachment.sha256, **details},
    )
    return attachment


@dataclass(frozen=True)
class Download:
    filename: str
    content_type: str
    data: bytes


def download(
    session: Session, *, actor: Actor, file_id: uuid.UUID, attachment_id: uuid.UUID
) -> Download:
    """A document of a file the caller may read; every download is audited."""
    file = service.get_file(session, actor=actor, file_id=file_id)
    attachment = session.get(Attachment, attachment_id)
    if attachment is None or attachment.file_id != file.id:
        raise NotFound(_("No such document in this file."))
    data = base64.b64decode(attachment.content)
    if hashlib.sha256(data).hexdigest() != attachment.sha256:  # never hand out altered evidence
        raise Invalid("file", _("This document is damaged and cannot be downloaded."))
    record(
        session,
        actor=actor,
        action="investigations.attachment.download",
        object_type=service.OBJECT,
        object_id=file.id,
        details={"attachment": str(attachment.id), "sha256": attachment.sha256},
    )
    return Download(attachment.filename, attachment.content_type, data)


def attachments_of(session: Session, file: InvestigationFile) -> Sequence[Attachment]:
    """The documents of a loaded (and audited) file, newest first, without their content."""
    return session.scalars(
        select(Attachment)
        .options(defer(Attachment.content))
        .where(Attachment.file_id == file.id)
        .order_by(Attachment.uploaded_at.desc(), Attachment.id.desc())
    ).all()


def panel(session: Session, *, actor: Actor, file: InvestigationFile) -> dict[str, Any]:
    """The documents section of the file page."""
    found = attachments_of(session, file)
    return {
        "visible": True,
        "title": _("Documents"),
        "count": len(found),
        "moment": local_time(session, actor),
        "attachments": found,
        "accept": ACCEPTED,
        "max_bytes": max_bytes(),
        "may_update": access.may_update(actor, file) and file.stage.value not in machine().terminal,
    }


def _word(event: FileEvent) -> str:
    size = (event.details or {}).get("size")
    return _("%(size)s bytes", size=format_number(int(size))) if isinstance(size, int) else ""


TIMELINE_KINDS = {"attachment": N_("Document attached")}
TIMELINE_DETAILS = {"attachment": _word}
