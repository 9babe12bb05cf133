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


ARABIC_PLURALS = (
    "(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=0 && n%100<=2 ? 4 : 5)"
)


def test_arabic_forms_for_zero_one_and_two_stand_for_one_number_each() -> None:
    assert catalogs.single_number_forms(ARABIC_PLURALS) == {0, 1, 2}
    assert catalogs.single_number_forms("(n > 1)") == set()  # French: 0 and 1 share a form


def test_a_form_for_one_number_may_leave_the_count_out_and_no_other_may() -> None:
    from babel.messages.catalog import Catalog

    msgid = ("%(num)s case for %(name)s", "%(num)s cases for %(name)s")
    template = Catalog(locale="en")
    template.add(msgid)
    arabic = Catalog(locale="ar")
    assert arabic.plural_expr == ARABIC_PLURALS
    good = ("%(num)s a %(name)s", "b %(name)s", "c %(name)s", *(["%(num)s d %(name)s"] * 3))
    arabic.add(msgid, good)
    assert list(catalogs.gaps(template, arabic)) == []
    for bad in (
        ("%(num)s a %(name)s", "b", "c %(name)s", *(["%(num)s d %(name)s"] * 3)),  # name lost
        ("%(num)s a %(name)s", "b %(name)s", "c %(name)s", "d %(name)s", *(["%(num)s"] * 2)),
    ):
        arabic.delete(msgid[0])
        arabic.add(msgid, bad)
        assert [g.problem for g in catalogs.gaps(template, arabic)] == ["placeholders"]


def test_one_and_two_read_as_arabic_writes_them() -> None:
    from jusoor.core.i18n import ngettext

    one, many = (
        "Possibly the same person in %(num)s other case.",
        ("Possibly the same person in %(num)s other cases."),
    )
    with use_locale("ar"):
        assert ngettext(one, many, 1) == "قد يكون الشخص نفسه مسجَّلًا في حالة أخرى."
        assert ngettext(one, many, 2) == "قد يكون الشخص نفسه مسجَّلًا في حالتين أخريين."
        assert "15 حالةً" in ngettext(one, many, 15)
        assert "100 حالة" in ngettext(one, many, 100)
