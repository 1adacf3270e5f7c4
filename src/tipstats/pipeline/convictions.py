"""Build ``convictions``: persons prosecuted and convicted per country and year, with population and a rate.

Load: ``glotip`` and ``population`` (built before). Process: :func:`convictions_from_glotip` keeps the
all-Total rows of the main release and joins the population. Save: ``build(ctx)`` returns the frame.
"""

from __future__ import annotations

import pandas as pd

from tipstats.pipeline.countries import with_country_columns
from tipstats.pipeline.glotip import MAIN_RELEASE
from tipstats.sources import source_id

CONVICTION_INDICATORS = {"Persons prosecuted": "prosecuted", "Persons convicted": "convicted"}
CONVICTION_COLUMNS = [
    "iso3",
    "year",
    "persons_prosecuted",
    "prosecuted_flag",
    "persons_convicted",
    "convicted_flag",
    "population",
    "convicted_per_100k",
    "release",
    "source_id",
    "population_source_id",
]


def convictions_from_glotip(
    glotip: pd.DataFrame, population: pd.DataFrame, *, population_id: str, release: str = MAIN_RELEASE
) -> pd.DataFrame:
    """Country-year persons prosecuted and convicted (all-Total rows), with population and rate per 100,000."""
    t = glotip[
        (glotip["release"] == release)
        & glotip["indicator"].isin(list(CONVICTION_INDICATORS))
        & (glotip["dimension"] == "Total")
        & (glotip["category"] == "Total")
        & (glotip["sex"] == "Total")
        & (glotip["age"] == "Total")
    ]
    if t.duplicated(["iso3", "year", "indicator"]).any():
        raise ValueError("Total rows of persons prosecuted/convicted are not unique per country-year")
    out = None
    for indicator, short in CONVICTION_INDICATORS.items():
        part = t.loc[t["indicator"] == indicator, ["iso3", "year", "value", "value_flag"]].rename(
            columns={"value": f"persons_{short}", "value_flag": f"{short}_flag"}
        )
        out = part if out is None else out.merge(part, on=["iso3", "year"], how="outer")
    pop = population[["iso3", "year", "population"]]
    out = out.merge(pop, on=["iso3", "year"], how="left")
    out["population"] = out["population"].astype("Int64")
    for column in ("persons_prosecuted", "persons_convicted"):
        out[column] = out[column].astype("Int64")
    rate = out["persons_convicted"].astype("Float64") / out["population"].astype("Float64") * 1e5
    out["convicted_per_100k"] = rate.astype("float64")
    out["release"] = release
    out["source_id"] = t["source_id"].iloc[0] if len(t) else pd.NA  # the release's own source_id
    out["population_source_id"] = pd.Series(population_id, index=out.index, dtype="str").where(
        out["population"].notna()
    )
    return out[CONVICTION_COLUMNS].sort_values(["iso3", "year"]).reset_index(drop=True)


def build(ctx) -> dict[str, pd.DataFrame]:
    population_id = source_id(ctx.registry, raw_model="population:RawPopulation")
    convictions = convictions_from_glotip(
        ctx.outputs["glotip"], ctx.outputs["population"], population_id=population_id
    )
    return {"convictions": with_country_columns(convictions, ctx.outputs["countries"])}
