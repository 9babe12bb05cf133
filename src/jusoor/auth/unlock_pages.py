"""The administrator's unlock of a user's sign-in slowdown (a button on the user's admin page)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from jusoor.agencies import service as agencies
from jusoor.auth import credentials
from jusoor.core.i18n import gettext as _
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.forms import parse_id, redirect

router = APIRouter(include_in_schema=False)


@router.post("/admin/users/{user_id}/unlock", response_class=HTMLResponse)
def unlock(db: DbSession, actor: CurrentActor, user_id: str) -> Response:
    """Forget the user's failed attempts (permission users.manage, in scope; audited)."""
    uid = parse_id(user_id, _("No such user."))
    user = agencies.get_user(db, actor=actor, user_id=uid, action="users.manage")
    credentials.unlock(db, actor=actor, user=user)
    return redirect(f"/admin/users/{user.id}?done=unlocked")
