"""Request types of cross-border exchange: what each refuses, and that a clean body stays clean."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jusoor.core.errors import Invalid
from jusoor.exchange.request.bodies import MODELS
from jusoor.exchange.request.validation import (
    CONTACT_KIND_LABELS,
    FIELDS,
    HANDLING_LABELS,
    INFORMATION_EVALUATION_LABELS,
    SOURCE_EVALUATION_LABELS,
    STATUS_LABELS,
    TYPE_LABELS,
    URGENCY_LABELS,
    FieldSpec,
    problems,
    subject_of,
    text_field,
    validate_body,
)
from jusoor.exchange.transport.canonical import canonical
from jusoor.exchange.vocabulary import (
    OPENING_TYPES,
    THREAD_TYPES,
    ContactKind,
    HandlingCode,
    InformationEvaluation,
    MessageStatus,
    MessageType,
    SourceEvaluation,
    Urgency,
)

TODAY = dt.date(2026, 11, 27)
MLA = MessageType.mla_request


def mla(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "subject": "Bank records of a recruitment agency",
        "requesting_authority": "Ministry of Justice, Directorate of Criminal Affairs, Rabat",
        "proceeding_nature": "Criminal investigation of trafficking in persons for forced labour.",
        "conducting_authority": "Investigating judge, Court of First Instance of Casablanca.",
        "assistance_kind": "documents_records",
        "facts_summary": "Between 2024 and 2025, forty workers were recruited with false promises.",
        "assistance_sought": "Certified copies of the agency's bank statements for 2024-2025.",
        "persons_concerned": [{"name": "A. B.", "location": "Tunis", "nationality": "tn"}],
        "purpose": "To trace the payments made by the workers to the recruiters.",
    }
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


def refusal_of(message_type: MessageType, data: dict[str, Any]) -> Invalid:
    with pytest.raises(Invalid) as caught:
        validate_body(message_type, data, today=TODAY)
    return caught.value


def test_a_complete_mla_request_is_cleaned() -> None:
    body = validate_body(MLA, mla(subject="  Bank records  ", deadline="2026-12-31"), today=TODAY)
    assert body["subject"] == "Bank records"
    assert body["deadline"] == "2026-12-31"
    assert body["persons_concerned"] == [
        {"name": "A. B.", "location": "Tunis", "nationality": "TN"}
    ]
    assert body["urgency"] == "normal"
    assert subject_of(MLA, body) == "Bank records"


@pytest.mark.parametrize(
    ("field", "element"),
    [
        ("requesting_authority", "18(15)(a)"),
        ("proceeding_nature", "18(15)(b)"),
        ("conducting_authority", "18(15)(b)"),
        ("facts_summary", "18(15)(c)"),
        ("assistance_kind", "18(3)"),
        ("assistance_sought", "18(15)(d)"),
        ("purpose", "18(15)(f)"),
    ],
)
@pytest.mark.parametrize("absent", [None, "", "   "])
def test_each_mla_element_is_required_and_cited(field: str, element: str, absent: Any) -> None:
    error = refusal_of(MLA, mla(**{field: absent}))
    assert error.field == field
    assert f"UNTOC art. {element}" in error.message


def test_persons_concerned_or_why_not_is_required() -> None:
    error = refusal_of(MLA, mla(persons_concerned=[]))
    assert error.field == "persons_concerned"
    assert "UNTOC art. 18(15)(e)" in error.message
    note = "The suspects are known only by nicknames so far."
    body = validate_body(MLA, mla(persons_concerned=None, persons_concerned_note=note), today=TODAY)
    assert body["persons_concerned"] == []
    assert body["persons_concerned_note"] == note


def test_persons_concerned_can_be_typed_one_per_line() -> None:
    lines = "Karim N.; Sfax; tn\n\n  Awa D. ; Nouakchott \nJohn Doe"
    body = validate_body(MLA, mla(persons_concerned=lines), today=TODAY)
    assert body["persons_concerned"] == [
        {"name": "Karim N.", "location": "Sfax", "nationality": "TN"},
        {"name": "Awa D.", "location": "Nouakchott", "nationality": ""},
        {"name": "John Doe", "location": "", "nationality": ""},
    ]


def test_a_person_needs_a_name_and_a_real_nationality() -> None:
    assert refusal_of(MLA, mla(persons_concerned="; Sfax; tn")).field == "persons_concerned"
    error = refusal_of(MLA, mla(persons_concerned="Karim; Sfax; QQ"))
    assert error.field == "persons_concerned"
    assert "QQ" in error.message
    assert "Morocco" in error.message  # says how to write it


def test_a_nationality_is_written_as_a_country_in_any_of_the_three_languages() -> None:
    lines = "Karim N.; Sfax; تونس\nAwa D.; Nouakchott; mauritanienne\nSara K.; Rabat; Morocco"
    body = validate_body(MLA, mla(persons_concerned=lines), today=TODAY)
    assert [p["nationality"] for p in body["persons_concerned"]] == ["TN", "MR", "MA"]


def test_service_of_documents_needs_no_summary_of_facts() -> None:
    body = validate_body(
        MLA, mla(assistance_kind="service_of_documents", facts_summary=None), today=TODAY
    )
    assert body["facts_summary"] == ""
    assert refusal_of(MLA, mla(assistance_kind="search_seizure", facts_summary="")).field == (
        "facts_summary"
    )


def test_h3_needs_written_conditions() -> None:
    data = {"subject": "Route", "question": "Who runs the boats?", "purpose": "Investigation"}
    error = refusal_of(MessageType.information_request, {**data, "handling_code": "H3"})
    assert error.field == "handling_conditions"
    body = validate_body(
        MessageType.information_request,
        {**data, "handling_code": "H3", "handling_conditions": "Not to be shared with customs."},
        today=TODAY,
    )
    assert body["handling_code"] == "H3"
    reply = {"text": "Here it is.", "handling_code": "H3", "handling_conditions": " "}
    assert refusal_of(MessageType.reply, reply).field == "handling_conditions"


def test_information_types_default_to_h0() -> None:
    data = {"subject": "Route", "question": "Who runs the boats?", "purpose": "Investigation"}
    body = validate_body(MessageType.information_request, data, today=TODAY)
    assert body["handling_code"] == "H0"
    assert validate_body(MLA, mla(), today=TODAY)["handling_code"] is None


def test_a_deadline_in_the_past_is_refused() -> None:
    error = refusal_of(MLA, mla(deadline="2026-11-26"))
    assert error.field == "deadline"
    assert validate_body(MLA, mla(deadline="2026-11-27"), today=TODAY)["deadline"] == "2026-11-27"
    # A received request whose deadline passed in transit is still read.
    assert validate_body(MLA, mla(deadline="2026-11-26"), today=dt.date.min)["deadline"]
    assert refusal_of(MLA, mla(deadline="next week")).field == "deadline"


def test_unknown_keys_are_refused() -> None:
    error = refusal_of(MLA, mla(victim_address="12 rue X"))
    assert error.field == "victim_address"
    assert refusal_of(MessageType.withdrawal, {"reason": "Solved", "text": "x"}).field == "text"


def test_a_reply_carries_both_evaluation_codes_or_neither() -> None:
    reply = {"text": "The number belongs to a known recruiter."}
    assert refusal_of(MessageType.reply, {**reply, "source_evaluation": "B"}).field == (
        "information_evaluation"
    )
    assert refusal_of(MessageType.reply, {**reply, "information_evaluation": "2"}).field == (
        "source_evaluation"
    )
    both = validate_body(
        MessageType.reply, {**reply, "source_evaluation": "B", "information_evaluation": "2"}
    )
    assert (both["source_evaluation"], both["information_evaluation"]) == ("B", "2")
    neither = validate_body(MessageType.reply, {**reply, "source_evaluation": ""})
    assert neither["source_evaluation"] is None
    assert neither["subject"] == ""
    assert subject_of(MessageType.reply, neither) == ""


def test_spontaneous_information_needs_its_evaluation() -> None:
    data = {"subject": "Boat leaving", "information": "A boat leaves Zuwara on Friday."}
    found = problems(MessageType.spontaneous_information, data)
    assert set(found) == {"source_evaluation", "information_evaluation"}


def test_a_transnational_referral_needs_consent_and_a_service() -> None:
    data = {"subject": "Return of a victim", "case_reference": "MA-2026-0042", "summary": "Return."}
    found = problems(MessageType.transnational_referral, data)
    assert {"consent_id", "services_requested"} <= set(found)
    assert "consent" in found["consent_id"]
    consent = str(uuid.uuid4())
    body = validate_body(
        MessageType.transnational_referral,
        {
            **data,
            "consent_id": consent,
            "services_requested": ["shelter", "medical", "shelter"],
            "shared": {"age_band": "18-24", "is_child": False, "languages": ["ar", "fr"]},
        },
    )
    assert body["services_requested"] == ["shelter", "medical"]
    assert body["consent_id"] == consent
    bad = {**data, "consent_id": consent, "services_requested": ["spa"]}
    assert refusal_of(MessageType.transnational_referral, bad).field == "services_requested"
    floaty = {
        **data,
        "consent_id": consent,
        "services_requested": ["medical"],
        "shared": {"a": 1.5},
    }
    assert refusal_of(MessageType.transnational_referral, floaty).field == "shared"


def test_control_characters_are_refused() -> None:
    assert refusal_of(MessageType.withdrawal, {"reason": "no\x00pe"}).field == "reason"


def test_problems_lists_every_field_at_once() -> None:
    found = problems(MLA, mla(subject="", purpose="", deadline="2000-01-01", extra="x"))
    assert {"subject", "purpose", "deadline", "extra"} <= set(found)
    assert problems(MLA, mla(), today=TODAY) == {}
    assert problems(MessageType.refusal, {}).keys() == {"ground_kind", "grounds"}


def test_a_body_must_be_named_fields_and_the_type_known() -> None:
    assert refusal_of(MLA, ["not", "a", "mapping"]).field is None  # type: ignore[arg-type]
    assert refusal_of("parcel", {}).field == "type"  # type: ignore[arg-type]


def test_system_messages_pass_through() -> None:
    data = {"new_signing_key": "abc", "signature": "def"}
    assert validate_body(MessageType.key_rotation, data) == data
    assert MessageType.key_rotation not in FIELDS
    with pytest.raises(Invalid):
        text_field(MessageType.directory_update)


@pytest.mark.parametrize("message_type", sorted(OPENING_TYPES | THREAD_TYPES))
def test_every_request_type_has_a_form_a_label_and_a_text_field(message_type: MessageType) -> None:
    specs = FIELDS[message_type]
    assert TYPE_LABELS[message_type]
    names = [spec.name for spec in specs]
    assert len(names) == len(set(names))
    assert text_field(message_type) in names
    model_fields = MODELS[message_type].model_fields
    assert set(names) <= set(model_fields)
    # Every field a person must fill is on the form; the rest the service fills from the case.
    required = {name for name, info in model_fields.items() if info.is_required()}
    assert required - set(names) <= {"consent_id"}
    for spec in specs:
        assert spec.kind in ("text", "textarea", "choice", "date", "bool", "list")
        assert (spec.kind == "choice") <= bool(spec.choices)


def test_every_code_has_a_label() -> None:
    assert set(HANDLING_LABELS) == set(HandlingCode)
    assert set(SOURCE_EVALUATION_LABELS) == set(SourceEvaluation)
    assert set(INFORMATION_EVALUATION_LABELS) == set(InformationEvaluation)
    assert set(STATUS_LABELS) == set(MessageStatus)
    assert set(URGENCY_LABELS) == set(Urgency)
    assert set(CONTACT_KIND_LABELS) == set(ContactKind)
    assert set(TYPE_LABELS) == set(MessageType)


def test_mla_elements_cite_their_article() -> None:
    bases = {spec.name: spec.legal_basis for spec in FIELDS[MLA]}
    for field, letter in [("requesting_authority", "(a)"), ("purpose", "(f)")]:
        assert (bases[field] or "").startswith(f"UNTOC art. 18(15){letter}")


# The property: whatever validate_body accepts, it gives back unchanged when given its own output.

SAFE = st.characters(blacklist_categories=("Cc", "Cs"))
ANY_TEXT = st.text(SAFE, max_size=30)
SOME_TEXT = st.builds(lambda a, b: f"{a}x{b}", ANY_TEXT, ANY_TEXT)


def value_for(spec: FieldSpec, draw: st.DrawFn) -> Any:
    values = [value for value, _label in spec.choices or []]
    if spec.kind == "choice":
        optional = st.sampled_from(["", None]) if not spec.required else st.nothing()
        return draw(st.sampled_from(values) | optional)
    if spec.kind == "list" and values:
        return draw(st.lists(st.sampled_from(values), min_size=1, max_size=4))
    if spec.kind == "list":  # persons concerned
        person = st.fixed_dictionaries(
            {"name": SOME_TEXT},
            optional={"location": ANY_TEXT, "nationality": st.sampled_from(["", "ma", "EG"])},
        )
        return draw(st.lists(person, max_size=3))
    if spec.kind == "date":
        day = st.dates(min_value=TODAY, max_value=TODAY + dt.timedelta(days=3650))
        return draw(day | day.map(dt.date.isoformat) | st.sampled_from(["", None]))
    if spec.kind == "bool":
        return draw(st.sampled_from([True, False, None, ""]))
    # Conditions and the note on persons may be needed by other fields: always give them.
    return draw(
        SOME_TEXT if spec.required or spec.name.endswith(("conditions", "note")) else ANY_TEXT
    )


SHARED = st.dictionaries(
    st.text(SAFE, min_size=1, max_size=10),
    st.none() | st.booleans() | st.integers() | ANY_TEXT | st.lists(ANY_TEXT, max_size=3),
    max_size=5,
)


@st.composite
def bodies(draw: st.DrawFn) -> tuple[MessageType, dict[str, Any]]:
    message_type = draw(st.sampled_from(sorted(FIELDS)))
    data = {spec.name: value_for(spec, draw) for spec in FIELDS[message_type]}
    if message_type is MessageType.reply and not data["source_evaluation"]:
        data["information_evaluation"] = None  # both or neither
    if message_type is MessageType.reply and data["source_evaluation"]:
        data["information_evaluation"] = draw(st.sampled_from(list(InformationEvaluation)))
    if message_type is MessageType.transnational_referral:
        data["consent_id"] = str(draw(st.uuids()))
        data["shared"] = draw(SHARED)
    return message_type, data


@settings(max_examples=300, deadline=None)
@given(bodies())
def test_a_clean_body_survives_json_and_validation_unchanged(
    case: tuple[MessageType, dict[str, Any]],
) -> None:
    message_type, data = case
    body = validate_body(message_type, data, today=TODAY)
    canonical(body)  # the exchange's signed form accepts it: no floats, no objects
    again = validate_body(message_type, json.loads(json.dumps(body)), today=TODAY)
    assert again == body


def test_persons_typed_one_per_line_accept_the_arabic_semicolon() -> None:
    typed = "محمد الأمين ولد أكيك؛ نواكشوط؛ mr\nA. B.; Tunis; TN"
    body = validate_body(MLA, mla(persons_concerned=typed), today=TODAY)
    assert body["persons_concerned"] == [
        {"name": "محمد الأمين ولد أكيك", "location": "نواكشوط", "nationality": "MR"},
        {"name": "A. B.", "location": "Tunis", "nationality": "TN"},
    ]


def test_every_rule_a_request_field_cites_is_also_said_in_plain_words() -> None:
    from jusoor.exchange.request.fields import FIELDS
    from jusoor.exchange.request.labels import LAW_IN_WORDS

    cited = {spec.legal_basis for specs in FIELDS.values() for spec in specs if spec.legal_basis}
    assert cited and cited <= set(LAW_IN_WORDS), sorted(cited - set(LAW_IN_WORDS))


def test_a_messages_author_has_their_roles_in_words() -> None:
    from jusoor.core.i18n import use_locale
    from jusoor.exchange.labels import LABELS
    from tests.support.web import translated

    with use_locale("fr"):
        said = LABELS.author("liaison.eg (analyst,liaison_officer)")
    roles = f"{translated('Analyst', 'fr')}, {translated('Liaison officer', 'fr')}"
    assert said == f"liaison.eg ({roles})"
    assert LABELS.author("someone (Not roles)") == "someone (Not roles)"


def test_a_person_concerned_is_shown_with_the_country_by_name() -> None:
    from jusoor.core.i18n import use_locale
    from jusoor.exchange.labels import LABELS
    from jusoor.exchange.request.fields import FIELDS

    spec = next(s for s in FIELDS[MLA] if s.name == "persons_concerned")
    person = [{"name": "Karim N.", "location": "Sfax", "nationality": "TN"}]
    with use_locale("fr"):
        assert LABELS.shown(spec, person) == "Karim N. — Sfax — Tunisie"
    with use_locale("ar"):
        assert LABELS.shown(spec, person) == "Karim N. — Sfax — تونس"
