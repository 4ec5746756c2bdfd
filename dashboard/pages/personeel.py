"""Personeel: formatie against bezetting, verzuim, verloop, dienstverband, expiring VOG/SKJ,
diplomas. Every figure comes from queries/, rounded at the registry's decimals."""

from functools import partial

import dash
import polars as pl
from dash import html

from dashboard import data
from dashboard.charts import bar_figure, line_figure, month_start, team_colours
from dashboard.components import widgets as w
from dashboard.components.cijfers import figuur_column, fmt_figuur
from dashboard.components.exports import register_export
from dashboard.components.pagestate import slicer_page
from dashboard.components.theme import OKABE_ITO
from dashboard.context import page_context
from queries import figuren
from queries.personeel import (
    BOVEN,
    ONDER,
    OP,
    bezetting,
    dienstverband_mix,
    expiring,
    formatie_bezetting,
    missing_diplomas,
    personeel_cijfers,
    verloop,
    verzuim,
    verzuim_maand,
)
from queries.rapportage import month_label
from queries.scope import MANAGER, Viewer

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
# Above formatie is no fault (a GI may staff above budget on purpose): informative, not red.
FORMATIE_STATUS = {BOVEN: "open", OP: "binnen_norm", ONDER: "binnenkort"}
# More teams than this make a chart per team unreadable (and slow to draw: 184 teams
# nationally); the charts then show regions, and choosing a region shows its teams.
MAX_TEAMS = 15
REGION_PALETTE = list(OKABE_ITO.values())
PER_REGIO = f"Meer dan {MAX_TEAMS} teams: per regio; kies een regio voor een lijn per team."

dash.register_page(__name__, path=PATH, name="Personeel", title="Personeel", order=6, roles=ROLES)


def figure_span(key: str, value) -> html.Span:
    return html.Span(fmt_figuur(key, value), **{"data-figuur": key})


def figure_graph(key: str, figure: dict, graph_id: str, height: int) -> html.Div:
    """A chart of the figure key; dcc.Graph takes no data-* attributes, so a Div carries it."""
    return html.Div(w.graph(figure, graph_id, height), **{"data-figuur": key})


def figure_tile(key: str, label: str, value, **kwargs) -> html.Div:
    """A KPI tile showing the figure key, marked with data-figuur."""
    return w.kpi_tile(label, fmt_figuur(key, value), figuur=key, **kwargs)


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
VERLOOP_COLUMNS = [
    w.column("functiegroep", "Functiegroep", pinned="left", minWidth=190),
    figuur_column("vertrokken", "Vertrokken"),
    figuur_column("gemiddelde_bezetting", "Gemiddeld in dienst (personen)"),
    figuur_column("verloop_pct", "Verloop"),
]


def _scope(params: dict) -> dict:
    """The region and team chosen in the slicers, as the queries take them."""
    return {"regio": params.get("regio") or None, "team_id": params.get("team") or None}


def _query(query, viewer: Viewer, params: dict, **kwargs):
    """query(snap, viewer, day, cfg, **kwargs) once per request: the tiles, the tables and the
    slicers ask for the same frames."""
    snap, day, cfg = page_context(params)
    key = (PAGE, query.__name__, snap.run_id, viewer, day, tuple(sorted(kwargs.items())))
    return data.per_request(key, lambda: query(snap, viewer, day, cfg, **kwargs))


