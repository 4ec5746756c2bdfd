"""Deadlines (termijnen) of every measure norm, as of a day, per viewer.

Over 400 lines on purpose: the day-independent engine (one small function per norm) and the
views on it (all deadlines, history, worklist, signals) share its private _Prepared frames.
"""

# What does not depend on the day (event dates per measure, every interval's deadline) is
# computed once per snapshot and configuration; a day then only filters and labels.

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from typing import Final, cast

import polars as pl

from queries.bruikbare_contacten import contacten
from queries.config import Config, config_key
from queries.figuur import Figuur
from queries.kalender import Kalender
from queries.perioden import covers
from queries.scope import Viewer, scope_key, visible_maatregel, visible_maatregelen
from queries.snapshot import JB_SOORTEN, VOOGDIJ_SOORTEN, Snapshot

NORMEN = (
    "eerste_contact",
    "plan_van_aanpak",
    "hulp_gestart",
    "risicotaxatie",
    "plan_evaluatie",
    "voogdij_contact",
)
_NORM = pl.Enum(NORMEN)
_HOLDER = ("medewerker_id", "team_id", "rol", "team_soort", "regio")
COLUMNS = (
    "maatregel_id", "norm", "deadline", "status", "voldaan_op", "soort", "start", "einde",
    "medewerker_id", "team_id", "rol", "team_soort", "regio", "actief",
)  # fmt: skip
_KETEN = ("mi", "norm", "interval", "datum", "deadline", "volgende")


@dataclass(frozen=True)
class _Prepared:
    """Day-independent facts: per measure its one-off deadlines and every rolling interval."""

    # mi numbers the measures in maatregel_id order: integer keys join and sort far faster.
    maatregelen: pl.DataFrame  # mi, maatregel_id, soort, start, einde, einde_gepland
    eenmalig: pl.DataFrame  # mi, norm, deadline, gebeurtenis (first event), geldt_vanaf
    keten: pl.DataFrame  # mi, norm, interval, datum (event), deadline, volgende
    ketenstart: pl.DataFrame  # mi, norm, deadline (of interval 1), geldt_vanaf
    kalender: Kalender


# Sorted chains and shifts run several times faster in memory than on the streaming engine.
ENGINE: Final = "in-memory"


def status_expr(as_of: date) -> pl.Expr:
    """The norms.md status from deadline, voldaan_op and einde (None: not ended by as_of)."""
    deadline, voldaan, einde = pl.col("deadline"), pl.col("voldaan_op"), pl.col("einde")
    return (
        pl.when(voldaan.is_not_null() & (voldaan <= deadline))
        .then(pl.lit("tijdig"))
        .when(voldaan.is_not_null())
        .then(pl.lit("te_laat"))
        .when(einde.is_not_null() & (einde <= deadline))
        .then(pl.lit("vervallen"))
        .when(deadline >= as_of)
        .then(pl.lit("open"))
        .otherwise(pl.lit("verlopen"))
    )


def instrument() -> pl.Expr:
    """The risicotaxatie instrument a measure's soort asks for: ARIJ for JB, LIJ for JR."""
    return pl.when(pl.col("soort").is_in(JB_SOORTEN)).then(pl.lit("ARIJ")).otherwise(pl.lit("LIJ"))


def chain(
    events: pl.LazyFrame,
    key: str,
    volgende: Callable[[pl.Expr], pl.Expr],
    eerste: pl.Expr,
) -> pl.LazyFrame:
    """Every met interval of a rolling norm: the n-th event of a key (by date) meets interval n,
    due eerste for n = 1 and volgende(previous event's datum) after that."""
    same = pl.col(key) == pl.col(key).shift(1)
    return (
        events.sort(key, "datum")
        .filter(~(same & (pl.col("datum") == pl.col("datum").shift(1))).fill_null(False))
        .with_row_index("_i")
        .with_columns(volgende=volgende(pl.col("datum")), _eerste=~same.fill_null(False))
        .with_columns(
            interval=(
                pl.col("_i") - pl.when("_eerste").then("_i").otherwise(None).forward_fill() + 1
            ).cast(pl.Int32),
            deadline=pl.when(same).then(pl.col("volgende").shift(1)).otherwise(eerste),
        )
        .drop("_i", "_eerste")
    )


