"""Widgets every page uses: tables, export buttons, tiles, badges, messages and Dutch formats."""

import math
from collections.abc import Callable
from datetime import date, datetime

import dash_ag_grid as dag
import polars as pl
from dash import dcc, html

from dashboard.components.formats import (
    NORM_LABELS,
    SOORT_GROUP_LABELS,
    SOORT_LABELS,
    countdown,
    fmt_date,
    fmt_number,
    fmt_pct,
    plural,
    urgency,
)
from dashboard.components.kaarten import graph, section
from dashboard.components.meldingen import empty_state, failure_message, guarded, message_box
from dashboard.components.tegels import kpi_tile, status_badge, tiles
from dashboard.components.theme import BINNENKORT_WERKDAGEN, THEME
from dashboard.data import EARLIEST_DATE

__all__ = [
    "BINNENKORT_WERKDAGEN",
    "NORM_LABELS",
    "SOORT_GROUP_LABELS",
    "SOORT_LABELS",
    "countdown",
    "fmt_date",
    "fmt_number",
    "fmt_pct",
    "plural",
    "urgency",
    "empty_state",
    "failure_message",
    "guarded",
    "message_box",
    "kpi_tile",
    "status_badge",
    "tiles",
    "graph",
    "section",
    "DATE",
    "EXPORT_DECIMALS",
    "EXPORT_FIELD",
    "LINK",
    "NUMBER",
    "PCT",
    "STATUS",
    "TEXT",
    "column",
    "data_grid",
    "export_buttons",
    "export_decimals",
    "export_frame",
    "grid_section",
    "records",
    "table_section",
    "date_slicer",
    "dropdown_slicer",
    "options",
    "peildatum_slicer",
    "regio_slicer",
    "regio_team_slicers",
    "slicer",
    "slicer_bar",
    "soort_slicer",
    "team_slicer",
]

# ---- tables ----------------------------------------------------------------------------------

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


EXPORT_FIELD = "exportField"
# The decimals a number column shows, so an export writes the same figure; not for the grid.
EXPORT_DECIMALS = "exportDecimals"
EXPORT_ONLY = (EXPORT_FIELD, EXPORT_DECIMALS)


def column(
    field: str,
    header: str,
    kind: str = TEXT,
    decimals: int = 0,
    status_key: str = "status_key",
    href_field: str | None = None,
    **extra,
) -> dict:
    """An ag-grid column: Dutch header, Dutch formats, a matching filter.

    A STATUS column colours its cell by the row's status_key field (a THEME["status"] key);
    a LINK column links its text to the address in the row's href_field, moving within the
    app on a plain click.
    """
    col = {
        "field": field,
        "headerName": header,
        "headerTooltip": extra.pop("headerTooltip", header),
    }
    if kind == DATE:
        col.update(
            valueFormatter={"function": "datumNL(params.value)"},
            filter="agTextColumnFilter",
            minWidth=120,
        )
    elif kind in (NUMBER, PCT):
        suffix = "%" if kind == PCT else ""
        col.update(
            {EXPORT_DECIMALS: decimals},
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
            minWidth=160,
        )
    elif kind == STATUS:
        col.update(
            cellClassRules={
                f"cell-status cell-{key}": f"params.data.{status_key} == '{key}'"
                for key in THEME["status"]
            },
            minWidth=120,
        )
    col.update(extra)
    return col


def export_frame(df: pl.DataFrame, columns: list[dict]) -> pl.DataFrame:
    """The grid's columns under their Dutch headers, as a file should hold them."""
    return df.select(
        pl.col(c.get(EXPORT_FIELD, c["field"])).alias(c["headerName"]) for c in columns
    )


def export_decimals(columns: list[dict]) -> dict[str, int]:
    """Per export header, the decimals its grid column shows."""
    return {c["headerName"]: c[EXPORT_DECIMALS] for c in columns if EXPORT_DECIMALS in c}


