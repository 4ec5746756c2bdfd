"""Uitval on a page: measures whose holder cannot hold them on the peildatum (absent, left,
no valid SKJ), the days since and the planner's proposed waarnemer (queries.uitval)."""

from collections.abc import Callable

import polars as pl
from dash import Input, Output, State, ctx, html, no_update

from dashboard import besluiten as besluiten_ui
from dashboard import data, session
from dashboard.components import guard
from dashboard.components import widgets as w
from dashboard.components.grid import on_screen
from dashboard.components.pagestate import location_id
from dashboard.context import page_context
from dashboard.rows import measure_column, measure_link, soort_label
from dashboard.urlstate import parse_search
from dashboard.viewer import current_viewer
from queries.besluiten import (
    AFGEWEZEN,
    EXPORT_NAMES,
    GEACCEPTEERD,
    besluit_status,
    besluiten_export,
    besluiten_frame,
)
from queries.figuren import rond, waarde
from queries.figuur import Filters
from queries.scope import Viewer
from queries.uitval import na_besluiten, uitval

FIGUREN = ("uitval_maatregelen", "uitval_zonder_waarnemer")
COLUMNS = [
    measure_column(minWidth=130, maxWidth=150),
    w.column("soort_label", "Soort", maxWidth=170),
    w.column("van_naam", "Houder", minWidth=160),
    w.column("van_team_naam", "Team"),
    w.column("oorzaak", "Oorzaak"),
    w.column("sinds", "Sinds", w.DATE, maxWidth=140),
    w.figuur_column("dagen_uitval", "Dagen", maxWidth=120),
    w.column("naar_naam", "Voorgestelde waarnemer", minWidth=160),
    w.column("naar_team_naam", "Team waarnemer"),
    w.column("besluit", "Besluit"),
    w.column("reden", "Reden", minWidth=220),
]
INTRO = (
    "Actieve maatregelen waarvan de houder op de peildatum niet beschikbaar is: afwezig op of "
    "boven de verzuimdrempel, uit dienst of zonder geldige SKJ-registratie. De voorgestelde "
    "waarnemer volgt de regels van verantwoorde werktoedeling; staat er niemand, dan zegt de "
    "reden waarom. Een geaccepteerde waarnemer staat erbij tot de maatregel is overgedragen. "
    "Langst uitgevallen bovenaan."
)
SOORT = "uitval"
FilterFor = Callable[[Viewer, dict], Filters]


def decisions(params: dict) -> pl.DataFrame:
    """The app's decisions as the planner takes them on the page's peildatum."""
    snap, day, _cfg = page_context(params)
    return besluiten_frame(data.besluiten(), snap, day)


def rows(viewer: Viewer, params: dict, f: Filters) -> pl.DataFrame:
    """The uitval rows in the viewer's scope and f after the app's decisions; the section's
    table, tiles and controls share them within a request, until a decision is taken."""
    snap, day, cfg = page_context(params)
    return data.per_request(
        ("besluiten", "uitval", snap.run_id, viewer, day, f),
        lambda: uitval(snap, viewer, day, cfg, f, besluiten=decisions(params)),
    )


def uitval_table(viewer: Viewer, params: dict, f: Filters):
    """The uitval rows in the viewer's scope and f, with link and labels; (frame, columns)."""
    _snap, day, _cfg = page_context(params)
    df = rond(rows(viewer, params, f))
    return df.with_columns(measure_link(day), soort_label()), COLUMNS


def uitval_tiles(viewer: Viewer, params: dict, f: Filters):
    snap, day, cfg = page_context(params)
    return w.tiles(*(w.figuur_tile(k, waarde(k, snap, viewer, day, cfg, f)) for k in FIGUREN))


def uitval_content(viewer: Viewer, params: dict, page: str, table: str, f: Filters) -> list:
    df, columns = uitval_table(viewer, params, f)
    df, cut = on_screen(df, None)
    grid = w.data_grid(f"{page}-{table}", df, columns, "Geen uitval", page_size=15)
    return [
        w.section(
            "Uitval",
            html.P(INTRO, className="card-intro"),
            uitval_tiles(viewer, params, f),
            section_id=f"{page}-uitval",
        ),
        w.table_section("Maatregelen bij uitval", table, grid, intro=cut),
    ]


def uitval_section(viewer: Viewer, params: dict, page: str, table: str, f: Filters):
    """Tiles of the two uitval figures and the table, exported as table."""
    return html.Div(uitval_content(viewer, params, page, table, f))


# Deciding on a proposed waarnemer: like a transfer (dashboard.besluiten), soort "uitval".
def decidable(viewer: Viewer, params: dict, f: Filters) -> pl.DataFrame:
    """The undecided proposed waarnemers in the section the viewer may decide."""
    snap, _day, _cfg = page_context(params)
    open_rows = rows(viewer, params, f).filter(
        pl.col("naar_medewerker_id").is_not_null() & pl.col("besluit").is_null()
    )
    return besluiten_ui.own_rows(snap, viewer, open_rows)


