"""The organisation's norms and figure settings, read from one TOML file."""

import hashlib
import os
import tomllib
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path

DEFAULT_PATH = Path(__file__).with_name("norms.toml")


@dataclass(frozen=True)
class Config:
    extra_vrije_dagen: tuple[date, ...] = ()
    eerste_contact_werkdagen: int = 5
    eerste_contact_vormen: tuple[str, ...] = ("face-to-face",)
    eerste_contact_met: tuple[str, ...] = ("jeugdige", "ouder", "jeugdige_en_ouder")
    plan_weken: int = 6
    hulp_maanden: int = 3
    risicotaxatie_eerste_weken: int = 6
    # The chain follows each instrument's own term; the inspections' "current" figure has its own.
    risicotaxatie_interval_maanden_arij: int = 3
    risicotaxatie_interval_maanden_lij: int = 6
    risicotaxatie_actueel_maanden: int = 3
    plan_evaluatie_maanden_jb: int = 12
    plan_evaluatie_maanden_jr: int = 6
    voogdij_contact_maanden: int = 3
    voogdij_contact_met: tuple[str, ...] = ("jeugdige", "jeugdige_en_ouder")
    caseloadgesprek_maanden: int = 3
    vog_maanden: int = 36
    einde_gepland_signaal_weken: int = 8
    binnenkort_werkdagen: int = 5
    # Deadline mail: an automatisch mail also goes out when a first contact or plan is due
    # within this many werkdagen; a begeleider hears of items overdue more than this many.
    mail_dringend_werkdagen: int = 2
    mail_begeleider_verlopen_werkdagen: int = 5
    gezien_weken: int = 6
    caseload_norm_per_fte: float = 12.0
    caseload_functies: tuple[str, ...] = ("jeugdbeschermer", "jeugdreclasseerder")
    caseload_gewicht: dict[str, float] = field(default_factory=dict)
    startfase_weken: int = 6
    startfase_factor: float = 1.0
    crt_doel: int = 40
    # (regio, doel) pairs sorted by regio: a tuple, so config_key can hash it for the caches.
    crt_doel_regio: tuple[tuple[str, int], ...] = ()
    afbouw_tempo_maanden: int = 3
    # Start S of the cohort figures "started since S" when the URL names none.
    cohort_vanaf: date | None = None
    # Verantwoorde werktoedeling: the rules every proposed transfer keeps (queries.werktoedeling).
    werktoedeling_horizon_weken: int = 8
    werktoedeling_verzuim_drempel_pct: float = 50.0
    werktoedeling_terugkeer_weken: int = 6
    werktoedeling_terugkeer_capaciteit: float = 0.5
    werktoedeling_inwerk_maanden: int = 3
    werktoedeling_inwerk_aandeel: float = 0.5
    werktoedeling_inwerk_voogdij: bool = False
    # Room per fte a receiver keeps free for new intake; also the afbouw capacity's margin.
    werktoedeling_buffer_per_fte: float = 1.0
    # An export without any SKJ (or VOG) date cannot tell valid from unknown: that rule is off.
    werktoedeling_zonder_datums_uit: bool = True


