"""`/api/v1/entities`: list and search, read one with its links, create, link, find candidates.
Thin: `jusoor.entities.service` checks who may do what, keeps to the caller's scope and audits."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Path, Query, Response, status
from pydantic import BaseModel, ConfigDict, Field

from jusoor.core import keyset
from jusoor.entities import service, signals
from jusoor.entities.models import Entity
from jusoor.entities.schemas import (
    EntityCreate,
    EntityDetail,
    EntityRead,
    LinkBody,
    LinkCreate,
    LinkRead,
    PropertyValues,
)
from jusoor.web.access import requires
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.params import Offset
from jusoor.web.responses import BODY_ERRORS, api_router, errors

router = api_router("entities")

EntityId = Annotated[uuid.UUID, Path(description="The entity's id.")]


class CandidateQuery(BaseModel):
    """An entity that is not stored (yet): which stored ones may be the same?"""

    model_config = ConfigDict(extra="forbid")

    schema_: str = Field(alias="schema", max_length=32)
    properties: PropertyValues


class CaseSignalRead(BaseModel):
    """A case of this agency holds a record matching the search: ask the agency for it."""

    agency_code: str
    agency_name: str
    country: str
    message: str
    contacts: str = Field(description="The page listing whom to contact.")


def _read(entity: Entity) -> EntityRead:
    return EntityRead.model_validate(entity)


@router.get(
    "/entities",
    summary="Entities the caller may see, newest first, or found by name, phone or number",
    response_model=list[EntityRead],
    responses=errors(403, 422),
)
def list_entities(
    actor: CurrentActor,
    session: DbSession,
    response: Response,
    schema: Annotated[
        str | None, Query(max_length=32, description="Person, Phone, IdentityDocument, …")
    ] = None,
    q: Annotated[
        str | None,
        Query(max_length=200, description="A name (any script), phone, e-mail or number."),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Offset = 0,  # kept for old scripts: `after` does not slow down deep in the list
    after: Annotated[
        str | None,
        Query(
            max_length=keyset.MAX_CURSOR_CHARS,
            description="The `X-Next-Cursor` header of the previous page (absent: the first).",
        ),
    ] = None,
) -> list[EntityRead]:
    """Newest first (a search: most keys shared first); the next page's cursor is in the
    `X-Next-Cursor` header, absent on the last page."""
    if offset and not after:
        rows = service.list_entities(
            session, actor=actor, schema_name=schema, text=q, limit=limit, offset=offset
        )
        return [_read(e) for e in rows]
    found = service.entity_page(
        session, actor=actor, schema_name=schema, text=q, after=after, limit=limit
    )
    if found.next_cursor:
        response.headers["X-Next-Cursor"] = found.next_cursor
    return [_read(e) for e in found.rows]


@router.get(
    "/entities/signals",
    summary="Agencies whose case files hold a record matching the search, hidden from the caller",
    response_model=list[CaseSignalRead],
    responses=errors(403, 422),
)
def case_signals(
    actor: CurrentActor,
    session: DbSession,
    q: Annotated[
        str, Query(min_length=1, max_length=200, description="A phone, e-mail, number or name.")
    ],
) -> list[CaseSignalRead]:
    return [
        CaseSignalRead(
            agency_code=found.agency_code,
            agency_name=found.agency_name,
            country=found.country,
            message=signals.signal_message(found),
            contacts=signals.CONTACTS_PAGE,
        )
        for found in signals.case_signals(session, actor=actor, text=q)
    ]


@router.post(
    "/entities",
    dependencies=[requires("entities.manage")],
    summary="Record an entity for the caller's agency",
    status_code=status.HTTP_201_CREATED,
    response_model=EntityRead,
    responses={**errors(403), **BODY_ERRORS},
)
def create_entity(body: EntityCreate, actor: CurrentActor, session: DbSession) -> EntityRead:
    return _read(service.create_entity(session, actor=actor, entity_in=body))


@router.post(
    "/entities/candidates",
    dependencies=[requires("entities.read")],
    summary="Stored entities that may be the same as the one described",
    response_model=list[EntityRead],
    responses={**errors(403), **BODY_ERRORS},
)
def candidates(body: CandidateQuery, actor: CurrentActor, session: DbSession) -> list[EntityRead]:
    rows = service.candidates(
        session, actor=actor, schema_name=body.schema_, properties=body.properties
    )
    return [_read(e) for e in rows]


@router.get(
    "/entities/{entity_id}",
    summary="One entity, with the links and linked entities the caller may see",
    response_model=EntityDetail,
    responses=errors(403, 404, 422),
)
def read_entity(entity_id: EntityId, actor: CurrentActor, session: DbSession) -> EntityDetail:
    found = service.entity_detail(session, actor=actor, entity_id=entity_id)
    return EntityDetail(
        entity=_read(found.entity),
        links=[LinkRead.model_validate(lk) for lk in found.links],
        neighbours=[_read(e) for e in found.neighbours],
    )


@router.post(
    "/entities/{entity_id}/links",
    dependencies=[requires("entities.manage")],
    summary="Link this entity to another (uses_phone, paid, recruited, …)",
    status_code=status.HTTP_201_CREATED,
    response_model=LinkRead,
    responses={**errors(403, 404), **BODY_ERRORS},
)
def create_link(
    entity_id: EntityId, body: LinkBody, actor: CurrentActor, session: DbSession
) -> LinkRead:
    link_in = LinkCreate(source_entity_id=entity_id, **body.model_dump())
    return LinkRead.model_validate(service.create_link(session, actor=actor, link_in=link_in))
