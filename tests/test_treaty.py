"""treaty_events, party_counts and the parties_as_of library.

Known facts are derived from the raw CSVs with the csv module, or stated by the treaty README
and the issue (the report's three accession dates); parsers and rules are tested on small
hand-made inputs.
"""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from tipstats.analysis.treaty import (
    known_vs_official,
    parties_as_of,
    party_count_as_of,
    party_count_range,
    party_windows,
)
from tipstats.errors import DataValidationError
from tipstats.paths import RAW_DIR
from tipstats.pipeline import treaty as bt
from tipstats.schemas.base import validate
from tipstats.schemas.treaty import PartyCounts, TreatyEvents

TIP = "treaty/tip_protocol_participants.csv"
EVIDENCE = "treaty/tip_protocol_post2017_evidence.csv"
EVIDENCE_R2 = "treaty/tip_protocol_post2017_evidence_five_states.csv"


def rows(relative: str) -> list[dict[str, str]]:
    with (RAW_DIR / relative).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def events(built):
    return built["treaty_events"]


# -- known facts ---------------------------------------------------------------------------------


def test_173_parties_before_2018_and_117_signatories(events):
    raw = rows(TIP)
    parties = sum(1 for r in raw if r["action_date"] and r["action_date"] < "2018-01-01")
    signatories = sum(1 for r in raw if r["signature_date"])
    assert (parties, signatories) == (173, 117)  # README: header "Signatories 117, Parties 173"
    untc = events[events["source_id"] == "untc_tip_2018"]
    assert (untc["action_date"] < "2018-01-01").sum() == parties
    assert untc["signature_date"].notna().sum() == signatories
    assert len(parties_as_of("2017-12-31", events=events)) == parties


def test_untc_rows_are_copied_one_for_one(events):
    for source_id, path, treaty in [
        ("untc_tip_2018", TIP, "tip_protocol"),
        ("untc_som_2018", "treaty/som_protocol_participants.csv", "som_protocol"),
        ("untc_untoc_2014", "treaty/untoc_participants.csv", "untoc"),
    ]:
        got = events[events["source_id"] == source_id].set_index("participant")
        raw = rows(path)
        assert len(got) == len(raw) and set(got["treaty"]) == {treaty}
        for r in raw:
            row = got.loc[r["participant"]]
            action = row["action_date"].strftime("%Y-%m-%d") if pd.notna(row["action_date"]) else ""
            assert action == r["action_date"]
            assert (row["action_type"] if pd.notna(row["action_type"]) else "") == r["action_type"]


def test_the_tables_stop_where_the_readme_says(events):
    latest = {
        path: max(r["action_date"] for r in rows(path) if r["action_date"])
        for path in [TIP, "treaty/untoc_participants.csv"]
    }
    assert latest == {TIP: "2017-12-29", "treaty/untoc_participants.csv": "2013-10-17"}
    untc = events[events["source_id"].str.startswith("untc")]
    assert untc["action_date"].max() == pd.Timestamp(latest[TIP])


def test_report_dates_for_brunei_comoros_and_nepal(events):
    report = events[events["source_id"] == "a76120"].set_index("participant")
    expected = {
        "Brunei Darussalam": "2020-03-30",
        "Comoros": "2020-06-23",
        "Nepal": "2020-06-16",
    }  # A/76/120 para 5
    assert sorted(report.index) == sorted(expected)
    for name, day in expected.items():
        assert report.at[name, "action_date"] == pd.Timestamp(day)
        assert report.at[name, "action_type"] == "accession"
        assert report.at[name, "date_basis"] == "stated"
    # The evidence file derives the same days for Brunei and Comoros from entry into force.
    derived = {
        r["participant"]: r["implied_deposit_date_derived"]
        for r in rows(EVIDENCE)
        if r["implied_deposit_date_derived"]
    }
    assert derived["Brunei Darussalam"] == expected["Brunei Darussalam"]
    assert derived["Comoros"] == expected["Comoros"]


def test_report_and_evidence_rows_are_both_kept(events):
    brunei = events[(events["participant"] == "Brunei Darussalam") & (events["treaty"] == "tip_protocol")]
    assert set(brunei["source_id"]) == {"a76120", "tip_evidence"}
    nepal = events[events["participant"] == "Nepal"].set_index("source_id")
    assert nepal.at["tip_evidence", "action_date_precision"] == "year"
    assert nepal.at["tip_evidence_five_states", "action_date_precision"] == "none"
    assert party_windows(events).set_index("participant").at["Nepal", "source_id"] == "a76120"