def _kalender_for(snap: Snapshot, config: Config) -> Kalender:
    m = snap["maatregelen"]
    firsts = [m["uitspraak"].min(), m["start"].min()]
    lasts = [snap.export_date, m["start"].max()]
    for column in (
        contacten(snap, config)["datum"],
        snap["plannen"]["vastgesteld"],
        snap["risicotaxaties"]["datum"],
        snap["hulp"]["gestart"],
    ):
        firsts.append(column.min())
        lasts.append(column.max())
    first = min((d for d in firsts if d is not None), default=snap.export_date)
    last = max(d for d in lasts if d is not None)
    # Series.min and max are typed for every dtype; these columns hold dates.
    return Kalender.covering(cast(date, first), cast(date, last), config)


@dataclass(frozen=True)
class _Sources:
    """The lazy inputs of the day-independent deadlines, each measure numbered by mi."""

    measures: pl.LazyFrame  # mi, maatregel_id, soort, uitspraak, start, einde, einde_gepland
    looptijd: pl.LazyFrame  # maatregel_id, mi, soort, start, einde: what events join to
    contacts: pl.LazyFrame  # maatregel_id, datum, vorm, met
    plannen: pl.LazyFrame  # mi, soort, datum (vastgesteld)
    taxaties: pl.LazyFrame  # maatregel_id, instrument, datum
    hulp: pl.LazyFrame  # the hulp table
    kal: Kalender
    config: Config


def _until_einde(col: str) -> pl.Expr:
    """On or before the measure's einde, if it has one."""
    return pl.col("einde").is_null() | (pl.col(col) <= pl.col("einde"))


def _during(col: str) -> pl.Expr:
    # An event after the measure ended belongs to no measure; the end day itself still does.
    return covers("start", "einde", pl.col(col), closed="both")


def _first_event(frame: pl.LazyFrame, col: str) -> pl.LazyFrame:
    return frame.group_by("mi").agg(pl.col(col).min().alias("gebeurtenis"))


def _sources(snap: Snapshot, config: Config) -> _Sources:
    measures = (
        snap["maatregelen"]
        .lazy()
        .sort("maatregel_id")
        .with_row_index("mi")
        .select("mi", "maatregel_id", "soort", "uitspraak", "start", "einde", "einde_gepland")
    )
    looptijd = measures.select("maatregel_id", "mi", "soort", "start", "einde")
    # Plans are often drawn up between uitspraak and start, so only the end bounds them.
    plannen = (
        snap["plannen"]
        .lazy()
        .select("maatregel_id", "vastgesteld")
        .join(looptijd, on="maatregel_id")
        .filter(_until_einde("vastgesteld"))
        .select("mi", "soort", datum="vastgesteld")
    )
    return _Sources(
        measures=measures,
        looptijd=looptijd,
        contacts=contacten(snap, config).lazy().select("maatregel_id", "datum", "vorm", "met"),
        plannen=plannen,
        taxaties=snap["risicotaxaties"].lazy().select("maatregel_id", "instrument", "datum"),
        hulp=snap["hulp"].lazy(),
        kal=_kalender_for(snap, config),
        config=config,
    )


def _eenmalig(
    src: _Sources, norm: str, deadline: pl.Expr, events: pl.LazyFrame, vanaf: pl.Expr
) -> pl.LazyFrame:
    """A one-off norm per measure it applies to: deadline, first event and geldt_vanaf."""
    return (
        src.measures.join(events, on="mi", how="left")
        .select(
            "mi",
            norm=pl.lit(norm, dtype=_NORM),
            deadline=deadline,
            gebeurtenis="gebeurtenis",
            geldt_vanaf=vanaf,
        )
        .filter(pl.col("geldt_vanaf").is_not_null())
    )


