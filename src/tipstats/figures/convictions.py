"""Convictions against the year of legislation: the figures of the analysis in ``tipstats.analysis.convictions``.

Every number drawn here comes from the analysis functions (``cohort_rates``, ``event_study``,
``coverage_matrix``), so the notebook, the figures and the claims audit show the same results.
The "<5" counts are an interval: the lines use the mid-point (the headline treatment) and the pale
bands reach from the lower (0) to the upper (4) treatment.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator, NullLocator

from tipstats.analysis import convictions as analysis
from tipstats.analysis.convictions import bounds, robustness
from tipstats.facts import COHORT_BEFORE, COHORT_EARLY, COHORT_LATE, COHORT_LATER, COHORT_NONE
from tipstats.figures import style as S
from tipstats.figures._registry import figure

COHORT_COLOURS = {
    COHORT_BEFORE: S.HIGHLIGHT,
    COHORT_EARLY: S.DENIM,
    COHORT_LATE: S.TEAL,
    COHORT_NONE: S.CONTEXT,
}
SAMPLE_TITLES = {
    analysis.SAMPLE_ALL: "All reporting countries (the set changes each year)",
    analysis.SAMPLE_BALANCED: "Balanced panel (countries reporting in most years)",
}
#: An end label moved this many points from its line's end gets a leader.
LEADER_FROM_PT = 2.0
SAMPLE_COLOURS = {analysis.SAMPLE_ALL: S.CONTEXT, analysis.SAMPLE_BALANCED: S.HIGHLIGHT}
#: Coverage heat map: status -> colour, in legend order.
STATUS_COLOURS = {
    "numeric": S.DENIM,
    "suppressed": "#c9a26b",
    "no population": S.PURPLE,
    "missing": "#eeeeee",
}
STATUS_LABELS = {
    "numeric": "count given",
    "suppressed": "'<5' (suppressed)",
    "no population": "count, no population",
    "missing": "no data",
}


def _load(name: str, frame: pd.DataFrame | None) -> pd.DataFrame:
    if frame is not None:
        return frame
    import tipstats

    return tipstats.load(name)


def _sources(convictions: pd.DataFrame, legislation: pd.DataFrame) -> list[str]:
    """The sources of the rows the analysis uses: the counts, their population, Kelley's coding."""
    kelley = legislation
    if "yardstick" in legislation.columns:
        kelley = legislation.loc[legislation["yardstick"] == analysis.KELLEY]
    ids = [*convictions["source_id"].dropna().unique(), *kelley["source_id"].dropna().unique()]
    if "population_source_id" in convictions.columns:
        ids += list(convictions["population_source_id"].dropna().unique())
    return ids


