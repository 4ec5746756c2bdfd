"""Caseloadgesprek: one worker's load and what needs attention, as an A4 PDF for the talk."""

from dataclasses import replace
from functools import partial

import dash
import polars as pl
from dash import dcc, html

from dashboard import data, gesprek_vastleggen, pdf
from dashboard.components import widgets as w
from dashboard.components.exports import register_document, register_export
from dashboard.components.pagestate import slicer_page
from dashboard.context import worker_context
from dashboard.rows import (
    DEADLINE_COLUMNS,
    NIET_GEZIEN_COLUMNS,
    SEEN_COLUMNS,
    VERLENGING_COLUMNS,
    deadline_rows,
    measure_column,
    measure_rows,
    signal_rows,
)
from dashboard.uitval import INTRO as UITVAL_INTRO
from dashboard.uitval import uitval_section, uitval_table
from queries.caseload import maatregelen_van
from queries.figuren import figuur, waarde
from queries.figuur import Filters
from queries.gesprekken import vorige_gesprek
from queries.persoonsnormen import persoonstermijnen
from queries.scope import Viewer
from queries.termijnen import werklijst
from queries.tijdigheid import voogdij_behind
from queries.verlenging import verlenging_voorbereiden
from queries.zicht import niet_gezien

PAGE = "gesprek"
ROLES = ("praktijkbegeleider", "gedragswetenschapper", "teammanager", "manager", "beheerder")
DEFAULT_WEKEN = 6
# "Soon due" for the talk: within two working weeks.
BINNENKORT_GESPREK = 10

PATH = "/caseloadgesprek"
TEGELS = (
    "caseload_actief",
    "caseload_gewogen",
    "caseload_norm",
    "caseload_ruimte",
    "verlopen_termijnen",
    "alleen_gezien_laatst",
)

dash.register_page(
    __name__,
    path=PATH,
    name="Caseloadgesprek",
    title="Caseloadgesprek",
    order=2,
    roles=ROLES,
)

PLAN_COLUMNS = [
    measure_column(),
    w.column("soort_label", "Soort"),
    w.column("laatste_plan", "Laatste plan", w.DATE),
    w.column("deadline", "Evaluatie uiterlijk", w.DATE),
    w.column("dagen_verlopen", "Dagen verlopen", w.NUMBER),
]
VOOGDIJ_COLUMNS = [
    measure_column(),
    w.column("soort_label", "Soort"),
    w.column("start", "Start", w.DATE),
    w.figuur_column("contacten_jaar", "Contacten met jeugdige (12 mnd)"),
    w.figuur_column("contacten_verwacht", "Verwacht"),
    w.column("deadline", "Volgend contact uiterlijk", w.DATE),
    w.column("status_label", "Status", w.STATUS),
]
MEASURE_COLUMNS = [
    measure_column(),
    w.column("soort_label", "Soort"),
    w.column("start", "Start", w.DATE),
    *SEEN_COLUMNS,
    w.column("laatste_plan", "Laatste plan", w.DATE),
    w.column("laatste_risicotaxatie", "Laatste risicotaxatie", w.DATE),
]


def weken(params: dict) -> int:
    try:
        value = int(params.get("weken") or DEFAULT_WEKEN)
    except ValueError:
        return DEFAULT_WEKEN
    return min(max(value, 1), 52)


def _worklist(viewer: Viewer, params: dict) -> pl.DataFrame:
    """The worker's deadlines once per request: the attention, plan and voogdij tables read them."""
    snap, day, worker = worker_context(viewer, params)
    return data.per_request(
        ("gesprek-termijnen", snap.run_id, viewer, day, worker),
        lambda: werklijst(snap, viewer, day, data.config(), medewerker_id=worker or ""),
    )


def attention_table(viewer: Viewer, params: dict) -> tuple[pl.DataFrame, list[dict]]:
    """Overdue deadlines and those due within two working weeks."""
    df = _worklist(viewer, params).filter(
        (pl.col("status") == "verlopen") | (pl.col("werkdagen_tot") <= BINNENKORT_GESPREK)
    )
    return deadline_rows(df, data.as_of(params)), DEADLINE_COLUMNS


def measures(viewer: Viewer, params: dict) -> pl.DataFrame:
    snap, day, worker = worker_context(viewer, params)
    return data.per_request(
        ("gesprek-maatregelen", snap.run_id, viewer, day, worker),
        lambda: measure_rows(
            maatregelen_van(snap, viewer, day, data.config(), medewerker_id=worker or ""), day
        ),
    )


