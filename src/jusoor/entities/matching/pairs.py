"""Candidate pairs of persons for review and clustering, from the blind index.

Two persons are a candidate pair when they share a strong key (a whole-name key, a phone, an
e-mail or a document number, their own or a linked entity's), three name parts, or two name parts
and the birth year (`related`). Looser rules cost much and find nothing: on 10,000 synthetic
persons, "any two keys" gave 494,000 pairs, this rule 72,000, and the pairs it leaves out all
scored at most 0.5 (a close name and the same year: Salah and Salma Najjar). Pairs are formed block by block in memory: one SQL read of the keys, then, for each
key, the pairs of persons holding it. The birth year forms no block of its own (it only counts
beside another key), and a weak key held by more than `LARGEST_WEAK_BLOCK` persons (a very common
given name) forms none either: those persons still pair through their rarer keys, and through
word-pair keys (`name_pair` in `matchkeys`: "Mohamed Ali" is rarer than either word), which find
pairs but add no count of their own (the two words are counted as name parts).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from itertools import combinations

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from jusoor.entities.matching.evidence import IDENTIFIER_KINDS, PERSON, person_keys
from jusoor.entities.models import Entity

STRONG = frozenset({*IDENTIFIER_KINDS, "name"})
WORD_PAIR = "name_pair"
LARGEST_WEAK_BLOCK = 300
LARGEST_STRONG_BLOCK = 2000
Pair = tuple[uuid.UUID, uuid.UUID]


def _keys(
    session: Session, reachable: ColumnElement[bool] | None
) -> dict[uuid.UUID, set[tuple[str, str]]]:
    keys = person_keys().subquery()
    stmt = (
        select(keys.c.person_id, keys.c.kind, keys.c.digest)
        .join(Entity, Entity.id == keys.c.person_id)
        .where(Entity.schema == PERSON)
    )
    if reachable is not None:
        stmt = stmt.where(reachable)
    found: dict[uuid.UUID, set[tuple[str, str]]] = defaultdict(set)
    for person_id, kind, digest in session.execute(stmt).all():
        found[person_id].add((kind, digest))
    return found


def related(shared: set[tuple[str, str]]) -> bool:
    """Whether the (kind, digest) keys two persons share make them a candidate pair."""
    kinds = [kind for kind, _digest in shared]
    parts = kinds.count("name_part")
    return any(k in STRONG for k in kinds) or parts >= 3 or (parts >= 2 and "birth_year" in kinds)


def candidate_pairs(
    session: Session, reachable: ColumnElement[bool] | None = None, limit: int = 5000
) -> list[Pair]:
    """Candidate pairs (a < b) of persons both satisfying `reachable` (a WHERE clause on
    `Entity`), those sharing the most keys first, at most `limit`."""
    keys = _keys(session, reachable)
    ids = sorted(keys)  # persons as small integers: pairs are counted by the million
    years: list[set[str]] = [{d for k, d in keys[i] if k == "birth_year"} for i in ids]
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, person_id in enumerate(ids):
        for key in keys[person_id]:
            if key[0] != "birth_year":
                blocks[key].append(index)
    parts: dict[tuple[int, int], int] = defaultdict(int)
    strong: dict[tuple[int, int], int] = defaultdict(int)
    # Keys held by too many to pair on still count for pairs found through rarer keys.
    common: list[set[tuple[str, str]]] = [set() for _ in ids]
    for key, members in blocks.items():
        kind = key[0]
        largest = LARGEST_STRONG_BLOCK if kind in STRONG else LARGEST_WEAK_BLOCK
        if len(members) > largest:
            for index in members:
                common[index].add(key)
            continue
        counts = strong if kind in STRONG else parts
        step = 0 if kind == WORD_PAIR else 1  # finds the pair; its words are counted as parts
        for pair in combinations(members, 2):  # members are in index order: a < b
            counts[pair] += step
    shared: dict[tuple[int, int], int] = {}
    for pair in strong.keys() | parts.keys():
        a, b = pair
        also = common[a] & common[b] if common[a] and common[b] else set()
        n = parts.get(pair, 0) + sum(1 for kind, _d in also if kind == "name_part")
        year = bool(years[a] & years[b])
        if pair in strong or n >= 3 or (n >= 2 and year):
            shared[pair] = strong.get(pair, 0) + n + int(year)
    ranked = sorted(shared, key=lambda pair: (-shared[pair], pair))[:limit]
    return [(ids[a], ids[b]) for a, b in ranked]
