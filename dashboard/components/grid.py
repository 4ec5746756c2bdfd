"""Tables: Dutch ag-grid columns and grids, their cards with export buttons, export frames."""

from collections.abc import Callable

import dash_ag_grid as dag
import polars as pl
from dash import html

from dashboard.components.formats import fmt_number
from dashboard.components.meldingen import empty_state, guarded
from dashboard.components.theme import THEME
from dashboard.pdf import Tabel, cell_text

LOCALE_TEXT = {
    "page": "Pagina",
    "more": "Meer",
    "to": "tot",
    "of": "van",
    "next": "Volgende",
    "last": "Laatste",
    "first": "Eerste",
    "previous": "Vorige",
    "loadingOoo": "Laden...",
    "noRowsToShow": "Geen rijen om te tonen",
    "pageSizeSelectorLabel": "Rijen per pagina:",
    "ariaPageSizeSelectorLabel": "Rijen per pagina",
    "firstPage": "Eerste pagina",
    "lastPage": "Laatste pagina",
    "nextPage": "Volgende pagina",
    "previousPage": "Vorige pagina",
    "selectAll": "(Alles selecteren)",
    "searchOoo": "Zoeken...",
    "blanks": "(Leeg)",
    "filterOoo": "Filteren...",
    "applyFilter": "Toepassen",
    "resetFilter": "Herstellen",
    "clearFilter": "Wissen",
    "cancelFilter": "Annuleren",
    "equals": "Is gelijk aan",
    "notEqual": "Is niet gelijk aan",
    "blank": "Leeg",
    "notBlank": "Niet leeg",
    "empty": "Kies een",
    "lessThan": "Kleiner dan",
    "greaterThan": "Groter dan",
    "lessThanOrEqual": "Kleiner dan of gelijk aan",
    "greaterThanOrEqual": "Groter dan of gelijk aan",
    "inRange": "Tussen",
    "inRangeStart": "van",
    "inRangeEnd": "tot",
    "contains": "Bevat",
    "notContains": "Bevat niet",
    "startsWith": "Begint met",
    "endsWith": "Eindigt op",
    "dateFormatOoo": "dd-mm-jjjj",
    "andCondition": "EN",
    "orCondition": "OF",
    "before": "Voor",
    "after": "Na",
    "columns": "Kolommen",
    "filters": "Filters",
    "pinColumn": "Kolom vastzetten",
    "pinLeft": "Links vastzetten",
    "pinRight": "Rechts vastzetten",
    "noPin": "Niet vastzetten",
    "autosizeThisColumn": "Deze kolom passend maken",
    "autosizeAllColumns": "Alle kolommen passend maken",
    "resetColumns": "Kolommen herstellen",
    "sortAscending": "Oplopend sorteren",
    "sortDescending": "Aflopend sorteren",
    "sortUnSort": "Sortering wissen",
    "copy": "Kopiëren",
    "ariaFilterInput": "Filterinvoer",
    "ariaFilteringOperator": "Filteroperator",
    "ariaSearch": "Zoeken",
    "ariaSearchFilterValues": "Filterwaarden zoeken",
    "ariaColumnFiltersLabel": "Kolomfilters",
    "ariaSortableColumn": "Druk op Enter om te sorteren",
    "ariaMenuColumn": "Druk op Alt+pijl omlaag voor het kolommenu",
    "ariaFilterMenuOpen": "Filtermenu openen",
    "ariaRowSelect": "Druk op spatie om deze rij te selecteren",
    "ariaLabelColumnMenu": "Kolommenu",
    "ariaLabelDialog": "Dialoogvenster",
    "ariaLabelRichSelectField": "Keuzeveld",
    "ariaLabelSelectField": "Keuzeveld",
    "true": "Ja",
    "false": "Nee",
}

DATE = "date"
NUMBER = "number"
PCT = "pct"
TEXT = "text"
LINK = "link"
STATUS = "status"
# The kinds whose text can be longer than its column is wide.
WRAPPED = (TEXT, LINK, STATUS)
# Characters sure to fit the narrowest column (minWidth 110 px) on one line.
ONE_LINE = 10


EXPORT_FIELD = "exportField"
# The decimals a number column shows, so an export writes the same figure; not for the grid.
EXPORT_DECIMALS = "exportDecimals"
# The unit a number column writes after it ("%"), for documents that print the cell as text.
EXPORT_SUFFIX = "exportSuffix"
# code -> label of a column whose frame holds codes: grid and export show the label.
LABELS = "labels"
# A longer table is cut on screen: the browser holds every row it is sent, and an MT list
# of the whole sector (21k children not seen lately) would take seconds to send and draw.
# Ten pages of 25; at 1,000 rows Organisatie's three long lists made its answer 1.9 MB.
SCREEN_ROWS = 250
SERVER_ONLY = (EXPORT_FIELD, EXPORT_DECIMALS, EXPORT_SUFFIX, LABELS)


