"""Team: the workers a praktijkbegeleider or teammanager may see, side by side."""

from functools import partial

import dash
import polars as pl
from dash import html

from dashboard import data
from dashboard.components import widgets as w
from dashboard.components.exports import register_export
from dashboard.components.pagestate import slicer_page
from dashboard.context import page_context
from dashboard.uitval import (
    decided_section,
    decisions_export,
    register_decisions,
    uitval_table,
)
from dashboard.urlstate import link_column
from queries.caseload import caseload_rijen
from queries.config import Config
from queries.figuren import figuur, rond, waarde
from queries.figuur import Filters
from queries.gesprekken import dagen_sinds_gesprek
from queries.per_houder import termijnen_per_medewerker, tijdigheid_per_houder
from queries.persoonsnormen import persoonstermijnen
from queries.scope import MANAGER, Viewer
from queries.tijdigheid import timeliness
from queries.uitval import eigen_team
from queries.zicht import PER_FIGUREN, gezien_per_medewerker

PAGE = "team"
ROLES = ("praktijkbegeleider", "gedragswetenschapper", "teammanager", "manager", "beheerder")
# Roles that hold caseload talks; the others drill into the worker's own view.
GESPREK_ROLES = ("praktijkbegeleider", "teammanager", "manager", "beheerder")

PATH = "/team"

dash.register_page(__name__, path=PATH, name="Team", title="Team", order=3, roles=ROLES)

TOEGEREKEND = "toegerekend op de termijndag, 12 maanden"


def _figuur_column(key: str, header: str, tooltip: str, kind: str = w.PCT, **extra) -> dict:
    """A grid column of a registered figure: its key as field, its decimals."""
    return w.column(key, header, kind, decimals=figuur(key).decimalen, headerTooltip=tooltip,
                    **extra)  # fmt: skip


def columns(cfg: Config) -> list[dict]:
    """The grid's columns; the binnenkort header names the organisation's threshold."""
    return [
        w.column("naam", "Medewerker", w.LINK, href_field="naam_href", pinned="left",
                 minWidth=180),
        w.column("team_naam", "Team"),
        w.column("functie", "Functie", labels=w.FUNCTIE_LABELS),
        w.column("fte", "Fte", w.NUMBER, decimals=2, maxWidth=90),
        w.figuur_column("caseload_actief", "Actief"),
        w.figuur_column("caseload_gewogen", "Gewogen"),
        w.figuur_column("caseload_norm", "Norm"),
        w.figuur_column("caseload_ruimte", "Ruimte", cellClassRules={
            "cell-status cell-boven_norm": "params.value < 0",
            "cell-status cell-binnen_norm": "params.value >= 0",
        }),
        _figuur_column("verlopen_termijnen", "Verlopen", "Verlopen termijnen van de huidige "
                       "caseload", w.NUMBER, cellClassRules={
                           "cell-status cell-verlopen": "params.value > 0"}),
        _figuur_column("binnenkort_termijnen", "Binnenkort", "Open termijnen van de huidige "
                       f"caseload die binnen {cfg.binnenkort_werkdagen} werkdagen verlopen",
                       w.NUMBER),
        _figuur_column("risicotaxatie_actueel_pct", "RT actueel (inspectie)",
                       "Huidige caseload: actieve maatregelen met een risicotaxatie niet ouder "
                       f"dan {cfg.risicotaxatie_actueel_maanden} maanden"),
        _figuur_column("eerste_contact_tijdig_pct_houder", "1e contact tijdig (toegerekend)",
                       f"Eerste face-to-face contact binnen {cfg.eerste_contact_werkdagen} "
                       f"werkdagen, {TOEGEREKEND}"),
        _figuur_column("plan_tijdig_pct_houder", "Plan tijdig (toegerekend)",
                       f"Plan van aanpak binnen {cfg.plan_weken} weken, {TOEGEREKEND}"),
        _figuur_column("rt_termijn_tijdig_pct_houder", "RT-termijn tijdig (toegerekend)",
                       f"Risicotaxatie binnen de termijn van het instrument, {TOEGEREKEND}"),
        _figuur_column("termijnen_houder", "Termijnen (toegerekend)",
                       f"Termijnen getoetst, {TOEGEREKEND}", w.NUMBER),
        w.figuur_column("dagen_sinds_gesprek", "Dagen sinds caseloadgesprek"),
        w.column("werklijst", "Werklijst", w.LINK, href_field="werklijst_href",
                 exportField="medewerker_id", minWidth=120),
    ]  # fmt: skip


