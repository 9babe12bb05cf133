"""`/api/v1/me`: the signed-in user, and the API tokens they hold."""

from __future__ import annotations

import uuid

from fastapi import Response, status

from jusoor.agencies import service as agencies
from jusoor.agencies.schemas import TokenRead, UserRead
from jusoor.auth import service
from jusoor.auth.schemas import MeRead, TokenCreate, TokenIssued
from jusoor.core.permissions import Actor, matrix
from jusoor.web.access import requires
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.responses import BODY_ERRORS, api_router, errors

router = api_router("me")


def allowed_actions(actor: Actor) -> list[str]:
    return sorted(action for action in matrix().actions if actor.can(action))


@router.get("/me", summary="The signed-in user and what they may do", response_model=MeRead)
def read_me(actor: CurrentActor, session: DbSession) -> MeRead:
    user = UserRead.model_validate(agencies.get_own_user(session, actor=actor))
    return MeRead(**user.model_dump(), actions=allowed_actions(actor))


@router.get(
    "/me/tokens",
    summary="The signed-in user's API tokens (never the secrets)",
    response_model=list[TokenRead],
)
def list_my_tokens(actor: CurrentActor, session: DbSession) -> list[TokenRead]:
    assert actor.user_id is not None
    return [
        TokenRead.model_validate(t) for t in service.list_tokens(session, user_id=actor.user_id)
    ]


@router.post(
    "/me/tokens",
    dependencies=[requires("tokens.manage_own")],
    summary="Issue an API token for the signed-in user (shown once)",
    status_code=status.HTTP_201_CREATED,
    response_model=TokenIssued,
    responses={**errors(403), **BODY_ERRORS},
)
def issue_my_token(body: TokenCreate, actor: CurrentActor, session: DbSession) -> TokenIssued:
    user = agencies.get_own_user(session, actor=actor)
    secret, record = service.create_token(
        session, actor=actor, user=user, name=body.name, days=body.days
    )
    return TokenIssued(**TokenRead.model_validate(record).model_dump(), token=secret)


@router.delete(
    "/me/tokens/{token_id}",
    dependencies=[requires("profile.manage")],
    summary="Revoke one of the signed-in user's API tokens",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=errors(403, 404, 422),
)
def revoke_my_token(token_id: uuid.UUID, actor: CurrentActor, session: DbSession) -> Response:
    service.revoke_token(session, actor=actor, token_id=token_id, own_only=True)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
