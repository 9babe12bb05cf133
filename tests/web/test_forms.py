"""Page helpers: where a form may send the browser next, and how input errors are worded."""

from __future__ import annotations

import uuid
from typing import Annotated

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import ValidationError

from jusoor.agencies.schemas import AgencyCreate
from jusoor.core.errors import NotFound
from jusoor.core.i18n import N_, use_locale
from jusoor.web.forms import field_errors, path_id, safe_next


@pytest.mark.parametrize(
    "value, expected",
    [
        ("/admin/users?q=a&page=2", "/admin/users?q=a&page=2"),
        ("/", "/"),
        (None, "/"),
        ("", "/"),
        ("admin", "/"),  # relative: not a path of this site
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),
        ("/\t/evil.example", "/"),  # browsers drop tabs and newlines, leaving //evil.example
        ("/\n/evil.example", "/"),
        ("https://evil.example/x", "/"),
        ("javascript:alert(1)", "/"),
        ("HTTP://evil.example", "/"),
    ],
)
def test_only_local_paths_are_followed(value: str | None, expected: str) -> None:
    assert safe_next(value) == expected


def test_field_errors_name_the_field_by_its_label_in_the_users_language() -> None:
    with pytest.raises(ValidationError) as caught:
        AgencyCreate(code="Bad Code", country="EG", kind="police", name_ar="ع", name_en="Police",
                     name_fr="Police")  # fmt: skip
    with use_locale("en"):
        errors = field_errors(caught.value, {"code": "Code", "name_ar": "Name in Arabic"})
    assert errors == {
        "code": "The field Code has characters that are not allowed.",
        "name_ar": "The field Name in Arabic must have at least 2 characters.",
    }
    with use_locale("ar"):
        arabic = field_errors(caught.value, {"code": "الرمز", "name_ar": "الاسم بالعربية"})
    assert "الاسم بالعربية" in arabic["name_ar"] and "The field" not in arabic["name_ar"]


ThingId = Annotated[uuid.UUID, path_id("thing_id", N_("No such case."))]


def test_a_path_id_is_a_uuid_and_a_malformed_one_is_a_record_that_does_not_exist() -> None:
    app = FastAPI()

    @app.get("/things/{thing_id}")
    def show(thing_id: ThingId) -> str:
        return f"{type(thing_id).__name__}:{thing_id}"

    client = TestClient(app)
    wanted = uuid.uuid4()
    assert client.get(f"/things/{wanted}").json() == f"UUID:{wanted}"
    with pytest.raises(NotFound) as refused:
        client.get("/things/not-an-id")
    assert refused.value.message == "No such case."
