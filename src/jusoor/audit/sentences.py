"""Audit events as sentences a person reads: "Amina Haddad (Case worker, Rabat shelter) read case
MA-2026-00012", with the details as labelled values in words.

The table below is the data: each action, or family of actions (a prefix ending in "."), has one
sentence with `%(who)s` (the person) and `%(object)s` (what was acted on). The longest matching key
wins; an action without one gets a fallback sentence naming the action in words. (A Python table
rather than a YAML file so that the translation catalogs extract the sentences as they are.)

Domains above audit say how their objects are named with `register_namer` (called from their
`register`, e.g. cases naming a case id by its reference), so audit never imports them; without a
namer an object is named by the `reference` its event's details carry (cases record theirs), or
else by its kind and the end of its id.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from jusoor.audit.models import AuditEvent
from jusoor.core.i18n import N_
from jusoor.core.i18n import gettext as _

log = logging.getLogger("jusoor.audit")
Namer = Callable[[Session, Sequence[str]], Mapping[str, str]]  # object ids -> names
_namers: dict[str, Namer] = {}

SENTENCES: dict[str, str] = {
    # The trail itself
    "audit.read": N_("%(who)s read the audit trail"),
    "audit.verify": N_("%(who)s checked the whole audit trail"),
    "audit.anchor.start": N_("%(who)s started the audit anchor file"),
    "audit.key.rotate": N_("%(who)s rotated the audit key"),
    "keys.rotate": N_("%(who)s rotated the data-encryption key"),
    "access.refused": N_("%(who)s was refused access to %(object)s"),
    "request": N_("%(who)s made a request that was refused"),
    # Signing in and accounts
    "auth.login": N_("%(who)s signed in"),
    "auth.logout": N_("%(who)s signed out"),
    "auth.mfa": N_("%(who)s gave a second-factor code"),
    "auth.mfa_enrol": N_("%(who)s set up a second factor"),
    "auth.credentials_ended": N_("%(who)s had their sign-in credentials ended"),
    "profile.update": N_("%(who)s changed the settings of their account"),
    "profile.update:locale": N_("%(who)s changed the language of their account"),
    "profile.update:timezone": N_("%(who)s changed the time zone of their account"),
    "profile.update:display_name": N_("%(who)s changed the name shown for their account"),
    "profile.update:digits": N_("%(who)s changed how digits are written for their account"),
    "profile.password": N_("%(who)s changed their password"),
    "token.issue": N_("%(who)s issued an API token"),
    "token.revoke": N_("%(who)s revoked an API token"),
    "user.create": N_("%(who)s created the account %(object)s"),
    "user.roles": N_("%(who)s changed the roles of %(object)s"),
    "user.reset_password": N_("%(who)s reset the password of %(object)s"),
    "user.reset_mfa": N_("%(who)s reset the second factor of %(object)s"),
    "user.unlock": N_("%(who)s lifted the sign-in slowdown of %(object)s"),
    "user.enable": N_("%(who)s changed whether %(object)s may sign in"),
    "user.": N_("%(who)s changed the account %(object)s"),
    "users.manage": N_("%(who)s opened the list of accounts"),
    "agency.create": N_("%(who)s created the agency %(object)s"),
    "agency.update": N_("%(who)s changed the agency %(object)s"),
    # Cases
    "case.read": N_("%(who)s read case %(object)s"),
    "case.list": N_("%(who)s listed cases"),
    "case.create": N_("%(who)s opened case %(object)s"),
    "case.update": N_("%(who)s changed case %(object)s"),
    "case.transition": N_("%(who)s moved case %(object)s to another stage"),
    "case.note": N_("%(who)s added a note to case %(object)s"),
    "case.task": N_("%(who)s added a task to case %(object)s"),
    "case.task_done": N_("%(who)s completed a task of case %(object)s"),
    "case.matches": N_("%(who)s looked for matches of case %(object)s"),
    "case.consent_override": N_("%(who)s overrode the victim's consent on case %(object)s"),
    "case.reflection_override": N_(
        "%(who)s ended the recovery and reflection period of case %(object)s early"
    ),
    "case.referred_abroad": N_("%(who)s referred case %(object)s abroad"),
    "case.consent": N_("%(who)s recorded the person's consent on case %(object)s"),
    "case.consent_withdraw": N_(
        "%(who)s recorded that the person withdrew a consent on case %(object)s"
    ),
    "case.guardian": N_("%(who)s recorded the child's guardian on case %(object)s"),
    "case.best_interests_recorded": N_("%(who)s recorded a best-interests step on case %(object)s"),
    "case.": N_("%(who)s recorded %(action)s on case %(object)s"),
    "cases.export": N_("%(who)s exported cases"),
    "cases.import": N_("%(who)s imported cases"),
    # Screening and identification
    "screening.list": N_("%(who)s listed screenings"),
    "screening.create": N_("%(who)s started a screening"),
    "screening.update": N_("%(who)s answered questions of a screening"),
    "screening.complete": N_("%(who)s completed a screening"),
    "screening.read": N_("%(who)s read a screening"),
    "screening.link_case": N_("%(who)s opened a case from a screening"),
    "screening.synthetic": N_("%(who)s generated synthetic screenings"),
    "screening.": N_("%(who)s recorded %(action)s in screening"),
    "identification.queue": N_("%(who)s opened the identification queue"),
    "identification.read": N_("%(who)s read identification %(object)s"),
    "identification.create": N_("%(who)s recorded identification %(object)s"),
    # Referrals and services
    "referral.read": N_("%(who)s read referral %(object)s"),
    "referral.list": N_("%(who)s listed referrals"),
    "referral.create": N_("%(who)s referred a victim (%(object)s)"),
    "referral.accept": N_("%(who)s accepted referral %(object)s"),
    "referral.decline": N_("%(who)s declined referral %(object)s"),
    "referral.start": N_("%(who)s started the service of referral %(object)s"),
    "referral.complete": N_("%(who)s completed referral %(object)s"),
    "referral.revoke": N_("%(who)s withdrew referral %(object)s"),
    "referral.delivery": N_("%(who)s recorded a service delivered under referral %(object)s"),
    "referral.": N_("%(who)s recorded %(action)s on referral %(object)s"),
    "service.create": N_("%(who)s added the service %(object)s to the directory"),
    "service.capacity": N_("%(who)s updated the free places of the service %(object)s"),
    "service.update": N_("%(who)s changed the details of the service %(object)s"),
    "service.": N_("%(who)s changed the service %(object)s"),
    "services.manage": N_("%(who)s opened the service directory"),
    # Entities, graph, monitoring
    "entity.read": N_("%(who)s read entity %(object)s"),
    "entity.list": N_("%(who)s searched entities"),
    "entity.export": N_("%(who)s exported entities"),
    "entity.index_case": N_("%(who)s indexed the people of a case for matching"),
    "entity.judgement_list": N_("%(who)s read the list of match decisions"),
    "entity.review": N_("%(who)s opened the match review"),
    "entity.judge": N_("%(who)s decided whether two records are the same person"),
    "entity.synthetic": N_("%(who)s generated synthetic entities"),
    "entity.create": N_("%(who)s added entity %(object)s"),
    "entity.candidates": N_("%(who)s looked for possible matches of entity %(object)s"),
    "entity.case_signal": N_(
        "%(who)s searched and was told that %(object)s holds a case record with the same details"
    ),
    "entity.link": N_("%(who)s linked two entities (%(object)s)"),
    "entity.judge_undo": N_("%(who)s undid a decision on whether two records are the same person"),
    "entity.import": N_("%(who)s imported entities from a file"),
    "entity.reindex": N_("%(who)s rebuilt the search keys of the entities"),
    "entity.": N_("%(who)s recorded %(action)s on entity %(object)s"),
    "graph.export": N_("%(who)s exported a network graph"),
    "graph.read": N_("%(who)s opened the network around entity %(object)s"),
    "graph.path": N_("%(who)s looked for a path in the network from entity %(object)s"),
    "graph.": N_("%(who)s explored the network graph"),
    "monitor.ingest": N_("%(who)s read new reports into the news monitor"),
    "monitor.regroup": N_("%(who)s grouped the news monitor's reports into events again"),
    "monitor.": N_("%(who)s recorded %(action)s in monitoring"),
    # Exchange between nodes
    "exchange.message.read": N_("%(who)s read message %(object)s from another node"),
    "exchange.message.list": N_("%(who)s opened the exchange inbox"),
    "exchange.message.received": N_("A message from another node was received (%(object)s)"),
    "exchange.message.sent": N_("%(who)s sent message %(object)s to another node"),
    "exchange.contact.added": N_("%(who)s added a contact point to the directory"),
    "exchange.contact.removed": N_("%(who)s removed a contact point from the directory"),
    "exchange.directory.published": N_("%(who)s published the contact points to the peers"),
    "exchange.node.init": N_("%(who)s created this node's exchange identity"),
    "exchange.node.rotate_keys": N_("%(who)s renewed this node's exchange keys"),
    "exchange.peer.added": N_("%(who)s added a peer node"),
    "exchange.peer.removed": N_("%(who)s removed a peer node"),
    "exchange.message.delivered": N_("Message %(object)s was delivered to the other node"),
    "exchange.message.expired": N_("Message %(object)s expired before it was delivered"),
    "exchange.draft.saved": N_("%(who)s saved a draft message to another node"),
    "exchange.draft.sent": N_("%(who)s sent a drafted message %(object)s to another node"),
    "exchange.envelope.rejected": N_("A message from another node was refused (%(object)s)"),
    "exchange.envelope.replayed": N_(
        "A message from another node arrived a second time and was not taken twice (%(object)s)"
    ),
    "exchange.peer.replaced": N_("%(who)s replaced the keys of a peer node"),
    "exchange.peer.updated": N_("%(who)s changed the details of a peer node"),
    "exchange.peer.rotated": N_("A peer node renewed its keys (%(object)s)"),
    "exchange.referral.taken_in": N_("A referral from abroad was taken into case %(object)s"),
    "exchange.": N_("%(who)s recorded %(action)s in the exchange"),
    # Investigations
    "investigations.read": N_("%(who)s read investigation %(object)s"),
    "investigations.list": N_("%(who)s listed investigations"),
    "investigations.create": N_("%(who)s opened investigation %(object)s"),
    "investigations.workspace": N_("%(who)s opened their investigation workspace"),
    "investigations.figures": N_("%(who)s read the criminal-justice figures"),
    "investigations.synthetic": N_("%(who)s generated synthetic investigation files"),
    "investigations.update": N_("%(who)s changed investigation %(object)s"),
    "investigations.move": N_("%(who)s moved investigation %(object)s to another stage"),
    "investigations.link": N_("%(who)s linked investigation %(object)s to another file"),
    "investigations.hearings": N_("%(who)s listed the coming hearings"),
    "investigations.hearing": N_("%(who)s scheduled a hearing in investigation %(object)s"),
    "investigations.hearing_outcome": N_(
        "%(who)s recorded what happened at a hearing in investigation %(object)s"
    ),
    "investigations.charge": N_("%(who)s recorded a charge in investigation %(object)s"),
    "investigations.charge_withdraw": N_("%(who)s withdrew a charge in investigation %(object)s"),
    "investigations.judgment": N_("%(who)s recorded a judgment in investigation %(object)s"),
    "investigations.defendant_add": N_("%(who)s added a defendant to investigation %(object)s"),
    "investigations.defendant_remove": N_(
        "%(who)s removed a defendant from investigation %(object)s"
    ),
    "investigations.victim_link": N_("%(who)s linked a victim's case to investigation %(object)s"),
    "investigations.protection": N_(
        "%(who)s recorded a protection measure for a witness of investigation %(object)s"
    ),
    "investigations.witness_read": N_(
        "%(who)s read that a person is a witness in investigation %(object)s"
    ),
    "investigations.asset.add": N_("%(who)s recorded an asset in investigation %(object)s"),
    "investigations.asset.move": N_(
        "%(who)s recorded a step on an asset of investigation %(object)s"
    ),
    "investigations.exhibit.add": N_("%(who)s recorded an exhibit in investigation %(object)s"),
    "investigations.exhibit.transfer": N_(
        "%(who)s recorded a hand-over of an exhibit of investigation %(object)s"
    ),
    "investigations.instrument.add": N_(
        "%(who)s recorded a warrant or order in investigation %(object)s"
    ),
    "investigations.instrument.move": N_(
        "%(who)s recorded a step on a warrant or order of investigation %(object)s"
    ),
    "investigations.instrument.deadlines": N_(
        "%(who)s listed the warrants and orders about to expire"
    ),
    "investigations.attachment.add": N_("%(who)s attached a file to investigation %(object)s"),
    "investigations.attachment.download": N_(
        "%(who)s downloaded a file attached to investigation %(object)s"
    ),
    "investigations.request.prepare": N_(
        "%(who)s prepared a request for legal assistance from investigation %(object)s"
    ),
    "investigations.request.sent": N_(
        "%(who)s sent a request for legal assistance from investigation %(object)s"
    ),
    "investigations.request.message": N_(
        "%(who)s sent a message on a request for legal assistance of investigation %(object)s"
    ),
    "investigations.request.viewed": N_(
        "%(who)s read a request for legal assistance from abroad (%(object)s)"
    ),
    "investigations.request.join": N_(
        "%(who)s joined a request from abroad to investigation %(object)s"
    ),
    "investigations.request.files_shown": N_(
        "%(who)s saw which investigations a request from abroad is tied to (%(object)s)"
    ),
    "investigations.": N_("%(who)s recorded %(action)s in investigation %(object)s"),
    # Statistics, plans, demo
    "stats.read": N_("%(who)s read the statistics"),
    "stats.export": N_("%(who)s downloaded statistics"),
    "stats.table": N_("%(who)s produced a table of statistics"),
    "stats.release": N_("%(who)s published a statistics release"),
    "stats.glotip.export": N_("%(who)s downloaded the figures for the UNODC Global Report"),
    "stats.": N_("%(who)s recorded %(action)s in the statistics"),
    "stats.glotip.import": N_("%(who)s imported the UNODC figures"),
    "plan.create": N_("%(who)s created the action plan %(object)s"),
    "plan.pillar.add": N_("%(who)s added a pillar to the action plan %(object)s"),
    "plan.measure.add": N_("%(who)s added a measure to the action plan %(object)s"),
    "plan.indicator.add": N_("%(who)s added an indicator to the action plan %(object)s"),
    "plan.report": N_("%(who)s reported progress on the action plan %(object)s"),
    "plan.export": N_("%(who)s downloaded the action plan %(object)s"),
    "plan.": N_("%(who)s recorded %(action)s on plan %(object)s"),
    "demo.load_scale": N_("%(who)s loaded synthetic data for a load test"),
    "demo.load": N_("%(who)s loaded the demo data"),
}
# The families of actions the audit page's filter offers, by what people call them (a family is
# the start of the actions it holds).
FAMILIES: dict[str, str] = {
    "auth.": N_("Signing in and out"),
    "profile.": N_("Settings"),
    "user.": N_("Users"),
    "agency.": N_("Agencies"),
    "case.": N_("Cases"),
    "screening.": N_("Screening"),
    "identification.": N_("Identification"),
    "referral.": N_("Referrals"),
    "service.": N_("Services"),
    "entity.": N_("Entities"),
    "graph.": N_("Networks"),
    "monitor.": N_("News monitoring"),
    "exchange.": N_("Cross-border exchange"),
    "investigations.": N_("Investigations"),
    "stats.": N_("Statistics"),
    "plan.": N_("Action plan"),
    "audit.": N_("Audit trail"),
    "access.refused": N_("Refused access"),
}
FALLBACK = N_("%(who)s: %(action)s")
FALLBACK_OBJECT = N_("%(who)s: %(action)s (%(object)s)")

LABELS: dict[str, str] = {
    "fields": N_("Fields"),
    "filters": N_("Filters"),
    "rows": N_("Rows"),
    "count": N_("Count"),
    "status": N_("Status"),
    "events": N_("Events"),
    "reason": N_("Reason"),
    "overdue": N_("Overdue"),
    "seconds": N_("Seconds"),
    "first_bad_seq": N_("First bad event"),
    "path": N_("File"),
    "replaces": N_("Replaces"),
    "query": N_("Search"),
    "format": N_("Format"),
    "to": N_("To"),
    "from": N_("From"),
    "role": N_("Role"),
    "roles": N_("Roles"),
    "method": N_("Method"),
    "page": N_("Page"),
    "locale": N_("Language"),
    "language": N_("Language"),
    "timezone": N_("Time zone"),
    "display_name": N_("Name"),
    "digits": N_("Digits"),
    "country": N_("Country"),
    "kind": N_("Kind"),
    "purpose": N_("Purpose"),
    "outcome": N_("Outcome"),
    "type": N_("Type"),
    "peer": N_("Country"),
    "reference": N_("Reference"),
    "references": N_("References"),
    "total": N_("Total"),
    "more": N_("More to come"),
    "shared": N_("Shared"),
    "step": N_("Step"),
    "on": N_("Date"),
    "due_on": N_("Due date"),
    "via": N_("Through"),
    "agency": N_("Agency"),
    "username": N_("Username"),
    "reflection_ends_on": N_("Period was to end on"),
}
_YES, _NO, _NONE = N_("yes"), N_("no"), N_("none")


def family_choices(current: str = "") -> list[tuple[str, str]]:
    """(start of actions, name) for the filter; a start typed in the address stays offered."""
    offered = [(start, _(name)) for start, name in FAMILIES.items()]
    if current and current not in FAMILIES:
        offered.insert(0, (current, current))
    return offered


def register_namer(object_type: str, namer: Namer) -> None:
    """How a domain above audit names its objects of `object_type` in the audit sentences."""
    _namers[object_type] = namer


def object_uuids(ids: Sequence[str]) -> list[uuid.UUID]:
    """The ids a namer is given that are UUIDs (events may record other object ids: a username
    of a failed sign-in, a reference typed in a search); the others name nothing."""
    found = []
    for key in ids:
        try:
            found.append(uuid.UUID(key))
        except ValueError:
            continue
    return found


DetailWords = Callable[[str], str]  # a stored code -> the reader's words for it
Words = Callable[[str, str, Any], "str | None"]  # (action, key, value) -> words, or None
_detail_words: dict[tuple[str, str], DetailWords] = {}


def register_detail_words(family: str, key: str, words: DetailWords) -> None:
    """How a domain says the codes it records under `key` in the details of its actions
    (`family`: an action, or a prefix ending in "."), e.g. cases' stages under "from"/"to"."""
    _detail_words[(family, key)] = words


