"""What a referral shares: the grant source that lets the receiving agency read a case's shared
fields (`jusoor.cases.access`), and those fields' values for the referral page.

A service provider of the receiving agency reads exactly the fields the referral names while it
is requested, accepted or in progress, and keeps reading them once it is completed; a declined or
withdrawn referral shares nothing (`access` in `states.yaml`).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ColumnElement, Select, String, and_, cast, select
from sqlalchemy.orm import Session

from jusoor.audit import service as audit
from jusoor.cases.access import ALWAYS_SHARED, GrantSource, owns_case
from jusoor.cases.models import Case
from jusoor.core.permissions import Actor, scope_clause
from jusoor.referrals import workflow
from jusoor.referrals.models import Transition

# Only the people who answer referrals read through them; a case worker of the receiving agency
# works on the case once it is transferred, not through the referral.
READER = "referrals.respond"


def _granting(actor: Actor) -> ColumnElement[bool]:
    return and_(
        scope_clause(
            actor, READER, agency_col=Transition.to_agency_id, country_col=Transition.country
        ),
        Transition.status.in_(workflow.machine().access),
    )


def shared_fields(session: Session, actor: Actor, case_id: uuid.UUID) -> frozenset[str] | None:
    """The fields that the referrals received by the actor's agency share of this case."""
    if not actor.can(READER):
        return None
    rows = session.scalars(
        select(Transition.shared_fields).where(Transition.case_id == case_id, _granting(actor))
    ).all()
    return frozenset(field for fields in rows for field in fields)


def shared_case_ids(actor: Actor) -> Select[Any] | None:
    if not actor.can(READER):
        return None
    return select(Transition.case_id).where(_granting(actor))


def shared_case_ids_with(actor: Actor, fields: frozenset[str]) -> Select[Any] | None:
    """The cases whose referrals to the actor's agency, together, share each of `fields`."""
    if not actor.can(READER):
        return None
    stmt = select(Transition.case_id).where(_granting(actor))
    listed = cast(Transition.shared_fields, String)
    for field in sorted(fields):
        # `shared_fields` is a JSON list of plain field names (checked against SHAREABLE_FIELDS
        # when the referral is made), so a quoted name is found in its text on both engines.
        holding = select(Transition.case_id).where(
            _granting(actor), listed.contains(f'"{field}"', autoescape=True)
        )
        stmt = stmt.where(Transition.case_id.in_(holding))
    return stmt.distinct()


# Registered with cases.access by `jusoor.domains.register_all`, not when this module is imported.
SOURCE = GrantSource(
    name="referrals",
    fields=shared_fields,
    case_ids=shared_case_ids,
    case_ids_sharing=shared_case_ids_with,
)


def _value(case: Case, field: str) -> Any:
    if field == "guardian":
        return {"name": case.guardian_name, "relation": case.guardian_relation}
    value = getattr(case, field)
    return value.value if hasattr(value, "value") else value


def shared_values(session: Session, *, actor: Actor, referral: Transition) -> dict[str, Any]:
    """The case fields this referral shares, as the actor may read them now (audited as a read).

    The referring agency sees what it shared; the receiving agency sees it only while the referral
    grants access; anyone else sees nothing.
    """
    case = referral.case
    if owns_case(actor, case) or (
        workflow.on_side(actor, referral, "provider")
        and referral.status in workflow.machine().access
    ):
        fields = set(referral.shared_fields)
    else:
        return {}
    names = sorted(ALWAYS_SHARED) + sorted(fields)
    audit.record(
        session,
        actor=actor,
        action="case.read",
        object_type="case",
        object_id=case.id,
        details={"via": "referral", "referral_id": str(referral.id), "fields": names},
    )
    return {name: _value(case, name) for name in names}
