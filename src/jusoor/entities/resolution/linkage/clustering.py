"""Records grouped into persons from scored pairs, without chaining weak links or contradictions.

Transitive closure at one cut chains false merges: A–B at 0.5 and B–C at 0.5 put A and C together
although neither pair is sure. Here pairs at or above `STRONG_CUT` join freely (the model is sure
of each), while a weaker pair, down to the threshold asked for, joins only when it is the best
match of one of its two records (a record's most likely partner, not any namesake above the cut)
and neither record matches a partner in another group as well. A record whose best score is
shared by partners in different groups (an intake "Mohamed Ahmed, Mauritanian" that fits three
such men equally well) is ambiguous: it joins none of them by a weak pair.

Chains through a record that says little also join people who plainly differ: a name-only NGO
intake matches two namesakes born twenty years apart equally well. Pairs are therefore joined
strongest first, and two groups are not joined when a record of one contradicts a record of the
other (`conflicts`, such as two dates of birth years apart): the weaker link gives way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

STRONG_CUT = 0.9  # from here a pair joins its records whatever else they match
Pair = tuple[str, str, float]
Conflict = Callable[[str, str], bool]


def cluster(
    records: Iterable[str],
    pairs: list[Pair],
    threshold: float,
    conflicts: Conflict | None = None,
) -> dict[str, str]:
    """Each record → the id of its cluster (the smallest record id in it)."""
    parent = {record: record for record in records}
    members = {record: [record] for record in parent}

    def root(record: str) -> str:
        while parent[record] != record:
            parent[record] = parent[parent[record]]
            record = parent[record]
        return record

    def join(a: str, b: str) -> None:
        ra, rb = root(a), root(b)
        if ra == rb:
            return
        if conflicts is not None and any(conflicts(x, y) for x in members[ra] for y in members[rb]):
            return
        low, high = min(ra, rb), max(ra, rb)
        parent[high] = low
        members[low].extend(members.pop(high))

    strong = max(threshold, STRONG_CUT)
    best: dict[str, float] = {}
    for a, b, probability in pairs:
        best[a] = max(best.get(a, 0.0), probability)
        best[b] = max(best.get(b, 0.0), probability)
    rivals: dict[str, list[str]] = {}  # each record's partners at its best probability
    for a, b, probability in pairs:
        if probability >= best[a]:
            rivals.setdefault(a, []).append(b)
        if probability >= best[b]:
            rivals.setdefault(b, []).append(a)

    def unambiguous(record: str, partner: str, probability: float) -> bool:
        """Not a best match of `record` that another partner in another group matches as well."""
        if probability < best[record]:
            return True
        group = root(partner)
        return all(root(other) == group for other in rivals[record])

    for a, b, probability in sorted(pairs, key=lambda pair: (-pair[2], pair[0], pair[1])):
        if probability >= strong or (
            threshold <= probability
            and probability >= min(best[a], best[b])
            and unambiguous(a, b, probability)
            and unambiguous(b, a, probability)
        ):
            join(a, b)
    return {record: root(record) for record in parent}
