"""Build ``treaty_status``: one row per treaty and participant, resolved from the ``treaty_events`` rows.

The one home of the rule that every count of parties follows (``tipstats.parties_as_of``, the
ratification figures): which source's row is used for a State, and whether the sources conflict.
"""

from __future__ import annotations

import pandas as pd

from tipstats import sources
from tipstats.facts import JOINING_ACTIONS
from tipstats.pipeline.treaty import (
    CONFLICT_NOTED,
    EVIDENCE_MODEL,
    NOTED_CONFLICTS,
    PARTICIPANTS_MODEL,
    _noted,
)
from tipstats.report import REPORT_SUBJECT

# -- one row per treaty and participant -------------------------------------------------------------


def source_priority(registry: pd.DataFrame | None = None) -> dict[str, int]:
    """Which source's row ``treaty_status`` uses for a participant, lowest first, from the registry.

    A UNTC table (the depositary's own record) first, then A/76/120 (it cites the UNTC status as at
    9 June 2021 and gives days), then the evidence files in registry order; between evidence rows the
    narrowest date bounds win first. ``registry`` defaults to the repository's sources registry.
    """
    if registry is None:
        registry = sources.read_registry()
    priority = dict.fromkeys(sources.source_values(registry, "treaty", raw_model=PARTICIPANTS_MODEL), 0)
    priority[sources.source_id(registry, subject=REPORT_SUBJECT)] = 1
    for rank, sid in enumerate(sources.source_ids(registry, raw_model=EVIDENCE_MODEL), start=2):
        priority[sid] = rank
    return priority


STATUS_COLUMNS = [
    "iso3",
    "participant",
    "treaty",
    "status",
    "signature_date",
    "action_type",
    "action_date",
    "action_date_precision",
    "action_date_earliest",
    "action_date_latest",
    "date_basis",
    "source_id",
    "source_url",
    "source_ids",
    "action_types",
    "conflict",
    "note",
]
PREFERENCE_WORDS = {
    0: "the UNTC table, the depositary's record, comes first",
    1: "A/76/120 comes after a UNTC table and before the evidence files",
    2: "no UNTC table or A/76/120 row: the evidence row with the narrowest date bounds",
    3: "no UNTC table or A/76/120 row: the evidence row with the narrowest date bounds",
}


def _joined(frame: pd.DataFrame, keys: list[str], column: str, sep: str) -> pd.Series:
    """Per group of ``keys``, the distinct values of ``column``, sorted and joined by ``sep``."""
    values = frame[[*keys, column]].dropna().drop_duplicates()
    values = values.assign(**{column: values[column].astype(str)}).sort_values([*keys, column])
    several = values.duplicated(keys, keep=False)  # most groups have one value: no Python per group
    one = values[~several].set_index(keys)[column]
    return pd.concat([one, values[several].groupby(keys, sort=False)[column].agg(sep.join)])


def _source_value(row) -> str:
    """What one source's row says: '2020-06-16 (day, stated, accession)'."""
    if row.date_basis == "no_action":
        when = "signature only"
        if pd.notna(row.signature_date):
            when += f" ({row.signature_date:%Y-%m-%d})"
        return when
    if pd.isna(row.lo_) or pd.isna(row.hi_):
        when = "a party, no date"
    elif row.lo_ == row.hi_:
        when = f"{row.lo_:%Y-%m-%d}"
    else:
        when = f"{row.lo_:%Y-%m-%d} to {row.hi_:%Y-%m-%d}"
    details = [str(row.action_date_precision), str(row.date_basis)]
    if pd.notna(row.action_type):
        details.append(str(row.action_type))
    return f"{when} ({', '.join(details)})"


def _status_note(rows: pd.DataFrame, used: str, priority: int, dates_conflict: bool) -> object:
    """The note of one participant: each source's value, the row used and why, any conflict."""
    pieces = []
    values = "; ".join(f"{r.source_id}: {_source_value(r)}" for r in rows.itertuples())
    pieces.append(f"Source{'s' if len(rows) > 1 else ''}: {values}.")
    if len(rows) > 1:
        pieces.append(f"Used: {used} ({PREFERENCE_WORDS[priority]}).")
        types = sorted(set(rows.loc[rows["joining_"], "action_type"].dropna().astype(str)))
        if len(types) > 1:
            pieces.append(f"The sources name different actions ({', '.join(types)}).")
    if dates_conflict:
        pieces.append("CONFLICT: the sources' dates do not meet.")
    noted = [str(n) for n in rows[NOTED_CONFLICTS].dropna()]
    noted += [
        f"{r.source_id}: {r.note}" for r in rows.itertuples() if CONFLICT_NOTED in str(r.note or "").lower()
    ]
    if noted:
        pieces.append("CONFLICT recorded in the notes: " + "; ".join(n.rstrip(". ") for n in noted) + ".")
    return " ".join(pieces)