def niet_gezien_table(viewer: Viewer, params: dict) -> tuple[pl.DataFrame, list[dict]]:
    """Measures whose jeugdige was not seen face-to-face in the last N weeks (or never)."""
    snap, day, worker = worker_context(viewer, params)
    cfg = replace(data.config(), gezien_weken=weken(params))
    df = niet_gezien(snap, viewer, day, cfg, Filters(medewerker_id=worker or ""))
    return measure_rows(df, day).sort("dagen_sinds_gezien", descending=True), NIET_GEZIEN_COLUMNS


def verlenging_table(viewer: Viewer, params: dict) -> tuple[pl.DataFrame, list[dict]]:
    """Measures whose einde_gepland falls within the signal weeks: prepare a verlenging."""
    snap, day, worker = worker_context(viewer, params)
    df = verlenging_voorbereiden(
        snap, viewer, day, data.config(), Filters(medewerker_id=worker or "")
    )
    return signal_rows(df, day), VERLENGING_COLUMNS


def plan_table(viewer: Viewer, params: dict) -> tuple[pl.DataFrame, list[dict]]:
    """Plans older than their evaluation term: the plan_evaluatie deadline has passed."""
    late = _worklist(viewer, params).filter(
        (pl.col("norm").cast(pl.String) == "plan_evaluatie") & (pl.col("status") == "verlopen")
    )
    df = (
        measures(viewer, params)
        .join(late.select("maatregel_id", "deadline", "dagen_verlopen"), on="maatregel_id")
        .sort("dagen_verlopen", descending=True)
    )
    return df, PLAN_COLUMNS


def voogdij_table(viewer: Viewer, params: dict) -> tuple[pl.DataFrame, list[dict]]:
    """Voogdij measures behind on contact with the jeugdige (queries.tijdigheid.voogdij_behind)."""
    snap, day, worker = worker_context(viewer, params)
    behind = voogdij_behind(snap, viewer, day, data.config(), worker or "")
    df = (
        measures(viewer, params)
        .join(behind, on="maatregel_id")
        .with_columns(
            pl.col("status").alias("status_key"),
            pl.col("status")
            .replace_strict({"verlopen": "✖ Verlopen", "open": "● Open"})
            .alias("status_label"),
        )
        .sort("contacten_jaar", "start")
    )
    return df, VOOGDIJ_COLUMNS


def measures_table(viewer: Viewer, params: dict) -> tuple[pl.DataFrame, list[dict]]:
    return measures(viewer, params), MEASURE_COLUMNS


def uitval_rows(viewer: Viewer, params: dict) -> tuple[pl.DataFrame, list[dict]]:
    """The worker's measures if they are unavailable, with the proposed waarnemer."""
    _snap, _day, worker = worker_context(viewer, params)
    return uitval_table(viewer, params, Filters(medewerker_id=worker or ""))


register_export(
    "gesprek_termijnen", attention_table, ROLES, "Verlopen en binnenkort verlopende termijnen"
)
register_export("gesprek_zonder_contact", niet_gezien_table, ROLES, "Jeugdige langer niet gezien")
register_export("gesprek_verlenging", verlenging_table, ROLES, "Verlenging voorbereiden")
register_export(
    "gesprek_plannen", plan_table, ROLES, "Plan van aanpak ouder dan de evaluatietermijn"
)
register_export(
    "gesprek_voogdij",
    voogdij_table,
    ROLES,
    "Voogdij: minder dan 4 contacten met de jeugdige per jaar",
)
register_export("gesprek_maatregelen", measures_table, ROLES, "Alle actieve maatregelen")
register_export("gesprek_uitval", uitval_rows, ROLES, "Maatregelen bij uitval")


@w.guarded
def gesprek_uitval(viewer: Viewer, params: dict):
    """Only when the worker is unavailable: a returning worker's talk starts from it."""
    _snap, _day, worker = worker_context(viewer, params)
    f = Filters(medewerker_id=worker or "")
    if uitval_table(viewer, params, f)[0].height == 0:
        return html.Div()
    return uitval_section(viewer, params, PAGE, "gesprek_uitval", f)


