"""Person records made comparable: each field through Jusoor's normalisers, once, before linkage.

The linker never sees the raw fields. Names become a normalised spelling (compared by
`names.similarity`), an order-insensitive key, and cross-script word keys (and pairs of them) to
block on; dates an ISO string with its year; phones E.164; nationalities ISO alpha-2; document
numbers one spelling. Empty and unreadable values become None (missing, not "different").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import lru_cache
from itertools import combinations, product, repeat

from jusoor.entities.resolution.linkage.rarity import bits_of_keys, rarity_keys
from jusoor.entities.resolution.linkage.workers import forked_pool, worker_count
from jusoor.entities.resolution.normalise.countries import country_code
from jusoor.entities.resolution.normalise.dates import PartialDate, parse_date
from jusoor.entities.resolution.normalise.documents import document_kind, normalize_document_number
from jusoor.entities.resolution.normalise.namekeys import (
    blocking_keys,
    known_normal,
    name_key,
    normalize_name,
    parse_name,
    word_keys,
)
from jusoor.entities.resolution.normalise.phones import normalize_phone

INPUT_COLUMNS = (
    "record_id",
    "full_name",
    "date_of_birth",
    "nationality",
    "phone",
    "document_number",
)
OPTIONAL_COLUMNS = ("address",)  # read when the file has them
MAX_KEY_PAIRS = 24  # a very long name still makes a bounded number of blocking pairs
MAX_KEY_TRIPLES = 24  # likewise for the triples of words that split a common pair
LARGEST_NAME_BLOCK = 20  # records sharing one blocking key of names, beyond which it is split
LARGEST_NAME_KEY_BLOCK = 50  # records sharing one whole name key, beyond which not blocked on
PARALLEL_FROM = 20_000  # records from which a batch is prepared in several processes
_CHUNK = 5_000  # records per step (a worker's task, a step of the progress bar)
PHONE_STEM_DIGITS = 4  # a new SIM card of the same operator often keeps all but the last digits

Prepared = dict[str, str | list[str] | None]
RARITY_KEYS = "rarity_keys"  # a batch row's field until `with_name_blocks` takes it out
TRIPLE_KEYS = "name_triples"  # likewise: the row's `_key_triples`
_WITH = "@"  # joins a name key to the second key that splits its block (the nationality)


def prepare_record(record: Mapping[str, str], *, region: str | None = None) -> Prepared:
    """The comparable form of one record (`INPUT_COLUMNS`); `region` reads local phone numbers."""
    raw_name = record.get("full_name") or ""  # "FAMILY, Given" reads as its words
    name = normalize_name(raw_name) or None
    born = _as_known(_parse_date(record.get("date_of_birth") or ""))
    iso = born.iso if born is not None else None
    swapped = None
    if born is not None and born.day is not None and born.month is not None and born.day <= 12:
        swapped = f"{born.year:04d}-{born.day:02d}-{born.month:02d}"
    phone = _phone(record.get("phone") or "", region)
    document = normalize_document_number(record.get("document_number") or "")
    return {
        "unique_id": record["record_id"],
        "name": name,
        "name_key": (name_key(raw_name) or None) if name else None,
        "name_keys": sorted(blocking_keys(raw_name)) if name else [],
        "name_pairs": _key_pairs(raw_name) if name else [],
        "name_blocks": [],  # set per batch by `with_name_blocks`
        "name_split_blocks": [],  # likewise
        "name_key_block": None,  # likewise
        "name_bits": None,  # likewise (`rarity.word_bits`)
        "given_keys": _given_keys(raw_name) if name else [],
        "dob": iso,
        "dob_full": iso if iso is not None and len(iso) == 10 else None,
        "dob_swapped": swapped,
        "dob_year": iso[:4] if iso is not None else None,
        "country": _country(record.get("nationality") or ""),
        "phone": phone,
        "phone_stem": phone_stem(phone) if phone else None,
        "document": document,
        "document_kind": document_kind(document) if document else None,
        "address": normalize_name(record.get("address") or "") or None,
    }


def phone_stem(phone: str) -> str | None:
    """A phone number in E.164 but its last digits; None for a number too short to tell."""
    return phone[:-PHONE_STEM_DIGITS] if len(phone) > 8 else None


def prepare_records(
    records: Iterable[Mapping[str, str]],
    *,
    region: str | None = None,
    on_progress: Callable[[int], object] | None = None,
) -> list[Prepared]:
    """`prepare_record` of each record, in order, with the name pairs to block on
    (`name_blocks`: the pairs of `name_pairs` not too common in this batch). A large batch is
    shared among the machine's cores; `on_progress` hears how many records each step did."""
    batch = list(records)
    chunks = [batch[i : i + _CHUNK] for i in range(0, len(batch), _CHUNK)]
    rows: list[Prepared] = []
    with forked_pool(_workers(len(batch))) as pool:
        done = (
            pool.map(_prepare_chunk, chunks, repeat(region))
            if pool is not None
            else (_prepare_chunk(chunk, region) for chunk in chunks)
        )
        for chunk_rows in done:
            rows.extend(chunk_rows)
            if on_progress is not None:
                on_progress(len(chunk_rows))
    # Here, not in the workers: blocks and bits count the whole batch.
    return with_name_blocks(rows)


