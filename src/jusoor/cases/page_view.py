"""The case page as one reader may see it, shared by `pages` and the forms of `page_actions`."""

from __future__ import annotations

import uuid

from fastapi import Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from jusoor.agencies import service as agencies
from jusoor.cases import extensions, forms, labels, service
from jusoor.cases.list_rows import next_tasks
from jusoor.cases.schemas import NOTE_LENGTH
from jusoor.cases.views import CaseRead, case_read
from jusoor.cases.workflow import ends_reflection_early, machine
from jusoor.core.db import utcnow
from jusoor.core.i18n import N_, current_locale
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor
from jusoor.web.templating import render

DONE = {
    "note": N_("The note is added."),
    "task": N_("The task is added."),
    "task_done": N_("The task is marked done."),
    "consent": N_("The consent is recorded."),
    "withdrawn": N_("The consent is withdrawn. It no longer allows anything."),
    "moved": N_("The case moved to its new stage."),
    "profile": N_("The profile is saved."),
    "guardian": N_("The guardian is recorded."),
    "best_interests": N_("The best-interests step is recorded."),
    "referred_abroad": N_("The referral to another country is in the outbox."),
}


def done_message(key: str | None) -> str | None:
    return _(DONE[key]) if key in DONE else None


def _usernames(view: CaseRead) -> set[str | None]:
    """The people the page names: the case worker and the authors of its records."""
    return {
        view.owner_username,
        *(n.author_username for n in view.notes or ()),
        *(t.done_by_username for t in view.tasks or ()),
        *(c.recorded_by_username for c in view.consents or ()),
        *(e.actor_username for e in view.timeline or ()),
    }


def case_page(
    request: Request,
    db: Session,
    actor: Actor,
    case_id: uuid.UUID,
    *,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    done: str | None = None,
) -> HTMLResponse:
    """The case file (audited as a read), with any form errors of a failed action."""
    file = service.get_case(db, actor=actor, case_id=case_id)
    view = case_read(db, file)
    case = file.case
    consent_agency_ids = {c.agency_id for c in view.consents or () if c.agency_id}
    consent_agencies = {
        a.id: a.name(current_locale()) for a in agencies.agencies_by_id(db, consent_agency_ids)
    }
    people = agencies.display_names(db, _usernames(view))
    values = {
        "case": case,
        "view": view,
        "person": lambda username: people.get(username, username),
        "whole": file.whole,
        "fields": file.fields,
        "errors": errors or {},
        "form": form or {},
        "labels": forms.labels(),
        "done": done,
        "stage_label": labels.stage_label,
        "purpose_label": labels.purpose_label,
        "gender_label": labels.gender_label,
        "code_label": labels.code_label,
        "next_stages": [(s.value, labels.stage_label(s)) for s in machine().allowed(case.stage)],
        "purpose_choices": labels.choices("purpose"),
        "may_write": file.whole and actor.can("cases.update"),
        "today": utcnow().date(),
        "reflection_running": ends_reflection_early(case, utcnow().date()),
        "note_length": NOTE_LENGTH,
        "next_task": next_tasks(db, [case.id]).get(case.id),  # as the case list says it
        "consent_in_force": sorted(
            {labels.purpose_label(c.purpose) for c in view.consents or () if not c.withdrawn_at}
        ),
        "consent_agencies": consent_agencies,
        # The panels other domains register (referrals, cases abroad, possible matches): what
        # they show, and the templates that draw it.
        "case_panels": extensions.panel_templates(),
        **(extensions.panels(db, actor=actor, case=case) if file.whole else {}),
    }
    return render(request, "cases/case.html", values, status_code=422 if errors else 200)
