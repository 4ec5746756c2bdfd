"""Voortgangsrapportage: the inspection's two-monthly progress report, on screen, as an A4 PDF
and as an Excel workbook, from the same query frames; MT vaststelt a version, which the page
lists with its files and its Samenvatting beside the previous version's.

Over 400 lines on purpose: the screen, the PDF and the workbook are one report and must stay
side by side, so a section added to one is seen missing from the others.
"""

import logging
from datetime import date
from functools import partial

import dash
import polars as pl
from dash import Input, Output, State, ctx, dcc, html, no_update

from dashboard import audit_trail, data, pdf
from dashboard.charts import CATEGORY_COLOURS, bar_figure, line_figure
from dashboard.components import widgets as w
from dashboard.components.appshell import page_body
from dashboard.components.cijfers import fmt_figuur, fmt_verschil
from dashboard.components.exports import register_document
from dashboard.components.guard import page_callback
from dashboard.components.pagestate import effective, location_id, shown_state, sync_with_url
from dashboard.components.theme import GRAPH_CONFIG, OKABE_ITO
from dashboard.context import page_context
from dashboard.rapportversies import comparison, vaststel_section, version_id, versions_section
from dashboard.session import current_account
from dashboard.urlstate import parse_search
from dashboard.viewer import current_viewer
from queries.figuren import figuur
from queries.kalender import add_months
from queries.rapportage import (
    SUMMARY_KEYS,
    figure_of,
    flows_since_start,
    progress_report,
    projection_sentence,
    report_xlsx,
    section_definition,
)
from queries.rapportversies import (
    SECTIES,
    Rapport,
    VaststellingGeweigerd,
    bestand,
    frozen_summary,
    geldige_toelichting,
    samenvatting_van,
    vaststellen,
    vergelijk,
    vorige,
)
from queries.scope import MANAGER, Viewer

log = logging.getLogger(__name__)

PAGE = "voortgang"
PATH = "/voortgangsrapportage"
ROLES = ("manager",)
DEFAULT_TREND_MONTHS = 12
# About the width of an A4 page: the report reads as a document on screen too.
CHART_WIDTH = 680
CHART_HEIGHT = 260

dash.register_page(
    __name__,
    path=PATH,
    name="Voortgangsrapportage",
    title="Voortgangsrapportage",
    order=8,
    roles=ROLES,
)


def trend_start(params: dict, day: date) -> date:
    """The 'trend vanaf' date from the URL, else the first of the month a year before."""
    chosen = data.parse_date(params.get("vanaf"))
    if chosen is None or chosen > day or chosen.year < 2000:
        return add_months(day.replace(day=1), -DEFAULT_TREND_MONTHS)
    return chosen


def report_file(viewer: Viewer, params: dict) -> dict:
    """The workbook for dcc.Download, built on the server for the session's viewer."""
    snap, day, cfg = page_context(params)
    since, cohort = trend_start(params, day), data.cohort_start(params, cfg, day)
    return dcc.send_bytes(
        report_xlsx(snap, viewer, day, cfg, since, cohort),
        f"voortgangsrapportage_{day.isoformat()}.xlsx",
    )


# ---- tables and text -------------------------------------------------------------------------


def _kind(name: str, dtype: pl.DataType) -> tuple[str, int]:
    if dtype == pl.Date:
        return w.DATE, 0
    if dtype.is_float():
        return (w.PCT if name.endswith("(%)") else w.NUMBER), 1
    if dtype.is_integer():
        return w.NUMBER, 0
    return w.TEXT, 0


def _kind_of(key: str) -> tuple[str, int]:
    f = figuur(key)
    return (w.PCT if f.eenheid == "pct" else w.NUMBER), f.decimalen


def report_grid(grid_id: str, df: pl.DataFrame, first_width: int = 150) -> html.Div:
    """A report frame (Dutch column names) as a compact grid: the month stands for its last
    day, so the Peildatum column is left to the workbook."""
    df = df.drop("Peildatum", strict=False)
    # A column of a registered figure is named by its key, so a reader can trace the number.
    keys = [figure_of(name) for name in df.columns]
    fields = [key if key and keys.count(key) == 1 else f"k{i}" for i, key in enumerate(keys)]
    columns = []
    for field, key, (name, dtype) in zip(fields, keys, df.schema.items(), strict=True):
        kind, decimals = _kind(name, dtype) if key is None else _kind_of(key)
        first = field == fields[0]
        extra = {"minWidth": first_width, "flex": 2} if first else {"minWidth": 90}
        extra["filter"] = False
        if not first and kind == w.TEXT:
            # Figures formatted as text (the summary) still line up like numbers.
            extra["type"] = "rightAligned"
        columns.append(w.column(field, name, kind, decimals=decimals, **extra))
    renamed = df.rename(dict(zip(df.columns, fields, strict=True)))
    return w.data_grid(grid_id, renamed, columns, "Geen gegevens in deze periode")


