"""Detected victims: published shares placed on a year axis, and computed shares completed with children.

The shares are those of ``victim_shares`` (by sex and age) and ``exploitation_shares`` (by form):
``published`` rows quote GLOTIP editions, ``computed`` rows are tipstats' own from the country data.
"""

from __future__ import annotations

import re

import pandas as pd

VICTIM_GROUPS = ("women", "men", "girls", "boys", "children")
FORMS = ("sexual_exploitation", "forced_labour", "other_forms")

_PERIOD = re.compile(r"^\s*((?:19|20)\d{2})\s*[-\u2013]\s*((?:19|20)\d{2})\s*$")


def published_points(
    shares: pd.DataFrame, member: str, members: tuple[str, ...]
) -> tuple[pd.DataFrame, list[str]]:
    """Published shares among all victims that can be placed on a year axis, and what cannot.

    A row with a single data year sits at that year; a row for a period ``YYYY-YYYY`` sits at the
    period's middle, with ``x_start``/``x_end`` its ends (drawn as a horizontal bar). Rows with no
    number (words, ranges) or no placeable period are returned as descriptions in the second value.

    >>> frame = pd.DataFrame({"basis": ["published"] * 3, "among": ["all"] * 3, "group": ["boys"] * 3,
    ...     "share": [3.0, 20.0, float("nan")], "year": pd.array([2004, pd.NA, pd.NA], dtype="Int64"),
    ...     "year_or_period": ["2004", "2007-2010", "2016"], "edition": ["GLOTIP 2020", "GLOTIP 2012", "GLOTIP 2018"],
    ...     "value_as_given": ["3", "20", "around half"]})
    >>> points, skipped = published_points(frame, "group", ("boys",))
    >>> points[["x", "x_start", "x_end", "share"]].to_dict("records")
    [{'x': 2004.0, 'x_start': 2004.0, 'x_end': 2004.0, 'share': 3.0}, {'x': 2008.5, 'x_start': 2007.0, 'x_end': 2010.0, 'share': 20.0}]
    >>> skipped
    ['boys, 2016 (GLOTIP 2018): around half']
    """
    rows = shares.loc[
        (shares["basis"] == "published") & (shares["among"] == "all") & shares[member].isin(members)
    ]
    placed, skipped = [], []
    for _, row in rows.iterrows():
        start = end = None
        if pd.notna(row["year"]):
            start = end = float(row["year"])
        else:
            match = _PERIOD.match(str(row["year_or_period"]))
            if match:
                start, end = float(match.group(1)), float(match.group(2))
        if start is None or pd.isna(row["share"]):
            given = row.get("value_as_given")
            given = given if isinstance(given, str) else "no number"
            skipped.append(f"{row[member]}, {row['year_or_period']} ({row['edition']}): {given}")
            continue
        placed.append({**row.to_dict(), "x": (start + end) / 2, "x_start": start, "x_end": end})
    columns = [*rows.columns, "x", "x_start", "x_end"]
    return pd.DataFrame(placed, columns=columns), skipped


def agreed_line(points: pd.DataFrame) -> pd.DataFrame:
    """One value per x where every quotation agrees; NaN where they conflict (the line breaks there).

    >>> pts = pd.DataFrame({"x": [2004.0, 2004.0, 2018.0, 2018.0], "share": [10.0, 10.0, 48.0, 58.0]})
    >>> agreed_line(pts).to_dict("records")
    [{'x': 2004.0, 'share': 10.0}, {'x': 2018.0, 'share': nan}]
    """
    grouped = points.groupby("x")["share"].agg(["min", "max"])
    value = grouped["min"].where(grouped["min"] == grouped["max"])
    return pd.DataFrame({"x": grouped.index.astype(float), "share": value.to_numpy(dtype=float)})


def latest_published(shares: pd.DataFrame, member: str, name: str) -> tuple[str, float] | None:
    """The last data year where the published quotations of ``name`` agree, and that share."""
    points, _ = published_points(shares, member, (name,))
    if points.empty:
        return None
    last = agreed_line(points).dropna().sort_values("x")
    if last.empty:
        return None
    return f"{last['x'].iloc[-1]:g}", float(last["share"].iloc[-1])


def first_published(shares: pd.DataFrame, member: str, name: str) -> tuple[str, float] | None:
    """The first data year where the published quotations of ``name`` agree, and that share."""
    points, _ = published_points(shares, member, (name,))
    line = agreed_line(points).dropna().sort_values("x") if not points.empty else points
    if line.empty:
        return None
    return f"{line['x'].iloc[0]:g}", float(line["share"].iloc[0])


def with_children(computed: pd.DataFrame) -> pd.DataFrame:
    """Computed victim shares plus, where the data have none, ``children`` = girls + boys of the same year.

    Girls and boys of a computed year share one denominator (the victims of the four groups in the
    countries of that year), so their shares add exactly.

    >>> rows = pd.DataFrame({"basis": "computed", "among": "all", "year": [2010, 2010, 2010, 2010],
    ...     "group": ["women", "men", "girls", "boys"], "share": [50.0, 20.0, 18.0, 12.0], "n_countries": 9})
    >>> with_children(rows).query("group == 'children'")[["year", "share", "n_countries"]].to_dict("records")
    [{'year': 2010, 'share': 30.0, 'n_countries': 9}]
    """
    if "group" not in computed.columns or (computed["group"] == "children").any():
        return computed
    kids = computed.loc[computed["group"].isin(["girls", "boys"])]
    complete = kids.groupby("year")["group"].transform("nunique") == 2
    summed = (
        kids.loc[complete]
        .groupby("year", as_index=False)
        .agg(share=("share", "sum"), n_countries=("n_countries", "max"))
    )
    summed = summed.assign(basis="computed", among="all", group="children")
    return pd.concat([computed, summed], ignore_index=True)


def computed_share(shares: pd.DataFrame, member: str, name: str, year: int) -> tuple[float, int] | None:
    """The share of ``name`` computed from the country data for ``year``, and the countries behind it.

    >>> rows = pd.DataFrame({"basis": "computed", "among": "all", "year": [2010, 2010, 2010, 2010],
    ...     "group": ["women", "men", "girls", "boys"], "share": [50.0, 20.0, 18.0, 12.0], "n_countries": 9})
    >>> computed_share(rows, "group", "children", 2010)
    (30.0, 9)
    >>> computed_share(rows, "group", "children", 2011) is None
    True
    """
    computed = shares.loc[(shares["basis"] == "computed") & (shares["among"] == "all")]
    if member == "group":
        computed = with_children(computed)
    row = computed.loc[(computed[member] == name) & (computed["year"] == year)]
    if row.empty or pd.isna(row["share"].iloc[0]):
        return None
    return float(row["share"].iloc[0]), int(row["n_countries"].iloc[0])
