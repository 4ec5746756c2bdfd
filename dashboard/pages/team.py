"""Team: the workers a praktijkbegeleider or teammanager may see, side by side."""

import dash
import polars as pl
from dash import html

from dashboard import data
from dashboard.components import widgets as w
from dashboard.components.exports import register_export
from dashboard.components.pagestate import slicer_page
from dashboard.context import page_context
from dashboard.urlstate import link
from queries.scope import Viewer
from queries.termijnen import werklijst
from queries.tijdigheid import timeliness

PAGE = "team"
ROLES = ("praktijkbegeleider", "gedragswetenschapper", "teammanager", "manager", "beheerder")
# Roles that hold caseload talks; the others drill into the worker's own view.
GESPREK_ROLES = ("praktijkbegeleider", "teammanager", "manager", "beheerder")

PATH = "/team"

dash.register_page(__name__, path=PATH, name="Team", title="Team", order=3, roles=ROLES)

COLUMNS = [
    w.column("naam", "Medewerker", w.LINK, href_field="naam_href", pinned="left", minWidth=180),
    w.column("team_naam", "Team"),
    w.column("functie", "Functie", labels=w.FUNCTIE_LABELS),
    w.column("fte", "Fte", w.NUMBER, decimals=2, maxWidth=90),
    w.column("actief", "Actief", w.NUMBER, headerTooltip="Actieve maatregelen"),
    w.column("gewogen", "Gewogen", w.NUMBER, decimals=1),
    w.column("norm", "Norm", w.NUMBER, decimals=1),
    w.column("ruimte", "Ruimte", w.NUMBER, decimals=1, cellClassRules={
        "cell-status cell-boven_norm": "params.value < 0",
        "cell-status cell-binnen_norm": "params.value >= 0",
    }),
    w.column("verlopen", "Verlopen", w.NUMBER, headerTooltip="Verlopen termijnen", cellClassRules={
        "cell-status cell-verlopen": "params.value > 0",
    }),
    w.column("binnenkort", "Binnenkort", w.NUMBER,
             headerTooltip=f"Open, verloopt binnen {w.BINNENKORT_WERKDAGEN} werkdagen"),
    w.column("eerste_contact_tijdig_pct", "1e contact tijdig", w.PCT, decimals=1,
             headerTooltip="Eerste face-to-face contact binnen 5 werkdagen"),
    w.column("plan_tijdig_pct", "Plan tijdig", w.PCT, decimals=1,
             headerTooltip="Plan van aanpak binnen 6 weken (actieve maatregelen)"),
    w.column("risicotaxatie_actueel_pct", "RT actueel", w.PCT, decimals=1,
             headerTooltip="Risicotaxatie niet ouder dan 3 maanden"),
    w.column("werklijst", "Werklijst", w.LINK, href_field="werklijst_href",
             exportField="medewerker_id", minWidth=120),
]  # fmt: skip


def team_table(viewer: Viewer, params: dict) -> tuple[pl.DataFrame, list[dict]]:
    """One row per visible worker: caseload, room, open and overdue deadlines, timeliness."""
    snap, day, cfg = page_context(params)
    staff = data.staff_caseload(snap, viewer, day)
    if params.get("regio"):
        staff = staff.filter(pl.col("regio") == params["regio"])
    if params.get("team"):
        staff = staff.filter(pl.col("team_id") == params["team"])
    todo = werklijst(snap, viewer, day, cfg)
    counts = todo.group_by("medewerker_id").agg(
        (pl.col("status") == "verlopen").sum().cast(pl.Int64).alias("verlopen"),
        ((pl.col("status") == "open") & (pl.col("werkdagen_tot") <= w.BINNENKORT_WERKDAGEN))
        .sum()
        .cast(pl.Int64)
        .alias("binnenkort"),
    )
    tijdig = timeliness(snap, viewer, day, cfg, by="medewerker_id").select(
        "medewerker_id", "eerste_contact_tijdig_pct", "plan_tijdig_pct", "risicotaxatie_actueel_pct"
    )
    peildatum = day.isoformat()
    drill = "/caseloadgesprek" if viewer.role in GESPREK_ROLES else "/mijn-caseload"
    df = (
        staff.join(counts, on="medewerker_id", how="left")
        .join(tijdig, on="medewerker_id", how="left")
        .with_columns(pl.col("verlopen", "binnenkort").fill_null(0))
        .with_columns(
            pl.col("medewerker_id")
            .map_elements(lambda m: link(drill, medewerker=m, peildatum=peildatum), pl.String)
            .alias("naam_href"),
            pl.col("medewerker_id")
            .map_elements(
                lambda m: link("/mijn-caseload", medewerker=m, peildatum=peildatum), pl.String
            )
            .alias("werklijst_href"),
            pl.lit("Werklijst").alias("werklijst"),
        )
        .sort("verlopen", "naam", descending=[True, False])
    )
    return df, COLUMNS


register_export("team", team_table, ROLES)


@w.guarded
def summary(df: pl.DataFrame) -> html.Div:
    boven = df.filter(pl.col("boven_norm")).height
    fte = df["fte"].sum()
    verlopen = int(df["verlopen"].sum())
    return w.tiles(
        w.kpi_tile("Jeugdzorgwerkers", w.fmt_number(df.height), tile_id="tegel-medewerkers"),
        w.kpi_tile("Actieve maatregelen", w.fmt_number(df["actief"].sum()), tile_id="tegel-actief"),
        w.kpi_tile(
            "Gewogen caseload per fte",
            w.fmt_number(df["gewogen"].sum() / fte if fte else None, 1),
            sub=f"norm {w.fmt_number(data.config().caseload_norm_per_fte, 0)} per fte",
            tile_id="tegel-per-fte",
        ),
        w.kpi_tile(
            "Boven de norm",
            w.fmt_number(boven),
            status="boven_norm" if boven else "binnen_norm",
            badge=None if boven else "Niemand",
            tile_id="tegel-boven-norm",
        ),
        w.kpi_tile(
            "Verlopen termijnen",
            w.fmt_number(verlopen),
            status="verlopen" if verlopen else "tijdig",
            badge=None if verlopen else "Geen",
            tile_id="tegel-verlopen",
        ),
    )


@w.guarded
def body(viewer: Viewer, params: dict):
    df, columns = team_table(viewer, params)
    if df.height == 0:
        return w.empty_state("Geen jeugdzorgwerkers in deze selectie")
    grid = w.data_grid(f"{PAGE}-medewerkers", df, columns, "Geen jeugdzorgwerkers", page_size=30)
    return html.Div(
        [
            summary(df),
            w.table_section(
                "Jeugdzorgwerkers",
                "team",
                grid,
                intro="Klik op een naam voor het caseloadgesprek, of op Werklijst voor de "
                "termijnen van die medewerker. Meeste verlopen termijnen bovenaan.",
            ),
        ]
    )


@w.guarded
def slicers(viewer: Viewer, params: dict):
    snap = data.snapshot()
    day = data.as_of(params, snap)
    staff = data.staff_caseload(snap, viewer, day)
    return w.regio_team_slicers(PAGE, day, snap.export_date, staff, params)


def resolved(_viewer: Viewer, params: dict) -> dict:
    return {
        "peildatum": data.as_of(params).isoformat(),
        "regio": params.get("regio"),
        "team": params.get("team"),
    }


layout, STATE = slicer_page(
    PAGE,
    PATH,
    ROLES,
    "Team",
    ("peildatum", "regio", "team"),
    slicers,
    body,
    resolved,
    valid=data.peildatum_usable,
)
