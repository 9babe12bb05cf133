"""Pydantic shapes of entities and links at the edges (API, CLI, import)."""

from __future__ import annotations

import datetime as dt
import uuid

from pydantic import BaseModel, ConfigDict, Field

from jusoor.entities.models import SourceKind

PropertyValues = dict[str, list[str]]


class EntityCreate(BaseModel):
    """A new entity. Values are cleaned by property type (`schemata.yaml`); one that cannot be
    read (a date, a phone…) is an error naming the property."""

    model_config = ConfigDict(extra="forbid")

    schema_: str = Field(alias="schema", max_length=32, description="Person, Phone, …")
    properties: PropertyValues = Field(default_factory=dict)
    source_kind: SourceKind = SourceKind.report
    source_ref: str | None = Field(default=None, max_length=100)
    case_id: uuid.UUID | None = None
    agency_id: uuid.UUID | None = Field(
        default=None, description="The owning agency; by default the caller's."
    )


class EntityRead(BaseModel):
    model_config = ConfigDict(from_attributes=True, populate_by_name=True)

    id: uuid.UUID
    schema_: str = Field(alias="schema", serialization_alias="schema")
    caption: str
    properties: PropertyValues
    source_kind: SourceKind
    source_ref: str | None
    case_id: uuid.UUID | None
    agency_id: uuid.UUID
    country: str
    created_at: dt.datetime
    updated_at: dt.datetime


class LinkCreate(BaseModel):
    """A link from one entity to another; which kinds may be linked is in `schemata.yaml`."""

    model_config = ConfigDict(extra="forbid")

    type: str = Field(max_length=32, description="uses_phone, paid, recruited, …")
    source_entity_id: uuid.UUID
    target_entity_id: uuid.UUID
    start_date: str | None = Field(default=None, max_length=40)
    end_date: str | None = Field(default=None, max_length=40)
    properties: PropertyValues = Field(default_factory=dict)
    source_kind: SourceKind = SourceKind.report
    source_ref: str | None = Field(default=None, max_length=100)
    case_id: uuid.UUID | None = None


class LinkBody(BaseModel):
    """A link from the entity in the path (API): the same fields without the source."""

    model_config = ConfigDict(extra="forbid")

    type: str = Field(max_length=32)
    target_entity_id: uuid.UUID
    start_date: str | None = Field(default=None, max_length=40)
    end_date: str | None = Field(default=None, max_length=40)
    properties: PropertyValues = Field(default_factory=dict)
    source_kind: SourceKind = SourceKind.report
    source_ref: str | None = Field(default=None, max_length=100)
    case_id: uuid.UUID | None = None


class LinkRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    type: str
    source_entity_id: uuid.UUID
    target_entity_id: uuid.UUID
    start_date: str | None
    end_date: str | None
    properties: PropertyValues
    source_kind: SourceKind
    source_ref: str | None
    case_id: uuid.UUID | None
    agency_id: uuid.UUID
    country: str
    created_at: dt.datetime


class EntityDetail(BaseModel):
    """One entity with the links the caller may see, each end named by its caption."""

    entity: EntityRead
    links: list[LinkRead]
    neighbours: list[EntityRead]
