from __future__ import annotations

import pytest

from jusoor.monitor.reading.language import detect_language


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("افتتحت اليوم في دولة الكويت فعاليات المنتدى الحكومي لمكافحة الاتجار بالأشخاص", "ar"),
        ("The conference on trafficking in persons was held in Sharm El Sheikh this week.", "en"),
        ("La conférence régionale sur la traite des êtres humains s'est tenue à Tunis.", "fr"),
        ("La conferencia regional sobre la trata de personas se celebró en Madrid ayer.", "es"),
    ],
)
def test_language_is_detected_offline(text: str, lang: str) -> None:
    assert detect_language(text) == lang


@pytest.mark.parametrize("text", ["", "hello", "12/05/2023 — 14:00", "UNODC IOM"])
def test_too_little_text_has_no_language(text: str) -> None:
    assert detect_language(text) is None
