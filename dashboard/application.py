"""The application factory: the Dash app, its repository, routes, callbacks and security."""

from __future__ import annotations

import logging
import os
import threading
import time
from importlib.resources import files
from random import Random

import dash
import dash_bootstrap_components  # noqa: F401  (registers the component library before pages load)
from dash import Dash, html
from flask import Flask, Response, jsonify, request
from sqlalchemy.exc import SQLAlchemyError

from dashboard import errors, geo, security, theme
from dashboard.caching import ResultCache
from dashboard.callbacks import register_callbacks
from dashboard.components.shell import shell
from dashboard.config import DATA_DIR, PROJECT_ROOT, ConfigError, Settings, masked_url
from dashboard.db.engine import DatabaseUnavailable, make_engine
from dashboard.db.loader import shipped_data_version
from dashboard.db.repository import NoDashboardData, Repository
from dashboard.figures import maps
from dashboard.filters import meeting_filters
from dashboard.page_scripts import index_with_page_scripts
from dashboard.web import register_web

__all__ = ["create_app", "create_repository", "warm_up_in_background"]

BOOTSTRAP_CSS = "/vendor/bootstrap.min.css"
ASSETS_ENDPOINT = "_dash_assets.static"  # Dash's blueprint serving assets/
REPOSITORY_EXTENSION = "dashboard.repository"  # where the Flask server keeps the repository
WARM_UP_EXTENSION = "dashboard.warm-up"  # and the DASHBOARD_WARM_UP setting
WATCH_SECONDS = 30.0  # how often a worker's warm-up looks for new data (or a database back)
IDLE_CHECK_SECONDS = 0.5  # how often it looks for a pause in requests when the worker is busy
logger = logging.getLogger(__name__)


def create_app(settings: Settings | None = None) -> Dash:
    """Build the Dash app: settings from the environment unless given (as tests do)."""
    settings = settings or Settings.from_env()
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    theme.register_template()
    repo = create_repository(settings)
    shipped_version = shipped_data_version(DATA_DIR)
    available = _check_database(repo, settings, shipped_version)
    # Dash keeps pages in a module-level registry; start clean so each app gets exactly its pages.
    dash.page_registry.clear()
    app = Dash(
        __name__,
        use_pages=True,
        pages_folder="pages",
        assets_folder=str(PROJECT_ROOT / "assets"),
        external_stylesheets=[BOOTSTRAP_CSS],
        title=settings.title,
        update_title=None,
        suppress_callback_exceptions=False,
        # Flask-Compress (br/gzip, by the browser's Accept-Encoding): plotly.min.js alone is
        # 4.8 MB raw. Dash already serves its fingerprinted scripts with a one-year max-age.
        compress=True,
        on_error=errors.callback_fault,
    )
    # Streamed files are sent as they are: Flask-Compress's streaming path leaves the file open.
    # Whole bodies (Dash's scripts, pages, callbacks, and the assets, read whole by
    # ``whole_asset``) are compressed.
    app.server.config["COMPRESS_STREAMS"] = False
    app.index_string = index_with_page_scripts(
        app.index_string.replace("<html>", '<html lang="en-GB">', 1)
    )
    if not available:
        # Dash builds the layout once here to validate callbacks; without a database that
        # waits for Dash's first-request setup, which runs only once the database is back.
        app.validation_layout = html.Div(html.Div())  # (an empty Div counts as no layout)
    app.layout = lambda: shell(
        repo.reference().filter_choices(), title=settings.title, data_version=repo.data_version()
    )
    register_callbacks(app, repo)
    _add_routes(app, repo, shipped_version)
    limiter = security.install(app.server, settings, repo.engine)
    register_web(app.server, repo, limiter, max_upload_bytes=settings.max_upload_bytes)
    app.server.before_request(_refresher(repo))
    app.server.teardown_request(lambda _error: repo.end_request())
    errors.install(app, repo)
    app.server.extensions[REPOSITORY_EXTENSION] = repo
    app.server.extensions[WARM_UP_EXTENSION] = settings.warm_up
    return app


def warm_up_in_background(server: Flask) -> WarmUp:
    """Compute every page's default view in a thread, then (``DASHBOARD_WARM_UP=filters``, the
    default) that view for every locality and care group, so that the first visitors and a
    meeting's filter clicks find their figures cached; and again whenever new data is loaded.

    gunicorn calls this in each worker once it has loaded the app (``gunicorn.conf.py``), so
    start-up does not wait. With Redis the workers share what each one computes. A database
    that cannot be reached is logged and tried again later: requests answer 503 until it is back.
    """
    warm_up = WarmUp(server)
    warm_up.start()
    return warm_up