def detail_words(action: str, key: str) -> DetailWords | None:
    """The registered words for `key` in `action`'s details: the action's own, then its
    longest family's."""
    if (action, key) in _detail_words:
        return _detail_words[(action, key)]
    parts = action.split(".")
    for end in range(len(parts) - 1, 0, -1):
        found = _detail_words.get((".".join(parts[:end]) + ".", key))
        if found is not None:
            return found
    return None


def _refined(action: str, parsed: object) -> str | None:
    """A sentence for the one field an event changed ("changed the language of their account")."""
    fields = parsed.get("fields") if isinstance(parsed, dict) else None
    if isinstance(fields, list) and len(fields) == 1:
        return SENTENCES.get(f"{action}:{fields[0]}")
    return None


def sentence_for(action: str) -> str:
    """The msgid for `action`: its own, its longest family's, or the fallback."""
    if action in SENTENCES:
        return SENTENCES[action]
    parts = action.split(".")
    for end in range(len(parts) - 1, 0, -1):
        family = ".".join(parts[:end]) + "."
        if family in SENTENCES:
            return SENTENCES[family]
    return FALLBACK


def action_in_words(action: str) -> str:
    """`case.task_done` -> "case task done" (for actions without a sentence of their own)."""
    return action.replace(".", " ").replace("_", " ").strip()