@figure(
    "conviction_rates_by_cohort",
    caption="Persons convicted per 100,000 population by legislation cohort and year (pooled rate), for all "
    "reporting countries and for the balanced panel, with the number of countries behind each year.",
    datasets=("convictions", "legislation", "sources"),
    notebook="03-convictions-vs-legislation",
)
def conviction_rates_by_cohort(
    convictions: pd.DataFrame | None = None,
    legislation: pd.DataFrame | None = None,
    sources: pd.DataFrame | None = None,
    *,
    rates: pd.DataFrame | None = None,
) -> Figure:
    """Pooled conviction rates per cohort and year (mid-point "<5" treatment, band: lower to upper).

    ``rates`` is the table of ``tipstats.analysis.convictions.cohort_rates`` (computed if not given).
    """
    conv = _load("convictions", convictions)
    leg = _load("legislation", legislation)
    table = rates if rates is not None else analysis.cohort_rates(convictions, legislation)
    headline = analysis.HEADLINE_TREATMENT
    samples = [s for s in analysis.SAMPLES if s in set(table["sample"])]
    mid = table.loc[table["suppressed"] == headline]
    title = "Conviction rates by year of legislation"
    compared = analysis.before_2003_higher(mid.loc[mid["sample"] == samples[-1]], analysis.COHORTS)
    if compared is not None:
        higher, years = compared
        title = (
            f"Countries legislating before 2003 had the highest rate in {higher} of {years} years "
            f"({samples[-1]} panel)"
            if samples[-1] == analysis.SAMPLE_BALANCED
            else f"Countries legislating before 2003 had the highest rate in {higher} of {years} years"
        )
    lo, hi = analysis.WINDOW
    fig, axes = S.new_figure(
        title,
        "Persons convicted of trafficking per 100,000 population (axis), pooled over the countries of each legislation cohort "
        "(Kelley year of full criminalisation), by year; '<5' counts at 2 (band: 0 to 4). Below: countries behind "
        "each year.",
        source_ids=_sources(conv, leg),
        sources=sources,
        note=f"The balanced panel keeps countries with usable counts in at least {analysis.MIN_SHARE:.0%} of the years "
        f"{lo}-{hi}. Under 'all reporting' the set of countries changes from year to year: "
        f"{analysis.NOT_A_TREND_NOTE}. Rates use World Bank population; UNODC uses UN population figures.",
        nrows=2,
        ncols=len(samples),
        width=10.5,
        height=6.8,
        right=1.3,
        wspace=0.62,
        hspace=0.3,
        gridspec_kw={"height_ratios": [3.2, 1]},
    )
    axes = np.atleast_2d(axes).reshape(2, len(samples))
    top = 0.0
    for col, sample in enumerate(samples):
        ax, strip = axes[0, col], axes[1, col]
        lines = []
        for cohort in analysis.COHORTS:
            cells = table.loc[(table["sample"] == sample) & (table["cohort"] == cohort)]
            wide = cells.pivot_table(
                index="year", columns="suppressed", values="pooled_rate_per_100k"
            ).sort_index()
            if headline not in wide.columns or wide.empty:
                continue
            colour = COHORT_COLOURS.get(cohort, S.CONTEXT)
            (line,) = ax.plot(
                wide.index, wide[headline], color=colour, label=cohort,
                linewidth=2.4 if colour == S.HIGHLIGHT else 1.6, zorder=3 if colour != S.CONTEXT else 2,
            )  # fmt: skip
            lines.append(line)
            if {"lower", "upper"} <= set(wide.columns):
                ax.fill_between(wide.index, wide["lower"], wide["upper"], color=colour, alpha=0.18, linewidth=0,
                                label="_treatments", gid="treatment-band")  # fmt: skip
            top = max(top, float(np.nanmax(wide.to_numpy())))
        for label in S.label_line_ends(ax, lines, pad_pt=9):
            # lines that end close together (or cross at the end) get their labels moved apart: a leader
            # from each line's end to its label keeps the pairing clear
            if abs(label.xyann[1]) > LEADER_FROM_PT:
                S.add_leader(label)
        ax.set_title(SAMPLE_TITLES.get(sample, sample), loc="left", fontsize=8.5)
        counts = mid.loc[(mid["sample"] == sample) & mid["cohort"].isin(analysis.COHORTS)]
        counts = counts.pivot_table(index="year", columns="cohort", values="n_countries", fill_value=0)
        bottom = np.zeros(len(counts))
        for cohort in analysis.COHORTS:
            if cohort in counts.columns:
                strip.bar(counts.index, counts[cohort], bottom=bottom, width=0.75, color=COHORT_COLOURS[cohort],
                          label="_n", gid="n-countries")  # fmt: skip
                bottom += counts[cohort].to_numpy(dtype=float)
        strip.set_title(
            "Countries behind each year", loc="left", fontsize=7.5, color=S.ANNOTATION, fontweight="normal"
        )
        strip.yaxis.set_major_locator(MaxNLocator(3, integer=True))
        for a in (ax, strip):
            a.set_xlim(lo - 0.5, hi + 0.5)
            a.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
    for col in range(len(samples)):
        axes[0, col].set_ylim(0, top * 1.08 or 1)
    return fig


