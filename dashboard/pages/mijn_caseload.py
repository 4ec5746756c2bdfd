"""Mijn caseload: a jeugdzorgwerker's morning view (others open it for a worker they may see)."""

from datetime import date, timedelta
from functools import partial

import dash
import polars as pl
from dash import html

from dashboard import agenda, data, mailinstelling
from dashboard.components import widgets as w
from dashboard.components.exports import register_export
from dashboard.components.pagestate import slicer_page
from dashboard.components.theme import THEME, plotly_layout
from dashboard.context import caseload_title, worker_context
from dashboard.mijn_afspraken import afspraken_section
from dashboard.mijn_afspraken import register as register_afspraken
from dashboard.rows import (
    DEADLINE_COLUMNS,
    MEASURE_COLUMNS,
    NIET_GEZIEN_COLUMNS,
    VERLENGING_COLUMNS,
    deadline_rows,
    measure_rows,
    signal_rows,
)
from queries.caseload import maatregelen_van
from queries.figuren import waarde
from queries.figuur import Filters
from queries.scope import ROLES, Viewer
from queries.termijnen import werklijst
from queries.verlenging import verlenging_voorbereiden
from queries.zicht import niet_gezien

PAGE = "mijn-caseload"
PATH = "/mijn-caseload"
TIMELINE_DAYS = 14
FIGUREN_TEGELS = (
    "caseload_actief",
    "caseload_gewogen",
    "caseload_norm",
    "caseload_ruimte",
    "verlopen_termijnen",
    "binnenkort_termijnen",
)

dash.register_page(
    __name__, path=PATH, name="Mijn caseload", title="Mijn caseload", order=1, roles=ROLES
)


def of_soort(df: pl.DataFrame, params: dict) -> pl.DataFrame:
    """Only the measures of the chosen soort (all when none is chosen)."""
    soort = params.get("soort")
    return df.filter(pl.col("soort") == soort) if soort else df


def deadlines_table(viewer: Viewer, params: dict) -> tuple[pl.DataFrame, list[dict]]:
    snap, day, worker = worker_context(viewer, params)
    df = werklijst(snap, viewer, day, data.config(), medewerker_id=worker or "")
    return deadline_rows(of_soort(df, params), day), DEADLINE_COLUMNS


def measures_table(viewer: Viewer, params: dict) -> tuple[pl.DataFrame, list[dict]]:
    snap, day, worker = worker_context(viewer, params)
    df = maatregelen_van(snap, viewer, day, data.config(), medewerker_id=worker or "")
    return measure_rows(of_soort(df, params), day), MEASURE_COLUMNS


def niet_gezien_table(viewer: Viewer, params: dict) -> tuple[pl.DataFrame, list[dict]]:
    """The worker's measures whose jeugdige was not seen in the gezien weeks (or never)."""
    snap, day, worker = worker_context(viewer, params)
    df = niet_gezien(snap, viewer, day, data.config(), Filters(medewerker_id=worker or ""))
    rows = measure_rows(of_soort(df, params), day).sort("dagen_sinds_gezien", descending=True)
    return rows, NIET_GEZIEN_COLUMNS


def verlenging_table(viewer: Viewer, params: dict) -> tuple[pl.DataFrame, list[dict]]:
    """The worker's measures whose einde_gepland falls within the signal weeks."""
    snap, day, worker = worker_context(viewer, params)
    df = verlenging_voorbereiden(
        snap, viewer, day, data.config(), Filters(medewerker_id=worker or "")
    )
    return signal_rows(of_soort(df, params), day), VERLENGING_COLUMNS


register_export("mijn_termijnen", deadlines_table, ROLES, "Openstaande en verlopen termijnen")
register_export("mijn_maatregelen", measures_table, ROLES, "Maatregelen")
register_export("mijn_niet_gezien", niet_gezien_table, ROLES, "Jeugdige langer niet gezien")
register_export("mijn_verlenging", verlenging_table, ROLES, "Verlenging voorbereiden")


