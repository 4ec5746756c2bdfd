"""What the generator builds: measures, children and workers, and the organisation holding them."""

import datetime as dt
import random
from dataclasses import dataclass, field

from etl.demo.common import Werkdagen
from etl.demo.jbn.targets import HISTORY, REGULAR_TEAMS, SPECIAL_TEAMS

JZW = ("jeugdbeschermer", "jeugdreclasseerder")  # the jeugdzorgwerkers, who hold measures


@dataclass(eq=False)
class Measure:
    """A maatregel in the making; `ep_*` is its one CCP/CRT episode, if any."""

    region: str
    soort: str
    start: dt.date
    einde: dt.date | None
    group: str  # old / recent (active on PEIL), ended (before PEIL), after (started after PEIL)
    uitspraak: dt.date = HISTORY
    team_reg: str = ""
    ep_team: str | None = None
    ep_vanaf: dt.date | None = None
    ep_tot: dt.date | None = None
    ep_exit: str | None = None
    segments: list = field(default_factory=list)
    holdings: list = field(default_factory=list)
    first_contact: dt.date | None = None
    plan: dt.date | None = None  # the first plan van aanpak, if any
    child: "Child | None" = None
    mid: str = ""

    def holder(self, day: dt.date) -> "Worker | None":
        """The worker holding the measure on `day`, if anyone does."""
        for w, _, _, vanaf, tot in self.holdings:
            if vanaf <= day and (tot is None or tot > day):
                return w
        return None

    def holding_team(self, day: dt.date) -> str | None:
        """The team holding the measure on `day`, if any."""
        for _, team, _, vanaf, tot in self.holdings:
            if vanaf <= day and (tot is None or tot > day):
                return team
        return None


@dataclass(eq=False)
class Child:
    measures: list
    birth: dt.date = HISTORY
    jid: str = ""


@dataclass(eq=False)
class Worker:
    functie: str
    team: str
    fte: float
    in_dienst: dt.date
    uit: dt.date | None = None
    factor: float = 1.0
    mid: str = ""

    def serves(self, day: dt.date) -> bool:
        return self.in_dienst <= day and (self.uit is None or self.uit > day)


class Organisation:
    """The JBN in the making: its random streams, werkdag calendar, teams, measures and staff."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        # Families and mail addresses draw from their own stream, so adding them left every
        # calibrated figure of the demo as it was.
        self.rng_extra = random.Random(f"extra-{seed}")
        # February's verzuim and the risicotaxaties were redesigned later; their own streams
        # leave the figures drawn before and beside them as they were.
        self.rng_verzuim = random.Random(f"verzuim-{seed}")
        self.rng_taxatie = random.Random(f"taxatie-{seed}")
        self.wd = Werkdagen(dt.date(2005, 1, 1), dt.date(2027, 12, 31))
        self.measures: list[Measure] = []
        self.workers: list[Worker] = []
        self.regular = tuple(t for teams in REGULAR_TEAMS.values() for t, _ in teams)
        self.team_region = {t: r for r, teams in REGULAR_TEAMS.items() for t, _ in teams}
        self.team_region |= {t: r for t, _, r, _ in SPECIAL_TEAMS}
        self.team_kind = {t: "regulier" for t in self.regular}
        self.team_kind |= {t: k for t, _, _, k in SPECIAL_TEAMS}
        self.pb: dict[str, Worker] = {}
