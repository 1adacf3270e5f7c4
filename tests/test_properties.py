"""Property-based tests (hypothesis) of the parsing and transform rules.

Each property is checked against an independent computation written here in plain Python (never
against the output of the function under test): counts as dataUNODC writes them ('<5', '1,192'),
published shares as quoted, computed shares that must add up to 100, rates per 100,000,
``parties_as_of`` (monotone in the date), and the country-name mapping (total over every name that
occurs in the raw files).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tipstats.errors import DataValidationError
from tipstats.facts import SUPPRESSED_FLAG
from tipstats.pipeline.convictions import CONVICTION_INDICATORS, convictions_from_glotip
from tipstats.pipeline.glotip import MAIN_RELEASE, parse_counts
from tipstats.pipeline.victims import computed_victim_shares, parse_share
from tipstats.schemas.glotip import COUNT_TEXT_PATTERN

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# properties that run pandas group-bys per example: fewer examples keep the suite fast
FRAME_SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# -- counts: '<5' and thousands separators ---------------------------------------------------------


def grouped(n: int) -> str:
    """n with a comma every three digits, built digit by digit (not with format())."""
    digits = str(n)
    groups = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return ",".join(groups)


def expected_count(text: str) -> int | None:
    """The count a text stands for, by the README's rules; None if it is not a count."""
    if text.isascii() and text.isdigit() and len(text) <= 18:
        return int(text)
    parts = text.split(",")
    if len(parts) < 2 or len(parts) > 6 or not all(p.isascii() and p.isdigit() for p in parts):
        return None
    if not 1 <= len(parts[0]) <= 3 or any(len(p) != 3 for p in parts[1:]):
        return None
    return int("".join(parts))


@SETTINGS
@given(st.integers(min_value=0, max_value=10**15))
def test_counts_with_and_without_thousands_separators(n):
    parsed = parse_counts(pd.Series([str(n), grouped(n)], index=[7, 3]))
    assert parsed.index.tolist() == [7, 3]
    assert parsed["value"].tolist() == [n, n]
    assert parsed["valid"].tolist() == [True, True]
    assert parsed["value_flag"].isna().all()


def test_suppressed_count_is_missing_and_flagged_never_a_number():
    parsed = parse_counts(pd.Series(["<5", "5", "<5"]))
    assert parsed["value"].isna().tolist() == [True, False, True]
    assert (
        parsed["value_flag"].tolist()[0] == SUPPRESSED_FLAG
        and parsed["value_flag"].tolist()[2] == SUPPRESSED_FLAG
    )
    assert parsed["valid"].all()


count_like = st.one_of(
    st.text(alphabet="0123456789,<5 .-", max_size=12),
    st.integers(min_value=0, max_value=10**12).map(grouped),
    st.integers(min_value=-(10**6), max_value=10**6).map(str),
    st.text(max_size=6),
)


@SETTINGS
@given(st.lists(count_like, min_size=1, max_size=8))
def test_count_text_is_parsed_exactly_or_marked_invalid(texts):
    parsed = parse_counts(pd.Series(texts))
    for text, (value, flag, valid) in zip(texts, parsed.itertuples(index=False), strict=True):
        if text == "<5":
            assert valid and pd.isna(value) and flag == SUPPRESSED_FLAG
            continue
        expected = expected_count(text)
        assert bool(valid) is (expected is not None), text
        assert pd.isna(flag)
        if expected is None:
            assert pd.isna(value), text  # never a guessed number
        else:
            assert value == expected, text


@SETTINGS
@given(st.integers(min_value=0, max_value=10**15).map(grouped))
def test_raw_model_and_parser_agree_on_what_a_count_is(text):
    """Whatever the raw model lets through (up to int64 size) the parser reads: no silent gaps between them."""
    assert re.fullmatch(COUNT_TEXT_PATTERN, text)
    assert bool(parse_counts(pd.Series([text]))["valid"].iloc[0])


# -- shares: as quoted, and computed ------------------------------------------------------------------


@SETTINGS
@given(
    st.integers(min_value=0, max_value=100),
    st.one_of(st.none(), st.integers(min_value=0, max_value=9)),
    st.sampled_from(["", "around", "about", "over", "some", "nearly", "almost", "more than", "less than"]),
)
def test_published_share_text_gives_the_number_and_its_hedge(whole, tenth, hedge):
    number = str(whole) if tenth is None else f"{whole}.{tenth}"
    expected = whole + (0 if tenth is None else tenth / 10)
    share, qualifier, _ = parse_share(f"{hedge} {number}".strip())
    assert share == pytest.approx(expected)
    assert qualifier == (hedge or None)
    share, qualifier, _ = parse_share(f"{number} ({hedge})" if hedge else number)
    assert share == pytest.approx(expected) and qualifier == (hedge or None)


