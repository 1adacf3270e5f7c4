"""The two statements of A/76/120 paragraph 6 as verdict rows, with the rules that decide them."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from tipstats.analysis.convictions._base import (
    CLAIM_REGION,
    HEADLINE_TREATMENT,
    NEGBIN,
    NOT_A_TREND_NOTE,
    POISSON,
    SAMPLE_ALL,
    SAMPLE_BALANCED,
    SAMPLE_MATCHED,
    SPEC_POOLED,
    STATEMENT_HIGHER,
    STATEMENT_TRIPLED,
    STATEMENTS,
    TREATMENTS,
    _fmt,
    _sort,
)
from tipstats.analysis.convictions.models import cohort_rate_ratios
from tipstats.analysis.convictions.rates import tripling_ratio
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


def _combine(by_treatment: dict[str, str]) -> tuple[str, bool]:
    values = set(by_treatment.values())
    if len(values) == 1:
        return values.pop(), False
    return "inconclusive", True


@cached_when_default  # computed once per data change, shared by tables, figures, claims, notebooks
def verdicts(
    convictions: pd.DataFrame | None = None,
    legislation: pd.DataFrame | None = None,
    *,
    tripling: pd.DataFrame | None = None,
    rate_ratios: pd.DataFrame | None = None,
    claim_region: tuple[float, float] = CLAIM_REGION,
    **options: Any,
) -> pd.DataFrame:
    """The two statements of paragraph 6 as rows: value, interval, n, verdict, and how it was reached.

    ``tripling`` and ``rate_ratios`` may be passed if already computed (from :func:`tripling_ratio`
    and :func:`cohort_rate_ratios` with all three treatments); otherwise they are computed with
    ``options`` (window, min_share, n_boot, seed...).

    Rule for "nearly tripled" (statement ``tripled_since_2003``). The measure is the ratio of pooled
    rates, end year / 2003, with its 95 % bootstrap interval. "Nearly tripled" is read as a ratio in
    ``claim_region`` = [2.5, 3.0]: more than two and a half times, up to three times.

    - ``reproduced``: the estimate lies in the region and the interval excludes 1;
    - ``differs``: the interval lies wholly outside the region but above 1 (a clear rise, of
      another size);
    - ``not reproduced``: the interval lies wholly outside the region and does not exclude a
      ratio of 1 or below (no clear rise);
    - ``inconclusive``: anything else (the interval overlaps the region but the estimate lies
      outside it, or the interval also includes 1).

    Rule for "higher before 2003" (statement ``higher_if_legislated_before_2003``). The measure is
    the rate ratio of the pooled cohort ``2003 or later`` against ``before 2003`` from the Poisson
    model with year effects (specification ``pooled``), with its 95 % interval.

    - ``reproduced``: the interval lies wholly below 1 (later legislators convict less);
    - ``differs``: the interval lies wholly above 1 (the opposite);
    - ``inconclusive``: the interval includes 1.

    A verdict is computed under each "<5" treatment (``verdict_lower``, ``verdict_middle``,
    ``verdict_upper``). ``verdict`` is their common value; if they disagree the verdict is
    ``inconclusive`` and ``conclusion_changes_with_lt5`` is True. ``value`` and its interval are
    the ``middle`` treatment's. The ``primary`` row of each statement is the one the claims audit
    uses: the ``balanced`` sample for the trend (a trend needs a fixed set of countries) and the
    ``all reporting`` sample for the cohort comparison (the model's year effects absorb the
    changing composition over time, and a cross-country comparison needs as many countries as
    possible). The other samples are shown as sensitivity rows.
    """
    treatments = TREATMENTS
    if tripling is None:
        keys = ("base_year", "end_year", "window", "min_share", "n_boot", "seed", "extend_with_us_tip")
        tripling = tripling_ratio(convictions, legislation, **{k: v for k, v in options.items() if k in keys})
    if rate_ratios is None:
        keys = ("window", "min_share", "extend_with_us_tip")
        rate_ratios = cohort_rate_ratios(
            convictions, legislation, **{k: v for k, v in options.items() if k in keys}
        )
    rows = []
    lo_r, hi_r = claim_region
    for sample, primary in ((SAMPLE_BALANCED, True), (SAMPLE_MATCHED, False), (SAMPLE_ALL, False)):
        sub = tripling[tripling["sample"] == sample].set_index("suppressed")
        if not set(treatments) <= set(sub.index):
            continue
        by_t = {t: tripling_verdict(sub.loc[t, "ratio"], sub.loc[t, "ci_low"], sub.loc[t, "ci_high"], claim_region)
                for t in treatments}  # fmt: skip
        verdict, changes = _combine(by_t)
        mid = sub.loc[HEADLINE_TREATMENT]
        base, end = int(mid["base_year"]), int(mid["end_year"])
        comparable = (
            "same countries in both years" if bool(mid["comparable"]) else "different countries each year"
        )
        explanation = (
            f"{sample}: pooled rate {end}/{base} = {_fmt(mid['ratio'])} "
            f"(95% bootstrap interval {_fmt(mid['ci_low'])} to {_fmt(mid['ci_high'])}; "
            f"{_fmt(mid['rate_base_per_100k'])} -> {_fmt(mid['rate_end_per_100k'])} per 100,000) "
            f"over {int(mid['n_countries'])} countries ({comparable}); '<5' as 0 / 4 gives "
            f"{_fmt(sub.loc['lower', 'ratio'])} / {_fmt(sub.loc['upper', 'ratio'])}; "
            f"median of the countries' own ratios {_fmt(mid['median_country_ratio'])}; without "
            f"{mid['most_influential_country'] or 'NA'} (the most influential country) the ratio is "
            f"{_fmt(mid['ratio_without_it'])}; claim region {_fmt(lo_r)} to {_fmt(hi_r)}: {verdict}"
        )
        if not bool(mid["comparable"]):
            explanation += f" ({NOT_A_TREND_NOTE})"
        rows.append(
            {"statement_id": STATEMENT_TRIPLED, "sample": sample, "primary": primary,
             "measure": f"ratio of pooled rate per 100,000, {end} / {base}",
             "value": mid["ratio"], "ci_low": mid["ci_low"], "ci_high": mid["ci_high"],
             "value_lower": sub.loc["lower", "ratio"], "value_upper": sub.loc["upper", "ratio"],
             "n_countries": int(mid["n_countries"]), "n_obs": int(mid["n_countries_base"] + mid["n_countries_end"]),
             **{f"verdict_{t}": by_t[t] for t in treatments}, "verdict": verdict,
             "conclusion_changes_with_lt5": changes, "explanation": explanation}
        )  # fmt: skip
    pooled = rate_ratios[
        (rate_ratios["specification"] == SPEC_POOLED) & (rate_ratios["cohort"] == COHORT_LATER)
    ]
    for sample, primary in ((SAMPLE_ALL, True), (SAMPLE_BALANCED, False)):
        sub = pooled[(pooled["sample"] == sample) & (pooled["model"] == POISSON)].set_index("suppressed")
        if not set(treatments) <= set(sub.index):
            continue
        by_t = {t: higher_before_verdict(sub.loc[t, "rate_ratio"], sub.loc[t, "ci_low"], sub.loc[t, "ci_high"])
                for t in treatments}  # fmt: skip
        verdict, changes = _combine(by_t)
        mid = sub.loc[HEADLINE_TREATMENT]
        nb = pooled[(pooled["sample"] == sample) & (pooled["model"] == NEGBIN)].set_index("suppressed")
        nb_text = ""
        if HEADLINE_TREATMENT in nb.index:
            n = nb.loc[HEADLINE_TREATMENT]
            nb_verdict = higher_before_verdict(n["rate_ratio"], n["ci_low"], n["ci_high"])
            nb_text = (
                f"; negative binomial check {_fmt(n['rate_ratio'])} ({_fmt(n['ci_low'])} to "
                f"{_fmt(n['ci_high'])}): {nb_verdict}"
            )
        explanation = (
            f"{sample}: Poisson rate ratio, legislated {COHORT_LATER} ({int(mid['n_countries_cohort'])} countries) "
            f"vs {COHORT_BEFORE} ({int(mid['n_countries_reference'])} countries), same year = "
            f"{_fmt(mid['rate_ratio'])} (95% interval {_fmt(mid['ci_low'])} to {_fmt(mid['ci_high'])}, "
            f"{int(mid['n_obs'])} country-years, {mid['window']}); '<5' as 0 / 4 gives "
            f"{_fmt(sub.loc['lower', 'rate_ratio'])} / {_fmt(sub.loc['upper', 'rate_ratio'])}{nb_text}; "
            f"verdict: {verdict}"
        )
        rows.append(
            {"statement_id": STATEMENT_HIGHER, "sample": sample, "primary": primary,
             "measure": f"rate ratio {COHORT_LATER} / {COHORT_BEFORE} (Poisson, year effects)",
             "value": mid["rate_ratio"], "ci_low": mid["ci_low"], "ci_high": mid["ci_high"],
             "value_lower": sub.loc["lower", "rate_ratio"], "value_upper": sub.loc["upper", "rate_ratio"],
             "n_countries": int(mid["n_countries"]), "n_obs": int(mid["n_obs"]),
             **{f"verdict_{t}": by_t[t] for t in treatments}, "verdict": verdict,
             "conclusion_changes_with_lt5": changes, "explanation": explanation}
        )  # fmt: skip
    out = pd.DataFrame(rows)
    out.insert(1, "statement", out["statement_id"].map(STATEMENTS))
    return _sort(out, ["statement_id", "sample"])
