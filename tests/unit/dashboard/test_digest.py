"""The deadline mail end to end: `python -m dashboard.digest` on the JBN demo against a real
SMTP server (aiosmtpd on loopback), compared with `python -m queries deadlines`."""

import datetime as dt
import json
import re
import subprocess
import sys
from datetime import date

import polars as pl
import pytest

from dashboard.components.formats import NORM_LABELS
from dashboard.digest import (
    Smtp,
    UsageError,
    bericht,
    first_run,
    maatregel_url,
    parse_smtp_url,
)
from etl.loader import load_source
from queries.audit import audit_log
from queries.config import load_config
from queries.digest import BEGELEIDER, MEDEWERKER, Mail, lees_verzendingen
from queries.kalender import add_werkdagen
from queries.scope import Viewer, holders
from queries.snapshot import load_snapshot
from store.engine import make_engine
from tests.ops import ROOT
from tests.smtp import AFZENDER, BASE_URL, digest, html_part, smtp_server, text_part

MONDAY = date(2026, 3, 2)
CONFIG = load_config()
LINE = re.compile(r"^- (M\d{4}-\d{4}) · (.+?) · uiterlijk (\d{2})-(\d{2})-(\d{4}) · (\w+)$")
MEASURE = re.compile(r"M\d{4}-\d{4}")
NORM_OF = {label: key for key, label in NORM_LABELS.items()}


@pytest.fixture
def jbn_url(db_url, jbn_export):
    source, export_date = jbn_export
    assert load_source(source, db_url, export_date, False, demo=True).status == "geslaagd"
    return db_url


