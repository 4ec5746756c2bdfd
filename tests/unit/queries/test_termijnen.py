from datetime import date, timedelta

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from queries.config import Config, config_key
from queries.scope import MANAGER, Viewer
from queries.snapshot import Snapshot
from queries.termijnen import (
    NORMEN,
    maatregel_historie,
    maatregel_tellingen,
    prepared,
    signalen,
    termijn_historie,
    termijnen,
    termijnen_van,
    werklijst,
)
from tests.frames import sample_snapshot

CONFIG = Config()
TEAMS = [
    {"team_id": "A", "naam": "Team A", "regio": "Groningen", "soort": "regulier"},
    {"team_id": "B", "naam": "Team B", "regio": "Drenthe", "soort": "regulier"},
    {"team_id": "CRT", "naam": "CRT", "regio": "Groningen", "soort": "CRT"},
]
WORKER = {
    "medewerker_id": "w1", "naam": "Sanne", "functie": "jeugdbeschermer", "team_id": "A",
    "fte": 1.0, "in_dienst": "2020-01-01",
}  # fmt: skip


def snapshot(measures, export_date=date(2027, 1, 1), **tables) -> Snapshot:
    """Measures as (id, soort, uitspraak, start[, einde]) held by w1 from their start."""
    rows = []
    for m in measures:
        mid, soort, uitspraak, start, *rest = m
        rows.append(
            {
                "maatregel_id": mid,
                "jeugdige_id": f"J{mid}",
                "soort": soort,
                "uitspraak": uitspraak,
                "start": start,
                "einde": rest[0] if rest else None,
            }
        )
    tables.setdefault(
        "toewijzingen",
        [
            {"maatregel_id": r["maatregel_id"], "medewerker_id": "w1", "team_id": "A",
             "rol": "jeugdzorgwerker", "vanaf": r["start"]}
            for r in rows
        ],
    )  # fmt: skip
    tables.setdefault("medewerkers", [WORKER])
    return Snapshot.from_frames(export_date, teams=TEAMS, maatregelen=rows, **tables)


def contact(mid, datum, vorm="face-to-face", met="jeugdige", cid=None):
    return {
        "contact_id": cid or f"{mid}-{datum}-{vorm}-{met}",
        "maatregel_id": mid,
        "medewerker_id": "w1",
        "datum": datum,
        "vorm": vorm,
        "met": met,
    }


def rows_of(frame: pl.DataFrame, norm: str | None = None) -> list[tuple]:
    if norm is not None:
        frame = frame.filter(pl.col("norm") == norm)
    return [
        tuple(r)
        for r in frame.select("maatregel_id", "norm", "deadline", "status", "voldaan_op").rows()
    ]


def one(snap, as_of, norm, mid="M1"):
    """(deadline, status, voldaan_op) of one measure's current deadline of a norm."""
    dl = termijnen(snap, MANAGER, as_of, CONFIG).filter(
        (pl.col("maatregel_id") == mid) & (pl.col("norm") == norm)
    )
    if dl.height == 0:
        return None
    assert dl.height == 1
    return dl.select("deadline", "status", "voldaan_op").row(0)


D = date.fromisoformat


def test_sample_export_by_hand():
    snap = sample_snapshot()
    got = rows_of(termijnen(snap, MANAGER, D("2025-11-01"), CONFIG))
    assert got == [
        # M0101 OTS, uitspraak Mon 1 Sep, start Tue 2 Sep 2025.
        # Werkdagen after Tue 2 Sep: Wed 3, Thu 4, Fri 5, Mon 8, Tue 9; K1 f2f on Fri 5 Sep.
        ("M2025-0101", "eerste_contact", D("2025-09-09"), "tijdig", D("2025-09-05")),
        # 1 Sep + 42 days = Mon 13 Oct; PL1 on 9 Oct.
        ("M2025-0101", "plan_van_aanpak", D("2025-10-13"), "tijdig", D("2025-10-09")),
        # HU1 requested, not started; 1 Sep + 3 months = Mon 1 Dec, after 1 Nov: open.
        ("M2025-0101", "hulp_gestart", D("2025-12-01"), "open", None),
        # ARIJ RT1 on 10 Sep met interval 1 (due 14 Oct); next: 10 Sep + 3 months = Wed 10 Dec.
        ("M2025-0101", "risicotaxatie", D("2025-12-10"), "open", None),
        # JB: 12 months after PL1 (9 Oct 2025) = Fri 9 Oct 2026.
        ("M2025-0101", "plan_evaluatie", D("2026-10-09"), "open", None),
        # M0102 voogdij, uitspraak Tue 10 Jun, start Wed 11 Jun 2025.
        # Thu 12, Fri 13, Mon 16, Tue 17, Wed 18; K2 is by phone, K3 f2f on 2 Jul: late.
        ("M2025-0102", "eerste_contact", D("2025-06-18"), "te_laat", D("2025-07-02")),
        # 10 Jun + 42 days = Tue 22 Jul; PL2 on 25 Jul.
        ("M2025-0102", "plan_van_aanpak", D("2025-07-22"), "te_laat", D("2025-07-25")),
        # 10 Jun + 3 months = Wed 10 Sep; HU2 started 1 Jul.
        ("M2025-0102", "hulp_gestart", D("2025-09-10"), "tijdig", D("2025-07-01")),
        # No ARIJ at all: first due 11 Jun + 42 days = Wed 23 Jul, long past.
        ("M2025-0102", "risicotaxatie", D("2025-07-23"), "verlopen", None),
        # PL2 25 Jul 2025 + 12 months = Sat 25 Jul 2026 -> Mon 27 Jul.
        ("M2025-0102", "plan_evaluatie", D("2026-07-27"), "open", None),
        # Contacts with the child: K2 (phone, counts) 20 Jun, K3 2 Jul; next due
        # 2 Jul + 3 months = Thu 2 Oct, passed on 1 Nov.
        ("M2025-0102", "voogdij_contact", D("2025-10-02"), "verlopen", None),
        # M0103 JR, uitspraak Thu 14 Aug, start Fri 15 Aug 2025.
        # Mon 18, Tue 19, Wed 20, Thu 21, Fri 22; K4 f2f on Fri 22 Aug: on the day.
        ("M2025-0103", "eerste_contact", D("2025-08-22"), "tijdig", D("2025-08-22")),
        # 14 Aug + 42 days = Thu 25 Sep; PL3 on 24 Sep.
        ("M2025-0103", "plan_van_aanpak", D("2025-09-25"), "tijdig", D("2025-09-24")),
        # No hulp rows: no hulp_gestart norm. LIJ RT2 on 22 Aug; the LIJ's term is 6 months:
        # 22 Feb 2026 is a Sunday -> Mon 23 Feb.
        ("M2025-0103", "risicotaxatie", D("2026-02-23"), "open", None),
        # JR: 6 months after PL3 (24 Sep 2025) = Tue 24 Mar 2026.
        ("M2025-0103", "plan_evaluatie", D("2026-03-24"), "open", None),
    ]