def decision_controls(viewer: Viewer, params: dict, page: str, f: Filters):
    counts = na_besluiten(rows(viewer, params, f))
    tiles = w.tiles(*(w.figuur_tile(key, value) for key, value in counts.items()))
    return html.Div([tiles, _controls(viewer, params, page, f)])


def _controls(viewer: Viewer, params: dict, page: str, f: Filters):
    return besluiten_ui.controls(
        f"{page}-uitval",
        decidable(viewer, params, f),
        "Besluiten over waarnemers",
        "Kies een voorgestelde waarnemer en accepteer of wijs af. Een geaccepteerde waarnemer "
        "telt mee in zijn ruimte tot de maatregel is overgedragen; een afgewezen waarnemer "
        "wordt voor die maatregel niet meer voorgesteld.",
        "Er is geen voorgestelde waarnemer waarover u kunt besluiten",
        "voorgestelde waarnemer",
    )


def status_table(viewer: Viewer, params: dict) -> pl.DataFrame:
    """The accepted waarnemers that count on the peildatum and the viewer may see, with state."""
    snap, day, cfg = page_context(params)
    status = besluit_status(data.besluiten(), snap, viewer, day, cfg)
    return status.filter(pl.col("soort") == SOORT)


def decisions_export(viewer: Viewer, params: dict) -> tuple[pl.DataFrame, list[dict]]:
    """Every uitval decision the viewer may see, for the registration system."""
    snap, day, cfg = page_context(params)
    df = besluiten_export(data.besluiten(), snap, viewer, day, cfg)
    df = df.filter(pl.col(EXPORT_NAMES["soort"]) == SOORT)
    return df, [w.column(name, name) for name in EXPORT_NAMES.values()]


def status_section(viewer: Viewer, params: dict, page: str, export: str):
    grid = w.data_grid(
        f"{page}-uitval-besluiten-stand",
        status_table(viewer, params),
        besluiten_ui.STATUS_COLUMNS,
        "Nog geen geaccepteerde waarnemers",
    )
    return w.table_section(
        "Besluiten over waarnemers en hun stand",
        export,
        grid,
        intro="Per geaccepteerde waarnemer of de maatregel in de laatste export bij hem is "
        "aangekomen, elders is aangekomen, nog wacht of is vervallen; een wachtende waarvan de "
        "waarnemer nu een regel breekt staat als niet meer veilig. De export bevat ook de "
        "afwijzingen.",
    )


def decided_content(viewer: Viewer, params: dict, page: str, table: str, f: Filters) -> list:
    """The section with the decision controls and the decisions' state: redrawn after one."""
    return [
        *uitval_content(viewer, params, page, table, f),
        decision_controls(viewer, params, page, f),
        status_section(viewer, params, page, f"{table}_besluiten"),
    ]


def decided_section(viewer: Viewer, params: dict, page: str, table: str, f: Filters):
    """uitval_section with accepting and rejecting the proposed waarnemers."""
    return html.Div(
        [
            html.Div(id=f"{page}-uitval-besluit-melding", **{"aria-live": "polite"}),
            html.Div(decided_content(viewer, params, page, table, f), id=f"{page}-uitval-blok"),
        ]
    )


def decide(account, params: dict, f: Filters, maatregel_id, besluit: str, reden) -> html.Div:
    """The account's decision on the waarnemer proposed now for maatregel_id in the section."""
    found = None if account is None else rows(account.viewer, params, f)
    if found is not None:
        found = found.filter(pl.col("besluit").is_null())
    return besluiten_ui.decide(account, params, found, maatregel_id, besluit, reden,
                               soort=SOORT, what="voorgestelde waarnemer",
                               onderwerp="waarnemer voor")  # fmt: skip


def register_decisions(page: str, table: str, roles: tuple[str, ...], filters: FilterFor):
    """The page's callback accepting or rejecting a waarnemer: the session's account decides,
    the row is looked up on the server. The page registers decisions_export as
    f"{table}_besluiten" itself: an export belongs to its page's module."""
    accept, reject = f"{page}-uitval-accepteren", f"{page}-uitval-afwijzen"

    @guard.page_callback(
        roles,
        Output(f"{page}-uitval-besluit-melding", "children"),
        Output(f"{page}-uitval-blok", "children"),
        Input(accept, "n_clicks"),
        Input(reject, "n_clicks"),
        State(f"{page}-uitval-besluit-keuze", "value"),
        State(f"{page}-uitval-besluit-reden", "value"),
        State(location_id(page), "search"),
        prevent_initial_call=True,
    )
    def on_decision(_accept, _reject, maatregel_id, reden, search):
        if ctx.triggered_id not in (accept, reject):
            return no_update, no_update
        besluit = GEACCEPTEERD if ctx.triggered_id == accept else AFGEWEZEN
        account = session.current_account()
        params = parse_search(search)
        viewer = account.viewer if account is not None else current_viewer()
        f = filters(viewer, params)
        message = decide(account, params, f, maatregel_id, besluit, reden)
        return message, decided_content(viewer, params, page, table, f)

    return on_decision
