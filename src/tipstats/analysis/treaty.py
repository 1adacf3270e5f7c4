"""Parties to the UN treaties at any date, from ``treaty_events``, and the gap to the official counts.

Which row counts for a State
----------------------------
``treaty_events`` keeps one row per State *and source*; the functions here use one row per
State (the European Union counts as a party, under its name). The preference is:

1. a UNTC table (the depositary's own record);
2. A/76/120 (it cites the UNTC status as at 9 June 2021 and gives exact days);
3. the evidence file row with the narrowest date bounds (tip_evidence before tip_evidence_five_states).

Signature-only rows never count.

Dates that are not a day
------------------------
An action known only to a month, a year or a window (Palau: the 2020 US TIP report's reporting
period) counts as *known* on a date only if the **latest** bound of its window is on or before
that date. :func:`party_count_range` also gives the upper count: rows whose **earliest** bound is
on or before the date, plus actions with no date at all. Nothing is interpolated.

The rows are incomplete after 2017 (see ``tipstats.describe("treaty_events")``):
:func:`known_vs_official` shows how far the known rows fall short of the official counts.
"""

from __future__ import annotations

import pandas as pd

SOURCE_PRIORITY = {
    "untc_tip_2018": 0,
    "untc_som_2018": 0,
    "untc_untoc_2014": 0,
    "a76120": 1,
    "tip_evidence": 2,
    "tip_evidence_five_states": 3,
}


def _events(events: pd.DataFrame | None) -> pd.DataFrame:
    if events is None:
        from tipstats.loaders import load

        return load("treaty_events")
    return events


def _as_date(date) -> pd.Timestamp:
    return pd.Timestamp(date).normalize()


def party_rows(treaty: str = "tip_protocol", events: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per participant with a recorded action on ``treaty``, chosen by the preference above.

    >>> from tipstats.treaty import party_rows
    >>> rows = party_rows("tip_protocol").set_index("participant")
    >>> rows.loc["Nepal", ["source_id", "action_date_precision"]].tolist()
    ['a76120', 'day']
    """
    frame = _events(events)
    frame = frame[(frame["treaty"] == treaty) & (frame["date_basis"] != "no_action")].copy()
    unknown = set(frame["source_id"]) - set(SOURCE_PRIORITY)
    if unknown:
        raise ValueError(f"no preference defined for source(s) {sorted(unknown)}")
    frame["_who"] = frame["iso3"].fillna("name:" + frame["participant"])
    frame["_priority"] = frame["source_id"].map(SOURCE_PRIORITY)
    width = (frame["action_date_latest"] - frame["action_date_earliest"]).dt.days.astype("float64")
    frame["_width"] = width.fillna(float("inf"))  # an undated action is the least precise
    frame = frame.sort_values(["_who", "_priority", "_width", "source_id"], kind="stable")
    chosen = frame.drop_duplicates("_who").drop(columns=["_who", "_priority", "_width"])
    return chosen.sort_values("participant").reset_index(drop=True)


def parties_as_of(date, treaty: str = "tip_protocol", events: pd.DataFrame | None = None) -> pd.DataFrame:
    """Participants whose action on ``treaty`` is known to precede (or fall on) ``date``.

    ``date`` is anything :class:`pandas.Timestamp` accepts. ``events=None`` means
    ``tipstats.load("treaty_events")``. One row per participant (see the module docstring for
    which source's row is used). An action dated only to a month, year or window is included
    only if its latest bound (``action_date_latest``) is on or before ``date``; use
    :func:`party_count_range` for the count that also admits the uncertain ones.

    >>> import tipstats
    >>> len(tipstats.parties_as_of("2017-12-31"))  # the UNTC table: 173 parties
    173
    >>> late = tipstats.parties_as_of("2021-06-09")
    >>> late.loc[late["action_date_latest"] > "2017-12-31", "participant"].tolist()
    ['Bangladesh', 'Brunei Darussalam', 'Comoros', 'Nepal', 'Palau']
    """
    rows = party_rows(treaty, events)
    known = rows["action_date_latest"].notna() & (rows["action_date_latest"] <= _as_date(date))
    return rows[known].reset_index(drop=True)


def party_count_as_of(date, treaty: str = "tip_protocol", events: pd.DataFrame | None = None) -> int:
    """Number of parties known at ``date`` (the rows of :func:`parties_as_of`).

    >>> from tipstats.treaty import party_count_as_of
    >>> party_count_as_of("2018-01-15"), party_count_as_of("2021-06-09")
    (173, 178)
    """
    return len(parties_as_of(date, treaty, events))


def party_count_range(
    date, treaty: str = "tip_protocol", events: pd.DataFrame | None = None
) -> tuple[int, int]:
    """Lowest and highest number of parties at ``date`` that the rows allow.

    Lowest: actions whose latest bound is on or before ``date``. Highest: also the actions whose
    earliest bound is on or before ``date`` and those with no date at all.

    >>> from tipstats.treaty import party_count_range
    >>> party_count_range("2019-12-31")  # Palau's window (2019-04-01..2020-03-31) is open
    (174, 175)
    """
    rows = party_rows(treaty, events)
    day = _as_date(date)
    low = rows["action_date_latest"].notna() & (rows["action_date_latest"] <= day)
    high = low | rows["action_date_earliest"].isna() | (rows["action_date_earliest"] <= day)
    return int(low.sum()), int(high.sum())


def known_vs_official(
    treaty: str = "tip_protocol", events: pd.DataFrame | None = None, counts: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Each official count next to the parties the rows of ``treaty_events`` can name at that date.

    ``counts=None`` means ``tipstats.load("party_counts")``. The known counts are taken at the
    last day the count's date can mean (``date_latest``: the end of the month for '2021-01').
    ``gap`` = official ``parties`` - ``known_parties`` (missing where the count is approximate).

    >>> from tipstats.treaty import known_vs_official
    >>> table = known_vs_official().set_index(["date", "source_id"])
    >>> table.loc[("2024-04-20", "tip_party_counts"), ["parties", "known_parties", "gap"]].tolist()
    [182, 181, 1]
    """
    if counts is None:
        from tipstats.loaders import load

        counts = load("party_counts")
    counts = counts[counts["treaty"] == treaty]
    rows = party_rows(treaty, events)
    known, known_max = [], []
    for day in counts["date_latest"]:
        low, high = party_count_range(day, treaty, rows)
        known.append(low)
        known_max.append(high)
    out = counts[["date", "date_latest", "parties", "parties_as_given", "qualifier", "source_id"]].copy()
    out["known_parties"] = pd.array(known, dtype="Int64")
    out["known_parties_max"] = pd.array(known_max, dtype="Int64")
    out["gap"] = out["parties"] - out["known_parties"]
    return out.reset_index(drop=True)