def test_sample_export_rolling_history():
    hist = termijn_historie(sample_snapshot(), MANAGER, D("2025-11-01"), CONFIG)
    rolling = hist.filter(pl.col("norm").is_in(["risicotaxatie", "voogdij_contact"]))
    got = rolling.select("maatregel_id", "norm", "interval", "deadline", "status").rows()
    assert got == [
        # Interval 1 due start + 6 weeks (Tue 14 Oct), met by RT1 on 10 Sep.
        ("M2025-0101", "risicotaxatie", 1, D("2025-10-14"), "tijdig"),
        ("M2025-0101", "risicotaxatie", 2, D("2025-12-10"), "open"),
        ("M2025-0102", "risicotaxatie", 1, D("2025-07-23"), "verlopen"),
        # Interval 1 due start + 3 months (Thu 11 Sep), met 20 Jun.
        ("M2025-0102", "voogdij_contact", 1, D("2025-09-11"), "tijdig"),
        # 20 Jun + 3 months = Sat 20 Sep -> Mon 22 Sep, met 2 Jul.
        ("M2025-0102", "voogdij_contact", 2, D("2025-09-22"), "tijdig"),
        ("M2025-0102", "voogdij_contact", 3, D("2025-10-02"), "verlopen"),
        # Interval 1 due Fri 26 Sep, met by RT2 on 22 Aug.
        ("M2025-0103", "risicotaxatie", 1, D("2025-09-26"), "tijdig"),
        ("M2025-0103", "risicotaxatie", 2, D("2026-02-23"), "open"),
    ]


# eerste_contact ---------------------------------------------------------------------------


def test_eerste_contact_around_koningsdag_2026():
    # Start Mon 20 Apr 2026: Tue 21 .. Fri 24, Mon 27 Koningsdag, Tue 28 (5).
    m = [("M1", "OTS", "2026-04-17", "2026-04-20")]
    on_time = snapshot(m, contacten=[contact("M1", "2026-04-28")])
    late = snapshot(m, contacten=[contact("M1", "2026-04-29")])
    assert one(on_time, D("2026-05-01"), "eerste_contact") == (
        D("2026-04-28"), "tijdig", D("2026-04-28"),
    )  # fmt: skip
    assert one(late, D("2026-05-01"), "eerste_contact") == (
        D("2026-04-28"), "te_laat", D("2026-04-29"),
    )  # fmt: skip


def test_eerste_contact_koningsdag_on_sunday_2025_does_not_free_monday():
    # Start Mon 21 Apr 2025 (tweede Paasdag itself): Tue 22 .. Fri 25 (4), Mon 28 (5).
    snap = snapshot([("M1", "OTS", "2025-04-18", "2025-04-21")])
    assert one(snap, D("2025-04-25"), "eerste_contact") == (D("2025-04-28"), "open", None)
    assert one(snap, D("2025-04-28"), "eerste_contact") == (D("2025-04-28"), "open", None)
    assert one(snap, D("2025-04-29"), "eerste_contact") == (D("2025-04-28"), "verlopen", None)


@pytest.mark.parametrize(
    ("start", "deadline"),
    [
        ("2025-04-30", "2025-05-08"),  # Thu 1 May, Fri 2, (5 mei), Tue 6, Wed 7, Thu 8
        ("2025-05-26", "2025-06-03"),  # Tue 27, Wed 28, (Hemelvaart 29), Fri 30, Mon 2, Tue 3
        ("2025-06-05", "2025-06-13"),  # Fri 6, (Pinkstermaandag 9), Tue 10 .. Fri 13
        ("2025-12-23", "2026-01-02"),  # Wed 24, (25, 26), Mon 29, Tue 30, Wed 31, (1 Jan), Fri 2
        ("2026-12-31", "2027-01-08"),  # (Fri 1 Jan), Mon 4 .. Fri 8
        ("2025-11-29", "2025-12-05"),  # start on a Saturday: Mon 1 .. Fri 5 Dec
    ],
)
def test_eerste_contact_around_feestdagen(start, deadline):
    snap = snapshot([("M1", "JR", start, start)])
    assert one(snap, D(start), "eerste_contact") == (D(deadline), "open", None)


