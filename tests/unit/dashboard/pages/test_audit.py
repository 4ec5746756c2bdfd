"""The Audit page's tiles count in their own words: no deadline status on a count."""

from dashboard.components.theme import THEME
from queries.scope import Viewer
from tests.unit.dashboard.helpers import find, text, tile_value

STATUS_WORDS = {spec["label"] for spec in THEME["status"].values()}


def test_the_count_tiles_carry_their_own_words(app, as_viewer):
    from dashboard.pages import audit

    as_viewer("beheerder")
    tree = audit.body(Viewer("beheerder"), {})
    for tile_id in ("tegel-geweigerd", "tegel-login-mislukt"):
        badge = text(find(tree, tile_id).children[-1])
        words = badge.split(" ", 1)[1].strip()
        assert words not in STATUS_WORDS
        assert words == ("Geen" if tile_value(tree, tile_id) == "0" else "Zie het log")
