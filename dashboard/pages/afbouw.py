"""Afbouw CCP/CRT: the stock per month, the flows, time in the CRT, projection and transfers."""

import math
from datetime import date, timedelta
from functools import partial

import dash
import polars as pl
from dash import Input, Output, State, ctx, dcc, html, no_update

from dashboard import audit_trail, data, session
from dashboard import besluiten as besluiten_ui
from dashboard.charts import (
    CATEGORY_COLOURS,
    bar_figure,
    line_figure,
    month_start,
    stacked_area_figure,
)
from dashboard.components import guard
from dashboard.components import widgets as w
from dashboard.components.exports import register_export
from dashboard.components.pagestate import location_id, slicer_page
from dashboard.components.slicers import DATE_DISPLAY_FORMAT
from dashboard.components.theme import OKABE_ITO, plotly_layout
from dashboard.context import page_context
from dashboard.urlstate import parse_search
from dashboard.viewer import current_viewer
from queries.afbouw import flows_per_month, stock_per_month
from queries.afbouw_projectie import (
    WatAls,
    capacity,
    capacity_needed,
    crt_target,
    doeldatum,
    projection,
    scope_tekort,
)
from queries.besluiten import (
    AFGEWEZEN,
    EXPORT_NAMES,
    GEACCEPTEERD,
    besluit_status,
    besluiten_cijfers,
    besluiten_export,
    besluiten_frame,
)
from queries.figuren import rond
from queries.gebruikers import Account
from queries.rapportage import month_label, projection_sentence
from queries.scope import MANAGER, RegionalScope, Viewer, regional_scope, regios
from queries.tijd_in_crt import time_in_crt
from queries.werktoedeling import na_besluiten, voorstel
from queries.werktoedeling_regels import regels_uit

PAGE = "afbouw"
PATH = "/afbouw"
ROLES = ("manager", "teammanager")
PERIODS = (12, 24, 36)
DEFAULT_MONTHS = 24

dash.register_page(
    __name__, path=PATH, name="Afbouw CCP/CRT", title="Afbouw CCP/CRT", order=5, roles=ROLES
)