@w.guarded
def caseload_tiles(viewer: Viewer, params: dict) -> html.Div:
    snap, day, worker = worker_context(viewer, params)
    cfg = data.config()
    row = data.staff_caseload(snap, viewer, day).filter(pl.col("medewerker_id") == worker)
    f = Filters(medewerker_id=worker, soort=params.get("soort") or None)
    n = {k: waarde(k, snap, viewer, day, cfg, f) for k in FIGUREN_TEGELS}
    verlopen, binnenkort = n["verlopen_termijnen"], n["binnenkort_termijnen"]
    soort = w.SOORT_LABELS.get(params.get("soort") or "")
    only = f"alleen {soort}" if soort else None

    def tile(key: str, label: str, tile_id: str, **extra) -> html.Div:
        return w.kpi_tile(label, w.fmt_figuur(key, n[key]), tile_id=tile_id, figuur=key, **extra)

    termijn_tiles = [
        tile(
            "verlopen_termijnen",
            "Verlopen termijnen",
            "tegel-verlopen",
            sub=only,
            status="verlopen" if verlopen else "tijdig",
            badge=None if verlopen else "Geen",
        ),
        tile(
            "binnenkort_termijnen",
            f"Binnen {cfg.binnenkort_werkdagen} werkdagen",
            "tegel-binnenkort",
            sub=only,
            status="binnenkort" if binnenkort else None,
        ),
    ]
    if row.height == 0:
        return w.tiles(*termijn_tiles)
    r = row.row(0, named=True)
    per_fte = w.fmt_number(cfg.caseload_norm_per_fte, 0)
    return w.tiles(
        tile(
            "caseload_actief",
            "Actieve maatregelen",
            "tegel-actief",
            sub=f"waarvan {r['contactpersoon']} als contactpersoon"
            if r["contactpersoon"]
            else None,
        ),
        tile("caseload_gewogen", "Gewogen caseload", "tegel-gewogen"),
        tile(
            "caseload_norm",
            "Norm",
            "tegel-norm",
            sub=f"{per_fte} per fte × {w.fmt_number(r['fte'], 2)} fte",
        ),
        tile(
            "caseload_ruimte",
            "Ruimte",
            "tegel-ruimte",
            status="boven_norm" if r["boven_norm"] else "binnen_norm",
        ),
        *termijn_tiles,
    )


def timeline_figure(df: pl.DataFrame, day: date) -> dict:
    """Deadlines of the coming two weeks on a date axis, one row per measure."""
    soon = df.filter(
        (pl.col("status") == "open") & (pl.col("deadline") <= day + timedelta(days=TIMELINE_DAYS))
    ).sort("deadline")
    traces = []
    for key in ("binnenkort", "open"):
        part = soon.filter(pl.col("status_key") == key)
        if part.height == 0:
            continue
        spec = THEME["status"][key]
        traces.append(
            {
                "type": "scatter",
                "mode": "markers+text",
                "name": spec["label"],
                "x": [d.isoformat() for d in part["deadline"]],
                "y": part["maatregel_id"].to_list(),
                "text": part["termijn"].to_list(),
                "textposition": "middle right",
                "marker": {
                    "size": 14,
                    "color": spec["colour"],
                    "symbol": "triangle-up" if key == "binnenkort" else "circle",
                },
                "customdata": [w.fmt_date(d) for d in part["deadline"]],
                "hovertemplate": "%{y}: %{text}<br>uiterlijk %{customdata}<extra></extra>",
            }
        )
    rows = max(soon["maatregel_id"].n_unique(), 1)
    return {
        "data": traces,
        "layout": plotly_layout(
            None,
            height=max(200, 70 + 36 * rows),
            xaxis={
                "type": "date",
                "range": [
                    (day - timedelta(days=1)).isoformat(),
                    (day + timedelta(days=TIMELINE_DAYS + 4)).isoformat(),
                ],
                "tickformat": "%a %-d %b",
                "dtick": 86400000 * 2,
                "showgrid": True,
            },
            yaxis={"type": "category", "automargin": True, "title": {"text": ""}},
            legend={"orientation": "h", "y": -0.2},
            shapes=[
                {
                    "type": "line",
                    "x0": day.isoformat(),
                    "x1": day.isoformat(),
                    "yref": "paper",
                    "y0": 0,
                    "y1": 1,
                    "line": {"color": THEME["muted"], "dash": "dot"},
                }
            ],
            annotations=[
                {
                    "x": day.isoformat(),
                    "yref": "paper",
                    "y": 1,
                    "text": "peildatum",
                    "showarrow": False,
                    "yanchor": "bottom",
                    "font": {"size": 11, "color": THEME["muted"]},
                }
            ],
        ),
    }


