"""Every fact of an extraction says where it was read: offsets into the text, and its sentence."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from jusoor.monitor import Extraction, extract
from jusoor.monitor.reading.provenance import MAX_SENTENCE_CHARS, sentence_of, sentence_span

REPORT = (
    "Workshop on victim identification in Rabat\n"
    "The National Commission held a workshop from 12 to 14 March 2024 in Rabat with IOM."
    " Some 40 participants attended. Dr. Amina Benali, President of the Commission, opened it."
)


def test_each_fact_points_at_the_words_it_was_read_from() -> None:
    x = extract(REPORT)
    facts = {(e.kind, e.value): REPORT[e.start : e.end] for e in x.evidence}
    assert facts[("start", "2024-03-12")] == "12 to 14 March 2024"
    assert facts[("end", "2024-03-14")] == "12 to 14 March 2024"
    assert facts[("place", "rabat")] == "Rabat"
    assert facts[("organization", "iom")] == "IOM"
    assert facts[("participants", "40")].startswith("40 participants")
    assert facts[("event_type", "workshop")].lower() == "workshop"
    assert any(kind == "person" for kind, _ in facts)


def test_the_sentence_of_a_fact_is_the_one_holding_it() -> None:
    x = extract(REPORT)
    start = next(e for e in x.evidence if e.kind == "start")
    assert sentence_of(REPORT, start.start, start.end) == (
        "The National Commission held a workshop from 12 to 14 March 2024 in Rabat with IOM."
    )
    a, b = sentence_span(REPORT, 0, 8)
    assert REPORT[a:b].strip() == "Workshop on victim identification in Rabat"


def test_seed_facts_have_spans_inside_the_text(seed_extractions: dict[str, Extraction]) -> None:
    for x in seed_extractions.values():
        kinds = {e.kind for e in x.evidence}
        assert {"event_type", "organization", "country"} <= kinds
        assert all(0 <= e.start < e.end for e in x.evidence)


def test_a_fact_not_stated_has_no_evidence() -> None:
    x = extract("Rabat hosted a workshop on trafficking in persons with IOM.")
    assert x.event.start is None
    assert not any(e.kind in {"start", "end"} for e in x.evidence)


@given(
    st.text(alphabet=st.sampled_from("ab .\n؟!"), min_size=1, max_size=300),
    st.integers(min_value=0, max_value=299),
    st.integers(min_value=0, max_value=20),
)
def test_the_sentence_span_always_holds_the_fact(text: str, start: int, length: int) -> None:
    start = min(start, len(text) - 1)
    end = min(len(text), start + max(length, 1))
    a, b = sentence_span(text, start, end)
    assert 0 <= a <= start
    assert end <= b <= len(text)
    assert b - a <= max(MAX_SENTENCE_CHARS, end - start)
