"""Legal instruments: requested, then issued or refused, then executed or expired, with dates in
order; every other move refused with the field named; the deadlines of readable files only."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from jusoor.audit.models import AuditEvent
from jusoor.core.db import Database
from jusoor.core.errors import Forbidden, Invalid
from jusoor.investigations import instruments
from jusoor.investigations.instruments import InstrumentIn, InstrumentMove
from jusoor.investigations.models import Instrument
from jusoor.investigations.vocabulary import InstrumentStatus
from tests.conftest import DEMO_PASSWORD
from tests.investigations.support import actor, open_file
from tests.investigations.test_assets import in_english
from tests.support.tokens import bearer
from tests.support.web import login, post_form, translated

TODAY = dt.date.today()
DAY = dt.timedelta(days=1)


def warrant(**changes: object) -> InstrumentIn:
    values: dict[str, object] = {
        "kind": "search_warrant",
        "authority": "Investigating judge, Casablanca",
        "requested_on": TODAY - 10 * DAY,
    }
    return InstrumentIn.model_validate(values | changes)


def moved(status: str, on: dt.date, expires_on: dt.date | None = None) -> InstrumentMove:
    return InstrumentMove.model_validate({"status": status, "on": on, "expires_on": expires_on})


def test_every_move_of_the_instrument_machine(demo_db: Database) -> None:
    allowed = {
        ("requested", "issued"),
        ("requested", "refused"),
        ("issued", "executed"),
        ("issued", "expired"),
    }
    with demo_db.unit_of_work() as s:
        police = actor(s, "investigator.ma")
        file = open_file(s)

        def at(status: str) -> Instrument:
            found = instruments.add_instrument(
                s, actor=police, file_id=file.id, instrument_in=warrant()
            )
            path = {"issued": ["issued"], "refused": ["refused"], "executed": ["issued", "executed"],
                    "expired": ["issued", "expired"]}.get(status, [])  # fmt: skip
            for step in path:
                instruments.move_instrument(
                    s, actor=police, file_id=file.id, instrument_id=found.id,
                    move=moved(step, TODAY - 5 * DAY if step == "issued" else TODAY),
                )  # fmt: skip
            return found

        for before in InstrumentStatus:
            for after in InstrumentStatus:
                found = at(before.value)
                move = moved(after.value, TODAY)
                if (before.value, after.value) in allowed:
                    instruments.move_instrument(
                        s, actor=police, file_id=file.id, instrument_id=found.id, move=move
                    )
                    assert found.status is after
                else:
                    with pytest.raises(Invalid) as caught:
                        instruments.move_instrument(
                            s, actor=police, file_id=file.id, instrument_id=found.id, move=move
                        )
                    assert caught.value.field == "status", (before, after)
                    assert found.status is before


def test_dates_out_of_order_are_refused_with_the_field(demo_db: Database) -> None:
    with demo_db.unit_of_work() as s:
        police = actor(s, "investigator.ma")
        file = open_file(s)  # reported 30 days ago
        for bad in (warrant(requested_on=TODAY + DAY), warrant(requested_on=TODAY - 40 * DAY)):
            with pytest.raises(Invalid) as caught:
                instruments.add_instrument(s, actor=police, file_id=file.id, instrument_in=bad)
            assert caught.value.field == "requested_on"
        found = instruments.add_instrument(
            s, actor=police, file_id=file.id, instrument_in=warrant()
        )
        refusals = [
            (moved("issued", TODAY - 11 * DAY), "on"),  # issued before it was requested
            (moved("issued", TODAY + DAY), "on"),
            (moved("issued", TODAY - 5 * DAY, expires_on=TODAY - 6 * DAY), "expires_on"),
            (moved("refused", TODAY, expires_on=TODAY + DAY), "expires_on"),
        ]
        for move, field in refusals:
            with pytest.raises(Invalid) as caught:
                instruments.move_instrument(
                    s, actor=police, file_id=file.id, instrument_id=found.id, move=move
                )
            assert caught.value.field == field
        assert found.status is InstrumentStatus.requested and found.issued_on is None
        instruments.move_instrument(
            s, actor=police, file_id=file.id, instrument_id=found.id,
            move=moved("issued", TODAY - 5 * DAY, expires_on=TODAY + 30 * DAY),
        )  # fmt: skip
        for move in (moved("executed", TODAY - 6 * DAY), moved("expired", TODAY)):
            with pytest.raises(Invalid) as caught:  # before the issue; before the expiry
                instruments.move_instrument(
                    s, actor=police, file_id=file.id, instrument_id=found.id, move=move
                )
            assert caught.value.field == "on"
        assert found.issued_on == TODAY - 5 * DAY and found.expires_on == TODAY + 30 * DAY


def test_deadlines_list_what_lapses_soon_in_readable_files_only(demo_db: Database) -> None:
    with demo_db.unit_of_work() as s:
        police = actor(s, "investigator.ma")
        file = open_file(s)

        def issued(expires_on: dt.date | None) -> Instrument:
            found = instruments.add_instrument(
                s, actor=police, file_id=file.id, instrument_in=warrant()
            )
            instruments.move_instrument(
                s, actor=police, file_id=file.id, instrument_id=found.id,
                move=moved("issued", TODAY - 9 * DAY, expires_on=expires_on),
            )  # fmt: skip
            return found

        soon = issued(TODAY + 3 * DAY)
        lapsed = issued(TODAY - 2 * DAY)  # expired, nobody marked it
        issued(TODAY + 60 * DAY)
        issued(None)
        done = issued(TODAY + DAY)
        instruments.move_instrument(
            s, actor=police, file_id=file.id, instrument_id=done.id, move=moved("executed", TODAY)
        )
        found = instruments.deadlines(s, actor=police)
        assert [d.instrument.id for d in found] == [lapsed.id, soon.id]
        assert [d.days_left for d in found] == [-2, 3] and found[0].overdue
        assert found[0].file_reference == file.reference
        assert len(instruments.deadlines(s, actor=police, within_days=90)) == 3
        assert [
            d.instrument.id for d in instruments.deadlines(s, actor=actor(s, "prosecutor.ma"))
        ] == [lapsed.id, soon.id]
        for outsider in ("investigator.eg", "prosecutor.eg"):
            assert instruments.deadlines(s, actor=actor(s, outsider)) == []
        with pytest.raises(Forbidden):
            instruments.deadlines(s, actor=actor(s, "caseworker.ma"))
        audit = s.scalars(
            select(AuditEvent).where(AuditEvent.action == "investigations.instrument.deadlines")
        ).all()
        assert len(audit) == 5


def test_the_page_and_the_api_record_and_move_an_instrument(
    client: TestClient, demo_db: Database
) -> None:
    with demo_db.unit_of_work() as s:
        file_id = open_file(s).id
    in_english(demo_db, "investigator.ma")
    login(client, demo_db, "investigator.ma", DEMO_PASSWORD)
    url = f"/investigations/{file_id}"
    form = {
        "instrument-kind": "preservation_request",
        "instrument-authority": "Public prosecutor, Casablanca",
        "instrument-requested_on": (TODAY - 2 * DAY).isoformat(),
    }
    assert post_form(client, f"{url}/instruments", form, page=url).status_code == 303
    with demo_db.unit_of_work() as s:
        instrument_id = s.scalars(select(Instrument.id).where(Instrument.file_id == file_id)).one()
    prefix = f"instrument-{instrument_id}-"
    early = {prefix + "status": "issued", prefix + "on": (TODAY - 3 * DAY).isoformat()}
    refused = post_form(client, f"{url}/instruments/{instrument_id}/status", early, page=url)
    assert refused.status_code == 422 and f'id="{prefix}on-error"' in refused.text
    assert "Data preservation request" in client.get(url).text
    police = bearer(demo_db, "investigator.ma")
    api = f"/api/v1/investigations/{file_id}/instruments"
    issued = client.post(
        f"{api}/{instrument_id}/status",
        json={"status": "issued", "on": TODAY.isoformat(),
              "expires_on": (TODAY + 5 * DAY).isoformat(), "reference": "PR-2026-77"},
        headers=police,
    )  # fmt: skip
    assert issued.status_code == 200, issued.text
    assert issued.json()["reference"] == "PR-2026-77"
    due = client.get("/api/v1/investigations/instruments/deadlines", headers=police).json()
    assert [d["instrument"]["id"] for d in due] == [str(instrument_id)]
    assert due[0]["days_left"] == 5 and not due[0]["overdue"]
    skipped = client.post(
        f"{api}/{instrument_id}/status", json={"status": "requested", "on": TODAY.isoformat()},
        headers=police,
    )  # fmt: skip
    assert skipped.status_code == 422
    assert translated(
        "An instrument that is %(before)s cannot become %(after)s.", "en",
        before="issued", after="requested",
    ) in skipped.text  # fmt: skip