def column(
    field: str,
    header: str,
    kind: str = TEXT,
    decimals: int = 0,
    status_key: str = "status_key",
    href_field: str | None = None,
    labels: dict[str, str] | None = None,
    **extra,
) -> dict:
    """An ag-grid column: Dutch header, Dutch formats, a matching filter.

    A STATUS column colours its cell by the row's status_key field (a THEME["status"] key);
    a LINK column links its text to the address in the row's href_field, moving within the
    app on a plain click. With labels, the column's codes are shown as their labels. LINK and
    STATUS columns are pinned left: what a user acts on stays in view when the grid scrolls.
    """
    col = {
        "field": field,
        "headerName": header,
        "headerTooltip": extra.pop("headerTooltip", header),
    }
    if kind in WRAPPED:
        # Names wrap instead of being cut ("Team Noo…"); the row grows to hold them. Only
        # here: the grid measures every auto-height cell, which cost MT's national pages
        # about a second of Chromium's time when numbers and dates were measured too.
        col.update(wrapText=True, autoHeight=True)
    if kind == DATE:
        col.update(
            valueFormatter={"function": "datumNL(params.value)"},
            filter="agTextColumnFilter",
            minWidth=120,
        )
    elif kind in (NUMBER, PCT):
        suffix = "%" if kind == PCT else ""
        col.update(
            {EXPORT_DECIMALS: decimals, EXPORT_SUFFIX: suffix},
            valueFormatter={"function": f"getalNL(params.value, {decimals}, '{suffix}')"},
            filter="agNumberColumnFilter",
            type="numericColumn",
            minWidth=120,
        )
    elif kind == LINK:
        if not href_field:
            raise ValueError(f"LINK column {field!r} needs an href_field")
        col.update(
            cellRenderer="Link",
            cellRendererParams={"hrefField": href_field},
            filter="agTextColumnFilter",
            minWidth=140,
            pinned="left",
        )
    elif kind == STATUS:
        col.update(
            cellClassRules={
                f"cell-status cell-{key}": f"params.data.{status_key} == '{key}'"
                for key in THEME["status"]
            },
            minWidth=120,
            pinned="left",
        )
    if labels:
        col[LABELS] = labels
    col.update(extra)
    return col


def shown(df: pl.DataFrame, columns: list[dict]) -> pl.DataFrame:
    """The frame with each labelled column's codes replaced by their labels (an unknown code
    stays as it is), as the grid and the export show it."""
    exprs = []
    for c in columns:
        if LABELS in c and c["field"] in df.columns:
            code = pl.col(c["field"]).cast(pl.String)
            exprs.append(code.replace_strict(c[LABELS], default=code, return_dtype=pl.String))
    return df.with_columns(exprs)


def export_frame(df: pl.DataFrame, columns: list[dict]) -> pl.DataFrame:
    """The grid's columns under their Dutch headers, as a file should hold them."""
    return shown(df, columns).select(
        pl.col(c.get(EXPORT_FIELD, c["field"])).alias(c["headerName"]) for c in columns
    )


def document_table(df: pl.DataFrame, columns: list[dict], empty: str = "Geen gegevens") -> Tabel:
    """A grid's table as a document prints it: every row under the export's headers, each
    cell as the grid shows it (Dutch dates and numbers at the column's decimals)."""
    out = export_frame(df, columns)
    formats = [(c.get(EXPORT_DECIMALS), c.get(EXPORT_SUFFIX, "")) for c in columns]
    rows = [
        tuple(cell_text(v, d, s) for v, (d, s) in zip(row, formats, strict=True))
        for row in out.iter_rows()
    ]
    right = frozenset(i for i, (d, _s) in enumerate(formats) if d is not None)
    return Tabel(tuple(out.columns), rows, right, empty)


def export_decimals(columns: list[dict]) -> dict[str, int]:
    """Per export header, the decimals its grid column shows."""
    return {c["headerName"]: c[EXPORT_DECIMALS] for c in columns if EXPORT_DECIMALS in c}


def _json_safe(name: str, dtype: pl.DataType) -> pl.Expr:
    column = pl.col(name)
    if isinstance(dtype, pl.Datetime):
        zone = "%:z" if dtype.time_zone else ""
        return column.dt.strftime(f"%Y-%m-%d %H:%M{zone}")
    if isinstance(dtype, pl.Date):
        return column.dt.strftime("%Y-%m-%d")
    if dtype.is_float():
        return column.fill_nan(None)
    return column


def records(df: pl.DataFrame) -> list[dict]:
    """Frame rows as JSON-safe dicts (ISO dates; the grid formats them Dutch)."""
    return df.select(_json_safe(n, t) for n, t in df.schema.items()).to_dicts()


def _client_side(col: dict, rows: pl.DataFrame) -> dict:
    """The column as the grid gets it: no server-only keys, and no wrapping where every text
    fits on a line (ids, codes, short labels), which the grid would otherwise measure."""
    col = {k: v for k, v in col.items() if k not in SERVER_ONLY}
    field = col["field"]
    if col.get("autoHeight") and field in rows.columns and rows.schema[field] == pl.String:
        longest = rows[field].str.len_chars().max()
        if longest is None or longest <= ONE_LINE:
            col.pop("wrapText", None)
            col.pop("autoHeight", None)
    return col


