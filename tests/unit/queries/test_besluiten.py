"""Transfer decisions: who may take them, what they say after each load, what the planner
gets. A small Noord region: three CRT measures held by c1, receivers a1 and a2 in team A and b1
in team B; teammanager tma leads team A, tmz team Z in region Zuid."""

import datetime as dt
from datetime import date

import polars as pl
import pytest

from etl.audit import verify_chain
from etl.migrations import upgrade
from queries.audit import audit_log
from queries.besluiten import (
    SCHEMA,
    BesluitGeweigerd,
    beslis,
    besluit_status,
    besluiten_cijfers,
    besluiten_export,
    besluiten_frame,
    onveilig,
    read_besluiten,
)
from queries.config import Config
from queries.figuren import REGISTER, rond
from queries.gebruikers import Account
from queries.scope import Viewer
from queries.snapshot import Snapshot
from store.auditketen import known_keys
from store.engine import make_engine

D1 = date(2026, 3, 4)
D2 = date(2026, 3, 20)
CONFIG = Config()
AT = dt.datetime(2026, 3, 4, 10, 0)

TMA = Account("tma", "teammanager", "tma")
TMZ = Account("tmz", "teammanager", "tmz")
MT = Account("mt", "manager", "mt1")
BEHEERDER = Viewer("beheerder")

TEAMS = {
    "team_id": ["A", "B", "C", "Z"],
    "naam": ["Team A", "Team B", "CRT Noord", "Team Z"],
    "regio": ["Noord", "Noord", "Noord", "Zuid"],
    "soort": ["regulier", "regulier", "CRT", "regulier"],
}
STAFF_IDS = ["c1", "a1", "a2", "b1", "tma", "tmz", "mt1"]
STAFF = {
    "medewerker_id": STAFF_IDS,
    "naam": ["Cor", "Anna", "Aziz", "Bram", "Tineke", "Theo", "Mia"],
    "functie": ["jeugdbeschermer"] * 4 + ["teammanager", "teammanager", "manager"],
    "team_id": ["C", "A", "A", "B", "A", "Z", "A"],
    "fte": [1.0] * 7,
    "in_dienst": [date(2020, 1, 1)] * 7,
    "vog_datum": [date(2024, 1, 1)] * 7,
    "skj_geldig_tot": [date(2028, 1, 1)] * 7,
}
MEASURES = {
    "maatregel_id": ["m1", "m2", "m3"],
    "jeugdige_id": ["j1", "j2", "j3"],
    "soort": ["OTS"] * 3,
    "uitspraak": [date(2025, 6, 1)] * 3,
    "start": [date(2025, 6, 1)] * 3,
}
IN_CRT = [("m1", "c1", "C", date(2025, 6, 1), None), ("m2", "c1", "C", date(2025, 6, 1), None),
          ("m3", "c1", "C", date(2025, 6, 1), None)]  # fmt: skip


def toewijzingen(*rows) -> pl.DataFrame:
    return pl.DataFrame(
        [
            dict(zip(("maatregel_id", "medewerker_id", "team_id", "vanaf", "tot"), r, strict=True))
            | {"rol": "jeugdzorgwerker"}
            for r in rows
        ],
        schema_overrides={"tot": pl.Date},
    )


def load(export_date: date, holdings=IN_CRT, staff=None, measures=None, verzuim=None) -> Snapshot:
    """One load of the small region; the arguments change what the export holds."""
    frames = {"verzuim": verzuim} if verzuim is not None else {}
    return Snapshot.from_frames(
        export_date,
        teams=TEAMS,
        medewerkers=pl.DataFrame(staff or STAFF),
        maatregelen=pl.DataFrame(measures or MEASURES),
        toewijzingen=toewijzingen(*holdings),
        **frames,
    )


def voorstel(maatregel: str, naar: str, team: str) -> dict:
    return {"maatregel_id": maatregel, "van_medewerker_id": "c1", "naar_medewerker_id": naar,
            "naar_team_id": team, "reden": "meeste ruimte", "ruimte_na": 2.5}  # fmt: skip


