"""Datakwaliteit: the load history, the rows a load refused and the values it left out of rows it
loaded, for the functioneel beheerder."""

import dash
import polars as pl
from dash import html

from dashboard import data
from dashboard.components import widgets as w
from dashboard.components.appshell import page_body
from dashboard.components.exports import register_export
from dashboard.components.pagestate import shown_state, sync_with_url
from dashboard.session import current_viewer
from queries.laadhistorie import load_history, rejected_rows
from queries.scope import Viewer

PAGE = "datakwaliteit"
ROLES = ("beheerder",)
STATUS_LABELS = {
    "geslaagd": ("tijdig", "Geslaagd"),
    "gedeeltelijk": ("binnenkort", "Gedeeltelijk: rijen afgewezen"),
    "mislukt": ("verlopen", "Mislukt: niets gewijzigd"),
}
# What became of a reported row (afgewezen_rijen.gevolg): status colour and words.
GEVOLG_LABELS = {
    "afgewezen": ("verlopen", "Rij afgewezen"),
    "waarde_weggelaten": ("binnenkort", "Waarde weggelaten"),
}

PATH = "/datakwaliteit"
NOTHING_REPORTED = "Geen rijen afgewezen en geen waarden weggelaten"

dash.register_page(
    __name__,
    path=PATH,
    name="Datakwaliteit",
    title="Datakwaliteit",
    order=7,
    roles=ROLES,
)

HISTORY_COLUMNS = [
    w.column("run_id", "Run", w.NUMBER, maxWidth=90),
    w.column("status_label", "Status", w.STATUS, minWidth=200, tooltipField="status_label"),
    w.column("exportdatum", "Exportdatum", w.DATE),
    w.column("gestart", "Gestart", w.DATE, minWidth=160),
    w.column("duur_s", "Duur (s)", w.NUMBER),
    w.column("rijen_geladen", "Rijen geladen", w.NUMBER),
    w.column("rijen_afgewezen", "Rijen afgewezen", w.NUMBER),
    w.column("waarden_weggelaten", "Waarden weggelaten", w.NUMBER),
    w.column("bron", "Bron", tooltipField="bron"),
    w.column("melding", "Melding", minWidth=260, tooltipField="melding"),
]
GEVOLG_COLUMN = w.column(
    "gevolg_label", "Gevolg", w.STATUS, status_key="gevolg_key", minWidth=170, maxWidth=200
)
REJECTED_COLUMNS = [
    GEVOLG_COLUMN,
    w.column("bestand", "Bestand", maxWidth=200),
    w.column("regel", "Regel", w.NUMBER, maxWidth=100),
    w.column("kolom", "Kolom", maxWidth=200),
    w.column("waarde", "Waarde", maxWidth=220),
    w.column("reden", "Reden", minWidth=320, tooltipField="reden"),
]
REASON_COLUMNS = [
    GEVOLG_COLUMN,
    w.column("bestand", "Bestand"),
    w.column("reden", "Reden", minWidth=320, tooltipField="reden"),
    w.column("rijen", "Rijen", w.NUMBER),
]


def history_table(viewer: Viewer, _params: dict) -> tuple[pl.DataFrame, list[dict]]:
    df = load_history(data.engine(), viewer)
    status = pl.col("status")
    return (
        df.with_columns(
            status.replace_strict(
                {k: v[0] for k, v in STATUS_LABELS.items()}, default="open"
            ).alias("status_key"),
            status.replace_strict({k: v[1] for k, v in STATUS_LABELS.items()}, default=status)
            .alias("status_label"),
            (pl.col("klaar") - pl.col("gestart")).dt.total_seconds().alias("duur_s"),
        ),
        HISTORY_COLUMNS,
    )  # fmt: skip


def run_of(params: dict) -> int | None:
    try:
        return int(params["run"]) if params.get("run") else None
    except ValueError:
        return None


def rejected_table(viewer: Viewer, params: dict) -> tuple[pl.DataFrame, list[dict]]:
    gevolg = pl.col("gevolg")
    df = rejected_rows(data.engine(), viewer, run_of(params)).with_columns(
        gevolg.replace_strict({k: v[0] for k, v in GEVOLG_LABELS.items()}, default="open")
        .alias("gevolg_key"),
        gevolg.replace_strict({k: v[1] for k, v in GEVOLG_LABELS.items()}, default=gevolg)
        .alias("gevolg_label"),
    )  # fmt: skip
    return df, REJECTED_COLUMNS


