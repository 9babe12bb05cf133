"""Synthetic victims' cases for the demo: seeded, spread over the seven demo countries, at every NRM
stage, moved through the real case services (so timelines, consents and audit are real).

Routes follow patterns the region's reports describe (UNODC GLOTIP 2022, IOM DTM Libya, the US
TIP reports on the seven countries): domestic workers from Asia and East Africa in Kuwait and
Jordan, garment workers from Bangladesh in Jordan, sexual exploitation along Nigeria → Niger →
Libya, forced begging of children in Egypt, Morocco and Mauritania, internal cases in Egypt and
Morocco. Names come from `jusoor.synth.names` (Arabic script, with a Latin transliteration as
alias). All people are fictional.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from jusoor.agencies.models import Agency, User
from jusoor.agencies.service import actor_for
from jusoor.cases import service as cases
from jusoor.cases.models import Case
from jusoor.cases.schemas import BestInterestsSet, CaseCreate, ConsentCreate, NoteCreate, TaskCreate
from jusoor.cases.vocabulary import AGE_BANDS, ConsentPurpose, Stage
from jusoor.core.db import utcnow
from jusoor.core.permissions import Actor
from jusoor.synth import timeline
from jusoor.synth.names import random_person_name
from jusoor.synth.services import refer_demo_cases

COUNTRIES = ("EG", "MA", "TN", "LY", "MR", "KW", "JO")


@dataclass(frozen=True)
class Route:
    """Where a person was recruited, passed through and exploited, and how."""

    found_in: str  # the demo country whose agency holds the case
    origin: str
    transit: tuple[str, ...]
    exploited_in: str
    forms: tuple[str, ...]
    languages: tuple[str, ...]
    child_share: float  # how often the person is a child on this route
    women_share: float


ROUTES: tuple[Route, ...] = (
    Route("EG", "EG", (), "EG", ("forced_begging",), ("ar",), 0.8, 0.4),
    Route("EG", "EG", (), "EG", ("forced_labour", "servitude"), ("ar",), 0.4, 0.8),
    Route("EG", "ER", ("SD",), "EG", ("forced_labour",), ("ti", "ar"), 0.2, 0.4),
    Route("EG", "ET", ("SD",), "EG", ("forced_labour",), ("am",), 0.1, 0.7),
    Route("MA", "MA", (), "MA", ("forced_labour",), ("ar",), 0.6, 0.9),
    Route("MA", "MA", (), "MA", ("forced_begging",), ("ar",), 0.8, 0.5),
    Route("MA", "NG", ("NE", "DZ"), "MA", ("sexual_exploitation",), ("en",), 0.2, 0.95),
    Route(
        "MA", "CI", ("ML", "DZ"), "MA", ("forced_begging", "forced_criminality"), ("fr",), 0.3, 0.5
    ),
    Route("TN", "CI", (), "TN", ("servitude", "forced_labour"), ("fr",), 0.1, 0.9),
    Route("TN", "TN", (), "TN", ("forced_labour",), ("ar",), 0.7, 0.6),
    Route("LY", "NG", ("NE",), "LY", ("sexual_exploitation",), ("en",), 0.2, 0.95),
    Route("LY", "ER", ("SD",), "LY", ("forced_labour",), ("ti",), 0.15, 0.3),
    Route("LY", "BD", ("EG",), "LY", ("forced_labour",), ("bn",), 0.05, 0.05),
    Route("MR", "MR", (), "MR", ("servitude",), ("ar",), 0.4, 0.7),
    Route("MR", "SN", (), "MR", ("forced_begging",), ("wo", "fr"), 0.9, 0.1),
    Route("MR", "ML", (), "MR", ("forced_labour",), ("bm", "fr"), 0.3, 0.4),
    Route("KW", "PH", (), "KW", ("forced_labour", "servitude"), ("tl", "en"), 0.02, 0.95),
    Route("KW", "ET", (), "KW", ("forced_labour",), ("am",), 0.05, 0.95),
    Route("KW", "BD", ("AE",), "KW", ("forced_labour",), ("bn",), 0.02, 0.1),
    Route("KW", "IN", (), "KW", ("forced_labour",), ("hi", "en"), 0.02, 0.5),
    Route("JO", "BD", (), "JO", ("forced_labour",), ("bn",), 0.05, 0.7),
    Route("JO", "LK", (), "JO", ("forced_labour", "servitude"), ("si",), 0.02, 0.95),
    Route("JO", "SY", (), "JO", ("forced_labour", "forced_marriage"), ("ar",), 0.6, 0.6),
    Route("JO", "EG", (), "JO", ("forced_labour",), ("ar",), 0.05, 0.05),
)
# Ethiopians crossing Yemen to Saudi Arabia are met on their return in Egypt and Jordan.
ROUTES += (Route("JO", "ET", ("DJ", "YE"), "SA", ("forced_labour",), ("am",), 0.2, 0.6),)

MEANS = (
    "debt_bondage",
    "withholds_documents",
    "takes_earnings",
    "false_promises",
    "physical_threats",
    "psychological_abuse",
    "restricts_financial_access",
    "excessive_working_hours",
    "withholds_necessities",
    "physical_abuse",
)
RELATIONS = ("familial", "acquainted", "unacquainted", "intimate_partner", "unknown")
# Stage a case has reached, with its weight, and the moves that bring it there.
PATHS: tuple[tuple[tuple[str, ...], int], ...] = (
    ((), 5),
    (("reasonable_grounds",), 5),
    (("reasonable_grounds", "recovery_reflection"), 5),
    (("reasonable_grounds", "recovery_reflection", "assistance"), 6),
    (("reasonable_grounds", "assistance"), 3),
    (("reasonable_grounds", "recovery_reflection", "assistance", "return_reintegration"), 3),
    (("reasonable_grounds", "assistance", "residence_inclusion"), 2),
    (("reasonable_grounds", "assistance", "proceedings"), 2),
    (("reasonable_grounds", "recovery_reflection", "assistance", "closed"), 3),
    (("closed",), 1),
)
NOTES = (
    "First interview held with an interpreter; the person is calm and asked about her family.",
    "Met at the shelter. Sleeping better; asked for news about the wages owed.",
    "Phone call with the labour inspector about the employer's address.",
    "The person wants to go home once the documents are replaced.",
)
TASKS = (
    "Ask the embassy for a travel document",
    "Book a medical check-up",
    "Follow up on the legal aid appointment",
    "Check the reflection period end date with the focal point",
    "Call the family-tracing officer",
)


def _case_in(rng: random.Random, route: Route) -> CaseCreate:
    child = rng.random() < route.child_share
    woman = rng.random() < route.women_share
    age = rng.randint(7, 17) if child else rng.randint(18, 52)
    band = next(b for b, (low, high) in AGE_BANDS.items() if low <= age <= (high or 200))
    exact = rng.random() < 0.7  # otherwise only the band is known
    name = random_person_name(rng, country=route.origin, gender="female" if woman else "male")
    forms = list(route.forms)
    if child and "forced_labour" in forms and rng.random() < 0.5:
        forms.append("child_labour")
    return CaseCreate(
        gender="feminine" if woman else "masculine",
        age=age if exact else None,
        age_band=None if exact else band,
        is_child=child,
        citizenship=[route.origin],
        languages=list(route.languages),
        countries_of_origin=[route.origin],
        countries_of_transit=list(route.transit),
        countries_of_exploitation=[route.exploited_in],
        forms_of_exploitation=forms,
        means_of_control=sorted(rng.sample(MEANS, k=rng.randint(1, 4))),
        recruiter_relation=rng.choice(RELATIONS),
        name=name.arabic(),
        aliases=name.latin(),
    )


def workers(session: Session) -> dict[str, tuple[Actor, str]]:
    """Per demo country, a case worker of an NGO, shelter or coordinating body, as an actor."""
    found: dict[str, tuple[Actor, str]] = {}
    stmt = select(User).join(Agency, User.agency_id == Agency.id).order_by(User.username)
    for user in session.scalars(stmt).unique():
        if "case_worker" in user.roles and user.agency.country not in found:
            found[user.agency.country] = (actor_for(user, via="cli"), user.agency.code)
    return found


def _move(
    session: Session, actor: Actor, case_id: uuid.UUID, path: tuple[str, ...], child: bool
) -> None:
    for stage in path:
        if stage == Stage.return_reintegration and child:
            day = utcnow().date()
            for step in ("assessment", "determination"):
                cases.record_best_interests(
                    session,
                    actor=actor,
                    case_id=case_id,
                    step_in=BestInterestsSet(step=step, on=day),
                )
        reason = "Closed: the person returned home." if stage == "closed" else "Next NRM step."
        # The demo dates its history afterwards (`timeline.spread`: assistance comes 30 to 90
        # days after the reflection period starts), so no period is cut short: the moves are
        # counted from a day past every period's end.
        cases.move_stage(
            session, actor=actor, case_id=case_id, stage=stage, reason=reason, today=dt.date.max
        )


def _consents_notes_tasks(
    session: Session, actor: Actor, case_id: uuid.UUID, rng: random.Random, language: str
) -> None:
    for purpose in (ConsentPurpose.assistance, ConsentPurpose.data_for_statistics):
        if purpose is ConsentPurpose.data_for_statistics and rng.random() < 0.4:
            continue
        consent = cases.give_consent(
            session,
            actor=actor,
            case_id=case_id,
            consent_in=ConsentCreate(purpose=purpose, language=language),
        )
        if rng.random() < 0.08:
            cases.withdraw_consent(session, actor=actor, case_id=case_id, consent_id=consent.id)
    if (
        case_id.int % 4 == 0
    ):  # about a quarter may be referred abroad (no draw: keeps the seed's cases)
        cases.give_consent(
            session,
            actor=actor,
            case_id=case_id,
            consent_in=ConsentCreate(
                purpose=ConsentPurpose.cross_border_transfer, language=language
            ),
        )
    for body in rng.sample(NOTES, k=rng.randint(0, 2)):
        cases.add_note(session, actor=actor, case_id=case_id, note_in=NoteCreate(body=body))
    today = utcnow().date()
    for title in rng.sample(TASKS, k=rng.randint(0, 2)):
        due = today + dt.timedelta(days=rng.randint(-10, 20))
        task = cases.add_task(
            session, actor=actor, case_id=case_id, task_in=TaskCreate(title=title, due_on=due)
        )
        if due < today and rng.random() < 0.5:
            cases.complete_task(session, actor=actor, case_id=case_id, task_id=task.id)


def load_demo_cases(session: Session, *, actor: Actor, count: int = 300, seed: int = 2026) -> int:
    """Open `count` synthetic cases with their consents, notes, tasks, stage moves and referrals;
    returns how many were opened. Runs in the caller's transaction (`actor` makes the referrals
    and answers them for the demo providers)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not a secret
    # Dates drawn apart, so that spreading the cases over time keeps the seed's cases as they were.
    dates = random.Random(seed * 7 + 1)  # noqa: S311
    workers_by_country = workers(session)
    routes = [r for r in ROUTES if r.found_in in workers_by_country]
    if not routes or count <= 0:
        return 0
    paths, weights = zip(*PATHS, strict=True)
    referred: list[uuid.UUID] = []
    for _n in range(count):
        route = rng.choice(routes)
        worker, agency_code = workers_by_country[route.found_in]
        case_in = _case_in(rng, route).model_copy(update={"agency_code": agency_code})
        case = cases.open_case(session, actor=worker, case_in=case_in)
        _consents_notes_tasks(session, worker, case.id, rng, route.languages[0])
        path = rng.choices(paths, weights=weights)[0]
        _move(session, worker, case.id, path, case.is_child)
        timeline.spread(session, case.id, path, dates)
        if path and path[-1] != "closed" and rng.random() < 0.35:
            referred.append(case.id)
    refer_demo_cases(session, actor=actor, case_ids=referred, seed=seed)
    return count


def load_if_empty(session: Session, *, actor: Actor, count: int, seed: int = 2026) -> int:
    """`load_demo_cases` on a node whose case and referral tables exist and hold no case yet."""
    tables = inspect(session.connection())
    if count <= 0 or not (tables.has_table("cases") and tables.has_table("transitions")):
        return 0
    if session.scalar(select(Case.id).limit(1)) is not None:
        return 0
    return load_demo_cases(session, actor=actor, count=count, seed=seed)
