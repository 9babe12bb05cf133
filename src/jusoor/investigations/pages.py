"""The criminal file's pages: the list of files, opening a file, the file page (its facts, stage
moves, the panels of the objects it holds, the timeline) and editing its facts."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from jusoor.core.db import utcnow
from jusoor.core.errors import DomainError
from jusoor.core.i18n import N_, current_locale
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Action, Actor
from jusoor.investigations import access, from_screening, panels, progress, service, vocabulary
from jusoor.investigations.labels import choices, label, stage_label
from jusoor.investigations.models import InvestigationFile
from jusoor.investigations.schemas import FileCreate, FileMove, FileUpdate
from jusoor.investigations.timeline import timeline
from jusoor.investigations.vocabulary import Origin, Stage
from jusoor.investigations.workflow import machine
from jusoor.web.access import requires
from jusoor.web.actions import attempt, submit
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.forms import path_id, redirect
from jusoor.web.params import PageNumber
from jusoor.web.templating import render

router = APIRouter(include_in_schema=False)

FILES = "/investigations"
PAGE_SIZE = 50
FileId = Annotated[uuid.UUID, path_id("file_id", N_("No such investigation file."))]
DONE = {
    "opened": N_("The file is opened."),
    "moved": N_("The file's stage is saved."),
    "edited": N_("The file is saved."),
    "added": N_("Saved."),
}


def helpers() -> dict[str, Any]:
    """What every investigations template uses to word codes (`when`, in the reader's time zone,
    comes with every page from `render`)."""
    return {
        "label": label,
        "stage_label": stage_label,
        "v": vocabulary,
        "days_since": days_since,
        "locale": current_locale(),
    }


def days_since(moment: dt.datetime) -> int:
    """Whole days from `moment` to now (days in a stage, days waiting)."""
    return max(0, (utcnow() - moment).days)


def _labels() -> dict[str, str]:
    return {
        "title": _("Title"),
        "summary": _("Summary of the facts"),
        "origin": _("How it started"),
        "reported_on": _("Reported on"),
        "court": _("Court"),
        "court_case_number": _("Court case number"),
        "lead_username": _("Lead investigator"),
        "prosecutor_username": _("Prosecutor"),
        "stage": _("Stage"),
        "reason": _("Reason"),
    }


@router.get(FILES, response_class=HTMLResponse, dependencies=[requires(Action.investigations_read)])
def index(
    request: Request,
    db: DbSession,
    actor: CurrentActor,
    stage: str = "",
    mine: str = "",
    q: str = "",
    page: PageNumber = 1,
) -> Response:
    chosen = Stage(stage) if stage in Stage.__members__ else None
    found = service.list_files(
        db,
        actor=actor,
        stage=chosen,
        mine=mine == "1",
        reference=q[:40] or None,
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
    )
    values = {
        "files": found.files,
        "total": found.total,
        "page": page,
        "pages": max(1, -(-found.total // PAGE_SIZE)),
        "stage": chosen.value if chosen else "",
        "mine": mine == "1",
        "q": q[:40],
        "stage_choices": choices(Stage),
        "may_open": actor.can(Action.investigations_open),
        **helpers(),
    }
    return render(request, "investigations/list.html", values)


def _new_page(
    request: Request,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    source: from_screening.FromScreening | None = None,
) -> HTMLResponse:
    if form is None:
        form = {"reported_on": dt.date.today().isoformat()}
        if source is not None:  # opened from a screening's result page: prefilled
            form |= {"origin": Origin.screening.value, "title": source.title, "link_case": "1"}
    values = {
        "errors": errors or {},
        "form": form,
        "origin_choices": choices(Origin),
        "source": source,
        **helpers(),
    }
    return render(request, "investigations/new.html", values, status_code=422 if errors else 200)


@router.get(
    f"{FILES}/new",
    response_class=HTMLResponse,
    dependencies=[requires(Action.investigations_open)],
)
def new(request: Request, db: DbSession, actor: CurrentActor, screening: str = "") -> Response:
    source = from_screening.prefill(db, actor=actor, screening_id=screening) if screening else None
    return _new_page(request, source=source)


@router.post(
    f"{FILES}/new",
    response_class=HTMLResponse,
    dependencies=[requires(Action.investigations_open)],
)
async def open_file(request: Request, db: DbSession, actor: CurrentActor) -> Response:
    screening_id = str((await request.form()).get("screening_id") or "")

    def form_again(errors: dict[str, str], typed: dict[str, str]) -> Response:
        source = (
            from_screening.prefill(db, actor=actor, screening_id=screening_id)
            if screening_id
            else None
        )
        return _new_page(request, errors, typed, source)

    def run(form: Any) -> InvestigationFile:
        file_in = FileCreate.model_validate(
            {
                k: form.get(k) or None
                for k in ("title", "origin", "reported_on", "court", "lead_username")
            }
            | {"summary": form.get("summary") or ""}
        )
        if not screening_id:
            return service.open_file(db, actor=actor, file_in=file_in)
        return from_screening.open_from_screening(
            db,
            actor=actor,
            screening_id=screening_id,
            file_in=file_in,
            link_case=form.get("link_case") == "1",
        )

    return await submit(
        request,
        db,
        run=run,
        done=lambda file: redirect(f"{FILES}/{file.id}?done=opened"),
        failed=form_again,
        labels=_labels(),
        aliases={"case_reference": "link_case"},
    )


def file_page(
    request: Request,
    db: Session,
    actor: Actor,
    file: InvestigationFile,
    *,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    notice: str | None = None,
    focus: str | None = None,
) -> HTMLResponse:
    """The file page; other modules' forms re-render it with their errors (`errors`, `form`)
    and name their panel (`focus`), which is drawn open."""
    team = service.team(db, file, current_locale())
    spans = service.stage_spans(db, file)
    values: dict[str, Any] = {
        "file": file,
        "agency": team.agency,
        "lead": team.lead,
        "prosecutor": team.prosecutor,
        "moves": service.allowed_moves(actor, file),
        "may_update": access.may_update(actor, file) and file.stage.value not in machine().terminal,
        "spans": spans,
        "steps": progress.steps(file, spans),
        "total_days": progress.total_days(file, spans),
        "timeline": timeline(db, file),
        "panels": panels.render_panels(db, actor=actor, file=file, focus=focus),
        "errors": errors or {},
        "form": form or {},
        "notice": notice,
        **helpers(),
    }
    return render(request, "investigations/file.html", values, status_code=422 if errors else 200)


def shown_again(
    request: Request,
    db: Session,
    actor: Actor,
    file_id: uuid.UUID,
    errors: dict[str, str],
    form: dict[str, str] | None = None,
    *,
    panel: str | None = None,
) -> HTMLResponse:
    """The file page again with a failed form's errors (for every module's forms); `panel`, the
    panel holding that form, is drawn open so that the errors are seen."""
    file = service.get_file(db, actor=actor, file_id=file_id)
    return file_page(request, db, actor, file, errors=errors, form=form, focus=panel)


def saved(file_id: uuid.UUID, panel: str) -> Response:
    """Back to the file page after a panel's form is saved, that panel open at its heading."""
    return redirect(f"{FILES}/{file_id}?done=added&panel={panel}#{panel}-title")