def test_eerste_contact_counts_only_face_to_face_with_child_or_parent_from_start():
    m = [("M1", "OTS", "2025-09-01", "2025-09-02")]
    not_counting = [
        contact("M1", "2025-09-01"),  # before start
        contact("M1", "2025-09-03", vorm="telefonisch"),
        contact("M1", "2025-09-03", vorm="video"),
        contact("M1", "2025-09-04", met="netwerk"),
        contact("M1", "2025-09-04", met="ketenpartner"),
    ]
    snap = snapshot(m, contacten=not_counting)
    assert one(snap, D("2025-09-30"), "eerste_contact") == (D("2025-09-09"), "verlopen", None)
    snap = snapshot(m, contacten=[*not_counting, contact("M1", "2025-09-05", met="ouder")])
    assert one(snap, D("2025-09-30"), "eerste_contact")[1:] == ("tijdig", D("2025-09-05"))
    video_counts = Config(eerste_contact_vormen=("face-to-face", "video"))
    dl = termijnen(snapshot(m, contacten=not_counting), MANAGER, D("2025-09-30"), video_counts)
    assert dl.filter(pl.col("norm") == "eerste_contact")["voldaan_op"].to_list() == [
        D("2025-09-03")
    ]


def test_eerste_contact_events_after_as_of_are_ignored():
    snap = snapshot(
        [("M1", "OTS", "2025-09-01", "2025-09-02")], contacten=[contact("M1", "2025-09-05")]
    )
    assert one(snap, D("2025-09-04"), "eerste_contact") == (D("2025-09-09"), "open", None)
    assert one(snap, D("2025-09-05"), "eerste_contact")[1] == "tijdig"


def test_measure_started_after_as_of_has_no_deadlines():
    snap = snapshot([("M1", "OTS", "2025-09-01", "2025-09-02")])
    assert termijnen(snap, MANAGER, D("2025-09-01"), CONFIG).height == 0
    assert termijnen(snap, MANAGER, D("2025-09-02"), CONFIG).height > 0


# statuses: vervallen / verlopen around the end of a measure -------------------------------


def test_measure_ending_before_deadline_is_vervallen():
    # Deadline Tue 9 Sep; the measure ended Mon 8 Sep without a contact.
    snap = snapshot([("M1", "OTS", "2025-09-01", "2025-09-02", "2025-09-08")])
    assert one(snap, D("2025-10-01"), "eerste_contact") == (D("2025-09-09"), "vervallen", None)
    # Ending on the deadline day itself: not active that day, so vervallen too.
    snap = snapshot([("M1", "OTS", "2025-09-01", "2025-09-02", "2025-09-09")])
    assert one(snap, D("2025-10-01"), "eerste_contact")[1] == "vervallen"


def test_measure_ending_after_missed_deadline_is_verlopen():
    # Active on the deadline day (Tue 9 Sep), ended Wed 10 Sep, before as_of: still verlopen.
    snap = snapshot([("M1", "OTS", "2025-09-01", "2025-09-02", "2025-09-10")])
    row = termijnen(snap, MANAGER, D("2025-10-01"), CONFIG).row(0, named=True)
    assert (row["norm"], row["status"], row["einde"], row["actief"]) == (
        "eerste_contact", "verlopen", D("2025-09-10"), False,
    )  # fmt: skip


def test_end_after_as_of_is_not_known_yet():
    snap = snapshot([("M1", "OTS", "2025-09-01", "2025-09-02", "2025-09-05")])
    row = termijnen(snap, MANAGER, D("2025-09-04"), CONFIG).row(0, named=True)
    assert (row["status"], row["einde"], row["actief"]) == ("open", None, True)
    # Once the end is known the same deadline is vervallen.
    assert one(snap, D("2025-09-05"), "eerste_contact")[1] == "vervallen"


def test_events_after_the_end_do_not_count():
    snap = snapshot(
        [("M1", "OTS", "2025-09-01", "2025-09-02", "2025-09-08")],
        contacten=[contact("M1", "2025-09-09")],
    )
    assert one(snap, D("2025-10-01"), "eerste_contact")[1:] == ("vervallen", None)


# plan_van_aanpak / hulp_gestart --------------------------------------------------------------


@pytest.mark.parametrize(
    ("uitspraak", "deadline"),
    [
        ("2025-03-17", "2025-04-28"),  # Mon 28 Apr 2025: Koningsdag was on Saturday 26th
        ("2026-03-16", "2026-04-28"),  # Mon 27 Apr 2026 Koningsdag -> Tue 28
        ("2025-03-22", "2025-05-06"),  # Sat 3 May -> Mon 5 mei -> Tue 6
        ("2025-11-13", "2025-12-29"),  # Thu 25 Dec -> Fri 26 -> Mon 29
        ("2025-11-20", "2026-01-02"),  # Thu 1 Jan -> Fri 2 Jan
    ],
)
def test_plan_van_aanpak_six_weeks_after_uitspraak(uitspraak, deadline):
    snap = snapshot([("M1", "VOTS", uitspraak, uitspraak)])
    assert one(snap, D(uitspraak), "plan_van_aanpak") == (D(deadline), "open", None)