def data_grid(
    grid_id: str,
    df: pl.DataFrame,
    columns: list[dict],
    empty: str,
    page_size: int = 25,
    print_layout: bool = False,
) -> html.Div | dag.AgGrid:
    """A sortable, filterable ag-grid with Dutch texts, or the empty state when no rows.

    print_layout: no pagination, so the printed page lists every row.
    """
    if df.height == 0:
        return empty_state(empty)
    options = {
        "localeText": LOCALE_TEXT,
        # autoHeight renders every row (no virtual scrolling), so a printout holds them all.
        "domLayout": "autoHeight",
        "enableCellTextSelection": True,
        "ensureDomOrder": True,
        "tooltipShowDelay": 300,
        # Tab leaves the grid (or goes to the next link in it) instead of visiting every
        # header and cell; the arrow keys move between cells, Enter on a cell opens its link.
        "tabToNextCell": {"function": "false"},
        "tabToNextHeader": {"function": "false"},
    }
    if df.height > page_size and not print_layout:
        options.update(
            pagination=True, paginationPageSize=page_size, paginationPageSizeSelector=False
        )
    rows = shown(df, columns)
    return dag.AgGrid(
        id=grid_id,
        rowData=records(rows),
        columnDefs=[_client_side(c, rows) for c in columns],
        defaultColDef={
            "sortable": True,
            "filter": True,
            "resizable": True,
            "wrapHeaderText": True,
            "autoHeaderHeight": True,
            "flex": 1,
            "minWidth": 110,
        },
        dashGridOptions=options,
        columnSize="responsiveSizeToFit",
        style={"width": "100%"},
        className="grid",
    )


def export_buttons(table: str, label: str) -> html.Div:
    """CSV and Excel buttons; the file is built on the server from the page's own query."""
    return html.Div(
        [
            html.Button(
                "⬇ CSV",
                id={"type": "export", "table": table, "fmt": "csv"},
                className="button button-secondary",
                title=f"{label} als CSV downloaden (alle rijen)",
                **{"aria-label": f"{label} als CSV downloaden"},
            ),
            html.Button(
                "⬇ Excel",
                id={"type": "export", "table": table, "fmt": "xlsx"},
                className="button button-secondary",
                title=f"{label} als Excel downloaden (alle rijen)",
                **{"aria-label": f"{label} als Excel downloaden"},
            ),
        ],
        className="export-buttons no-print",
    )


def document_button(name: str, label: str = "Afdrukken (PDF)") -> html.Button:
    """The print path: an A4 PDF built on the server from the page's own queries."""
    return html.Button(
        label,
        id={"type": "export", "table": name, "fmt": "pdf"},
        className="button",
        title="Als A4-document (PDF) downloaden om af te drukken of te bewaren",
    )


def table_section(
    title: str,
    table: str,
    grid: html.Div | dag.AgGrid,
    intro: str | None = None,
    exportable: bool = True,
) -> html.Section:
    """A card with a title, optional intro line, the export buttons and the grid."""
    head = [html.H2(title)]
    if exportable and isinstance(grid, dag.AgGrid):
        head.append(export_buttons(table, title))
    body = [html.Div(head, className="card-head")]
    if intro:
        body.append(html.P(intro, className="card-intro"))
    body.append(grid)
    return html.Section(body, className="card", id=f"sectie-{table}")


def on_screen(df: pl.DataFrame, intro: str | None) -> tuple[pl.DataFrame, str | None]:
    """The rows a screen gets of an exported table, and its intro saying so when cut."""
    if df.height <= SCREEN_ROWS:
        return df, intro
    cut = (
        f"Op het scherm staan de eerste {fmt_number(SCREEN_ROWS)} van {fmt_number(df.height)} "
        "rijen, in deze volgorde; sorteren en filteren werkt binnen die rijen. CSV en Excel "
        "bevatten alle rijen. Kies een regio of team voor een kortere lijst."
    )
    return df.head(SCREEN_ROWS), (cut if intro is None else f"{intro} {cut}")


@guarded
def grid_section(
    page: str,
    viewer,
    params: dict,
    build: Callable,
    table: str,
    title: str,
    empty: str,
    intro: str | None = None,
    **grid_options,
) -> html.Section | html.Div:
    """table_section around the grid of build(viewer, params) -> (frame, columns), which is
    also the export of that table; a failure stays inside this section. The screen shows
    the first SCREEN_ROWS rows and says so; the export holds them all."""
    df, columns = build(viewer, params)
    if not grid_options.get("print_layout"):
        df, intro = on_screen(df, intro)
    grid = data_grid(f"{page}-{table}", df, columns, empty, **grid_options)
    return table_section(title, table, grid, intro=intro)
