"""Resolved clusters: which records are one person, from the model's pairs and people's judgements.

The rule (the same in the app and in `jusoor resolve persons --judgements`):

1. A judged pair takes its judgement, whatever the model says: `same` is an edge, `different`
   is none. An unjudged pair is an edge when the model's probability reaches the threshold.
2. Clusters are the connected components of those edges.
3. A cluster holding both ends of a `different` pair is rebuilt from its confirmed (`same`)
   edges only: the model's edges inside it are dropped, so the rejection holds even when the
   model joined the two through others. Its other pairs fall back to separate records until a
   person reviews them (they stay in the open suggestions). Confirmations are people's word
   too: when confirmed pairs alone chain the two rejected records together, the confirmations
   stand and the contradiction is reported by `contradictions`.

A cluster's id is the smallest record id in it, so ids are stable from run to run.

    apply_judgements(pairs, judgements, threshold=MERGE, records=(), model=None)
        -> {record: cluster}
    read_judgements(path) -> {(record_a, record_b): "same" | "different"}
    cluster_of(session) -> {entity_id: cluster_id}     every entity on the node
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Hashable, Iterable, Mapping
from pathlib import Path
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.core.errors import Invalid
from jusoor.core.i18n import gettext as _
from jusoor.core.import_limits import ImportLimits, check_file, cli_limits
from jusoor.core.strict_csv import strict_rows
from jusoor.entities.matching.evidence import MERGE, PERSON, compare, facts_of
from jusoor.entities.matching.judgements import active_judgements
from jusoor.entities.matching.pairs import candidate_pairs
from jusoor.entities.models import Decision, Entity, EntityKey

K = TypeVar("K", bound=Hashable)
DECISIONS = {"same": Decision.same.value, "different": Decision.different.value}
JUDGEMENT_COLUMNS = ("record_id_a", "record_id_b", "decision")


class JudgementFileError(Exception):
    """The judgements file cannot be used; the message says why, in the operator's language."""


class _Components:
    """Union-find over record ids."""

    def __init__(self) -> None:
        self.parent: dict[object, object] = {}

    def find(self, x: object) -> object:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def join(self, a: object, b: object) -> None:
        self.parent[self.find(a)] = self.find(b)


def _key(a: K, b: K) -> tuple[K, K]:
    return (a, b) if str(a) <= str(b) else (b, a)


def _components(nodes: Iterable[K], edges: Iterable[tuple[K, K]]) -> dict[K, object]:
    found = _Components()
    for node in nodes:
        found.find(node)
    for a, b in edges:
        found.join(a, b)
    return {node: found.find(node) for node in list(found.parent)}  # type: ignore[misc]


ModelClusters = Callable[[list[K], list[tuple[K, K, float]], float], Mapping[K, K]]


def _model_edges(
    nodes: list[K],
    unjudged: list[tuple[K, K, float]],
    threshold: float,
    model: ModelClusters[K] | None,
) -> list[tuple[K, K]]:
    if model is None:
        return [(a, b) for a, b, p in unjudged if p >= threshold]
    groups = model(nodes, unjudged, threshold)
    return [(x, root) for x, root in groups.items() if x != root]


def apply_judgements(
    pairs: Iterable[tuple[K, K, float]],
    judgements: Mapping[tuple[K, K], str],
    *,
    threshold: float = MERGE,
    records: Iterable[K] = (),
    model: ModelClusters[K] | None = None,
) -> dict[K, K]:
    """Each record's cluster id (the smallest id in its cluster) under the module's rule.

    `pairs` are the model's (record_a, record_b, probability); `judgements` map a pair (either
    order) to "same" or "different"; `records` adds records that appear in no pair. `model`,
    when given, groups the unjudged pairs in place of "every pair from `threshold` up" (the
    batch linkage passes its own `resolution.clustering.cluster`); its groups are the model's
    edges of rule 1."""
    scored = list(pairs)
    decided = {_key(a, b): d for (a, b), d in judgements.items()}
    confirmed = [pair for pair, d in decided.items() if d == Decision.same.value]
    rejected = [pair for pair, d in decided.items() if d == Decision.different.value]
    unjudged = [(a, b, p) for a, b, p in scored if _key(a, b) not in decided]
    nodes = list(
        dict.fromkeys(
            [
                *records,
                *(x for a, b, _p in scored for x in (a, b)),
                *(x for p in decided for x in p),
            ]
        )
    )
    edges = _model_edges(nodes, unjudged, threshold, model)
    roots = _components(nodes, [*confirmed, *edges])
    split = {roots[a] for a, b in rejected if roots[a] == roots[b]}
    if split:
        inside = [x for x in roots if roots[x] in split]
        rebuilt = _components(inside, [(a, b) for a, b in confirmed if roots[a] in split])
        roots.update({x: ("split", r) for x, r in rebuilt.items()})
    members: dict[object, list[K]] = {}
    for node, root in roots.items():
        members.setdefault(root, []).append(node)
    return {node: min(group, key=str) for group in members.values() for node in group}


