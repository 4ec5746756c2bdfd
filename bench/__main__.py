"""Benchmark: our polars figures against idiomatic pandas and DuckDB SQL on the same data.

    python -m bench [--scale jbn|national] [--db URL] [--repeat N] [--seed S] [--app]

Each peer gets every row of the load's tables in its own format beforehand (not timed),
computes the same figure, and is checked to give the same answer as ours before any time is
printed. Besides the table it prints `ratio FIGURE PEER X` lines: X = peer time / our time.
Our time is shown cold (a fresh snapshot: reading what the load prepared, as far as the figure
needs it, included, as a worker's first request after a load) and warm (a worker that has
read the load and warmed up, asked for a day it has not computed yet: asked again, a day's
figures are a lookup); FIGURE_warm ratios use the warm time. The peildatum is drawn
(seeded) from the 24 months up to the export. It also prints what the load pays to prepare,
and with --app the app's start, memory and MT's pages (bench.app).
"""

import argparse
import os
import random
import subprocess
import sys
import time
from datetime import date, timedelta
from functools import partial
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import polars as pl
import sqlalchemy as sa

from bench import app as bench_app
from queries import snapshot as snapshots
from queries.afbouw import stock_per_month
from queries.config import Config, load_config
from queries.figuren import REGISTER
from queries.kalender import vrije_dagen
from queries.kpis import kpis
from queries.personeel import verzuim_12m_pct, verzuim_pct
from queries.scope import MANAGER, Viewer, holders
from queries.snapshot import (
    JB_SOORTEN,
    VOOGDIJ_SOORTEN,
    Snapshot,
    load_snapshot,
    read_tables,
)
from queries.termijnen import prepared, termijnen, werklijst
from queries.voorbereiding import als_bytes, voorbereid
from queries.werktoedeling import voorstel

KEY = ["maatregel_id", "norm"]
DL_COLS = ["maatregel_id", "norm", "deadline", "status", "voldaan_op"]


# ---------------------------------------------------------------- pandas peer


def _last_complete_month(as_of: date) -> pd.Timestamp:
    """The last day of the last complete month on as_of (as_of on its month's last day)."""
    D = pd.Timestamp(as_of)
    return (
        D
        if (D + pd.Timedelta(days=1)).month != D.month
        else D.replace(day=1) - pd.Timedelta(days=1)
    )


def _lookup(rows: pd.DataFrame, by_id: pd.Series) -> pd.Series:
    """by_id's value for each row's maatregel_id (NaT where it has none)."""
    values = by_id.astype("datetime64[s]").reindex(rows["maatregel_id"]).to_numpy()
    return pd.Series(values, index=rows.index)


