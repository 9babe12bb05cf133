"""Who may reach a criminal file: the permission matrix's scope (agency for the police that opened
it, country for the public prosecution), and which side of the file's state machine a person is on.

Every query of files goes through `visible`, every loaded file through `may_read` / `may_update`,
so that a file outside a person's reach is "not found", never "forbidden" (it does not say that the
file exists).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement

from jusoor.core.permissions import Action, Actor, in_scope, scope_clause
from jusoor.investigations.models import InvestigationFile

READ = Action.investigations_read
UPDATE = Action.investigations_update
PROSECUTE = Action.investigations_prosecute


def visible(actor: Actor, action: str = READ) -> ColumnElement[bool]:
    """A WHERE clause: the files `actor` may reach for `action`."""
    return scope_clause(
        actor,
        action,
        agency_col=InvestigationFile.agency_id,
        country_col=InvestigationFile.country,
    )


def may(actor: Actor, action: str, file: InvestigationFile) -> bool:
    return in_scope(actor, action, agency_id=file.agency_id, country=file.country)


def may_read(actor: Actor, file: InvestigationFile) -> bool:
    return may(actor, READ, file)


def may_update(actor: Actor, file: InvestigationFile) -> bool:
    return may(actor, UPDATE, file)


def may_prosecute(actor: Actor, file: InvestigationFile) -> bool:
    return may(actor, PROSECUTE, file)


def side(actor: Actor) -> str:
    """The actor's side in `stages.yaml`: the public prosecution, or the judicial police."""
    return "prosecutor" if actor.can(PROSECUTE) else "investigator"
