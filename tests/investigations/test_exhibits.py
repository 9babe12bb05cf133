"""Exhibits and their chain of custody: labels follow one another in a file, the first holder
takes the exhibit at seizure, each hand-over closes the open link where the next one starts, the
chain reads in order, and a hand-over out of time is refused with the field named."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from jusoor.audit.models import AuditEvent
from jusoor.core.db import Database
from jusoor.core.errors import Invalid, NotFound
from jusoor.investigations import exhibits
from jusoor.investigations import service as files
from jusoor.investigations.exhibits import CustodyIn, ExhibitIn
from jusoor.investigations.models import Custody, Exhibit
from jusoor.investigations.vocabulary import Stage
from tests.conftest import DEMO_PASSWORD
from tests.investigations.support import actor, open_file
from tests.investigations.test_assets import in_english
from tests.support.tokens import bearer
from tests.support.web import login, post_form, translated

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)


def phone(**changes: object) -> ExhibitIn:
    values: dict[str, object] = {
        "kind": "phone",
        "description": "Black smartphone, cracked screen",
        "seized_on": (NOW - dt.timedelta(days=3)).date(),
        "seized_where": "Flat, 3rd floor",
        "holder": "Officer A. Idrissi, judicial police, Casablanca",
        "since": NOW - dt.timedelta(days=3),
        "purpose": "Seized during the search",
    }
    return ExhibitIn.model_validate(values | changes)


def hand_over(holder: str, since: dt.datetime, purpose: str = "Forensic extraction") -> CustodyIn:
    return CustodyIn(holder=holder, since=since, purpose=purpose)


def test_exhibits_are_labelled_in_turn_and_their_chain_reads_in_order(demo_db: Database) -> None:
    with demo_db.unit_of_work() as s:
        police = actor(s, "investigator.ma")
        file = open_file(s)
        first = exhibits.add_exhibit(s, actor=police, file_id=file.id, exhibit_in=phone())
        second = exhibits.add_exhibit(s, actor=police, file_id=file.id, exhibit_in=phone())
        elsewhere = exhibits.add_exhibit(
            s, actor=police, file_id=open_file(s).id, exhibit_in=phone()
        )
        assert (first.label, second.label, elsewhere.label) == ("EX-001", "EX-002", "EX-001")
        lab = NOW - dt.timedelta(days=2)
        court = NOW - dt.timedelta(hours=5)
        exhibits.transfer(
            s, actor=police, file_id=file.id, exhibit_id=first.id,
            custody_in=hand_over("Digital forensics lab, Rabat", lab),
        )  # fmt: skip
        exhibits.transfer(
            s, actor=police, file_id=file.id, exhibit_id=first.id,
            custody_in=hand_over("Court registry, Casablanca", court, "Produced at trial"),
        )  # fmt: skip
        chain = exhibits.chain(s, first)
        assert [c.holder for c in chain] == [
            "Officer A. Idrissi, judicial police, Casablanca",
            "Digital forensics lab, Rabat",
            "Court registry, Casablanca",
        ]
        # Each link closes exactly when the next opens; only the last is open.
        assert [c.until for c in chain] == [lab, court, None]
        assert [c.since for c in chain][1:] == [lab, court]
        assert len(exhibits.chain(s, second)) == 1
        events = [e for e in files.events(s, file) if e.kind in ("exhibit", "custody")]
        assert [e.kind for e in events] == ["exhibit", "exhibit", "custody", "custody"]
        assert all("holder" not in e.details for e in events)  # no names on the timeline
        audit = s.scalars(
            select(AuditEvent.action).where(AuditEvent.action.like("investigations.exhibit.%"))
        ).all()
        assert audit.count("investigations.exhibit.add") == 3
        assert audit.count("investigations.exhibit.transfer") == 2


def test_a_hand_over_before_the_present_holder_or_in_the_future_is_refused(
    demo_db: Database,
) -> None:
    with demo_db.unit_of_work() as s:
        police = actor(s, "investigator.ma")
        file = open_file(s)
        exhibit = exhibits.add_exhibit(s, actor=police, file_id=file.id, exhibit_in=phone())
        started = exhibits.chain(s, exhibit)[0].since
        for since in (started - dt.timedelta(minutes=1), NOW + dt.timedelta(days=1)):
            with pytest.raises(Invalid) as caught:
                exhibits.transfer(
                    s, actor=police, file_id=file.id, exhibit_id=exhibit.id,
                    custody_in=hand_over("Lab", since),
                )  # fmt: skip
            assert caught.value.field == "since"
        # Nothing of the refused hand-overs was kept: one open link, as at seizure.
        chain = exhibits.chain(s, exhibit)
        assert len(chain) == 1 and chain[0].until is None
        with pytest.raises(NotFound):
            exhibits.transfer(
                s, actor=police, file_id=open_file(s).id, exhibit_id=exhibit.id,
                custody_in=hand_over("Lab", NOW),
            )  # fmt: skip


def test_an_exhibit_dated_out_of_order_is_refused_with_the_field(demo_db: Database) -> None:
    with demo_db.unit_of_work() as s:
        police = actor(s, "investigator.ma")
        file = open_file(s)  # reported 30 days ago
        refusals = [
            (phone(seized_on=(NOW + dt.timedelta(days=1)).date()), "seized_on"),
            (phone(seized_on=file.reported_on - dt.timedelta(days=1)), "seized_on"),
            (phone(since=NOW - dt.timedelta(days=5)), "since"),  # custody before seizure
            (phone(since=NOW + dt.timedelta(hours=2)), "since"),
        ]
        for exhibit_in, field in refusals:
            with pytest.raises(Invalid) as caught:
                exhibits.add_exhibit(s, actor=police, file_id=file.id, exhibit_in=exhibit_in)
            assert caught.value.field == field
        assert s.scalars(select(Exhibit).where(Exhibit.file_id == file.id)).all() == []
        assert s.scalars(select(Custody)).all() == []


def test_the_page_records_an_exhibit_and_a_hand_over(client: TestClient, demo_db: Database) -> None:
    with demo_db.unit_of_work() as s:
        file_id = open_file(s).id
    in_english(demo_db, "investigator.ma")
    login(client, demo_db, "investigator.ma", DEMO_PASSWORD)
    url = f"/investigations/{file_id}"
    seized = NOW - dt.timedelta(days=1)
    form = {
        "exhibit-kind": "storage_media",
        "exhibit-description": "USB stick with ledgers",
        "exhibit-seized_on": seized.date().isoformat(),
        "exhibit-holder": "Sgt. Bennani",
        "exhibit-since": seized.strftime("%Y-%m-%dT%H:%M"),
        "exhibit-purpose": "Seized during the search",
    }
    assert post_form(client, f"{url}/exhibits", form, page=url).status_code == 303
    with demo_db.unit_of_work() as s:
        exhibit = s.scalars(select(Exhibit).where(Exhibit.file_id == file_id)).one()
        exhibit_id = exhibit.id
    prefix = f"custody-{exhibit_id}-"
    early = {
        prefix + "holder": "Lab",
        prefix + "since": (seized - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        prefix + "purpose": "Extraction",
    }
    refused = post_form(client, f"{url}/exhibits/{exhibit_id}/transfer", early, page=url)
    assert refused.status_code == 422
    assert f'id="{prefix}since-error"' in refused.text
    assert translated(
        "The exhibit was handed over before its present holder received it.", "en"
    ) in refused.text.replace("&#39;", "'")
    later = early | {prefix + "since": NOW.strftime("%Y-%m-%dT%H:%M")}
    assert (
        post_form(client, f"{url}/exhibits/{exhibit_id}/transfer", later, page=url).status_code
        == 303
    )
    page = client.get(url).text
    assert "EX-001" in page and "Sgt. Bennani" in page and "Lab" in page


def test_the_api_records_an_exhibit_and_its_chain(client: TestClient, demo_db: Database) -> None:
    with demo_db.unit_of_work() as s:
        file_id = open_file(s).id
    police = bearer(demo_db, "investigator.ma")
    body = {
        "kind": "document",
        "description": "Forged passports",
        "seized_on": (NOW - dt.timedelta(days=1)).date().isoformat(),
        "holder": "Border police, Tangier",
        "since": (NOW - dt.timedelta(days=1)).isoformat(),
        "purpose": "Seized at the port",
    }
    created = client.post(f"/api/v1/investigations/{file_id}/exhibits", json=body, headers=police)
    assert created.status_code == 201, created.text
    assert created.json()["label"] == "EX-001"
    exhibit_id = created.json()["id"]
    handed = client.post(
        f"/api/v1/investigations/{file_id}/exhibits/{exhibit_id}/transfer",
        json={"holder": "Prosecutor's office", "since": NOW.isoformat(), "purpose": "Review"},
        headers=police,
    )
    assert handed.status_code == 201, handed.text
    chain = handed.json()["chain"]
    assert [c["holder"] for c in chain] == ["Border police, Tangier", "Prosecutor's office"]
    assert chain[0]["until"] is not None and chain[1]["until"] is None
    listed = client.get(f"/api/v1/investigations/{file_id}/exhibits", headers=police).json()
    assert len(listed) == 1 and len(listed[0]["chain"]) == 2
    outsider = bearer(demo_db, "investigator.eg")
    got = client.get(f"/api/v1/investigations/{file_id}/exhibits", headers=outsider)
    assert got.status_code == 404


def test_after_the_final_judgment_an_exhibit_is_still_handed_back(demo_db: Database) -> None:
    with demo_db.unit_of_work() as s:
        police = actor(s, "investigator.ma")
        file = open_file(s)
        exhibit = exhibits.add_exhibit(s, actor=police, file_id=file.id, exhibit_in=phone())
        file.stage = Stage.final
        with pytest.raises(Invalid) as caught:
            exhibits.add_exhibit(s, actor=police, file_id=file.id, exhibit_in=phone())
        assert caught.value.field == "stage"
        exhibits.transfer(
            s, actor=police, file_id=file.id, exhibit_id=exhibit.id,
            custody_in=hand_over("Returned to its owner", NOW, "Returned after the judgment"),
        )  # fmt: skip
        assert [c.until is None for c in exhibits.chain(s, exhibit)] == [False, True]


def test_what_describes_an_exhibit_is_encrypted_at_rest(demo_db: Database) -> None:
    with demo_db.unit_of_work() as s:
        police = actor(s, "investigator.ma")
        file = open_file(s)
        exhibits.add_exhibit(
            s, actor=police, file_id=file.id,
            exhibit_in=phone(description="Phone of Salma R.", seized_where="Rue 12, Agadir",
                             purpose="Seized from Salma R. at her home"),
        )  # fmt: skip
    with demo_db.unit_of_work() as s:
        raw = s.execute(text("SELECT description, seized_where FROM investigation_exhibits")).one()
        purpose = s.execute(text("SELECT purpose FROM investigation_custody")).scalar_one()
        stored = f"{raw.description}{raw.seized_where}{purpose}"
        for secret in ("Salma", "Agadir"):
            assert secret not in stored