def summary_rows(summary: pl.DataFrame) -> pl.DataFrame:
    """The summary with each value in its figure's Dutch format and unit."""
    rows = [
        {
            "Cijfer": r["Cijfer"],
            "Over": r["Over"],
            "Waarde": fmt_figuur(key, r["Waarde"]),
            "Een jaar eerder": fmt_figuur(key, r["Een jaar eerder"]),
            "Verschil": fmt_verschil(key, r["Verschil"]),
        }
        for key, r in zip(SUMMARY_KEYS, summary.iter_rows(named=True), strict=True)
    ]
    return pl.DataFrame(rows, schema={c: pl.String for c in summary.columns if c != "Eenheid"})


def _summary(report: dict[str, pl.DataFrame], key: str, column: str = "Waarde"):
    return report["Samenvatting"][column][SUMMARY_KEYS.index(key)]


def _summary_text(report: dict[str, pl.DataFrame], key: str) -> str:
    """A summary figure's value as the report's text writes it."""
    return fmt_figuur(key, _summary(report, key))


def _pct(value: float | None) -> str:
    return w.fmt_pct(value)


def _last(df: pl.DataFrame, col: str):
    return df[col][-1] if df.height else None


def texts(
    report: dict[str, pl.DataFrame], day: date, since: date, cohort: date | None, forecast: str
) -> dict:
    """One short Dutch paragraph per figure, read from the report's own frames."""
    peil, vanaf, cohort_day = w.fmt_date(day), w.fmt_date(since), w.fmt_date(cohort)
    vaste, contact = report["Vaste jeugdzorgwerker"], report["Eerste contact"]
    risico, plannen, spec = (
        report["Risicotaxaties"],
        report["Plannen van aanpak"],
        report["CCP en CRT"],
    )
    rt = risico.columns[-1]
    share = "Aandeel vaste jeugdzorgwerker (%)"
    flows = flows_since_start(report)
    out = {
        "Vaste jeugdzorgwerker": (
            f"Op {peil} had {fmt_figuur('vaste_jzw_pct', _summary(report, 'vaste_jzw_pct'))} "
            f"van de {w.fmt_number(_last(vaste, 'Actieve maatregelen'))} actieve maatregelen een "
            f"vaste jeugdzorgwerker; eind {vaste['Maand'][0]} was dat {_pct(vaste[share][0])}. "
            f"Niet toegewezen op {peil}: {w.fmt_number(_last(vaste, 'Niet toegewezen'))}."
        ),
        "Risicotaxaties": (
            f"Op {peil} had {_pct(_last(risico, rt))} van de actieve "
            f"maatregelen een actuele risicotaxatie (niet ouder dan 3 maanden)"
            + (
                f"; eind {risico['Maand'][0]} was dat {_pct(risico[rt][0])}."
                if risico.height > 1
                else "."
            )
        ),
        "Plannen van aanpak": (
            f"Op {peil} had {_pct(_last(plannen, plannen.columns[2]))} van de actieve maatregelen "
            f"het plan van aanpak binnen 6 weken; van de maatregelen gestart vanaf {cohort_day} "
            f"{_pct(_last(plannen, plannen.columns[3]))}. Hulp binnen 3 maanden gestart: "
            f"{_pct(_last(plannen, 'Hulp tijdig gestart (%)'))}."
        ),
        "CCP en CRT": (
            f"Op {peil} zaten {w.fmt_number(_last(spec, 'CCP'))} maatregelen in het CCP en "
            f"{w.fmt_number(_last(spec, 'CRT'))} in het CRT. Sinds {vanaf}: "
            f"{fmt_figuur('overdracht', flows['overdracht'])} overgedragen naar een "
            f"regulier team, {fmt_figuur('instroom', flows['instroom'])} ingestroomd en "
            f"{fmt_figuur('uitstroom', flows['uitstroom'])} beëindigd. {forecast}"
        ),
    }
    value = partial(_summary_text, report)
    out["Zicht op de jeugdige"] = (
        f"Op {peil} was {value('gezien_6w_pct')} van de jeugdigen met een actieve maatregel in "
        f"de laatste 6 weken face-to-face gezien. Het laatste plan van aanpak was besproken met "
        f"de jeugdige bij {value('plan_besproken_jeugdige_pct')} en met de ouders bij "
        f"{value('plan_besproken_ouders_pct')}. Voogdijmaatregelen op norm voor contact met de "
        f"jeugdige: {value('voogdij_op_norm_pct')}."
    )
    out["Hulp per soort"] = (
        f"Mediane wachttijd van aanvraag tot start van hulp in de 12 maanden voor {peil}: "
        f"{value('hulp_wachttijd_mediaan')}. Van de hulp die op {peil} nog wacht, wacht "
        f"{value('hulp_wachtend_lang_pct')} langer dan 3 maanden; de oorzaak ligt vaak buiten de "
        "gecertificeerde instelling."
    )
    out["Hulp per gemeente"] = (
        "Dezelfde wachttijden per gemeente van de jeugdige, zodat knelpunten per gemeente "
        "zichtbaar blijven."
    )
    out["Verloop"] = (
        f"Verzuim in {report['Samenvatting']['Over'][SUMMARY_KEYS.index('verzuim_pct')]}: "
        f"{value('verzuim_pct')}; over de 12 volle maanden ervoor {value('verzuim_12m_pct')}. "
        f"Verloop in de 12 maanden voor {peil}: {value('verloop_pct')}."
    )
    # A lopende month is never the headline; one whose contacts are all open has no share.
    counted = contact.filter(
        pl.col("Binnen 5 werkdagen (%)").is_not_null() & (pl.col("Startmaand afgerond") != "lopend")
    )
    if counted.height:
        first, last = counted.row(0, named=True), counted.row(-1, named=True)
        out["Eerste contact"] = (
            f"Van de maatregelen gestart in {last['Startmaand']} had "
            f"{_pct(last['Binnen 5 werkdagen (%)'])} het eerste face-to-face contact binnen 5 "
            f"werkdagen (gemiddeld {w.fmt_number(last['Gemiddeld dagen tot contact'], 1)} "
            f"dagen); in {first['Startmaand']} was dat {_pct(first['Binnen 5 werkdagen (%)'])}."
        )
    else:
        out["Eerste contact"] = f"Sinds {vanaf} zijn geen maatregelen gestart."
    return out


