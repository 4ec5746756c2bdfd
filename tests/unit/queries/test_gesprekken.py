"""Caseloadgesprekken recorded in the app: who may record and read them, what is refused and
audited, marking an afspraak done, and the person norm counting them. Two teams: a1 in team A
guided by pa, b1 in team B guided by pb; tma and tmb lead them, gw is team A's
gedragswetenschapper."""

import datetime as dt
import subprocess
import sys
from datetime import date
from pathlib import Path

import polars as pl
import pytest
import sqlalchemy as sa

from etl.audit import verify_chain
from etl.loader import load_source
from etl.migrations import upgrade
from queries.afspraken import lees_afspraken, status_op
from queries.audit import audit_log
from queries.config import Config
from queries.gebruikers import Account
from queries.gesprekken import (
    MAX_NOTITIE,
    Afspraak,
    Gesprek,
    GesprekGeweigerd,
    afspraak_cijfers,
    afspraken_van,
    dagen_sinds_gesprek,
    lees_gesprekken,
    leg_vast,
    mag_lezen,
    rond_af,
    verslagen,
)
from queries.persoonsnormen import persoonstermijn_historie, persoonstermijnen
from queries.scope import MANAGER, Viewer
from queries.snapshot import Snapshot, load_snapshot
from store.auditketen import known_keys
from store.engine import make_engine
from store.schema import afspraken as afspraken_table
from store.schema import gesprekken as gesprekken_table
from tests.frames import SAMPLE_EXPORT

TALK = date(2026, 3, 2)
AT = dt.datetime(2026, 3, 4, 10, 0)
CONFIG = Config()

PA = Account("pa", "praktijkbegeleider", "pa")
PB = Account("pb", "praktijkbegeleider", "pb")
A1 = Account("a1", "jeugdzorgwerker", "a1")
TMA = Account("tma", "teammanager", "tma")
TMB = Account("tmb", "teammanager", "tmb")
GW = Account("gw", "gedragswetenschapper", "gw")
MT = Account("mt", "manager", "mt")
BEHEERDER = Account("beheer", "beheerder")

IDS = ["a1", "b1", "pa", "pb", "tma", "tmb", "gw", "mt"]
STAFF = {
    "medewerker_id": IDS,
    "naam": ["Anna", "Bram", "Petra", "Piet", "Tineke", "Theo", "Gert", "Mia"],
    "functie": ["jeugdbeschermer", "jeugdbeschermer", "praktijkbegeleider", "praktijkbegeleider",
                "teammanager", "teammanager", "gedragswetenschapper", "manager"],
    "team_id": ["A", "B", "A", "B", "A", "B", "A", "A"],
    "begeleider_id": ["pa", "pb", None, None, None, None, None, None],
    "fte": [1.0] * 8,
    "in_dienst": [date(2025, 1, 6)] * 8,
    "vog_datum": [date(2025, 1, 1)] * 8,
}  # fmt: skip
TEAMS = {"team_id": ["A", "B"], "naam": ["Team A", "Team B"], "regio": ["Noord", "Noord"],
         "soort": ["regulier", "regulier"]}  # fmt: skip
MEASURES = {
    "maatregel_id": ["m1", "m2", "m3"],
    "jeugdige_id": ["j1", "j2", "j3"],
    "soort": ["OTS"] * 3,
    "uitspraak": [date(2025, 6, 1)] * 3,
    "start": [date(2025, 6, 1)] * 3,
}
HOLDINGS = {
    "maatregel_id": ["m1", "m2", "m3"],
    "medewerker_id": ["a1", "a1", "b1"],
    "team_id": ["A", "A", "B"],
    "rol": ["jeugdzorgwerker"] * 3,
    "vanaf": [date(2025, 6, 1)] * 3,
    "tot": [None, None, None],
}


def load(talks: list[dict] | None = None) -> Snapshot:
    return Snapshot.from_frames(
        date(2026, 3, 4),
        teams=TEAMS,
        medewerkers=pl.DataFrame(STAFF),
        maatregelen=pl.DataFrame(MEASURES),
        toewijzingen=pl.DataFrame(HOLDINGS, schema_overrides={"tot": pl.Date}),
        caseloadgesprekken=pl.DataFrame(talks or [], schema={"medewerker_id": pl.String,
                                        "begeleider_id": pl.String, "datum": pl.Date}),
    )  # fmt: skip


