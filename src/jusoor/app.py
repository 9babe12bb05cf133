"""The FastAPI app factory: one app, routers from each domain, deny-by-default access control."""

from __future__ import annotations

import importlib
import os
from importlib import resources
from pathlib import Path

from fastapi import APIRouter, Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.trustedhost import TrustedHostMiddleware

from jusoor import __version__
from jusoor.core import datafiles, i18n, registry
from jusoor.core.config import get_settings
from jusoor.core.db import Database
from jusoor.domains import register_all
from jusoor.web import errors, templating
from jusoor.web.access import enforce_access
from jusoor.web.head import HeadAsGet
from jusoor.web.middleware import RequestContextMiddleware
from jusoor.web.ratelimit import RateLimitMiddleware

API_PREFIX = "/api/v1"


def _routers() -> list[APIRouter]:
    # Imported when the app is built (not when this module is): each domain's `routers`, in the
    # order jusoor.domains lists the domains and each domain lists its modules (core.registry).
    routers = []
    for name in registry.router_modules():
        router = importlib.import_module(name).router
        if not isinstance(router, APIRouter):
            raise TypeError(f"{name}.router is not an APIRouter")
        routers.append(router)
    return routers


def static_dir() -> Path:
    return Path(str(resources.files("jusoor.web").joinpath("static")))


WARM_ENV = "JUSOOR_WARM_UP"  # set by `jusoor serve` for the worker processes it starts


def warm_up() -> None:
    """Load, before the first request, what the domains keep once read (`Domain.warm`): the
    monitor's gazetteers and the person model took the first viewer of their pages 0.4-0.7 s,
    and every request that arrived meanwhile as long (the first load of a national node's load
    test: the monitor page's p95 440 ms over 19 views, all but the first 30 ms). Called by
    `jusoor serve` (and its worker processes), not by every app a test builds."""
    templating.warm()
    for name in registry.warmers():
        registry.resolve(name)()


def warm_translations() -> None:
    """Read every language's catalog before the first request. Read on first use, they were read
    by every request that arrived before the first read ended: under load, fifty people signing
    in at once parsed the Arabic catalog dozens of times over (0.1 s of CPU each)."""
    for locale in i18n.LOCALES:
        i18n.catalog(locale)


def create_app(database: Database | None = None) -> FastAPI:
    """Build the web app around `database` (default: the one `JUSOOR_DATABASE_URL` names)."""
    register_all()  # every domain, with its extensions of the layers below it (jusoor.domains)
    datafiles.check_all()  # every declared data file parses into its model, or no start-up
    warm_translations()
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
    if os.environ.get(WARM_ENV):  # a worker process of `jusoor serve --workers N`
        warm_up()
    for router in _routers():
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=static_dir()), name="static")
    errors.install(app)
    # Inside the context middleware, so a refused Host still gets the security headers.
    app.add_middleware(
        TrustedHostMiddleware, allowed_hosts=settings.effective_allowed_hosts, www_redirect=False
    )
    app.add_middleware(RequestContextMiddleware, database=db)
    app.add_middleware(HeadAsGet)  # a HEAD is read as its GET, so limits and identity apply
    app.add_middleware(RateLimitMiddleware)  # outermost: refuses a flood before any work
    return app
