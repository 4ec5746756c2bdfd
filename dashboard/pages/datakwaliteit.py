"""Datakwaliteit: the load history, the rows a load refused and the values it left out of rows it
loaded, for the functioneel beheerder."""

import math

import dash
import polars as pl
from dash import dcc, html

from dashboard import data
from dashboard.components import widgets as w
from dashboard.components.appshell import page_body
from dashboard.components.exports import register_export
from dashboard.components.pagestate import shown_state, sync_with_url
from dashboard.viewer import current_viewer
from queries.figuren import figuur
from queries.laadhistorie import load_history, rejected_rows, rejected_summary
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
# Reported rows per page: a load can report millions, the page shows them a hundred at a time.
PAGE_ROWS = 100

dash.register_page(
    __name__,
    path=PATH,
    name="Datakwaliteit",
    title="Datakwaliteit",
    order=7,
    roles=ROLES,
)

HISTORY_COLUMNS = [
    w.column("run_id", "Laadronde", w.NUMBER, maxWidth=110),
    w.column("status_label", "Status", w.STATUS, minWidth=200, tooltipField="status_label"),
    w.column("exportdatum", "Exportdatum", w.DATE),
    w.column("gestart", "Gestart", w.DATE, minWidth=160),
    w.figuur_column("duur_s", "Duur (s)"),
    w.figuur_column("rijen_geladen"),
    w.figuur_column("rijen_afgewezen"),
    w.figuur_column("waarden_weggelaten"),
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
    w.figuur_column("rijen_per_reden", "Rijen"),
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
        ),
        HISTORY_COLUMNS,
    )  # fmt: skip


def run_of(params: dict) -> int | None:
    try:
        return int(params["run"]) if params.get("run") else None
    except ValueError:
        return None


def page_of(params: dict) -> int:
    try:
        return max(int(params.get("pagina") or 1), 1)
    except (TypeError, ValueError):
        return 1


def _labelled(df: pl.DataFrame) -> pl.DataFrame:
    gevolg = pl.col("gevolg")
    return df.with_columns(
        gevolg.replace_strict({k: v[0] for k, v in GEVOLG_LABELS.items()}, default="open")
        .alias("gevolg_key"),
        gevolg.replace_strict({k: v[1] for k, v in GEVOLG_LABELS.items()}, default=gevolg)
        .alias("gevolg_label"),
    )  # fmt: skip


def rejected_table(viewer: Viewer, params: dict) -> tuple[pl.DataFrame, list[dict]]:
    """Every reported row of the load: what the export downloads."""
    return _labelled(rejected_rows(data.engine(), viewer, run_of(params))), REJECTED_COLUMNS


def reasons_table(viewer: Viewer, params: dict) -> tuple[pl.DataFrame, list[dict]]:
    summary = _labelled(rejected_summary(data.engine(), viewer, run_of(params)))
    return (
        summary.select("gevolg_key", "gevolg_label", "bestand", "reden", "rijen_per_reden").sort(
            pl.col("gevolg_label") != GEVOLG_LABELS["afgewezen"][1],
            "rijen_per_reden",
            "bestand",
            descending=[False, True, False],
        ),
        REASON_COLUMNS,
    )


register_export("laadhistorie", history_table, ROLES, "Laadgeschiedenis")
register_export("afgewezen_rijen", rejected_table, ROLES, "Afgewezen rijen")


