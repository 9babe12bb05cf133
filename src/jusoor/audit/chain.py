"""How one audit event is sealed onto the chain: its canonical form and its keyed hash.

`hash` = HMAC-SHA256(audit key `key_id`, key_id ‖ prev_hash ‖ canonical JSON of the event)
(ASVS 7.3.3). The JSON covers the event's fields, its `seq` and, from migration 0016 on, its
`link` (its position on the chain; `AuditHead.linked_from` is the first link whose hash covers it).
Rows written before keyed hashes (key_id NULL) used plain SHA-256(prev_hash ‖ JSON); they are
accepted only inside the legacy prefix sealed by an anchored checkpoint (see verification).

A pending event (recorded, not yet chained by the appender) carries a `seal` instead: an HMAC of
its fields without `seq` and `link`, which the request can compute without knowing either. The
appender checks the seal before chaining, so only events Jusoor recorded are ever chained.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from jusoor.audit.keys import AuditKeyring
from jusoor.audit.models import AuditEvent

GENESIS = "0" * 64


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _fields(event: AuditEvent) -> dict[str, Any]:
    return {
        "id": str(event.id),
        "at": event.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor_id": str(event.actor_id) if event.actor_id else None,
        "actor_username": event.actor_username,
        "agency_id": str(event.agency_id) if event.agency_id else None,
        "country": event.country,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "outcome": event.outcome,
        "client_addr": event.client_addr,
        "request_id": event.request_id,
        "details": event.details,
    }


def _payload(event: AuditEvent, *, linked: bool = True) -> str:
    """What the chain hash covers; `linked` False: the form from before links (migration 0016)."""
    fields = {**_fields(event), "seq": event.seq}
    if linked and event.link is not None:
        fields["link"] = event.link
    return canonical_json(fields)


def legacy_hash(prev_hash: str, event: AuditEvent) -> str:
    """The unkeyed SHA-256 link of events written before audit keys existed."""
    return hashlib.sha256(f"{prev_hash}\n{_payload(event, linked=False)}".encode()).hexdigest()


def keyed_hash(
    keys: AuditKeyring, kid: str, prev_hash: str, event: AuditEvent, *, linked: bool = True
) -> str:
    """The HMAC link under key `kid` (bound into the message, so a row cannot switch keys)."""
    return keys.mac(kid, f"{kid}\n{prev_hash}\n{_payload(event, linked=linked)}")


def event_hash(
    keys: AuditKeyring, prev_hash: str, event: AuditEvent, *, linked: bool = True
) -> str:
    """What `event.hash` must be, by the scheme its `key_id` names."""
    if event.key_id is None:
        return legacy_hash(prev_hash, event)
    return keyed_hash(keys, event.key_id, prev_hash, event, linked=linked)


def seal(keys: AuditKeyring, kid: str, event: AuditEvent) -> str:
    """The HMAC a pending event carries in `hash` until the appender chains it."""
    return keys.mac(kid, f"jusoor-audit-pending\n{kid}\n{canonical_json(_fields(event))}")
