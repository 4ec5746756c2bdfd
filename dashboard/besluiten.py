"""Accepting or rejecting a proposed new holder on a page (Afbouw's transfers, the uitval
signal's waarnemers): the controls, the decision and the grid of the decisions' state. The
page's callback finds the proposal row again on the server; queries.besluiten.beslis checks
who may decide."""

import polars as pl
from dash import dcc, html

from dashboard import data
from dashboard.components import widgets as w
from dashboard.components.slicers import DROPDOWN_LABELS
from dashboard.context import page_context
from queries.besluiten import (
    GEACCEPTEERD,
    MAX_REDEN,
    BesluitGeweigerd,
    beslis,
)
from queries.gebruikers import Account
from queries.scope import Viewer, own_team

STATUS_COLUMNS = [
    w.column("maatregel_id", "Maatregel", minWidth=130),
    w.column("naar_medewerker_id", "Naar medewerker"),
    w.column("naar_team_id", "Naar team"),
    w.column("besloten_op", "Peildatum besluit", w.DATE),
    w.column("besloten_door", "Besloten door"),
    w.column("reden", "Reden", tooltipField="reden"),
    w.column("status_tekst", "Stand", minWidth=220),
]


def own_rows(snap, viewer: Viewer, placed: pl.DataFrame) -> pl.DataFrame:
    """The placed rows the viewer may decide: MT any, a teammanager those into their own team
    (beslis checks this again), anyone else none."""
    if viewer.sees_everything:
        return placed
    own = own_team(snap, viewer) if viewer.role == "teammanager" else None
    return placed.clear() if own is None else placed.filter(pl.col("naar_team_id") == own)


def _option(row: dict) -> dict:
    naar = row.get("naar_naam") or row["naar_medewerker_id"]
    team = row.get("naar_team_naam") or row["naar_team_id"]
    return {"label": f"{row['maatregel_id']} naar {naar} ({team})", "value": row["maatregel_id"]}


def controls(prefix: str, rows: pl.DataFrame, title: str, intro: str, empty: str, what: str):
    """The choice of a row, the optional reason and the two buttons, ids under prefix."""
    if rows.height == 0:
        return w.section(title, w.empty_state(empty))
    return w.section(
        title,
        html.P(intro, className="card-intro"),
        w.slicer(
            f"Welke {what}",
            dcc.Dropdown(
                id=f"{prefix}-besluit-keuze",
                options=[_option(r) for r in rows.iter_rows(named=True)],
                placeholder=f"Kies een {what}",
                labels=DROPDOWN_LABELS,
            ),
            wide=True,
        ),
        w.slicer(
            "Reden (optioneel; geen namen van kinderen of ouders)",
            dcc.Input(
                id=f"{prefix}-besluit-reden",
                type="text",
                maxLength=MAX_REDEN,
                placeholder="Reden",
                style={"width": "100%"},
            ),
            wide=True,
        ),
        html.Div(
            [
                html.Button("Accepteren", id=f"{prefix}-accepteren", className="button"),
                html.Button(
                    "Afwijzen", id=f"{prefix}-afwijzen", className="button button-secondary"
                ),
            ],
            className="export-buttons",
        ),
    )


def decide(
    account: Account | None,
    params: dict,
    rows: pl.DataFrame | None,
    maatregel_id,
    besluit: str,
    reden,
    *,
    soort: str,
    what: str,
    onderwerp: str,
) -> html.Div:
    """Take the account's decision on the row of maatregel_id among rows (the proposal as the
    server computes it now; None when logged out); a Dutch confirmation or the refusal."""
    if account is None or rows is None:
        return w.message_box("U bent niet meer ingelogd.")
    if not maatregel_id:
        return w.message_box(f"Kies eerst een {what}.", "info")
    row = rows.filter(
        (pl.col("maatregel_id") == str(maatregel_id)) & pl.col("naar_medewerker_id").is_not_null()
    )
    if row.height == 0:
        return w.message_box(f"Maatregel {maatregel_id} staat niet meer in het voorstel.")
    snap, day, _cfg = page_context(params)
    chosen = row.row(0, named=True)
    try:
        beslis(data.engine(), snap, account, chosen, besluit, soort=soort, as_of=day, reden=reden)
    except (BesluitGeweigerd, ValueError) as exc:
        return w.message_box(f"Niet vastgelegd: {exc}.")
    data.forget_besluiten()
    verb = "geaccepteerd" if besluit == GEACCEPTEERD else "afgewezen"
    naar = chosen.get("naar_naam") or chosen["naar_medewerker_id"]
    return w.message_box(f"Vastgelegd: {onderwerp} {maatregel_id} naar {naar} {verb}.", "info")
