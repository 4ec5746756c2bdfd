"""Transfer proposal: which CRT measures could go to which regular jeugdzorgwerkers now."""

import heapq
from datetime import date

import polars as pl

from queries.afbouw import known_toewijzingen, with_team_names
from queries.afbouw_projectie import crt_now, regular_room
from queries.config import Config
from queries.figuur import Figuur
from queries.scope import Viewer
from queries.snapshot import Snapshot
from queries.tijd_in_crt import crt_stays

_PROPOSAL_SCHEMA = {
    "maatregel_id": pl.String,
    "soort": pl.String,
    "regio": pl.String,
    "van_team_id": pl.String,
    "crt_sinds": pl.Date,
    "dagen_in_crt": pl.Int64,
    "gewicht": pl.Float64,
    "naar_medewerker_id": pl.String,
    "naar_naam": pl.String,
    "naar_team_id": pl.String,
    "ruimte_voor": pl.Float64,
    "ruimte_na": pl.Float64,
    "reden": pl.String,
}


def transfer_proposal(
    snap: Snapshot, viewer: Viewer, as_of: date, config: Config, regio: str | None = None
) -> pl.DataFrame:
    """Which CRT measures (with regio: of that region) could go to which regular
    jeugdzorgwerkers now; measures that fit nowhere within the norm are left out."""
    t = known_toewijzingen(snap, as_of)
    since = (
        crt_stays(t)
        .filter(pl.col("tot").is_null())
        .group_by("maatregel_id")
        .agg(pl.col("crt_sinds").max())
    )
    crt, workers = pl.collect_all(
        [
            crt_now(snap, viewer, as_of, config, regio)
            .join(since, on="maatregel_id", how="left")
            .sort("crt_sinds", "maatregel_id"),
            regular_room(snap, viewer, as_of, config, regio).filter(pl.col("ruimte") > 0),
        ]
    )
    # Greedy, longest in the CRT first, to the worker of the same region and function (JB to
    # jeugdbeschermers, JR to jeugdreclasseerders) with the most room, never past the norm:
    # a max-heap of room per (regio, functie), ties to the lowest medewerker_id.
    heaps: dict[tuple[str, str], list] = {}
    for w in workers.iter_rows(named=True):
        heaps.setdefault((w["regio"], w["functie"]), []).append(
            (-w["ruimte"], w["medewerker_id"], w["naam"], w["team_id"])
        )
    for h in heaps.values():
        heapq.heapify(h)
    rows = []
    for m in crt.iter_rows(named=True):
        functie = "jeugdreclasseerder" if m["soort"] == "JR" else "jeugdbeschermer"
        heap = heaps.get((m["regio"], functie))
        if not heap or -heap[0][0] < m["gewicht"]:
            continue
        room, mid, naam, team = heapq.heappop(heap)
        after = round(-room - m["gewicht"], 4)
        if after > 0:
            heapq.heappush(heap, (-after, mid, naam, team))
        days = (as_of - m["crt_sinds"]).days
        room_txt = f"{-room:.1f}".replace(".", ",")
        rows.append(
            {
                "maatregel_id": m["maatregel_id"],
                "soort": m["soort"],
                "regio": m["regio"],
                "van_team_id": m["team_id"],
                "crt_sinds": m["crt_sinds"],
                "dagen_in_crt": days,
                "gewicht": m["gewicht"],
                "naar_medewerker_id": mid,
                "naar_naam": naam,
                "naar_team_id": team,
                "ruimte_voor": round(-room, 4),
                "ruimte_na": after,
                "reden": f"{days} dagen in CRT; meeste ruimte in {m['regio']} ({room_txt})",
            }
        )
    proposal = pl.DataFrame(rows, schema=_PROPOSAL_SCHEMA, orient="row")
    return with_team_names(snap, proposal, "van_team_id", "naar_team_id")


_VOORSTEL = (
    "Per voorgestelde overdracht van een maatregel uit het CRT: de ruimte onder de "
    "caseloadnorm (norm min gewogen caseload) op de peildatum van de jeugdzorgwerker die hem "
    "zou krijgen"
)
FIGUREN = (
    Figuur("ruimte_voor", "Ruimte voor de overdracht", "voorraad", "aantal", 1,
           f"{_VOORSTEL}, voor de overdracht."),
    Figuur("ruimte_na", "Ruimte na de overdracht", "voorraad", "aantal", 1,
           f"{_VOORSTEL}, na de overdracht (min het gewicht van de maatregel)."),
)  # fmt: skip