def _deadlines_command(url: str, day: date) -> pl.DataFrame:
    """What `python -m queries deadlines` gives as of day, as a frame."""
    done = subprocess.run(
        [sys.executable, "-m", "queries", "deadlines", "--as-of", day.isoformat(), "--db", url,
         "--format", "json"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return pl.DataFrame(json.loads(done.stdout)).with_columns(pl.col("deadline").str.to_date())


def _expected(url: str, snap, day: date) -> dict[str, set[tuple]]:
    """Per holder: the deadlines of their active measures, verlopen or due by the 5th
    werkdag, as (maatregel_id, norm, deadline, status)."""
    grens = add_werkdagen(day, CONFIG.binnenkort_werkdagen, CONFIG)
    active = snap["maatregelen"].filter(
        (pl.col("start") <= day) & (pl.col("einde").is_null() | (pl.col("einde") > day))
    )
    rows = (
        _deadlines_command(url, day)
        .filter(
            (pl.col("status") == "verlopen")
            | ((pl.col("status") == "open") & (pl.col("deadline") <= grens))
        )
        .join(active.select("maatregel_id"), on="maatregel_id", how="semi")
        .join(holders(snap, day).select("maatregel_id", "medewerker_id"), on="maatregel_id")
    )
    out: dict[str, set[tuple]] = {}
    for r in rows.iter_rows(named=True):
        out.setdefault(r["medewerker_id"], set()).add(
            (r["maatregel_id"], r["norm"], r["deadline"], r["status"])
        )
    return out


def _lines(message) -> set[tuple]:
    found = set()
    for line in text_part(message).splitlines():
        m = LINE.match(line)
        if m:
            maatregel, label, dd, mm, yyyy, status = m.groups()
            found.add((maatregel, NORM_OF[label], date(int(yyyy), int(mm), int(dd)), status))
    return found


def _check_mails(got: dict, snap, expected: dict[str, set[tuple]], day: date) -> None:
    """Each worker's mail holds exactly their deadlines; no mail names a measure outside its
    receiver's (for a begeleider: their workers'), nor any person's name."""
    staff = snap["medewerkers"]
    who = dict(zip(staff["email"], staff["medewerker_id"], strict=True))
    held = holders(snap, day)
    names = [n for n in staff["naam"].to_list() if n]
    for address, message in got.items():
        person = who[address]
        functie = staff.filter(pl.col("medewerker_id") == person)["functie"][0]
        text, page = text_part(message), html_part(message)
        if functie == "praktijkbegeleider":
            workers = staff.filter(pl.col("begeleider_id") == person)["medewerker_id"]
            allowed = set(held.filter(pl.col("medewerker_id").is_in(workers))["maatregel_id"])
        else:
            assert _lines(message) == expected.get(person, set()), person
            allowed = set(held.filter(pl.col("medewerker_id") == person)["maatregel_id"])
        assert set(MEASURE.findall(text + page)) <= allowed, person
        assert not [n for n in names if n in text or n in page], person
        assert f'href="{BASE_URL}/maatregel?maatregel=' in page or not MEASURE.search(text)
        assert message["From"] == AFZENDER


def test_monday_mails_match_the_deadlines_a_refused_one_is_retried_and_none_twice(jbn_url):
    engine = make_engine(jbn_url)
    snap = load_snapshot(engine)
    expected = _expected(jbn_url, snap, MONDAY)
    day = MONDAY.isoformat()
    with smtp_server() as (inbox, url):
        plan = digest("--as-of", day, "--db", jbn_url)
        assert plan.returncode == 0, plan.stderr
        planned = int(re.search(r": (\d+) mails", plan.stdout).group(1))
        refused = f"m{sorted(expected)[0]}@jbn-demo.example"
        inbox.refuse.add(refused)

        first = digest("--as-of", day, "--db", jbn_url, "--send", smtp_url=url)
        assert first.returncode == 1, first.stderr
        got = inbox.by_address()
        assert refused not in got and len(got) == planned - 1
        _check_mails(got, snap, expected, MONDAY)
        workers = {a for a in got if "Uw termijnen" in str(got[a]["Subject"])}
        assert len(workers) > 50 and len(got) > len(workers), "ook praktijkbegeleiders"
        sends = lees_verzendingen(engine)
        assert sends.filter(pl.col("status") == "mislukt").height == 1

        inbox.refuse.clear()
        inbox.messages.clear()
        second = digest("--as-of", day, "--db", jbn_url, "--send", smtp_url=url)
        assert second.returncode == 0, second.stderr
        assert list(inbox.by_address()) == [refused]
        _check_mails(inbox.by_address(), snap, expected, MONDAY)

        inbox.messages.clear()
        third = digest("--as-of", day, "--db", jbn_url, "--send", smtp_url=url)
        assert third.returncode == 0, third.stderr
        assert inbox.messages == []
    log = audit_log(engine, Viewer("beheerder"))
    mails = log.filter(pl.col("actie") == "mail")
    assert mails.filter(pl.col("details").str.contains("verzonden")).height == planned
    assert mails.filter(pl.col("details").str.contains("mislukt")).height == 1
    engine.dispose()


def test_out_writes_what_send_would_send_and_marks_nothing(tmp_path, jbn_export):
    source, export_date = jbn_export
    url = f"sqlite:///{tmp_path / 'jbn.sqlite'}"
    assert load_source(source, url, export_date, False, demo=True).status == "geslaagd"
    out = tmp_path / "eml"
    written = digest("--as-of", MONDAY.isoformat(), "--db", url, "--out", str(out))
    assert written.returncode == 0, written.stderr
    files = {p.stem for p in out.glob("*.eml")}
    engine = make_engine(url)
    assert lees_verzendingen(engine).height == 0
    staff = load_snapshot(engine)["medewerkers"]
    engine.dispose()
    with smtp_server() as (inbox, smtp_url):
        sent = digest("--as-of", MONDAY.isoformat(), "--db", url, "--send", smtp_url=smtp_url)
        assert sent.returncode == 0, sent.stderr
    who = dict(zip(staff["email"], staff["medewerker_id"], strict=True))
    assert files == {who[a] for a in inbox.by_address()} and files


def test_bad_settings_are_told_in_dutch(tmp_path):
    url = f"sqlite:///{tmp_path / 'leeg.sqlite'}"
    no_smtp = digest("--as-of", MONDAY.isoformat(), "--db", url, "--send")
    assert no_smtp.returncode == 1 and "CASELOAD_SMTP_URL" in no_smtp.stderr
    wrong = digest("--as-of", "2026-02-30", "--db", url)
    assert wrong.returncode == 2 and "JJJJ-MM-DD" in wrong.stderr
    with pytest.raises(UsageError, match="smtp://"):
        parse_smtp_url("http://mail.example")


def test_links_go_to_the_maatregel_page():
    assert maatregel_url(BASE_URL + "/", "M2026-0001", MONDAY) == (
        f"{BASE_URL}/maatregel?maatregel=M2026-0001&peildatum=2026-03-02"
    )


def test_smtp_url_forms():
    assert parse_smtp_url("smtp://jan:ge%40heim@mail.example:587?starttls=1") == Smtp(
        "mail.example", 587, False, True, "jan", "ge@heim"
    )
    assert parse_smtp_url("smtps://mail.example") == Smtp(
        "mail.example", 465, True, False, None, None
    )
    assert parse_smtp_url("smtp://127.0.0.1:2525").starttls is False


def test_a_mail_has_text_and_html_ids_and_links_only():
    items = pl.DataFrame(
        {
            "medewerker_id": ["1001"] * 3,
            "soort": ["termijn", "verlenging", "afspraak"],
            "maatregel_id": ["M2026-0001", "M2026-0002", None],
            "norm": ["eerste_contact", None, None],
            "afspraak_id": [None, None, 7],
            "datum": [date(2026, 3, 4), date(2026, 4, 1), date(2026, 3, 6)],
            "status": ["open", "einde_gepland", "open"],
        }
    )
    mail = Mail("1001", MEDEWERKER, "m1001@gi.example", "week", items)
    msg = bericht(mail, MONDAY, CONFIG, BASE_URL + "/", AFZENDER)
    text, page = text_part(msg), html_part(msg)
    assert "- M2026-0001 · Eerste face-to-face contact · uiterlijk 04-03-2026 · open" in text
    assert maatregel_url(BASE_URL, "M2026-0002", MONDAY) in text
    assert "afspraak 7 uit caseloadgesprek · uiterlijk 06-03-2026" in text
    assert "afspraak 7 uit caseloadgesprek" in page
    assert str(msg["Subject"]) == "Uw termijnen op 02-03-2026: 0 verlopen, 1 binnenkort"
    assert msg["To"] == "m1001@gi.example"
    begeleider = bericht(
        Mail("2001", BEGELEIDER, "m2001@gi.example", "week", items.head(1)), MONDAY, CONFIG,
        BASE_URL, AFZENDER,
    )  # fmt: skip
    assert "medewerker 1001 · M2026-0001" in text_part(begeleider)


def test_the_schedule_catches_up_today_when_started_after_its_time():
    at = dt.time(6, 30)
    assert first_run(dt.datetime(2026, 3, 2, 5, 0), at) == (MONDAY, False)
    assert first_run(dt.datetime(2026, 3, 2, 6, 30), at) == (MONDAY, True)
    assert first_run(dt.datetime(2026, 3, 2, 23, 0), at) == (MONDAY, True)


def test_at_runs_every_day_and_only_with_send(tmp_path):
    url = f"sqlite:///{tmp_path / 'leeg.sqlite'}"
    without_send = digest("--at", "06:30", "--db", url)
    assert without_send.returncode == 1 and "--send" in without_send.stderr
    with_day = digest("--at", "06:30", "--send", "--as-of", "2026-03-02", "--db", url)
    assert with_day.returncode == 1 and "--as-of" in with_day.stderr


def test_the_mail_command_does_not_load_dash():
    # A nightly mail run needs no web framework; its links come from dashboard.urlstate.
    code = "import sys, dashboard.digest; print('dash' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.stdout.strip() == "False", done.stderr
