"""Who may see which medewerkers and maatregelen: enforced here so no page can forget it."""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

import polars as pl

from queries.perioden import covers
from queries.snapshot import Snapshot
from store import schema

# Declared once, with the accounts table whose rol column holds them.
ROLES = schema.ROLES
ALL_ROLES = ("manager", "beheerder")
TEAM_ROLES = ("gedragswetenschapper", "teammanager")


@dataclass(frozen=True)
class Viewer:
    role: str
    medewerker_id: str | None = None

    @property
    def sees_everything(self) -> bool:
        return self.role in ALL_ROLES


MANAGER = Viewer("manager")


def scope_key(viewer: Viewer) -> Viewer:
    """What a viewer's figures depend on: all who see everything share the manager's."""
    return MANAGER if viewer.sees_everything else viewer


def holders(snap: Snapshot, as_of: date) -> pl.DataFrame:
    """Per maatregel started by as_of: who held it on as_of, or on its last day if it ended.

    Columns: maatregel_id, medewerker_id, team_id, rol, team_soort, regio (nulls: unassigned).
    """
    return snap.memo(("holders",), partial(_holders, snap, as_of), day=as_of, shared=True)


def _holders(snap: Snapshot, as_of: date) -> pl.DataFrame:
    m = snap["maatregelen"].filter(pl.col("start") <= as_of)
    day = m.select(
        "maatregel_id",
        pl.when(pl.col("einde").is_not_null() & (pl.col("einde") <= as_of))
        .then(pl.col("einde") - timedelta(days=1))
        .otherwise(pl.lit(as_of))
        .alias("dag"),
    )
    covering = (
        snap["toewijzingen"]
        .join(day, on="maatregel_id")
        .filter(covers("vanaf", "tot", pl.col("dag")))
        .sort("vanaf")
        .unique("maatregel_id", keep="last")
        .select("maatregel_id", "medewerker_id", "team_id", "rol")
    )
    teams = snap["teams"].select("team_id", pl.col("soort").alias("team_soort"), "regio")
    return (
        day.select("maatregel_id")
        .join(covering, on="maatregel_id", how="left")
        .join(teams, on="team_id", how="left")
    )


def region_teams(snap: Snapshot, regio: str) -> pl.Series:
    """team_id of every team in the region."""
    return snap["teams"].filter(pl.col("regio") == regio)["team_id"]


def own_team(snap: Snapshot, viewer: Viewer) -> str | None:
    """team_id of the viewer's own medewerker row in the load; None without one."""
    if viewer.medewerker_id is None:
        return None
    me = snap["medewerkers"].filter(pl.col("medewerker_id") == viewer.medewerker_id)
    return me["team_id"][0] if me.height else None


def own_region(snap: Snapshot, viewer: Viewer) -> str | None:
    """The region of the team of a team-role viewer; None for others or without one."""
    if viewer.role not in TEAM_ROLES:
        return None
    team = snap["teams"].filter(pl.col("team_id") == own_team(snap, viewer))
    return team["regio"][0] if team.height else None


def beheerd_gebied(snap: Snapshot, viewer: Viewer) -> tuple[bool, str | None]:
    """Where the viewer may plan who holds measures: (True, None) the organisation (MT),
    (True, regio) a teammanager's own region, (False, None) nowhere."""
    if viewer.sees_everything:
        return True, None
    regio = own_region(snap, viewer) if viewer.role == "teammanager" else None
    return (True, regio) if regio is not None else (False, None)


def in_service(day: date | pl.Expr) -> pl.Expr:
    """Medewerker in service on day: in_dienst <= day < uit_dienst (empty: still in service)."""
    return covers("in_dienst", "uit_dienst", day)


def visible_medewerkers(snap: Snapshot, viewer: Viewer) -> pl.DataFrame:
    """The medewerkers rows the viewer may see."""
    staff = snap["medewerkers"]
    if viewer.sees_everything:
        return staff
    if viewer.medewerker_id is None:
        return staff.clear()
    me = staff.filter(pl.col("medewerker_id") == viewer.medewerker_id)
    if me.height == 0:
        return staff.clear()
    if viewer.role == "jeugdzorgwerker":
        return me
    if viewer.role == "praktijkbegeleider":
        return staff.filter(
            (pl.col("begeleider_id") == viewer.medewerker_id)
            | (pl.col("medewerker_id") == viewer.medewerker_id)
        )
    if viewer.role in TEAM_ROLES:
        return staff.filter(pl.col("team_id") == me["team_id"][0])
    return staff.clear()


def holder_filter(
    snap: Snapshot, viewer: Viewer, medewerker: str = "medewerker_id", team: str = "team_id"
) -> pl.Expr | None:
    """The scope as a filter on a holding's medewerker and team columns; None: sees all."""
    if viewer.sees_everything:
        return None
    staff = visible_medewerkers(snap, viewer)
    if viewer.role in TEAM_ROLES and staff.height:
        me = staff.filter(pl.col("medewerker_id") == viewer.medewerker_id)
        return pl.col(team) == me["team_id"][0]
    return pl.col(medewerker).is_in(staff["medewerker_id"].implode())


def visible_maatregelen(snap: Snapshot, viewer: Viewer, as_of: date) -> pl.DataFrame:
    """maatregel_id of every measure the viewer may see as of the day, with its holder."""
    held = holders(snap, as_of)
    scope = holder_filter(snap, viewer)
    return held if scope is None else held.filter(scope)


def visible_maatregel(
    snap: Snapshot, viewer: Viewer, as_of: date, maatregel_id: str
) -> pl.DataFrame:
    """visible_maatregelen of one measure: its holder row, or no row when the viewer may not
    see it, it does not exist or it had not started by as_of."""
    # A holder is picked among the measure's own toewijzingen, so the cut changes none.
    one = pl.col("maatregel_id") == maatregel_id
    cut = {name: snap[name].filter(one) for name in ("maatregelen", "toewijzingen")}
    return visible_maatregelen(snap.with_tables(**cut), viewer, as_of)


def regios(snap: Snapshot) -> list[str]:
    """The regions of the load's teams, sorted."""
    return sorted(r for r in snap["teams"]["regio"].unique().to_list() if r)


@dataclass(frozen=True)
class RegionalScope:
    """Whom region-wide figures are computed for and for which region (None: every one);
    geweigerd: the region asked for that the viewer may not see."""

    viewer: Viewer
    regio: str | None
    geweigerd: str | None = None


def regional_scope(snap: Snapshot, viewer: Viewer, regio: str | None) -> RegionalScope:
    """The scope of region-wide pages (Afbouw): who sees everything gets the region asked; a
    teammanager the whole region of their own team, whatever region is asked; anyone else
    their own scope in no region."""
    if viewer.sees_everything:
        return RegionalScope(viewer, regio)
    planner, own = beheerd_gebied(snap, viewer)
    refused = regio if regio not in (None, own) else None
    if not planner:
        return RegionalScope(viewer, None, refused)
    return RegionalScope(MANAGER, own, refused)
