"""The audit trail names an investigation file by its reference, in a sentence of its own."""

from __future__ import annotations

import uuid

from jusoor.audit.models import AuditEvent
from jusoor.audit.sentences import object_names, say
from jusoor.core.db import Database, utcnow
from jusoor.core.i18n import use_locale
from jusoor.investigations.service import OBJECT
from tests.investigations.support import open_file


def test_an_update_of_a_file_reads_as_a_sentence_naming_it_by_its_reference(
    demo_db: Database,
) -> None:
    with demo_db.unit_of_work() as session:
        file = open_file(session)
        event = AuditEvent(  # as `investigations.hearings` records it (not stored here)
            id=uuid.uuid4(),
            at=utcnow(),
            actor_username="prosecutor.ma",
            action="investigations.hearing",
            object_type=OBJECT,
            object_id=str(file.id),
            outcome="success",
            details="{}",
        )
        names = object_names(session, [event])
        with use_locale("en"):
            said = say(event, who="Karim", names=names)
        assert said.sentence == f"Karim scheduled a hearing in investigation {file.reference}"
