from dashboard.components.theme import THEME, plotly_layout


def test_every_status_colour_is_distinct():
    colours = [THEME["status"][k]["colour"] for k in ("verlopen", "binnenkort", "open", "tijdig")]
    assert len(set(colours)) == len(colours)


def test_plotly_layout_has_dutch_separators():
    layout = plotly_layout("Titel")
    assert layout["separators"] == ",."
    assert layout["title"]["text"] == "Titel"
    assert plotly_layout(None)["title"]["text"] == ""
