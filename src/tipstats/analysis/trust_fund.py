"""The UN Voluntary Trust Fund for Victims of Trafficking: the dataset's figures on a time axis and per call.

A figure of ``trust_fund`` is known to a day, a month, a year or a period (:func:`span_of`); money is
converted between the dataset's USD scales (``tipstats.facts.USD_SCALE``).
"""

from __future__ import annotations

import re

import pandas as pd

from tipstats.facts import USD_SCALE

#: Per-call figure: metric -> (title, quantity suffixes after ``callN_[sgpK_]``).
CALL_METRICS = {
    "projects": ("Projects (or NGOs) awarded", ("projects_awarded", "ngos_awarded")),
    "grants": ("Grants awarded, USD million", ("grants_total", "grants_awarded")),
    "proposals": (
        "Proposals received",
        ("applicant_ngos", "applications_received", "proposals_received", "proposals_reviewed"),
    ),
}
CALL_QUANTITY = re.compile(r"^call(\d+)_(?:(sgp\d)_)?(.+)$")


def span_of(date_or_period: str, date: object = None) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """First and last day that a date, month, year or period as given can mean (None if undated).

    >>> [str(d.date()) for d in span_of("2023-02")]
    ['2023-02-01', '2023-02-28']
    >>> [str(d.date()) for d in span_of("2014 (launch) - 2017")]
    ['2014-01-01', '2017-12-31']
    >>> span_of("undated (older page)") is None
    True
    """
    if date is not None and not pd.isna(date):
        day = pd.Timestamp(date)
        return day, day
    text = str(date_or_period)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        day = pd.Timestamp(text)
        return day, day
    if re.fullmatch(r"\d{4}-\d{2}", text):
        first = pd.Timestamp(f"{text}-01")
        return first, first + pd.offsets.MonthEnd(0)
    years = re.findall(r"\b((?:19|20)\d{2})\b", text)
    if not years or text.lower().startswith("undated"):
        return None
    return pd.Timestamp(f"{years[0]}-01-01"), pd.Timestamp(f"{years[-1]}-12-31")


#: Units that name the same thing in the claims registry and in the dataset.
SAME_UNIT = {"victims per year": "persons", "persons per year": "persons", "victims": "persons"}


def in_unit(value: float, unit: str, target: str) -> float:
    """``value`` in ``unit`` expressed in ``target`` (only USD and USD million convert).

    >>> in_unit(790000, "USD", "USD million"), in_unit(3500, "victims per year", "persons")
    (0.79, 3500.0)
    """
    if SAME_UNIT.get(unit, unit) == SAME_UNIT.get(target, target):
        return float(value)
    if unit in USD_SCALE and target in USD_SCALE:
        return float(value) * USD_SCALE[unit] / USD_SCALE[target]
    raise ValueError(f"cannot express {unit!r} in {target!r}")


def sourced_points(trust_fund: pd.DataFrame, quantities: list[str], unit: str) -> tuple[pd.DataFrame, int]:
    """Rows of ``quantities`` placed on a time axis (start, end, middle) in ``unit``; and how many are undated."""
    rows = trust_fund.loc[trust_fund["quantity"].isin(quantities)]
    out, undated = [], 0
    for _, row in rows.iterrows():
        span = span_of(row["date_or_period"], row.get("date"))
        if span is None:
            undated += 1
            continue
        start, end = span
        out.append(
            {
                "start": start, "end": end, "x": start + (end - start) / 2,
                "value": in_unit(row["value"], row["unit"], unit), "qualifier": row["qualifier"],
                "figure_id": row["figure_id"], "source_id": row["source_id"],
            }
        )  # fmt: skip
    frame = pd.DataFrame(out, columns=["start", "end", "x", "value", "qualifier", "figure_id", "source_id"])
    frame = frame.drop_duplicates(["start", "end", "value", "qualifier"]).sort_values(["x", "figure_id"])
    return frame.reset_index(drop=True), undated


def call_rows(trust_fund: pd.DataFrame) -> pd.DataFrame:
    """Per-call rows of the dataset: call number, sub-programme (or 'all'), metric and value.

    Quantities ``callN_[sgpK_]<what>`` are sorted into the metrics of :data:`CALL_METRICS`; money is
    in USD million. Rows stating the same value twice (two pages) are kept once.

    >>> tf = pd.DataFrame({"quantity": ["call4_projects_awarded", "call7_sgp1_projects_awarded", "call1_grants_total"],
    ...     "value": [32.0, 10.0, 750000.0], "unit": ["projects", "projects", "USD"], "qualifier": [None, None, "nearly"],
    ...     "date_or_period": ["2020", "2023-05-23", "2014-12"], "figure_id": ["a", "b", "c"], "source_id": "unvtf_figures"})
    >>> call_rows(tf)[["call", "programme", "metric", "value"]].to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'call': 1, 'programme': 'all', 'metric': 'grants', 'value': 0.75},
     {'call': 4, 'programme': 'all', 'metric': 'projects', 'value': 32.0},
     {'call': 7, 'programme': 'sgp1', 'metric': 'projects', 'value': 10.0}]
    """
    out = []
    for _, row in trust_fund.iterrows():
        match = CALL_QUANTITY.match(row["quantity"])
        if not match:
            continue
        call, programme, what = int(match.group(1)), match.group(2) or "all", match.group(3)
        for metric, (_title, suffixes) in CALL_METRICS.items():
            if what in suffixes:
                value = float(row["value"])
                if metric == "grants":
                    value = in_unit(value, row["unit"], "USD million")
                out.append(
                    {
                        "call": call, "programme": programme, "metric": metric, "what": what, "value": value,
                        "unit": "USD million" if metric == "grants" else row["unit"], "qualifier": row["qualifier"],
                        "date_or_period": row["date_or_period"], "figure_id": row["figure_id"],
                    }
                )  # fmt: skip
    columns = [
        "call",
        "programme",
        "metric",
        "what",
        "value",
        "unit",
        "qualifier",
        "date_or_period",
        "figure_id",
    ]
    frame = pd.DataFrame(out, columns=columns)
    frame = frame.sort_values(["call", "programme", "metric", "value", "figure_id"], na_position="first")
    frame = frame.drop_duplicates(["call", "programme", "metric", "value"])
    return frame.sort_values(["call", "metric", "programme", "figure_id"]).reset_index(drop=True)


def drawn_call_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows drawn per call: a whole-call figure where there is one, else each sub-programme's.

    A sub-programme figure is part of the whole-call figure of the same metric, so it is not drawn
    beside it (call 4: 32 projects in all, of which 16 under sub-programme 2).
    """
    whole = rows.loc[rows["programme"] == "all", ["call", "metric"]].drop_duplicates()
    keyed = rows.merge(whole.assign(_whole=True), on=["call", "metric"], how="left")
    keep = (keyed["programme"] == "all") | keyed["_whole"].isna()
    return rows.loc[keep.to_numpy()].reset_index(drop=True)