CAPACITY_COLUMNS = [
    w.column("regio", "Regio", pinned="left"),
    w.figuur_column("voorstel_aantal", "Kan nu over", minWidth=90),
    w.figuur_column("niet_plaatsbaar", "Niet plaatsbaar", minWidth=90, cellClassRules={
        "cell-status cell-boven_norm": "params.value > 0",
    }),
    w.figuur_column("medewerkers_regulier", "Jeugdzorgwerkers regulier", minWidth=90),
    w.figuur_column("met_ruimte", "Met vrije ruimte", minWidth=90),
    w.figuur_column("vrije_ruimte", "Vrije ruimte", minWidth=90),
    w.figuur_column("vrije_ruimte_jb", "Vrije ruimte JB", minWidth=90),
    w.figuur_column("vrije_ruimte_jr", "Vrije ruimte JR", minWidth=90),
    w.figuur_column("crt", "In CRT", minWidth=90),
    w.figuur_column("crt_jb", "CRT JB", minWidth=90),
    w.figuur_column("crt_jr", "CRT JR", minWidth=90),
    w.figuur_column("crt_gewogen", "CRT gewogen", minWidth=90),
]  # fmt: skip
PROPOSAL_COLUMNS = [
    w.column("maatregel_id", "Maatregel", pinned="left", minWidth=130),
    w.column("soort", "Soort", maxWidth=120, labels=w.SOORT_LABELS),
    w.column("regio", "Regio"),
    w.column("van_team_naam", "Van team"),
    w.column("crt_sinds", "In CRT sinds", w.DATE),
    w.figuur_column("dagen_in_crt", "Dagen in CRT"),
    w.column("naar_naam", "Naar jeugdzorgwerker", minWidth=170),
    w.column("naar_medewerker_id", "Naar medewerker", maxWidth=130),
    w.column("naar_team_naam", "Naar team"),
    w.figuur_column("ruimte_voor", "Ruimte voor"),
    w.figuur_column("ruimte_na", "Ruimte na"),
    w.column("reden", "Reden", minWidth=320, tooltipField="reden"),
]
CRT_COLUMNS = [
    w.column("maatregel_id", "Maatregel"),
    w.column("soort", "Soort", labels=w.SOORT_LABELS),
    w.column("regio", "Regio"),
    w.column("van_team_naam", "Van team"),
    w.column("naar_team_naam", "Naar team"),
    w.column("crt_sinds", "In CRT sinds", w.DATE),
    w.column("overdracht_op", "Overgedragen op", w.DATE),
    w.figuur_column("dagen_in_crt", "Dagen in CRT"),
]
NEEDED_COLUMNS = [
    w.column("regio", "Regio", pinned="left"),
    w.figuur_column("crt", "In CRT", minWidth=90),
    w.figuur_column("crt_doel", "Doel", minWidth=90),
    w.figuur_column("crt_instroom_per_maand", "Instroom per maand", minWidth=110),
    w.figuur_column("crt_uitstroom_per_maand", "Einde per maand", minWidth=110),
    w.figuur_column("vrije_ruimte", "Vrije ruimte", minWidth=100),
    w.figuur_column("capaciteit_tekort_maatregelen", "Tekort maatregelen", minWidth=110,
                    cellClassRules={"cell-status cell-boven_norm": "params.value > 0"}),
    w.figuur_column("capaciteit_tekort_fte", "Tekort fte", minWidth=90,
                    cellClassRules={"cell-status cell-boven_norm": "params.value > 0"}),
    w.column("op_doel", "Op doel bij huidig tempo", minWidth=150),
]  # fmt: skip
STOCK_KEYS = ("vaste_jzw", "overig", "ccp", "crt", "niet_toegewezen")


def months(params: dict) -> int:
    try:
        value = int(params.get("maanden") or DEFAULT_MONTHS)
    except ValueError:
        return DEFAULT_MONTHS
    return value if value in PERIODS else DEFAULT_MONTHS


def region(params: dict) -> str | None:
    return params.get("regio") or None


def scoped(viewer: Viewer, params: dict) -> RegionalScope:
    """Whom and which region the page's figures are for; a region outside a teammanager's
    own is refused in the audit log, and their own region shown instead."""
    snap, _day, _cfg = page_context(params)
    scope = regional_scope(snap, viewer, region(params))
    if scope.geweigerd is not None:
        subject = f"{PAGE} regio={scope.geweigerd}"[: guard.SUBJECT_LENGTH]
        audit_trail.record("geweigerd", subject, f"regio buiten de eigen regio ({viewer.role})")
    return scope


# The what-if of the capacity to the CRT target: URL keys, each empty for "as it is".
WHAT_IF_KEYS = ("extra_fte", "instroom", "doeldatum")
MAX_FTE = 100.0
MAX_INSTROOM = 100.0


def _number(params: dict, key: str, limit: float) -> float | None:
    """A what-if number from the URL within +-limit; None when empty, zero or no number."""
    try:
        value = float(params.get(key) or 0)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) and value != 0 and abs(value) <= limit else None


def target_day(params: dict, day: date) -> date | None:
    """The what-if's target date: a day after the peildatum, else None (the default)."""
    try:
        chosen = date.fromisoformat(str(params.get("doeldatum") or ""))
    except ValueError:
        return None
    return chosen if chosen > day else None


def what_if(params: dict, day: date) -> WatAls:
    """The URL's what-if; what is empty or out of range is left as it is."""
    return WatAls(
        extra_fte=_number(params, "extra_fte", MAX_FTE) or 0.0,
        instroom_wijziging=_number(params, "instroom", MAX_INSTROOM) or 0.0,
        doeldatum=target_day(params, day),
    )


