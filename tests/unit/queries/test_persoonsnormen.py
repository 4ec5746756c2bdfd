"""Person norms: caseloadgesprek, VOG and SKJ deadlines per medewerker."""

from datetime import date

import polars as pl
import pytest

from queries.config import Config
from queries.persoonsnormen import persoonstermijn_historie, persoonstermijnen
from queries.scope import MANAGER
from tests.frames import sample_snapshot
from tests.unit.queries.test_termijnen import SCOPES, WORKER, scope_snapshot, snapshot

CONFIG = Config()
D = date.fromisoformat


def test_sample_export_staff_deadlines_by_hand():
    got = persoonstermijnen(sample_snapshot(), MANAGER, D("2025-11-01"), CONFIG)
    assert got.select("medewerker_id", "norm", "deadline", "status").rows() == [
        # Last caseloadgesprek 3 Jul 2025 -> Fri 3 Oct 2025, passed.
        ("1001", "caseloadgesprek", D("2025-10-03"), "verlopen"),
        ("1001", "vog", D("2027-09-01"), "open"),  # VOG 1 Sep 2024 + 36 months (Wed)
        ("1001", "skj", D("2027-09-01"), "open"),
        ("1002", "caseloadgesprek", D("2025-12-29"), "open"),  # 29 Sep + 3 months (Mon)
        ("1002", "vog", D("2026-01-20"), "open"),
        ("1002", "skj", D("2026-12-31"), "open"),
        # No talk ever: in_dienst 15 Jan 2024 + 3 months = Mon 15 Apr 2024.
        ("1003", "caseloadgesprek", D("2024-04-15"), "verlopen"),
        ("1003", "vog", D("2027-01-11"), "open"),  # Sun 10 Jan 2027 -> Mon 11 Jan
        ("1003", "skj", D("2027-01-10"), "open"),  # skj_geldig_tot itself, not moved
        # A praktijkbegeleider has no caseloadgesprek norm; VOG 1 Apr 2022 ran out 1 Apr 2025.
        ("2001", "vog", D("2025-04-01"), "verlopen"),
        ("2001", "skj", D("2027-04-01"), "open"),
    ]


def test_staff_deadlines_in_service_and_per_function():
    staff = [
        {**WORKER, "medewerker_id": "jb", "in_dienst": "2025-01-31", "vog_datum": "2023-02-28"},
        {**WORKER, "medewerker_id": "left", "uit_dienst": "2025-06-01"},
        {**WORKER, "medewerker_id": "future", "in_dienst": "2025-07-01"},
        {**WORKER, "medewerker_id": "tm", "functie": "teammanager",
         "skj_geldig_tot": "2025-05-31", "vog_datum": "2025-06-30"},
        {**WORKER, "medewerker_id": "gw", "functie": "gedragswetenschapper",
         "skj_geldig_tot": "2025-05-31"},
    ]  # fmt: skip
    talks = [
        {"medewerker_id": "jb", "begeleider_id": "pb", "datum": "2025-03-03"},
        {"medewerker_id": "jb", "begeleider_id": "pb", "datum": "2025-07-01"},
    ]
    snap = snapshot([], medewerkers=staff, caseloadgesprekken=talks)
    got = persoonstermijnen(snap, MANAGER, D("2025-06-15"), CONFIG)
    assert got.select("medewerker_id", "norm", "deadline", "status").rows() == [
        # SKJ of a gedragswetenschapper: the day itself (Sat 31 May), not moved.
        ("gw", "skj", D("2025-05-31"), "verlopen"),
        # 3 Mar + 3 months = Tue 3 Jun; the talk of 1 Jul is after as_of.
        ("jb", "caseloadgesprek", D("2025-06-03"), "verlopen"),
        # 28 Feb 2023 + 36 months = Sat 28 Feb 2026 -> Mon 2 Mar 2026.
        ("jb", "vog", D("2026-03-02"), "open"),
        # A teammanager has neither caseloadgesprek nor SKJ norm; VOG after as_of not known.
    ]
    later = persoonstermijnen(snap, MANAGER, D("2025-07-01"), CONFIG)
    assert later.filter(pl.col("norm") == "caseloadgesprek").select(
        "medewerker_id", "deadline", "status"
    ).rows() == [
        # future: in_dienst 1 Jul + 3 months = Wed 1 Oct.
        ("future", D("2025-10-01"), "open"),
        ("jb", D("2025-10-01"), "open"),
    ]


def test_staff_deadline_history_of_the_sample():
    hist = persoonstermijn_historie(sample_snapshot(), MANAGER, D("2025-11-01"), CONFIG)
    gesprek = hist.filter(pl.col("norm") == "caseloadgesprek")
    assert gesprek.select(
        "medewerker_id", "interval", "deadline", "status", "voldaan_op"
    ).rows() == [
        # In dienst 1 Sep 2021: first talk due Wed 1 Dec 2021, held only on 3 Jul 2025.
        ("1001", 1, D("2021-12-01"), "te_laat", D("2025-07-03")),
        ("1001", 2, D("2025-10-03"), "verlopen", None),
        # In dienst 1 Feb 2023: first due Mon 1 May 2023, held 29 Sep 2025.
        ("1002", 1, D("2023-05-01"), "te_laat", D("2025-09-29")),
        ("1002", 2, D("2025-12-29"), "open", None),
        ("1003", 1, D("2024-04-15"), "verlopen", None),
    ]
    current = persoonstermijnen(sample_snapshot(), MANAGER, D("2025-11-01"), CONFIG)
    assert hist.filter(pl.col("voldaan_op").is_null()).drop("interval").equals(current)


@pytest.mark.parametrize(("viewer", "staff"), [(v, s) for v, _, s in SCOPES])
def test_scope_per_role(viewer, staff):
    everyone = {"A1", "A2", "B1", "P1", "P2", "G1", "T1", "MG"}
    staff = everyone if staff is None else staff
    got = persoonstermijnen(scope_snapshot(), viewer, D("2025-09-01"), CONFIG)
    assert set(got["medewerker_id"]) == staff