#: Lines of the estimator comparison, top panel (rate difference): specification -> colour, width, style.
ESTIMATOR_LINES = {
    "Two-way fixed effects as before (legislating countries only, to 2018)": (S.CONTEXT, 2.0, (0, (4, 2))),
    "Two-way fixed effects, this design": (S.CONTEXT_LABEL, 1.2, "-"),
    "Callaway-Sant'Anna, not-yet-treated": (S.HIGHLIGHT, 2.2, "-"),
    "Callaway-Sant'Anna, never-treated": (S.MAROON, 1.2, "-"),
    "Imputation (Borusyak-Jaravel-Spiess)": (S.DENIM, 1.4, "-"),
    "Sun-Abraham, never-treated": (S.TEAL, 1.4, "-"),
}
#: Share of 95 per cent intervals expected to exclude zero when there is no effect.
CHANCE_SHARE = 0.05
ROBUST_SPECIFICATIONS = (
    "Callaway-Sant'Anna, not-yet-treated",
    "Callaway-Sant'Anna, never-treated",
    "Imputation (Borusyak-Jaravel-Spiess)",
    "Sun-Abraham, never-treated",
)
SHORT_LABELS = {
    "Two-way fixed effects as before (legislating countries only, to 2018)": "Two-way FE as before",
    "Two-way fixed effects, this design": "Two-way FE, this design",
    "Callaway-Sant'Anna, not-yet-treated": "Callaway-Sant'Anna (not yet treated)",
    "Callaway-Sant'Anna, never-treated": "Callaway-Sant'Anna (never treated)",
    "Imputation (Borusyak-Jaravel-Spiess)": "Imputation (BJS)",
    "Sun-Abraham, never-treated": "Sun-Abraham",
}


def estimator_comparison_title(table: pd.DataFrame) -> str:
    """The figure's point, from the Kelley-yardstick rows: do the robust estimators see a change after the law?"""
    kelley = table.loc[(table["yardstick"] == table["yardstick"].iloc[0]) & (table["event_time"] >= 0)]
    robust = kelley.loc[kelley["specification"].isin(ROBUST_SPECIFICATIONS)].dropna(subset=["ci_low"])
    differ = robust.loc[(robust["ci_low"] > 0) | (robust["ci_high"] < 0)]
    n_spec = robust["specification"].nunique()
    if differ.empty:
        return f"None of {n_spec} robust estimators finds conviction rates changed after criminalisation"
    if len(differ) <= CHANCE_SHARE * len(robust):
        # no more intervals exclude zero than 95 per cent intervals would by chance
        return (
            f"No clear change in conviction rates after criminalisation: {len(differ)} of {len(robust)} robust "
            "estimates differ from zero"
        )
    return f"Conviction rates changed after criminalisation: {len(differ)} of {len(robust)} robust estimates differ from zero"


