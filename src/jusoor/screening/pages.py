"""The screening wizard: start, one step per page (saved each time), resume, result, identification.

Phone-first and without JavaScript: every step is a plain form posted to the server.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from jusoor.core.errors import DomainError, NotFound
from jusoor.core.i18n import N_, current_locale
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor
from jusoor.screening import case_pages
from jusoor.screening import identification as identifications
from jusoor.screening import service as screenings
from jusoor.screening.models import Screening, ScreeningStatus, TraffickingStatus
from jusoor.screening.result_view import result_context
from jusoor.screening.schemas import AgeBand, Exploitation, IdentificationCreate, ScreeningStart
from jusoor.web.access import requires
from jusoor.web.actions import attempt
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.forms import domain_errors, path_id, redirect
from jusoor.web.templating import render

router = APIRouter(include_in_schema=False)
router.include_router(case_pages.router)

HOME = "/screening"
ScreeningId = Annotated[uuid.UUID, path_id("screening_id", N_("No such screening."))]
DONE = {
    "saved": N_("Your answers are saved. You can continue this screening later from this list."),
    "identified": N_("The identification decision is recorded."),
}
AGE_BANDS = {
    AgeBand.under_12: N_("Under 12"),
    AgeBand.from_12_to_17: N_("12 to 17"),
    AgeBand.adult: N_("18 or older"),
    AgeBand.unknown: N_("Not known (screen as a child)"),
}
EXPLOITATION = {Exploitation.labour: N_("Labour"), Exploitation.sexual: N_("Sexual exploitation")}
STATUSES = {
    TraffickingStatus.possible: N_("Possible victim"),
    TraffickingStatus.actual: N_("Victim (identified)"),
    TraffickingStatus.not_a_victim: N_("Not a victim"),
}


async def _form(request: Request) -> dict[str, str]:
    return {k: v for k, v in (await request.form()).items() if isinstance(v, str)}


FormData = Annotated[dict[str, str], Depends(_form)]


def _labels() -> dict[str, str]:
    return {
        "age_band": _("Age"),
        "exploitation": _("Form of exploitation"),
        "label": _("Short label (optional)"),
        "status": _("Decision"),
        "basis": _("Basis of the decision"),
    }


def _choices(options: dict[Any, str]) -> list[tuple[str, str]]:
    return [(key.value, _(text)) for key, text in options.items()]


def _home(
    request: Request, db: DbSession, actor: Actor, form: dict[str, str], errors: dict[str, str]
) -> HTMLResponse:
    values = {
        "drafts": screenings.list_drafts(db, actor=actor),
        "form": form,
        "errors": errors,
        "labels": _labels(),
        "age_choices": _choices(AGE_BANDS),
        "exploitation_choices": _choices(EXPLOITATION),
        "notice": _(DONE[request.query_params.get("done", "")])
        if request.query_params.get("done") in DONE
        else None,
    }
    return render(request, "screening/index.html", values, status_code=422 if errors else 200)


@router.get(HOME, response_class=HTMLResponse)
def index(request: Request, db: DbSession, actor: CurrentActor) -> Response:
    return _home(request, db, actor, {"age_band": "", "exploitation": "", "label": ""}, {})


@router.post(HOME, response_class=HTMLResponse)
def start(
    request: Request,
    db: DbSession,
    actor: CurrentActor,
    age_band: Annotated[str, Form()] = "",
    exploitation: Annotated[str, Form()] = "",
    label: Annotated[str, Form()] = "",
) -> Response:
    form = {"age_band": age_band, "exploitation": exploitation, "label": label.strip()}

    def run() -> Screening:
        screening_in = ScreeningStart(
            age_band=age_band, exploitation=exploitation, label=form["label"] or None
        )
        return screenings.start(db, actor=actor, screening_in=screening_in)

    def started(screening: Screening) -> Response:
        steps = screenings.steps_of(screening)
        return redirect(f"{HOME}/{screening.id}/steps/{steps[0].id}")

    return attempt(
        db,
        run,
        done=started,
        failed=lambda errors: _home(request, db, actor, form, errors),
        labels=_labels(),
        catch=(),  # only what was typed is shown on the form
    )


@router.get(f"{HOME}/{{screening_id}}", response_class=HTMLResponse)
def resume(db: DbSession, actor: CurrentActor, screening_id: ScreeningId) -> Response:
    screening = screenings.get(db, actor=actor, screening_id=screening_id)
    steps = screenings.steps_of(screening)
    if screening.status is ScreeningStatus.completed:
        return redirect(f"{HOME}/{screening.id}/result")
    current = steps[min(screening.step, len(steps) - 1)]
    return redirect(f"{HOME}/{screening.id}/steps/{current.id}")


def _step_page(
    request: Request,
    screening: Screening,
    step_id: str,
    answers: dict[str, str],
    errors: dict[str, str],
) -> HTMLResponse:
    steps = screenings.steps_of(screening)
    index = next((n for n, s in enumerate(steps) if s.id == step_id), None)
    if index is None:
        raise NotFound(_("There is no such step in this screening."))
    values = {
        "screening": screening,
        "step": steps[index],
        "number": index + 1,
        "total": len(steps),
        "previous": steps[index - 1].id if index else None,
        "last": index == len(steps) - 1,
        "answers": answers,
        "errors": errors,
        "locale": current_locale(),
    }
    return render(request, "screening/step.html", values, status_code=422 if errors else 200)


@router.get(f"{HOME}/{{screening_id}}/steps/{{step_id}}", response_class=HTMLResponse)
def show_step(
    request: Request, db: DbSession, actor: CurrentActor, screening_id: ScreeningId, step_id: str
) -> Response:
    screening = screenings.get(db, actor=actor, screening_id=screening_id)
    if screening.status is ScreeningStatus.completed:
        return redirect(f"{HOME}/{screening.id}/result")
    answers = {k: v.value for k, v in screening.answers.items()}
    return _step_page(request, screening, step_id, answers, {})


@router.post(f"{HOME}/{{screening_id}}/steps/{{step_id}}", response_class=HTMLResponse)
def save_step(
    request: Request,
    db: DbSession,
    actor: CurrentActor,
    screening_id: ScreeningId,
    step_id: str,
    form: FormData,
) -> Response:
    sid = screening_id
    given = {k.removeprefix("answers."): v for k, v in form.items() if k.startswith("answers.")}
    stop = form.get("then") == "stop"
    try:
        screening = screenings.save_answers(
            db, actor=actor, screening_id=sid, answers=given, step_id=None if stop else step_id
        )
    except DomainError as exc:
        if exc.field is None or not exc.field.startswith("answers."):
            raise
        screening = screenings.get(db, actor=actor, screening_id=sid)
        answers = {**{k: v.value for k, v in screening.answers.items()}, **given}
        return _step_page(request, screening, step_id, answers, domain_errors(exc))
    if stop:
        return redirect(f"{HOME}?done=saved")
    steps = screenings.steps_of(screening)
    if screening.step >= len(steps):
        screenings.complete(db, actor=actor, screening_id=sid)
        return redirect(f"{HOME}/{sid}/result")
    return redirect(f"{HOME}/{sid}/steps/{steps[screening.step].id}")


def _result_page(
    request: Request,
    db: DbSession,
    actor: Actor,
    screening: Screening,
    *,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    values = result_context(db, actor, screening)
    may_open_case = case_pages.may_open_case(actor, screening)
    values.update(
        form=form or {"status": "", "basis": ""},
        errors=errors or {},
        labels=_labels(),
        status_choices=_choices(STATUSES),
        status_names={k.value: _(v) for k, v in STATUSES.items()},
        may_open_case=may_open_case,
        case_workers=case_pages.case_worker_choices(db, actor) if may_open_case else [],
        notice=_(DONE["identified"]) if request.query_params.get("done") == "identified" else None,
    )
    return render(request, "screening/result.html", values, status_code=422 if errors else 200)


@router.get(f"{HOME}/{{screening_id}}/result", response_class=HTMLResponse)
def result(
    request: Request, db: DbSession, actor: CurrentActor, screening_id: ScreeningId
) -> Response:
    screening = screenings.get(db, actor=actor, screening_id=screening_id)
    if screening.status is not ScreeningStatus.completed:
        return redirect(f"{HOME}/{screening.id}")
    return _result_page(request, db, actor, screening)


@router.post(
    f"{HOME}/{{screening_id}}/identification",
    response_class=HTMLResponse,
    dependencies=[requires(identifications.DECIDE)],
)
def identify(
    request: Request,
    db: DbSession,
    actor: CurrentActor,
    screening_id: ScreeningId,
    status: Annotated[str, Form()] = "",
    basis: Annotated[str, Form()] = "",
) -> Response:
    screening = screenings.get(db, actor=actor, screening_id=screening_id)
    form = {"status": status, "basis": basis}

    def run() -> object:
        decision = IdentificationCreate(screening_id=screening.id, status=status, basis=basis)
        return identifications.decide(db, actor=actor, identification_in=decision)

    return attempt(
        db,
        run,
        done=lambda _decided: redirect(f"{HOME}/{screening.id}/result?done=identified"),
        failed=lambda errors: _result_page(request, db, actor, screening, form=form, errors=errors),
        labels=_labels(),
        aliases={"screening_id": "_form"},
        catch=(DomainError,),
    )
