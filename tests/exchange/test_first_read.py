"""The first reading of an incoming message is stamped once, even in a reading unit of work while
others save (issue 18: the page was refused as "busy" whenever anyone had saved since it began
reading, because the stamp changed the row it had read)."""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlalchemy import select

from jusoor.audit.service import record
from jusoor.core.db import Database
from jusoor.core.permissions import Actor
from jusoor.exchange.models import Message
from jusoor.exchange.queries import get_message
from tests.exchange.support import craft, header_of, post_envelope, two_nodes

LIAISON = Actor(None, "liaison.ma", None, "MA", frozenset({"liaison_officer"}))


def test_the_first_read_is_stamped_once_while_another_person_saves(
    database: Database, tmp_path: Path
) -> None:
    with two_nodes(database, tmp_path) as (receiver, sender):
        raw = craft(sender, receiver)
        assert post_envelope(receiver, raw).status_code == 200
        message_id = uuid.UUID(header_of(raw)["id"])
        db = receiver.db
        with db.reading() as session:
            session.execute(select(Message.id)).all()  # the read snapshot begins
            with db.unit_of_work() as other:  # someone saves meanwhile
                record(other, actor=None, action="auth.login", outcome="failure", username="x")
            first = get_message(session, actor=LIAISON, message_id_=message_id).first_read_at
        assert first is not None
        with db.reading() as session:
            again = get_message(session, actor=LIAISON, message_id_=message_id)
            assert again.first_read_at == first  # the first reader's time stays