def capacity_table(viewer: Viewer, params: dict) -> tuple[pl.DataFrame, list[dict]]:
    snap, day, cfg = page_context(params)
    s = scoped(viewer, params)
    return capacity(snap, s.viewer, day, cfg, regio=s.regio), CAPACITY_COLUMNS


def needed(viewer: Viewer, params: dict) -> pl.DataFrame:
    """capacity_needed at the URL's what-if, once per request: the tiles and the table."""
    snap, day, cfg = page_context(params)
    s, chosen = scoped(viewer, params), what_if(params, day)
    return data.per_request(
        ("afbouw-capaciteit-nodig", snap.run_id, s, day, chosen),
        lambda: capacity_needed(snap, s.viewer, day, cfg, s.regio, chosen),
    )


def needed_table(viewer: Viewer, params: dict) -> tuple[pl.DataFrame, list[dict]]:
    df = needed(viewer, params)
    op_doel = pl.col("op_doel_maand").map_elements(month_label, return_dtype=pl.String)
    return rond(df).with_columns(op_doel.alias("op_doel")).drop("op_doel_maand"), NEEDED_COLUMNS


def proposal(viewer: Viewer, params: dict) -> pl.DataFrame:
    """The afbouw proposal with the decisions taken so far: placed rows first in the order the
    planner placed them, then the measures nobody may take with their reason."""
    snap, day, cfg = page_context(params)
    s = scoped(viewer, params)
    kept = besluiten_frame(data.besluiten(), snap, day)
    plan = voorstel(snap, s.viewer, day, cfg, "afbouw", s.regio, besluiten=kept)
    return plan.rename({"sinds": "crt_sinds", "dagen": "dagen_in_crt"}).sort(
        pl.col("naar_medewerker_id").is_null(), maintain_order=True
    )


def proposal_table(viewer: Viewer, params: dict) -> tuple[pl.DataFrame, list[dict]]:
    return proposal(viewer, params), PROPOSAL_COLUMNS


def _stay(viewer: Viewer, params: dict):
    """time_in_crt once per request: the tiles, the chart and the table read it."""
    snap, day, cfg = page_context(params)
    s, n = scoped(viewer, params), months(params)
    return data.per_request(
        ("afbouw-tijd-in-crt", snap.run_id, s, day, n),
        lambda: time_in_crt(snap, s.viewer, day, cfg, months=n, regio=s.regio),
    )


def crt_table(viewer: Viewer, params: dict) -> tuple[pl.DataFrame, list[dict]]:
    return _stay(viewer, params).per_maatregel, CRT_COLUMNS


register_export("afbouw_capaciteit", capacity_table, ROLES, "Capaciteit per regio")
register_export("afbouw_capaciteit_nodig", needed_table, ROLES, "Capaciteit naar het CRT-doel")
register_export("afbouw_voorstel", proposal_table, ROLES, "Voorstel overdrachten")
register_export("afbouw_tijd_in_crt", crt_table, ROLES, "Overdrachten uit het CRT")


def crt_tile(crt: int, doel: int | None, regio: str | None, organisatiedoel: int) -> html.Div:
    """The CRT stock against the target of the scope; a region without its own target shows
    the organisation's for reference only, without an on/over-target badge."""
    if doel is None:
        sub = f"geen regiodoel ingesteld · organisatiedoel {w.fmt_number(organisatiedoel)}"
        return w.kpi_tile(
            "In CRT", w.fmt_figuur("crt", crt), sub=sub, tile_id="tegel-crt", figuur="crt"
        )
    return w.kpi_tile(
        "In CRT",
        w.fmt_figuur("crt", crt),
        figuur="crt",
        sub=f"doel {w.fmt_number(doel)}" + ("" if regio is None else " (regio)"),
        status="tijdig" if crt <= doel else "binnenkort",
        badge="Op doel" if crt <= doel else "Boven doel",
        tile_id="tegel-crt",
    )