# ---- charts ----------------------------------------------------------------------------------


def _sized(fig: dict) -> dict:
    fig["layout"].update(width=CHART_WIDTH, height=CHART_HEIGHT)
    return fig


def report_graph(fig: dict, graph_id: str) -> dcc.Graph:
    """A chart at a fixed A4-friendly size, so screen and paper show the same picture."""
    return dcc.Graph(
        id=graph_id,
        figure=_sized(fig),
        config={**GRAPH_CONFIG, "responsive": False, "displayModeBar": False},
        className="report-graph",
    )


def charts(report: dict[str, pl.DataFrame], target: int) -> dict:
    vaste, contact, spec = (
        report["Vaste jeugdzorgwerker"],
        report["Eerste contact"],
        report["CCP en CRT"],
    )
    risico, plannen = report["Risicotaxaties"], report["Plannen van aanpak"]
    x = vaste["Peildatum"]
    out = {
        "Vaste jeugdzorgwerker": line_figure(
            "Aandeel met vaste jeugdzorgwerker per maandeinde (%)",
            x,
            [
                ("Alle actieve", vaste["Aandeel vaste jeugdzorgwerker (%)"], OKABE_ITO["blauw"]),
                ("Nieuw gestart", vaste["Aandeel nieuw met vaste jzw (%)"], OKABE_ITO["oranje"]),
            ],
            "%",
            suffix="%",
            y_range=[0, 105],
        ),
        "Risicotaxaties": line_figure(
            "Actieve maatregelen met een actuele risicotaxatie (%)",
            x,
            [("Actuele risicotaxatie", risico[risico.columns[-1]], OKABE_ITO["roodpaars"])],
            "%",
            suffix="%",
            y_range=[0, 105],
        ),
        "Plannen van aanpak": line_figure(
            "Plan van aanpak binnen 6 weken en hulp binnen 3 maanden (%)",
            x,
            [
                ("Plan tijdig, alle actieve", plannen[plannen.columns[2]], OKABE_ITO["oranje"]),
                ("Plan tijdig, cohort", plannen[plannen.columns[3]], OKABE_ITO["blauw"]),
                ("Hulp tijdig gestart", plannen[plannen.columns[4]], OKABE_ITO["blauwgroen"]),
            ],
            "%",
            suffix="%",
            y_range=[0, 105],
        ),
        "CCP en CRT": line_figure(
            "CCP en CRT per maandeinde",
            x,
            [
                ("CRT", spec["CRT"], CATEGORY_COLOURS["crt"]),
                ("CCP", spec["CCP"], CATEGORY_COLOURS["ccp"]),
                ("Doel CRT", [target] * spec.height, OKABE_ITO["grijs"]),
            ],
            "Maatregelen",
        ),
    }  # fmt: skip
    if contact.height:
        out["Eerste contact"] = bar_figure(
            "Eerste contact binnen 5 werkdagen, per startmaand (%)",
            contact["Startmaand"],
            [("Binnen 5 werkdagen", contact["Binnen 5 werkdagen (%)"], OKABE_ITO["blauw"])],
            "%",
            dates=False,
        )
        out["Eerste contact"]["layout"]["yaxis"].update(range=[0, 105], ticksuffix="%")
    return out


