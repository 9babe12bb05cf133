"""A database error names the statement but never its values (searched names, digests): those
would reach the server log with the traceback (ASVS 4.0.3 V7.1.1)."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from jusoor.core.db import Database


def test_a_failing_statement_does_not_show_its_parameters(database: Database) -> None:
    secret = "Fatima Zahra Benali"
    with pytest.raises(DBAPIError) as caught, database.unit_of_work() as session:
        session.execute(text("SELECT * FROM no_such_table WHERE x = :name"), {"name": secret})
    assert "no_such_table" in str(caught.value)
    assert secret not in str(caught.value)
