"""Administration pages: users and agencies, for administrators only, thin over the services."""

from __future__ import annotations

import html
import re
import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from jusoor.agencies.models import Agency, User
from jusoor.core.db import Database
from tests.conftest import DEMO_PASSWORD
from tests.support.web import login, post_form, translated

PASSWORD_SHOWN = re.compile(r'<code class="secret" dir="ltr">([^<]+)</code>')


def id_of(db: Database, model: type[User] | type[Agency], **where: str) -> str:
    with db.unit_of_work() as session:
        stmt = select(model.id)
        for column, value in where.items():
            stmt = stmt.where(getattr(model, column) == value)
        return str(session.scalars(stmt).one())


def admin_pages(db: Database) -> list[str]:
    user_id = id_of(db, User, username="screener.tn")
    agency_id = id_of(db, Agency, code="eg-police")
    return [
        "/admin/users",
        "/admin/users/new",
        f"/admin/users/{user_id}",
        "/admin/agencies",
        "/admin/agencies/new",
        f"/admin/agencies/{agency_id}",
        "/audit",
    ]


@pytest.fixture
def admin(client: TestClient, demo_db: Database) -> TestClient:
    login(client, demo_db, "admin", DEMO_PASSWORD)
    return client


def test_each_admin_page_renders_for_an_administrator(admin: TestClient, demo_db: Database) -> None:
    for path in admin_pages(demo_db):
        response = admin.get(path)
        assert response.status_code == 200, path
        assert "<h1>" in response.text, path


def test_each_admin_page_is_refused_to_a_screener(client: TestClient, demo_db: Database) -> None:
    login(client, demo_db, "screener.eg", DEMO_PASSWORD)
    for path in admin_pages(demo_db):
        response = client.get(path)
        assert response.status_code == 403, path
        forbidden = translated("You are not allowed to do this.", "ar")  # screener.eg reads Arabic
        assert forbidden in html.unescape(response.text), path
        assert "Traceback" not in response.text


def test_the_users_list_filters_by_text_agency_country_and_role(admin: TestClient) -> None:
    page = admin.get("/admin/users", params={"country": "MA", "role": "auditor"}).text
    assert "auditor.ma" in page and "auditor.eg" not in page and "screener.ma" not in page
    page = admin.get("/admin/users", params={"agency": "tn-labour"}).text
    assert "screener.tn" in page and "screener.eg" not in page
    page = admin.get("/admin/users", params={"q": "liaison."}).text
    assert "7 users found." in page


def test_the_users_list_pages_through_the_directory(admin: TestClient) -> None:
    first = admin.get("/admin/users").text
    assert "64 users found." in first and "Page 1 of 3" in first
    third = admin.get("/admin/users", params={"page": "3"}).text
    assert "Page 3 of 3" in third and "screener.eg" in third and "analyst.eg" not in third


def test_htmx_gets_only_the_results_of_a_search(admin: TestClient) -> None:
    headers = {"hx-request": "true", "hx-target": "user-results"}
    response = admin.get("/admin/users", params={"q": "prosecutor.jo"}, headers=headers)
    assert response.status_code == 200
    assert "<html" not in response.text and 'id="user-results"' in response.text
    assert "1 user found." in response.text


def test_a_user_created_with_the_form_can_sign_in_with_the_password_shown_once(
    admin: TestClient, demo_db: Database
) -> None:
    form = {
        "username": "inspector.eg",
        "display_name": "Mona Farouk",
        "agency_code": "eg-labour",
        "roles": "screener",
        "locale": "fr",
    }
    response = post_form(admin, "/admin/users/new", form)
    assert response.status_code == 201
    password = html.unescape(PASSWORD_SHOWN.search(response.text).group(1))
    user_page = admin.get(f"/admin/users/{id_of(demo_db, User, username='inspector.eg')}")
    assert password not in user_page.text  # shown once, never again
    admin.cookies.clear()
    signed_in = login(admin, demo_db, "inspector.eg", password)
    assert signed_in.status_code == 303 and signed_in.headers["location"] == "/"
    assert '<html lang="fr"' in admin.get("/").text


def test_a_validation_error_is_shown_next_to_the_field_it_concerns(admin: TestClient) -> None:
    form = {
        "username": "new.user",
        "display_name": "X",
        "agency_code": "eg-labour",
        "roles": "screener",
        "locale": "en",
    }
    response = post_form(admin, "/admin/users/new", form)
    assert response.status_code == 422
    error = re.search(r'<p class="field-error" id="display_name-error">([^<]+)</p>', response.text)
    assert error is not None
    assert "Display name" in error.group(1) and "at least 2 characters" in error.group(1)
    assert 'aria-invalid="true"' in response.text
    assert 'value="new.user"' in response.text  # what was typed is kept


