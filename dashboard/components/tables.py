"""Accessible HTML tables (caption, header scopes) built from frames."""

from __future__ import annotations

import re
from html import escape

import pandas as pd
from dash import dcc, html

from dashboard.db.repository import Reference

_LINE_BREAK = re.compile("\r\n|[\n\r\v\f\x85\u2028\u2029]")


def text_table(
    caption: str, header: list[str], rows: list[list[str]], class_name: str
) -> dcc.Markdown:
    """A table of plain text as one component: the HTML is written here, every text escaped,
    each row's first cell its header.

    Dash's renderer tells every mounted component of every store update, and mounting one is an
    update: /data's tables, about 2,000 components of cells, took 7.9 s of the renderer's time
    to draw, so the page showed its first chart 10 s after it was opened.
    """

    def written(text) -> str:
        # One line of HTML: a blank line would end Markdown's HTML block, and what followed
        # would be read as Markdown (a link, a heading). Markdown ends a line at a carriage
        # return alone too, which a crafted form sends.
        return _LINE_BREAK.sub("<br>", escape(str(text)))

    def cell(tag: str, text: str, scope: str = "") -> str:
        attribute = f' scope="{scope}"' if scope else ""
        return f"<{tag}{attribute}>{written(text)}</{tag}>"

    head = "".join(cell("th", label, "col") for label in header)
    body = "".join(
        "<tr>"
        + "".join(
            cell("th", text, "row") if i == 0 else cell("td", text) for i, text in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    table = (
        f'<table class="{class_name}"><caption>{written(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )
    return dcc.Markdown(table, dangerously_allow_html=True, className="text-table")


def simple_table(frame: pd.DataFrame, columns: dict[str, str], caption: str) -> html.Div:
    """A keyboard-scrollable table of ``frame`` with the given column labels."""
    rows = [[_text(row[key]) for key in columns] for _, row in frame.iterrows()]
    return html.Div(
        text_table(caption, list(columns.values()), rows, "table table-sm table-striped"),
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
