"""The JBN demo: every hertoets figure, computed with SQL from the export the real loader loaded."""

import csv
import datetime as dt
import hashlib

import pytest
from sqlalchemy import text

from etl.demo import generate
from etl.loader import load_source
from queries import kalender
from store.engine import make_engine

EXPORT = dt.date(2026, 3, 4)
PEIL = dt.date(2026, 2, 15)
RECENT = dt.date(2025, 7, 1)
SEED = 1  # the seed `python -m etl demo` uses by default

ACTIVE = "m.start <= :d AND (m.einde IS NULL OR m.einde > :d)"
HOLDER = (
    "JOIN toewijzingen t ON t.maatregel_id = m.maatregel_id AND t.vanaf <= :d "
    "AND (t.tot IS NULL OR t.tot > :d) JOIN teams tm ON tm.team_id = t.team_id"
)
FIRST_F2F = """
    SELECT c.maatregel_id, MIN(c.datum) AS eerste
    FROM contacten c JOIN maatregelen m ON m.maatregel_id = c.maatregel_id
    WHERE c.vorm = 'face-to-face' AND c.met IN ('jeugdige', 'ouder', 'jeugdige_en_ouder')
      AND c.datum >= m.start AND c.datum <= :d
    GROUP BY c.maatregel_id
"""


@pytest.fixture(scope="module")
def export_dir(jbn_export):
    out, export_date = jbn_export
    assert export_date == EXPORT
    return out


@pytest.fixture(scope="module")
def db(export_dir, tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('jbn-db') / 'jbn.sqlite'}"
    result = load_source(export_dir, url, export_date=EXPORT, progress=False)
    assert result.exit_code == 0, result.rejected[:5]
    assert result.rejected == []
    engine = make_engine(url)
    with engine.begin() as conn:
        _add_deadlines(conn)
    yield engine
    engine.dispose()


def _add_deadlines(conn) -> None:
    """Deadlines per measure from the project's calendar, so the SQL below can compare dates."""
    conn.execute(
        text(
            "CREATE TABLE t_termijn (maatregel_id TEXT PRIMARY KEY, contact DATE, plan DATE, "
            "hulp DATE)"
        )
    )
    rows = conn.execute(text("SELECT maatregel_id, start, uitspraak FROM maatregelen")).all()
    conn.execute(
        text("INSERT INTO t_termijn VALUES (:id, :contact, :plan, :hulp)"),
        [
            {
                "id": mid,
                "contact": kalender.add_werkdagen(_date(start), 5),
                "plan": kalender.add_weeks_deadline(_date(uitspraak), 6),
                "hulp": kalender.add_months_deadline(_date(uitspraak), 3),
            }
            for mid, start, uitspraak in rows
        ],
    )
    conn.execute(text("CREATE TABLE t_dag (dag DATE PRIMARY KEY)"))
    days = [dt.date(y, 2, 1) + dt.timedelta(days=i) for y in (2025, 2026) for i in range(28)]
    conn.execute(text("INSERT INTO t_dag VALUES (:dag)"), [{"dag": d} for d in days])


def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def scalar(db, sql: str, **params):
    with db.connect() as conn:
        return conn.execute(text(sql), params).scalar_one()


def rows(db, sql: str, **params):
    with db.connect() as conn:
        return conn.execute(text(sql), params).all()


def share(db, status_sql: str, **params) -> float:
    counts = dict(
        rows(db, f"SELECT status, COUNT(*) FROM ({status_sql}) s GROUP BY status", **params)
    )
    counted = counts.get("tijdig", 0) + counts.get("te_laat", 0) + counts.get("verlopen", 0)
    return counts.get("tijdig", 0) / counted


def held(db, day: dt.date, where: str) -> int:
    return scalar(
        db, f"SELECT COUNT(*) FROM maatregelen m {HOLDER} WHERE {ACTIVE} AND {where}", d=day
    )


