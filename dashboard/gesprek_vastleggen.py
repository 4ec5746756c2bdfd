"""The caseloadgesprek recorded on its page: the form, what changed since the previous talk,
the afspraken with their status and the notes of earlier talks. queries.gesprekken decides
who may record and read; this module only draws what it is given."""

from datetime import date, timedelta

import polars as pl
from dash import Input, Output, State, dcc, html, no_update

from dashboard import data, session
from dashboard.components import guard
from dashboard.components import widgets as w
from dashboard.components.exports import register_export
from dashboard.components.pagestate import location_id
from dashboard.components.slicers import DATE_DISPLAY_FORMAT
from dashboard.context import worker_context
from dashboard.urlstate import parse_search
from dashboard.viewer import current_viewer
from queries.afspraken import AFGEROND, OPEN, VERLOPEN
from queries.afspraken import SCHEMA as AFSPRAAK_SCHEMA
from queries.figuren import waarde
from queries.figuur import Filters
from queries.gebruikers import Account, utcnow
from queries.gesprekken import (
    MAX_AFSPRAAK,
    MAX_NOTITIE,
    MAX_NOTITIE_MAATREGEL,
    Afspraak,
    Gesprek,
    GesprekGeweigerd,
    afspraak_cijfers,
    afspraken_van,
    eigenaren,
    leg_vast,
    maatregelen_op,
    mag_lezen,
    mag_vastleggen,
    verslagen,
    vorige_gesprek,
)
from queries.scope import Viewer
from queries.snapshot import Snapshot

PREFIX = "gesprek"
N_NOTITIES = 3
N_AFSPRAKEN = 4
# Who reads notes and afspraken (queries.gesprekken checks the person too).
LEZERS = ("jeugdzorgwerker", "praktijkbegeleider", "teammanager", "manager")
GEEN_NAMEN = "Geen namen van kinderen of ouders: verwijs naar een maatregel met zijn nummer."
STATUS_KEYS = {OPEN: "open", VERLOPEN: "verlopen", AFGEROND: "tijdig"}
STATUS_LABELS = {OPEN: "● Open", VERLOPEN: "✖ Verlopen", AFGEROND: "✔ Afgerond"}
AFSPRAAK_COLUMNS = [
    w.column("status_label", "Status", w.STATUS, maxWidth=140),
    w.column("omschrijving", "Afspraak", minWidth=260, tooltipField="omschrijving"),
    w.column("eigenaar", "Wie"),
    w.column("maatregel_id", "Maatregel", maxWidth=150),
    w.column("gesprek_datum", "Gesprek", w.DATE, maxWidth=140),
    w.column("deadline", "Klaar op", w.DATE, maxWidth=140),
    w.column("afgerond_op", "Afgerond op", w.DATE, maxWidth=140),
]


def afspraak_rows(snap: Snapshot, frame: pl.DataFrame) -> pl.DataFrame:
    """afspraken_van's rows with the owner's name and the Dutch status."""
    names = snap["medewerkers"].select("medewerker_id", pl.col("naam").alias("eigenaar"))
    gone = pl.col("maatregel_id").is_not_null() & ~pl.col("maatregel_id").is_in(
        snap["maatregelen"]["maatregel_id"].implode()
    )
    return (
        frame.join(names, on="medewerker_id", how="left")
        .with_columns(
            # The app's own records outlive the export: say so rather than drop them.
            pl.col("eigenaar").fill_null(pl.col("medewerker_id") + " (niet meer in de export)"),
            pl.when(gone)
            .then(pl.col("maatregel_id") + " (niet meer in de export)")
            .otherwise(pl.col("maatregel_id"))
            .alias("maatregel_id"),
            pl.col("status").replace_strict(STATUS_KEYS).alias("status_key"),
            pl.col("status").replace_strict(STATUS_LABELS).alias("status_label"),
        )
        .sort(pl.col("status") == AFGEROND, "deadline", "afspraak_id")
    )


def gesprek_afspraken(viewer: Viewer, params: dict) -> tuple[pl.DataFrame, list[dict]]:
    """The afspraken of the worker's talks as of the peildatum; nothing (and the refusal in the
    audit log) for a viewer who may not read them."""
    snap, day, worker = worker_context(viewer, params)
    empty = afspraak_rows(snap, pl.DataFrame(schema=AFSPRAAK_SCHEMA | {"status": pl.String}))
    if worker is None:
        return empty, AFSPRAAK_COLUMNS
    try:
        frame = afspraken_van(data.engine(), snap, viewer, worker, day)
    except GesprekGeweigerd:
        return empty, AFSPRAAK_COLUMNS
    return afspraak_rows(snap, frame), AFSPRAAK_COLUMNS


