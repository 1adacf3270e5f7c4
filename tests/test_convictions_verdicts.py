"""Verdicts on paragraph 6 (tipstats.analysis.convictions.verdicts): bounds, robustness, direction in words.

Inputs are hand-made result tables, so each test changes one input and watches the verdict and the
words that state the direction of the point estimate change with it; one test runs the whole
chain on simulated counts, and one the claims audit's rule.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from tipstats.analysis import convictions as cv
from tipstats.claims_audit import check
from tipstats.claims_audit.registry import Claim, load_registry

FILLS = ("bound low", "middle", "bound high")


def _tripling(values: dict[str, tuple[float, float, float]], sample: str = "balanced") -> pd.DataFrame:
    rows = [
        {"sample": sample, "suppressed": fill, "base_year": 2003, "end_year": 2018, "comparable": True,
         "rate_base_per_100k": 0.1, "rate_end_per_100k": 0.1 * r, "ratio": r, "ci_low": lo, "ci_high": hi,
         "n_countries_base": 17, "n_countries_end": 17, "n_countries": 17}
        for fill, (r, lo, hi) in values.items()
    ]  # fmt: skip
    return pd.DataFrame(rows)


def _rates(values: dict[str, tuple[float, float, float]], sample: str = "all reporting") -> pd.DataFrame:
    rows = [
        {"sample": sample, "suppressed": fill, "model": "poisson", "specification": "pooled",
         "cohort": "2003 or later", "rate_ratio": r, "ci_low": lo, "ci_high": hi, "n_obs": 900,
         "n_countries": 110, "n_countries_cohort": 95, "n_countries_reference": 15, "window": "2003-2018"}
        for fill, (r, lo, hi) in values.items()
    ]  # fmt: skip
    return pd.DataFrame(rows)


def _checks(rows: list[tuple[str, str, str, float]] = ()) -> pd.DataFrame:
    return pd.DataFrame(
        [{"statement_id": s, "sample": sample, "check": name, "value": v, "bound_low": np.nan,
          "bound_high": np.nan, "ci_low": np.nan, "ci_high": np.nan} for s, sample, name, v in rows],
        columns=["statement_id", "sample", "check", "value", "bound_low", "bound_high", "ci_low", "ci_high"],
    )  # fmt: skip


def _same(r, lo, hi):
    return dict.fromkeys(FILLS, (r, lo, hi))


NO_CHANGE_RATES = _rates(_same(0.5, 0.3, 0.8))


def _verdict(tripling=None, rates=None, checks=None, statement="tripled_since_2003"):
    out = cv.verdicts(
        tripling=tripling if tripling is not None else _tripling(_same(2.7, 2.2, 3.3)),
        rate_ratios=rates if rates is not None else NO_CHANGE_RATES,
        checks=checks if checks is not None else _checks(),
    )
    return out[out["statement_id"] == statement].iloc[0]


def test_tripling_inside_the_claim_is_reproduced_and_said_so():
    row = _verdict(
        _tripling({"bound low": (2.6, 2.1, 3.2), "middle": (2.7, 2.2, 3.3), "bound high": (2.8, 2.3, 3.4)})
    )
    assert row["verdict"] == "reproduced" and row["robust"]
    assert row["direction"] == "rise, as claimed"
    assert "the rate rose as much as the claim" in row["explanation"]
    # the sharp bounds are the bound fills' estimates; the interval is the widest over the fills
    assert (row["value_lower"], row["value_upper"]) == (2.6, 2.8)
    assert (row["ci_low"], row["ci_high"]) == (2.1, 3.4)
    assert "Sharp '<5' bounds 2.6 to 2.8" in row["explanation"]


def test_a_smaller_rise_differs_and_a_fall_is_called_the_opposite():
    smaller = _verdict(_tripling(_same(2.1, 1.6, 2.4)))
    assert smaller["verdict"] == "differs"
    assert smaller["direction"] == "rise, smaller than claimed"
    assert "the ratio 2018 / 2003 is 2.1: the rate rose, by less than the claim" in smaller["explanation"]
    fell = _verdict(_tripling(_same(0.32, 0.14, 3.1)))
    assert fell["verdict"] == "inconclusive"  # the interval reaches the claim region
    assert "is 0.32: the rate fell, the opposite of the claim" in fell["explanation"]


def test_a_verdict_that_one_country_carries_is_not_robust():
    tripling = _tripling(_same(2.7, 2.2, 3.3))
    robust = _verdict(tripling, checks=_checks([("tripled_since_2003", "balanced", "country average", 2.6)]))
    assert robust["verdict"] == "reproduced" and robust["robust"]
    carried = _verdict(
        tripling, checks=_checks([("tripled_since_2003", "balanced", "without USA (most influential)", 1.24)])
    )
    assert carried["verdict"] == "inconclusive" and not carried["robust"]
    assert "without USA (most influential): 1.24, rise, smaller than claimed" in carried["explanation"]
    assert "reproduced on the primary estimate, but not robust" in carried["explanation"]


def test_the_lt5_fills_can_change_the_conclusion():
    row = _verdict(
        _tripling({"bound low": (2.4, 1.0, 2.45), "middle": (2.7, 2.2, 3.3), "bound high": (2.9, 2.4, 3.4)})
    )
    assert [row[f"verdict_{f.replace(' ', '_')}"] for f in FILLS] == [
        "not reproduced",
        "reproduced",
        "reproduced",
    ]
    assert row["verdict"] == "inconclusive" and row["conclusion_changes_with_lt5"]


def test_rate_ratio_direction_is_stated_even_when_inconclusive():
    later = _verdict(rates=_rates(_same(2.2, 0.8, 6.0)), statement="higher_if_legislated_before_2003")
    assert later["verdict"] == "inconclusive"
    assert later["direction"] == "later legislators higher"
    assert (
        "the rate ratio of later against earlier legislators is 2.2: later legislators convict more, "
        "the opposite of the claim" in later["explanation"]
    )
    assert "includes 1" in later["explanation"]
    earlier = _verdict(rates=_rates(_same(0.5, 0.3, 0.8)), statement="higher_if_legislated_before_2003")
    assert earlier["verdict"] == "reproduced" and earlier["direction"] == "earlier legislators higher"
    assert "earlier legislators convict more, as the claim says" in earlier["explanation"]
    assert "lies below 1" in earlier["explanation"]
    opposite = _verdict(rates=_rates(_same(2.2, 1.3, 3.5)), statement="higher_if_legislated_before_2003")
    assert opposite["verdict"] == "differs"


def test_a_direction_that_flips_without_one_country_is_reported():
    rates = _rates(_same(0.5, 0.3, 0.8))
    checks = _checks(
        [("higher_if_legislated_before_2003", "all reporting", "without USA (most influential)", 1.3)]
    )
    row = _verdict(rates=rates, checks=checks, statement="higher_if_legislated_before_2003")
    assert row["verdict"] == "inconclusive" and not row["robust"]
    assert "without USA (most influential) points the other way" in row["explanation"]


def _panel(seed: int, later_rr: float, n: int = 40):
    """Poisson counts over 2003-2018; countries legislating 2003 or later convict ``later_rr`` times as often."""
    rng = np.random.default_rng(seed)
    years = range(2003, 2019)
    legislation = {f"C{i:02d}": (1998 if i % 3 == 0 else 2006 if i % 3 == 1 else 2011) for i in range(n)}
    rows = []
    for code, year_of_law in legislation.items():
        pop = float(np.exp(rng.uniform(np.log(5e5), np.log(2e7))))
        rr = 1.0 if year_of_law < 2003 else later_rr
        for year in years:
            count = int(rng.poisson(1.5 * rr * pop / 1e5 * math.exp(0.04 * (year - 2003))))
            small = count < 5
            rows.append({"iso3": code, "year": year, "persons_convicted": None if small else count,
                         "convicted_flag": "suppressed_lt5" if small else None, "population": int(pop)})  # fmt: skip
    conv = pd.DataFrame(rows)
    conv["persons_convicted"] = conv["persons_convicted"].astype("Int64")
    conv["population"] = conv["population"].astype("Int64")
    conv["convicted_flag"] = conv["convicted_flag"].astype("str")
    leg = pd.DataFrame([{"iso3": k, "yardstick": "kelley_full_criminalisation", "year": v}
                        for k, v in legislation.items()])  # fmt: skip
    leg["year"] = leg["year"].astype("Int64")
    return conv, leg


@pytest.mark.parametrize(("later_rr", "verdict", "words"), [
    (0.3, "reproduced", "earlier legislators convict more, as the claim says"),
    (3.0, "differs", "later legislators convict more, the opposite of the claim"),
])  # fmt: skip
def test_simulated_cohort_effect_decides_the_verdict_and_its_words(later_rr, verdict, words):
    conv, leg = _panel(7, later_rr)
    out = cv.verdicts(conv, leg, n_boot=200)
    row = out[(out["statement_id"] == "higher_if_legislated_before_2003") & out["primary"]].iloc[0]
    assert row["value_lower"] <= row["value"] <= row["value_upper"]
    assert row["verdict"] == verdict, row["explanation"]
    assert words in row["explanation"]


def test_the_claims_audit_shows_bounds_and_direction():
    registry = load_registry()
    claim = Claim.from_row(registry[registry["claim_id"] == "p06_rates_higher_before_2003"].iloc[0])
    table = cv.verdicts(
        tripling=_tripling(_same(2.7, 2.2, 3.3)),
        rate_ratios=_rates(
            {"bound low": (2.1, 0.7, 5.5), "middle": (2.2, 0.8, 6.0), "bound high": (2.3, 0.9, 6.5)}
        ),
        checks=_checks(),
    )
    verdict = check(claim, {"convictions_verdicts": table})
    assert verdict.status == "not reproducible"
    assert "sharp '<5' bounds 2.1 to 2.3; 95% interval 0.7 to 6.5" in verdict.computed
    assert "later legislators convict more, the opposite of the claim" in verdict.explanation
