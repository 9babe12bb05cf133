"""One case of a national caseload with its history, as rows: the case, its screening, consents,
notes, tasks, stage moves and timeline, its person in the entity store, and its referrals.

The history is what the case services would have written had the case been worked over the years
(`synth.timeline` for how long stages last; `synth.cases` for the NRM paths, notes and tasks):
old cases are mostly closed, open ones sit in their stage for as long as it plausibly lasts, tasks
of open cases fall due around today (some overdue), and a case's events are in time order.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

from jusoor.cases.vocabulary import ConsentPurpose, EventKind, Stage
from jusoor.cases.workflow import machine as stage_machine
from jusoor.synth import timeline
from jusoor.synth.cases import MEANS, NOTES, PATHS, RELATIONS, TASKS, Route
from jusoor.synth.scale import population as pop
from jusoor.synth.scale.consents import consent_details, consent_row
from jusoor.synth.scale.persons import CasePerson, PersonRows
from jusoor.synth.scale.profiles import NamePool, identity
from jusoor.synth.scale.referrals import ReferralRows
from jusoor.synth.scale.screenings import ScreeningRows
from jusoor.synth.scale.staff import HolderAgency, Person, Staff
from jusoor.synth.scale.tables import Row

DAY = dt.timedelta(days=1)
MINUTE = dt.timedelta(minutes=1)
CLOSED_PATHS = [(p, w) for p, w in PATHS if p and p[-1] == Stage.closed]
OLD_DAYS = 730  # a case opened longer ago than this is closed, most of the time


@dataclass(frozen=True)
class Sample:
    """What the audit trail needs of a loaded case."""

    case_id: uuid.UUID
    reference: str
    opened_at: dt.datetime
    owner: Person


@dataclass
class Batch:
    rows: dict[str, list[Row]] = field(default_factory=lambda: defaultdict(list))
    samples: list[Sample] = field(default_factory=list)


class Caseload:
    """Draws cases one by one (`add`) into a `Batch`; `references` continues each country's and
    year's counter from where the node left it."""

    def __init__(
        self,
        *,
        staff: Staff,
        now: dt.datetime,
        seed: int,
        counters: dict[tuple[str, int], int],
        referrals: ReferralRows,
        screenings: ScreeningRows,
        years: int = pop.YEARS,
    ) -> None:
        self.years = years
        self.rng = random.Random(seed)  # noqa: S311 - reproducible synthetic data, not a secret
        self.staff = staff
        self.now = now
        self.counters = counters
        self.names = NamePool(random.Random(seed + 1))  # noqa: S311
        self.persons = PersonRows(self.rng)
        self.referrals = referrals
        self.screenings = screenings
        routes = pop.routes_by_country()
        self.countries = sorted(c for c in routes if c in staff.holders)
        self.routes = routes
        self.country_cum = pop.country_cum_weights(self.countries)
        self.holder_cum = {
            c: list(accumulate(h.weight for h in hs)) for c, hs in staff.holders.items()
        }
        self.reflection = {c: stage_machine().reflection_days(c) for c in self.countries}

    def _path(self, opened: dt.datetime) -> tuple[str, ...]:
        rng = self.rng
        if (self.now - opened).days > OLD_DAYS and rng.random() < 0.85:
            choices = CLOSED_PATHS
        else:
            choices = list(PATHS)
        return rng.choices([p for p, _ in choices], weights=[w for _, w in choices])[0]

    def _moves(
        self, path: tuple[str, ...], opened: dt.datetime
    ) -> tuple[tuple[str, ...], list[dt.datetime]]:
        """The stages reached by now (a recent case has not gone far yet) and when."""
        delays = timeline._delays(path, self.rng)  # how long each stage takes (synth.timeline)
        room = (self.now - opened).total_seconds() / 86400
        while path and sum(delays) > room:
            path, delays = path[:-1], delays[:-1]
        moves, at = [], opened
        for days in delays:
            at = at + days * DAY
            moves.append(at)
        return path, moves

    def add(self, batch: Batch) -> None:
        rng = self.rng
        country = rng.choices(self.countries, cum_weights=self.country_cum)[0]
        route: Route = rng.choice(self.routes[country])
        holder: HolderAgency = rng.choices(
            self.staff.holders[country], cum_weights=self.holder_cum[country]
        )[0]
        owner = rng.choice(holder.workers)
        year, opened = pop.opened_in(rng, self.now, self.years)
        opened = opened.replace(microsecond=0)
        path = self._path(opened)
        path, moves = self._moves(path, opened)
        stage = Stage(path[-1]) if path else Stage.identification
        child = rng.random() < route.child_share
        gender = pop.gender_of(rng, route)
        age, band, true_age = pop.age_and_band(rng, child)
        key = (country, year)
        self.counters[key] = self.counters.get(key, 0) + 1
        reference = f"{country}-{year}-{self.counters[key]:06d}"
        case_id = pop.random_uuid(rng)
        who = identity(
            rng,
            self.names,
            origin=route.origin,
            woman=gender == "feminine",
            age=true_age,
            opened=opened,
            found_in=country,
        )
        screening_id = self.screenings.for_case(
            batch.rows,
            case_id=case_id,
            country=country,
            route=route,
            child=child,
            woman=gender == "feminine",
            opened=opened,
            owner=owner,
        )
        entered = moves[-1] if moves else opened
        reflection_ends = None
        if Stage.recovery_reflection in path:
            start = moves[path.index(Stage.recovery_reflection)].date()
            reflection_ends = start + dt.timedelta(days=self.reflection[country])
        best_interests = None
        if child and Stage.return_reintegration in path:
            best_interests = moves[path.index(Stage.return_reintegration)].date()
        case: Row = {
            "id": case_id,
            "reference": reference,
            "country": country,
            "agency_id": holder.id,
            "owner_id": owner.id,
            "screening_id": screening_id,
            "stage": stage,
            "stage_entered_at": entered,
            "reflection_ends_on": reflection_ends,
            "opened_at": opened,
            "closed_at": entered if stage is Stage.closed else None,
            "next_due_on": None,  # set with the case's tasks (_notes_tasks)
            "gender": gender,
            "age": age,
            "age_band": band,
            "is_child": child,
            "citizenship": [] if rng.random() < 0.02 else [route.origin],
            "languages": list(route.languages),
            "countries_of_origin": [route.origin],
            "countries_of_transit": list(route.transit),
            "countries_of_exploitation": [route.exploited_in],
            "forms_of_exploitation": pop.forms_of(rng, route, child),
            "means_of_control": sorted(rng.sample(MEANS, k=rng.randint(1, 4))),
            "recruiter_relation": rng.choice(RELATIONS),
            "name": who.name,
            "aliases": who.aliases,
            "date_of_birth": who.date_of_birth,
            "contact": who.contact,
            "identity_documents": who.identity_documents,
            "best_interests_assessed_on": best_interests,
            "best_interests_assessed_by_id": owner.id if best_interests else None,
            "best_interests_determined_on": best_interests,
            "best_interests_determined_by_id": owner.id if best_interests else None,
        }
        batch.rows["cases"].append(case)
        events: list[tuple[dt.datetime, str, dict[str, Any], str | None]] = [
            (
                opened,
                EventKind.opened,
                {
                    "reference": reference,
                    "screening_id": (str(screening_id) if screening_id else None),
                },
                None,
            )
        ]
        first_move = moves[0] if moves else self.now
        self._consents(batch, case, owner, opened, first_move, route, events)
        self._notes_tasks(batch, case, owner, opened, stage, entered, events)
        self._stage_events(case, path, moves, events, reflection_ends, best_interests)
        if path and (stage is not Stage.closed or Stage.assistance in path):
            self.referrals.for_case(
                batch.rows,
                case=case,
                owner=owner,
                path=path,
                moves=moves,
                now=self.now,
                events=events,
            )
        events.sort(key=lambda e: e[0])
        batch.rows["case_events"].extend(
            {
                "case_id": case_id,
                "at": at,
                "actor_username": owner.username,
                "kind": str(kind),
                "details": details,
                "reason": reason,
            }
            for at, kind, details, reason in events
        )
        self.persons.rows(
            CasePerson(
                case_id=case_id,
                agency_id=holder.id,
                agency_country=holder.country,
                country=country,
                owner_id=owner.id,
                at=opened,
                values={
                    "name": who.name,
                    "aliases": who.aliases or "",
                    "date_of_birth": who.date_of_birth or "",
                    "citizenship": " ".join(case["citizenship"]),
                    "contact": who.contact or "",
                    "identity_documents": who.identity_documents or "",
                },
            ),
            batch.rows,
        )
        batch.samples.append(Sample(case_id, reference, opened, owner))

    def add_screening(self, batch: Batch) -> None:
        """A screening that led to no case (the front line screens many more than it refers)."""
        country = self.rng.choices(self.countries, cum_weights=self.country_cum)[0]
        route = self.rng.choice(self.routes[country])
        self.screenings.standalone(batch.rows, country, route, self.years)

    def _consents(
        self,
        batch: Batch,
        case: Row,
        owner: Person,
        opened: dt.datetime,
        first_move: dt.datetime,
        route: Route,
        events: list[Any],
    ) -> None:
        rng = self.rng
        purposes = [ConsentPurpose.assistance]
        if rng.random() < 0.6:
            purposes.append(ConsentPurpose.data_for_statistics)
        if rng.random() < 0.25:
            purposes.append(ConsentPurpose.cross_border_transfer)
        for i, purpose in enumerate(purposes):
            given = min(opened + (i + 1) * MINUTE, first_move - MINUTE)
            withdrawn = given + rng.random() * (self.now - given) if rng.random() < 0.08 else None
            row = consent_row(rng, case, purpose, None, route.languages[0], given, owner)
            row["withdrawn_at"] = withdrawn
            row["withdrawn_by_username"] = owner.username if withdrawn else None
            batch.rows["case_consents"].append(row)
            details = consent_details(row)
            events.append((given, EventKind.consent_given, details, None))
            if withdrawn:
                events.append((withdrawn, EventKind.consent_withdrawn, details, None))

    def _notes_tasks(
        self,
        batch: Batch,
        case: Row,
        owner: Person,
        opened: dt.datetime,
        stage: Stage,
        entered: dt.datetime,
        events: list[Any],
    ) -> None:
        rng = self.rng
        today = self.now.date()
        end = entered if stage is Stage.closed else self.now
        for body in rng.sample(NOTES, k=rng.randint(0, 2)):
            at = opened + rng.random() * (end - opened)
            note_id = pop.random_uuid(rng)
            batch.rows["case_notes"].append(
                {
                    "id": note_id,
                    "case_id": case["id"],
                    "author_id": owner.id,
                    "author_username": owner.username,
                    "body": body,
                    "created_at": at,
                }
            )
            events.append((at, EventKind.note_added, {"note_id": str(note_id)}, None))
        for title in rng.sample(TASKS, k=rng.randint(0, 2)):
            task_id = pop.random_uuid(rng)
            if stage is Stage.closed:
                created = opened + rng.random() * (end - opened)
                due = (created + rng.randint(3, 30) * DAY).date()
                done: dt.datetime | None = created + rng.random() * (end - created)
            else:
                created = max(opened, self.now - rng.randint(1, 40) * DAY)
                due = today + dt.timedelta(days=rng.randint(-10, 20))
                done = None
                if due < today and rng.random() < 0.5:
                    done = created + rng.random() * (self.now - created)
            batch.rows["case_tasks"].append(
                {
                    "id": task_id,
                    "case_id": case["id"],
                    "title": title,
                    "due_on": due,
                    "done_at": done,
                    "done_by_username": owner.username if done else None,
                    "created_by_username": owner.username,
                    "created_at": created,
                }
            )
            events.append(
                (
                    created,
                    EventKind.task_added,
                    {"task_id": str(task_id), "due_on": due.isoformat()},
                    None,
                )
            )
            if done:
                events.append((done, EventKind.task_done, {"task_id": str(task_id)}, None))
            elif case["next_due_on"] is None or due < case["next_due_on"]:
                case["next_due_on"] = due  # as cases.entries.keep_next_due keeps it

    def _stage_events(
        self,
        case: Row,
        path: tuple[str, ...],
        moves: list[dt.datetime],
        events: list[Any],
        reflection_ends: dt.date | None,
        best_interests: dt.date | None,
    ) -> None:
        before = Stage.identification.value
        for stage, at in zip(path, moves, strict=True):
            if stage == Stage.return_reintegration and best_interests:
                for minutes, step in ((2, "assessment"), (1, "determination")):
                    events.append(
                        (
                            at - minutes * MINUTE,
                            EventKind.best_interests_recorded,
                            {"step": step, "on": best_interests.isoformat()},
                            None,
                        )
                    )
            details: dict[str, Any] = {"from": before, "to": stage}
            if stage == Stage.recovery_reflection and reflection_ends:
                details["reflection_ends_on"] = reflection_ends.isoformat()
            reason = "Closed: the person returned home." if stage == "closed" else "Next NRM step."
            events.append((at, EventKind.stage_moved, details, reason))
            before = stage
