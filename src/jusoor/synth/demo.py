"""Load the synthetic demo directory (agencies and one user per role and country) into a node.

Every demo user gets the same password: `JUSOOR_DEMO_PASSWORD` when set, otherwise a random one
generated once and kept in the data directory (mode 0600) so that it can be printed at each start.
Users whose role requires a second factor get a TOTP secret, printed with the logins, so that the
demo can be tried with any authenticator app.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jusoor.agencies import service as agencies
from jusoor.agencies.models import AgencyKind, User
from jusoor.agencies.schemas import AgencyCreate, UserCreate
from jusoor.audit import service as audit
from jusoor.core.config import Settings
from jusoor.core.permissions import Actor
from jusoor.core.security import passwords, totp
from jusoor.synth import cases as demo_cases
from jusoor.synth import exchange as demo_exchange
from jusoor.synth import investigations as demo_investigations
from jusoor.synth import monitor_news as demo_monitor
from jusoor.synth import networks as demo_networks
from jusoor.synth import plans as demo_plans
from jusoor.synth import published as demo_published
from jusoor.synth import reidentified, services
from jusoor.synth import screenings as demo_screenings
from jusoor.synth.directory import COUNTRIES, demo_directory

DEMO_PASSWORD_FILE = "demo-password"  # noqa: S105 - a name, not a secret


@dataclass(frozen=True)
class DemoLogin:
    username: str
    display_name: str
    roles: tuple[str, ...]
    agency: str
    totp_secret: str | None
    totp_last_step: int | None = None  # the last step a code was used for (codes are single-use)


def demo_password(settings: Settings) -> str:
    """The demo users' password: the environment's, else one generated once into the data dir."""
    if settings.demo_password is not None:
        return settings.demo_password.get_secret_value()
    path = Path(settings.data_dir) / DEMO_PASSWORD_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(agencies.generate_password())
    return path.read_text("utf-8").strip()


def has_users(session: Session) -> bool:
    return bool(session.scalar(select(func.count()).select_from(User)))


def load(
    session: Session,
    *,
    actor: Actor,
    password: str,
    seed: int = 2026,
    cases: int = 0,
    arrived: Sequence[bytes] | None = None,
) -> int:
    """Create the demo agencies and users; returns how many users were created.

    Runs in the caller's transaction. Agencies or users that already exist are left as they are.
    `cases` synthetic cases are added when the node has none yet (`jusoor.synth.cases`).
    `arrived`: the envelopes the running demo peers sealed for this node (`jusoor.synth.exchange`).
    """
    agency_seeds, user_seeds = demo_directory(seed)
    for seed_agency in agency_seeds:
        if agencies.agency_by_code(session, seed_agency.code) is None:
            agencies.create_agency(
                session,
                actor=actor,
                agency_in=AgencyCreate(
                    code=seed_agency.code,
                    country=seed_agency.country,
                    kind=AgencyKind(seed_agency.kind),
                    name_ar=seed_agency.name_ar,
                    name_en=seed_agency.name_en,
                    name_fr=seed_agency.name_fr,
                ),
            )
    created = 0
    shared_hash = passwords.hash_password(password)
    for seed_user in user_seeds:
        if agencies.get_user_by_username(session, seed_user.username) is not None:
            continue
        user, _ = agencies.create_user(
            session,
            actor=actor,
            user_in=UserCreate(
                username=seed_user.username,
                display_name=seed_user.display_name,
                agency_code=seed_user.agency_code,
                roles=list(seed_user.roles),
                locale=seed_user.locale,
                password=password,
            ),
            check_policy=False,  # the operator chose JUSOOR_DEMO_PASSWORD; a demo must start
            password_hash=shared_hash,
        )
        user.is_demo = True
        from jusoor.auth.service import mfa_required

        if mfa_required(user):
            user.totp_secret = totp.new_secret()
        created += 1
    services.load_services(session, actor=actor, seed=seed)
    opened = demo_cases.load_if_empty(session, actor=actor, count=cases, seed=seed)
    if opened:  # one person met twice, for the possible matches and the match review
        reidentified.load(session)
    if cases > 0:  # the full demo (make run); tests that load the directory alone get no exchange
        demo_exchange.load_if_empty(session, actor=actor, seed=seed, arrived=arrived)
        demo_networks.load_if_empty(session, actor=actor, seed=seed)
        demo_screenings.load_if_empty(session, actor=actor, seed=seed)
        demo_investigations.load_if_empty(session, actor=actor, seed=seed)
        demo_plans.load_if_empty(session, actor=actor, countries=COUNTRIES, seed=seed)
        demo_published.load_if_empty(session, actor=actor)
        demo_monitor.load_if_empty(session, actor=actor, seed=seed)
    elif arrived:  # real peers, no caseload: their requests all the same
        demo_exchange.receive(session, arrived)
    audit.record(session, actor=actor, action="demo.load", details={"users": created})
    return created


def logins(session: Session) -> list[DemoLogin]:
    """The demo users, for the start-up banner."""
    users = session.scalars(select(User).where(User.is_demo.is_(True)).order_by(User.username))
    return [
        DemoLogin(
            username=u.username,
            display_name=u.display_name,
            roles=tuple(sorted(u.roles)),
            agency=u.agency.code,
            totp_secret=u.totp_secret,
            totp_last_step=u.totp_last_step,
        )
        for u in users
    ]
