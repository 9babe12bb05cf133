"""A case's consent row and the timeline details `cases.consent` writes with it."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import Any

from jusoor.cases.vocabulary import ConsentPurpose
from jusoor.synth.scale.population import random_uuid
from jusoor.synth.scale.staff import Person
from jusoor.synth.scale.tables import Row


def consent_row(
    rng: random.Random,
    case: Row,
    purpose: ConsentPurpose,
    agency_id: uuid.UUID | None,
    language: str,
    given: dt.datetime,
    owner: Person,
) -> Row:
    return {
        "id": random_uuid(rng),
        "case_id": case["id"],
        "purpose": purpose,
        "agency_id": agency_id,
        "language": language,
        "interpreter_name": None,
        "witness_name": None,
        "given_at": given,
        "recorded_by_username": owner.username,
        "withdrawn_at": None,
        "withdrawn_by_username": None,
    }


def consent_details(row: Row) -> dict[str, Any]:
    """The timeline details `cases.consent` writes for a consent."""
    return {
        "consent_id": str(row["id"]),
        "purpose": row["purpose"].value,
        "agency_id": str(row["agency_id"]) if row["agency_id"] else None,
        "language": row["language"],
    }
