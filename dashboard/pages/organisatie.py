"""Organisatie: the MT's headline figures with their trend, and regions and teams side by side."""

from functools import partial

import dash
import polars as pl
from dash import html

from dashboard import data
from dashboard.charts import line_figure
from dashboard.components import widgets as w
from dashboard.components.cijfers import fmt_figuur
from dashboard.components.deferred import deferred, register_deferred
from dashboard.components.exports import register_export
from dashboard.components.pagestate import slicer_page
from dashboard.components.theme import OKABE_ITO
from dashboard.context import page_context
from dashboard.rows import SEEN_COLUMNS, measure_column, measure_rows
from dashboard.uitval import (
    decided_section,
    decisions_export,
    register_decisions,
    uitval_table,
)
from dashboard.urlstate import link_column
from queries.caseload import caseload, caseload_by, caseload_by_rijen, caseload_rijen
from queries.figuren import figuur, rond, waarde
from queries.figuur import Filters
from queries.houder import HOUDERS
from queries.hulp import hulp_wachttijd
from queries.per_houder import tijdigheid_per_houder
from queries.rapportage import (
    FIRST_CONTACT_KPIS,
    TREND_MONTHS,
    comparison_from_trend,
    month_label,
    organisation_trend,
)
from queries.scope import MANAGER, Viewer, regios
from queries.tijdigheid import SOORT_KEUZES, timeliness
from queries.zicht import niet_gezien

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

