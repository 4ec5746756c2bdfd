"""Personeel: formatie against bezetting, verzuim, dienstverband, expiring VOG/SKJ, diplomas."""

from functools import partial

import dash
import polars as pl
from dash import html

from dashboard import data
from dashboard.charts import bar_figure, line_figure, month_start, team_colours
from dashboard.components import widgets as w
from dashboard.components.exports import register_export
from dashboard.components.pagestate import slicer_page
from dashboard.components.theme import OKABE_ITO
from dashboard.context import page_context
from queries.personeel import bezetting, dienstverband_mix, expiring, missing_diplomas, verzuim
from queries.scope import Viewer

PAGE = "personeel"
PATH = "/personeel"
ROLES = ("manager", "teammanager")
DIENSTVERBAND_COLOURS = {
    "vast": OKABE_ITO["blauw"],
    "tijdelijk": OKABE_ITO["oranje"],
    "zzp": OKABE_ITO["roodpaars"],
    "onbekend": OKABE_ITO["grijs"],
}
DOCUMENT_LABELS = {"vog": "VOG", "skj": "SKJ-registratie"}

dash.register_page(__name__, path=PATH, name="Personeel", title="Personeel", order=6, roles=ROLES)

BEZETTING_COLUMNS = [
    w.column("team_naam", "Team", pinned="left", minWidth=190),
    w.column("regio", "Regio"),
    w.column("formatie_fte", "Formatie (fte)", w.NUMBER, decimals=2),
    w.column("bezetting_fte", "Bezetting (fte)", w.NUMBER, decimals=2),
    w.column("verschil_fte", "Verschil (fte)", w.NUMBER, decimals=2, cellClassRules={
        "cell-status cell-boven_norm": "params.value < 0",
        "cell-status cell-binnen_norm": "params.value >= 0",
    }, headerTooltip="Bezetting min formatie: negatief is onderbezetting"),
    w.column("medewerkers", "Medewerkers", w.NUMBER),
    w.column("verzuim_pct", "Verzuim deze maand", w.PCT, decimals=1),
]  # fmt: skip
EXPIRING_COLUMNS = [
    w.column("status_label", "Status", w.STATUS, minWidth=200),
    w.column("document_label", "Document", maxWidth=160),
    w.column("verloopt_op", "Verloopt op", w.DATE),
    w.column("dagen_tot", "Dagen tot", w.NUMBER, maxWidth=120),
    w.column("naam", "Medewerker", minWidth=170),
    w.column("functie", "Functie", labels=w.FUNCTIE_LABELS),
    w.column("team_naam", "Team"),
]
DIPLOMA_COLUMNS = [
    w.column("naam", "Medewerker", minWidth=170),
    w.column("functie", "Functie", labels=w.FUNCTIE_LABELS),
    w.column("team_naam", "Team"),
    w.column("medewerker_id", "Personeelsnummer"),
]


def _query(query, viewer: Viewer, params: dict, **kwargs) -> pl.DataFrame:
    """query(snap, viewer, day, cfg, **kwargs) once per request: the tiles, the tables and the
    slicers ask for the same frames."""
    snap, day, cfg = page_context(params)
    key = (PAGE, query.__name__, snap.run_id, viewer, day, tuple(sorted(kwargs.items())))
    return data.per_request(key, lambda: query(snap, viewer, day, cfg, **kwargs))


def _select(df: pl.DataFrame, params: dict) -> pl.DataFrame:
    """The rows of the chosen region and team (columns regio / team_id where present)."""
    for key, col in (("regio", "regio"), ("team", "team_id")):
        if params.get(key) and col in df.columns:
            df = df.filter(pl.col(col) == params[key])
    return df


def staffing_table(viewer: Viewer, params: dict) -> tuple[pl.DataFrame, list[dict]]:
    """Per team on the peildatum's month: formatie, bezetting, difference and verzuim."""
    month = data.as_of(params).strftime("%Y-%m")
    now = _query(bezetting, viewer, params, months=1).filter(pl.col("maand") == month)
    sick = _query(verzuim, viewer, params, months=1, by="team_id").select("team_id", "verzuim_pct")
    df = _select(now.join(sick, on="team_id", how="left"), params).sort("regio", "team_id")
    return df, BEZETTING_COLUMNS


def expiring_table(viewer: Viewer, params: dict) -> tuple[pl.DataFrame, list[dict]]:
    """VOG and SKJ expired or expiring within three months, soonest first."""
    teams = data.snapshot()["teams"].select("team_id", "regio")
    df = _select(_query(expiring, viewer, params).join(teams, on="team_id", how="left"), params)
    df = df.with_columns(
        pl.when(pl.col("status") == "verlopen")
        .then(pl.lit("verlopen"))
        .otherwise(pl.lit("binnenkort"))
        .alias("status_key"),
        pl.when(pl.col("status") == "verlopen")
        .then(pl.lit("✖ Verlopen"))
        .otherwise(pl.lit("▲ Verloopt binnenkort"))
        .alias("status_label"),
        pl.col("document").replace_strict(DOCUMENT_LABELS, default=pl.col("document"))
        .alias("document_label"),
    )  # fmt: skip
    return df, EXPIRING_COLUMNS