@router.get(
    f"{FILES}/{{file_id}}",
    response_class=HTMLResponse,
    dependencies=[requires(Action.investigations_read)],
)
def show(
    request: Request,
    db: DbSession,
    actor: CurrentActor,
    file_id: FileId,
    done: str = "",
    panel: str = "",
) -> Response:
    file = service.get_file(db, actor=actor, file_id=file_id)
    notice = _(DONE[done]) if done in DONE else None
    # `panel` is only compared with the registered names: an unknown one opens nothing.
    return file_page(request, db, actor, file, notice=notice, focus=panel[:40] or None)


@router.post(
    f"{FILES}/{{file_id}}/move",
    response_class=HTMLResponse,
    dependencies=[requires(Action.investigations_update)],
)
def move(
    request: Request,
    db: DbSession,
    actor: CurrentActor,
    file_id: FileId,
    stage: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    form = {"stage": stage, "reason": reason}
    return attempt(
        db,
        lambda: service.move(
            db, actor=actor, file_id=file_id, move_in=FileMove.model_validate(form)
        ),
        done=lambda _event: redirect(f"{FILES}/{file_id}?done=moved"),
        failed=lambda errors: shown_again(request, db, actor, file_id, errors, form),
        labels=_labels(),
        aliases={"stage": "move-stage", "reason": "move-reason"},
        catch=(DomainError,),
    )


@router.post(
    f"{FILES}/{{file_id}}/edit",
    response_class=HTMLResponse,
    dependencies=[requires(Action.investigations_update)],
)
async def edit(request: Request, db: DbSession, actor: CurrentActor, file_id: FileId) -> Response:
    def run(form: Any) -> InvestigationFile:
        keys = ("title", "summary", "court", "court_case_number", "prosecutor_username")
        file_in = FileUpdate.model_validate({k: form.get(k) for k in keys if k in form})
        return service.update_file(db, actor=actor, file_id=file_id, file_in=file_in)

    return await submit(
        request,
        db,
        run=run,
        done=lambda _file: redirect(f"{FILES}/{file_id}?done=edited"),
        failed=lambda errors, typed: shown_again(request, db, actor, file_id, errors, typed),
        labels=_labels(),
        catch=(DomainError,),
    )
