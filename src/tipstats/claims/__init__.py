"""The claims audit of report A/76/120: every quantitative statement, checked against the data.

``claims()`` runs the rule of every claim in the registry (``data/reference/claims.csv``, see
:mod:`tipstats.claims.registry`) and returns one row per claim. The rules live in
:mod:`tipstats.claims.rules`; the statuses and tolerances are explained there.

Columns of the result: ``claim_id``, ``paragraph``, ``quantity``, ``reported`` (the value with
its comparator and unit, as text), ``computed`` (what the data give, as text), ``status``
(reproduced, consistent, differs, not reproducible, internal; ``failed`` when the computation
raised), ``evidence`` (datasets, rows, source_ids), ``explanation`` (one line generated from the
computed numbers) and ``see_also`` (the notebook that shows it).
"""

from __future__ import annotations

import inspect
import json
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from tipstats.claims.registry import Claim, load_registry
from tipstats.claims.rules import FAILED, RULES, STATUSES, Verdict

COLUMNS = [
    "claim_id",
    "paragraph",
    "quantity",
    "reported",
    "computed",
    "status",
    "evidence",
    "explanation",
    "see_also",
]
FORMATS = ("table", "csv", "json", "markdown")


def _loader(name: str) -> Callable[[], Any]:
    """How input ``name`` is obtained when not given (the same default as the rules use)."""
    from tipstats.claims.rules import default_input

    return lambda: default_input(name)


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
                self._values[name] = _loader(name)()
            except Exception as exc:  # kept, so that every claim needing it fails the same way
                self._errors[name] = exc
                raise
        return self._values[name]


def inputs_of(rule: Callable[..., Verdict]) -> list[str]:
    """Names of the inputs a rule takes (its keyword-only parameters).

    >>> from tipstats.claims.rules import p05_parties_178
    >>> inputs_of(p05_parties_178)
    ['party_counts', 'treaty_events']
    """
    return [
        p.name
        for p in inspect.signature(rule).parameters.values()
        if p.kind is inspect.Parameter.KEYWORD_ONLY
    ]


def evaluate(claim: Claim, inputs: Mapping[str, Any] | None = None, *, _cache: _Inputs | None = None) -> dict:
    """The verdict row of one claim; a rule that raises gives status ``failed`` with the error."""
    cache = _cache if _cache is not None else _Inputs(inputs)
    row = {
        "claim_id": claim.claim_id,
        "paragraph": claim.paragraph,
        "quantity": claim.quantity,
        "reported": claim.reported_text(),
        "see_also": claim.see_also,
    }
    rule = RULES.get(claim.claim_id)
    try:
        if rule is None:
            raise KeyError(f"no rule for claim {claim.claim_id!r} in tipstats.claims.rules")
        kwargs = {name: cache.get(name) for name in inputs_of(rule)}
        verdict = rule(claim, **kwargs)
    except Exception as exc:
        message = f"{type(exc).__name__}: {exc}".replace("\n", " ")
        row.update(computed="", status=FAILED, evidence="", explanation=f"computation failed: {message}")
        return {c: row[c] for c in COLUMNS}
    row.update(
        computed=verdict.computed,
        status=verdict.status,
        evidence=verdict.evidence,
        explanation=verdict.explanation,
    )
    return {c: row[c] for c in COLUMNS}


