"""The analyst's questions (issue 15, part 2): one test per question and its cookbook recipe.

aggregate with '<5' bounds, search, describe, export, `tipstats info` wrapping, parties at a date, one row per
State (treaty_status against treaty_events),
convictions joined to legislation, one country in the house style; and the cookbook notebook itself
(each recipe at most three lines, and each question of the list has one).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

import tipstats
from tipstats import notebooks
from tipstats.analysis.glotip import aggregate
from tipstats.cli import main
from tipstats.facts import SUPPRESSED_FLAG, SUPPRESSED_MAX

REPO = Path(__file__).resolve().parents[1]
COOKBOOK = REPO / "notebooks" / f"{notebooks.COOKBOOK}.ipynb"


def _cells(**columns) -> pd.DataFrame:
    """A hand-made glotip-shaped frame: one row per value; None is a '<5' cell."""
    n = len(columns["iso3"])
    base = {
        "release": ["2025-04-14"] * n,
        "indicator": ["Detected trafficking victims"] * n,
        "dimension": ["Total"] * n,
        "category": ["Total"] * n,
        "sex": ["Total"] * n,
        "age": ["Total"] * n,
        "year": [2020] * n,
    }
    frame = pd.DataFrame({**base, **columns})
    frame["value"] = pd.array(frame["value"], dtype="Int64")
    frame["value_flag"] = pd.Series(
        [SUPPRESSED_FLAG if pd.isna(v) else None for v in frame["value"]], dtype="str"
    )
    return frame


COUNTRIES = pd.DataFrame(
    {"iso3": ["AAA", "BBB", "CCC", "DDD"], "unodc_region": ["North", "North", "South", None]}
)


# -- aggregate ----------------------------------------------------------------------------------


def test_aggregate_sums_give_bounds_for_suppressed_cells_and_name_the_countries():
    frame = _cells(iso3=["AAA", "BBB", "CCC", "DDD"], value=[10, None, 7, 3])
    out = aggregate("unodc_region", glotip=frame, countries=COUNTRIES)
    north = out[out["unodc_region"] == "North"].iloc[0]
    assert (north["lower"], north["upper"], north["suppressed"]) == (10, 10 + SUPPRESSED_MAX, 1)
    assert (north["n_countries"], north["countries"]) == (2, "AAA, BBB")
    south = out[out["unodc_region"] == "South"].iloc[0]
    assert (south["lower"], south["upper"], south["suppressed"]) == (7, 7, 0)
    # a country without a region is its own group, not dropped
    assert out["unodc_region"].isna().sum() == 1 and out["lower"].sum() == 20


def test_aggregate_shares_pair_part_and_whole_by_country_year_and_name_the_ones_left_out():
    frame = _cells(
        iso3=["AAA", "AAA", "BBB", "BBB", "CCC"],
        age=["0 to 17 years", "Total", "0 to 17 years", "Total", "Total"],
        value=[None, 20, 5, 30, 100],
    )
    countries = COUNTRIES.assign(unodc_region="World")
    out = aggregate(
        "unodc_region", glotip=frame, countries=countries, age="0 to 17 years", share_of={"age": "Total"}
    )
    row = out.iloc[0]
    # CCC reports only the total: counting it would lower the share; it is named, not counted
    assert (row["countries"], row["left_out"], row["n_countries"]) == ("AAA, BBB", "CCC", 2)
    assert (row["part_lower"], row["part_upper"], row["whole_lower"], row["whole_upper"]) == (5, 9, 50, 50)
    assert row["share_lower"] == pytest.approx(10.0) and row["share_upper"] == pytest.approx(18.0)


def test_aggregate_share_of_none_means_every_category():
    frame = _cells(
        iso3=["AAA", "AAA", "AAA"],
        dimension=["by form of exploitation"] * 3,
        category=["Sexual exploitation", "Forced labour", "Other forms of exploitation"],
        value=[6, 3, 1],
    )
    out = aggregate(
        None,
        glotip=frame,
        dimension="by form of exploitation",
        category="Sexual exploitation",
        share_of={"category": None},
    )
    assert out["share_lower"].tolist() == [pytest.approx(60.0)] == out["share_upper"].tolist()


def test_aggregate_rejects_unknown_columns_and_share_of_the_pairing_keys():
    frame = _cells(iso3=["AAA"], value=[1])
    with pytest.raises(ValueError, match="not columns of glotip"):
        aggregate(None, glotip=frame, colour="red")
    with pytest.raises(ValueError, match="cannot group by"):
        aggregate("planet", glotip=frame, countries=COUNTRIES)
    with pytest.raises(ValueError, match="paired on"):
        aggregate("year", glotip=frame, share_of={"year": 2019})


def test_aggregate_on_the_real_data_agrees_with_a_pivot_table_at_its_lower_bound():
    """The '<5' trap: a pivot sum equals the lower bound; the upper bound adds 4 per suppressed cell."""
    glotip = tipstats.load("glotip")
    countries = tipstats.load("countries")
    out = aggregate("unodc_region", year=2020, glotip=glotip, countries=countries)
    rows = glotip[
        (glotip["release"] == "2025-04-14")
        & (glotip["indicator"] == "Detected trafficking victims")
        & (glotip["dimension"] == "Total")
        & (glotip["sex"] == "Total")
        & (glotip["age"] == "Total")
        & (glotip["year"] == 2020)
    ].merge(countries[["iso3", "unodc_region"]], on="iso3")
    pivot = rows.pivot_table(index="unodc_region", values="value", aggfunc="sum", dropna=False)["value"]
    flagged = rows.groupby("unodc_region")["value_flag"].count()
    indexed = out.set_index("unodc_region")
    for region, total in pivot.items():
        assert indexed.loc[region, "lower"] == total
        assert indexed.loc[region, "upper"] == total + SUPPRESSED_MAX * flagged[region]
        assert (
            indexed.loc[region, "n_countries"] == rows.loc[rows["unodc_region"] == region, "iso3"].nunique()
        )


# -- search, describe, info ------------------------------------------------------------------------


def test_search_finds_the_convictions_columns_and_every_word_must_match():
    hits = tipstats.search("convicted")
    assert {"persons_convicted", "convicted_per_100k"} <= set(
        hits.loc[hits["dataset"] == "convictions", "column"]
    )
    assert hits.apply(lambda r: "convicted" in r["text"].lower().replace("_", " "), axis=1).all()
    both = tipstats.search("convicted population")
    assert len(both) < len(hits) and set(both["dataset"]) == {"convictions"}
    assert tipstats.search("no such word anywhere").empty


def test_search_on_the_command_line(capsys):
    assert main(["search", "prosecuted", "--width", "60"]) == 0
    out = capsys.readouterr().out
    assert "convictions.persons_prosecuted (name)" in out
    assert max(len(line) for line in out.splitlines()) <= 60


def test_describe_prints_as_text_and_renders_as_html():
    info = tipstats.describe("convictions")
    text = str(info)
    assert text.startswith("convictions: ") and "Caveats:" in text and "Sources:" in text
    page = info._repr_html_()
    assert page.count("<tr>") == len(info.columns) + 1 and "<code>persons_convicted</code>" in page
    assert list(info.columns.columns) == ["name", "dtype", "unit", "nullable", "description"]
    assert info.to_dict()["rows"] == len(tipstats.load("convictions"))


@pytest.mark.parametrize("width", [50, 90])
def test_info_wraps_to_the_width(width):
    out = subprocess.run(
        [sys.executable, "-m", "tipstats", "info", "glotip"],
        capture_output=True,
        text=True,
        env={"COLUMNS": str(width), "PATH": "/usr/bin:/bin"},
    )
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    # only a word longer than the width (a URL) may stick out
    assert all(len(line) <= width or " " not in line.strip() for line in lines), width
    assert any(len(line) > width - 15 for line in lines)


# -- export ----------------------------------------------------------------------------------------

EXPORT_READERS = {
    "csv": pd.read_csv,
    "parquet": pd.read_parquet,
    "xlsx": lambda p: pd.read_excel(p, sheet_name="data"),
    "dta": pd.read_stata,
}


@pytest.mark.parametrize("fmt", sorted(EXPORT_READERS))
def test_export_writes_the_datasets_their_sources_and_the_codebook(fmt, tmp_path):
    out = tmp_path / "out"
    assert main(["export", "--format", fmt, "--datasets", "population", "party_counts", str(out)]) == 0
    names = {p.name for p in out.iterdir()}
    assert {f"population.{fmt}", f"party_counts.{fmt}", f"sources.{fmt}", "codebook.md"} <= names
    original = tipstats.load("population")
    back = EXPORT_READERS[fmt](out / f"population.{fmt}")
    assert list(back.columns) == list(original.columns) and len(back) == len(original)
    assert back["population"].astype("int64").tolist() == original["population"].tolist()
    assert "## party_counts" in (out / "codebook.md").read_text(encoding="utf-8")
    # the same export again gives the same bytes
    again = tmp_path / "again"
    assert main(["export", "--format", fmt, "--datasets", "population", "party_counts", str(again)]) == 0
    assert (again / f"population.{fmt}").read_bytes() == (out / f"population.{fmt}").read_bytes()


def test_export_refuses_a_folder_it_did_not_write_and_touches_nothing(tmp_path, capsys):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.docx").write_text("mine", encoding="utf-8")
    assert main(["export", str(mine)]) == 2
    assert "refusing to export" in capsys.readouterr().err
    assert [p.name for p in mine.iterdir()] == ["thesis.docx"]
    # an earlier export is replaced whole, with only its own files
    out = tmp_path / "out"
    assert main(["export", "--datasets", "population", str(out)]) == 0
    assert main(["export", "--format", "dta", "--datasets", "countries", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "codebook.md",
        "countries.dta",
        "sources.dta",
    ]


def test_export_refuses_the_processed_folder(processed_dir, capsys):
    before = sorted(p.name for p in processed_dir.iterdir())
    assert main(["export", str(processed_dir)]) == 2
    assert sorted(p.name for p in processed_dir.iterdir()) == before


# -- the cookbook's other questions ------------------------------------------------------------------


def test_parties_at_a_date_is_the_count_that_the_range_brackets():
    parties = tipstats.parties_as_of("2021-06-09")
    low, high = tipstats.party_count_range("2021-06-09")
    assert low <= len(parties) <= high
    assert parties["iso3"].is_unique
    assert (parties["action_date_latest"] <= pd.Timestamp("2021-06-09")).all()


def test_convictions_join_legislation_one_law_year_per_country():
    law = tipstats.load("legislation").query("yardstick == 'kelley_full_criminalisation'")[["iso3", "year"]]
    convictions = tipstats.load("convictions")
    joined = convictions.merge(
        law.rename(columns={"year": "law_year"}), on="iso3", how="left", validate="many_to_one"
    )
    assert len(joined) == len(convictions)
    sample = joined.dropna(subset=["law_year"]).iloc[0]
    assert sample["law_year"] == law.set_index("iso3").loc[sample["iso3"], "year"]


def test_one_country_in_the_house_style_has_the_title_source_line_and_gaps_for_suppressed():
    from tipstats.figures import style

    country = tipstats.load("convictions").query("iso3 == 'NGA'")
    fig = style.plot_series(country, "year", "persons_convicted", title="Nigeria: persons convicted")
    assert [t.get_text() for t in style.texts(fig, "title")] == ["Nigeria: persons convicted"]
    assert "UNODC" in style.texts(fig, "source")[0].get_text()
    (line,) = fig.axes[0].get_lines()
    drawn = pd.Series(line.get_ydata(), dtype="float64")
    assert drawn.isna().sum() == country["persons_convicted"].isna().sum()  # '<5' is a gap, not 0
    assert (
        drawn.dropna().tolist()
        == country.sort_values("year")["persons_convicted"].dropna().astype(float).tolist()
    )


# -- the notebook ----------------------------------------------------------------------------------

QUESTIONS = {  # what a recipe must call to answer each question of issue 15, part 2
    "find": "tipstats.search(",
    "describe": "tipstats.describe(",
    "parties at a date": "tipstats.parties_as_of(",
    "one row per State": 'tipstats.load("treaty_status")',
    "regional aggregate with '<5' bounds": "tipstats.aggregate(",
    "convictions joined to legislation": ".merge(law",
    "one country in the house style": "style.plot_series(",
}


def _recipes() -> list[str]:
    code = [c.source for c in nbformat.read(COOKBOOK, as_version=4).cells if c.cell_type == "code"]
    return code[2:]  # after the shared opening (setup, caveats)


def test_the_one_row_per_state_recipe_counts_each_participant_once_where_the_events_repeat_some():
    recipe = next(r for r in _recipes() if QUESTIONS["one row per State"] in r)
    *body, last = [line for line in recipe.splitlines() if line.strip()]
    namespace = {"tipstats": tipstats}
    exec("\n".join(body), namespace)
    n_status, status_unique, n_events, events_unique = eval(last, namespace)
    status, events = namespace["status"], namespace["events"]
    assert status_unique and not events_unique
    assert set(status["participant"]) == set(events["participant"])
    assert n_status == events["participant"].nunique() < n_events
    # a participant that several sources name has one row, which names every one of them
    repeated = events[events["participant"].duplicated(keep=False)]
    assert not repeated.empty
    by_participant = status.set_index("participant")
    for participant, rows in repeated.groupby("participant"):
        assert set(by_participant.loc[participant, "source_ids"].split(",")) == set(rows["source_id"])


def test_every_recipe_is_at_most_three_lines():
    recipes = _recipes()
    assert recipes
    for recipe in recipes:
        lines = [line for line in recipe.splitlines() if line.strip() and not line.lstrip().startswith("#")]
        assert 1 <= len(lines) <= 3, recipe


@pytest.mark.parametrize("question", sorted(QUESTIONS))
def test_each_question_has_a_recipe(question):
    assert any(QUESTIONS[question] in recipe for recipe in _recipes()), question


def test_the_cookbook_names_no_path_and_types_no_number_it_reports():
    """The recipes compute: no value of the data is typed into them (only dates and codes they ask about)."""
    for recipe in _recipes():
        numbers = re.findall(r"(?<![\w-])\d+(?:\.\d+)?(?![\w-])", recipe)
        assert set(numbers) <= {"2019", "2020", "0", "17"}, (recipe, numbers)


def test_xlsx_export_keeps_dates_numbers_and_gaps(tmp_path):
    out = tmp_path / "out"
    assert main(["export", "--format", "xlsx", "--datasets", "treaty_status", str(out)]) == 0
    original = tipstats.load("treaty_status")
    back = pd.read_excel(out / "treaty_status.xlsx", sheet_name="data")
    for column in ("action_date", "signature_date"):
        assert back[column].isna().tolist() == original[column].isna().tolist()
        kept = original[column].notna()
        assert (pd.to_datetime(back.loc[kept, column]) == original.loc[kept, column]).all()
    assert back["conflict"].astype(bool).tolist() == original["conflict"].astype(bool).tolist()
    columns = pd.read_excel(out / "treaty_status.xlsx", sheet_name="columns")
    assert len(columns) == len(original.columns)


def test_xlsx_keeps_text_as_text_and_is_the_same_at_another_time(tmp_path):
    import time

    from tipstats import export

    frame = pd.DataFrame(
        {"text": pd.array(["=1+1", None, "https://treaties.un.org", "0012", "bad\x01byte"], dtype="str")}
    )
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    export._xlsx("countries", frame, first)
    time.sleep(2.1)  # the zip format's time stamps have a resolution of two seconds
    export._xlsx("countries", frame, second)
    assert first.read_bytes() == second.read_bytes()
    back = pd.read_excel(first, sheet_name="data", dtype=str, keep_default_na=False)
    assert back["text"].tolist() == [
        "=1+1",
        "",
        "https://treaties.un.org",
        "0012",
        f"bad{export.REPLACEMENT}byte",
    ]
