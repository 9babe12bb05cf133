"""The criminal-justice figures (GLOTIP): persons brought into formal contact, prosecuted and
convicted for trafficking in a year, by sex, age group, citizenship and form of exploitation, and
the smuggling totals; small counts hidden from those who do not read files; other countries'
figures and case workers refused. Charges and judgments are written through the models here (their
services are another module's)."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from jusoor.audit.models import AuditEvent
from jusoor.cli.main import app as cli
from jusoor.core.db import Database
from jusoor.core.errors import Forbidden, Invalid
from jusoor.investigations import defendants
from jusoor.investigations.defendants import DefendantCreate
from jusoor.investigations.figures import SMALL, criminal_justice_figures
from jusoor.investigations.models import Charge, Defendant, InvestigationFile, Judgment
from jusoor.investigations.vocabulary import ChargeStatus, Instance, Verdict
from tests.investigations.support import actor, open_file
from tests.support.tokens import bearer

DAY = dt.date.today() - dt.timedelta(days=1)
YEAR = DAY.year


def person(
    s: Session, file: InvestigationFile, name: str, sex: str, age: int | None, country: str | None
) -> Defendant:
    police = actor(s, "investigator.eg" if file.country == "EG" else "investigator.ma")
    values = {"name": name, "role": "recruiter", "sex": sex, "age": age, "citizenship": country,
              "formal_contact_on": DAY}  # fmt: skip
    return defendants.add_defendant(
        s, actor=police, file_id=file.id,
        defendant_in=DefendantCreate.model_validate({k: v for k, v in values.items() if v is not None}),
    )  # fmt: skip


def charge(
    s: Session, d: Defendant, offence_type: str, form: str | None, *,
    status: ChargeStatus = ChargeStatus.charged, on: dt.date = DAY,
) -> Charge:  # fmt: skip
    row = Charge(file_id=d.file_id, defendant_id=d.id, offence=f"{offence_type}-{form}-{uuid.uuid4().hex[:6]}",
                 offence_type=offence_type, form=form, status=status, charged_on=on,
                 charged_by=actor(s, "prosecutor.ma").user_id)  # fmt: skip
    s.add(row)
    s.flush()
    return row


def judge(
    s: Session, c: Charge, verdict: Verdict, instance: Instance = Instance.first_instance
) -> None:
    s.add(Judgment(file_id=c.file_id, defendant_id=c.defendant_id, charge_id=c.id, instance=instance,
                   court="Tribunal de première instance, Rabat", decided_on=DAY, verdict=verdict,
                   recorded_by=actor(s, "prosecutor.ma").user_id))  # fmt: skip
    s.flush()


def fill(s: Session) -> None:
    """Five persons in Morocco this year, one in Egypt, and a charge of last year."""
    file = open_file(s)
    a = person(s, file, "Adil Alaoui", "male", 41, "MA")
    judge(s, charge(s, a, "trafficking", "forced_labour"), Verdict.convicted)
    b = person(s, file, "Bouchra Berrada", "female", 17, "NG")
    judge(s, charge(s, b, "trafficking", "sexual_exploitation"), Verdict.acquitted)
    charge(s, b, "trafficking", "forced_labour")
    person(s, file, "Chakib Chami", "male", None, None)  # not yet charged
    d = person(s, file, "Driss Dahbi", "male", 30, "SN")
    smuggled = charge(s, d, "smuggling", None)
    judge(s, smuggled, Verdict.convicted)
    e = person(s, file, "Essaadia El Fassi", "female", 25, "MA")
    charge(s, e, "trafficking", "forced_labour", status=ChargeStatus.withdrawn)
    # Convicted only on appeal this year: not a first-instance conviction.
    judge(s, charge(s, e, "related", None), Verdict.convicted, Instance.appeal)
    last_year = dt.date(YEAR - 1, 6, 1)
    f = person(s, file, "Fouad Filali", "male", 50, "MA")
    charge(s, f, "trafficking", "forced_labour", on=last_year)
    f.formal_contact_on = last_year
    egypt = person(s, open_file(s, "investigator.eg"), "Gamal Gaber", "male", 33, "EG")
    judge(s, charge(s, egypt, "trafficking", "forced_labour"), Verdict.convicted)
    s.flush()


def test_persons_are_counted_by_sex_age_citizenship_and_form(demo_db: Database) -> None:
    with demo_db.unit_of_work() as s:
        fill(s)
        got = criminal_justice_figures(s, actor=actor(s, "prosecutor.ma"), year=YEAR)
        assert got.country == "MA" and not got.suppressed
        contact = got.formal_contact
        assert contact.total == 4  # A, B, C, E; D faces smuggling only, F came last year
        assert contact.by_sex == {"female": 2, "male": 2}
        assert contact.by_age == {"adult": 2, "child": 1, "unknown": 1}
        assert contact.by_citizenship == {"MA": 2, "NG": 1, "unknown": 1}
        assert contact.by_form == {"forced_labour": 3, "sexual_exploitation": 1, "unspecified": 1}
        prosecuted = got.prosecuted
        assert prosecuted.total == 2  # A and B; E's charge was withdrawn, F's is last year's
        assert prosecuted.by_form == {"forced_labour": 2, "sexual_exploitation": 1}
        assert prosecuted.by_age == {"adult": 1, "child": 1}
        convicted = got.convicted
        assert convicted.total == 1 and convicted.by_sex == {"male": 1}
        assert convicted.by_citizenship == {"MA": 1} and convicted.by_form == {"forced_labour": 1}
        assert got.smuggling == {"formal_contact": 1, "prosecuted": 1, "convicted": 1}
        last = criminal_justice_figures(s, actor=actor(s, "investigator.ma"), year=YEAR - 1)
        assert last.prosecuted.total == 1 and last.formal_contact.total == 1
        egypt = criminal_justice_figures(s, actor=actor(s, "prosecutor.eg"), year=YEAR)
        assert egypt.convicted.total == 1 and egypt.formal_contact.by_citizenship == {"EG": 1}
        audited = s.scalars(select(AuditEvent).where(AuditEvent.action == "investigations.figures"))
        assert len(audited.all()) == 3


def test_small_counts_are_hidden_from_those_who_do_not_read_files(demo_db: Database) -> None:
    with demo_db.unit_of_work() as s:
        fill(s)
        got = criminal_justice_figures(s, actor=actor(s, "coordinator.ma"), year=YEAR)
        assert got.suppressed
        assert got.formal_contact.total == SMALL and got.formal_contact.by_sex == {
            "female": SMALL,
            "male": SMALL,
        }
        assert got.smuggling["convicted"] == SMALL
        empty = criminal_justice_figures(s, actor=actor(s, "analyst.ma"), year=YEAR - 3)
        assert empty.formal_contact.total == 0  # nothing to hide in an empty cell
        # The node's administrator reads any country's figures, with small counts hidden too.
        morocco = criminal_justice_figures(s, actor=actor(s, "admin"), year=YEAR, country="ma")
        assert morocco.country == "MA" and morocco.convicted.total == SMALL


def test_case_workers_other_countries_and_bad_requests_are_refused(demo_db: Database) -> None:
    with demo_db.unit_of_work() as s:
        with pytest.raises(Forbidden):
            criminal_justice_figures(s, actor=actor(s, "caseworker.ma"), year=YEAR)
        for username in ("investigator.ma", "coordinator.ma"):
            with pytest.raises(Forbidden):
                criminal_justice_figures(s, actor=actor(s, username), year=YEAR, country="EG")
        with pytest.raises(Invalid) as year:
            criminal_justice_figures(s, actor=actor(s, "prosecutor.ma"), year=1990)
        assert year.value.field == "year"
        with pytest.raises(Invalid) as country:
            criminal_justice_figures(s, actor=actor(s, "prosecutor.ma"), year=YEAR, country="ZZ")
        assert country.value.field == "country"


def test_api_and_console_give_the_same_figures(client: TestClient, demo_db: Database) -> None:
    with demo_db.unit_of_work() as s:
        fill(s)
    url = "/api/v1/investigations/figures"
    exact = client.get(url, params={"year": YEAR}, headers=bearer(demo_db, "prosecutor.ma"))
    assert exact.status_code == 200, exact.text
    assert exact.json()["prosecuted"]["total"] == 2
    assert exact.json()["smuggling"]["convicted"] == 1
    hidden = client.get(url, params={"year": YEAR}, headers=bearer(demo_db, "coordinator.ma"))
    assert hidden.json()["formal_contact"]["total"] == SMALL
    abroad = client.get(
        url, params={"year": YEAR, "country": "EG"}, headers=bearer(demo_db, "investigator.ma")
    )
    assert abroad.status_code == 403
    worker = client.get(url, params={"year": YEAR}, headers=bearer(demo_db, "caseworker.ma"))
    assert worker.status_code == 403
    console = CliRunner().invoke(
        cli, ["investigations", "figures", "--year", str(YEAR), "--as", "coordinator.ma", "--json"]
    )
    assert console.exit_code == 0, console.output
    assert json.loads(console.output)["convicted"]["total"] == SMALL
    refused = CliRunner().invoke(
        cli, ["investigations", "figures", "--year", str(YEAR), "--country", "EG", "--as",
              "prosecutor.ma"],
    )  # fmt: skip
    assert refused.exit_code != 0
