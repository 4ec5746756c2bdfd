from dashboard.components.tegels import status_badge
from dashboard.components.theme import THEME
from tests.unit.dashboard.helpers import text


def test_status_badge_has_icon_and_words_not_only_colour():
    badge = status_badge("verlopen")
    assert "badge-verlopen" in badge.className
    assert THEME["status"]["verlopen"]["icon"] in text(badge)
    assert "Verlopen" in text(badge)
