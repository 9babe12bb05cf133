"""The service directory: what each agency offers, where, in which languages, with how much room.

Read by those who refer people (case workers, screeners, coordinators); kept by the offering
agency's service providers and coordinators, and by administrators.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.agencies.models import Agency
from jusoor.audit import service as audit
from jusoor.core.db import utcnow
from jusoor.core.errors import Invalid, NotFound
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor, in_scope, scope_clause
from jusoor.referrals.models import Service, ServiceKind, ServiceLanguage
from jusoor.referrals.schemas import ServiceCreate, ServiceFields, ServiceUpdate


@dataclass(frozen=True)
class ServiceFilter:
    """What the directory narrows to; every part optional."""

    kind: ServiceKind | None = None
    country: str | None = None
    language: str | None = None
    agency_id: uuid.UUID | None = None
    with_free_capacity: bool = False
    include_inactive: bool = False


def list_services(
    session: Session, *, actor: Actor, flt: ServiceFilter | None = None
) -> Sequence[Service]:
    """The services the actor may read that match `flt`, by country, kind and name."""
    actor.require("services.read")
    flt = flt or ServiceFilter()
    clause = scope_clause(
        actor, "services.read", agency_col=Service.agency_id, country_col=Service.country
    )
    stmt = select(Service).where(clause)
    if not flt.include_inactive:
        stmt = stmt.where(Service.active.is_(True))
    if flt.kind is not None:
        stmt = stmt.where(Service.kind == flt.kind)
    if flt.country:
        stmt = stmt.where(Service.country == flt.country.upper())
    if flt.language:
        stmt = stmt.where(Service.language_rows.any(ServiceLanguage.language == flt.language))
    if flt.agency_id is not None:
        stmt = stmt.where(Service.agency_id == flt.agency_id)
    if flt.with_free_capacity:
        stmt = stmt.where(Service.capacity_free > 0)
    stmt = stmt.order_by(Service.country, Service.kind, Service.name)
    return session.scalars(stmt).unique().all()


def get_service(
    session: Session, *, actor: Actor, service_id: uuid.UUID, action: str = "services.read"
) -> Service:
    actor.require(action)
    service = session.get(Service, service_id)
    if service is None or not in_scope(
        actor, action, agency_id=service.agency_id, country=service.country
    ):
        raise NotFound(_("No such service."))
    return service


def managed_agencies(session: Session, *, actor: Actor) -> Sequence[Agency]:
    """The active agencies whose services the actor may keep."""
    if not actor.can("services.manage"):
        return []
    clause = scope_clause(
        actor, "services.manage", agency_col=Agency.id, country_col=Agency.country
    )
    stmt = (
        select(Agency).where(clause, Agency.active.is_(True)).order_by(Agency.country, Agency.code)
    )
    return session.scalars(stmt).all()


def agencies_to_keep(session: Session, *, actor: Actor) -> Sequence[Agency]:
    """`managed_agencies` for the service form, which only those who keep services may open."""
    actor.require("services.manage")
    return managed_agencies(session, actor=actor)


def _apply(service: Service, fields: ServiceFields) -> list[str]:
    """Copy `fields` onto `service`; returns the names of what changed."""
    changed = []
    values = fields.model_dump(exclude={"languages", "agency_id"})
    for key, value in values.items():
        if getattr(service, key, None) != value:
            setattr(service, key, value)
            changed.append(key)
    if sorted(service.languages) != fields.languages:
        service.language_rows = [ServiceLanguage(language=code) for code in fields.languages]
        changed.append("languages")
    if "capacity_free" in changed or "capacity_total" in changed:
        service.capacity_updated_at = utcnow()
    return changed


def create_service(session: Session, *, actor: Actor, service_in: ServiceCreate) -> Service:
    actor.require("services.manage")
    agency = session.get(Agency, service_in.agency_id)
    if agency is None or not in_scope(
        actor, "services.manage", agency_id=agency.id, country=agency.country
    ):
        raise Invalid("agency_id", _("No such agency, or not one whose services you keep."))
    if service_in.country != agency.country:
        raise Invalid("country", _("An agency offers services in its own country."))
    service = Service(agency_id=agency.id)
    _apply(service, service_in)
    service.updated_at = utcnow()
    session.add(service)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="service.create",
        object_type="service",
        object_id=service.id,
        details={"agency": agency.code, "kind": service.kind.value},
    )
    return service


def update_service(
    session: Session, *, actor: Actor, service_id: uuid.UUID, service_in: ServiceUpdate
) -> Service:
    service = get_service(session, actor=actor, service_id=service_id, action="services.manage")
    if service_in.country != service.agency.country:
        raise Invalid("country", _("An agency offers services in its own country."))
    changed = _apply(service, service_in)
    service.updated_at = utcnow()
    audit.record(
        session,
        actor=actor,
        action="service.update",
        object_type="service",
        object_id=service.id,
        details={"fields": sorted(changed)},
    )
    return service


def set_free_capacity(
    session: Session, *, actor: Actor, service_id: uuid.UUID, free: int
) -> Service:
    """Record how many places are free now (a shelter's beds, a clinic's slots)."""
    service = get_service(session, actor=actor, service_id=service_id, action="services.manage")
    if free < 0 or (service.capacity_total is not None and free > service.capacity_total):
        raise Invalid("capacity_free", _("There cannot be more free places than places."))
    before = service.capacity_free
    service.capacity_free = free
    service.capacity_updated_at = service.updated_at = utcnow()
    audit.record(
        session,
        actor=actor,
        action="service.capacity",
        object_type="service",
        object_id=service.id,
        details={"before": before, "after": free},
    )
    return service


def offered(session: Session, *, service_id: uuid.UUID) -> Service | None:
    """A service by id, whoever asks (the referral checks the referrer's right separately)."""
    return session.get(Service, service_id)