# ---- the page --------------------------------------------------------------------------------

# On paper these repeat section 5 or the line above; the workbook keeps them.
HIDDEN = {"Vaste jeugdzorgwerker": ("CCP", "CRT", "Nieuw, vanaf start bij vaste jzw")}
FIGURE_TITLES = {
    "Vaste jeugdzorgwerker": "1. Vaste jeugdzorgwerker",
    "Eerste contact": "2. Tijdigheid eerste face-to-face contact",
    "Risicotaxaties": "3. Risicotaxaties",
    "Plannen van aanpak": "4. Plannen van aanpak en hulp",
    "CCP en CRT": "5. Voorraad CCP en CRT",
    "Zicht op de jeugdige": "6. Zicht op de jeugdige",
    "Hulp per soort": "7. Wachttijd hulp per soort",
    "Hulp per gemeente": "8. Wachttijd hulp per gemeente",
    "Verloop": "9. Verloop per functiegroep",
}


@w.guarded
def report_body(viewer: Viewer, params: dict):
    snap, day, cfg = page_context(params)
    since, cohort = trend_start(params, day), data.cohort_start(params, cfg, day)
    report = progress_report(snap, viewer, day, cfg, since, cohort)
    forecast = projection_sentence(snap, viewer, day, cfg)
    paragraphs = texts(report, day, since, cohort, forecast)
    figures = charts(report, cfg.crt_doel)
    sections = [
        html.Section(
            [
                html.H2("Samenvatting"),
                html.P(
                    f"De cijfers op de peildatum {w.fmt_date(day)} naast dezelfde cijfers een "
                    "jaar eerder. Eerste contact: de laatste startmaand die niet meer loopt, "
                    "naast dezelfde startmaand een jaar eerder.",
                    className="report-text",
                ),
                report_grid(
                    f"{PAGE}-samenvatting", summary_rows(report["Samenvatting"]), first_width=280
                ),
                html.H3("Per regio"),
                report_grid(f"{PAGE}-regios", report["Per regio"], first_width=160),
            ],
            className="card report-section",
            id=f"{PAGE}-sectie-samenvatting",
        )
    ]
    for i, (key, title) in enumerate(FIGURE_TITLES.items(), start=1):
        children = [html.H2(title), html.P(paragraphs[key], className="report-text")]
        if key in figures:
            children.append(report_graph(figures[key], f"{PAGE}-grafiek-{i}"))
        shown = report[key].drop(HIDDEN.get(key, ()))
        children.append(report_grid(f"{PAGE}-tabel-{i}", shown))
        children.append(html.P(section_definition(key), className="report-definition"))
        sections.append(
            html.Section(children, className="card report-section", id=f"{PAGE}-sectie-{i}")
        )
    return html.Article(
        [
            html.Header(
                [
                    html.Div("Voortgangsrapportage aan de inspecties", className="report-title"),
                    html.Div(
                        f"Peildatum {w.fmt_date(day)} · trend vanaf {w.fmt_date(since)} · "
                        f"cohort gestart vanaf {w.fmt_date(cohort)} · "
                        f"gegevens uit de export van {w.fmt_date(snap.export_date)}",
                        className="report-subtitle",
                        id=f"{PAGE}-kop",
                    ),
                ],
                className="report-header",
            ),
            *sections,
            html.P(
                "Elk cijfer telt alleen wat op of voor zijn peildatum is geregistreerd. De "
                "definities staan bij elke tabel en in het tabblad Definities van het "
                "Excel-bestand.",
                className="report-definition",
            ),
        ],
        className="report",
    )