@pytest.fixture
def engine(db_url):
    upgrade(db_url)
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


def gesprek(**changes) -> Gesprek:
    base = {
        "medewerker_id": "a1",
        "datum": TALK,
        "notitie": "Werkdruk besproken; geen namen van kinderen of ouders",
        "notities": {"m1": "Plan van aanpak bijstellen", "m2": "  "},
        "afspraken": (
            Afspraak("Plan m1 bijstellen", "a1", date(2026, 3, 16), "m1"),
            Afspraak("Intervisie plannen", "pa", date(2026, 3, 3)),
        ),
    }
    return Gesprek(**(base | changes))


def refusals(engine) -> list[tuple]:
    log = audit_log(engine, Viewer("beheerder")).filter(pl.col("actie") == "geweigerd")
    return log.sort("id").select("gebruikersnaam", "onderwerp").rows()


def test_the_begeleider_records_a_talk_with_its_notes_and_afspraken_and_an_audit_row(engine):
    snap = load()
    gesprek_id = leg_vast(engine, snap, PA, gesprek(), at=AT)
    talks, notes = verslagen(engine, snap, PA, "a1", TALK)
    assert talks.select("gesprek_id", "datum", "begeleider_id", "vastgelegd_door").rows() == [
        (gesprek_id, TALK, "pa", "pa")
    ]
    assert talks["notitie"][0].startswith("Werkdruk besproken")
    # The blank note on m2 is no note.
    assert notes.select("maatregel_id", "notitie").rows() == [("m1", "Plan van aanpak bijstellen")]
    agreed = afspraken_van(engine, snap, A1, "a1", TALK)
    assert agreed.select("medewerker_id", "maatregel_id", "deadline", "status").rows() == [
        ("pa", None, date(2026, 3, 3), "open"),
        ("a1", "m1", date(2026, 3, 16), "open"),
    ]
    log = audit_log(engine, Viewer("beheerder")).filter(pl.col("actie") == "gesprek")
    row = log.row(0, named=True)
    assert (row["gebruikersnaam"], row["onderwerp"]) == ("pa", "a1")
    # The audit log holds counts, never the notes' text.
    assert "Werkdruk" not in row["details"] and "2 afspraken" in row["details"]
    with engine.connect() as conn:
        assert verify_chain(conn, known_keys()).intact


@pytest.mark.parametrize("reader", [A1, PA, TMA, MT], ids=lambda a: a.gebruikersnaam)
def test_the_worker_their_begeleider_teammanager_and_mt_read_the_notes(engine, reader):
    snap = load()
    leg_vast(engine, snap, PA, gesprek(), at=AT)
    talks, _ = verslagen(engine, snap, reader, "a1", TALK)
    assert talks.height == 1
    assert afspraken_van(engine, snap, reader, "a1", TALK).height == 2
    assert mag_lezen(snap, reader.viewer, "a1")
    assert refusals(engine) == []


@pytest.mark.parametrize("reader", [PB, TMB, GW, BEHEERDER, Account("b1", "jeugdzorgwerker",
                                    "b1")], ids=lambda a: a.gebruikersnaam)  # fmt: skip
def test_anyone_else_is_refused_the_notes_and_the_refusal_is_audited(engine, reader):
    snap = load()
    leg_vast(engine, snap, PA, gesprek(), at=AT)
    assert not mag_lezen(snap, reader.viewer, "a1")
    with pytest.raises(GesprekGeweigerd):
        verslagen(engine, snap, reader, "a1", TALK)
    with pytest.raises(GesprekGeweigerd):
        afspraken_van(engine, snap, reader, "a1", TALK)
    assert refusals(engine) == [(reader.gebruikersnaam, "gesprekken a1")] * 2


