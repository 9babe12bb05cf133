"""Agencies and users: the directory of who works on this node, and what they may do."""

from __future__ import annotations

import secrets
import string
import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from jusoor.agencies.models import Agency, User, UserRole
from jusoor.agencies.schemas import AgencyCreate, AgencyUpdate, ProfileUpdate, UserCreate
from jusoor.audit import service as audit
from jusoor.core.config import get_settings
from jusoor.core.db import utcnow
from jusoor.core.errors import Conflict, Invalid, NotFound
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor, in_scope, scope_clause
from jusoor.core.security import passwords

COUNTRY_TIMEZONES = {
    "EG": "Africa/Cairo",
    "MA": "Africa/Casablanca",
    "TN": "Africa/Tunis",
    "LY": "Africa/Tripoli",
    "MR": "Africa/Nouakchott",
    "DZ": "Africa/Algiers",
    "SD": "Africa/Khartoum",
    "KW": "Asia/Kuwait",
    "JO": "Asia/Amman",
    "LB": "Asia/Beirut",
    "IQ": "Asia/Baghdad",
    "SA": "Asia/Riyadh",
    "AE": "Asia/Dubai",
    "QA": "Asia/Qatar",
    "BH": "Asia/Bahrain",
    "OM": "Asia/Muscat",
}


def actor_for(
    user: User, *, via: str, client_addr: str | None = None, request_id: str | None = None
) -> Actor:
    return Actor(
        user_id=user.id,
        username=user.username,
        agency_id=user.agency_id,
        country=user.agency.country,
        roles=user.roles,
        via=via,
        client_addr=client_addr,
        request_id=request_id,
    )


# Agencies ------------------------------------------------------------------------------------


def list_agencies(session: Session, *, actor: Actor) -> Sequence[Agency]:
    actor.require("agencies.read")
    clause = scope_clause(actor, "agencies.read", agency_col=Agency.id, country_col=Agency.country)
    return session.scalars(select(Agency).where(clause).order_by(Agency.country, Agency.code)).all()


def get_agency(session: Session, *, actor: Actor, agency_id: uuid.UUID) -> Agency:
    actor.require("agencies.read")
    agency = session.get(Agency, agency_id)
    if agency is None or not in_scope(
        actor, "agencies.read", agency_id=agency.id, country=agency.country
    ):
        raise NotFound(_("No such agency."))
    return agency


def agencies_by_id(session: Session, ids: Collection[uuid.UUID | None]) -> Sequence[Agency]:
    """The agencies with these ids, to name them on a page (no scope: the ids come from records
    the reader was already allowed to see)."""
    return session.scalars(select(Agency).where(Agency.id.in_(ids))).all()


def display_names(session: Session, usernames: Collection[str | None]) -> dict[str, str]:
    """Username -> the person's name as shown to others, to name the people of records a page
    shows (no scope: the usernames come from records the reader was already allowed to see).
    A username without an account (a deleted one, another node's) is left out: show it as is."""
    wanted = {name for name in usernames if name}
    if not wanted:
        return {}
    rows = session.execute(
        select(User.username, User.display_name).where(User.username.in_(wanted))
    ).all()
    return {username: name for username, name in rows}


def agency_by_code(session: Session, code: str) -> Agency | None:
    return session.scalars(select(Agency).where(Agency.code == code.strip().lower())).first()


def create_agency(session: Session, *, actor: Actor, agency_in: AgencyCreate) -> Agency:
    actor.require("agencies.manage")
    if agency_by_code(session, agency_in.code) is not None:
        raise Conflict(_("An agency with this code already exists."), field="code")
    agency = Agency(**agency_in.model_dump())
    session.add(agency)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="agency.create",
        object_type="agency",
        object_id=agency.id,
        details={"code": agency.code, "country": agency.country, "kind": agency.kind.value},
    )
    return agency


