"""How much a name says about who a person is: the rarity of its words in the batch at hand.

Two records that share "Mohamed Ahmed" may well be two people; two that share "Hajar Mint Abdel
Kader Mint Sidiya" almost surely are not. Each word of a name gets the information an agreement on
it carries, in bits: log2 of the number of records over the number that contain the word, where a
word is known by its cross-script key (its given-name group when listed, else its consonant
blocking key), so that محمد, Mohamed and Mouhamed count as one word. The linker compares names by
the bits of the words they agree on (`names.agreement`), a term-frequency adjustment that works
across scripts and word orders, which Splink's adjustment on whole values cannot.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence

from jusoor.entities.resolution.normalise.namekeys import parse_name
from jusoor.entities.resolution.normalise.phonetics import blocking_key
from jusoor.entities.resolution.normalise.words import analyse

# Bits are written with one decimal: enough for levels, short in the engine's tables.
BIT_DECIMALS = 1


def rarity_key(word: str) -> str:
    """The key a name word is counted under: its given-name group, else its blocking key."""
    analysis = analyse(word)
    if analysis.group is not None:
        return f"={analysis.group}"
    return blocking_key(analysis.sounds[0]) if analysis.sounds else word


def word_bits(names: Sequence[str | None]) -> list[str | None]:
    """For each name of a batch, the bits of each of its words (`parse_name` order) as text
    ("4.3 9.8 12.1"), or None for a missing name. A word in one record of N carries log2(N)."""
    return bits_of_keys([rarity_keys(name) if name else None for name in names])


def rarity_keys(name: str) -> list[str]:
    """The `rarity_key` of each word of a name, in `parse_name` order."""
    return [rarity_key(word) for word in parse_name(name).words]


def bits_of_keys(keyed: Sequence[Sequence[str] | None]) -> list[str | None]:
    """`word_bits` from the `rarity_keys` of each name of a batch (None for a missing name)."""
    counts: Counter[str] = Counter(key for keys in keyed if keys for key in set(keys))
    total = max(len(keyed), 1)
    return [
        None
        if keys is None
        else " ".join(f"{math.log2(total / counts[key]):.{BIT_DECIMALS}f}" for key in keys)
        for keys in keyed
    ]


def parse_bits(text: str | None) -> tuple[float, ...]:
    """The bits written by `word_bits`, as numbers (empty when missing)."""
    return tuple(float(part) for part in text.split()) if text else ()


def total_bits(bits: Iterable[float]) -> float:
    return round(sum(bits), BIT_DECIMALS)