def test_plan_van_aanpak_met_by_first_plan_of_any_soort():
    plans = [
        {"plan_id": "P2", "maatregel_id": "M1", "soort": "eerste", "vastgesteld": "2025-05-07"},
        {"plan_id": "P1", "maatregel_id": "M1", "soort": "bijstelling",
         "vastgesteld": "2025-05-06"},
    ]  # fmt: skip
    snap = snapshot([("M1", "OTS", "2025-03-22", "2025-03-24")], plannen=plans)
    assert one(snap, D("2025-06-01"), "plan_van_aanpak") == (
        D("2025-05-06"), "tijdig", D("2025-05-06"),
    )  # fmt: skip
    assert one(snap, D("2025-05-05"), "plan_van_aanpak") == (D("2025-05-06"), "open", None)


def test_hulp_gestart_only_with_hulp_rows_known_by_as_of():
    hulp = [
        {"hulp_id": "H1", "maatregel_id": "M1", "aangevraagd": "2025-10-15",
         "gestart": "2025-12-30"},
        {"hulp_id": "H2", "maatregel_id": "M1", "aangevraagd": "2025-11-01",
         "gestart": "2025-12-29"},
    ]  # fmt: skip
    m = [("M1", "OTS", "2025-09-25", "2025-09-26"), ("M2", "OTS", "2025-09-25", "2025-09-26")]
    snap = snapshot(m, hulp=hulp)
    assert one(snap, D("2025-10-14"), "hulp_gestart") is None
    # 25 Sep + 3 months = Thu 25 Dec -> Fri 26 free -> Mon 29 Dec.
    assert one(snap, D("2025-10-15"), "hulp_gestart") == (D("2025-12-29"), "open", None)
    assert one(snap, D("2026-01-10"), "hulp_gestart") == (
        D("2025-12-29"), "tijdig", D("2025-12-29"),
    )  # fmt: skip
    assert one(snap, D("2026-01-10"), "hulp_gestart", mid="M2") is None


# risicotaxatie ----------------------------------------------------------------------------


def taxatie(mid, datum, instrument="ARIJ"):
    return {"taxatie_id": f"{mid}-{datum}-{instrument}", "maatregel_id": mid,
            "instrument": instrument, "datum": datum}  # fmt: skip


def test_risicotaxatie_chain():
    # Start Mon 6 Jan 2025: first due Mon 17 Feb. Taxatie 10 Feb (tijdig); next due
    # 10 May (Sat) -> Mon 12 May; taxatie 20 May (te_laat); next due Wed 20 Aug.
    snap = snapshot(
        [("M1", "OTS", "2025-01-03", "2025-01-06")],
        risicotaxaties=[
            taxatie("M1", "2025-02-10"),
            taxatie("M1", "2025-05-20"),
            taxatie("M1", "2025-03-01", "LIJ"),  # wrong instrument for JB
            taxatie("M1", "2025-09-02"),  # after as_of
        ],
    )
    hist = termijn_historie(snap, MANAGER, D("2025-09-01"), CONFIG).filter(
        pl.col("norm") == "risicotaxatie"
    )
    assert hist.select("interval", "deadline", "status", "voldaan_op").rows() == [
        (1, D("2025-02-17"), "tijdig", D("2025-02-10")),
        (2, D("2025-05-12"), "te_laat", D("2025-05-20")),
        (3, D("2025-08-20"), "verlopen", None),
    ]
    assert one(snap, D("2025-09-01"), "risicotaxatie") == (D("2025-08-20"), "verlopen", None)
    assert one(snap, D("2025-08-20"), "risicotaxatie") == (D("2025-08-20"), "open", None)
    # The taxatie of 2 Sep meets interval 3 late and opens a new one: 2 Dec.
    assert one(snap, D("2025-09-02"), "risicotaxatie") == (D("2025-12-02"), "open", None)


def test_risicotaxatie_jr_needs_lij_every_six_months():
    snap = snapshot(
        [("M1", "JR", "2025-01-03", "2025-01-06")],
        risicotaxaties=[taxatie("M1", "2025-01-20", "ARIJ"), taxatie("M1", "2025-02-10", "LIJ")],
    )
    # LIJ of 10 Feb + 6 months = Sun 10 Aug -> Mon 11 Aug (an ARIJ would be due 12 May).
    assert one(snap, D("2025-03-01"), "risicotaxatie") == (D("2025-08-11"), "open", None)


def test_risicotaxatie_terms_are_settings_per_instrument():
    snap = snapshot(
        [("JB", "OTS", "2025-01-03", "2025-01-06"), ("JR", "JR", "2025-01-03", "2025-01-06")],
        risicotaxaties=[taxatie("JB", "2025-02-10"), taxatie("JR", "2025-02-10", "LIJ")],
    )
    config = Config(risicotaxatie_interval_maanden_arij=2, risicotaxatie_interval_maanden_lij=4)
    dl = termijnen(snap, MANAGER, D("2025-03-01"), config).filter(pl.col("norm") == "risicotaxatie")
    # 10 Feb + 2 months = Thu 10 Apr; + 4 months = Tue 10 Jun.
    assert dl.select("maatregel_id", "deadline").rows() == [
        ("JB", D("2025-04-10")),
        ("JR", D("2025-06-10")),
    ]


