"""Investment per head: spend per resident, per carer and per carer caring 50+ hours by district."""

import dash
import dash_bootstrap_components as dbc
from dash import html

from dashboard import ids
from dashboard.components.intro import page_intro
from dashboard.components.updating import updating
from dashboard.filters import ViewControl, view_values
from dashboard.views.investment import DEFAULT_DENOMINATOR

DENOMINATOR_OPTIONS = [
    {"label": "Per resident (all ages)", "value": "residents"},
    {"label": "Per unpaid carer", "value": "carers"},
    {"label": "Per carer caring 50+ hours a week", "value": "carers_50plus"},
]
VIEW_CONTROLS = (
    ViewControl(
        "per",
        ids.INVESTMENT_DENOMINATOR,
        "denominator",
        DEFAULT_DENOMINATOR,
        tuple(option["value"] for option in DENOMINATOR_OPTIONS),
    ),
)

dash.register_page(
    __name__,
    path="/investment",
    name="Investment per head",
    title="Investment per head · Kent Carers Commissioning Dashboard",
    description=(
        "Spend per resident, per carer and per carer caring 50+ hours by district, how the "
        "ranking moves with the denominator, and spend per carer supported by care group."
    ),
    order=40,
    nav=True,
    view_controls=VIEW_CONTROLS,
)


def layout(**query) -> html.Div:
    values, _ = view_values(query, VIEW_CONTROLS)
    return html.Div(
        [
            html.H1("Investment per head", className="h3"),
            *page_intro(
                "Spend on carers' services per head, by district (all district figures are demo).",
                "Per resident, per unpaid carer and per carer caring 50 or more hours a week, as "
                "the evaluation recommended. Without a period filter each chart shows the latest "
                "year it has allocations for and names it in its subtitle. Allocations are "
                "published for Kent as a whole only, so every district figure here is "
                "demonstration data; see the method below.",
            ),
            html.Fieldset(
                [
                    html.Legend(
                        "Spend per head of", className="fs-6 fw-bold float-start w-auto me-3 mb-0"
                    ),
                    dbc.RadioItems(
                        id=ids.INVESTMENT_DENOMINATOR,
                        options=DENOMINATOR_OPTIONS,
                        value=values["per"],
                        inline=True,
                    ),
                ],
                className="investment-denominator mb-3",
            ),
            updating(html.Div(id=ids.INVESTMENT_CHARTS)),
            updating(html.Div(id=ids.INVESTMENT_DETAIL)),
            updating(html.Div(id=ids.INVESTMENT_HOURS)),
            _method(),
        ]
    )


def _method() -> html.Section:
    return html.Section(
        [
            html.H2("Method", className="h5", id="investment-method-title"),
            html.H3("Which funding can be attributed to districts", className="h6"),
            html.P(
                "None of the published allocations can. The 2016/17 table gives Kent-wide "
                "allocations only: KCC £5.66m and the seven Kent CCGs £1.84m (£7.5m) for "
                "Carers' Assessment & Support (CAS) and short breaks, with KCC's £772k budget "
                "for carers' direct payments reported separately. CAS was let as contracts for "
                "six localities and NHS money came through seven CCGs; their district shares "
                "are not published. The short breaks contract is Kent-wide."
            ),
            html.P(
                "Where money is known for a contract locality or a CCG, it can be apportioned "
                "to districts by the shares in the data: whole districts take all of it, and "
                "the split districts (Tonbridge and Malling and Sevenoaks for the CAS "
                "localities; Sevenoaks and Swale for the CCGs) take their Census 2021 share of "
                "the locality's carers. The district allocations on this page are demo data "
                "built that way: split by need, then calibrated so each year's districts add "
                "up to the published county totals where they exist (2016/17). Every per-head "
                "figure is therefore demo."
            ),
            html.H3("What is counted", className="h6"),
            html.P(
                "Spend covers CAS, short breaks (contracted and grant funded) and carers' direct "
                "payments, from KCC and the NHS; the table under each chart shows each part. "
                "Denominators are Census 2021 residents (all ages), unpaid carers aged 5 and "
                "over, and carers giving 50 or more hours of care a week, used for every year."
            ),
            html.H3("Intervals and comparison with Kent", className="h6"),
            html.P(
                "No confidence intervals are drawn. Spend is an amount of money decided by "
                "commissioners, not a count of events, so Poisson or Wilson intervals do not "
                "apply, and the Census denominators are complete counts. Instead each district "
                "is compared with the Kent average (all 12 districts' spend over all 12 "
                "districts' denominator) in bands: within 10%, 10% to 20%, and 20% or more above "
                "or below. The bands describe size, not statistical significance."
            ),
            html.H3("Spend per carer supported by care group", className="h6"),
            html.P(
                "Allocations are not made by care group, and the Census does not count carers "
                "by the care group of the person they care for. The heat map therefore shares "
                "each district's spend between care groups by the mix of the activity each part "
                "pays for (CAS by carers supported, short breaks by crisis referrals, direct "
                "payments by one-off payments, all from the demo monitoring returns for the "
                "year) and divides by the carers supported in that care group. This split is "
                "modelled by the dashboard and rests on demo data. Cells with 1 to 4 carers "
                "supported show <5."
            ),
        ],
        className="investment-method card card-body mb-3",
        **{"aria-labelledby": "investment-method-title"},
    )