@pytest.mark.parametrize("words", ["one out of three", "a third", "between 20 and 30", "most", ""])
def test_published_share_in_words_is_not_a_number(words):
    assert parse_share(words)[0] is None


GROUP_CELLS = {("Female", "18 years or over"): "women", ("Female", "0 to 17 years"): "girls"}
GROUP_CELLS |= {("Male", "18 years or over"): "men", ("Male", "0 to 17 years"): "boys"}

# one country-year: each of the four cells absent (None), suppressed ('<5', value missing) or a count
cell = st.one_of(st.none(), st.just("<5"), st.integers(min_value=0, max_value=50_000))
country_year = st.tuples(*[cell] * 4)


def victim_rows(table: dict[tuple[str, int], tuple]) -> pd.DataFrame:
    rows = []
    for (iso3, year), cells in table.items():
        for (sex, age), value in zip(GROUP_CELLS, cells, strict=True):
            if value is None:
                continue
            rows.append(
                {
                    "release": MAIN_RELEASE,
                    "iso3": iso3,
                    "indicator": "Detected trafficking victims",
                    "dimension": "Total",
                    "category": "Total",
                    "sex": sex,
                    "age": age,
                    "year": year,
                    "value": pd.NA if value == "<5" else value,
                    "value_flag": SUPPRESSED_FLAG if value == "<5" else pd.NA,
                    "duplicate_seq": 1,
                    "source_id": "glotip_2025",
                }
            )
    frame = pd.DataFrame(
        rows, columns=["release", "iso3", "indicator", "dimension", "category", "sex", "age"]
    )
    frame = (
        pd.DataFrame(rows)
        if rows
        else frame.assign(
            year=[], value=[], value_flag=[], duplicate_seq=[], source_id=pd.Series([], dtype="str")
        )
    )
    frame["value"] = frame["value"].astype("Int64")
    frame["year"] = frame["year"].astype("int64")
    return frame


@FRAME_SETTINGS
@given(
    st.dictionaries(
        st.tuples(st.sampled_from(["AAA", "BBB", "CCC", "DDD"]), st.integers(min_value=2003, max_value=2006)),
        country_year,
        min_size=1,
        max_size=12,
    ).filter(lambda t: any(v is not None for cells in t.values() for v in cells))
)
def test_computed_shares_of_women_girls_men_boys(table):
    """Over the countries whose four cells are all present and numeric: share = 100 * group / total,
    and the four shares of a year add up to 100."""
    result = computed_victim_shares(victim_rows(table))
    names = list(GROUP_CELLS.values())
    sums: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(names, 0))
    countries: dict[int, int] = defaultdict(int)
    for (_, year), cells in table.items():
        if all(isinstance(v, int) for v in cells):
            countries[year] += 1
            for name, value in zip(names, cells, strict=True):
                sums[year][name] += value
    expected = {
        (year, name): 100 * counts[name] / sum(counts.values())
        for year, counts in sums.items()
        if sum(counts.values()) > 0
        for name in names
    }
    got = {(int(r.year), r.group): r.share for r in result.itertuples()}
    assert got.keys() == expected.keys()
    for key, share in expected.items():
        assert got[key] == pytest.approx(share, abs=1e-9)
    for year in {y for y, _ in got}:
        assert sum(got[(year, n)] for n in names) == pytest.approx(100.0, abs=1e-9)
        assert all(0 <= got[(year, n)] <= 100 for n in names)
    for r in result.itertuples():
        assert r.n_countries == countries[int(r.year)] and r.n_victims == sums[int(r.year)][r.group]


def test_computed_shares_of_a_release_without_sex_and_age_cells_are_empty_not_a_crash():
    """A user's release (or a year) may have no Sex x Age cells at all: no shares, not a KeyError."""
    result = computed_victim_shares(victim_rows({("AAA", 2003): (None, None, None, None)}))
    assert len(result) == 0


# -- rates per 100,000 ---------------------------------------------------------------------------