def _words(key: str) -> str:
    return _(LABELS[key]) if key in LABELS else key.replace("_", " ").capitalize()


def value_in_words(value: Any) -> str:
    if value is True:
        return _(_YES)
    if value is False:
        return _(_NO)
    if value is None or value == "" or value == [] or value == {}:
        return _(_NONE)
    if isinstance(value, list):
        # Names of fields are said in words; other strings (references, codes) as they are.
        return ", ".join(
            (_(LABELS[v]) if v in LABELS else v) if isinstance(v, str) else value_in_words(v)
            for v in value
        )
    if isinstance(value, dict):
        return "; ".join(f"{_words(str(k))}: {value_in_words(v)}" for k, v in value.items())
    return str(value)


@dataclass(frozen=True)
class Said:
    """One event as a person reads it."""

    sentence: str
    details: list[tuple[str, str]]  # (label, value), in words
    raw: str  # the stored details, for the auditor


def object_names(session: Session, events: Iterable[AuditEvent]) -> dict[tuple[str, str], str]:
    """Names of the events' objects that a registered namer knows, by (type, id)."""
    wanted: dict[str, set[str]] = {}
    for event in events:
        if event.object_type in _namers and event.object_id:
            wanted.setdefault(event.object_type, set()).add(event.object_id)
    names: dict[tuple[str, str], str] = {}
    for kind, ids in wanted.items():
        try:
            found = _namers[kind](session, sorted(ids))
        except Exception:  # a domain's namer failing must not hide the trail
            log.exception("naming %s objects for the audit trail failed", kind)
            continue
        names.update({(kind, key): name for key, name in found.items()})
    return names