class PandasPeer:
    """Vectorised pandas + numpy business days, written as an analyst would."""

    def __init__(self, tables: dict[str, pl.DataFrame], config: Config, years: tuple[int, int]):
        self.t = {name: df.to_pandas() for name, df in tables.items()}
        for df in self.t.values():
            for col in df.columns:
                if str(df[col].dtype).startswith("datetime64"):
                    df[col] = df[col].astype("datetime64[s]")
        self.cfg = config
        self.hol = np.array(vrije_dagen(*years, config.extra_vrije_dagen), dtype="datetime64[D]")

    def _next_wd(self, s: pd.Series) -> pd.Series:
        d = s.to_numpy(dtype="datetime64[D]")
        return pd.Series(
            np.busday_offset(d, 0, roll="forward", holidays=self.hol), index=s.index
        ).astype("datetime64[s]")

    def _add_wd(self, s: pd.Series, n: int) -> pd.Series:
        d = s.to_numpy(dtype="datetime64[D]")
        return pd.Series(
            np.busday_offset(d, n, roll="backward", holidays=self.hol), index=s.index
        ).astype("datetime64[s]")

    def _months(self, s: pd.Series, n) -> pd.Series:
        if np.isscalar(n):
            return self._next_wd(s + pd.DateOffset(months=int(n)))
        out = s.copy()
        for k in np.unique(n):
            sel = n == k
            out[sel] = s[sel] + pd.DateOffset(months=int(k))
        return self._next_wd(out)

    @staticmethod
    def _status(df: pd.DataFrame, as_of: pd.Timestamp) -> pd.Series:
        met = df["voldaan_op"].notna()
        return pd.Series(
            np.select(
                [
                    met & (df["voldaan_op"] <= df["deadline"]),
                    met,
                    df["einde"].notna() & (df["einde"] <= df["deadline"]),
                    df["deadline"] >= as_of,
                ],
                ["tijdig", "te_laat", "vervallen", "open"],
                default="verlopen",
            ),
            index=df.index,
        )

    def _measures(self, as_of, ids=None) -> pd.DataFrame:
        m = self.t["maatregelen"]
        m = m[m["start"] <= as_of]
        if ids is not None:
            m = m[m["maatregel_id"].isin(ids)]
        m = m[["maatregel_id", "soort", "uitspraak", "start", "einde"]].copy()
        m["einde_echt"] = m["einde"]
        m["einde"] = m["einde"].where(m["einde"] <= as_of)
        return m

    @staticmethod
    def _during(ev: pd.DataFrame, col: str) -> pd.DataFrame:
        ok = (ev[col] >= ev["start"]) & (ev["einde_echt"].isna() | (ev[col] <= ev["einde_echt"]))
        return ev[ok]

    def termijnen(self, as_of: date, ids=None) -> pd.DataFrame:
        cfg, D = self.cfg, pd.Timestamp(as_of)
        m = self._measures(D, ids)
        mk = m[["maatregel_id", "start", "einde_echt", "soort"]]
        c = self.t["contacten"]
        c = c[c["datum"] <= D].merge(mk, on="maatregel_id")
        parts = []

        def one_off(norm, deadline, first_event, rows=m):
            out = rows[["maatregel_id", "einde"]].copy()
            out["norm"] = norm
            out["deadline"] = deadline.loc[rows.index]
            out["voldaan_op"] = _lookup(out, first_event)
            parts.append(out)

        ec = c[c["vorm"].isin(cfg.eerste_contact_vormen) & c["met"].isin(cfg.eerste_contact_met)]
        ec = self._during(ec, "datum").groupby("maatregel_id")["datum"].min()
        one_off("eerste_contact", self._add_wd(m["start"], cfg.eerste_contact_werkdagen), ec)

        p = self.t["plannen"]
        p = p[p["vastgesteld"] <= D].merge(mk, on="maatregel_id")
        p = p[p["einde_echt"].isna() | (p["vastgesteld"] <= p["einde_echt"])]
        first_plan = p.groupby("maatregel_id")["vastgesteld"].min()
        plan_deadline = self._next_wd(m["uitspraak"] + pd.Timedelta(weeks=cfg.plan_weken))
        one_off("plan_van_aanpak", plan_deadline, first_plan)

        h = self.t["hulp"]
        h = h[h["aangevraagd"] <= D].merge(mk, on="maatregel_id")
        started = h[
            (h["gestart"] <= D) & (h["einde_echt"].isna() | (h["gestart"] <= h["einde_echt"]))
        ]
        with_help = m[m["maatregel_id"].isin(h["maatregel_id"])]
        one_off(
            "hulp_gestart",
            self._months(m["uitspraak"], cfg.hulp_maanden),
            started.groupby("maatregel_id")["gestart"].min(),
            with_help,
        )

        def rolling(norm, rows, first_deadline, last_event, months):
            out = rows[["maatregel_id", "einde", "soort"]].copy()
            out["norm"] = norm
            last = _lookup(out, last_event)
            has = last.notna().to_numpy()
            deadline = first_deadline.loc[rows.index].copy()
            if has.any():
                n = months if np.isscalar(months) else months[has]
                deadline[has] = self._months(last[has], n)
            out["deadline"] = deadline
            out["voldaan_op"] = pd.NaT
            parts.append(out.drop(columns="soort"))

        jb = m["soort"].isin(JB_SOORTEN)
        rt = self.t["risicotaxaties"]
        rt = rt[rt["datum"] <= D].merge(mk, on="maatregel_id")
        rt = rt[rt["instrument"] == np.where(rt["soort"].isin(JB_SOORTEN), "ARIJ", "LIJ")]
        rt_last = self._during(rt, "datum").groupby("maatregel_id")["datum"].max()
        rt_first = self._next_wd(m["start"] + pd.Timedelta(weeks=cfg.risicotaxatie_eerste_weken))
        rt_months = np.where(
            jb, cfg.risicotaxatie_interval_maanden_arij, cfg.risicotaxatie_interval_maanden_lij
        )
        rolling("risicotaxatie", m, rt_first, rt_last, rt_months)

        vg = m[m["soort"].isin(VOOGDIJ_SOORTEN)]
        vc = c[c["met"].isin(cfg.voogdij_contact_met) & c["soort"].isin(VOOGDIJ_SOORTEN)]
        vc_last = self._during(vc, "datum").groupby("maatregel_id")["datum"].max()
        vg_first = self._months(m["start"], cfg.voogdij_contact_maanden)
        rolling("voogdij_contact", vg, vg_first, vc_last, cfg.voogdij_contact_maanden)

        with_plan = m[m["maatregel_id"].isin(first_plan.index)]
        months = np.where(
            jb.loc[with_plan.index], cfg.plan_evaluatie_maanden_jb, cfg.plan_evaluatie_maanden_jr
        )
        last_plan = p.groupby("maatregel_id")["vastgesteld"].max()
        unused = pd.Series(pd.NaT, index=m.index, dtype="datetime64[s]")
        rolling("plan_evaluatie", with_plan, unused, last_plan, months)

        out = pd.concat(parts, ignore_index=True)
        out["status"] = self._status(out, D)
        return out[DL_COLS].sort_values(KEY, ignore_index=True)

    def holders(self, as_of: date) -> pd.DataFrame:
        D = pd.Timestamp(as_of)
        m = self._measures(D)
        m["dag"] = np.where(m["einde"].notna(), m["einde"] - pd.Timedelta(days=1), D)
        m["dag"] = m["dag"].astype("datetime64[s]")
        t = self.t["toewijzingen"].merge(m[["maatregel_id", "dag"]], on="maatregel_id")
        t = t[(t["vanaf"] <= t["dag"]) & (t["tot"].isna() | (t["tot"] > t["dag"]))]
        t = t.sort_values("vanaf").drop_duplicates("maatregel_id", keep="last")
        teams = self.t["teams"].rename(columns={"soort": "team_soort"})
        return (
            m[["maatregel_id", "einde"]]
            .merge(t, on="maatregel_id", how="left")
            .merge(teams[["team_id", "team_soort"]], on="team_id", how="left")
        )

    def werklijst(self, as_of: date, medewerker_id: str) -> pd.DataFrame:
        h = self.holders(as_of)
        mine = h.loc[(h["medewerker_id"] == medewerker_id) & h["einde"].isna(), "maatregel_id"]
        dl = self.termijnen(as_of, ids=set(mine))
        dl = dl[dl["status"].isin(["open", "verlopen"])]
        return dl.assign(_v=dl["status"] != "verlopen").sort_values(
            ["_v", "deadline", "maatregel_id", "norm"], ignore_index=True
        )[DL_COLS]

    def kpis(self, as_of: date, since: date, start_month: date) -> dict:
        cfg, D = self.cfg, pd.Timestamp(as_of)
        dl = self.termijnen(as_of)
        h = self.holders(as_of)
        active = h["einde"].isna()
        m = self._measures(D).set_index("maatregel_id")

        def share(status: pd.Series):
            counted = status.isin(["tijdig", "te_laat", "verlopen"]).sum()
            return round(100 * (status == "tijdig").sum() / counted, 1) if counted else None

        act_ids = set(h.loc[active, "maatregel_id"])
        by_norm = {n: g for n, g in dl.groupby("norm")}
        ec = by_norm["eerste_contact"].set_index("maatregel_id")
        ec_start = m.loc[ec.index, "start"]
        month_end = pd.Timestamp(start_month) + pd.DateOffset(months=1)
        in_month = ec[(ec_start >= pd.Timestamp(start_month)) & (ec_start < month_end)]
        days = (in_month["voldaan_op"] - m.loc[in_month.index, "start"]).dt.days
        plan = by_norm["plan_van_aanpak"]
        plan = plan[plan["maatregel_id"].isin(act_ids)]
        cohort = plan[m.loc[plan["maatregel_id"], "start"].to_numpy() >= pd.Timestamp(since)]
        hulp = by_norm["hulp_gestart"]
        hulp = hulp[hulp["maatregel_id"].isin(act_ids)]
        rt = self.t["risicotaxaties"]
        rt = rt[(rt["datum"] <= D) & rt["maatregel_id"].isin(act_ids)]
        soort = rt["maatregel_id"].map(m["soort"])
        rt = rt[rt["instrument"] == np.where(soort.isin(JB_SOORTEN), "ARIJ", "LIJ")]
        latest = rt.groupby("maatregel_id")["datum"].max()
        recent = (latest >= D - pd.DateOffset(months=cfg.risicotaxatie_actueel_maanden)).sum()
        vaste = (h["team_soort"] == "regulier") & (h["rol"] == "jeugdzorgwerker")
        return {
            "actieve_maatregelen": int(active.sum()),
            "vaste_jzw": int((active & vaste).sum()),
            "ccp": int((active & (h["team_soort"] == "CCP")).sum()),
            "crt": int((active & (h["team_soort"] == "CRT")).sum()),
            "niet_toegewezen": int((active & h["medewerker_id"].isna()).sum()),
            "eerste_contact_tijdig_pct": share(in_month["status"]),
            "gem_dagen_eerste_contact": round(days.mean(), 1) if days.notna().any() else None,
            "plan_tijdig_pct": share(plan["status"]),
            "plan_tijdig_pct_cohort": share(cohort["status"]),
            "hulp_tijdig_pct": share(hulp["status"]),
            "risicotaxatie_actueel_pct": round(100 * recent / len(act_ids), 1),
        } | _descriptive(int(active.sum()), int((active & vaste).sum()), start_month, in_month)

    def verzuim(self, as_of: date) -> dict:
        """Verzuim of the last complete month and of the 12 complete months, in calendar days."""
        last = _last_complete_month(as_of)
        first = last.replace(day=1)
        return {
            "verzuim_pct": self._verzuim(first, last),
            "verzuim_12m_pct": self._verzuim(first - pd.DateOffset(months=11), last),
        }

    def _verzuim(self, first, last):
        staff = self.t["medewerkers"][["medewerker_id", "fte", "in_dienst", "uit_dienst"]]
        grid = staff.merge(pd.DataFrame({"dag": pd.date_range(first, last, freq="D")}), how="cross")
        grid = grid[
            (grid["in_dienst"] <= grid["dag"])
            & (grid["uit_dienst"].isna() | (grid["uit_dienst"] > grid["dag"]))
        ]
        sick = grid.merge(self.t["verzuim"], on="medewerker_id")
        sick = sick[
            (sick["ziek_vanaf"] <= sick["dag"])
            & (sick["ziek_tot"].isna() | (sick["ziek_tot"] > sick["dag"]))
        ]
        absent = (sick["fte"].fillna(0) * sick["percentage"].fillna(100) / 100).sum()
        total = grid["fte"].fillna(0).sum()
        return 100 * absent / total if total else None

    def stock(self, as_of: date, months: int) -> pd.DataFrame:
        D = pd.Timestamp(as_of)
        ends = pd.date_range(end=D, periods=months, freq="ME")
        if ends[-1] != D:
            ends = ends[1:].append(pd.DatetimeIndex([D]))
        ends = pd.DataFrame({"maand_einde": ends.astype("datetime64[s]")})
        m = self._measures(D)[["maatregel_id", "start", "einde"]].merge(ends, how="cross")
        alive = m["einde"].isna() | (m["einde"] > m["maand_einde"])
        m = m[(m["start"] <= m["maand_einde"]) & alive]
        t = self.t["toewijzingen"]
        t = t[t["vanaf"] <= D].assign(tot=lambda x: x["tot"].where(x["tot"] <= D))
        t = t.merge(m[["maatregel_id", "maand_einde"]], on="maatregel_id")
        t = t[(t["vanaf"] <= t["maand_einde"]) & (t["tot"].isna() | (t["tot"] > t["maand_einde"]))]
        t = t.sort_values("vanaf").drop_duplicates(["maatregel_id", "maand_einde"], keep="last")
        t = t.merge(self.t["teams"][["team_id", "soort"]], on="team_id", how="left")
        t["categorie"] = np.select(
            [
                (t["soort"] == "regulier") & (t["rol"] == "jeugdzorgwerker"),
                t["soort"] == "CCP",
                t["soort"] == "CRT",
            ],
            ["vaste_jzw", "ccp", "crt"],
            default="overig",
        )
        counts = pd.crosstab(t["maand_einde"], t["categorie"])
        out = m.groupby("maand_einde").size().rename("actief").to_frame().join(counts)
        out = out.reindex(index=pd.Index(ends["maand_einde"], name="maand_einde"))
        out = out.reindex(columns=["actief", "vaste_jzw", "ccp", "crt"], fill_value=0).fillna(0)
        out["niet_toegewezen"] = out["actief"] - counts.sum(axis=1).reindex(out.index, fill_value=0)
        return out.fillna(0).astype("int64").reset_index()