register_export("gesprek_afspraken", gesprek_afspraken, LEZERS[1:])


def _talk_block(talk: dict, notes: pl.DataFrame) -> html.Article:
    mine = notes.filter(pl.col("gesprek_id") == talk["gesprek_id"])
    items = [
        html.Li([html.Strong(f"{m}: "), text])
        for m, text in mine.select("maatregel_id", "notitie").rows()
    ]
    return html.Article(
        [
            html.H3(f"Gesprek van {w.fmt_date(talk['datum'])}"),
            html.P(f"Vastgelegd door {talk['vastgelegd_door']}", className="card-intro"),
            html.P(talk["notitie"] or "Geen algemene notitie.", className="gesprek-notitie"),
            html.Ul(items) if items else html.Div(),
        ],
        className="gesprek-verslag",
    )


def verslagen_section(snap: Snapshot, viewer: Viewer, worker: str, day: date) -> html.Section:
    talks, notes = verslagen(data.engine(), snap, viewer, worker, day)
    if talks.height == 0:
        return w.section(
            "Eerdere gesprekken in de app",
            w.empty_state("Nog geen caseloadgesprek in de app vastgelegd"),
            section_id=f"{PREFIX}-verslagen",
        )
    blocks = [_talk_block(t, notes) for t in talks.iter_rows(named=True)]
    return w.section("Eerdere gesprekken in de app", *blocks, section_id=f"{PREFIX}-verslagen")


def veranderd_section(snap: Snapshot, viewer: Viewer, worker: str, day: date) -> html.Section:
    """What changed since the previous talk (export or app, before the peildatum: a talk on
    the peildatum is the one being held): the caseload, overdue deadlines, afspraken done since
    and still open; registered figures only."""
    cfg = data.config()
    vorige = vorige_gesprek(snap, data.gesprekken(), worker, day - timedelta(days=1))
    f = Filters(medewerker_id=worker)
    afspraken = afspraak_cijfers(data.engine(), worker, day, vorige)

    def then_now(key: str, label: str) -> html.Div:
        now = waarde(key, snap, viewer, day, cfg, f)
        sub = None
        if vorige is not None:
            before = waarde(key, snap, viewer, vorige, cfg, f)
            sub = f"bij het vorige gesprek: {w.fmt_figuur(key, before)}"
        return w.figuur_tile(key, now, label, sub=sub)

    verlopen = afspraken["afspraken_verlopen"]
    tiles = w.tiles(
        then_now("caseload_actief", "Actieve maatregelen nu"),
        then_now("verlopen_termijnen", "Verlopen termijnen nu"),
        w.figuur_tile(
            "afspraken_afgerond_sinds",
            afspraken["afspraken_afgerond_sinds"],
            "Afspraken afgerond sinds het vorige gesprek",
        ),  # fmt: skip
        w.figuur_tile(
            "afspraken_open",
            afspraken["afspraken_open"],
            "Afspraken nog open",
            sub=f"waarvan {w.fmt_figuur('afspraken_verlopen', verlopen)} verlopen",
            status="verlopen" if verlopen else None,
        ),
    )
    intro = (
        f"Vergeleken met het vorige caseloadgesprek op {w.fmt_date(vorige)}."
        if vorige
        else "Nog geen eerder caseloadgesprek: de stand op de peildatum."
    )
    return w.section(
        "Sinds het vorige gesprek",
        html.P(intro, className="card-intro"),
        tiles,
        section_id=f"{PREFIX}-veranderd",
    )


def overzicht(viewer: Viewer, params: dict) -> list:
    """What changed, the afspraken and the notes, as far as the viewer may read them."""
    snap, day, worker = worker_context(viewer, params)
    if worker is None:
        return []
    out: list = [veranderd_section(snap, viewer, worker, day)]
    if not mag_lezen(snap, viewer, worker):
        out.append(
            w.section(
                "Afspraken en notities",
                w.empty_state(
                    "Notities en afspraken zijn alleen zichtbaar voor de medewerker, diens "
                    "praktijkbegeleider, de teammanager van het team en MT."
                ),
            )
        )
        return out
    df, columns = gesprek_afspraken(viewer, params)
    grid = w.data_grid(f"{PREFIX}-afspraken", df, columns, "Nog geen afspraken vastgelegd")
    out += [
        w.table_section(
            "Afspraken uit caseloadgesprekken",
            "gesprek_afspraken",
            grid,
            intro="Met hun stand op de peildatum: open, verlopen of afgerond. Afspraken tellen "
            "in geen termijncijfer.",
        ),
        verslagen_section(snap, viewer, worker, day),
    ]
    return out