def test_another_teams_begeleider_cannot_record_or_close_and_is_audited(engine):
    snap = load()
    with pytest.raises(GesprekGeweigerd, match="niet de praktijkbegeleider"):
        leg_vast(engine, snap, PB, gesprek(), at=AT)
    with pytest.raises(GesprekGeweigerd, match="gedragswetenschapper"):
        leg_vast(engine, snap, GW, gesprek(), at=AT)
    assert lees_gesprekken(engine).height == 0
    leg_vast(engine, snap, PA, gesprek(), at=AT)
    first = int(lees_afspraken(engine)["afspraak_id"][0])
    with pytest.raises(GesprekGeweigerd):
        rond_af(engine, snap, PB, first, TALK, at=AT)
    assert lees_afspraken(engine)["afgerond_op"].null_count() == 2
    assert refusals(engine) == [("pb", "gesprek a1"), ("gw", "gesprek a1"),
                                ("pb", f"afspraak {first}")]  # fmt: skip


def test_the_teammanager_of_the_team_and_mt_may_record_a_talk(engine):
    snap = load()
    leg_vast(engine, snap, TMA, gesprek(), at=AT)
    leg_vast(engine, snap, MT, gesprek(medewerker_id="b1", notities={}, afspraken=()), at=AT)
    with pytest.raises(GesprekGeweigerd):
        leg_vast(engine, snap, TMB, gesprek(), at=AT)
    assert lees_gesprekken(engine).select("medewerker_id", "vastgelegd_door").rows() == [
        ("a1", "tma"),
        ("b1", "mt"),
    ]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"datum": date(2026, 3, 5)}, "toekomst"),
        ({"notitie": "x" * (MAX_NOTITIE + 1)}, f"ten hoogste {MAX_NOTITIE} tekens"),
        ({"notities": {"m3": "niet van a1"}}, "maatregel m3"),
        ({"afspraken": (Afspraak("Te vroeg", "a1", date(2026, 3, 1)),)}, "vóór het gesprek"),
        ({"afspraken": (Afspraak("Van b1", "b1", date(2026, 3, 9)),)}, "eigenaar"),
        ({"afspraken": (Afspraak("  ", "a1", date(2026, 3, 9)),)}, "geen omschrijving"),
        ({"afspraken": (Afspraak("Op m3", "a1", date(2026, 3, 9), "m3"),)}, "maatregel m3"),
        ({"notitie": None, "notities": {}, "afspraken": ()}, "niets om vast te leggen"),
    ],
)
def test_bad_input_gets_a_dutch_message_and_writes_nothing(engine, changes, message):
    with pytest.raises(ValueError, match=message):
        leg_vast(engine, load(), PA, gesprek(**changes), at=AT)
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(gesprekken_table)).scalar() == 0
        assert conn.execute(sa.select(sa.func.count()).select_from(afspraken_table)).scalar() == 0
    assert audit_log(engine, Viewer("beheerder")).filter(pl.col("actie") == "gesprek").height == 0


def test_marking_an_afspraak_done_is_audited_and_counts_from_that_day(engine):
    snap = load()
    leg_vast(engine, snap, PA, gesprek(), at=AT)
    intervisie = int(lees_afspraken(engine, ["pa"])["afspraak_id"][0])
    # On the 4th the intervisie (due the 3rd) is verlopen.
    assert afspraak_cijfers(engine, "a1", date(2026, 3, 4), TALK) == {
        "afspraken_open": 2, "afspraken_verlopen": 1, "afspraken_afgerond_sinds": 0}  # fmt: skip
    rond_af(engine, snap, A1, intervisie, date(2026, 3, 4), at=AT)
    frame = lees_afspraken(engine)
    assert status_op(frame, date(2026, 3, 3))["status"].to_list() == ["open", "open"]
    assert status_op(frame, date(2026, 3, 4))["status"].to_list() == ["open", "afgerond"]
    with engine.connect() as conn:
        door = conn.execute(sa.select(afspraken_table.c.afgerond_door).where(
            afspraken_table.c.id == intervisie)).scalar()  # fmt: skip
    assert door == "a1"
    assert afspraak_cijfers(engine, "a1", date(2026, 3, 4), TALK) == {
        "afspraken_open": 1, "afspraken_verlopen": 0, "afspraken_afgerond_sinds": 1}  # fmt: skip
    with pytest.raises(ValueError, match="al afgerond"):
        rond_af(engine, snap, PA, intervisie, date(2026, 3, 4), at=AT)
    other = int(lees_afspraken(engine, ["a1"])["afspraak_id"][0])
    with pytest.raises(ValueError, match="vóór zijn gesprek"):
        rond_af(engine, snap, PA, other, date(2026, 3, 1), at=AT)
    log = audit_log(engine, Viewer("beheerder")).filter(pl.col("actie") == "afspraak_afgerond")
    assert log.select("gebruikersnaam", "onderwerp").rows() == [("a1", f"afspraak {intervisie}")]


