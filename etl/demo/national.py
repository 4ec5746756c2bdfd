"""The national demo: thirteen GIs and ten years of history, for benchmarks.

Realistic shapes, no calibration. Everything is vectorised (numpy for the draws, polars for
the joins and the CSV output) so that the full size generates in a few minutes on two cores.
Dates are handled as days since 1970-01-01, which is polars' physical Date.
"""

import datetime as dt
from pathlib import Path

import numpy as np
import polars as pl

from etl.contract import CONTACT_MET, CONTACT_VORMEN, FILES, PLAN_SOORTEN, TEAM_SOORTEN
from etl.demo.common import FIRST_NAMES, SURNAMES, is_werkdag

EXPORT = dt.date(2026, 3, 4)
WINDOW = dt.date(2016, 3, 4)  # ten years of history
EARLIEST = dt.date(2010, 1, 1)  # earlier starts feed the stock on the window's first day
CRT_FROM = dt.date(2022, 1, 1)
EPOCH = dt.date(1970, 1, 1)
YEAR = 365.25

MEASURES_PER_YEAR = 16_900  # inflow at full size
CONTACTS_PER_YEAR = 32  # per measure, besides the first face-to-face contact

SOORTEN = ("OTS", "JR", "voogdij", "VOTS", "voorlopige_voogdij")
SOORT_P = (0.55, 0.2, 0.15, 0.065, 0.035)
# In the order of CONTACT_VORMEN and CONTACT_MET.
VORM_P = (0.42, 0.27, 0.07, 0.11, 0.11, 0.02)
MET_P = (0.22, 0.32, 0.18, 0.12, 0.16)
HULP: tuple[str, ...] = ("ambulante jeugdhulp", "gezinsbehandeling", "pleegzorg", "gezinshuis")
HULP += ("residentiele jeugdhulp", "dagbehandeling", "jeugd-ggz")
FUNCTIES: tuple[str, ...] = ("jeugdbeschermer", "jeugdreclasseerder", "praktijkbegeleider")
FUNCTIES += ("gedragswetenschapper", "teammanager", "manager")
HULP_P = (0.32, 0.2, 0.14, 0.06, 0.09, 0.06, 0.13)

# (code, naam, share of the country's measures, has a CRT, ((regio, gemeenten), ...))
GIS = (
    ("JBN", "Jeugdbescherming Noord", 0.08, True, (
        ("Groningen", ("Groningen", "Midden-Groningen", "Westerkwartier", "Oldambt")),
        ("Friesland", ("Leeuwarden", "Súdwest-Fryslân", "Heerenveen", "Smallingerland")),
        ("Drenthe", ("Emmen", "Assen", "Hoogeveen", "Meppel")))),
    ("JBO", "Jeugdbescherming Overijssel", 0.07, False, (
        ("Overijssel", ("Zwolle", "Enschede", "Deventer", "Almelo", "Hengelo", "Kampen")),)),
    ("JBG", "Jeugdbescherming Gelderland", 0.11, True, (
        ("Gelderland-Zuid", ("Nijmegen", "Tiel", "Wijchen")),
        ("Gelderland-Midden", ("Arnhem", "Ede", "Apeldoorn", "Doetinchem")))),
    ("SVMN", "Samen Veilig Midden-Nederland", 0.08, False, (
        ("Utrecht", ("Utrecht", "Amersfoort", "Nieuwegein", "Veenendaal", "Zeist")),
        ("Flevoland", ("Almere", "Lelystad", "Dronten")))),
    ("JBRA", "Jeugdbescherming Regio Amsterdam", 0.09, True, (
        ("Amsterdam", ("Amsterdam", "Amstelveen", "Diemen")),
        ("Zaanstreek", ("Zaanstad", "Purmerend", "Edam-Volendam")))),
    ("JBNH", "Jeugdbescherming Noord-Holland", 0.06, False, (
        ("Noord-Holland Noord", ("Alkmaar", "Den Helder", "Hoorn")),
        ("Kennemerland", ("Haarlem", "Haarlemmermeer", "Velsen")))),
    ("JBW", "Jeugdbescherming west", 0.08, False, (
        ("Haaglanden", ("'s-Gravenhage", "Delft", "Zoetermeer", "Westland")),
        ("Hollands Midden", ("Leiden", "Alphen aan den Rijn", "Gouda")))),
    ("JBRR", "Jeugdbescherming Rotterdam Rijnmond", 0.11, True, (
        ("Rotterdam", ("Rotterdam", "Schiedam", "Vlaardingen", "Capelle aan den IJssel")),
        ("Zuid-Holland Zuid", ("Dordrecht", "Nissewaard", "Gorinchem")))),
    ("JBB", "Jeugdbescherming Brabant", 0.12, False, (
        ("Brabant-Oost", ("Eindhoven", "Helmond", "'s-Hertogenbosch", "Oss")),
        ("Brabant-West", ("Breda", "Tilburg", "Roosendaal", "Bergen op Zoom")))),
    ("JBL", "Jeugdbescherming Limburg", 0.06, False, (
        ("Limburg-Noord", ("Venlo", "Roermond", "Weert")),
        ("Limburg-Zuid", ("Maastricht", "Heerlen", "Sittard-Geleen", "Kerkrade")))),
    ("JBZ", "Jeugdbescherming Zeeland", 0.03, False, (
        ("Zeeland", ("Middelburg", "Vlissingen", "Goes", "Terneuzen")),)),
    ("WSS", "William Schrikker Stichting", 0.06, False, (
        ("Landelijk WSS", ("Utrecht", "'s-Gravenhage", "Almere", "Eindhoven", "Zwolle")),)),
    ("LJR", "Leger des Heils Jeugdbescherming & Reclassering", 0.05, False, (
        ("Landelijk LJR", ("Amsterdam", "Rotterdam", "Arnhem", "Groningen", "Tilburg")),)),
)  # fmt: skip


