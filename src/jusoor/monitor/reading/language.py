"""Offline language identification.

py3langid ships its model inside the wheel (a naive Bayes over byte n-grams for 97 languages), so
nothing is downloaded at run time. Keeping every language in the model, not only ar/en/fr, is what
lets a page in Spanish or Persian be reported as such instead of being forced into one of ours.
"""

from __future__ import annotations

from functools import cache
from typing import Any

SUPPORTED = ("ar", "en", "fr")
# Below this many letters the guess is a coin toss ("hello" scores as Breton).
MIN_LETTERS = 20
MIN_CONFIDENCE = 0.5


@cache
def _identifier() -> Any:
    # Imported here: numpy and the model cost a quarter of a second, paid only when a text is read.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier  # type: ignore[import-untyped]

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language; None if the text is too short or the model unsure."""
    sample = text[:5000]  # a long article is decided by its first pages; keeps the cost flat
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS:
        return None
    lang, confidence = _identifier().classify(sample)
    if confidence < MIN_CONFIDENCE:
        return None
    return str(lang)
