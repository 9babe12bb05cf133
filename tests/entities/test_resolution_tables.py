"""The YAML tables of the resolution package load, hold what the code expects, and a malformed
table is refused with the file and entry named."""

from __future__ import annotations

import pytest

from jusoor.entities.resolution.normalise import dates, tables
from jusoor.entities.resolution.normalise.arabic import normalize_arabic
from jusoor.entities.resolution.normalise.countries import _index
from jusoor.entities.resolution.normalise.latin import normalize_latin
from jusoor.entities.resolution.normalise.particles import join_compounds
from jusoor.entities.resolution.normalise.scripts import Script, script_of
from jusoor.entities.resolution.normalise.tables import TableError


def test_every_table_loads() -> None:
    assert tables.letters().arabic["ة"] == "ه"
    assert "ould" in tables.particles().connectors
    assert tables.phonetics().kinds["@"] == "weak"
    assert tables.given_names()["mamadou"] == "muhammad"
    assert len(dates._months()) > 12
    assert _index()["maroc"] == "MA"


def test_every_phonetic_symbol_has_costs_in_both_profiles() -> None:
    table = tables.phonetics()
    for profile in tables.PROFILES:
        assert set(table.costs[profile]) == set(tables.SYMBOL_KINDS)
    assert set(table.kinds.values()) <= set(tables.SYMBOL_KINDS)


def test_listed_given_names_are_written_as_the_normaliser_writes_them() -> None:
    for form in tables.given_names():
        if script_of(form) is Script.ARABIC:
            assert normalize_arabic(form) == form
        else:
            assert normalize_latin(form) == form


def test_listed_particles_are_normalised_single_words() -> None:
    table = tables.particles()
    words = table.connectors | table.articles | table.compound_heads | set(table.glued_prefixes)
    for word in words | set(table.compound_tails):
        assert normalize_latin(normalize_arabic(word)) == word
    assert join_compounds(["نور", "الدين"]) == ["نورالدين"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("phonetics.yaml", {"symbols": []}, "phonetics.yaml symbols"),
        ("particles.yaml", {"connectors": {"latin": ["bin", "bin"]}}, "duplicate"),
        ("given_names.yaml", {"a": {"latin": ["x"], "arabic": []}, "b": {"latin": ["x"]}}, "b"),
        ("letters.yaml", {"arabic": {}, "arabic_marks": [["zz", "1"]]}, "hex"),
    ],
)
def test_malformed_tables_are_refused(
    monkeypatch: pytest.MonkeyPatch, name: str, content: object, message: str
) -> None:
    loaders = {
        "phonetics.yaml": tables.phonetics,
        "particles.yaml": tables.particles,
        "given_names.yaml": tables.given_names,
        "letters.yaml": tables.letters,
    }
    loader = loaders[name]
    monkeypatch.setattr(tables, "read_table", lambda _name: content)
    loader.cache_clear()
    try:
        with pytest.raises(TableError, match=message):
            loader()
    finally:
        loader.cache_clear()