def _day(day: dt.date) -> int:
    return (day - EPOCH).days


BIG = _day(dt.date(2200, 1, 1))  # an open end


class _Calendar:
    """Werkdagen as arrays, so that whole columns of dates snap to a werkdag at once."""

    def __init__(self):
        self.first = _day(dt.date(2000, 1, 1))
        days = np.arange(self.first, _day(dt.date(2028, 12, 31)) + 1)
        werkdag = np.array([is_werkdag(EPOCH + dt.timedelta(days=int(d))) for d in days])
        index = np.where(werkdag, np.arange(days.size), days.size - 1)
        self.next_index = np.minimum.accumulate(index[::-1])[::-1]
        self.werkdag = werkdag
        self.days = days

    def snap(self, day: np.ndarray) -> np.ndarray:
        """The first werkdag on or after each day."""
        clipped = np.clip(day - self.first, 0, self.days.size - 1)
        return self.days[self.next_index[clipped]]

    def is_werkdag(self, day: np.ndarray) -> np.ndarray:
        return self.werkdag[np.clip(day - self.first, 0, self.days.size - 1)]


def _date(col: str) -> pl.Expr:
    """An int day column as a Date, empty where it holds the open end."""
    return pl.when(pl.col(col) >= BIG).then(None).otherwise(pl.col(col)).cast(pl.Date).alias(col)


def _id(col: str, prefix: str, width: int) -> pl.Expr:
    return pl.concat_str(pl.lit(prefix), (pl.col(col) + 1).cast(pl.String).str.zfill(width))


def _code(col: str, codes: tuple[str, ...]) -> pl.Expr:
    return pl.col(col).replace_strict(dict(enumerate(codes)), return_dtype=pl.String)


def _ja_nee(expr: pl.Expr) -> pl.Expr:
    return pl.when(expr).then(pl.lit("ja")).otherwise(pl.lit("nee"))


def _group_position(counts: np.ndarray) -> np.ndarray:
    """0, 1, 2 ... within each run of a np.repeat(..., counts)."""
    total = int(counts.sum())
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    return np.arange(total) - starts