@pytest.fixture
def engine(db_url):
    upgrade(db_url)
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


def decide(engine, snap, account, maatregel, naar, team, besluit, reden=None, as_of=D1):
    return beslis(engine, snap, account, voorstel(maatregel, naar, team), besluit,
                  soort="afbouw", as_of=as_of, reden=reden, at=AT)  # fmt: skip


def two_accepted_one_rejected(engine) -> Snapshot:
    snap = load(D1)
    decide(engine, snap, TMA, "m1", "a1", "A", "geaccepteerd")
    decide(engine, snap, TMA, "m2", "a2", "A", "geaccepteerd", "broer zit al bij Aziz")
    decide(engine, snap, TMA, "m3", "a1", "A", "afgewezen", "past niet naast m1")
    return snap


def test_a_teammanager_accepts_two_and_rejects_one_into_the_own_team(engine):
    two_accepted_one_rejected(engine)
    kept = read_besluiten(engine)
    assert kept.select("maatregel_id", "naar_medewerker_id", "besluit", "besloten_door").rows() == [
        ("m1", "a1", "geaccepteerd", "tma"),
        ("m2", "a2", "geaccepteerd", "tma"),
        ("m3", "a1", "afgewezen", "tma"),
    ]
    assert kept["reden"].to_list() == [None, "broer zit al bij Aziz", "past niet naast m1"]
    assert set(kept["besloten_op"]) == {D1} and set(kept["soort"]) == {"afbouw"}
    log = audit_log(engine, BEHEERDER).sort("id")
    assert log.select("actie", "gebruikersnaam", "onderwerp").rows() == [
        ("besluit", "tma", "m1"),
        ("besluit", "tma", "m2"),
        ("besluit", "tma", "m3"),
    ]
    assert log["details"][2] == "afgewezen: afbouw van c1 naar a1 (team A), peildatum 2026-03-04"
    # The free text never reaches the log, which cannot be corrected.
    assert not any("Aziz" in d for d in log["details"])


def test_after_a_load_in_which_one_arrived_it_is_aangekomen_and_the_other_waits(engine):
    two_accepted_one_rejected(engine)
    arrived = [("m1", "c1", "C", date(2025, 6, 1), date(2026, 3, 10)),
               ("m1", "a1", "A", date(2026, 3, 10), None), *IN_CRT[1:]]  # fmt: skip
    snap = load(D2, arrived)
    kept = read_besluiten(engine)
    status = besluit_status(kept, snap, MT.viewer, D2, CONFIG)
    assert status.select("maatregel_id", "status", "status_tekst").rows() == [
        ("m1", "aangekomen", "aangekomen"),
        ("m2", "wacht", "wacht"),
    ]
    # The planner: m2 still counts in a2's room; m3 is never proposed to a1 again.
    assert besluiten_frame(kept, snap, D2).rows() == [
        ("m2", "a2", "geaccepteerd"),
        ("m3", "a1", "afgewezen"),
    ]
    assert besluiten_cijfers(kept, snap, MT.viewer, D2, CONFIG) == {
        "besluiten_geaccepteerd": 2,
        "besluiten_aangekomen": 1,
        "besluiten_wacht": 1,
        "besluiten_niet_meer_veilig": 0,
    }


def test_a_receiver_who_falls_ill_makes_the_waiting_transfer_unsafe(engine):
    two_accepted_one_rejected(engine)
    ill = pl.DataFrame({"medewerker_id": ["a2"], "ziek_vanaf": [date(2026, 3, 16)],
                        "percentage": [100.0]})  # fmt: skip
    snap = load(D2, verzuim=ill)
    kept = read_besluiten(engine)
    status = besluit_status(kept, snap, MT.viewer, D2, CONFIG)
    assert status.select("maatregel_id", "status_tekst").rows() == [
        ("m1", "wacht"),
        ("m2", "niet meer veilig: afwezig"),
    ]
    # Still waiting: it counts in a2's room until someone decides again.
    assert ("m2", "a2", "geaccepteerd") in besluiten_frame(kept, snap, D2).rows()
    assert besluiten_cijfers(kept, snap, MT.viewer, D2, CONFIG)["besluiten_niet_meer_veilig"] == 1
    # Ill below the threshold, or back before D2: safe again.
    half = ill.with_columns(percentage=pl.lit(40.0))
    back = ill.with_columns(ziek_tot=pl.lit(date(2026, 3, 19)))
    for verzuim in (half, back):
        again = besluit_status(kept, load(D2, verzuim=verzuim), MT.viewer, D2, CONFIG)
        assert again["status"].to_list() == ["wacht", "wacht"]


