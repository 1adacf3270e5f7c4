"""Count models (Poisson, negative binomial) with year effects: rate ratios of each legislation cohort."""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from tipstats.analysis.convictions._base import (
    _ORDERS,
    MIN_SHARE,
    MODELS,
    NEGBIN,
    POISSON,
    SAMPLES,
    SPEC_COHORTS,
    SPEC_POOLED,
    TREATMENTS,
    WINDOW,
    _sort,
    _t_inference,
)
from tipstats.analysis.convictions.panel import _panels, _samples
from tipstats.cache import cached_when_default
from tipstats.facts import (
    COHORT_BEFORE,
    COHORT_EARLY,
    COHORT_LATE,
    COHORT_LATER,
    COHORTS,
)

# -- count models: cohort rate ratios ------------------------------------------------------------


def _dummies(values: pd.Series, levels: Sequence[Any], prefix: str) -> pd.DataFrame:
    """One 0/1 column per level (``values == level``), from one lookup of the values among the levels."""
    position = pd.Index(list(levels)).get_indexer(values)  # -1: not one of the levels
    matrix = (position[:, None] == np.arange(len(levels))[None, :]).astype("float64")
    return pd.DataFrame(matrix, columns=[f"{prefix}[{level}]" for level in levels], index=values.index)


@functools.cache
def _negative_binomial_class() -> type:
    """statsmodels' ``NegativeBinomial`` with the NB2 Hessian's parameter block as one matrix product
    and the per-observation score in closed form.

    statsmodels fills that block one element at a time in Python (a sum over the rows per pair of
    parameters: about 20,000 sums per call with country effects) and differentiates the log-likelihood
    numerically for the score of each observation (used by the cluster-robust covariance); both give
    the same values up to rounding in the last digits (tests/test_analysis.py compares
    them). Every other part of the model is statsmodels' own.
    """
    from scipy import special
    from statsmodels.discrete.discrete_model import NegativeBinomial

    class NegativeBinomialNB2(NegativeBinomial):
        def _hessian_nb2(self, params):
            if self.loglike_method != "nb2":
                raise ValueError("the vectorised Hessian is the NB2 model's")
            alpha = np.exp(params[-1]) if self._transparams else params[-1]
            a1 = 1 / alpha
            params = params[:-1]
            exog = self.exog
            y = self.endog[:, None]
            mu = self.predict(params)[:, None]
            prob = a1 / (a1 + mu)
            dgpart = special.digamma(a1 + y) - special.digamma(a1)
            dim = exog.shape[1]
            hess_arr = np.empty((dim + 1, dim + 1))
            const_arr = a1 * mu * (a1 + y) / (mu + a1) ** 2
            hess_arr[:-1, :-1] = -(exog * const_arr).T @ exog
            dldpda = -np.sum(mu * exog * (y - mu) * a1**2 / (mu + a1) ** 2, axis=0)
            hess_arr[-1, :-1] = dldpda
            hess_arr[:-1, -1] = dldpda
            da1 = -(alpha**-2)
            da2 = 2 * alpha**-3
            dalpha = da1 * (dgpart + np.log(prob) - (y - mu) / (a1 + mu))
            dada = (
                da2 * dalpha / da1
                + da1**2
                * (
                    special.polygamma(1, a1 + y)
                    - special.polygamma(1, a1)
                    + 1 / a1
                    - 1 / (a1 + mu)
                    + (y - mu) / (mu + a1) ** 2
                )
            ).sum()
            hess_arr[-1, -1] = dada
            return hess_arr

        def score_obs(self, params):
            # statsmodels differentiates the log-likelihood numerically (a complex step per parameter) for the
            # cluster-robust covariance; this is its analytic NB2 score (`_score_nbin`), one row per observation
            alpha = np.exp(params[-1]) if self._transparams else params[-1]
            y = self.endog[:, None]
            mu = self.predict(params[:-1])[:, None]
            a1 = 1 / alpha
            dparams = self.exog * a1 * (y - mu) / (mu + a1)
            dgpart = special.digamma(y + a1) - special.digamma(a1)
            dalpha = (dgpart + np.log(a1) - np.log(a1 + mu) - (y - mu) / (a1 + mu)) * -(alpha**-2)
            return np.column_stack([dparams, dalpha * alpha if self._transparams else dalpha])

    return NegativeBinomialNB2