def _measure_options(snap: Snapshot, worker: str, day: date) -> list[dict]:
    return [{"label": m, "value": m} for m in maatregelen_op(snap, worker, day)]


def _date_picker(component_id: str, label: str, value: date | None) -> html.Div:
    return w.slicer(
        label,
        dcc.DatePickerSingle(
            id=component_id,
            date=value.isoformat() if value else None,
            min_date_allowed=data.EARLIEST_DATE.isoformat(),
            display_format=DATE_DISPLAY_FORMAT,
            month_format="MMMM YYYY",
            first_day_of_week=1,
            show_outside_days=False,
            placeholder=f"{label} (dd-mm-jjjj)",
        ),
    )


def _text(component_id: str, label: str, limit: int, area: bool = False) -> html.Div:
    control = (
        dcc.Textarea(id=component_id, maxLength=limit, style={"width": "100%", "minHeight": 80})
        if area
        else dcc.Input(id=component_id, type="text", maxLength=limit, style={"width": "100%"})
    )
    return w.slicer(label, control, wide=True)


def _owner_options(snap: Snapshot, worker: str) -> list[dict]:
    names = dict(snap["medewerkers"].select("medewerker_id", "naam").rows())
    return [{"label": names.get(m, m), "value": m} for m in eigenaren(snap, worker)]


def form_fields(snap: Snapshot, worker: str, day: date) -> list:
    """The form's controls, empty, the talk's date on the peildatum."""
    measures = _measure_options(snap, worker, day)
    owners = _owner_options(snap, worker)
    notes = [
        html.Div(
            [
                w.slicer(f"Notitie {i}: maatregel", dcc.Dropdown(
                    id=f"{PREFIX}-notitie-{i}-maatregel", options=measures,
                    placeholder="Kies een maatregel")),
                _text(f"{PREFIX}-notitie-{i}-tekst", f"Notitie {i}", MAX_NOTITIE_MAATREGEL),
            ],
            className="gesprek-rij gesprek-rij-notitie",
        )
        for i in range(1, N_NOTITIES + 1)
    ]  # fmt: skip
    rows = [
        html.Div(
            [
                _text(f"{PREFIX}-afspraak-{i}-tekst", f"Afspraak {i}", MAX_AFSPRAAK),
                w.slicer(f"Afspraak {i}: wie", dcc.Dropdown(
                    id=f"{PREFIX}-afspraak-{i}-eigenaar", options=owners, value=worker,
                    clearable=False)),
                _date_picker(f"{PREFIX}-afspraak-{i}-deadline", f"Afspraak {i}: klaar op", None),
                w.slicer(f"Afspraak {i}: maatregel (optioneel)", dcc.Dropdown(
                    id=f"{PREFIX}-afspraak-{i}-maatregel", options=measures,
                    placeholder="Geen")),
            ],
            className="gesprek-rij gesprek-rij-afspraak",
        )
        for i in range(1, N_AFSPRAKEN + 1)
    ]  # fmt: skip
    return [
        html.P(GEEN_NAMEN, className="card-intro", id=f"{PREFIX}-geen-namen"),
        html.Div(
            [_date_picker(f"{PREFIX}-datum", "Datum van het gesprek", day)], className="slicer-bar"
        ),  # fmt: skip
        _text(f"{PREFIX}-notitie", "Algemene notitie", MAX_NOTITIE, area=True),
        html.H3("Notities per maatregel"),
        *notes,
        html.H3("Afspraken"),
        html.P(
            "Een afspraak heeft een omschrijving, wie hem uitvoert (de medewerker of de "
            "praktijkbegeleider) en de datum waarop hij klaar moet zijn. Lege regels tellen niet.",
            className="card-intro",
        ),
        *rows,
        html.Button("Gesprek vastleggen", id=f"{PREFIX}-vastleggen", className="button"),
    ]


def form_section(viewer: Viewer, params: dict) -> html.Div:
    """The form, for whoever may record a talk with this worker; never printed."""
    snap, day, worker = worker_context(viewer, params)
    if worker is None or not mag_vastleggen(snap, viewer, worker):
        return html.Div()
    form = w.section(
        "Gesprek vastleggen",
        html.Div(form_fields(snap, worker, day), id=f"{PREFIX}-formulier"),
        html.Div(id=f"{PREFIX}-melding", role="status"),
        section_id=f"{PREFIX}-vastleggen-sectie",
    )
    return html.Div(form, className="no-print")