def test_rolling_current_deadline_after_the_end():
    m = ("M1", "OTS", "2025-01-03", "2025-01-06")
    rt = [taxatie("M1", "2025-05-20")]  # next due Wed 20 Aug
    verlopen = snapshot([(*m, "2025-08-25")], risicotaxaties=rt)
    vervallen = snapshot([(*m, "2025-08-20")], risicotaxaties=rt)
    assert one(verlopen, D("2025-09-01"), "risicotaxatie")[1] == "verlopen"
    assert one(vervallen, D("2025-09-01"), "risicotaxatie")[1] == "vervallen"


# plan_evaluatie ---------------------------------------------------------------------------


def plan(mid, datum, soort="eerste"):
    return {"plan_id": f"{mid}-{datum}", "maatregel_id": mid, "soort": soort,
            "vastgesteld": datum}  # fmt: skip


def test_plan_evaluatie_jb_twelve_jr_six_months():
    snap = snapshot(
        [
            ("JB", "OTS", "2025-01-03", "2025-01-06"),
            ("JR", "JR", "2025-08-01", "2025-08-01"),
            ("NOPLAN", "OTS", "2025-01-03", "2025-01-06"),
        ],
        plannen=[plan("JB", "2025-01-31"), plan("JR", "2025-08-31")],
    )
    # 31 Jan 2026 is a Saturday -> Mon 2 Feb.
    assert one(snap, D("2025-09-01"), "plan_evaluatie", "JB") == (D("2026-02-02"), "open", None)
    # 31 Aug + 6 months clips to Sat 28 Feb 2026 -> Mon 2 Mar.
    assert one(snap, D("2025-09-01"), "plan_evaluatie", "JR") == (D("2026-03-02"), "open", None)
    assert one(snap, D("2025-09-01"), "plan_evaluatie", "NOPLAN") is None


def test_plan_evaluatie_chain():
    snap = snapshot(
        [("M1", "OTS", "2024-05-01", "2024-05-02")],
        plannen=[plan("M1", "2024-06-03"), plan("M1", "2025-06-10", "evaluatie")],
    )
    hist = termijn_historie(snap, MANAGER, D("2025-07-01"), CONFIG).filter(
        pl.col("norm") == "plan_evaluatie"
    )
    assert hist.select("interval", "deadline", "status", "voldaan_op").rows() == [
        (1, D("2025-06-03"), "te_laat", D("2025-06-10")),
        (2, D("2026-06-10"), "open", None),
    ]
    before = termijn_historie(snap, MANAGER, D("2025-06-09"), CONFIG)
    assert before.filter(pl.col("norm") == "plan_evaluatie").select(
        "interval", "status"
    ).rows() == [(1, "verlopen")]


# voogdij_contact --------------------------------------------------------------------------


def test_voogdij_contact_chain_and_who_counts():
    snap = snapshot(
        [
            ("V", "voogdij", "2025-03-06", "2025-03-07"),
            ("VV", "voorlopige_voogdij", "2025-03-06", "2025-03-07"),
            ("O", "OTS", "2025-03-06", "2025-03-07"),
        ],
        contacten=[
            contact("V", "2025-03-09", vorm="telefonisch"),  # any vorm counts
            contact("V", "2025-05-01", met="ouder"),  # only the child counts
            contact("V", "2025-06-10", vorm="app", met="jeugdige_en_ouder"),
            contact("V", "2025-10-01"),
            contact("O", "2025-03-09"),
        ],
    )
    hist = termijn_historie(snap, MANAGER, D("2025-12-31"), CONFIG)
    vg = hist.filter(pl.col("norm") == "voogdij_contact")
    assert vg.select("maatregel_id", "interval", "deadline", "status", "voldaan_op").rows() == [
        # First due start + 3 months: Sat 7 Jun -> Mon 9 Jun is tweede Pinksterdag -> Tue 10.
        ("V", 1, D("2025-06-10"), "tijdig", D("2025-03-09")),
        # 9 Mar + 3 months = Mon 9 Jun, tweede Pinksterdag -> Tue 10 Jun: met that day.
        ("V", 2, D("2025-06-10"), "tijdig", D("2025-06-10")),
        # 10 Jun + 3 months = Wed 10 Sep; next contact only 1 Oct.
        ("V", 3, D("2025-09-10"), "te_laat", D("2025-10-01")),
        # 1 Oct + 3 months = Thu 1 Jan 2026 -> Fri 2 Jan.
        ("V", 4, D("2026-01-02"), "open", None),
        ("VV", 1, D("2025-06-10"), "verlopen", None),
    ]


# worklist / signalen -----------------------------------------------------------------------