def _eerste_contact(src: _Sources) -> pl.LazyFrame:
    cfg = src.config
    events = (
        src.contacts.filter(
            pl.col("vorm").is_in(cfg.eerste_contact_vormen)
            & pl.col("met").is_in(cfg.eerste_contact_met)
        )
        .join(src.looptijd, on="maatregel_id")
        .filter(_during("datum"))
        .pipe(_first_event, "datum")
    )
    deadline = src.kal.add_werkdagen(pl.col("start"), cfg.eerste_contact_werkdagen)
    return _eenmalig(src, "eerste_contact", deadline, events, pl.col("start"))


def _plan_van_aanpak(src: _Sources) -> pl.LazyFrame:
    deadline = src.kal.weeks_deadline(pl.col("uitspraak"), src.config.plan_weken)
    events = src.plannen.pipe(_first_event, "datum")
    return _eenmalig(src, "plan_van_aanpak", deadline, events, pl.col("start"))


def _hulp_gestart(src: _Sources) -> pl.LazyFrame:
    events = (
        src.hulp.join(src.looptijd, on="maatregel_id")
        .group_by("mi")
        .agg(
            geldt_vanaf=pl.col("aangevraagd").min(),
            gebeurtenis=pl.col("gestart").filter(_until_einde("gestart")).min(),
        )
    )
    deadline = src.kal.months_deadline(pl.col("uitspraak"), src.config.hulp_maanden)
    return _eenmalig(src, "hulp_gestart", deadline, events, pl.col("geldt_vanaf"))


def _taxatie_termijn(src: _Sources, d: pl.Expr) -> pl.Expr:
    """The next risicotaxatie due after one dated d: the instrument's term, ARIJ or LIJ."""
    cfg = src.config
    return (
        pl.when(pl.col("soort").is_in(JB_SOORTEN))
        .then(src.kal.months_deadline(d, cfg.risicotaxatie_interval_maanden_arij))
        .otherwise(src.kal.months_deadline(d, cfg.risicotaxatie_interval_maanden_lij))
    )


def _risicotaxatie(src: _Sources) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """The met intervals (keten) and the first deadline of every measure (ketenstart)."""
    cfg, norm = src.config, pl.lit("risicotaxatie", dtype=_NORM)
    taxaties = (
        src.taxaties.join(src.looptijd, on="maatregel_id")
        .filter((pl.col("instrument") == instrument()) & _during("datum"))
        .select("mi", "datum", "start", "soort")
    )
    first = src.kal.weeks_deadline(pl.col("start"), cfg.risicotaxatie_eerste_weken)
    keten = chain(taxaties, "mi", partial(_taxatie_termijn, src), first).with_columns(norm=norm)
    start = src.looptijd.select("mi", norm=norm, deadline=first, geldt_vanaf="start")
    return keten.select(_KETEN), start


def _voogdij_contact(src: _Sources) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """As _risicotaxatie, for the voogdij measures."""
    cfg, norm = src.config, pl.lit("voogdij_contact", dtype=_NORM)
    voogdij = src.looptijd.filter(pl.col("soort").is_in(VOOGDIJ_SOORTEN))
    events = (
        src.contacts.filter(pl.col("met").is_in(cfg.voogdij_contact_met))
        .join(voogdij, on="maatregel_id")
        .filter(_during("datum"))
        .select("mi", "datum", "start")
    )
    volgende = partial(src.kal.months_deadline, n=cfg.voogdij_contact_maanden)
    first = volgende(pl.col("start"))
    keten = chain(events, "mi", volgende, first).with_columns(norm=norm)
    start = voogdij.select("mi", norm=norm, deadline=first, geldt_vanaf="start")
    return keten.select(_KETEN), start


def _evaluatie(src: _Sources, d: pl.Expr) -> pl.Expr:
    """The plan evaluation due after a plan dated d: months by soort, JB or JR."""
    cfg = src.config
    return (
        pl.when(pl.col("soort").is_in(JB_SOORTEN))
        .then(src.kal.months_deadline(d, cfg.plan_evaluatie_maanden_jb))
        .otherwise(src.kal.months_deadline(d, cfg.plan_evaluatie_maanden_jr))
    )


