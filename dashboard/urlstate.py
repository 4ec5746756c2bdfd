"""The page state in the URL query string, so a link reproduces a view and back works."""

from urllib.parse import parse_qsl, urlencode

# The Maatregel page's path: pages, grids and the deadline mail (which must not load Dash) link it.
MAATREGEL_PATH = "/maatregel"


def parse_search(search: str | None) -> dict[str, str]:
    """'?peildatum=2026-01-31&team=GRN-A' -> {'peildatum': '2026-01-31', 'team': 'GRN-A'}."""
    return dict(parse_qsl((search or "").lstrip("?"), keep_blank_values=False))


def build_search(params: dict) -> str:
    """The query string for the given state; empty values are left out."""
    clean = {k: str(v) for k, v in params.items() if v not in (None, "", [])}
    return "?" + urlencode(clean) if clean else ""


def link(path: str, **params) -> str:
    return path + build_search(params)
