"""Schema migrations (Alembic), run from code: `jusoor init`, `make run` and the tests use them.

Each domain keeps its own branch of revisions (`branch_labels`, e.g. "monitor", "cases"), rooted
on the platform's first revision; a domain that needs another's tables names it in `depends_on`.
"Current" means every branch head is applied.
"""

from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("jusoor").joinpath("migrations")))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest schema; a database already there is left unchanged."""
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "heads")


def current_revisions(engine: Engine) -> frozenset[str]:
    with engine.connect() as connection:
        return frozenset(MigrationContext.configure(connection).get_current_heads())


def head_revisions() -> frozenset[str]:
    return frozenset(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads())


def is_current(engine: Engine) -> bool:
    """Every branch head is applied (directly, or as an ancestor of an applied revision — a
    revision reached through `depends_on` is not a row of its own in the version table)."""
    current = current_revisions(engine)
    if not current:
        return False
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    applied = {rev.revision for rev in script.iterate_revisions(tuple(current), "base") if rev}
    return head_revisions() <= applied