def claims(registry: pd.DataFrame | None = None, inputs: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """The verdict table: one row per claim of the registry, in registry order.

    ``registry`` defaults to the validated ``data/reference/claims.csv`` (quotes proved against
    the report). ``inputs`` maps input names (``treaty_events``, ``party_counts``, ``trust_fund``,
    ``report_text``, ``convictions_verdicts`` ...) to values; anything not given is loaded once.
    """
    frame = load_registry() if registry is None else registry
    cache = _Inputs(inputs)
    rows = [evaluate(Claim.from_row(row), _cache=cache) for _, row in frame.iterrows()]
    return pd.DataFrame(rows, columns=COLUMNS).astype("str")


def status_counts(table: pd.DataFrame) -> pd.Series:
    """Claims per status, in the order of :data:`~tipstats.claims.rules.STATUSES` (``failed`` last)."""
    order = [*STATUSES, FAILED]
    counts = table["status"].value_counts()
    return pd.Series([int(counts.get(s, 0)) for s in order], index=order, name="claims")


# -- output -------------------------------------------------------------------------------------

LEGEND = {
    "reproduced": "tipstats' own computation from data rows gives the reported value",
    "consistent": "another source (a UNODC statement, an official count) gives the same value",
    "differs": "the data or another source give another value (both shown, with the likely reason)",
    "not reproducible": "no data at hand decide it; the explanation names the data needed",
    "internal": "checkable only against the report itself (dates, arithmetic, what it lists), and it holds",
    FAILED: "the computation raised an error (not a verdict)",
}


def _cell(value: str) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def to_markdown(table: pd.DataFrame) -> str:
    """The table as Markdown: counts by status, the legend, then one row per claim."""
    counts = status_counts(table)
    lines = [
        "# Claims audit of report A/76/120",
        "",
        f"{len(table)} quantitative statements of the report, each checked against the tipstats datasets "
        "(`tipstats claims`; registry `data/reference/claims.csv`; rules `tipstats.claims.rules`).",
        "",
        "| status | claims | meaning |",
        "|---|---:|---|",
    ]
    lines += [f"| {s} | {n} | {LEGEND[s]} |" for s, n in counts.items() if n or s != FAILED]
    lines += [
        "",
        "Tolerance: a reported number stands for the values that round to it at the precision the report "
        "writes it (178 means 177.5-178.5; 'about 600' means 550-650); 'more than N' is checked as such. "
        "See the docstring of `tipstats.claims.rules`.",
        "",
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "|".join("---" for _ in COLUMNS) + "|",
    ]
    lines += [
        "| " + " | ".join(_cell(v) for v in row) + " |" for row in table[COLUMNS].itertuples(index=False)
    ]
    return "\n".join(lines) + "\n"


def to_text_table(table: pd.DataFrame, width: int = 44) -> str:
    """A compact fixed-width table for the terminal (long cells cut), then counts by status."""
    cols = ["claim_id", "status", "reported", "computed"]
    cut = {c: table[c].map(lambda v: v if len(v) <= width else v[: width - 1] + "…") for c in cols}
    widths = {c: max(len(c), *(len(v) for v in cut[c])) if len(table) else len(c) for c in cols}
    lines = ["  ".join(c.ljust(widths[c]) for c in cols)]
    lines.append("  ".join("-" * widths[c] for c in cols))
    for i in range(len(table)):
        lines.append("  ".join(cut[c].iloc[i].ljust(widths[c]) for c in cols).rstrip())
    counts = status_counts(table)
    lines.append("")
    lines.append("; ".join(f"{s}: {n}" for s, n in counts.items() if n or s != FAILED))
    return "\n".join(lines) + "\n"


def render(table: pd.DataFrame, fmt: str) -> str:
    """The table in one of :data:`FORMATS`."""
    if fmt == "table":
        return to_text_table(table)
    if fmt == "csv":
        return table.to_csv(index=False, lineterminator="\n")
    if fmt == "json":
        return json.dumps(table.to_dict(orient="records"), indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        return to_markdown(table)
    raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")


def exit_code(table: pd.DataFrame, strict: bool) -> int:
    """0 when every claim has a verdict; 1 when a computation failed, or (``strict``) a claim differs."""
    if (table["status"] == FAILED).any():
        return 1
    if strict and (table["status"] == "differs").any():
        return 1
    return 0


def run_cli(fmt: str, strict: bool, output: Path | None, *, table: pd.DataFrame | None = None) -> int:
    """``tipstats claims``: print (or write to ``output``) the table; return the exit code.

    Exit 0 when every claim has a verdict and no computation failed; 1 when a computation failed
    (listed on standard error) or, with ``strict``, when any claim ``differs``. An invalid
    registry raises :class:`~tipstats.errors.DataValidationError` (the CLI prints it, exit 1).
    """
    table = claims() if table is None else table
    text = render(table, fmt)
    if output is None:
        sys.stdout.write(text)
    else:
        from tipstats.io import write_text

        write_text(text, Path(output))
    failed = table[table["status"] == FAILED]
    for row in failed.itertuples(index=False):
        print(f"tipstats claims: {row.claim_id}: {row.explanation}", file=sys.stderr)
    differs = table[table["status"] == "differs"]
    if strict and len(differs):
        print(
            f"tipstats claims: {len(differs)} claim(s) differ: {', '.join(differs['claim_id'])}",
            file=sys.stderr,
        )
    return exit_code(table, strict)


__all__ = ["COLUMNS", "FORMATS", "STATUSES", "claims", "evaluate", "render", "run_cli", "status_counts"]


class _CallableModule(type(sys)):
    """``tipstats.claims`` is both this package and the function :func:`claims`.

    Importing a submodule (``tipstats.claims.rules``) binds the package to the name
    ``tipstats.claims``, hiding the function that ``tipstats/__init__.py`` exports lazily; calling
    the package therefore calls the function, so ``tipstats.claims()`` works in either order.
    """

    def __call__(self, *args: Any, **kwargs: Any) -> pd.DataFrame:
        return claims(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