def _plan_evaluatie(src: _Sources) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """As _risicotaxatie; the chain starts at a measure's first plan."""
    norm = pl.lit("plan_evaluatie", dtype=_NORM)
    # Plan n+1 meets the interval that plan n opened, so the first plan meets nothing here.
    keten = (
        chain(src.plannen, "mi", partial(_evaluatie, src), pl.lit(None))
        .with_columns(interval=pl.col("interval") - 1, norm=norm)
        .filter(pl.col("interval") >= 1)
    )
    eerste_plan = src.plannen.group_by("mi").agg(
        gebeurtenis=pl.col("datum").min(), soort=pl.col("soort").first()
    )
    start = eerste_plan.select(
        "mi",
        norm=norm,
        deadline=_evaluatie(src, pl.col("gebeurtenis")),
        geldt_vanaf="gebeurtenis",
    )
    return keten.select(_KETEN), start


def _prepare(snap: Snapshot, config: Config) -> _Prepared:
    src = _sources(snap, config)
    rolling = [_risicotaxatie(src), _voogdij_contact(src), _plan_evaluatie(src)]
    maatregelen, eenmalig, keten, ketenstart = pl.collect_all(
        [
            src.measures.drop("uitspraak"),
            pl.concat([_eerste_contact(src), _plan_van_aanpak(src), _hulp_gestart(src)]),
            pl.concat([k for k, _ in rolling]),
            pl.concat([s for _, s in rolling]),
        ],
        engine=ENGINE,
    )
    return _Prepared(maatregelen, eenmalig, keten, ketenstart, src.kal)


_FRAMES = ("maatregelen", "eenmalig", "keten", "ketenstart")
_KALENDER = "termijnen/kalender"


def prepare_frames(snap: Snapshot, config: Config) -> dict[str, pl.DataFrame]:
    """The day-independent part as named frames, for a load to store (queries.voorbereiding)."""
    # Through the memo: the month stocks the load prepares next use the same engine.
    prep = prepared(snap, config)
    kalender = pl.DataFrame({"van": [prep.kalender.first_year], "tot": [prep.kalender.last_year]})
    return {f"termijnen/{n}": getattr(prep, n) for n in _FRAMES} | {_KALENDER: kalender}


def _stored(snap: Snapshot, config: Config) -> _Prepared | None:
    """What the load prepared, when it did so for this configuration."""
    frames = snap.voorbereid_voor(config)
    if _KALENDER not in frames:
        return None
    years = frames[_KALENDER].row(0, named=True)
    maatregelen, eenmalig, keten, ketenstart = (frames[f"termijnen/{n}"] for n in _FRAMES)
    kalender = Kalender(years["van"], years["tot"], config)
    return _Prepared(maatregelen, eenmalig, keten, ketenstart, kalender)


def prepared(snap: Snapshot, config: Config) -> _Prepared:
    """The day-independent part of the engine: as the load stored it, else computed once per
    snapshot and configuration."""
    key = ("termijnen", config_key(config))
    return snap.memo(key, lambda: _stored(snap, config) or _prepare(snap, config))


# The tables whose rows belong to one measure: what the engine reads per measure.
_PER_MEASURE = ("maatregelen", "toewijzingen", "contacten", "plannen", "risicotaxaties", "hulp")


def _prepared_for(snap: Snapshot, config: Config, few: pl.DataFrame) -> _Prepared:
    """The engine for the measures in few (maatregel_id): the load's own once it is prepared,
    else one prepared for just these, so a first request for one caseload or one measure does
    not wait for every measure of the load. Both give the same rows for these measures."""
    if snap.remembers(("termijnen", config_key(config))) or _KALENDER in snap.voorbereid_voor(
        config
    ):
        return prepared(snap, config)
    ids = few.select("maatregel_id").unique()
    cut = {name: snap[name].join(ids, on="maatregel_id", how="semi") for name in _PER_MEASURE}
    return _prepare(snap.with_tables(**cut), config)