def _json_value(value):
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def records(df: pl.DataFrame) -> list[dict]:
    """Frame rows as JSON-safe dicts (ISO dates; the grid formats them Dutch)."""
    return [{k: _json_value(v) for k, v in row.items()} for row in df.iter_rows(named=True)]


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
    }
    if df.height > page_size and not print_layout:
        options.update(
            pagination=True, paginationPageSize=page_size, paginationPageSizeSelector=False
        )
    return dag.AgGrid(
        id=grid_id,
        rowData=records(df),
        columnDefs=[{k: v for k, v in c.items() if k not in EXPORT_ONLY} for c in columns],
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
    also the export of that table; a failure stays inside this section."""
    df, columns = build(viewer, params)
    grid = data_grid(f"{page}-{table}", df, columns, empty, **grid_options)
    return table_section(title, table, grid, intro=intro)


# ---- slicers ---------------------------------------------------------------------------------


def slicer(label: str, control, wide: bool = False) -> html.Div:
    """A labelled filter control; the label is tied to the control for screen readers."""
    return html.Div(
        [html.Label(label, htmlFor=control.id), control],
        className="slicer slicer-wide" if wide else "slicer",
    )


# Dash's picker formats with date-fns tokens in moment.js spelling: DD-MM-YYYY is dd-mm-jjjj.
DATE_DISPLAY_FORMAT = "DD-MM-YYYY"


def date_slicer(component_id: str, label: str, value: date, latest: date) -> html.Div:
    """A calendar that shows and takes dd-mm-jjjj, Monday first, no day after latest; the ISO
    day is in the picker's date property (Dutch names: assets/date-fns-locale-nl.min.js)."""
    return slicer(
        label,
        dcc.DatePickerSingle(
            id=component_id,
            date=value.isoformat(),
            min_date_allowed=EARLIEST_DATE.isoformat(),
            max_date_allowed=latest.isoformat(),
            display_format=DATE_DISPLAY_FORMAT,
            month_format="MMMM YYYY",
            first_day_of_week=1,
            show_outside_days=False,
            clearable=False,
            # The picker also makes this the input's aria-label, which outranks the <label>.
            placeholder=f"{label} (dd-mm-jjjj)",
        ),
    )


def peildatum_slicer(page: str, value: date, latest: date) -> html.Div:
    return date_slicer(f"{page}-peildatum", "Peildatum", value, latest)


def dropdown_slicer(
    component_id: str,
    label: str,
    options: list[dict],
    value,
    clearable: bool = False,
    placeholder: str | None = None,
    disabled: bool = False,
) -> html.Div:
    return slicer(
        label,
        dcc.Dropdown(
            id=component_id,
            options=options,
            value=value,
            clearable=clearable,
            placeholder=placeholder or "Kies...",
            disabled=disabled,
        ),
        wide=True,
    )


def regio_slicer(page: str, options: list[dict], value, disabled: bool = False) -> html.Div:
    return dropdown_slicer(f"{page}-regio", "Regio", options, value, True, "Alle regio's", disabled)


def team_slicer(page: str, options: list[dict], value, disabled: bool = False) -> html.Div:
    return dropdown_slicer(f"{page}-team", "Team", options, value, True, "Alle teams", disabled)


def soort_slicer(page: str, value: str | None, groups: bool = False) -> html.Div:
    """Soort maatregel, cleared for all soorten; groups puts Jeugdbescherming first."""
    labels = (SOORT_GROUP_LABELS if groups else {}) | SOORT_LABELS
    options = [{"label": label, "value": code} for code, label in labels.items()]
    return dropdown_slicer(f"{page}-soort", "Soort maatregel", options, value, True, "Alle soorten")


def options(df: pl.DataFrame, id_col: str, label_col: str) -> list[dict]:
    """Dropdown options for each distinct id in df, by label."""
    pairs = df.select(id_col, pl.col(label_col).alias("_label")).unique().drop_nulls()
    return [{"label": label, "value": value} for value, label in pairs.sort("_label").iter_rows()]


def regio_team_slicers(page: str, day: date, latest: date, units: pl.DataFrame, params: dict):
    """Peildatum, regio and team of the teams in units; a choice of one is greyed out."""
    regios = options(units, "regio", "regio")
    teams = options(units, "team_id", "team_naam")
    return slicer_bar(
        peildatum_slicer(page, day, latest),
        regio_slicer(page, regios, params.get("regio"), disabled=len(regios) < 2),
        team_slicer(page, teams, params.get("team"), disabled=len(teams) < 2),
    )


def slicer_bar(*children) -> html.Div:
    return html.Div([c for c in children if c is not None], className="slicers no-print")