def _shortfall(df: pl.DataFrame) -> tuple[float, float] | None:
    """The scope's shortfall in measures and fte, None when there is none to show."""
    short = scope_tekort(df)
    measures, fte = short["capaciteit_tekort_maatregelen"], short["capaciteit_tekort_fte"]
    return None if measures is None or fte is None or measures <= 0 else (measures, fte)


def forecast_tile(p, shortfall: tuple[float, float] | None) -> html.Div:
    """When the CRT reaches its target: a month only when the scope has no shortfall in
    capacity, else the shortfall in measures and fte."""
    sub = "geen regiodoel ingesteld" if p.crt_doel is None else None
    if p.crt_doel is not None and shortfall is not None:
        value = html.Span(
            [
                "tekort: ",
                html.Span(
                    w.fmt_figuur("capaciteit_tekort_maatregelen", shortfall[0]) + " maatregelen",
                    **{"data-figuur": "capaciteit_tekort_maatregelen"},
                ),
                " / ",
                html.Span(
                    w.fmt_figuur("capaciteit_tekort_fte", shortfall[1]),
                    **{"data-figuur": "capaciteit_tekort_fte"},
                ),
            ]
        )
        status, badge = "verlopen", "Te weinig ruimte"
        sub = "bij de gekozen doeldatum en de ruimte boven de buffer"
    elif p.crt_doel is None:
        value, status, badge = "–", None, None
    elif p.maanden_nodig == 0:
        value, status, badge = "Doel bereikt", "tijdig", "Op doel"
    elif p.maand is None:
        value, status, badge = "Niet bij dit tempo", "verlopen", "Voorraad daalt niet"
    else:
        value, status, badge = month_label(p.maand), None, None
    return w.kpi_tile(
        "CRT op doel in", value, sub=sub, status=status, badge=badge, tile_id="tegel-prognose"
    )


@w.guarded
def tiles(viewer: Viewer, params: dict):
    snap, day, cfg = page_context(params)
    s = scoped(viewer, params)
    regio = s.regio
    p = projection(snap, s.viewer, day, cfg, regio=regio)
    stock = stock_per_month(snap, s.viewer, day, cfg, months=1, regio=regio).row(0, named=True)
    stay = _stay(viewer, params)
    return html.Div(
        [
            w.tiles(
                crt_tile(stock["crt"], p.crt_doel, regio, cfg.crt_doel),
                w.kpi_tile(
                    "In CCP", w.fmt_figuur("ccp", stock["ccp"]), tile_id="tegel-ccp", figuur="ccp"
                ),
                w.kpi_tile(
                    "Niet toegewezen",
                    w.fmt_figuur("niet_toegewezen", stock["niet_toegewezen"]),
                    tile_id="tegel-niet-toegewezen",
                    figuur="niet_toegewezen",
                ),
                w.kpi_tile(
                    "Afname CRT per maand",
                    w.fmt_figuur("crt_afname_per_maand", p.tempo_per_maand),
                    figuur="crt_afname_per_maand",
                    sub=f"gemiddeld over de laatste {cfg.afbouw_tempo_maanden} maanden",
                    tile_id="tegel-tempo",
                ),
                forecast_tile(p, _shortfall(needed(viewer, params))),
                w.kpi_tile(
                    "Mediaan tijd in CRT",
                    w.fmt_figuur("mediaan_dagen_in_crt", stay.mediaan_dagen),
                    figuur="mediaan_dagen_in_crt",
                    sub=f"van {w.plural(stay.per_maatregel.height, 'overdracht', 'overdrachten')}",
                    tile_id="tegel-mediaan-crt",
                ),
            ),
            html.P(
                projection_sentence(snap, s.viewer, day, cfg, regio=regio),
                className="card-intro",
                id=f"{PAGE}-prognose",
            ),
        ]
    )


