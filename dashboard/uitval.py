"""Uitval on a page: measures whose holder cannot hold them on the peildatum (absent, left,
no valid SKJ), the days since and the planner's proposed waarnemer (queries.uitval)."""

from dash import html

from dashboard.components import widgets as w
from dashboard.context import page_context
from dashboard.rows import measure_column, measure_link, soort_label
from queries.figuren import rond, waarde
from queries.figuur import Filters
from queries.scope import Viewer
from queries.uitval import uitval

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
    w.column("reden", "Reden", minWidth=220),
]
INTRO = (
    "Actieve maatregelen waarvan de houder op de peildatum niet beschikbaar is: afwezig op of "
    "boven de verzuimdrempel, uit dienst of zonder geldige SKJ-registratie. De voorgestelde "
    "waarnemer volgt de regels van verantwoorde werktoedeling; staat er niemand, dan zegt de "
    "reden waarom. Langst uitgevallen bovenaan."
)


def uitval_table(viewer: Viewer, params: dict, f: Filters):
    """The uitval rows in the viewer's scope and f, with link and labels; (frame, columns)."""
    snap, day, cfg = page_context(params)
    df = rond(uitval(snap, viewer, day, cfg, f))
    return df.with_columns(measure_link(day), soort_label()), COLUMNS


def uitval_tiles(viewer: Viewer, params: dict, f: Filters):
    snap, day, cfg = page_context(params)
    return w.tiles(*(w.figuur_tile(k, waarde(k, snap, viewer, day, cfg, f)) for k in FIGUREN))


def uitval_section(viewer: Viewer, params: dict, page: str, table: str, f: Filters):
    """Tiles of the two uitval figures and the table, exported as table."""
    df, columns = uitval_table(viewer, params, f)
    grid = w.data_grid(f"{page}-{table}", df, columns, "Geen uitval", page_size=15)
    return html.Div(
        [
            w.section(
                "Uitval",
                html.P(INTRO, className="card-intro"),
                uitval_tiles(viewer, params, f),
                section_id=f"{page}-uitval",
            ),
            w.table_section("Maatregelen bij uitval", table, grid),
        ]
    )
