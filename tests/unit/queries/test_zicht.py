"""Zicht op de jeugdige, hand-worked: seen, seen alone, the 6-week window and the scope."""

from datetime import date

from queries.config import Config
from queries.figuren import waarde
from queries.figuur import Filters
from queries.scope import MANAGER, Viewer
from queries.zicht import gezien_per_houder, gezien_per_medewerker, niet_gezien, zicht
from tests.unit.queries.wereld import D, measures, rows, toewijzingen, wereld

CONFIG = Config()


def snap():
    return wereld(
        measures(
            ("M1", "OTS", "2025-01-01", None, "J1"),
            ("M2", "OTS", "2025-01-01", None, "J2"),
            ("M3", "JR", "2025-06-01", None, "J3"),
            ("M4", "OTS", "2026-03-01", None, "J4"),
            ("M5", "OTS", "2025-01-01", None, "J5"),  # nobody holds it
            ("M6", "OTS", "2025-01-01", "2026-03-10", "J6"),  # ended before D
            ("M7", "OTS", "2025-01-01", None, "J7"),
        ),
        toewijzingen(
            ("M1", "w1", "A"),
            ("M2", "w1", "A"),
            ("M3", "c1", "C"),
            ("M4", "p1", "P"),
            ("M6", "w1", "A"),
            ("M7", "w2", "A"),
        ),  # fmt: skip
        contacten=rows(
            "contact_id maatregel_id medewerker_id datum vorm met jeugdige_alleen_gezien",
            # Only a parent, the day before D: not seeing the child.
            ("K1", "M1", "w1", "2026-03-15", "face-to-face", "ouder", None),
            # D - 42 days: seen alone, but just outside the window (D - 42, D].
            ("K2", "M1", "w1", "2026-02-02", "face-to-face", "jeugdige", True),
            # D - 41 days: inside; with a parent, not alone.
            ("K3", "M2", "w1", "2026-02-03", "face-to-face", "jeugdige_en_ouder", False),
            ("K4", "M3", "c1", "2026-03-10", "video", "jeugdige", True),  # not face-to-face
            ("K5", "M4", "p1", "2026-02-20", "face-to-face", "jeugdige", True),  # before start
            ("K6", "M4", "p1", "2026-03-17", "face-to-face", "jeugdige", True),  # after D
            ("K7", "M5", "w1", "2026-03-16", "face-to-face", "jeugdige", True),  # on D
            ("K8", "M6", "w1", "2026-03-01", "face-to-face", "jeugdige", True),
            ("K9", "M7", "w2", "2026-03-01", "face-to-face", "jeugdige", None),
        ),
    )


def by_id(frame):
    return {r["maatregel_id"]: r for r in frame.iter_rows(named=True)}


def test_seen_and_seen_alone_per_measure():
    got = by_id(zicht(snap(), MANAGER, D, CONFIG))
    # M6 ended before D.
    assert set(got) == {"M1", "M2", "M3", "M4", "M5", "M7"}
    m1 = got["M1"]
    # The parent-only contact of 15 March does not count: last seen 2 February, alone.
    assert (m1["laatst_gezien"], m1["dagen_sinds_gezien"]) == (date(2026, 2, 2), 42)
    assert (m1["laatst_alleen_gezien"], m1["dagen_sinds_alleen_gezien"]) == (date(2026, 2, 2), 42)
    assert m1["gezien_6w"] is False
    m2 = got["M2"]
    assert (m2["dagen_sinds_gezien"], m2["gezien_6w"]) == (41, True)
    assert m2["laatst_alleen_gezien"] is None
    # A video call, a contact before the start and one after D: never seen.
    for never in ("M3", "M4"):
        assert (got[never]["laatst_gezien"], got[never]["gezien_6w"]) == (None, False)
    assert (got["M5"]["dagen_sinds_gezien"], got["M5"]["dagen_sinds_alleen_gezien"]) == (0, 0)
    assert got["M7"]["laatst_alleen_gezien"] is None
    assert {k: r["houder"] for k, r in got.items()} == {
        "M1": "vaste_jzw", "M2": "vaste_jzw", "M7": "vaste_jzw", "M3": "crt", "M4": "ccp",
        "M5": "niet_toegewezen",
    }  # fmt: skip


