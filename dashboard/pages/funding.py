"""Funding split: who pays for carers' services, by service line and year, and where it goes."""

import dash
from dash import dcc, html

from dashboard import ids

dash.register_page(
    __name__,
    path="/funding",
    name="Funding",
    title="Funding split · Kent Carers Commissioning Dashboard",
    description="KCC and NHS funding for carers' services by service line, year and locality.",
    order=10,
    nav=True,
)


def layout(**_query) -> html.Div:
    return html.Div(
        [
            html.H1("Funding split", className="h3"),
            html.P(
                "How funding for adult carers' services splits between Kent County Council and "
                "the NHS (the seven Clinical Commissioning Groups until 2020, then NHS Kent and "
                "Medway). Without a period filter the page shows 2016/17, the latest year with "
                "published allocations.",
                className="page-intro",
            ),
            dcc.Loading(html.Div(id=ids.FUNDING_CHARTS), type="default"),
        ]
    )