@w.guarded
def stock_section(viewer: Viewer, params: dict):
    snap, day, cfg = page_context(params)
    s = scoped(viewer, params)
    regio = s.regio
    stock = stock_per_month(snap, s.viewer, day, cfg, months=months(params), regio=regio)
    keys = [k for k in STOCK_KEYS if stock[k].sum() > 0 or k in ("vaste_jzw", "ccp", "crt")]
    fig = stacked_area_figure(
        "Actieve maatregelen per maandeinde, naar wie ze heeft", stock, "maand_einde", keys
    )
    doel = crt_target(cfg, regio)
    lines = [
        ("CRT", stock["crt"], CATEGORY_COLOURS["crt"]),
        ("CCP", stock["ccp"], CATEGORY_COLOURS["ccp"]),
    ]
    if doel is None:
        title, heading = "CRT- en CCP-voorraad per maandeinde (geen regiodoel)", "CRT-voorraad"
    else:
        title, heading = "CRT-voorraad per maandeinde tegen het doel", "CRT naar het doel"
        lines.append(("Doel CRT", [doel] * stock.height, OKABE_ITO["grijs"]))
    target = line_figure(title, stock["maand_einde"], lines, "Maatregelen", height=360)
    return html.Div(
        [
            w.section("Voorraad per maand", w.graph(fig, f"{PAGE}-voorraad", 360)),
            w.section(heading, w.graph(target, f"{PAGE}-crt-doel", 360)),
        ],
        className="grid-2",
    )


@w.guarded
def flows_section(viewer: Viewer, params: dict):
    snap, day, cfg = page_context(params)
    s = scoped(viewer, params)
    flows = flows_per_month(snap, s.viewer, day, cfg, months=months(params), regio=s.regio)
    x = [month_start(m) for m in flows["maand"]]
    fig = bar_figure(
        "Instroom, overdracht en uitstroom CCP/CRT per maand",
        x,
        [
            ("Instroom in CCP/CRT", flows["instroom"], OKABE_ITO["oranje"]),
            ("Overdracht naar regulier team", flows["overdracht"], OKABE_ITO["blauwgroen"]),
            ("Uitstroom (einde maatregel)", flows["uitstroom"], OKABE_ITO["grijs"]),
        ],
        "Maatregelen",
    )
    return w.section("Stromen", w.graph(fig, f"{PAGE}-stromen", 320))


@w.guarded
def crt_section(viewer: Viewer, params: dict):
    verdeling = _stay(viewer, params).verdeling
    fig = {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "x": verdeling["aantal"].to_list(),
                "y": verdeling["duur"].to_list(),
                "marker": {"color": CATEGORY_COLOURS["crt"]},
                "text": verdeling["aantal"].to_list(),
                "textposition": "outside",
                "hovertemplate": "%{y}: %{x}<extra></extra>",
            }
        ],
        "layout": plotly_layout(
            "Overgedragen maatregelen naar tijd in het CRT",
            height=220,
            xaxis={"title": {"text": "Maatregelen"}, "automargin": True},
            yaxis={"autorange": "reversed", "automargin": True},
        ),
    }
    df, columns = crt_table(viewer, params)
    grid = w.data_grid(
        f"{PAGE}-tijd-in-crt",
        df,
        columns,
        "Geen overdrachten uit het CRT in deze periode",
        page_size=10,
    )
    chart = (
        w.graph(fig, f"{PAGE}-tijd-in-crt-verdeling", 220)
        if df.height
        else w.empty_state("Geen overdrachten uit het CRT in deze periode")
    )
    return html.Div(
        [
            w.section("Tijd in het CRT", chart),
            w.table_section(
                "Overdrachten uit het CRT",
                "afbouw_tijd_in_crt",
                grid,
                intro="Per maatregel die in de periode van het CRT naar een regulier team ging: "
                "dagen van het begin van het aaneengesloten CRT-verblijf tot de overdracht.",
            ),
        ]
    )


