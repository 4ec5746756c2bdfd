"""Figures per holder: worklist counts of the current holder, timeliness attributed to the
holder on the deadline day."""

from datetime import date

import pytest

from queries.config import Config
from queries.figuren import waarde
from queries.figuur import Filters
from queries.per_houder import termijnen_per_medewerker, tijdigheid_per_houder
from queries.scope import MANAGER, Viewer
from queries.snapshot import Snapshot

CONFIG = Config()
D = date.fromisoformat

# Attribution to the holder on the deadline day --------------------------------------------


def attribution_snapshot() -> Snapshot:
    """Three OTS measures, uitspraak and start Mon 3 Mar 2025: first contact due Mon 10 Mar,
    plan due Mon 14 Apr, first risicotaxatie due Mon 14 Apr (none is made).
    M1: CRT contactpersoon c1 until 20 Mar, then w1; contact 21 Mar (late), plan 10 Apr.
    M2: w2 until 6 Mar, then w1; contact 5 Mar (early). M3: nobody until w1 on 17 Mar."""
    teams = [
        {"team_id": "A", "naam": "Team A", "regio": "Groningen", "soort": "regulier"},
        {"team_id": "CRT", "naam": "CRT", "regio": "Groningen", "soort": "CRT"},
    ]
    staff = [
        {"medewerker_id": m, "naam": m, "functie": f, "team_id": t, "fte": 1.0,
         "in_dienst": "2020-01-01"}
        for m, f, t in (("c1", "jeugdbeschermer", "CRT"), ("w1", "jeugdbeschermer", "A"),
                        ("w2", "jeugdbeschermer", "A"), ("tm", "teammanager", "A"))
    ]  # fmt: skip
    measures = [
        {"maatregel_id": m, "jeugdige_id": f"J{m}", "soort": "OTS", "uitspraak": "2025-03-03",
         "start": "2025-03-03"}
        for m in ("M1", "M2", "M3")
    ]  # fmt: skip

    def held(m, w, team, rol, vanaf, tot=None):
        return {"maatregel_id": m, "medewerker_id": w, "team_id": team, "rol": rol,
                "vanaf": vanaf, "tot": tot}  # fmt: skip

    def f2f(m, datum):
        return {"contact_id": f"{m}-{datum}", "maatregel_id": m, "medewerker_id": "w1",
                "datum": datum, "vorm": "face-to-face", "met": "jeugdige"}  # fmt: skip

    return Snapshot.from_frames(
        D("2026-03-31"),
        teams=teams,
        medewerkers=staff,
        maatregelen=measures,
        toewijzingen=[
            held("M1", "c1", "CRT", "contactpersoon", "2025-03-03", "2025-03-20"),
            held("M1", "w1", "A", "jeugdzorgwerker", "2025-03-20"),
            held("M2", "w2", "A", "jeugdzorgwerker", "2025-03-03", "2025-03-06"),
            held("M2", "w1", "A", "jeugdzorgwerker", "2025-03-06"),
            held("M3", "w1", "A", "jeugdzorgwerker", "2025-03-17"),
        ],
        contacten=[f2f("M1", "2025-03-21"), f2f("M2", "2025-03-05"), f2f("M3", "2025-03-18")],
        plannen=[{"plan_id": "P1", "maatregel_id": "M1", "soort": "eerste",
                  "vastgesteld": "2025-04-10"}],
    )  # fmt: skip


def per_holder(snap, as_of, by="medewerker_id", viewer=MANAGER):
    got = tijdigheid_per_houder(snap, viewer, as_of, CONFIG, by=by)
    return {r[by]: r for r in got.iter_rows(named=True)}


def test_a_deadline_counts_for_the_holder_on_its_day_not_the_current_one():
    got = per_holder(attribution_snapshot(), D("2025-06-02"))
    # M1's first contact was due 10 Mar while the CRT held it: late for c1, though w1 made it.
    assert (got["c1"]["eerste_contact_te_laat"], got["c1"]["eerste_contact_tijdig_pct_houder"]) == (
        1,
        0.0,
    )
    # M2's contact on 5 Mar came before its deadline: it counts for w2, who held it that day.
    assert (got["w2"]["eerste_contact_tijdig"], got["w2"]["eerste_contact_tijdig_pct_houder"]) == (
        1,
        100.0,
    )
    # w1 holds all three now, but held none on a first-contact day; M3 had no holder then.
    w1 = got["w1"]
    assert w1["eerste_contact_tijdig_pct_houder"] is None
    assert (w1["eerste_contact_tijdig"], w1["eerste_contact_te_laat"]) == (0, 0)
    # The plans were due 14 Apr, when w1 held all three: M1 on time, M2 and M3 verlopen.
    assert (w1["plan_van_aanpak_tijdig"], w1["plan_van_aanpak_verlopen"]) == (1, 2)
    assert w1["plan_tijdig_pct_houder"] == pytest.approx(100 / 3)
    assert (w1["rt_termijn_tijdig_pct_houder"], w1["risicotaxatie_verlopen"]) == (0.0, 3)
    assert w1["termijnen_houder"] == 6
    assert got["c1"]["plan_tijdig_pct_houder"] is None