def _measures_on(prep: _Prepared, as_of: date, visible: pl.DataFrame | None) -> pl.LazyFrame:
    """Measures started by as_of; einde only when it fell on or before as_of."""
    m = prep.maatregelen.lazy().filter(pl.col("start") <= as_of)
    if visible is not None:
        m = m.join(visible.lazy().select("maatregel_id"), on="maatregel_id", how="semi")
    return m.with_columns(
        einde=pl.when(pl.col("einde") <= as_of).then("einde"),
    ).with_columns(actief=pl.col("einde").is_null())


def _rows(
    prep: _Prepared, as_of: date, m: pl.LazyFrame, few: bool, history: bool, chains: bool = True
):
    """mi, norm, interval, deadline, voldaan_op; the caller's inner join with m keeps m's.
    few: m is a small part of all measures, worth narrowing every input to it first; chains:
    the repeating norms too, not only the one-off ones."""

    def narrow(frame: pl.LazyFrame) -> pl.LazyFrame:
        return frame.join(m.select("mi"), on="mi", how="semi") if few else frame

    one_off = narrow(prep.eenmalig.lazy().filter(pl.col("geldt_vanaf") <= as_of)).select(
        "mi",
        "norm",
        interval=pl.lit(1, dtype=pl.Int32),
        deadline="deadline",
        voldaan_op=pl.when(pl.col("gebeurtenis") <= as_of).then("gebeurtenis"),
    )
    if not chains:
        return one_off
    met = narrow(prep.keten.lazy().filter(pl.col("datum") <= as_of))
    # A later event never gets an earlier next deadline, so the max is the latest event's.
    latest = met.group_by("mi", "norm").agg(pl.col("volgende").max(), pl.col("interval").max())
    current = (
        narrow(prep.ketenstart.lazy().filter(pl.col("geldt_vanaf") <= as_of))
        .join(latest, on=["mi", "norm"], how="left")
        .select(
            "mi",
            "norm",
            interval=(pl.col("interval") + 1).fill_null(1).cast(pl.Int32),
            deadline=pl.coalesce("volgende", "deadline"),
            voldaan_op=pl.lit(None, dtype=pl.Date),
        )
    )
    parts = [one_off, current]
    if history:
        parts.append(met.select("mi", "norm", "interval", "deadline", voldaan_op="datum"))
    return pl.concat(parts)


def _finish(
    rows: pl.LazyFrame, m: pl.LazyFrame, held: pl.DataFrame, as_of: date, extra=()
) -> pl.DataFrame:
    measures = m.join(held.lazy().select("maatregel_id", *_HOLDER), on="maatregel_id", how="left")
    return (
        rows.join(measures, on="mi")
        .with_columns(status=status_expr(as_of))
        .sort("mi", "norm", *extra)
        .select(*COLUMNS, *extra)
        .with_columns(pl.col("norm").cast(pl.String))
        .collect(engine=ENGINE)
    )


def _scope(snap: Snapshot, viewer: Viewer, as_of: date):
    held = visible_maatregelen(snap, viewer, as_of)
    return held, (None if viewer.sees_everything else held)


def termijnen(snap: Snapshot, viewer: Viewer, as_of: date, config: Config) -> pl.DataFrame:
    """One row per measure started by as_of and norm that applies: its current deadline."""
    key = ("termijnen_op", scope_key(viewer), config_key(config))
    return snap.memo(
        key,
        partial(_termijnen, snap, viewer, as_of, config),
        day=as_of,
        shared=viewer.sees_everything,
    )


def eenmalige_termijnen(
    snap: Snapshot, viewer: Viewer, as_of: date, config: Config
) -> pl.DataFrame:
    """termijnen's rows of the one-off norms (eerste_contact, plan_van_aanpak, hulp_gestart);
    every measure started by as_of has one, as eerste_contact applies from the start. Not
    kept: maatregel_cijfers, which keeps its own, is its one caller."""
    return _termijnen(snap, viewer, as_of, config, chains=False)


