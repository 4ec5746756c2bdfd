"""The report as sent, on the Voortgangsrapportage: the toelichting per section and the button
that vaststelt, the list of vastgestelde versions with their files, and a version's Samenvatting
beside the previous one's. The page's callbacks build the report; queries.rapportversies checks
who may vaststellen or read."""

import json

import polars as pl
from dash import dcc, html

from dashboard import data
from dashboard.components import widgets as w
from dashboard.components.cijfers import fmt_figuur, fmt_verschil
from queries.rapportversies import MAX_TOELICHTING, SECTIES, vergelijking, versies
from queries.scope import Viewer

VERSIE_COLUMNS = [
    w.column("versie", "Versie", maxWidth=100),
    w.column("peildatum", "Peildatum", w.DATE),
    w.column("vastgesteld_door", "Vastgesteld door"),
    w.column("tijdstip", "Vastgesteld op (UTC)"),
    w.column("toelichting", "Toelichting", minWidth=320, flex=3, wrapText=True, autoHeight=True,
             tooltipField="toelichting"),
]  # fmt: skip
VERGELIJKING_COLUMNS = [
    w.column("Cijfer", "Cijfer", minWidth=260, flex=2),
    w.column("Waarde", "Deze versie", type="rightAligned"),
    w.column("Vorige versie", "Vorige versie", type="rightAligned"),
    w.column("Verschil", "Verschil", type="rightAligned"),
]


def vaststel_section(page: str, titles: dict[str, str]) -> html.Section:
    """The toelichting per section and the button that vaststelt the report as shown."""
    fields = [
        w.slicer(
            titles[key],
            dcc.Textarea(
                id=f"{page}-toelichting-{i}",
                maxLength=MAX_TOELICHTING,
                placeholder="Toelichting (optioneel)",
                style={"width": "100%", "minHeight": "3em"},
            ),
            wide=True,
        )
        for i, key in enumerate(SECTIES)
    ]
    return html.Section(
        [
            html.H2("Vaststellen"),
            html.P(
                "MT stelt het rapport vast zoals het hierboven staat (peildatum, trend en "
                "cohort). De app bewaart die versie: de PDF, het Excel-bestand en de cijfers van "
                "de Samenvatting, die bij een nieuwe lading niet meer veranderen. Toelichting "
                "per sectie, optioneel; geen namen van kinderen of ouders.",
                className="card-intro",
            ),
            *fields,
            html.Button("Vaststellen", id=f"{page}-vaststellen", className="button"),
            html.Div(id=f"{page}-vaststelling-melding", **{"aria-live": "polite"}),
        ],
        className="card",
        id=f"{page}-sectie-vaststellen",
    )


def notes_text(raw: str, titles: dict[str, str]) -> str:
    notes = json.loads(raw)
    return " · ".join(f"{titles.get(k, k)}: {v}" for k, v in notes.items()) or "–"


def version_id(value) -> int | None:
    """The chosen version's id; None for nothing chosen or anything a browser cannot send."""
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def comparison(page: str, viewer: Viewer, versie):
    """A version's frozen Samenvatting beside the previous vastgestelde version's."""
    versie = version_id(versie)
    if versie is None:
        return html.Div()
    frame, before = vergelijking(data.engine(), viewer, versie)
    shown = pl.DataFrame(
        [
            {
                "Cijfer": r["Cijfer"],
                "Waarde": fmt_figuur(r["kpi"], r["Waarde"]),
                "Vorige versie": fmt_figuur(r["kpi"], r["Vorige versie"]),
                "Verschil": fmt_verschil(r["kpi"], r["Verschil"]),
            }
            for r in frame.iter_rows(named=True)
        ],
        schema={c["field"]: pl.String for c in VERGELIJKING_COLUMNS},
    )
    intro = (
        f"De Samenvatting van versie {versie} zoals vastgesteld, naast vastgestelde versie "
        f"{before} ervoor."
        if before is not None
        else f"De Samenvatting van versie {versie} zoals vastgesteld; er is geen eerdere versie."
    )
    return html.Div(
        [
            html.P(intro, className="card-intro"),
            w.data_grid(f"{page}-vergelijking", shown, VERGELIJKING_COLUMNS, "Geen cijfers"),
        ]
    )


@w.guarded
def versions_section(page: str, viewer: Viewer, titles: dict[str, str]) -> html.Section:
    """The vastgestelde versions, newest first, with the files and comparison of the chosen."""
    df = versies(data.engine(), viewer)
    rows = df.select(
        pl.col("id").cast(pl.String).alias("versie"),
        "peildatum",
        "vastgesteld_door",
        pl.col("tijdstip").dt.strftime("%d-%m-%Y %H:%M").alias("tijdstip"),
        pl.col("toelichting")
        .map_elements(lambda raw: notes_text(raw, titles), pl.String)
        .alias("toelichting"),
    )
    options = [
        {"label": f"Versie {r['id']}, peildatum {w.fmt_date(r['peildatum'])}", "value": r["id"]}
        for r in df.iter_rows(named=True)
    ]
    newest = options[0]["value"] if options else None
    return html.Section(
        [
            html.H2("Vastgestelde versies"),
            w.data_grid(
                f"{page}-versies-tabel", rows, VERSIE_COLUMNS, "Nog geen versie vastgesteld"
            ),
            w.slicer(
                "Versie",
                dcc.Dropdown(id=f"{page}-versie", options=options, value=newest, clearable=False),
            ),
            html.Div(
                [
                    html.Button(
                        "⬇ PDF",
                        id=f"{page}-versie-pdf",
                        className="button",
                        disabled=newest is None,
                    ),
                    html.Button(
                        "⬇ Excel",
                        id=f"{page}-versie-excel",
                        className="button button-secondary",
                        disabled=newest is None,
                    ),
                ],
                className="export-buttons",
            ),  # fmt: skip
            html.Div(id=f"{page}-versie-melding", **{"aria-live": "polite"}),
            html.Div(comparison(page, viewer, newest), id=f"{page}-versie-vergelijking"),
            dcc.Download(id=f"{page}-versie-download"),
        ],
        className="card",
        id=f"{page}-sectie-versies",
    )
