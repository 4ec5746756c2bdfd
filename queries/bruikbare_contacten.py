"""The contacts a norm can use: for a first contact, for seeing the child (zicht) and for the
voogdij contacts. A load keeps only these for the queries (queries.voorbereiding)."""

import hashlib

import polars as pl

from queries.config import Config
from queries.snapshot import VOOGDIJ_SOORTEN, Snapshot

# Seeing the child: a contact with only a parent is not seeing the child.
GEZIEN_VORM = "face-to-face"
GEZIEN_MET = ("jeugdige", "jeugdige_en_ouder")


def norm_sleutel(config: Config) -> str:
    """What the cut depends on, as text: the settings that pick contacts."""
    picked = (config.eerste_contact_vormen, config.eerste_contact_met, config.voogdij_contact_met)
    return hashlib.sha256(repr(picked).encode()).hexdigest()[:16]


def bruikbaar(contacten: pl.DataFrame, maatregelen: pl.DataFrame, config: Config) -> pl.DataFrame:
    """The contacts some norm of config can use, every column kept."""
    vorm, met = pl.col("vorm"), pl.col("met")
    voogdij = maatregelen.filter(pl.col("soort").is_in(VOOGDIJ_SOORTEN)).select("maatregel_id")
    return contacten.filter(
        (vorm.is_in(config.eerste_contact_vormen) & met.is_in(config.eerste_contact_met))
        | ((vorm == GEZIEN_VORM) & met.is_in(GEZIEN_MET))
        | (
            met.is_in(config.voogdij_contact_met)
            & pl.col("maatregel_id").is_in(voogdij["maatregel_id"].implode())
        )
    )


def contacten(snap: Snapshot, config: Config) -> pl.DataFrame:
    """The snapshot's contacts fit for config's norms: the load's cut when it was made for these
    settings, else every contact of the load."""
    if snap.contacten_voor in (None, norm_sleutel(config)):
        return snap["contacten"]
    return snap.alle_contacten()