def negative_binomial(endog, exog, offset):
    """An NB2 model (statsmodels ``NegativeBinomial(..., loglike_method="nb2")``, faster Hessian)."""
    return _negative_binomial_class()(endog, exog, offset=offset, loglike_method="nb2")


def _fit_count_model(frame: pd.DataFrame, group: str, reference: str, model: str) -> list[dict[str, Any]]:
    """Convictions ~ group + year, offset log(population), errors clustered by country."""
    from tipstats.optional import require

    sm = require("statsmodels.api", "the convictions count model (tipstats.analysis.convictions)")

    # numpy bookkeeping: the bounds and leave-one-out refit this model hundreds of times, and pandas'
    # per-call overhead (masks, nunique, concat of dummies) cost as much as the fit itself
    population = frame["population"].to_numpy(dtype="float64", na_value=np.nan)
    keep = frame["usable"].to_numpy(dtype=bool) & (population > 0)
    cohort = frame[group].to_numpy(dtype=object)[keep]
    groups, countries = pd.factorize(frame["iso3"].to_numpy(dtype=object)[keep], sort=True)
    year = frame["year"].to_numpy()[keep]
    present = set(cohort)  # once, not once per level
    levels = [level for level in _ORDERS["cohort"] if level in present]
    n_obs, n_countries = len(cohort), len(countries)
    counts = {}
    for level in levels:
        rows = cohort == level
        counts[level] = (int(rows.sum()), int(np.unique(groups[rows]).size))
    base = {
        "n_obs": n_obs,
        "n_countries": n_countries,
        "reference": reference,
        "n_countries_reference": counts.get(reference, (0, 0))[1],
    }
    others = [level for level in levels if level != reference]
    if reference not in levels or not others:
        note = (
            f"reference cohort {reference!r} has no usable rows"
            if reference not in levels
            else "one cohort only"
        )
        return [
            {**base, "cohort": level, "rate_ratio": np.nan, "ci_low": np.nan, "ci_high": np.nan,
             "p_value": np.nan, "n_obs_cohort": counts[level][0], "n_countries_cohort": counts[level][1],
             "t_df": np.nan, "converged": False, "dispersion_alpha": np.nan, "note": note}
            for level in others
        ]  # fmt: skip
    years = sorted(np.unique(year).tolist())
    names = ["const", *(f"cohort[{level}]" for level in others), *(f"year[{y}]" for y in years[1:])]
    # column-major, as pandas hands a frame of dummies to statsmodels: the same bits from the same solver
    exog = np.zeros((n_obs, len(names)), dtype="float64", order="F")
    exog[:, 0] = 1.0
    for j, level in enumerate(others, start=1):
        exog[:, j] = cohort == level
    first_year = 1 + len(others)
    for j, y in enumerate(years[1:], start=first_year):
        exog[:, j] = year == y
    exog = pd.DataFrame(exog, columns=names, copy=False)
    endog = frame["convicted"].to_numpy(dtype="float64", na_value=np.nan)[keep]
    offset = np.log(population[keep])
    cluster = {"cov_type": "cluster", "cov_kwds": {"groups": groups}}
    alpha = np.nan
    if model == POISSON:
        # QR rather than the default SVD-based solvers: same estimates, and far faster when the
        # machine's BLAS threads compete with other processes.
        result = sm.GLM(endog, exog, family=sm.families.Poisson(), offset=offset).fit(
            wls_method="qr", **cluster
        )
        converged = bool(result.converged)
        params, bse = result.params, result.bse
    elif model == NEGBIN:
        poisson = sm.GLM(endog, exog, family=sm.families.Poisson(), offset=offset).fit(wls_method="qr")
        start = np.append(poisson.params.to_numpy(), 1.0)
        result = negative_binomial(endog, exog, offset).fit(
            start_params=start, method="bfgs", maxiter=2000, disp=0, **cluster
        )
        converged = bool(result.mle_retvals.get("converged", False))
        params, bse = result.params, result.bse
        alpha = float(params["alpha"])
    else:
        raise ValueError(f"model must be one of {', '.join(MODELS)}, not {model!r}")
    names = [f"cohort[{level}]" for level in others]
    b, s = params[names].to_numpy(), bse[names].to_numpy()
    # A cohort contrast compares two groups of countries: its precision is limited by the smaller
    # group, so the t reference has (smaller group's countries - 1) degrees of freedom (Welch-like,
    # conservative). With t(G - 1) over all countries, a cohort of three countries covered far less
    # than 95 % in seeded simulations like those of tests/test_analysis.py; with this rule, about 95 %.
    df = [min(counts[level][1], counts[reference][1]) - 1 for level in others]
    low, high, p = _t_inference(b, s, df)
    rows = []
    for i, level in enumerate(others):
        note = ""
        if df[i] < 1:
            note = "a cohort with fewer than 2 countries: no interval"
        rows.append(
            {**base, "cohort": level, "rate_ratio": math.exp(b[i]), "ci_low": math.exp(low[i]),
             "ci_high": math.exp(high[i]), "p_value": float(p[i]), "n_obs_cohort": counts[level][0],
             "n_countries_cohort": counts[level][1], "t_df": df[i], "converged": converged,
             "dispersion_alpha": alpha, "note": note}
        )  # fmt: skip
    return rows