# ---------------------------------------------------------------- DuckDB peer

_DUCK_DEADLINES = """
WITH m AS (
    SELECT maatregel_id, soort, uitspraak, start, einde AS einde_echt,
           CASE WHEN einde <= $as_of THEN einde END AS einde
    FROM maatregelen WHERE start <= $as_of {ids}
),
nwd AS (  -- next werkdag on or after a day: the werkdag numbered cum(day - 1) + 1
    SELECT k.d, w.d AS nwd FROM kal k JOIN wd w ON w.idx = k.cum_before + 1
),
c AS (
    SELECT c.maatregel_id, c.datum, c.vorm, c.met, m.soort FROM contacten c
    JOIN m USING (maatregel_id)
    WHERE c.datum <= $as_of AND c.datum >= m.start
      AND (m.einde_echt IS NULL OR c.datum <= m.einde_echt)
),
p AS (
    SELECT p.maatregel_id, min(vastgesteld) AS eerste, max(vastgesteld) AS laatste
    FROM plannen p JOIN m USING (maatregel_id)
    WHERE vastgesteld <= $as_of AND (m.einde_echt IS NULL OR vastgesteld <= m.einde_echt)
    GROUP BY 1
),
h AS (
    SELECT h.maatregel_id,
           min(gestart) FILTER (WHERE gestart <= $as_of
                                AND (m.einde_echt IS NULL OR gestart <= m.einde_echt)) AS gestart
    FROM hulp h JOIN m USING (maatregel_id) WHERE aangevraagd <= $as_of GROUP BY 1
),
rt AS (
    SELECT r.maatregel_id, max(r.datum) AS laatste FROM risicotaxaties r JOIN m USING (maatregel_id)
    WHERE r.datum <= $as_of AND r.datum >= m.start
      AND (m.einde_echt IS NULL OR r.datum <= m.einde_echt)
      AND r.instrument = CASE WHEN m.soort IN ('OTS','VOTS','voogdij','voorlopige_voogdij')
                              THEN 'ARIJ' ELSE 'LIJ' END
    GROUP BY 1
),
rows AS (
    SELECT m.maatregel_id, 'eerste_contact' AS norm, m.einde, w.d AS deadline,
           (SELECT min(datum) FROM c WHERE c.maatregel_id = m.maatregel_id
              AND vorm IN $vormen AND met IN $met_ec) AS voldaan_op
    FROM m JOIN kal k ON k.d = m.start JOIN wd w ON w.idx = k.cum + $ec_n
    UNION ALL
    SELECT m.maatregel_id, 'plan_van_aanpak', m.einde, n.nwd, p.eerste
    FROM m JOIN nwd n ON n.d = CAST(m.uitspraak + INTERVAL ($plan_w * 7) DAY AS DATE)
    LEFT JOIN p USING (maatregel_id)
    UNION ALL
    SELECT m.maatregel_id, 'hulp_gestart', m.einde, n.nwd, h.gestart
    FROM m JOIN h USING (maatregel_id)
    JOIN nwd n ON n.d = CAST(m.uitspraak + to_months($hulp_m) AS DATE)
    UNION ALL
    SELECT m.maatregel_id, 'risicotaxatie', m.einde, n.nwd, NULL
    FROM m LEFT JOIN rt USING (maatregel_id)
    JOIN nwd n ON n.d = coalesce(CAST(rt.laatste + to_months(
        CASE WHEN m.soort = 'JR' THEN $rt_lij ELSE $rt_arij END) AS DATE),
                                 CAST(m.start + INTERVAL ($rt_w * 7) DAY AS DATE))
    UNION ALL
    SELECT m.maatregel_id, 'voogdij_contact', m.einde, n.nwd, NULL
    FROM m LEFT JOIN (SELECT maatregel_id, max(datum) AS laatste FROM c
                      WHERE met IN $met_vg GROUP BY 1) v USING (maatregel_id)
    JOIN nwd n ON n.d = CAST(coalesce(v.laatste, m.start) + to_months($vg_m) AS DATE)
    WHERE m.soort IN ('voogdij', 'voorlopige_voogdij')
    UNION ALL
    SELECT m.maatregel_id, 'plan_evaluatie', m.einde, n.nwd, NULL
    FROM m JOIN p USING (maatregel_id)
    JOIN nwd n ON n.d = CAST(p.laatste + to_months(
        CASE WHEN m.soort = 'JR' THEN $pe_jr ELSE $pe_jb END) AS DATE)
)
SELECT maatregel_id, norm, deadline,
       CASE WHEN voldaan_op IS NOT NULL AND voldaan_op <= deadline THEN 'tijdig'
            WHEN voldaan_op IS NOT NULL THEN 'te_laat'
            WHEN einde IS NOT NULL AND einde <= deadline THEN 'vervallen'
            WHEN deadline >= $as_of THEN 'open'
            ELSE 'verlopen' END AS status,
       voldaan_op
FROM rows
"""