def _workers(records: int) -> int:
    """Processes to prepare a batch of `records` (`workers.worker_count`)."""
    return worker_count(records, PARALLEL_FROM)


def _prepare_chunk(records: list[Mapping[str, str]], region: str | None) -> list[Prepared]:
    """`prepare_record` of each record, with the rarity keys of its name for
    `with_name_blocks` (made here, often in a worker process, where the name is parsed)."""
    rows = []
    for record in records:
        row = prepare_record(record, region=region)
        raw_name = record.get("full_name") or ""
        row[RARITY_KEYS] = rarity_keys(raw_name) if row["name"] else None
        row[TRIPLE_KEYS] = _key_triples(raw_name) if row["name"] else []
        rows.append(row)
    return rows


def with_name_blocks(rows: list[Prepared], *, largest: int = LARGEST_NAME_BLOCK) -> list[Prepared]:
    """`rows` with `name_bits`, the rarity of each name word in this batch (`rarity`), and the
    name keys to block on, each shared by at most `largest` rows (`bounded_name_blocks`)."""
    keyed = [_rarity_keys(row) for row in rows]
    known_normal(name for row in rows if (name := _text(row["name"])))
    for row, bits in zip(rows, bits_of_keys(keyed), strict=True):
        row["name_bits"] = bits
    bounded_name_blocks(rows, largest=largest)
    keys = Counter(row["name_key"] for row in rows if row["name_key"])
    for row in rows:
        key = row["name_key"]
        row["name_key_block"] = key if key and keys[key] <= LARGEST_NAME_KEY_BLOCK else None
    return rows


def bounded_name_blocks(rows: list[Prepared], *, largest: int = LARGEST_NAME_BLOCK) -> None:
    """Set each row's `name_blocks`, its name pairs shared by at most `largest` rows of the
    batch, and `name_split_blocks`, the keys that split the blocks of its other pairs.

    A pair as common as "Mohamed Ahmed" would make a block of every such namesake, comparing
    them all for nothing, and the more so the larger the file: it is not blocked on alone but
    with a second key, a third word of the name ("Mohamed Ahmed Salem", when its three pairs are
    all common) or the nationality, and a common triple with the nationality. Each key kept is
    shared by at most `largest` rows, so a record is compared with a bounded number of others
    however large the file, while a rare pair is blocked on alone at any size."""
    counts = Counter(pair for row in rows for pair in row["name_pairs"] or [])
    splits: list[list[str]] = []
    for row in rows:
        pairs = row["name_pairs"] or []
        row["name_blocks"] = [pair for pair in pairs if counts[pair] <= largest]
        common = [pair for pair in pairs if counts[pair] > largest]
        triples = _triple_keys(row)
        if not common:
            splits.append([])
            continue
        country = _text(row["country"])
        keys = [
            triple
            for triple in triples
            if all(counts.get(pair, 0) > largest for pair in _pairs_of(triple))
        ]
        if country:
            keys += [f"{key}{_WITH}{country}" for key in (*common, *keys)]
        splits.append(keys)
    split_counts = Counter(key for keys in splits for key in keys)
    for row, keys in zip(rows, splits, strict=True):
        row["name_split_blocks"] = [key for key in keys if split_counts[key] <= largest]


def _pairs_of(triple: str) -> list[str]:
    a, b, c = triple.split("|")
    return [f"{a}|{b}", f"{a}|{c}", f"{b}|{c}"]


