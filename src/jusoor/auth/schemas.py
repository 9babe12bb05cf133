"""Input and output shapes of the signed-in user's own account and API tokens."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from jusoor.agencies.schemas import TokenRead, UserRead


class MeRead(UserRead):
    """The signed-in user, and every action their roles allow (to shape a client's interface)."""

    actions: list[str] = Field(description="Actions from the permission matrix this user may do.")


class TokenCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100, description="What the token is for.")
    days: int | None = Field(
        default=None, ge=1, le=366, description="Days until it expires (default: the node's)."
    )


class TokenIssued(TokenRead):
    """A new token: `token` is shown this once; the node keeps only its SHA-256 digest."""

    token: str
