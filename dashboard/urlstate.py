"""The page state in the URL query string, so a link reproduces a view and back works."""

import string
from urllib.parse import parse_qsl, quote_plus, urlencode

import polars as pl

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


# The ASCII characters quote_plus (urlencode's quoting) escapes, and what it writes for each.
_SAFE = set(string.ascii_letters + string.digits + "_.-~")
_UNSAFE = [chr(i) for i in range(128) if chr(i) not in _SAFE]
_ESCAPED = ["+" if c == " " else f"%{ord(c):02X}" for c in _UNSAFE]


def _quoted(values: pl.Series) -> pl.Series:
    """quote_plus of each value; in one pass over the column, except values beyond ASCII."""
    fast = values.str.replace_many(_UNSAFE, _ESCAPED)
    beyond = values.str.contains(r"[^\x00-\x7F]").fill_null(False)
    if not beyond.any():
        return fast
    slow = values.map_elements(quote_plus, return_dtype=pl.String)
    return pl.select(pl.when(beyond).then(slow).otherwise(fast)).to_series()


def link_column(path: str, key: str, column: str, **fixed) -> pl.Expr:
    """link(path, key=<the row's column>, **fixed) for every row at once: pages link every row
    of tables of thousands."""
    rest = build_search(fixed)
    value = pl.col(column).cast(pl.String)
    quoted = value.map_batches(_quoted, return_dtype=pl.String)
    tail = pl.lit("&" + rest[1:] if rest else "")
    return (
        pl.when(value.is_null() | (value == ""))
        .then(pl.lit(path + rest))
        .otherwise(pl.lit(f"{path}?{quote_plus(key)}=") + quoted + tail)
    )
