from datetime import date

from queries.scope import MANAGER, Viewer, beheerd_gebied, scope_key, visible_maatregelen
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


def test_where_a_viewer_plans_who_holds_measures():
    snap = sample_snapshot()
    assert beheerd_gebied(snap, MANAGER) == (True, None)
    # 2001 works in team GRN-A (Groningen): as teammanager, their region; in any other role
    # or unknown, nowhere.
    assert beheerd_gebied(snap, Viewer("teammanager", "2001")) == (True, "Groningen")
    assert beheerd_gebied(snap, Viewer("praktijkbegeleider", "2001")) == (False, None)
    assert beheerd_gebied(snap, Viewer("teammanager", "9999")) == (False, None)
