"""The meeting pack: every page's charts for one set of filters, as a PDF and a ZIP of PNGs.

The web page (a background callback) and ``python -m dashboard export-pack`` both call
:func:`build_pack`, so the two give the same pack. Each page's charts are built by the same view
functions as the page, with the page's own controls at their defaults, except the planner's
scenario, which is read from the address the pack was made from (``view_query``).
"""

from __future__ import annotations

import base64
import logging
import tempfile
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from dashboard import exports, pack_pdf, rendering
from dashboard.charts import ChartSpec
from dashboard.db.repository import Repository
from dashboard.filters import Filters, ViewControl, query_values, to_query, view_values
from dashboard.views import funding, hours, investment, planner, reach, short_breaks, targets
from dashboard.views.common import ViewContext

logger = logging.getLogger(__name__)

PACK_PROBLEM = (
    "The meeting pack could not be made: {problem}. Nothing is wrong with the data; try again "
    "in a minute."
)
# Packs made at once on one server: each takes a browser and about a gigabyte for a minute or
# two, and the button is open to every visitor, so requests beyond this are turned away.
PACKS_AT_ONCE = 1
PACKS_BUSY = (
    "Another meeting pack is being made on this server right now; try again in a minute or two."
)
PACK_SLOTS_KEY = "meeting-packs-being-made"
# A slot held longer than this belongs to a job that died without freeing it.
PACK_SLOT_SECONDS = 15 * 60


def take_pack_slot(jobs, job: int, now: float, running: Callable[[int], bool]) -> bool:
    """Whether the job ``job`` (a process id) may make a pack now; if so it holds a slot until
    :func:`free_pack_slot`. ``jobs``: a ``diskcache.Cache`` every worker shares; ``running``
    tells whether a process id is still a live job (the slots of any other are free again)."""
    with jobs.transact():
        held = {
            holder: since
            for holder, since in jobs.get(PACK_SLOTS_KEY, {}).items()
            if running(holder) and now - since < PACK_SLOT_SECONDS
        }
        taken = len(held) < PACKS_AT_ONCE
        jobs.set(PACK_SLOTS_KEY, {**held, job: now} if taken else held)
        return taken


def free_pack_slot(jobs, job: int) -> None:
    """Give back the slot that :func:`take_pack_slot` gave ``job``."""
    with jobs.transact():
        held = dict(jobs.get(PACK_SLOTS_KEY, {}))
        held.pop(job, None)
        jobs.set(PACK_SLOTS_KEY, held)


@dataclass(frozen=True)
class PackPage:
    """One dashboard page in the pack: its name, URL path and chart builder."""

    name: str
    path: str
    charts: Callable[[Repository, ViewContext, Mapping[str, str]], list[ChartSpec]]
    view_controls: tuple[ViewControl, ...] = ()  # read from the address; charts gets values

    def link(self, base_url: str, filters: Filters, values: Mapping[str, str]) -> str:
        """The address that reopens this page's view: filters, then controls off default."""
        query = to_query(filters)
        extra = urlencode(
            [
                (control.parameter, values[control.parameter])
                for control in self.view_controls
                if values.get(control.parameter, control.default) != control.default
            ]
        )
        if extra:
            query = f"{query}&{extra}" if query else f"?{extra}"
        return f"{base_url.rstrip('/')}{self.path}{query}"


def _funding_charts(
    repo: Repository, context: ViewContext, _values: Mapping[str, str]
) -> list[ChartSpec]:
    frame = repo.funding()
    builders = (
        funding.funding_split,
        funding.nhs_share,
        funding.funding_over_time,
        funding.funding_flow,
    )
    return [build(frame, context) for build in builders]


