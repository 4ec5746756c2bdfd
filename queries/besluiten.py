"""Transfer decisions: a teammanager or MT member accepts or rejects a proposed new holder.

Decisions are the app's own data (table `besluiten`): a load never changes them. Each load
says per accepted transfer whether it arrived, and checks the receivers still waiting against
the rules again. The planner gets the pairs it must not propose again (besluiten_frame).
"""

import datetime as dt
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

import polars as pl
import sqlalchemy as sa

from queries.audit import entry, record
from queries.config import Config, config_key
from queries.figuur import Figuur
from queries.gebruikers import Account, utcnow
from queries.scope import Viewer, beheerd_gebied, own_team, region_teams
from queries.snapshot import Snapshot
from queries.werktoedeling_regels import regels_uit, skj_geldig, verzuim_op, vog_geldig
from store.auditketen import append, audit_key
from store.schema import besluiten as _besluiten

SOORTEN = ("afbouw", "uitval", "niet_toegewezen")
GEACCEPTEERD, AFGEWEZEN = "geaccepteerd", "afgewezen"
BESLUITEN = (GEACCEPTEERD, AFGEWEZEN)
# MT decides any transfer, a teammanager only those into their own team.
BESLISSERS = ("manager", "teammanager")
MAX_REDEN = 500

STATUS_TEKST = {
    "aangekomen": "aangekomen",
    "elders_aangekomen": "elders aangekomen",
    "vervallen": "vervallen",
    "wacht": "wacht",
    "niet_meer_veilig": "niet meer veilig",
    "niet_in_export": "niet meer in de export",
}
# Accepted and not arrived: counts in the receiver's room and is not proposed again.
WACHTEND = ("wacht", "niet_meer_veilig")

SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "id": pl.Int64,
    "maatregel_id": pl.String,
    "van_medewerker_id": pl.String,
    "naar_medewerker_id": pl.String,
    "naar_team_id": pl.String,
    "soort": pl.String,
    "besluit": pl.String,
    "reden": pl.String,
    "besloten_door": pl.String,
    "besloten_op": pl.Date,
    "tijdstip": pl.Datetime("us"),
}
STATUS_COLUMNS = [*SCHEMA, "status", "regels", "status_tekst"]
EXPORT_NAMES = {
    "id": "Besluit",
    "maatregel_id": "Maatregel",
    "soort": "Soort voorstel",
    "van_medewerker_id": "Van medewerker",
    "naar_medewerker_id": "Naar medewerker",
    "naam_ontvanger": "Naam ontvanger",
    "naar_team_id": "Naar team",
    "besluit": "Besluit genomen",
    "reden": "Reden",
    "besloten_door": "Besloten door",
    "besloten_op": "Peildatum",
    "tijdstip": "Tijdstip (UTC)",
    "status_tekst": "Status",
}


class BesluitGeweigerd(PermissionError):
    """The account may not take this decision; the refusal is in the audit log."""


def read_besluiten(engine: sa.Engine) -> pl.DataFrame:
    """Every decision ever taken, oldest first."""
    query = sa.select(*(_besluiten.c[name] for name in SCHEMA)).order_by(_besluiten.c.id)
    with engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    return pl.DataFrame([dict(r) for r in rows], schema=SCHEMA)


def _weigering(snap: Snapshot, account: Account, voorstel: Mapping[str, Any]) -> str | None:
    """Why the account may not decide on this proposal; None when it may. The proposal's
    measure, receiver and team are checked against the load, so a forged row cannot slip a
    transfer into the own team past the check."""
    if account.rol not in BESLISSERS:
        return f"besluiten over overdrachten niet voor de rol {account.rol}"
    maatregel, naar, team = (voorstel[k] for k in ("maatregel_id", "naar_medewerker_id",
                                                     "naar_team_id"))  # fmt: skip
    if maatregel not in snap["maatregelen"]["maatregel_id"]:
        return f"maatregel {maatregel} staat niet in de laatste export"
    receiver = snap["medewerkers"].filter(pl.col("medewerker_id") == naar)
    if receiver.height == 0:
        return f"medewerker {naar} staat niet in de laatste export"
    if receiver["team_id"][0] != team:
        return f"medewerker {naar} hoort niet bij team {team}"
    if account.rol == "teammanager":
        own = own_team(snap, account.viewer)
        if own != team:
            return f"overdracht naar team {team} valt buiten het eigen team ({own or 'geen'})"
    return None


