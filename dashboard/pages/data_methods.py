"""Data and methods: sources and licences, the measure catalogue, quality notes, geography."""

import dash
from dash import html

from dashboard import ids
from dashboard.components.status import LEGEND_TITLE, status_names

dash.register_page(
    __name__,
    path="/data",
    name="Data and methods",
    title="Data and methods · Kent Carers Commissioning Dashboard",
    description="Sources, licences, definitions, data-quality notes and locality schemes.",
    order=90,
    nav=True,
)


def layout(**_query) -> html.Div:
    return html.Div(
        [
            html.H1("Data and methods", className="h3"),
            html.P(
                # The statuses are named from the legend's own list, so a status added there
                # is named here too.
                f"Every figure on this dashboard is marked with its status: {status_names()}; "
                f"what each means is under “{LEGEND_TITLE}” at the foot of every page. "
                "This page shows the data's quality and completeness first, then lists the "
                "sources, what each measure means and how districts map to localities."
            ),
            html.Section(
                [html.H2("Data-quality notes", className="h4"), html.Div(id=ids.DATA_QUALITY)]
            ),
            html.Section(
                [html.H2("Sources and licences", className="h4"), html.Div(id=ids.DATA_SOURCES)]
            ),
            html.Section(
                [html.H2("Measure catalogue", className="h4"), html.Div(id=ids.DATA_MEASURES)]
            ),
            html.Section(
                [
                    html.H2("Locality schemes and district shares", className="h4"),
                    html.Div(id=ids.DATA_SCHEMES),
                ]
            ),
        ]
    )
