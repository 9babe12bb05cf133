"""A k-anonymised HTCDS extract: every combination of quasi-identifiers it holds is shared by at
least k records, so a person known to someone is hidden among k.

The method is Datafly's (Sweeney 2002), greedy and predictable: while more records sit in classes
smaller than k than may be dropped, the quasi-identifier with the most distinct values goes one
level up its ladder (`release_rules.generalise`); then the records still in classes smaller than
k are suppressed (left out). Every level is applied to the whole column (global recoding), so
the extract reads as one coding. The report says what was lost: levels per column, records
suppressed, values changed, the share of generalised values and the discernibility metric.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from jusoor.core.errors import Invalid
from jusoor.core.i18n import gettext as _
from jusoor.stats import release_rules
from jusoor.stats.release_rules import HEIGHTS, LIST_SEPARATOR, generalise

MIN_K, MAX_K = 2, 100
# Datafly stops generalising once no more than this share of the records would be left out.
MAX_SUPPRESSED_SHARE = 0.05


def check_k(k: int) -> int:
    if not MIN_K <= k <= MAX_K:
        raise Invalid(
            "k", _("k must be between %(low)s and %(high)s, not %(k)s.", low=MIN_K, high=MAX_K, k=k)
        )
    return k


def text(value: Any) -> str:
    """An HTCDS value as a release writes it: a list joined by ";", nothing as empty."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@dataclass(frozen=True)
class KAnonReport:
    k: int
    levels: dict[str, int]  # quasi-identifier -> level up its ladder (0 = as recorded)
    records_in: int
    records_suppressed: int
    values_changed: int
    generalised_share: float  # values changed / quasi-identifier values released
    discernibility: int  # sum of class sizes squared, a suppressed record costing all records
    smallest_class: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "k": self.k,
            "levels": self.levels,
            "records_in": self.records_in,
            "records_suppressed": self.records_suppressed,
            "values_changed": self.values_changed,
            "generalised_share": round(self.generalised_share, 4),
            "discernibility": self.discernibility,
            "smallest_class": self.smallest_class,
        }


@dataclass(frozen=True)
class KAnonRelease:
    columns: tuple[str, ...]
    rows: list[dict[str, str]]
    report: KAnonReport


def anonymise(rows: Sequence[Mapping[str, Any]], *, k: int) -> KAnonRelease:
    """The k-anonymised extract of HTCDS `rows` (see the module's docstring)."""
    check_k(k)
    rules = release_rules.rules()
    present = {column for row in rows for column in row}
    ladders = {c: ladder for c, ladder in rules.quasi_identifiers.items() if c in present}
    kept = tuple(c for c in rules.attributes if c in present and c not in ladders)
    source = [{c: text(row.get(c)) for c in (*ladders, *kept)} for row in rows]
    levels = dict.fromkeys(ladders, 0)
    allowed = int(MAX_SUPPRESSED_SHARE * len(source))

    def classes() -> Counter[tuple[str, ...]]:
        return Counter(_key(row, ladders, levels) for row in source)

    counts = classes()
    while sum(n for n in counts.values() if n < k) > allowed:
        climbable = [c for c in ladders if levels[c] < HEIGHTS[ladders[c]]]
        if not climbable:
            break
        distinct = {
            c: len({_generalised(row, c, ladders, levels) for row in source}) for c in climbable
        }
        levels[max(climbable, key=lambda c: (distinct[c], c))] += 1
        counts = classes()
    released: list[dict[str, str]] = []
    changed = 0
    for row in source:
        key = _key(row, ladders, levels)
        if counts[key] < k:
            continue
        out = dict(zip(ladders, key, strict=True))
        changed += sum(1 for c in ladders if out[c] != row[c])
        out.update({c: row[c] for c in kept})
        released.append(out)
    suppressed = len(source) - len(released)
    kept_classes = [n for n in counts.values() if n >= k]
    report = KAnonReport(
        k=k,
        levels=levels,
        records_in=len(source),
        records_suppressed=suppressed,
        values_changed=changed,
        generalised_share=changed / (len(released) * len(ladders)) if released and ladders else 0.0,
        discernibility=sum(n * n for n in kept_classes) + suppressed * len(source),
        smallest_class=min(kept_classes, default=0),
    )
    return KAnonRelease(columns=(*ladders, *kept), rows=released, report=report)


def _generalised(row: Mapping[str, str], column: str, ladders: Mapping[str, str],
                 levels: Mapping[str, int]) -> str:  # fmt: skip
    return generalise(ladders[column], row[column], levels[column])


def _key(row: Mapping[str, str], ladders: Mapping[str, str],
         levels: Mapping[str, int]) -> tuple[str, ...]:  # fmt: skip
    return tuple(_generalised(row, c, ladders, levels) for c in ladders)
