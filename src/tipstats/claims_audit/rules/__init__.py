"""The rule kinds of the claims audit: a small vocabulary of tested checks, named by the registry.

Each row of the claims registry names its ``rule`` (a kind of :data:`KINDS`) and the kind's
``params`` (a JSON object); a new claim of a known kind is a registry row, not code. A kind is a
function of the claim, its inputs (datasets by name, the report text, the convictions verdicts,
the adoption date of the Protocol) and its parameters that returns a :class:`Verdict`; see
:mod:`tipstats.claims_audit.rules.base`. The kinds live by subject:

- ``report``: the report against itself (dates, arithmetic, ordinals, what a sentence lists);
- ``treaty``: a party count at a date, an accession date, joinings in a period, the entry into force;
- ``legislation``: a count of countries with legislation; ``convictions``: the model's verdict;
- ``victims``: a share the report quotes, a share that rose more;
- ``trust_fund``: a quantity another source states, the fund's age, its calls;
- ``events``: a dated event that another source dates; ``base``: ``no_data``.

Statuses
--------
reproduced
    tipstats' own computation from data rows gives the reported value within the comparator.
consistent
    another source (a UNODC statement, an official count) gives the same value.
differs
    the data or another source give another value: both numbers are shown with the likely reason.
not reproducible
    no data at hand can confirm or refute it; the explanation names the data that would be needed.
internal
    checkable only against the report itself (dates, arithmetic, counts of what it lists), and it
    holds. An internal check that fails is ``differs``.

Tolerances (one place: :func:`~.base.claim_interval`, :func:`~.base.statement_interval`)
------------------------------------------------------------------------------------
The report rounds, so a reported value is read as the interval of values that round to it
(half up, so the upper end is open):

- ``exactly`` N: N +/- half a unit of its last written decimal (178 -> [177.5, 178.5);
  4.8 million -> [4.75, 4.85) million);
- ``about`` N: N +/- half a unit of its last non-zero digit (about 600 -> [550, 650); about 500
  -> [450, 550)), the precision the word signals;
- ``more than`` N: (N, inf); ``at least`` N: [N, inf); ``up to`` N: [0, N]; ``below`` N: [0, N).

Another source's number is read the same way from its own qualifier ("more than"; "close to",
"nearly" = just below; "some", "around" = about ...), except that an unqualified whole number of
things (32 projects, 3 grant windows) is exact. The claim holds when the other source's interval
lies inside the claim's, and differs when the two do not overlap; otherwise the comparison cannot
decide (``not reproducible``). Dates are compared by day (or by the month the report gives).
"Nearly tripled" and "higher before 2003" are decided by the convictions analysis
(:func:`tipstats.analysis.convictions.verdicts`: claim region 2.5-3.0, 95 % intervals); its
``inconclusive`` becomes ``not reproducible`` and its ``not reproduced`` becomes ``differs``.
"""

from __future__ import annotations

from tipstats.claims_audit.rules import (  # noqa: F401  (each module registers its kinds)
    base,
    convictions,
    events,
    legislation,
    report,
    treaty,
    trust_fund,
    victims,
)
from tipstats.claims_audit.rules.base import FAILED, KINDS, STATUSES, RuleKind, Verdict, default_input

__all__ = ["FAILED", "KINDS", "STATUSES", "RuleKind", "Verdict", "default_input"]