def beslis(
    engine: sa.Engine,
    snap: Snapshot,
    account: Account,
    voorstel: Mapping[str, Any],
    besluit: str,
    *,
    soort: str,
    as_of: date,
    reden: str | None = None,
    at: dt.datetime | None = None,
) -> int:
    """Record the account's decision on one proposed transfer (a planner row) made for
    peildatum as_of; returns its id. The decision and its audit row are written together;
    a refusal is audited and raises BesluitGeweigerd."""
    if besluit not in BESLUITEN:
        raise ValueError(f"onbekend besluit {besluit!r}")
    if soort not in SOORTEN:
        raise ValueError(f"onbekende soort voorstel {soort!r}")
    reden = (reden or "").strip() or None
    if reden is not None and len(reden) > MAX_REDEN:
        raise ValueError(f"een reden heeft ten hoogste {MAX_REDEN} tekens")
    at = at or utcnow()
    maatregel = str(voorstel["maatregel_id"])
    refused = _weigering(snap, account, voorstel)
    if refused is not None:
        record(engine, account, "geweigerd", f"besluit {maatregel}", refused, at=at)
        raise BesluitGeweigerd(refused)
    row = {
        "maatregel_id": maatregel,
        "van_medewerker_id": voorstel.get("van_medewerker_id"),
        "naar_medewerker_id": voorstel["naar_medewerker_id"],
        "naar_team_id": voorstel["naar_team_id"],
        "soort": soort,
        "besluit": besluit,
        "reden": reden,
        "besloten_door": account.gebruikersnaam,
        "besloten_op": as_of,
        "tijdstip": at,
    }
    # The free text stays out of the audit log, which can never be corrected.
    details = (
        f"{besluit}: {soort} van {row['van_medewerker_id'] or 'niemand'} naar "
        f"{row['naar_medewerker_id']} (team {row['naar_team_id']}), peildatum {as_of}"
    )
    with engine.connect() as conn:
        append(conn, entry(account, "besluit", maatregel, details, at=at), audit_key())
        new_id = conn.execute(_besluiten.insert().values(row).returning(_besluiten.c.id))
        besluit_id = int(new_id.scalar_one())
        conn.commit()
    return besluit_id


def geldend(besluiten: pl.DataFrame, as_of: date) -> pl.DataFrame:
    """The decisions that count on as_of: per measure and receiver the latest one taken for a
    peildatum up to as_of; an acceptance only while it is its measure's latest acceptance (a
    later acceptance of another receiver replaces it)."""
    known = besluiten.filter(pl.col("besloten_op") <= as_of)
    latest = known.sort("id").unique(["maatregel_id", "naar_medewerker_id"], keep="last")
    last_accepted = (
        known.filter(pl.col("besluit") == GEACCEPTEERD)
        .group_by("maatregel_id")
        .agg(pl.col("id").max().alias("laatste"))
    )
    return (
        latest.join(last_accepted, on="maatregel_id", how="left")
        .filter((pl.col("besluit") == AFGEWEZEN) | (pl.col("id") == pl.col("laatste")))
        .drop("laatste")
        .sort("id")
    )


def _ids(frame: pl.DataFrame, condition: pl.Expr) -> pl.Series:
    return frame.filter(condition)["id"].unique().implode()


def _aankomst(accepted: pl.DataFrame, snap: Snapshot, as_of: date) -> pl.DataFrame:
    """accepted with `status`: niet_in_export, aangekomen (a toewijzing to the receiver holding
    it on a day from the decision's peildatum on), elders_aangekomen (one to a third person
    starting from then on), vervallen (the measure ended) or wacht, in that order."""
    toewijzingen = snap["toewijzingen"].filter(pl.col("vanaf") <= as_of)
    to_receiver = accepted.join(
        toewijzingen,
        left_on=["maatregel_id", "naar_medewerker_id"],
        right_on=["maatregel_id", "medewerker_id"],
    )
    arrived = _ids(to_receiver, pl.col("tot").is_null() | (pl.col("tot") > pl.col("besloten_op")))
    elsewhere = _ids(
        accepted.join(toewijzingen, on="maatregel_id"),
        (pl.col("vanaf") >= pl.col("besloten_op"))
        & (pl.col("medewerker_id") != pl.col("naar_medewerker_id"))
        & pl.col("medewerker_id").ne_missing(pl.col("van_medewerker_id")),
    )
    maatregelen = snap["maatregelen"]
    ended = _ids(
        accepted.join(maatregelen, on="maatregel_id"),
        pl.col("einde").is_not_null() & (pl.col("einde") <= as_of),
    )
    in_export = pl.col("maatregel_id").is_in(maatregelen["maatregel_id"].implode()) & pl.col(
        "naar_medewerker_id"
    ).is_in(snap["medewerkers"]["medewerker_id"].implode())
    status = (
        pl.when(~in_export)
        .then(pl.lit("niet_in_export"))
        .when(pl.col("id").is_in(arrived))
        .then(pl.lit("aangekomen"))
        .when(pl.col("id").is_in(elsewhere))
        .then(pl.lit("elders_aangekomen"))
        .when(pl.col("id").is_in(ended))
        .then(pl.lit("vervallen"))
        .otherwise(pl.lit("wacht"))
    )
    return accepted.with_columns(status.alias("status"))


