"""Organisatie: the MT's headline figures with their trend, and regions and teams side by side."""

from functools import partial

import dash
import polars as pl
from dash import html

from dashboard import data
from dashboard.charts import line_figure
from dashboard.components import widgets as w
from dashboard.components.exports import register_export
from dashboard.components.pagestate import slicer_page
from dashboard.components.theme import OKABE_ITO
from dashboard.context import page_context
from dashboard.urlstate import link
from queries.caseload import caseload, caseload_by
from queries.rapportage import (
    FIRST_CONTACT_KPIS,
    TREND_MONTHS,
    comparison_from_trend,
    month_label,
    month_running,
    organisation_trend,
)
from queries.scope import Viewer
from queries.tijdigheid import SOORT_KEUZES, timeliness

PAGE = "organisatie"
PATH = "/organisatie"
ROLES = ("manager",)
TREND_LINES = {
    "eerste_contact_tijdig_pct": ("Eerste contact tijdig", OKABE_ITO["blauw"]),
    "plan_tijdig_pct": ("Plan van aanpak tijdig", OKABE_ITO["oranje"]),
    "hulp_tijdig_pct": ("Hulp tijdig gestart", OKABE_ITO["blauwgroen"]),
    "risicotaxatie_actueel_pct": ("Actuele risicotaxatie", OKABE_ITO["roodpaars"]),
    "vaste_jzw_pct": ("Vaste jeugdzorgwerker", OKABE_ITO["hemelsblauw"]),
}

dash.register_page(
    __name__, path=PATH, name="Organisatie", title="Organisatie", order=4, roles=ROLES
)

_TIMELINESS = [
    w.column("eerste_contact_tijdig_pct", "1e contact tijdig", w.PCT, decimals=1,
             headerTooltip="Eerste face-to-face contact binnen 5 werkdagen (alle gestarte)"),
    w.column("gem_dagen_eerste_contact", "Gem. dagen 1e contact", w.NUMBER, decimals=1),
    w.column("plan_tijdig_pct", "Plan tijdig", w.PCT, decimals=1,
             headerTooltip="Plan van aanpak binnen 6 weken (actieve maatregelen)"),
    w.column("hulp_tijdig_pct", "Hulp tijdig", w.PCT, decimals=1,
             headerTooltip="Hulp gestart binnen 3 maanden (actieve maatregelen)"),
    w.column("risicotaxatie_actueel_pct", "RT actueel", w.PCT, decimals=1,
             headerTooltip="Risicotaxatie niet ouder dan 3 maanden"),
]  # fmt: skip
_LOAD = [
    w.column("medewerkers", "Jeugdzorgwerkers", w.NUMBER),
    w.column("fte", "Fte", w.NUMBER, decimals=1),
    w.column("actief", "Actief", w.NUMBER, headerTooltip="Actieve maatregelen"),
    w.column("gewogen", "Gewogen", w.NUMBER, decimals=1),
    w.column("ruimte", "Ruimte", w.NUMBER, decimals=1, cellClassRules={
        "cell-status cell-boven_norm": "params.value < 0",
        "cell-status cell-binnen_norm": "params.value >= 0",
    }),
    w.column("boven_norm", "Boven norm", w.NUMBER, headerTooltip="Jeugdzorgwerkers boven de norm"),
]  # fmt: skip
REGION_COLUMNS = [
    w.column("regio", "Regio", w.LINK, href_field="regio_href", pinned="left"),
    *_LOAD,
    *_TIMELINESS,
]
TEAM_COLUMNS = [
    w.column("team_naam", "Team", w.LINK, href_field="team_href", pinned="left", minWidth=200),
    w.column("regio", "Regio"),
    w.column("team_soort", "Soort", maxWidth=110, labels=w.TEAM_SOORT_LABELS),
    *_LOAD,
    *_TIMELINESS,
]
WORKER_COLUMNS = [
    w.column("naam", "Medewerker", w.LINK, href_field="naam_href", minWidth=180),
    w.column("team_naam", "Team"),
    w.column("fte", "Fte", w.NUMBER, decimals=2),
    w.column("actief", "Actief", w.NUMBER),
    w.column("gewogen", "Gewogen", w.NUMBER, decimals=1),
    w.column("norm", "Norm", w.NUMBER, decimals=1),
    w.column("ruimte", "Ruimte", w.NUMBER, decimals=1, cellClassRules={
        "cell-status cell-boven_norm": "params.value < 0",
    }),
]  # fmt: skip


