"""The page for an unknown address."""

import dash
from dash import dcc, html

dash.register_page(__name__, path="/404", name="Niet gevonden", roles=())


def layout(**_query):
    return html.Div(
        [
            html.H1("Pagina niet gevonden"),
            html.P(["Deze pagina bestaat niet. ", dcc.Link("Naar de startpagina", href="/")]),
        ],
        className="page",
    )