def update_agency(
    session: Session, *, actor: Actor, agency_id: uuid.UUID, agency_in: AgencyUpdate
) -> Agency:
    actor.require("agencies.manage")
    agency = get_agency(session, actor=actor, agency_id=agency_id)
    changes = agency_in.model_dump(exclude_none=True)
    for key, value in changes.items():
        setattr(agency, key, value)
    audit.record(
        session,
        actor=actor,
        action="agency.update",
        object_type="agency",
        object_id=agency.id,
        details={"fields": sorted(changes)},
    )
    return agency


# Users ---------------------------------------------------------------------------------------


def get_user_by_username(session: Session, username: str) -> User | None:
    return session.scalars(select(User).where(User.username == username.strip().lower())).first()


def list_users(session: Session, *, actor: Actor, query: str | None = None) -> Sequence[User]:
    actor.require("users.read")
    clause = scope_clause(
        actor,
        "users.read",
        agency_col=User.agency_id,
        country_col=Agency.country,
        owner_col=User.id,
    )
    stmt = select(User).join(User.agency).where(clause)
    if query:
        like = f"%{query.strip().lower()}%"
        stmt = stmt.where(or_(User.username.like(like), func.lower(User.display_name).like(like)))
    return session.scalars(stmt.order_by(User.username)).unique().all()


@dataclass(frozen=True)
class UserFilter:
    """What the users page narrows the directory to; `offset` and `limit` page through it."""

    query: str | None = None
    agency_code: str | None = None
    country: str | None = None
    role: str | None = None
    offset: int = 0
    limit: int = 50


def search_users(session: Session, *, actor: Actor, flt: UserFilter) -> tuple[Sequence[User], int]:
    """One page of the users the actor may read, by username, and how many match in all."""
    actor.require("users.read")
    clause = scope_clause(
        actor,
        "users.read",
        agency_col=User.agency_id,
        country_col=Agency.country,
        owner_col=User.id,
    )
    ids = select(User.id).join(User.agency).where(clause)
    if flt.query and flt.query.strip():
        like = f"%{flt.query.strip().lower()}%"
        ids = ids.where(or_(User.username.like(like), func.lower(User.display_name).like(like)))
    if flt.agency_code:
        ids = ids.where(Agency.code == flt.agency_code.strip().lower())
    if flt.country:
        ids = ids.where(Agency.country == flt.country.strip().upper())
    if flt.role:
        ids = ids.where(User.role_rows.any(UserRole.role == flt.role))
    total = int(session.scalar(select(func.count()).select_from(ids.subquery())) or 0)
    page = (
        select(User)
        .where(User.id.in_(ids))
        .order_by(User.username)
        .offset(max(flt.offset, 0))
        .limit(max(1, min(flt.limit, 200)))
    )
    return session.scalars(page).unique().all(), total


def get_user(
    session: Session, *, actor: Actor, user_id: uuid.UUID, action: str = "users.read"
) -> User:
    actor.require(action)
    user = session.get(User, user_id)
    if user is None or not in_scope(
        actor, action, agency_id=user.agency_id, country=user.agency.country, owner_id=user.id
    ):
        raise NotFound(_("No such user."))
    return user


def generate_password() -> str:
    """A random password that satisfies the policy, for resets handed over out of band."""
    alphabet = string.ascii_letters + string.digits
    return "-".join("".join(secrets.choice(alphabet) for _ in range(5)) for _ in range(4))


