"""Start: the pages of the logged-in viewer; the way to the login page without one."""

import dash
from dash import dcc, html

from dashboard.components import widgets as w
from dashboard.components.appshell import pages_for
from dashboard.viewer import ANONYMOUS, current_viewer

dash.register_page(__name__, path="/", name="Start", title="Caseload en termijnen", roles=())


def layout(**_query):
    viewer = current_viewer()
    if viewer == ANONYMOUS:
        return html.Div(
            [
                html.H1("Welkom"),
                w.message_box("U bent niet ingelogd.", "info"),
                html.A("Inloggen", href="/login", id="naar-inloggen", className="button"),
            ],
            className="page",
        )
    return html.Div(
        [
            html.H1("Start"),
            html.Ul(
                [html.Li(dcc.Link(p["name"], href=p["relative_path"])) for p in pages_for(viewer)]
            ),
        ],
        className="page",
    )
