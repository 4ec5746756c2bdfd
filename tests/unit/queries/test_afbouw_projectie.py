"""CRT afbouw ahead: the projection to the CRT target and the room regular teams have for it."""

from dataclasses import replace
from datetime import date, timedelta

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from queries.afbouw_projectie import Projection, capacity, crt_target, projection
from queries.figuren import waarde
from queries.figuur import Filters
from queries.scope import MANAGER
from tests.unit.queries.test_afbouw import AS_OF, CONFIG, region_world, world
from tests.unit.queries.test_caseload import after_as_of, histories, history_snapshot


def test_projection():
    # CRT stock 31 Dec 3 -> 16 Mar 1 over three months: 2/3 fewer per month; to reach 0
    # from 1 takes ceil(1.5) = 2 months after March: May 2026.
    p = projection(world(), MANAGER, AS_OF, replace(CONFIG, crt_doel=0, afbouw_tempo_maanden=3))
    assert (p.crt_nu, p.maanden_nodig, p.maand) == (1, 2, "2026-05")
    assert p.tempo_per_maand == pytest.approx(2 / 3)
    assert p.toelichting == "Bij 0,7 minder per maand: 2026-05."
    reached = projection(world(), MANAGER, AS_OF, replace(CONFIG, crt_doel=1))
    assert (reached.maanden_nodig, reached.maand) == (0, "2026-03")
    # 31 Dec 3 -> 31 Jan 4: growing, so never at this pace.
    growing = projection(
        world(), MANAGER, date(2026, 1, 31), replace(CONFIG, crt_doel=0, afbouw_tempo_maanden=1)
    )
    assert (growing.maand, growing.maanden_nodig, growing.toelichting) == (
        None,
        None,
        "Niet bij dit tempo.",
    )


def test_capacity():
    out = {r["regio"]: r for r in capacity(world(), MANAGER, AS_OF, CONFIG).iter_rows(named=True)}
    # Noord regular workers: w1 holds R1 C1 G1 K1 (room 12 - 4 = 8), w2 (0.5 fte) C5 V1
    # (6 - 2 = 4), w3 (0.8 fte, jeugdreclasseerder) C3 (9.6 - 1 = 8.6). CRT workers excluded.
    noord = out["Noord"]
    assert noord["medewerkers_regulier"] == 3
    assert noord["ruimte_positief"] == pytest.approx(20.6)
    assert (noord["ruimte_jb"], noord["ruimte_jr"]) == (12.0, pytest.approx(8.6))
    assert (noord["crt"], noord["crt_jb"], noord["crt_jr"]) == (1, 1, 0)
    assert noord["saldo"] == pytest.approx(19.6)
    assert (out["Zuid"]["ruimte_positief"], out["Zuid"]["crt"]) == (12.0, 0)


def test_capacity_figures_sum_the_regions():
    def figure(key: str, regio: str | None = None):
        return waarde(key, world(), MANAGER, AS_OF, CONFIG, Filters(regio=regio))

    # Noord as in test_capacity; Zuid adds one regular worker with room 12 and no CRT.
    assert (figure("medewerkers_regulier", "Noord"), figure("medewerkers_regulier")) == (3, 4)
    assert (figure("ruimte_positief"), figure("saldo", "Noord")) == (32.6, 19.6)
    assert figure("crt_gewogen") == 1.0
    # 31 Dec 3 -> 16 Mar 1 over the default three months: 0,7 fewer a month.
    assert figure("crt_afname_per_maand") == 0.7


def test_projection_and_capacity_per_region():
    snap = region_world()
    assert projection(snap, MANAGER, AS_OF, CONFIG, regio="Zuid").crt_nu == 1
    assert projection(snap, MANAGER, AS_OF, CONFIG, regio="Noord").crt_nu == 1
    assert projection(snap, MANAGER, AS_OF, CONFIG).crt_nu == 2
    room = capacity(snap, MANAGER, AS_OF, CONFIG)
    assert capacity(snap, MANAGER, AS_OF, CONFIG, regio="Zuid").equals(
        room.filter(pl.col("regio") == "Zuid")
    )


def test_crt_target_per_scope():
    config = replace(CONFIG, crt_doel=40, crt_doel_regio=(("Noord", 0), ("Zuid", 3)))
    assert crt_target(config) == crt_target(config, None) == 40
    assert (crt_target(config, "Noord"), crt_target(config, "Zuid")) == (0, 3)
    # A region without its own target has none: the organisation's is not split over regions.
    assert crt_target(config, "West") is None
    assert crt_target(CONFIG, "Noord") is None


def test_projection_per_region_against_the_regions_own_target():
    snap = region_world()
    config = replace(CONFIG, crt_doel=1, crt_doel_regio=(("Noord", 0),), afbouw_tempo_maanden=3)
    # Noord's CRT 31 Dec 3 -> 16 Mar 1: 2/3 fewer a month, its own target 0 in May.
    noord = projection(snap, MANAGER, AS_OF, config, regio="Noord")
    assert (noord.crt_nu, noord.crt_doel, noord.maanden_nodig, noord.maand) == (1, 0, 2, "2026-05")
    # The organisation's CRT 4 -> 2 keeps the organisation's target 1: 1,5 months, so May.
    whole = projection(snap, MANAGER, AS_OF, config)
    assert (whole.crt_nu, whole.crt_doel, whole.maanden_nodig, whole.maand) == (2, 1, 2, "2026-05")
    # Zuid has no target of its own: no month, although its 1 would meet the organisation's 1.
    zuid = projection(snap, MANAGER, AS_OF, config, regio="Zuid")
    assert zuid == Projection(1, None, 0.0, None, None, "Geen regiodoel ingesteld.")
    with_target = replace(config, crt_doel_regio=(("Noord", 0), ("Zuid", 1)))
    reached = projection(snap, MANAGER, AS_OF, with_target, regio="Zuid")
    assert (reached.crt_doel, reached.maanden_nodig, reached.toelichting) == (1, 0, "Doel bereikt.")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    histories(),
    st.sampled_from(["new_measure", "end_measures", "reassign"]),
    st.integers(1, 60),
)
def test_events_after_as_of_never_change_the_capacity(history, kind, later):
    measures, toew, as_of = history
    day = date(2025, 1, 1) + timedelta(days=as_of)
    before = history_snapshot(measures, toew)
    after = history_snapshot(*after_as_of(measures, toew, as_of, kind, later))
    assert capacity(before, MANAGER, day, CONFIG).equals(capacity(after, MANAGER, day, CONFIG))