class WarmUp(threading.Thread):
    """The warm-up thread; ``stop()`` ends it after the view it is computing (worker exit).

    It gives way to the worker's requests: no view is started while one is being answered, so a
    click during the warm-up waits for one view at most, not for the whole warm-up.
    """

    def __init__(self, server: Flask):
        super().__init__(name="warm-up", daemon=True)
        self.server = server
        self.repo: Repository = server.extensions[REPOSITORY_EXTENSION]
        self.every_filter = server.extensions[WARM_UP_EXTENSION] == "filters"
        self._stopping = threading.Event()

    def stop(self) -> None:
        self._stopping.set()

    def run(self) -> None:
        with self.server.app_context():  # a card's signed origin uses the app's secret key
            self._watch()

    def _watch(self) -> None:
        warmed_version = None
        while not self._stopping.is_set():
            try:
                self.repo.check_available()
                version = self.repo.refreshed_version()
                if version != warmed_version and self.warm():
                    warmed_version = version
            except (DatabaseUnavailable, SQLAlchemyError) as exc:
                logger.warning(
                    "Views not warmed: the database cannot be used (%s); trying again in %.0f s.",
                    exc,
                    WATCH_SECONDS,
                )
            self._stopping.wait(WATCH_SECONDS)

    def warm(self) -> bool:
        """Compute the views (each page's default first); False if stopped before the end."""
        started, views = time.perf_counter(), self.repo.warm_ups()
        if not self._computed(views):
            return False
        logger.info("Warmed %d default views in %.1f s.", len(views), _since(started))
        if self.every_filter:
            started = time.perf_counter()
            # Workers sharing their results (DASHBOARD_RESULTS_DIR, REDIS_URL) each take the
            # filters in an order of their own: in the same order, each computed every view
            # at the same moment as the other, and warming took as long as alone.
            shuffle = Random(os.getpid()) if self.repo.result_cache().shared else None
            choices = self.repo.reference().filter_choices()
            views = self.repo.warm_ups(meeting_filters(choices, shuffle))
            if not self._computed(views):
                return False
            logger.info(
                "Warmed %d views of every locality and care group in %.1f s.",
                len(views),
                _since(started),
            )
        return True

    def _computed(self, views) -> bool:
        for view in views:
            while not self.repo.wait_until_idle(IDLE_CHECK_SECONDS):
                if self._stopping.is_set():
                    return False
            if self._stopping.is_set():
                return False
            try:
                with self.repo.one_version():
                    view()
            except Exception:
                # One view that fails (a value a chart cannot take, a statement timeout) is
                # computed again when asked for, where the page says what went wrong; the
                # others are still warmed, unless the database itself is gone (raised here).
                self.repo.check_available()
                logger.exception("A view could not be warmed: %s", view)
        return True


def _since(started: float) -> float:
    return time.perf_counter() - started


def create_repository(settings: Settings) -> Repository:
    """The repository over the configured database, with the boundaries; creates no file but
    the shared results' directory.

    Results are cached in Redis for every worker of every instance when ``REDIS_URL`` is set;
    else in files shared by this machine's workers when ``DASHBOARD_RESULTS_DIR`` is; else in
    this process.
    """
    boundaries = _boundaries(settings)
    return Repository(
        make_engine(settings.database_url, create=False),
        cache_size=settings.cache_size,
        boundaries=boundaries,
        results=_result_cache(settings),
    )


def _result_cache(settings: Settings) -> ResultCache:
    if settings.redis_url:
        return ResultCache.redis(settings.redis_url, settings.secret_key)
    if settings.results_dir is not None:
        try:
            return ResultCache.in_files(
                settings.results_dir, settings.result_cache_size, settings.secret_key
            )
        except OSError as exc:
            raise ConfigError(
                f"DASHBOARD_RESULTS_DIR {str(settings.results_dir)!r} cannot be used for the "
                f"results the workers share: {exc.strerror or exc}."
            ) from exc
    return ResultCache.in_memory(settings.result_cache_size)