@w.guarded
def capacity_section(viewer: Viewer, params: dict):
    df, columns = capacity_table(viewer, params)
    grid = w.data_grid(f"{PAGE}-capaciteit", df, columns, "Geen regio's met gegevens")
    return w.table_section(
        "Capaciteit per regio",
        "afbouw_capaciteit",
        grid,
        intro="Per regio: hoeveel CCP- en CRT-maatregelen nu over kunnen volgens het voorstel "
        "(zonder de besluiten in de app) en hoeveel niet, naast de vrije ruimte boven de buffer "
        "van jeugdzorgwerkers die een maatregel mogen krijgen en de CRT-voorraad.",
    )


@w.guarded
def needed_section(viewer: Viewer, params: dict):
    _snap, day, cfg = page_context(params)
    df, columns = needed_table(viewer, params)
    grid = w.data_grid(f"{PAGE}-capaciteit-nodig", df, columns, "Geen regio's met gegevens")
    doel = doeldatum(day, what_if(params, day))
    buffer = w.fmt_number(cfg.werktoedeling_buffer_per_fte, 1)
    return w.table_section(
        "Capaciteit naar het CRT-doel",
        "afbouw_capaciteit_nodig",
        grid,
        intro=f"Per regio met een CRT-doel: de maatregelen en fte die tot {w.fmt_date(doel)} "
        "geen plek vinden bij jeugdzorgwerkers in reguliere teams. Ruimte telt boven een "
        f"buffer van {buffer} per fte voor nieuwe instroom; instroom en einde zijn het "
        f"gemiddelde van de laatste {cfg.afbouw_tempo_maanden} maanden. Kies hierboven extra "
        "fte, een andere instroom of een andere doeldatum om te zien wat die doen.",
    )


RULES_OFF = {
    "skj": "De export heeft geen SKJ-datums: die regel staat uit.",
    "vog": "De export heeft geen VOG-datums: die regel staat uit.",
}


@w.guarded
def proposal_section(viewer: Viewer, params: dict):
    snap, _day, cfg = page_context(params)
    df, columns = proposal_table(viewer, params)
    grid = w.data_grid(
        f"{PAGE}-voorstel",
        df,
        columns,
        "Geen CRT- of CCP-maatregel wacht op een vaste jeugdzorgwerker",
    )
    counts = na_besluiten(df)
    notes = [
        html.P(RULES_OFF[regel], className="card-intro", id=f"{PAGE}-regel-uit-{regel}")
        for regel in regels_uit(snap, cfg)
    ]
    return html.Div(
        [
            w.tiles(
                *(w.figuur_tile(key, value) for key, value in counts.items()),
            ),
            *notes,
            w.table_section(
                "Voorstel overdrachten",
                "afbouw_voorstel",
                grid,
                intro="Langst in het CRT eerst, naar een beschikbare jeugdbeschermer (JB) of "
                "jeugdreclasseerder (JR) met geldige SKJ en VOG en ruimte boven de buffer in "
                "dezelfde regio. Wat bij niemand past staat onderaan, zonder ontvanger, met de "
                "reden.",
            ),
        ]
    )


# Accepting or rejecting a proposed transfer: the callback finds the row again on the server.
def decidable(viewer: Viewer, params: dict) -> pl.DataFrame:
    """The placed proposal rows the viewer may decide (dashboard.besluiten.own_rows)."""
    snap, _day, _cfg = page_context(params)
    placed = proposal(viewer, params).filter(pl.col("naar_medewerker_id").is_not_null())
    return besluiten_ui.own_rows(snap, viewer, placed)


