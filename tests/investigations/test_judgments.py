"""Judgments: per defendant and charge, first instance at trial, appeal on appeal after a
first-instance judgment; dates in order; a sentence only with a conviction; one per charge and
instance; every refusal names its field and saves nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jusoor.core.db import Database
from jusoor.core.errors import Forbidden, Invalid
from jusoor.investigations import judgments
from jusoor.investigations import service as files
from jusoor.investigations.models import Judgment
from jusoor.investigations.vocabulary import Instance, Stage, Verdict
from tests.conftest import DEMO_PASSWORD
from tests.investigations.court_support import (
    DEFENDANT_NAME,
    SMUGGLING_MA,
    add_defendant,
    at_trial,
    bring,
    judge,
    move,
)
from tests.investigations.support import actor, in_english
from tests.support.web import login, post_form, translated


def _count(session: Session) -> int:
    return int(session.scalar(select(func.count(Judgment.id))) or 0)


def _record(session: Session, file_id: Any, **values: Any) -> Judgment:
    return judgments.record_judgment(
        session,
        actor=actor(session, "prosecutor.ma"),
        file_id=file_id,
        judgment_in=judgments.JudgmentIn.model_validate(
            {"decided_on": dt.date.today(), "verdict": "convicted", **values}
        ),
    )


def test_a_conviction_with_its_sentence_is_recorded_and_worded(demo_db: Database) -> None:
    with demo_db.unit_of_work() as s:
        file, defendant, charge = at_trial(s)
        judgment = judge(s, file, charge)
        assert (judgment.instance, judgment.verdict, judgment.court) == (
            Instance.first_instance, Verdict.convicted, file.court,
        )  # fmt: skip
        assert judgment.defendant_id == defendant.id
        assert (judgment.prison_months, judgment.fine_amount, judgment.fine_currency) == (
            60, Decimal("20000"), "MAD",
        )  # fmt: skip
        event = files.events(s, file)[-1]
        assert event.kind == "judgment" and event.details["verdict"] == "convicted"
        assert DEFENDANT_NAME not in str(event.details)


@pytest.mark.parametrize(
    ("field", "values"),
    [
        ("decided_on", {"decided_on": dt.date.today() + dt.timedelta(days=1)}),
        ("decided_on", {"decided_on": dt.date(2001, 1, 1)}),  # before the charge
        ("prison_months", {"prison_months": 1201}),
        ("prison_months", {"prison_months": -1}),
        ("fine_amount", {"fine_amount": "-5", "fine_currency": "MAD"}),
        ("fine_currency", {"fine_amount": "5000"}),
        ("fine_currency", {"fine_amount": "5000", "fine_currency": "XYZ"}),
        ("prison_months", {"verdict": "acquitted", "prison_months": 12}),
        ("fine_amount", {"verdict": "acquitted", "fine_amount": "10", "fine_currency": "MAD"}),
        ("confiscation", {"verdict": "acquitted", "confiscation": True}),
        ("instance", {"instance": "appeal"}),  # the file is at trial
    ],
)
def test_bad_judgments_are_refused_with_the_field_named(
    demo_db: Database, field: str, values: dict[str, Any]
) -> None:
    with demo_db.unit_of_work() as s:
        file, _defendant, charge = at_trial(s)
        with pytest.raises(Invalid) as refused:
            _record(s, file.id, charge_id=charge.id, **values)
        assert refused.value.field == field
        assert _count(s) == 0


def test_a_judgment_for_a_defendant_not_charged_or_a_withdrawn_charge_is_refused(
    demo_db: Database,
) -> None:
    with demo_db.unit_of_work() as s:
        file, _defendant, charge = at_trial(s)
        other = add_defendant(s, file, "Other Person")
        with pytest.raises(Invalid) as not_charged:
            _record(s, file.id, charge_id=charge.id, defendant_id=other.id)
        assert not_charged.value.field == "defendant_id"
        assert not_charged.value.message == translated(
            "This defendant was not charged with this charge.", "en"
        )
        second = bring(s, file, other, SMUGGLING_MA)
        from jusoor.investigations import charges

        charges.withdraw(
            s, actor=actor(s, "prosecutor.ma"), file_id=file.id, charge_id=second.id,
            withdraw_in=charges.WithdrawIn(reason="No evidence."),
        )  # fmt: skip
        with pytest.raises(Invalid) as withdrawn:
            _record(s, file.id, charge_id=second.id)
        assert withdrawn.value.field == "charge_id"
        _record(s, file.id, charge_id=charge.id)
        with pytest.raises(Invalid) as twice:
            _record(s, file.id, charge_id=charge.id)
        assert twice.value.field == "charge_id"
        assert _count(s) == 1


def test_only_the_prosecution_records_judgments_and_only_at_trial_or_appeal(
    demo_db: Database,
) -> None:
    with demo_db.unit_of_work() as s:
        file, _defendant, charge = at_trial(s)
        judgment_in = judgments.JudgmentIn(
            charge_id=charge.id, decided_on=dt.date.today(), verdict=Verdict.acquitted
        )
        with pytest.raises(Forbidden):
            judgments.record_judgment(
                s, actor=actor(s, "investigator.ma"), file_id=file.id, judgment_in=judgment_in
            )
        judge(s, file, charge, verdict=Verdict.acquitted)
        move(s, "prosecutor.ma", file, Stage.first_instance_judgment)
        with pytest.raises(Invalid) as between:  # no court sits at this stage
            _record(s, file.id, charge_id=charge.id, instance="first_instance")
        assert between.value.field == "instance"


def test_an_appeal_judgment_follows_the_first_instance_one(demo_db: Database) -> None:
    with demo_db.unit_of_work() as s:
        file, defendant, charge = at_trial(s)
        second = bring(s, file, defendant, SMUGGLING_MA)
        ten_days_ago = dt.date.today() - dt.timedelta(days=10)
        judge(s, file, charge, decided_on=ten_days_ago)
        judge(s, file, second, verdict=Verdict.acquitted)
        move(s, "prosecutor.ma", file, Stage.first_instance_judgment)
        move(s, "prosecutor.ma", file, Stage.appeal, "The defence appealed.")
        with pytest.raises(Invalid) as before_first:
            _record(s, file.id, charge_id=charge.id,
                    decided_on=ten_days_ago - dt.timedelta(days=1))  # fmt: skip
        assert before_first.value.field == "decided_on"
        appeal = _record(s, file.id, charge_id=charge.id, prison_months=36, court="Court of Appeal")
        assert (appeal.instance, appeal.prison_months) == (Instance.appeal, 36)
        move(s, "prosecutor.ma", file, Stage.final)
        assert file.stage is Stage.final
        with pytest.raises(Invalid):  # a final file takes nothing more
            _record(s, file.id, charge_id=second.id)


def test_the_judgment_form_shows_errors_beside_its_fields(
    client: TestClient, demo_db: Database
) -> None:
    with demo_db.unit_of_work() as s:
        file, _defendant, charge = at_trial(s)
        url, charge_id = f"/investigations/{file.id}", str(charge.id)
    in_english(demo_db, "investigator.ma", "prosecutor.ma", "prosecutor.eg")
    login(client, demo_db, "prosecutor.ma", DEMO_PASSWORD)
    page = client.get(url).text
    assert 'action="' + url + '/judgments"' in page and "MAD" in page
    acquitted_with_prison = post_form(
        client, f"{url}/judgments",
        {"judgment-charge_id": charge_id, "judgment-verdict": "acquitted",
         "judgment-prison_months": "12", "judgment-fine_currency": "MAD",
         "judgment-decided_on": dt.date.today().isoformat()},
        page=url,
    )  # fmt: skip
    assert acquitted_with_prison.status_code == 422
    assert 'id="judgment-prison_months-error"' in acquitted_with_prison.text
    assert translated("An acquittal carries no sentence: leave this empty.", "en") in (
        acquitted_with_prison.text
    )
    with demo_db.unit_of_work() as s:
        assert _count(s) == 0
    acquitted = post_form(
        client, f"{url}/judgments",
        {"judgment-charge_id": charge_id, "judgment-verdict": "acquitted",
         "judgment-fine_currency": "MAD", "judgment-decided_on": dt.date.today().isoformat()},
        page=url,
    )  # fmt: skip
    assert acquitted.status_code == 303, acquitted.text
    shown = client.get(url).text
    assert translated("Acquitted", "en") in shown
    assert 'action="' + url + '/judgments"' not in shown  # nothing left to judge