_DUCK_HOLDERS = """
WITH m AS (
    SELECT maatregel_id, CASE WHEN einde <= $as_of THEN einde END AS einde,
           CASE WHEN einde <= $as_of THEN einde - 1 ELSE $as_of END AS dag
    FROM maatregelen WHERE start <= $as_of
)
SELECT m.maatregel_id, m.einde, t.medewerker_id, t.rol, tm.soort AS team_soort
FROM m
LEFT JOIN toewijzingen t ON t.maatregel_id = m.maatregel_id AND t.vanaf <= m.dag
     AND (t.tot IS NULL OR t.tot > m.dag)
LEFT JOIN teams tm ON tm.team_id = t.team_id
QUALIFY row_number() OVER (PARTITION BY m.maatregel_id ORDER BY t.vanaf DESC) = 1
"""


class DuckPeer:
    """The SQL a competent analyst would write, with a calendar table of werkdagen."""

    def __init__(self, tables: dict[str, pl.DataFrame], config: Config, years: tuple[int, int]):
        self.con = duckdb.connect()
        for name, df in tables.items():
            self.con.register(name, df.to_arrow())
        days = pl.date_range(date(years[0], 1, 1), date(years[1], 12, 31), eager=True)
        vrij = set(vrije_dagen(*years, config.extra_vrije_dagen))
        kal = pl.DataFrame({"d": days}).with_columns(
            wd=(pl.col("d").dt.weekday() <= 5) & ~pl.col("d").is_in(list(vrij))
        )
        kal = kal.with_columns(cum=pl.col("wd").cum_sum().cast(pl.Int64)).with_columns(
            cum_before=pl.col("cum") - pl.col("wd").cast(pl.Int64)
        )
        self.con.register("kal", kal.to_arrow())
        wd = kal.filter("wd").select(idx="cum", d="d")
        self.con.register("wd", wd.to_arrow())
        self.cfg = config

    def _frame(self, sql: str, params: dict) -> pl.DataFrame:
        return pl.from_arrow(self.con.sql(sql, params=params).to_arrow_table())

    def _params(self, as_of: date) -> dict:
        cfg = self.cfg
        return {
            "as_of": as_of,
            "vormen": list(cfg.eerste_contact_vormen),
            "met_ec": list(cfg.eerste_contact_met),
            "met_vg": list(cfg.voogdij_contact_met),
            "ec_n": cfg.eerste_contact_werkdagen,
            "plan_w": cfg.plan_weken,
            "hulp_m": cfg.hulp_maanden,
            "rt_arij": cfg.risicotaxatie_interval_maanden_arij,
            "rt_lij": cfg.risicotaxatie_interval_maanden_lij,
            "rt_w": cfg.risicotaxatie_eerste_weken,
            "vg_m": cfg.voogdij_contact_maanden,
            "pe_jb": cfg.plan_evaluatie_maanden_jb,
            "pe_jr": cfg.plan_evaluatie_maanden_jr,
        }

    def termijnen(self, as_of: date) -> pl.DataFrame:
        sql = _DUCK_DEADLINES.format(ids="") + " ORDER BY maatregel_id, norm"
        return self._frame(sql, self._params(as_of))

    def werklijst(self, as_of: date, medewerker_id: str) -> pl.DataFrame:
        ids = (
            "AND maatregel_id IN (SELECT maatregel_id FROM (" + _DUCK_HOLDERS + ") "
            "WHERE medewerker_id = $mw AND einde IS NULL)"
        )
        sql = (
            "SELECT * FROM (" + _DUCK_DEADLINES.format(ids=ids) + ") "
            "WHERE status IN ('open', 'verlopen') "
            "ORDER BY status <> 'verlopen', deadline, maatregel_id, norm"
        )
        return self._frame(sql, {**self._params(as_of), "mw": medewerker_id})

    def kpis(self, as_of: date, since: date, start_month: date) -> dict:
        p = {
            **self._params(as_of),
            "since": since,
            "m0": start_month,
            "rt_actueel": self.cfg.risicotaxatie_actueel_maanden,
        }
        sql = f"""
        WITH dl AS ({_DUCK_DEADLINES.format(ids="")}),
        h AS ({_DUCK_HOLDERS}),
        m AS (SELECT maatregel_id, soort, start FROM maatregelen WHERE start <= $as_of),
        act AS (SELECT h.*, m.soort, m.start FROM h JOIN m USING (maatregel_id)
                WHERE h.einde IS NULL),
        ec AS (SELECT dl.*, m.start FROM dl JOIN m USING (maatregel_id)
               WHERE norm = 'eerste_contact' AND m.start >= $m0
                 AND m.start < $m0 + INTERVAL 1 MONTH),
        pl_ AS (SELECT dl.*, act.start FROM dl JOIN act USING (maatregel_id)
                WHERE norm = 'plan_van_aanpak'),
        hu AS (SELECT dl.* FROM dl JOIN act USING (maatregel_id) WHERE norm = 'hulp_gestart'),
        rt AS (SELECT r.maatregel_id, max(r.datum) AS laatste FROM risicotaxaties r
               JOIN act USING (maatregel_id)
               WHERE r.datum <= $as_of AND r.instrument =
                     CASE WHEN act.soort = 'JR' THEN 'LIJ' ELSE 'ARIJ' END
               GROUP BY 1)
        SELECT
          (SELECT count(*) FROM act),
          (SELECT count(*) FROM act WHERE team_soort = 'regulier' AND rol = 'jeugdzorgwerker'),
          (SELECT count(*) FROM act WHERE team_soort = 'CCP'),
          (SELECT count(*) FROM act WHERE team_soort = 'CRT'),
          (SELECT count(*) FROM act WHERE medewerker_id IS NULL),
          (SELECT round(100 * count(*) FILTER (WHERE status = 'tijdig') / nullif(count(*)
             FILTER (WHERE status IN ('tijdig','te_laat','verlopen')), 0), 1) FROM ec),
          (SELECT round(avg(voldaan_op - start), 1) FROM ec),
          (SELECT round(100 * count(*) FILTER (WHERE status = 'tijdig') / nullif(count(*)
             FILTER (WHERE status IN ('tijdig','te_laat','verlopen')), 0), 1) FROM pl_),
          (SELECT round(100 * count(*) FILTER (WHERE status = 'tijdig') / nullif(count(*)
             FILTER (WHERE status IN ('tijdig','te_laat','verlopen')), 0), 1) FROM pl_
             WHERE start >= $since),
          (SELECT round(100 * count(*) FILTER (WHERE status = 'tijdig') / nullif(count(*)
             FILTER (WHERE status IN ('tijdig','te_laat','verlopen')), 0), 1) FROM hu),
          (SELECT round(100 * count(*) FILTER (WHERE laatste >= CAST($as_of - to_months($rt_actueel)
             AS DATE)) / (SELECT count(*) FROM act), 1) FROM rt),
          (SELECT coalesce(bool_or(status = 'open'), false) FROM ec)
        """
        row = self.con.execute(sql, p).fetchall()[0]
        keys = [
            "actieve_maatregelen", "vaste_jzw", "ccp", "crt", "niet_toegewezen",
            "eerste_contact_tijdig_pct", "gem_dagen_eerste_contact", "plan_tijdig_pct",
            "plan_tijdig_pct_cohort", "hulp_tijdig_pct", "risicotaxatie_actueel_pct",
            "eerste_contact_lopend",
        ]  # fmt: skip
        out = dict(zip(keys, row, strict=True))
        active, vaste = out["actieve_maatregelen"], out["vaste_jzw"]
        out["vaste_jzw_pct"] = 100 * vaste / active if active else None
        out["eerste_contact_maand"] = str(start_month)[:7]
        return out

    def verzuim(self, as_of: date) -> dict:
        """Verzuim of the last complete month and of the 12 complete months, in calendar days."""
        last = _last_complete_month(as_of)
        first = last.replace(day=1)
        return {
            "verzuim_pct": self._verzuim(first, last),
            "verzuim_12m_pct": self._verzuim(pd.Timestamp(first) - pd.DateOffset(months=11), last),
        }

    def _verzuim(self, first, last):
        sql = """
        WITH days AS (
            SELECT CAST(d AS DATE) AS dag
            FROM generate_series(CAST($first AS DATE), CAST($last AS DATE), INTERVAL 1 DAY) t(d)
        ),
        present AS (
            SELECT m.medewerker_id, coalesce(m.fte, 0) AS fte, days.dag
            FROM medewerkers m, days
            WHERE m.in_dienst <= days.dag AND (m.uit_dienst IS NULL OR m.uit_dienst > days.dag)
        )
        SELECT 100 * coalesce((SELECT sum(p.fte * coalesce(v.percentage, 100) / 100)
                               FROM present p JOIN verzuim v USING (medewerker_id)
                               WHERE v.ziek_vanaf <= p.dag
                                 AND (v.ziek_tot IS NULL OR v.ziek_tot > p.dag)), 0)
                   / nullif((SELECT sum(fte) FROM present), 0)
        """
        params = {"first": pd.Timestamp(first).date(), "last": pd.Timestamp(last).date()}
        return self.con.execute(sql, params).fetchall()[0][0]

    def stock(self, as_of: date, months: int) -> pl.DataFrame:
        sql = """
        WITH ends AS (
            SELECT CASE WHEN i = 0 THEN $as_of
                        ELSE CAST(date_trunc('month', $as_of) - INTERVAL (i - 1) MONTH
                                  - INTERVAL 1 DAY AS DATE) END AS maand_einde
            FROM range($months) r(i)
        ),
        m AS (
            SELECT maatregel_id, start, CASE WHEN einde <= $as_of THEN einde END AS einde
            FROM maatregelen WHERE start <= $as_of
        ),
        act AS (
            SELECT m.maatregel_id, e.maand_einde FROM m JOIN ends e
            ON m.start <= e.maand_einde AND (m.einde IS NULL OR m.einde > e.maand_einde)
        ),
        held AS (
            SELECT a.maatregel_id, a.maand_einde, t.rol, tm.soort
            FROM act a
            JOIN toewijzingen t ON t.maatregel_id = a.maatregel_id AND t.vanaf <= a.maand_einde
                 AND (t.tot IS NULL OR t.tot > a.maand_einde)
            LEFT JOIN teams tm ON tm.team_id = t.team_id
            QUALIFY row_number() OVER (PARTITION BY a.maatregel_id, a.maand_einde
                                       ORDER BY t.vanaf DESC) = 1
        )
        SELECT e.maand_einde,
               count(act.maatregel_id) AS actief,
               count(*) FILTER (WHERE soort = 'regulier' AND rol = 'jeugdzorgwerker') AS vaste_jzw,
               count(*) FILTER (WHERE soort = 'CCP') AS ccp,
               count(*) FILTER (WHERE soort = 'CRT') AS crt,
               count(act.maatregel_id) - count(held.maatregel_id) AS niet_toegewezen
        FROM ends e
        LEFT JOIN act ON act.maand_einde = e.maand_einde
        LEFT JOIN held ON held.maatregel_id = act.maatregel_id
                      AND held.maand_einde = act.maand_einde
        GROUP BY e.maand_einde ORDER BY e.maand_einde
        """
        return self._frame(sql, {"as_of": as_of, "months": months})