# ---- the document (PDF) ----------------------------------------------------------------------

SECTION_TITLES = {"Samenvatting": "Samenvatting", **FIGURE_TITLES}
EMPTY = "Geen gegevens in deze periode"


def _cell(value, kind: str, decimals: int) -> str:
    if kind in (w.NUMBER, w.PCT):
        return pdf.cell_text(value, decimals, "%" if kind == w.PCT else "")
    return pdf.cell_text(value)


def report_table(df: pl.DataFrame) -> pdf.Tabel:
    """A report frame as the screen's grid shows it, every row, in the figures' formats."""
    df = df.drop("Peildatum", strict=False)
    formats = []
    for name, dtype in df.schema.items():
        key = figure_of(name)
        formats.append(_kind(name, dtype) if key is None else _kind_of(key))
    rows = [
        tuple(_cell(v, kind, dec) for v, (kind, dec) in zip(row, formats, strict=True))
        for row in df.iter_rows()
    ]
    right = frozenset(i for i, (kind, _d) in enumerate(formats) if kind in (w.NUMBER, w.PCT))
    return pdf.Tabel(tuple(df.columns), rows, right, EMPTY)


def region_table(df: pl.DataFrame) -> pdf.Tabel:
    """Per regio turned a quarter: a row per figure, a column per region, so it fits A4."""
    regions = df["Regio"].to_list()
    rows = []
    for name in df.columns[1:]:
        key = figure_of(name)
        values = df[name].to_list()
        rows.append((name, *(fmt_figuur(key, v) if key else pdf.cell_text(v) for v in values)))
    return pdf.Tabel(("Cijfer", *regions), rows, frozenset(range(1, len(regions) + 1)), EMPTY)


def summary_table(summary: pl.DataFrame, eerder: tuple[int, dict] | None) -> pdf.Tabel:
    """The Samenvatting; with eerder (version id, its frozen figures) beside the value in that
    vastgestelde version and the difference."""
    shown = summary_rows(summary)
    header, rows = list(shown.columns), [list(r) for r in shown.iter_rows()]
    if eerder is not None:
        versie, before = eerder
        compared = vergelijk_rijen(frozen_summary(summary), before)
        header += [f"Vastgesteld in versie {versie}", "Verschil met die versie"]
        for row, extra in zip(rows, compared, strict=True):
            row += extra
    return pdf.Tabel(tuple(header), [tuple(r) for r in rows], frozenset(range(2, len(header))))


def vergelijk_rijen(now: dict, before: dict) -> list[tuple[str, str]]:
    """Per Samenvatting figure: the earlier version's value and the difference, as text."""
    frame = vergelijk(now, before)
    return [
        (fmt_figuur(r["kpi"], r["Vorige versie"]), fmt_verschil(r["kpi"], r["Verschil"]))
        for r in frame.iter_rows(named=True)
    ]


