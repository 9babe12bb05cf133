"""The language switcher: a cookie for everyone, and the profile setting for signed-in users."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import RedirectResponse

from jusoor.agencies import service as agencies
from jusoor.agencies.schemas import ProfileUpdate
from jusoor.core.errors import Invalid
from jusoor.core.i18n import LOCALES
from jusoor.core.i18n import gettext as _
from jusoor.web.access import public
from jusoor.web.deps import Ctx, DbSession
from jusoor.web.forms import redirect, safe_next
from jusoor.web.middleware import LANG_COOKIE, LANG_COOKIE_SECONDS

router = APIRouter(include_in_schema=False)


@router.post("/language")
@public
def switch_language(
    db: DbSession,
    ctx: Ctx,
    lang: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> RedirectResponse:
    """Remember the chosen language and go back to the page the switcher was on."""
    if lang not in LOCALES:
        raise Invalid(
            "lang", _("This language is not available. Choose Arabic, English or French.")
        )
    ctx.set_cookies.append((LANG_COOKIE, lang, LANG_COOKIE_SECONDS))
    if ctx.actor is not None and ctx.actor.can("profile.manage"):
        agencies.update_profile(db, actor=ctx.actor, profile_in=ProfileUpdate(locale=lang))
    return redirect(safe_next(next))
