"""The two statements of A/76/120 paragraph 6 as verdict rows, with the rules that decide them."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from tipstats.analysis.convictions._base import (
    CLAIM_REGION,
    HEADLINE_TREATMENT,
    NOT_A_TREND_NOTE,
    POISSON,
    SAMPLE_ALL,
    SAMPLE_BALANCED,
    SAMPLE_MATCHED,
    SPEC_POOLED,
    STATEMENT_HIGHER,
    STATEMENT_TRIPLED,
    STATEMENTS,
    _fmt,
    _sort,
)
from tipstats.analysis.convictions.bounds import (
    BOUND_FILLS,
    BOUND_HIGH,
    BOUND_LOW,
    ESTIMAND_TEXT,
    POPULATION_WEIGHTED,
    rate_ratios_at_bounds,
    tripling_at_bounds,
)
from tipstats.analysis.convictions.robustness import robustness_checks
from tipstats.cache import cached_when_default
from tipstats.facts import COHORT_BEFORE, COHORT_LATER

# -- verdicts --------------------------------------------------------------------------------


def tripling_verdict(
    ratio: float, low: float, high: float, region: tuple[float, float] = CLAIM_REGION
) -> str:
    """Verdict on "nearly tripled" from a ratio and its interval (rule in :func:`verdicts`).

    >>> tripling_verdict(2.8, 2.1, 3.6)
    'reproduced'
    >>> tripling_verdict(1.6, 1.2, 2.1)
    'differs'
    >>> tripling_verdict(1.1, 0.7, 1.8)
    'not reproduced'
    >>> tripling_verdict(3.5, 2.2, 5.0)
    'inconclusive'
    """
    if any(math.isnan(x) for x in (ratio, low, high)):
        return "inconclusive"
    r_lo, r_hi = region
    overlaps = low <= r_hi and high >= r_lo
    if not overlaps:
        return "differs" if low > 1 else "not reproduced"
    if r_lo <= ratio <= r_hi and low > 1:
        return "reproduced"
    return "inconclusive"


def higher_before_verdict(rate_ratio: float, low: float, high: float) -> str:
    """Verdict on "higher before 2003" from the rate ratio later / before 2003 and its interval.

    >>> higher_before_verdict(0.4, 0.2, 0.8)
    'reproduced'
    >>> higher_before_verdict(1.9, 1.2, 3.0)
    'differs'
    >>> higher_before_verdict(0.8, 0.4, 1.6)
    'inconclusive'
    """
    if any(math.isnan(x) for x in (rate_ratio, low, high)):
        return "inconclusive"
    if high < 1:
        return "reproduced"
    if low > 1:
        return "differs"
    return "inconclusive"


def _combine(by_fill: dict[str, str]) -> tuple[str, bool]:
    values = set(by_fill.values())
    if len(values) == 1:
        return values.pop(), False
    return "inconclusive", True


# -- where a point estimate lies, in words ---------------------------------------------------------

TRIPLING_FALL = "fall"
TRIPLING_BELOW = "rise, smaller than claimed"
TRIPLING_INSIDE = "rise, as claimed"
TRIPLING_ABOVE = "rise, larger than claimed"
LATER_HIGHER = "later legislators higher"
EARLIER_HIGHER = "earlier legislators higher"
NO_DIFFERENCE = "no difference"


def tripling_side(ratio: float, region: tuple[float, float] = CLAIM_REGION) -> str:
    """Where a tripling ratio lies: a fall (at most 1), a rise below, inside or above the claim region.

    >>> tripling_side(2.1), tripling_side(2.7), tripling_side(0.3)
    ('rise, smaller than claimed', 'rise, as claimed', 'fall')
    """
    if math.isnan(ratio):
        return ""
    if ratio <= 1:
        return TRIPLING_FALL
    if ratio < region[0]:
        return TRIPLING_BELOW
    return TRIPLING_INSIDE if ratio <= region[1] else TRIPLING_ABOVE


def rate_ratio_side(rate_ratio: float) -> str:
    """Which cohort's rate is higher, from the rate ratio later / before 2003.

    >>> rate_ratio_side(2.2), rate_ratio_side(0.5)
    ('later legislators higher', 'earlier legislators higher')
    """
    if math.isnan(rate_ratio):
        return ""
    if rate_ratio > 1:
        return LATER_HIGHER
    return EARLIER_HIGHER if rate_ratio < 1 else NO_DIFFERENCE


def tripling_direction(ratio: float, base: int, end: int, region: tuple[float, float] = CLAIM_REGION) -> str:
    """The point estimate of the tripling ratio in words, against the claim.

    >>> tripling_direction(2.1, 2003, 2018)
    'the ratio 2018 / 2003 is 2.1: the rate rose, by less than the claim (2.5 to 3 times, "nearly tripled")'
    >>> tripling_direction(0.32, 2003, 2018)
    'the ratio 2018 / 2003 is 0.32: the rate fell, the opposite of the claim (2.5 to 3 times, "nearly tripled")'
    """
    side = tripling_side(ratio, region)
    claim = f'the claim ({_fmt(region[0])} to {_fmt(region[1])} times, "nearly tripled")'
    words = {
        TRIPLING_FALL: f"the rate fell, the opposite of {claim}",
        TRIPLING_BELOW: f"the rate rose, by less than {claim}",
        TRIPLING_INSIDE: f"the rate rose as much as {claim}",
        TRIPLING_ABOVE: f"the rate rose, by more than {claim}",
    }
    return f"the ratio {end} / {base} is {_fmt(ratio)}: {words.get(side, 'no estimate')}"


def rate_ratio_direction(rate_ratio: float) -> str:
    """The point estimate of the rate ratio later / before 2003 in words, against the claim.

    >>> rate_ratio_direction(2.2)
    'the rate ratio of later against earlier legislators is 2.2: later legislators convict more, the opposite of the claim'
    >>> rate_ratio_direction(0.5)
    'the rate ratio of later against earlier legislators is 0.5: earlier legislators convict more, as the claim says'
    """
    side = rate_ratio_side(rate_ratio)
    words = {
        LATER_HIGHER: "later legislators convict more, the opposite of the claim",
        EARLIER_HIGHER: "earlier legislators convict more, as the claim says",
        NO_DIFFERENCE: "the two cohorts convict at the same rate, not as the claim says",
    }
    return f"the rate ratio of later against earlier legislators is {_fmt(rate_ratio)}: {words.get(side, 'no estimate')}"


# -- verdicts --------------------------------------------------------------------------------


def _bounds_text(row: pd.Series) -> str:
    return f"{_fmt(row['bound_low'])} to {_fmt(row['bound_high'])}" if "bound_low" in row else ""


def _checks_text(checks: pd.DataFrame, side_of: Any, main_side: str) -> tuple[str, bool, list[str]]:
    """The robustness checks in words; whether every check's point estimate lies on the main side."""
    parts, against = [], []
    for r in checks.itertuples():
        text = f"{r.check}: {_fmt(r.value)}"
        if not math.isnan(r.bound_low):
            text += f" (bounds {_fmt(r.bound_low)} to {_fmt(r.bound_high)})"
        elif not math.isnan(r.ci_low):
            text += f" (95% interval {_fmt(r.ci_low)} to {_fmt(r.ci_high)})"
        side = side_of(r.value)
        if side and side != main_side:
            text += f", {side}"
            against.append(str(r.check))
        parts.append(text)
    return "; ".join(parts), not against, against