def reasons_table(viewer: Viewer, params: dict) -> tuple[pl.DataFrame, list[dict]]:
    df, _ = rejected_table(viewer, params)
    summary = df.group_by("gevolg_key", "gevolg_label", "bestand", "reden").agg(
        pl.len().cast(pl.Int64).alias("rijen")
    )
    return (
        summary.sort(
            pl.col("gevolg_label") != GEVOLG_LABELS["afgewezen"][1],
            "rijen",
            "bestand",
            descending=[False, True, False],
        ),
        REASON_COLUMNS,
    )


register_export("laadhistorie", history_table, ROLES)
register_export("afgewezen_rijen", rejected_table, ROLES)


@w.guarded
def latest_tiles(history: pl.DataFrame) -> html.Div:
    if history.height == 0:
        return w.empty_state("Er is nog nooit een export geladen")
    last = history.row(0, named=True)
    key, label = STATUS_LABELS.get(last["status"], ("open", last["status"]))
    return w.tiles(
        w.kpi_tile(
            "Laatste load",
            f"Run {last['run_id']}",
            status=key,
            badge=label,
            tile_id="tegel-run",
        ),
        w.kpi_tile("Exportdatum", w.fmt_date(last["exportdatum"]), tile_id="tegel-exportdatum"),
        w.kpi_tile(
            "Rijen geladen", w.fmt_number(last["rijen_geladen"]), tile_id="tegel-rijen-geladen"
        ),
        w.kpi_tile(
            "Rijen afgewezen",
            w.fmt_number(last["rijen_afgewezen"]),
            status="verlopen" if last["rijen_afgewezen"] else "tijdig",
            badge="Zie hieronder" if last["rijen_afgewezen"] else "Geen",
            tile_id="tegel-rijen-afgewezen",
        ),
        w.kpi_tile(
            "Waarden weggelaten",
            w.fmt_number(last["waarden_weggelaten"]),
            sub="rij wel geladen, zonder die waarde",
            status="binnenkort" if last["waarden_weggelaten"] else "tijdig",
            badge="Zie hieronder" if last["waarden_weggelaten"] else "Geen",
            tile_id="tegel-waarden-weggelaten",
        ),
    )


@w.guarded
def history_section(viewer: Viewer, params: dict):
    df, columns = history_table(viewer, params)
    grid = w.data_grid(
        f"{PAGE}-historie", df, columns,
        "Er is nog nooit een export geladen", page_size=10,
    )  # fmt: skip
    return html.Div([latest_tiles(df), w.table_section("Laadgeschiedenis", "laadhistorie", grid)])


@w.guarded
def rejected_section(viewer: Viewer, params: dict):
    df, columns = rejected_table(viewer, params)
    run = run_of(params)
    title = f"Afgewezen rijen van run {run}" if run else "Afgewezen rijen van de laatste load"
    reasons, reason_columns = reasons_table(viewer, params)
    return html.Div(
        [
            w.table_section(
                "Afgewezen rijen en weggelaten waarden per bestand en reden",
                "afgewezen_redenen",
                w.data_grid(
                    f"{PAGE}-redenen", reasons, reason_columns, NOTHING_REPORTED, page_size=15
                ),
                exportable=False,
            ),
            w.table_section(
                title,
                "afgewezen_rijen",
                w.data_grid(f"{PAGE}-afgewezen", df, columns, NOTHING_REPORTED),
                intro="Elke rij die niet aan het datacontract voldoet, met bestand, regel, "
                "kolom, waarde en reden. De goede rijen van dezelfde load zijn wel geladen. "
                "Bij 'Waarde weggelaten' is de rij zelf wel geladen, alleen zonder die waarde "
                "(zoals een praktijkbegeleider die niet bestaat of is afgewezen).",
            ),
        ]
    )


@w.guarded
def run_slicer(viewer: Viewer, params: dict):
    history = load_history(data.engine(), viewer)
    options = [
        {"label": f"Run {r} ({w.fmt_date(d)}, {s})", "value": str(r)}
        for r, d, s in history.select("run_id", "exportdatum", "status").iter_rows()
    ]
    return w.slicer_bar(
        w.dropdown_slicer(f"{PAGE}-run", "Load", options, params.get("run"), True, "Laatste load")
    )


def layout(run=None, **_other):
    viewer = current_viewer()
    params = {"run": run}
    return page_body(
        viewer,
        ROLES,
        "Datakwaliteit",
        shown_state(PAGE, {"run": run}),
        history_section(viewer, params),
        run_slicer(viewer, params),
        html.Div(rejected_section(viewer, params), id=f"{PAGE}-afgewezen-body"),
    )


STATE = sync_with_url(
    PAGE,
    PATH,
    ROLES,
    {"run": f"{PAGE}-run"},
    rejected_section,
    lambda _viewer, params: {"run": params.get("run")},
    body_id=f"{PAGE}-afgewezen-body",
)