def test_active_measures_and_who_holds_them(db):
    assert scalar(db, f"SELECT COUNT(*) FROM maatregelen m WHERE {ACTIVE}", d=PEIL) == 922
    assert held(db, PEIL, "tm.soort = 'CCP'") == 18
    assert held(db, PEIL, "tm.soort = 'CRT'") == 161
    assert held(db, PEIL, "tm.soort IN ('CCP', 'CRT') AND t.rol = 'contactpersoon'") == 179
    regular = held(db, PEIL, "tm.soort = 'regulier' AND t.rol = 'jeugdzorgwerker'")
    assert regular == 922 - 179 - 3
    unassigned = scalar(
        db,
        f"""SELECT COUNT(*) FROM maatregelen m WHERE {ACTIVE} AND NOT EXISTS (
            SELECT 1 FROM toewijzingen t WHERE t.maatregel_id = m.maatregel_id
            AND t.vanaf <= :d AND (t.tot IS NULL OR t.tot > :d))""",
        d=PEIL,
    )
    assert unassigned == 3


def test_recent_measures_held_by_vaste_jeugdzorgwerker_except_drenthe_ccp(db):
    recent = f"{ACTIVE} AND m.start >= :recent"
    assert (
        scalar(db, f"SELECT COUNT(*) FROM maatregelen m WHERE {recent}", d=PEIL, recent=RECENT)
        == 195
    )
    by_holder = dict(
        rows(
            db,
            f"""SELECT tm.soort || '/' || tm.regio || '/' || t.rol, COUNT(*)
                FROM maatregelen m {HOLDER} WHERE {recent} GROUP BY 1""",
            d=PEIL,
            recent=RECENT,
        )
    )
    regular = sum(
        n
        for k, n in by_holder.items()
        if k.startswith("regulier/") and k.endswith("/jeugdzorgwerker")
    )
    drenthe_ccp = by_holder.get("CCP/Drenthe/contactpersoon", 0)
    assert drenthe_ccp > 0
    assert regular + drenthe_ccp == 195


def test_ccp_crt_stock_peaks_in_2024_25_and_falls_every_month_since_september(db):
    ends = [dt.date(2025, 10, 1) - dt.timedelta(days=1)]
    for month in (11, 12, 13, 14, 15):
        y, m = divmod(month - 1, 12)
        ends.append(dt.date(2025 + y, m + 1, 1) - dt.timedelta(days=1))
    stock = [held(db, day, "tm.soort IN ('CCP', 'CRT')") for day in ends]
    assert stock[0] == 252
    assert all(a > b for a, b in zip(stock, stock[1:], strict=False)), stock
    assert held(db, dt.date(2024, 1, 31), "tm.soort = 'CRT'") == 0
    assert held(db, dt.date(2024, 3, 31), "tm.soort = 'CRT'") > 0
    assert held(db, dt.date(2023, 2, 28), "tm.soort = 'CCP'") == 0
    assert held(db, dt.date(2023, 6, 30), "tm.soort = 'CCP'") > 0
    early_2024 = held(db, dt.date(2024, 2, 29), "tm.soort IN ('CCP', 'CRT')")
    peak = max(
        held(
            db,
            kalender.add_months(dt.date(2024, 3, 1), k) - dt.timedelta(days=1),
            "tm.soort IN ('CCP', 'CRT')",
        )
        for k in range(19)
    )
    assert peak > stock[0] > early_2024
    transfers = scalar(
        db,
        """SELECT COUNT(*) FROM toewijzingen a JOIN teams ta ON ta.team_id = a.team_id
           JOIN toewijzingen b ON b.maatregel_id = a.maatregel_id AND b.vanaf = a.tot
           JOIN teams tb ON tb.team_id = b.team_id
           WHERE ta.soort IN ('CCP', 'CRT') AND tb.soort = 'regulier'""",
    )
    ended_in_crt = scalar(
        db,
        """SELECT COUNT(*) FROM toewijzingen a JOIN teams ta ON ta.team_id = a.team_id
           JOIN maatregelen m ON m.maatregel_id = a.maatregel_id
           WHERE ta.soort = 'CRT' AND a.tot = m.einde""",
    )
    assert transfers > 100
    assert ended_in_crt > 20


