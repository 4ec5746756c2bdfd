"""Maatregel: one measure's norms with every interval, as of the peildatum.

Opened from a measure link elsewhere (it needs a measure), so it is not in the menu.
"""

import dash
import polars as pl
from dash import dcc, html

from dashboard import audit_trail, data
from dashboard.components import widgets as w
from dashboard.components.exports import register_export
from dashboard.components.pagestate import slicer_page
from dashboard.rows import MAATREGEL_PATH, STATUS_LABELS
from queries.caseload import maatregel
from queries.scope import ROLES, Viewer
from queries.termijnen import maatregel_historie, maatregel_tellingen

PAGE = "maatregel"
PATH = MAATREGEL_PATH
TABLE = "maatregel_termijnen"
# One message for a measure that does not exist and one the viewer may not see: the page
# never tells the two apart.
NOT_SHOWN = "Deze maatregel is er niet of u mag hem niet zien"
NONE_CHOSEN = (
    "Geen maatregel gekozen. Open een maatregel vanuit Mijn caseload of het Caseloadgesprek."
)

dash.register_page(
    __name__,
    path=PATH,
    name="Maatregel",
    title="Maatregel",
    order=90,
    roles=ROLES,
    in_menu=False,
)

COLUMNS = [
    w.column("status_label", "Status", w.STATUS, maxWidth=150),
    w.column("termijn", "Termijn", minWidth=200),
    w.column(
        "interval",
        "Nr.",
        w.NUMBER,
        maxWidth=90,
        headerTooltip="Volgnummer in de keten van een terugkerende termijn",
    ),
    w.column("deadline", "Uiterlijk", w.DATE),
    w.column("voldaan_op", "Voldaan op", w.DATE),
]


def _chosen(params: dict) -> str:
    return params.get("maatregel") or ""


def measure(viewer: Viewer, params: dict) -> pl.DataFrame:
    """The measure's header row for the viewer on the peildatum (no row: not to be shown);
    the view or the refusal is logged once per request."""
    snap = data.snapshot()
    day = data.as_of(params, snap)
    chosen = _chosen(params)

    def compute() -> pl.DataFrame:
        head = maatregel(snap, viewer, day, chosen)
        if head.height:
            audit_trail.measure_shown(chosen)
        elif chosen and not viewer.sees_everything:
            audit_trail.out_of_scope(f"maatregel {chosen}", PATH)
        return head

    return data.per_request(("maatregel", snap.run_id, viewer, day, chosen), compute)


def history_table(viewer: Viewer, params: dict) -> tuple[pl.DataFrame, list[dict]]:
    """Every interval of every norm of the measure, with Dutch labels."""
    snap = data.snapshot()
    day = data.as_of(params, snap)
    measure(viewer, params)  # an export is a view too: logged as shown or refused
    df = maatregel_historie(snap, viewer, day, data.config(), _chosen(params))
    return (
        df.with_columns(
            pl.col("status").alias("status_key"),
            pl.col("status").replace_strict(STATUS_LABELS).alias("status_label"),
            pl.col("norm").replace_strict(w.NORM_LABELS).alias("termijn"),
        ),
        COLUMNS,
    )


register_export(TABLE, history_table, ROLES, "Termijnen en hun geschiedenis")


def _soort(row: dict) -> str:
    soort = w.SOORT_LABELS.get(row["soort"], row["soort"])
    return f"{soort} ({row['subsoort']})" if row["subsoort"] else soort


def holder(row: dict) -> html.P:
    """Who held the measure on the peildatum (a name is too long for a tile)."""
    if row["medewerker_id"] is None:
        return html.P("Op de peildatum niet toegewezen.", id="maatregel-houder")
    team = row["team_naam"] or row["team_id"]
    return html.P(
        [
            "Op de peildatum bij ",
            html.Strong(row["naam"] or row["medewerker_id"], id="maatregel-houder-naam"),
            f" ({team}, als {row['rol']}).",
        ],
        id="maatregel-houder",
    )


def facts(row: dict) -> html.Div:
    """Soort and dates."""
    return w.tiles(
        w.kpi_tile("Soort", _soort(row), tile_id="tegel-soort"),
        w.kpi_tile("Start", w.fmt_date(row["start"]), tile_id="tegel-start"),
        w.kpi_tile(
            "Einde gepland", w.fmt_date(row["einde_gepland"]), tile_id="tegel-einde-gepland"
        ),
        w.kpi_tile(
            "Einde",
            w.fmt_date(row["einde"]) if row["einde"] else "Loopt nog",
            tile_id="tegel-einde",
        ),
    )


def counts(df: pl.DataFrame) -> html.Div:
    """Open and verlopen deadlines, and how many met ones were met in time."""
    n = maatregel_tellingen(df)
    verlopen = n["verlopen_termijnen_maatregel"]

    def tile(key: str, label: str, tile_id: str, **extra) -> html.Div:
        return w.kpi_tile(label, w.fmt_figuur(key, n[key]), tile_id=tile_id, figuur=key, **extra)

    return w.tiles(
        tile("open_termijnen_maatregel", "Open termijnen", "tegel-open"),
        tile(
            "verlopen_termijnen_maatregel",
            "Verlopen termijnen",
            "tegel-verlopen",
            status="verlopen" if verlopen else "tijdig",
            badge=None if verlopen else "Geen",
        ),
        tile(
            "tijdig_voldaan_maatregel",
            "Op tijd voldaan",
            "tegel-tijdig",
            sub=f"van de {w.fmt_figuur('voldaan_maatregel', n['voldaan_maatregel'])} voldane "
            "termijnen",
        ),
    )


@w.guarded
def body(viewer: Viewer, params: dict):
    """The measure's facts, its counts and its deadline history; one message when not shown."""
    if not _chosen(params):
        return w.empty_state(NONE_CHOSEN)
    head = measure(viewer, params)
    if head.height == 0:
        return w.empty_state(NOT_SHOWN)
    row = head.row(0, named=True)
    df, columns = history_table(viewer, params)
    # Every interval on screen: a measure has tens of rows at most, and a printout wants them all.
    grid = w.data_grid(
        f"{PAGE}-termijnen", df, columns, "Geen termijnen op deze peildatum", print_layout=True
    )
    return html.Div(
        [
            html.H2(f"Maatregel {row['maatregel_id']}", id="maatregel-titel"),
            holder(row),
            facts(row),
            counts(df),
            w.table_section(
                "Termijnen en hun geschiedenis",
                TABLE,
                grid,
                intro="Elke termijn van deze maatregel; een terugkerende termijn met elke "
                "ronde, de huidige als laatste.",
            ),
        ]
    )


@w.guarded
def slicers(viewer: Viewer, params: dict):
    snap = data.snapshot()
    day = data.as_of(params, snap)
    return w.slicer_bar(
        w.peildatum_slicer(PAGE, day, snap.export_date),
        # The measure is part of the page state but no one picks it here.
        dcc.Input(id=f"{PAGE}-maatregel", type="hidden", value=_chosen(params) or None),
    )


def resolved(viewer: Viewer, params: dict) -> dict:
    day = data.as_of(params)
    return {"maatregel": _chosen(params) or None, "peildatum": day.isoformat()}


layout, STATE = slicer_page(
    PAGE,
    PATH,
    ROLES,
    "Maatregel",
    ("maatregel", "peildatum"),
    slicers,
    body,
    resolved,
    valid=data.peildatum_usable,
)