# ---------------------------------------------------------------- harness


def _timed(fn, repeat: int):
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def _same_frame(name: str, ours: pl.DataFrame, peer, label: str, ordered=None) -> None:
    if isinstance(peer, pd.DataFrame):
        peer = pl.from_pandas(peer)
    peer = peer.with_columns(
        pl.col(c).cast(pl.Date) for c, t in peer.schema.items() if isinstance(t, pl.Datetime)
    )
    peer = peer.select(ours.columns).cast(dict(ours.schema))
    if ordered is not None:
        ours, peer = ours.sort(ordered), peer.sort(ordered)
    if not ours.equals(peer):
        diff = ours.join(peer, on=ours.columns, how="anti").head(5)
        raise AssertionError(f"{name}: {label} differs from ours, e.g.\n{diff}")


def _descriptive(active: int, vaste: int, start_month, first_contacts) -> dict:
    """The kpis keys that say what a figure is about, and the vaste jzw share, from a peer's
    own counts and first-contact rows (a frame with a status column)."""
    return {
        "vaste_jzw_pct": 100 * vaste / active if active else None,
        "eerste_contact_maand": str(start_month)[:7],
        "eerste_contact_lopend": bool((first_contacts["status"] == "open").any()),
    }


def _same_dict(name: str, ours: dict, peer: dict, label: str) -> None:
    """The same figures as a user reads them: registered ones at their own decimals."""
    for key, value in ours.items():
        other = peer[key]
        if key in REGISTER:
            value, other = REGISTER[key].rond(value), REGISTER[key].rond(other)
        if isinstance(value, str | bool):
            same = value == other
        elif value is None or other is None:
            same = value is None and other is None
        else:
            same = abs(float(value) - float(other)) < 1e-9
        if not same:
            raise AssertionError(f"{name}: {label} gives {key}={other}, ours {value}")


