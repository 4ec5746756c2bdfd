"""CRT afbouw ahead: the projection to the CRT target and the room regular teams have for it."""

from dataclasses import replace
from datetime import date, timedelta

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from queries.afbouw_projectie import (
    Projection,
    WatAls,
    capacity,
    capacity_needed,
    crt_target,
    doeldatum,
    months_until,
    projection,
)
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
    # Noord regular workers, each keeping a buffer of 1 per fte: w1 holds R1 C1 G1 K1 (12 - 4
    # - 1 = 7), w2 (0.5 fte) C5 V1 (6 - 2 - 0,5 = 3,5), w3 (0.8 fte, jeugdreclasseerder) C3
    # (9,6 - 1 - 0,8 = 7,8). CRT workers are no receivers. The planner moves C2 (JB) to w1.
    noord = out["Noord"]
    assert (noord["medewerkers_regulier"], noord["met_ruimte"]) == (3, 3)
    assert (noord["voorstel_aantal"], noord["niet_plaatsbaar"]) == (1, 0)
    assert noord["vrije_ruimte"] == pytest.approx(18.3)
    assert (noord["vrije_ruimte_jb"], noord["vrije_ruimte_jr"]) == (10.5, pytest.approx(7.8))
    assert (noord["crt"], noord["crt_jb"], noord["crt_jr"], noord["crt_gewogen"]) == (1, 1, 0, 1)
    zuid = out["Zuid"]
    assert (zuid["vrije_ruimte"], zuid["crt"], zuid["voorstel_aantal"]) == (11.0, 0, 0)


def test_capacity_counts_only_room_the_planner_may_use():
    # Norm 3 per fte: w1 3 - 4 and w2 1,5 - 2 are over it; w3 has 2,4 - 1 - 0,8 = 0,6 above
    # the buffer but is a jeugdreclasseerder, so the JB measure C2 fits nobody.
    tight = replace(CONFIG, caseload_norm_per_fte=3.0)
    noord = capacity(world(), MANAGER, AS_OF, tight).row(0, named=True)
    assert (noord["regio"], noord["met_ruimte"], noord["vrije_ruimte_jb"]) == ("Noord", 1, 0.0)
    assert noord["vrije_ruimte_jr"] == pytest.approx(0.6)
    assert (noord["voorstel_aantal"], noord["niet_plaatsbaar"]) == (0, 1)
    # Under the norm without the buffer w3 still had 1,4: that room is not what can move.
    raw = waarde("ruimte_positief", world(), MANAGER, AS_OF, tight, Filters(regio="Noord"))
    assert raw == 1.4
    # A buffer of 7 per fte leaves w1 12 - 4 - 7 = 1 and w2 6 - 2 - 3,5 = 0,5: C2 (1) just fits w1.
    wide = replace(CONFIG, werktoedeling_buffer_per_fte=7.0)
    noord = capacity(world(), MANAGER, AS_OF, wide, regio="Noord").row(0, named=True)
    assert (noord["vrije_ruimte_jb"], noord["voorstel_aantal"]) == (1.5, 1)
    wider = replace(CONFIG, werktoedeling_buffer_per_fte=8.5)
    noord = capacity(world(), MANAGER, AS_OF, wider, regio="Noord").row(0, named=True)
    assert (noord["vrije_ruimte_jb"], noord["voorstel_aantal"], noord["niet_plaatsbaar"]) == (
        0.0,
        0,
        1,
    )


def test_capacity_figures_sum_the_regions():
    def figure(key: str, regio: str | None = None):
        return waarde(key, world(), MANAGER, AS_OF, CONFIG, Filters(regio=regio))

    # Noord as in test_capacity; Zuid adds one regular worker with room 12 - 1 and no CRT.
    assert (figure("medewerkers_regulier", "Noord"), figure("medewerkers_regulier")) == (3, 4)
    assert (figure("vrije_ruimte"), figure("vrije_ruimte", "Noord")) == (29.3, 18.3)
    assert (figure("met_ruimte"), figure("voorstel_aantal"), figure("niet_plaatsbaar")) == (4, 1, 0)
    # Room under the norm without buffer or rules, for the caseload pages.
    assert figure("ruimte_positief") == 32.6
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


# Capacity needed. Noord on 16 March: the CRT holds C2 (C4 ended on the 5th), target 0. Its
# regular workers keep a buffer of 1 per fte: w1 8 - 1, w2 4 - 0,5, w3 8,6 - 0,8 = 18,3 free.
# January to March: C2 (10 Jan) and C4 (10 Feb) came into the CRT, C4 ended in it: 2/3 in and
# 1/3 out a month. Zuid: z1 12 - 1 = 11 free, no CRT and no flows. Norm 12 - buffer 1 = 11
# measures per fte.
TARGETS = replace(CONFIG, crt_doel_regio=(("Noord", 0), ("Zuid", 0)))
JUNE = date(2026, 6, 30)


def needed_by_region(config=TARGETS, wat_als: WatAls | None = None, regio=None) -> dict:
    out = capacity_needed(world(), MANAGER, AS_OF, config, regio, wat_als or WatAls())
    return {r["regio"]: r for r in out.iter_rows(named=True)}


