"""Build ``population``: World Bank totals for the codes that are countries."""

from __future__ import annotations

import pandas as pd

from tipstats.errors import DataValidationError, Failure, row_number

SOURCE_ID = "wb_population"


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
    out["source_id"] = SOURCE_ID
    return out.sort_values(["iso3", "year"]).reset_index(drop=True)


def build(ctx) -> dict[str, pd.DataFrame]:
    raw = ctx.raw(SOURCE_ID)
    countries = ctx.outputs["countries"]
    return {"population": population_from_raw(raw, countries["iso3"], str(ctx.raw_file(SOURCE_ID)))}
