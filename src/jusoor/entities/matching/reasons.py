"""Why the person model finds two people alike or not, in words: one line per field it weighed,
"Date of birth: the same day", for the reviewer of a suggestion (`evidence.Agreement`).

The model's fields are named by their labels (`FIELD_LABELS`), and each level it reached by what
it means (`finding`), both translated when shown. Levels are known by the labels the saved model
gives them (`resolution.linkage.comparisons`, Splink's library levels); a level this module does
not know is still said, as agreeing or differing by the sign of its weight.
"""

from __future__ import annotations

import re

from jusoor.core.i18n import N_
from jusoor.core.i18n import gettext as _
from jusoor.entities.matching.evidence import Agreement

FIELD_LABELS = {
    "name": N_("Name"),
    "dob": N_("Date of birth"),
    "country": N_("Nationality"),
    "phone": N_("Phone"),
    "document": N_("Document number"),
    "address": N_("Address"),
}
ELSE = "All other comparisons"
_NAME_GRADE = re.compile(
    r"name similarity at least ([0-9.]+)"
    r"(, agreeing on [0-9.]+ bits|, sharing a rare pair of words)?"
)
# Levels by their label, whatever the field (the model's own and Splink's library levels).
_LEVELS = {
    "no name word in common": N_("no word in common"),
    "some name words in common, no more": N_("a word in common, no more"),
    "similar names, different given names": N_("alike, but the given names differ"),
    "same full date": N_("the same day"),
    "day and month swapped": N_("the same day, with day and month swapped"),
    "same year, one date partial": N_("the same year (one of them gives only the year)"),
    "same year, different day": N_("the same year, on different dates"),
    "one year apart": N_("a year apart"),
    "one year apart, one date partial": N_("a year apart (one of them gives only the year)"),
    "same day and month, another year": N_("the same day and month, in another year"),
    "same number but the last digits": N_("the same number but the last digits"),
}
# "The same" agrees in gender with the field in Arabic (الجنسية نفسها, العنوان نفسه): one
# message per field.
_SAME = {
    "phone": N_("the same number"),
    "document": N_("the same number"),
    "country": N_("the same nationality"),
    "address": N_("the same address"),
}
_NAME_CUTS = {
    0.9: N_("the same name"),
    0.75: N_("close names"),
    0.6: N_("somewhat alike"),
}


def finding(field: str, level: str, weight: float) -> str:
    """What a field's level means, translated ("the same day")."""
    if level in _LEVELS:
        return _(_LEVELS[level])
    if found := _NAME_GRADE.fullmatch(level):
        said = _NAME_CUTS.get(float(found.group(1)))
        if said is not None:
            return _("%(finding)s, with rare words", finding=_(said)) if found.group(2) else _(said)
    if level.startswith("Exact match on"):
        return _(_SAME.get(field, N_("the same")))
    if level.startswith("Levenshtein distance of"):
        return _("one character apart")
    if level.startswith("Jaro-Winkler distance of"):
        return _("very similar") if level.endswith("0.9") else _("somewhat similar")
    if level == ELSE:
        return _("different")
    return _("agrees") if weight > 0 else _("differs")


def reason(agreement: Agreement) -> str:
    """One line for the reviewer: the field's label and what its level means."""
    label = FIELD_LABELS.get(agreement.field)
    said = finding(agreement.field, agreement.level, agreement.weight)
    if label is None:
        return said
    return _("%(field)s: %(finding)s", field=_(label), finding=said)