def onveilig(snap: Snapshot, as_of: date, config: Config) -> pl.DataFrame:
    """Per medewerker who may not receive a measure on as_of, the broken rules joined ("afwezig,
    SKJ verlopen"), by the planner's own checks (queries.werktoedeling_regels): absent at or
    above the threshold, out of service or leaving within the horizon, SKJ or VOG unknown or
    invalid (each off as regels_uit says). Columns medewerker_id, regels."""
    key = ("onveilig", config_key(config))
    return snap.memo(key, lambda: _onveilig(snap, as_of, config), day=as_of, shared=True)


def _onveilig(snap: Snapshot, as_of: date, config: Config) -> pl.DataFrame:
    absent = verzuim_op(snap, as_of, config)
    horizon = as_of + timedelta(weeks=config.werktoedeling_horizon_weken)
    skj, vog = ("skj" not in (off := regels_uit(snap, config))), "vog" not in off
    rows = []
    for r in snap["medewerkers"].iter_rows(named=True):
        away, uit = absent.get(r["medewerker_id"]), r["uit_dienst"]
        # A VOG issued after as_of was not known yet on as_of.
        known_vog = r["vog_datum"] is not None and r["vog_datum"] <= as_of
        checks = (
            ("afwezig", away is not None and away.pct >= config.werktoedeling_verzuim_drempel_pct),
            ("uit dienst", uit is not None and uit <= as_of),
            ("gaat uit dienst", uit is not None and as_of < uit <= horizon),
            ("SKJ onbekend", skj and r["skj_geldig_tot"] is None),
            ("SKJ verlopen", skj and r["skj_geldig_tot"] is not None and not skj_geldig(r, as_of)),
            ("VOG onbekend", vog and not known_vog),
            ("VOG verlopen", vog and known_vog and not vog_geldig(r, as_of, config)),
        )
        broken = [regel for regel, hit in checks if hit]
        if broken:
            rows.append((r["medewerker_id"], ", ".join(broken)))
    return pl.DataFrame(
        rows, schema={"medewerker_id": pl.String, "regels": pl.String}, orient="row"
    )


def _statussen(besluiten: pl.DataFrame, snap: Snapshot, as_of: date) -> pl.DataFrame:
    """The decisions that count on as_of, accepted ones with their arrival status; kept per
    day and set of decisions, so a new decision is a new key."""
    key = ("besluit_statussen", tuple(besluiten.columns), tuple(besluiten.iter_rows()))
    return snap.memo(key, lambda: _statussen_van(besluiten, snap, as_of), day=as_of)


def _statussen_van(besluiten: pl.DataFrame, snap: Snapshot, as_of: date) -> pl.DataFrame:
    current = geldend(besluiten, as_of)
    accepted = _aankomst(current.filter(pl.col("besluit") == GEACCEPTEERD), snap, as_of)
    rejected = current.filter(pl.col("besluit") == AFGEWEZEN)
    return pl.concat([accepted, rejected], how="diagonal").sort("id")


def besluiten_frame(besluiten: pl.DataFrame, snap: Snapshot, as_of: date) -> pl.DataFrame:
    """For the planner, over the whole organisation (a receiver's room counts every accepted
    transfer; the planner scopes its own output): accepted transfers not yet arrived and
    rejected pairs. Columns maatregel_id, naar_medewerker_id, besluit."""
    statuses = _statussen(besluiten, snap, as_of)
    return statuses.filter(
        (pl.col("besluit") == AFGEWEZEN) | pl.col("status").is_in(WACHTEND)
    ).select("maatregel_id", "naar_medewerker_id", "besluit")


def _scoped(frame: pl.DataFrame, snap: Snapshot, viewer: Viewer) -> pl.DataFrame:
    """MT sees every decision, a teammanager those into a team of their own region."""
    planner, regio = beheerd_gebied(snap, viewer)
    if not planner:
        return frame.clear()
    if regio is None:
        return frame
    return frame.filter(pl.col("naar_team_id").is_in(region_teams(snap, regio).implode()))


