"""Build ``population``: World Bank totals for the codes that are countries."""

from __future__ import annotations

import pandas as pd

from tipstats import sources
from tipstats.errors import DataValidationError, Failure, row_number
from tipstats.pipeline.countries import with_country_columns

RAW_MODEL = "population:RawPopulation"


def population_from_raw(raw: pd.DataFrame, country_codes: pd.Series, label: str) -> pd.DataFrame:
    """Keep country rows, type the columns; a code that is neither country nor known aggregate fails."""
    frame = raw.rename(columns={"Country Code": "iso3", "Year": "year", "Value": "population"})
    is_country = frame["iso3"].isin(set(country_codes))
    out = frame.loc[is_country, ["iso3", "year", "population"]].copy()
    out["year"] = out["year"].astype(int)
    out["population"] = out["population"].astype(float).round().astype("int64")
    bad = out.index[out["population"] <= 0]
    if len(bad):
        raise DataValidationError(
            Failure(label, row_number(i), "Value", "population > 0", raw.at[i, "Value"]) for i in bad
        )
    return out.sort_values(["iso3", "year"]).reset_index(drop=True)


def build(ctx) -> dict[str, pd.DataFrame]:
    sid = sources.source_id(ctx.registry, raw_model=RAW_MODEL)
    countries = ctx.outputs["countries"]
    population = population_from_raw(ctx.raw(sid), countries["iso3"], str(ctx.raw_file(sid)))
    return {"population": with_country_columns(population.assign(source_id=sid), countries)}