def test_worklist_verlopen_first_then_open_by_deadline():
    snap = snapshot(
        [
            ("M1", "OTS", "2025-09-01", "2025-09-02"),
            ("M2", "JR", "2025-10-20", "2025-10-21"),
            ("M3", "OTS", "2025-08-01", "2025-08-01", "2025-10-01"),
        ],
        contacten=[contact("M1", "2025-09-03")],
        toewijzingen=[
            {"maatregel_id": m, "medewerker_id": w, "team_id": "A", "rol": "jeugdzorgwerker",
             "vanaf": "2025-08-01"}
            for m, w in (("M1", "w1"), ("M2", "w1"), ("M3", "w1"))
        ],
    )  # fmt: skip
    wl = werklijst(snap, MANAGER, D("2025-10-24"), CONFIG, medewerker_id="w1")
    cols = ["maatregel_id", "norm", "deadline", "status", "werkdagen_tot", "dagen_verlopen"]
    assert wl.select(cols).rows() == [
        # M1 (start Tue 2 Sep) has its first contact; no plan by Mon 13 Oct, no taxatie by
        # Tue 14 Oct. M3 has ended, so it is not on the list.
        ("M1", "plan_van_aanpak", D("2025-10-13"), "verlopen", None, 11),
        ("M1", "risicotaxatie", D("2025-10-14"), "verlopen", None, 10),
        # M2 started Tue 21 Oct: first contact due Tue 28 Oct, two werkdagen after Fri 24.
        ("M2", "eerste_contact", D("2025-10-28"), "open", 2, None),
        # Uitspraak 20 Oct + 42 days = Mon 1 Dec: 5 weeks of 5 werkdagen plus Monday.
        ("M2", "plan_van_aanpak", D("2025-12-01"), "open", 26, None),
        ("M2", "risicotaxatie", D("2025-12-02"), "open", 27, None),
    ]
    assert werklijst(snap, MANAGER, D("2025-10-24"), CONFIG, medewerker_id="other").height == 0


def test_signalen_einde_gepland_within_eight_weeks():
    rows = [
        {"maatregel_id": "S1", "jeugdige_id": "J1", "soort": "OTS", "uitspraak": "2025-01-01",
         "start": "2025-01-02", "einde_gepland": "2025-12-26"},
        {"maatregel_id": "S2", "jeugdige_id": "J2", "soort": "OTS", "uitspraak": "2025-01-01",
         "start": "2025-01-02", "einde_gepland": "2025-12-27"},
        {"maatregel_id": "S3", "jeugdige_id": "J3", "soort": "OTS", "uitspraak": "2025-01-01",
         "start": "2025-01-02", "einde_gepland": "2025-11-01", "einde": "2025-10-15"},
    ]  # fmt: skip
    snap = Snapshot.from_frames(date(2026, 1, 1), teams=TEAMS, maatregelen=rows)
    got = signalen(snap, MANAGER, D("2025-10-31"), CONFIG)
    assert got.select("maatregel_id", "dagen_tot_einde").rows() == [("S1", 56)]


# scope ------------------------------------------------------------------------------------


def scope_snapshot() -> Snapshot:
    def person(mid, functie, team, begeleider=None):
        return {"medewerker_id": mid, "naam": mid, "functie": functie, "team_id": team,
                "fte": 1.0, "in_dienst": "2020-01-01", "begeleider_id": begeleider,
                "vog_datum": "2024-01-01"}  # fmt: skip

    staff = [
        person("A1", "jeugdbeschermer", "A", "P1"),
        person("A2", "jeugdbeschermer", "A", "P2"),
        person("B1", "jeugdreclasseerder", "B", "P1"),
        person("P1", "praktijkbegeleider", "A"),
        person("P2", "praktijkbegeleider", "B"),
        person("G1", "gedragswetenschapper", "A"),
        person("T1", "teammanager", "A"),
        person("MG", "manager", "B"),
    ]
    measures = [
        ("MA1", "OTS", "2025-01-01", "2025-01-02"),
        ("MA2", "OTS", "2025-01-01", "2025-01-02"),
        ("MB1", "JR", "2025-01-01", "2025-01-02"),
        ("MOVED", "OTS", "2025-01-01", "2025-01-02"),
        ("MX", "OTS", "2025-01-01", "2025-01-02"),
    ]

    def held(m, w, team, vanaf="2025-01-02", tot=None):
        return {"maatregel_id": m, "medewerker_id": w, "team_id": team,
                "rol": "jeugdzorgwerker", "vanaf": vanaf, "tot": tot}  # fmt: skip

    toew = [
        held("MA1", "A1", "A"),
        held("MA2", "A2", "A"),
        held("MB1", "B1", "B"),
        held("MOVED", "A1", "A", tot="2025-06-01"),
        held("MOVED", "B1", "B", vanaf="2025-06-01"),
    ]
    return snapshot(measures, medewerkers=staff, toewijzingen=toew)


SCOPES = [
    (Viewer("jeugdzorgwerker", "A1"), {"MA1"}, {"A1"}),
    (Viewer("jeugdzorgwerker", "B1"), {"MB1", "MOVED"}, {"B1"}),
    (Viewer("praktijkbegeleider", "P1"), {"MA1", "MB1", "MOVED"}, {"A1", "B1", "P1"}),
    (Viewer("gedragswetenschapper", "G1"), {"MA1", "MA2"}, {"A1", "A2", "P1", "G1", "T1"}),
    (Viewer("teammanager", "T1"), {"MA1", "MA2"}, {"A1", "A2", "P1", "G1", "T1"}),
    (Viewer("manager", "MG"), {"MA1", "MA2", "MB1", "MOVED", "MX"}, None),
    (Viewer("beheerder"), {"MA1", "MA2", "MB1", "MOVED", "MX"}, None),
    (Viewer("jeugdzorgwerker", "nobody"), set(), set()),
]


@pytest.mark.parametrize(("viewer", "measures"), [(v, m) for v, m, _ in SCOPES])
def test_scope_per_role(viewer, measures):
    snap = scope_snapshot()
    as_of = D("2025-09-01")
    assert set(termijnen(snap, viewer, as_of, CONFIG)["maatregel_id"]) == measures
    assert set(termijn_historie(snap, viewer, as_of, CONFIG)["maatregel_id"]) == measures
    assert set(werklijst(snap, viewer, as_of, CONFIG)["maatregel_id"]) <= measures