def staffing_table(viewer: Viewer, params: dict) -> tuple[pl.DataFrame, list[dict]]:
    """Per team in the peildatum's month: formatie, bezetting, the difference, boven or onder
    formatie; and verzuim of the last complete month."""
    scope = _scope(params)
    teams = _query(formatie_bezetting, viewer, params, months=1, by="team_id", **scope)
    sick = _query(verzuim, viewer, params, months=1, by="team_id", **scope)
    df = (
        teams.join(sick.select("team_id", "verzuim_pct"), on="team_id", how="left")
        .pipe(figuren.rond)
        .with_columns(
            pl.col("formatie_status")
            .replace_strict(FORMATIE_STATUS, default=None)
            .alias("status_key")
        )
        .sort("regio", "team_id")
    )
    maand = month_label(verzuim_maand(data.as_of(params)))
    columns = [
        w.column("team_naam", "Team", pinned="left", minWidth=190),
        w.column("regio", "Regio"),
        figuur_column("formatie_fte", "Formatie (fte)"),
        figuur_column("bezetting_fte", "Bezetting (fte)"),
        figuur_column("formatie_verschil_fte", "Verschil (fte)",
                      headerTooltip="Bezetting min formatie: positief is boven formatie"),
        figuur_column("formatie_verschil_pct", "Verschil (% van formatie)"),
        w.column("formatie_status", "Formatie", w.STATUS, minWidth=170),
        figuur_column("medewerkers_in_dienst", "Medewerkers"),
        figuur_column("verzuim_pct", f"Verzuim {maand}"),
    ]  # fmt: skip
    return df, columns


def verloop_table(viewer: Viewer, params: dict) -> tuple[pl.DataFrame, list[dict]]:
    """Verloop in the 12 months up to the peildatum per functiegroep and in total."""
    return figuren.rond(_query(verloop, viewer, params, **_scope(params))), VERLOOP_COLUMNS


def expiring_table(viewer: Viewer, params: dict) -> tuple[pl.DataFrame, list[dict]]:
    """VOG and SKJ expired or expiring within three months, soonest first."""
    df = _query(expiring, viewer, params, **_scope(params))
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
    return _query(missing_diplomas, viewer, params, **_scope(params)), DIPLOMA_COLUMNS


register_export("personeel_bezetting", staffing_table, ROLES, "Formatie en bezetting per team")
register_export("personeel_verloop", verloop_table, ROLES, "Verloop in de laatste 12 maanden")
register_export(
    "personeel_vog_skj",
    expiring_table,
    ROLES,
    "VOG en SKJ-registratie: verlopen of binnen 3 maanden",
)
register_export("personeel_diplomas", diploma_table, ROLES, "Diploma niet in het dossier")


@w.guarded
def tiles(viewer: Viewer, params: dict):
    c = _query(personeel_cijfers, viewer, params, **_scope(params))
    status = c["formatie_status"]
    verschil = [
        figure_span("formatie_verschil_fte", c["formatie_verschil_fte"]),
        " (",
        figure_span("formatie_verschil_pct", c["formatie_verschil_pct"]),
        ")",
    ]
    return w.tiles(
        figure_tile("formatie_fte", "Formatie", c["formatie_fte"], tile_id="tegel-formatie"),
        figure_tile(
            "bezetting_fte",
            "Bezetting",
            c["bezetting_fte"],
            sub=verschil if status else "geen formatie bekend",
            status=FORMATIE_STATUS.get(status),
            badge=status,
            tile_id="tegel-bezetting",
        ),
        figure_tile(
            "verzuim_pct",
            f"Verzuim {month_label(c['verzuim_maand'])}",
            c["verzuim_pct"],
            sub="laatste volledige maand",
            tile_id="tegel-verzuim",
        ),
        figure_tile(
            "verzuim_12m_pct",
            "Verzuim 12 maanden",
            c["verzuim_12m_pct"],
            sub=f"{month_label(c['verzuim_12m_vanaf'])} t/m {month_label(c['verzuim_maand'])}",
            tile_id="tegel-verzuim-12m",
        ),
        figure_tile(
            "verloop_pct",
            "Verloop 12 maanden",
            c["verloop_pct"],
            sub=[figure_span("vertrokken", c["vertrokken"]), " uit dienst"],
            tile_id="tegel-verloop",
        ),
        figure_tile(
            "vog_skj_verlopen",
            "VOG/SKJ verlopen",
            c["vog_skj_verlopen"],
            sub=[
                "en ",
                figure_span("vog_skj_binnenkort", c["vog_skj_binnenkort"]),
                " binnen 3 maanden",
            ],
            status="verlopen" if c["vog_skj_verlopen"] else "tijdig",
            badge="Zie hieronder" if c["vog_skj_verlopen"] else "Geen",
            tile_id="tegel-vog-skj",
        ),
        figure_tile(
            "diploma_ontbreekt",
            "Diploma niet in dossier",
            c["diploma_ontbreekt"],
            status="verlopen" if c["diploma_ontbreekt"] else "tijdig",
            badge="Ontbreekt" if c["diploma_ontbreekt"] else "Geen",
            tile_id="tegel-diplomas",
        ),
    )


