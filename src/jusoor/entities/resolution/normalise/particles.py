"""Name particles: connectors (bin, ould, بنت) that matching skips, articles (al, el, ال), words
that fuse with the next one (عبد الله = عبدالله, Abdel Kader = Abdelkader) or with the previous one
(نور الدين = نورالدين, Nour Eddine = Noureddine), and glued prefixes (Benali)."""

from __future__ import annotations

from jusoor.entities.resolution.normalise.scripts import Script, script_of
from jusoor.entities.resolution.normalise.tables import particles

ARABIC_ARTICLE = "ال"


def is_connector(word: str) -> bool:
    """True for "son of"/"daughter of" words (bin, ben, ibn, ould, bint, mint, ag, بن, ولد, بنت)."""
    return word in particles().connectors


def is_article(word: str) -> bool:
    """True for the article written as a word of its own (al, el, ال; assimilated ad, es…)."""
    return word in particles().articles


def _tail_at(words: list[str], i: int, script: Script) -> int:
    """How many words from `i` on form a compound tail (0, 1, or 2 with an article first)."""
    tails = particles().compound_tails
    for size in (1, 2):
        part = words[i : i + size]
        if (
            len(part) == size
            and part[-1] in tails
            and all(is_article(w) for w in part[:-1])
            and all(script_of(w) is script for w in part)
        ):
            return size
    return 0


def join_compounds(words: list[str]) -> list[str]:
    """Fuse compound heads with the word after them and compound tails with the word before
    them, absorbing an article in between, and a lone Arabic article with its noun:
    ["عبد", "ال", "رحمن"] → ["عبدالرحمن"], ["abdel", "kader"] → ["abdelkader"],
    ["nour", "el", "din"] → ["noureldin"]. Words of different scripts are never fused."""
    heads = particles().compound_heads
    joined: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        script = script_of(word)
        fusing = word in heads or (word == ARABIC_ARTICLE and script is Script.ARABIC)
        i += 1
        if fusing:
            while i + 1 < len(words) and is_article(words[i]) and script_of(words[i]) is script:
                word += words[i]
                i += 1
            if i < len(words) and script_of(words[i]) is script:
                word += words[i]
                i += 1
        tail = _tail_at(words, i, script)
        if tail:
            word += "".join(words[i : i + tail])
            i += tail
        joined.append(word)
    return joined


def without_glued_prefix(word: str) -> str | None:
    """`word` without a glued particle (Benali → ali, الامين → امين, Bouazizi → azizi), or None.

    What remains must still look like a name (three letters or more)."""
    for prefix in particles().glued_prefixes:
        rest = word[len(prefix) :]
        if word.startswith(prefix) and len(rest) >= 3:
            return rest
    return None


def split_tail(word: str) -> tuple[str, str] | None:
    """A fused word cut before its compound tail (noureddine → (nour, eddine), نورالدين →
    (نور, الدين)), or None. The stem must keep two letters or more."""
    for tail in particles().compound_tails:
        if word.endswith(tail) and len(word) - len(tail) >= 2:
            return word[: -len(tail)], tail
    return None
