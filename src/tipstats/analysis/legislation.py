"""Legislation: derivations from the Kelley coding of criminalisation for the figures and notebooks."""

from __future__ import annotations

import pandas as pd

from tipstats.facts import TIP_PROTOCOL_ADOPTED

#: First year counted: the Protocol's adoption year. Kelley's zeros before the 1990s are a back-fill.
FIRST_YEAR = TIP_PROTOCOL_ADOPTED.year
#: Kelley's levels of criminalisation.
LEVELS = {2: "Full", 1: "Partial", 0: "None"}


def level_counts(legislation_panel: pd.DataFrame, first_year: int = FIRST_YEAR) -> pd.DataFrame:
    """Countries per year and Kelley level (rows with a level only): columns year, level, countries.

    >>> panel = pd.DataFrame({"iso3": ["AAA", "BBB", "AAA", "BBB"], "year": [2000, 2000, 2001, 2001],
    ...                       "level": pd.array([0, 2, 2, pd.NA], dtype="Int64")})
    >>> level_counts(panel).to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'year': 2000, 'level': 0, 'countries': 1}, {'year': 2000, 'level': 1, 'countries': 0},
     {'year': 2000, 'level': 2, 'countries': 1}, {'year': 2001, 'level': 0, 'countries': 0},
     {'year': 2001, 'level': 1, 'countries': 0}, {'year': 2001, 'level': 2, 'countries': 1}]
    """
    panel = legislation_panel.loc[legislation_panel["year"] >= first_year].dropna(subset=["level"])
    years = sorted(
        int(y) for y in legislation_panel.loc[legislation_panel["year"] >= first_year, "year"].unique()
    )
    counts = panel.groupby([panel["year"].astype(int), panel["level"].astype(int)]).size()
    index = pd.MultiIndex.from_product([years, sorted(LEVELS)], names=["year", "level"])
    counts = counts.reindex(index, fill_value=0).rename("countries").reset_index()
    return counts.astype({"year": int, "level": int, "countries": int})