def termijnen_van(
    snap: Snapshot,
    viewer: Viewer,
    as_of: date,
    config: Config,
    norm: str,
    soorten: tuple[str, ...],
) -> pl.DataFrame:
    """termijnen's rows of one norm for the measures of soorten. Each measure's deadlines come
    from its own events, so these are the same rows without deriving every other measure's
    and norm's (voogdij op norm needs a tenth of the measures, one norm)."""
    key = ("termijnen_van", norm, soorten, scope_key(viewer), config_key(config))
    build = partial(_termijnen, snap, viewer, as_of, config, norm=norm, soorten=soorten)
    return snap.memo(key, build, day=as_of, shared=viewer.sees_everything)


def _termijnen(
    snap: Snapshot,
    viewer: Viewer,
    as_of: date,
    config: Config,
    chains: bool = True,
    norm: str | None = None,
    soorten: tuple[str, ...] | None = None,
) -> pl.DataFrame:
    """norm, soorten: only that norm's rows, only those soorten's measures (termijnen_van)."""
    prep = prepared(snap, config)
    held, visible = _scope(snap, viewer, as_of)
    m = _measures_on(prep, as_of, visible)
    few = visible is not None
    if soorten is not None:
        m, few = m.filter(pl.col("soort").is_in(soorten)), True
    rows = _rows(prep, as_of, m, few, history=False, chains=chains)
    if norm is not None:
        rows = rows.filter(pl.col("norm") == norm)
    return _finish(rows, m, held, as_of)


def termijn_historie(
    snap: Snapshot, viewer: Viewer, as_of: date, config: Config, sinds: date | None = None
) -> pl.DataFrame:
    """Every interval of every norm (one-off norms have one), numbered per chain; with sinds
    only those whose deadline and day met (if any) are both after it."""
    prep = prepared(snap, config)
    held, visible = _scope(snap, viewer, as_of)
    m = _measures_on(prep, as_of, visible)
    rows = _rows(prep, as_of, m, visible is not None, history=True)
    if sinds is not None:
        # Before the holders are joined and the rows sorted: most of the history is older.
        rows = rows.filter(pl.min_horizontal("deadline", "voldaan_op") > sinds)
    return _finish(rows, m, held, as_of, extra=("interval",))


def maatregel_historie(
    snap: Snapshot, viewer: Viewer, as_of: date, config: Config, maatregel_id: str
) -> pl.DataFrame:
    """deadline_history's rows of one measure; none when the viewer may not see it."""
    held = visible_maatregel(snap, viewer, as_of, maatregel_id)
    prep = _prepared_for(snap, config, held)
    m = _measures_on(prep, as_of, held)
    rows = _rows(prep, as_of, m, True, history=True)
    return _finish(rows, m, held, as_of, extra=("interval",))


def _covered_by(snap: Snapshot, person: str, as_of: date) -> Snapshot:
    """The snapshot cut down to measures a toewijzing of person covers on as_of."""
    # Holders are picked per measure among all its toewijzingen, so the cut changes no holder;
    # it spares resolving every measure's holder for one person's list.
    theirs = (pl.col("medewerker_id") == person) & covers("vanaf", "tot", as_of)
    covered = snap["toewijzingen"].filter(theirs).select("maatregel_id")
    names = ("maatregelen", "toewijzingen")
    return snap.with_tables(
        **{n: snap[n].join(covered, on="maatregel_id", how="semi") for n in names}
    )


def werklijst(
    snap: Snapshot,
    viewer: Viewer,
    as_of: date,
    config: Config,
    medewerker_id: str | None = None,
) -> pl.DataFrame:
    """Open and verlopen deadlines of active measures: verlopen first, then by deadline. A
    scope's list is kept per day (team and organisation pages ask it on every visit); one
    worker's is cut from their own measures, quick enough each time."""
    person = medewerker_id or (viewer.medewerker_id if viewer.role == "jeugdzorgwerker" else None)
    if person is None:
        # The scope's measures are found only when the day's list is not kept yet.
        def build() -> pl.DataFrame:
            held = visible_maatregelen(snap, viewer, as_of)
            return _werklijst(prepared(snap, config), held, as_of)

        key = ("werklijst", scope_key(viewer), config_key(config))
        return snap.memo(key, build, day=as_of)
    held = visible_maatregelen(_covered_by(snap, person, as_of), viewer, as_of)
    held = held.filter(pl.col("medewerker_id") == person)
    return _werklijst(_prepared_for(snap, config, held), held, as_of)