def _per_month(df: pl.DataFrame, months: list[str], key: str) -> list:
    """The column key of df by month, None for a month without a row."""
    values = dict(zip(df["maand"], df[key], strict=True))
    return [values.get(m) for m in months]


@w.guarded
def staffing_chart(viewer: Viewer, params: dict):
    snap, day, cfg = page_context(params)
    scope = _scope(params)
    total = figuren.rond(formatie_bezetting(snap, viewer, day, cfg, months=13, by=None, **scope))
    if total.height == 0:
        return w.section("Formatie en bezetting", w.empty_state("Geen teams in deze selectie"))
    teams = figuren.rond(
        formatie_bezetting(snap, viewer, day, cfg, months=13, by="team_id", **scope)
    )
    months = total["maand"].to_list()
    x = [month_start(m) for m in months]
    fig = line_figure(
        "Formatie en bezetting per maand (fte)",
        x,
        [
            ("Formatie", total["formatie_fte"], OKABE_ITO["grijs"]),
            ("Bezetting", total["bezetting_fte"], OKABE_ITO["blauw"]),
        ],
        "fte",
        height=360,
    )
    if _too_many(teams):
        regions = figuren.rond(
            formatie_bezetting(snap, viewer, day, cfg, months=13, by="regio", **scope)
        )
        series, group = _region_series(regions, months, "formatie_verschil_fte"), "regio"
    else:
        series, group = _team_series(snap, teams, months, "formatie_verschil_fte"), "team"
    per_group = line_figure(
        f"Bezetting min formatie per {group} (fte; boven nul is boven formatie)",
        x,
        series,
        "fte",
        height=360,
    )
    trend = figure_graph("bezetting_fte", fig, f"{PAGE}-bezetting-trend", 360)
    diff = figure_graph("formatie_verschil_fte", per_group, f"{PAGE}-bezetting-team", 360)
    return html.Div(
        [
            w.section("Formatie en bezetting", trend),
            w.section(
                f"Boven en onder formatie per {group}",
                *([html.P(PER_REGIO, className="card-intro")] if group == "regio" else []),
                diff,
            ),
        ],
        className="grid-2",
    )


def _too_many(teams: pl.DataFrame) -> bool:
    return teams["team_id"].n_unique() > MAX_TEAMS


def _team_series(snap, teams: pl.DataFrame, months: list[str], key: str) -> list:
    """One line per team, in its own colour, by team name."""
    colours = team_colours(snap)
    series = [
        (naam, _per_month(part, months, key), colours.get(team_id, "#333"))
        for (team_id, naam), part in teams.group_by("team_id", "team_naam", maintain_order=True)
    ]
    return sorted(series, key=lambda s: s[0])


def _region_series(regions: pl.DataFrame, months: list[str], key: str) -> list:
    """One line per region, by name."""
    parts = sorted(regions.group_by("regio"), key=lambda kv: kv[0][0])
    return [
        (regio, _per_month(part, months, key), REGION_PALETTE[i % len(REGION_PALETTE)])
        for i, ((regio,), part) in enumerate(parts)
    ]


def _verzuim_graph(title: str, x, series, graph_id: str) -> html.Div:
    fig = line_figure(title, x, series, "%", suffix="%", height=420)
    return figure_graph("verzuim_pct", fig, graph_id, 420)