def resolve_status(events: pd.DataFrame, priority: dict[str, int] | None = None) -> pd.DataFrame:
    """One row per treaty and participant (``treaty_status``) from rows like ``treaty_events``.

    ``status`` is ``party`` when some row records a joining action (dated or not) and
    ``signatory_only`` otherwise. The row used (``source_id``) is a joining row if there is one,
    chosen by :func:`source_priority` (``priority``: its result for another registry), then the narrowest date bounds (an undated action is the
    least precise), then the source id; its action, date, precision, bounds, basis and page are
    the participant's. ``signature_date`` is the first signature a row gives, in the same order.
    ``source_ids`` lists every source with a row, ``action_types`` every joining action they name.
    ``conflict`` is true when the dated joining rows' bounds do not share a day, or a note (or the
    compiler's note of an evidence row, column ``noted_conflicts`` of the builder's rows) records a
    conflict; the ``note`` names each source's value when there are several.

    Columns the rows may lack (``action_type``, ``action_date``, ``action_date_precision``,
    ``signature_date``, ``source_url``, ``note``) count as not stated.

    >>> day = pd.Timestamp
    >>> events = pd.DataFrame({"treaty": ["tip_protocol"] * 2, "participant": ["Aland"] * 2,
    ...     "iso3": ["AAA"] * 2, "source_id": ["a76120", "tip_evidence"], "date_basis": ["stated"] * 2,
    ...     "action_date": [day("2020-06-16"), pd.NaT], "action_date_precision": ["day", "year"],
    ...     "action_date_earliest": [day("2020-06-16"), day("2020-01-01")],
    ...     "action_date_latest": [day("2020-06-16"), day("2020-12-31")]})
    >>> resolve_status(events)[["participant", "status", "source_id", "source_ids", "conflict"]].values.tolist()
    [['Aland', 'party', 'a76120', 'a76120,tip_evidence', False]]
    """
    frame = events.copy()
    optional = ("action_type", "action_date", "action_date_precision", "signature_date", "source_url", "note")
    for column in (*optional, NOTED_CONFLICTS):
        if column not in frame.columns:
            frame[column] = pd.NA
    priority = source_priority() if priority is None else priority
    unknown = set(frame["source_id"].astype(str)) - set(priority)
    if unknown:
        raise ValueError(f"no preference defined for source(s) {sorted(unknown)}")
    for column in ("action_date", "signature_date", "action_date_earliest", "action_date_latest"):
        frame[column] = pd.to_datetime(frame[column])
    frame["note"] = frame["note"].astype("object").where(frame["note"].notna(), None)
    frame[NOTED_CONFLICTS] = (
        frame[NOTED_CONFLICTS].astype("object").where(frame[NOTED_CONFLICTS].notna(), None)
    )
    action = frame["action_type"].astype("object")
    frame["joining_"] = (frame["date_basis"] != "no_action") & (action.isna() | action.isin(JOINING_ACTIONS))
    frame["who_"] = frame["iso3"].astype("object").fillna(frame["participant"].astype("object"))
    frame["priority_"] = frame["source_id"].map(priority).astype("int64")
    width = (frame["action_date_latest"] - frame["action_date_earliest"]).dt.days.astype("float64")
    frame["width_"] = width.fillna(float("inf"))  # an undated action is the least precise
    frame["lo_"] = frame["action_date_earliest"].fillna(frame["action_date"])
    frame["hi_"] = frame["action_date_latest"].fillna(frame["action_date"])
    frame = frame.sort_values(
        ["treaty", "who_", "joining_", "priority_", "width_", "source_id"],
        ascending=[True, True, False, True, True, True],
        kind="stable",
    )
    keys = ["treaty", "who_"]
    every = frame.groupby(keys, sort=False)
    chosen = frame.drop_duplicates(keys).set_index(keys)
    by_priority = frame.sort_values([*keys, "priority_", "source_id"], kind="stable").groupby(
        keys, sort=False
    )
    joining = frame[frame["joining_"]]
    dated = joining[joining["lo_"].notna() & joining["hi_"].notna()].groupby(keys, sort=False)
    dates_conflict = (dated["lo_"].max() > dated["hi_"].min()).reindex(chosen.index, fill_value=False)
    frame["noted_"] = _noted(frame["note"]) | frame[NOTED_CONFLICTS].notna()
    noted = frame.groupby(keys, sort=False)["noted_"].any()
    out = pd.DataFrame(
        {
            "iso3": chosen["iso3"],
            "participant": chosen["participant"],
            "treaty": chosen.index.get_level_values("treaty"),
            "status": chosen["joining_"].map({True: "party", False: "signatory_only"}),
            "signature_date": by_priority["signature_date"].first().reindex(chosen.index),
            "action_type": chosen["action_type"],
            "action_date": chosen["action_date"],
            "action_date_precision": chosen["action_date_precision"],
            "action_date_earliest": chosen["lo_"],
            "action_date_latest": chosen["hi_"],
            "date_basis": chosen["date_basis"],
            "source_id": chosen["source_id"],
            "source_url": chosen["source_url"],
            "source_ids": _joined(frame, keys, "source_id", ",").reindex(chosen.index),
            "action_types": _joined(joining, keys, "action_type", "/").reindex(chosen.index),
            "conflict": (dates_conflict | noted.reindex(chosen.index, fill_value=False)).astype(bool),
        },
        index=chosen.index,
    )
    out["note"] = pd.Series(pd.NA, index=chosen.index, dtype="object")
    several = every.size() > 1
    for key in out.index[several.reindex(out.index, fill_value=False) | out["conflict"]]:
        rows = every.get_group(key).sort_values(["priority_", "source_id"], kind="stable")
        used = chosen.loc[key]
        out.at[key, "note"] = _status_note(
            rows, used["source_id"], int(used["priority_"]), bool(dates_conflict.loc[key])
        )
    out = out.reset_index(drop=True).sort_values(["treaty", "participant"], kind="stable")
    return out[STATUS_COLUMNS].reset_index(drop=True)