def test_palau_is_a_window_never_a_day(events):
    note = next(
        r["note"]
        for r in rows(EVIDENCE_R2)
        if r["participant"] == "Palau" and r["evidence_kind"] == "annual_report_statement"
    )
    assert "April 2019 - March 2020" in note  # the evidence file's inferred reporting period
    palau = events[events["participant"] == "Palau"].iloc[0]
    assert pd.isna(palau["action_date"])
    assert (palau["action_date_precision"], palau["date_basis"]) == ("window", "inferred_reporting_period")
    assert (palau["action_date_earliest"], palau["action_date_latest"]) == (
        pd.Timestamp("2019-04-01"),
        pd.Timestamp("2020-03-31"),
    )


def test_derived_days_are_entry_into_force_minus_30(events):
    for r in rows(EVIDENCE):
        if r["evidence_kind"] == "entry_into_force_date":
            expected = pd.Timestamp(r["date_as_given_iso"]) - pd.Timedelta(days=30)
            row = events[
                (events["participant"] == r["participant"]) & (events["source_id"] == "tip_evidence")
            ].iloc[0]
            assert row["action_date"] == expected
            assert row["date_basis"] == "derived_entry_into_force_30_day_rule"


def test_states_said_not_to_be_parties_get_no_event(events):
    not_parties = {
        r["participant"] for r in rows(EVIDENCE_R2) if r["evidence_kind"] == "not_party_recommendation"
    }
    assert not_parties == {"Tonga", "Congo"}
    evidence = events[events["source_id"].str.startswith("tip_evidence")]
    assert not_parties.isdisjoint(evidence["participant"])
    congo = events[(events["participant"] == "Congo") & (events["treaty"] == "tip_protocol")]
    assert list(congo["date_basis"]) == ["no_action"]  # a 2000 signatory in the UNTC table


def test_conflicts_stay_visible_in_notes(events):
    comoros = events[(events["participant"] == "Comoros") & (events["source_id"] == "tip_evidence")].iloc[0]
    assert "2020-06-17" in comoros["note"] and "179th" in comoros["note"]
    bhutan = events[events["participant"] == "Bhutan"].iloc[0]
    assert "2023-03-21" in bhutan["note"]


def test_iso3_is_missing_only_for_the_european_union(events, built):
    missing = events[events["iso3"].isna()]
    assert set(missing["participant"]) == {"European Union"}
    assert set(missing["treaty"]) == {"tip_protocol", "som_protocol", "untoc"}
    assert set(events["iso3"].dropna()) <= set(built["countries"]["iso3"])


def test_gap_to_the_official_counts_after_2017(events, built):
    table = known_vs_official(events=events, counts=built["party_counts"]).set_index(["date", "source_id"])
    official = table.loc[("2024-04-20", "tip_party_counts")]
    assert official["parties"] == 182
    assert official["known_parties"] < official["parties"]
    assert table.loc[("2018-01-15", "tip_party_counts"), "gap"] == 0


# -- party_counts ----------------------------------------------------------------------------------


def test_party_counts_keep_every_row_and_the_words(built):
    counts = built["party_counts"]
    raw = rows("treaty/tip_protocol_party_counts.csv") + rows(
        "treaty/tip_protocol_party_counts_2018_2024.csv"
    )
    assert len(counts) == len(raw) + 1  # plus the report's own count
    words = counts.set_index("parties_as_given")
    assert pd.isna(words.at["some 180", "parties"]) and words.at["some 180", "qualifier"] == "some"
    assert pd.isna(words.at["over 180", "parties"]) and words.at["over 180", "qualifier"] == "over"
    exact = [r for r in raw if r["parties"].isdigit()]
    assert counts["parties"].notna().sum() == len(exact) + 1


def test_report_count_178_as_at_9_june_2021(built):
    report = built["party_counts"][built["party_counts"]["source_id"] == "a76120"]
    assert report[["date", "parties"]].values.tolist() == [["2021-06-09", 178]]


def test_report_parsers_on_the_report_text():
    text = (RAW_DIR / "report/A-76-120.txt").read_text(encoding="utf-8")
    assert bt.report_party_count(text)["date"] == "2021-06-09"
    assert list(bt.report_accessions(text)["participant"]) == ["Brunei Darussalam", "Comoros", "Nepal"]


# -- parsers and rules on small inputs -------------------------------------------------------------


