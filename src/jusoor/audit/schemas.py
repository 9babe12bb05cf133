"""Shapes of the audit trail on the API: query filters, events, pages of events, verification."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from jusoor.audit.service import AuditFilter, parse_details
from jusoor.core.bounds import MAX_INT64


class AuditQuery(BaseModel):
    """Filters for reading the trail; paging goes backwards with `before_seq`."""

    model_config = ConfigDict(extra="forbid")

    actor: str | None = Field(default=None, max_length=64, description="Exact username.")
    action: str | None = Field(
        default=None, max_length=64, description="An action or its beginning, e.g. `auth.`."
    )
    outcome: Literal["success", "failure", "denied"] | None = None
    object_id: str | None = Field(default=None, max_length=64)
    since: AwareDatetime | None = Field(default=None, description="From this time (inclusive).")
    until: AwareDatetime | None = Field(default=None, description="Before this time.")
    before_seq: int | None = Field(
        default=None,
        ge=1,
        le=MAX_INT64,
        description="Only events before this sequence number (next page).",
    )
    limit: int = Field(default=50, ge=1, le=500)

    def to_filter(self) -> AuditFilter:
        return AuditFilter(**self.model_dump())


class AuditEventRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    seq: int
    id: uuid.UUID
    at: dt.datetime
    actor_id: uuid.UUID | None
    actor_username: str
    agency_id: uuid.UUID | None
    country: str | None
    action: str
    object_type: str | None
    object_id: str | None
    outcome: str
    client_addr: str | None
    request_id: str | None
    details: dict[str, Any]
    link: int | None = Field(
        default=None, description="Position on the hash chain; null while the event is pending."
    )
    prev_hash: str | None = Field(default=None, description="Null while the event is pending.")
    hash: str | None = Field(
        default=None, description="The keyed chain hash; while pending, the event's seal."
    )

    @field_validator("details", mode="before")
    @classmethod
    def _parse(cls, value: object) -> object:
        # Stored as canonical JSON text (what the hash covers); handed out as an object. A row
        # altered into non-JSON is shown as its raw text: the auditor needs to see it, not a 500.
        return parse_details(value) if isinstance(value, str) else value


class AuditPage(BaseModel):
    events: list[AuditEventRead]
    next_before_seq: int | None = Field(
        description="Pass as `before_seq` for the next (older) page; null on the last page."
    )


class VerificationRead(BaseModel):
    ok: bool
    status: Literal[
        "intact", "rewritten", "truncated", "key_missing", "anchor_invalid", "unanchored"
    ] = Field(description="What was found: only `intact` is ok.")
    events: int = Field(description="Events checked before the first problem (all, when ok).")
    checkpoints: int = Field(description="Signed checkpoints read from the anchor file.")
    first_bad_seq: int | None
    reason: str | None
    key_id: str | None = Field(description="The audit key id missing from the keyring, if any.")
    seconds: float = Field(description="Time the check took.")
    events_per_second: int = Field(default=0, description="Events checked per second.")
    pending: int = Field(default=0, description="Events recorded, not yet chained (not an error).")
    stale_pending: int = Field(
        default=0, description="Of which pending for longer than the appender should ever take."
    )