def team_table(viewer: Viewer, params: dict) -> tuple[pl.DataFrame, list[dict]]:
    """One row per visible worker: caseload, room, open and overdue deadlines of the current
    caseload, and timeliness attributed to the holder on the deadline day."""
    snap, day, cfg = page_context(params)
    staff = caseload_rijen(data.staff_caseload(snap, viewer, day))
    if params.get("regio"):
        staff = staff.filter(pl.col("regio") == params["regio"])
    if params.get("team"):
        staff = staff.filter(pl.col("team_id") == params["team"])
    counts = termijnen_per_medewerker(snap, viewer, day, cfg)
    actueel = timeliness(snap, viewer, day, cfg, by="medewerker_id").select(
        "medewerker_id", "risicotaxatie_actueel_pct"
    )
    toegerekend = tijdigheid_per_houder(snap, viewer, day, cfg).select(
        "medewerker_id",
        "eerste_contact_tijdig_pct_houder",
        "plan_tijdig_pct_houder",
        "rt_termijn_tijdig_pct_houder",
        "termijnen_houder",
    )
    peildatum = day.isoformat()
    drill = "/caseloadgesprek" if viewer.role in GESPREK_ROLES else "/mijn-caseload"
    talks = dagen_sinds_gesprek(snap, data.gesprekken(), day, staff["medewerker_id"].to_list())
    df = (
        staff.join(counts, on="medewerker_id", how="left")
        .join(actueel, on="medewerker_id", how="left")
        .join(toegerekend, on="medewerker_id", how="left")
        .join(talks.drop("laatste_gesprek"), on="medewerker_id", how="left")
        .with_columns(
            pl.col("verlopen_termijnen", "binnenkort_termijnen", "termijnen_houder").fill_null(0)
        )
        .with_columns(
            link_column(drill, "medewerker", "medewerker_id", peildatum=peildatum).alias(
                "naam_href"
            ),
            link_column("/mijn-caseload", "medewerker", "medewerker_id", peildatum=peildatum).alias(
                "werklijst_href"
            ),
            pl.lit("Werklijst").alias("werklijst"),
        )
        .sort("verlopen_termijnen", "naam", descending=[True, False])
    )
    return rond(df), columns(cfg)


register_export("team", team_table, ROLES, "Jeugdzorgwerkers")

GESPREK_COLUMNS = [
    w.column("naam", "Medewerker", w.LINK, href_field="naam_href", pinned="left", minWidth=180),
    w.column("team_naam", "Team"),
    w.column("laatste_gesprek", "Laatste caseloadgesprek", w.DATE),
    w.column("deadline", "Volgend gesprek uiterlijk", w.DATE),
    w.figuur_column("dagen_sinds_gesprek", "Dagen sinds caseloadgesprek"),
]


def gesprek_nodig_table(viewer: Viewer, params: dict) -> tuple[pl.DataFrame, list[dict]]:
    """Workers whose caseloadgesprek norm is verlopen on the peildatum: the last talk, from the
    export or recorded in the app, is older than the norm's interval (or there was none)."""
    snap, day, cfg = page_context(params)
    staff = data.staff_caseload(snap, viewer, day)
    if params.get("regio"):
        staff = staff.filter(pl.col("regio") == params["regio"])
    if params.get("team"):
        staff = staff.filter(pl.col("team_id") == params["team"])
    due = persoonstermijnen(snap, viewer, day, cfg, data.gesprekken()).filter(
        (pl.col("norm") == "caseloadgesprek") & (pl.col("status") == "verlopen")
    )
    ids = due["medewerker_id"].to_list()
    peildatum = day.isoformat()
    drill = "/caseloadgesprek" if viewer.role in GESPREK_ROLES else "/mijn-caseload"
    df = (
        staff.select("medewerker_id", "naam", "team_naam")
        .join(due.select("medewerker_id", "deadline"), on="medewerker_id")
        .join(dagen_sinds_gesprek(snap, data.gesprekken(), day, ids), on="medewerker_id")
        .with_columns(
            link_column(drill, "medewerker", "medewerker_id", peildatum=peildatum).alias(
                "naam_href"
            )
        )
        .sort("deadline", "naam")
    )
    return rond(df), GESPREK_COLUMNS


register_export("team_gesprek_nodig", gesprek_nodig_table, ROLES)

ZICHT_COLUMNS = [
    w.column("naam", "Medewerker", pinned="left", minWidth=180),
    w.figuur_column("actieve_maatregelen", "Actief"),
    w.figuur_column("jeugdige_gezien_6w", "Gezien"),
    w.figuur_column("gezien_6w_pct", "Gezien in 6 weken"),
    w.figuur_column("niet_gezien_6w", "Langer niet gezien"),
]


def _zicht_filters(params: dict) -> Filters:
    return Filters(regio=params.get("regio") or None, team_id=params.get("team") or None)


def zicht_table(viewer: Viewer, params: dict) -> tuple[pl.DataFrame, list[dict]]:
    """Per holder of active measures: the share whose jeugdige was seen in the last weeks."""
    snap, day, cfg = page_context(params)
    df = gezien_per_medewerker(snap, viewer, day, cfg, _zicht_filters(params))
    return rond(df.rename(PER_FIGUREN)), ZICHT_COLUMNS


register_export("team_zicht", zicht_table, ROLES, "Jeugdige gezien, per medewerker")