def test_a_teammanager_deciding_into_another_team_is_refused_and_audited(engine):
    snap = load(D1)
    with pytest.raises(BesluitGeweigerd, match="buiten het eigen team"):
        decide(engine, snap, TMA, "m3", "b1", "B", "geaccepteerd")
    # A forged row naming the own team for a receiver of another team fares no better.
    with pytest.raises(BesluitGeweigerd, match="hoort niet bij team A"):
        decide(engine, snap, TMA, "m3", "b1", "A", "geaccepteerd")
    for account in (Account("jan", "jeugdzorgwerker", "a1"), Account("beheer", "beheerder")):
        with pytest.raises(BesluitGeweigerd, match="niet voor de rol"):
            decide(engine, snap, account, "m3", "a1", "A", "geaccepteerd")
    assert read_besluiten(engine).height == 0
    log = audit_log(engine, BEHEERDER).sort("id")
    assert log["actie"].to_list() == ["geweigerd"] * 4
    assert log["onderwerp"].to_list() == ["besluit m3"] * 4
    assert log["details"][0] == "overdracht naar team B valt buiten het eigen team (A)"
    # MT may decide into any team.
    decide(engine, snap, MT, "m3", "b1", "B", "geaccepteerd")
    assert read_besluiten(engine)["naar_team_id"].to_list() == ["B"]
    with engine.connect() as conn:
        verdict = verify_chain(conn, known_keys())
    assert (verdict.intact, verdict.chained) == (True, 5)


def test_a_measure_or_receiver_not_in_the_load_is_refused(engine):
    snap = load(D1)
    with pytest.raises(BesluitGeweigerd, match="maatregel m9 staat niet"):
        decide(engine, snap, MT, "m9", "a1", "A", "geaccepteerd")
    with pytest.raises(BesluitGeweigerd, match="medewerker x9 staat niet"):
        decide(engine, snap, MT, "m1", "x9", "A", "geaccepteerd")
    assert read_besluiten(engine).height == 0


def test_the_latest_decision_on_a_pair_counts_and_the_history_stays(engine):
    snap = load(D1)
    decide(engine, snap, TMA, "m1", "a1", "A", "geaccepteerd")
    decide(engine, snap, TMA, "m1", "a1", "A", "afgewezen", "toch niet")
    assert besluiten_frame(read_besluiten(engine), snap, D1).rows() == [("m1", "a1", "afgewezen")]
    assert besluit_status(read_besluiten(engine), snap, MT.viewer, D1, CONFIG).height == 0
    # A later acceptance of another receiver replaces the earlier one: m2 counts once.
    decide(engine, snap, TMA, "m2", "a2", "A", "geaccepteerd")
    decide(engine, snap, MT, "m2", "b1", "B", "geaccepteerd")
    kept = read_besluiten(engine)
    assert kept.height == 4
    assert besluiten_frame(kept, snap, D1).rows() == [
        ("m1", "a1", "afgewezen"),
        ("m2", "b1", "geaccepteerd"),
    ]


def test_invalid_input_is_refused_before_anything_is_written(engine):
    snap = load(D1)
    with pytest.raises(ValueError, match="onbekend besluit"):
        decide(engine, snap, MT, "m1", "a1", "A", "misschien")
    with pytest.raises(ValueError, match="ten hoogste 500"):
        decide(engine, snap, MT, "m1", "a1", "A", "afgewezen", "x" * 501)
    with pytest.raises(ValueError, match="onbekende soort"):
        beslis(engine, snap, MT, voorstel("m1", "a1", "A"), "afgewezen", soort="x", as_of=D1)
    assert read_besluiten(engine).height == 0
    assert audit_log(engine, BEHEERDER).height == 0