def without_verzuim(figures: dict) -> dict:
    """kpis without verzuim_pct, which the peers compare as verzuim (queries.personeel's)."""
    return {k: v for k, v in figures.items() if k != "verzuim_pct"}


def verzuim(snap, viewer, as_of: date, config: Config) -> dict:
    """Our verzuim figures as the peers' verzuim gives them."""
    return {
        "verzuim_pct": verzuim_pct(snap, viewer, as_of, config),
        "verzuim_12m_pct": verzuim_12m_pct(snap, viewer, as_of, config),
    }


def _new_day(fn, snap: Snapshot):
    snap.forget_requests()
    return fn(snap)


def planner_line(snap, as_of: date, config: Config, repeat: int) -> str:
    """The planner alone, cold (its memo dropped): the afbouw and unassigned proposals of the
    whole organisation. A sequential assignment has no fair pandas or DuckDB peer."""

    def run():
        snap.forget_requests()
        return [
            voorstel(snap, MANAGER, as_of, config, kind) for kind in ("afbouw", "niet_toegewezen")
        ]

    t, plans = _timed(run, repeat)
    n = sum(p.height for p in plans)
    placed = sum(p["naar_medewerker_id"].is_not_null().sum() for p in plans)
    return (
        f"planner {t * 1e3:.1f} ms: {n:,} maatregelen (CCP/CRT en niet toegewezen), {placed:,} "
        f"geplaatst; geen pandas- of DuckDB-tegenhanger (toewijzing een voor een)"
    )


