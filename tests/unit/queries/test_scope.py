from datetime import date

from queries.scope import (
    MANAGER,
    RegionalScope,
    Viewer,
    beheerd_gebied,
    own_region,
    regional_scope,
    regios,
    scope_key,
    visible_maatregelen,
)
from queries.snapshot import Snapshot
from tests.frames import sample_snapshot


def test_everyone_who_sees_everything_shares_one_scope_key():
    assert scope_key(Viewer("manager", "2001")) == scope_key(Viewer("manager", "2002"))
    assert scope_key(Viewer("beheerder")) == scope_key(MANAGER)


def test_a_jeugdzorgwerkers_scope_key_is_their_own():
    one, other = Viewer("jeugdzorgwerker", "1001"), Viewer("jeugdzorgwerker", "1002")
    assert scope_key(one) != scope_key(other)
    assert scope_key(one) != scope_key(MANAGER)


def test_viewers_sharing_a_scope_key_see_the_same_measures():
    snap, day = sample_snapshot(), date(2025, 10, 31)
    shared = [Viewer("manager", "2001"), Viewer("beheerder"), MANAGER]
    seen = [visible_maatregelen(snap, v, day).sort("maatregel_id") for v in shared]
    assert all(frame.equals(seen[0]) for frame in seen)


def test_regional_scope_gives_a_teammanager_their_own_region_only():
    # Teammanager 2001 leads Team Stad, in Groningen; Drenthe is another region.
    snap, tm = sample_snapshot(), Viewer("teammanager", "2001")
    assert own_region(snap, tm) == "Groningen"
    assert regional_scope(snap, tm, None) == RegionalScope(MANAGER, "Groningen")
    assert regional_scope(snap, tm, "Groningen") == RegionalScope(MANAGER, "Groningen")
    assert regional_scope(snap, tm, "Drenthe") == RegionalScope(MANAGER, "Groningen", "Drenthe")
    # MT keeps the region asked, or all.
    assert regional_scope(snap, MANAGER, "Drenthe") == RegionalScope(MANAGER, "Drenthe")
    assert regional_scope(snap, MANAGER, None) == RegionalScope(MANAGER, None)
    # Anyone else, or a teammanager without a team, keeps their own scope and no region.
    worker = Viewer("jeugdzorgwerker", "1001")
    assert own_region(snap, worker) is None
    assert regional_scope(snap, worker, "Groningen") == RegionalScope(worker, None, "Groningen")
    nobody = Viewer("teammanager", "9999")
    assert regional_scope(snap, nobody, None) == RegionalScope(nobody, None)


def test_where_a_viewer_plans_who_holds_measures():
    snap = sample_snapshot()
    assert beheerd_gebied(snap, MANAGER) == (True, None)
    # 2001 works in team GRN-A (Groningen): as teammanager, their region; in any other role
    # or unknown, nowhere.
    assert beheerd_gebied(snap, Viewer("teammanager", "2001")) == (True, "Groningen")
    assert beheerd_gebied(snap, Viewer("praktijkbegeleider", "2001")) == (False, None)
    assert beheerd_gebied(snap, Viewer("teammanager", "9999")) == (False, None)


def test_regios_are_the_teams_regions_once_each_sorted():
    snap = Snapshot.from_frames(
        date(2025, 11, 1),
        teams={
            "team_id": ["A", "B", "C", "D"],
            "regio": ["Groningen", "Drenthe", "Groningen", None],
        },
    )
    assert regios(snap) == ["Drenthe", "Groningen"]