def test_scope_follows_the_holder_on_as_of():
    snap = scope_snapshot()
    a1 = Viewer("jeugdzorgwerker", "A1")
    assert "MOVED" in set(termijnen(snap, a1, D("2025-05-31"), CONFIG)["maatregel_id"])
    assert "MOVED" not in set(termijnen(snap, a1, D("2025-06-01"), CONFIG)["maatregel_id"])


# properties ------------------------------------------------------------------------------

BASE = date(2024, 1, 1)
SOORTEN = ("OTS", "VOTS", "voogdij", "voorlopige_voogdij", "JR")
STATUS_RANK = {"tijdig": 0, "te_laat": 1, "open": 2, "vervallen": 2, "verlopen": 3}


@st.composite
def measure_data(draw):
    start = BASE + timedelta(days=draw(st.integers(0, 700)))
    measure = {
        "maatregel_id": "M1",
        "jeugdige_id": "J1",
        "soort": draw(st.sampled_from(SOORTEN)),
        "uitspraak": start - timedelta(days=draw(st.integers(0, 14))),
        "start": start,
        "einde": draw(st.none() | st.integers(1, 500).map(lambda n: start + timedelta(days=n))),
    }
    offsets = st.lists(st.integers(-20, 500), max_size=6)
    contacts = [
        contact(
            "M1",
            start + timedelta(days=o),
            vorm=draw(st.sampled_from(["face-to-face", "telefonisch"])),
            met=draw(st.sampled_from(["jeugdige", "ouder", "netwerk"])),
            cid=f"C{i}",
        )
        for i, o in enumerate(draw(offsets))
    ]
    plans = [plan("M1", start + timedelta(days=o)) | {"plan_id": f"P{i}"}
             for i, o in enumerate(draw(offsets))]  # fmt: skip
    taxes = [
        taxatie("M1", start + timedelta(days=o), draw(st.sampled_from(["ARIJ", "LIJ"])))
        | {"taxatie_id": f"T{i}"}
        for i, o in enumerate(draw(offsets))
    ]
    hulp = [
        {"hulp_id": "H1", "maatregel_id": "M1", "aangevraagd": start,
         "gestart": start + timedelta(days=draw(st.integers(0, 200)))}
    ] if draw(st.booleans()) else []  # fmt: skip
    as_of = start + timedelta(days=draw(st.integers(0, 600)))
    return {
        "maatregelen": [measure],
        "contacten": contacts,
        "plannen": plans,
        "risicotaxaties": taxes,
        "hulp": hulp,
    }, as_of


def build(tables) -> Snapshot:
    tables = {k: pl.DataFrame(v) if v else None for k, v in tables.items()}
    return Snapshot.from_frames(date(2030, 1, 1), teams=TEAMS, **tables)


FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(measure_data())
def test_property_deadline_never_before_start(data):
    tables, as_of = data
    hist = termijn_historie(build(tables), MANAGER, as_of, CONFIG)
    assert hist.height > 0
    assert (hist["deadline"] >= hist["start"]).all()


@FAST
@given(measure_data(), st.integers(-20, 600), st.sampled_from(["contact", "plan", "taxatie"]))
def test_property_adding_an_event_never_makes_a_status_worse(data, offset, kind):
    tables, as_of = data
    start = tables["maatregelen"][0]["start"]
    day = start + timedelta(days=offset)
    more = {k: list(v) for k, v in tables.items()}
    if kind == "contact":
        more["contacten"].append(contact("M1", day, cid="extra"))
    elif kind == "plan":
        more["plannen"].append(plan("M1", day) | {"plan_id": "extra"})
    else:
        instrument = "LIJ" if tables["maatregelen"][0]["soort"] == "JR" else "ARIJ"
        more["risicotaxaties"].append(taxatie("M1", day, instrument) | {"taxatie_id": "extra"})

    def statuses(t):
        dl = termijnen(build(t), MANAGER, as_of, CONFIG)
        return dict(zip(dl["norm"], dl["status"], strict=True))

    before, after = statuses(tables), statuses(more)
    # A first plan brings the plan_evaluatie norm into being; nothing disappears.
    assert before.keys() <= after.keys()
    for norm, status in before.items():
        assert STATUS_RANK[after[norm]] <= STATUS_RANK[status], (norm, status, after[norm])


@FAST
@given(measure_data(), st.integers(1, 400))
def test_property_moving_as_of_forward_keeps_tijdig(data, days):
    tables, as_of = data
    snap = build(tables)
    key = ["maatregel_id", "norm", "interval"]
    then = termijn_historie(snap, MANAGER, as_of, CONFIG).filter(pl.col("status") == "tijdig")
    later = termijn_historie(snap, MANAGER, as_of + timedelta(days=days), CONFIG)
    joined = then.join(later, on=key, how="left", suffix="_later")
    assert joined["status_later"].to_list() == ["tijdig"] * then.height


@FAST
@given(measure_data(), st.sampled_from(sorted(NORMEN)), st.sets(st.sampled_from(SOORTEN)))
def test_property_one_norms_deadlines_are_its_part_of_all(data, norm, soorten):
    tables, as_of = data
    snap, soorten = build(tables), tuple(sorted(soorten))
    full = termijnen(snap, MANAGER, as_of, CONFIG)
    part = full.filter((pl.col("norm") == norm) & pl.col("soort").is_in(soorten))
    assert termijnen_van(snap, MANAGER, as_of, CONFIG, norm, soorten).equals(part)


