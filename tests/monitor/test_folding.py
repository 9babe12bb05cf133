from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from jusoor.monitor.reading.folding import fold, fold_key


def test_arabic_spellings_and_digits_fold_together() -> None:
    assert fold("الإتجار").text == fold("الاتجار").text
    assert fold("مُنظَّمة").text == fold("منظمة").text
    assert fold("٢٠٢٣").text == "2023"
    assert fold_key("Égypte – Sharm El-Sheikh") == "egypte sharm el sheikh"


@given(st.text(max_size=60))
def test_every_folded_span_maps_back_inside_the_source(text: str) -> None:
    folded = fold(text)
    assert len(folded.origin) == len(folded.text)
    for start in range(len(folded.text)):
        a, b = folded.span(start, len(folded.text))
        assert 0 <= a <= b <= len(text)


@given(st.text(max_size=60))
def test_folding_is_idempotent(text: str) -> None:
    once = fold(text).text
    assert fold(once).text == once


def test_an_arabic_presentation_form_folds_like_its_letters() -> None:
    # Found by the property above: ﶠ decomposes to تجى, whose final ى folds to ي.
    assert fold("ﶠ").text == fold("تجى").text == fold(fold("ﶠ").text).text