def unknown_records(judgements: Mapping[tuple[K, K], str], known: Iterable[K]) -> list[K]:
    """Record ids a judgements file names that the linked file does not hold."""
    present = set(known)
    return sorted({x for pair in judgements for x in pair if x not in present}, key=str)


def contradictions(
    clusters: Mapping[K, K], judgements: Mapping[tuple[K, K], str]
) -> list[tuple[K, K]]:
    """Pairs judged `different` that confirmed pairs still put in one cluster."""
    return [
        (a, b)
        for (a, b), d in judgements.items()
        if d == Decision.different.value and clusters.get(a, a) == clusters.get(b, b)
    ]


def read_judgements(path: Path, limits: ImportLimits | None = None) -> dict[tuple[str, str], str]:
    """A CSV of `record_id_a, record_id_b, decision` (same | different) as a judgements map;
    bounded (the console's limits by default) and read strictly (`core.strict_csv`)."""
    limits = limits or cli_limits()
    try:
        check_file(path, limits)
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return _judgements(path, strict_rows(handle, file=path.name, limits=limits))
    except Invalid as exc:
        raise JudgementFileError(exc.message) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise JudgementFileError(
            _("%(file)s cannot be read (%(reason)s).", file=path.name, reason=str(exc))
        ) from exc


def _judgements(path: Path, rows: Iterable[tuple[int, list[str]]]) -> dict[tuple[str, str], str]:
    header: list[str] = []
    found: dict[tuple[str, str], str] = {}
    for line, cells in rows:
        if line == 1:
            header = [cell.strip() for cell in cells]
            missing = [c for c in JUDGEMENT_COLUMNS if c not in header]
            if missing:
                raise JudgementFileError(
                    _(
                        "%(file)s lacks the columns %(columns)s.",
                        file=path.name,
                        columns=", ".join(missing),
                    )
                )
            continue
        if not cells:
            continue
        row = dict(zip(header, cells, strict=True))
        decision = DECISIONS.get(row["decision"].strip().lower())
        a, b = row["record_id_a"].strip(), row["record_id_b"].strip()
        if decision is None or not a or not b or a == b:
            raise JudgementFileError(
                _(
                    "%(file)s, line %(line)s: give two record ids and same or different.",
                    file=path.name,
                    line=line,
                )
            )
        found[_key(a, b)] = decision
    return found


def _identifier_pairs(session: Session) -> list[tuple[uuid.UUID, uuid.UUID, float]]:
    """Phones, e-mails, documents… of the same schema sharing a strong key: one thing."""
    first, second = EntityKey.__table__.alias("a"), EntityKey.__table__.alias("b")
    ea, eb = Entity.__table__.alias("ea"), Entity.__table__.alias("eb")
    stmt = (
        select(first.c.entity_id, second.c.entity_id)
        .join(second, (first.c.digest == second.c.digest) & (first.c.kind == second.c.kind))
        .join(ea, ea.c.id == first.c.entity_id)
        .join(eb, eb.c.id == second.c.entity_id)
        .where(
            first.c.entity_id < second.c.entity_id,
            ea.c.schema == eb.c.schema,
            ea.c.schema != PERSON,
            first.c.kind.in_(("phone", "email", "document", "vehicle", "account")),
        )
        .distinct()
    )
    return [(a, b, 1.0) for a, b in session.execute(stmt).all()]


def cluster_of(session: Session) -> dict[uuid.UUID, uuid.UUID]:
    """Every entity's resolved cluster: {entity id: cluster id}, the cluster id being the
    smallest entity id in it (an entity alone is its own cluster).

    People are joined by the model (`evidence.compare` ≥ `evidence.MERGE`) and by judgements,
    under the rule of this module; other entities (phones, documents…) by a shared identifier,
    and by judgements. Not scoped and not audited: callers show only what their user may see."""
    pairs = _identifier_pairs(session)
    candidates = candidate_pairs(session, limit=1_000_000)
    facts = facts_of(session, [x for pair in candidates for x in pair])
    pairs += [(a, b, compare(facts[a], facts[b]).probability) for a, b in candidates]
    judged = {(j.entity_a_id, j.entity_b_id): j.decision.value for j in active_judgements(session)}
    records = list(session.scalars(select(Entity.id)))
    return apply_judgements(pairs, judged, records=records)
