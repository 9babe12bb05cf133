"""Linked files: two files a person may both read, linked once, shown from both ends (each end
worded from its side); a file of another country or agency out of reach is "not found"; a
reader never sees a linked file they may not read."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from jusoor.audit.models import AuditEvent
from jusoor.core.db import Database
from jusoor.core.errors import Invalid, NotFound
from jusoor.investigations import links
from jusoor.investigations import service as files
from jusoor.investigations.links import LinkIn
from jusoor.investigations.models import FileLink
from jusoor.investigations.vocabulary import LinkRelation
from tests.conftest import DEMO_PASSWORD
from tests.investigations.support import actor, open_file
from tests.investigations.test_assets import in_english
from tests.support.tokens import bearer
from tests.support.web import login, post_form, translated


def test_a_link_shows_from_both_ends_and_only_once(demo_db: Database) -> None:
    with demo_db.unit_of_work() as s:
        police = actor(s, "investigator.ma")
        main, split = open_file(s), open_file(s)
        link_in = LinkIn(other_reference=split.reference.lower(), relation=LinkRelation.split_from)
        links.link_files(s, actor=police, file_id=main.id, link_in=link_in)
        here = links.linked_files(s, actor=police, file=main)
        there = links.linked_files(s, actor=police, file=split)
        assert [(x.reference, x.relation) for x in here] == [
            (split.reference, translated("Split from this file", "en"))
        ]
        assert [(x.reference, x.relation) for x in there] == [
            (main.reference, translated("This file was split from it", "en"))
        ]
        for a, b in ((main, split), (split, main)):  # the same pair, either way round
            with pytest.raises(Invalid) as caught:
                links.link_files(
                    s, actor=police, file_id=a.id,
                    link_in=LinkIn(other_reference=b.reference, relation=LinkRelation.related),
                )  # fmt: skip
            assert caught.value.field == "other_reference"
        with pytest.raises(Invalid) as caught:
            links.link_files(
                s, actor=police, file_id=main.id,
                link_in=LinkIn(other_reference=main.reference, relation=LinkRelation.related),
            )  # fmt: skip
        assert caught.value.field == "other_reference"
        assert len(s.scalars(select(FileLink)).all()) == 1
        for file in (main, split):  # on both timelines, without the other reference
            event = [e for e in files.events(s, file) if e.kind == "link"]
            assert len(event) == 1 and set(event[0].details) == {"relation", "end"}
        audit = s.scalars(select(AuditEvent).where(AuditEvent.action == "investigations.link"))
        assert len(audit.all()) == 2


def test_a_file_out_of_reach_is_not_found(demo_db: Database) -> None:
    with demo_db.unit_of_work() as s:
        police = actor(s, "investigator.ma")
        mine = open_file(s)
        foreign = open_file(s, "investigator.eg")
        for reference in (foreign.reference, "INV-MA-1999-00001"):
            with pytest.raises(NotFound) as caught:
                links.link_files(
                    s, actor=police, file_id=mine.id,
                    link_in=LinkIn(other_reference=reference, relation=LinkRelation.related),
                )  # fmt: skip
            assert caught.value.field == "other_reference"
        # The prosecution reads every file of its country and may link them; an investigator of
        # another country then sees neither end.
        prosecutor = actor(s, "prosecutor.ma")
        other = open_file(s)
        links.link_files(
            s, actor=prosecutor, file_id=mine.id,
            link_in=LinkIn(other_reference=other.reference, relation=LinkRelation.same_network),
        )  # fmt: skip
        assert [x.reference for x in links.linked_files(s, actor=prosecutor, file=other)] == [
            mine.reference
        ]
        assert links.linked_files(s, actor=actor(s, "investigator.eg"), file=mine) == []


def test_the_page_and_the_api_link_files(client: TestClient, demo_db: Database) -> None:
    with demo_db.unit_of_work() as s:
        first, second = open_file(s), open_file(s)
        foreign = open_file(s, "investigator.eg")
        ids = (first.id, second.id)
        refs = (first.reference, second.reference, foreign.reference)
    in_english(demo_db, "investigator.ma")
    login(client, demo_db, "investigator.ma", DEMO_PASSWORD)
    url = f"/investigations/{ids[0]}"
    refused = post_form(
        client, f"{url}/links", {"link-other_reference": refs[2], "link-relation": "related"}, url
    )
    assert refused.status_code == 422
    assert 'id="link-other_reference-error"' in refused.text
    assert translated("No such investigation file.", "en") in refused.text
    linked = post_form(
        client, f"{url}/links", {"link-other_reference": refs[1], "link-relation": "joined"}, url
    )
    assert linked.status_code == 303
    assert refs[1] in client.get(url).text
    other_end = client.get(f"/investigations/{ids[1]}").text
    assert refs[0] in other_end and translated("This file was joined to it", "en") in other_end
    police = bearer(demo_db, "investigator.ma")
    api = f"/api/v1/investigations/{ids[1]}/links"
    listed = client.get(api, headers=police).json()
    assert [x["reference"] for x in listed] == [refs[0]]
    again = client.post(
        api, json={"other_reference": refs[0], "relation": "related"}, headers=police
    )
    assert again.status_code == 422
    abroad = client.post(
        api, json={"other_reference": refs[2], "relation": "related"}, headers=police
    )
    assert abroad.status_code == 404
