"""Shared steps of the investigation tests: actors for demo users and a file at a given stage."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from jusoor.agencies import service as agencies
from jusoor.core.db import Database
from jusoor.core.permissions import Actor
from jusoor.investigations import service as files
from jusoor.investigations.models import InvestigationFile
from jusoor.investigations.schemas import FileCreate
from jusoor.investigations.vocabulary import Origin

SECRET_TITLE = "Operation Palm Grove — Test file"


def actor(session: Session, username: str) -> Actor:
    user = agencies.get_user_by_username(session, username)
    assert user is not None, username
    return agencies.actor_for(user, via="session")


def open_file(
    session: Session, username: str = "investigator.ma", *, title: str = SECRET_TITLE
) -> InvestigationFile:
    file_in = FileCreate(
        title=title,
        summary="Workers recruited with false promises.",
        origin=Origin.screening,
        reported_on=dt.date.today() - dt.timedelta(days=30),
    )
    return files.open_file(session, actor=actor(session, username), file_in=file_in)


def in_english(db: Database, *usernames: str) -> None:
    """Let these demo users read their pages in English, so that a page test's expected words
    do not depend on whether the catalogues already carry a new message."""
    with db.unit_of_work() as session:
        for username in usernames:
            user = agencies.get_user_by_username(session, username)
            assert user is not None, username
            user.locale = "en"
