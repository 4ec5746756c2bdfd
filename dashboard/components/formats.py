"""Dutch formats: dates, numbers, counts, deadlines and the words for the export's codes."""

import math
from datetime import date, datetime

NORM_LABELS = {
    "eerste_contact": "Eerste face-to-face contact",
    "plan_van_aanpak": "Plan van aanpak",
    "hulp_gestart": "Hulp gestart",
    "risicotaxatie": "RT-termijn",
    "plan_evaluatie": "Evaluatie plan van aanpak",
    "voogdij_contact": "Contact met jeugdige (voogdij)",
    "caseloadgesprek": "Caseloadgesprek",
    "vog": "VOG",
    "skj": "SKJ-registratie",
}
SOORT_LABELS = {
    "OTS": "OTS",
    "VOTS": "VOTS",
    "voogdij": "Voogdij",
    "voorlopige_voogdij": "Voorlopige voogdij",
    "JR": "Jeugdreclassering",
}
# A soort slicer with groups also offers every jeugdbescherming soort at once.
SOORT_GROUP_LABELS = {"JB": "Jeugdbescherming"}
TEAM_SOORT_LABELS = {"regulier": "Regulier", "CCP": "CCP", "CRT": "CRT"}
FUNCTIE_LABELS = {
    "jeugdbeschermer": "Jeugdbeschermer",
    "jeugdreclasseerder": "Jeugdreclasseerder",
    "praktijkbegeleider": "Praktijkbegeleider",
    "gedragswetenschapper": "Gedragswetenschapper",
    "teammanager": "Teammanager",
    "manager": "Manager",
}
DIENSTVERBAND_LABELS = {
    "vast": "Vast",
    "tijdelijk": "Tijdelijk",
    "zzp": "ZZP",
    "onbekend": "Onbekend",
}
# A viewer's role as a sentence names it ("ingelogd als praktijkbegeleider").
ROLE_LABELS = {
    "jeugdzorgwerker": "jeugdzorgwerker",
    "praktijkbegeleider": "praktijkbegeleider",
    "gedragswetenschapper": "gedragswetenschapper",
    "teammanager": "teammanager",
    "manager": "manager (MT)",
    "beheerder": "functioneel beheerder",
}


def capitalised(labels: dict[str, str]) -> dict[str, str]:
    """The labels as a table cell starts them: with a capital."""
    return {code: label[:1].upper() + label[1:] for code, label in labels.items()}


def fmt_date(value: date | datetime | None) -> str:
    """dd-mm-jjjj, or a dash when unknown."""
    if value is None:
        return "–"
    if isinstance(value, datetime):
        return value.strftime("%d-%m-%Y %H:%M")
    return value.strftime("%d-%m-%Y")


def fmt_number(value: float | int | None, decimals: int = 0) -> str:
    """Decimal comma and a dot between thousands; a dash when unknown."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def fmt_pct(value: float | None, decimals: int = 1) -> str:
    """A percentage such as 87,5%."""
    return "–" if value is None else f"{fmt_number(value, decimals)}%"


def plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if abs(n) == 1 else many}"


def urgency(status: str, werkdagen_tot: int | None, binnenkort: int) -> str:
    """Status key for colour: verlopen, binnenkort (open, at most `binnenkort` werkdagen left,
    config.binnenkort_werkdagen) or the status itself."""
    if status == "verlopen":
        return "verlopen"
    if status == "open" and werkdagen_tot is not None and werkdagen_tot <= binnenkort:
        return "binnenkort"
    return status
