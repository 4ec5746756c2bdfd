"""The source data contract in code: files, columns, types, codes and references.

Mirrors docs/data-contract.md (the repository's copy of ../shared/data-contract.md). Every file
is required: a GI's export always has all twelve, so a missing one means a broken export, not an
organisation without (say) sick leave.
"""

from dataclasses import dataclass, field

from store.schema import CONTACT_MET, CONTACT_VORMEN


@dataclass(frozen=True)
class Col:
    """One column of a contract file.

    kind: 'text' (identifiers and free text, kept as written), 'date', 'bool', 'float',
    'code' (one of `codes`, matched case-insensitively) or 'month' (YYYY-MM).
    """

    name: str
    kind: str = "text"
    required: bool = False
    codes: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    minimum_exclusive: bool = False
    default: float | None = None
    # Dates that look ahead by nature (a planned end, a registration's expiry) may lie after
    # the export date; every other date may not.
    future_allowed: bool = False


@dataclass(frozen=True)
class Ref:
    """`column` must name a loaded row of `target` (by its identifier).

    A dangling reference rejects the row, unless `drop_link`: then the row is loaded with the
    column empty and a notice says so. `noun` is what the messages call the referenced row.
    """

    column: str
    target: str
    drop_link: bool = False
    noun: str | None = None


@dataclass(frozen=True)
class FileSpec:
    name: str
    columns: tuple[Col, ...]
    # Columns that identify a row; a later row with the same values is a duplicate.
    key: tuple[str, ...] = ()
    refs: tuple[Ref, ...] = ()
    # (earlier, later): `later` may not be before `earlier`.
    date_order: tuple[tuple[str, str], ...] = ()
    # Periods of one `overlap_group` value may not overlap ([start, end), end empty = open).
    overlap: tuple[str, str, str] | None = None
    column_names: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "column_names", tuple(c.name for c in self.columns))

    def column(self, name: str) -> Col:
        return next(c for c in self.columns if c.name == name)

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)


TEAM_SOORTEN = ("regulier", "CCP", "CRT")
FUNCTIES = (
    "jeugdbeschermer",
    "jeugdreclasseerder",
    "praktijkbegeleider",
    "gedragswetenschapper",
    "teammanager",
    "manager",
)
DIENSTVERBANDEN = ("vast", "tijdelijk", "zzp")
MAATREGEL_SOORTEN = ("OTS", "VOTS", "voogdij", "voorlopige_voogdij", "JR")
ROLLEN = ("jeugdzorgwerker", "contactpersoon")
PLAN_SOORTEN = ("eerste", "evaluatie", "bijstelling")
INSTRUMENTEN = ("ARIJ", "LIJ")
AANLEIDINGEN = ("start", "kernbesluit", "evaluatie", "afsluiting", "terugmelding")

