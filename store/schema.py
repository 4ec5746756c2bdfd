"""The database tables: one per contract file, plus the load log and the rejected rows.

Tables and columns carry the contract's names. There are no foreign keys: the loader checks
every reference itself and replaces all data tables at once, so the order of inserts is free.
"""

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    false,
)

metadata = MetaData()

teams = Table(
    "teams",
    metadata,
    Column("team_id", String, primary_key=True),
    Column("naam", String, nullable=False),
    Column("regio", String, nullable=False),
    Column("soort", String, nullable=False),
)

medewerkers = Table(
    "medewerkers",
    metadata,
    Column("medewerker_id", String, primary_key=True),
    Column("naam", String, nullable=False),
    Column("functie", String, nullable=False),
    Column("team_id", String, nullable=False),
    Column("fte", Float, nullable=False),
    Column("in_dienst", Date, nullable=False),
    Column("uit_dienst", Date),
    Column("dienstverband", String),
    Column("begeleider_id", String),
    Column("vog_datum", Date),
    Column("skj_geldig_tot", Date),
    Column("diploma_in_dossier", Boolean),
    Column("email", String),
    Index("ix_medewerkers_team_id", "team_id"),
)

formatie = Table(
    "formatie",
    metadata,
    Column("team_id", String, primary_key=True),
    Column("maand", String, primary_key=True),
    Column("formatie_fte", Float, nullable=False),
)

# Rows without an identifier in the contract get `id` = their line number in the export,
# so that loading the same export twice gives identical rows.
verzuim = Table(
    "verzuim",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("medewerker_id", String, nullable=False),
    Column("ziek_vanaf", Date, nullable=False),
    Column("ziek_tot", Date),
    Column("percentage", Float, nullable=False),
    Index("ix_verzuim_medewerker_id", "medewerker_id"),
)

jeugdigen = Table(
    "jeugdigen",
    metadata,
    Column("jeugdige_id", String, primary_key=True),
    Column("geboortedatum", Date, nullable=False),
    Column("gemeente", String),
    Column("gezin_id", String),
)

maatregelen = Table(
    "maatregelen",
    metadata,
    Column("maatregel_id", String, primary_key=True),
    Column("jeugdige_id", String, nullable=False),
    Column("soort", String, nullable=False),
    Column("subsoort", String),
    Column("uitspraak", Date, nullable=False),
    Column("start", Date, nullable=False),
    Column("einde_gepland", Date),
    Column("einde", Date),
    Index("ix_maatregelen_jeugdige_id", "jeugdige_id"),
)

toewijzingen = Table(
    "toewijzingen",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("maatregel_id", String, nullable=False),
    Column("medewerker_id", String, nullable=False),
    Column("team_id", String, nullable=False),
    Column("rol", String, nullable=False),
    Column("vanaf", Date, nullable=False),
    Column("tot", Date),
    Index("ix_toewijzingen_maatregel_id", "maatregel_id"),
    Index("ix_toewijzingen_medewerker_id", "medewerker_id"),
    Index("ix_toewijzingen_team_id", "team_id"),
)

contacten = Table(
    "contacten",
    metadata,
    Column("contact_id", String, primary_key=True),
    Column("maatregel_id", String, nullable=False),
    Column("medewerker_id", String, nullable=False),
    Column("datum", Date, nullable=False),
    Column("vorm", String, nullable=False),
    Column("met", String, nullable=False),
    Column("jeugdige_alleen_gezien", Boolean),
    Index("ix_contacten_maatregel_id", "maatregel_id"),
    Index("ix_contacten_medewerker_id", "medewerker_id"),
)

plannen = Table(
    "plannen",
    metadata,
    Column("plan_id", String, primary_key=True),
    Column("maatregel_id", String, nullable=False),
    Column("soort", String, nullable=False),
    Column("vastgesteld", Date, nullable=False),
    Column("met_jeugdige_besproken", Boolean),
    Column("met_ouders_besproken", Boolean),
    Index("ix_plannen_maatregel_id", "maatregel_id"),
)

risicotaxaties = Table(
    "risicotaxaties",
    metadata,
    Column("taxatie_id", String, primary_key=True),
    Column("maatregel_id", String, nullable=False),
    Column("instrument", String, nullable=False),
    Column("datum", Date, nullable=False),
    Column("aanleiding", String),
    Index("ix_risicotaxaties_maatregel_id", "maatregel_id"),
)

hulp = Table(
    "hulp",
    metadata,
    Column("hulp_id", String, primary_key=True),
    Column("maatregel_id", String, nullable=False),
    Column("soort", String),
    Column("aangevraagd", Date, nullable=False),
    Column("gestart", Date),
    Index("ix_hulp_maatregel_id", "maatregel_id"),
)

caseloadgesprekken = Table(
    "caseloadgesprekken",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("medewerker_id", String, nullable=False),
    Column("begeleider_id", String, nullable=False),
    Column("datum", Date, nullable=False),
    Index("ix_caseloadgesprekken_medewerker_id", "medewerker_id"),
)

