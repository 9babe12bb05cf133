"""The FastAPI app factory: one app, routers from each domain, deny-by-default access control."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from jusoor import __version__
from jusoor.core.config import get_settings
from jusoor.core.db import Database
from jusoor.web import errors
from jusoor.web.access import enforce_access
from jusoor.web.middleware import RequestContextMiddleware
from jusoor.web.ratelimit import RateLimitMiddleware

API_PREFIX = "/api/v1"


def _routers() -> list[object]:
    # Imported here so that building the app (not importing this module) pulls in every domain.
    from jusoor.agencies import api as agencies_api
    from jusoor.agencies import pages as agencies_pages
    from jusoor.audit import api as audit_api
    from jusoor.audit import pages as audit_pages
    from jusoor.auth import api as auth_api
    from jusoor.auth import pages as auth_pages
    from jusoor.web import health, home

    return [
        health.router,
        auth_pages.router,
        home.router,
        agencies_pages.router,
        audit_pages.router,
        auth_api.router,
        agencies_api.router,
        audit_api.router,
    ]


def static_dir() -> Path:
    return Path(str(resources.files("jusoor.web").joinpath("static")))


def create_app(database: Database | None = None) -> FastAPI:
    """Build the web app around `database` (default: the one `JUSOOR_DATABASE_URL` names)."""
    settings = get_settings()
    db = database or Database(settings.effective_database_url)
    app = FastAPI(
        title="Jusoor",
        version=__version__,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,  # Swagger UI would load scripts from a CDN; the JSON document is enough.
        redoc_url=None,
        dependencies=[Depends(enforce_access)],
    )
    app.state.database = db
    for router in _routers():
        app.include_router(router)  # type: ignore[arg-type]
    app.mount("/static", StaticFiles(directory=static_dir()), name="static")
    errors.install(app)
    app.add_middleware(RequestContextMiddleware, database=db)
    app.add_middleware(RateLimitMiddleware)  # outermost: refuses a flood before any work
    return app
