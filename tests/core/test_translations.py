"""Every user-visible string has its Arabic and French translation, with the same placeholders."""

from __future__ import annotations

from jusoor.core import catalogs
from jusoor.core.i18n import gettext, use_locale


def test_every_string_is_translated_into_arabic_and_french() -> None:
    gaps = catalogs.missing()
    listed = "\n".join(f"{g.locale} {g.problem}: {g.msgid!r}" for g in gaps[:40])
    assert not gaps, (
        f"{len(gaps)} translations missing or wrong (run jusoor i18n update):\n{listed}"
    )


def test_extraction_finds_code_and_template_strings() -> None:
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogs.extract()}
    assert "Wrong username or password." in ids  # auth/service.py
    assert any(loc[0].endswith(".html") for m in catalogs.extract() for loc in m.locations)


def test_translations_are_used_at_run_time() -> None:
    with use_locale("ar"):
        arabic = gettext("Wrong username or password.")
    with use_locale("fr"):
        french = gettext("Wrong username or password.")
    assert arabic != "Wrong username or password." and any(
        "\u0600" <= c <= "\u06ff" for c in arabic
    )
    assert french != "Wrong username or password."