def test_a_taken_username_is_named_next_to_the_username(admin: TestClient) -> None:
    form = {
        "username": "screener.eg",
        "display_name": "Someone Else",
        "agency_code": "eg-labour",
        "roles": "screener",
        "locale": "ar",
    }
    response = post_form(admin, "/admin/users/new", form)
    assert response.status_code == 422
    assert re.search(r'id="username-error">This username is already taken.<', response.text)


def test_an_administrator_changes_roles_disables_and_resets(
    admin: TestClient, demo_db: Database
) -> None:
    user_id = id_of(demo_db, User, username="analyst.jo")
    page = f"/admin/users/{user_id}"
    response = post_form(admin, f"{page}/roles", {"roles": ["analyst", "auditor"]}, page=page)
    assert response.status_code == 303
    assert "The roles are saved." in admin.get(response.headers["location"]).text
    none = post_form(admin, f"{page}/roles", {}, page=page)
    assert none.status_code == 422 and 'id="roles-error"' in none.text
    reset = post_form(admin, f"{page}/password", {}, page=page)
    new_password = html.unescape(PASSWORD_SHOWN.search(reset.text).group(1))
    disabled = post_form(admin, f"{page}/active", {"active": "0"}, page=page)
    assert disabled.status_code == 303
    with demo_db.unit_of_work() as session:
        user = session.get(User, uuid.UUID(user_id))
        assert user is not None and not user.active and user.roles == {"analyst", "auditor"}
    other = TestClient(admin.app, base_url="http://127.0.0.1:8000")
    refused = post_form(other, "/login", {"username": "analyst.jo", "password": new_password})
    assert refused.status_code == 401  # disabled accounts cannot sign in
    post_form(admin, f"{page}/active", {"active": "1"}, page=page)
    assert login(other, demo_db, "analyst.jo", new_password).status_code == 303


def test_an_administrator_cannot_disable_their_own_account(
    admin: TestClient, demo_db: Database
) -> None:
    page = f"/admin/users/{id_of(demo_db, User, username='admin')}"
    response = post_form(admin, f"{page}/active", {"active": "0"}, page=page)
    assert response.status_code == 422
    assert "You cannot disable your own account." in response.text


def test_resetting_the_second_factor_makes_the_user_enrol_again(
    admin: TestClient, demo_db: Database
) -> None:
    page = f"/admin/users/{id_of(demo_db, User, username='liaison.kw')}"
    response = post_form(admin, f"{page}/second-factor", {}, page=page)
    assert response.status_code == 303
    other = TestClient(admin.app, base_url="http://127.0.0.1:8000")
    signed = post_form(other, "/login", {"username": "liaison.kw", "password": DEMO_PASSWORD})
    assert signed.headers["location"].startswith("/login/enrol")


def test_agencies_are_listed_by_country_in_the_pages_language(admin: TestClient) -> None:
    page = admin.get("/admin/agencies", headers={"accept-language": "ar"}).text
    assert "<h2" in page and "Egypt" in page  # admin's profile says English
    post_form(admin, "/language", {"lang": "ar", "next": "/admin/agencies"}, page="/")
    arabic = admin.get("/admin/agencies").text
    assert "مصر" in arabic and "المغرب" in arabic  # country names from CLDR


def test_an_agency_is_created_renamed_and_deactivated(admin: TestClient, demo_db: Database) -> None:
    form = {
        "code": "eg-hotline",
        "country": "EG",
        "kind": "ngo",
        "name_ar": "الخط الساخن",
        "name_en": "Hotline",
        "name_fr": "Ligne d'écoute",
    }
    created = post_form(admin, "/admin/agencies/new", form)
    assert created.status_code == 303
    page = created.headers["location"].split("?")[0]
    assert "The agency is created." in admin.get(created.headers["location"]).text
    renamed = post_form(
        admin, page, {"name_ar": "الخط الساخن", "name_en": "Helpline", "name_fr": "Écoute"}
    )
    assert renamed.status_code == 303 and "Helpline" in admin.get(page).text
    short = post_form(admin, page, {"name_ar": "خ", "name_en": "Helpline", "name_fr": "Écoute"})
    assert short.status_code == 422 and 'id="name_ar-error"' in short.text
    assert post_form(admin, f"{page}/active", {"active": "0"}, page=page).status_code == 303
    with demo_db.unit_of_work() as session:
        agency = session.scalars(select(Agency).where(Agency.code == "eg-hotline")).one()
        assert not agency.active and agency.name_en == "Helpline"


def test_a_bad_agency_form_names_each_field(admin: TestClient) -> None:
    form = {
        "code": "Bad Code",
        "country": "ZZ",
        "kind": "",
        "name_ar": "",
        "name_en": "",
        "name_fr": "",
    }
    response = post_form(admin, "/admin/agencies/new", form)
    assert response.status_code == 422
    for field in ("code", "country", "kind", "name_ar", "name_en", "name_fr"):
        assert f'id="{field}-error"' in response.text, field
    assert "Choose one of the options for Kind of agency." in response.text