def chosen_soort(params: dict) -> str | None:
    """The soort (a group or one soort) the URL asks for, None for all or an unknown one."""
    soort = params.get("soort")
    return soort if soort in SOORT_KEUZES else None


def _measures_of(soort: str) -> str:
    label = w.SOORT_GROUP_LABELS.get(soort) or w.SOORT_LABELS[soort]
    return f"de maatregelen {label if label.isupper() else label.lower()}"


def region_table(viewer: Viewer, params: dict) -> tuple[pl.DataFrame, list[dict]]:
    """Per region: caseload against the norm and timeliness (of the chosen soort) on the
    peildatum."""
    snap, day, cfg = page_context(params)
    soort = chosen_soort(params)
    load = caseload_by(snap, viewer, day, cfg, level="regio")
    tijdig = timeliness(snap, viewer, day, cfg, by="regio", soort=soort).drop(
        "actief", "maatregelen"
    )
    peildatum = day.isoformat()
    df = (
        load.join(tijdig, on="regio", how="full", coalesce=True)
        .filter(pl.col("regio").is_not_null())
        .with_columns(
            pl.col("regio")
            .map_elements(
                lambda r: link(PATH, regio=r, peildatum=peildatum, soort=soort), pl.String
            )
            .alias("regio_href")
        )
        .sort("regio")
    )
    return df, REGION_COLUMNS


def team_table(viewer: Viewer, params: dict) -> tuple[pl.DataFrame, list[dict]]:
    """Per team (in the chosen region): caseload and timeliness (of the chosen soort), linked
    to the Team page."""
    snap, day, cfg = page_context(params)
    load = caseload_by(snap, viewer, day, cfg, level="team_id")
    tijdig = timeliness(snap, viewer, day, cfg, by="team_id", soort=chosen_soort(params)).drop(
        "actief", "maatregelen"
    )
    peildatum = day.isoformat()
    df = load.join(tijdig, on="team_id", how="left")
    if params.get("regio"):
        df = df.filter(pl.col("regio") == params["regio"])
    df = df.with_columns(
        pl.col("team_id")
        .map_elements(lambda t: link("/team", team=t, peildatum=peildatum), pl.String)
        .alias("team_href")
    ).sort("regio", "team_id")
    return df, TEAM_COLUMNS


def worker_table(viewer: Viewer, params: dict) -> tuple[pl.DataFrame, list[dict]]:
    """Jeugdzorgwerkers over the caseload norm (in the chosen region), most over first."""
    snap, day, cfg = page_context(params)
    df = caseload(snap, viewer, day, cfg).filter(pl.col("boven_norm"))
    if params.get("regio"):
        df = df.filter(pl.col("regio") == params["regio"])
    peildatum = day.isoformat()
    df = df.with_columns(
        pl.col("medewerker_id")
        .map_elements(
            lambda m: link("/caseloadgesprek", medewerker=m, peildatum=peildatum), pl.String
        )
        .alias("naam_href")
    ).sort("ruimte", "naam")
    return df, WORKER_COLUMNS


register_export("organisatie_regios", region_table, ROLES)
register_export("organisatie_teams", team_table, ROLES)
register_export("organisatie_boven_norm", worker_table, ROLES)


def _value(value: float | None, unit: str) -> str:
    if unit == "%":
        return w.fmt_pct(value)
    return "–" if value is None else f"{w.fmt_number(value, 1)} {unit}"


def trend_badge(row: dict) -> tuple[str | None, str | None]:
    """Status key and badge text of the change against last month, in words and sign."""
    now, before = row["nu"], row["vorige_maand"]
    if now is None or before is None:
        return None, None
    delta = round(now - before, 1)
    if delta == 0:
        return None, None
    unit = " pt" if row["eenheid"] == "%" else " dagen"
    text = f"{'+' if delta > 0 else '−'}{w.fmt_number(abs(delta), 1)}{unit}"
    better = delta > 0 if row["hoger_beter"] else delta < 0
    return ("tijdig" if better else "verlopen"), text


def kpi_tiles(comparison: pl.DataFrame) -> html.Div:
    out = []
    for row in comparison.iter_rows(named=True):
        status, badge = trend_badge(row)
        sub = (
            f"vorige maand {_value(row['vorige_maand'], row['eenheid'])} · "
            f"vorig jaar {_value(row['vorig_jaar'], row['eenheid'])}"
        )
        if row["kpi"] in FIRST_CONTACT_KPIS:
            sub = f"gestart in {month_label(row['maand'])}; {sub}"
        out.append(
            w.kpi_tile(
                row["label"],
                _value(row["nu"], row["eenheid"]),
                sub=sub,
                status=status,
                badge=badge,
                tile_id=f"tegel-{row['kpi']}",
            )
        )
    return w.tiles(*out)


