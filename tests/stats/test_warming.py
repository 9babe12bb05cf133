"""The node counts every scope's default dashboard when it starts (`stats.warming`): one reader
per scope, widest first; afterwards a first view counts nothing, in any language, and shows its
own scope's figures, the same as counted cold."""

from __future__ import annotations

from jusoor.agencies.service import actor_for
from jusoor.core.db import Database, utcnow
from jusoor.core.i18n import LOCALES, use_locale
from jusoor.core.permissions import Actor
from jusoor.stats import dashboards, forms, kept, warming
from tests.stats.test_dashboard_pages import _user
from tests.stats.test_dashboard_pages import demo_db as demo_db  # 120 cases, SQLite
from tests.support.statements import counting


def _dashboard(db: Database, actor: Actor, locale: str) -> tuple[object, object]:
    period, protection = forms.period({}, utcnow().year), forms.protection({})
    with db.reading() as session, use_locale(locale):
        figures = dashboards.key_figures(session, actor, period, protection)
        panels = dashboards.panels(session, actor, period, protection)
        return figures, panels


def _forget(db: Database) -> None:
    with db.reading() as session:
        kept.forget(session)


def test_warming_counts_each_scope_once_and_a_first_view_then_counts_nothing(
    demo_db: Database,
) -> None:
    _forget(demo_db)
    with demo_db.reading() as session:
        actors = warming.readers(session)
    scopes = [dashboards.scope_key(a) for a in actors]
    assert len(set(scopes)) == len(scopes)  # one reader per scope
    assert scopes[0] == ("all", "")  # the national scope first, then countries, then agencies
    kinds = [k[0] for k in scopes]
    assert kinds == sorted(kinds, key=["all", "country", "agency"].index)
    assert ("country", "MA") in scopes and "agency" in kinds
    assert "auditor.ma" not in {a.username for a in actors}  # no stats.read, nothing counted

    done = warming.warm(demo_db)
    assert done.scopes == len(actors)

    worker = actor_for(_user(demo_db, "caseworker.ma"), via="session")
    shown = {}
    for locale in LOCALES:
        with counting(demo_db.engine) as statements:
            shown[locale] = _dashboard(demo_db, worker, locale)
        assert statements.selects() == [], statements.report()  # nothing counted on first view
    _forget(demo_db)
    assert _dashboard(demo_db, worker, "en") == shown["en"]  # the worker's own figures
    coordinator = actor_for(_user(demo_db, "coordinator.eg"), via="session")
    assert _dashboard(demo_db, coordinator, "en") != shown["en"]  # the test can tell scopes apart
    _forget(demo_db)


def test_exact_counts_are_shared_by_languages_and_published_per_language(
    demo_db: Database,
) -> None:
    _forget(demo_db)
    coordinator = actor_for(_user(demo_db, "coordinator.ma"), via="session")
    with counting(demo_db.engine) as arabic:
        _dashboard(demo_db, coordinator, "ar")
    with counting(demo_db.engine) as french:
        _dashboard(demo_db, coordinator, "fr")
    assert len(arabic.selects()) >= 10 and len(french.selects()) <= 2, french.report()
    _forget(demo_db)
