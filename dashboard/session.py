"""Who is looking: the viewer lives in the signed Flask session, never in a callback's input.

Until real logins exist, a demo selector ("Bekijk als") posts one of the demo users below to
/bekijk-als, which stores that viewer in the session.
"""

import os
import secrets
from dataclasses import dataclass

import flask
import polars as pl
from sqlalchemy.exc import SQLAlchemyError

from dashboard import data
from queries.scope import ROLES, Viewer, holders
from queries.snapshot import NoDataError, Snapshot

SESSION_KEY = "viewer"
ANONYMOUS = Viewer("anoniem")
ROLE_LABELS = {
    "jeugdzorgwerker": "jeugdzorgwerker",
    "praktijkbegeleider": "praktijkbegeleider",
    "gedragswetenschapper": "gedragswetenschapper",
    "teammanager": "teammanager",
    "manager": "manager (MT)",
    "beheerder": "functioneel beheerder",
}


@dataclass(frozen=True)
class DemoUser:
    key: str
    label: str
    viewer: Viewer


def current_viewer() -> Viewer:
    """The viewer stored in this request's session; anonymous (sees nothing) without one."""
    if not flask.has_request_context():
        return ANONYMOUS
    stored = flask.session.get(SESSION_KEY)
    if not isinstance(stored, dict) or stored.get("role") not in ROLES:
        return ANONYMOUS
    return Viewer(stored["role"], stored.get("medewerker_id"))


def set_viewer(viewer: Viewer) -> None:
    flask.session[SESSION_KEY] = {"role": viewer.role, "medewerker_id": viewer.medewerker_id}
    flask.session.permanent = False


def _active_counts(snap: Snapshot) -> pl.DataFrame:
    day = snap.export_date
    active = snap["maatregelen"].filter(
        (pl.col("start") <= day) & (pl.col("einde").is_null() | (pl.col("einde") > day))
    )
    return (
        holders(snap, day)
        .join(active.select("maatregel_id"), on="maatregel_id", how="semi")
        .filter(pl.col("rol") == "jeugdzorgwerker")
        .group_by("medewerker_id")
        .agg(pl.len().alias("actief"))
    )


def _pick(staff: pl.DataFrame, **equal) -> dict | None:
    for col, value in equal.items():
        staff = staff.filter(pl.col(col) == value)
    return staff.sort("medewerker_id").row(0, named=True) if staff.height else None


def _user(role: str, person: dict | None, teams: dict[str, str]) -> DemoUser:
    if person is None:
        return DemoUser(role, f"Demo {ROLE_LABELS[role]}", Viewer(role))
    team = teams.get(person["team_id"], person["team_id"])
    return DemoUser(
        role,
        f"{person['naam']}, {ROLE_LABELS[role]} ({team})",
        Viewer(role, person["medewerker_id"]),
    )


def pick_demo_users(snap: Snapshot) -> tuple[DemoUser, ...]:
    """A jeugdzorgwerker with the largest caseload in a regular team, their praktijkbegeleider,
    a gedragswetenschapper and teammanager of that team, a manager and the beheerder."""
    day = snap.export_date
    teams = dict(snap["teams"].select("team_id", "naam").iter_rows())
    staff = snap["medewerkers"].filter(
        (pl.col("in_dienst") <= day)
        & (pl.col("uit_dienst").is_null() | (pl.col("uit_dienst") > day))
    )
    regulier = snap["teams"].filter(pl.col("soort") == "regulier")["team_id"]
    workers = (
        staff.filter(
            pl.col("functie").is_in(data.config().caseload_functies)
            & pl.col("team_id").is_in(regulier.implode())
        )
        .join(_active_counts(snap), on="medewerker_id")
        .sort(["actief", "medewerker_id"], descending=[True, False])
    )
    worker = workers.row(0, named=True) if workers.height else None
    team_id = worker["team_id"] if worker else None
    begeleider = None
    if worker and worker["begeleider_id"]:
        begeleider = _pick(staff, medewerker_id=worker["begeleider_id"])
    users = [
        _user("jeugdzorgwerker", worker, teams),
        _user(
            "praktijkbegeleider", begeleider or _pick(staff, functie="praktijkbegeleider"), teams
        ),
    ]
    gw = _pick(staff, functie="gedragswetenschapper", team_id=team_id) or _pick(
        staff, functie="gedragswetenschapper"
    )
    if gw:
        users.append(_user("gedragswetenschapper", gw, teams))
    tm = _pick(staff, functie="teammanager", team_id=team_id) or _pick(staff, functie="teammanager")
    users.append(_user("teammanager", tm, teams))
    users.append(_user("manager", _pick(staff, functie="manager"), teams))
    users.append(DemoUser("beheerder", "Functioneel beheerder (demo)", Viewer("beheerder")))
    return tuple(u for u in users if u.viewer.medewerker_id or u.key in ("manager", "beheerder"))


_demo_cache: dict[tuple[str, int], tuple[DemoUser, ...]] = {}


def demo_users() -> tuple[DemoUser, ...]:
    """One demo user per role, picked from the loaded data; only the beheerder without data."""
    try:
        snap = data.snapshot()
    except (NoDataError, SQLAlchemyError):
        return (DemoUser("beheerder", "Functioneel beheerder (demo)", Viewer("beheerder")),)
    key = (str(data.engine().url), snap.run_id)
    if key not in _demo_cache:
        _demo_cache[key] = pick_demo_users(snap)
    return _demo_cache[key]


def demo_key(viewer: Viewer) -> str | None:
    """The demo user matching the viewer, for the selector's current value."""
    for user in demo_users():
        if user.viewer == viewer:
            return user.key
    return None


def secret_key() -> str:
    """CASELOAD_SECRET_KEY, or a random key per process (demo: sessions end with a restart)."""
    return os.environ.get("CASELOAD_SECRET_KEY") or secrets.token_hex(32)
