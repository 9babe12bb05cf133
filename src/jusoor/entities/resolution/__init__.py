"""Normalisers and cross-script name matching for record linkage (issue 4).

Names (any mix of Arabic and Latin script, any word order):
    similarity(a, b) -> float             how alike two personal names are, in [0, 1]
    explain(a, b) -> NameComparison       the score and which words matched how
    normalize_name(text) -> str           the spelling the matcher compares
    blocking_keys(text) -> frozenset[str] recall-oriented keys for candidate generation
    name_key(text) -> str                 one order-insensitive key for the whole name
    transliterate(text) -> str            an Arabic name in the Latin a press reader expects
    spelling_key(text) -> str             a consonant skeleton of the name in reading order,
                                          shared by its Arabic and usual Latin spellings

Other fields of a person record:
    normalize_phone(raw, default_region) -> str | None    E.164
    parse_date(raw) -> PartialDate | None                 year, month?, day?
    country_code(raw) -> str | None                       ISO 3166 alpha-2
    normalize_document_number(raw) -> str | None

Every function is pure, never raises on arbitrary text, and reads its tables (YAML files in
`normalise/`) once; the batch linkage of many records is in `linkage/`.

The person model (loaded on first use: it brings Splink and its engines):
    PersonModel.train(records) / .load(path) / .save(path)    versioned data (`model`)
    model.score(a, b), model.explain(a, b), model.resolve(records)
    PersonIndex.from_model(model, records).candidates(record)  one record against many
    resolve_file(source, out, ...) -> ResolvedFile             what `jusoor resolve persons` does
"""

from jusoor.entities.resolution.normalise.countries import country_code
from jusoor.entities.resolution.normalise.dates import PartialDate, parse_date
from jusoor.entities.resolution.normalise.documents import normalize_document_number
from jusoor.entities.resolution.normalise.namekeys import blocking_keys, name_key, normalize_name
from jusoor.entities.resolution.normalise.names import (
    NameComparison,
    TokenMatch,
    explain,
    similarity,
)
from jusoor.entities.resolution.normalise.phones import normalize_phone
from jusoor.entities.resolution.normalise.transliteration import spelling_key, transliterate
from jusoor.entities.resolution.normalise.words import MatchKind

# The person model's names and the modules that hold them, imported on first use.
_LAZY = {
    "PersonModel": "jusoor.entities.resolution.model",
    "PairScore": "jusoor.entities.resolution.model",
    "ModelFileError": "jusoor.entities.resolution.model",
    "PersonIndex": "jusoor.entities.resolution.linkage.lookup",
    "resolve_file": "jusoor.entities.resolution.file_resolution",
    "ResolvedFile": "jusoor.entities.resolution.file_resolution",
    "ResolutionFailed": "jusoor.entities.resolution.file_resolution",
}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(name)


__all__ = [
    "MatchKind",
    "ModelFileError",
    "NameComparison",
    "PairScore",
    "PartialDate",
    "PersonIndex",
    "PersonModel",
    "ResolutionFailed",
    "ResolvedFile",
    "TokenMatch",
    "blocking_keys",
    "country_code",
    "explain",
    "name_key",
    "normalize_document_number",
    "normalize_name",
    "normalize_phone",
    "parse_date",
    "resolve_file",
    "similarity",
    "spelling_key",
    "transliterate",
]