# --- statuses from hand-made decision frames (no database needed) ---------------------------


def besluiten(*rows) -> pl.DataFrame:
    """Decisions (maatregel, naar, team, besluit, besloten_op) by tma, ids in order."""
    cols = ("maatregel_id", "naar_medewerker_id", "naar_team_id", "besluit", "besloten_op")
    return pl.DataFrame(
        [
            dict(zip(cols, r, strict=True))
            | {
                "id": i,
                "van_medewerker_id": "c1",
                "soort": "afbouw",
                "reden": None,
                "besloten_door": "tma",
                "tijdstip": AT,
            }  # fmt: skip
            for i, r in enumerate(rows, start=1)
        ],
        schema=SCHEMA,
    )


ACCEPT_M2 = besluiten(("m2", "a2", "A", "geaccepteerd", D1))


def _status(snap: Snapshot, decisions=ACCEPT_M2, as_of=D2) -> list[str]:
    return besluit_status(decisions, snap, MT.viewer, as_of, CONFIG)["status_tekst"].to_list()


def test_a_measure_that_went_to_someone_else_arrived_elsewhere():
    elsewhere = [IN_CRT[0], ("m2", "c1", "C", date(2025, 6, 1), date(2026, 3, 12)),
                 ("m2", "b1", "B", date(2026, 3, 12), None)]  # fmt: skip
    assert _status(load(D2, elsewhere)) == ["elders aangekomen"]
    # Before the decision's peildatum b1 held it: no news since the decision.
    earlier = [IN_CRT[0], ("m2", "b1", "B", date(2025, 6, 1), date(2026, 3, 1)),
               ("m2", "c1", "C", date(2026, 3, 1), None)]  # fmt: skip
    assert _status(load(D2, earlier)) == ["wacht"]


def test_a_measure_that_ended_lapses_and_one_gone_from_the_export_stays():
    ended = {**MEASURES, "einde": [None, date(2026, 3, 15), None]}
    assert _status(load(D2, measures=ended)) == ["vervallen"]
    # The ending lies after as_of: not known yet.
    assert _status(load(D2, measures=ended), as_of=date(2026, 3, 14)) == ["wacht"]
    gone = {k: v[:1] for k, v in MEASURES.items()}
    assert _status(load(D2, IN_CRT[:1], measures=gone)) == ["niet meer in de export"]
    left = {k: [v for v, m in zip(vals, STAFF_IDS, strict=True) if m != "a2"]
            for k, vals in STAFF.items()}  # fmt: skip
    assert _status(load(D2, staff=left)) == ["niet meer in de export"]


def test_a_transfer_registered_from_just_before_the_decision_counts_as_arrived():
    backdated = [IN_CRT[0], ("m2", "c1", "C", date(2025, 6, 1), date(2026, 3, 1)),
                 ("m2", "a2", "A", date(2026, 3, 1), None)]  # fmt: skip
    assert _status(load(D2, backdated)) == ["aangekomen"]


def test_a_decision_for_a_later_peildatum_does_not_count_yet():
    later = besluiten(("m2", "a2", "A", "geaccepteerd", date(2026, 3, 25)))
    assert _status(load(D2), later) == []
    assert besluiten_frame(later, load(D2), D2).height == 0


