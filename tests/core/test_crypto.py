"""Protected fields: tokens, keyrings, the EncryptedText column and rotation, on real engines."""

from __future__ import annotations

import base64
import re
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import MetaData, select, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from jusoor.core import crypto
from jusoor.core.config import Settings
from jusoor.core.crypto import (
    CryptoError,
    DecryptionError,
    EncryptedText,
    Keyring,
    KeyringError,
    generate_key_line,
    keyring_from_settings,
    load_or_create_keyfile,
    rotate,
    set_keyring,
)
from jusoor.core.db import Database

NAME = "فاطمة الزهراء — Fatima"


class _Base(DeclarativeBase):
    metadata = MetaData()  # kept apart from jusoor's Base so no other test sees this table


class Witness(_Base):
    __tablename__ = "crypto_test_witnesses"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str | None] = mapped_column(EncryptedText("witnesses.name"))
    phone: Mapped[str | None] = mapped_column(EncryptedText("witnesses.phone"))


@pytest.fixture(autouse=True)
def keyring() -> Iterator[Keyring]:
    ring = Keyring.parse(generate_key_line())
    set_keyring(ring)
    yield ring
    set_keyring(None)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'jusoor.db'}"
    else:
        try:
            url = request.getfixturevalue("pg_url")
        except pytest.FixtureLookupError:
            pytest.skip("the pg_url fixture (throwaway PostgreSQL) is not available")
    database = Database(url)
    _Base.metadata.create_all(database.engine)
    yield database
    _Base.metadata.drop_all(database.engine)
    database.dispose()


def _raw(db: Database, column: str) -> list[str | None]:
    with db.engine.connect() as conn:
        query = f"SELECT {column} FROM crypto_test_witnesses ORDER BY id"
        return list(conn.execute(text(query)).scalars())


def test_round_trip_gives_back_the_text_and_never_the_same_token(keyring: Keyring) -> None:
    token = crypto.encrypt(NAME, context="witnesses.name")
    assert token.startswith(f"jx1:{keyring.primary_kid}:")
    assert "Fatima" not in token
    assert crypto.encrypt(NAME, context="witnesses.name") != token
    assert crypto.decrypt(token, context="witnesses.name") == NAME
    assert crypto.decrypt(crypto.encrypt("", context="c"), context="c") == ""


def test_value_copied_into_another_column_does_not_decrypt() -> None:
    token = crypto.encrypt(NAME, context="witnesses.name")
    with pytest.raises(DecryptionError) as err:
        crypto.decrypt(token, context="witnesses.phone")
    assert "Fatima" not in str(err.value)


@pytest.mark.parametrize("position", [-1, -10, 20])
def test_tampered_token_is_refused(position: int) -> None:
    token = crypto.encrypt(NAME, context="c")
    flipped = "A" if token[position] != "A" else "B"
    with pytest.raises(DecryptionError):
        crypto.decrypt(token[:position] + flipped + token[position + 1 :], context="c")


@pytest.mark.parametrize("token", ["plain text", "jx1:k1", "jx2:k1:abcd", "jx1:k1:@@@@", ""])
def test_something_that_is_not_a_token_is_refused(token: str) -> None:
    with pytest.raises(DecryptionError):
        crypto.decrypt(token, context="c")


def test_unknown_key_id_is_refused_by_name(keyring: Keyring) -> None:
    token = crypto.encrypt(NAME, context="c")
    other = Keyring.parse(generate_key_line())
    with pytest.raises(DecryptionError, match=keyring.primary_kid):
        other.decrypt(token, context="c")


def test_same_kid_with_another_key_is_refused(keyring: Keyring) -> None:
    token = crypto.encrypt(NAME, context="c")
    impostor = Keyring.parse(f"{keyring.primary_kid}:{base64.b64encode(b'x' * 32).decode()}")
    with pytest.raises(DecryptionError):
        impostor.decrypt(token, context="c")


def test_new_primary_encrypts_and_old_keys_still_decrypt(keyring: Keyring) -> None:
    old_token = keyring.encrypt(NAME, context="c")
    newer = keyring.with_new_primary(generate_key_line())
    assert newer.kids[1:] == (keyring.primary_kid,)
    assert newer.decrypt(old_token, context="c") == NAME
    assert crypto.token_kid(newer.encrypt(NAME, context="c")) == newer.primary_kid


def test_generated_key_line_is_a_dated_kid_and_a_256_bit_key() -> None:
    line = generate_key_line()
    kid, encoded = line.split(":")
    assert re.fullmatch(r"k\d{8}[0-9a-f]{6}", kid)
    assert len(base64.b64decode(encoded)) == 32
    assert Keyring.parse(line).primary_kid == kid


