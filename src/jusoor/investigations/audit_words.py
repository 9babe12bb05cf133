"""How the audit trail names investigation files: by their reference ("INV-MA-2026-00042"), as
every list of files does (registered by `investigations.domain.register`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.audit import sentences
from jusoor.investigations.models import InvestigationFile
from jusoor.investigations.service import OBJECT


def file_references(session: Session, ids: Sequence[str]) -> Mapping[str, str]:
    """File id -> its reference."""
    wanted = sentences.object_uuids(ids)
    rows = session.execute(
        select(InvestigationFile.id, InvestigationFile.reference).where(
            InvestigationFile.id.in_(wanted)
        )
    )
    return {str(file_id): reference for file_id, reference in rows}


def register() -> None:
    sentences.register_namer(OBJECT, file_references)
