"""Likely matches of a case's person in other cases the user may open ("possibly the same person
in 2 other cases"), with the score and the fields that agreed.

Candidates come from the blind index (a shared phone, e-mail, document or whole-name key, or
enough name parts: the rule of `pairs.related`); each is then scored by the person model
(`evidence.compare`, the shipped `PersonModel`), and those from `evidence.SUGGEST` up are kept,
the best one per case. Only cases the user may open
are searched (`cases.access.visible_case_ids_clause`): a case they may not see is never named or
counted. Every lookup reads other cases' data, so it is audited as `case.matches`.

    matches_for_case(session, *, actor, case, profile=None) -> list[CaseMatch]
    find_matches(...) -> list[CaseMatch]; record_matches(...)   the same, read and audit apart
    open_suggestions(session, *, actor) -> list[PairSuggestion]   pairs to review, not judged
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy import case as when
from sqlalchemy.orm import Session

from jusoor.audit import service as audit
from jusoor.cases.access import ALL_FIELDS, can_read_case, visible_case_ids_clause
from jusoor.cases.models import Case
from jusoor.core.permissions import Actor
from jusoor.entities.case_persons import ProfilePerson, case_values, profile_facts, read_profile
from jusoor.entities.case_reads import audit_case_reads
from jusoor.entities.matching import matchkeys
from jusoor.entities.matching.evidence import (
    IDENTIFIER_KINDS,
    PERSON,
    SUGGEST,
    MatchScore,
    compare,
    current_model,
    facts_of,
    person_keys,
)
from jusoor.entities.matching.judgements import JUDGE, active_judgements, reachable
from jusoor.entities.matching.pairs import STRONG, candidate_pairs
from jusoor.entities.models import Entity, EntityKey
from jusoor.entities.schemata import clean, schema

MAX_LOOKUP = 200
# A name, a name word or a birth year held by this many people or more is too common to lead to
# candidates by itself (at a million cases a common given name is held by a hundred thousand
# people: counting them all took seconds per case page). It still counts toward the score of a
# candidate found by anything rarer; identifiers (phone, e-mail, document) always lead.
COMMON_KEY = 1000
MAX_LEADS = 5000  # candidate persons considered at most, before scope and the rule
LEAD_HOLDERS = 300  # people holding the non-identifier keys that lead, at most (see `_leads`)


@dataclass(frozen=True)
class CaseMatch:
    """Another case whose person is possibly this one."""

    case_id: uuid.UUID
    reference: str
    entity_id: uuid.UUID
    score: MatchScore


def _digests(profile: ProfilePerson, region: str) -> dict[str, str]:
    """The person's blind-index keys that find candidates: digest -> kind."""
    person = clean(schema(PERSON).properties, profile.person, region).properties
    found = {d: kind for kind, d in matchkeys.digests(PERSON, person, region)}
    found |= {d: kind for kind, d in profile_facts(profile).identifiers}
    return {d: kind for d, kind in found.items() if kind not in matchkeys.SCORE_ONLY_KINDS}


def _held(session: Session, digests: list[str]) -> list[int]:
    """How many people hold each of `digests`, each counted no further than COMMON_KEY, in one
    statement (a statement per key was a round trip per key on every case page)."""
    if not digests:
        return []
    counts = [
        select(func.count())
        .select_from(
            select(EntityKey.entity_id).where(EntityKey.digest == d).limit(COMMON_KEY).subquery()
        )
        .scalar_subquery()
        for d in digests
    ]
    return [int(n or 0) for n in session.execute(select(*counts)).one()]


def _leads(session: Session, digests: dict[str, str]) -> list[uuid.UUID]:
    """Persons sharing an identifier or a key that is not common: the only ones scored.

    Identifiers always lead; the other keys lead rarest first, until LEAD_HOLDERS people hold
    them (at least the rarest one): at a million cases, reading every key of the ~900 holders of
    a name just under COMMON_KEY from disk made the case page wait most of a second, while a
    true match shares the rarer keys too (its whole name, the rarest of its name parts)."""
    rare = [d for d, kind in digests.items() if kind in IDENTIFIER_KINDS]
    others = [d for d in digests if d not in rare]
    held = sorted(zip(_held(session, others), others, strict=True))
    total = 0
    for count, digest in held:
        if count >= COMMON_KEY or (total and total + count > LEAD_HOLDERS):
            break
        rare.append(digest)
        total += count
    if not rare:
        return []
    keys = person_keys().subquery()
    stmt = (
        select(keys.c.person_id).where(keys.c.digest.in_(sorted(rare))).distinct().limit(MAX_LEADS)
    )
    return list(session.scalars(stmt))


def _candidates(
    session: Session, actor: Actor, case: Case, digests: dict[str, str]
) -> list[uuid.UUID]:
    leads = _leads(session, digests)
    if not leads:
        return []
    # The reader's scope first: a case worker sees one agency's cases, and most leads (three in
    # four at a million cases) are people of other agencies' cases. Reading every key of every lead
    # before dropping those read ~1,700 index pages per case page, mostly from disk; the few leads
    # in scope are read (at the same cost per lead) and the rest never are.
    others = select(Case.id).where(visible_case_ids_clause(actor), Case.id != case.id)
    visible = list(
        session.scalars(
            select(Entity.id).where(
                Entity.id.in_(leads), Entity.schema == PERSON, Entity.case_id.in_(others)
            )
        )
    )
    if not visible:
        return []
    keys = person_keys().subquery()
    # The rule of `pairs.related`, in SQL, counted over the keys alone.
    strong = func.sum(when((keys.c.kind.in_(STRONG), 1), else_=0))
    parts = func.sum(when((keys.c.kind == "name_part", 1), else_=0))
    year = func.sum(when((keys.c.kind == "birth_year", 1), else_=0))
    stmt = (
        select(keys.c.person_id)
        .where(keys.c.person_id.in_(visible), keys.c.digest.in_(sorted(digests)))
        .group_by(keys.c.person_id)
        .having(or_(strong >= 1, parts >= 3, and_(parts >= 2, year >= 1)))
        .order_by(strong.desc(), func.count().desc(), keys.c.person_id)
        .limit(MAX_LOOKUP)
    )
    return list(session.scalars(stmt))


