"""A name agreeing on rarer words never weighs less than one agreeing on commoner words.

The name levels of one similarity cut are split by the bits of the words agreed on
(`comparisons.NAME_BITS`). The rarest of them are too rare for the random pairs that estimate u
(400,000 of them) to meet even once: their u sits at Splink's floor and their weight follows m
alone, which falls as the level narrows. Trained on the project's own file, agreeing on 26 bits
weighed 13.4 bits and agreeing on 17 bits 18.1. Within a cut, the u of each such level is
lowered where needed so that its weight is at least the weight of the levels below it; a level
whose u was measured, or whose weight already rises, is left as it is.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from jusoor.entities.resolution.linkage.levels import NAME_GRADE

# Where close names on a pair of words few records share rank among the bits: above the
# commonest names, which it is split from, and below 11 bits (trained, it weighs about as the
# 8-bit level). So a batch's rare pair never weighs less than the same names scored alone
# (`levels.ALONE_BITS`: the levels below 11 bits together).
RARE_PAIR_BITS = 9.5
FLOOR_MARGIN = 1.01  # a u within 1% of the cut's lowest is taken as Splink's floor


def rank(label: str) -> tuple[float, float] | None:
    """(similarity cut, bits agreed: 0 when none, `RARE_PAIR_BITS` for a rare pair) of a name
    level split by rarity, else None."""
    found = NAME_GRADE.fullmatch(label)
    if found is None:
        return None
    if found.group(3):
        return float(found.group(1)), RARE_PAIR_BITS
    return float(found.group(1)), float(found.group(2) or 0.0)


def rising_u(levels: Sequence[tuple[float, float]]) -> list[float]:
    """For the levels (m, u) of one cut in rising order of rarity, the u of each level that no
    random pair reached (its u the cut's lowest, Splink's floor) lowered where needed so that
    its weight log2(m / u) is at least the weight of the levels below it. A level whose u was
    measured keeps it: on the project's own file, raising those too cost precision (0.965 →
    0.955 at 5,000 people) and changed nothing on the independent files."""
    floor = min((u for _m, u in levels if u > 0), default=0.0)
    chosen: list[float] = []
    best = -math.inf
    for m, u in levels:
        if m > 0 and u > 0:
            weight = math.log2(m / u)
            if weight < best and u <= floor * FLOOR_MARGIN:
                u = m / 2.0**best
                weight = best
            best = max(best, weight)
        chosen.append(u)
    return chosen
