"""Funding split: who pays for carers' services, by service line and year, and where it goes."""

import dash
from dash import html

from dashboard import ids
from dashboard.components.intro import page_intro
from dashboard.components.updating import updating

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
            *page_intro(
                "How funding for adult carers' services splits between KCC and the NHS.",
                "The NHS is the seven Clinical Commissioning Groups until 2020, then NHS Kent and "
                "Medway. Without a period filter each chart shows the latest year it has "
                "allocations for and names it in its subtitle; choose 2016/17 for the published "
                "table.",
            ),
            updating(
                html.Div(
                    [html.Div(id=ids.FUNDING_SPLIT_CHARTS), html.Div(id=ids.FUNDING_FLOW)],
                    id=ids.FUNDING_CHARTS,
                )
            ),
        ]
    )
