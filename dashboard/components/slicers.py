"""Slicers: the labelled filter controls above a page, in Dutch."""

from datetime import date

import polars as pl
from dash import dcc, html

from dashboard.components.formats import SOORT_GROUP_LABELS, SOORT_LABELS
from dashboard.data import EARLIEST_DATE


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
            # Shown while empty; assets/toegankelijkheid.js names the input by its <label>.
            placeholder=f"{label} (dd-mm-jjjj)",
        ),
    )


def peildatum_slicer(page: str, value: date, latest: date) -> html.Div:
    return date_slicer(f"{page}-peildatum", "Peildatum", value, latest)


# dcc.Dropdown's own texts (its search field, its count of choices) in Dutch.
DROPDOWN_LABELS = {
    "select_all": "Alles kiezen",
    "deselect_all": "Niets kiezen",
    "selected_count": "{num_selected} gekozen",
    "search": "Zoeken",
    "clear_search": "Zoektekst wissen",
    "clear_selection": "Keuze wissen",
    "no_options_found": "Geen keuzes gevonden",
}


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
            labels=DROPDOWN_LABELS,
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
