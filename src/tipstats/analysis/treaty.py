"""Parties to the UN treaties at any date, from ``treaty_status``, and the gap to the official counts.

Every count of parties in tipstats (``tipstats.parties_as_of``, the ratification figures, the
claims audit) starts from :func:`party_windows`: one row per participant with the bounds of the
date by which it became a party. The counts at a date are :func:`party_counts` of those rows.

Which row counts for a State
----------------------------
``treaty_events`` keeps one row per State *and source*; the dataset ``treaty_status`` keeps one
row per State and treaty (the European Union counts as a party, under its name), resolved by
:func:`tipstats.pipeline.treaty_status.resolve_status`, its one home. The preference is:

1. a UNTC table (the depositary's own record);
2. A/76/120 (it cites the UNTC status as at 9 June 2021 and gives exact days);
3. the evidence file row with the narrowest date bounds (tip_evidence before tip_evidence_five_states).

Signature-only rows never count. By default the functions below read ``treaty_status``; given
``events`` (rows like ``treaty_events``) they resolve those rows by the same rule. Sources can be
left out of given or loaded events (``exclude_sources``): the claims audit leaves out the report's
own rows, which cannot confirm the report.

Dates that are not a day
------------------------
An action known only to a month, a year or a window (Palau: the 2020 US TIP report's reporting
period) counts as *known* on a date only if the **latest** bound of its window is on or before
that date; it is *open* at the dates from its **earliest** bound to the day before its latest.
An action with no date at all is *undated*. Nothing is interpolated.

The rows are incomplete after 2017 (see ``tipstats.describe("treaty_events")``):
:func:`known_vs_official` shows how far the known rows fall short of the official counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import numpy as np
import pandas as pd

from tipstats.datasets import unknown_name_message
from tipstats.facts import JOINING_ACTIONS, TREATIES
from tipstats.report import REPORT_SOURCE_ID

#: How :func:`party_windows` makes one row of a participant's rows.
COMBINE = ("preferred", "bounds")
#: The source id of A/76/120's own rows.
REPORT_SOURCE = REPORT_SOURCE_ID
BASIS_WORDS = {
    "stated": "stated",
    "derived_entry_into_force_30_day_rule": "entry into force minus 30 days",
    "inferred_reporting_period": "US TIP report period",
    "not_given": "no date",
}


def _events(events: pd.DataFrame | None) -> pd.DataFrame:
    if events is None:
        from tipstats.loaders import load

        return load("treaty_events")
    return events


def treaty_status(
    events: pd.DataFrame | None = None,
    *,
    status: pd.DataFrame | None = None,
    exclude_sources: Iterable[str] = (),
) -> pd.DataFrame:
    """One row per treaty and participant: ``status`` if given, else ``events`` resolved by the rule
    of ``treaty_status`` (after leaving out ``exclude_sources``), else ``tipstats.load("treaty_status")``
    (or, when sources are left out, ``treaty_events`` resolved without them)."""
    exclude = list(exclude_sources)
    if status is not None:
        if events is not None or exclude:
            raise ValueError("give either status or events (with exclude_sources), not both")
        return status
    if events is None and not exclude:
        from tipstats.loaders import load

        return load("treaty_status")
    # the rule's home is the pipeline; imported here so that reading a status (figures, notebooks) does not
    # import the validation layer
    from tipstats.pipeline.treaty_status import resolve_status

    frame = _events(events)
    return resolve_status(frame[~frame["source_id"].isin(exclude)])


def windows_from_status(status: pd.DataFrame, treaty: str = "tip_protocol") -> pd.DataFrame:
    """The parties of ``treaty`` in a ``treaty_status`` frame, with ``who``, ``earliest``, ``latest``
    and ``n_rows`` (the number of sources), sorted by participant (see :func:`party_windows`)."""
    _check_treaty(treaty)
    rows = status[(status["treaty"] == treaty) & (status["status"] == "party")].copy()
    day = pd.to_datetime(rows["action_date"])
    rows["earliest"] = pd.to_datetime(rows["action_date_earliest"]).fillna(day)
    rows["latest"] = pd.to_datetime(rows["action_date_latest"]).fillna(day)
    rows["who"] = rows["iso3"].astype("object").fillna(rows["participant"].astype("object"))
    rows["n_rows"] = (rows["source_ids"].astype("str").str.count(",") + 1).astype("int64")
    return rows.sort_values("participant", kind="stable").reset_index(drop=True)


def _as_date(date, argument: str = "date") -> pd.Timestamp:
    """``date`` as a day; a ValueError naming ``argument`` for anything that is not a date.

    A number is refused rather than read as nanoseconds since 1970 (``20210609`` is not a date).

    >>> _as_date("2021-06-09"), _as_date(dt.date(2021, 6, 9)) == _as_date("2021-06-09")
    (Timestamp('2021-06-09 00:00:00'), True)
    >>> _as_date(20210609)
    Traceback (most recent call last):
    ...
    ValueError: date must be a date such as '2021-06-09' (a string, datetime.date or pandas.Timestamp), not 20210609 (int)
    """
    accepted = isinstance(date, (str, dt.date, np.datetime64))  # datetime and Timestamp are dates too
    day = pd.NaT
    if accepted:
        try:
            day = pd.Timestamp(date)
        except (ValueError, TypeError):
            day = pd.NaT
    if pd.isna(day):
        raise ValueError(
            f"{argument} must be a date such as '2021-06-09' (a string, datetime.date or pandas.Timestamp), "
            f"not {date!r} ({type(date).__name__})"
        )
    return day.tz_localize(None).normalize() if day.tzinfo else day.normalize()


def _check_treaty(treaty) -> str:
    if treaty not in TREATIES:
        raise ValueError(unknown_name_message("treaty", treaty, TREATIES))
    return treaty


def _joined(values: pd.Series) -> str:
    return "/".join(sorted(set(values.dropna().astype(str))))


def party_windows(
    events: pd.DataFrame | None = None,
    treaty: str = "tip_protocol",
    *,
    exclude_sources: Iterable[str] = (),
    combine: str = "preferred",
    status: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per participant with a joining action on ``treaty``.

    ``combine`` says how a participant's rows become one:

    - ``"preferred"``: the participant's row of ``treaty_status`` (``status`` if given; else
      ``events`` resolved by the same rule, rows of ``exclude_sources`` left out first; else
      ``tipstats.load("treaty_status")``). It keeps the dataset's columns (``source_id`` the row
      used, ``source_ids`` every source, ``action_types``, ``conflict``, ``note``) and adds ``who``
      (the ISO3 code, or the name where there is none), ``earliest`` and ``latest`` (the bounds of
      the date, ``action_date`` where the bounds are empty) and ``n_rows`` (the number of sources).
      Sorted by participant.
    - ``"bounds"``: what all dated rows of ``events`` (default ``tipstats.load("treaty_events")``)
      allow together (the claims audit, which weighs every source): ``earliest`` is the earliest
      bound any row gives, ``latest`` the earliest date by which some row already shows a party;
      undated rows are left out. Columns ``who``, ``participant``, ``earliest``, ``latest``,
      ``action_types``, ``source_ids``, ``n_rows`` (over the dated rows), sorted by ``who``.

    ``action_type`` and ``action_date`` may be absent from ``events`` (then: not stated).

    >>> rows = party_windows().set_index("participant")
    >>> rows.loc["Nepal", ["source_id", "action_date_precision", "source_ids"]].tolist()
    ['a76120', 'day', 'a76120,tip_evidence,tip_evidence_five_states']
    >>> party_windows(exclude_sources=["a76120"]).set_index("participant").loc["Nepal", ["earliest", "latest"]].tolist()
    [Timestamp('2020-01-01 00:00:00'), Timestamp('2020-12-31 00:00:00')]
    """
    _check_treaty(treaty)
    if combine not in COMBINE:
        raise ValueError(f"combine must be one of {', '.join(map(repr, COMBINE))}, not {combine!r}")
    if combine == "preferred":
        return windows_from_status(
            treaty_status(events, status=status, exclude_sources=exclude_sources), treaty
        )
    if status is not None:
        raise ValueError(
            'combine="bounds" weighs every row of events; a treaty_status frame has one per State'
        )
    frame = _events(events)
    optional = [c for c in ("action_type", "action_date") if c not in frame.columns]
    frame = frame.assign(**dict.fromkeys(optional, pd.NA)) if optional else frame
    action = frame["action_type"].astype("object")
    joining = action.isna() | action.isin(JOINING_ACTIONS)
    keep = (frame["treaty"] == treaty) & (frame["date_basis"] != "no_action") & joining
    frame = frame[keep & ~frame["source_id"].isin(list(exclude_sources))].copy()
    day = pd.to_datetime(frame["action_date"])
    frame["earliest"] = pd.to_datetime(frame["action_date_earliest"]).fillna(day)
    frame["latest"] = pd.to_datetime(frame["action_date_latest"]).fillna(day)
    frame["who"] = frame["iso3"].astype("object").fillna(frame["participant"].astype("object"))
    return _bounds_windows(frame)