def _reach_charts(
    repo: Repository, context: ViewContext, _values: Mapping[str, str]
) -> list[ChartSpec]:
    from dashboard.callbacks.reach import reach_data

    data = repo.page_data(reach_data)
    confidence = reach.CONFIDENCE_LEVELS["95"]
    map_spec = reach.reach_map(
        data,
        context,
        measure=reach.DEFAULT_MEASURE,
        colour_mode="value",
        geojson=repo.boundaries,
        boundaries_available=repo.boundaries is not None,
        confidence=confidence,
    )
    return [
        map_spec,
        reach.reach_funnel(data, context, confidence),
        reach.reach_ranking(data, context, confidence),
    ]


def _investment_charts(
    repo: Repository, context: ViewContext, _values: Mapping[str, str]
) -> list[ChartSpec]:
    from dashboard.callbacks.investment import load

    data = repo.page_data(load)
    key = investment.DEFAULT_DENOMINATOR
    return [
        investment.per_head_bars(data, context, key),
        investment.per_head_map(data, context, key, repo.boundaries),
        investment.rank_stability(data, context),
        investment.care_group_heatmap(data, context),
    ]


def _short_breaks_charts(
    repo: Repository, context: ViewContext, _values: Mapping[str, str]
) -> list[ChartSpec]:
    from dashboard.callbacks.short_breaks import MEASURES

    data = {measure: repo.observations(measure) for measure in MEASURES}
    return short_breaks.page_specs(data, context)


def _targets_charts(
    repo: Repository, context: ViewContext, _values: Mapping[str, str]
) -> list[ChartSpec]:
    from dashboard.callbacks.targets import load

    data = repo.page_data(load)
    return [
        targets.contract_targets(data, context),
        targets.yearly_targets(data, context),
        targets.locality_comparison(data, context, targets.TARGET_CHOICES[0][0]),
        targets.new_carers_quarterly(data, context),
    ]


def _planner_charts(
    repo: Repository, context: ViewContext, values: Mapping[str, str]
) -> list[ChartSpec]:
    from dashboard.callbacks.planner import load

    scenario = planner.Scenario.from_values(dict(values))
    return [
        *planner.scenario_charts(repo.page_data(load), context, scenario),
        hours.hours_of_caring(repo.observations("census-carers"), context),
    ]


def _data_quality_charts(
    repo: Repository, context: ViewContext, _values: Mapping[str, str]
) -> list[ChartSpec]:
    from dashboard.callbacks.data_methods import quality_charts

    return list(quality_charts(repo, context, date.today().isoformat()))


PAGES: dict[str, PackPage] = {
    "funding": PackPage("Funding", "/funding", _funding_charts),
    "reach": PackPage("Carers versus reach", "/reach", _reach_charts),
    "investment": PackPage("Investment per head", "/investment", _investment_charts),
    "planner": PackPage("Fair-share planner", "/planner", _planner_charts, planner.VIEW_CONTROLS),
    "short-breaks": PackPage("Short breaks and crisis", "/short-breaks", _short_breaks_charts),
    "targets": PackPage("Contract targets", "/targets", _targets_charts),
    "data": PackPage("Data quality", "/data", _data_quality_charts),
}


@dataclass(frozen=True)
class PackResult:
    pdf: Path
    zip: Path
    charts: int


Progress = Callable[[int, int, str], None]


def page_values(page: PackPage, view_query: str) -> dict[str, str]:
    """The page's own controls from the address (defaults where absent or not accepted)."""
    return view_values(query_values(view_query), page.view_controls)[0]


def pack_charts(
    repo: Repository, filters: Filters, pages: Sequence[str], view_query: str = ""
) -> list[tuple[PackPage, ChartSpec]]:
    """Every chart of ``pages`` for ``filters``, in page order (some say why they are empty).

    ``view_query`` is the query string of the address the pack is made from; pages that read
    their controls from it (the planner's scenario) take their values there.
    """
    context = ViewContext.from_repo(repo, filters.to_dict())
    return [
        (PAGES[slug], spec)
        for slug in pages
        for spec in PAGES[slug].charts(repo, context, page_values(PAGES[slug], view_query))
    ]