def conviction_rows(counts: dict[tuple[str, int, str], int | str]) -> pd.DataFrame:
    rows = [
        {
            "release": MAIN_RELEASE,
            "iso3": iso3,
            "indicator": indicator,
            "dimension": "Total",
            "category": "Total",
            "sex": "Total",
            "age": "Total",
            "year": year,
            "value": pd.NA if value == "<5" else value,
            "value_flag": SUPPRESSED_FLAG if value == "<5" else pd.NA,
            "duplicate_seq": 1,
            "source_id": "glotip_2025",
        }
        for (iso3, year, indicator), value in counts.items()
    ]
    frame = pd.DataFrame(rows)
    frame["value"] = frame["value"].astype("Int64")
    frame["value_flag"] = frame["value_flag"].astype("str")
    return frame


@FRAME_SETTINGS
@given(
    st.dictionaries(
        st.tuples(
            st.sampled_from(["AAA", "BBB", "CCC"]),
            st.integers(min_value=2003, max_value=2006),
            st.sampled_from(list(CONVICTION_INDICATORS)),
        ),
        st.one_of(st.just("<5"), st.integers(min_value=0, max_value=10**6)),
        min_size=1,
        max_size=15,
    ),
    st.dictionaries(
        st.tuples(st.sampled_from(["AAA", "BBB", "CCC"]), st.integers(min_value=2003, max_value=2006)),
        st.integers(min_value=1, max_value=2 * 10**9),
        max_size=12,
    ),
)
def test_convictions_per_100k_equal_a_direct_computation(counts, populations):
    population = pd.DataFrame(
        [{"iso3": i, "year": y, "population": p} for (i, y), p in populations.items()],
        columns=["iso3", "year", "population"],
    ).astype({"year": "int64", "population": "int64"})
    result = convictions_from_glotip(conviction_rows(counts), population, population_id="wb_population")
    keys = sorted({(i, y) for i, y, _ in counts})
    assert list(zip(result["iso3"], result["year"], strict=True)) == keys
    for row in result.itertuples():
        convicted = counts.get((row.iso3, row.year, "Persons convicted"))
        people = populations.get((row.iso3, row.year))
        if isinstance(convicted, int) and people is not None:
            expected = convicted * 100_000 / people
            assert math.isclose(row.convicted_per_100k, expected, rel_tol=1e-12, abs_tol=1e-15)
        else:
            assert math.isnan(row.convicted_per_100k)  # no rate without both numbers
        assert (pd.isna(row.population) and people is None) or row.population == people


# -- parties_as_of: monotone in the date ------------------------------------------------------------

dates = st.dates(min_value=pd.Timestamp("2000-01-01").date(), max_value=pd.Timestamp("2026-12-31").date())


@pytest.fixture(scope="module")
def treaty_events():
    import tipstats

    return tipstats.load("treaty_events")


@FRAME_SETTINGS
@given(first=dates, second=dates, treaty=st.sampled_from(["tip_protocol", "som_protocol", "untoc"]))
def test_parties_as_of_never_shrinks_as_the_date_advances(treaty_events, first, second, treaty):
    from tipstats.analysis.treaty import parties_as_of, party_count_as_of, party_count_range

    early, late = sorted([first, second])
    before = set(parties_as_of(early, treaty, treaty_events)["participant"])
    after = set(parties_as_of(late, treaty, treaty_events)["participant"])
    assert before <= after
    low_early, high_early = party_count_range(early, treaty, treaty_events)
    low_late, high_late = party_count_range(late, treaty, treaty_events)
    assert low_early <= high_early and low_late <= high_late
    assert low_early <= low_late and high_early <= high_late
    assert party_count_as_of(early, treaty, treaty_events) == len(before) == low_early


