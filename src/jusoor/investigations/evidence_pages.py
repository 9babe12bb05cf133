"""The file page's evidence forms: assets, exhibits and their custody, legal instruments,
documents (upload and download) and linked files.

Each form posts to `/investigations/{file_id}/<thing>`, runs its service call in a savepoint and
goes back to the file page: with `?done=added`, or with the errors next to the fields (422). The
fields of each form carry a prefix (`asset-`, `exhibit-`, …; a row's own forms also its id), so
that the errors of one form never show in another on the same page.
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from collections.abc import Callable, Mapping
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData, UploadFile

from jusoor.core.errors import DomainError, Invalid
from jusoor.core.i18n import N_
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Action
from jusoor.investigations import assets, attachments, exhibits, instruments, links
from jusoor.investigations.pages import FILES, FileId, saved, shown_again
from jusoor.web.access import requires
from jusoor.web.actions import submit
from jusoor.web.body_limits import BodyTooLarge
from jusoor.web.context import context_of
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.forms import FORM, path_id

router = APIRouter(include_in_schema=False)

UPDATE = [requires(Action.investigations_update)]
AssetId = Annotated[uuid.UUID, path_id("asset_id", N_("No such asset in this file."))]
ExhibitId = Annotated[uuid.UUID, path_id("exhibit_id", N_("No such exhibit in this file."))]
InstrumentId = Annotated[
    uuid.UUID, path_id("instrument_id", N_("No such instrument in this file."))
]
AttachmentId = Annotated[uuid.UUID, path_id("attachment_id", N_("No such document in this file."))]


def _labels() -> dict[str, str]:
    return {
        "kind": _("Kind"),
        "description": _("Description"),
        "estimated_value": _("Estimated value"),
        "currency": _("Currency"),
        "defendant_id": _("Whose"),
        "seized_on": _("Seized on"),
        "seized_where": _("Where it was seized"),
        "status": _("New status"),
        "on": _("On"),
        "holder": _("Held by"),
        "since": _("From"),
        "purpose": _("Why"),
        "authority": _("Issuing authority"),
        "reference": _("Reference"),
        "requested_on": _("Requested on"),
        "expires_on": _("Expires on"),
        "note": _("Note"),
        "other_reference": _("Reference of the other file"),
        "relation": _("Relation"),
        "file": _("Document"),
    }


def _local(value: str, timezone: str) -> str | dt.datetime:
    """A `datetime-local` field, read in the person's time zone (left as typed if it is not
    one: the schema then says what is wrong with it)."""
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is not None:
        return moment
    try:
        return moment.replace(tzinfo=zoneinfo.ZoneInfo(timezone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return moment.replace(tzinfo=dt.UTC)


def _fields(form: FormData, prefix: str, names: tuple[str, ...]) -> dict[str, Any]:
    """The named fields of one form, without the prefix; empty ones left out."""
    found: dict[str, Any] = {}
    for name in names:
        value = form.get(prefix + name)
        if isinstance(value, str) and value.strip():
            found[name] = value
    return found


async def _post(
    request: Request,
    db: DbSession,
    actor: CurrentActor,
    file_id: uuid.UUID,
    prefix: str,
    run: Callable[[FormData], object],
    panel: str,
) -> Response:
    """Run one evidence form of `panel`; errors go back to the file page under the form's
    prefix, that panel open."""

    def failed(errors: Mapping[str, str], typed: dict[str, str]) -> Response:
        placed = {k if k == FORM else prefix + k: v for k, v in errors.items()}
        return shown_again(request, db, actor, file_id, placed, typed, panel=panel)

    return await submit(
        request,
        db,
        run=run,
        done=lambda _result: saved(file_id, panel),
        failed=failed,
        labels=_labels(),
        catch=(DomainError,),
    )


@router.post(f"{FILES}/{{file_id}}/assets", response_class=HTMLResponse, dependencies=UPDATE)
async def add_asset(
    request: Request, db: DbSession, actor: CurrentActor, file_id: FileId
) -> Response:
    def run(form: FormData) -> object:
        names = ("kind", "description", "estimated_value", "currency", "defendant_id", "seized_on")
        asset_in = assets.AssetIn.model_validate(_fields(form, "asset-", names))
        return assets.add_asset(db, actor=actor, file_id=file_id, asset_in=asset_in)

    return await _post(request, db, actor, file_id, "asset-", run, "assets")


@router.post(
    f"{FILES}/{{file_id}}/assets/{{asset_id}}/status",
    response_class=HTMLResponse,
    dependencies=UPDATE,
)
async def move_asset(
    request: Request, db: DbSession, actor: CurrentActor, file_id: FileId, asset_id: AssetId
) -> Response:
    prefix = f"asset-{asset_id}-"

    def run(form: FormData) -> object:
        move = assets.AssetMove.model_validate(_fields(form, prefix, ("status", "on")))
        return assets.move_asset(db, actor=actor, file_id=file_id, asset_id=asset_id, move=move)

    return await _post(request, db, actor, file_id, prefix, run, "assets")


@router.post(f"{FILES}/{{file_id}}/exhibits", response_class=HTMLResponse, dependencies=UPDATE)
async def add_exhibit(
    request: Request, db: DbSession, actor: CurrentActor, file_id: FileId
) -> Response:
    timezone = context_of(request).timezone

    def run(form: FormData) -> object:
        names = ("kind", "description", "seized_on", "seized_where", "holder", "since", "purpose")
        values = _fields(form, "exhibit-", names)
        if "since" in values:
            values["since"] = _local(values["since"], timezone)
        exhibit_in = exhibits.ExhibitIn.model_validate(values)
        return exhibits.add_exhibit(db, actor=actor, file_id=file_id, exhibit_in=exhibit_in)

    return await _post(request, db, actor, file_id, "exhibit-", run, "exhibits")


@router.post(
    f"{FILES}/{{file_id}}/exhibits/{{exhibit_id}}/transfer",
    response_class=HTMLResponse,
    dependencies=UPDATE,
)
async def transfer(
    request: Request, db: DbSession, actor: CurrentActor, file_id: FileId, exhibit_id: ExhibitId
) -> Response:
    prefix = f"custody-{exhibit_id}-"
    timezone = context_of(request).timezone

    def run(form: FormData) -> object:
        values = _fields(form, prefix, ("holder", "since", "purpose"))
        if "since" in values:
            values["since"] = _local(values["since"], timezone)
        custody_in = exhibits.CustodyIn.model_validate(values)
        return exhibits.transfer(
            db, actor=actor, file_id=file_id, exhibit_id=exhibit_id, custody_in=custody_in
        )

    return await _post(request, db, actor, file_id, prefix, run, "exhibits")


@router.post(f"{FILES}/{{file_id}}/instruments", response_class=HTMLResponse, dependencies=UPDATE)
async def add_instrument(
    request: Request, db: DbSession, actor: CurrentActor, file_id: FileId
) -> Response:
    def run(form: FormData) -> object:
        names = ("kind", "authority", "reference", "requested_on", "note")
        instrument_in = instruments.InstrumentIn.model_validate(_fields(form, "instrument-", names))
        return instruments.add_instrument(
            db, actor=actor, file_id=file_id, instrument_in=instrument_in
        )

    return await _post(request, db, actor, file_id, "instrument-", run, "instruments")


@router.post(
    f"{FILES}/{{file_id}}/instruments/{{instrument_id}}/status",
    response_class=HTMLResponse,
    dependencies=UPDATE,
)
async def move_instrument(
    request: Request,
    db: DbSession,
    actor: CurrentActor,
    file_id: FileId,
    instrument_id: InstrumentId,
) -> Response:
    prefix = f"instrument-{instrument_id}-"

    def run(form: FormData) -> object:
        names = ("status", "on", "expires_on", "reference")
        move = instruments.InstrumentMove.model_validate(_fields(form, prefix, names))
        return instruments.move_instrument(
            db, actor=actor, file_id=file_id, instrument_id=instrument_id, move=move
        )

    return await _post(request, db, actor, file_id, prefix, run, "instruments")


@router.post(f"{FILES}/{{file_id}}/attachments", response_class=HTMLResponse, dependencies=UPDATE)
async def attach(request: Request, db: DbSession, actor: CurrentActor, file_id: FileId) -> Response:
    # Read here, not in `run` (which is synchronous): at most the limit and one byte, so that
    # an oversized document is refused without being held whole.
    try:
        form = await request.form()
    except BodyTooLarge:
        # Over the route's allowance (web.body_limits): refused before any of it is read, with
        # the form's own error rather than a bare 413 page. Nothing is written: no token needed.
        errors = {"attachment-file": attachments.too_large()}
        return shown_again(request, db, actor, file_id, errors, panel="attachments")
    upload = form.get("attachment-file")
    name, data = "", b""
    if isinstance(upload, UploadFile):
        name = upload.filename or ""
        data = await upload.read(attachments.max_bytes() + 1)

    def run(_form: FormData) -> object:
        if not name and not data:
            raise Invalid("file", _("Choose a document to attach."))
        return attachments.attach(db, actor=actor, file_id=file_id, filename=name, data=data)

    return await _post(request, db, actor, file_id, "attachment-", run, "attachments")


def disposition(filename: str) -> str:
    """`attachment` with the name for every browser: an ASCII fallback and the UTF-8 name
    (RFC 6266, RFC 5987), so an Arabic name survives and no quote or newline breaks the header."""
    fallback = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in filename
    )
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def document_response(found: attachments.Download) -> Response:
    """The document as a download, never shown inline nor sniffed into another type."""
    return Response(
        content=found.data,
        media_type=found.content_type,
        headers={
            "Content-Disposition": disposition(found.filename),
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "no-store",
        },
    )


@router.get(
    f"{FILES}/{{file_id}}/attachments/{{attachment_id}}",
    dependencies=[requires(Action.investigations_read)],
)
def download(
    db: DbSession, actor: CurrentActor, file_id: FileId, attachment_id: AttachmentId
) -> Response:
    found = attachments.download(db, actor=actor, file_id=file_id, attachment_id=attachment_id)
    return document_response(found)


@router.post(f"{FILES}/{{file_id}}/links", response_class=HTMLResponse, dependencies=UPDATE)
async def link(request: Request, db: DbSession, actor: CurrentActor, file_id: FileId) -> Response:
    def run(form: FormData) -> object:
        link_in = links.LinkIn.model_validate(
            _fields(form, "link-", ("other_reference", "relation"))
        )
        return links.link_files(db, actor=actor, file_id=file_id, link_in=link_in)

    return await _post(request, db, actor, file_id, "link-", run, "links")
