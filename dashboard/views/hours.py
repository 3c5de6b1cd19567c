"""Need by hours of caring: Census 2021 carers by weekly hours band, and the change from 2011.

Offered wherever carers are the denominator (reach, investment per head, the planner), so the
group can see where intensive caring is concentrated. Census counts are not recorded by care
group, so the chart always shows all care groups (tagged so under a care-group filter).
"""

from __future__ import annotations

import pandas as pd

from dashboard import formatting
from dashboard.charts import ALL_CARE_GROUPS, ChartSpec, Column, unavailable_spec
from dashboard.figures import hours as figures
from dashboard.rules import KENT_CODE, locality_districts
from dashboard.views.common import ROWS_OUTLINED, ViewContext

CENSUS_2021, CENSUS_2011 = "census-2021", "census-2011"
BANDS = (("1-19 hours", "light"), ("20-49 hours", "middle"), ("50+ hours", "heavy"))
BAND_WORDS = {"light": "19 hours or less", "middle": "20 to 49 hours", "heavy": "50 hours or more"}
SOURCES = ("ons-census-2021-ts039", "ons-census-2011-unpaid-care")
KENT_NAME = "Kent (all 12 districts)"


def hours_frame(census_carers: pd.DataFrame, context: ViewContext) -> pd.DataFrame:
    """One row per district, then Kent: carers in each band in 2021 and 2011, each band's share
    of the district's carers in 2021 (%), and each band's change since 2011 (%).

    Columns: code, name, <band>_2021, <band>_2011, <band>_share, <band>_change for band in
    light, middle, heavy; carers_2021; status. Kent is the sum of the 12 districts.
    """
    names = context.district_names()
    frame = pd.DataFrame({"code": list(names), "name": list(names.values())})
    for category, band in BANDS:
        for period, suffix in ((CENSUS_2021, "2021"), (CENSUS_2011, "2011")):
            rows = census_carers[
                (census_carers["period"] == period) & (census_carers["category"] == category)
            ]
            frame[f"{band}_{suffix}"] = frame["code"].map(
                rows.set_index("geography")["value"].astype(float)
            )
    value_columns = [c for c in frame.columns if c.endswith(("_2021", "_2011"))]
    kent = {"code": KENT_CODE, "name": KENT_NAME, **frame[value_columns].sum(min_count=1)}
    frame = pd.concat([frame, pd.DataFrame([kent])], ignore_index=True)
    total = frame[[f"{band}_2021" for _c, band in BANDS]].sum(axis=1, min_count=len(BANDS))
    frame = frame.assign(carers_2021=total)
    for _category, band in BANDS:
        frame[f"{band}_share"] = 100 * frame[f"{band}_2021"] / total
        frame[f"{band}_change"] = 100 * (frame[f"{band}_2021"] / frame[f"{band}_2011"] - 1)
    return frame.assign(status="census")


def _since_2011(kent: pd.Series) -> str:
    """The change in the number of Kent's carers caring 50+ hours, in words: "+21% on 2011"
    beside a share read as the share's change."""
    change = formatting.finite_number(kent["heavy_change"])
    if change is None:
        return ""
    more = "more" if change >= 0 else "fewer"
    amount = formatting.format_percent(abs(change))
    return f", where {amount} {more} carers care 50+ hours than in 2011"


def hours_of_caring(census_carers: pd.DataFrame, context: ViewContext) -> ChartSpec:
    """Each district's carers by hours of caring a week (2021), with the change from 2011, the
    district with the largest share caring 50+ hours first."""
    key = "carers-hours"
    title = "Carers by hours of caring a week"
    subtitle = context.subtitle("Census 2021, change from Census 2011", ALL_CARE_GROUPS)
    subtitle += context.highlighted(ROWS_OUTLINED)
    frame = hours_frame(census_carers, context)
    districts = frame[frame["code"] != KENT_CODE]
    if districts["carers_2021"].isna().all():
        return unavailable_spec(key, title, subtitle, "No Census hours bands are loaded.")
    kent = frame.iloc[-1]
    # Most intensive first, as the title reads (in code order, the district it names was the
    # 10th row of 13); Kent stays last.
    districts = districts.sort_values(["heavy_share", "name"], ascending=[False, True])
    frame = pd.concat([districts, frame.iloc[[-1]]], ignore_index=True)
    top = districts.iloc[0]
    title = (
        f"Intensive caring is most concentrated in {top['name']}: "
        f"{formatting.format_percent(top['heavy_share'])} of its carers care 50+ hours a week "
        f"(Kent {formatting.format_percent(kent['heavy_share'])}{_since_2011(kent)})"
    )
    columns = [Column("name", "District")]
    for _category, band in BANDS:
        words = BAND_WORDS[band]
        columns += [
            Column(f"{band}_2021", f"{words} (2021)", "count"),
            # One decimal, as stored: whole percents rounded from it disagreed with the bars'
            # (55.46 is 55% on the bar, 55.5 and then 56% in the table) and added up to 101%.
            Column(f"{band}_share", f"{words}: share of carers (2021)", "percent", 1),
            Column(f"{band}_2011", f"{words} (2011)", "count"),
            Column(f"{band}_change", f"{words}: change in number from 2011 (%)", "percent", 1),
        ]
    columns.append(Column("status", "Status", "status"))
    rounded = {
        f"{band}_{part}": frame[f"{band}_{part}"].round(1)
        for _c, band in BANDS
        for part in ("share", "change")
    }
    return context.chart(
        key=key,
        title=title,
        subtitle=subtitle,
        figure=figures.hours_bands(
            frame,
            bands=[(band, BAND_WORDS[band]) for _c, band in BANDS],
            highlight=locality_districts(context.weights)[0],
        ),
        table=frame.assign(**rounded),
        columns=tuple(columns),
        sources=SOURCES,
        recorded=ALL_CARE_GROUPS,
        measure="census-carers",
        statuses=("census",),
        key_column="heavy_share",
        period_label="Census 2021 and 2011",
        alt_text=(
            "Stacked horizontal bars of each district's carers split by weekly hours of care "
            "(19 or less, 20 to 49, 50 or more), as shares of its carers in 2021, with the change "
            f"in carers caring 50+ hours since 2011 written beside each bar. {title}."
        ),
        footnotes=(
            "Census 2021 counts carers aged 5 and over; Census 2011 counts are derived from "
            "published percentages of all usual residents, so changes are approximate.",
            "Census counts are not recorded by care group.",
        ),
    )
