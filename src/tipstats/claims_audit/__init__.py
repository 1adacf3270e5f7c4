"""The claims audit of report A/76/120: every quantitative statement, checked against the data.

:func:`audit` (also ``tipstats.audit()``, and ``tipstats.claims()`` as an alias) runs the rule of
every claim in the registry (``data/reference/claims.csv``, see
:mod:`tipstats.claims_audit.registry`) and returns one row per claim. Each registry row names its
rule kind and the kind's parameters; the kinds, the statuses and the tolerances are in
:mod:`tipstats.claims_audit.rules`. Rendering (terminal, Markdown, CSV, JSON) is
:mod:`tipstats.render`'s.

Columns of the result: ``claim_id``, ``paragraph``, ``label`` (a readable name: paragraph and what
is counted or dated), ``quote`` (the report's verbatim words), ``quantity``, ``reported`` (the value
with its comparator and unit, as text), ``computed`` (what the data give, as text), ``status``
(reproduced, consistent, differs, not reproducible, internal; ``failed`` when the computation
raised), ``strength`` (the kind of the best evidence, see
:data:`~tipstats.claims_audit.rules.base.STRENGTHS`), ``source_dates`` (the dates of the sources
used), ``evidence`` (datasets, rows, source_ids), ``explanation`` (one line generated from the
computed numbers) and ``see_also`` (the notebook that shows it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from tipstats.claims_audit.registry import NOTEBOOKS, Claim, load_registry
from tipstats.claims_audit.rules import FAILED, KINDS, STATUSES, Verdict, default_input
from tipstats.claims_audit.rules.base import NO_EVIDENCE, REPORT_ITSELF, STRENGTHS, strength_of
from tipstats.optional import MissingDependency

COLUMNS = [
    "claim_id",
    "paragraph",
    "label",
    "quote",
    "quantity",
    "reported",
    "computed",
    "status",
    "strength",
    "source_dates",
    "evidence",
    "explanation",
    "see_also",
]
#: The columns of a notebook's closing table (``audit(notebook=...)``).
READING_COLUMNS = ["claim_id", "label", "quote", "reported", "computed", "status", "strength", "explanation"]


def label_of(claim: Claim) -> str:
    """A readable name for a claim: ``¶75: projects selected since inception``."""
    return f"¶{claim.paragraph}: {claim.quantity}"


def strength_for(verdict: Verdict) -> str:
    """The verdict's strength: its own, else ``report itself`` for an internal check, ``none`` when
    nothing was found, else the class of its evidence text."""
    if verdict.strength:
        return verdict.strength
    if verdict.status == "internal":
        return REPORT_ITSELF
    if verdict.status == "not reproducible" and verdict.computed in ("no data", "not found", "no result"):
        return NO_EVIDENCE
    return strength_of(verdict.evidence)


class _Inputs:
    """Inputs by name, each loaded at most once per run; a failed load is remembered and re-raised."""

    def __init__(self, given: Mapping[str, Any] | None):
        self._values: dict[str, Any] = dict(given or {})
        self._errors: dict[str, Exception] = {}

    def get(self, name: str) -> Any:
        if name in self._errors:
            raise self._errors[name]
        if name not in self._values:
            try:
                self._values[name] = default_input(name)
            except Exception as exc:  # kept, so that every claim needing it fails the same way
                self._errors[name] = exc
                raise
        return self._values[name]


def inputs_of(claim: Claim) -> list[str]:
    """Names of the inputs the claim's rule reads.

    >>> inputs_of(Claim("p05_x", "5", "quote text", "parties", "178", "parties", "exactly", rule="party_count"))
    ['party_counts', 'treaty_events']
    """
    return KINDS[claim.rule].inputs_for(claim.parameters())


def check(claim: Claim, inputs: Mapping[str, Any] | None = None, *, _cache: _Inputs | None = None) -> Verdict:
    """The :class:`~tipstats.claims_audit.rules.Verdict` of one claim by its rule (errors raise).

    ``inputs`` maps input names to values (hand-made frames in tests); the rest are loaded.
    """
    cache = _cache if _cache is not None else _Inputs(inputs)
    if claim.rule not in KINDS:
        raise KeyError(f"claim {claim.claim_id!r}: unknown rule kind {claim.rule!r}")
    kind = KINDS[claim.rule]
    params = claim.parameters()
    return kind(claim, {name: cache.get(name) for name in kind.inputs_for(params)}, params)


def evaluate(claim: Claim, inputs: Mapping[str, Any] | None = None, *, _cache: _Inputs | None = None) -> dict:
    """The verdict row of one claim; a rule that raises gives status ``failed`` with the error."""
    row = {
        "claim_id": claim.claim_id,
        "paragraph": claim.paragraph,
        "label": label_of(claim),
        "quote": claim.quote,
        "quantity": claim.quantity,
        "reported": claim.reported_text(),
        "see_also": claim.see_also,
    }
    try:
        verdict = check(claim, inputs, _cache=_cache)
    except MissingDependency as exc:  # not a verdict: the audit needs an extra (one line naming it)
        raise MissingDependency(exc.module, "the claims audit (tipstats.audit)") from None
    except Exception as exc:
        message = f"{type(exc).__name__}: {exc}".replace("\n", " ")
        row.update(
            computed="",
            status=FAILED,
            strength=NO_EVIDENCE,
            source_dates="",
            evidence="",
            explanation=f"computation failed: {message}",
        )
        return {c: row[c] for c in COLUMNS}
    row.update(
        computed=verdict.computed,
        status=verdict.status,
        strength=strength_for(verdict),
        source_dates=verdict.source_dates,
        evidence=verdict.evidence,
        explanation=verdict.explanation,
    )
    return {c: row[c] for c in COLUMNS}


def audit(
    notebook: str | None = None,
    *,
    registry: pd.DataFrame | None = None,
    inputs: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """The verdict table: one row per claim of the registry, in registry order.

    ``notebook`` (``"01-ratification"`` ...): only the claims that notebook shows, with the
    reading columns (:data:`READING_COLUMNS`), the table a notebook closes with. ``registry``
    defaults to the validated ``data/reference/claims.csv`` (quotes proved against the report).
    ``inputs`` maps input names (``treaty_events``, ``party_counts``, ``trust_fund``,
    ``report_text``, ``convictions_verdicts`` ...) to values; anything not given is loaded once.
    """
    if notebook is not None and notebook not in NOTEBOOKS:
        from tipstats.datasets import unknown_name_message

        raise ValueError(unknown_name_message("notebook", notebook, NOTEBOOKS))
    if registry is None and inputs is None:
        # the audit of the repository's data, kept until data, registry or code change: the whole, or only one
        # notebook's claims (a notebook pays neither for the others' inputs, such as the convictions analysis,
        # nor for their time, when it runs before or beside the build's claims step)
        from tipstats.cache import cached_frame

        name = "claims_audit" if notebook is None else f"claims_audit.{notebook}"
        table = cached_frame(name, lambda: _audit_of(load_registry(), notebook, None), keep=_no_failure)
    else:
        table = _audit_of(load_registry() if registry is None else registry, notebook, inputs)
    if notebook is None:
        return table
    return table.loc[table["see_also"] == notebook, READING_COLUMNS].reset_index(drop=True)


def _verdicts(frame: pd.DataFrame, inputs: Mapping[str, Any] | None) -> pd.DataFrame:
    from tipstats import progress

    cache = _Inputs(inputs)
    progress.expect(len(frame))
    rows = []
    for _, row in frame.iterrows():
        progress.step(str(row["claim_id"]))
        rows.append(evaluate(Claim.from_row(row), _cache=cache))
    return pd.DataFrame(rows, columns=COLUMNS).astype("str")


def _audit_of(frame: pd.DataFrame, notebook: str | None, inputs: Mapping[str, Any] | None) -> pd.DataFrame:
    """The verdicts of ``frame``'s claims, or of those ``notebook`` shows."""
    return _verdicts(frame if notebook is None else frame[frame["see_also"] == notebook], inputs)