def _ensure_demo(url: str, scale: str) -> None:
    engine = sa.create_engine(url)
    if sa.inspect(engine).has_table("etl_runs"):
        with engine.connect() as conn:
            if conn.execute(sa.text("SELECT count(*) FROM etl_runs")).scalar():
                # A load from before prepared data existed gets it now, as a load would.
                subprocess.run(
                    [sys.executable, "-m", "etl", "voorbereiden", "--db", url], check=True
                )
                return
    print(f"# {scale}-demo genereren en laden in {url} (eenmalig)", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "etl", "demo", "--scale", scale, "--db", url], check=True)


def drawn_day(export_date: date, seed: int) -> date:
    """A peildatum in the 24 months up to the export (seeded): no figure is ready for it."""
    return export_date - timedelta(days=random.Random(seed).randrange(0, 730))


def prepare_line(snap, config: Config) -> str:
    """What a load pays to prepare (computed and serialised; the database write not included)."""
    t0 = time.perf_counter()
    frames = voorbereid(snap.tables, snap.export_date, config)
    stored = sum(map(len, als_bytes(frames).values()))
    seconds = time.perf_counter() - t0
    return (
        f"voorbereiden bij het laden: {seconds:.1f} s, {stored / 1e6:.1f} MB ({len(frames)} frames)"
    )


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench")
    ap.add_argument("--scale", choices=["jbn", "national"], default="jbn")
    ap.add_argument("--db", help="database with a loaded export (default: data/bench-SCALE.sqlite)")
    ap.add_argument("--as-of", type=date.fromisoformat, help="peildatum (default: drawn, seeded)")
    ap.add_argument("--seed", type=int, default=1, help="seed of the drawn peildatum")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--app", action="store_true", help="also start the app: bench.app's lines")
    args = ap.parse_args(argv)
    root = Path(__file__).resolve().parent.parent
    url = args.db or f"sqlite:///{root / 'data' / f'bench-{args.scale}.sqlite'}"
    (root / "data").mkdir(exist_ok=True)
    _ensure_demo(url, args.scale)
    engine = sa.create_engine(url)

    cfg = load_config()
    t0 = time.perf_counter()
    # The peers get every row of every table, read from the tables (not timed against them).
    raw = read_tables(engine)
    rows = {k: v.height for k, v in raw.tables.items()}
    print(
        f"# tabellen: {rows['maatregelen']:,} maatregelen, {rows['contacten']:,} contacten, "
        f"gelezen in {time.perf_counter() - t0:.1f} s; {os.cpu_count()} cores"
    )
    print(prepare_line(raw, cfg))
    years = (1990, raw.export_date.year + 5)
    t0 = time.perf_counter()
    pandas_peer = PandasPeer(dict(raw.tables), cfg, years)
    duck_peer = DuckPeer(dict(raw.tables), cfg, years)
    print(f"# peers voorbereid (conversie, niet getimed) in {time.perf_counter() - t0:.1f} s")

    as_of = args.as_of or drawn_day(raw.export_date, args.seed)
    print(f"# peildatum {as_of}")
    held = holders(raw, as_of).filter(pl.col("rol") == "jeugdzorgwerker")
    worker = held.group_by("medewerker_id").len().sort("len", "medewerker_id").row(-1)[0]
    viewer = Viewer("jeugdzorgwerker", worker)
    since, start_month = date(2025, 7, 1), as_of.replace(day=1)
    del raw

    def cold(fn):
        # A fresh snapshot: nothing read, nothing computed; what the load prepared is read
        # from the database as the figure needs it, as in a worker's first request.
        def run():
            snapshots._cache.clear()
            return fn(load_snapshot(engine))

        return run

    figures = {
        "deadlines": (
            lambda snap: termijnen(snap, MANAGER, as_of, cfg).select(DL_COLS),
            lambda: pandas_peer.termijnen(as_of),
            lambda: duck_peer.termijnen(as_of),
            partial(_same_frame, ordered=KEY),
        ),
        "worklist": (
            lambda snap: werklijst(snap, viewer, as_of, cfg).select(DL_COLS),
            lambda: pandas_peer.werklijst(as_of, worker),
            lambda: duck_peer.werklijst(as_of, worker),
            _same_frame,
        ),
        "kpis": (
            lambda snap: without_verzuim(kpis(snap, MANAGER, as_of, cfg, since, start_month)),
            lambda: pandas_peer.kpis(as_of, since, start_month),
            lambda: duck_peer.kpis(as_of, since, start_month),
            _same_dict,
        ),
        "verzuim": (
            lambda snap: verzuim(snap, MANAGER, as_of, cfg),
            lambda: pandas_peer.verzuim(as_of),
            lambda: duck_peer.verzuim(as_of),
            _same_dict,
        ),
        "afbouw_24m": (
            lambda snap: stock_per_month(snap, MANAGER, as_of, cfg, months=24).select(
                "maand_einde", "actief", "vaste_jzw", "ccp", "crt", "niet_toegewezen"
            ),
            lambda: pandas_peer.stock(as_of, 24),
            lambda: duck_peer.stock(as_of, 24),
            _same_frame,
        ),
    }
    header = f"{'figuur':<12}{'polars koud':>13}{'polars warm':>13}{'pandas':>12}{'duckdb':>12}"
    print(f"\n{header}   (beste van {args.repeat}, ms)")
    ratios = []
    snapshots._cache.clear()
    warm = load_snapshot(engine)
    prepared(warm, cfg)
    for name, (ours_fn, pandas_fn, duck_fn, same) in figures.items():
        t_cold, ours = _timed(cold(ours_fn), args.repeat)
        # Warm: the worker has read the load, as its warm-up leaves it, and is asked for a day
        # it has not computed yet (a second ask of the same day is a lookup).
        t_warm, _ = _timed(partial(_new_day, ours_fn, warm), args.repeat)
        t_pd, res_pd = _timed(pandas_fn, args.repeat)
        t_dk, res_dk = _timed(duck_fn, args.repeat)
        same(name, ours, res_pd, "pandas")
        same(name, ours, res_dk, "duckdb")
        print(
            f"{name:<12}{t_cold * 1e3:>13.1f}{t_warm * 1e3:>13.1f}"
            f"{t_pd * 1e3:>12.1f}{t_dk * 1e3:>12.1f}"
        )
        for peer, t_peer in (("pandas", t_pd), ("duckdb", t_dk)):
            ratios += [(name, peer, t_peer / t_cold), (f"{name}_warm", peer, t_peer / t_warm)]
    print()
    for name, peer, x in ratios:
        print(f"ratio {name} {peer} {x:.2f}")
    print(planner_line(warm, as_of, cfg, args.repeat))
    if args.app:
        for line in bench_app.run(url):
            print(line, flush=True)


if __name__ == "__main__":
    main()