@figure(
    "event_study_estimators",
    caption="Event study of persons convicted per 100,000 around the year of full criminalisation: the two-way fixed "
    "effects path as before beside heterogeneity-robust estimators (Callaway-Sant'Anna, imputation, Sun-Abraham) "
    "with not-yet-criminalised controls, and the Poisson rate ratio.",
    datasets=("convictions", "legislation", "sources"),
    notebook="03-convictions-vs-legislation",
)
def event_study_estimators(
    convictions: pd.DataFrame | None = None,
    legislation: pd.DataFrame | None = None,
    sources: pd.DataFrame | None = None,
    *,
    comparison: pd.DataFrame | None = None,
) -> Figure:
    """The estimator comparison (Kelley yardstick): rate differences above, the Poisson log rate ratio below.

    ``comparison`` is the table of ``tipstats.analysis.convictions.staggered_design.estimator_comparison``
    (computed for the Kelley yardstick if not given; only its Kelley rows are drawn).
    """
    from tipstats.analysis.convictions import staggered_design as sd

    conv = _load("convictions", convictions)
    leg = _load("legislation", legislation)
    # the table `make tables` wrote comes from the same cached computation (every yardstick)
    table = comparison if comparison is not None else sd.estimator_comparison(convictions, legislation)
    table = table.loc[table["yardstick"] == sd.YARDSTICK_KELLEY]
    lo, hi = int(table["event_time"].min()), int(table["event_time"].max())
    previous = table.loc[table["specification"] == sd.PREVIOUS_LABEL].set_index("event_time")
    design = table.loc[table["specification"] != sd.PREVIOUS_LABEL]
    first, last = int(design["first_year"].min()), int(design["last_year"].max())
    n_countries, n_controls = int(design["n_countries"].max()), int(design["n_controls"].max())
    subtitle = (
        "Difference in persons convicted per 100,000 population against the year before full criminalisation "
        f"(Kelley year), by years since it. This design: {n_countries} countries, {n_controls} of them not yet "
        f"fully criminalised when Kelley last observed them (controls up to that year), {first}-{last}."
    )
    if not previous.empty:
        subtitle += (
            f" Two-way fixed effects as before: legislating countries only, to {int(previous['last_year'].max())}, "
            f"ends binned ({hi} or more: {previous.loc[hi, 'estimate']:+.2f})."
        )
    fig, axes = S.new_figure(
        estimator_comparison_title(table),
        subtitle,
        source_ids=_sources(conv, leg),
        sources=sources,
        note="Band: 95 per cent interval of Callaway-Sant'Anna (not-yet-treated controls), clustered by country; "
        "'<5' counts at 2. Below: Poisson with population exposure, so the most populous countries weigh most.",
        nrows=2,
        width=9.0,
        height=8.2,
        right=2.75,
        hspace=0.35,
        gridspec_kw={"height_ratios": [2.2, 1]},
    )
    ax, low = axes
    lines = []
    for spec, (colour, width, style) in ESTIMATOR_LINES.items():
        rows = table.loc[table["specification"] == spec].sort_values("event_time")
        if rows.empty:
            continue
        if spec == ROBUST_SPECIFICATIONS[0]:
            ax.fill_between(rows["event_time"], rows["ci_low"], rows["ci_high"], color=colour, alpha=0.15,
                            linewidth=0, label="_ci", gid="interval")  # fmt: skip
        (line,) = ax.plot(
            rows["event_time"], rows["estimate"], color=colour, linewidth=width, linestyle=style,
            marker="o", markersize=2.5, label=SHORT_LABELS.get(spec, spec), gid="estimates",
            zorder=3 if colour == S.HIGHLIGHT else 2,
        )  # fmt: skip
        lines.append(line)
    poisson = table.loc[table["estimator"] == "wooldridge_poisson"].sort_values("event_time")
    if not poisson.empty:
        low.fill_between(poisson["event_time"], poisson["ci_low"], poisson["ci_high"], color=S.PURPLE, alpha=0.15,
                         linewidth=0, label="_ci", gid="interval")  # fmt: skip
        (pline,) = low.plot(
            poisson["event_time"], poisson["estimate"], color=S.PURPLE, linewidth=1.6, marker="o", markersize=2.5,
            label="Wooldridge Poisson", gid="estimates",
        )  # fmt: skip
        S.label_line_ends(low, [pline], pad_pt=9)
    for a in (ax, low):
        # the zero line stops at the last event time, so that it does not run under the end labels
        a.plot(
            [lo - 0.5, hi], [0, 0], color=S.ANNOTATION, linewidth=0.8, zorder=1.5, label="_zero", gid="zero"
        )
        a.set_xlim(lo - 0.5, hi + 0.5)
        a.xaxis.set_major_locator(MaxNLocator(integer=True))
    S.add_event_rule(ax, 0, "Year of full\ncriminalisation", ha="left")
    S.add_event_rule(low, 0, "", ha="left")
    for label in S.label_line_ends(ax, lines, pad_pt=9):
        if abs(label.xyann[1]) > LEADER_FROM_PT:
            S.add_leader(label)
    S.axis_title(ax, "Difference in convictions per 100,000")
    S.axis_title(low, "Poisson: log rate ratio")
    low.set_xlabel("Years since full criminalisation (Kelley)")
    return fig


