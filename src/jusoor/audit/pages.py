"""The audit trail in the browser: filter events, page back through them, see that the chain holds.

Each event is shown as a sentence (jusoor.audit.sentences) naming the person by their display name,
role and agency, with its details in words and the stored details kept for the auditor. The chain
check covers only what is new since the last anchored checkpoint, and says when the whole chain was
last verified (`jusoor audit verify`), so a page view does not grow with the log. Every list query
is a keyset scan on an index (migration 0016_audit_appender; bench/audit_bench.py).

Reading the trail is itself recorded by the service, with the filters used.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from jusoor.audit import service as audit
from jusoor.audit.findings import describe
from jusoor.audit.readable_api import readable
from jusoor.audit.sentences import family_choices
from jusoor.core.bounds import MAX_INT64, whole_number
from jusoor.core.errors import Invalid
from jusoor.core.i18n import gettext as _
from jusoor.core.typed_dates import example as date_example
from jusoor.core.validation import date_of
from jusoor.web.deps import Ctx, CurrentActor, DbSession
from jusoor.web.labels import outcome_choices
from jusoor.web.templating import render

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 50
FILTERS = ("actor", "action", "outcome", "object_id", "since", "until")
OUTCOMES = ("success", "failure", "denied")


def _day_start(day: dt.date | None, timezone: str) -> dt.datetime | None:
    """The first instant of a local calendar day, in UTC; None for an empty field."""
    if day is None:
        return None
    try:
        zone = ZoneInfo(timezone)
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    return dt.datetime.combine(day, dt.time.min, tzinfo=zone).astimezone(dt.UTC)


@router.get("/audit", response_class=HTMLResponse)
def audit_trail(
    request: Request,
    db: DbSession,
    ctx: Ctx,
    actor: CurrentActor,
    before_seq: str = "",
) -> Response:
    form = {name: request.query_params.get(name, "").strip()[:200] for name in FILTERS}
    errors: dict[str, str] = {}
    bounds: dict[str, dt.datetime | None] = {}
    for name, label in (("since", _("From")), ("until", _("To"))):
        try:
            day = date_of(form[name], field=name, label=label)
            bounds[name] = _day_start(day, ctx.timezone)
        except Invalid as exc:
            bounds[name] = None
            errors[name] = exc.message
        except OverflowError:
            bounds[name] = None
            errors[name] = _(
                "%(field)s: write a date like %(example)s.", field=label, example=date_example()
            )
    if form["outcome"] and form["outcome"] not in OUTCOMES:
        errors["outcome"] = _("Choose an outcome from the list.")
        form["outcome"] = ""
    for name in ("actor", "action", "object_id"):
        if len(form[name]) > 64:
            errors[name] = _("Enter at most 64 characters.")
            form[name] = ""
    page = whole_number(before_seq, low=1, high=MAX_INT64) if before_seq else None
    if before_seq and page is None:
        errors["before_seq"] = _(
            "This page of the audit trail does not exist: the newest events are shown instead."
        )
    until = bounds["until"]
    flt = audit.AuditFilter(
        actor=form["actor"] or None,
        action=form["action"] or None,
        outcome=form["outcome"] or None,
        object_id=form["object_id"] or None,
        since=bounds["since"],
        until=until + dt.timedelta(days=1) if until else None,  # the "until" day is included
        before_seq=page,
        limit=PAGE_SIZE,
    )
    events = audit.search(db, actor=actor, flt=flt)
    kept = {k: v for k, v in form.items() if v}
    older = (
        "?" + urlencode({**kept, "before_seq": events[-1].seq})
        if len(events) == PAGE_SIZE
        else None
    )
    state = audit.trail_state(db)
    values: dict[str, object] = {
        "events": events,
        "said": readable(db, events),
        "form": form,
        "errors": errors,
        "outcome_choices": outcome_choices(),
        "action_choices": family_choices(form["action"]),
        "older": older,
        "newest": ("?" + urlencode(kept)) if flt.before_seq else None,
        "state": state,
        "chain": state.recent,
        "finding": describe(state.recent),
    }
    return render(request, "audit/trail.html", values, status_code=422 if errors else 200)