def test_crt_holds_jeugdbescherming_only(db):
    jr_in_crt = scalar(
        db,
        """SELECT COUNT(*) FROM toewijzingen t JOIN teams tm ON tm.team_id = t.team_id
           JOIN maatregelen m ON m.maatregel_id = t.maatregel_id
           WHERE tm.soort = 'CRT' AND m.soort = 'JR'""",
    )
    non_jb_staff = scalar(
        db,
        """SELECT COUNT(*) FROM medewerkers w JOIN teams tm ON tm.team_id = w.team_id
           WHERE tm.soort = 'CRT' AND w.functie = 'jeugdreclasseerder'""",
    )
    assert jr_in_crt == 0
    assert non_jb_staff == 0


def test_first_face_to_face_contact(db):
    def cohort_mean(first: dt.date, last: dt.date) -> float:
        return scalar(
            db,
            f"""SELECT AVG(julianday(f.eerste) - julianday(m.start)) FROM maatregelen m
                JOIN ({FIRST_F2F}) f ON f.maatregel_id = m.maatregel_id
                WHERE m.start BETWEEN :first AND :last""",
            d=EXPORT,
            first=first,
            last=last,
        )

    assert cohort_mean(dt.date(2025, 3, 1), dt.date(2025, 3, 31)) == pytest.approx(15, abs=0.5)
    assert cohort_mean(dt.date(2026, 2, 1), dt.date(2026, 2, 28)) == pytest.approx(8, abs=0.5)
    status = f"""
        SELECT CASE
            WHEN f.eerste IS NOT NULL AND f.eerste <= tt.contact THEN 'tijdig'
            WHEN f.eerste IS NOT NULL THEN 'te_laat'
            WHEN tt.contact >= :d THEN 'open'
            WHEN m.einde IS NOT NULL AND m.einde <= tt.contact THEN 'vervallen'
            ELSE 'verlopen' END AS status
        FROM maatregelen m JOIN t_termijn tt ON tt.maatregel_id = m.maatregel_id
        LEFT JOIN ({FIRST_F2F}) f ON f.maatregel_id = m.maatregel_id
        WHERE m.start BETWEEN '2026-02-01' AND '2026-02-28'"""
    assert share(db, status, d=EXPORT) == pytest.approx(0.83, abs=0.005)


def plan_status(recent_only: bool) -> str:
    return f"""
        SELECT CASE
            WHEN p.eerste IS NOT NULL AND p.eerste <= tt.plan THEN 'tijdig'
            WHEN p.eerste IS NOT NULL THEN 'te_laat'
            WHEN tt.plan >= :d THEN 'open'
            ELSE 'verlopen' END AS status
        FROM maatregelen m JOIN t_termijn tt ON tt.maatregel_id = m.maatregel_id
        LEFT JOIN (SELECT maatregel_id, MIN(vastgesteld) AS eerste FROM plannen
                   WHERE vastgesteld <= :d GROUP BY maatregel_id) p
          ON p.maatregel_id = m.maatregel_id
        WHERE {ACTIVE} {"AND m.start >= '2025-07-01'" if recent_only else ""}"""


def test_plan_van_aanpak_within_six_weeks(db):
    assert share(db, plan_status(False), d=PEIL) == pytest.approx(0.37, abs=0.005)
    assert share(db, plan_status(True), d=PEIL) == pytest.approx(0.63, abs=0.005)


def test_help_started_within_three_months(db):
    status = f"""
        SELECT CASE
            WHEN h.eerste IS NOT NULL AND h.eerste <= tt.hulp THEN 'tijdig'
            WHEN h.eerste IS NOT NULL THEN 'te_laat'
            WHEN tt.hulp >= :d THEN 'open'
            ELSE 'verlopen' END AS status
        FROM maatregelen m JOIN t_termijn tt ON tt.maatregel_id = m.maatregel_id
        JOIN (SELECT maatregel_id,
                     MIN(CASE WHEN gestart <= :d THEN gestart END) AS eerste
              FROM hulp WHERE aangevraagd <= :d GROUP BY maatregel_id) h
          ON h.maatregel_id = m.maatregel_id
        WHERE {ACTIVE}"""
    assert share(db, status, d=PEIL) == pytest.approx(2 / 3, abs=0.005)
    with_help = scalar(
        db,
        f"""SELECT COUNT(*) FROM maatregelen m WHERE {ACTIVE}
            AND EXISTS (SELECT 1 FROM hulp h WHERE h.maatregel_id = m.maatregel_id)""",
        d=PEIL,
    )
    assert 0.5 * 922 < with_help < 0.9 * 922


