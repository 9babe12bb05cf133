"""No level of the person model vetoes a pair: each m is drawn towards its u by a pseudo-count.

Trained without labels, EM gives a level no true pair of the training blocks reached an m of
about 1e-28 (another nationality, another phone or document number): −90 bits, so that one
mistyped nationality outweighed a name, a date and a document agreeing. With m' = (m + s·u) /
(1 + s), `s` a share of a pair for every pair of training evidence, the m of a comparison still
add up to 1, a well-estimated level barely moves, and no level weighs less than log2(s).

s = 2⁻¹⁶: at 2⁻¹⁰ a batch's namesakes with another phone or nationality joined (the project's own
5,000-person file: precision 0.972 → 0.959); at 2⁻²⁰ a mistyped nationality vetoed a sure pair
again (docs/LINKAGE.md §8b).
"""

from __future__ import annotations

M_PSEUDO_SHARE = 2.0**-16  # no level weighs less than about −16 bits


def floored_m(m: float, u: float, share: float = M_PSEUDO_SHARE) -> float:
    """`m` drawn towards `u` by a pseudo-count of `share`."""
    return (m + share * u) / (1 + share)