def _bounds_windows(frame: pd.DataFrame) -> pd.DataFrame:
    """``party_windows(..., combine="bounds")`` from the filtered rows with ``who``/``earliest``/``latest``."""
    frame = frame[frame["earliest"].notna() & frame["latest"].notna()]
    grouped = frame.groupby("who", sort=True)
    out = pd.DataFrame(
        {
            "participant": grouped["participant"].first(),
            "earliest": grouped["earliest"].min(),
            "latest": grouped["latest"].min(),
            "action_types": grouped["action_type"].agg(_joined),
            "source_ids": grouped["source_id"].agg(lambda s: ",".join(sorted(set(s.astype(str))))),
            "n_rows": grouped.size().astype("int64"),
        }
    )
    out.index.name = "who"
    return out.reset_index()


def party_counts(windows: pd.DataFrame, dates) -> pd.DataFrame:
    """Parties of ``windows`` (from :func:`party_windows`) at each of ``dates``.

    ``known``: latest bound on or before the date; ``open``: earliest bound on or before it but the
    latest after it; ``undated``: no bound at all (the same at every date).

    >>> windows = party_windows()
    >>> party_counts(windows, ["2019-12-31"])[["known", "open", "undated"]].values.tolist()  # Palau open
    [[174, 1, 0]]
    """
    if isinstance(dates, (str, dt.date)):  # one date given where a list was expected
        dates = [dates]
    days = pd.DatetimeIndex([_as_date(d, "dates") for d in dates]).to_numpy(dtype="datetime64[ns]")
    earliest = windows["earliest"].to_numpy(dtype="datetime64[ns]")[:, None]
    latest = windows["latest"].to_numpy(dtype="datetime64[ns]")[:, None]
    known = latest <= days
    opened = (earliest <= days) & ~known  # NaT compares False, so an undated row is neither
    undated = int(windows["latest"].isna().sum())
    return pd.DataFrame(
        {
            "date": pd.DatetimeIndex(days),
            "known": known.sum(axis=0).astype("int64"),
            "open": opened.sum(axis=0).astype("int64"),
            "undated": np.full(len(days), undated, dtype="int64"),
        }
    )


