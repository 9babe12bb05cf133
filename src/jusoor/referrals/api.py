"""`/api/v1/services` and `/api/v1/referrals`: the directory and the referrals of the caller's
agency. Thin: the services check who may do what, and audit."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Path, Query, Response, status

from jusoor.core import keyset
from jusoor.referrals import directory, grants, lists, service
from jusoor.referrals.models import ServiceKind
from jusoor.referrals.schemas import (
    CapacityUpdate,
    DeliveryCreate,
    DeliveryRead,
    ReferralCreate,
    ReferralMove,
    ReferralRead,
    ServiceCreate,
    ServiceRead,
    ServiceUpdate,
)
from jusoor.web.access import requires
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.responses import BODY_ERRORS, api_router, errors

router = api_router("referrals")

ServiceId = Annotated[uuid.UUID, Path(description="The service's id.")]
ReferralId = Annotated[uuid.UUID, Path(description="The referral's id.")]
NEXT_CURSOR = "X-Next-Cursor"  # the `after` of the next page of a list


# Services ------------------------------------------------------------------------------------


@router.get(
    "/services",
    summary="The service directory, filtered",
    response_model=list[ServiceRead],
    responses=errors(403, 422),
)
def list_services(
    actor: CurrentActor,
    session: DbSession,
    kind: Annotated[ServiceKind | None, Query(description="Kind of service.")] = None,
    country: Annotated[
        str | None, Query(min_length=2, max_length=2, description="ISO 3166-1 alpha-2.")
    ] = None,
    language: Annotated[
        str | None, Query(max_length=16, description="A language the service works in.")
    ] = None,
    free: Annotated[bool, Query(description="Only services with free places.")] = False,
) -> list[ServiceRead]:
    flt = directory.ServiceFilter(
        kind=kind, country=country, language=language, with_free_capacity=free
    )
    rows = directory.list_services(session, actor=actor, flt=flt)
    return [ServiceRead.model_validate(s) for s in rows]


@router.get(
    "/services/{service_id}",
    summary="One service",
    response_model=ServiceRead,
    responses=errors(403, 404, 422),
)
def read_service(service_id: ServiceId, actor: CurrentActor, session: DbSession) -> ServiceRead:
    found = directory.get_service(session, actor=actor, service_id=service_id)
    return ServiceRead.model_validate(found)


@router.post(
    "/services",
    dependencies=[requires("services.manage")],
    summary="Add a service offered by an agency you keep",
    status_code=status.HTTP_201_CREATED,
    response_model=ServiceRead,
    responses={**errors(403), **BODY_ERRORS},
)
def create_service(body: ServiceCreate, actor: CurrentActor, session: DbSession) -> ServiceRead:
    created = directory.create_service(session, actor=actor, service_in=body)
    return ServiceRead.model_validate(created)


@router.put(
    "/services/{service_id}",
    dependencies=[requires("services.manage")],
    summary="Replace a service's description",
    response_model=ServiceRead,
    responses={**errors(403, 404), **BODY_ERRORS},
)
def update_service(
    service_id: ServiceId, body: ServiceUpdate, actor: CurrentActor, session: DbSession
) -> ServiceRead:
    updated = directory.update_service(session, actor=actor, service_id=service_id, service_in=body)
    return ServiceRead.model_validate(updated)


@router.post(
    "/services/{service_id}/capacity",
    dependencies=[requires("services.manage")],
    summary="Record how many places are free now",
    response_model=ServiceRead,
    responses={**errors(403, 404), **BODY_ERRORS},
)
def set_capacity(
    service_id: ServiceId, body: CapacityUpdate, actor: CurrentActor, session: DbSession
) -> ServiceRead:
    updated = directory.set_free_capacity(
        session, actor=actor, service_id=service_id, free=body.capacity_free
    )
    return ServiceRead.model_validate(updated)


# Referrals -----------------------------------------------------------------------------------


@router.get(
    "/referrals",
    summary="Referrals sent or received by the caller's agency",
    response_model=list[ReferralRead],
    responses=errors(403, 422),
)
def list_referrals(
    actor: CurrentActor,
    session: DbSession,
    response: Response,
    box: Annotated[
        str, Query(pattern="^(incoming|outgoing|all)$", description="incoming, outgoing or all.")
    ] = "all",
    overdue: Annotated[bool, Query(description="Only those unanswered past the deadline.")] = False,
    status_: Annotated[
        str | None, Query(alias="status", max_length=20, description="Only those in this state.")
    ] = None,
    after: Annotated[
        str | None,
        Query(
            max_length=keyset.MAX_CURSOR_CHARS,
            description="The `X-Next-Cursor` of the previous page (absent: the first page).",
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=lists.MAX_PAGE_SIZE)] = lists.PAGE_SIZE,
) -> list[ReferralRead]:
    """Newest first (overdue: the longest overdue first), `limit` at a time; the next page's
    cursor is in the `X-Next-Cursor` header, absent on the last page."""
    flt = service.ReferralFilter(box=box, overdue=overdue, status=status_)
    found = service.referral_page(
        session, actor=actor, flt=flt, after=after, limit=limit, full=True
    )
    if found.next_cursor:
        response.headers[NEXT_CURSOR] = found.next_cursor
    return [service.referral_read(r, actor=actor) for r in found.rows]


@router.post(
    "/referrals",
    dependencies=[requires("referrals.create")],
    summary="Refer a case to an agency's service, sharing the fields named",
    status_code=status.HTTP_201_CREATED,
    response_model=ReferralRead,
    responses={**errors(403, 409), **BODY_ERRORS},
)
def create_referral(body: ReferralCreate, actor: CurrentActor, session: DbSession) -> ReferralRead:
    made = service.refer(session, actor=actor, referral_in=body)
    return service.referral_read(made, actor=actor)


@router.get(
    "/referrals/{referral_id}",
    summary="One referral, with the case fields it shares",
    response_model=ReferralRead,
    responses=errors(403, 404, 422),
)
def read_referral(referral_id: ReferralId, actor: CurrentActor, session: DbSession) -> ReferralRead:
    referral = service.get_referral(session, actor=actor, referral_id=referral_id)
    shared = grants.shared_values(session, actor=actor, referral=referral)
    return service.referral_read(referral, actor=actor, case=shared)


@router.post(
    "/referrals/{referral_id}/transition",
    dependencies=[requires("referrals.create", "referrals.respond")],
    summary="Accept, decline, start, complete or revoke a referral",
    response_model=ReferralRead,
    responses={**errors(403, 404, 409), **BODY_ERRORS},
)
def transition(
    referral_id: ReferralId, body: ReferralMove, actor: CurrentActor, session: DbSession
) -> ReferralRead:
    referral = service.move(
        session, actor=actor, referral_id=referral_id, action=body.action, reason=body.reason
    )
    return service.referral_read(referral, actor=actor)


@router.post(
    "/referrals/{referral_id}/deliveries",
    dependencies=[requires("referrals.respond")],
    summary="Record a service delivered under the referral",
    status_code=status.HTTP_201_CREATED,
    response_model=DeliveryRead,
    responses={**errors(403, 404, 409), **BODY_ERRORS},
)
def record_delivery(
    referral_id: ReferralId, body: DeliveryCreate, actor: CurrentActor, session: DbSession
) -> DeliveryRead:
    delivery = service.record_delivery(
        session, actor=actor, referral_id=referral_id, delivery_in=body
    )
    return DeliveryRead.model_validate(delivery)