etl_runs = Table(
    "etl_runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source", Text, nullable=False),
    Column("export_date", Date),
    Column("started", DateTime, nullable=False),
    Column("finished", DateTime),
    # 'geslaagd': all rows loaded; 'gedeeltelijk': loaded, some rows rejected;
    # 'mislukt': nothing changed.
    Column("status", Text, nullable=False),
    Column("rows_per_file", Text),
    Column("rows_rejected", Integer, nullable=False, default=0),
    Column("message", Text),
    # Only `python -m etl demo` sets it; demo mode exists while every loaded run is a demo.
    Column("demo", Boolean, nullable=False, server_default=false()),
)

afgewezen_rijen = Table(
    "afgewezen_rijen",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("run_id", Integer, nullable=False),
    Column("bestand", Text, nullable=False),
    Column("regel", Integer, nullable=False),
    Column("kolom", Text),
    Column("waarde", Text),
    Column("reden", Text, nullable=False),
    # 'afgewezen': the row was not loaded; 'waarde_weggelaten': the row was loaded without the
    # value in `kolom` (a dangling optional link). Migration 0003.
    Column("gevolg", Text, nullable=False, server_default="afgewezen"),
    Index("ix_afgewezen_rijen_run_id", "run_id"),
)

# The codes a contact's vorm and met may have (data contract); the loader refuses others and
# the queries hold them as enums.
CONTACT_VORMEN = ("face-to-face", "telefonisch", "video", "app", "mail", "brief")
CONTACT_MET = ("jeugdige", "ouder", "jeugdige_en_ouder", "netwerk", "ketenpartner")

# The roles an account can have (gebruikers.rol); queries/scope.py says what each may see.
ROLES = (
    "jeugdzorgwerker",
    "praktijkbegeleider",
    "gedragswetenschapper",
    "teammanager",
    "manager",
    "beheerder",
)

# Accounts and the audit trail belong to the application, not to an export: loads never touch
# them. An account without a password hash can only sign in through single sign-on.
gebruikers = Table(
    "gebruikers",
    metadata,
    Column("gebruikersnaam", String, primary_key=True),
    Column("medewerker_id", String),
    Column("rol", String, nullable=False),
    Column("wachtwoord_hash", Text),
    Column("demo", Boolean, nullable=False, default=False),
    Column("actief", Boolean, nullable=False, default=True),
    Column("aangemaakt", DateTime, nullable=False),
    Column("mislukte_pogingen", Integer, nullable=False, default=0),
    Column("geblokkeerd_tot", DateTime),
    Column("laatst_ingelogd", DateTime),
    Index("ix_gebruikers_medewerker_id", "medewerker_id"),
)

# Append-only for the application: database triggers refuse UPDATE and DELETE (migration 0002).
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("tijdstip", DateTime, nullable=False),
    Column("gebruikersnaam", String),
    Column("rol", String),
    Column("medewerker_id", String),
    Column("actie", String, nullable=False),
    Column("onderwerp", Text),
    Column("details", Text),
    # Repeats of one anonymous request folded into one row (migration 0004).
    Column("aantal", Integer),
    # HMAC-SHA256 over this row and the previous row's hmac, keyed outside the database.
    Column("hmac", String),
    Index("ix_audit_log_tijdstip", "tijdstip"),
)

# Server-side sessions: the cookie carries a random token whose SHA-256 is `id`, so a session
# ends for every worker at once (logout, idle, lifetime, account disabled).
sessies = Table(
    "sessies",
    metadata,
    Column("id", String, primary_key=True),
    Column("gebruikersnaam", String, nullable=False),
    Column("aangemaakt", DateTime, nullable=False),
    Column("laatst_gezien", DateTime, nullable=False),
    Column("verloopt", DateTime, nullable=False),
    Column("beeindigd", DateTime),
    Column("reden", String),
    Index("ix_sessies_gebruikersnaam", "gebruikersnaam"),
)

# Transfer decisions (accept or reject a proposed new holder): the app's own, so a load never
# touches them. Append-only for the app: the latest row of a measure and receiver counts, the
# earlier ones are the history. Ids only, no names; `reden` is free text the page asks to keep
# free of names of children and parents. Migration 0005.
besluiten = Table(
    "besluiten",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("maatregel_id", String, nullable=False),
    Column("van_medewerker_id", String),
    Column("naar_medewerker_id", String, nullable=False),
    Column("naar_team_id", String, nullable=False),
    # 'afbouw', 'uitval' or 'niet_toegewezen': which question the proposal answered.
    Column("soort", String, nullable=False),
    # 'geaccepteerd' or 'afgewezen'.
    Column("besluit", String, nullable=False),
    Column("reden", Text),
    # gebruikersnaam of the account that decided.
    Column("besloten_door", String, nullable=False),
    # The peildatum the proposal was made for.
    Column("besloten_op", Date, nullable=False),
    Column("tijdstip", DateTime, nullable=False),
    Index("ix_besluiten_maatregel_id", "maatregel_id"),
)