# Timeliness per region and team as the holders earned it: attributed to the holder on the
# deadline day, over the 12 months before the peildatum (queries.per_houder).
_TIMELINESS = [
    w.figuur_column("eerste_contact_tijdig_pct_houder", "1e contact tijdig (toegerekend)"),
    w.figuur_column("plan_tijdig_pct_houder", "Plan tijdig (toegerekend)"),
    w.figuur_column("hulp_tijdig_pct_houder", "Hulp tijdig (toegerekend)"),
    w.figuur_column("rt_termijn_tijdig_pct_houder", "RT-termijn tijdig (toegerekend)"),
    w.figuur_column("termijnen_houder", "Termijnen (toegerekend)"),
    w.figuur_column("risicotaxatie_actueel_pct", "RT actueel (inspectie)"),
]
_LOAD = [
    w.figuur_column("jeugdzorgwerkers", "Jeugdzorgwerkers"),
    w.figuur_column("caseload_fte", "Fte"),
    w.figuur_column("caseload_actief", "Actief"),
    w.figuur_column("caseload_gewogen", "Gewogen"),
    w.figuur_column("caseload_ruimte", "Ruimte", cellClassRules={
        "cell-status cell-boven_norm": "params.value < 0",
        "cell-status cell-binnen_norm": "params.value >= 0",
    }),
    w.figuur_column("medewerkers_boven_norm", "Boven norm"),
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
    w.figuur_column("caseload_actief", "Actief"),
    w.figuur_column("caseload_gewogen", "Gewogen"),
    w.figuur_column("caseload_norm", "Norm"),
    w.figuur_column("caseload_ruimte", "Ruimte", cellClassRules={
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


# A holder without attributed deadlines has none: zero, not unknown.
_NO_DEADLINES = pl.col("termijnen_houder").fill_null(0)


def _timeliness(snap, viewer, day, cfg, by: str, soort: str | None) -> pl.DataFrame:
    """Attributed timeliness per holder beside the current risicotaxatie of its measures."""
    attributed = tijdigheid_per_houder(snap, viewer, day, cfg, by=by, soort=soort)
    current = timeliness(snap, viewer, day, cfg, by=by, soort=soort).select(
        by, "risicotaxatie_actueel_pct"
    )
    keys = [c["field"] for c in _TIMELINESS]
    return rond(
        attributed.join(current, on=by, how="full", coalesce=True)
        .filter(pl.col(by).is_not_null())
        .select(by, *keys)
    )


def region_table(viewer: Viewer, params: dict) -> tuple[pl.DataFrame, list[dict]]:
    """Per region: caseload against the norm and timeliness (of the chosen soort) on the
    peildatum."""
    snap, day, cfg = page_context(params)
    soort = chosen_soort(params)
    load = caseload_by_rijen(caseload_by(snap, viewer, day, cfg, level="regio"))
    tijdig = _timeliness(snap, viewer, day, cfg, "regio", soort)
    peildatum = day.isoformat()
    df = (
        load.join(tijdig, on="regio", how="full", coalesce=True)
        .filter(pl.col("regio").is_not_null())
        .with_columns(_NO_DEADLINES)
        .with_columns(
            link_column(PATH, "regio", "regio", peildatum=peildatum, soort=soort).alias(
                "regio_href"
            )
        )
        .sort("regio")
    )
    return rond(df), REGION_COLUMNS


def team_table(viewer: Viewer, params: dict) -> tuple[pl.DataFrame, list[dict]]:
    """Per team (in the chosen region): caseload and timeliness (of the chosen soort), linked
    to the Team page."""
    snap, day, cfg = page_context(params)
    load = caseload_by_rijen(caseload_by(snap, viewer, day, cfg, level="team_id"))
    tijdig = _timeliness(snap, viewer, day, cfg, "team_id", chosen_soort(params))
    peildatum = day.isoformat()
    df = load.join(tijdig, on="team_id", how="left").with_columns(_NO_DEADLINES)
    if params.get("regio"):
        df = df.filter(pl.col("regio") == params["regio"])
    df = df.with_columns(
        link_column("/team", "team", "team_id", peildatum=peildatum).alias("team_href")
    ).sort("regio", "team_id")
    return rond(df), TEAM_COLUMNS


def worker_table(viewer: Viewer, params: dict) -> tuple[pl.DataFrame, list[dict]]:
    """Jeugdzorgwerkers over the caseload norm (in the chosen region), most over first."""
    snap, day, cfg = page_context(params)
    df = caseload_rijen(caseload(snap, viewer, day, cfg).filter(pl.col("boven_norm")))
    if params.get("regio"):
        df = df.filter(pl.col("regio") == params["regio"])
    peildatum = day.isoformat()
    href = link_column("/caseloadgesprek", "medewerker", "medewerker_id", peildatum=peildatum)
    df = df.with_columns(href.alias("naam_href")).sort("caseload_ruimte", "naam")
    return rond(df), WORKER_COLUMNS


register_export("organisatie_regios", region_table, ROLES, "Regio's naast elkaar")
register_export("organisatie_teams", team_table, ROLES, "Teams")
register_export(
    "organisatie_boven_norm", worker_table, ROLES, "Jeugdzorgwerkers boven de caseloadnorm"
)


def trend_badge(row: dict) -> tuple[str | None, str | None]:
    """Status key and badge text of the change against last month, in words and sign."""
    now, before = row["nu"], row["vorige_maand"]
    if now is None or before is None:
        return None, None
    f = figuur(row["kpi"])
    delta = f.rond(now - before)
    if not delta:
        return None, None
    unit = " pt" if f.eenheid == "pct" else " dagen"
    text = f"{'+' if delta > 0 else '−'}{w.fmt_number(abs(delta), f.decimalen)}{unit}"
    better = delta > 0 if row["hoger_beter"] else delta < 0
    return ("tijdig" if better else "verlopen"), text


def _tile_sub(row: dict, cohort: str | None) -> str:
    key = row["kpi"]
    sub = (
        f"vorige maand {fmt_figuur(key, row['vorige_maand'])} · "
        f"vorig jaar {fmt_figuur(key, row['vorig_jaar'])}"
    )
    if key in FIRST_CONTACT_KPIS:
        sub = f"gestart in {month_label(row['maand'])}; {sub}"
        if row["lopend_maand"]:
            sub += (
                f" · {month_label(row['lopend_maand'])} loopt nog: "
                f"{fmt_figuur(key, row['lopend'])} tot nu toe"
            )
    elif key == "plan_tijdig_pct_cohort":
        sub = f"actieve maatregelen gestart vanaf {cohort or '–'}"
    return sub


def kpi_tiles(comparison: pl.DataFrame, cohort: str | None = None) -> html.Div:
    out = []
    for row in comparison.iter_rows(named=True):
        status, badge = trend_badge(row)
        out.append(
            w.kpi_tile(
                row["label"],
                fmt_figuur(row["kpi"], row["nu"]),
                sub=_tile_sub(row, cohort),
                status=status,
                badge=badge,
                tile_id=f"tegel-{row['kpi']}",
                figuur=row["kpi"],
            )
        )
    return w.tiles(*out)


def _lopend_apart(trend: pl.DataFrame, key: str) -> tuple[list, list]:
    """A first-contact series split in finished start months and the lopende ones."""
    lopend = trend["eerste_contact_lopend"].fill_null(False)
    done = [None if run else v for v, run in zip(trend[key], lopend, strict=True)]
    running = [v if run else None for v, run in zip(trend[key], lopend, strict=True)]
    return done, running


@w.guarded
def trend_section(trend: pl.DataFrame):
    lines = []
    for key, (name, colour) in TREND_LINES.items():
        if key in FIRST_CONTACT_KPIS:
            done, running = _lopend_apart(trend, key)
            lines += [(name, done, colour), (f"{name} (startmaand loopt nog)", running, colour)]
        else:
            lines.append((name, trend[key], colour))
    x = trend["peildatum"]
    shares = line_figure(
        "Aandeel tijdig en actueel per maand (%)", x, lines, "%", suffix="%", y_range=[0, 105],
        height=360,
    )  # fmt: skip
    done, running = _lopend_apart(trend, "gem_dagen_eerste_contact")
    days = line_figure(
        "Gemiddeld dagen van start tot eerste contact, per startmaand",
        x,
        [
            ("Gemiddeld dagen", done, OKABE_ITO["blauw"]),
            ("Startmaand loopt nog", running, OKABE_ITO["blauw"]),
        ],
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
    cohort = data.cohort_start(params, cfg, day)
    trend = organisation_trend(
        snap, viewer, day, cfg, months=TREND_MONTHS, since=cohort,
        regio=params.get("regio") or None, soort=soort,
    )  # fmt: skip
    note = None
    if soort:
        note = html.P(
            f"Tegels, trend en tijdigheid tellen alleen {_measures_of(soort)}.",
            className="card-intro",
            id=f"{PAGE}-soort-uitleg",
        )
    shown_cohort = w.fmt_date(cohort) if cohort else None
    tiles = kpi_tiles(comparison_from_trend(trend), shown_cohort)
    return html.Div([note, tiles, trend_section(trend)])


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
                f"Tijdigheid over {measures}, toegerekend aan wie de maatregel had op de "
                f"termijndag, over de 12 maanden voor de peildatum; RT actueel over de "
                f"huidige maatregelen.{load}",
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


GEZIEN_PER_HOUDER = tuple(f"gezien_6w_pct_{k}" for k in HOUDERS)
NIET_GEZIEN_ORG_COLUMNS = [
    measure_column(),
    w.column("soort_label", "Soort"),
    w.column("houder_naam", "Houder"),
    w.column("naam", "Jeugdzorgwerker"),
    w.column("team_naam", "Team"),
    *SEEN_COLUMNS,
]
HULP_KEYS = (
    "hulp_gestart_12m",
    "hulp_wachttijd_mediaan",
    "hulp_wachtend",
    "hulp_wachtend_lang_pct",
)
HULP_PER = {"hulp_soort": "Soort hulp", "gemeente": "Gemeente"}
HULP_COLUMNS = [w.figuur_column(k) for k in HULP_KEYS]


def _filters(params: dict) -> Filters:
    return Filters(regio=params.get("regio") or None, soort=chosen_soort(params))


def _tiles(viewer: Viewer, params: dict, *keys: str) -> html.Div:
    """A tile per registered figure, for the page's scope and peildatum."""
    snap, day, cfg = page_context(params)
    f = _filters(params)
    return w.tiles(*(w.figuur_tile(k, waarde(k, snap, viewer, day, cfg, f)) for k in keys))


def niet_gezien_table(viewer: Viewer, params: dict) -> tuple[pl.DataFrame, list[dict]]:
    """Active measures whose jeugdige was not seen in the last weeks (or never), with holder."""
    snap, day, cfg = page_context(params)
    df = niet_gezien(snap, viewer, day, cfg, _filters(params))
    df = measure_rows(df, day).with_columns(
        pl.col("houder").replace_strict(HOUDERS, default="Overig").alias("houder_naam")
    )
    # Longest unseen first, ties in a fixed order: the screen shows the head of this list.
    order = ("dagen_sinds_gezien", "start", "maatregel_id")
    return df.sort(order, descending=[True, False, False]), NIET_GEZIEN_ORG_COLUMNS


def hulp_table(per: str):
    """The hulp wachttijd table per hulp soort or per gemeente."""

    def build(viewer: Viewer, params: dict) -> tuple[pl.DataFrame, list[dict]]:
        snap, day, cfg = page_context(params)
        df = rond(hulp_wachttijd(snap, viewer, day, cfg, per, _filters(params)))
        return df, [w.column(per, HULP_PER[per], pinned="left"), *HULP_COLUMNS]

    return build


hulp_per_soort, hulp_per_gemeente = hulp_table("hulp_soort"), hulp_table("gemeente")
register_export("organisatie_niet_gezien", niet_gezien_table, ROLES, "Jeugdige langer niet gezien")
register_export("organisatie_hulp_soort", hulp_per_soort, ROLES, "Wachttijd per soort hulp")
register_export("organisatie_hulp_gemeente", hulp_per_gemeente, ROLES, "Wachttijd per gemeente")


@w.guarded
def zicht_section(viewer: Viewer, params: dict):
    """Zicht op de jeugdige: seen in the last weeks, overall and per holder kind."""
    weken = data.config().gezien_weken
    return html.Div(
        [
            w.section(
                "Zicht op de jeugdige",
                html.P(
                    f"Actieve maatregelen waarvan de jeugdige in de laatste {weken} weken "
                    "face-to-face is gezien (een contact met alleen een ouder telt niet), "
                    "naar houder van de maatregel.",
                    className="card-intro",
                ),
                _tiles(viewer, params, "gezien_6w_pct", *GEZIEN_PER_HOUDER, "niet_gezien_6w"),
                section_id=f"{PAGE}-zicht",
            ),
            w.grid_section(
                PAGE, viewer, params, niet_gezien_table, "organisatie_niet_gezien",
                f"Jeugdige niet gezien in de laatste {weken} weken",
                f"Alle jeugdigen gezien in de laatste {weken} weken",
                "Nooit gezien bovenaan, daarna het langst geleden.", page_size=15,
            ),
        ]
    )  # fmt: skip


@w.guarded
def plan_voogdij_section(viewer: Viewer, params: dict):
    """Plan besproken with jeugdige and ouders, and voogdij on the contact norm."""
    return w.section(
        "Plan besproken en voogdij",
        html.P(
            "Over het laatste plan van aanpak van de actieve maatregelen met een plan; voogdij: "
            "de lopende termijn voor contact met de jeugdige is niet verlopen.",
            className="card-intro",
        ),
        _tiles(
            viewer, params,
            "plan_besproken_jeugdige_pct", "plan_besproken_ouders_pct", "voogdij_op_norm_pct",
        ),
        section_id=f"{PAGE}-plan-voogdij",
    )  # fmt: skip


@w.guarded
def hulp_section(viewer: Viewer, params: dict):
    """Hulp wachttijd: the median wait, who waits, per hulp soort and per gemeente."""
    section = partial(w.grid_section, PAGE, page_size=15)
    return html.Div(
        [
            w.section(
                "Wachttijd hulp",
                html.P(
                    "Mediaan in dagen van aanvraag tot start over de hulp gestart in de 12 "
                    "maanden tot en met de peildatum; wachtend: aangevraagd en op de peildatum "
                    f"niet gestart, bij een actieve maatregel; lang: meer dan "
                    f"{data.config().hulp_maanden} maanden na de aanvraag.",
                    className="card-intro",
                ),
                _tiles(viewer, params, *HULP_KEYS),
                section_id=f"{PAGE}-hulp",
            ),
            section(
                viewer, params, hulp_per_soort, "organisatie_hulp_soort",
                "Wachttijd per soort hulp", "Geen hulp in deze selectie",
            ),
            section(
                viewer, params, hulp_per_gemeente, "organisatie_hulp_gemeente",
                "Wachttijd per gemeente", "Geen hulp in deze selectie",
                "Gemeente van de jeugdige; onbekend als die niet in de export staat.",
            ),
        ]
    )  # fmt: skip


def uitval_rows(viewer: Viewer, params: dict) -> tuple[pl.DataFrame, list[dict]]:
    """Measures whose holder is unavailable (in the chosen region and soort), with waarnemer."""
    return uitval_table(viewer, params, _filters(params))


register_export("organisatie_uitval", uitval_rows, ROLES, "Maatregelen bij uitval")


def uitval_besluiten(viewer: Viewer, params: dict) -> tuple[pl.DataFrame, list[dict]]:
    """The uitval decisions the viewer may see, for the registration system."""
    return decisions_export(viewer, params)


register_export(
    "organisatie_uitval_besluiten", uitval_besluiten, ROLES, "Besluiten over waarnemers"
)
on_uitval_decision = register_decisions(
    PAGE, "organisatie_uitval", ROLES, lambda _viewer, params: _filters(params)
)


@w.guarded
def organisatie_uitval(viewer: Viewer, params: dict):
    return decided_section(viewer, params, PAGE, "organisatie_uitval", _filters(params))


def inspectie_sections(viewer: Viewer, params: dict) -> html.Div:
    return html.Div(
        [
            zicht_section(viewer, params),
            plan_voogdij_section(viewer, params),
            hulp_section(viewer, params),
        ]
    )


# Below the first screens: drawn when the user scrolls near them (components.deferred).
DEFERRED = {"inspectie": inspectie_sections, "uitval": organisatie_uitval}
register_deferred(PAGE, ROLES, DEFERRED)


def body(viewer: Viewer, params: dict):
    return html.Div(
        [
            figures_section(viewer, params),
            comparison_section(viewer, params),
            deferred(PAGE, "inspectie", params, "Zicht, plannen en wachttijd hulp"),
            deferred(PAGE, "uitval", params, "Maatregelen bij uitval"),
        ]
    )


@w.guarded
def slicers(viewer: Viewer, params: dict):
    snap, day, cfg = page_context(params)
    cohort = data.cohort_start(params, cfg, day) or day
    return w.slicer_bar(
        w.peildatum_slicer(PAGE, day, snap.export_date),
        w.date_slicer(f"{PAGE}-cohort", "Cohort gestart vanaf", cohort, snap.export_date),
        w.regio_slicer(PAGE, [{"label": r, "value": r} for r in regios(snap)], params.get("regio")),
        w.soort_slicer(PAGE, chosen_soort(params), groups=True),
    )


def resolved(_viewer: Viewer, params: dict) -> dict:
    day = data.as_of(params)
    cohort = data.cohort_start(params, data.config(), day)
    return {
        "peildatum": day.isoformat(),
        "cohort": cohort.isoformat() if cohort else None,
        "regio": params.get("regio") or None,
        "soort": chosen_soort(params),
    }


layout, STATE = slicer_page(
    PAGE,
    PATH,
    ROLES,
    "Organisatie",
    ("peildatum", "cohort", "regio", "soort"),
    slicers,
    body,
    resolved,
    valid=data.peildatum_usable,
)
# MT's first page after a login: ready before /health says gereed; what it draws when
# scrolled to, right after.
data.warm_view(partial(body, MANAGER, {}), before_ready=True)
for part in DEFERRED.values():
    data.warm_view(partial(part, MANAGER, {}))
