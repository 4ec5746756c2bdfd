"""Dutch formats: dates, numbers, counts, deadlines and the names of norms and soorten."""

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


def countdown(status: str, werkdagen_tot: int | None, dagen_verlopen: int | None) -> str:
    """'nog 2 werkdagen', 'vandaag', '3 dagen verlopen'."""
    if status == "verlopen":
        return f"{plural(dagen_verlopen or 0, 'dag', 'dagen')} verlopen"
    if werkdagen_tot is None:
        return ""
    if werkdagen_tot <= 0:
        return "vandaag"
    return "nog " + plural(werkdagen_tot, "werkdag", "werkdagen")


def urgency(status: str, werkdagen_tot: int | None, binnenkort: int) -> str:
    """Status key for colour: verlopen, binnenkort (open, at most `binnenkort` werkdagen left,
    config.binnenkort_werkdagen) or the status itself."""
    if status == "verlopen":
        return "verlopen"
    if status == "open" and werkdagen_tot is not None and werkdagen_tot <= binnenkort:
        return "binnenkort"
    return status
