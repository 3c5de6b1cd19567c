"""Kent Carers Commissioning Dashboard.

Deliberately empty: importing a pure module (statistics, formatting, periods, filters, rules)
must not import Dash, Flask, Plotly or geopandas. The app is built by
``dashboard.application.create_app``.
"""
