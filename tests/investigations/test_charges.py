"""Charges: brought by the public prosecution of the file's country, under an offence of that
country's law file, at the prosecution decision or at trial (amended indictment); every bad input
refused with the field named and nothing saved; withdrawal with a reason, before judgment."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jusoor.audit.models import AuditEvent
from jusoor.core.db import Database
from jusoor.core.errors import Forbidden, Invalid, NotFound
from jusoor.investigations import charges
from jusoor.investigations import service as files
from jusoor.investigations.models import Charge, FileEvent
from jusoor.investigations.vocabulary import ChargeStatus, Stage
from tests.conftest import DEMO_PASSWORD
from tests.investigations.court_support import (
    DEFENDANT_NAME,
    SMUGGLING_MA,
    TRAFFICKING_MA,
    UNCHECKED_MA,
    add_defendant,
    at_prosecution,
    at_trial,
    bring,
    judge,
    move,
)
from tests.investigations.support import actor, in_english, open_file
from tests.support.web import login, post_form, translated


def _count(session: Session) -> int:
    return int(session.scalar(select(func.count(Charge.id))) or 0)


def test_a_charge_copies_the_offence_type_and_is_worded_without_the_name(
    demo_db: Database,
) -> None:
    with demo_db.unit_of_work() as s:
        file, defendant = at_prosecution(s)
        charge = bring(s, file, defendant)
        assert charge.status is ChargeStatus.charged
        assert (charge.offence_type, charge.charged_by) == (
            "trafficking",
            actor(s, "prosecutor.ma").user_id,
        )
        smuggling = bring(s, file, defendant, SMUGGLING_MA)
        assert (smuggling.offence_type, smuggling.form) == ("smuggling", None)
        event = files.events(s, file)[-1]
        assert event.kind == "charge" and event.details["offence"] == SMUGGLING_MA
        assert event.details["amended"] is False
        assert DEFENDANT_NAME not in str(event.details)
        audited = s.scalar(
            select(func.count(AuditEvent.id)).where(
                AuditEvent.action == "investigations.charge",
                AuditEvent.object_id == str(file.id),
            )
        )
        assert audited == 2


@pytest.mark.parametrize(
    ("field", "change"),
    [
        ("offence", {"offence": "EG-64/2010-2"}),  # Egypt's law, a Moroccan file
        ("offence", {"offence": "MA-PC-999"}),  # in no law file at all
        ("charged_on", {"charged_on": dt.date.today() + dt.timedelta(days=1)}),
        ("charged_on", {"charged_on": dt.date(2000, 1, 1)}),  # before the report
    ],
)
def test_bad_charges_are_refused_with_the_field_named(
    demo_db: Database, field: str, change: dict[str, object]
) -> None:
    with demo_db.unit_of_work() as s:
        file, defendant = at_prosecution(s)
        values: dict[str, object] = {"defendant_id": defendant.id, "offence": TRAFFICKING_MA}
        with pytest.raises(Invalid) as refused:
            charges.bring(
                s, actor=actor(s, "prosecutor.ma"), file_id=file.id,
                charge_in=charges.ChargeIn.model_validate({**values, **change}),
            )  # fmt: skip
        assert refused.value.field == field
        assert _count(s) == 0
        assert [e.kind for e in files.events(s, file)].count("charge") == 0


def test_a_defendant_of_another_file_and_a_second_identical_charge_are_refused(
    demo_db: Database,
) -> None:
    with demo_db.unit_of_work() as s:
        file, defendant = at_prosecution(s)
        stranger = add_defendant(s, open_file(s), "Someone Else")
        with pytest.raises(Invalid) as other_file:
            bring(s, file, stranger)
        assert other_file.value.field == "defendant_id"
        bring(s, file, defendant)
        with pytest.raises(Invalid) as twice:
            bring(s, file, defendant)
        assert twice.value.field == "offence"
        assert twice.value.message == translated(
            "This defendant is already charged with this offence.", "en"
        )
        assert _count(s) == 1


def test_charges_belong_to_the_prosecution_of_the_country_at_its_stages(
    demo_db: Database,
) -> None:
    with demo_db.unit_of_work() as s:
        file = open_file(s)
        defendant = add_defendant(s, file)
        move(s, "investigator.ma", file, Stage.preliminary_investigation)
        with pytest.raises(Invalid) as early:
            bring(s, file, defendant)
        assert early.value.field == "stage"
        move(s, "investigator.ma", file, Stage.prosecution_decision)
        police = actor(s, "investigator.ma")
        request = charges.ChargeIn(defendant_id=defendant.id, offence=TRAFFICKING_MA)
        with pytest.raises(Forbidden):
            charges.bring(s, actor=police, file_id=file.id, charge_in=request)
        with pytest.raises(NotFound):
            charges.bring(s, actor=actor(s, "prosecutor.eg"), file_id=file.id, charge_in=request)
        assert _count(s) == 0


def test_a_charge_at_trial_is_an_amended_indictment(demo_db: Database) -> None:
    with demo_db.unit_of_work() as s:
        file, defendant, _charge = at_trial(s)
        added = bring(s, file, defendant, SMUGGLING_MA)
        event = s.scalars(
            select(FileEvent).where(FileEvent.kind == "charge", FileEvent.file_id == file.id)
        ).all()[-1]
        assert event.details == {
            "charge_id": str(added.id), "defendant_id": str(defendant.id),
            "offence": SMUGGLING_MA, "country": "MA", "amended": True,
        }  # fmt: skip


def test_withdrawal_needs_a_reason_and_comes_before_judgment(demo_db: Database) -> None:
    with demo_db.unit_of_work() as s:
        file, defendant, first = at_trial(s)
        second = bring(s, file, defendant, SMUGGLING_MA)
        prosecutor = actor(s, "prosecutor.ma")

        def withdraw(charge: Charge, reason: str) -> Charge:
            return charges.withdraw(
                s, actor=prosecutor, file_id=file.id, charge_id=charge.id,
                withdraw_in=charges.WithdrawIn(reason=reason),
            )  # fmt: skip

        with pytest.raises(Invalid) as no_reason:
            withdraw(second, "")
        assert no_reason.value.field == "reason" and second.status is ChargeStatus.charged
        withdraw(second, "The evidence of smuggling did not hold.")
        assert second.status is ChargeStatus.withdrawn
        event = files.events(s, file)[-1]
        assert (event.kind, event.reason) == (
            "charge_withdrawn",
            "The evidence of smuggling did not hold.",
        )
        with pytest.raises(Invalid) as again:
            withdraw(second, "Again.")
        assert again.value.field == "charge_id"
        with pytest.raises(Invalid) as last:  # the court must rule on the last charge
            withdraw(first, "Dropped.")
        assert last.value.field == "charge_id"
        judge(s, file, first)
        with pytest.raises(Invalid) as judged:
            withdraw(first, "Too late.")
        assert judged.value.field == "charge_id"
        assert first.status is ChargeStatus.charged
        with pytest.raises(Invalid) as reborn:
            bring(s, file, defendant, SMUGGLING_MA)
        assert reborn.value.field == "offence"


def test_the_panel_offers_the_charge_form_to_the_prosecution_only(
    client: TestClient, demo_db: Database
) -> None:
    with demo_db.unit_of_work() as s:
        file, defendant = at_prosecution(s)
        url, defendant_id = f"/investigations/{file.id}", str(defendant.id)
    in_english(demo_db, "investigator.ma", "prosecutor.ma", "prosecutor.eg")
    login(client, demo_db, "investigator.ma", DEMO_PASSWORD)
    page = client.get(url).text
    assert DEFENDANT_NAME in page and 'action="' + url + '/charges"' not in page
    login(client, demo_db, "prosecutor.ma", DEMO_PASSWORD)
    page = client.get(url).text
    assert 'action="' + url + '/charges"' in page
    assert UNCHECKED_MA in page and "⚠" in page  # unchecked references carry the warning
    bad = post_form(
        client, f"{url}/charges", {"charge-defendant_id": "", "charge-offence": "EG-64/2010-2"},
        page=url,
    )  # fmt: skip
    assert bad.status_code == 422
    assert 'id="charge-defendant_id"' in bad.text and 'aria-invalid="true"' in bad.text
    wrong_law = post_form(
        client, f"{url}/charges",
        {"charge-defendant_id": defendant_id, "charge-offence": "EG-64/2010-2"}, page=url,
    )  # fmt: skip
    assert wrong_law.status_code == 422
    assert 'id="charge-offence-error"' in wrong_law.text
    with demo_db.unit_of_work() as s:
        assert _count(s) == 0  # nothing saved
    done = post_form(
        client, f"{url}/charges",
        {"charge-defendant_id": defendant_id, "charge-offence": UNCHECKED_MA}, page=url,
    )  # fmt: skip
    assert done.status_code == 303
    shown = client.get(url).text
    assert translated("Reference not verified against the official text.", "en") in shown
    assert translated("Charge brought", "en") in shown


def test_another_countrys_prosecutor_cannot_charge_through_the_page(
    client: TestClient, demo_db: Database
) -> None:
    with demo_db.unit_of_work() as s:
        file, defendant = at_prosecution(s)
        url, defendant_id = f"/investigations/{file.id}", str(defendant.id)
    in_english(demo_db, "investigator.ma", "prosecutor.ma", "prosecutor.eg")
    login(client, demo_db, "prosecutor.eg", DEMO_PASSWORD)
    token_page = "/investigations"  # a page of their own, for the CSRF token
    sent = post_form(
        client, f"{url}/charges",
        {"charge-defendant_id": defendant_id, "charge-offence": TRAFFICKING_MA}, page=token_page,
    )  # fmt: skip
    assert sent.status_code == 404
    with demo_db.unit_of_work() as s:
        assert _count(s) == 0
