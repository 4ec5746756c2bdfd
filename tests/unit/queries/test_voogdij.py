"""Voogdij op norm, hand-worked on the current voogdij_contact deadline."""

from queries.config import Config
from queries.figuren import waarde
from queries.figuur import Filters
from queries.scope import MANAGER, Viewer
from queries.voogdij import voogdij_contact
from tests.unit.queries.wereld import D, measures, rows, toewijzingen, wereld

CONFIG = Config()


def snap():
    return wereld(
        measures(
            ("V1", "voogdij", "2025-01-01", None, "J1"),
            ("V2", "voorlopige_voogdij", "2025-01-01", None, "J2"),
            ("V3", "voogdij", "2026-01-05", None, "J3"),
            ("V4", "OTS", "2025-01-01", None, "J4"),  # not voogdij
            ("V5", "voogdij", "2025-01-01", "2026-02-01", "J5"),  # ended
            ("V6", "voogdij", "2025-01-01", None, "J6"),
        ),
        toewijzingen(
            ("V1", "w1", "A"),
            ("V2", "w1", "A"),
            ("V3", "c1", "C"),
            ("V4", "w1", "A"),
            ("V5", "w1", "A"),
            ("V6", "w1", "A"),
        ),  # fmt: skip
        contacten=rows(
            "contact_id maatregel_id medewerker_id datum vorm met",
            # Next due 3 months later, 1 March 2026 (a Sunday, so Monday 2 March): verlopen.
            ("K1", "V1", "w1", "2025-12-01", "face-to-face", "jeugdige"),
            # Any vorm counts: next due 20 April, open.
            ("K2", "V2", "w1", "2026-01-20", "telefonisch", "jeugdige"),
            # A parent only does not meet it: the first deadline (April 2025) is verlopen.
            ("K3", "V6", "w1", "2026-02-01", "face-to-face", "ouder"),
        ),
    )


def test_current_deadline_per_voogdij_measure():
    got = {
        r["maatregel_id"]: (r["status"], r["op_norm"])
        for r in voogdij_contact(snap(), MANAGER, D, CONFIG).iter_rows(named=True)
    }
    # V3 started in January: first due 6 April, open.
    assert got == {
        "V1": ("verlopen", False), "V2": ("open", True), "V3": ("open", True),
        "V6": ("verlopen", False),
    }  # fmt: skip


def test_share_on_norm():
    s = snap()
    assert waarde("voogdij_op_norm_pct", s, MANAGER, D, CONFIG) == 50.0
    assert waarde("voogdij_op_norm_pct", s, Viewer("jeugdzorgwerker", "w1"), D, CONFIG) == 33.3
    assert waarde("voogdij_op_norm_pct", s, MANAGER, D, CONFIG, Filters(team_id="C")) == 100.0
    assert waarde("voogdij_op_norm_pct", s, MANAGER, D, CONFIG, Filters(soort="JR")) is None
