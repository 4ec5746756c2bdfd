"""The deadline mail: what each jeugdzorgwerker and praktijkbegeleider is told on a day, who
gets a mail that day (their cadans, failed sends), and the record of every attempt.

Mail settings and attempts are the app's own data (tables mail_instellingen, mail_verzendingen);
a person changes only their own setting, and every change, refusal and mail is audited.
"""

import datetime as dt
from dataclasses import dataclass
from datetime import date, timedelta

import polars as pl
import sqlalchemy as sa

from queries.afspraken import niet_afgerond
from queries.audit import entry, record
from queries.config import Config
from queries.gebruikers import Account, utcnow
from queries.kalender import add_werkdagen, is_werkdag, werkdagen_between
from queries.scope import Viewer, in_service, visible_medewerkers
from queries.snapshot import Snapshot
from queries.termijnen import signalen, werklijst
from store.auditketen import append, audit_key
from store.schema import mail_instellingen as _instellingen
from store.schema import mail_verzendingen as _verzendingen

AUTOMATISCH, WEKELIJKS, UIT = "automatisch", "wekelijks", "uit"
CADANSEN = (AUTOMATISCH, WEKELIJKS, UIT)
MEDEWERKER, BEGELEIDER = "medewerker", "begeleider"
VERZONDEN, MISLUKT = "verzonden", "mislukt"
# The norms whose deadline makes an automatisch mail go out before the week's own day.
DRINGENDE_NORMEN = ("eerste_contact", "plan_van_aanpak")
TERMIJN, VERLENGING, AFSPRAAK = "termijn", "verlenging", "afspraak"
MAX_FOUT = 500

# One line of a mail: a deadline (norm), a planned end (verlenging) or an afspraak. An afspraak
# goes by its number, never its free text: mail leaves the GI's systems, and a name typed into
# a description despite the form's warning must not go with it.
ITEM_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "medewerker_id": pl.String,
    "soort": pl.String,
    "maatregel_id": pl.String,
    "norm": pl.String,
    "afspraak_id": pl.Int64,
    "datum": pl.Date,
    "status": pl.String,
}
VERZENDING_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "id": pl.Int64,
    "medewerker_id": pl.String,
    "soort": pl.String,
    "peildatum": pl.Date,
    "status": pl.String,
    "fout": pl.String,
    "tijdstip": pl.Datetime("us"),
}


class MailInstellingGeweigerd(PermissionError):
    """The account may not change this setting; the refusal is in the audit log."""


@dataclass(frozen=True)
class Mail:
    """One mail to send on a day: to whom, why (week, dringend, opnieuw) and its lines."""

    medewerker_id: str
    soort: str
    adres: str
    reden: str
    items: pl.DataFrame


def binnenkort_grens(as_of: date, config: Config) -> date:
    """The binnenkort werkdag after as_of: open deadlines up to it are in the mail."""
    return add_werkdagen(as_of, config.binnenkort_werkdagen, config)


def _termijn_items(wl: pl.DataFrame) -> pl.DataFrame:
    return wl.select(
        "medewerker_id",
        soort=pl.lit(TERMIJN),
        maatregel_id="maatregel_id",
        norm="norm",
        afspraak_id=pl.lit(None, pl.Int64),
        datum="deadline",
        status="status",
    )