@w.guarded
def summary(viewer: Viewer, params: dict) -> html.Div:
    snap, day, cfg = page_context(params)
    f = _zicht_filters(params)
    n = {
        k: waarde(k, snap, viewer, day, cfg, f)
        for k in (
            "jeugdzorgwerkers",
            "caseload_actief",
            "gewogen_per_fte",
            "medewerkers_boven_norm",
            "verlopen_termijnen",
        )
    }
    boven, verlopen = n["medewerkers_boven_norm"], n["verlopen_termijnen"]

    def tile(key: str, label: str, tile_id: str, **extra) -> html.Div:
        return w.kpi_tile(label, w.fmt_figuur(key, n[key]), tile_id=tile_id, figuur=key, **extra)

    return w.tiles(
        tile("jeugdzorgwerkers", "Jeugdzorgwerkers", "tegel-medewerkers"),
        tile("caseload_actief", "Actieve maatregelen", "tegel-actief"),
        tile(
            "gewogen_per_fte",
            "Gewogen caseload per fte",
            "tegel-per-fte",
            sub=f"norm {w.fmt_number(cfg.caseload_norm_per_fte, 0)} per fte",
        ),
        tile(
            "medewerkers_boven_norm",
            "Boven de norm",
            "tegel-boven-norm",
            status="boven_norm" if boven else "binnen_norm",
            badge=None if boven else "Niemand",
        ),
        tile(
            "verlopen_termijnen",
            "Verlopen termijnen",
            "tegel-verlopen",
            status="verlopen" if verlopen else "tijdig",
            badge=None if verlopen else "Geen",
        ),
    )


@w.guarded
def zicht_section(viewer: Viewer, params: dict):
    """Zicht op de jeugdige for the selection and per worker."""
    snap, day, cfg = page_context(params)
    f = _zicht_filters(params)
    tiles = w.tiles(
        *(
            w.figuur_tile(k, waarde(k, snap, viewer, day, cfg, f))
            for k in ("gezien_6w_pct", "niet_gezien_6w")
        )
    )
    intro = html.P(
        f"Actieve maatregelen waarvan de jeugdige in de laatste {cfg.gezien_weken} weken "
        "face-to-face is gezien (een contact met alleen een ouder telt niet).",
        className="card-intro",
    )
    df, columns = zicht_table(viewer, params)
    grid = w.data_grid(f"{PAGE}-zicht", df, columns, "Geen actieve maatregelen", page_size=30)
    return html.Div(
        [
            w.section("Zicht op de jeugdige", intro, tiles, section_id=f"{PAGE}-zicht-tegels"),
            w.table_section(
                "Jeugdige gezien, per medewerker",
                "team_zicht",
                grid,
                intro="Houders van actieve maatregelen; laagste aandeel bovenaan.",
            ),
        ]
    )


def _uitval_filters(viewer: Viewer, params: dict) -> Filters:
    return eigen_team(data.snapshot(), viewer, _zicht_filters(params))


def uitval_rows(viewer: Viewer, params: dict) -> tuple[pl.DataFrame, list[dict]]:
    """Measures held in the team whose holder is unavailable, with the proposed waarnemer."""
    return uitval_table(viewer, params, _uitval_filters(viewer, params))


register_export("team_uitval", uitval_rows, ROLES, "Maatregelen bij uitval")


def uitval_besluiten(viewer: Viewer, params: dict) -> tuple[pl.DataFrame, list[dict]]:
    """The uitval decisions the viewer may see, for the registration system."""
    return decisions_export(viewer, params)


register_export("team_uitval_besluiten", uitval_besluiten, ROLES, "Besluiten over waarnemers")
on_uitval_decision = register_decisions(PAGE, "team_uitval", ROLES, _uitval_filters)


@w.guarded
def team_uitval(viewer: Viewer, params: dict):
    return decided_section(viewer, params, PAGE, "team_uitval", _uitval_filters(viewer, params))


@w.guarded
def body(viewer: Viewer, params: dict):
    df, columns = team_table(viewer, params)
    if df.height == 0:
        return w.empty_state("Geen jeugdzorgwerkers in deze selectie")
    grid = w.data_grid(f"{PAGE}-medewerkers", df, columns, "Geen jeugdzorgwerkers", page_size=30)
    return html.Div(
        [
            summary(viewer, params),
            w.table_section(
                "Jeugdzorgwerkers",
                "team",
                grid,
                intro="Klik op een naam voor het caseloadgesprek, of op Werklijst voor de "
                "termijnen van die medewerker. Meeste verlopen termijnen bovenaan.",
            ),
            w.grid_section(
                PAGE,
                viewer,
                params,
                gesprek_nodig_table,
                "team_gesprek_nodig",
                "Toe aan een caseloadgesprek",
                "Iedereen had op tijd een caseloadgesprek",
                "Het laatste caseloadgesprek (uit de export of vastgelegd in de app) is ouder "
                f"dan {data.config().caseloadgesprek_maanden} maanden, of er was er nooit een. "
                "Klik op een naam voor het caseloadgesprek.",
            ),
            zicht_section(viewer, params),
            team_uitval(viewer, params),
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
data.warm_view(partial(body, MANAGER, {}))
