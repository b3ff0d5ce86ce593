"""API and dashboard: the stored data served read-only over HTTP (FastAPI).

``create_app(db)`` builds the application: JSON under ``/api/`` (described at
``/openapi.json``; the endpoints are in :mod:`.routes`), the dashboard at ``/`` with its
assets under ``/static/``, and plotly.js from the installed ``plotly`` package and the world
map's outlines under ``/vendor/`` (no CDN: everything works offline). The database is opened read-only once;
each request works on its own cursor, and reads it through the store's named queries. All
values reach SQL as parameters; invalid parameters get a 4xx answer saying what is wrong.
The server answers only to the host names it is given (:mod:`.hosts`), and keeps its answers
in a cache bounded in entries and bytes (:mod:`.cache`).
"""
from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Optional, Sequence

from fastapi import FastAPI
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from ..settings import default_db
from ..store import Store
from .cache import ResponseCache
from .event_index import EventIndex
from .hosts import LOOPBACK_HOSTS, TrustedHosts, serve_hosts
from .routes import ROUTERS

__all__ = ["create_app", "app_from_env", "plotly_js", "serve_hosts", "LOOPBACK_HOSTS"]


def plotly_js() -> Path:
    """plotly.min.js as the ``plotly`` package ships it."""
    return Path(str(resources.files("plotly").joinpath("package_data", "plotly.min.js")))


def world_map() -> Path:
    """The Natural Earth 1:110m country outlines as GeoJSON, features keyed by ISO alpha-3 (package data)."""
    return Path(str(resources.files("communique").joinpath("data", "world.geojson")))


def bad_value(request, exc: ValueError) -> JSONResponse:
    """A ValueError of the analysis (a parameter it cannot use) as a 400 answer."""
    return JSONResponse({"detail": " ".join(str(exc).split())}, status_code=400)  # one line


def add_dashboard(app: FastAPI) -> None:
    """The dashboard's page at ``/``, its assets under ``/static/`` and plotly.js under ``/vendor/``."""
    static = resources.files("communique").joinpath("api", "static")

    @app.get("/", include_in_schema=False)
    def dashboard():
        return FileResponse(str(static.joinpath("index.html")))

    @app.get("/vendor/plotly.min.js", include_in_schema=False)
    def plotly():
        return FileResponse(plotly_js(), media_type="text/javascript")

    @app.get("/vendor/world.geojson", include_in_schema=False)
    def world():  # the countries' outlines for the map (plotly would fetch its own from a CDN)
        return FileResponse(world_map(), media_type="application/geo+json")

    app.mount("/static", StaticFiles(directory=str(static)), name="static")


def create_app(db: str, allowed_hosts: Optional[Sequence[str]] = None,
               cache: Optional[ResponseCache] = None) -> FastAPI:
    """The API and dashboard application over the database file ``db`` (opened read-only), answering
    requests to ``allowed_hosts`` (default: the loopback names; ``*``: any) and to the address they
    reached it on; ``cache`` keeps its answers (default: a :class:`ResponseCache` of the default bounds)."""
    store = Store(db, read_only=True)
    app = FastAPI(title="communique", version="1", description=__doc__.split("\n\n")[0],
                  openapi_url="/openapi.json", docs_url=None, redoc_url=None)  # their pages load scripts from a CDN
    app.state.store, app.state.index = store, EventIndex.load(store)
    app.state.cache = cache if cache is not None else ResponseCache()
    app.add_middleware(TrustedHosts, hosts=LOOPBACK_HOSTS if allowed_hosts is None else allowed_hosts)
    for router in ROUTERS:
        app.include_router(router)
    app.add_exception_handler(ValueError, bad_value)
    add_dashboard(app)
    return app


def app_from_env() -> FastAPI:
    """The application over ``$COMMUNIQUE_DB``, answering to ``$COMMUNIQUE_HOST`` and the loopback names
    (for server processes started by uvicorn)."""
    return create_app(default_db(), allowed_hosts=serve_hosts(os.environ.get("COMMUNIQUE_HOST", "127.0.0.1")))