@figure(
    "coverage_heatmap",
    caption="Which countries report persons convicted in which years: a count, a suppressed '<5', a count without "
    "population, or nothing, by legislation cohort.",
    datasets=("convictions", "legislation", "sources"),
    notebook="03-convictions-vs-legislation",
)
def coverage_heatmap(
    convictions: pd.DataFrame | None = None,
    legislation: pd.DataFrame | None = None,
    sources: pd.DataFrame | None = None,
    *,
    coverage: pd.DataFrame | None = None,
) -> Figure:
    """Countries x years of the convictions data, coloured by status, grouped by legislation cohort."""
    conv = _load("convictions", convictions)
    leg = _load("legislation", legislation)
    grid = coverage if coverage is not None else analysis.coverage_matrix(convictions, legislation)
    order = {c: i for i, c in enumerate(analysis.COHORTS)}
    countries = (
        grid.drop_duplicates("iso3")[["iso3", "cohort"]]
        .assign(_rank=lambda d: d["cohort"].map(order).fillna(len(order)))
        .sort_values(["_rank", "iso3"])
    )
    years = sorted(grid["year"].unique())
    statuses = list(STATUS_COLOURS)
    codes = grid.assign(code=grid["status"].map({s: i for i, s in enumerate(statuses)}))
    matrix = codes.pivot(index="iso3", columns="year", values="code").reindex(countries["iso3"])
    usable = grid.loc[grid["status"].isin(["numeric", "suppressed"])].groupby("year")["iso3"].nunique()
    first, last = years[0], years[-1]
    title = (
        f"Convictions data cover {usable.get(first, 0)} countries in {first} and at most "
        f"{int(usable.max())} ({int(usable.idxmax())})"
    )
    fig, ax = S.new_figure(
        title,
        f"Persons convicted of trafficking, {first}-{last}: one row per country (grouped by the Kelley year of full "
        "criminalisation), one column per year, coloured by what the dataUNODC release gives.",
        source_ids=_sources(conv, leg),
        sources=sources,
        width=8.0,
        height=10.0,
        left=1.25,
        right=0.3,
    )
    cmap = ListedColormap([STATUS_COLOURS[s] for s in statuses])
    norm = BoundaryNorm(np.arange(len(statuses) + 1) - 0.5, cmap.N)
    values = matrix.to_numpy(dtype=float)
    ax.pcolormesh(
        np.arange(len(years) + 1) - 0.5, np.arange(len(matrix) + 1) - 0.5, np.ma.masked_invalid(values),
        cmap=cmap, norm=norm, linewidth=0, rasterized=False, gid="coverage",
    )  # fmt: skip
    ax.set_ylim(len(matrix) - 0.5, -0.5)
    ax.set_xticks(range(len(years)), [str(y) if (y - first) % 2 == 0 else "" for y in years])
    ax.xaxis.tick_top()
    ax.tick_params(axis="x", labelsize=7, length=0)
    ax.grid(False)
    ax.set_yticks([])
    ax.spines["bottom"].set_visible(False)
    start = 0
    for cohort, group in countries.groupby("cohort", sort=False):
        size = len(group)
        ax.axhline(start - 0.5, color="white", linewidth=2.5)
        S.annotate(
            ax, -0.5, start + size / 2 - 0.5, f"{cohort}\n({size} countries)", xytext=(-6, 0),
            textcoords="offset points", ha="right", va="center", fontsize=7.5, gid="cohort-label",
        )  # fmt: skip
        start += size
    ax.legend(
        handles=[Patch(facecolor=STATUS_COLOURS[s], label=STATUS_LABELS[s]) for s in statuses],
        loc="lower left", bbox_to_anchor=(0, 1.02), ncol=len(statuses), frameon=False, fontsize=7.5,
        handlelength=1.2, borderaxespad=0, columnspacing=1.2,
    )  # fmt: skip
    return fig


#: Specification curve: colour of each estimator, and the rows of the indicator panel per quantity.
ESTIMATOR_COLOURS = {
    "pooled ratio": S.DENIM,
    "poisson": S.TEAL,
    "negative binomial": S.CAMEL,
    "poisson, none or unknown as a level": S.PURPLE,
}
SAMPLE_ORDER = [analysis.SAMPLE_ALL, analysis.SAMPLE_MATCHED, analysis.SAMPLE_BALANCED]
ESTIMATOR_LABELS = {
    "pooled ratio": "pooled ratio",
    "poisson": "Poisson",
    "negative binomial": "negative binomial",
    "poisson, none or unknown as a level": "Poisson, 'none or unknown' a level",
}


def _indicator_rows(rows: pd.DataFrame, tripling: bool) -> list[tuple[str, str, str]]:
    """(column, value, label) of each indicator row, top to bottom, for the values present."""
    if tripling:
        endpoint = rows["end_years"] + " / " + rows["base_years"]
        dims = [("estimator", None), ("sample", None), ("weighting", None), ("_endpoints", endpoint)]
    else:
        dims = [
            ("estimator", None),
            ("sample", None),
            ("weighting", None),
            ("yardstick", None),
            ("base_years", None),
        ]
    out = []
    for column, values in dims:
        series = values if values is not None else rows[column]
        for value in dict.fromkeys(series):  # first-seen order is stable: the table is sorted
            label = ESTIMATOR_LABELS.get(value, value) if column == "estimator" else value
            out.append((column, value, label if column != "base_years" else f"window {value}"))
    # estimators and samples in their stated order; other values as the sorted table first shows them
    endpoints = [f"{robustness.years_label(e)} / {robustness.years_label(b)}"
                 for b, e in robustness.ENDPOINTS]  # fmt: skip
    order = {
        "estimator": list(ESTIMATOR_COLOURS),
        "sample": SAMPLE_ORDER,
        "weighting": [*bounds.ESTIMANDS, robustness.COUNT_MODEL],
        "yardstick": [robustness.KELLEY_ONLY, robustness.WITH_US_TIP],
        "_endpoints": endpoints,
        "base_years": [f"{analysis.WINDOW[0]}-{end}" for end in robustness.RATE_RATIO_END_YEARS],
    }
    names = [d for d, _ in dims]

    def rank(row: tuple[str, str, str]) -> tuple[int, int]:
        known = order.get(row[0], [])
        return names.index(row[0]), known.index(row[1]) if row[1] in known else 0

    return sorted(out, key=rank)