def _no_failure(table: pd.DataFrame) -> bool:
    """A table with failed computations is shown but not kept: a missing library may be installed later."""
    return not (table["status"] == FAILED).any()


def status_counts(table: pd.DataFrame) -> pd.Series:
    """Claims per status, in the order of :data:`~tipstats.claims_audit.rules.STATUSES` (``failed`` last)."""
    order = [*STATUSES, FAILED]
    counts = table["status"].value_counts()
    return pd.Series([int(counts.get(s, 0)) for s in order], index=order, name="claims")


def strength_counts(table: pd.DataFrame) -> pd.DataFrame:
    """Claims by status (rows, :func:`status_counts`' order) and strength of evidence (columns, strongest first)."""
    order = [*STATUSES, FAILED]
    counts = pd.crosstab(table["status"], table["strength"])
    counts = counts.reindex(index=order, columns=list(STRENGTHS), fill_value=0).astype(int)
    counts.index.name, counts.columns.name = "status", "strength"
    return counts


def weak_consistent(table: pd.DataFrame) -> pd.DataFrame:
    """The 'consistent' verdicts that rest only on secondary pages or curation labels."""
    from tipstats.claims_audit.rules.base import CURATION, SECONDARY

    return table[(table["status"] == "consistent") & table["strength"].isin([SECONDARY, CURATION])]


__all__ = [
    "COLUMNS",
    "READING_COLUMNS",
    "audit",
    "check",
    "evaluate",
    "inputs_of",
    "label_of",
    "status_counts",
    "strength_counts",
    "weak_consistent",
]