def test_gezien_6w_overall_and_per_holder_kind():
    s = snap()
    # Seen in the window: M2, M5, M7 of six.
    assert waarde("gezien_6w_pct", s, MANAGER, D, CONFIG) == 50.0
    assert waarde("gezien_6w_pct_vaste_jzw", s, MANAGER, D, CONFIG) == 66.7
    assert waarde("gezien_6w_pct_crt", s, MANAGER, D, CONFIG) == 0.0
    assert waarde("gezien_6w_pct_ccp", s, MANAGER, D, CONFIG) == 0.0
    assert waarde("gezien_6w_pct_niet_toegewezen", s, MANAGER, D, CONFIG) == 100.0
    assert waarde("niet_gezien_6w", s, MANAGER, D, CONFIG) == 3
    per = {r["houder"]: r for r in gezien_per_houder(s, MANAGER, D, CONFIG).iter_rows(named=True)}
    assert [(per[k]["actief"], per[k]["gezien"]) for k in ("vaste_jzw", "ccp", "crt")] == [
        (3, 2), (1, 0), (1, 0),
    ]  # fmt: skip
    assert per["niet_toegewezen"]["gezien_6w_pct"] == 100.0
    # Longest not seen first: never seen (by start), then 42 days.
    assert niet_gezien(s, MANAGER, D, CONFIG)["maatregel_id"].to_list() == ["M3", "M4", "M1"]


def test_the_window_follows_the_setting():
    # With 7 weeks, M1 (42 days ago) is seen as well.
    wider = Config(gezien_weken=7)
    assert waarde("gezien_6w_pct", snap(), MANAGER, D, wider) == 66.7


def test_a_worker_sees_only_their_measures():
    s = snap()
    w1 = Viewer("jeugdzorgwerker", "w1")
    assert set(zicht(s, w1, D, CONFIG)["maatregel_id"]) == {"M1", "M2"}
    assert waarde("gezien_6w_pct", s, w1, D, CONFIG) == 50.0
    assert waarde("gezien_6w_pct", s, Viewer("jeugdzorgwerker", "w2"), D, CONFIG) == 100.0
    # A praktijkbegeleider sees the workers they guide: w1.
    assert waarde("niet_gezien_6w", s, Viewer("praktijkbegeleider", "pb1"), D, CONFIG) == 1


def test_filters():
    s = snap()
    assert waarde("gezien_6w_pct", s, MANAGER, D, CONFIG, Filters(medewerker_id="w1")) == 50.0
    assert waarde("gezien_6w_pct", s, MANAGER, D, CONFIG, Filters(regio="Zuid")) == 0.0
    assert waarde("gezien_6w_pct", s, MANAGER, D, CONFIG, Filters(team_id="A")) == 66.7
    assert waarde("gezien_6w_pct", s, MANAGER, D, CONFIG, Filters(soort="JR")) == 0.0
    # The count behind the share: w1 one of two, team A two of three.
    assert waarde("jeugdige_gezien_6w", s, MANAGER, D, CONFIG, Filters(medewerker_id="w1")) == 1
    assert waarde("jeugdige_gezien_6w", s, MANAGER, D, CONFIG, Filters(team_id="A")) == 2


def test_per_worker():
    got = {
        r["medewerker_id"]: (r["actief"], r["gezien"], r["gezien_6w_pct"])
        for r in gezien_per_medewerker(snap(), MANAGER, D, CONFIG).iter_rows(named=True)
    }
    assert got == {"w1": (2, 1, 50.0), "w2": (1, 1, 100.0), "c1": (1, 0, 0.0), "p1": (1, 0, 0.0)}


def test_nothing_active_is_no_share():
    assert waarde("gezien_6w_pct", snap(), MANAGER, date(2024, 1, 1), CONFIG) is None
