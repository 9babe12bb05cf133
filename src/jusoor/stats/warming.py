"""The dashboards counted when the node starts, before anyone asks (issue 18).

At a million cases the first view of a dashboard per scope counted for one to several seconds
(`stats.kept`): the first coordinator of each country, the first case worker of each agency,
every morning after a restart. `warm` counts the default dashboard (this year, default disclosure
control) once for every scope that some active user of the node can read, in the app's own
`Database` so that requests find the tables it kept: the national scope first, then each
country, then each agency. The exact counts are kept once for every language and the published
tables are made in each of them (cheap: disclosure control and notes only).

`serve` runs it in a thread beside a single-process app (`WarmingThread`); `/readyz` says
`"dashboards": "warming"` until it is done, `"ready"` afterwards. With several web worker
processes each keeps its own tables and counts them on first view.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.agencies.models import User
from jusoor.agencies.service import actor_for
from jusoor.core.db import Database, utcnow
from jusoor.core.i18n import LOCALES, use_locale
from jusoor.core.permissions import Action, Actor, Scope
from jusoor.stats import dashboards, forms

log = logging.getLogger("jusoor.stats")

_ORDER = {Scope.all: 0, Scope.country: 1, Scope.agency: 2}


@dataclass(frozen=True)
class Warmed:
    scopes: int
    seconds: float


def readers(session: Session) -> list[Actor]:
    """One active user per dashboard scope (`dashboards.scope_key`), widest scopes first."""
    users = session.scalars(select(User).where(User.active.is_(True)).order_by(User.username))
    chosen: dict[object, Actor] = {}
    for user in users:
        if not user.agency.active:
            continue
        actor = actor_for(user, via="cli")
        scope = actor.scope(Action.stats_read)
        if scope is None:
            continue
        chosen.setdefault(dashboards.scope_key(actor), actor)
    return sorted(
        chosen.values(), key=lambda a: _ORDER.get(a.scope(Action.stats_read) or Scope.own, 3)
    )


def warm(db: Database, *, stop: threading.Event | None = None) -> Warmed:
    """Count the default dashboard of every scope some active user reads; how many and how long."""
    started = time.monotonic()
    with db.reading() as session:
        actors = readers(session)
    done = 0
    for actor in actors:
        if stop is not None and stop.is_set():
            break
        period = forms.period({}, utcnow().year)
        protection = forms.protection({})
        try:
            with db.reading() as session:
                for locale in LOCALES:
                    with use_locale(locale):
                        dashboards.key_figures(session, actor, period, protection)
                        dashboards.panels(session, actor, period, protection)
                session.rollback()  # counted, not audited: nobody viewed anything
        except Exception:  # one scope that cannot be counted does not keep the others cold
            log.exception("the dashboards of one scope could not be counted ahead")
            continue
        done += 1
    return Warmed(done, time.monotonic() - started)


class WarmingThread(threading.Thread):
    """Runs `warm` once, in the background, over the serving app's `Database`."""

    def __init__(self, db: Database) -> None:
        super().__init__(name="jusoor-dashboard-warming", daemon=True)
        self.db = db
        self.stopping = threading.Event()
        self.finished = threading.Event()
        self.result: Warmed | None = None

    def run(self) -> None:
        try:
            self.result = warm(self.db, stop=self.stopping)
            log.info(
                "dashboards counted ahead for %s scopes in %.1f s",
                self.result.scopes,
                self.result.seconds,
            )
        except Exception:
            log.exception("the dashboards could not be counted ahead")
        finally:
            self.finished.set()
