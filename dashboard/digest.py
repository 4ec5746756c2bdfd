"""The deadline mail: `python -m dashboard.digest --as-of D [--db URL] [--out DIR] [--send]`.

queries.digest decides who gets which lines; this module writes them as a Dutch mail (HTML and
plain text, ids only) and sends it over SMTP, or writes .eml files, or prints a summary.
Settings: CASELOAD_SMTP_URL (smtp://user:pass@host:port?starttls=1 or smtps://...),
CASELOAD_SMTP_FROM and CASELOAD_BASE_URL (the dashboard's address, for the links).
"""

import argparse
import datetime as dt
import html
import logging
import os
import smtplib
import ssl
import sys
import time
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import polars as pl
import sqlalchemy as sa

from dashboard.components.formats import NORM_LABELS, fmt_date
from dashboard.urlstate import MAATREGEL_PATH, link
from queries.afspraken import lees_afspraken
from queries.config import Config, load_config
from queries.digest import (
    AFSPRAAK,
    BEGELEIDER,
    TERMIJN,
    VERLENGING,
    Mail,
    binnenkort_grens,
    lees_instellingen,
    lees_verzendingen,
    leg_verzending_vast,
    mailplan,
)
from queries.snapshot import NoDataError, load_snapshot
from store.engine import make_engine

log = logging.getLogger("dashboard.digest")

SMTP_URL, SMTP_FROM, BASE_URL = "CASELOAD_SMTP_URL", "CASELOAD_SMTP_FROM", "CASELOAD_BASE_URL"
SMTP_TIMEOUT = 30
STATUS_TEKST = {"verlopen": "verlopen", "open": "open"}


class UsageError(Exception):
    """A problem with the arguments or the settings, told to the user in Dutch."""


@dataclass(frozen=True)
class Smtp:
    """Where and how to deliver: parsed from CASELOAD_SMTP_URL."""

    host: str
    port: int
    ssl: bool
    starttls: bool
    user: str | None
    password: str | None