def test_report_accessions_checks_the_announced_number_and_keeps_and_in_names():
    text = "two States acceded to the Protocol: Trinidad and Tobago (1 May 2020) and Chad (2 June 2020). Now"
    found = bt.report_accessions(text)
    assert list(found["participant"]) == ["Trinidad and Tobago", "Chad"]
    assert list(found["action_date"]) == [pd.Timestamp("2020-05-01"), pd.Timestamp("2020-06-02")]
    with pytest.raises(ValueError, match="announces 3"):
        bt.report_accessions(text.replace("two", "three"))


@pytest.mark.parametrize(
    "given, expected",
    [
        ("178", (178, pd.NA)),
        ("some 180", (pd.NA, "some")),
        ("over 180", (pd.NA, "over")),
        ("more than 9", (pd.NA, "more than")),
    ],
)
def test_parse_count_keeps_words_and_numbers_only_exact_counts(given, expected):
    number, qualifier = bt.parse_count(given)
    assert (number is pd.NA and expected[0] is pd.NA) or number == expected[0]
    assert (qualifier is pd.NA and expected[1] is pd.NA) or qualifier == expected[1]


def test_partial_dates_get_their_bounds():
    assert bt.partial_date_bounds("2021-01")[1:] == (pd.Timestamp("2021-01-01"), pd.Timestamp("2021-01-31"))
    assert bt.partial_date_bounds("2020-02")[2] == pd.Timestamp("2020-02-29")
    assert bt.partial_date_bounds("2024")[1:] == (pd.Timestamp("2024-01-01"), pd.Timestamp("2024-12-31"))
    with pytest.raises(ValueError):
        bt.partial_date_bounds("20")


def test_reporting_window_needs_exactly_one():
    assert bt.reporting_window("no window here") is None
    assert bt.reporting_window("April 2019 - March 2020 or April 2020 - March 2021") is None


def _evidence(*entries):
    columns = ["participant", "evidence_kind", "value_as_given_in_source", "date_as_given_iso",
               "implied_deposit_date_derived", "source_url", "source_page_date", "note"]  # fmt: skip
    frame = pd.DataFrame(entries, columns=columns)
    return frame, pd.Series(["AAA"] * len(frame), index=frame.index)


def test_evidence_picks_the_narrowest_date_and_flags_conflicts():
    raw, codes = _evidence(
        ["A", "month", "acceding in May 2020", "2020-05", None, "u1", None, None],
        ["A", "entry_into_force_date", "EIF", "2020-07-01", "2020-06-01", "u2", None, None],
    )
    events, failures = bt.events_from_evidence(raw, "tip_evidence", codes, "e.csv")
    assert failures == []
    row = events.iloc[0]
    assert row["action_date"] == pd.Timestamp("2020-06-01") and row["source_url"] == "u2"
    assert "CONFLICT" in row["note"] and row["action_type"] == "accession"


def test_evidence_with_a_wrong_derived_date_fails():
    raw, codes = _evidence(["A", "entry_into_force_date", "EIF", "2020-07-01", "2020-06-02", "u", None, None])
    _, failures = bt.events_from_evidence(raw, "tip_evidence", codes, "e.csv")
    assert [(f.file, f.row, f.column, f.value) for f in failures] == [
        ("e.csv", 2, "implied_deposit_date_derived", "2020-06-02")
    ]


def test_evidence_of_an_unknown_kind_fails_and_not_parties_give_no_row():
    raw, codes = _evidence(["A", "rumour", "x", None, None, "u", None, None])
    _, failures = bt.events_from_evidence(raw, "tip_evidence", codes, "e.csv")
    assert failures[0].column == "evidence_kind" and failures[0].value == "rumour"
    raw, codes = _evidence(["B", "not_party_recommendation", "Accede", None, None, "u", None, None])
    events, failures = bt.events_from_evidence(raw, "tip_evidence", codes, "e.csv")
    assert events.empty and failures == []


def test_evidence_window_from_the_note():
    raw, codes = _evidence(
        [
            "P",
            "annual_report_statement",
            "acceded",
            None,
            None,
            "u",
            None,
            "period: April 2022 - March 2023 (inference)",
        ]
    )
    events, _ = bt.events_from_evidence(raw, "tip_evidence_five_states", codes, "e.csv")
    row = events.iloc[0]
    assert row["action_date_precision"] == "window" and pd.isna(row["action_date"])
    assert (row["action_date_earliest"], row["action_date_latest"]) == (
        pd.Timestamp("2022-04-01"),
        pd.Timestamp("2023-03-31"),
    )


