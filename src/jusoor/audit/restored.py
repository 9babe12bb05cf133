"""The audit chain of a restored copy, checked before `jusoor restore` lets it replace the database.

Every chained event's keyed hash is recomputed in chain order up to `audit_head` (`walk_events`, as
`jusoor audit verify` does), the chain must end where `audit_head` says, and where the node's
anchor file holds signed checkpoints of events the backup contains, those events must match them.
Checkpoints after the backup's last event are expected (the backup is older than they are):
`jusoor restore` retires the anchor file once the switch is made and anchors the restored head.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from jusoor.audit import anchors
from jusoor.audit.chain import GENESIS
from jusoor.audit.keys import audit_keyring
from jusoor.audit.models import AuditHead
from jusoor.audit.verification import HEAD_ID, walk_events
from jusoor.core.backup_archive import VerificationError
from jusoor.core.config import get_settings
from jusoor.core.i18n import gettext as _


def verify_restored_chain(session: Session) -> int:
    """Raise VerificationError unless the copy's audit chain is intact; the events checked."""
    keys = audit_keyring()
    head = session.get(AuditHead, HEAD_ID)
    head_seq, head_hash = (head.last_seq, head.last_hash) if head else (0, GENESIS)
    try:
        checkpoints = anchors.read_all(get_settings().effective_audit_anchor, keys) or []
    except anchors.AnchorError:
        checkpoints = []  # the anchor file is not in the backup; the keyed chain still is
    mine = [cp for cp in checkpoints if cp.seq <= head_seq]
    walk = walk_events(
        session,
        keys,
        after=(0, GENESIS),
        until=head_seq,
        anchored={cp.seq: cp.hash for cp in mine},
        legacy_limit=max((cp.legacy_through for cp in mine), default=0) if mine else None,
        linked_from=head.linked_from if head else 1,
    )
    if walk.problem is not None:
        raise VerificationError(
            _(
                "The restored audit trail is not intact at event %(seq)s: %(reason)s",
                seq=walk.problem[1],
                reason=walk.problem[2],
            )
        )
    if walk.seq != head_seq or walk.hash != head_hash:
        raise VerificationError(
            _("The restored audit trail does not end where its recorded end says.")
        )
    return walk.count