def current_risicotaxatie(db, day: dt.date) -> float:
    """Share of active measures whose latest risicotaxatie with their instrument, on or before
    the day, is at most 3 months old."""
    active, current = rows(
        db,
        f"""SELECT COUNT(*), SUM(CASE WHEN (
                SELECT MAX(r.datum) FROM risicotaxaties r
                WHERE r.maatregel_id = m.maatregel_id AND r.datum <= :d
                  AND r.instrument = CASE WHEN m.soort = 'JR' THEN 'LIJ' ELSE 'ARIJ' END
              ) >= :since THEN 1 ELSE 0 END)
            FROM maatregelen m WHERE {ACTIVE}""",
        d=day,
        since=kalender.add_months(day, -3),
    )[0]
    return current / active


def test_current_risicotaxatie(db):
    assert current_risicotaxatie(db, PEIL) * 922 == pytest.approx(0.55 * 922, abs=0.5)
    wrong_instrument = scalar(
        db,
        """SELECT COUNT(*) FROM risicotaxaties r JOIN maatregelen m
             ON m.maatregel_id = r.maatregel_id
           WHERE (m.soort = 'JR') <> (r.instrument = 'LIJ')""",
    )
    assert wrong_instrument == 0


def test_current_risicotaxatie_rises_to_55_percent_in_a_year(db):
    ends = [kalender.add_months(dt.date(2025, 4, 1), k) - dt.timedelta(days=1) for k in range(12)]
    assert (ends[0], ends[-1]) == (dt.date(2025, 3, 31), dt.date(2026, 2, 28))
    series = [current_risicotaxatie(db, day) for day in ends]
    assert series[0] <= 0.45, series
    assert series[-1] == pytest.approx(0.55, abs=0.03), series
    assert all(b >= a - 0.03 for a, b in zip(series, series[1:], strict=False)), series


