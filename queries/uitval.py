"""Uitval: measures whose holder cannot hold them on a day (absent, left, no valid SKJ), with
the planner's proposed waarnemer (queries.werktoedeling), in the viewer's scope."""

from dataclasses import replace
from datetime import date

import polars as pl

from queries.afbouw import with_team_names
from queries.besluiten import GEACCEPTEERD
from queries.config import Config
from queries.figuur import Figuur, Filters
from queries.scope import (
    MANAGER,
    TEAM_ROLES,
    Viewer,
    beheerd_gebied,
    holder_filter,
    own_team,
)
from queries.snapshot import Snapshot
from queries.tijdigheid import of_soort
from queries.werktoedeling import voorstel

GEEN_FILTERS = Filters()


def uitval(
    snap: Snapshot,
    viewer: Viewer,
    as_of: date,
    config: Config,
    f: Filters = GEEN_FILTERS,
    besluiten: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """The planner's uitval rows (werktoedeling.voorstel kind "uitval") with van_naam, the
    holder's name, dagen_uitval, days since the holder became unavailable, and besluit;
    longest first.

    besluiten (besluiten.besluiten_frame) go to the planner: an accepted waarnemer still to
    arrive is the row's waarnemer (besluit "geaccepteerd") and counts in their room, a rejected
    pair is not proposed again. MT sees the organisation, a teammanager their region, anyone
    else the measures of the holders they may see; f narrows to a region, soort, the holder's
    team or the holder."""
    # The whole organisation's plan is cached per load: every viewer cuts from the same one.
    plan = met_besluiten(snap, as_of, config, besluiten)
    planner, area = beheerd_gebied(snap, viewer)
    if planner:
        if area is not None:
            # A teammanager plans for the region, but why a colleague of another team is
            # away (ziek, uit dienst) is that team's business: they read only that they are.
            own = own_team(snap, viewer)
            plan = plan.filter(pl.col("regio") == area).with_columns(
                pl.when(pl.col("van_team_id") == own)
                .then(pl.col("oorzaak"))
                .otherwise(pl.lit("niet beschikbaar"))
                .alias("oorzaak")
            )
    else:
        scope = holder_filter(snap, viewer, "van_medewerker_id", "van_team_id")
        plan = plan if scope is None else plan.filter(scope)
    for col, value in (
        ("regio", f.regio),
        ("van_team_id", f.team_id),
        ("van_medewerker_id", f.medewerker_id),
    ):
        if value is not None:
            plan = plan.filter(pl.col(col) == value)
    plan = of_soort(plan, f.soort)
    names = snap["medewerkers"].select(
        pl.col("medewerker_id").alias("van_medewerker_id"), pl.col("naam").alias("van_naam")
    )
    return (
        plan.join(names, on="van_medewerker_id", how="left")
        .rename({"dagen": "dagen_uitval"})
        .sort(pl.col("dagen_uitval").fill_null(-1), "maatregel_id", descending=[True, False])
    )


def met_besluiten(
    snap: Snapshot, as_of: date, config: Config, besluiten: pl.DataFrame | None
) -> pl.DataFrame:
    """The organisation's uitval plan after the decisions, every measure of the plan without
    them kept: an accepted one (which the planner leaves out) with its accepted waarnemer."""
    plan = voorstel(snap, MANAGER, as_of, config, "uitval", besluiten=besluiten)
    if besluiten is None:
        return plan.with_columns(pl.lit(None, pl.String).alias("besluit"))
    accepted = besluiten.filter(pl.col("besluit") == GEACCEPTEERD).select(
        "maatregel_id", "naar_medewerker_id", "besluit"
    )
    receivers = snap["medewerkers"].select(
        pl.col("medewerker_id").alias("naar_medewerker_id"),
        pl.col("naam").alias("naar_naam"),
        pl.col("team_id").alias("naar_team_id"),
    )
    waiting = (
        voorstel(snap, MANAGER, as_of, config, "uitval")
        .drop("naar_medewerker_id", "naar_naam", "naar_team_id", "naar_team_naam")
        .join(accepted, on="maatregel_id")
        .join(receivers, on="naar_medewerker_id", how="left")
        .with_columns(
            pl.lit(None, pl.Float64).alias("ruimte_voor"),
            pl.lit(None, pl.Float64).alias("ruimte_na"),
            pl.lit("waarnemer geaccepteerd, nog niet overgedragen").alias("reden"),
        )
    )
    waiting = with_team_names(snap, waiting, "naar_team_id").select(*plan.columns, "besluit")
    return pl.concat(
        [plan.with_columns(pl.lit(None, pl.String).alias("besluit")), waiting], how="vertical"
    )


def eigen_team(snap: Snapshot, viewer: Viewer, f: Filters) -> Filters:
    """f narrowed to the viewer's own team when it names none and the viewer has a team role:
    a teammanager plans for the region but their team page shows their team."""
    if f.team_id is not None or viewer.role not in TEAM_ROLES:
        return f
    team = own_team(snap, viewer)
    return f if team is None else replace(f, team_id=team)


def _count(zonder_waarnemer: bool):
    def bereken(snap: Snapshot, viewer: Viewer, as_of: date, config: Config, f: Filters) -> int:
        rows = uitval(snap, viewer, as_of, config, f)
        if zonder_waarnemer:
            return int(rows["naar_medewerker_id"].is_null().sum())
        return rows.height

    return bereken


def na_besluiten(rows: pl.DataFrame) -> dict[str, int]:
    """Of uitval rows made with the app's decisions: the proposed waarnemers still to decide
    and the measures nobody may take."""
    waarnemer = rows["naar_medewerker_id"].is_not_null()
    return {
        "uitval_te_beslissen": int((waarnemer & rows["besluit"].is_null()).sum()),
        "uitval_zonder_waarnemer_na_besluiten": int((~waarnemer).sum()),
    }


FIGUREN = (
    Figuur("uitval_maatregelen", "Maatregelen bij uitval", "voorraad", "aantal", 0,
           "Actieve maatregelen waarvan de houder op de peildatum niet beschikbaar is: afwezig "
           "op of boven de verzuimdrempel, uit dienst of zonder geldige SKJ-registratie.",
           _count(False), hoger_beter=False),
    Figuur("uitval_zonder_waarnemer", "Uitval zonder waarnemer", "voorraad", "aantal", 0,
           "Maatregelen bij uitval waarvoor op de peildatum niemand in een regulier team van "
           "hun regio volgens de regels van verantwoorde werktoedeling kan waarnemen.",
           _count(True), hoger_beter=False),
    Figuur("dagen_uitval", "Dagen sinds uitval", "voorraad", "dagen", 0,
           "Kalenderdagen van de dag waarop de houder niet meer beschikbaar was (begin van het "
           "verzuim, de dag van uit dienst of de dag na het verlopen van de SKJ) tot de "
           "peildatum, per maatregel."),
    # With the decisions taken in the app, which live outside the load: na_besluiten.
    Figuur("uitval_te_beslissen", "Waarnemer nog te beslissen", "voorraad", "aantal", 0,
           "Maatregelen bij uitval met een voorgestelde waarnemer waarover nog niet is beslist, "
           "na de besluiten in de app: een geaccepteerde waarnemer telt in zijn ruimte, een "
           "afgewezen waarnemer wordt voor die maatregel niet opnieuw voorgesteld."),
    Figuur("uitval_zonder_waarnemer_na_besluiten", "Uitval zonder waarnemer na besluiten",
           "voorraad", "aantal", 0, "Als 'Uitval zonder waarnemer', na de besluiten in de app.",
           hoger_beter=False),
)  # fmt: skip
