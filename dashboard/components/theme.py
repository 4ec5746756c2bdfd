"""The one theme: colours, status palette and the plotly layout every chart starts from."""

# Okabe-Ito: distinguishable with every common colour-vision deficiency.
OKABE_ITO = {
    "oranje": "#E69F00",
    "hemelsblauw": "#56B4E9",
    "blauwgroen": "#009E73",
    "geel": "#F0E442",
    "blauw": "#0072B2",
    "vermiljoen": "#D55E00",
    "roodpaars": "#CC79A7",
    "grijs": "#7F7F7F",
}

THEME = {
    "font": "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
    "text": "#1F2933",
    "muted": "#52606D",
    "background": "#F5F7FA",
    "surface": "#FFFFFF",
    "border": "#D9E2EC",
    "primary": "#0B4F8A",
    # Status: colour, icon and Dutch label always travel together.
    "status": {
        "verlopen": {"colour": OKABE_ITO["vermiljoen"], "icon": "✖", "label": "Verlopen"},
        "binnenkort": {"colour": OKABE_ITO["oranje"], "icon": "▲", "label": "Binnenkort"},
        "open": {"colour": OKABE_ITO["blauw"], "icon": "●", "label": "Open"},
        "tijdig": {"colour": OKABE_ITO["blauwgroen"], "icon": "✔", "label": "Tijdig"},
        "te_laat": {"colour": OKABE_ITO["roodpaars"], "icon": "◆", "label": "Te laat"},
        "vervallen": {"colour": OKABE_ITO["grijs"], "icon": "–", "label": "Vervallen"},
        "boven_norm": {"colour": OKABE_ITO["vermiljoen"], "icon": "▲", "label": "Boven norm"},
        "binnen_norm": {"colour": OKABE_ITO["blauwgroen"], "icon": "✔", "label": "Binnen norm"},
    },
    "series": [
        OKABE_ITO["blauw"],
        OKABE_ITO["oranje"],
        OKABE_ITO["blauwgroen"],
        OKABE_ITO["roodpaars"],
        OKABE_ITO["hemelsblauw"],
        OKABE_ITO["vermiljoen"],
        OKABE_ITO["geel"],
        OKABE_ITO["grijs"],
    ],
}

GRAPH_CONFIG = {"locale": "nl", "displaylogo": False, "responsive": True}


def plotly_layout(title: str | None, **extra) -> dict:
    """Base layout of every chart: Dutch separators, theme font and colours.

    title None: the card around the chart carries the title.
    """
    layout = {
        "title": {"text": title or "", "x": 0, "xanchor": "left", "font": {"size": 16}},
        "separators": ",.",
        "font": {"family": THEME["font"], "color": THEME["text"]},
        "colorway": THEME["series"],
        "paper_bgcolor": THEME["surface"],
        "plot_bgcolor": THEME["surface"],
        "margin": {"l": 10, "r": 10, "t": 48 if title else 16, "b": 40},
        "hoverlabel": {"font": {"family": THEME["font"]}},
    }
    layout.update(extra)
    return layout