def parse_smtp_url(url: str) -> Smtp:
    """smtp://user:pass@host:port?starttls=1 or smtps://user:pass@host:port."""
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise UsageError(
            f"{SMTP_URL} moet de vorm smtp://gebruiker:wachtwoord@host:poort?starttls=1 of "
            f"smtps://gebruiker:wachtwoord@host:poort hebben"
        )
    secure = parts.scheme == "smtps"
    try:
        port = parts.port or (465 if secure else 25)
    except ValueError:
        raise UsageError(f"{SMTP_URL}: geen geldig poortnummer") from None
    starttls = parse_qs(parts.query).get("starttls", ["0"])[-1] in ("1", "true", "ja")
    return Smtp(
        host=parts.hostname,
        port=port,
        ssl=secure,
        starttls=starttls and not secure,
        user=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


def maatregel_url(base: str, maatregel_id: str, as_of: date) -> str:
    """The measure's page on the dashboard as of the mail's day."""
    return base.rstrip("/") + link(
        MAATREGEL_PATH, maatregel=maatregel_id, peildatum=as_of.isoformat()
    )


def _regel(row: dict, base: str, as_of: date, begeleider: bool) -> tuple[str, str | None]:
    """One line's text and its link (None for an afspraak without a measure)."""
    wie = f"medewerker {row['medewerker_id']} · " if begeleider else ""
    maatregel = row["maatregel_id"]
    url = maatregel_url(base, maatregel, as_of) if maatregel else None
    datum = fmt_date(row["datum"])
    if row["soort"] == TERMIJN:
        norm = NORM_LABELS.get(row["norm"], row["norm"])
        tekst = f"{wie}{maatregel} · {norm} · uiterlijk {datum} · {STATUS_TEKST[row['status']]}"
    elif row["soort"] == VERLENGING:
        tekst = f"{wie}{maatregel} · gepland einde {datum}"
    else:
        over = f"{maatregel} · " if maatregel else ""
        tekst = (
            f"{wie}{over}afspraak {row['afspraak_id']} uit caseloadgesprek · uiterlijk {datum}"
            f" · {row['status']}"
        )
    return tekst, url


def _secties(mail: Mail, as_of: date, config: Config) -> list[tuple[str, pl.DataFrame]]:
    items = mail.items
    if mail.soort == BEGELEIDER:
        n = config.mail_begeleider_verlopen_werkdagen
        return [
            (f"Termijnen langer dan {n} werkdagen verlopen",
             items.filter(pl.col("soort") == TERMIJN)),
            (f"Afspraken langer dan {n} werkdagen verlopen",
             items.filter(pl.col("soort") == AFSPRAAK)),
        ]  # fmt: skip
    grens = fmt_date(binnenkort_grens(as_of, config))
    termijnen = items.filter(pl.col("soort") == TERMIJN)
    return [
        ("Verlopen termijnen", termijnen.filter(pl.col("status") == "verlopen")),
        (f"Termijnen tot en met {grens}", termijnen.filter(pl.col("status") == "open")),
        (
            f"Gepland einde binnen {config.einde_gepland_signaal_weken} weken: verlenging "
            "voorbereiden",
            items.filter(pl.col("soort") == VERLENGING),
        ),
        ("Afspraken uit het caseloadgesprek", items.filter(pl.col("soort") == AFSPRAAK)),
    ]


def onderwerp(mail: Mail, as_of: date) -> str:
    items = mail.items
    if mail.soort == BEGELEIDER:
        return f"Caseload: {items.height} langer verlopen bij uw medewerkers ({fmt_date(as_of)})"
    termijnen = items.filter(pl.col("soort") == TERMIJN)
    verlopen = termijnen.filter(pl.col("status") == "verlopen").height
    return (
        f"Uw termijnen op {fmt_date(as_of)}: {verlopen} verlopen, "
        f"{termijnen.height - verlopen} binnenkort"
    )


def bericht(mail: Mail, as_of: date, config: Config, base: str, afzender: str) -> EmailMessage:
    """The mail as a message with a plain text and an HTML part; ids only, no names."""
    begeleider = mail.soort == BEGELEIDER
    intro = (
        "Termijnen en afspraken van de medewerkers van wie u praktijkbegeleider bent."
        if begeleider
        else "Uw openstaande termijnen, verlengingen en afspraken."
    )
    tekst = [f"Peildatum {fmt_date(as_of)}. {intro}", ""]
    delen = [f"<p>Peildatum {fmt_date(as_of)}. {html.escape(intro)}</p>"]
    for titel, rows in _secties(mail, as_of, config):
        if rows.height == 0:
            continue
        tekst += [f"{titel} ({rows.height})"]
        delen += [f"<h2>{html.escape(titel)} ({rows.height})</h2>", "<ul>"]
        for row in rows.iter_rows(named=True):
            regel, url = _regel(row, base, as_of, begeleider)
            tekst.append(f"- {regel}" + (f"\n  {url}" if url else ""))
            inhoud = html.escape(regel)
            if url:
                inhoud = f'<a href="{html.escape(url)}">{inhoud}</a>'
            delen.append(f"<li>{inhoud}</li>")
        tekst.append("")
        delen.append("</ul>")
    slot = (
        "Deze mail noemt alleen nummers van maatregelen, geen namen. U kiest hoe vaak u hem "
        f"krijgt op Mijn caseload: {base.rstrip('/')}/mijn-caseload"
    )
    tekst.append(slot)
    delen.append(f"<p>{html.escape(slot)}</p>")
    msg = EmailMessage()
    msg["Subject"] = onderwerp(mail, as_of)
    msg["From"] = afzender
    msg["To"] = mail.adres
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=afzender.rsplit("@", 1)[-1].strip("> "))
    msg.set_content("\n".join(tekst))
    body = "\n".join(delen)
    msg.add_alternative(
        f'<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"></head><body>{body}'
        "</body></html>",
        subtype="html",
    )
    return msg


class Verzender:
    """One SMTP connection for a run, opened again after a failure."""

    def __init__(self, smtp: Smtp):
        self.smtp = smtp
        self.conn: smtplib.SMTP | None = None

    def _open(self) -> smtplib.SMTP:
        s = self.smtp
        conn: smtplib.SMTP
        if s.ssl:
            conn = smtplib.SMTP_SSL(
                s.host, s.port, timeout=SMTP_TIMEOUT, context=ssl.create_default_context()
            )
        else:
            conn = smtplib.SMTP(s.host, s.port, timeout=SMTP_TIMEOUT)
            if s.starttls:
                conn.starttls(context=ssl.create_default_context())
        if s.user:
            conn.login(s.user, s.password or "")
        return conn

    def send(self, msg: EmailMessage) -> None:
        try:
            self.conn = self.conn or self._open()
            self.conn.send_message(msg)
        except (smtplib.SMTPException, OSError):
            self.close()
            raise

    def close(self) -> None:
        if self.conn is not None:
            try:
                self.conn.quit()
            except (smtplib.SMTPException, OSError):
                self.conn.close()
            self.conn = None


def _settings(need_smtp: bool) -> tuple[Smtp | None, str, str]:
    base = os.environ.get(BASE_URL, "").strip()
    if not base.startswith(("http://", "https://")):
        raise UsageError(f"Zet {BASE_URL} op het adres van het dashboard, zoals https://...")
    afzender = os.environ.get(SMTP_FROM, "").strip()
    if "@" not in afzender:
        raise UsageError(f"Zet {SMTP_FROM} op het afzenderadres van de mail")
    if not need_smtp:
        return None, base, afzender
    url = os.environ.get(SMTP_URL, "").strip()
    if not url:
        raise UsageError(f"Zet {SMTP_URL} om mail te versturen")
    return parse_smtp_url(url), base, afzender


