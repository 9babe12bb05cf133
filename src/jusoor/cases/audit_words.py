"""How the audit trail names cases and says the codes case events record (registered by
`cases.domain.register`): a case by its reference, stages and consent purposes by their labels."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.audit import sentences
from jusoor.cases.fields import by_name
from jusoor.cases.labels import purpose_label, stage_label, unknown_code
from jusoor.cases.models import Case
from jusoor.core.i18n import N_
from jusoor.core.i18n import gettext as _

_ALL = N_("every field")


def case_references(session: Session, ids: Sequence[str]) -> Mapping[str, str]:
    """Case id -> its reference (pseudonymous, as in every list)."""
    wanted = sentences.object_uuids(ids)
    rows = session.execute(select(Case.id, Case.reference).where(Case.id.in_(wanted)))
    return {str(case_id): reference for case_id, reference in rows}


def field_label(name: str) -> str:
    """A case field by its label ("all": every field)."""
    if name == "all":
        return _(_ALL)
    field = by_name().get(name)
    return _(field.label) if field is not None and field.label else unknown_code(name)


def register() -> None:
    sentences.register_namer("case", case_references)
    sentences.register_detail_words("case.", "from", stage_label)
    sentences.register_detail_words("case.", "to", stage_label)
    sentences.register_detail_words("case.", "purpose", purpose_label)
    sentences.register_detail_words("case.read", "fields", field_label)