def _met_veiligheid(
    statuses: pl.DataFrame, snap: Snapshot, as_of: date, config: Config
) -> pl.DataFrame:
    """A waiting transfer whose receiver breaks a rule on as_of becomes niet_meer_veilig."""
    rules = onveilig(snap, as_of, config).rename({"medewerker_id": "naar_medewerker_id"})
    flagged = statuses.join(rules, on="naar_medewerker_id", how="left").with_columns(
        pl.when(pl.col("status") == "wacht").then(pl.col("regels")).alias("regels")
    )
    status = (
        pl.when(pl.col("regels").is_not_null())
        .then(pl.lit("niet_meer_veilig"))
        .otherwise(pl.col("status"))
    )
    return flagged.with_columns(status.alias("status")).with_columns(
        pl.when(pl.col("status") == "niet_meer_veilig")
        .then(pl.lit("niet meer veilig: ") + pl.col("regels"))
        .otherwise(pl.col("status").replace_strict(STATUS_TEKST, default=None))
        .alias("status_tekst")
    )


def besluit_status(
    besluiten: pl.DataFrame, snap: Snapshot, viewer: Viewer, as_of: date, config: Config
) -> pl.DataFrame:
    """Per accepted transfer that counts on as_of and the viewer may see, its status (key in
    STATUS_TEKST), the broken rules of a receiver no longer safe, and the status in Dutch."""
    statuses = _statussen(besluiten, snap, as_of).filter(pl.col("besluit") == GEACCEPTEERD)
    checked = _met_veiligheid(statuses, snap, as_of, config)
    return _scoped(checked, snap, viewer).select(STATUS_COLUMNS)


def besluiten_export(
    besluiten: pl.DataFrame, snap: Snapshot, viewer: Viewer, as_of: date, config: Config
) -> pl.DataFrame:
    """Every decision that counts on as_of and the viewer may see, accepted ones with their
    status, under Dutch column names: the file for the registration system."""
    statuses = _met_veiligheid(_statussen(besluiten, snap, as_of), snap, as_of, config)
    names = snap["medewerkers"].select(
        pl.col("medewerker_id").alias("naar_medewerker_id"), pl.col("naam").alias("naam_ontvanger")
    )
    return (
        _scoped(statuses, snap, viewer)
        .join(names, on="naar_medewerker_id", how="left")
        .select(pl.col(column).alias(name) for column, name in EXPORT_NAMES.items())
    )


def besluiten_cijfers(
    besluiten: pl.DataFrame, snap: Snapshot, viewer: Viewer, as_of: date, config: Config
) -> dict[str, int]:
    """The figures of FIGUREN for the viewer on as_of, raw."""
    status = besluit_status(besluiten, snap, viewer, as_of, config)["status"]
    return {
        "besluiten_geaccepteerd": status.len(),
        "besluiten_aangekomen": int((status == "aangekomen").sum()),
        "besluiten_wacht": int(status.is_in(WACHTEND).sum()),
        "besluiten_niet_meer_veilig": int((status == "niet_meer_veilig").sum()),
    }


_ACCEPTED = (
    "Geaccepteerde overdrachten die op de peildatum gelden: per maatregel de laatste "
    "acceptatie, zolang die ontvanger niet later is afgewezen"
)
# Decisions live in the database, not in the load: besluiten_cijfers computes these.
FIGUREN = (
    Figuur("besluiten_geaccepteerd", "Geaccepteerde overdrachten", "voorraad", "aantal", 0,
           f"{_ACCEPTED}."),
    Figuur("besluiten_aangekomen", "Overdrachten aangekomen", "voorraad", "aantal", 0,
           f"{_ACCEPTED}, waarvoor de laatste export een toewijzing aan de ontvanger heeft die "
           "de maatregel vanaf de peildatum van het besluit houdt.", hoger_beter=True),
    Figuur("besluiten_wacht", "Overdrachten die wachten", "voorraad", "aantal", 0,
           f"{_ACCEPTED}, nog niet bij de ontvanger of elders aangekomen en de maatregel niet "
           "beëindigd; ze tellen mee in de ruimte van de ontvanger.", hoger_beter=False),
    Figuur("besluiten_niet_meer_veilig", "Wachtende overdrachten niet meer veilig", "voorraad",
           "aantal", 0, f"{_ACCEPTED} die wachten, terwijl de ontvanger op de peildatum een "
           "regel breekt: verzuim van 50% of meer, uit dienst of binnen 8 weken uit dienst, "
           "SKJ-registratie of VOG verlopen of onbekend.", hoger_beter=False),
)  # fmt: skip