class NationalGenerator:
    def __init__(self, seed: int, size: float):
        self.rng = np.random.default_rng(seed)
        # Families draw from their own stream, so adding them changed no other column.
        self.rng_extra = np.random.default_rng([seed, 1])
        self.size = size
        self.cal = _Calendar()
        self.export = _day(EXPORT)
        self.window = _day(WINDOW)

    def uniform_days(self, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        """A day in [lo, hi) for each pair (hi > lo)."""
        return lo + np.floor(self.rng.random(lo.size) * (hi - lo)).astype(np.int64)

    # ---------------------------------------------------------------- organisation
    def organisation(self) -> None:
        """Regions, teams and measures: starts since 2010, kept when active in the window."""
        self.regions = []  # (gi, regio, gemeenten)
        for g, (_, _, _, _, regions) in enumerate(GIS):
            for regio, gemeenten in regions:
                self.regions.append((g, regio, gemeenten))
        rng = self.rng
        first = _day(EARLIEST)
        n = rng.poisson(MEASURES_PER_YEAR * self.size * (self.export - first + 1) / YEAR)
        start = self.cal.snap(rng.integers(first, self.export + 1, n))
        start = np.sort(start[start <= self.export])
        n = start.size
        soort = rng.choice(len(SOORTEN), n, p=SOORT_P)
        age = np.select(
            [soort == 1, (soort == 2) | (soort == 4)],
            [rng.uniform(12, 17.8, n), rng.uniform(0, 15, n)],
            rng.uniform(0, 17.5, n),
        )
        birth = start - (age * YEAR).astype(np.int64)
        length = np.select(
            [soort == 0, soort == 1, soort == 2, soort == 3],
            [
                rng.gamma(2.0, 1.14 * YEAR, n),
                rng.gamma(2.0, 0.48 * YEAR, n),
                rng.gamma(1.5, 2.6 * YEAR, n),
                rng.uniform(14, 92, n),
            ],
            rng.uniform(20, 150, n),
        ).astype(np.int64)
        adult = birth + 6574  # every measure ends at the latest when the child turns 18
        einde = self.cal.snap(np.minimum(start + 1 + length, adult))
        einde = np.where(einde > self.export, BIG, einde)
        keep = einde >= self.window
        start, soort, birth, einde = start[keep], soort[keep], birth[keep], einde[keep]
        n = start.size
        back = rng.choice(4, n, p=(0.25, 0.45, 0.2, 0.1))
        uitspraak = start - back
        uitspraak = np.where(self.cal.is_werkdag(uitspraak), uitspraak, start)
        shares = np.array([g[2] for g in GIS])
        gi = rng.choice(len(GIS), n, p=shares / shares.sum())
        region_first = np.cumsum([0] + [len(g[4]) for g in GIS])[:-1]
        region_count = np.array([len(g[4]) for g in GIS])
        region = region_first[gi] + np.floor(rng.random(n) * region_count[gi]).astype(np.int64)
        active = einde > self.export
        per_region = np.bincount(region[active], minlength=len(self.regions))
        teams_per_region = np.maximum(1, np.round(per_region / 180)).astype(np.int64)
        team_first = np.cumsum(np.concatenate([[0], teams_per_region]))[:-1]
        team = team_first[region] + np.floor(rng.random(n) * teams_per_region[region]).astype(
            np.int64
        )
        self.teams = []  # (team_id, naam, regio, soort, gi)
        for r, (gi_r, regio, gemeenten) in enumerate(self.regions):
            code = GIS[gi_r][0]
            local = r - region_first[gi_r] + 1
            for k in range(teams_per_region[r]):
                place = gemeenten[k % len(gemeenten)]
                suffix = f" {k // len(gemeenten) + 1}" if k >= len(gemeenten) else ""
                self.teams.append(
                    (f"{code}-{local}{k + 1:02d}", f"Team {place}{suffix}", regio, 0, gi_r)
                )
        crt_team = {}
        for gi_c, (code, _, _, has_crt, regions) in enumerate(GIS):
            if has_crt:
                crt_team[gi_c] = len(self.teams)
                self.teams.append(
                    (f"{code}-CRT", f"Casus Regie Team {code}", regions[0][0], 2, gi_c)
                )
        self.m = pl.DataFrame(
            {
                "start": start,
                "soort": soort,
                "birth": birth,
                "einde": einde,
                "uitspraak": uitspraak,
                "gi": gi,
                "region": region,
                "team": team,
            }
        )
        self.crt_team = crt_team

    def segments(self) -> None:
        """Who holds each measure: a regular team, or first the CRT and then a regular team."""
        rng = self.rng
        m = self.m
        n = m.height
        gi = m["gi"].to_numpy()
        soort = m["soort"].to_numpy()
        start = m["start"].to_numpy()
        einde = m["einde"].to_numpy()
        team = m["team"].to_numpy()
        crt_of_gi = np.full(len(GIS), -1)
        for g, t in self.crt_team.items():
            crt_of_gi[g] = t
        in_crt = (
            (crt_of_gi[gi] >= 0) & (soort != 1) & (start >= _day(CRT_FROM)) & (rng.random(n) < 0.1)
        )
        transfer = self.cal.snap(start + rng.integers(30, 420, n))
        transferred = in_crt & (transfer < einde) & (transfer <= self.export)
        kind = (soort == 1).astype(np.int64)
        idx = np.arange(n)
        regular = ~in_crt
        seg = {
            "m": np.concatenate([idx[regular], idx[in_crt], idx[transferred]]),
            "team": np.concatenate([team[regular], crt_of_gi[gi[in_crt]], team[transferred]]),
            "rol": np.concatenate(
                [np.zeros(regular.sum()), np.ones(in_crt.sum()), np.zeros(transferred.sum())]
            ).astype(np.int8),
            "kind": np.concatenate([kind[regular], kind[in_crt], kind[transferred]]),
            "sfrom": np.concatenate([start[regular], start[in_crt], transfer[transferred]]),
            "sto": np.concatenate(
                [
                    einde[regular],
                    np.where(transferred, transfer, einde)[in_crt],
                    einde[transferred],
                ]
            ),
        }
        self.seg = pl.DataFrame(seg)

    def staff(self) -> None:
        """Slots per team sized to the caseload; each slot is filled by a chain of people."""
        rng = self.rng
        seg = self.seg
        n_teams = len(self.teams)
        active = seg.filter((pl.col("sfrom") <= self.export) & (pl.col("sto") > self.export))
        load = np.bincount((active["team"] * 2 + active["kind"]).to_numpy(), minlength=2 * n_teams)
        soort = np.repeat([t[3] for t in self.teams], 2)
        per_slot = np.where(soort == 2, 20.0, 13.0)
        slots = np.maximum(1, np.ceil(load * 1.05 / per_slot)).astype(np.int64)
        slots[1::2] = np.where(soort[1::2] == 2, 0, slots[1::2])
        slot_first = np.cumsum(np.concatenate([[0], slots]))[:-1]
        key = (seg["team"] * 2 + seg["kind"]).to_numpy()
        slot = slot_first[key] + np.floor(rng.random(seg.height) * slots[key]).astype(np.int64)
        self.seg = seg.with_columns(slot=slot)
        rows: dict[str, list[int]] = {"slot": [], "team": [], "functie": [], "oin": [], "oout": []}
        earliest = _day(EARLIEST)
        for tk in range(2 * n_teams):
            for s in range(slot_first[tk], slot_first[tk] + slots[tk]):
                day = _day(dt.date(2002, 1, 1)) + int(rng.integers(0, 3000))
                while day <= self.export:
                    out = day + 60 + int(rng.exponential(4.5 * YEAR))
                    if out > self.export:
                        out = BIG
                    if out >= earliest:
                        rows["slot"].append(s)
                        rows["team"].append(tk // 2)
                        rows["functie"].append(tk % 2)
                        rows["oin"].append(day)
                        rows["oout"].append(out)
                    day = out
        occ = pl.DataFrame(rows).with_row_index("w")
        self.occ = occ.with_columns(
            fte=pl.Series(rng.choice((0.67, 0.78, 0.89, 1.0), occ.height, p=(0.1, 0.2, 0.35, 0.35)))
        )

    def toewijzingen(self) -> pl.DataFrame:
        joined = self.seg.join(self.occ.select("slot", "w", "oin", "oout"), on="slot")
        return (
            joined.filter((pl.col("oin") < pl.col("sto")) & (pl.col("oout") > pl.col("sfrom")))
            .select(
                "m",
                "w",
                "team",
                "rol",
                vanaf=pl.max_horizontal("sfrom", "oin"),
                tot=pl.min_horizontal("sto", "oout"),
            )
            .sort("m", "vanaf")
        )

    # ---------------------------------------------------------------- events
    def spans(self):
        start = self.m["start"].to_numpy()
        einde = self.m["einde"].to_numpy()
        return start, np.minimum(einde, self.export + 1)

    def contacts(self, toew: pl.DataFrame) -> pl.DataFrame:
        rng = self.rng
        start, end = self.spans()
        n = start.size
        late = rng.random(n) >= 0.55
        delay = np.where(
            late,
            8 + np.minimum(112, rng.exponential(14, n)).astype(np.int64),
            rng.integers(1, 8, n),
        )
        first = self.cal.snap(start + delay)
        has_first = (start >= self.window) & (first < end)
        lo = np.where(has_first, first + 1, np.maximum(start, self.window))
        span = np.maximum(0, end - lo)
        count = rng.poisson(span * CONTACTS_PER_YEAR / YEAR)
        idx = np.repeat(np.arange(n), count)
        day = self.cal.snap(self.uniform_days(lo[idx], end[idx]))
        ok = day < end[idx]
        idx, day = idx[ok], day[ok]
        vorm = rng.choice(len(CONTACT_VORMEN), idx.size, p=VORM_P).astype(np.int8)
        met = rng.choice(len(CONTACT_MET), idx.size, p=MET_P).astype(np.int8)
        first_idx = np.flatnonzero(has_first)
        first_met = rng.choice((0, 1, 2), first_idx.size, p=(0.3, 0.25, 0.45)).astype(np.int8)
        frame = pl.DataFrame(
            {
                "m": np.concatenate([first_idx, idx]),
                "datum": np.concatenate([first[first_idx], day]),
                "vorm": np.concatenate([np.zeros(first_idx.size, np.int8), vorm]),
                "met": np.concatenate([first_met, met]),
                "u": rng.random(first_idx.size + idx.size),
            }
        ).sort("m", "datum")
        holders = toew.select("m", "vanaf", "w").sort("m", "vanaf")
        frame = frame.join_asof(
            holders, left_on="datum", right_on="vanaf", by="m", check_sortedness=False
        )
        child_seen = (pl.col("vorm") == 0) & pl.col("met").is_in([0, 2])
        return (
            frame.sort("datum", "m")
            .with_row_index("i")
            .select(
                _id("i", "K", 8).alias("contact_id"),
                _id("m", "M", 7).alias("maatregel_id"),
                _id("w", "W", 6).alias("medewerker_id"),
                pl.col("datum").cast(pl.Date),
                _code("vorm", CONTACT_VORMEN).alias("vorm"),
                _code("met", CONTACT_MET).alias("met"),
                pl.when(child_seen)
                .then(_ja_nee(pl.col("u") < 0.55))
                .otherwise(None)
                .alias("jeugdige_alleen_gezien"),
            )
        )

    def chain(self, first: np.ndarray, valid: np.ndarray, interval: np.ndarray, jitter):
        """Repeating events per measure from `first` every `interval` days (with jitter)."""
        _, end = self.spans()
        gap = np.maximum(1, end - first - 1)
        count = np.where(valid, 1 + gap // interval, 0)
        idx = np.repeat(np.arange(first.size), count)
        k = _group_position(count)
        noise = self.rng.integers(jitter[0], jitter[1], idx.size)
        day = first[idx] + k * interval[idx] + np.where(k > 0, noise, 0)
        day = self.cal.snap(day)
        ok = (day < end[idx]) & (day <= self.export)
        return idx[ok], k[ok], day[ok]

    def plans(self) -> pl.DataFrame:
        rng = self.rng
        start, end = self.spans()
        n = start.size
        soort = self.m["soort"].to_numpy()
        uitspraak = self.m["uitspraak"].to_numpy()
        on_time = rng.random(n) < 0.5
        delay = np.where(
            on_time, rng.integers(14, 43, n), 43 + np.minimum(260, rng.exponential(35, n))
        ).astype(np.int64)
        first = self.cal.snap(uitspraak + delay)
        interval = np.where(soort == 1, 182, 365)
        idx, k, day = self.chain(first, first < end, interval, (-30, 45))
        birth = self.m["birth"].to_numpy()
        older = (day - birth[idx]) >= 8 * YEAR
        soort_plan = np.where(k == 0, 0, np.where(rng.random(idx.size) < 0.65, 1, 2))
        return (
            pl.DataFrame({"m": idx, "soort": soort_plan, "day": day, "older": older})
            .with_columns(u=rng.random(idx.size), v=rng.random(idx.size))
            .sort("day", "m")
            .with_row_index("i")
            .select(
                _id("i", "PL", 8).alias("plan_id"),
                _id("m", "M", 7).alias("maatregel_id"),
                _code("soort", PLAN_SOORTEN).alias("soort"),
                pl.col("day").cast(pl.Date).alias("vastgesteld"),
                _ja_nee(pl.col("older") & (pl.col("u") < 0.75)).alias("met_jeugdige_besproken"),
                _ja_nee(pl.col("v") < 0.85).alias("met_ouders_besproken"),
            )
        )

    def taxaties(self) -> pl.DataFrame:
        rng = self.rng
        start, end = self.spans()
        n = start.size
        first = self.cal.snap(start + rng.integers(0, 46, n))
        idx, k, day = self.chain(first, first < end, np.full(n, 110), (-25, 40))
        keep = (k == 0) | (day >= self.window - 365)
        idx, k, day = idx[keep], k[keep], day[keep]
        einde = self.m["einde"].to_numpy()[idx]
        last = np.append(idx[1:] != idx[:-1], True)
        reason = rng.choice((2, 1, 4), idx.size, p=(0.75, 0.18, 0.07))
        reason = np.where(last & (einde < BIG) & (einde - day < 40), 3, reason)
        reason = np.where(k == 0, 0, reason)
        jr = self.m["soort"].to_numpy()[idx] == 1
        return (
            pl.DataFrame({"m": idx, "day": day, "jr": jr, "reason": reason})
            .sort("day", "m")
            .with_row_index("i")
            .select(
                _id("i", "RT", 8).alias("taxatie_id"),
                _id("m", "M", 7).alias("maatregel_id"),
                pl.when(pl.col("jr"))
                .then(pl.lit("LIJ"))
                .otherwise(pl.lit("ARIJ"))
                .alias("instrument"),
                pl.col("day").cast(pl.Date).alias("datum"),
                _code(
                    "reason", ("start", "kernbesluit", "evaluatie", "afsluiting", "terugmelding")
                ).alias("aanleiding"),
            )
        )

    def hulp(self) -> pl.DataFrame:
        rng = self.rng
        start, end = self.spans()
        n = start.size
        uitspraak = self.m["uitspraak"].to_numpy()
        count = np.where(rng.random(n) < 0.65, rng.choice((1, 2, 3), n, p=(0.55, 0.3, 0.15)), 0)
        idx = np.repeat(np.arange(n), count)
        k = _group_position(count)
        asked = uitspraak[idx] + rng.integers(5, 61, idx.size) + k * rng.integers(60, 250, idx.size)
        asked = self.cal.snap(np.maximum(asked, start[idx]))
        started = self.cal.snap(asked + rng.gamma(2.0, 30.0, idx.size).astype(np.int64))
        never = (started >= end[idx]) | (started > self.export) | (rng.random(idx.size) < 0.08)
        started = np.where(never, BIG, started)
        ok = (asked < end[idx]) & (asked <= self.export)
        soort = rng.choice(len(HULP), idx.size, p=HULP_P)
        return (
            pl.DataFrame(
                {"m": idx[ok], "soort": soort[ok], "asked": asked[ok], "started": started[ok]}
            )
            .sort("asked", "m")
            .with_row_index("i")
            .select(
                _id("i", "HU", 8).alias("hulp_id"),
                _id("m", "M", 7).alias("maatregel_id"),
                _code("soort", HULP).alias("soort"),
                pl.col("asked").cast(pl.Date).alias("aangevraagd"),
                _date("started").alias("gestart"),
            )
        )

    def maatregelen(self) -> tuple[pl.DataFrame, pl.DataFrame]:
        rng = self.rng
        m = self.m.with_row_index("i")
        n = m.height
        einde_gepland_ended = rng.random(n) < 0.6
        m = m.with_columns(eg_ended=pl.Series(einde_gepland_ended), u=pl.Series(rng.random(n)))
        period = pl.when(pl.col("soort") == 1).then(6).otherwise(12)
        horizon = pl.when(pl.col("einde") >= BIG).then(self.export + 1).otherwise(pl.col("einde"))
        periods = ((horizon - pl.col("uitspraak")) / (period * 30.44)).ceil().cast(pl.Int64).clip(1)
        uitspraak = pl.col("uitspraak").cast(pl.Date)
        planned = (
            pl.when(pl.col("soort") == 2)
            .then(pl.col("birth").cast(pl.Date).dt.offset_by("18y"))
            .when(pl.col("soort").is_in([3, 4]))
            .then(uitspraak.dt.offset_by("3mo"))
            .when((pl.col("einde") < BIG) & pl.col("eg_ended"))
            .then(pl.col("einde").cast(pl.Date))
            .otherwise(
                uitspraak.dt.offset_by(
                    pl.concat_str((periods * period).cast(pl.String), pl.lit("mo"))
                )
            )
        )
        sub = pl.when(pl.col("soort") == 1).then(
            _code("jr_sub", ("toezicht en begeleiding", "ITB Harde Kern", "ITB CRIEM", "samenloop"))
        )
        m = m.with_columns(jr_sub=pl.Series(rng.choice(4, n, p=(0.7, 0.12, 0.08, 0.1))))
        maatregelen = m.select(
            _id("i", "M", 7).alias("maatregel_id"),
            _id("i", "J", 7).alias("jeugdige_id"),
            _code("soort", SOORTEN).alias("soort"),
            sub.alias("subsoort"),
            uitspraak.alias("uitspraak"),
            pl.col("start").cast(pl.Date),
            planned.alias("einde_gepland"),
            _date("einde").alias("einde"),
        )
        places = [g for _, _, gemeenten in self.regions for g in gemeenten]
        place_first = np.cumsum([0] + [len(r[2]) for r in self.regions])[:-1]
        place_count = np.array([len(r[2]) for r in self.regions])
        region = m["region"].to_numpy()
        place = place_first[region] + np.floor(rng.random(n) * place_count[region]).astype(int)
        # A quarter of the children are a sibling of the child before them (same region),
        # living in the same gemeente.
        joins = self.rng_extra.random(n) < 0.25
        joins[0] = False
        joins[1:] &= region[1:] == region[:-1]
        gezin = np.cumsum(~joins)
        place = place[np.maximum.accumulate(np.where(joins, 0, np.arange(n)))]
        jeugdigen = m.with_columns(place=pl.Series(place), gezin=pl.Series(gezin)).select(
            _id("i", "J", 7).alias("jeugdige_id"),
            pl.col("birth").cast(pl.Date).alias("geboortedatum"),
            _code("place", tuple(places)).alias("gemeente"),
            _id("gezin", "G", 7).alias("gezin_id"),
        )
        return maatregelen, jeugdigen

    # ---------------------------------------------------------------- HR files
    def medewerkers(self) -> pl.DataFrame:
        """Jeugdzorgwerkers from the slots, plus support staff per team and managers per GI."""
        rng = self.rng
        occ = self.occ
        support: dict[str, list[int]] = {"team": [], "functie": [], "oin": []}
        for t in range(len(self.teams)):
            for functie in (2, 3, 4):
                support["team"].append(t)
                support["functie"].append(functie)
                support["oin"].append(_day(dt.date(2005, 1, 1)) + int(rng.integers(0, 4000)))
        for gi in range(len(GIS)):
            first_team = next(t for t, team in enumerate(self.teams) if team[4] == gi)
            for _ in range(3):
                support["team"].append(first_team)
                support["functie"].append(5)
                support["oin"].append(_day(dt.date(2005, 1, 1)) + int(rng.integers(0, 4000)))
        extra = pl.DataFrame(support).with_columns(
            oout=pl.lit(BIG),
            fte=pl.Series(rng.choice((0.78, 0.89, 1.0), len(support["team"]))),
            slot=pl.lit(-1),
        )
        staff = pl.concat(
            [occ.drop("w"), extra.select(occ.drop("w").columns)], how="vertical_relaxed"
        ).with_row_index("w")
        self.staff_frame = staff
        pb = staff.filter(pl.col("functie") == 2).select("team", pb="w")
        n = staff.height
        oin = staff["oin"].to_numpy()
        recent = oin >= self.export - 3 * 365
        vog = np.where(recent, oin - rng.integers(5, 61, n), self.export - rng.integers(0, 1096, n))
        skj = self.export + rng.integers(-60, 1800, n)
        first_names = pl.Series(FIRST_NAMES)[rng.integers(0, len(FIRST_NAMES), n)]
        surnames = pl.Series(SURNAMES)[rng.integers(0, len(SURNAMES), n)]
        dienst = np.where(
            oin >= _day(dt.date(2024, 1, 1)),
            rng.choice(3, n, p=(0.55, 0.38, 0.07)),
            rng.choice(3, n, p=(0.88, 0.06, 0.06)),
        )
        return (
            staff.with_columns(
                first=first_names,
                last=surnames,
                vog=vog,
                skj=skj,
                dienst=dienst,
                diploma=rng.random(n) < 0.96,
            )
            .join(pb, on="team", how="left")
            .sort("w")
            .select(
                _id("w", "W", 6).alias("medewerker_id"),
                pl.concat_str("first", pl.lit(" "), "last").alias("naam"),
                _code("functie", FUNCTIES).alias("functie"),
                _code("team", tuple(t[0] for t in self.teams)).alias("team_id"),
                pl.col("fte"),
                pl.col("oin").cast(pl.Date).alias("in_dienst"),
                _date("oout").alias("uit_dienst"),
                _code("dienst", ("vast", "tijdelijk", "zzp")).alias("dienstverband"),
                pl.when(pl.col("functie") < 2).then(_id("pb", "W", 6)).alias("begeleider_id"),
                pl.min_horizontal("vog", "oin").cast(pl.Date).alias("vog_datum"),
                pl.when(pl.col("functie") < 4).then(pl.col("skj").cast(pl.Date)).alias(
                    "skj_geldig_tot"
                ),
                _ja_nee(pl.col("diploma")).alias("diploma_in_dossier"),
                pl.concat_str(_id("w", "m", 6), pl.lit("@gi-demo.example")).alias("email"),
            )
        )  # fmt: skip

    def verzuim(self) -> pl.DataFrame:
        rng = self.rng
        staff = self.staff_frame
        lo = np.maximum(staff["oin"].to_numpy(), self.window)
        hi = np.minimum(staff["oout"].to_numpy(), self.export + 1)
        span = np.maximum(0, hi - lo)
        count = rng.poisson(span / YEAR * 1.6)
        idx = np.repeat(np.arange(staff.height), count)
        begin = self.cal.snap(self.uniform_days(lo[idx], hi[idx]))
        long = rng.random(idx.size) < 0.12
        length = np.where(long, rng.integers(20, 200, idx.size), rng.integers(1, 11, idx.size))
        until = begin + length - 1
        pct = np.where(long & (rng.random(idx.size) < 0.25), 50, 100)
        return (
            pl.DataFrame({"w": idx, "begin": begin, "until": until, "pct": pct})
            .filter(pl.col("begin") <= self.export)
            .sort("w", "begin")
            .filter((pl.col("begin") > pl.col("until").shift(1).over("w")).fill_null(True))
            .select(
                _id("w", "W", 6).alias("medewerker_id"),
                pl.col("begin").cast(pl.Date).alias("ziek_vanaf"),
                pl.when(pl.col("until") > self.export)
                .then(None)
                .otherwise(pl.col("until"))
                .cast(pl.Date)
                .alias("ziek_tot"),
                pl.col("pct").alias("percentage"),
            )
        )

    def caseloadgesprekken(self) -> pl.DataFrame:
        rng = self.rng
        staff = self.staff_frame.with_row_index("row")
        workers = staff.filter(pl.col("functie") < 2)
        pb = staff.filter(pl.col("functie") == 2).select("team", pb="w")
        workers = workers.join(pb, on="team", how="left").sort("w")
        lo = np.maximum(workers["oin"].to_numpy(), self.window) + rng.integers(
            30, 91, workers.height
        )
        hi = np.minimum(workers["oout"].to_numpy(), self.export + 1)
        count = np.maximum(0, (hi - lo) // 91 + 1)
        idx = np.repeat(np.arange(workers.height), count)
        k = _group_position(count)
        day = self.cal.snap(lo[idx] + k * 91 + rng.integers(-10, 35, idx.size))
        ok = (day < hi[idx]) & (day <= self.export)
        w = workers["w"].to_numpy()[idx[ok]]
        pbs = workers["pb"].to_numpy()[idx[ok]]
        return (
            pl.DataFrame({"w": w, "pb": pbs, "day": day[ok]})
            .sort("day", "w")
            .select(
                _id("w", "W", 6).alias("medewerker_id"),
                _id("pb", "W", 6).alias("begeleider_id"),
                pl.col("day").cast(pl.Date).alias("datum"),
            )
        )

    def formatie(self) -> pl.DataFrame:
        months = []
        day = WINDOW.replace(day=1)
        while day <= EXPORT:
            months.append((f"{day.year}-{day.month:02d}", _day(day.replace(day=15))))
            day = (day + dt.timedelta(days=32)).replace(day=1)
        month_frame = pl.DataFrame(months, schema=["maand", "mid"], orient="row")
        staff = self.staff_frame.select("team", "fte", "oin", "oout")
        bezetting = (
            staff.join(month_frame, how="cross")
            .filter((pl.col("oin") <= pl.col("mid")) & (pl.col("oout") > pl.col("mid")))
            .group_by("team", "maand")
            .agg(pl.col("fte").sum())
            .sort("team", "maand")
        )
        factor = self.rng.uniform(1.0, 1.1, bezetting.height)
        return bezetting.select(
            _code("team", tuple(t[0] for t in self.teams)).alias("team_id"),
            "maand",
            (pl.col("fte") * pl.Series(factor)).round(1).alias("formatie_fte"),
        )

    def teams_frame(self) -> pl.DataFrame:
        return pl.DataFrame(
            {
                "team_id": [t[0] for t in self.teams],
                "naam": [t[1] for t in self.teams],
                "regio": [t[2] for t in self.teams],
                "soort": [TEAM_SOORTEN[t[3]] for t in self.teams],
            }
        )

    def run(self, out: Path) -> dt.date:
        out.mkdir(parents=True, exist_ok=True)
        self.organisation()
        self.segments()
        self.staff()
        toew = self.toewijzingen()
        maatregelen, jeugdigen = self.maatregelen()
        frames = {
            "teams": self.teams_frame(),
            "medewerkers": self.medewerkers(),
            "jeugdigen": jeugdigen,
            "maatregelen": maatregelen,
            "toewijzingen": toew.select(
                _id("m", "M", 7).alias("maatregel_id"),
                _id("w", "W", 6).alias("medewerker_id"),
                _code("team", tuple(t[0] for t in self.teams)).alias("team_id"),
                _code("rol", ("jeugdzorgwerker", "contactpersoon")).alias("rol"),
                pl.col("vanaf").cast(pl.Date),
                _date("tot"),
            ),
            "plannen": self.plans(),
            "risicotaxaties": self.taxaties(),
            "hulp": self.hulp(),
            "verzuim": self.verzuim(),
            "caseloadgesprekken": self.caseloadgesprekken(),
            "formatie": self.formatie(),
        }
        frames["contacten"] = self.contacts(toew)
        for spec in FILES:
            frames[spec.name].select(spec.column_names).write_csv(out / f"{spec.name}.csv")
        return EXPORT


def generate(seed: int, out: Path, size: float = 1.0) -> dt.date:
    """Write the national demo export into `out`; `size` scales the country (1.0: full size)."""
    return NationalGenerator(seed, size).run(out)