def report_document(
    viewer: Viewer,
    params: dict,
    toelichting: dict[str, str] | None = None,
    eerder: tuple[int, dict] | None = None,
    vastgesteld: str | None = None,
) -> tuple[pdf.Document, dict[str, pl.DataFrame]]:
    """The report as an A4 document (text and tables; the charts stay on screen) and its
    frames; toelichting per section and the previous version's figures for a vaststelling."""
    snap, day, cfg = page_context(params)
    since, cohort = trend_start(params, day), data.cohort_start(params, cfg, day)
    report = progress_report(snap, viewer, day, cfg, since, cohort)
    paragraphs = texts(report, day, since, cohort, projection_sentence(snap, viewer, day, cfg))
    notes = toelichting or {}

    def head(key: str) -> list[pdf.Blok]:
        blocks: list[pdf.Blok] = [pdf.Kop(SECTION_TITLES[key])]
        if key in notes:
            blocks.append(pdf.Tekst(f"Toelichting MT: {notes[key]}"))
        return blocks

    blocks = [
        *head("Samenvatting"),
        pdf.Tekst(
            f"De cijfers op de peildatum {w.fmt_date(day)} naast dezelfde cijfers een jaar "
            "eerder. Eerste contact: de laatste startmaand die niet meer loopt, naast dezelfde "
            "startmaand een jaar eerder."
        ),
        summary_table(report["Samenvatting"], eerder),
        pdf.Kop("Per regio", 2),
        region_table(report["Per regio"]),
    ]
    for key in FIGURE_TITLES:
        blocks += [
            *head(key),
            pdf.Tekst(paragraphs[key]),
            report_table(report[key].drop(HIDDEN.get(key, ()))),
            pdf.Tekst(section_definition(key), klein=True),
        ]
    blocks.append(
        pdf.Tekst(
            "Elk cijfer telt alleen wat op of voor zijn peildatum is geregistreerd. De "
            "definities staan bij elke tabel en in het tabblad Definities van het Excel-bestand.",
            klein=True,
        )
    )
    about = (
        f"Peildatum {w.fmt_date(day)} · trend vanaf {w.fmt_date(since)} · cohort gestart vanaf "
        f"{w.fmt_date(cohort)} · gegevens uit de export van {w.fmt_date(snap.export_date)}"
    )
    if vastgesteld:
        about += f" · {vastgesteld}"
    title = "Voortgangsrapportage aan de inspecties"
    return pdf.Document(title, day, blocks, onderwerp=about), report


def document(viewer: Viewer, params: dict) -> tuple[bytes, int]:
    """The report as a PDF for the shared download; (PDF, rows of its tables)."""
    doc, report = report_document(viewer, params)
    return pdf.render(doc), sum(frame.height for frame in report.values())


register_document("voortgangsrapportage", document, ROLES)


# ---- vaststellen and the versions ------------------------------------------------------------


def vaststel_rapport(account, params: dict, toelichting: dict) -> int:
    """Build the report for the account as it stands now (PDF with the toelichting and the
    previous version's figures, workbook, frozen Samenvatting) and keep it vastgesteld."""
    notes = geldige_toelichting(toelichting)
    viewer, engine = account.viewer, data.engine()
    snap, day, cfg = page_context(params)
    since, cohort = trend_start(params, day), data.cohort_start(params, cfg, day)
    before = vorige(engine, None, day)
    eerder = None if before is None else (before, samenvatting_van(engine, viewer, before))
    made = f"vastgesteld door {account.gebruikersnaam}"
    doc, report = report_document(viewer, params, notes, eerder, made)
    xlsx = report_xlsx(snap, viewer, day, cfg, since, cohort, report=report, toelichting=notes)
    rapport = Rapport(
        day, resolved(viewer, params), frozen_summary(report["Samenvatting"]),
        pdf.render(doc), xlsx, snap.run_id,
    )  # fmt: skip
    return vaststellen(engine, account, rapport, notes)


@w.guarded
def slicers(viewer: Viewer, params: dict):
    snap, day, cfg = page_context(params)
    since, cohort = trend_start(params, day), data.cohort_start(params, cfg, day) or day
    return w.slicer_bar(
        w.peildatum_slicer(PAGE, day, snap.export_date),
        w.date_slicer(f"{PAGE}-vanaf", "Trend vanaf", since, snap.export_date),
        w.date_slicer(f"{PAGE}-cohort", "Cohort gestart vanaf", cohort, snap.export_date),
        html.Button(
            "⬇ Rapport als Excel",
            id=f"{PAGE}-excel",
            className="button",
            title="De voortgangsrapportage als Excel-bestand: een tabblad per cijfer en de "
            "definities",
        ),
        w.document_button("voortgangsrapportage"),
        dcc.Download(id=f"{PAGE}-download"),
    )


def resolved(_viewer: Viewer, params: dict) -> dict:
    day = data.as_of(params)
    cohort = data.cohort_start(params, data.config(), day)
    return {
        "peildatum": day.isoformat(),
        "vanaf": trend_start(params, day).isoformat(),
        "cohort": cohort.isoformat() if cohort else None,
    }


