"""Names lose bidi overrides and other invisible characters; joiners stay where scripts need them."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from jusoor.core.invisible import BIDI_CONTROLS, JOINERS, REPLACEMENT, reveal, strip_invisible

# Text rich in what matters here: letters of several scripts, marks, joiners, controls, spaces.
TRICKY = st.text(
    alphabet=st.one_of(
        st.sampled_from("Ali حسن می خواهم क्ष ab\t\n -'"),
        st.sampled_from(sorted(BIDI_CONTROLS | JOINERS)),
        st.sampled_from("\u200b\u200e\u200f\u061c\u2060\ufeff\u00ad\x00\x1b\u0301\u094d"),
        st.characters(),
    ),
    max_size=40,
)


def _invisible(ch: str) -> bool:
    kind = unicodedata.category(ch)
    return kind == "Cf" or (kind == "Cc" and ch not in "\t\n")


@given(TRICKY)
def test_no_format_or_control_character_survives_but_joiners_between_letters(text: str) -> None:
    out = strip_invisible(text)
    for i, ch in enumerate(out):
        if ch in JOINERS:
            assert 0 < i < len(out) - 1
            assert unicodedata.category(out[i - 1])[0] in "LM"
            assert unicodedata.category(out[i + 1])[0] in "LM"
        else:
            assert not _invisible(ch), repr(ch)


@given(TRICKY)
def test_visible_characters_are_all_kept_in_order(text: str) -> None:
    visible = [ch for ch in text if not _invisible(ch)]
    assert [ch for ch in strip_invisible(text) if ch not in JOINERS] == visible


@given(TRICKY)
def test_stripping_twice_is_stripping_once(text: str) -> None:
    once = strip_invisible(text)
    assert strip_invisible(once) == once


@given(TRICKY)
def test_reveal_leaves_no_bidi_control_and_keeps_the_length(text: str) -> None:
    shown = reveal(text)
    assert len(shown) == len(text)
    assert not any(ch in BIDI_CONTROLS for ch in shown)
    assert shown.count(REPLACEMENT) == text.count(REPLACEMENT) + sum(
        ch in BIDI_CONTROLS for ch in text
    )


def test_examples() -> None:
    assert strip_invisible("\u202eAli\u202c Hassan") == "Ali Hassan"
    assert strip_invisible("\u2067حسن\u2069 \u200fAli\u200e") == "حسن Ali"
    assert strip_invisible("Ali\u200b Has\u00adsan\ufeff") == "Ali Hassan"
    assert strip_invisible("می\u200cخواهم") == "می\u200cخواهم"  # Persian ZWNJ kept
    assert strip_invisible("क्\u200dष") == "क्\u200dष"  # ZWJ after a virama (a mark) kept
    assert strip_invisible("\u200cAli\u200d \u200d") == "Ali "
    assert reveal("\u202eilA") == "\ufffdilA"
