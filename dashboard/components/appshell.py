"""The frame around every page: header, navigation for the viewer's role, demo selector.

A page registers itself with dash.register_page(__name__, path=..., name=..., order=...,
roles=(...)); the navigation shows it to those roles (in_menu=False: reached by links only).
"/" sends a viewer to their role's page in HOME, or to the first page they may open when that
page does not exist (yet).
"""

import dash
import flask
import polars as pl
from dash import ALL, ClientsideFunction, Dash, Input, Output, State, dcc, html
from sqlalchemy.exc import SQLAlchemyError

from dashboard import data
from dashboard.components.formats import ROLE_LABELS
from dashboard.components.guard import app_clientside_callback
from dashboard.components.slicers import DROPDOWN_LABELS
from dashboard.components.widgets import fmt_date, guarded, message_box
from dashboard.session import csrf_token, demo_key, demo_users, log_in
from dashboard.viewer import ANONYMOUS, current_viewer
from queries.scope import ROLES, Viewer
from queries.snapshot import NoDataError

APP_TITLE = "Caseload en termijnen"
HOME = {
    "jeugdzorgwerker": "/mijn-caseload",
    "praktijkbegeleider": "/team",
    "gedragswetenschapper": "/team",
    "teammanager": "/team",
    "manager": "/organisatie",
    "beheerder": "/datakwaliteit",
}


def pages_for(viewer: Viewer) -> list[dict]:
    """Registered pages the viewer's role may open from the menu, in menu order; a page
    registered with in_menu=False is opened by its links only."""
    return [
        p
        for p in sorted(
            dash.page_registry.values(), key=lambda p: (p.get("order") or 99, p["path"])
        )
        if viewer.role in p.get("roles", ()) and p.get("in_menu", True)
    ]


def home_path(viewer: Viewer) -> str:
    """The page a role starts on."""
    pages = pages_for(viewer)
    wanted = HOME.get(viewer.role)
    for page in pages:
        if page["path"] == wanted:
            return page["relative_path"]
    return pages[0]["relative_path"] if pages else "/"


def page_allowed(viewer: Viewer, roles: tuple[str, ...]) -> bool:
    return viewer.role in roles


def viewer_name(viewer: Viewer) -> str | None:
    """The viewer's own name from the loaded staff list, if they are in it."""
    if viewer.medewerker_id is None:
        return None
    try:
        staff = data.snapshot()["medewerkers"]
    except (NoDataError, SQLAlchemyError):
        return None
    match = staff.filter(pl.col("medewerker_id") == viewer.medewerker_id)["naam"]
    return match[0] if match.len() else None


def _export_label() -> str:
    try:
        snap = data.snapshot()
    except NoDataError:
        return "Nog geen export geladen"
    except SQLAlchemyError:
        return "Gegevens nu niet bereikbaar"
    return f"Export van {fmt_date(snap.export_date)}"


def _demo_selector(viewer: Viewer, demo: bool) -> html.Div | None:
    if not demo:
        return None
    users = demo_users()
    return html.Div(
        [
            html.Label("Bekijk als (demo)", htmlFor="bekijk-als", className="demo-label"),
            dcc.Dropdown(
                id="bekijk-als",
                options=[{"label": u.label, "value": u.key} for u in users],
                value=demo_key(viewer),
                clearable=False,
                searchable=False,
                placeholder="Kies een demo-gebruiker",
                labels=DROPDOWN_LABELS,
                className="demo-dropdown",
            ),
        ],
        className="demo-selector no-print",
        title="Demonstratie: wissel snel van demo-account. Bestaat alleen in demomodus.",
    )


def _nav(viewer: Viewer) -> html.Nav:
    return html.Nav(
        [
            dcc.Link(
                p["name"],
                href=p["relative_path"],
                className="nav-link",
                id={"type": "menu", "path": p["relative_path"]},
            )
            for p in pages_for(viewer)
        ],
        className="nav no-print",
        **{"aria-label": "Hoofdmenu"},
    )