def _object(event: AuditEvent, names: Mapping[tuple[str, str], str], *, kind_too: bool) -> str:
    """The event's object by its name, else by the end of its id (with its kind when the
    sentence does not say it: "read case …43d46227", not "read case case …43d46227")."""
    if not event.object_id:
        return ""
    kind = event.object_type or ""
    named = names.get((kind, event.object_id))
    if named:
        return named
    short = event.object_id if len(event.object_id) <= 16 else "…" + event.object_id[-8:]
    return f"{kind.replace('_', ' ')} {short}".strip() if kind_too else short


_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def _detail(action: str, key: str, value: Any, words: Words | None) -> str | None:
    """One detail in words, or None for an internal id (kept in the details as recorded)."""
    if isinstance(value, str) and _UUID.match(value):
        return None
    registered = detail_words(action, key)
    if registered is not None and isinstance(value, (str, list)) and value:
        codes = value if isinstance(value, list) else [value]
        return ", ".join(registered(str(code)) for code in codes)
    said = words(action, key, value) if words is not None else None
    return said if said is not None else value_in_words(value)


def say(
    event: AuditEvent,
    *,
    who: str,
    names: Mapping[tuple[str, str], str] | None = None,
    words: Words | None = None,
) -> Said:
    """`event` as a translated sentence with its details in words. `words` says the values
    no domain registered words for (countries, languages, dates: the adapter's)."""
    try:
        parsed = json.loads(event.details or "{}")
    except ValueError:
        parsed = None
    msgid = _refined(event.action, parsed) or sentence_for(event.action)
    obj = _object(event, names or {}, kind_too=msgid == FALLBACK)
    reference = parsed.get("reference") if isinstance(parsed, dict) else None
    if (
        isinstance(reference, str)
        and reference
        and (event.object_type, event.object_id) not in (names or {})
    ):
        obj = reference  # the event names its object itself (a case's MA-2026-00012)
    if msgid == FALLBACK and obj:
        msgid = FALLBACK_OBJECT
    text = _(msgid, who=who, object=obj or "—", action=action_in_words(event.action))
    if isinstance(parsed, dict):
        details = [
            (_words(str(k)), said)
            for k, v in parsed.items()
            if (said := _detail(event.action, str(k), v, words)) is not None
        ]
    else:
        details = [(_words("unparsed"), event.details or "")]
    return Said(text, details, event.details or "")