@cached_when_default  # computed once per data change, shared by tables, figures, claims, notebooks
def cohort_rate_ratios(
    convictions: pd.DataFrame | None = None,
    legislation: pd.DataFrame | None = None,
    *,
    reference: str = COHORT_BEFORE,
    models: Sequence[str] = MODELS,
    window: tuple[int, int] = WINDOW,
    min_share: float = MIN_SHARE,
    treatments: Sequence[str] = TREATMENTS,
    samples: Sequence[str] = SAMPLES,
    specifications: Sequence[str] = (SPEC_COHORTS, SPEC_POOLED),
    extend_with_us_tip: bool = False,
) -> pd.DataFrame:
    """Rate ratios of each cohort against ``reference`` from count models with year effects.

    Model: convictions ~ cohort + year (one dummy per year), offset log(population), fitted on the
    usable country-years of ``window``. ``poisson`` is a Poisson GLM; ``negative binomial`` (NB2,
    dispersion ``dispersion_alpha``) is the check for overdispersion. Errors are clustered by
    country; intervals and p-values use a t reference with (number of countries in the smaller of
    the two compared cohorts - 1) degrees of freedom, because a cohort contrast is only as precise as
    its smaller group of countries (with t(G - 1) over all countries, small cohorts undercover).
    Cohorts with fewer than two countries get no interval.

    Two specifications: ``cohorts`` (the four cohorts) and ``pooled`` (``2003 or later`` = 2003-2008
    and 2009 or later together, against ``before 2003``; ``none or unknown`` kept as its own level).
    The pooled contrast is the direct test of statement 2 and is only fitted when the reference is
    ``before 2003``. The rate ratio is exp(coefficient): below 1 means a lower rate than the
    reference, at the same year.
    """
    if reference not in COHORTS:
        raise ValueError(f"reference must be one of {', '.join(COHORTS)}")
    rows = []
    for treatment, panel in _panels(convictions, legislation, treatments, extend_with_us_tip).items():
        for sample, frame in _samples(panel, window, min_share, samples).items():
            specs = []
            if SPEC_COHORTS in specifications:
                specs.append((SPEC_COHORTS, frame, "cohort"))
            if SPEC_POOLED in specifications and reference == COHORT_BEFORE:
                later = {COHORT_EARLY: COHORT_LATER, COHORT_LATE: COHORT_LATER}
                specs.append(
                    (SPEC_POOLED, frame.assign(pooled_cohort=frame["cohort"].replace(later)), "pooled_cohort")
                )
            for model in models:
                for spec, data, group in specs:
                    for row in _fit_count_model(data, group, reference, model):
                        rows.append({"sample": sample, "suppressed": treatment, "model": model,
                                     "specification": spec, **row})  # fmt: skip
    columns = [
        "sample", "suppressed", "model", "specification", "cohort", "reference", "rate_ratio", "ci_low",
        "ci_high", "p_value", "n_obs", "n_countries", "n_obs_cohort", "n_countries_cohort",
        "n_countries_reference", "t_df", "converged", "dispersion_alpha", "note",
    ]  # fmt: skip
    out = pd.DataFrame(rows, columns=columns)
    out["window"] = f"{window[0]}-{window[1]}"
    return _sort(out, ["sample", "suppressed", "model", "specification", "cohort"])
