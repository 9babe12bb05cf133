"""`/api/v1/agencies` and `/api/v1/users`: the node's directory. The service checks who may do what."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Path, Query, status

from jusoor.agencies import service
from jusoor.agencies.schemas import (
    AgencyCreate,
    AgencyRead,
    AgencyUpdate,
    PasswordReset,
    UserCreate,
    UserCreated,
    UserRead,
    UserUpdate,
)
from jusoor.auth import credentials
from jusoor.web.access import requires
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.responses import BODY_ERRORS, api_router, errors

router = api_router("directory")

AgencyId = Annotated[uuid.UUID, Path(description="The agency's id.")]
UserId = Annotated[uuid.UUID, Path(description="The user's id.")]


# Agencies ------------------------------------------------------------------------------------


@router.get(
    "/agencies",
    summary="Agencies the caller may see",
    response_model=list[AgencyRead],
    responses=errors(403),
)
def list_agencies(actor: CurrentActor, session: DbSession) -> list[AgencyRead]:
    return [AgencyRead.model_validate(a) for a in service.list_agencies(session, actor=actor)]


@router.get(
    "/agencies/{agency_id}",
    summary="One agency",
    response_model=AgencyRead,
    responses=errors(403, 404, 422),
)
def read_agency(agency_id: AgencyId, actor: CurrentActor, session: DbSession) -> AgencyRead:
    return AgencyRead.model_validate(service.get_agency(session, actor=actor, agency_id=agency_id))


@router.post(
    "/agencies",
    dependencies=[requires("agencies.manage")],
    summary="Add an agency",
    status_code=status.HTTP_201_CREATED,
    response_model=AgencyRead,
    responses={**errors(403, 409), **BODY_ERRORS},
)
def create_agency(body: AgencyCreate, actor: CurrentActor, session: DbSession) -> AgencyRead:
    return AgencyRead.model_validate(service.create_agency(session, actor=actor, agency_in=body))


@router.patch(
    "/agencies/{agency_id}",
    dependencies=[requires("agencies.manage")],
    summary="Rename an agency, or deactivate it",
    response_model=AgencyRead,
    responses={**errors(403, 404), **BODY_ERRORS},
)
def update_agency(
    agency_id: AgencyId, body: AgencyUpdate, actor: CurrentActor, session: DbSession
) -> AgencyRead:
    agency = service.update_agency(session, actor=actor, agency_id=agency_id, agency_in=body)
    return AgencyRead.model_validate(agency)


# Users ---------------------------------------------------------------------------------------


@router.get(
    "/users",
    summary="Users the caller may see, optionally matching a search",
    response_model=list[UserRead],
    responses=errors(403, 422),
)
def list_users(
    actor: CurrentActor,
    session: DbSession,
    q: Annotated[
        str | None, Query(max_length=100, description="Part of a username or name.")
    ] = None,
) -> list[UserRead]:
    return [UserRead.model_validate(u) for u in service.list_users(session, actor=actor, query=q)]


@router.get(
    "/users/{user_id}", summary="One user", response_model=UserRead, responses=errors(403, 404, 422)
)
def read_user(user_id: UserId, actor: CurrentActor, session: DbSession) -> UserRead:
    return UserRead.model_validate(service.get_user(session, actor=actor, user_id=user_id))


@router.post(
    "/users",
    dependencies=[requires("users.manage")],
    summary="Add a user (a generated initial password is returned once)",
    status_code=status.HTTP_201_CREATED,
    response_model=UserCreated,
    responses={**errors(403, 409), **BODY_ERRORS},
)
def create_user(body: UserCreate, actor: CurrentActor, session: DbSession) -> UserCreated:
    user, password = service.create_user(session, actor=actor, user_in=body)
    return UserCreated(
        user=UserRead.model_validate(user),
        initial_password=None if body.password else password,
    )


@router.patch(
    "/users/{user_id}",
    dependencies=[requires("users.manage")],
    summary="Change a user's roles, or disable or enable the account",
    response_model=UserRead,
    responses={**errors(403, 404), **BODY_ERRORS},
)
def update_user(
    user_id: UserId, body: UserUpdate, actor: CurrentActor, session: DbSession
) -> UserRead:
    user = service.get_user(session, actor=actor, user_id=user_id, action="users.manage")
    if body.roles is not None:
        user = service.set_roles(session, actor=actor, user_id=user_id, roles=body.roles)
    if body.active is not None:
        user = credentials.set_active(session, actor=actor, user_id=user_id, active=body.active)
    return UserRead.model_validate(user)


@router.post(
    "/users/{user_id}/reset-password",
    dependencies=[requires("users.manage")],
    summary="Give a user a new random password (returned once); end their sessions and tokens",
    response_model=PasswordReset,
    responses=errors(403, 404, 422),
)
def reset_password(user_id: UserId, actor: CurrentActor, session: DbSession) -> PasswordReset:
    done = credentials.reset_password(session, actor=actor, user_id=user_id)
    return PasswordReset(
        password=done.password,
        sessions_ended=done.sessions_ended,
        tokens_revoked=done.tokens_revoked,
    )