def _spec_panel(ax, strip, rows: pd.DataFrame, claim: float, primary: dict[str, str], tripling: bool) -> None:
    rows = rows.sort_values("rank").reset_index(drop=True)
    x = np.arange(1, len(rows) + 1, dtype=float)
    if tripling:
        rows = rows.assign(_endpoints=rows["end_years"] + " / " + rows["base_years"])
    sharp = rows["bound_low"].notna()
    ax.vlines(x[sharp], rows.loc[sharp, "bound_low"], rows.loc[sharp, "bound_high"], color=S.ANNOTATION,
              linewidth=2.2, alpha=0.55, label="_bounds", gid="lt5-bounds")  # fmt: skip
    for estimator, colour in ESTIMATOR_COLOURS.items():
        mine = (rows["estimator"] == estimator).to_numpy()
        if mine.any():
            ax.plot(x[mine], rows.loc[mine, "value"], linestyle="none", marker="o", markersize=3.6, color=colour,
                    label=ESTIMATOR_LABELS[estimator], gid="specification")  # fmt: skip
    is_primary = np.ones(len(rows), dtype=bool)
    for column, value in primary.items():
        is_primary &= (rows[column] == value).to_numpy()
    ax.plot(x[is_primary], rows.loc[is_primary, "value"], linestyle="none", marker="o", markersize=8.5,
            markerfacecolor="none", markeredgecolor=S.HIGHLIGHT, markeredgewidth=1.3, label="_primary",
            gid="verdict-estimate")  # fmt: skip
    ax.axhline(claim, color=S.HIGHLIGHT, linestyle="--", linewidth=1.1, zorder=1.5, gid="claim")
    ax.set_yscale("log")
    values = rows["value"].dropna()
    low = min(float(values.min()), float(rows["bound_low"].min(skipna=True) or values.min()), claim)
    high = max(float(values.max()), float(rows["bound_high"].max(skipna=True) or values.max()), claim)
    ax.set_ylim(low / 1.5, high * 1.6)
    ticks = [t for t in (0.1, 0.2, 0.5, 1, 2, 3, 5, 10) if low / 1.5 <= t <= high * 1.6]
    ax.set_yticks(ticks, [f"{t:g}" for t in ticks])
    ax.yaxis.set_minor_locator(NullLocator())
    if tripling:
        text = f'claim: "nearly tripled" ({claim:g})'
        S.annotate(ax, 0.0, claim, text, xytext=(4, 3), textcoords="offset points", va="bottom",
                   color=S.HIGHLIGHT, gid="claim-label", xycoords=("axes fraction", "data"))  # fmt: skip
    else:
        text = f"no difference ({claim:g}); the claim needs a ratio below it"
        S.annotate(ax, 1.0, claim, text, xytext=(-4, -3), textcoords="offset points", va="top", ha="right",
                   color=S.HIGHLIGHT, gid="claim-label", xycoords=("axes fraction", "data"))  # fmt: skip
    ax.set_xticks([])
    indicators = _indicator_rows(rows, tripling)
    for i, (column, value, _label) in enumerate(indicators):
        on = (rows[column] == value).to_numpy()
        strip.plot(x[on], np.full(on.sum(), i), linestyle="none", marker="s", markersize=2.8, color=S.ANNOTATION,
                   label="_indicator", gid="indicator")  # fmt: skip
    groups = [c for c, _, _ in indicators]
    for i in range(1, len(groups)):
        if groups[i] != groups[i - 1]:
            strip.axhline(i - 0.5, color="#dddddd", linewidth=0.6, zorder=0)
    strip.set_yticks(range(len(indicators)), [label for _, _, label in indicators])
    strip.tick_params(axis="y", labelsize=6.8, length=0)
    strip.set_ylim(len(indicators) - 0.5, -0.5)
    strip.grid(False)
    strip.set_xticks([])
    for a in (ax, strip):
        a.set_xlim(0.3, len(rows) + 0.7)


