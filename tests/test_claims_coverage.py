"""Coverage of the claims registry: every quantitative statement of A/76/120 has a row.

The report is read token by token (numbers, years, money, number words, vague quantifiers over
the submitters, the comparatives 'record', 'below', 'higher'); each token must lie in a registry
quote or in a reviewed non-claim (``data/reference/non_claims.csv``). Removing any row that
carries a token of its own makes the check fail; the few rows without one are listed here by name.
"""

from __future__ import annotations

import pandas as pd
import pytest

from tipstats.claims_audit.coverage import (
    TOKEN,
    load_non_claims,
    non_claim_spans,
    own_tokens,
    tokens,
    uncovered,
)
from tipstats.claims_audit.registry import load_registry
from tipstats.report import normalise, report_text

# Rows without a token of their own: a comparison without a number (None), or words that lie inside the
# quote of another row (named): removing both rows makes the check fail.
NO_TOKEN_OF_THEIR_OWN = {
    "p06_recent_increases": None,  # 'significant recent increases'
    "p38a_boys_share_rose": None,  # 'risen significantly'
    "p06_entry_into_force_2003": "p06_convictions_nearly_tripled",  # '... entered into force in 2003'
    "p75_contributions_2020": "p75_below_target",  # '$790,000 ... in 2020, which was below the ... target'
    "p75_funding_target": "p75_below_target",  # '... below the annual funding target of $1.5 million'
}


@pytest.fixture(scope="module")
def raw() -> str:
    return report_text()


@pytest.fixture(scope="module")
def registry() -> pd.DataFrame:
    return load_registry()


@pytest.fixture(scope="module")
def non_claims() -> pd.DataFrame:
    return load_non_claims()


def test_every_quantitative_token_of_the_report_is_registered_or_a_reviewed_non_claim(
    registry, raw, non_claims
):
    missing = uncovered(registry, raw, non_claims)
    text = normalise(raw)
    assert not missing, [(t.paragraph, t.text, t.context(text)) for t in missing]
    assert len(tokens(raw)) > 400  # the scan reads the whole report, not a part of it


def test_the_check_fails_when_any_registered_row_is_removed(registry, raw, non_claims):
    own = own_tokens(registry, raw, non_claims)
    without_own = {cid for cid, found in own.items() if not found}
    assert without_own == set(NO_TOKEN_OF_THEIR_OWN)
    for claim_id, shared_with in NO_TOKEN_OF_THEIR_OWN.items():
        if shared_with is not None:
            fewer = registry[~registry["claim_id"].isin([claim_id, shared_with])]
            assert uncovered(fewer, raw, non_claims), (claim_id, shared_with)
    for claim_id, found in own.items():
        if claim_id in NO_TOKEN_OF_THEIR_OWN:
            continue
        fewer = registry[registry["claim_id"] != claim_id]
        left = uncovered(fewer, raw, non_claims)
        assert {t.start for t in found} <= {t.start for t in left}, claim_id


def test_a_new_number_in_the_report_is_caught(registry, raw, non_claims):
    assert "three States acceded" in raw and "Asia and Europe. Operations" in raw  # each on one line
    changed = raw.replace("three States acceded", "4 States acceded")
    changed = changed.replace("Asia and Europe. Operations", "Asia and Europe, 12 in all. Operations")
    missing = uncovered(registry, changed, non_claims)
    assert [t.text for t in missing] == ["4", "12"]


def test_tokens_read_numbers_words_money_and_vague_quantifiers():
    text = (
        "Most States said $4.8 million and $790,000; the thirty-sixth session, the 20th anniversary, "
        "the Strategy 2021–2025, resolution 2011/36/EU, a record 32 projects, the majority of responding States, "
        "some cases, several individual donors."
    )
    found = [m.group() for m in TOKEN.finditer(text)]
    assert found == [
        "Most States",
        "$4.8 million",
        "$790,000",
        "thirty-sixth",
        "20th",
        "2021–2025",
        "2011/36",
        "record",
        "32",
        "the majority of responding States",
    ]  # fmt: skip  ('some cases' and 'several individual donors' are not about the submitters)


def test_every_non_claim_has_a_kind_and_a_reason_and_matches_the_report(non_claims, raw):
    assert non_claims["reason"].str.len().min() > 20
    used = {index for _, _, index in non_claim_spans(non_claims, raw)}
    assert used == set(non_claims.index), "a non-claim pattern matches nothing in the report"
    assert len(non_claims) <= 40  # a short, reviewed list


def test_non_claims_do_not_swallow_the_claims(registry, raw, non_claims):
    """No registered value lies inside a non-claim: a broad pattern would hide a statement."""
    text = normalise(raw)
    spans = [(lo, hi) for lo, hi, _ in non_claim_spans(non_claims, raw)]
    for lo, hi in spans:
        assert hi - lo < 300, text[lo:hi]
    for token in ("178", "3,500", "$4.8 million", "169", "48", "2013", "10/1"):
        at = text.index(token)
        assert not any(lo <= at < hi for lo, hi in spans), token


def test_a_bad_non_claims_file_is_refused(tmp_path):
    path = tmp_path / "non_claims.csv"
    path.write_text('paragraph,pattern,kind,reason\n*,"\\d+",guess,\n')
    with pytest.raises(ValueError, match="need a pattern"):
        load_non_claims(path)
