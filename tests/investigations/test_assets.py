"""Seized assets: recorded with a value in a listed currency, dated within the file, moved through
their statuses (confiscation and release are final), totalled per currency, audited, and refused
with the field named; the page's form and the API do the same."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import select

from jusoor.agencies.models import User
from jusoor.audit.models import AuditEvent
from jusoor.core.db import Database
from jusoor.core.errors import Forbidden, Invalid, NotFound
from jusoor.entities.models import Entity, SourceKind
from jusoor.investigations import assets
from jusoor.investigations import service as files
from jusoor.investigations.assets import AssetIn, AssetMove
from jusoor.investigations.models import Asset, Defendant, InvestigationFile
from jusoor.investigations.vocabulary import AssetStatus, DefendantRole, Stage
from tests.conftest import DEMO_PASSWORD
from tests.investigations.support import actor, open_file
from tests.support.tokens import bearer
from tests.support.web import login, post_form, translated

TODAY = dt.date.today()


def defendant(session: object, file: InvestigationFile, caption: str = "Karim B.") -> Defendant:
    """A defendant of `file` (an entity record of the file's agency), as the defendants module
    would add one."""
    from sqlalchemy.orm import Session

    assert isinstance(session, Session)
    entity = Entity(
        schema="Person",
        caption=caption,
        properties_text="{}",
        source_kind=SourceKind.report,
        agency_id=file.agency_id,
        country=file.country,
    )
    session.add(entity)
    session.flush()
    found = Defendant(file_id=file.id, entity_id=entity.id, role=DefendantRole.exploiter)
    session.add(found)
    session.flush()
    return found


def in_english(db: Database, username: str) -> None:
    """The user reads English (the demo users read Arabic), so pages can be read in tests."""
    with db.unit_of_work() as s:
        user = s.scalars(select(User).where(User.username == username)).one()
        user.locale = "en"


def cash(**changes: object) -> AssetIn:
    values: dict[str, object] = {
        "kind": "cash",
        "description": "Banknotes found in the flat",
        "estimated_value": "12500.50",
        "currency": "MAD",
        "seized_on": TODAY - dt.timedelta(days=2),
    }
    return AssetIn.model_validate(values | changes)


def test_an_asset_is_recorded_moved_and_totalled_per_currency(demo_db: Database) -> None:
    with demo_db.unit_of_work() as s:
        police = actor(s, "investigator.ma")
        file = open_file(s)
        owner = defendant(s, file)
        first = assets.add_asset(
            s, actor=police, file_id=file.id, asset_in=cash(defendant_id=owner.id)
        )
        second = assets.add_asset(
            s, actor=police, file_id=file.id, asset_in=cash(estimated_value="1000")
        )
        euros = assets.add_asset(
            s,
            actor=police,
            file_id=file.id,
            asset_in=cash(kind="vehicle", estimated_value="8000", currency="eur"),
        )
        assert first.status is AssetStatus.seized and first.defendant_id == owner.id
        assert euros.currency == "EUR"
        assets.move_asset(
            s, actor=police, file_id=file.id, asset_id=first.id,
            move=AssetMove(status=AssetStatus.frozen, on=TODAY - dt.timedelta(days=1)),
        )  # fmt: skip
        assets.move_asset(
            s, actor=police, file_id=file.id, asset_id=first.id,
            move=AssetMove(status=AssetStatus.confiscated, on=TODAY),
        )  # fmt: skip
        assets.move_asset(
            s, actor=police, file_id=file.id, asset_id=second.id,
            move=AssetMove(status=AssetStatus.released, on=TODAY),
        )  # fmt: skip
        found = assets.assets_of(s, file)
        # The released cash was given back: it no longer counts.
        assert assets.totals(found) == {"EUR": Decimal("8000.00"), "MAD": Decimal("12500.50")}
        kinds = [e.kind for e in files.events(s, file)]
        assert (kinds.count("asset"), kinds.count("asset_status")) == (3, 3)
        details = [e.details for e in files.events(s, file) if e.kind.startswith("asset")]
        assert all(set(d) == {"kind", "status"} for d in details)  # no description, no name
        audit = s.scalars(
            select(AuditEvent.action).where(AuditEvent.action.like("investigations.asset.%"))
        ).all()
        assert sorted(set(audit)) == ["investigations.asset.add", "investigations.asset.move"]
        assert len(audit) == 6


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("estimated_value", "-5"),
        ("estimated_value", "10.555"),
        ("estimated_value", "ten"),
        ("currency", "DH"),
        ("currency", "XYZ"),
        ("kind", "jewels"),
    ],
)
def test_a_bad_value_currency_or_kind_is_refused_by_field(field: str, value: str) -> None:
    with pytest.raises(ValidationError) as caught:
        cash(**{field: value})
    assert [e["loc"][0] for e in caught.value.errors()] == [field]


def test_dates_out_of_order_and_final_statuses_are_refused_with_the_field(
    demo_db: Database,
) -> None:
    with demo_db.unit_of_work() as s:
        police = actor(s, "investigator.ma")
        file = open_file(s)  # reported 30 days ago
        refusals = [
            (cash(seized_on=TODAY + dt.timedelta(days=1)), "seized_on"),
            (cash(seized_on=file.reported_on - dt.timedelta(days=1)), "seized_on"),
            (cash(currency=None), "currency"),
            (cash(estimated_value=None), "estimated_value"),
        ]
        for asset_in, field in refusals:
            with pytest.raises(Invalid) as caught:
                assets.add_asset(s, actor=police, file_id=file.id, asset_in=asset_in)
            assert caught.value.field == field
        other = open_file(s)
        stranger = defendant(s, other)
        with pytest.raises(Invalid) as caught:
            assets.add_asset(
                s, actor=police, file_id=file.id, asset_in=cash(defendant_id=stranger.id)
            )
        assert caught.value.field == "defendant_id"
        assert s.scalars(select(Asset).where(Asset.file_id == file.id)).all() == []

        asset = assets.add_asset(s, actor=police, file_id=file.id, asset_in=cash())
        early = AssetMove(status=AssetStatus.frozen, on=asset.seized_on - dt.timedelta(days=1))
        later = AssetMove(status=AssetStatus.frozen, on=TODAY + dt.timedelta(days=1))
        for move, field in ((early, "on"), (later, "on")):
            with pytest.raises(Invalid) as caught:
                assets.move_asset(s, actor=police, file_id=file.id, asset_id=asset.id, move=move)
            assert caught.value.field == field
        assets.move_asset(
            s, actor=police, file_id=file.id, asset_id=asset.id,
            move=AssetMove(status=AssetStatus.confiscated, on=TODAY),
        )  # fmt: skip
        for status in (AssetStatus.released, AssetStatus.frozen, AssetStatus.seized):
            with pytest.raises(Invalid) as caught:
                assets.move_asset(
                    s, actor=police, file_id=file.id, asset_id=asset.id,
                    move=AssetMove(status=status, on=TODAY),
                )  # fmt: skip
            assert caught.value.field == "status"
        assert s.get(Asset, asset.id).status is AssetStatus.confiscated  # type: ignore[union-attr]


def test_only_the_file_s_team_records_assets(demo_db: Database) -> None:
    with demo_db.unit_of_work() as s:
        file = open_file(s)
        for username in ("investigator.eg", "prosecutor.tn"):
            with pytest.raises(NotFound):
                assets.add_asset(s, actor=actor(s, username), file_id=file.id, asset_in=cash())
        with pytest.raises(Forbidden):
            assets.add_asset(s, actor=actor(s, "caseworker.ma"), file_id=file.id, asset_in=cash())
        # The prosecution of the country may update the file, so records assets too.
        prosecutor = actor(s, "prosecutor.ma")
        assert assets.add_asset(s, actor=prosecutor, file_id=file.id, asset_in=cash()).id


def test_the_page_records_an_asset_and_shows_a_refusal_next_to_the_field(
    client: TestClient, demo_db: Database
) -> None:
    with demo_db.unit_of_work() as s:
        file_id = open_file(s).id
    in_english(demo_db, "investigator.ma")
    login(client, demo_db, "investigator.ma", DEMO_PASSWORD)
    url = f"/investigations/{file_id}"
    assert '<option value="MAD" selected>' in client.get(url).text  # the country's currency
    form = {
        "asset-kind": "bank_account",
        "asset-description": "Account at a Casablanca bank",
        "asset-estimated_value": "250000",
        "asset-currency": "MAD",
        "asset-seized_on": TODAY.isoformat(),
    }
    added = post_form(client, f"{url}/assets", form, page=url)
    assert added.status_code == 303
    page = client.get(url).text
    assert "Account at a Casablanca bank" in page
    assert "Bank account" in page and "Seized" in page
    future = form | {"asset-seized_on": (TODAY + dt.timedelta(days=3)).isoformat()}
    refused = post_form(client, f"{url}/assets", future, page=url)
    assert refused.status_code == 422
    assert 'id="asset-seized_on-error"' in refused.text
    assert translated("This date is in the future.", "en") in refused.text
    with demo_db.unit_of_work() as s:
        assert len(s.scalars(select(Asset).where(Asset.file_id == file_id)).all()) == 1


def test_the_api_records_lists_and_moves_assets(client: TestClient, demo_db: Database) -> None:
    with demo_db.unit_of_work() as s:
        file_id = open_file(s).id
    police = bearer(demo_db, "investigator.ma")
    body = {
        "kind": "cash",
        "description": "Cash in a suitcase",
        "estimated_value": "900.25",
        "currency": "USD",
        "seized_on": TODAY.isoformat(),
    }
    created = client.post(f"/api/v1/investigations/{file_id}/assets", json=body, headers=police)
    assert created.status_code == 201, created.text
    asset_id = created.json()["id"]
    moved = client.post(
        f"/api/v1/investigations/{file_id}/assets/{asset_id}/status",
        json={"status": "frozen", "on": TODAY.isoformat()},
        headers=police,
    )
    assert moved.status_code == 200 and moved.json()["status"] == "frozen"
    listed = client.get(f"/api/v1/investigations/{file_id}/assets", headers=police).json()
    assert listed["totals"] == {"USD": "900.25"}
    bad = client.post(
        f"/api/v1/investigations/{file_id}/assets", json=body | {"currency": "DH"}, headers=police
    )
    assert bad.status_code == 422
    outsider = bearer(demo_db, "prosecutor.eg")
    assert (
        client.get(f"/api/v1/investigations/{file_id}/assets", headers=outsider).status_code == 404
    )


def test_a_closed_file_takes_no_new_asset_but_its_assets_are_still_released(
    demo_db: Database,
) -> None:
    with demo_db.unit_of_work() as s:
        police = actor(s, "investigator.ma")
        file = open_file(s)
        asset = assets.add_asset(s, actor=police, file_id=file.id, asset_in=cash())
        file.stage = Stage.no_charge  # the prosecution decided not to charge
        with pytest.raises(Invalid) as caught:
            assets.add_asset(s, actor=police, file_id=file.id, asset_in=cash())
        assert caught.value.field == "stage"
        # What was seized goes back to its owner after the decision.
        assets.move_asset(
            s, actor=police, file_id=file.id, asset_id=asset.id,
            move=AssetMove(status=AssetStatus.released, on=TODAY),
        )  # fmt: skip
        assert asset.status is AssetStatus.released
        with pytest.raises(NotFound):
            assets.move_asset(
                s, actor=actor(s, "investigator.eg"), file_id=file.id, asset_id=asset.id,
                move=AssetMove(status=AssetStatus.released, on=TODAY),
            )  # fmt: skip