@figure(
    "convictions_specification_curve",
    caption="Specification curves of the two ratios of paragraph 6: every estimator, sample, weighting, yardstick "
    "and end year, sorted by estimate, with sharp '<5' bounds where they exist and the claim's value as a dashed line.",
    datasets=("convictions", "legislation", "sources"),
    notebook="03-convictions-vs-legislation",
)
def convictions_specification_curve(
    convictions: pd.DataFrame | None = None,
    legislation: pd.DataFrame | None = None,
    sources: pd.DataFrame | None = None,
    *,
    curve: pd.DataFrame | None = None,
) -> Figure:
    """Specification curves of the tripling ratio and of the rate ratio later / before 2003.

    ``curve`` is the table of ``tipstats.analysis.convictions.robustness.specification_curve``
    (computed if not given). Points: estimates with every '<5' at 2; grey bars: sharp '<5' bounds;
    ringed: the specification the claims audit's verdict uses. Below each curve, which choices make
    each specification.
    """
    conv = _load("convictions", convictions)
    leg = _load("legislation", legislation)
    table = curve if curve is not None else robustness.specification_curve(convictions, legislation)
    trip = table.loc[table["quantity"] == robustness.TRIPLING]
    rate = table.loc[table["quantity"] == robustness.RATE_RATIO]
    region_low = analysis.CLAIM_REGION[0]
    reach = int((trip["value"] >= region_low).sum())
    earlier = int((rate["value"] < robustness.CLAIM_VALUES[robustness.RATE_RATIO]).sum())
    reach_text = "None" if reach == 0 else f"{reach}"
    earlier_text = "none" if earlier == 0 else f"{earlier}"
    title = (
        f"{reach_text} of {len(trip)} estimates reach 'nearly tripled' (at least {region_low:g}), and {earlier_text} "
        f"of {len(rate)} find higher conviction rates where legislation came before 2003"
    )
    fig, axes = S.new_figure(
        title,
        "Left: ratio of the conviction rate at the end to 2003. Right: rate ratio of countries legislating 2003 or "
        "later against before 2003. One point per specification, sorted by estimate (log scale); every '<5' at 2; "
        "grey bars: sharp '<5' bounds; ringed: the estimate of the audit's verdict. Below: the choices behind each point.",
        source_ids=_sources(conv, leg),
        sources=sources,
        note="Bounds exist for pooled ratios and the two-cohort Poisson fit; models with country effects, the negative "
        "binomial and the three-level Poisson share cells across years, so they have none. The tripling ratio does not "
        "use legislation years (no yardstick).",
        nrows=2,
        ncols=2,
        width=12.0,
        height=8.6,
        left=1.75,
        right=0.3,
        wspace=0.5,
        hspace=0.08,
        gridspec_kw={"height_ratios": [2.3, 2.0]},
    )
    primary_trip = {"estimator": bounds.POOLED_RATIO, "sample": analysis.SAMPLE_BALANCED,
                    "weighting": bounds.POPULATION_WEIGHTED, "base_years": str(analysis.WINDOW[0]),
                    "end_years": str(analysis.WINDOW[1])}  # fmt: skip
    primary_rate = {"estimator": analysis.POISSON, "sample": analysis.SAMPLE_ALL, "yardstick": robustness.KELLEY_ONLY,
                    "end_years": str(analysis.WINDOW[1])}  # fmt: skip
    _spec_panel(
        axes[0, 0], axes[1, 0], trip, robustness.CLAIM_VALUES[robustness.TRIPLING], primary_trip, True
    )
    _spec_panel(
        axes[0, 1], axes[1, 1], rate, robustness.CLAIM_VALUES[robustness.RATE_RATIO], primary_rate, False
    )
    axes[0, 0].set_title("Tripling ratio, end year / 2003", loc="left", fontsize=8.5)
    axes[0, 1].set_title(f"Rate ratio, {COHORT_LATER} / {COHORT_BEFORE}", loc="left", fontsize=8.5)
    handles, labels = axes[0, 1].get_legend_handles_labels()
    axes[0, 1].legend(handles, labels, loc="upper left", frameon=False, fontsize=7, handletextpad=0.3)
    return fig