def _logout(viewer: Viewer) -> html.Form | None:
    """A plain form post with the session's CSRF token, so a link elsewhere cannot log out."""
    if viewer == ANONYMOUS:
        return None
    return html.Form(
        [
            dcc.Input(type="hidden", name="csrf", value=csrf_token()),
            html.Button("Uitloggen", type="submit", className="logout-button", id="uitloggen"),
        ],
        method="POST",
        action="/logout",
        className="logout no-print",
    )


@guarded
def _header(viewer: Viewer, demo: bool) -> html.Header:
    who = "Niet ingelogd" if viewer == ANONYMOUS else ROLE_LABELS.get(viewer.role, viewer.role)
    naam = viewer_name(viewer)
    if naam:
        who = f"{naam} · {who}"
    return html.Header(
        [
            html.Div(
                [
                    html.A(APP_TITLE, href="/", className="brand"),
                    html.Span(_export_label(), className="export-date", id="export-datum"),
                    html.Span(who, className="who", id="huidige-rol"),
                    # Beside who is logged in rather than after the menu, which MT's many pages
                    # fill: there it pushed the switch onto a line of its own.
                    _demo_selector(viewer, demo),
                ],
                className="header-top",
            ),
            html.Div(
                [_nav(viewer), _logout(viewer)],
                className="header-bottom",
            ),
        ],
        className="header",
    )


def make_layout(demo: bool):
    """app.layout: evaluated per page load, so the menu follows the session's viewer."""

    def layout():
        viewer = current_viewer()
        return html.Div(
            [
                html.A("Naar de inhoud", href="#inhoud", className="skip-link no-print"),
                dcc.Download(id="download"),
                _header(viewer, demo),
                html.Main(
                    [
                        html.Div(
                            id="export-melding", className="no-print", **{"aria-live": "polite"}
                        ),
                        dash.page_container,
                        html.Div(id="bekijk-als-melding", className="no-print"),
                    ],
                    className="main",
                    id="inhoud",
                    # The skip link's target takes focus, so the next Tab is inside the page.
                    tabIndex="-1",
                ),
            ],
            className="shell",
        )

    return layout


def page_body(
    viewer: Viewer, roles: tuple[str, ...], title: str, *children, title_id: str | None = None
) -> html.Div:
    """A page's frame: its title, or a Dutch message when the role may not open it.

    title_id: an id for the title, so a callback can rename the page.
    """
    if viewer == ANONYMOUS:
        body = [message_box("U bent niet ingelogd.", "info")]
    elif not page_allowed(viewer, roles):
        body = [message_box("Deze pagina is niet bedoeld voor uw rol.", "info")]
    else:
        body = list(children)
    heading = html.H1(title) if title_id is None else html.H1(title, id=title_id)
    return html.Div([heading, *body], className="page")


def register_routes(app: Dash, demo: bool) -> None:
    """Flask routes: '/' to the role's home page, and the demo viewer switch."""
    server = app.server

    @server.before_request
    def _home_redirect():
        if flask.request.method == "GET" and flask.request.path == "/":
            viewer = current_viewer()
            if viewer != ANONYMOUS:
                home = home_path(viewer)
                if home != "/":
                    return flask.redirect(home)
        return None

    @server.post("/bekijk-als")
    def _bekijk_als():
        if not demo:
            flask.abort(404)
        key = flask.request.form.get("gebruiker", "")
        user = next((u for u in demo_users() if u.key == key), None)
        if user is None:
            flask.abort(400)
        log_in(user.account)
        home = home_path(user.viewer)
        if flask.request.accept_mimetypes.best == "application/json":
            return flask.jsonify(home=home)
        return flask.redirect(home, code=303)


def register_callbacks(app: Dash) -> None:
    app_clientside_callback(
        app,
        ROLES,
        ClientsideFunction(namespace="caseload", function_name="menuActief"),
        Output({"type": "menu", "path": ALL}, "className"),
        Input("_pages_location", "pathname"),
        State({"type": "menu", "path": ALL}, "id"),
    )
    app_clientside_callback(
        app,
        ROLES,
        ClientsideFunction(namespace="caseload", function_name="bekijkAls"),
        Output("bekijk-als-melding", "children"),
        Input("bekijk-als", "value"),
        prevent_initial_call=True,
    )