@w.guarded
def tiles(viewer: Viewer, params: dict):
    snap, day, worker = worker_context(viewer, params)
    cfg = data.config()
    row = data.staff_caseload(snap, viewer, day).filter(pl.col("medewerker_id") == worker)
    talk = persoonstermijnen(snap, viewer, day, cfg, data.gesprekken()).filter(
        (pl.col("medewerker_id") == worker) & (pl.col("norm").cast(pl.String) == "caseloadgesprek")
    )
    vorige = vorige_gesprek(snap, data.gesprekken(), worker, day)
    talk_sub, talk_status = None, None
    if talk.height:
        t = talk.row(0, named=True)
        talk_status = "verlopen" if t["status"] == "verlopen" else None
        talk_sub = f"volgende uiterlijk {w.fmt_date(t['deadline'])}"
    n = {k: waarde(k, snap, viewer, day, cfg, Filters(medewerker_id=worker)) for k in TEGELS}
    verlopen = n["verlopen_termijnen"]

    def tile(key: str, label: str, tile_id: str, **extra) -> html.Div:
        return w.kpi_tile(label, w.fmt_figuur(key, n[key]), tile_id=tile_id, figuur=key, **extra)

    out = []
    if row.height:
        r = row.row(0, named=True)
        out += [
            tile("caseload_actief", "Actieve maatregelen", "tegel-actief"),
            tile(
                "caseload_gewogen",
                "Gewogen caseload",
                "tegel-gewogen",
                sub=f"norm {w.fmt_figuur('caseload_norm', n['caseload_norm'])} "
                f"({w.fmt_number(r['fte'], 2)} fte)",
                status="boven_norm" if r["boven_norm"] else "binnen_norm",
            ),
            tile("caseload_ruimte", "Ruimte", "tegel-ruimte"),
        ]
    out += [
        tile(
            "verlopen_termijnen",
            "Verlopen termijnen",
            "tegel-verlopen",
            status="verlopen" if verlopen else "tijdig",
            badge=None if verlopen else "Geen",
        ),
        tile(
            "alleen_gezien_laatst",
            "Jeugdige alleen gezien",
            "tegel-alleen-gezien",
            sub=f"van {w.fmt_figuur('caseload_actief', n['caseload_actief'])} maatregelen, bij "
            "de laatste keer dat de jeugdige is gezien",
        ),
        w.kpi_tile(
            "Vorig caseloadgesprek",
            w.fmt_date(vorige) if vorige else "Geen",
            sub=talk_sub,
            status=talk_status,
            tile_id="tegel-vorig-gesprek",
        ),
    ]
    return w.tiles(*out)


def gesprek_sections(params: dict) -> list[tuple]:
    """The talk's tables as (build, table, title, empty, intro), for the screen and the PDF."""
    n = weken(params)
    weken_signaal = data.config().einde_gepland_signaal_weken
    return [
        (
            attention_table, "gesprek_termijnen", "Verlopen en binnenkort verlopende termijnen",
            "Geen verlopen of binnenkort verlopende termijnen",
            f"Verlopen, of uiterlijk over {BINNENKORT_GESPREK} werkdagen.",
        ),
        (
            niet_gezien_table, "gesprek_zonder_contact",
            f"Jeugdige niet gezien in de laatste {n} weken",
            f"Alle jeugdigen gezien in de laatste {n} weken",
            "Gezien: face-to-face contact met de jeugdige (een contact met alleen een ouder "
            "telt niet). Nooit gezien bovenaan.",
        ),
        (
            verlenging_table, "gesprek_verlenging", "Verlenging voorbereiden",
            f"Geen maatregelen die binnen {weken_signaal} weken eindigen",
            f"Het geplande einde valt binnen {weken_signaal} weken: tijd om een verlenging "
            "of de afsluiting voor te bereiden. Een signaal, geen termijn.",
        ),
        (
            plan_table, "gesprek_plannen", "Plan van aanpak ouder dan de evaluatietermijn",
            "Geen plannen over de evaluatietermijn",
            "JB: 12 maanden, JR: 6 maanden na het laatste plan.",
        ),
        (
            voogdij_table, "gesprek_voogdij",
            "Voogdij: minder dan 4 contacten met de jeugdige per jaar",
            "Alle voogdijmaatregelen halen het aantal contacten", None,
        ),
        (
            measures_table, "gesprek_maatregelen", "Alle actieve maatregelen",
            "Geen actieve maatregelen", None,
        ),
    ]  # fmt: skip