def parties_as_of(
    date,
    treaty: str = "tip_protocol",
    events: pd.DataFrame | None = None,
    *,
    status: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Participants whose action on ``treaty`` is known to precede (or fall on) ``date``.

    ``date`` is anything :class:`pandas.Timestamp` accepts. The rows are those of the dataset
    ``treaty_status`` (or of ``status``; or ``events``, rows like ``treaty_events``, resolved by
    its rule): one row per participant (see the module docstring for which source's row is
    used). An action dated only to a month, year or window is included
    only if its latest bound (``action_date_latest``) is on or before ``date``; use
    :func:`party_count_range` for the count that also admits the uncertain ones.

    >>> import tipstats
    >>> len(tipstats.parties_as_of("2017-12-31"))  # the UNTC table: 173 parties
    173
    >>> late = tipstats.parties_as_of("2021-06-09")
    >>> late.loc[late["action_date_latest"] > "2017-12-31", "participant"].tolist()
    ['Bangladesh', 'Brunei Darussalam', 'Comoros', 'Nepal', 'Palau']
    """
    day = _as_date(date)
    rows = party_windows(events, treaty, status=status)
    known = rows["latest"].notna() & (rows["latest"] <= day)
    return rows[known].reset_index(drop=True)


def party_count_as_of(
    date,
    treaty: str = "tip_protocol",
    events: pd.DataFrame | None = None,
    *,
    status: pd.DataFrame | None = None,
) -> int:
    """Number of parties known at ``date`` (the rows of :func:`parties_as_of`).

    >>> import tipstats
    >>> tipstats.party_count_as_of("2018-01-15"), tipstats.party_count_as_of("2021-06-09")
    (173, 178)
    """
    return int(party_counts(party_windows(events, treaty, status=status), [date])["known"].iloc[0])


def party_count_range(
    date,
    treaty: str = "tip_protocol",
    events: pd.DataFrame | None = None,
    *,
    status: pd.DataFrame | None = None,
) -> tuple[int, int]:
    """Lowest and highest number of parties at ``date`` that the rows allow.

    Lowest: the known parties. Highest: also those whose window is open at ``date`` and those
    with no date at all.

    >>> import tipstats
    >>> tipstats.party_count_range("2019-12-31")  # Palau's window (2019-04-01..2020-03-31) is open
    (174, 175)
    """
    at = party_counts(party_windows(events, treaty, status=status), [date]).iloc[0]
    return int(at["known"]), int(at["known"] + at["open"] + at["undated"])


def known_vs_official(
    treaty: str = "tip_protocol",
    events: pd.DataFrame | None = None,
    counts: pd.DataFrame | None = None,
    *,
    status: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Each official count next to the parties the rows of ``treaty_status`` can name at that date.

    ``counts=None`` means ``tipstats.load("party_counts")``. The known counts are taken at the
    last day the count's date can mean (``date_latest``: the end of the month for '2021-01').
    ``gap`` = official ``parties`` - ``known_parties`` (missing where the count is approximate).

    >>> import tipstats
    >>> table = tipstats.known_vs_official().set_index(["date", "source_id"])
    >>> table.loc[("2024-04-20", "tip_party_counts"), ["parties", "known_parties", "gap"]].tolist()
    [182, 181, 1]
    """
    _check_treaty(treaty)
    if counts is None:
        from tipstats.loaders import load

        counts = load("party_counts")
    counts = counts[counts["treaty"] == treaty]
    at = party_counts(party_windows(events, treaty, status=status), counts["date_latest"])
    out = counts[["date", "date_latest", "parties", "parties_as_given", "qualifier", "source_id"]].copy()
    out["known_parties"] = pd.array(at["known"].tolist(), dtype="Int64")
    out["known_parties_max"] = pd.array((at["known"] + at["open"] + at["undated"]).tolist(), dtype="Int64")
    out["gap"] = out["parties"] - out["known_parties"]
    return out.reset_index(drop=True)


def cumulative_parties(
    events: pd.DataFrame | None = None, treaty: str = "tip_protocol", *, status: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Step series of parties known over time: columns date, known (lower), possible (upper).

    ``known`` and ``possible`` (known + open) are :func:`party_counts` at every date on which
    either changes; the first row is the count before any action (0). Undated actions are left
    out of both.

    >>> day = pd.Timestamp
    >>> events = pd.DataFrame({"treaty": ["untoc"] * 3, "participant": ["A", "B", "C"],
    ...     "iso3": ["AAA", "BBB", "CCC"], "source_id": ["untc_tip_2018"] * 3, "date_basis": ["stated"] * 3,
    ...     "action_type": ["ratification"] * 3, "action_date": [day("2003-01-10"), day("2004-05-01"), pd.NaT],
    ...     "action_date_earliest": [day("2003-01-10"), day("2004-05-01"), day("2019-04-01")],
    ...     "action_date_latest": [day("2003-01-10"), day("2004-05-01"), day("2020-03-31")]})
    >>> cumulative_parties(events, "untoc")[["known", "possible"]].values.tolist()
    [[0, 0], [1, 1], [2, 2], [2, 3], [3, 3]]
    """
    windows = party_windows(events, treaty, status=status)
    dates = sorted(set(windows["earliest"].dropna()) | set(windows["latest"].dropna()))
    if not dates:
        return pd.DataFrame({"date": pd.to_datetime([]), "known": [], "possible": []})
    at = party_counts(windows, dates)
    first = pd.Timestamp(dates[0]) - pd.Timedelta(days=1)
    possible = at["known"] + at["open"]
    out = pd.DataFrame(
        {
            "date": [first, *dates],
            "known": [0, *at["known"].tolist()],
            "possible": [0, *possible.tolist()],
        }
    )
    return out.astype({"known": "int64", "possible": "int64"})


def count_at(series: pd.DataFrame, date: pd.Timestamp, column: str = "known") -> int:
    """The value of a :func:`cumulative_parties` step series at ``date`` (0 before its first step)."""
    before = series.loc[series["date"] <= date, column]
    return int(before.iloc[-1]) if len(before) else 0


def untc_last_action(events: pd.DataFrame, treaty: str = "tip_protocol") -> pd.Timestamp:
    """The latest action date in the UNTC table of ``treaty`` (where the depositary's record ends).

    ``events`` are rows of ``treaty_events`` or of ``treaty_status`` (where a UNTC action is
    always the row used)."""
    _check_treaty(treaty)
    untc = events.loc[(events["treaty"] == treaty) & events["source_id"].str.startswith("untc_")]
    return pd.Timestamp(untc["action_date"].max())


def official_points(counts: pd.DataFrame, treaty: str = "tip_protocol") -> pd.DataFrame:
    """Counts of parties with a number, with ``x`` the middle of the span their date can mean."""
    _check_treaty(treaty)
    numeric = counts.loc[(counts["treaty"] == treaty) & counts["parties"].notna()].copy()
    numeric["x"] = numeric["date_earliest"] + (numeric["date_latest"] - numeric["date_earliest"]) / 2
    return numeric.sort_values(["x", "source_id"]).reset_index(drop=True)


def _when(row: pd.Series) -> str:
    early, late = pd.Timestamp(row["action_date_earliest"]), pd.Timestamp(row["action_date_latest"])
    precision = row["action_date_precision"]
    if precision == "day":
        return f"{early.day} {early:%b %Y}"
    if precision == "month":
        return f"{early:%b %Y}"
    if precision == "year":
        return f"{early:%Y}"
    return f"{early:%b %Y}-{late:%b %Y}"


def later_accessions(
    events: pd.DataFrame | None, after: pd.Timestamp, *, status: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The Protocol parties (one row each) whose action is dated after ``after``, with a label."""
    rows = party_windows(events, "tip_protocol", status=status)
    later = rows.loc[rows["action_date_latest"] > after].copy()
    later = later.sort_values(["action_date_earliest", "participant"]).reset_index(drop=True)
    later["when"] = [_when(r) for _, r in later.iterrows()]
    basis = later["date_basis"].map(BASIS_WORDS).fillna(later["date_basis"])
    who = later["source_id"].map({REPORT_SOURCE: "A/76/120, para. 5"}).fillna(basis)
    later["label"] = later["participant"] + ": " + later["when"] + " (" + who + ")"
    return later