def test_capacity_needed_without_and_with_a_shortfall():
    # 5 more a month into the CRT, three months to 30 June.
    out = needed_by_region(wat_als=WatAls(instroom_wijziging=5, doeldatum=JUNE))
    noord, zuid = out["Noord"], out["Zuid"]
    assert (noord["crt_instroom_per_maand"], noord["crt_uitstroom_per_maand"]) == (
        pytest.approx(2 / 3),
        pytest.approx(1 / 3),
    )
    assert (noord["vrije_ruimte"], zuid["vrije_ruimte"]) == (pytest.approx(18.3), 11.0)
    # Noord: 1 - 0 + (2/3 + 5 - 1/3) x 3 - 18,3 = -1,3: no shortfall, never below 0.
    assert (noord["capaciteit_tekort_maatregelen"], noord["capaciteit_tekort_fte"]) == (0.0, 0.0)
    # Zuid: 0 - 0 + 5 x 3 - 11 = 4 measures, 4 / 11 fte.
    assert zuid["capaciteit_tekort_maatregelen"] == pytest.approx(4.0)
    assert zuid["capaciteit_tekort_fte"] == pytest.approx(4 / 11)
    # The recent pace's projection beside it: Noord's 1 to 0 at 2/3 a month in May.
    assert (noord["op_doel_maand"], zuid["op_doel_maand"]) == ("2026-05", "2026-03")


def test_capacity_needed_what_if():
    plus_ten = WatAls(instroom_wijziging=10, doeldatum=JUNE)
    # Noord: 1 + (1/3 + 10) x 3 - 18,3 = 13,7 measures, 13,7 / 11 fte.
    noord = needed_by_region(wat_als=plus_ten)["Noord"]
    assert noord["capaciteit_tekort_maatregelen"] == pytest.approx(13.7)
    assert noord["capaciteit_tekort_fte"] == pytest.approx(13.7 / 11)
    # One extra fte takes 11 of them; two leave no shortfall, not a negative one.
    one = needed_by_region(wat_als=replace(plus_ten, extra_fte=1))["Noord"]
    assert one["capaciteit_tekort_maatregelen"] == pytest.approx(2.7)
    assert one["capaciteit_tekort_fte"] == pytest.approx(2.7 / 11)
    two = needed_by_region(wat_als=replace(plus_ten, extra_fte=2))["Noord"]
    assert two["capaciteit_tekort_fte"] == 0.0
    # Six months to 30 September: 1 + (1/3 + 10) x 6 - 18,3 = 44,7.
    later = needed_by_region(wat_als=replace(plus_ten, doeldatum=date(2026, 9, 30)))["Noord"]
    assert later["capaciteit_tekort_maatregelen"] == pytest.approx(44.7)
    # A larger buffer leaves less free room: 2 per fte, 8 - 2 + 4 - 1 + 8,6 - 1,6 = 16, and
    # 12 - 2 = 10 measures per fte.
    wider = needed_by_region(replace(TARGETS, werktoedeling_buffer_per_fte=2.0), plus_ten)
    assert wider["Noord"]["vrije_ruimte"] == pytest.approx(16.0)
    assert wider["Noord"]["capaciteit_tekort_fte"] == pytest.approx((32 - 16) / 10)


def test_capacity_needed_default_target_date_and_no_target():
    # The default is the end of the month twelve months on: 31 March 2027, 12 months.
    assert doeldatum(AS_OF) == date(2027, 3, 31)
    assert months_until(AS_OF, doeldatum(AS_OF)) == 12
    assert months_until(AS_OF, date(2026, 1, 31)) == 0
    # Noord: 1 + 1/3 x 12 - 18,3 < 0.
    assert needed_by_region()["Noord"]["capaciteit_tekort_maatregelen"] == 0.0
    # Without a region target there is nothing to fall short of.
    zuid = needed_by_region(replace(CONFIG, crt_doel_regio=(("Noord", 0),)))["Zuid"]
    assert (zuid["crt_doel"], zuid["capaciteit_tekort_fte"]) == (None, None)
    assert list(needed_by_region(regio="Zuid")) == ["Zuid"]


def test_capacity_needed_figures_sum_the_regions_with_a_target():
    def figure(key: str, config, regio: str | None = None):
        return waarde(key, world(), MANAGER, AS_OF, config, Filters(regio=regio))

    # Norm 3 per fte and buffer 1 per fte: w1 3 - 4 and w2 1,5 - 2 have no room, w3 2,4 - 1
    # - 0,8 = 0,6 free, so Noord needs 1 + 1/3 x 12 - 0,6 = 4,4 measures, at 3 - 1 = 2 per
    # fte 2,2 fte; Zuid's z1 has 3 - 1 = 2 free and no CRT.
    tight = replace(TARGETS, caseload_norm_per_fte=3.0)
    assert figure("vrije_ruimte", tight, "Noord") == 0.6
    assert figure("capaciteit_tekort_maatregelen", tight) == 4
    assert figure("capaciteit_tekort_fte", tight) == 2.2
    assert figure("capaciteit_tekort_fte", tight, "Zuid") == 0.0
    assert figure("capaciteit_tekort_fte", CONFIG) is None
    assert (figure("crt_doel", TARGETS), figure("crt_doel", TARGETS, "Zuid")) == (40, 0)
