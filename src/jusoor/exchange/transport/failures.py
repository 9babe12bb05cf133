"""Why a message is not delivered yet, as a kind people can be told about.

The delivery worker keeps the technical text of its last failure (`OutboxEntry.last_error`, for
administrators and logs); this module writes the fixed parts of that text and reads a kind back
from it, so that pages say "the node of Egypt did not answer" rather than `ConnectError: [Errno
111] Connection refused`.
"""

from __future__ import annotations

import enum
import re

NOT_A_PEER = "the peer is not known or was removed"
EXPIRED = "expired before delivery"
RECEIPT = "receipt: "  # the peer answered; its receipt did not check
_HTTP = re.compile(r"^HTTP (\d{3}):")
_TRANSPORT = re.compile(r"^([A-Za-z]+): ")  # "<httpx exception class>: …"


class Failure(enum.StrEnum):
    """What went wrong at the last attempt, in the words pages use (`exchange.labels`)."""

    none = "none"  # no attempt failed (none made yet)
    unreachable = "unreachable"  # no connection: the node is down or its address is wrong
    timeout = "timeout"  # connected, but no answer in time
    busy = "busy"  # the node asked to come back later (HTTP 429, 503)
    peer_error = "peer_error"  # the node failed while receiving (HTTP 5xx)
    refused = "refused"  # the node refused the envelope (HTTP 4xx)
    bad_receipt = "bad_receipt"  # an answer whose signed receipt did not verify
    not_a_peer = "not_a_peer"  # the peer was removed from this node
    expired = "expired"  # the message expired before any receipt came


def failure_of(last_error: str) -> Failure:
    """The kind of the failure the delivery worker recorded as `last_error`."""
    text = (last_error or "").strip()
    if not text:
        return Failure.none
    if text.startswith(EXPIRED):
        return Failure.expired
    if text.startswith(NOT_A_PEER):
        return Failure.not_a_peer
    if text.startswith(RECEIPT):
        return Failure.bad_receipt
    status = _HTTP.match(text)
    if status is not None:
        code = int(status.group(1))
        if code in (429, 503):
            return Failure.busy
        return Failure.peer_error if code >= 500 else Failure.refused
    transport = _TRANSPORT.match(text)
    if transport is not None and transport.group(1).endswith("Timeout"):
        return Failure.timeout
    return Failure.unreachable  # ConnectError, ReadError, RemoteProtocolError, …