@w.guarded
def trend_section(trend: pl.DataFrame):
    if month_running(trend):
        # A start month still running has too few first contacts counted to plot.
        trend = trend.with_columns(
            pl.when(pl.int_range(pl.len()) < pl.len() - 1).then(pl.col(c)).alias(c)
            for c in FIRST_CONTACT_KPIS
        )
    x = trend["peildatum"]
    shares = line_figure(
        "Aandeel tijdig en actueel per maand (%)",
        x,
        [(name, trend[key], colour) for key, (name, colour) in TREND_LINES.items()],
        "%",
        suffix="%",
        y_range=[0, 105],
        height=360,
    )
    days = line_figure(
        "Gemiddeld dagen van start tot eerste contact, per startmaand",
        x,
        [("Gemiddeld dagen", trend["gem_dagen_eerste_contact"], OKABE_ITO["blauw"])],
        "dagen",
        height=360,
    )
    return html.Div(
        [
            w.section("Trend per maand", w.graph(shares, f"{PAGE}-trend-aandelen", 360)),
            w.section("Snelheid eerste contact", w.graph(days, f"{PAGE}-trend-dagen", 360)),
        ],
        className="grid-2",
    )


@w.guarded
def figures_section(viewer: Viewer, params: dict):
    """The KPI tiles and the monthly trend (of the chosen region and soort), from one trend."""
    snap, day, cfg = page_context(params)
    soort = chosen_soort(params)
    trend = organisation_trend(
        snap, viewer, day, cfg, months=TREND_MONTHS, regio=params.get("regio") or None,
        soort=soort,
    )  # fmt: skip
    note = None
    if soort:
        note = html.P(
            f"Tegels, trend en tijdigheid tellen alleen {_measures_of(soort)}.",
            className="card-intro",
            id=f"{PAGE}-soort-uitleg",
        )
    return html.Div([note, kpi_tiles(comparison_from_trend(trend)), trend_section(trend)])


@w.guarded
def comparison_section(viewer: Viewer, params: dict):
    regio, soort = params.get("regio"), chosen_soort(params)
    where = f" in {regio}" if regio else ""
    measures = _measures_of(soort) if soort else "alle maatregelen"
    # Caseload is about the workers, whatever soort their measures are.
    load = " De caseloadkolommen tellen alle maatregelen." if soort else ""
    section = partial(w.grid_section, PAGE, page_size=15)
    return html.Div(
        [
            section(
                viewer, params, region_table, "organisatie_regios", "Regio's naast elkaar",
                "Geen regio's met gegevens",
                "Klik op een regio om de teams en medewerkers van die regio te zien. "
                f"Tijdigheid over {measures} die tot de peildatum zijn gestart.{load}",
            ),
            section(
                viewer, params, team_table, "organisatie_teams", f"Teams{where}",
                "Geen teams in deze selectie",
                f"Klik op een team voor de medewerkers van dat team.{load}",
            ),
            section(
                viewer, params, worker_table, "organisatie_boven_norm",
                f"Jeugdzorgwerkers boven de caseloadnorm{where}",
                "Niemand zit boven de caseloadnorm",
                "Klik op een naam voor het caseloadgesprek met die medewerker.",
            ),
        ]
    )  # fmt: skip


def body(viewer: Viewer, params: dict):
    return html.Div([figures_section(viewer, params), comparison_section(viewer, params)])


@w.guarded
def slicers(viewer: Viewer, params: dict):
    snap, day, cfg = page_context(params)
    regios = sorted(r for r in snap["teams"]["regio"].unique().to_list() if r)
    return w.slicer_bar(
        w.peildatum_slicer(PAGE, day, snap.export_date),
        w.regio_slicer(PAGE, [{"label": r, "value": r} for r in regios], params.get("regio")),
        w.soort_slicer(PAGE, chosen_soort(params), groups=True),
    )


def resolved(_viewer: Viewer, params: dict) -> dict:
    return {
        "peildatum": data.as_of(params).isoformat(),
        "regio": params.get("regio") or None,
        "soort": chosen_soort(params),
    }


layout, STATE = slicer_page(
    PAGE,
    PATH,
    ROLES,
    "Organisatie",
    ("peildatum", "regio", "soort"),
    slicers,
    body,
    resolved,
    valid=data.peildatum_usable,
)
