"""Mijn caseload's afspraken uit caseloadgesprek: the worker's afspraken with their status on
the peildatum, and marking one afgerond. queries.gesprekken checks who may read and close."""

import polars as pl
from dash import Input, Output, State, dcc, html, no_update

from dashboard import data, gesprek_vastleggen, session
from dashboard.components import guard
from dashboard.components import widgets as w
from dashboard.components.exports import register_export
from dashboard.components.pagestate import location_id
from dashboard.context import worker_context
from dashboard.urlstate import parse_search
from dashboard.viewer import current_viewer
from queries.afspraken import AFGEROND
from queries.gebruikers import Account
from queries.gesprekken import GesprekGeweigerd, mag_lezen, rond_af
from queries.scope import Viewer

PREFIX = "mijn-caseload-afspraken"
TABLE = "mijn_afspraken"
INTRO = (
    "Afspraak uit caseloadgesprek: wat met de praktijkbegeleider is afgesproken, met de stand "
    "op de peildatum. Afspraken tellen in geen termijncijfer. Afgerond zetten geldt vanaf de "
    "peildatum."
)


def afspraken_table(viewer: Viewer, params: dict) -> tuple[pl.DataFrame, list[dict]]:
    """The afspraken of the worker's talks (the caseloadgesprek page's own query)."""
    return gesprek_vastleggen.gesprek_afspraken(viewer, params)


register_export(TABLE, afspraken_table, gesprek_vastleggen.LEZERS)


def _options(df: pl.DataFrame) -> list[dict]:
    todo = df.filter(pl.col("status") != AFGEROND)
    return [
        {"label": f"{r['omschrijving']} (klaar op {w.fmt_date(r['deadline'])})",
         "value": r["afspraak_id"]}
        for r in todo.iter_rows(named=True)
    ]  # fmt: skip


def content(viewer: Viewer, params: dict) -> list:
    """The grid and the control to mark one afgerond."""
    df, columns = afspraken_table(viewer, params)
    grid = w.data_grid(f"{PREFIX}-grid", df, columns, "Geen afspraken uit caseloadgesprekken")
    options = _options(df)
    if not options:
        return [grid]
    control = html.Div(
        [
            w.slicer(
                "Welke afspraak",
                dcc.Dropdown(
                    id=f"{PREFIX}-keuze", options=options, placeholder="Kies een afspraak"
                ),
                wide=True,
            ),
            html.Button("Afgerond", id=f"{PREFIX}-afgerond", className="button"),
        ],
        className="slicer-bar no-print",
    )
    return [grid, control]


@w.guarded
def afspraken_section(viewer: Viewer, params: dict):
    """The section, for whoever may read the worker's afspraken; nothing for anyone else."""
    snap, _day, worker = worker_context(viewer, params)
    if not mag_lezen(snap, viewer, worker):
        return html.Div()
    return w.section(
        "Afspraken uit caseloadgesprek",
        html.P(INTRO, className="card-intro"),
        html.Div(content(viewer, params), id=f"{PREFIX}-inhoud"),
        html.Div(id=f"{PREFIX}-melding", role="status"),
        section_id=f"sectie-{TABLE}",
    )


def afronden(account: Account | None, params: dict, afspraak_id) -> html.Div:
    """Mark the afspraak afgerond on the page's peildatum; a Dutch confirmation or refusal."""
    if account is None:
        return w.message_box("U bent niet meer ingelogd.")
    if afspraak_id is None:
        return w.message_box("Kies eerst een afspraak.", "info")
    snap, day, _worker = worker_context(account.viewer, params)
    try:
        rond_af(data.engine(), snap, account, int(afspraak_id), day)
    except (GesprekGeweigerd, ValueError, TypeError) as exc:
        return w.message_box(f"Niet vastgelegd: {exc}.")
    return w.message_box(f"Afgerond per {w.fmt_date(day)}.", "info")


def register(page: str, roles: tuple[str, ...]) -> None:
    """The page's callback marking an afspraak afgerond; registered by the page module, which
    Dash runs anew for every app."""

    @guard.page_callback(
        roles,
        Output(f"{PREFIX}-melding", "children"),
        Output(f"{PREFIX}-inhoud", "children"),
        Input(f"{PREFIX}-afgerond", "n_clicks"),
        State(f"{PREFIX}-keuze", "value"),
        State(location_id(page), "search"),
        prevent_initial_call=True,
    )
    def on_done(n_clicks, afspraak_id, search):
        """The session's account marks the chosen afspraak afgerond; the grid is drawn anew."""
        if not n_clicks:
            return no_update, no_update
        account = session.current_account()
        params = parse_search(search)
        message = afronden(account, params, afspraak_id)
        viewer = account.viewer if account is not None else current_viewer()
        return message, content(viewer, params)