@w.guarded
def verzuim_charts(viewer: Viewer, params: dict):
    snap, day, cfg = page_context(params)
    scope = _scope(params)
    teams = figuren.rond(verzuim(snap, viewer, day, cfg, by="team_id", **scope))
    if teams.height == 0:
        return w.section("Verzuim", w.empty_state("Geen verzuimgegevens in deze selectie"))
    months = sorted(teams["maand"].unique().to_list())
    x = [month_start(m) for m in months]
    charts = []
    too_many = _too_many(teams)
    if not too_many:
        series = _team_series(snap, teams, months, "verzuim_pct")
        title = "Verzuim per team per volledige maand (%)"
        graph = _verzuim_graph(title, x, series, f"{PAGE}-verzuim-team")
        charts.append(w.section("Verzuim per team", graph))
    if too_many or (viewer.sees_everything and not params.get("team")):
        regions = figuren.rond(verzuim(snap, viewer, day, cfg, by="regio", **scope))
        region_series = _region_series(regions, months, "verzuim_pct")
        title = "Verzuim per regio per volledige maand (%)"
        graph = _verzuim_graph(title, x, region_series, f"{PAGE}-verzuim-regio")
        note = [html.P(PER_REGIO, className="card-intro")] if too_many else []
        charts.append(w.section("Verzuim per regio", *note, graph))
    return html.Div(charts, className="grid-2")


@w.guarded
def mix_chart(viewer: Viewer, params: dict):
    snap, day, cfg = page_context(params)
    df = dienstverband_mix(snap, viewer, day, cfg, by="team_id")
    for key, col in (("regio", "regio"), ("team", "team_id")):
        if params.get(key):
            df = df.filter(pl.col(col) == params[key])
    if df.height == 0:
        return w.section("Dienstverband", w.empty_state("Geen medewerkers in dienst"))
    key, name, group, note = "team_id", "team_naam", "team", []
    if _too_many(df):
        df = dienstverband_mix(snap, viewer, day, cfg, by="regio")
        if params.get("regio"):
            df = df.filter(pl.col("regio") == params["regio"])
        key, name, group = "regio", "regio", "regio"
        note = [html.P(PER_REGIO, className="card-intro")]
    groups = df.select(key, pl.col(name).alias("label")).unique().sort(key)
    series = []
    for kind, colour in DIENSTVERBAND_COLOURS.items():
        part = dict(df.filter(pl.col("dienstverband") == kind).select(key, "fte").iter_rows())
        if part:
            label = w.DIENSTVERBAND_LABELS[kind]
            series.append((label, [part.get(g, 0.0) for g in groups[key]], colour))
    fig = bar_figure(
        f"Fte naar dienstverband per {group} op {w.fmt_date(day)}",
        groups["label"].to_list(),
        series,
        "fte",
        barmode="stack",
        dates=False,
    )
    return w.section("Dienstverband", *note, w.graph(fig, f"{PAGE}-dienstverband", 320))


@w.guarded
def body(viewer: Viewer, params: dict):
    staffing, columns = staffing_table(viewer, params)
    section = partial(w.grid_section, PAGE)
    return html.Div(
        [
            tiles(viewer, params),
            staffing_chart(viewer, params),
            w.table_section(
                "Formatie en bezetting per team",
                "personeel_bezetting",
                w.data_grid(f"{PAGE}-bezetting", staffing, columns, "Geen teams in deze selectie"),
                intro="Bezetting: fte van de medewerkers in dienst op de peildatum. Formatie: het "
                "budget van de maand. Boven formatie is toegestaan (bijvoorbeeld op verzoek van "
                "gemeenten). Verzuim: de laatste volledige kalendermaand.",
            ),
            verzuim_charts(viewer, params),
            section(
                viewer, params, verloop_table, "personeel_verloop",
                "Verloop in de laatste 12 maanden", "Geen medewerkers in deze selectie",
                "Uit dienst in de 12 maanden tot en met de peildatum, gedeeld door het "
                "gemiddelde aantal medewerkers in dienst op de 12 maandeinden.",
            ),
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
data.warm_view(partial(body, MANAGER, {}))
