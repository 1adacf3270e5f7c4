"""treaty_events, treaty_status, party_counts and the parties_as_of library.

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
from tipstats.pipeline import treaty_evidence as be
from tipstats.pipeline import treaty_status as bs
from tipstats.schemas.base import validate
from tipstats.schemas.treaty import PartyCounts, TreatyEvents, TreatyStatus

TIP = "treaty/tip_protocol_participants.csv"
EVIDENCE = "treaty/tip_protocol_post2017_evidence.csv"
EVIDENCE_R2 = "treaty/tip_protocol_post2017_evidence_five_states.csv"


def rows(relative: str) -> list[dict[str, str]]:
    with (RAW_DIR / relative).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def events(built):
    return built["treaty_events"]


@pytest.fixture(scope="module")
def status(built):
    return built["treaty_status"]


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
    events, failures = be.events_from_evidence(raw, "tip_evidence", codes, "e.csv")
    assert failures == []
    row = events.iloc[0]
    assert row["action_date"] == pd.Timestamp("2020-06-01") and row["source_url"] == "u2"
    assert "CONFLICT" in row["note"] and row["action_type"] == "accession"


def test_evidence_with_a_wrong_derived_date_fails():
    raw, codes = _evidence(["A", "entry_into_force_date", "EIF", "2020-07-01", "2020-06-02", "u", None, None])
    _, failures = be.events_from_evidence(raw, "tip_evidence", codes, "e.csv")
    assert [(f.file, f.row, f.column, f.value) for f in failures] == [
        ("e.csv", 2, "implied_deposit_date_derived", "2020-06-02")
    ]


def test_evidence_of_an_unknown_kind_fails_and_not_parties_give_no_row():
    raw, codes = _evidence(["A", "rumour", "x", None, None, "u", None, None])
    _, failures = be.events_from_evidence(raw, "tip_evidence", codes, "e.csv")
    assert failures[0].column == "evidence_kind" and failures[0].value == "rumour"
    raw, codes = _evidence(["B", "not_party_recommendation", "Accede", None, None, "u", None, None])
    events, failures = be.events_from_evidence(raw, "tip_evidence", codes, "e.csv")
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
    events, _ = be.events_from_evidence(raw, "tip_evidence_five_states", codes, "e.csv")
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


# -- treaty_status: one row per treaty and participant ---------------------------------------------

TREATIES = ["tip_protocol", "som_protocol", "untoc"]
# The preference analysis.treaty documents (UNTC, then A/76/120, then the evidence files), written
# out here so that the dataset is checked against the rule, not against its own code.
DOCUMENTED_PREFERENCE = ["untc_tip_2018", "untc_som_2018", "untc_untoc_2014", "a76120", "tip_evidence",
                         "tip_evidence_five_states"]  # fmt: skip


def _who(frame):
    return frame["iso3"].astype("object").fillna(frame["participant"].astype("object"))


def test_treaty_status_has_one_row_per_treaty_and_participant(events, status):
    assert not status.duplicated(["treaty", "participant"]).any()
    assert not status.assign(who=_who(status)).duplicated(["treaty", "who"]).any()
    pairs = set(zip(events["treaty"], _who(events), strict=True))
    assert set(zip(status["treaty"], _who(status), strict=True)) == pairs
    # every source of a participant is named, and the row used is one of them
    expected = (
        events.assign(who=_who(events))
        .groupby(["treaty", "who"])["source_id"]
        .agg(lambda s: ",".join(sorted(set(s))))
    )
    got = status.assign(who=_who(status)).set_index(["treaty", "who"])["source_ids"]
    assert got.sort_index().to_dict() == expected.sort_index().to_dict()
    assert all(u in ids.split(",") for u, ids in zip(status["source_id"], status["source_ids"], strict=True))
    # a participant with one source keeps that source's row as it is
    single = status[~status["source_ids"].str.contains(",")]
    merged = single.merge(events, on=["treaty", "participant", "source_id"], suffixes=("", "_event"))
    assert len(merged) == len(single)
    for column in ["action_date", "action_type", "date_basis", "action_date_precision", "action_date_latest"]:
        left, right = merged[column].astype("object"), merged[f"{column}_event"].astype("object")
        assert (left.isna() & right.isna() | (left == right)).all(), column
    validate(TreatyStatus, status, "treaty_status")


def test_status_is_party_exactly_when_a_source_records_an_instrument(events, status):
    acted = events[events["date_basis"] != "no_action"]
    parties = set(zip(acted["treaty"], _who(acted), strict=True))
    got = set(zip(status["treaty"], _who(status), strict=True))
    party = status["status"] == "party"
    assert set(zip(status.loc[party, "treaty"], _who(status[party]), strict=True)) == parties
    assert got - parties == set(zip(status.loc[~party, "treaty"], _who(status[~party]), strict=True))
    assert status.loc[~party, "signature_date"].notna().all()


def _documented_known(events, treaty, day):
    """Parties known at ``day`` by the documented rule, computed here from the rows of treaty_events."""
    rows = events[(events["treaty"] == treaty) & (events["date_basis"] != "no_action")].copy()
    rows["who"] = _who(rows)
    rows["rank"] = rows["source_id"].map(DOCUMENTED_PREFERENCE.index)
    rows["width"] = (rows["action_date_latest"] - rows["action_date_earliest"]).dt.days.fillna(float("inf"))
    rows = rows.sort_values(["who", "rank", "width", "source_id"]).drop_duplicates("who")
    return set(rows.loc[rows["action_date_latest"] <= day, "participant"])


def test_counts_from_treaty_status_equal_parties_as_of(events, status):
    later = events.loc[events["action_date_latest"] > "2017-12-31", "action_date_latest"]
    dates = [pd.Timestamp(d) for d in ["2003-12-25", "2010-01-01", "2017-12-31", "2019-12-31", "2021-06-09"]]
    dates += sorted(set(later)) + [d - pd.Timedelta(days=1) for d in sorted(set(later))]
    for treaty in TREATIES:
        for day in dates:
            rows = status[(status["treaty"] == treaty) & (status["status"] == "party")]
            from_dataset = set(rows.loc[rows["action_date_latest"] <= day, "participant"])
            assert from_dataset == _documented_known(events, treaty, day), (treaty, day)
            assert set(parties_as_of(day, treaty, status=status)["participant"]) == from_dataset
            assert set(parties_as_of(day, treaty, events=events)["participant"]) == from_dataset
            assert party_count_as_of(day, treaty, status=status) == len(from_dataset)


def test_the_loaded_dataset_is_what_parties_as_of_reads(status):
    import tipstats

    loaded = tipstats.load("treaty_status")
    pd.testing.assert_frame_equal(loaded, status, check_dtype=False)
    for day in ["2017-12-31", "2021-06-09", "2024-12-31"]:
        assert len(tipstats.parties_as_of(day)) == len(parties_as_of(day, status=status))


def _raw_windows(participant):
    """Each source's dating of ``participant``'s TIP Protocol action, and whether a raw note records a
    conflict, read from the raw files with the csv module and the report text."""
    windows, noted = [], False
    for r in rows(TIP):
        if r["participant"] == participant and r["action_date"]:
            day = pd.Timestamp(r["action_date"])
            windows.append(("untc_tip_2018", day, day))
    report = bt.report_accessions((RAW_DIR / "report/A-76-120.txt").read_text(encoding="utf-8"))
    for r in report[report["participant"] == participant].itertuples():
        windows.append(("a76120", r.action_date, r.action_date))
    for source_id, path in [("tip_evidence", EVIDENCE), ("tip_evidence_five_states", EVIDENCE_R2)]:
        for r in rows(path):
            if r["participant"] != participant:
                continue
            noted |= "conflict" in r["note"].lower()
            if r["evidence_kind"] == "entry_into_force_date":
                day = pd.Timestamp(r["implied_deposit_date_derived"])
                windows.append((source_id, day, day))
            elif r["evidence_kind"] in {"month", "year"}:
                windows.append((source_id, *bt.partial_date_bounds(r["date_as_given_iso"])[1:]))
    return windows, noted


@pytest.mark.parametrize("participant", ["Nepal", "Comoros", "Brunei Darussalam", "Bhutan"])
def test_conflict_is_flagged_as_the_sources_say(status, participant):
    windows, noted = _raw_windows(participant)
    assert windows  # the participant is dated by some source
    dates_disagree = max(w[1] for w in windows) > min(w[2] for w in windows)
    row = status[(status["treaty"] == "tip_protocol") & (status["participant"] == participant)].iloc[0]
    assert bool(row["conflict"]) == (dates_disagree or noted)
    if row["conflict"]:
        assert "CONFLICT" in row["note"]
    if len(row["source_ids"].split(",")) > 1:  # the note names each source's value (its narrowest)
        for source_id in {w[0] for w in windows}:
            first, last = min(((w[1], w[2]) for w in windows if w[0] == source_id), key=lambda w: w[1] - w[0])
            value = f"{first:%Y-%m-%d}" if first == last else f"{first:%Y-%m-%d} to {last:%Y-%m-%d}"
            assert f"{source_id}: {value}" in row["note"]


def test_nepal_uses_the_report_day_and_names_the_other_sources(status):
    windows, _ = _raw_windows("Nepal")
    nepal = status[(status["treaty"] == "tip_protocol") & (status["participant"] == "Nepal")].iloc[0]
    report = [w for w in windows if w[0] == "a76120"]
    assert not any(w[0] == "untc_tip_2018" for w in windows) and len(report) == 1
    assert (nepal["source_id"], nepal["action_date"]) == ("a76120", report[0][1])
    assert nepal["action_types"] == "accession/ratification"  # A/76/120 against the news page's words
    assert "different actions" in nepal["note"]


def test_a_changed_input_changes_the_resolution(events):
    def nepal(frame):
        return frame[(frame["treaty"] == "tip_protocol") & (frame["participant"] == "Nepal")].iloc[0]

    before = nepal(bs.resolve_status(events))
    # without the report's rows, Nepal's narrowest evidence (its year) is used
    without = nepal(bs.resolve_status(events[events["source_id"] != "a76120"]))
    evidence = events[(events["participant"] == "Nepal") & (events["source_id"] == "tip_evidence")].iloc[0]
    assert before["source_id"] == "a76120" and without["source_id"] == "tip_evidence"
    assert (without["action_date_earliest"], without["action_date_latest"]) == (
        evidence["action_date_earliest"],
        evidence["action_date_latest"],
    )
    assert pd.isna(without["action_date"]) and without["action_date_precision"] == "year"
    # a report day outside the evidence's year is a conflict, and the note names both values
    moved = events.copy()
    at = moved.index[(moved["participant"] == "Nepal") & (moved["source_id"] == "a76120")]
    new_day = evidence["action_date_latest"] + pd.Timedelta(days=1)
    moved.loc[at, ["action_date", "action_date_earliest", "action_date_latest"]] = new_day
    changed = nepal(bs.resolve_status(moved))
    assert not before["conflict"] and changed["conflict"]
    assert f"{new_day:%Y-%m-%d}" in changed["note"] and "CONFLICT" in changed["note"]
    # a UNTC row, once there, is used before the report
    untc = events.loc[at].assign(source_id="untc_tip_2018", action_type="ratification")
    assert nepal(bs.resolve_status(pd.concat([events, untc])))["source_id"] == "untc_tip_2018"


def test_a_conflict_in_the_compilers_note_is_flagged():
    raw, codes = _evidence(
        ["A", "month", "acceding in May 2020", "2020-05", None, "u1", None, None],
        ["A", "speech", "a minister's date", "2020-04-02", None, "u2", None, "CONFLICT with the month"],
    )
    evidence, failures = be.events_from_evidence(raw, "tip_evidence", codes, "e.csv")
    assert failures == []
    flagged = bs.resolve_status(evidence).iloc[0]
    assert flagged["conflict"] and "CONFLICT with the month" in flagged["note"]
    raw.loc[1, "note"] = "a remark"
    evidence, _ = be.events_from_evidence(raw, "tip_evidence", codes, "e.csv")
    assert not bs.resolve_status(evidence).iloc[0]["conflict"]


@pytest.mark.parametrize(
    "column, value, check",
    [
        ("status", "signatory_only", "signatory_only"),  # a party row called a signatory
        ("conflict", True, "a conflict has a note"),
        ("source_id", "tip_evidence", "source_id is one of source_ids"),
    ],
)
def test_status_model_rejects(status, column, value, check):
    bad = status.copy()
    albania = bad.index[(bad["participant"] == "Albania") & (bad["treaty"] == "tip_protocol")][0]
    bad.loc[albania, column] = value
    with pytest.raises(DataValidationError, match=check):
        validate(TreatyStatus, bad, "treaty_status")


def test_status_model_rejects_a_second_row_for_a_participant(status):
    with pytest.raises(DataValidationError, match="duplicate"):
        validate(TreatyStatus, pd.concat([status, status.iloc[[0]]]), "treaty_status")