def diploma_table(viewer: Viewer, params: dict) -> tuple[pl.DataFrame, list[dict]]:
    teams = data.snapshot()["teams"].select("team_id", "regio")
    df = _query(missing_diplomas, viewer, params).join(teams, on="team_id", how="left")
    return _select(df, params), DIPLOMA_COLUMNS


register_export("personeel_bezetting", staffing_table, ROLES)
register_export("personeel_vog_skj", expiring_table, ROLES)
register_export("personeel_diplomas", diploma_table, ROLES)


def _pct(part: float, whole: float) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@w.guarded
def tiles(viewer: Viewer, params: dict, staffing: pl.DataFrame):
    day = data.as_of(params)
    formatie = staffing["formatie_fte"].sum()
    bezet = staffing["bezetting_fte"].sum()
    sick = _select(_query(verzuim, viewer, params, months=1, by="team_id"), params)
    expired, _ = expiring_table(viewer, params)
    verlopen = expired.filter(pl.col("status") == "verlopen").height
    diplomas, _ = diploma_table(viewer, params)
    sick_pct = _pct(sick["verzuim_fte_dagen"].sum(), sick["beschikbaar_fte_dagen"].sum())
    return w.tiles(
        w.kpi_tile("Formatie", f"{w.fmt_number(formatie, 1)} fte", tile_id="tegel-formatie"),
        w.kpi_tile(
            "Bezetting",
            f"{w.fmt_number(bezet, 1)} fte",
            sub=f"{w.fmt_pct(_pct(bezet, formatie))} van de formatie",
            status="binnen_norm" if bezet >= formatie else "boven_norm",
            badge="Volledig bezet" if bezet >= formatie else "Onderbezet",
            tile_id="tegel-bezetting",
        ),
        w.kpi_tile(
            "Verzuim deze maand",
            w.fmt_pct(sick_pct),
            sub=f"werkdagen t/m {w.fmt_date(day)}",
            tile_id="tegel-verzuim",
        ),
        w.kpi_tile(
            "VOG/SKJ verlopen",
            w.fmt_number(verlopen),
            sub=f"en {expired.height - verlopen} binnen 3 maanden",
            status="verlopen" if verlopen else "tijdig",
            badge=None if verlopen else "Geen",
            tile_id="tegel-vog-skj",
        ),
        w.kpi_tile(
            "Diploma niet in dossier",
            w.fmt_number(diplomas.height),
            status="verlopen" if diplomas.height else "tijdig",
            badge="Ontbreekt" if diplomas.height else "Geen",
            tile_id="tegel-diplomas",
        ),
    )


@w.guarded
def staffing_chart(viewer: Viewer, params: dict):
    snap, day, cfg = page_context(params)
    df = _select(bezetting(snap, viewer, day, cfg), params)
    if df.height == 0:
        return w.section("Formatie en bezetting", w.empty_state("Geen teams in deze selectie"))
    per_month = (
        df.group_by("maand")
        .agg(pl.col("formatie_fte").sum(), pl.col("bezetting_fte").sum())
        .sort("maand")
    )
    x = [month_start(m) for m in per_month["maand"]]
    fig = line_figure(
        "Formatie en bezetting per maand (fte)",
        x,
        [
            ("Formatie", per_month["formatie_fte"].round(2), OKABE_ITO["grijs"]),
            ("Bezetting", per_month["bezetting_fte"].round(2), OKABE_ITO["blauw"]),
        ],
        "fte",
        height=360,
    )
    colours = team_colours(snap)
    months = per_month["maand"].to_list()
    series = []
    for (team_id, naam), part in df.sort("maand").group_by(
        "team_id", "team_naam", maintain_order=True
    ):
        values = dict(zip(part["maand"], part["verschil_fte"], strict=True))
        series.append((naam, [values.get(m) for m in months], colours.get(team_id, "#333")))
    per_team = line_figure(
        "Bezetting min formatie per team (fte; onder nul is onderbezet)",
        x,
        sorted(series, key=lambda s: s[0]),
        "fte",
        height=360,
    )
    return html.Div(
        [
            w.section("Formatie en bezetting", w.graph(fig, f"{PAGE}-bezetting-trend", 360)),
            w.section(
                "Onder- en overbezetting per team",
                w.graph(per_team, f"{PAGE}-bezetting-team", 360),
            ),
        ],
        className="grid-2",
    )