def _werklijst(prep: _Prepared, held: pl.DataFrame, as_of: date) -> pl.DataFrame:
    m = _measures_on(prep, as_of, held).filter(pl.col("actief"))
    kal = prep.kalender
    dl = _finish(_rows(prep, as_of, m, True, history=False), m, held, as_of)
    verlopen = pl.col("status") == "verlopen"
    return (
        dl.filter(pl.col("status").is_in(["open", "verlopen"]))
        .with_columns(
            werkdagen_tot=pl.when(~verlopen).then(
                kal.werkdagen_between(pl.lit(as_of), pl.col("deadline"))
            ),
            dagen_verlopen=pl.when(verlopen).then(
                (pl.lit(as_of) - pl.col("deadline")).dt.total_days()
            ),
        )
        .sort(~verlopen, "deadline", "maatregel_id", "norm")
    )


def signalen(snap: Snapshot, viewer: Viewer, as_of: date, config: Config) -> pl.DataFrame:
    """Active measures whose einde_gepland falls within the signal window from as_of."""
    held, visible = _scope(snap, viewer, as_of)
    until = as_of + timedelta(weeks=config.einde_gepland_signaal_weken)
    m = (
        snap["maatregelen"]
        .filter(covers("start", "einde", as_of) & pl.col("einde_gepland").is_between(as_of, until))
        .join(held.select("maatregel_id", *_HOLDER), on="maatregel_id")
    )
    return m.select(
        "maatregel_id",
        "soort",
        "start",
        "einde_gepland",
        *_HOLDER,
        dagen_tot_einde=(pl.col("einde_gepland") - pl.lit(as_of)).dt.total_days(),
    ).sort("einde_gepland", "maatregel_id")


def maatregel_tellingen(historie: pl.DataFrame) -> dict[str, int]:
    """Of maatregel_historie's rows: the open and verlopen deadlines, those met in time and
    all met ones (tijdig or te laat), under the figures' keys."""
    n = {
        s: historie.filter(pl.col("status") == s).height
        for s in ("open", "verlopen", "tijdig", "te_laat")
    }
    return {
        "open_termijnen_maatregel": n["open"],
        "verlopen_termijnen_maatregel": n["verlopen"],
        "tijdig_voldaan_maatregel": n["tijdig"],
        "voldaan_maatregel": n["tijdig"] + n["te_laat"],
    }


_VAN_MAATREGEL = "Termijnen van één maatregel, elke ronde van een terugkerende termijn apart,"
FIGUREN = (
    Figuur("open_termijnen_maatregel", "Open termijnen van de maatregel", "voorraad", "aantal",
           0, f"{_VAN_MAATREGEL} die op de peildatum nog open staan."),
    Figuur("verlopen_termijnen_maatregel", "Verlopen termijnen van de maatregel", "voorraad",
           "aantal", 0, f"{_VAN_MAATREGEL} die op de peildatum verstreken zijn zonder dat aan "
           "de norm is voldaan.", hoger_beter=False),
    Figuur("tijdig_voldaan_maatregel", "Op tijd voldaan", "voorraad", "aantal", 0,
           f"{_VAN_MAATREGEL} waaraan op of voor de peildatum binnen de termijn is voldaan.",
           hoger_beter=True),
    Figuur("voldaan_maatregel", "Voldane termijnen van de maatregel", "voorraad", "aantal", 0,
           f"{_VAN_MAATREGEL} waaraan op of voor de peildatum is voldaan, op tijd of te laat."),
)  # fmt: skip
