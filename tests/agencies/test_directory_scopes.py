"""Which agencies and users each role reaches through the directory service (both engines).

The service enforces permission and scope itself, so the API, the pages and the CLI inherit it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session

from jusoor.agencies import service
from jusoor.agencies.models import Agency, AgencyKind
from jusoor.agencies.schemas import AgencyCreate, AgencyUpdate, UserCreate
from jusoor.auth import credentials
from jusoor.core.db import Database
from jusoor.core.errors import Forbidden, NotFound
from jusoor.core.permissions import Actor

COUNTRIES = {"EG", "MA", "TN", "LY", "MR", "KW", "JO"}


@pytest.fixture
def session(demo_db: Database) -> Iterator[Session]:
    with demo_db.unit_of_work() as s:
        yield s


def actor(session: Session, username: str) -> Actor:
    user = service.get_user_by_username(session, username)
    assert user is not None, username
    return service.actor_for(user, via="session")


def _foreign_agency(session: Session, country: str) -> Agency:
    admin = actor(session, "admin")
    return next(a for a in service.list_agencies(session, actor=admin) if a.country != country)


@pytest.mark.parametrize(
    ("username", "countries"),
    [
        ("admin", COUNTRIES),
        ("liaison.ma", COUNTRIES),  # the central authority keeps the region's contact directory
        ("coordinator.ma", {"MA"}),
        ("coordinator.eg", {"EG"}),
    ],
)
def test_who_lists_which_agencies(session: Session, username: str, countries: set[str]) -> None:
    listed = service.list_agencies(session, actor=actor(session, username))
    assert {a.country for a in listed} == countries


@pytest.mark.parametrize(
    "username",
    ["screener.ma", "caseworker.ma", "provider.ma", "investigator.ma", "analyst.ma", "auditor.ma"],
)
def test_roles_without_agencies_read_are_refused(session: Session, username: str) -> None:
    with pytest.raises(Forbidden):
        service.list_agencies(session, actor=actor(session, username))


def test_a_coordinator_cannot_open_another_countrys_agency(session: Session) -> None:
    foreign = _foreign_agency(session, "MA")
    with pytest.raises(NotFound):
        service.get_agency(session, actor=actor(session, "coordinator.ma"), agency_id=foreign.id)
    with pytest.raises(NotFound):
        service.get_agency(session, actor=actor(session, "admin"), agency_id=uuid.uuid4())


def test_only_administrators_change_agencies(session: Session) -> None:
    coordinator = actor(session, "coordinator.ma")
    own = service.list_agencies(session, actor=coordinator)[0]
    with pytest.raises(Forbidden):
        service.update_agency(
            session, actor=coordinator, agency_id=own.id, agency_in=AgencyUpdate(active=False)
        )
    with pytest.raises(Forbidden):
        service.create_agency(
            session,
            actor=coordinator,
            agency_in=AgencyCreate(
                code="ma-x",
                country="MA",
                kind=AgencyKind.ngo,
                name_ar="جمعية",
                name_en="Assoc",
                name_fr="Assoc",
            ),
        )
    assert own.active


@pytest.mark.parametrize("username", ["coordinator.eg", "auditor.eg", "liaison.eg", "screener.eg"])
def test_only_administrators_read_and_manage_users(session: Session, username: str) -> None:
    someone = actor(session, "analyst.eg")
    who = actor(session, username)
    with pytest.raises(Forbidden):
        service.list_users(session, actor=who)
    with pytest.raises(Forbidden):
        service.get_user(session, actor=who, user_id=someone.user_id)  # type: ignore[arg-type]
    with pytest.raises(Forbidden):
        credentials.reset_password(session, actor=who, user_id=someone.user_id)  # type: ignore[arg-type]
    with pytest.raises(Forbidden):
        credentials.set_active(session, actor=who, user_id=someone.user_id, active=False)  # type: ignore[arg-type]
    with pytest.raises(Forbidden):
        service.set_roles(session, actor=who, user_id=someone.user_id, roles=["admin"])  # type: ignore[arg-type]
    with pytest.raises(Forbidden):
        service.create_user(
            session,
            actor=who,
            user_in=UserCreate(
                username="sneaky", display_name="Sneaky", agency_code="eg-nccpim", roles=["admin"]
            ),
        )


def test_everyone_reads_their_own_account(session: Session) -> None:
    for username in ("screener.tn", "provider.tn", "admin"):
        who = actor(session, username)
        assert service.get_own_user(session, actor=who).username == username


def test_the_own_account_of_an_actor_without_a_user_is_not_found(session: Session) -> None:
    from jusoor.core.permissions import system_actor

    with pytest.raises(NotFound):
        service.get_own_user(session, actor=system_actor())