def section(viewer: Viewer, params: dict) -> html.Div:
    """The page's part: the form and the overview the form refreshes."""
    return html.Div(
        [
            form_section(viewer, params),
            html.Div(overzicht(viewer, params), id=f"{PREFIX}-overzicht"),
        ]
    )


def _day(text) -> date | None:
    return data.parse_date(text) if isinstance(text, str) else None


def gesprek_uit(worker: str, datum, notitie, notes: list, rows: list) -> Gesprek:
    """The form's values as a Gesprek; a half-filled row stays in, for the check to name it."""
    day = _day(datum)
    if day is None:
        raise ValueError("kies de datum van het gesprek")
    notities: dict[str, str] = {}
    for maatregel, tekst in zip(notes[::2], notes[1::2], strict=True):
        if maatregel and (tekst or "").strip():
            notities[str(maatregel)] = str(tekst)
        elif (tekst or "").strip():
            raise ValueError("kies bij elke notitie per maatregel de maatregel")
    afspraken = []
    for n, (tekst, eigenaar, deadline, maatregel) in enumerate(
        zip(rows[::4], rows[1::4], rows[2::4], rows[3::4], strict=True), start=1
    ):
        if not (tekst or "").strip() and not deadline:
            continue
        due = _day(deadline)
        if due is None:
            raise ValueError(f"afspraak {n} heeft geen datum waarop hij klaar moet zijn")
        afspraken.append(Afspraak(str(tekst or ""), str(eigenaar or ""), due, maatregel or None))
    return Gesprek(worker, day, notitie, notities, tuple(afspraken))


def record(account: Account | None, params: dict, values: tuple) -> tuple[html.Div, bool]:
    """Record the form's talk for the URL's worker; the message and whether it was recorded."""
    if account is None:
        return w.message_box("U bent niet meer ingelogd."), False
    snap, day, resolved = worker_context(account.viewer, params)
    # The URL's worker, not a fallback: leg_vast refuses (and logs) a worker out of reach.
    worker = params.get("medewerker") or resolved
    if not worker:
        return w.message_box("Geen jeugdzorgwerker gekozen."), False
    datum, notitie, *rest = values
    notes, rows = rest[: 2 * N_NOTITIES], rest[2 * N_NOTITIES :]
    try:
        gesprek = gesprek_uit(str(worker), datum, notitie, notes, rows)
        leg_vast(data.engine(), snap, account, gesprek, at=utcnow())
    except (GesprekGeweigerd, ValueError) as exc:
        return w.message_box(f"Niet vastgelegd: {exc}."), False
    data.forget_gesprekken()
    later = (
        f" Het gesprek valt na de peildatum ({w.fmt_date(day)}) en staat op de pagina vanaf "
        "een peildatum op of na de gespreksdatum."
        if gesprek.datum > day
        else ""
    )
    afspraken = w.plural(len(gesprek.afspraken), "afspraak", "afspraken")
    text = f"Vastgelegd: caseloadgesprek van {w.fmt_date(gesprek.datum)} met {afspraken}.{later}"
    return w.message_box(text, "info"), True


FORM_STATES = [
    State(f"{PREFIX}-datum", "date"),
    State(f"{PREFIX}-notitie", "value"),
    *(
        State(f"{PREFIX}-notitie-{i}-{part}", "value")
        for i in range(1, N_NOTITIES + 1)
        for part in ("maatregel", "tekst")
    ),
    *(
        State(f"{PREFIX}-afspraak-{i}-{part}", prop)
        for i in range(1, N_AFSPRAKEN + 1)
        for part, prop in (
            ("tekst", "value"),
            ("eigenaar", "value"),
            ("deadline", "date"),
            ("maatregel", "value"),
        )
    ),  # fmt: skip
]


def register(page: str, roles: tuple[str, ...]) -> None:
    """The page's callback recording the talk: the session's account records, the worker is
    the URL's."""

    @guard.page_callback(
        roles,
        Output(f"{PREFIX}-melding", "children"),
        Output(f"{PREFIX}-overzicht", "children"),
        Output(f"{PREFIX}-formulier", "children"),
        Input(f"{PREFIX}-vastleggen", "n_clicks"),
        *FORM_STATES,
        State(location_id(page), "search"),
        prevent_initial_call=True,
    )
    def on_record(n_clicks, *values):
        if not n_clicks:
            return no_update, no_update, no_update
        *form, search = values
        account = session.current_account()
        params = parse_search(search)
        message, done = record(account, params, tuple(form))
        viewer = account.viewer if account is not None else current_viewer()
        if not done:
            return message, no_update, no_update
        snap, day, worker = worker_context(viewer, params)
        fresh = form_fields(snap, worker, day) if worker else no_update
        return message, overzicht(viewer, params), fresh
