"""Persons before the courts: the engine's counts are the GLOTIP figures' own (one function
feeds both), a person is one unit however many charges, and scope applies."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from jusoor.core.db import Database
from jusoor.investigations.figures import criminal_justice_figures
from jusoor.investigations.models import Charge, Defendant, InvestigationFile, Judgment
from jusoor.investigations.vocabulary import Instance, OffenceType, Verdict
from jusoor.stats.engine import Query, count
from tests.stats.support import actor


def test_convicted_persons_match_a_direct_count_and_the_glotip_figures(stats_db: Database) -> None:
    with stats_db.unit_of_work() as s:
        coordinator = actor(s, "coordinator.ma")
        rows = s.execute(
            select(Defendant.id, Defendant.sex, Charge.form, Judgment.decided_on)
            .join(Judgment, Judgment.defendant_id == Defendant.id)
            .join(Charge, Charge.id == Judgment.charge_id)
            .join(InvestigationFile, InvestigationFile.id == Judgment.file_id)
            .where(InvestigationFile.country == "MA",
                   Charge.offence_type == OffenceType.trafficking.value,
                   Judgment.instance == Instance.first_instance,
                   Judgment.verdict == Verdict.convicted)
        ).all()  # fmt: skip
        assert rows, "the demo has no conviction in MA: the test would prove nothing"
        trafficking = {"offence": "trafficking"}
        by_sex = count(s, coordinator, Query("justice_convicted", ("sex",), where=trafficking))
        people = {r.id: r.sex.value for r in rows}
        assert by_sex.total == len(people)
        assert by_sex.cells == {
            (sex,): sum(1 for v in people.values() if v == sex) for sex in set(people.values())
        }
        by_form = count(s, coordinator, Query("justice_convicted", ("form",), where=trafficking))
        forms: dict[str, set[object]] = {}
        for r in rows:
            forms.setdefault(r.form or "unspecified", set()).add(r.id)
        assert by_form.cells == {(f,): len(ids) for f, ids in forms.items()}
        assert by_form.total == len(people)  # a person convicted on two forms is one person
        year = max(r.decided_on for r in rows).year
        prosecutor = actor(s, "prosecutor.ma")  # reads files: exact figures
        figures = criminal_justice_figures(s, actor=prosecutor, year=year)
        span = {"start": dt.date(year, 1, 1), "end": dt.date(year, 12, 31)}
        for stage, breakdown in (("formal_contact", figures.formal_contact),
                                 ("prosecuted", figures.prosecuted),
                                 ("convicted", figures.convicted)):  # fmt: skip
            table = count(s, coordinator,
                          Query(f"justice_{stage}", ("sex",), where=trafficking, **span))  # fmt: skip
            assert table.total == breakdown.total, stage
            assert {k[0]: v for k, v in table.cells.items()} == breakdown.by_sex, stage
        smuggled = count(s, coordinator,
                         Query("justice_prosecuted", ("year",), where={"offence": "smuggling"}, **span))  # fmt: skip
        assert smuggled.total == figures.smuggling["prosecuted"]


def test_persons_are_counted_in_scope_only(stats_db: Database) -> None:
    with stats_db.unit_of_work() as s:
        egypt = count(s, actor(s, "analyst.eg"), Query("justice_formal_contact", ("country",)))
        assert set(k[0] for k in egypt.cells) <= {"EG"}
        police = actor(s, "investigator.ma")
        own = count(s, police, Query("justice_formal_contact", ("agency",)))
        assert set(k[0] for k in own.cells) <= {str(police.agency_id)}
        everyone = count(s, actor(s, "admin"), Query("justice_formal_contact", ("country",)))
        assert everyone.total >= egypt.total + own.total and len(everyone.cells) > 1


def test_the_unodc_report_gives_the_convicted_persons_protected(stats_db: Database) -> None:
    from jusoor.stats.glotip import export

    with stats_db.unit_of_work() as s:
        years = s.scalars(
            select(Judgment.decided_on)
            .join(InvestigationFile, InvestigationFile.id == Judgment.file_id)
            .where(InvestigationFile.country == "MA", Judgment.verdict == Verdict.convicted,
                   Judgment.instance == Instance.first_instance)
        ).all()  # fmt: skip
        assert years, "the demo has no conviction in MA: the test would prove nothing"
        year = max(years).year
        coordinator = actor(s, "coordinator.ma")
        exact = count(s, coordinator, Query("justice_convicted", (), where={"offence": "trafficking"},
                                            start=dt.date(year, 1, 1), end=dt.date(year, 12, 31)))  # fmt: skip
        result = export.answers(s, actor=actor(s, "analyst.ma"), year=year)
    convicted = [r for r in result.rows if r[4] == "Persons convicted"]
    total = [r[11] for r in convicted if r[5] == "Total" and r[7] == "Total" and r[8] == "Total"]
    assert total == (["<5"] if 0 < exact.total < 5 else [f"{exact.total:,}"])
    assert all(r[11] not in {"1", "2", "3", "4"} for r in result.rows)