def test_attribution_per_team_and_region():
    snap = attribution_snapshot()
    teams = per_holder(snap, D("2025-06-02"), by="team_id")
    assert teams["CRT"]["eerste_contact_tijdig_pct_houder"] == 0.0
    assert teams["A"]["eerste_contact_tijdig_pct_houder"] == 100.0
    assert teams["A"]["plan_tijdig_pct_houder"] == pytest.approx(100 / 3)
    # M3's first contact fell on a day without holder: it counts for no team or region either.
    regions = per_holder(snap, D("2025-06-02"), by="regio")
    groningen = regions["Groningen"]
    assert (groningen["eerste_contact_tijdig"], groningen["eerste_contact_te_laat"]) == (1, 1)
    assert groningen["eerste_contact_tijdig_pct_houder"] == 50.0


def test_attribution_covers_the_twelve_months_before_the_peildatum():
    snap = attribution_snapshot()
    # On 9 Mar 2026 the window starts after 9 Mar 2025: M1's day 10 Mar is in, M2's 5 Mar out.
    got = per_holder(snap, D("2026-03-09"))
    assert got["c1"]["eerste_contact_te_laat"] == 1
    assert "w2" not in got
    # A day later M1's first contact is 12 months old as well: c1 has nothing left.
    assert "c1" not in per_holder(snap, D("2026-03-10"))


def test_attribution_within_the_viewers_scope_and_the_registered_figures():
    snap = attribution_snapshot()
    as_of = D("2025-06-02")
    assert list(per_holder(snap, as_of, viewer=Viewer("jeugdzorgwerker", "w2"))) == ["w2"]
    # The teammanager of A sees the deadlines of A's holders, not the CRT's.
    assert list(per_holder(snap, as_of, viewer=Viewer("teammanager", "tm"))) == ["w1", "w2"]
    key = "eerste_contact_tijdig_pct_houder"
    assert waarde(key, snap, MANAGER, as_of, CONFIG, Filters(team_id="CRT")) == 0.0
    assert waarde(key, snap, MANAGER, as_of, CONFIG, Filters(regio="Groningen")) == 50.0
    plan = waarde(
        "plan_tijdig_pct_houder", snap, MANAGER, as_of, CONFIG, Filters(medewerker_id="w1")
    )
    assert plan == 33.3
    with pytest.raises(ValueError, match="by moet"):
        tijdigheid_per_houder(snap, MANAGER, as_of, CONFIG, by="start_maand")


def test_worklist_counts_per_worker_follow_the_binnenkort_setting():
    snap = attribution_snapshot()
    # On Wed 9 Apr w1 holds all three: no plan and no risicotaxatie yet, both due Mon 14 Apr,
    # three werkdagen away; M3's first contact met late, M1's too: nothing verlopen.
    got = termijnen_per_medewerker(snap, MANAGER, D("2025-04-09"), CONFIG)
    assert got.rows() == [("w1", 0, 6)]
    fewer = Config(binnenkort_werkdagen=2)
    assert termijnen_per_medewerker(snap, MANAGER, D("2025-04-09"), fewer).rows() == [("w1", 0, 0)]
    later = termijnen_per_medewerker(snap, MANAGER, D("2025-04-15"), CONFIG)
    # M1's plan came 10 Apr; the other five passed on 14 Apr.
    assert later.rows() == [("w1", 5, 0)]
    assert waarde("verlopen_termijnen", snap, MANAGER, D("2025-04-15"), CONFIG) == 5
    only_w2 = Filters(medewerker_id="w2")
    assert waarde("verlopen_termijnen", snap, MANAGER, D("2025-04-15"), CONFIG, only_w2) == 0