def matches_for_case(
    session: Session,
    *,
    actor: Actor,
    case: Case,
    profile: ProfilePerson | None = None,
    limit: int = 10,
) -> list[CaseMatch]:
    """Other cases the actor may open whose person is likely the person of `case` as stored, or
    as `profile` says (a profile form being typed). Best first; audited as `case.matches`.

    The caller has checked that the actor may work on `case` itself."""
    found = find_matches(session, actor=actor, case=case, profile=profile, limit=limit)
    record_matches(session, actor=actor, case=case, found=found, typed=profile is not None)
    return found


def editable_case(session: Session, *, actor: Actor, case_id: uuid.UUID) -> Case | None:
    """The case if the actor may edit its whole profile (what the profile form's search needs),
    checked without recording a read: the search records it with its result, so that it writes
    only at the end (`find_matches`, `record_matches`). None when not."""
    case = session.get(Case, case_id)
    if case is None or not actor.can("cases.update"):
        return None
    return case if can_read_case(session, actor, case) == ALL_FIELDS else None


def find_matches(
    session: Session,
    *,
    actor: Actor,
    case: Case,
    profile: ProfilePerson | None = None,
    limit: int = 10,
) -> list[CaseMatch]:
    """`matches_for_case` without its audit event: only reads, so that a search can run in a
    reading unit of work and write its event after (`record_matches`), in a short write."""
    person = profile or read_profile(case_values(case), case.country)
    digests = _digests(person, case.country)
    ids = _candidates(session, actor, case, digests) if digests else []
    facts = facts_of(session, ids)
    mine = profile_facts(person)
    owners = dict(
        session.execute(select(Entity.id, Entity.case_id).where(Entity.id.in_(ids))).all()
    )
    best: dict[uuid.UUID, tuple[uuid.UUID, MatchScore]] = {}
    model = current_model() if ids else None
    for entity_id in ids:
        score = compare(mine, facts[entity_id], model)
        case_id = owners[entity_id]
        if score.probability < SUGGEST or case_id is None:
            continue
        if case_id not in best or best[case_id][1].probability < score.probability:
            best[case_id] = (entity_id, score)
    references = dict(
        session.execute(select(Case.id, Case.reference).where(Case.id.in_(list(best)))).all()
    )
    return sorted(
        (CaseMatch(cid, references[cid], eid, score) for cid, (eid, score) in best.items()),
        key=lambda m: (-m.score.probability, m.reference),
    )[:limit]


def record_matches(
    session: Session, *, actor: Actor, case: Case, found: list[CaseMatch], typed: bool
) -> None:
    """Audit a lookup of `case`'s likely matches as `case.matches` (it read other cases)."""
    audit.record(
        session,
        actor=actor,
        action="case.matches",
        object_type="case",
        object_id=case.id,
        details={
            "reference": case.reference,
            "typed": typed,
            "matches": [m.reference for m in found],
        },
    )


@dataclass(frozen=True)
class PairSuggestion:
    """Two entities the model finds likely one person, not judged yet."""

    a: Entity
    b: Entity
    score: MatchScore
    references: dict[uuid.UUID, str]  # case id → reference, for the ends that came from a case


def open_suggestions(
    session: Session, *, actor: Actor, threshold: float = SUGGEST, limit: int = 50
) -> list[PairSuggestion]:
    """Pairs of persons the actor may judge whose match probability reaches `threshold` and on
    which no judgement is in force; most likely first. Audited as `entity.review`."""
    actor.require(JUDGE)
    judged = {(j.entity_a_id, j.entity_b_id) for j in active_judgements(session)}
    pairs = [p for p in candidate_pairs(session, reachable(actor)) if p not in judged]
    facts = facts_of(session, [x for p in pairs for x in p])
    model = current_model() if pairs else None
    scored = [(a, b, compare(facts[a], facts[b], model)) for a, b in pairs]
    kept = sorted(
        (s for s in scored if s[2].probability >= threshold), key=lambda s: -s[2].probability
    )[:limit]
    ids = {x for a, b, _s in kept for x in (a, b)}
    entities = {e.id: e for e in session.scalars(select(Entity).where(Entity.id.in_(ids)))}
    case_ids = {e.case_id for e in entities.values() if e.case_id}
    references = dict(
        session.execute(select(Case.id, Case.reference).where(Case.id.in_(case_ids))).all()
    )
    audit.record(
        session,
        actor=actor,
        action="entity.review",
        object_type="entity",
        details={"pairs": [[str(a), str(b)] for a, b, _s in kept]},
    )
    audit_case_reads(session, actor=actor, via="entity.review", entities=entities.values())
    return [PairSuggestion(entities[a], entities[b], s, references) for a, b, s in kept]