@w.guarded
def verzuim_charts(viewer: Viewer, params: dict):
    snap, day, cfg = page_context(params)
    colours = team_colours(snap)
    teams = _select(verzuim(snap, viewer, day, cfg, by="team_id"), params)
    if teams.height == 0:
        return w.section("Verzuim", w.empty_state("Geen verzuimgegevens in deze selectie"))
    months = sorted(teams["maand"].unique().to_list())
    x = [month_start(m) for m in months]
    series = []
    for (team_id, naam), part in teams.sort("maand").group_by(
        "team_id", "team_naam", maintain_order=True
    ):
        values = dict(zip(part["maand"], part["verzuim_pct"], strict=True))
        series.append((naam, [values.get(m) for m in months], colours.get(team_id, "#333")))
    series.sort(key=lambda s: s[0])
    charts = [
        w.section(
            "Verzuim per team",
            w.graph(
                line_figure(
                    "Verzuim per team per maand (%)", x, series, "%", suffix="%", height=420
                ),
                f"{PAGE}-verzuim-team",
                420,
            ),
        )
    ]
    if viewer.sees_everything and not params.get("team"):
        regions = _select(verzuim(snap, viewer, day, cfg, by="regio"), params).sort("regio")
        palette = [OKABE_ITO["blauw"], OKABE_ITO["oranje"], OKABE_ITO["blauwgroen"]]
        region_series = [
            (regio, [dict(zip(part["maand"], part["verzuim_pct"], strict=True)).get(m)
                     for m in months], palette[i % len(palette)])
            for i, ((regio,), part) in enumerate(regions.group_by("regio", maintain_order=True))
        ]  # fmt: skip
        charts.append(
            w.section(
                "Verzuim per regio",
                w.graph(
                    line_figure(
                        "Verzuim per regio per maand (%)", x, region_series, "%", "%", height=420
                    ),
                    f"{PAGE}-verzuim-regio",
                    420,
                ),
            )
        )
    return html.Div(charts, className="grid-2")


@w.guarded
def mix_chart(viewer: Viewer, params: dict):
    snap, day, cfg = page_context(params)
    df = _select(dienstverband_mix(snap, viewer, day, cfg, by="team_id"), params)
    if df.height == 0:
        return w.section("Dienstverband", w.empty_state("Geen medewerkers in dienst"))
    teams = df.select("team_id", "team_naam").unique().sort("team_id")
    names = teams["team_naam"].to_list()
    series = []
    for kind, colour in DIENSTVERBAND_COLOURS.items():
        part = dict(df.filter(pl.col("dienstverband") == kind).select("team_id", "fte").iter_rows())
        if part:
            label = w.DIENSTVERBAND_LABELS[kind]
            series.append((label, [part.get(t, 0.0) for t in teams["team_id"]], colour))
    fig = bar_figure(
        f"Fte naar dienstverband per team op {w.fmt_date(day)}",
        names,
        series,
        "fte",
        barmode="stack",
        dates=False,
    )
    return w.section("Dienstverband", w.graph(fig, f"{PAGE}-dienstverband", 320))


@w.guarded
def body(viewer: Viewer, params: dict):
    staffing, columns = staffing_table(viewer, params)
    section = partial(w.grid_section, PAGE)
    return html.Div(
        [
            tiles(viewer, params, staffing),
            staffing_chart(viewer, params),
            w.table_section(
                "Formatie en bezetting per team",
                "personeel_bezetting",
                w.data_grid(f"{PAGE}-bezetting", staffing, columns, "Geen teams in deze selectie"),
                intro="Bezetting: fte van de medewerkers in dienst op de peildatum. Formatie: het "
                "budget van de maand.",
            ),
            verzuim_charts(viewer, params),
            mix_chart(viewer, params),
            section(
                viewer, params, expiring_table, "personeel_vog_skj",
                "VOG en SKJ-registratie: verlopen of binnen 3 maanden",
                "Geen VOG of SKJ-registratie die binnen 3 maanden verloopt",
                "VOG: 36 maanden na de afgiftedatum. SKJ: de einddatum van de registratie.",
            ),
            section(
                viewer, params, diploma_table, "personeel_diplomas",
                "Diploma niet in het dossier",
                "Van iedereen in een SKJ-functie zit het diploma in het dossier",
            ),
        ]
    )  # fmt: skip


@w.guarded
def slicers(viewer: Viewer, params: dict):
    snap, day, _cfg = page_context(params)
    teams = _query(bezetting, viewer, params, months=1)
    return w.regio_team_slicers(PAGE, day, snap.export_date, teams, params)


def resolved(_viewer: Viewer, params: dict) -> dict:
    return {
        "peildatum": data.as_of(params).isoformat(),
        "regio": params.get("regio") or None,
        "team": params.get("team") or None,
    }


layout, STATE = slicer_page(
    PAGE,
    PATH,
    ROLES,
    "Personeel",
    ("peildatum", "regio", "team"),
    slicers,
    body,
    resolved,
    valid=data.peildatum_usable,
)