def synthetic_events(spans: list[tuple[pd.Timestamp | None, int]]) -> pd.DataFrame:
    rows = []
    for number, (latest, width) in enumerate(spans):
        earliest = None if latest is None else latest - pd.Timedelta(days=width)
        rows.append(
            {
                "treaty": "tip_protocol",
                "date_basis": "stated",
                "source_id": "untc_tip_2018",
                "iso3": f"Q{number:02d}",
                "participant": f"State {number}",
                "action_date_earliest": earliest,
                "action_date_latest": latest,
            }
        )
    frame = pd.DataFrame(rows)
    for column in ("action_date_earliest", "action_date_latest"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


@FRAME_SETTINGS
@given(
    st.lists(
        st.tuples(st.one_of(st.none(), dates.map(pd.Timestamp)), st.integers(min_value=0, max_value=400)),
        min_size=1,
        max_size=20,
    ),
    dates,
    dates,
)
def test_parties_as_of_on_synthetic_events(spans, first, second):
    """Known at a date = latest bound on or before it; the range also admits windows still open."""
    from tipstats.analysis.treaty import parties_as_of, party_count_range

    events = synthetic_events(spans)
    early, late = sorted([pd.Timestamp(first), pd.Timestamp(second)])
    for day in (early, late):
        known = {f"State {i}" for i, (latest, _) in enumerate(spans) if latest is not None and latest <= day}
        assert set(parties_as_of(day, events=events)["participant"]) == known
        possible = {
            f"State {i}"
            for i, (latest, width) in enumerate(spans)
            if latest is None or latest - pd.Timedelta(days=width) <= day
        }
        assert party_count_range(day, events=events) == (len(known), len(known | possible))
    assert set(parties_as_of(early, events=events)["participant"]) <= set(
        parties_as_of(late, events=events)["participant"]
    )


# -- country names: the mapping is total over the names that occur ----------------------------------


@pytest.fixture(scope="module")
def occurring_names():
    """Every spelling in every (file, column) the countries builder reads names from, read by the csv module."""
    import csv

    from tipstats.paths import RAW_DIR, REFERENCE_DIR
    from tipstats.pipeline.countries import name_columns
    from tipstats.sources import read_registry

    with (REFERENCE_DIR / "sources.csv").open(encoding="utf-8", newline="") as handle:
        paths = {row["source_id"]: row["raw_path"] for row in csv.DictReader(handle)}
    names: dict[tuple[str, str], list[str]] = {}
    for source_id, column in name_columns(read_registry()):
        text = (RAW_DIR / paths[source_id]).read_text(encoding="utf-8-sig")
        names[(source_id, column)] = [r[column] for r in csv.DictReader(text.splitlines()) if r[column]]
    return names


@pytest.fixture(scope="module")
def name_map():
    from tipstats.countries import load_name_map

    return load_name_map()


def test_every_occurring_name_maps_to_one_code_or_to_a_listed_non_country(occurring_names, name_map):
    from tipstats.countries import name_to_iso3

    assert not name_map["name"].duplicated().any()  # a function: one row per spelling
    listed = dict(zip(name_map["name"], name_map["iso3"], strict=True))
    for (source_id, column), names in occurring_names.items():
        assert names, (source_id, column)
        codes = name_to_iso3(pd.Series(names), file=source_id, column=column, mapping=name_map)
        for name, code in zip(names, codes, strict=True):
            assert name in listed, (source_id, name)
            assert (pd.isna(code) and pd.isna(listed[name])) or code == listed[name]
            assert pd.isna(code) or re.fullmatch(r"[A-Z]{3}", code)


@FRAME_SETTINGS
@given(data=st.data())
def test_name_mapping_keeps_the_index_and_names_each_unknown_cell(occurring_names, name_map, data):
    from tipstats.countries import name_to_iso3

    pool = sorted({n for names in occurring_names.values() for n in names})
    names = data.draw(st.lists(st.sampled_from(pool), min_size=1, max_size=10))
    index = data.draw(st.lists(st.integers(0, 10**6), min_size=len(names), max_size=len(names), unique=True))
    listed = dict(zip(name_map["name"], name_map["iso3"], strict=True))
    codes = name_to_iso3(pd.Series(names, index=index), file="f.csv", column="c", mapping=name_map)
    assert codes.index.tolist() == index
    for name, code in zip(names, codes, strict=True):
        assert (pd.isna(code) and pd.isna(listed[name])) or code == listed[name]
    # a spelling the mapping does not list is an error at its own row, never a guess
    unknown = data.draw(st.text(min_size=1, max_size=12).filter(lambda s: s not in listed))
    where = data.draw(st.integers(0, len(names)))
    assume(10**6 + 1 not in index)
    bad = pd.Series(
        [*names[:where], unknown, *names[where:]], index=[*index[:where], 10**6 + 1, *index[where:]]
    )
    with pytest.raises(DataValidationError) as info:
        name_to_iso3(bad, file="f.csv", column="c", mapping=name_map)
    assert [(f.row, f.column, f.value) for f in info.value.failures] == [(10**6 + 3, "c", unknown)]