def test_lij_at_start_at_the_plan_then_half_yearly(db):
    lij = rows(
        db,
        """SELECT m.maatregel_id, m.start, r.datum, r.aanleiding,
                  (SELECT MIN(p.vastgesteld) FROM plannen p WHERE p.maatregel_id = m.maatregel_id)
           FROM maatregelen m JOIN risicotaxaties r ON r.maatregel_id = m.maatregel_id
           WHERE m.soort = 'JR' AND m.start >= '2023-01-01' ORDER BY m.maatregel_id, r.datum""",
    )
    per_measure: dict[str, list] = {}
    for mid, start, datum, aanleiding, plan in lij:
        per_measure.setdefault(mid, []).append((_date(start), _date(datum), aanleiding, plan))
    assert len(per_measure) > 100
    late_start = [mid for mid, ls in per_measure.items() if (ls[0][1] - ls[0][0]).days > 20]
    assert late_start == []
    with_plan = {
        mid: _date(ls[0][3])
        for mid, ls in per_measure.items()
        if ls[0][3] is not None and _date(ls[0][3]) > ls[0][1] + dt.timedelta(days=14)
    }
    at_plan = [
        mid
        for mid, plan in with_plan.items()
        if any(0 <= (plan - d).days <= 7 for _, d, _, _ in per_measure[mid])
    ]
    assert len(with_plan) > 100
    assert len(at_plan) == len(with_plan)
    gaps = sorted(
        (b[1] - a[1]).days
        for ls in per_measure.values()
        for a, b in zip(ls, ls[1:], strict=False)
        if b[2] == "evaluatie"
    )
    assert len(gaps) > 100
    assert gaps[0] >= 150  # never the ARIJ's 3 months
    assert 160 <= gaps[len(gaps) // 2] <= 230, gaps[len(gaps) // 2]


def test_arij_more_often_within_three_months(db):
    on_time = dict(
        rows(
            db,
            """SELECT strftime('%Y', r.datum), AVG(julianday(r.datum) - julianday(
                   (SELECT MAX(p.datum) FROM risicotaxaties p
                    WHERE p.maatregel_id = r.maatregel_id AND p.datum < r.datum)) <= 92)
               FROM risicotaxaties r
               WHERE r.instrument = 'ARIJ' AND r.aanleiding <> 'start'
                 AND r.datum >= '2024-01-01' GROUP BY 1""",
        )
    )
    assert on_time["2024"] < 0.3
    assert on_time["2026"] > on_time["2025"] > on_time["2024"] + 0.1


def jzw_fte(db, day: dt.date) -> float:
    return scalar(
        db,
        """SELECT SUM(fte) FROM medewerkers
           WHERE functie IN ('jeugdbeschermer', 'jeugdreclasseerder')
             AND in_dienst <= :d AND (uit_dienst IS NULL OR uit_dienst >= :d)""",
        d=day,
    )


def test_jeugdzorgwerker_fte_grew_about_fifteen_percent(db):
    assert jzw_fte(db, PEIL) / jzw_fte(db, dt.date(2025, 2, 15)) == pytest.approx(1.15, abs=0.005)


def test_verzuim_in_february(db):
    per_region = rows(
        db,
        """
        SELECT strftime('%Y', d.dag) AS jaar, tm.regio,
               SUM(e.fte * COALESCE(z.deel, 0)) AS absent, SUM(e.fte) AS present
        FROM t_dag d
        JOIN medewerkers e ON e.in_dienst <= d.dag
             AND (e.uit_dienst IS NULL OR d.dag < e.uit_dienst)
        JOIN teams tm ON tm.team_id = e.team_id
        LEFT JOIN (
            SELECT d2.dag, v.medewerker_id, SUM(COALESCE(v.percentage, 100) / 100.0) AS deel
            FROM t_dag d2 JOIN verzuim v ON v.ziek_vanaf <= d2.dag
                 AND (v.ziek_tot IS NULL OR d2.dag < v.ziek_tot)
            GROUP BY d2.dag, v.medewerker_id
        ) z ON z.dag = d.dag AND z.medewerker_id = e.medewerker_id
        GROUP BY jaar, tm.regio""",
    )
    figures = {(jaar, regio): absent / present for jaar, regio, absent, present in per_region}
    totals = {}
    for jaar, _, absent, present in per_region:
        a, p = totals.get(jaar, (0, 0))
        totals[jaar] = (a + absent, p + present)
    assert totals["2025"][0] / totals["2025"][1] == pytest.approx(0.18, abs=0.01)
    assert totals["2026"][0] / totals["2026"][1] == pytest.approx(0.13, abs=0.01)
    for jaar in ("2025", "2026"):
        assert figures[(jaar, "Groningen")] > figures[(jaar, "Drenthe")] + 0.02


def test_verzuim_only_while_in_service(db):
    outside = scalar(
        db,
        """SELECT COUNT(*) FROM verzuim v JOIN medewerkers w ON w.medewerker_id = v.medewerker_id
           WHERE v.ziek_vanaf < w.in_dienst OR v.ziek_vanaf >= w.uit_dienst
              OR (w.uit_dienst IS NOT NULL AND (v.ziek_tot IS NULL OR v.ziek_tot > w.uit_dienst))
              OR v.ziek_tot <= v.ziek_vanaf""",
    )
    # Overlapping spells would count a day twice.
    overlapping = scalar(
        db,
        """SELECT COUNT(*) FROM verzuim a JOIN verzuim b
             ON a.medewerker_id = b.medewerker_id AND a.id < b.id
           WHERE a.ziek_vanaf < COALESCE(b.ziek_tot, '9999-12-31')
             AND b.ziek_vanaf < COALESCE(a.ziek_tot, '9999-12-31')""",
    )
    assert outside == overlapping == 0
    assert scalar(db, "SELECT COUNT(*) FROM verzuim") > 100


def test_staffed_above_formatie_in_2026(db):
    for month in (1, 2, 3):
        day = min(kalender.add_months(dt.date(2026, month, 1), 1) - dt.timedelta(days=1), EXPORT)
        per_team = rows(
            db,
            """SELECT tm.team_id, tm.soort, f.formatie_fte, (
                   SELECT COALESCE(SUM(w.fte), 0) FROM medewerkers w
                   WHERE w.team_id = tm.team_id AND w.in_dienst <= :d
                     AND (w.uit_dienst IS NULL OR :d < w.uit_dienst))
               FROM teams tm JOIN formatie f ON f.team_id = tm.team_id AND f.maand = :maand""",
            d=day,
            maand=f"2026-{month:02d}",
        )
        assert len(per_team) == 8
        under = [(t, f, b) for t, soort, f, b in per_team if soort == "regulier" and b <= f]
        assert under == [], day
        ratio = sum(b for *_, b in per_team) / sum(f for _, _, f, _ in per_team)
        assert 1.05 <= ratio <= 1.15, (day, ratio)


def test_teams_and_staff_look_like_a_gi(db):
    teams = rows(db, "SELECT regio, soort, COUNT(*) FROM teams GROUP BY regio, soort")
    assert sorted(teams) == [
        ("Drenthe", "CCP", 1), ("Drenthe", "CRT", 1), ("Drenthe", "regulier", 2),
        ("Groningen", "CCP", 1), ("Groningen", "CRT", 1), ("Groningen", "regulier", 2),
    ]  # fmt: skip
    missing_roles = scalar(
        db,
        """SELECT COUNT(*) FROM teams tm, (SELECT 'praktijkbegeleider' AS f
             UNION SELECT 'gedragswetenschapper' UNION SELECT 'teammanager') r
           WHERE NOT EXISTS (SELECT 1 FROM medewerkers w
                             WHERE w.team_id = tm.team_id AND w.functie = r.f)""",
    )
    assert missing_roles == 0
    assert scalar(db, "SELECT COUNT(*) FROM medewerkers WHERE functie = 'manager'") >= 2
    wrong_begeleider = scalar(
        db,
        """SELECT COUNT(*) FROM medewerkers w
           LEFT JOIN medewerkers b ON b.medewerker_id = w.begeleider_id
           WHERE w.functie IN ('jeugdbeschermer', 'jeugdreclasseerder')
             AND (b.functie IS NOT 'praktijkbegeleider' OR b.team_id <> w.team_id)""",
    )
    assert wrong_begeleider == 0
    assert scalar(db, "SELECT MIN(fte) FROM medewerkers") >= 0.6
    assert scalar(db, "SELECT MAX(fte) FROM medewerkers") <= 1.0
    mix = dict(rows(db, "SELECT dienstverband, COUNT(*) FROM medewerkers GROUP BY 1"))
    assert mix["vast"] > mix["tijdelijk"] > 0
    assert mix["zzp"] > 0
    soon = EXPORT + dt.timedelta(days=92)
    assert scalar(db, "SELECT COUNT(*) FROM medewerkers WHERE uit_dienst IS NOT NULL") > 5
    assert (
        scalar(
            db,
            "SELECT COUNT(*) FROM medewerkers WHERE skj_geldig_tot > :e AND skj_geldig_tot <= :s",
            e=EXPORT,
            s=soon,
        )
        > 0
    )
    vog_expiring = scalar(
        db,
        "SELECT COUNT(*) FROM medewerkers WHERE vog_datum > :e AND vog_datum <= :s",
        e=kalender.add_months(EXPORT, -36),
        s=kalender.add_months(soon, -36),
    )
    assert vog_expiring > 0
    assert scalar(db, "SELECT COUNT(*) FROM medewerkers WHERE NOT diploma_in_dossier") > 0
    assert scalar(db, "SELECT COUNT(DISTINCT team_id) FROM formatie") == 8
    assert scalar(db, "SELECT MIN(maand) FROM formatie") <= "2023-01"


def test_caseload_per_fte_varies_around_the_norm(db):
    loads = rows(
        db,
        f"""SELECT w.medewerker_id, w.fte, COUNT(*) FROM maatregelen m {HOLDER}
            JOIN medewerkers w ON w.medewerker_id = t.medewerker_id
            WHERE {ACTIVE} AND tm.soort = 'regulier' GROUP BY w.medewerker_id, w.fte""",
        d=PEIL,
    )
    per_fte = sorted(n / fte for _, fte, n in loads)
    median = per_fte[len(per_fte) // 2]
    assert 10 <= median <= 16
    assert any(x > 12 for x in per_fte)
    assert any(x < 12 for x in per_fte)
    within = sum(9 <= x <= 17 for x in per_fte)
    assert within >= 0.8 * len(per_fte)


def test_caseloadgesprekken_about_four_a_year_some_late(db):
    per_worker_2025 = scalar(
        db,
        """SELECT COUNT(*) * 1.0 / COUNT(DISTINCT g.medewerker_id) FROM caseloadgesprekken g
           JOIN medewerkers w ON w.medewerker_id = g.medewerker_id
           WHERE g.datum BETWEEN '2025-01-01' AND '2025-12-31' AND w.in_dienst <= '2024-09-01'
             AND (w.uit_dienst IS NULL OR w.uit_dienst >= '2025-12-31')""",
    )
    assert 3.2 <= per_worker_2025 <= 4.8
    dates = rows(db, "SELECT medewerker_id, datum FROM caseloadgesprekken ORDER BY 1, 2")
    gaps = [
        (_date(b) - _date(a)).days
        for (wa, a), (wb, b) in zip(dates, dates[1:], strict=False)
        if wa == wb
    ]
    late = sum(g > 92 for g in gaps)
    assert 0.05 * len(gaps) < late < 0.4 * len(gaps)


def test_measure_mix_and_uitspraak(db):
    mix = dict(rows(db, "SELECT soort, COUNT(*) FROM maatregelen GROUP BY soort"))
    total = sum(mix.values())
    assert 0.45 <= mix["OTS"] / total <= 0.65
    assert 0.12 <= mix["JR"] / total <= 0.28
    assert 0.08 <= mix["voogdij"] / total <= 0.22
    assert 0.05 <= (mix["VOTS"] + mix["voorlopige_voogdij"]) / total <= 0.15
    gaps = dict(
        rows(
            db,
            "SELECT julianday(start) - julianday(uitspraak), COUNT(*) FROM maatregelen GROUP BY 1",
        )
    )
    assert set(gaps) <= {0, 1, 2, 3}
    assert (
        scalar(
            db, "SELECT MIN(start) FROM maatregelen WHERE einde IS NULL OR einde >= '2023-01-01'"
        )
        < "2023-01-01"
    )
    assert scalar(db, "SELECT COUNT(*) FROM maatregelen WHERE einde_gepland IS NOT NULL") > 1500


def test_voogdij_contacts_about_four_a_year(db):
    per_measure = rows(
        db,
        f"""SELECT m.maatregel_id, (SELECT COUNT(*) FROM contacten c
                 WHERE c.maatregel_id = m.maatregel_id
                   AND c.met IN ('jeugdige', 'jeugdige_en_ouder')
                   AND c.datum > '2025-02-15' AND c.datum <= :d)
            FROM maatregelen m
            WHERE {ACTIVE} AND m.soort = 'voogdij' AND m.start < '2024-12-01'""",
        d=PEIL,
    )
    counts = [n for _, n in per_measure]
    assert 4 <= sum(counts) / len(counts) <= 7
    assert sum(n < 4 for n in counts) > 0


def test_measures_are_held_and_seen_by_people_in_service(db):
    outside_toewijzing = scalar(
        db,
        """SELECT COUNT(*) FROM toewijzingen t JOIN medewerkers w
             ON w.medewerker_id = t.medewerker_id
           WHERE t.vanaf < w.in_dienst
              OR (w.uit_dienst IS NOT NULL AND (t.tot IS NULL OR t.tot > w.uit_dienst))""",
    )
    outside_contact = scalar(
        db,
        """SELECT COUNT(*) FROM contacten c JOIN medewerkers w ON w.medewerker_id = c.medewerker_id
           WHERE c.datum < w.in_dienst OR c.datum > w.uit_dienst""",
    )
    wrong_team = scalar(
        db,
        """SELECT COUNT(*) FROM toewijzingen t JOIN medewerkers w
             ON w.medewerker_id = t.medewerker_id WHERE w.team_id <> t.team_id""",
    )
    assert outside_toewijzing == outside_contact == wrong_team == 0


def test_toewijzingen_of_a_measure_do_not_overlap(db):
    overlapping = scalar(
        db,
        """SELECT COUNT(*) FROM toewijzingen a JOIN toewijzingen b
             ON a.maatregel_id = b.maatregel_id AND a.id < b.id
           WHERE a.vanaf < COALESCE(b.tot, '9999-12-31')
             AND b.vanaf < COALESCE(a.tot, '9999-12-31')""",
    )
    assert overlapping == 0


def test_nothing_dated_after_the_export(db):
    checks = {
        "contacten": "datum", "plannen": "vastgesteld", "risicotaxaties": "datum",
        "hulp": "aangevraagd", "maatregelen": "start", "toewijzingen": "vanaf",
        "verzuim": "ziek_vanaf", "caseloadgesprekken": "datum", "medewerkers": "in_dienst",
    }  # fmt: skip
    for table, column in checks.items():
        assert scalar(db, f"SELECT MAX({column}) FROM {table}") <= EXPORT.isoformat(), table
    for table, column in {"hulp": "gestart", "maatregelen": "einde", "toewijzingen": "tot"}.items():
        assert scalar(db, f"SELECT MAX({column}) FROM {table}") <= EXPORT.isoformat(), table


def test_no_names_of_children_or_parents(export_dir):
    with (export_dir / "jeugdigen.csv").open(encoding="utf-8") as f:
        assert next(csv.reader(f)) == ["jeugdige_id", "geboortedatum", "gemeente", "gezin_id"]
    for path in export_dir.glob("*.csv"):
        with path.open(encoding="utf-8") as f:
            header = next(csv.reader(f))
        if path.stem not in ("medewerkers", "teams"):
            assert not any("naam" in col or "bsn" in col for col in header), path.name


def test_all_twelve_files_as_the_contract_writes_them(export_dir):
    names = sorted(p.stem for p in export_dir.glob("*.csv"))
    assert names == sorted([
        "teams", "medewerkers", "formatie", "verzuim", "jeugdigen", "maatregelen", "toewijzingen",
        "contacten", "plannen", "risicotaxaties", "hulp", "caseloadgesprekken",
    ])  # fmt: skip
    with (export_dir / "medewerkers.csv").open(encoding="utf-8") as f:
        values = {row["diploma_in_dossier"] for row in csv.DictReader(f)}
    assert values == {"ja", "nee"}


def _digest(folder) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.csv"))
    }


def test_same_seed_same_bytes_other_seed_other_data(export_dir, tmp_path):
    generate("jbn", SEED, tmp_path / "again")
    generate("jbn", SEED + 1, tmp_path / "other")
    assert _digest(tmp_path / "again") == _digest(export_dir)
    other = _digest(tmp_path / "other")
    assert other["maatregelen.csv"] != _digest(export_dir)["maatregelen.csv"]
    assert other["contacten.csv"] != _digest(export_dir)["contacten.csv"]


@pytest.mark.pg
def test_loads_into_postgresql_with_the_same_figures(export_dir, pg_url):
    result = load_source(export_dir, pg_url, export_date=EXPORT, progress=False)
    assert result.exit_code == 0
    engine = make_engine(pg_url)
    try:
        assert scalar(engine, f"SELECT COUNT(*) FROM maatregelen m WHERE {ACTIVE}", d=PEIL) == 922
        assert held(engine, PEIL, "tm.soort IN ('CCP', 'CRT')") == 179
        recent = f"SELECT COUNT(*) FROM maatregelen m WHERE {ACTIVE} AND m.start >= :r"
        assert scalar(engine, recent, d=PEIL, r=RECENT) == 195
    finally:
        engine.dispose()


def test_siblings_share_a_gezin_and_a_gemeente(db):
    sizes = rows(db, "SELECT COUNT(*) FROM jeugdigen GROUP BY gezin_id")
    assert scalar(db, "SELECT COUNT(*) FROM jeugdigen WHERE gezin_id IS NULL") == 0
    assert max(n for (n,) in sizes) <= 3
    assert sum(n for (n,) in sizes if n > 1) > 0.1 * sum(n for (n,) in sizes)
    split = "SELECT gezin_id FROM jeugdigen GROUP BY gezin_id HAVING COUNT(DISTINCT gemeente) > 1"
    assert rows(db, split) == []


def test_staff_mail_goes_to_a_reserved_domain(db):
    addresses = [a for (a,) in rows(db, "SELECT email FROM medewerkers") if a is not None]
    assert len(addresses) > 0.9 * scalar(db, "SELECT COUNT(*) FROM medewerkers")
    assert all(a.endswith("@jbn-demo.example") for a in addresses)
