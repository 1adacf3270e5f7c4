"""Rule kind on the convictions analysis: its verdict on a statement, mapped to the audit's statuses.

The analysis decides (:func:`tipstats.analysis.convictions.verdicts`: claim region, 95 %
intervals); its ``inconclusive`` becomes ``not reproducible`` and ``not reproduced`` ``differs``.
"""

from __future__ import annotations

import pandas as pd

from tipstats.claims_audit.registry import Claim
from tipstats.claims_audit.rules.base import Verdict, rule_kind

CONVICTION_STATUS = {
    "reproduced": "reproduced",
    "differs": "differs",
    "not reproduced": "differs",
    "inconclusive": "not reproducible",
}


@rule_kind("model_verdict", inputs=("convictions_verdicts",))
def model_verdict(
    claim: Claim, *, convictions_verdicts: pd.DataFrame, statement: str | None = None
) -> Verdict:
    """The primary verdict of the convictions analysis on ``statement`` (none given: not tested)."""
    table = convictions_verdicts
    rows = table[table["statement_id"] == statement] if statement else table.iloc[0:0]
    if "primary" in rows.columns:
        rows = rows[rows["primary"].astype(bool)]
    if rows.empty:
        return Verdict(
            "not reproducible", "no result", "tipstats.analysis.convictions.verdicts()",
            "the convictions analysis has no verdict for this statement; needs GLOTIP 2020's conviction series "
            "by legislation cohort (the chart's data)",
        )  # fmt: skip
    row = rows.iloc[0]
    status = CONVICTION_STATUS.get(str(row["verdict"]))
    if status is None:
        raise ValueError(f"unknown convictions verdict {row['verdict']!r}")
    interval = f"95% interval {float(row['ci_low']):.3g} to {float(row['ci_high']):.3g}"
    if {"value_lower", "value_upper"} <= set(row.index):
        # the analysis' sharp '<5' bounds of the point estimate, before its sampling interval
        interval = f"sharp '<5' bounds {float(row['value_lower']):.3g} to {float(row['value_upper']):.3g}; {interval}"
    computed = f"{float(row['value']):.3g} ({interval})"
    evidence = (
        f"tipstats.analysis.convictions.verdicts(): {statement}, sample {row['sample']}, "
        f"{int(row['n_countries'])} countries, {int(row['n_obs'])} observations"
    )
    explanation = f"{row['measure']}: {row['explanation']}"
    if status == "not reproducible":
        explanation += " (the public country data cannot decide; GLOTIP 2020's own series would)"
    return Verdict(status, computed, evidence, explanation, float(row["value"]))
