"""What a verification found, as one sentence for the console, the audit page and the admin home."""

from __future__ import annotations

from jusoor.audit.verification import Status, Verification
from jusoor.core.i18n import gettext as _


def describe(result: Verification) -> str:
    """One whole, translated sentence naming the attack found (or the counts, when intact)."""
    reason = (result.reason or "").rstrip(".")  # each sentence below ends its own way
    seq = result.first_bad_seq
    match result.status:
        case Status.intact:
            return _(
                "The audit trail is intact: %(events)s events and %(checkpoints)s anchored "
                "checkpoints checked in %(seconds)s s.",
                events=result.events,
                checkpoints=result.checkpoints,
                seconds=f"{result.seconds:.2f}",
            )
        case Status.rewritten:
            return _(
                "The audit trail was rewritten at event %(seq)s: %(reason)s.",
                seq=seq,
                reason=reason,
            )
        case Status.truncated:
            return _(
                "The audit trail was truncated after event %(last)s: %(reason)s.",
                last=(seq or 1) - 1,
                reason=reason,
            )
        case Status.key_missing:
            return _(
                "The audit trail cannot be checked: %(reason)s. Put the missing key back in "
                "JUSOOR_AUDIT_KEY or the audit key file.",
                reason=reason,
            )
        case Status.anchor_invalid:
            return _("The audit anchor file cannot be trusted: %(reason)s.", reason=reason)
        case Status.unanchored:
            return _(
                "The audit trail is not anchored: %(reason)s. If this node never had an anchor "
                "file, start one with jusoor audit checkpoint; if it had one, restore it.",
                reason=reason,
            )