def _decide(verdict: str, robust: bool, against: list[str]) -> tuple[str, str]:
    """A decided verdict that a robustness check contradicts becomes inconclusive; the reason in words."""
    if robust:
        return verdict, verdict
    other = f"{', '.join(against)} {'points' if len(against) == 1 else 'point'} the other way"
    if verdict != "inconclusive":
        return "inconclusive", f"inconclusive: {verdict} on the primary estimate, but not robust ({other})"
    return verdict, f"{verdict}; the direction of the point estimate is not robust either ({other})"


@cached_when_default  # computed once per data change, shared by tables, figures, claims, notebooks
def verdicts(
    convictions: pd.DataFrame | None = None,
    legislation: pd.DataFrame | None = None,
    *,
    tripling: pd.DataFrame | None = None,
    rate_ratios: pd.DataFrame | None = None,
    checks: pd.DataFrame | None = None,
    claim_region: tuple[float, float] = CLAIM_REGION,
    **options: Any,
) -> pd.DataFrame:
    """The two statements of paragraph 6 as rows: value, sharp bounds, interval, verdict, direction, robustness.

    ``tripling`` (:func:`~.bounds.tripling_at_bounds`), ``rate_ratios``
    (:func:`~.bounds.rate_ratios_at_bounds`) and ``checks`` (:func:`~.robustness.robustness_checks`)
    may be passed if already computed; otherwise they are computed with ``options`` (window,
    min_share, n_boot, seed...). Each result comes at three '<5' fills: ``middle`` (every '<5' at 2)
    and the two fills of the sharp bounds (``bound low``: numerator's '<5' at 0, denominator's at 4;
    ``bound high``: the reverse), each with its own 95 % interval.

    Estimand. "Nearly tripled" is about "the number of people convicted globally, per 100,000
    population": the population-weighted ratio of pooled rates, end year / 2003. "Higher before
    2003" is read as the rate ratio of the countries legislating 2003 or later against those
    legislating before 2003, same year, from a Poisson model with year effects fitted on the two
    cohorts' countries (population-weighted within years; the fit whose '<5' bounds are sharp, see
    :mod:`.bounds`). The country-average estimands are robustness checks.

    Rule for "nearly tripled" (statement ``tripled_since_2003``), "nearly tripled" read as a ratio
    in ``claim_region`` = [2.5, 3.0]:

    - ``reproduced``: the estimate lies in the region and the interval excludes 1;
    - ``differs``: the interval lies wholly outside the region but above 1 (a clear rise, of
      another size);
    - ``not reproduced``: the interval lies wholly outside the region and does not exclude a
      ratio of 1 or below (no clear rise);
    - ``inconclusive``: anything else.

    Rule for "higher before 2003" (statement ``higher_if_legislated_before_2003``):
    ``reproduced`` when the interval lies wholly below 1, ``differs`` wholly above 1,
    ``inconclusive`` when it includes 1.

    A verdict is computed at each fill (``verdict_bound_low``, ``verdict_middle``,
    ``verdict_bound_high``); if they disagree it is ``inconclusive`` and
    ``conclusion_changes_with_lt5`` is True. A decided verdict must also be robust: when the point
    estimate of a check (the country average, averaged endpoints, the ratio without the most
    influential country, other count models) lies on another side (``direction``: a fall or a rise
    below, inside or above the region; which cohort is higher), the verdict is ``inconclusive``
    and ``robust`` is False. ``direction`` and the explanation state in words where the point
    estimate lies against the claim, whatever the verdict. ``value`` is the mid-point estimate,
    ``value_lower`` / ``value_upper`` its sharp '<5' bounds and ``ci_low`` / ``ci_high`` the widest
    95 % interval over the three fills. The ``primary`` row of each statement is the one the claims
    audit uses: the ``balanced`` sample for the trend (a trend needs a fixed set of countries) and
    ``all reporting`` for the cohort comparison (the year effects absorb the changing composition
    over time, and a cross-country comparison needs as many countries as possible).
    """
    if tripling is None:
        keys = ("base_year", "end_year", "window", "min_share", "n_boot", "seed", "extend_with_us_tip")
        tripling = tripling_at_bounds(
            convictions, legislation, **{k: v for k, v in options.items() if k in keys}
        )
    if rate_ratios is None:
        keys = ("window", "min_share", "extend_with_us_tip")
        rate_ratios = rate_ratios_at_bounds(
            convictions, legislation, **{k: v for k, v in options.items() if k in keys}
        )
    if checks is None:
        keys = ("window", "min_share")
        checks = robustness_checks(
            convictions, legislation, **{k: v for k, v in options.items() if k in keys}
        )
    fills = BOUND_FILLS
    lo_r, hi_r = claim_region
    rows = []
    for sample, primary in ((SAMPLE_BALANCED, True), (SAMPLE_MATCHED, False), (SAMPLE_ALL, False)):
        sub = tripling[tripling["sample"] == sample].set_index("suppressed")
        if not set(fills) <= set(sub.index):
            continue
        by_fill = {f: tripling_verdict(sub.loc[f, "ratio"], sub.loc[f, "ci_low"], sub.loc[f, "ci_high"], claim_region)
                   for f in fills}  # fmt: skip
        verdict, changes = _combine(by_fill)
        mid = sub.loc[HEADLINE_TREATMENT]
        base, end = int(mid["base_year"]), int(mid["end_year"])
        value, low_b, high_b = mid["ratio"], sub.loc[BOUND_LOW, "ratio"], sub.loc[BOUND_HIGH, "ratio"]
        ci_low, ci_high = float(sub["ci_low"].min()), float(sub["ci_high"].max())
        main_side = tripling_side(value, claim_region)
        mine = checks[(checks["statement_id"] == STATEMENT_TRIPLED) & (checks["sample"] == sample)]
        checks_text, robust, against = _checks_text(mine, lambda v: tripling_side(v, claim_region), main_side)
        verdict, reason = _decide(verdict, robust, against)
        comparable = (
            "same countries in both years" if bool(mid["comparable"]) else "different countries each year"
        )
        explanation = (
            f"{sample}: {tripling_direction(value, base, end, claim_region)}. Estimand: population-weighted, "
            f"{ESTIMAND_TEXT[POPULATION_WEIGHTED]}, over {int(mid['n_countries'])} countries ({comparable}); "
            f"{_fmt(mid['rate_base_per_100k'])} -> {_fmt(mid['rate_end_per_100k'])} per 100,000. "
            f"Sharp '<5' bounds {_fmt(low_b)} to {_fmt(high_b)}; 95% bootstrap interval {_fmt(ci_low)} to "
            f"{_fmt(ci_high)} over the '<5' fills. Robustness: {checks_text or 'none'}. Verdict: {reason}"
        )
        if not bool(mid["comparable"]):
            explanation += f" ({NOT_A_TREND_NOTE})"
        rows.append(
            {"statement_id": STATEMENT_TRIPLED, "sample": sample, "primary": primary,
             "measure": f"ratio of pooled rate per 100,000, {end} / {base}", "estimand": POPULATION_WEIGHTED,
             "value": value, "ci_low": ci_low, "ci_high": ci_high, "value_lower": low_b, "value_upper": high_b,
             "n_countries": int(mid["n_countries"]), "n_obs": int(mid["n_countries_base"] + mid["n_countries_end"]),
             **{f"verdict_{f.replace(' ', '_')}": by_fill[f] for f in fills}, "verdict": verdict,
             "conclusion_changes_with_lt5": changes, "direction": main_side, "robust": robust,
             "explanation": explanation}
        )  # fmt: skip
    pooled = rate_ratios[
        (rate_ratios["specification"] == SPEC_POOLED) & (rate_ratios["cohort"] == COHORT_LATER)
    ]
    for sample, primary in ((SAMPLE_ALL, True), (SAMPLE_BALANCED, False)):
        sub = pooled[(pooled["sample"] == sample) & (pooled["model"] == POISSON)].set_index("suppressed")
        if not set(fills) <= set(sub.index):
            continue
        by_fill = {f: higher_before_verdict(sub.loc[f, "rate_ratio"], sub.loc[f, "ci_low"], sub.loc[f, "ci_high"])
                   for f in fills}  # fmt: skip
        verdict, changes = _combine(by_fill)
        mid = sub.loc[HEADLINE_TREATMENT]
        value, low_b, high_b = (
            mid["rate_ratio"],
            sub.loc[BOUND_LOW, "rate_ratio"],
            sub.loc[BOUND_HIGH, "rate_ratio"],
        )
        ci_low, ci_high = float(sub["ci_low"].min()), float(sub["ci_high"].max())
        main_side = rate_ratio_side(value)
        mine = checks[(checks["statement_id"] == STATEMENT_HIGHER) & (checks["sample"] == sample)]
        checks_text, robust, against = _checks_text(mine, rate_ratio_side, main_side)
        verdict, reason = _decide(verdict, robust, against)
        includes = (
            "includes 1" if ci_low <= 1 <= ci_high else ("lies above 1" if ci_low > 1 else "lies below 1")
        )
        explanation = (
            f"{sample}: {rate_ratio_direction(value)}. Poisson rate ratio with year effects, legislated "
            f"{COHORT_LATER} ({int(mid['n_countries_cohort'])} countries) against {COHORT_BEFORE} "
            f"({int(mid['n_countries_reference'])} countries), same year, {int(mid['n_obs'])} country-years, "
            f"{mid['window']}. Sharp '<5' bounds {_fmt(low_b)} to {_fmt(high_b)}; the 95% interval over the '<5' "
            f"fills, {_fmt(ci_low)} to {_fmt(ci_high)}, {includes}. Robustness: {checks_text or 'none'}. "
            f"Verdict: {reason}"
        )
        rows.append(
            {"statement_id": STATEMENT_HIGHER, "sample": sample, "primary": primary,
             "measure": f"rate ratio {COHORT_LATER} / {COHORT_BEFORE} (Poisson, year effects)",
             "estimand": POPULATION_WEIGHTED, "value": value, "ci_low": ci_low, "ci_high": ci_high,
             "value_lower": low_b, "value_upper": high_b,
             "n_countries": int(mid["n_countries"]), "n_obs": int(mid["n_obs"]),
             **{f"verdict_{f.replace(' ', '_')}": by_fill[f] for f in fills}, "verdict": verdict,
             "conclusion_changes_with_lt5": changes, "direction": main_side, "robust": robust,
             "explanation": explanation}
        )  # fmt: skip
    out = pd.DataFrame(rows)
    out.insert(1, "statement", out["statement_id"].map(STATEMENTS))
    return _sort(out, ["statement_id", "sample"])