def load_config(path: str | Path | None = None) -> Config:
    """Read the TOML file: the argument, else $CASELOAD_CONFIG, else the shipped defaults."""
    path = Path(path or os.environ.get("CASELOAD_CONFIG") or DEFAULT_PATH)
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    normen = raw.get("normen", {})
    caseload = raw.get("caseload", {})
    signalen = raw.get("signalen", {})
    mail = raw.get("mail", {})
    if "interval_maanden" in normen.get("risicotaxatie", {}):
        # One term for both instruments was the old setting; guessing which one it meant
        # would silently change an organisation's deadlines.
        raise ValueError(
            f"{path}: [normen.risicotaxatie] interval_maanden bestaat niet meer; gebruik "
            f"interval_maanden_arij (ARIJ, jeugdbescherming), interval_maanden_lij (LIJ, "
            f"jeugdreclassering) en actueel_maanden (actuele risicotaxatie, inspectie)"
        )

    def norm(name: str, key: str, default):
        value = normen.get(name, {}).get(key, default)
        return tuple(value) if isinstance(value, list) else value

    afbouw = raw.get("afbouw", {})
    regio_doelen = afbouw.get("crt_doel_regio", {})
    if not isinstance(regio_doelen, dict):
        raise ValueError(
            f"{path}: [afbouw.crt_doel_regio] moet een tabel zijn met per regio een doel, "
            f"zoals Drenthe = 10"
        )
    d = Config()
    toedeling = raw.get("werktoedeling", {})
    return Config(
        extra_vrije_dagen=tuple(
            date.fromisoformat(str(x)) for x in raw.get("kalender", {}).get("extra_vrije_dagen", [])
        ),
        eerste_contact_werkdagen=norm("eerste_contact", "werkdagen", d.eerste_contact_werkdagen),
        eerste_contact_vormen=norm("eerste_contact", "vormen", d.eerste_contact_vormen),
        eerste_contact_met=norm("eerste_contact", "met", d.eerste_contact_met),
        plan_weken=norm("plan_van_aanpak", "weken", d.plan_weken),
        hulp_maanden=norm("hulp_gestart", "maanden", d.hulp_maanden),
        risicotaxatie_eerste_weken=norm(
            "risicotaxatie", "eerste_weken", d.risicotaxatie_eerste_weken
        ),
        risicotaxatie_interval_maanden_arij=norm(
            "risicotaxatie", "interval_maanden_arij", d.risicotaxatie_interval_maanden_arij
        ),
        risicotaxatie_interval_maanden_lij=norm(
            "risicotaxatie", "interval_maanden_lij", d.risicotaxatie_interval_maanden_lij
        ),
        risicotaxatie_actueel_maanden=norm(
            "risicotaxatie", "actueel_maanden", d.risicotaxatie_actueel_maanden
        ),
        plan_evaluatie_maanden_jb=norm("plan_evaluatie", "maanden_jb", d.plan_evaluatie_maanden_jb),
        plan_evaluatie_maanden_jr=norm("plan_evaluatie", "maanden_jr", d.plan_evaluatie_maanden_jr),
        voogdij_contact_maanden=norm("voogdij_contact", "maanden", d.voogdij_contact_maanden),
        voogdij_contact_met=norm("voogdij_contact", "met", d.voogdij_contact_met),
        caseloadgesprek_maanden=norm("caseloadgesprek", "maanden", d.caseloadgesprek_maanden),
        vog_maanden=norm("vog", "maanden", d.vog_maanden),
        einde_gepland_signaal_weken=signalen.get(
            "einde_gepland_weken", d.einde_gepland_signaal_weken
        ),
        binnenkort_werkdagen=signalen.get("binnenkort_werkdagen", d.binnenkort_werkdagen),
        mail_dringend_werkdagen=int(mail.get("dringend_werkdagen", d.mail_dringend_werkdagen)),
        mail_begeleider_verlopen_werkdagen=int(
            mail.get("begeleider_verlopen_werkdagen", d.mail_begeleider_verlopen_werkdagen)
        ),
        gezien_weken=int(raw.get("zicht", {}).get("gezien_weken", d.gezien_weken)),
        caseload_norm_per_fte=float(caseload.get("norm_per_fte", d.caseload_norm_per_fte)),
        caseload_functies=tuple(caseload.get("functies", d.caseload_functies)),
        caseload_gewicht={k: float(v) for k, v in caseload.get("gewicht", {}).items()},
        startfase_weken=int(caseload.get("startfase_weken", d.startfase_weken)),
        startfase_factor=float(caseload.get("startfase_factor", d.startfase_factor)),
        crt_doel=_target(afbouw.get("crt_doel", d.crt_doel), "[afbouw] crt_doel", path),
        crt_doel_regio=tuple(
            (regio, _target(doel, f"[afbouw.crt_doel_regio] {regio}", path))
            for regio, doel in sorted(regio_doelen.items())
        ),
        afbouw_tempo_maanden=int(afbouw.get("tempo_maanden", d.afbouw_tempo_maanden)),
        cohort_vanaf=_day(
            raw.get("cijfers", {}).get("cohort_vanaf"), "[cijfers] cohort_vanaf", path
        ),
        werktoedeling_horizon_weken=int(
            toedeling.get("horizon_weken", d.werktoedeling_horizon_weken)
        ),
        werktoedeling_verzuim_drempel_pct=float(
            toedeling.get("verzuim_drempel_pct", d.werktoedeling_verzuim_drempel_pct)
        ),
        werktoedeling_terugkeer_weken=int(
            toedeling.get("terugkeer_weken", d.werktoedeling_terugkeer_weken)
        ),
        werktoedeling_terugkeer_capaciteit=float(
            toedeling.get("terugkeer_capaciteit", d.werktoedeling_terugkeer_capaciteit)
        ),
        werktoedeling_inwerk_maanden=int(
            toedeling.get("inwerk_maanden", d.werktoedeling_inwerk_maanden)
        ),
        werktoedeling_inwerk_aandeel=float(
            toedeling.get("inwerk_aandeel", d.werktoedeling_inwerk_aandeel)
        ),
        werktoedeling_inwerk_voogdij=bool(
            toedeling.get("inwerk_voogdij", d.werktoedeling_inwerk_voogdij)
        ),
        werktoedeling_buffer_per_fte=float(
            toedeling.get("buffer_per_fte", d.werktoedeling_buffer_per_fte)
        ),
        werktoedeling_zonder_datums_uit=bool(
            toedeling.get("zonder_datums_uit", d.werktoedeling_zonder_datums_uit)
        ),
    )


def config_hash(config: Config) -> str:
    """config_key as text that is the same in every process, to mark what a load prepared."""
    return hashlib.sha256(repr(config_key(config)).encode()).hexdigest()


def config_key(config: Config) -> tuple:
    """A hashable stand-in for config (its mappings as sorted pairs), to key cached figures."""
    return tuple(
        (f.name, tuple(sorted(v.items())) if isinstance(v, dict) else v)
        for f in fields(config)
        for v in (getattr(config, f.name),)
    )


def _target(value, name: str, path: Path) -> int:
    """A target size: a whole number of measures, zero or more."""
    # bool is an int in Python, but `true` is no number of measures.
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(
            f"{path}: {name} moet een geheel aantal maatregelen zijn (0 of meer), niet {value!r}"
        )
    return value


def _day(value, name: str, path: Path) -> date | None:
    """A day written as a TOML date (2025-07-01) or an ISO string; None when left out."""
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(
            f"{path}: {name} moet een datum zijn (JJJJ-MM-DD), niet {value!r}"
        ) from None