# The follow-up of issue 11, all the app's own data (migration 0006): a load never touches
# these tables, and they hold ids only; free text fields ask on screen for no names of children
# or parents.

# A person's choice of deadline mail: 'automatisch' (the default when absent), 'wekelijks', 'uit'.
mail_instellingen = Table(
    "mail_instellingen",
    metadata,
    Column("medewerker_id", String, primary_key=True),
    Column("cadans", String, nullable=False),
    Column("gewijzigd_door", String, nullable=False),
    Column("tijdstip", DateTime, nullable=False),
)

# One row per mail attempt: a person with a 'verzonden' row for a day gets nothing more that
# day; one whose latest attempt 'mislukt' is in the next run whatever the cadence.
mail_verzendingen = Table(
    "mail_verzendingen",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("medewerker_id", String, nullable=False),
    # 'medewerker' (own deadlines) or 'begeleider' (the workers one guides).
    Column("soort", String, nullable=False),
    Column("peildatum", Date, nullable=False),
    Column("status", String, nullable=False),
    Column("fout", Text),
    Column("tijdstip", DateTime, nullable=False),
    Index("ix_mail_verzendingen_medewerker_id", "medewerker_id", "peildatum"),
)

# A personal calendar feed: the URL carries a random token whose SHA-256 is token_hash. Renewing
# revokes the previous one; disabling the account revokes it too.
agenda_tokens = Table(
    "agenda_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token_hash", String, nullable=False, unique=True),
    Column("gebruikersnaam", String, nullable=False),
    Column("medewerker_id", String, nullable=False),
    Column("aangemaakt", DateTime, nullable=False),
    Column("ingetrokken", DateTime),
    Column("reden", String),
    Index("ix_agenda_tokens_gebruikersnaam", "gebruikersnaam"),
)

# A caseloadgesprek recorded in the app; it meets the person norm like an exported row.
gesprekken = Table(
    "gesprekken",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("medewerker_id", String, nullable=False),
    # The praktijkbegeleider's medewerker_id, when the account has one.
    Column("begeleider_id", String),
    Column("datum", Date, nullable=False),
    Column("notitie", Text),
    Column("vastgelegd_door", String, nullable=False),
    Column("tijdstip", DateTime, nullable=False),
    Index("ix_gesprekken_medewerker_id", "medewerker_id"),
)

gesprek_notities = Table(
    "gesprek_notities",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("gesprek_id", Integer, nullable=False),
    Column("maatregel_id", String, nullable=False),
    Column("notitie", Text, nullable=False),
    Index("ix_gesprek_notities_gesprek_id", "gesprek_id"),
)

# What was agreed in a talk: owned by a medewerker, due on deadline, open until afgerond_op.
afspraken = Table(
    "afspraken",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("gesprek_id", Integer, nullable=False),
    Column("medewerker_id", String, nullable=False),
    Column("maatregel_id", String),
    Column("omschrijving", Text, nullable=False),
    Column("deadline", Date, nullable=False),
    Column("afgerond_op", Date),
    Column("afgerond_door", String),
    Column("tijdstip", DateTime, nullable=False),
    Index("ix_afspraken_medewerker_id", "medewerker_id"),
    Index("ix_afspraken_gesprek_id", "gesprek_id"),
)

# A Voortgangsrapportage as MT vastgesteld it: the files and the Samenvatting frozen, so the
# version sent in January still reads the same in March whatever loads came since.
rapport_versies = Table(
    "rapport_versies",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("peildatum", Date, nullable=False),
    # The report's URL parameters (cohort, trend vanaf, regio) as JSON.
    Column("instellingen", Text, nullable=False),
    # Toelichting per section as JSON {section: text}.
    Column("toelichting", Text, nullable=False),
    # The Samenvatting's figures as JSON {key: value}, at their decimals.
    Column("samenvatting", Text, nullable=False),
    Column("pdf", LargeBinary, nullable=False),
    Column("xlsx", LargeBinary, nullable=False),
    Column("load_id", Integer),
    Column("vastgesteld_door", String, nullable=False),
    Column("tijdstip", DateTime, nullable=False),
)

# What a load prepares once for every worker (queries/voorbereiding.py): named Arrow IPC frames
# of one load, written in its transaction; the latest two loads keep theirs. Migration 0007.
voorbereide_data = Table(
    "voorbereide_data",
    metadata,
    Column("run_id", Integer, primary_key=True),
    Column("naam", String, primary_key=True),
    Column("data", LargeBinary, nullable=False),
)

# In load order: every table's references point to tables earlier in the list.
DATA_TABLES: tuple[Table, ...] = (
    teams,
    jeugdigen,
    medewerkers,
    formatie,
    verzuim,
    caseloadgesprekken,
    maatregelen,
    toewijzingen,
    contacten,
    plannen,
    risicotaxaties,
    hulp,
)
