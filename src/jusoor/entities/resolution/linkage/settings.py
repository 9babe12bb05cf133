"""Jusoor's person-linkage model as Splink settings: candidate pairs (blocking), comparisons,
and the label-free training plan.

Blocking is recall-first and cross-script: a pair is compared when the two names share a pair of
word keys (so "OULD AKIK, Mohamed" and "محمد ولد أكيك" meet whatever the order or the missing
words), or the whole name key (each of these unless too common in the batch; a common pair is
split by a third word or the nationality), or the phone, the document or the full date of birth; or a pair of word keys and the birth year, or all but the last
digits of the phone and the birth year.
"""

from __future__ import annotations

from typing import Any

from splink import SettingsCreator, block_on
from splink.blocking_rule_library import CustomRule
from splink.internals.blocking_rule_creator import BlockingRuleCreator

from jusoor.entities.resolution.linkage.comparisons import NO_NAME_WORD, person_comparisons
from jusoor.entities.resolution.linkage.contrast import ELSE_LABEL

# The field whose outright disagreement marks two people when u is counted (see `contrast`):
# names among pairs born years apart; every other field among pairs with unrelated names.
U_WITNESSES: dict[str, tuple[str, str]] = {
    "name": ("dob", ELSE_LABEL),
    **{
        field: ("name", NO_NAME_WORD)
        for field in ("dob", "country", "phone", "document", "address")
    },
}

# A first guess, refined from deterministic rules before training (see `linkage.train`).
PRIOR_MATCH_PROBABILITY = 1e-4


def blocking_rules() -> list[BlockingRuleCreator | dict[str, Any]]:
    """Candidate pairs for prediction: any one rule suffices."""
    return [
        block_on("name_key_block"),
        block_on("name_blocks", arrays_to_explode=["name_blocks"]),
        # A pair too common to block on alone, with a third word or the nationality (each key
        # at most `prepare.LARGEST_NAME_BLOCK` records, at any size of file).
        block_on("name_split_blocks", arrays_to_explode=["name_split_blocks"]),
        block_on("phone"),
        block_on("document"),
        # The full date of birth with a word of the name: a date alone blocks every record
        # born that day together, more the larger the file (100 records a day at 1,000,000
        # people), and a true pair that shares no name word scores below any cut anyway.
        block_on("dob_full", "name_keys", arrays_to_explode=["name_keys"]),
        # A pair of name words and the birth year: a common pair ("Mohamed Ahmed"), too common
        # to block on alone, is narrowed by the year, where one date is partial or the two are
        # day and month swapped (the same full date is blocked on above; two different full
        # dates of the same year are namesakes: at 100,000 records, 325,000 such pairs held no
        # true one). So are a new phone and a partial date.
        CustomRule(
            "l.name_pairs = r.name_pairs AND l.dob_year = r.dob_year AND "
            "(l.dob_full IS NULL OR r.dob_full IS NULL OR l.dob_swapped = r.dob_full)",
            arrays_to_explode=["name_pairs"],
        ),
        block_on("phone_stem", "dob_year"),
    ]


def training_rules() -> list[BlockingRuleCreator]:
    """Blocks for estimating m by EM without labels: each leaves the other fields free."""
    return [block_on("dob_full"), block_on("document")]


def deterministic_rules() -> list[BlockingRuleCreator]:
    """Rules almost only true pairs satisfy, to estimate how rare a match is."""
    return [block_on("document"), block_on("phone", "dob_year"), block_on("name_key", "dob_full")]


def person_settings() -> SettingsCreator:
    """The untrained model over records from `prepare.prepare_records`."""
    return SettingsCreator(
        link_type="dedupe_only",
        comparisons=person_comparisons(),
        blocking_rules_to_generate_predictions=blocking_rules(),
        probability_two_random_records_match=PRIOR_MATCH_PROBABILITY,
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=True,
    )