def run(args: argparse.Namespace, out=sys.stdout) -> int:
    """One run for args.as_of; the number of mails that failed."""
    smtp, base, afzender = _settings(args.send)
    engine = make_engine(args.db)
    try:
        snap = load_snapshot(engine)
        config = load_config(args.config)
        as_of = args.as_of or dt.date.today()
        plan = mailplan(
            snap, as_of, config, lees_afspraken(engine), lees_instellingen(engine),
            lees_verzendingen(engine),
        )  # fmt: skip
    except NoDataError as exc:
        raise UsageError(str(exc)) from exc
    except sa.exc.SQLAlchemyError as exc:
        raise UsageError(f"De database is niet bereikbaar of heeft geen tabellen: {exc}") from exc
    if args.out:
        folder = Path(args.out)
        folder.mkdir(parents=True, exist_ok=True)
        # One mail per person: their functie makes it a worker's or a begeleider's.
        for mail in plan:
            msg = bericht(mail, as_of, config, base, afzender)
            (folder / f"{mail.medewerker_id}.eml").write_bytes(bytes(msg))
        print(f"{len(plan)} mails geschreven naar {folder}", file=out)
    if not args.send:
        if not args.out:
            print(f"Deadline-mail op {fmt_date(as_of)}: {len(plan)} mails", file=out)
            for mail in plan:
                print(
                    f"{mail.medewerker_id}\t{mail.soort}\t{mail.reden}\t{mail.items.height} "
                    f"regels\t{mail.adres}",
                    file=out,
                )
        return 0
    assert smtp is not None
    verzender, failed = Verzender(smtp), 0
    try:
        for mail in plan:
            msg = bericht(mail, as_of, config, base, afzender)
            try:
                verzender.send(msg)
            except (smtplib.SMTPException, OSError) as exc:
                failed += 1
                log.warning("Mail aan %s mislukt: %s", mail.medewerker_id, exc)
                leg_verzending_vast(engine, mail, as_of, f"{type(exc).__name__}: {exc}")
            else:
                leg_verzending_vast(engine, mail, as_of)
    finally:
        verzender.close()
        engine.dispose()
    print(f"{len(plan) - failed} mails verstuurd, {failed} mislukt (volgende run opnieuw)",
          file=out)  # fmt: skip
    return failed


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"geen datum in de vorm JJJJ-MM-DD: {text!r}") from exc


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard.digest",
        description="De deadline-mail: per jeugdzorgwerker de eigen termijnen, per "
        "praktijkbegeleider wat bij de eigen medewerkers lang verlopen is.",
    )
    parser.add_argument("--as-of", type=_date, help="peildatum JJJJ-MM-DD (standaard: vandaag)")
    parser.add_argument(
        "--db", help="database-URL (standaard: CASELOAD_DB_URL of het SQLite-bestand onder data/)"
    )
    parser.add_argument("--config", help="normenbestand (TOML; standaard CASELOAD_CONFIG)")
    parser.add_argument("--out", metavar="MAP", help="schrijf de mails als .eml-bestanden")
    parser.add_argument("--send", action="store_true", help="verstuur de mails via SMTP")
    parser.add_argument(
        "--at",
        metavar="UU:MM",
        help="blijf draaien en verstuur elke dag om UU:MM (na de nachtelijke lading)",
    )
    return parser


def _at(text: str) -> dt.time:
    try:
        hours, minutes = (int(part) for part in text.split(":"))
        return dt.time(hours, minutes)
    except ValueError:
        raise UsageError(f"geen tijd in de vorm UU:MM: {text!r}") from None


def first_run(now: dt.datetime, at: dt.time) -> tuple[date, bool]:
    """The first day the schedule runs for, and whether that run is now (started after its
    time that day) rather than at `at`."""
    return now.date(), now.time() >= at


def schedule(args: argparse.Namespace, at: dt.time) -> None:
    """Every day at `at` (local time) a run for that day. Started after today's time (a restart,
    a deploy) it runs for today at once: a run sends nobody twice, so catching up is safe."""
    day, now = first_run(dt.datetime.now(), at)
    while True:
        target = dt.datetime.combine(day, at)
        while not now and (left := (target - dt.datetime.now()).total_seconds()) > 0:
            time.sleep(min(left, 60.0))
        _run_logged(args, day)
        day, now = day + dt.timedelta(days=1), False


def _run_logged(args: argparse.Namespace, day: date) -> None:
    args.as_of = day
    try:
        run(args)
    except (UsageError, sa.exc.SQLAlchemyError) as exc:
        log.error("Deadline-mail op %s niet (helemaal) verstuurd: %s", fmt_date(day), exc)


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    args = _parser().parse_args(argv)
    try:
        if args.at:
            if not args.send:
                raise UsageError("--at verstuurt elke dag: gebruik het met --send")
            if args.as_of:
                raise UsageError("--at verstuurt elke dag voor die dag: laat --as-of weg")
            schedule(args, _at(args.at))
        return 1 if run(args) else 0
    except UsageError as exc:
        print(exc, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