def _check_database(repo: Repository, settings: Settings, shipped_version: str) -> bool:
    """Stop on a database without dashboard data; wait for one that cannot be reached yet;
    warn when its data was loaded from another copy of ``data/`` than ``shipped_version``.

    A worker that raised here would make gunicorn shut the whole server down, so an outage
    at start-up is logged and every request answers 503 until the database is back.
    """
    try:
        repo.check_available()
    except NoDashboardData:
        raise ConfigError(
            f"DATABASE_URL {masked_url(settings.database_url)!r} holds no dashboard data: run "
            "`python -m dashboard init-db` first."
        ) from None
    except DatabaseUnavailable as exc:
        logger.warning(
            "DATABASE_URL %s cannot be used yet (%s); serving 503 until it can.",
            masked_url(settings.database_url),
            exc,
        )
        return False
    loaded = repo.dataset_info().get("data_version")
    if loaded != shipped_version:
        logger.warning(
            "The database holds data version %s, loaded from another copy of data/ than this "
            "code's (%s): run `python -m dashboard init-db` to load it. Until then the pages "
            "show the database's data.",
            loaded,
            shipped_version,
        )
    return True


def _boundaries(settings: Settings):
    if settings.boundaries_path is None:
        logger.info("No boundary file configured or found: maps use the tile layout.")
        return None
    try:
        prepared = geo.read_prepared(settings.boundaries_path)
        if prepared is not None:
            return prepared
        # Any other file (an ONS download, a shapefile) needs geopandas and GDAL, which cost a
        # worker about 75 MB (benchmarks/README.md): loaded only for such a file.
        from dashboard import boundary_files

        return boundary_files.plotly_geojson(
            boundary_files.load_boundaries(settings.boundaries_path)
        )
    except geo.BoundaryError as exc:
        raise ConfigError(f"CARERS_BOUNDARIES: {exc}") from exc


def _refresher(repo: Repository):
    """A before-request hook: pick up data loaded by other workers, and read the data version
    the request's results are filed under (returns nothing).

    One small query (under a millisecond on SQLite; benchmarks/README.md) on every request
    that reads data; static files and /health skip it.
    """

    def refresh() -> None:
        if not request.path.startswith(errors.DATA_FREE_PREFIXES):
            repo.begin_request()

    return refresh


def _add_routes(app: Dash, repo: Repository, shipped_version: str) -> None:
    server = app.server
    # Held in memory (232 KB) so the response is a whole body, which Flask-Compress compresses.
    bootstrap = files("flask_bootstrap") / "static" / "bootstrap5" / "css" / "bootstrap.min.css"
    bootstrap_css_bytes = bootstrap.read_bytes()

    @server.route(BOOTSTRAP_CSS)
    def bootstrap_css():
        response = Response(bootstrap_css_bytes, mimetype="text/css")
        response.cache_control.public, response.cache_control.max_age = True, 86400
        response.add_etag()
        return response.make_conditional(request)

    @server.route(f"{maps.TOPOJSON_PATH}<name>.json")
    def empty_topojson(name: str):
        return jsonify(maps.empty_topology())

    @server.route("/health")
    def health():
        reachable = repo.ping()
        info = repo.dataset_info() if reachable else {}
        body = {
            "status": "ok" if reachable else "unavailable",
            "database": "reachable" if reachable else "unreachable",
            "data_version": repo.data_version() if reachable else None,
            "loaded_at": info.get("loaded_at"),
            # False: the database was loaded from another copy of data/ than this code's (a
            # release deployed without `init-db`), and pages show the database's data.
            "data_files_loaded": info.get("data_version") == shipped_version if info else None,
        }
        return jsonify(body), 200 if reachable else 503

    @server.after_request
    def whole_asset(response: Response) -> Response:
        # An asset is streamed from its file, which Flask-Compress sends as it is (streams are
        # not compressed: COMPRESS_STREAMS above). Read whole, assets/view.js (41 KB) and
        # style.css (12 KB) go compressed like Dash's own scripts, on every first load.
        whole = response.status_code == 200  # a range asked for stays as it was sent
        if request.endpoint == ASSETS_ENDPOINT and whole and response.direct_passthrough:
            stream = response.response
            response.direct_passthrough = False
            response.set_data(b"".join(stream))
            stream.close()
        return response

    # Dash answers every address with the app, whose router shows "Page not found" for one it
    # does not know; the status says so too, for link checkers, proxies and search engines.
    pages = {page["path"] for page in dash.page_registry.values() if page["path"] != "/404"}

    @server.after_request
    def not_found_status(response: Response) -> Response:
        dash_index = request.endpoint == app.config.routes_pathname_prefix + "<path:path>"
        if dash_index and "/" + request.path.strip("/") not in pages:
            response.status_code = 404
        return response
