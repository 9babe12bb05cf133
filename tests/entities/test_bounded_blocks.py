"""Blocking on names that stays bounded as a file grows: a pair of name words too common to
block on alone is split by a third word or the nationality (`prepare.bounded_name_blocks`)."""

from __future__ import annotations

from collections import Counter

from jusoor.entities.resolution.linkage import prepare
from jusoor.entities.resolution.linkage.prepare import prepare_records

FAMILIES = ("Salem", "Brahim", "Sidi", "Khalil", "Yousef", "Hamdi", "Nasser", "Jaber")


def _namesakes(count: int) -> list[dict[str, str]]:
    """`count` records of "Mohamed <father> Ahmed", fathers and nationalities varied."""
    return [
        {
            "record_id": f"c{i}",
            "full_name": f"Mohamed {FAMILIES[i % len(FAMILIES)]} Ahmed",
            "nationality": ("Jordan", "Egypt", "Syria")[i % 3],
        }
        for i in range(count)
    ]


def _shared(rows: dict[str, prepare.Prepared], a: str, b: str, column: str) -> set[str]:
    return set(rows[a][column] or ()) & set(rows[b][column] or ())


def test_a_common_pair_is_blocked_with_a_third_word_or_the_nationality() -> None:
    records = [
        *_namesakes(300),
        {"record_id": "x1", "full_name": "Mohamed Ahmed", "nationality": "Mauritania"},
        {"record_id": "x2", "full_name": "AHMED, Mohamed", "nationality": "MRT"},
        {"record_id": "r1", "full_name": "Zeinab Ould Akeik"},
        {"record_id": "r2", "full_name": "AKEIK, Zeinab"},
    ]
    rows = {str(row["unique_id"]): row for row in prepare_records(records)}
    # "Mohamed Ahmed" is held by 302 records: not a block of its own...
    assert not _shared(rows, "x1", "x2", "name_blocks")
    # ...but with the nationality only these two hold it, and so they are compared.
    assert _shared(rows, "x1", "x2", "name_split_blocks")
    # Namesakes of one father (38 records, then 12 or 13 per nationality) meet by the triple's
    # block with the nationality.
    assert _shared(rows, "c0", "c24", "name_split_blocks")  # Salem, Jordan both
    assert not _shared(rows, "c0", "c1", "name_split_blocks")  # another father
    # A rare pair is blocked on alone, as before.
    assert _shared(rows, "r1", "r2", "name_blocks")
    assert not rows["r1"]["name_split_blocks"]


def test_every_name_block_is_bounded_whatever_the_size_of_the_file() -> None:
    for size in (100, 400, 4_000):
        rows = prepare_records(_namesakes(size))
        for column in ("name_blocks", "name_split_blocks"):
            held = Counter(key for row in rows for key in set(row[column] or ()))
            assert max(held.values(), default=0) <= prepare.LARGEST_NAME_BLOCK, (size, column)
        # Split keys are what keeps these namesakes comparable beyond the cap; at 4,000 even a
        # triple with the nationality is too common, and is left to the other keys.
        assert any(row["name_split_blocks"] for row in rows) == (size <= 400)
        pairs = sum(n * (n - 1) // 2 for n in held.values())
        assert pairs / size <= prepare.LARGEST_NAME_BLOCK * 3


def test_triples_are_of_three_different_words_given_and_family_first() -> None:
    triples = prepare._key_triples("Mohamed Salem Ahmed Brahim")
    assert triples and all(len(set(t.split("|"))) == 3 for t in triples)
    assert len(prepare._key_triples("Ali Hassan")) == 0
    assert len(prepare._key_triples("A B C D E F G H I J")) <= prepare.MAX_KEY_TRIPLES