@w.guarded
def timeline(deadlines: pl.DataFrame, day: date):
    soon = deadlines.filter(
        (pl.col("status") == "open") & (pl.col("deadline") <= day + timedelta(days=TIMELINE_DAYS))
    )
    if soon.height == 0:
        return w.section(
            "Wat de komende twee weken verloopt",
            w.empty_state("Geen termijnen die de komende twee weken verlopen"),
        )
    fig = timeline_figure(deadlines, day)
    return w.section(
        "Wat de komende twee weken verloopt",
        w.graph(fig, f"{PAGE}-tijdlijn", height=fig["layout"]["height"]),
    )


@w.guarded
def deadlines_section(df: pl.DataFrame):
    grid = w.data_grid(
        f"{PAGE}-termijnen", df, DEADLINE_COLUMNS, "Geen openstaande termijnen", page_size=20
    )
    return w.table_section(
        "Openstaande en verlopen termijnen",
        "mijn_termijnen",
        grid,
        intro="Verlopen termijnen eerst, daarna op datum. Open termijnen tellen af in "
        "werkdagen (Atw), verlopen termijnen in kalenderdagen.",
    )


@w.guarded
def measures_section(viewer: Viewer, params: dict):
    df, columns = measures_table(viewer, params)
    grid = w.data_grid(f"{PAGE}-maatregelen", df, columns, "Geen actieve maatregelen")
    return w.table_section("Maatregelen", "mijn_maatregelen", grid)


@w.guarded
def attention_sections(viewer: Viewer, params: dict):
    """The jeugdigen not seen lately, and the measures whose planned end is near."""
    cfg = data.config()
    n, signaal = cfg.gezien_weken, cfg.einde_gepland_signaal_weken
    section = partial(w.grid_section, PAGE)
    return html.Div(
        [
            section(
                viewer, params, niet_gezien_table, "mijn_niet_gezien",
                f"Jeugdige niet gezien in de laatste {n} weken",
                f"Alle jeugdigen gezien in de laatste {n} weken",
                "Gezien: face-to-face contact met de jeugdige (een contact met alleen een ouder "
                "telt niet). Nooit gezien bovenaan.",
            ),
            section(
                viewer, params, verlenging_table, "mijn_verlenging", "Verlenging voorbereiden",
                f"Geen maatregelen die binnen {signaal} weken eindigen",
                f"Het geplande einde valt binnen {signaal} weken: tijd om een verlenging of de "
                "afsluiting voor te bereiden. Een signaal, geen termijn.",
            ),
        ]
    )  # fmt: skip


@w.guarded
def body(viewer: Viewer, params: dict):
    """Everything below the slicers, for one worker and peildatum."""
    snap, day, worker = worker_context(viewer, params)
    if worker is None:
        return w.empty_state("Geen jeugdzorgwerker om te tonen")
    deadlines, _ = deadlines_table(viewer, params)
    return html.Div(
        [
            caseload_tiles(viewer, params),
            deadlines_section(deadlines),
            afspraken_section(viewer, params),
            timeline(deadlines, day),
            attention_sections(viewer, params),
            measures_section(viewer, params),
            agenda.section(viewer, worker),
            mailinstelling.section(),
        ]
    )


@w.guarded
def slicers(viewer: Viewer, params: dict):
    snap = data.snapshot()
    day = data.as_of(params, snap)
    # A jeugdzorgwerker sees the control too, fixed on themselves.
    own = viewer.role == "jeugdzorgwerker"
    worker = w.dropdown_slicer(
        f"{PAGE}-medewerker",
        "Jeugdzorgwerker",
        data.worker_options(snap, viewer, day),
        data.resolve_worker(snap, viewer, day, params),
        disabled=own,
    )
    soort = w.soort_slicer(PAGE, params.get("soort"))
    return w.slicer_bar(w.peildatum_slicer(PAGE, day, snap.export_date), worker, soort)


def resolved(viewer: Viewer, params: dict) -> dict:
    """The slicer values the page shows for these URL parameters."""
    snap, day, worker = worker_context(viewer, params)
    soort = params.get("soort") if params.get("soort") in w.SOORT_LABELS else None
    return {"peildatum": day.isoformat(), "medewerker": worker, "soort": soort}


layout, STATE = slicer_page(
    PAGE,
    PATH,
    ROLES,
    "Mijn caseload",
    ("peildatum", "medewerker", "soort"),
    slicers,
    body,
    resolved,
    valid=data.peildatum_usable,
    heading=caseload_title,
)
register_afspraken(PAGE, ROLES)
mailinstelling.register(ROLES)
