"""Accessible HTML tables (caption, header scopes) built from frames."""

from __future__ import annotations

import pandas as pd
from dash import html

from dashboard.db.repository import Reference


def simple_table(frame: pd.DataFrame, columns: dict[str, str], caption: str) -> html.Div:
    """A keyboard-scrollable table of ``frame`` with the given column labels."""
    header = html.Thead(html.Tr([html.Th(label, scope="col") for label in columns.values()]))
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Th(_text(row[columns_key]), scope="row")
                    if i == 0
                    else html.Td(_text(row[columns_key]))
                    for i, columns_key in enumerate(columns)
                ]
            )
            for _, row in frame.iterrows()
        ]
    )
    return html.Div(
        html.Table([html.Caption(caption), header, body], className="table table-sm table-striped"),
        className="table-responsive",
        tabIndex="0",
        role="region",
        **{"aria-label": caption},
    )


def _text(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value)


def data_methods_tables(reference: Reference) -> tuple:
    """The reference tables of the Data and methods page: sources, measures, schemes."""
    sources = simple_table(
        reference.sources,
        {
            "title": "Title",
            "publisher": "Publisher",
            "published": "Date",
            "licence": "Licence",
            "citation": "Citation",
        },
        "Sources, with licence and the citation used under charts",
    )
    measures = simple_table(
        reference.measures.sort_values("slug"),
        {
            "name": "Measure",
            "slug": "Identifier",
            "definition": "Definition",
            "unit": "Unit",
            "polarity": "Polarity",
            "finest_geography": "Finest geography",
        },
        "Measure catalogue",
    )
    names = dict(zip(reference.geographies["code"], reference.geographies["name"], strict=True))
    shares = reference.shares.assign(
        locality_name=reference.shares["locality"].map(names),
        district_name=reference.shares["district_code"].map(names),
        carer_share_text=(reference.shares["carer_share"] * 100).round(1).astype(str) + "%",
        population_share_text=(reference.shares["population_share"] * 100).round(1).astype(str)
        + "%",
    ).sort_values(["scheme", "locality_name", "district_name"])
    schemes = simple_table(
        shares,
        {
            "scheme": "Scheme",
            "locality_name": "Locality",
            "district_name": "District",
            "carer_share_text": "Share of district's carers",
            "population_share_text": "Share of residents aged 5+",
            "method": "Method",
        },
        "How districts map to localities in each scheme",
    )
    return sources, measures, schemes
