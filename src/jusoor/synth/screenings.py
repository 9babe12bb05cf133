"""Synthetic screenings for the demo: completed and draft, with formal identification decisions
and a few cases opened from them, so that the identification queue, "My screenings" and the
investigators' and prosecutors' workspaces show real work.

Everything goes through the screening services, as a screener would: start with the person's age
band, gender, citizenship and languages, answer step by step, complete; the competent authority
(the country's demo investigator or prosecutor) decides; the case is opened with the screening's
case-opening function, so the case receives the screening's values and its timeline the decision.
Only the clock is then moved: each screening is dated back over the last 60 days, some past the
country's deadline (`screening/identification.yaml`) and some not, and undecided ones are kept in
every country. The people come from the routes of `jusoor.synth.cases`. All are fictional.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from jusoor.agencies.service import actor_for, get_user_by_username
from jusoor.audit import service as audit
from jusoor.cases.vocabulary import Gender
from jusoor.core.db import utcnow
from jusoor.core.permissions import Actor
from jusoor.screening import case_opening
from jusoor.screening import identification as identifications
from jusoor.screening import service as screenings
from jusoor.screening.assessment import Outcome
from jusoor.screening.catalogue import Profile
from jusoor.screening.deadlines import deadlines
from jusoor.screening.models import Screening, TraffickingStatus
from jusoor.screening.schemas import (
    AgeBand,
    Exploitation,
    IdentificationCreate,
    ScreeningStart,
    profile_for,
)
from jusoor.synth.cases import COUNTRIES, ROUTES, Route

PRESUMED, POSSIBLE, NONE = Outcome.PRESUMED_VICTIM, Outcome.POSSIBLE_VICTIM, Outcome.NO_INDICATION
ADULT_LABOUR, ADULT_SEXUAL = Profile.ADULT_LABOUR, Profile.ADULT_SEXUAL
CHILD_LABOUR, CHILD_SEXUAL = Profile.CHILD_LABOUR, Profile.CHILD_SEXUAL
EVERY_PROFILE = frozenset(Profile)


@dataclass(frozen=True)
class Story:
    """What a person told the screener: the questions answered yes (the others no or unknown),
    the outcome the ILO rules give for them, and the lists (profiles) the story fits."""

    label: str  # the screener's pseudonymous label, never a name
    yes: tuple[str, ...]
    outcome: Outcome
    profiles: frozenset[Profile]


def _story(label: str, yes: str, outcome: Outcome, profiles: frozenset[Profile]) -> Story:
    return Story(label, tuple(yes.split()), outcome, profiles)


ADULT_OR_CHILD_LABOUR = frozenset({ADULT_LABOUR, CHILD_LABOUR})
STORIES: tuple[Story, ...] = (
    _story(
        "Domestic worker",
        "job_different pay_different documents_kept not_free_to_leave long_hours little_or_no_pay",
        PRESUMED,
        ADULT_OR_CHILD_LABOUR,
    ),
    _story(
        "Worker in debt",
        "debt_for_the_job journey_different contract_false pay_different debt_that_binds "
        "long_hours dangerous_work pay_deductions threatened_here",
        PRESUMED,
        ADULT_OR_CHILD_LABOUR,
    ),
    _story(
        "Child in the street",
        "taken_or_sold threatened_on_the_way long_hours no_school must_obey hurt_here",
        PRESUMED,
        frozenset({CHILD_LABOUR}),
    ),
    _story(
        "Promised a job abroad",
        "job_different journey_different long_hours little_or_no_pay poor_living forced_tasks "
        "not_free_to_leave documents_kept",
        PRESUMED,
        frozenset({ADULT_SEXUAL, CHILD_SEXUAL}),
    ),
    _story(
        "Promised school",
        "school_promised journey_different family_depends dangerous_work poor_living forced_tasks "
        "told_what_to_say",
        PRESUMED,
        frozenset({CHILD_SEXUAL}),
    ),
    _story("Different job", "job_different needed_money", POSSIBLE, EVERY_PROFILE),
    _story("Passport kept", "documents_kept poor_living", POSSIBLE, EVERY_PROFILE),
    _story("Long hours", "long_hours poor_living poor_working", POSSIBLE, EVERY_PROFILE),
    _story("Wage dispute", "pay_different wages_held_back", NONE, EVERY_PROFILE),
    _story("Walk-in", "needed_money language_or_reading", NONE, EVERY_PROFILE),
    _story("Routine check", "", NONE, EVERY_PROFILE),
)


@dataclass(frozen=True)
class Fate:
    """What becomes of one screening: its outcome, who screens (a demo username prefix), how long
    ago ("overdue": past the country's deadline; "in_time"; "recent": 0-2 days; "any": 0-60),
    the formal decision taken on it, and whether a case is opened from it."""

    outcome: Outcome
    by: str
    timing: str
    decision: TraffickingStatus | None = None
    case: bool = False


ACTUAL, NOT_A_VICTIM = TraffickingStatus.actual, TraffickingStatus.not_a_victim
PROVISIONAL = TraffickingStatus.possible
# Every country gets these: undecided presumed victims overdue and in time (one with a case
# already open), a provisional decision still in the queue, and settled ones.
CORE: tuple[Fate, ...] = (
    Fate(PRESUMED, "screener", "overdue"),
    Fate(PRESUMED, "screener", "overdue"),
    Fate(PRESUMED, "screener", "in_time"),
    Fate(PRESUMED, "screener", "recent", case=True),
    Fate(PRESUMED, "caseworker", "recent", ACTUAL, case=True),
    Fate(POSSIBLE, "provider", "in_time", PROVISIONAL),
    Fate(POSSIBLE, "screener", "any", NOT_A_VICTIM),
    Fate(POSSIBLE, "screener", "overdue"),
    Fate(NONE, "screener", "any"),
)
# And up to three of these, drawn: 9 to 12 screenings per country.
EXTRA: tuple[Fate, ...] = (
    Fate(PRESUMED, "screener", "any", ACTUAL),
    Fate(PRESUMED, "screener", "recent", ACTUAL, case=True),
    Fate(NONE, "provider", "any"),
    Fate(POSSIBLE, "caseworker", "any", ACTUAL),
    Fate(PRESUMED, "screener", "in_time", PROVISIONAL),
)
BASES = {
    ACTUAL: (
        "Second interview with an interpreter: deceived about the work, passport held by the "
        "employer, unpaid and not free to leave. Statement consistent with the labour inspection.",
        "Recruitment by deception and exploitation confirmed by the employer's records seized "
        "during the search; the person's account is consistent.",
    ),
    PROVISIONAL: (
        "Reasonable grounds: indicators confirmed in a second interview; the employer has not "
        "yet been heard. Final decision after the inspection visit.",
    ),
    NOT_A_VICTIM: (
        "A wage dispute: the person kept the passport, was free to leave and was paid late, not "
        "withheld. Referred to the labour office.",
    ),
}
# Neighbours met at the front line beyond the routes of the demo cases.
NEIGHBOURS: tuple[Route, ...] = (
    Route("EG", "SD", (), "EG", ("forced_labour",), ("ar",), 0.3, 0.6),
    Route("LY", "SD", (), "LY", ("forced_labour",), ("ar",), 0.2, 0.3),
    Route("LY", "NE", (), "LY", ("forced_labour",), ("ha", "fr"), 0.3, 0.4),
    Route("MA", "SN", ("ML", "DZ"), "MA", ("forced_begging",), ("wo", "fr"), 0.6, 0.3),
    Route("KW", "EG", (), "KW", ("forced_labour",), ("ar",), 0.02, 0.1),
)
ADULT_AGES = ("18-20", "21-23", "24-26", "27-29", "30-38", "39-47", "48+")
ADULT_WEIGHTS = (3, 4, 4, 3, 4, 2, 1)
DRAFT_STEPS = 2  # a draft stops after at most this many steps


def load_demo_screenings(session: Session, *, actor: Actor, seed: int = 2026) -> Counter[str]:
    """9 to 12 completed screenings per demo country and one or two drafts per screener, with
    decisions and cases as `CORE` and `EXTRA` say; returns what was made. Runs in the caller's
    transaction; `actor` (the demo loader) signs the audit event saying the dates were moved."""
    rng = random.Random(f"{seed}/screenings")  # noqa: S311 - reproducible demo data
    now, config = utcnow(), deadlines()
    made: Counter[str] = Counter()
    for country in COUNTRIES:
        staff = _staff(session, country)
        if "screener" not in staff:
            continue
        routes = [r for r in (*ROUTES, *NEIGHBOURS) if r.found_in == country]
        extra = rng.sample(EXTRA, rng.randint(0, 3))
        for number, fate in enumerate((*CORE, *extra), start=1):
            if fate.by not in staff:
                continue
            start = _start(rng, rng.choice(routes), fate)
            story = story_for(profile_for(start.age_band, start.exploitation), fate.outcome, rng)
            start = start.model_copy(update={"label": f"{story.label} #{number}"})
            made += _screen(session, rng, staff, fate, start, story, config.days_for(country), now)
        for _n in range(rng.randint(1, 2)):
            _draft(session, rng, staff["screener"], _start(rng, rng.choice(routes), None), now)
            made["drafts"] += 1
    audit.record(
        session, actor=actor, action="screening.synthetic", details={**made, "dated_back": True}
    )
    return made


def load_if_empty(session: Session, *, actor: Actor, seed: int = 2026) -> Counter[str]:
    """`load_demo_screenings` on a node whose screening table exists and holds none yet."""
    if not inspect(session.connection()).has_table("screenings"):
        return Counter()
    if session.scalar(select(Screening.id).limit(1)) is not None:
        return Counter()
    return load_demo_screenings(session, actor=actor, seed=seed)


def story_for(profile: Profile, outcome: Outcome, rng: random.Random) -> Story:
    return rng.choice([s for s in STORIES if s.outcome is outcome and profile in s.profiles])


def _staff(session: Session, country: str) -> dict[str, Actor]:
    """The country's demo users who screen, open cases and decide, by username prefix."""
    found: dict[str, Actor] = {}
    for prefix in ("screener", "caseworker", "provider", "investigator", "prosecutor"):
        user = get_user_by_username(session, f"{prefix}.{country.lower()}")
        if user is not None and user.active:
            found[prefix] = actor_for(user, via="cli")
    return found


def _start(rng: random.Random, route: Route, fate: Fate | None) -> ScreeningStart:
    """The person as the start form describes them, drawn from `route` (no label yet)."""
    child = rng.random() < route.child_share
    if child:
        # An uncertain age screens as a child (presumption of minority); a case needs the band.
        unsure = fate is not None and not fate.case and rng.random() < 0.15
        band = "unknown" if unsure else ("0-8" if rng.random() < 0.3 else "9-17")
    else:
        band = rng.choices(ADULT_AGES, weights=ADULT_WEIGHTS)[0]
    sexual = "sexual_exploitation" in route.forms
    return ScreeningStart(
        age_band=AgeBand(band),
        exploitation=Exploitation.sexual if sexual else Exploitation.labour,
        gender=Gender.feminine if rng.random() < route.women_share else Gender.masculine,
        citizenship=[route.origin],
        languages=list(route.languages),
    )


def _answers(rng: random.Random, screening: Screening, yes: tuple[str, ...]) -> dict[str, str]:
    """Every question of the screening's list: yes to the story, otherwise mostly no, sometimes
    "I don't know"."""
    return {
        q.id: "yes" if q.id in yes else ("unknown" if rng.random() < 0.08 else "no")
        for step in screenings.steps_of(screening)
        for q in step.questions
    }


def _screen(
    session: Session,
    rng: random.Random,
    staff: dict[str, Actor],
    fate: Fate,
    start: ScreeningStart,
    story: Story,
    days: int,
    now: dt.datetime,
) -> Counter[str]:
    """Screen, complete, open the case and decide as `fate` says, then date it back."""
    who = staff[fate.by]
    screening = screenings.start(session, actor=who, screening_in=start)
    # All the answers in one save, as an API client may send them (the pages save step by step).
    answers = _answers(rng, screening, story.yes)
    screenings.save_answers(session, actor=who, screening_id=screening.id, answers=answers)
    screenings.complete(session, actor=who, screening_id=screening.id)
    made = Counter({"screenings": 1})
    if fate.case:
        owner = "" if who.can("cases.read") else f"caseworker.{screening.country.lower()}"
        loaded = screenings.get(session, actor=who, screening_id=screening.id)
        case_opening.open_case(session, actor=who, screening=loaded, owner_username=owner)
        made["cases"] += 1
    decision = None
    if fate.decision is not None:
        decider = staff[rng.choice(("investigator", "prosecutor"))]
        basis = rng.choice(BASES[fate.decision])
        decision_in = IdentificationCreate(
            screening_id=screening.id, status=fate.decision, basis=basis
        )
        decision = identifications.decide(session, actor=decider, identification_in=decision_in)
        made[f"decided_{fate.decision.value}"] += 1
    # Move the clock back: when it was screened, and when it was decided (a case and its
    # timeline are opened today, as every demo case is, so their decision stays today too).
    ago = _days_ago(rng, fate.timing, days)
    completed = now - dt.timedelta(days=ago, minutes=rng.randint(5, 480))
    screening.created_at = completed - dt.timedelta(minutes=rng.randint(15, 50))
    screening.completed_at = screening.updated_at = completed
    if decision is not None and not fate.case:
        later = dt.timedelta(days=rng.randint(0, days + 4), hours=rng.randint(1, 8))
        decision.decided_at = min(now, completed + later)
    session.flush()
    return made


def _days_ago(rng: random.Random, timing: str, days: int) -> int:
    ranges = {"overdue": (days + 1, 60), "in_time": (0, days - 1), "recent": (0, 2), "any": (0, 60)}
    low, high = ranges[timing]
    return rng.randint(low, high)


def _draft(
    session: Session, rng: random.Random, who: Actor, start: ScreeningStart, now: dt.datetime
) -> None:
    """A screening left unfinished after its first step or two (the person had to leave)."""
    screening = screenings.start(session, actor=who, screening_in=start)
    answers = _answers(rng, screening, rng.choice(STORIES).yes)
    for step in screenings.steps_of(screening)[: rng.randint(1, DRAFT_STEPS)]:
        step_answers = {q.id: answers[q.id] for q in step.questions}
        screenings.save_answers(
            session, actor=who, screening_id=screening.id, answers=step_answers, step_id=step.id
        )
    screening.updated_at = now - dt.timedelta(hours=rng.randint(1, 96))
    screening.created_at = screening.updated_at - dt.timedelta(minutes=rng.randint(5, 20))
    session.flush()