def _triple_keys(row: Prepared) -> list[str]:
    """The row's `_key_triples`, taken out of it (made where the row was prepared)."""
    keys = row.pop(TRIPLE_KEYS, None)
    if isinstance(keys, list):
        return keys
    name = _text(row["name"])
    return _key_triples(name) if name else []


def _rarity_keys(row: Prepared) -> list[str] | None:
    """The row's `rarity.rarity_keys`, taken out of it (the engine has no use for them): made
    where the row was prepared, often a worker process, so this one need not parse the name."""
    keys = row.pop(RARITY_KEYS, None)
    if isinstance(keys, list):
        return keys
    name = _text(row["name"])
    return rarity_keys(name) if name else None


def _text(value: str | list[str] | None) -> str | None:
    return value if isinstance(value, str) else None


def _as_known(born: PartialDate | None) -> PartialDate | None:
    """The date as far as it is known: the 1st of January is how registers and age estimates
    write a birth date whose day and month nobody knows, so it counts as the year alone (it is
    then neither the same date as a namesake's 1st of January nor a different day from the
    person's real date of birth in another file)."""
    if born is not None and born.month == 1 and born.day == 1:
        return PartialDate(born.year)
    return born


# Cached: a batch writes the same dates, phones and nationalities many times.
@lru_cache(maxsize=1 << 16)
def _parse_date(raw: str) -> PartialDate | None:
    return parse_date(raw)


@lru_cache(maxsize=1 << 16)
def _phone(raw: str, region: str | None) -> str | None:
    return normalize_phone(raw, region)


@lru_cache(maxsize=1 << 12)
def _country(raw: str) -> str | None:
    return country_code(raw)


def _given_keys(raw: str) -> list[str]:
    """Word keys of the given name, as the writing conventions mark it: after the comma of
    "FAMILY, Given", after the capitals of "FAMILY Given", else the first word (Arabic order,
    "Given Family"). Brothers and sisters share every name but this one.

    A name all in capitals says nothing of its order: a passport's "FAMILY GIVEN FATHER" and a
    list's "GIVEN FATHER FAMILY" look alike, so either of its first two words may be the given
    name, and both count."""
    candidates = 1
    if "," in raw:
        rest = raw.split(",", 1)[1]
    else:
        tokens = raw.split()
        upper = [token.isupper() and token.isascii() and len(token) > 1 for token in tokens]
        first_lower = upper.index(False) if any(upper) and not all(upper) else 0
        rest = " ".join(tokens[first_lower:])
        if upper and all(upper):
            candidates = 2
    words = parse_name(rest).words
    return sorted({key for word in words[:candidates] for key in word_keys(word)})


def _ranked_word_keys(name: str, size: int) -> Iterator[tuple[str, ...]]:
    """The word keys of every `size` different words of the name, one key per word, the
    combinations holding the given name and the family name (first and last word, in one order
    or the other: the words every source keeps) first, when a long name has too many."""
    per_word = [sorted(word_keys(word)) for word in parse_name(name).words]
    last = len(per_word) - 1
    ranked = sorted(
        combinations(range(len(per_word)), size), key=lambda ix: (ix[0] != 0) + (ix[-1] != last)
    )
    for indices in ranked:
        yield from product(*(per_word[i] for i in indices))


def _key_pairs(name: str) -> list[str]:
    """Pairs of word keys of two different words of the name ("kk|lmn"): two records sharing one
    agree on two words whatever the script, the word order and the words missing. Two words
    may share a key ("Hamza Hamzaoui", "ms|ms"): their pair is kept like any other."""
    pairs = dict.fromkeys("|".join(sorted(keys)) for keys in _ranked_word_keys(name, 2))
    words = parse_name(name).words
    if len(words) == 1:
        pairs.update(dict.fromkeys(sorted(word_keys(words[0]))))
    return list(pairs)[:MAX_KEY_PAIRS]


def _key_triples(name: str) -> list[str]:
    """Triples of word keys of three different words of the name ("kk|lmn|slm", sorted), the
    given and family names' first, as `_key_pairs`: a second key for a common pair."""
    triples: dict[str, None] = {}
    for keys in _ranked_word_keys(name, 3):
        if len(set(keys)) == 3:
            triples.setdefault("|".join(sorted(keys)))
            if len(triples) >= MAX_KEY_TRIPLES:
                break
    return list(triples)[:MAX_KEY_TRIPLES]
