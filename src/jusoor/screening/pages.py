"""The screening wizard: start, one step per page (saved each time), resume, and "My screenings".

Phone-first and without JavaScript: every step is a plain form posted to the server. The result
page and its forms are in `result_pages`, the identification queue in `queue_pages`.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from jusoor.cases.labels import choices as case_choices
from jusoor.core.bounds import MAX_PAGE, whole_number
from jusoor.core.errors import DomainError, NotFound
from jusoor.core.i18n import N_, current_locale
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor
from jusoor.screening import history, labels, queue_pages, result_pages
from jusoor.screening import service as screenings
from jusoor.screening.models import Screening, ScreeningStatus
from jusoor.screening.schemas import ScreeningStart
from jusoor.web.actions import attempt
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.forms import domain_errors, path_id, redirect
from jusoor.web.templating import render

router = APIRouter(include_in_schema=False)
router.include_router(result_pages.router)
router.include_router(queue_pages.router)

HOME = "/screening"
PAGE_SIZE = 20
ScreeningId = Annotated[uuid.UUID, path_id("screening_id", N_("No such screening."))]
SAVED = N_("Your answers are saved. You can continue this screening later from this list.")
START_FIELDS = ("age_band", "exploitation", "label", "gender", "citizenship", "other_language")


async def _form(request: Request) -> FormData:
    return await request.form()


Form = Annotated[FormData, Depends(_form)]


async def _fields(request: Request) -> dict[str, str]:
    return {k: v for k, v in (await request.form()).items() if isinstance(v, str)}


Fields = Annotated[dict[str, str], Depends(_fields)]


def _labels() -> dict[str, str]:
    return {
        "age_band": _("Age"),
        "exploitation": _("Form of exploitation"),
        "label": _("Short label (optional)"),
        "gender": _("Gender (optional)"),
        "citizenship": _("Citizenship (optional)"),
        "languages": _("Languages spoken (optional)"),
        "other_language": _("Another language"),
    }


def _home(
    request: Request,
    db: DbSession,
    actor: Actor,
    form: dict[str, str],
    errors: dict[str, str],
    spoken: list[str],
) -> HTMLResponse:
    page = whole_number(request.query_params.get("page", ""), low=1, high=MAX_PAGE) or 1
    completed = history.my_completed(
        db, actor=actor, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
    )
    values = {
        "drafts": screenings.list_drafts(db, actor=actor),
        "completed": completed,
        "page": page,
        "pages": max(1, -(-completed.total // PAGE_SIZE)),
        "form": form,
        "spoken": spoken,
        "errors": errors,
        "labels": _labels(),
        "age_choices": labels.age_band_choices(),
        "exploitation_choices": [(k.value, _(v)) for k, v in labels.EXPLOITATION.items()],
        "gender_choices": case_choices("gender"),
        "country_choices": labels.country_choices(),
        "common_languages": labels.common_language_choices(),
        "other_languages": labels.other_language_choices(),
        "outcome_label": labels.outcome_label,
        "profile_label": labels.profile_label,
        "status_label": labels.status_label,
        "notice": _(SAVED) if request.query_params.get("done") == "saved" else None,
    }
    return render(request, "screening/index.html", values, status_code=422 if errors else 200)


@router.get(HOME, response_class=HTMLResponse)
def index(request: Request, db: DbSession, actor: CurrentActor) -> Response:
    return _home(request, db, actor, dict.fromkeys(START_FIELDS, ""), {}, [])


@router.post(HOME, response_class=HTMLResponse)
def start(request: Request, db: DbSession, actor: CurrentActor, posted: Form) -> Response:
    form = {k: str(posted.get(k) or "").strip() for k in START_FIELDS}
    spoken = [str(v) for v in posted.getlist("languages") if str(v).strip()]
    languages = [*spoken, form["other_language"]] if form["other_language"] else spoken

    def run() -> Screening:
        screening_in = ScreeningStart(
            age_band=form["age_band"],
            exploitation=form["exploitation"],
            label=form["label"] or None,
            gender=form["gender"] or None,
            citizenship=[form["citizenship"]] if form["citizenship"] else [],
            languages=languages,
        )
        return screenings.start(db, actor=actor, screening_in=screening_in)

    def started(screening: Screening) -> Response:
        steps = screenings.steps_of(screening)
        return redirect(f"{HOME}/{screening.id}/steps/{steps[0].id}")

    return attempt(
        db,
        run,
        done=started,
        failed=lambda errors: _home(request, db, actor, form, errors, spoken),
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
    form: Fields,
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