def _afspraak_items(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select(
        "medewerker_id",
        soort=pl.lit(AFSPRAAK),
        maatregel_id="maatregel_id",
        norm=pl.lit(None, pl.String),
        afspraak_id="afspraak_id",
        datum="deadline",
        status="status",
    )


def _items(*parts: pl.DataFrame) -> pl.DataFrame:
    return pl.concat([p.select(pl.col(k).cast(v) for k, v in ITEM_SCHEMA.items()) for p in parts])


def werker_items(
    snap: Snapshot, viewer: Viewer, as_of: date, config: Config, afspraken: pl.DataFrame
) -> pl.DataFrame:
    """The viewer's own mail lines on as_of: verlopen deadlines and open ones due by the
    binnenkort werkdag of the active measures they hold, measures whose planned end is within
    the signal weeks, and their afspraken not done (lees_afspraken's rows). ITEM_SCHEMA."""
    person = viewer.medewerker_id
    if person is None:
        return pl.DataFrame(schema=ITEM_SCHEMA)
    wl = werklijst(snap, viewer, as_of, config, medewerker_id=person)
    grens = binnenkort_grens(as_of, config)
    termijnen = wl.filter((pl.col("status") == "verlopen") | (pl.col("deadline") <= grens))
    einde = signalen(snap, viewer, as_of, config).filter(pl.col("medewerker_id") == person)
    verlenging = einde.select(
        "medewerker_id",
        soort=pl.lit(VERLENGING),
        maatregel_id="maatregel_id",
        norm=pl.lit(None, pl.String),
        afspraak_id=pl.lit(None, pl.Int64),
        datum="einde_gepland",
        status=pl.lit("einde_gepland"),
    )
    eigen = niet_afgerond(afspraken.filter(pl.col("medewerker_id") == person), as_of)
    return _items(_termijn_items(termijnen), verlenging, _afspraak_items(eigen))


def begeleider_items(
    snap: Snapshot, viewer: Viewer, as_of: date, config: Config, afspraken: pl.DataFrame
) -> pl.DataFrame:
    """A praktijkbegeleider's mail lines: the deadlines and afspraken of the workers whose
    begeleider_id they are, overdue on as_of for more than the setting's werkdagen."""
    if viewer.role != "praktijkbegeleider" or viewer.medewerker_id is None:
        return pl.DataFrame(schema=ITEM_SCHEMA)
    staff = visible_medewerkers(snap, viewer).filter(
        (pl.col("begeleider_id") == viewer.medewerker_id) & in_service(as_of)
    )
    workers = staff["medewerker_id"].implode()
    n = config.mail_begeleider_verlopen_werkdagen

    def lang_verlopen(frame: pl.DataFrame, col: str) -> pl.DataFrame:
        late = [werkdagen_between(d, as_of, config) > n for d in frame[col]]
        return frame.filter(pl.Series(late, dtype=pl.Boolean))

    wl = werklijst(snap, viewer, as_of, config).filter(
        (pl.col("status") == "verlopen") & pl.col("medewerker_id").is_in(workers)
    )
    theirs = niet_afgerond(afspraken.filter(pl.col("medewerker_id").is_in(workers)), as_of)
    verlopen = theirs.filter(pl.col("status") == "verlopen")
    return _items(
        _termijn_items(lang_verlopen(wl, "deadline")),
        _afspraak_items(lang_verlopen(verlopen, "deadline")),
    ).sort("medewerker_id", "datum", "maatregel_id", nulls_last=True)


def eerste_werkdag_van_week(day: date, config: Config) -> bool:
    """day is a werkdag and no earlier day of its ISO week is one."""
    if not is_werkdag(day, config):
        return False
    monday = day - timedelta(days=day.weekday())
    return not any(is_werkdag(monday + timedelta(days=i), config) for i in range(day.weekday()))


def dringend(items: pl.DataFrame, as_of: date, config: Config) -> bool:
    """An open eerste_contact or plan_van_aanpak deadline on or before the dringend werkdag."""
    grens = add_werkdagen(as_of, config.mail_dringend_werkdagen, config)
    return (
        items.filter(
            (pl.col("soort") == TERMIJN)
            & pl.col("norm").is_in(DRINGENDE_NORMEN)
            & (pl.col("status") == "open")
            & (pl.col("datum") <= grens)
        ).height
        > 0
    )


def _adres(value) -> str | None:
    text = (value or "").strip()
    return text if "@" in text else None


def _poging(verzendingen: pl.DataFrame, medewerker_id: str, soort: str, as_of: date):
    """(sent on as_of already, the latest attempt failed) for one person and soort; attempts
    for a later peildatum do not count."""
    theirs = verzendingen.filter(
        (pl.col("medewerker_id") == medewerker_id)
        & (pl.col("soort") == soort)
        & (pl.col("peildatum") <= as_of)
    )
    sent = theirs.filter((pl.col("peildatum") == as_of) & (pl.col("status") == VERZONDEN))
    latest = theirs.sort("id")["status"].tail(1).to_list()
    return sent.height > 0, latest == [MISLUKT]


def mailplan(
    snap: Snapshot,
    as_of: date,
    config: Config,
    afspraken: pl.DataFrame,
    instellingen: pl.DataFrame,
    verzendingen: pl.DataFrame,
) -> list[Mail]:
    """The mails to send on as_of: none on a day off; per person with an address and mail
    not uit, not sent on as_of yet, with lines: on the first werkdag of the week, on
    automatisch also when something is dringend, and whenever their latest attempt failed."""
    if not is_werkdag(as_of, config):
        return []
    cadans = dict(zip(instellingen["medewerker_id"], instellingen["cadans"], strict=True))
    week = eerste_werkdag_van_week(as_of, config)
    staff = snap["medewerkers"].filter(in_service(as_of)).sort("medewerker_id")
    plan: list[Mail] = []
    for row in staff.iter_rows(named=True):
        person, adres = row["medewerker_id"], _adres(row.get("email"))
        own = cadans.get(person, AUTOMATISCH)
        if adres is None or own == UIT:
            continue
        if row["functie"] in config.caseload_functies:
            soort, viewer = MEDEWERKER, Viewer("jeugdzorgwerker", person)
            lines = werker_items
        elif row["functie"] == "praktijkbegeleider":
            soort, viewer = BEGELEIDER, Viewer("praktijkbegeleider", person)
            lines = begeleider_items
        else:
            continue
        sent, opnieuw = _poging(verzendingen, person, soort, as_of)
        if sent or not (week or opnieuw or (soort == MEDEWERKER and own == AUTOMATISCH)):
            continue
        items = lines(snap, viewer, as_of, config, afspraken)
        urgent = soort == MEDEWERKER and own == AUTOMATISCH and dringend(items, as_of, config)
        if items.height and (week or opnieuw or urgent):
            reden = "opnieuw" if opnieuw else "week" if week else "dringend"
            plan.append(Mail(person, soort, adres, reden, items))
    return plan


def lees_instellingen(engine: sa.Engine) -> pl.DataFrame:
    """Every person's chosen cadans (medewerker_id, cadans); without a row: automatisch."""
    query = sa.select(_instellingen.c.medewerker_id, _instellingen.c.cadans)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return pl.DataFrame(
        [tuple(r) for r in rows],
        schema={"medewerker_id": pl.String, "cadans": pl.String},
        orient="row",
    )


def cadans_van(engine: sa.Engine, medewerker_id: str | None) -> str:
    """The person's cadans, automatisch when they never chose one."""
    query = sa.select(_instellingen.c.cadans).where(_instellingen.c.medewerker_id == medewerker_id)
    with engine.connect() as conn:
        chosen = conn.execute(query).scalar()
    return chosen or AUTOMATISCH


def zet_cadans(
    engine: sa.Engine,
    account: Account,
    medewerker_id: str | None,
    cadans: str,
    *,
    at: dt.datetime | None = None,
) -> None:
    """Set the mail cadans of medewerker_id: only the account's own. The setting and its audit
    row are written together; a refusal is audited and raises MailInstellingGeweigerd."""
    at = at or utcnow()
    if cadans not in CADANSEN:
        raise ValueError(f"onbekende mailinstelling {cadans!r}")
    if account.medewerker_id is None or medewerker_id != account.medewerker_id:
        reden = "alleen de eigen mailinstelling kan worden gewijzigd"
        record(engine, account, "geweigerd", f"mailinstelling {medewerker_id}", reden, at=at)
        raise MailInstellingGeweigerd(reden)
    values = {"cadans": cadans, "gewijzigd_door": account.gebruikersnaam, "tijdstip": at}
    row = entry(account, "mail_instelling", medewerker_id, f"deadline-mail: {cadans}", at=at)
    with engine.connect() as conn:
        append(conn, row, audit_key())
        changed = conn.execute(
            _instellingen.update()
            .where(_instellingen.c.medewerker_id == medewerker_id)
            .values(values)
        )
        if changed.rowcount == 0:
            conn.execute(_instellingen.insert().values(medewerker_id=medewerker_id, **values))
        conn.commit()


def lees_verzendingen(engine: sa.Engine) -> pl.DataFrame:
    """Every mail attempt, oldest first."""
    query = sa.select(*(_verzendingen.c[name] for name in VERZENDING_SCHEMA)).order_by(
        _verzendingen.c.id
    )
    with engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    return pl.DataFrame([dict(r) for r in rows], schema=VERZENDING_SCHEMA)


def leg_verzending_vast(
    engine: sa.Engine,
    mail: Mail,
    as_of: date,
    fout: str | None = None,
    *,
    at: dt.datetime | None = None,
) -> None:
    """Record one attempt to send mail (failed when fout is given) with its audit row."""
    at = at or utcnow()
    status = MISLUKT if fout else VERZONDEN
    fout = fout[:MAX_FOUT] if fout else None
    details = (
        f"{mail.soort}-mail {status} aan {mail.adres}, peildatum {as_of.isoformat()}, "
        f"{mail.items.height} regels" + (f": {fout}" if fout else "")
    )
    row = entry("deadline-mail", "mail", mail.medewerker_id, details, at=at)
    with engine.connect() as conn:
        append(conn, row, audit_key())
        conn.execute(
            _verzendingen.insert().values(
                medewerker_id=mail.medewerker_id,
                soort=mail.soort,
                peildatum=as_of,
                status=status,
                fout=fout,
                tijdstip=at,
            )
        )
        conn.commit()