@w.guarded
def decision_controls(viewer: Viewer, params: dict):
    return besluiten_ui.controls(
        PAGE,
        decidable(viewer, params),
        "Besluiten over het voorstel",
        "Kies een voorgestelde overdracht en accepteer of wijs af. Een geaccepteerde "
        "overdracht telt mee in de ruimte van de ontvanger tot hij is aangekomen; een "
        "afgewezen ontvanger wordt voor die maatregel niet meer voorgesteld.",
        "Er is geen voorgestelde overdracht waarover u kunt besluiten",
        "voorgestelde overdracht",
    )


DECISION_FIGURES = (
    "besluiten_geaccepteerd",
    "besluiten_aangekomen",
    "besluiten_wacht",
    "besluiten_niet_meer_veilig",
)


def decisions_export(viewer: Viewer, params: dict) -> tuple[pl.DataFrame, list[dict]]:
    snap, day, cfg = page_context(params)
    s = scoped(viewer, params)
    df = besluiten_export(_afbouw_besluiten(), snap, s.viewer, day, cfg)
    return df, [w.column(name, name) for name in EXPORT_NAMES.values()]


def _afbouw_besluiten() -> pl.DataFrame:
    """The decisions on afbouw transfers; waarnemers (uitval) have their own on Team."""
    return data.besluiten().filter(pl.col("soort") == "afbouw")


register_export("afbouw_besluiten", decisions_export, ROLES, "Besluiten en hun stand")


@w.guarded
def decisions_section(viewer: Viewer, params: dict):
    snap, day, cfg = page_context(params)
    s = scoped(viewer, params)
    besluiten = _afbouw_besluiten()
    cijfers = besluiten_cijfers(besluiten, snap, s.viewer, day, cfg)
    status = besluit_status(besluiten, snap, s.viewer, day, cfg)
    grid = w.data_grid(
        f"{PAGE}-besluiten-stand",
        status,
        besluiten_ui.STATUS_COLUMNS,
        "Nog geen geaccepteerde overdrachten",
    )
    section = w.table_section(
        "Besluiten en hun stand",
        "afbouw_besluiten",
        grid,
        intro="Per geaccepteerde overdracht of hij in de laatste export is aangekomen, elders "
        "is aangekomen, nog wacht of is vervallen; een wachtende waarvan de ontvanger nu een "
        "regel breekt staat als niet meer veilig. De export bevat ook de afwijzingen.",
    )
    return html.Div(
        [w.tiles(*(w.figuur_tile(key, cijfers[key]) for key in DECISION_FIGURES)), section]
    )


def decisions_block(viewer: Viewer, params: dict) -> list:
    """The proposal, the decision controls and the decisions' state: redrawn after a decision."""
    return [
        proposal_section(viewer, params),
        decision_controls(viewer, params),
        decisions_section(viewer, params),
    ]


def decide(account: Account | None, params: dict, maatregel_id, besluit: str, reden) -> html.Div:
    """Take the account's decision on the proposal row of maatregel_id, as the server computes
    the proposal now; a Dutch confirmation or the refusal."""
    rows = None if account is None else proposal(account.viewer, params)
    return besluiten_ui.decide(account, params, rows, maatregel_id, besluit, reden,
                               soort="afbouw", what="voorgestelde overdracht",
                               onderwerp="overdracht van")  # fmt: skip


@guard.page_callback(
    ROLES,
    Output(f"{PAGE}-besluit-melding", "children"),
    Output(f"{PAGE}-besluiten", "children"),
    Input(f"{PAGE}-accepteren", "n_clicks"),
    Input(f"{PAGE}-afwijzen", "n_clicks"),
    State(f"{PAGE}-besluit-keuze", "value"),
    State(f"{PAGE}-besluit-reden", "value"),
    State(location_id(PAGE), "search"),
    prevent_initial_call=True,
)
def on_decision(_accept, _reject, maatregel_id, reden, search):
    """The session's account decides; the grid's row data is never trusted."""
    if ctx.triggered_id not in (f"{PAGE}-accepteren", f"{PAGE}-afwijzen"):
        return no_update, no_update
    besluit = GEACCEPTEERD if ctx.triggered_id == f"{PAGE}-accepteren" else AFGEWEZEN
    account = session.current_account()
    params = parse_search(search)
    message = decide(account, params, maatregel_id, besluit, reden)
    viewer = account.viewer if account is not None else current_viewer()
    return message, decisions_block(viewer, params)