KEY = base64.b64encode(b"s" * 32).decode()
SHORT = base64.b64encode(b"s" * 16).decode()


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("", "no key"),
        (f"{KEY}", "kid:base64key"),
        (f"k1:{SHORT}", "32 bytes"),
        ("k1:not*base64!", "base64"),
        (f"k1:{KEY},k1:{KEY}", "twice"),
        (f"bad kid:{KEY}", "not valid"),
        (f"{KEY}:k1", "not valid"),
    ],
)
def test_malformed_keyring_names_the_problem_without_the_key(value: str, problem: str) -> None:
    with pytest.raises(KeyringError, match=problem) as err:
        Keyring.parse(value)
    assert isinstance(err.value, ValueError)
    assert KEY not in str(err.value) and SHORT not in str(err.value)


def test_keyring_repr_shows_kids_not_keys() -> None:
    ring = Keyring.parse(f"k1:{KEY}")
    assert "k1" in repr(ring) and KEY not in repr(ring) and "sss" not in repr(ring)


def test_key_file_is_created_private_once_and_then_reused(tmp_path: Path) -> None:
    path = tmp_path / "new-dir" / "data.key"
    first = load_or_create_keyfile(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_keyfile(path).kids == first.kids
    assert [p.name for p in path.parent.iterdir()] == ["data.key"]


def test_key_file_others_can_read_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "data.key"
    load_or_create_keyfile(path)
    path.chmod(0o644)
    with pytest.raises(KeyringError, match="chmod 600"):
        load_or_create_keyfile(path)


def test_environment_keys_win_over_the_key_file(tmp_path: Path) -> None:
    line = generate_key_line()
    ring = keyring_from_settings(Settings(data_key=SecretStr(line), data_dir=tmp_path))
    assert ring.primary_kid == line.split(":")[0]
    assert not (tmp_path / "data.key").exists()
    from_file = keyring_from_settings(Settings(data_key=None, data_dir=tmp_path))
    assert (tmp_path / "data.key").exists() and from_file.primary_kid != ring.primary_kid


def test_encrypted_column_stores_ciphertext_and_loads_plaintext(db: Database) -> None:
    with db.unit_of_work() as session:
        session.add(Witness(id=1, name=NAME, phone=None))
    stored = _raw(db, "name")[0]
    assert stored is not None and stored.startswith("jx1:") and "Fatima" not in stored
    assert _raw(db, "phone") == [None]
    with db.unit_of_work() as session:
        assert session.scalars(select(Witness.name)).one() == NAME


def test_rotation_moves_every_value_to_the_new_primary(
    db: Database, keyring: Keyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(crypto, "_ROTATE_BATCH", 2)  # several batches, not one
    names = {i: f"{NAME} {i}" for i in range(5)}
    with db.unit_of_work() as session:
        session.add_all(
            Witness(id=i, name=n, phone="+201001234567" if i == 0 else None)
            for i, n in names.items()
        )
    old_tokens = set(_raw(db, "name")) | set(_raw(db, "phone"))
    line = generate_key_line()
    newer = keyring.with_new_primary(line)
    set_keyring(newer)
    with db.unit_of_work() as session:
        session.add(Witness(id=99, name="already under the new key"))
    already_new = _raw(db, "name")[-1]

    with db.unit_of_work() as session:
        counts = rotate(session, newer, metadata=_Base.metadata)

    assert counts == {"crypto_test_witnesses.name": 5, "crypto_test_witnesses.phone": 1}
    stored = [v for v in _raw(db, "name") + _raw(db, "phone") if v is not None]
    assert all(v.startswith(f"jx1:{newer.primary_kid}:") for v in stored)
    assert not old_tokens & set(stored)
    assert _raw(db, "name")[-1] == already_new
    set_keyring(Keyring.parse(line))  # the old key is retired: everything must still read
    with db.unit_of_work() as session:
        loaded = {w.id: (w.name, w.phone) for w in session.scalars(select(Witness))}
        assert loaded[0] == (names[0], "+201001234567")
        assert {i: loaded[i][0] for i in names} == names
        assert rotate(session, newer, metadata=_Base.metadata) == dict.fromkeys(counts, 0)


def test_rotation_stops_at_a_value_it_cannot_decrypt(db: Database, keyring: Keyring) -> None:
    with db.unit_of_work() as session:
        session.add_all([Witness(id=1, name=NAME), Witness(id=2, name=NAME)])
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE crypto_test_witnesses SET name = 'not a token' WHERE id = 2"))
    before = _raw(db, "name")
    newer = keyring.with_new_primary(generate_key_line())
    with pytest.raises(CryptoError), db.unit_of_work() as session:
        rotate(session, newer, metadata=_Base.metadata)
    assert _raw(db, "name") == before  # the caller's unit of work rolled everything back
