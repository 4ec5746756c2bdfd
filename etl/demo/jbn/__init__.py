"""The JBN demo: a GI like Jeugdbescherming Noord, calibrated to its February 2026 hertoets.

The population is designed, not searched for: the measures active on the peildatum, the
CCP/CRT stock per month end and every calibrated figure are fixed first, then the seeded RNG
fills in the details around them.
"""

import datetime as dt
from pathlib import Path

from etl.demo.common import (
    DAY,
    FIRST_NAMES,
    GEMEENTEN,
    JR_SUBSOORTEN,
    SURNAMES,
    add_months,
    iso,
    ja_nee,
    write_tables,
)
from etl.demo.jbn import assignment, contacts, dossier, episodes, hr, measures, staffing
from etl.demo.jbn.model import Child, Measure, Organisation, Worker
from etl.demo.jbn.targets import (
    EXPORT,
    REGULAR_TEAMS,
    SPECIAL_TEAMS,
)


class JbnGenerator(Organisation):
    """Builds the organisation step by step; `run` writes the export."""

    # ---------------------------------------------------------------- output
    def name_workers(self) -> dict[Worker, tuple]:
        rng = self.rng
        attrs = {}
        used = set()
        for n, w in enumerate(self.workers):
            w.mid = str(1001 + n)
            while True:
                naam = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
                if naam not in used:
                    used.add(naam)
                    break
            recent_hire = w.in_dienst >= dt.date(2024, 6, 1)
            if self.team_kind[w.team] == "CRT":
                dienst = rng.choices(("vast", "tijdelijk", "zzp"), (45, 25, 30))[0]
            elif recent_hire:
                dienst = rng.choices(("vast", "tijdelijk", "zzp"), (55, 38, 7))[0]
            else:
                dienst = rng.choices(("vast", "tijdelijk", "zzp"), (92, 3, 5))[0]
            if w.functie == "manager":
                dienst = "vast"
            roll = rng.random()
            if w.in_dienst >= dt.date(2023, 3, 5):
                vog = w.in_dienst - rng.randint(5, 60) * DAY
            elif roll < 0.08:
                vog = dt.date(2023, 3, 5) + rng.randint(0, 90) * DAY
            elif roll < 0.1:
                vog = dt.date(2022, 6, 1) + rng.randint(0, 270) * DAY
            else:
                vog = dt.date(2023, 6, 10) + rng.randint(0, 950) * DAY
            skj = None
            if w.functie not in ("teammanager", "manager"):
                roll = rng.random()
                if roll < 0.08:
                    skj = EXPORT + rng.randint(1, 90) * DAY
                elif roll < 0.1:
                    skj = EXPORT - rng.randint(1, 120) * DAY
                else:
                    skj = EXPORT + rng.randint(91, 1800) * DAY
            diploma = rng.random() > 0.04
            attrs[w] = (naam, dienst, vog, skj, diploma)
        return attrs

    def email(self, w: Worker) -> str | None:
        """A work address in a reserved domain; a few people have none on file."""
        return None if self.rng_extra.random() < 0.02 else f"m{w.mid}@jbn-demo.example"

    def families(self, children: list[Child], gemeenten: dict) -> dict[Child, str]:
        """A gezin_id per child: children of one gemeente whose first measures start within
        six weeks of each other are often siblings (up to three, JB and JR mixed)."""
        rng = self.rng_extra
        first = {c: min(m.start for m in c.measures) for c in children}
        order = sorted(children, key=lambda c: (gemeenten[c], first[c], c.jid))
        gezin, members, n = {}, [], 0
        for child in order:
            head = members[0] if members else None
            joins = (
                head is not None
                and len(members) < 3
                and gemeenten[head] == gemeenten[child]
                and (first[child] - first[head]).days <= 42
                and rng.random() < 0.35
            )
            if not joins:
                n += 1
                members = []
            members.append(child)
            gezin[child] = f"G{n:06d}"
        return gezin

    def tables(self) -> dict[str, dict[str, list]]:
        attrs = self.name_workers()
        for year in sorted({m.start.year for m in self.measures}):
            for n, m in enumerate(m for m in self.measures if m.start.year == year):
                m.mid = f"M{year}-{n + 1:04d}"
        t: dict[str, dict[str, list]] = {}

        def table(name, columns, rows):
            t[name] = {c: [r[i] for r in rows] for i, c in enumerate(columns)}

        teams = [(tid, naam, r, "regulier") for r, ts in REGULAR_TEAMS.items() for tid, naam in ts]
        table("teams", ("team_id", "naam", "regio", "soort"), teams + list(SPECIAL_TEAMS))
        med = []
        for w in self.workers:
            naam, dienst, vog, skj, diploma = attrs[w]
            begeleider = (
                self.pb[w.team].mid
                if w.functie in ("jeugdbeschermer", "jeugdreclasseerder")
                else None
            )
            med.append(
                (w.mid, naam, w.functie, w.team, f"{w.fte:.2f}", iso(w.in_dienst), iso(w.uit),
                 dienst, begeleider, iso(vog), iso(skj), ja_nee(diploma), self.email(w))
            )  # fmt: skip
        table(
            "medewerkers",
            ("medewerker_id", "naam", "functie", "team_id", "fte", "in_dienst", "uit_dienst",
             "dienstverband", "begeleider_id", "vog_datum", "skj_geldig_tot",
             "diploma_in_dossier", "email"),
            med,
        )  # fmt: skip
        table("formatie", ("team_id", "maand", "formatie_fte"), hr.formatie(self))
        table(
            "verzuim",
            ("medewerker_id", "ziek_vanaf", "ziek_tot", "percentage"),
            [(w.mid, iso(a), iso(b), str(p)) for w, a, b, p in hr.verzuim(self)],
        )
        children = sorted(
            {id(m.child): m.child for m in self.measures}.values(), key=lambda c: c.jid
        )
        gemeenten = {}
        for child in children:
            region = child.measures[0].region
            names, weights = zip(*GEMEENTEN[region], strict=True)
            gemeenten[child] = self.rng.choices(names, weights)[0]
        gezin = self.families(children, gemeenten)
        table(
            "jeugdigen",
            ("jeugdige_id", "geboortedatum", "gemeente", "gezin_id"),
            [(c.jid, iso(c.birth), gemeenten[c], gezin[c]) for c in children],
        )
        maatregelen = []
        for m in self.measures:
            subsoort = None
            if m.soort == "JR":
                subsoort = self.rng.choices(JR_SUBSOORTEN, (70, 12, 8, 10))[0]
            maatregelen.append(
                (m.mid, m.child.jid, m.soort, subsoort, iso(m.uitspraak), iso(m.start),
                 iso(self.planned_end(m)), iso(m.einde))
            )  # fmt: skip
        table(
            "maatregelen",
            ("maatregel_id", "jeugdige_id", "soort", "subsoort", "uitspraak", "start",
             "einde_gepland", "einde"),
            maatregelen,
        )  # fmt: skip
        toew = []
        for m in self.measures:
            for w, team, rol, vanaf, tot in m.holdings:
                toew.append((m.mid, w.mid, team, rol, iso(vanaf), iso(tot)))
        table("toewijzingen", ("maatregel_id", "medewerker_id", "team_id", "rol", "vanaf", "tot"),
              toew)  # fmt: skip
        contact_rows = [
            (f"K{n + 1:07d}", m.mid, w.mid, iso(day), vorm, met, ja_nee(alone))
            for n, (m, w, day, vorm, met, alone) in enumerate(contacts.contacts(self))
        ]
        table(
            "contacten",
            ("contact_id", "maatregel_id", "medewerker_id", "datum", "vorm", "met",
             "jeugdige_alleen_gezien"),
            contact_rows,
        )  # fmt: skip
        plan_rows = []
        for n, (m, soort, day) in enumerate(dossier.plans(self)):
            age = (day - m.child.birth).days / 365.25
            with_child = age >= 8 and self.rng.random() < 0.75
            plan_rows.append(
                (f"PL{n + 1:06d}", m.mid, soort, iso(day), ja_nee(with_child),
                 ja_nee(self.rng.random() < 0.85))
            )  # fmt: skip
        table(
            "plannen",
            ("plan_id", "maatregel_id", "soort", "vastgesteld", "met_jeugdige_besproken",
             "met_ouders_besproken"),
            plan_rows,
        )  # fmt: skip
        table(
            "risicotaxaties",
            ("taxatie_id", "maatregel_id", "instrument", "datum", "aanleiding"),
            [
                (f"RT{n + 1:06d}", m.mid, "LIJ" if m.soort == "JR" else "ARIJ", iso(d), reason)
                for n, (m, d, reason) in enumerate(dossier.taxaties(self))
            ],
        )
        table(
            "hulp",
            ("hulp_id", "maatregel_id", "soort", "aangevraagd", "gestart"),
            [
                (f"HU{n + 1:06d}", m.mid, soort, iso(a), iso(g))
                for n, (m, soort, a, g) in enumerate(dossier.hulp(self))
            ],
        )
        table(
            "caseloadgesprekken",
            ("medewerker_id", "begeleider_id", "datum"),
            [(w.mid, b.mid, iso(d)) for w, b, d in hr.caseloadgesprekken(self)],
        )
        return t

    def planned_end(self, m: Measure) -> dt.date | None:
        if m.soort == "voogdij":
            return add_months(m.child.birth, 216)
        if m.soort in ("VOTS", "voorlopige_voogdij"):
            return add_months(m.uitspraak, 3)
        period = 12 if m.soort == "OTS" else 6
        end = add_months(m.uitspraak, period)
        horizon = m.einde or EXPORT + DAY
        n = 1
        while end < horizon:
            n += 1
            end = add_months(m.uitspraak, period * n)
        if m.einde is not None and self.rng.random() < 0.6:
            return m.einde
        return end

    def run(self, out: Path) -> dt.date:
        measures.build(self)
        episodes.fit_special_teams(self)
        episodes.build_segments(self)
        staffing.staff(self)
        staffing.calibrate_fte(self)
        assignment.assign(self)
        contacts.first_contacts(self)
        measures.add_children(self)
        write_tables(out, self.tables())
        return EXPORT


def generate(seed: int, out: Path) -> dt.date:
    """Write the JBN demo export into `out`; returns its export date."""
    return JbnGenerator(seed).run(out)
