"""Short breaks and crisis response: hours, unsocial hours, crisis referrals, outcomes, 2009/10."""

import dash
from dash import html

from dashboard import ids
from dashboard.components.fold import fold_control, more_detail
from dashboard.components.intro import page_intro
from dashboard.components.updating import updating
from dashboard.filters import view_values

VIEW_CONTROLS = (fold_control("detail", ids.SHORT_BREAKS_FOLD),)

dash.register_page(
    __name__,
    path="/short-breaks",
    name="Short breaks",
    title="Short breaks and crisis response · Kent Carers Commissioning Dashboard",
    description=(
        "Short-break hours by type, unsocial hours, crisis referrals and the dementia share, "
        "admissions and failed discharges prevented, 2009/10 providers and respite, and a "
        "control chart of crisis referrals."
    ),
    order=50,
    nav=True,
    view_controls=VIEW_CONTROLS,
)


def layout(**query) -> html.Div:
    values, _ = view_values(query, VIEW_CONTROLS)
    return html.Div(
        [
            html.H1("Short breaks and crisis response", className="h3"),
            *page_intro(
                "Replacement care so carers can take a break, and the crisis response service.",
                "Both are delivered Kent-wide by Crossroads Care Kent since 2013. The 2016 "
                "committee report publishes Kent figures for 2015/16 and April–September 2016; "
                "they are shown as published. Other periods and every locality use demo "
                "quarterly returns. The 2009/10 providers and respite purchases, from before the "
                "Kent-wide contract, are shown as published.",
            ),
            updating(html.Div(id=ids.SHORT_BREAKS_CHARTS)),
            # Secondary charts, folded so the page opens on what a committee reads first.
            more_detail(
                "More detail: the published figures as printed, 2009/10 providers and "
                "respite, and a control chart of crisis referrals",
                ids.SHORT_BREAKS_FOLD,
                ids.SHORT_BREAKS_DETAIL,
                ids.SHORT_BREAKS_DETAIL_REQUEST,
                open_=values["detail"] == "open",
            ),
        ]
    )