def create_user(
    session: Session,
    *,
    actor: Actor,
    user_in: UserCreate,
    check_policy: bool = True,
    password_hash: str | None = None,
) -> tuple[User, str]:
    """Create a user; returns the user and the initial password (given, or generated).

    `check_policy=False` and `password_hash` are for the demo loader only: the operator chose the
    demo password, and its hash is computed once for all demo users.
    """
    actor.require("users.manage")
    if get_user_by_username(session, user_in.username) is not None:
        raise Conflict(_("This username is already taken."), field="username")
    agency = agency_by_code(session, user_in.agency_code)
    if agency is None or not in_scope(
        actor, "users.manage", agency_id=agency.id, country=agency.country
    ):
        raise Invalid("agency_code", _("No such agency."))
    password = user_in.password or generate_password()
    if check_policy:
        passwords.check_policy(
            password, min_length=get_settings().password_min_length, username=user_in.username
        )
    user = User(
        username=user_in.username,
        display_name=user_in.display_name.strip(),
        locale=user_in.locale,
        agency=agency,
        timezone=COUNTRY_TIMEZONES.get(agency.country, "UTC"),
        password_hash=password_hash or passwords.hash_password(password),
        password_changed_at=utcnow(),
        role_rows=[UserRole(role=r) for r in user_in.roles],
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="user.create",
        object_type="user",
        object_id=user.id,
        details={"username": user.username, "agency": agency.code, "roles": user_in.roles},
    )
    return user, password


def set_roles(session: Session, *, actor: Actor, user_id: uuid.UUID, roles: list[str]) -> User:
    actor.require("users.manage")
    user = get_user(session, actor=actor, user_id=user_id, action="users.manage")
    checked = UserCreate._roles(roles)  # same validation as on creation
    if not checked:
        raise Invalid("roles", _("Choose at least one role."))
    if user.id == actor.user_id and "admin" in user.roles and "admin" not in checked:
        raise Invalid("roles", _("You cannot remove your own administrator role."))
    before = sorted(user.roles)
    user.role_rows = [UserRole(role=r) for r in checked]
    audit.record(
        session,
        actor=actor,
        action="user.roles",
        object_type="user",
        object_id=user.id,
        details={"before": before, "after": checked},
    )
    return user


def reset_mfa(session: Session, *, actor: Actor, user_id: uuid.UUID) -> User:
    """Remove a lost second factor; the user enrols a new one at next login."""
    actor.require("users.manage")
    user = get_user(session, actor=actor, user_id=user_id, action="users.manage")
    user.totp_secret = None
    user.totp_pending_secret = None
    user.totp_last_step = None
    audit.record(
        session, actor=actor, action="user.reset_mfa", object_type="user", object_id=user.id
    )
    return user


# Own profile ---------------------------------------------------------------------------------


def update_profile(session: Session, *, actor: Actor, profile_in: ProfileUpdate) -> User:
    actor.require("profile.manage")
    user = _self(session, actor)
    changes = profile_in.model_dump(exclude_none=True)
    for key, value in changes.items():
        setattr(user, key, value.strip() if isinstance(value, str) else value)
    audit.record(
        session,
        actor=actor,
        action="profile.update",
        object_type="user",
        object_id=user.id,
        details={"fields": sorted(changes)},
    )
    return user


def change_password(session: Session, *, actor: Actor, current: str, new: str) -> User:
    actor.require("profile.manage")
    user = _self(session, actor)
    if not passwords.verify_password(user.password_hash, current):
        audit.record(
            session,
            actor=actor,
            action="profile.password",
            outcome="failure",
            object_type="user",
            object_id=user.id,
        )
        raise Invalid("current_password", _("The current password is wrong."))
    passwords.check_policy(
        new, min_length=get_settings().password_min_length, username=user.username
    )
    if passwords.verify_password(user.password_hash, new):
        raise Invalid("password", _("The new password must differ from the current one."))
    user.password_hash = passwords.hash_password(new)
    user.password_changed_at = utcnow()
    audit.record(
        session, actor=actor, action="profile.password", object_type="user", object_id=user.id
    )
    return user


def get_own_user(session: Session, *, actor: Actor) -> User:
    """The acting user's own account: every signed-in user may read it."""
    return _self(session, actor)


def _self(session: Session, actor: Actor) -> User:
    user = session.get(User, actor.user_id) if actor.user_id else None
    if user is None:
        raise NotFound(_("No such user."))
    return user
