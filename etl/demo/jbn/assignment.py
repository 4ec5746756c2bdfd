"""Assignment: who of a team's jeugdzorgwerkers holds each measure, and from when to when."""

import datetime as dt

from etl.demo.common import DAY
from etl.demo.jbn.model import JZW, Organisation, Worker
from etl.demo.jbn.targets import EXPORT, HISTORY, PEIL, RECENT, UNASSIGNED

# On one day, segments end before people leave before segments start.
SEGMENT_ENDS, WORKER_LEAVES, SEGMENT_STARTS = 0, 1, 2


def assign(org: Organisation) -> None:
    """Give every segment of every measure its holders, team by team."""
    by_team: dict[str, list] = {}
    for m in org.measures:
        for team, rol, vanaf, tot in m.segments:
            by_team.setdefault(team, []).append((m, rol, vanaf, tot))
    unassigned = UNASSIGNED
    for team in sorted(by_team):
        workers = [w for w in org.workers if w.team == team and w.functie in JZW]
        history = _TeamHistory(org, team, by_team[team], workers, unassigned)
        history.walk()
        unassigned = history.unassigned
    for m in org.measures:
        m.holdings.sort(key=lambda h: h[3])


class _TeamHistory:
    """Walk through the team's history: each new segment goes to the colleague with the most
    room for their fte, and a leaver's caseload is handed over on their last day."""

    def __init__(self, org: Organisation, team: str, segs: list, workers: list, unassigned: int):
        self.org, self.team, self.segs, self.workers = org, team, segs, workers
        self.unassigned = unassigned  # leavers' measures still to leave without a holder on PEIL
        self.load: dict[int, set] = {j: set() for j in range(len(workers))}
        self.current: dict[int, list] = {}
        self.predecessors: dict[int, Worker] = {}

    def walk(self) -> None:
        for day, kind, x in self._events():
            if kind == SEGMENT_ENDS:
                self._end(x, day)
            elif kind == WORKER_LEAVES:
                self._hand_over(x, day)
            else:
                self._hold(x, self._choose(x, day), day)

    def _events(self) -> list[tuple]:
        events = []
        for i, (_, _, vanaf, tot) in enumerate(self.segs):
            events.append((vanaf, SEGMENT_STARTS, i))
            if tot is not None:
                events.append((tot, SEGMENT_ENDS, i))
        for j, w in enumerate(self.workers):
            if w.uit is not None:
                events.append((w.uit, WORKER_LEAVES, j))
        return sorted(events)

    def _choose(self, i: int, day: dt.date, exclude: int | None = None) -> int:
        workers, load, rng = self.workers, self.load, self.org.rng
        m = self.segs[i][0]
        ref = max(day, HISTORY)
        wanted = "jeugdreclasseerder" if m.soort == "JR" else "jeugdbeschermer"
        serving = [j for j, w in enumerate(workers) if j != exclude and w.serves(ref)]
        matching = [j for j in serving if workers[j].functie == wanted] or serving
        # Before HISTORY only today's staff are known; prefer those already hired then.
        matching = [j for j in matching if workers[j].in_dienst <= day] or matching
        if not matching:
            raise RuntimeError(f"geen medewerker in {self.team} op {ref}")
        return min(
            matching,
            key=lambda j: len(load[j]) / (workers[j].fte * workers[j].factor) + rng.random() * 0.3,
        )

    def _hold(self, i: int, j: int, vanaf: dt.date) -> None:
        m, rol = self.segs[i][0], self.segs[i][1]
        worker = self.workers[j]
        if vanaf < worker.in_dienst:
            # Held since before this colleague came: by the one they succeeded.
            m.holdings.append([self._predecessor(j), self.team, rol, vanaf, worker.in_dienst])
            vanaf = worker.in_dienst
        holding = [worker, self.team, rol, vanaf, None]
        m.holdings.append(holding)
        self.current[i] = holding
        self.load[j].add(i)

    def _predecessor(self, j: int) -> Worker:
        if j not in self.predecessors:
            worker = self.workers[j]
            hired = dt.date(2004, 1, 1) + self.org.rng.randint(0, 2000) * DAY
            predecessor = Worker(worker.functie, self.team, worker.fte, hired)
            predecessor.uit = worker.in_dienst
            self.org.workers.append(predecessor)
            self.predecessors[j] = predecessor
        return self.predecessors[j]

    def _end(self, i: int, day: dt.date) -> None:
        holding = self.current.pop(i, None)
        if holding is not None:
            holding[4] = day
            self.load[self.workers.index(holding[0])].discard(i)

    def _hand_over(self, x: int, day: dt.date) -> None:
        """Worker `x` leaves: each of their measures goes to a colleague the same day, except
        a few that wait for a new holder until just after the peildatum."""
        for i in sorted(self.load[x]):
            self.current[i][4] = day
            j = self._choose(i, day, exclude=x)
            vanaf = day
            if self._waits(i, day):
                self.unassigned -= 1
                vanaf = self.org.wd.draw(self.org.rng, PEIL + 2 * DAY, PEIL + 10 * DAY)
            self._hold(i, j, vanaf)
        self.load[x] = set()

    def _waits(self, i: int, day: dt.date) -> bool:
        m, tot = self.segs[i][0], self.segs[i][3]
        return bool(
            self.unassigned
            and dt.date(2026, 1, 1) <= day <= PEIL
            and m.start < RECENT
            and self.org.team_kind[self.team] == "regulier"
            and (tot is None or tot > EXPORT)
        )