FILES: tuple[FileSpec, ...] = (
    FileSpec(
        "teams",
        (
            Col("team_id", required=True),
            Col("naam", required=True),
            Col("regio", required=True),
            Col("soort", "code", required=True, codes=TEAM_SOORTEN),
        ),
        key=("team_id",),
    ),
    FileSpec(
        "jeugdigen",
        (
            Col("jeugdige_id", required=True),
            Col("geboortedatum", "date", required=True),
            Col("gemeente"),
            Col("gezin_id"),
        ),
        key=("jeugdige_id",),
    ),
    FileSpec(
        "medewerkers",
        (
            Col("medewerker_id", required=True),
            Col("naam", required=True),
            Col("functie", "code", required=True, codes=FUNCTIES),
            Col("team_id", required=True),
            Col("fte", "float", required=True, minimum=0, maximum=1.5),
            Col("in_dienst", "date", required=True),
            # HR systems record a notice period's last day ahead; rejecting it would drop
            # the person and, by cascade, their whole caseload.
            Col("uit_dienst", "date", future_allowed=True),
            Col("dienstverband", "code", codes=DIENSTVERBANDEN),
            Col("begeleider_id"),
            Col("vog_datum", "date"),
            Col("skj_geldig_tot", "date", future_allowed=True),
            Col("diploma_in_dossier", "bool"),
            Col("email"),
        ),
        key=("medewerker_id",),
        # An optional link: one bad praktijkbegeleider row must not take a whole team's
        # caseload off the dashboard, so only the link goes.
        refs=(
            Ref("team_id", "teams"),
            Ref("begeleider_id", "medewerkers", drop_link=True, noun="praktijkbegeleider"),
        ),
        date_order=(("in_dienst", "uit_dienst"),),
    ),
    FileSpec(
        "formatie",
        (
            Col("team_id", required=True),
            Col("maand", "month", required=True),
            Col("formatie_fte", "float", required=True, minimum=0),
        ),
        key=("team_id", "maand"),
        refs=(Ref("team_id", "teams"),),
    ),
    FileSpec(
        "verzuim",
        (
            Col("medewerker_id", required=True),
            Col("ziek_vanaf", "date", required=True),
            Col("ziek_tot", "date", future_allowed=True),
            Col(
                "percentage",
                "float",
                minimum=0,
                minimum_exclusive=True,
                maximum=100,
                default=100.0,
            ),
        ),
        refs=(Ref("medewerker_id", "medewerkers"),),
        date_order=(("ziek_vanaf", "ziek_tot"),),
    ),
    FileSpec(
        "caseloadgesprekken",
        (
            Col("medewerker_id", required=True),
            Col("begeleider_id", required=True),
            Col("datum", "date", required=True),
        ),
        refs=(Ref("medewerker_id", "medewerkers"), Ref("begeleider_id", "medewerkers")),
    ),
    FileSpec(
        "maatregelen",
        (
            Col("maatregel_id", required=True),
            Col("jeugdige_id", required=True),
            Col("soort", "code", required=True, codes=MAATREGEL_SOORTEN),
            Col("subsoort"),
            Col("uitspraak", "date", required=True),
            Col("start", "date", required=True),
            Col("einde_gepland", "date", future_allowed=True),
            Col("einde", "date"),
        ),
        key=("maatregel_id",),
        refs=(Ref("jeugdige_id", "jeugdigen"),),
        date_order=(("start", "einde"),),
    ),
    FileSpec(
        "toewijzingen",
        (
            Col("maatregel_id", required=True),
            Col("medewerker_id", required=True),
            Col("team_id", required=True),
            Col("rol", "code", required=True, codes=ROLLEN),
            Col("vanaf", "date", required=True),
            Col("tot", "date"),
        ),
        refs=(
            Ref("maatregel_id", "maatregelen"),
            Ref("medewerker_id", "medewerkers"),
            Ref("team_id", "teams"),
        ),
        date_order=(("vanaf", "tot"),),
        overlap=("maatregel_id", "vanaf", "tot"),
    ),
    FileSpec(
        "contacten",
        (
            Col("contact_id", required=True),
            Col("maatregel_id", required=True),
            Col("medewerker_id", required=True),
            Col("datum", "date", required=True),
            Col("vorm", "code", required=True, codes=CONTACT_VORMEN),
            Col("met", "code", required=True, codes=CONTACT_MET),
            Col("jeugdige_alleen_gezien", "bool"),
        ),
        key=("contact_id",),
        refs=(Ref("maatregel_id", "maatregelen"), Ref("medewerker_id", "medewerkers")),
    ),
    FileSpec(
        "plannen",
        (
            Col("plan_id", required=True),
            Col("maatregel_id", required=True),
            Col("soort", "code", required=True, codes=PLAN_SOORTEN),
            Col("vastgesteld", "date", required=True),
            Col("met_jeugdige_besproken", "bool"),
            Col("met_ouders_besproken", "bool"),
        ),
        key=("plan_id",),
        refs=(Ref("maatregel_id", "maatregelen"),),
    ),
    FileSpec(
        "risicotaxaties",
        (
            Col("taxatie_id", required=True),
            Col("maatregel_id", required=True),
            Col("instrument", "code", required=True, codes=INSTRUMENTEN),
            Col("datum", "date", required=True),
            Col("aanleiding", "code", codes=AANLEIDINGEN),
        ),
        key=("taxatie_id",),
        refs=(Ref("maatregel_id", "maatregelen"),),
    ),
    FileSpec(
        "hulp",
        (
            Col("hulp_id", required=True),
            Col("maatregel_id", required=True),
            Col("soort"),
            Col("aangevraagd", "date", required=True),
            Col("gestart", "date"),
        ),
        key=("hulp_id",),
        refs=(Ref("maatregel_id", "maatregelen"),),
    ),
)

SPECS: dict[str, FileSpec] = {spec.name: spec for spec in FILES}


def identifier(file: str) -> str:
    """The single identifier column that other files refer to."""
    (key,) = SPECS[file].key
    return key
