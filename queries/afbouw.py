"""CCP/CRT afbouw: stock per month end, flows in and out, and starts with a vaste jzw."""

# Everything is seen from as_of: toewijzingen starting later are dropped and a `tot` or `einde`
# after as_of counts as still open, so no event after as_of can change a figure.

from datetime import date, timedelta

import polars as pl

from queries.config import Config
from queries.figuur import Figuur
from queries.perioden import covers, month_ends, month_windows
from queries.scope import Viewer, holder_filter, region_teams, scope_key
from queries.snapshot import Snapshot

SPECIAAL = ("CCP", "CRT")
_OPEN = date(9999, 12, 31)


def _measures(snap: Snapshot, as_of: date) -> pl.LazyFrame:
    return (
        snap["maatregelen"]
        .lazy()
        .filter(pl.col("start") <= as_of)
        .select(
            "maatregel_id",
            "soort",
            "start",
            pl.when(pl.col("einde") <= as_of).then(pl.col("einde")).alias("einde"),
        )
    )


def known_toewijzingen(snap: Snapshot, as_of: date) -> pl.LazyFrame:
    """Toewijzingen known on as_of with team soort and regio; a later `tot` reads as open."""
    teams = snap["teams"].lazy().select("team_id", pl.col("soort").alias("team_soort"), "regio")
    return (
        snap["toewijzingen"]
        .lazy()
        .filter(pl.col("vanaf") <= as_of)
        .with_columns(pl.when(pl.col("tot") <= as_of).then(pl.col("tot")).alias("tot"))
        .join(teams, on="team_id", how="left")
    )


def with_team_names(snap: Snapshot, df: pl.DataFrame, *id_columns: str) -> pl.DataFrame:
    """df with, beside each x_team_id column, x_team_naam: the team's name from teams."""
    names = snap["teams"].select("team_id", "naam")
    for col in id_columns:
        naam = col.removesuffix("_id") + "_naam"
        df = df.join(
            names.rename({"team_id": col, "naam": naam}), on=col, how="left", maintain_order="left"
        )
    return df


def _in_region(snap: Snapshot, regio: str, team: str = "team_id") -> pl.Expr:
    return pl.col(team).is_in(region_teams(snap, regio).implode())


def in_scope(
    lf: pl.LazyFrame, snap: Snapshot, viewer: Viewer, regio: str | None = None
) -> pl.LazyFrame:
    scope = holder_filter(snap, viewer)
    lf = lf if scope is None else lf.filter(scope)
    return lf if regio is None else lf.filter(_in_region(snap, regio))


def overdrachten_in_scope(
    transfers: pl.LazyFrame, snap: Snapshot, viewer: Viewer, regio: str | None
) -> pl.LazyFrame:
    """Transfers the viewer may see from either side; with regio, those into that region."""
    scope = holder_filter(snap, viewer)
    sender = holder_filter(snap, viewer, "van_medewerker_id", "van_team_id")
    if scope is not None and sender is not None:
        transfers = transfers.filter(scope | sender)
    return transfers if regio is None else transfers.filter(pl.col("regio") == regio)


def _category() -> pl.Expr:
    return (
        pl.when((pl.col("team_soort") == "regulier") & (pl.col("rol") == "jeugdzorgwerker"))
        .then(pl.lit("vaste_jzw"))
        .when(pl.col("team_soort") == "CCP")
        .then(pl.lit("ccp"))
        .when(pl.col("team_soort") == "CRT")
        .then(pl.lit("crt"))
        .otherwise(pl.lit("overig"))
    )


def _covered(a: pl.Expr, b: pl.Expr, ends: pl.Series) -> tuple[pl.Expr, pl.Expr]:
    """Index range [lo, hi) of the month ends inside the day interval [a, b)."""
    return (
        pl.lit(ends).search_sorted(a, side="left").cast(pl.Int64).alias("lo"),
        pl.lit(ends).search_sorted(b, side="left").cast(pl.Int64).alias("hi"),
    )


def _per_end(ranges: pl.LazyFrame, n: int, keys: list[str]) -> pl.LazyFrame:
    """Count rows with an index range [lo, hi) per month-end index i (and keys)."""
    collapsed = ranges.group_by(*keys, "lo", "hi").agg(pl.len().alias("n"))
    return (
        collapsed.join(pl.LazyFrame({"i": range(n)}, schema={"i": pl.Int64}), how="cross")
        .filter((pl.col("lo") <= pl.col("i")) & (pl.col("i") < pl.col("hi")))
        .group_by("i", *keys)
        .agg(pl.col("n").sum())
    )