@w.guarded
def body(viewer: Viewer, params: dict):
    _snap, _day, worker = worker_context(viewer, params)
    if worker is None:
        return w.empty_state("Geen jeugdzorgwerker om het gesprek over te voeren")
    section = partial(w.grid_section, PAGE)
    return html.Div(
        [
            tiles(viewer, params),
            gesprek_uitval(viewer, params),
            gesprek_vastleggen.section(viewer, params),
            *(section(viewer, params, *s) for s in gesprek_sections(params)),
        ]
    )


def document(viewer: Viewer, params: dict) -> tuple[bytes, int]:
    """The talk as an A4 PDF: the tiles' figures, every table in full, ruled lines for the
    afspraken; (PDF, rows it holds)."""
    snap, day, worker = worker_context(viewer, params)
    if worker is None:
        blocks: list[pdf.Blok] = [pdf.Tekst("Geen jeugdzorgwerker om het gesprek over te voeren")]
        return pdf.render(pdf.Document("Caseloadgesprek", day, blocks)), 0
    naam = snap["medewerkers"].filter(pl.col("medewerker_id") == worker)["naam"].first()
    cfg, f = data.config(), Filters(medewerker_id=worker)
    vorige = vorige_gesprek(snap, data.gesprekken(), worker, day)
    figures = [
        (figuur(k).naam, w.fmt_figuur(k, waarde(k, snap, viewer, day, cfg, f))) for k in TEGELS
    ]
    figures.append(("Vorig caseloadgesprek", w.fmt_date(vorige) if vorige else "Geen"))
    blocks = [pdf.Kop("Cijfers"), pdf.Tabel(("Cijfer", "Waarde"), figures, frozenset({1}))]
    uitval_df, uitval_columns = uitval_rows(viewer, params)
    tables = [(uitval_df, uitval_columns, "Maatregelen bij uitval", "", UITVAL_INTRO)
              ] if uitval_df.height else []  # fmt: skip
    for build, _table, title, empty, intro in gesprek_sections(params):
        df, columns = build(viewer, params)
        tables.append((df, columns, title, empty, intro))
    for df, columns, title, empty, intro in tables:
        blocks.append(pdf.Kop(title))
        if intro:
            blocks.append(pdf.Tekst(intro, klein=True))
        blocks.append(w.document_table(df, columns, empty))
    blocks += [
        pdf.Kop("Afspraken"),
        pdf.Tekst("Geen namen van kinderen of ouders; maatregelen met hun nummer.", klein=True),
        pdf.Lijnen(12, ("Afspraak", "Wie", "Uiterlijk")),
        pdf.Kop("Notities"),
        pdf.Lijnen(6),
    ]
    doc = pdf.Document(
        f"Caseloadgesprek met {naam}",
        day,
        blocks,
        onderwerp=f"Jeugdzorgwerker {naam} ({worker}) · peildatum {w.fmt_date(day)} · "
        f"gegevens uit de export van {w.fmt_date(snap.export_date)}",
    )
    return pdf.render(doc), sum(t[0].height for t in tables)


register_document("gesprek_document", document, ROLES)


@w.guarded
def slicers(viewer: Viewer, params: dict):
    snap = data.snapshot()
    day = data.as_of(params, snap)
    return w.slicer_bar(
        w.dropdown_slicer(
            f"{PAGE}-medewerker",
            "Jeugdzorgwerker",
            data.worker_options(snap, viewer, day),
            data.resolve_worker(snap, viewer, day, params),
        ),
        w.peildatum_slicer(PAGE, day, snap.export_date),
        w.slicer(
            "Jeugdige niet gezien in de laatste (weken)",
            dcc.Input(
                id=f"{PAGE}-weken", type="number", min=1, max=52, step=1, value=weken(params)
            ),
        ),
        w.document_button("gesprek_document"),
    )


def resolved(viewer: Viewer, params: dict) -> dict:
    _snap, day, worker = worker_context(viewer, params)
    return {"peildatum": day.isoformat(), "medewerker": worker, "weken": weken(params)}


def _valid(params: dict) -> bool:
    return data.peildatum_usable(params) and bool(params["weken"])


layout, STATE = slicer_page(
    PAGE,
    PATH,
    ROLES,
    "Caseloadgesprek",
    ("medewerker", "peildatum", "weken"),
    slicers,
    body,
    resolved,
    valid=_valid,
)

gesprek_vastleggen.register(PAGE, ROLES)
