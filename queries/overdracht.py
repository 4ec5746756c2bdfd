"""Transfer proposal: which CCP/CRT measures could go to which regular jeugdzorgwerkers now."""

from datetime import date

import polars as pl

from queries.config import Config
from queries.figuur import Figuur
from queries.scope import Viewer
from queries.snapshot import Snapshot
from queries.werktoedeling import voorstel


def transfer_proposal(
    snap: Snapshot, viewer: Viewer, as_of: date, config: Config, regio: str | None = None
) -> pl.DataFrame:
    """The afbouw proposal of queries.werktoedeling without the measures nobody may take, with
    the Afbouw page's column names (crt_sinds, dagen_in_crt)."""
    return (
        voorstel(snap, viewer, as_of, config, "afbouw", regio)
        .filter(pl.col("naar_medewerker_id").is_not_null())
        .rename({"sinds": "crt_sinds", "dagen": "dagen_in_crt"})
    )


FIGUREN = (
    Figuur("ruimte_voor", "Ruimte voor de overdracht", "voorraad", "aantal", 1,
           "Per voorgestelde overdracht: de ruimte onder de caseloadnorm (norm maal fte maal "
           "het beschikbare deel, min de gewogen caseload en eerdere regels van het voorstel) "
           "van de jeugdzorgwerker die hem zou krijgen, voor de overdracht."),
)  # fmt: skip
