"""`/api/v1/exchange`: the inbox other nodes deliver to, and the liaison officer's JSON API.

The inbox is the one route reached without a user: the envelope is its credential, checked by
`inbox.receive` before anything is stored. Everything else needs a user with the right role.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Path, Query, Request, Response, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from jusoor.core import keyset
from jusoor.exchange import directory, drafts, queries
from jusoor.exchange.nodes import peers
from jusoor.exchange.transport import inbox, outbox
from jusoor.exchange.vocabulary import Direction, MessageStatus
from jusoor.web.access import peer, requires
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.params import Offset
from jusoor.web.responses import BODY_ERRORS, api_router, errors

router = api_router("exchange")
MessageId = Annotated[uuid.UUID, Path(description="The message id (the same on both nodes).")]


@router.post(
    "/exchange/inbox",
    summary="Deliver a signed, encrypted envelope from a peer node",
    description="The body is the envelope itself. Answers the receiver's signed receipt, or "
    "refuses the envelope with a reason (and records the refusal). A peer resends until it "
    "holds a valid receipt; an envelope received twice is applied once and its receipt "
    "repeated.",
    responses=errors(400, 403, 409, 413, 422),
)
@peer
async def deliver_envelope(request: Request, session: DbSession) -> JSONResponse:
    raw = await request.body()
    client = request.client.host if request.client else None
    answer = inbox.receive(session, raw, client=client)
    return JSONResponse(answer.payload, status_code=answer.status)


class SendIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: str = Field(description="A message type, e.g. information_request or reply.")
    to: str | None = Field(default=None, description="The peer's node id (new requests).")
    reply_to: uuid.UUID | None = Field(default=None, description="The message answered.")
    fields: dict[str, Any] = Field(description="The type's fields (see the request forms).")


@router.get("/exchange/messages", summary="Requests received or sent", responses=errors(403, 422))
def list_messages(
    actor: CurrentActor,
    session: DbSession,
    response: Response,
    direction: Annotated[Direction | None, Query(description="incoming or outgoing.")] = None,
    status_: Annotated[MessageStatus | None, Query(alias="status")] = None,
    all_messages: Annotated[
        bool, Query(alias="all", description="Thread messages too, not only requests.")
    ] = False,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Offset = 0,  # kept for old scripts: `after` does not slow down deep in the list
    after: Annotated[
        str | None,
        Query(
            max_length=keyset.MAX_CURSOR_CHARS,
            description="The `X-Next-Cursor` header of the previous page (absent: the first).",
        ),
    ] = None,
) -> list[dict[str, Any]]:
    """Newest activity first; the next page's cursor is in the `X-Next-Cursor` header."""
    if offset and not after:
        rows, _total = queries.list_messages(
            session,
            actor=actor,
            direction=direction,
            status=status_,
            opening_only=not all_messages,
            limit=limit,
            offset=offset,
        )
        return [queries.summary(m) for m in rows]
    found = queries.message_page(
        session,
        actor=actor,
        direction=direction,
        status=status_,
        opening_only=not all_messages,
        after=after,
        limit=limit,
    )
    if found.next_cursor:
        response.headers["X-Next-Cursor"] = found.next_cursor
    return [queries.summary(m) for m in found.rows]


@router.get(
    "/exchange/messages/{message_id}",
    summary="One message, its content and its thread",
    responses=errors(403, 404, 422),
)
def get_message(actor: CurrentActor, session: DbSession, message_id: MessageId) -> dict[str, Any]:
    message = queries.get_message(session, actor=actor, message_id_=message_id)
    data = queries.summary(message, with_content=True)
    data["thread_messages"] = [
        queries.summary(m, with_content=True) for m in queries.thread_of(session, message)
    ]
    return data


@router.post(
    "/exchange/messages",
    dependencies=[requires("exchange.send", "exchange.refer")],
    summary="Send a request, or answer one",
    status_code=status.HTTP_201_CREATED,
    responses={**errors(403, 404, 409), **BODY_ERRORS},
)
def send_message(actor: CurrentActor, session: DbSession, body: SendIn) -> dict[str, Any]:
    message = outbox.send(
        session,
        actor=actor,
        to=body.to,
        kind=body.type,
        data=body.fields,
        reply_to=body.reply_to,
    )
    return queries.summary(message, with_content=True)


@router.post(
    "/exchange/drafts/{draft_id}/send",
    dependencies=[requires("exchange.send")],
    summary="Send a draft as it was saved (e.g. one prepared from an investigation file)",
    status_code=status.HTTP_201_CREATED,
    responses={**errors(403, 404, 409), **BODY_ERRORS},
)
def send_draft(
    actor: CurrentActor,
    session: DbSession,
    draft_id: Annotated[uuid.UUID, Path(description="The draft's id.")],
) -> dict[str, Any]:
    draft = drafts.get_draft(session, actor=actor, draft_id=draft_id)
    message = drafts.send_draft(
        session, actor=actor, draft_id=draft.id, to=draft.peer, data=drafts.saved_body(draft)
    )
    return queries.summary(message, with_content=True)


@router.get("/exchange/peers", summary="The peer nodes this node knows", responses=errors(403))
def list_peers(actor: CurrentActor, session: DbSession) -> list[dict[str, Any]]:
    return [
        {
            "node_id": p.node_id,
            "name": p.name,
            "endpoint": p.endpoint,
            "fingerprint": p.fingerprint,
            "active": p.active,
        }
        for p in peers.list_peers(session, actor=actor)
    ]


@router.get(
    "/exchange/contacts",
    summary="Competent authorities and contact points, per country",
    responses=errors(403, 422),
)
def list_contacts(
    actor: CurrentActor,
    session: DbSession,
    country: Annotated[str | None, Query(min_length=2, max_length=2)] = None,
) -> list[dict[str, Any]]:
    return [
        {**directory.as_dict(c), "id": str(c.id), "source": c.source}
        for c in directory.list_contacts(session, actor=actor, country=country)
    ]
