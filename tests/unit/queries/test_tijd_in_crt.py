"""Time in the CRT: days from the start of an unbroken CRT stay to the transfer."""

from datetime import date, timedelta

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from queries.figuren import waarde
from queries.scope import MANAGER, Viewer
from queries.tijd_in_crt import time_in_crt
from tests.frames import sample_snapshot
from tests.unit.queries.test_afbouw import AS_OF, CONFIG, region_world, world
from tests.unit.queries.test_caseload import after_as_of, histories, history_snapshot


def test_time_in_crt():
    result = time_in_crt(world(), MANAGER, AS_OF, CONFIG, months=4)
    per = {r["maatregel_id"]: r for r in result.per_maatregel.iter_rows(named=True)}
    # C5: 1 Dec -> 31 Jan = 61 days; C1: 1 Nov (the swap inside the CRT does not restart the
    # clock) -> 1 Feb = 92 days; C3: in the CRT from 15 Jan (the CCP does not count) -> 2 Mar
    # = 46 days. Median 61.
    assert {k: v["dagen_in_crt"] for k, v in per.items()} == {"C5": 61, "C1": 92, "C3": 46}
    assert per["C1"]["crt_sinds"] == date(2025, 11, 1)
    assert (per["C3"]["naar_team_id"], per["C3"]["regio"]) == ("B", "Noord")
    assert per["C3"]["naar_team_naam"] == "Team B"
    assert per["C3"]["van_team_naam"] == {"CRT": "CRT Noord"}[per["C3"]["van_team_id"]]
    assert result.mediaan_dagen == 61
    # Over the default 24 months the same three transfers.
    assert waarde("mediaan_dagen_in_crt", world(), MANAGER, AS_OF, CONFIG) == 61
    assert result.verdeling.rows() == [
        ("< 3 maanden", 2),
        ("3-6 maanden", 1),
        ("6-12 maanden", 0),
        (">= 12 maanden", 0),
    ]
    # Within a window of the last two months only C1 (Feb) and C3 (Mar) moved.
    assert set(
        time_in_crt(world(), MANAGER, AS_OF, CONFIG, months=2).per_maatregel["maatregel_id"]
    ) == {"C1", "C3"}
    empty = time_in_crt(world(), Viewer("jeugdzorgwerker", "z1"), AS_OF, CONFIG)
    assert (empty.per_maatregel.height, empty.mediaan_dagen) == (0, None)


def test_sample_export():
    # 11 Jun -> 1 Oct 2025: 112 days.
    assert time_in_crt(sample_snapshot(), MANAGER, date(2025, 10, 31), CONFIG).mediaan_dagen == 112


def test_time_in_crt_per_region():
    snap = region_world()
    noord = time_in_crt(snap, MANAGER, AS_OF, CONFIG, months=4, regio="Noord").per_maatregel
    zuid = time_in_crt(snap, MANAGER, AS_OF, CONFIG, months=4, regio="Zuid").per_maatregel
    # X1: 1 Dec -> 1 Feb in the Zuid CRT, 62 days, handed to team A in Noord.
    assert noord.filter(pl.col("maatregel_id") == "X1").select("regio", "dagen_in_crt").rows() == [
        ("Noord", 62)
    ]
    assert zuid.height == 0
    whole = time_in_crt(snap, MANAGER, AS_OF, CONFIG, months=4).per_maatregel
    assert sorted(noord["maatregel_id"]) == sorted(whole["maatregel_id"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    histories(),
    st.sampled_from(["new_measure", "end_measures", "reassign"]),
    st.integers(1, 60),
)
def test_events_after_as_of_never_change_the_time_in_crt(history, kind, later):
    measures, toew, as_of = history
    day = date(2025, 1, 1) + timedelta(days=as_of)
    before = history_snapshot(measures, toew)
    after = history_snapshot(*after_as_of(measures, toew, as_of, kind, later))
    assert time_in_crt(before, MANAGER, day, CONFIG).per_maatregel.equals(
        time_in_crt(after, MANAGER, day, CONFIG).per_maatregel
    )
