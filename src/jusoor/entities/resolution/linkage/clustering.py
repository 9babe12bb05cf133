"""Records grouped into persons from scored pairs and people's judgements: the one clustering rule
of Jusoor, used by `jusoor resolve persons` (`PersonLinkage.clusters`) and by the app's clusters
(`entities.matching.clusters.cluster_of`).

People's word first. A pair judged `same` joins its two records before any scored pair, whatever
the model says. A pair judged `different` is a cannot-link: the model's pairs are then joined in
descending order of probability in one union-find, and a join is refused when the two groups hold
the two ends of any `different` pair, so that the rejection holds even through third records (A–B
and B–C sure, A–C judged different: A and B join, C stays apart). Judged pairs never count as the
model's pairs. When confirmations alone chain two records judged different, the confirmations
stand and `contradictions` reports the pair.

The model's pairs. Transitive closure at one cut chains false merges: A–B at 0.5 and B–C at 0.5
put A and C together although neither pair is sure. Pairs at or above `STRONG_CUT` join freely (the
model is sure of each), while a weaker pair, down to the threshold asked for, joins only when it is
the best match of one of its two records (a record's most likely partner, not any namesake above
the cut) and neither record matches a partner in another group as well. A record whose best score
is shared by partners in different groups (an intake "Mohamed Ahmed, Mauritanian" that fits three
such men equally well) is ambiguous: it joins none of them by a weak pair.

Chains through a record that says little also join people who plainly differ: a name-only NGO
intake matches two namesakes born twenty years apart equally well. Two groups are therefore not
joined when a record of one contradicts a record of the other (`conflicts`, such as two dates of
birth years apart): the weaker link gives way, as it does to a `different` judgement.

A cluster's id is the smallest record id in it, so ids are stable from run to run.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar

STRONG_CUT = 0.9  # from here a pair joins its records whatever else they match
SAME, DIFFERENT = "same", "different"  # the decisions of a judgement
# Record ids: the batch's (text) or the app's entity ids.
K = TypeVar("K", str, uuid.UUID)
Pair = tuple[str, str, float]
Conflict = Callable[[K, K], bool]


def ordered(a: K, b: K) -> tuple[K, K]:
    """A pair in one order (the smaller id first), as judgements are keyed."""
    return (a, b) if a <= b else (b, a)


def cluster(
    records: Iterable[K],
    pairs: list[tuple[K, K, float]],
    threshold: float,
    conflicts: Conflict[K] | None = None,
    judgements: Mapping[tuple[K, K], str] | None = None,
) -> dict[K, K]:
    """Each record → the id of its cluster (the smallest record id in it), under the module's
    rule. `judgements` map a pair (either order) to `same` or `different`; their records need
    not be in `records` or `pairs`."""
    decided = {ordered(a, b): d for (a, b), d in (judgements or {}).items()}
    nodes = dict.fromkeys(records)
    for a, b, _p in pairs:
        nodes.update(dict.fromkeys((a, b)))
    for pair in decided:
        nodes.update(dict.fromkeys(pair))
    parent: dict[K, K] = {record: record for record in nodes}
    members: dict[K, list[K]] = {record: [record] for record in parent}
    cannot: dict[K, set[K]] = {}  # a group's root → the records its members were judged apart from
    for (a, b), decision in decided.items():
        if decision == DIFFERENT:
            cannot.setdefault(a, set()).add(b)
            cannot.setdefault(b, set()).add(a)

    def root(record: K) -> K:
        while parent[record] != record:
            parent[record] = parent[parent[record]]
            record = parent[record]
        return record

    def judged_apart(ra: K, rb: K) -> bool:
        return any(root(other) == rb for other in cannot.get(ra, ()))

    def join(a: K, b: K, *, checked: bool = True) -> None:
        ra, rb = root(a), root(b)
        if ra == rb:
            return
        if checked and (
            judged_apart(ra, rb)
            or (
                conflicts is not None
                and any(conflicts(x, y) for x in members[ra] for y in members[rb])
            )
        ):
            return
        low, high = min(ra, rb), max(ra, rb)
        parent[high] = low
        members[low].extend(members.pop(high))
        if high in cannot:
            cannot.setdefault(low, set()).update(cannot.pop(high))

    for (a, b), decision in sorted(decided.items()):
        if decision == SAME:
            join(a, b, checked=False)  # people's word stands (see `contradictions`)
    scored = [(a, b, p) for a, b, p in pairs if ordered(a, b) not in decided]

    strong = max(threshold, STRONG_CUT)
    best: dict[K, float] = {}
    for a, b, probability in scored:
        best[a] = max(best.get(a, 0.0), probability)
        best[b] = max(best.get(b, 0.0), probability)
    rivals: dict[K, list[K]] = {}  # each record's partners at its best probability
    for a, b, probability in scored:
        if probability >= best[a]:
            rivals.setdefault(a, []).append(b)
        if probability >= best[b]:
            rivals.setdefault(b, []).append(a)

    def unambiguous(record: K, partner: K, probability: float) -> bool:
        """Not a best match of `record` that another partner in another group matches as well."""
        if probability < best[record]:
            return True
        group = root(partner)
        return all(root(other) == group for other in rivals[record])

    for a, b, probability in sorted(scored, key=lambda pair: (-pair[2], pair[0], pair[1])):
        if probability >= strong or (
            threshold <= probability
            and probability >= min(best[a], best[b])
            and unambiguous(a, b, probability)
            and unambiguous(b, a, probability)
        ):
            join(a, b)
    return {record: root(record) for record in parent}


def contradictions(
    clusters: Mapping[K, K], judgements: Mapping[tuple[K, K], str]
) -> list[tuple[K, K]]:
    """Pairs judged `different` that confirmed pairs still put in one cluster."""
    return [
        (a, b)
        for (a, b), d in judgements.items()
        if d == DIFFERENT and clusters.get(a, a) == clusters.get(b, b)
    ]


def unknown_records(judgements: Mapping[tuple[K, K], str], known: Iterable[K]) -> list[K]:
    """Record ids that judgements name and the linked records do not hold."""
    present = set(known)
    return sorted({x for pair in judgements for x in pair if x not in present})