def test_each_rule_of_a_safe_receiver():
    staff = pl.DataFrame(STAFF).with_columns(
        uit_dienst=pl.Series([None, date(2026, 3, 20), date(2026, 5, 1), None, None, None, None],
                             dtype=pl.Date),
        skj_geldig_tot=pl.Series([date(2026, 3, 19), None, *STAFF["skj_geldig_tot"][2:]]),
        vog_datum=pl.Series([*STAFF["vog_datum"][:3], date(2023, 3, 19), None,
                             date(2026, 3, 21), date(2024, 1, 1)]),
    )  # fmt: skip
    found = dict(onveilig(load(D2, staff=staff.to_dict(as_series=False)), D2, CONFIG).rows())
    assert found == {
        "c1": "SKJ verlopen",
        "a1": "uit dienst, SKJ onbekend",
        "a2": "gaat uit dienst",
        "b1": "VOG verlopen",
        "tma": "VOG onbekend",
        # A VOG dated after the peildatum was not known on it.
        "tmz": "VOG onbekend",
    }
    # A VOG of 2023-03-19 is valid through 2026-03-19.
    assert "b1" not in dict(onveilig(load(D2, staff=staff.to_dict(as_series=False)),
                                     date(2026, 3, 19), CONFIG).rows())  # fmt: skip
    # An export without any SKJ or VOG dates switches those rules off.
    bare = staff.with_columns(skj_geldig_tot=None, vog_datum=None).to_dict(as_series=False)
    assert dict(onveilig(load(D2, staff=bare), D2, CONFIG).rows()) == {
        "a1": "uit dienst",
        "a2": "gaat uit dienst",
    }


def test_a_teammanager_sees_the_decisions_of_the_own_region_only():
    decisions = besluiten(
        ("m1", "a1", "A", "geaccepteerd", D1), ("m2", "b1", "B", "geaccepteerd", D1)
    )
    snap = load(D2)
    for viewer, expected in ((TMA.viewer, ["m1", "m2"]), (MT.viewer, ["m1", "m2"]),
                             (TMZ.viewer, []), (Viewer("jeugdzorgwerker", "a1"), [])):  # fmt: skip
        status = besluit_status(decisions, snap, viewer, D2, CONFIG)
        assert status["maatregel_id"].to_list() == expected, viewer
        exported = besluiten_export(decisions, snap, viewer, D2, CONFIG)
        assert exported["Maatregel"].to_list() == expected, viewer


def test_the_export_for_the_registration_system_has_dutch_columns():
    decisions = besluiten(("m1", "a1", "A", "geaccepteerd", D1), ("m3", "a1", "A", "afgewezen", D1))
    exported = besluiten_export(decisions, load(D2), MT.viewer, D2, CONFIG)
    assert exported.columns == [
        "Besluit", "Maatregel", "Soort voorstel", "Van medewerker", "Naar medewerker",
        "Naam ontvanger", "Naar team", "Besluit genomen", "Reden", "Besloten door", "Peildatum",
        "Tijdstip (UTC)", "Status",
    ]  # fmt: skip
    assert exported.select("Maatregel", "Naam ontvanger", "Besluit genomen", "Status").rows() == [
        ("m1", "Anna", "geaccepteerd", "wacht"),
        ("m3", "Anna", "afgewezen", None),
    ]


def test_the_figures_are_registered_and_round_as_counts():
    keys = ["besluiten_geaccepteerd", "besluiten_aangekomen", "besluiten_wacht",
            "besluiten_niet_meer_veilig"]  # fmt: skip
    assert all(REGISTER[k].eenheid == "aantal" for k in keys)
    raw = besluiten_cijfers(ACCEPT_M2, load(D2), MT.viewer, D2, CONFIG)
    assert rond(pl.DataFrame([raw])).row(0) == (1, 0, 1, 0)


def test_two_partial_absences_together_make_a_receiver_unsafe_as_the_planner_counts_them():
    # 30% and 30% on the same day are 60% absent: at or above the 50% threshold, as the
    # planner adds them up; one of them alone is not.
    both = pl.DataFrame({"medewerker_id": ["a2", "a2"],
                         "ziek_vanaf": [date(2026, 3, 2), date(2026, 3, 9)],
                         "percentage": [30.0, 30.0]})  # fmt: skip
    assert dict(onveilig(load(D2, verzuim=both), D2, CONFIG).rows()).get("a2") == "afwezig"
    assert "a2" not in dict(onveilig(load(D2, verzuim=both.head(1)), D2, CONFIG).rows())
