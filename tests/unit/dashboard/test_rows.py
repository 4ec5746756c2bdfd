"""dashboard.rows: worklist rows with their Dutch labels, as expressions over the whole frame."""

from datetime import date

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from dashboard import rows
from dashboard.components import widgets as w

STATUSES = ("tijdig", "te_laat", "open", "verlopen", "vervallen")
row = st.tuples(
    st.sampled_from(STATUSES),
    st.none() | st.integers(-30, 400),
    st.none() | st.integers(0, 400),
)


@given(st.lists(row, min_size=1, max_size=30), st.integers(0, 10))
def test_urgency_says_what_the_widgets_say(cases, binnenkort):
    df = pl.DataFrame(
        cases,
        schema={"status": pl.String, "werkdagen_tot": pl.Int64, "dagen_verlopen": pl.Int64},
        orient="row",
    )
    got = df.select(rows.urgency(binnenkort).alias("u"))
    assert got["u"].to_list() == [w.urgency(s, left, binnenkort) for s, left, _ in cases]


def test_deadline_rows_label_every_row_and_link_its_measure():
    df = pl.DataFrame(
        {
            "maatregel_id": ["M2025-0101", "M2025-0102"],
            "norm": ["eerste_contact", "plan_van_aanpak"],
            "soort": ["OTS", "voogdij"],
            "status": ["verlopen", "open"],
            "werkdagen_tot": [None, 2],
            "dagen_verlopen": [1, None],
        }
    )
    out = rows.deadline_rows(df, date(2025, 11, 1))
    assert out["status_key"].to_list() == ["verlopen", "binnenkort"]
    assert out["status_label"].to_list() == [
        rows.STATUS_LABELS["verlopen"],
        rows.STATUS_LABELS["binnenkort"],
    ]
    assert out["maatregel_href"][0] == "/maatregel?maatregel=M2025-0101&peildatum=2025-11-01"
    assert out["termijn"].to_list() == [
        w.NORM_LABELS["eerste_contact"],
        w.NORM_LABELS["plan_van_aanpak"],
    ]
