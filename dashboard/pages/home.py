"""Start: without a viewer, the demo users to choose from; with one, their pages."""

import dash
from dash import dcc, html

from dashboard.components import widgets as w
from dashboard.components.appshell import pages_for
from dashboard.session import ANONYMOUS, current_viewer, demo_users

dash.register_page(__name__, path="/", name="Start", title="Caseload en termijnen", roles=())


def demo_choice() -> html.Div:
    """One button per demo user; a plain form post, so it works without JavaScript too."""
    return html.Form(
        [
            html.Button(
                u.label,
                name="gebruiker",
                value=u.key,
                type="submit",
                className="button button-secondary",
                id=f"demo-{u.key}",
            )
            for u in demo_users()
        ],
        method="POST",
        action="/bekijk-als",
        className="demo-users",
    )


def layout(**_query):
    viewer = current_viewer()
    if viewer == ANONYMOUS:
        return html.Div(
            [
                html.H1("Welkom"),
                w.message_box(
                    "Dit is een demonstratie zonder inloggen. Kies wie u bent; "
                    "u ziet daarna precies wat die rol mag zien.",
                    "info",
                ),
                w.section("Kies een demo-gebruiker", w.guarded(demo_choice)()),
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
