import re
from datetime import date

import polars as pl
from dash import dcc

from dashboard.components.formats import fmt_date
from dashboard.components.slicers import peildatum_slicer, regio_team_slicers
from dashboard.data import EARLIEST_DATE


def _as_picker_shows(display_format: str, day: date) -> str:
    """What the picker shows for day, reading its moment.js-style day, month and year tokens."""
    tokens = {"DD": "%d", "MM": "%m", "YYYY": "%Y"}
    assert re.fullmatch(r"(DD|MM|YYYY|[-/. ])+", display_format), display_format
    return day.strftime(re.sub(r"DD|MM|YYYY", lambda m: tokens[m.group()], display_format))


def test_peildatum_slicer_is_a_dutch_calendar_up_to_the_export_date():
    label, picker = peildatum_slicer("p", date(2026, 3, 4), date(2026, 3, 31)).children
    assert isinstance(picker, dcc.DatePickerSingle)
    assert label.htmlFor == picker.id == "p-peildatum"
    assert _as_picker_shows(picker.display_format, date(2026, 3, 4)) == "04-03-2026"
    assert _as_picker_shows(picker.display_format, date(2026, 12, 1)) == fmt_date(date(2026, 12, 1))
    assert (picker.date, picker.max_date_allowed) == ("2026-03-04", "2026-03-31")
    assert picker.min_date_allowed == EARLIEST_DATE.isoformat()
    assert picker.first_day_of_week == 1  # Monday
    # Shown while the field is empty: what belongs there, and in which format.
    assert "Peildatum" in picker.placeholder and "dd-mm-jjjj" in picker.placeholder


def test_regio_team_slicers_offer_each_team_once_by_name_and_grey_out_a_single_choice():
    units = pl.DataFrame(
        {
            "team_id": ["B", "A", "B", "C"],
            "team_naam": ["Team Zuid", "Team Noord", "Team Zuid", "Team Midden"],
            "regio": ["Oost", "Oost", "Oost", None],
        }
    )
    bar = regio_team_slicers("p", date(2026, 1, 5), date(2026, 1, 31), units, {"team": "A"})
    regio, team = (s.children[1] for s in bar.children[1:])
    assert regio.options == [{"label": "Oost", "value": "Oost"}] and regio.disabled
    assert [o["value"] for o in team.options] == ["C", "A", "B"] and not team.disabled
    assert team.value == "A" and regio.value is None
    assert bar.children[0].children[1].id == "p-peildatum"