# -- the models refuse bad rows --------------------------------------------------------------------


@pytest.mark.parametrize(
    "column, value, check",
    [
        ("action_date", pd.Timestamp("2000-12-01"), "signature"),  # before its signature (2000-12-12)
        ("signature_date", pd.Timestamp("2000-11-14"), "greater_than_or_equal_to"),  # before adoption
        ("action_date", pd.Timestamp("2031-01-01"), "less_than_or_equal_to"),  # in the future
        ("action_date_precision", "month", "precision"),
    ],
)
def test_treaty_model_rejects(events, column, value, check):
    bad = events.copy()
    albania = bad.index[(bad["participant"] == "Albania") & (bad["treaty"] == "tip_protocol")][0]
    bad.loc[albania, column] = value
    with pytest.raises(DataValidationError, match=check):
        validate(TreatyEvents, bad, "events")


def test_treaty_model_rejects_a_duplicate_key(events):
    with pytest.raises(DataValidationError, match="duplicate"):
        validate(TreatyEvents, pd.concat([events, events.iloc[[0]]]), "events")


def test_counts_model_rejects_a_number_with_a_qualifier(built):
    bad = built["party_counts"].copy()
    bad.loc[0, "qualifier"] = "about"
    with pytest.raises(DataValidationError, match="qualifier"):
        validate(PartyCounts, bad, "counts")


# -- parties_as_of on a hand-made table ------------------------------------------------------------


def _hand_events():
    def row(participant, iso3, source_id, precision, earliest, latest, basis="stated"):
        day = pd.Timestamp(earliest) if precision == "day" else pd.NaT
        return {
            "iso3": iso3, "participant": participant, "treaty": "tip_protocol", "signature_date": pd.NaT,
            "action_date": day, "action_type": None, "date_basis": basis, "action_date_precision": precision,
            "action_date_earliest": pd.Timestamp(earliest) if earliest else pd.NaT,
            "action_date_latest": pd.Timestamp(latest) if latest else pd.NaT,
            "source_id": source_id, "source_url": None, "note": None,
        }  # fmt: skip

    return pd.DataFrame(
        [
            row("European Union", None, "untc_tip_2018", "day", "2006-09-06", "2006-09-06"),
            row("Aland", "AAA", "untc_tip_2018", "day", "2005-01-10", "2005-01-10"),
            row("Aland", "AAA", "a76120", "day", "2004-01-10", "2004-01-10"),
            row("Bland", "BBB", "a76120", "day", "2020-06-16", "2020-06-16"),
            row("Bland", "BBB", "tip_evidence", "year", "2020-01-01", "2020-12-31"),
            row("Cland", "CCC", "tip_evidence", "month", "2020-03-01", "2020-03-31"),
            row("Dland", "DDD", "tip_evidence_five_states", "none", None, None, basis="not_given"),
            row("Eland", "EEE", "untc_tip_2018", "none", None, None, basis="no_action"),
        ]
    )


def test_parties_as_of_uses_one_row_per_state_by_source_preference():
    chosen = party_windows(_hand_events()).set_index("participant")
    assert chosen.at["Aland", "source_id"] == "untc_tip_2018"  # the depositary's table wins
    assert chosen.at["Bland", "source_id"] == "a76120"
    assert "Eland" not in chosen.index  # signature only


def test_partial_dates_count_only_after_their_latest_bound():
    events = _hand_events()
    assert list(parties_as_of("2020-03-30", events=events)["participant"]) == ["Aland", "European Union"]
    assert party_count_as_of("2020-03-31", events=events) == 3
    assert party_count_range("2020-03-15", events=events) == (
        2,
        4,
    )  # Cland's month is open; Dland has no date
    assert party_count_range("2021-01-01", events=events) == (4, 5)


def test_known_vs_official_on_hand_made_counts():
    counts = pd.DataFrame(
        {
            "date": ["2020-03", "2021"],
            "date_latest": [pd.Timestamp("2020-03-31"), pd.Timestamp("2021-12-31")],
            "treaty": "tip_protocol",
            "parties": pd.array([3, pd.NA], dtype="Int64"),
            "parties_as_given": ["3", "some 6"],
            "qualifier": [None, "some"],
            "source_id": "tip_party_counts",
        }
    )
    table = known_vs_official(events=_hand_events(), counts=counts)
    assert table["known_parties"].tolist() == [3, 4]
    assert table["gap"].iloc[0] == 0 and pd.isna(table["gap"].iloc[1])