def layout(peildatum=None, vanaf=None, cohort=None, **_other):
    viewer = current_viewer()
    params = {"peildatum": peildatum, "vanaf": vanaf, "cohort": cohort}
    return page_body(
        viewer,
        ROLES,
        "Voortgangsrapportage",
        shown_state(PAGE, effective(lambda: resolved(viewer, params))),
        slicers(viewer, params),
        html.Div(id=f"{PAGE}-melding", className="no-print", **{"aria-live": "polite"}),
        html.Div(report_body(viewer, params), id=f"{PAGE}-body"),
        *(
            [
                vaststel_section(PAGE, SECTION_TITLES),
                html.Div(versions_section(PAGE, viewer, SECTION_TITLES), id=f"{PAGE}-versies"),
            ]
            if viewer.role in ROLES
            else []
        ),
    )


STATE = sync_with_url(
    PAGE,
    PATH,
    ROLES,
    {"peildatum": f"{PAGE}-peildatum", "vanaf": f"{PAGE}-vanaf", "cohort": f"{PAGE}-cohort"},
    report_body,
    resolved,
    valid=lambda params: (
        data.peildatum_usable(params)
        and data.usable_date(params["vanaf"])
        and data.usable_date(params["cohort"])
    ),
)


@page_callback(
    ROLES,
    Output(f"{PAGE}-download", "data"),
    Output(f"{PAGE}-melding", "children"),
    Input(f"{PAGE}-excel", "n_clicks"),
    State(location_id(PAGE), "search"),
    prevent_initial_call=True,
)
def download(clicks, search):
    """The report workbook; the viewer comes from the session only."""
    if not clicks:
        return no_update, no_update
    try:
        file = report_file(current_viewer(), parse_search(search))
    except Exception as exc:  # a failed download must not break the page
        log.exception("Voortgangsrapportage als Excel mislukt")
        return no_update, w.failure_message(exc)
    audit_trail.record("export", "voortgangsrapportage", "werkboek, xlsx")
    return file, None


@page_callback(
    ROLES,
    Output(f"{PAGE}-vaststelling-melding", "children"),
    Output(f"{PAGE}-versies", "children"),
    Input(f"{PAGE}-vaststellen", "n_clicks"),
    State(location_id(PAGE), "search"),
    *(State(f"{PAGE}-toelichting-{i}", "value") for i in range(len(SECTIES))),
    prevent_initial_call=True,
)
def vaststellen_klik(clicks, search, *notes):
    """Vaststellen for the session's account; a Dutch confirmation or why not."""
    if not clicks:
        return no_update, no_update
    account = current_account()
    if account is None:
        return w.message_box("U bent niet meer ingelogd."), no_update
    try:
        versie = vaststel_rapport(
            account, parse_search(search), dict(zip(SECTIES, notes, strict=True))
        )
    except (VaststellingGeweigerd, ValueError) as exc:
        return w.message_box(f"Niet vastgesteld: {exc}."), no_update
    done = w.message_box(f"Vastgesteld als versie {versie}.", "info")
    return done, versions_section(PAGE, account.viewer, SECTION_TITLES)


@page_callback(
    ROLES,
    Output(f"{PAGE}-versie-vergelijking", "children"),
    Input(f"{PAGE}-versie", "value"),
    prevent_initial_call=True,
)
def choose_version(versie):
    return comparison(PAGE, current_viewer(), versie)


@page_callback(
    ROLES,
    Output(f"{PAGE}-versie-download", "data"),
    Output(f"{PAGE}-versie-melding", "children"),
    Input(f"{PAGE}-versie-pdf", "n_clicks"),
    Input(f"{PAGE}-versie-excel", "n_clicks"),
    State(f"{PAGE}-versie", "value"),
    prevent_initial_call=True,
)
def version_file(_pdf, _xlsx, versie):
    """A vastgestelde version's PDF or workbook as it was kept; audited as an export."""
    versie = version_id(versie)
    if versie is None or not ctx.triggered or not ctx.triggered[0]["value"]:
        return no_update, no_update
    soort = "pdf" if ctx.triggered_id == f"{PAGE}-versie-pdf" else "xlsx"
    content = bestand(data.engine(), current_viewer(), versie, soort)
    if content is None:
        return no_update, w.message_box(f"Versie {versie} is er niet.")
    audit_trail.record("export", f"rapportversie {versie}", soort)
    return dcc.send_bytes(content, f"voortgangsrapportage_versie_{versie}.{soort}"), None


data.warm_view(partial(report_body, MANAGER, {}))