@w.guarded
def latest_tiles(history: pl.DataFrame) -> html.Div:
    if history.height == 0:
        return w.empty_state("Er is nog nooit een export geladen")
    last = history.row(0, named=True)
    key, label = STATUS_LABELS.get(last["status"], ("open", last["status"]))

    def tile(key: str, tile_id: str, **extra) -> html.Div:
        shown = w.fmt_figuur(key, last[key])
        return w.kpi_tile(figuur(key).naam, shown, tile_id=tile_id, figuur=key, **extra)

    return w.tiles(
        w.kpi_tile(
            "Laatste laadronde",
            f"Nr. {last['run_id']}",
            status=key,
            badge=label,
            tile_id="tegel-run",
        ),
        w.kpi_tile("Exportdatum", w.fmt_date(last["exportdatum"]), tile_id="tegel-exportdatum"),
        tile("rijen_geladen", "tegel-rijen-geladen"),
        tile(
            "rijen_afgewezen",
            "tegel-rijen-afgewezen",
            status="verlopen" if last["rijen_afgewezen"] else "tijdig",
            badge="Zie hieronder" if last["rijen_afgewezen"] else "Geen",
        ),
        tile(
            "waarden_weggelaten",
            "tegel-waarden-weggelaten",
            sub="rij wel geladen, zonder die waarde",
            status="binnenkort" if last["waarden_weggelaten"] else "tijdig",
            badge="Zie hieronder" if last["waarden_weggelaten"] else "Geen",
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


def _pager(page: int, pages: int, total: int) -> html.Div:
    first = (page - 1) * PAGE_ROWS + 1
    shown = f"rijen {w.fmt_number(first)}–{w.fmt_number(min(page * PAGE_ROWS, total))}"
    return w.slicer_bar(
        w.slicer(
            f"Pagina (van {w.fmt_number(pages)}; {shown} van {w.fmt_number(total)})",
            dcc.Input(
                id=f"{PAGE}-pagina", type="number", min=1, max=pages, step=1, value=page,
                debounce=True, disabled=pages == 1,
            ),
        )
    )  # fmt: skip


@w.guarded
def rejected_section(viewer: Viewer, params: dict):
    run = run_of(params)
    title = (
        f"Afgewezen rijen van laadronde {run}"
        if run
        else "Afgewezen rijen van de laatste laadronde"
    )
    reasons, reason_columns = reasons_table(viewer, params)
    total = int(reasons["rijen_per_reden"].sum())
    pages = max(math.ceil(total / PAGE_ROWS), 1)
    page = min(page_of(params), pages)
    rows = rejected_rows(data.engine(), viewer, run, (page - 1) * PAGE_ROWS, PAGE_ROWS)
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
            _pager(page, pages, total),
            w.table_section(
                title,
                "afgewezen_rijen",
                w.data_grid(
                    f"{PAGE}-afgewezen",
                    _labelled(rows),
                    REJECTED_COLUMNS,
                    NOTHING_REPORTED,
                    page_size=PAGE_ROWS,
                ),  # fmt: skip
                intro="Elke rij die niet aan het datacontract voldoet, met bestand, regel, "
                "kolom, waarde en reden; per pagina honderd, de export bevat ze allemaal. "
                "De goede rijen van dezelfde laadronde zijn wel geladen. "
                "Bij 'Waarde weggelaten' is de rij zelf wel geladen, alleen zonder die waarde "
                "(zoals een praktijkbegeleider die niet bestaat of is afgewezen).",
            ),
        ]
    )


@w.guarded
def run_slicer(viewer: Viewer, params: dict):
    history = load_history(data.engine(), viewer)
    options = [
        {"label": f"Laadronde {r} ({w.fmt_date(d)}, {s})", "value": str(r)}
        for r, d, s in history.select("run_id", "exportdatum", "status").iter_rows()
    ]
    return w.slicer_bar(
        w.dropdown_slicer(
            f"{PAGE}-run", "Laadronde", options, params.get("run"), True, "Laatste laadronde"
        )
    )


def layout(run=None, pagina=None, **_other):
    viewer = current_viewer()
    params = {"run": run, "pagina": pagina}
    return page_body(
        viewer,
        ROLES,
        "Datakwaliteit",
        shown_state(PAGE, params),
        history_section(viewer, params),
        run_slicer(viewer, params),
        html.Div(rejected_section(viewer, params), id=f"{PAGE}-afgewezen-body"),
    )


STATE = sync_with_url(
    PAGE,
    PATH,
    ROLES,
    {"run": f"{PAGE}-run", "pagina": f"{PAGE}-pagina"},
    rejected_section,
    lambda _viewer, params: {"run": params.get("run"), "pagina": params.get("pagina")},
    body_id=f"{PAGE}-afgewezen-body",
)
