"""Cross-border requests: the messages that open a thread (MLA, information, transnational
referral), both ways, by peer and state.

Every message of a node is its country's: the country is the first two letters of the node's
own id (its current key). The agency of a message is its author's: staff of an agency count the
requests their agency wrote; incoming requests have no author and are counted by the country
only (coordinator, analyst).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from jusoor.agencies.models import User
from jusoor.core.i18n import N_
from jusoor.exchange.models import Message, NodeKey
from jusoor.exchange.vocabulary import OPENING_TYPES
from jusoor.stats.engine import Subject, register_subject, single


def _node_country() -> Any:
    return (
        select(func.substr(NodeKey.node_id, 1, 2))
        .where(NodeKey.retired_at.is_(None))
        .order_by(NodeKey.created_at.desc())
        .limit(1)
        .scalar_subquery()
    )


def _author_agency() -> Any:
    return select(User.agency_id).where(User.id == Message.author_id).scalar_subquery()


EXCHANGE = Subject(
    name="exchange",
    unit=N_("requests"),
    label=N_("Cross-border requests"),
    base=lambda: select().select_from(Message).where(Message.type.in_(sorted(OPENING_TYPES))),
    dated_by=lambda: Message.created_at,
    agency=_author_agency,
    country=_node_country,
    dimensions={
        d.name: d
        for d in (
            single("kind", N_("Kind of request"), lambda: Message.type),
            single("direction", N_("Direction"), lambda: Message.direction),
            single("peer", N_("Other country"), lambda: func.substr(Message.peer, 1, 2)),
            single("state", N_("State"), lambda: Message.status),
        )
    },
)

register_subject(EXCHANGE)