def _holdings(snap: Snapshot, as_of: date, months: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Per month-end index: all measures (totals), and who held which measure (holdings)."""
    # Interval arithmetic on month-end indexes instead of one pass per month: a measure or
    # toewijzing covers the month ends in [lo, hi) of its (clipped) interval.
    ends = pl.Series("maand_einde", month_ends(as_of, months))
    m = _measures(snap, as_of).select(
        "maatregel_id", "start", pl.col("einde").fill_null(_OPEN).alias("einde")
    )
    totals = _per_end(
        m.select(*_covered(pl.col("start"), pl.col("einde"), ends)).filter(
            pl.col("hi") > pl.col("lo")
        ),
        len(ends),
        [],
    ).select("i", pl.col("n").alias("alle"))
    held = (
        known_toewijzingen(snap, as_of)
        .join(m, on="maatregel_id")
        .with_columns(
            *_covered(
                pl.max_horizontal("vanaf", "start"),
                pl.min_horizontal(pl.col("tot").fill_null(_OPEN), "einde"),
                ends,
            )
        )
        .filter(pl.col("hi") > pl.col("lo"))
        .select(
            "maatregel_id", "medewerker_id", "team_id", "rol", "team_soort", "vanaf", "lo", "hi"
        )
    )
    # Where two toewijzingen of a measure cover the same month end, the one that started last
    # holds it (as scope.holders says); only those measures are resolved month end by month end.
    overlapping = (
        held.filter(pl.len().over("maatregel_id") > 1)
        .sort("maatregel_id", "lo")
        .filter(pl.col("lo") < pl.col("hi").cum_max().shift(1).over("maatregel_id"))
        .select("maatregel_id")
        .unique()
    )
    resolved = (
        held.join(overlapping, on="maatregel_id", how="semi")
        .with_columns(pl.int_ranges("lo", "hi").alias("i"))
        .explode("i")
        .sort("vanaf")
        .unique(["maatregel_id", "i"], keep="last")
        .with_columns(pl.col("i").alias("lo"), (pl.col("i") + 1).alias("hi"))
        .drop("i")
    )
    holdings = pl.concat([held.join(overlapping, on="maatregel_id", how="anti"), resolved])
    totals_df, holdings_df = pl.collect_all([totals, holdings])
    return totals_df, holdings_df


def _stock_lazy(
    snap: Snapshot, viewer: Viewer, as_of: date, months: int, regio: str | None = None
) -> pl.LazyFrame:
    # Every region and scope of a day counts from the same holdings: built once per day.
    totals, holdings = snap.memo(
        ("afbouw_holdings", months), lambda: _holdings(snap, as_of, months), day=as_of
    )
    ends = pl.Series("maand_einde", month_ends(as_of, months))
    counts = (
        _per_end(
            in_scope(holdings.lazy(), snap, viewer, regio).with_columns(
                _category().alias("categorie")
            ),
            len(ends),
            ["categorie"],
        )
        .group_by("i")
        .agg(
            pl.col("n").sum().alias("toegewezen"),
            *(
                pl.col("n").filter(pl.col("categorie") == c).sum().alias(c)
                for c in ("vaste_jzw", "ccp", "crt", "overig")
            ),
        )
    )
    # Unassigned measures belong to no region, so a region counts only its holdings.
    sees_all = viewer.sees_everything and regio is None
    return (
        pl.LazyFrame({"maand_einde": ends, "i": range(len(ends))}, schema_overrides={"i": pl.Int64})
        .join(totals.lazy(), on="i", how="left")
        .join(counts, on="i", how="left")
        .with_columns(pl.exclude("maand_einde").fill_null(0).cast(pl.Int64))
        .select(
            "maand_einde",
            pl.col("maand_einde").dt.strftime("%Y-%m").alias("maand"),
            (pl.col("alle") if sees_all else pl.col("toegewezen")).alias("actief"),
            "vaste_jzw",
            "ccp",
            "crt",
            (pl.col("ccp") + pl.col("crt")).alias("ccp_crt"),
            ((pl.col("alle") - pl.col("toegewezen")) if sees_all else pl.lit(0, pl.Int64)).alias(
                "niet_toegewezen"
            ),
            "overig",
        )
        .sort("maand_einde")
    )


def stock_per_month(
    snap: Snapshot,
    viewer: Viewer,
    as_of: date,
    config: Config,
    months: int = 24,
    regio: str | None = None,
) -> pl.DataFrame:
    """Active measures per month end by holder: vaste_jzw, ccp, crt, niet_toegewezen, overig
    (a contactpersoon in a regular team). Scoped viewers see their holdings, no unassigned ones;
    with regio, only the holdings of that region's teams."""
    key = ("stock_per_month", scope_key(viewer), months, regio)
    return snap.memo(
        key,
        lambda: _stock_lazy(snap, viewer, as_of, months, regio).collect(),
        day=as_of,
        shared=viewer.sees_everything,
    )


def _spec_in_flow(t: pl.LazyFrame) -> pl.LazyFrame:
    """CCP/CRT toewijzingen not preceded, the day before, by another CCP/CRT holding."""
    spec = t.filter(pl.col("team_soort").is_in(SPECIAAL))
    before = spec.select("maatregel_id", pl.col("vanaf").alias("v0"), pl.col("tot").alias("t0"))
    continued = (
        spec.select("maatregel_id", "vanaf")
        .join(before, on="maatregel_id")
        .filter(covers("v0", "t0", pl.col("vanaf") - timedelta(days=1)))
        .select("maatregel_id", "vanaf")
        .unique()
    )
    earlier = t.group_by("maatregel_id").agg(pl.col("vanaf").min().alias("eerste_vanaf"))
    return (
        spec.join(continued, on=["maatregel_id", "vanaf"], how="anti")
        .join(earlier, on="maatregel_id", how="left")
        .with_columns((pl.col("vanaf") == pl.col("eerste_vanaf")).alias("nieuw"))
        .select(
            "maatregel_id",
            "medewerker_id",
            "team_id",
            "team_soort",
            "nieuw",
            pl.col("vanaf").alias("datum"),
        )
        .unique(["maatregel_id", "datum"])
    )


def overdrachten(t: pl.LazyFrame) -> pl.LazyFrame:
    """CCP/CRT toewijzing ending on day D followed by a regular one of the measure from D."""
    spec = t.filter(pl.col("team_soort").is_in(SPECIAAL) & pl.col("tot").is_not_null()).select(
        "maatregel_id",
        pl.col("tot").alias("datum"),
        "team_soort",
        pl.col("team_id").alias("van_team_id"),
        pl.col("medewerker_id").alias("van_medewerker_id"),
        pl.col("vanaf").alias("spec_vanaf"),
    )
    regular = t.filter(pl.col("team_soort") == "regulier").select(
        "maatregel_id",
        pl.col("vanaf").alias("datum"),
        "team_id",
        "medewerker_id",
        "regio",
    )
    return (
        spec.join(regular, on=["maatregel_id", "datum"])
        .sort("spec_vanaf")
        .unique(["maatregel_id", "datum"], keep="last")
    )


def _endings(m: pl.LazyFrame, t: pl.LazyFrame) -> pl.LazyFrame:
    """Measures that ended (einde known on as_of) while a CCP/CRT team held them."""
    ended = m.filter(pl.col("einde").is_not_null()).select(
        "maatregel_id", pl.col("einde").alias("datum")
    )
    return (
        t.join(ended, on="maatregel_id")
        .filter(covers("vanaf", "tot", pl.col("datum") - timedelta(days=1)))
        .sort("vanaf")
        .unique("maatregel_id", keep="last")
        .filter(pl.col("team_soort").is_in(SPECIAAL))
        .select("maatregel_id", "datum", "team_soort", "medewerker_id", "team_id")
    )


def _per_month(events: pl.LazyFrame, months: pl.LazyFrame, name: str) -> pl.LazyFrame:
    return (
        events.join_where(
            months,
            pl.col("datum") >= pl.col("maand_start"),
            pl.col("datum") <= pl.col("maand_einde"),
        )
        .group_by("maand")
        .agg(
            pl.len().alias(name),
            (pl.col("team_soort") == "CRT").sum().alias(f"{name}_crt"),
            *([pl.col("nieuw").sum().alias(f"{name}_nieuw")] if name == "instroom" else []),
        )
    )


def _events(snap: Snapshot, as_of: date) -> list[pl.DataFrame]:
    """Inflow into CCP/CRT, transfers to regular teams and endings in CCP/CRT known on as_of,
    for every scope and region of the day."""
    t = known_toewijzingen(snap, as_of)
    m = _measures(snap, as_of)
    return pl.collect_all([_spec_in_flow(t), overdrachten(t), _endings(m, t)])


def flows_per_month(
    snap: Snapshot,
    viewer: Viewer,
    as_of: date,
    config: Config,
    months: int = 24,
    regio: str | None = None,
) -> pl.DataFrame:
    """Per month: instroom into CCP/CRT (_nieuw: the measure's first toewijzing), overdracht
    CCP/CRT -> regulier, uitstroom by ending while in CCP/CRT; _crt columns: the CRT part.
    With regio: events whose holder from that day (for uitstroom: the last one) is in it."""
    key = ("flows_per_month", scope_key(viewer), months, regio)
    return snap.memo(
        key,
        lambda: _flows(snap, viewer, as_of, months, regio),
        day=as_of,
        shared=viewer.sees_everything,
    )


def _flows(
    snap: Snapshot, viewer: Viewer, as_of: date, months: int, regio: str | None
) -> pl.DataFrame:
    window = month_windows(as_of, months)
    events = snap.memo(("afbouw_stromen",), lambda: _events(snap, as_of), day=as_of)
    inflow = in_scope(events[0].lazy(), snap, viewer, regio)
    transfers = overdrachten_in_scope(events[1].lazy(), snap, viewer, regio)
    endings = in_scope(events[2].lazy(), snap, viewer, regio)
    out = window.select("maand")
    for f in (
        _per_month(inflow, window, "instroom"),
        _per_month(transfers, window, "overdracht"),
        _per_month(endings, window, "uitstroom"),
    ):
        out = out.join(f, on="maand", how="left")
    return out.with_columns(pl.exclude("maand").fill_null(0).cast(pl.Int64)).sort("maand").collect()


def start_with_vaste_jzw(
    snap: Snapshot, viewer: Viewer, as_of: date, config: Config, months: int = 24
) -> pl.DataFrame:
    """Per start month: new measures and those held by a vaste jeugdzorgwerker on their start
    day (scoped viewers: measures whose first-day holder is in scope)."""
    window = month_windows(as_of, months)
    first_day = month_ends(as_of, months)[0].replace(day=1)
    m = _measures(snap, as_of).filter(pl.col("start") >= first_day).select("maatregel_id", "start")
    first_holder = (
        known_toewijzingen(snap, as_of)
        .join(m, on="maatregel_id")
        .filter(covers("vanaf", "tot", pl.col("start")))
        .sort("vanaf")
        .unique("maatregel_id", keep="last")
        .select("maatregel_id", "medewerker_id", "team_id", _category().alias("categorie"))
    )
    started = m.join(first_holder, on="maatregel_id", how="left")
    started = in_scope(started, snap, viewer)
    per_month = (
        started.join_where(
            window,
            pl.col("start") >= pl.col("maand_start"),
            pl.col("start") <= pl.col("maand_einde"),
        )
        .group_by("maand")
        .agg(
            pl.len().alias("nieuw"),
            (pl.col("categorie") == "vaste_jzw").sum().alias("met_vaste_jzw"),
        )
    )
    return (
        window.select("maand")
        .join(per_month, on="maand", how="left")
        .with_columns(pl.col("nieuw", "met_vaste_jzw").fill_null(0).cast(pl.Int64))
        .with_columns(
            pl.when(pl.col("nieuw") > 0)
            .then(100 * pl.col("met_vaste_jzw") / pl.col("nieuw"))
            .alias("aandeel_pct")
        )
        .sort("maand")
        .collect()
    )


# Flows are shown per month in tables only, so they register without a single-value bereken.
FIGUREN = (
    Figuur("instroom", "Instroom CCP en CRT", "stroom", "aantal", 0,
           "Toewijzingen aan het CCP of CRT in de maand die niet aansluiten op een eerdere "
           "CCP- of CRT-toewijzing van dezelfde maatregel."),
    Figuur("overdracht", "Overdracht naar regulier", "stroom", "aantal", 0,
           "Maatregelen die in de maand op dezelfde dag van het CCP of CRT naar een regulier "
           "team gingen."),
    Figuur("uitstroom", "Uitstroom (einde maatregel)", "stroom", "aantal", 0,
           "Maatregelen die in de maand eindigden terwijl het CCP of CRT ze had."),
    Figuur("ccp_en_crt", "CCP en CRT samen", "voorraad", "aantal", 0,
           "Actieve maatregelen op de laatste dag van de maand bij een team van soort CCP of "
           "CRT."),
    Figuur("nieuw", "Nieuwe maatregelen", "stroom", "aantal", 0,
           "Maatregelen die in de maand zijn gestart."),
    Figuur("met_vaste_jzw", "Nieuw, vanaf start bij vaste jeugdzorgwerker", "stroom", "aantal",
           0, "Van de maatregelen gestart in de maand het aantal dat op de startdag al bij een "
           "vaste jeugdzorgwerker lag."),
    Figuur("aandeel_pct", "Aandeel nieuw met vaste jeugdzorgwerker", "stroom", "pct", 1,
           "Van de maatregelen gestart in de maand het deel dat op de startdag al bij een "
           "vaste jeugdzorgwerker lag."),
)  # fmt: skip