def body(viewer: Viewer, params: dict):
    return html.Div(
        [
            tiles(viewer, params),
            stock_section(viewer, params),
            flows_section(viewer, params),
            crt_section(viewer, params),
            capacity_section(viewer, params),
            needed_section(viewer, params),
            html.Div(id=f"{PAGE}-besluit-melding", **{"aria-live": "polite"}),
            html.Div(decisions_block(viewer, params), id=f"{PAGE}-besluiten"),
        ]
    )


@w.guarded
def slicers(viewer: Viewer, params: dict):
    snap, day, _cfg = page_context(params)
    s = scoped(viewer, params)
    if s.regio is not None and not viewer.sees_everything:
        keuzes, fixed = [s.regio], True
    else:
        keuzes, fixed = regios(snap), False
    return w.slicer_bar(
        w.peildatum_slicer(PAGE, day, snap.export_date),
        w.regio_slicer(PAGE, [{"label": r, "value": r} for r in keuzes], s.regio, disabled=fixed),
        w.slicer(
            "Periode",
            dcc.Dropdown(
                id=f"{PAGE}-maanden",
                options=[{"label": f"{n} maanden", "value": n} for n in PERIODS],
                value=months(params),
                clearable=False,
                searchable=False,
            ),
        ),
        *what_if_slicers(params, day),
    )


def what_if_slicers(params: dict, day: date) -> list[html.Div]:
    """The capacity's what-if: empty is "as it is", the target date's default its placeholder."""
    chosen = what_if(params, day)

    def number(key: str, label: str, value: float, limit: float, step: float) -> html.Div:
        control = dcc.Input(
            id=f"{PAGE}-{key}",
            type="number",
            value=value or None,
            min=-limit,
            max=limit,
            step=step,
            placeholder="0",
            debounce=True,
        )
        return w.slicer(label, control)

    return [
        number("extra_fte", "Wat als: extra fte per regio", chosen.extra_fte, MAX_FTE, 0.1),
        number("instroom", "Wat als: instroom CRT per maand per regio +/-",
               chosen.instroom_wijziging, MAX_INSTROOM, 1),
        w.slicer(
            "Wat als: doeldatum",
            dcc.DatePickerSingle(
                id=f"{PAGE}-doeldatum",
                date=None if chosen.doeldatum is None else chosen.doeldatum.isoformat(),
                min_date_allowed=(day + timedelta(days=1)).isoformat(),
                display_format=DATE_DISPLAY_FORMAT,
                month_format="MMMM YYYY",
                first_day_of_week=1,
                show_outside_days=False,
                clearable=True,
                placeholder=w.fmt_date(doeldatum(day)),
            ),
        ),
    ]  # fmt: skip


def resolved(viewer: Viewer, params: dict) -> dict:
    day = data.as_of(params)
    chosen = what_if(params, day)
    return {
        "peildatum": day.isoformat(),
        "maanden": months(params),
        "regio": scoped(viewer, params).regio,
        "extra_fte": chosen.extra_fte or None,
        "instroom": chosen.instroom_wijziging or None,
        "doeldatum": None if chosen.doeldatum is None else chosen.doeldatum.isoformat(),
    }


layout, STATE = slicer_page(
    PAGE,
    PATH,
    ROLES,
    "Afbouw CCP/CRT",
    ("peildatum", "maanden", "regio", *WHAT_IF_KEYS),
    slicers,
    body,
    resolved,
    valid=data.peildatum_usable,
)
data.warm_view(partial(body, MANAGER, {}))