def build_pack(
    repo: Repository,
    filters: Filters,
    out_dir: Path,
    *,
    base_url: str,
    pages: Sequence[str] = tuple(PAGES),
    progress: Progress | None = None,
    today: date | None = None,
    view_query: str = "",
) -> PackResult:
    """Write ``meeting-pack_<filters>.pdf`` and ``.zip`` (PNGs, A4 preset) into ``out_dir``."""
    every_chart = pack_charts(repo, filters, pages, view_query)
    # A chart, or a table alone (most data-quality cards); one that is unavailable for these
    # filters is named on the cover with the reason instead.
    charts = [(page, spec) for page, spec in every_chart if not spec.unavailable]
    context = ViewContext.from_repo(repo, filters.to_dict())
    data_version = repo.data_version()
    stem = exports.export_stem("meeting-pack", filters, "")
    out_dir.mkdir(parents=True, exist_ok=True)
    pdf_path, zip_path = out_dir / f"{stem}.pdf", out_dir / f"{stem}.zip"
    preset = exports.PRESETS["report"]
    made_on = today or date.today()
    entries = []
    try:
        with rendering.warm_renderer(), zipfile.ZipFile(zip_path, "w") as archive:
            for done, (page, spec) in enumerate(charts):
                if progress:
                    progress(done, len(charts), spec.title)
                info = exports.ExportInfo(
                    link=page.link(base_url, filters, page_values(page, view_query)),
                    data_version=data_version,
                    made=made_on,
                )
                image = None
                if spec.figure is not None:
                    figure = exports.export_figure(spec, info, preset)
                    image = rendering.render(figure, "png", preset)
                    archive.writestr(
                        exports.export_filename(spec, filters, "png"),
                        image,
                    )
                entries.append(pack_pdf.PackEntry(page.name, spec, image, info.link))
    except BaseException:
        zip_path.unlink(missing_ok=True)  # no half-written pack is left behind
        raise
    cover = pack_pdf.Cover(
        filters=context.subtitle(),
        data_version=data_version,
        made_on=made_on.isoformat(),
        pages=tuple(PAGES[slug].name for slug in pages),
        unavailable=tuple(
            f"{page.name}: {spec.title}. {spec.unavailable}"
            for page, spec in every_chart
            if spec.unavailable
        ),
    )
    pdf_path.write_bytes(pack_pdf.pack_pdf(cover, entries))
    if progress:
        progress(len(charts), len(charts), "done")
    return PackResult(pdf_path, zip_path, len(entries))


@dataclass(frozen=True)
class PackDownloads:
    """What the page's meeting-pack button is given: the two files as downloads, or why not."""

    pdf: dict | None
    zip: dict | None
    message: str


def pack_downloads(
    repo: Repository, filters: Filters, href: str, progress: Progress | None = None
) -> PackDownloads:
    """The pack for the page at ``href`` as download data, made in a folder removed after."""
    address = urlsplit(href or "")
    base_url = f"{address.scheme}://{address.netloc}" if address.netloc else ""
    with tempfile.TemporaryDirectory() as folder:
        try:
            result = build_pack(
                repo,
                filters,
                Path(folder),
                base_url=base_url,
                progress=progress,
                view_query=address.query,
            )
        except rendering.RenderingUnavailable as problem:
            logger.warning("The meeting pack could not be made: %s", problem)
            return PackDownloads(None, None, PACK_PROBLEM.format(problem=problem))
        return PackDownloads(
            _download(result.pdf, "application/pdf"),
            _download(result.zip, "application/zip"),
            f"{result.charts} charts and tables: {result.pdf.name} and {result.zip.name}.",
        )


def _download(path: Path, media_type: str) -> dict:
    """A file as the data of a download component."""
    return {
        "content": base64.b64encode(path.read_bytes()).decode(),
        "base64": True,
        "filename": path.name,
        "type": media_type,
    }
