"""The export's rows: every contract file as columns of strings, with its last details drawn."""

import datetime as dt

from etl.demo.common import DAY, JR_SUBSOORTEN, add_months, iso, ja_nee
from etl.demo.jbn import contacts, dossier, hr, people
from etl.demo.jbn.model import JZW, Child, Measure, Organisation
from etl.demo.jbn.targets import EXPORT, REGULAR_TEAMS, SPECIAL_TEAMS

COLUMNS = {
    "teams": ("team_id", "naam", "regio", "soort"),
    "medewerkers": (
        "medewerker_id", "naam", "functie", "team_id", "fte", "in_dienst", "uit_dienst",
        "dienstverband", "begeleider_id", "vog_datum", "skj_geldig_tot", "diploma_in_dossier",
        "email",
    ),
    "formatie": ("team_id", "maand", "formatie_fte"),
    "verzuim": ("medewerker_id", "ziek_vanaf", "ziek_tot", "percentage"),
    "jeugdigen": ("jeugdige_id", "geboortedatum", "gemeente", "gezin_id"),
    "maatregelen": (
        "maatregel_id", "jeugdige_id", "soort", "subsoort", "uitspraak", "start",
        "einde_gepland", "einde",
    ),
    "toewijzingen": ("maatregel_id", "medewerker_id", "team_id", "rol", "vanaf", "tot"),
    "contacten": (
        "contact_id", "maatregel_id", "medewerker_id", "datum", "vorm", "met",
        "jeugdige_alleen_gezien",
    ),
    "plannen": (
        "plan_id", "maatregel_id", "soort", "vastgesteld", "met_jeugdige_besproken",
        "met_ouders_besproken",
    ),
    "risicotaxaties": ("taxatie_id", "maatregel_id", "instrument", "datum", "aanleiding"),
    "hulp": ("hulp_id", "maatregel_id", "soort", "aangevraagd", "gestart"),
    "caseloadgesprekken": ("medewerker_id", "begeleider_id", "datum"),
}  # fmt: skip


def build(org: Organisation) -> dict[str, dict[str, list]]:
    """Every file of the export as {column: values}."""
    attrs = people.describe_workers(org)
    _number_measures(org)
    # The files are made in this order because they draw from the same random streams.
    rows = {
        "teams": _teams(),
        "medewerkers": _medewerkers(org, attrs),
        "formatie": hr.formatie(org),
        "verzuim": [(w.mid, iso(a), iso(b), str(p)) for w, a, b, p in hr.verzuim(org)],
        "jeugdigen": _jeugdigen(org),
        "maatregelen": _maatregelen(org),
        "toewijzingen": _toewijzingen(org),
        "contacten": _contacten(org),
        "plannen": _plannen(org),
        "risicotaxaties": _risicotaxaties(org),
        "hulp": _hulp(org),
        "caseloadgesprekken": [(w.mid, b.mid, iso(d)) for w, b, d in hr.caseloadgesprekken(org)],
    }
    return {
        name: {c: [r[i] for r in rows[name]] for i, c in enumerate(columns)}
        for name, columns in COLUMNS.items()
    }


def _number_measures(org: Organisation) -> None:
    for year in sorted({m.start.year for m in org.measures}):
        for n, m in enumerate(m for m in org.measures if m.start.year == year):
            m.mid = f"M{year}-{n + 1:04d}"


def _teams() -> list[tuple]:
    regular = [(tid, naam, r, "regulier") for r, ts in REGULAR_TEAMS.items() for tid, naam in ts]
    return regular + list(SPECIAL_TEAMS)


def _medewerkers(org: Organisation, attrs: dict) -> list[tuple]:
    rows = []
    for w in org.workers:
        naam, dienst, vog, skj, diploma = attrs[w]
        begeleider = org.pb[w.team].mid if w.functie in JZW else None
        rows.append(
            (w.mid, naam, w.functie, w.team, f"{w.fte:.2f}", iso(w.in_dienst), iso(w.uit),
             dienst, begeleider, iso(vog), iso(skj), ja_nee(diploma), people.email(org, w))
        )  # fmt: skip
    return rows


def _child(m: Measure) -> Child:
    # measures.add_children gives every measure its child before the tables are built.
    assert m.child is not None
    return m.child


def _jeugdigen(org: Organisation) -> list[tuple]:
    children = sorted({id(m.child): _child(m) for m in org.measures}.values(), key=lambda c: c.jid)
    gemeenten = people.gemeenten_of(org, children)
    gezin = people.families(org, children, gemeenten)
    return [(c.jid, iso(c.birth), gemeenten[c], gezin[c]) for c in children]


def _maatregelen(org: Organisation) -> list[tuple]:
    rows = []
    for m in org.measures:
        subsoort = None
        if m.soort == "JR":
            subsoort = org.rng.choices(JR_SUBSOORTEN, (70, 12, 8, 10))[0]
        rows.append(
            (m.mid, _child(m).jid, m.soort, subsoort, iso(m.uitspraak), iso(m.start),
             iso(_planned_end(org, m)), iso(m.einde))
        )  # fmt: skip
    return rows


def _planned_end(org: Organisation, m: Measure) -> dt.date | None:
    """The 18th birthday, three months on, or the end of the current term; often the einde."""
    if m.soort == "voogdij":
        return add_months(_child(m).birth, 216)
    if m.soort in ("VOTS", "voorlopige_voogdij"):
        return add_months(m.uitspraak, 3)
    period = 12 if m.soort == "OTS" else 6
    end = add_months(m.uitspraak, period)
    horizon = m.einde or EXPORT + DAY
    n = 1
    while end < horizon:
        n += 1
        end = add_months(m.uitspraak, period * n)
    if m.einde is not None and org.rng.random() < 0.6:
        return m.einde
    return end


def _toewijzingen(org: Organisation) -> list[tuple]:
    return [
        (m.mid, w.mid, team, rol, iso(vanaf), iso(tot))
        for m in org.measures
        for w, team, rol, vanaf, tot in m.holdings
    ]


def _contacten(org: Organisation) -> list[tuple]:
    return [
        (f"K{n + 1:07d}", m.mid, w.mid, iso(day), vorm, met, ja_nee(alone))
        for n, (m, w, day, vorm, met, alone) in enumerate(contacts.contacts(org))
    ]


def _plannen(org: Organisation) -> list[tuple]:
    rows = []
    for n, (m, soort, day) in enumerate(dossier.plans(org)):
        age = (day - m.child.birth).days / 365.25
        with_child = age >= 8 and org.rng.random() < 0.75
        rows.append(
            (f"PL{n + 1:06d}", m.mid, soort, iso(day), ja_nee(with_child),
             ja_nee(org.rng.random() < 0.85))
        )  # fmt: skip
    return rows


def _risicotaxaties(org: Organisation) -> list[tuple]:
    return [
        (f"RT{n + 1:06d}", m.mid, "LIJ" if m.soort == "JR" else "ARIJ", iso(d), reason)
        for n, (m, d, reason) in enumerate(dossier.taxaties(org))
    ]


def _hulp(org: Organisation) -> list[tuple]:
    return [
        (f"HU{n + 1:06d}", m.mid, soort, iso(a), iso(g))
        for n, (m, soort, a, g) in enumerate(dossier.hulp(org))
    ]