@pytest.mark.parametrize("viewer", [v for v, *_ in SCOPES])
@pytest.mark.parametrize("as_of", ["2025-05-31", "2025-09-01"])
def test_one_norms_deadlines_keep_the_viewers_scope(viewer, as_of):
    snap, day = scope_snapshot(), D(as_of)
    full = termijnen(snap, viewer, day, CONFIG)
    for norm in NORMEN:
        part = full.filter((pl.col("norm") == norm) & pl.col("soort").is_in(SOORTEN))
        assert termijnen_van(snap, viewer, day, CONFIG, norm, SOORTEN).equals(part), norm


def test_one_persons_worklist_is_their_part_of_everyones():
    snap = sample_snapshot()
    everyone = werklijst(snap, MANAGER, D("2025-11-01"), CONFIG)
    for person in ("1001", "1002", "1003"):
        theirs = everyone.filter(pl.col("medewerker_id") == person)
        assert werklijst(snap, MANAGER, D("2025-11-01"), CONFIG, medewerker_id=person).equals(
            theirs
        )
        own = werklijst(snap, Viewer("jeugdzorgwerker", person), D("2025-11-01"), CONFIG)
        assert own.equals(theirs)
    # 1003 held M0102 until 1 Oct, so it is on their list on 30 Sep only.
    assert set(werklijst(snap, MANAGER, D("2025-09-30"), CONFIG, "1003")["maatregel_id"]) == {
        "M2025-0102"
    }


def test_worklist_of_a_covering_toewijzing_that_is_not_the_holder():
    # Two toewijzingen cover the day; the later one holds the measure.
    snap = snapshot(
        [("M1", "OTS", "2025-09-01", "2025-09-02")],
        toewijzingen=[
            {"maatregel_id": "M1", "medewerker_id": "w1", "team_id": "A",
             "rol": "jeugdzorgwerker", "vanaf": "2025-09-02"},
            {"maatregel_id": "M1", "medewerker_id": "w2", "team_id": "A",
             "rol": "jeugdzorgwerker", "vanaf": "2025-09-10"},
        ],
    )  # fmt: skip
    assert werklijst(snap, MANAGER, D("2025-10-01"), CONFIG, "w1").height == 0
    assert werklijst(snap, MANAGER, D("2025-10-01"), CONFIG, "w2").height > 0


@pytest.mark.parametrize("viewer", [v for v, *_ in SCOPES])
@pytest.mark.parametrize("as_of", ["2025-05-31", "2025-09-01"])
def test_measure_history_is_its_part_of_the_viewers_history(viewer, as_of):
    snap, day = scope_snapshot(), D(as_of)
    everything = termijn_historie(snap, viewer, day, CONFIG)
    for mid in ("MA1", "MA2", "MB1", "MOVED", "MX", "GEEN"):
        theirs = everything.filter(pl.col("maatregel_id") == mid)
        assert maatregel_historie(snap, viewer, day, CONFIG, mid).equals(theirs), mid


def test_measure_history_of_the_sample_holds_every_interval():
    hist = maatregel_historie(sample_snapshot(), MANAGER, D("2025-11-01"), CONFIG, "M2025-0102")
    contact = hist.filter(pl.col("norm") == "voogdij_contact")
    assert contact.select("interval", "status").rows() == [
        (1, "tijdig"), (2, "tijdig"), (3, "verlopen")
    ]  # fmt: skip
    assert set(hist["norm"]) == set(NORMEN)
    own = Viewer("jeugdzorgwerker", "1002")
    assert maatregel_historie(
        sample_snapshot(), own, D("2025-11-01"), CONFIG, "M2025-0102"
    ).is_empty()


def test_a_cold_engine_answers_one_caseload_and_one_measure_as_the_prepared_one():
    # Before the load is prepared, a worklist or a measure's history is computed on just its
    # measures; once it is prepared, on the load's engine. Both must give the same rows.
    warm = sample_snapshot()
    prepared(warm, CONFIG)
    staff = warm["medewerkers"]["medewerker_id"].to_list()
    measures = warm["maatregelen"]["maatregel_id"].to_list()
    for day in (D("2025-09-15"), D("2025-10-31")):
        for person in staff:
            cold = sample_snapshot()
            got = werklijst(cold, MANAGER, day, CONFIG, medewerker_id=person)
            assert not cold.remembers(("termijnen", config_key(CONFIG)))
            assert got.equals(werklijst(warm, MANAGER, day, CONFIG, medewerker_id=person))
        for mid in measures:
            got = maatregel_historie(sample_snapshot(), MANAGER, day, CONFIG, mid)
            assert got.equals(maatregel_historie(warm, MANAGER, day, CONFIG, mid))


def test_a_measures_counts_per_status():
    historie = pl.DataFrame(
        {"status": ["open", "verlopen", "tijdig", "tijdig", "te_laat", "vervallen", "open"]}
    )
    # Met: two in time and one late; vervallen counts nowhere.
    assert maatregel_tellingen(historie) == {
        "open_termijnen_maatregel": 2,
        "verlopen_termijnen_maatregel": 1,
        "tijdig_voldaan_maatregel": 2,
        "voldaan_maatregel": 3,
    }
    assert set(maatregel_tellingen(historie.clear()).values()) == {0}
