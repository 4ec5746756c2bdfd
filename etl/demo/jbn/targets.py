"""The JBN's design: its dates, sizes, teams and every figure the demo is calibrated to."""

import datetime as dt
from typing import Literal

from etl.demo.common import add_months

EXPORT = dt.date(2026, 3, 4)
PEIL = dt.date(2026, 2, 15)
RECENT = dt.date(2025, 7, 1)
HISTORY = dt.date(2023, 1, 1)
CCP_START = dt.date(2023, 3, 1)
CRT_START = dt.date(2024, 2, 1)
YEAR_BEFORE = dt.date(2025, 2, 15)
TEAM_START = {"regulier": HISTORY, "CCP": CCP_START, "CRT": CRT_START}  # first staffed month

ACTIVE_OLD = 727  # active on PEIL, started before RECENT
RECENT_PER_MONTH: tuple[tuple[int, int, int], ...]
RECENT_PER_MONTH = ((2025, 7, 26), (2025, 8, 22), (2025, 9, 27), (2025, 10, 28), (2025, 11, 25))
RECENT_PER_MONTH += ((2025, 12, 22), (2026, 1, 27), (2026, 2, 18))  # 195 in all
ENDED = 1150  # measures that ended between HISTORY and PEIL
# Starts after the peildatum, per day: the late-February ones can still be open on the export date.
AFTER_PEIL = {(2, 16): 1, (2, 17): 1, (2, 18): 1, (2, 19): 1, (2, 23): 1, (2, 24): 1}
AFTER_PEIL |= {(2, 25): 2, (2, 26): 2, (2, 27): 1, (3, 2): 2, (3, 3): 2, (3, 4): 1}

REGULAR_TEAMS = {
    "Groningen": (("GRN-1", "Team Stad"), ("GRN-2", "Team Ommelanden")),
    "Drenthe": (("DRE-1", "Team Noord-Drenthe"), ("DRE-2", "Team Zuid-Drenthe")),
}
SPECIAL_TEAMS = (
    ("GRN-CCP", "CCP Groningen", "Groningen", "CCP"),
    ("DRE-CCP", "CCP Drenthe", "Drenthe", "CCP"),
    ("GRN-CRT", "Casus Regie Team Groningen", "Groningen", "CRT"),
    ("DRE-CRT", "Casus Regie Team Drenthe", "Drenthe", "CRT"),
)
# Stock per month end (and on PEIL): CCP from 2023, CRT from February 2024, peak, then afbouw.
# The four sum to 252 on 2025-09-30 and to 18 CCP + 161 CRT on PEIL.
STOCK_KEYS: dict[str, dict[tuple[int, int] | Literal["P"], int]] = {
    "GRN-CCP": {(2023, 3): 4, (2023, 12): 20, (2024, 12): 24, (2025, 6): 12, (2025, 9): 8,
                (2025, 10): 7, (2025, 11): 6, (2025, 12): 6, (2026, 1): 5, "P": 5, (2026, 2): 5},
    "DRE-CCP": {(2023, 3): 3, (2023, 12): 17, (2024, 12): 21, (2025, 6): 17, (2025, 9): 15,
                (2025, 10): 15, (2025, 11): 14, (2025, 12): 14, (2026, 1): 13, "P": 13,
                (2026, 2): 12},
    "GRN-CRT": {(2024, 2): 25, (2024, 12): 160, (2025, 3): 172, (2025, 6): 150, (2025, 9): 130,
                (2025, 10): 120, (2025, 11): 112, (2025, 12): 104, (2026, 1): 98, "P": 90,
                (2026, 2): 86},
    "DRE-CRT": {(2024, 2): 18, (2024, 12): 125, (2025, 3): 134, (2025, 6): 115, (2025, 9): 99,
                (2025, 10): 94, (2025, 11): 89, (2025, 12): 83, (2026, 1): 78, "P": 71,
                (2026, 2): 68},
}  # fmt: skip
# Mean calendar days from start to first face-to-face contact, per start month (shape only;
# March 2025 and February 2026 are calibrated exactly).
CONTACT_MEAN_KEYS = {(2005, 1): 11, (2023, 12): 11, (2024, 6): 16, (2024, 12): 17, (2025, 3): 15}
CONTACT_MEAN_KEYS |= {(2025, 7): 13, (2025, 10): 11, (2026, 1): 9, (2026, 2): 8, (2026, 3): 7}
# Measures per fte that regular-team staffing follows (caseloads eased after the sector deal).
LOAD_KEYS = {(2005, 1): 14.0, (2024, 6): 13.6, (2025, 2): 12.6, (2026, 2): 11.6, (2026, 3): 11.6}

TARGETS = {
    "plan_all": 0.37,
    "plan_recent": 0.63,
    "hulp": 2 / 3,
    "taxatie": 0.55,
    "contact_mean_2025_03": 15,
    "contact_mean_2026_02": 8,
    "contact_share_2026_02": 0.83,
    "fte_growth": 1.15,
}
# From this month on every team's bezetting at month end exceeds its formatie by a drawn
# factor in this range (gemeenten fund the staff above formatie).
ABOVE_FORMATIE = (dt.date(2026, 1, 1), (1.06, 1.13))
# Share of risicotaxaties followed by the next one within the instrument's term (ARIJ 3, LIJ
# 6 months), by the month of the earlier one: under 45% current in spring 2025, 55% on PEIL.
TAXATIE_ON_TIME = {(2005, 1): 0.15, (2024, 10): 0.15, (2026, 3): 0.85}
# February's verzuim per year: (Groningen, whole organisation).
VERZUIM = {2025: (0.205, 0.18), 2026: (0.15, 0.13)}
# Active measures without a holder on PEIL: part of a leaver's caseload, waiting for a new
# jeugdzorgwerker until just after the peildatum.
UNASSIGNED = 3


def _month_key(key) -> int:
    return key[0] * 12 + key[1] - 1


def interpolate(keys: dict, year: int, month: int) -> float | None:
    """Linear interpolation between (year, month) key points; None before the first one."""
    points = sorted((_month_key(k), v) for k, v in keys.items() if k != "P")
    x = year * 12 + month - 1
    if x < points[0][0]:
        return None
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        if x0 <= x <= x1:
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    return points[-1][1]


def months(first: dt.date, last: dt.date):
    """The first day of every month from `first`'s month up to `last`."""
    day = first.replace(day=1)
    while day <= last:
        yield day
        day = add_months(day, 1)
