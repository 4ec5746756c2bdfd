"""Plan besproken, hand-worked: the latest plan counts, an empty answer counts as nee."""

from queries.config import Config
from queries.figuren import waarde
from queries.figuur import Filters
from queries.plan_besproken import laatste_plannen
from queries.scope import MANAGER, Viewer
from tests.unit.queries.wereld import D, measures, rows, toewijzingen, wereld

CONFIG = Config()


def snap():
    return wereld(
        measures(
            ("M1", "OTS", "2025-01-01", None, "J1"),
            ("M2", "OTS", "2025-01-01", None, "J2"),
            ("M3", "OTS", "2025-01-01", None, "J3"),  # no plan: not counted
            ("M5", "JR", "2025-01-01", None, "J5"),
            ("M6", "OTS", "2025-01-01", "2026-03-10", "J6"),  # ended before D
        ),
        toewijzingen(
            ("M1", "w1", "A"),
            ("M2", "w1", "A"),
            ("M3", "w2", "A"),
            ("M5", "c1", "C"),
            ("M6", "w1", "A"),
        ),  # fmt: skip
        plannen=rows(
            "plan_id maatregel_id soort vastgesteld met_jeugdige_besproken met_ouders_besproken",
            ("P1", "M1", "eerste", "2025-02-01", True, True),
            # The latest plan of M1: empty for the jeugdige counts as nee.
            ("P2", "M1", "evaluatie", "2026-01-10", None, True),
            ("P3", "M2", "eerste", "2026-02-01", True, False),
            ("P4", "M2", "evaluatie", "2026-03-20", False, True),  # after D
            ("P5", "M5", "eerste", "2025-03-01", False, None),
            ("P6", "M6", "eerste", "2025-03-01", True, True),
        ),
    )


def test_latest_plan_per_active_measure():
    got = {
        r["maatregel_id"]: (r["plan_id"], r["met_jeugdige_besproken"], r["met_ouders_besproken"])
        for r in laatste_plannen(snap(), MANAGER, D).iter_rows(named=True)
    }
    assert got == {"M1": ("P2", False, True), "M2": ("P3", True, False), "M5": ("P5", False, False)}


def test_shares():
    s = snap()
    # Of M1, M2, M5: with the jeugdige only M2, with the ouders only M1.
    assert waarde("plan_besproken_jeugdige_pct", s, MANAGER, D, CONFIG) == 33.3
    assert waarde("plan_besproken_ouders_pct", s, MANAGER, D, CONFIG) == 33.3
    f = Filters(regio="Noord", soort="JR")
    assert waarde("plan_besproken_ouders_pct", s, MANAGER, D, CONFIG, f) == 0.0


def test_a_worker_sees_only_their_measures():
    w1 = Viewer("jeugdzorgwerker", "w1")
    assert waarde("plan_besproken_jeugdige_pct", snap(), w1, D, CONFIG) == 50.0
    # w2's only measure has no plan.
    assert waarde("plan_besproken_jeugdige_pct", snap(), Viewer("jeugdzorgwerker", "w2"), D,
                  CONFIG) is None  # fmt: skip