def test_a_talk_in_the_app_meets_the_person_norm_like_an_exported_row(engine):
    exported = [{"medewerker_id": "a1", "begeleider_id": "pa", "datum": date(2025, 12, 1)}]
    snap = load(exported)
    before = persoonstermijnen(snap, MANAGER, date(2026, 3, 4), CONFIG, lees_gesprekken(engine))
    talk = before.filter((pl.col("medewerker_id") == "a1") & (pl.col("norm") == "caseloadgesprek"))
    # 1 Dec + 3 months = 1 Mar: verlopen on the 4th without the app's talk.
    assert talk.select("deadline", "status").row(0) == (date(2026, 3, 2), "verlopen")
    leg_vast(engine, snap, PA, gesprek(), at=AT)
    # The export holds the same talk too: counted once.
    same_day = load([*exported, {"medewerker_id": "a1", "begeleider_id": "pa", "datum": TALK}])
    for s in (snap, same_day):
        after = persoonstermijnen(s, MANAGER, date(2026, 3, 4), CONFIG, lees_gesprekken(engine))
        row = after.filter(
            (pl.col("medewerker_id") == "a1") & (pl.col("norm") == "caseloadgesprek")
        )
        assert row.select("deadline", "status").row(0) == (date(2026, 6, 2), "open")
        history = persoonstermijn_historie(s, MANAGER, date(2026, 3, 4), CONFIG,
                                           lees_gesprekken(engine))  # fmt: skip
        met = history.filter((pl.col("medewerker_id") == "a1") & pl.col("voldaan_op").is_not_null())
        assert met["voldaan_op"].to_list() == [date(2025, 12, 1), TALK]
    # As of the day before the talk it does not count yet.
    earlier = persoonstermijnen(snap, MANAGER, date(2026, 3, 1), CONFIG, lees_gesprekken(engine))
    row = earlier.filter((pl.col("medewerker_id") == "a1") & (pl.col("norm") == "caseloadgesprek"))
    assert row["deadline"].to_list() == [date(2026, 3, 2)]
    days = dagen_sinds_gesprek(snap, lees_gesprekken(engine), date(2026, 3, 4), ["a1", "b1"])
    assert days.rows() == [("a1", TALK, 2), ("b1", None, None)]
    days = dagen_sinds_gesprek(snap, lees_gesprekken(engine), date(2026, 3, 1), ["a1"])
    assert days.rows() == [("a1", date(2025, 12, 1), 90)]


def test_afspraken_are_not_in_the_deadlines_command(tmp_path):
    url = f"sqlite:///{tmp_path / 'sample.sqlite'}"
    assert (
        load_source(SAMPLE_EXPORT, url, export_date=date(2025, 11, 1), progress=False).exit_code
        == 0
    )

    def deadlines() -> str:
        args = ["-m", "queries", "deadlines", "--db", url, "--as-of", "2025-11-01"]
        root = Path(__file__).resolve().parents[3]
        proc = subprocess.run([sys.executable, *args], capture_output=True, text=True,
                              cwd=root, timeout=120, check=True)  # fmt: skip
        return proc.stdout

    before = deadlines()
    engine = make_engine(url)
    snap = load_snapshot(engine)
    pb = Account("marleen", "praktijkbegeleider", "2001")
    afspraak = Afspraak("Afspraak die geen termijn is", "1001", date(2025, 10, 20), "M2025-0101")
    leg_vast(engine, snap, pb, Gesprek("1001", date(2025, 10, 1), "Kort", {}, (afspraak,)))
    engine.dispose()
    after = deadlines()
    assert lees_afspraken(make_engine(url)).height == 1
    assert after == before and "M2025-0101" in after and "Afspraak die" not in after
