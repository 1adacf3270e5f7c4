"""The figure library: style helpers, what each figure draws (on small hand-made inputs), determinism."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

import tipstats
from tipstats import figures
from tipstats.datasets import list_datasets
from tipstats.figures import style as S

REPO = Path(__file__).resolve().parents[1]
DAY = pd.Timestamp


# -- small hand-made inputs ---------------------------------------------------------------------


@pytest.fixture
def sources() -> pd.DataFrame:
    """A registry of four made-up sources, in the forms the real registry uses."""
    return pd.DataFrame(
        {
            "source_id": ["alpha", "beta", "gamma", "delta"],
            "producer": [
                "United Nations Office on Drugs and Crime (UNODC)",
                "World Bank (World Development Indicators), via a data package",
                "Various (UNTC, UNODC, press releases); see source_url per row",
                "United Nations Secretary-General",
            ],
            "title": ["Country data", "Population", "Dated counts", "The report"],
            "citation": [
                "UNODC (2025), UNODC Research - Data Portal",
                "World Bank, World Development Indicators, SP.POP.TOTL.",
                "Compiled for tipstats from the pages named row by row.",
                "United Nations (2021), Improving the coordination of efforts.",
            ],
            "date_published": ["2025-04-14", "2026-03-06", None, None],
            "as_of": ["2025", "2024", "2025", "2021-07-08"],
        }
    )


def claims_registry(**values: str) -> pd.DataFrame:
    """A claims registry with the rows the figures read (values overridable per test)."""
    rows = {
        "p04_period_start": ("4", "2019-12-18", "date", "exactly", None, None, None),
        "p04_period_end": ("4", "2021-07-08", "date", "exactly", None, None, None),
        "p38a_children_over_30": ("38(a)", "30", "per cent", "more than", None, None, None),
        "p75_funding_target": ("75", "1.5", "USD million", "exactly", "2020", None, None),
        "p75_contributions_2020": ("75", "790000", "USD", "exactly", "2020", None, None),
        "p77_cumulative_7_9m": ("77", "7.9", "USD million", "exactly", "2021-04", None, None),
        "p75_grants_4_8m": ("75", "4.8", "USD million", "exactly", "2021", None, None),
        "p75_projects_90": ("75", "90", "projects", "more than", "2021", None, None),
        "p75_countries_50": ("75", "50", "countries", "more than", "2021", None, None),
        "p74_victims_3500": ("74", "3500", "victims per year", "more than", "2021", None, None),
        "p75_call4_year": ("75", "2019", "year", "exactly", "2019", None, None),
        "p75_call4_projects_32": ("75", "32", "projects", "exactly", None, None, None),
        "p75_ngos_268": ("75", "268", "organisations", "exactly", "2020", None, None),
        "p75_proposals_500": ("75", "500", "proposals", "about", None, "2021-01", "2021-06"),
        "p75_call5_launch": ("75", "2020-12-01", "date", "exactly", "2020-12-01", None, None),
    }
    frame = pd.DataFrame(
        [(k, *v) for k, v in rows.items()],
        columns=["claim_id", "paragraph", "reported_value", "unit", "comparator", "reference_date", "period_start",
                 "period_end"],
    )  # fmt: skip
    for claim_id, value in values.items():
        frame.loc[frame["claim_id"] == claim_id, "reported_value"] = value
    return frame


def gid_texts(fig: Figure, gid: str) -> list[str]:
    return [t.get_text() for t in S.texts(fig, gid)]


def flat(fig: Figure, gid: str) -> str:
    """The text of ``gid`` with white space normalised (long texts are wrapped onto several lines)."""
    return " ".join(" ".join(gid_texts(fig, gid)).split())


def named_lines(ax) -> dict[str, Line2D]:
    return {
        str(line.get_label()): line for line in ax.get_lines() if not str(line.get_label()).startswith("_")
    }


# -- style helpers ------------------------------------------------------------------------------


def test_label_line_ends_labels_each_line_at_its_last_finite_point():
    fig = Figure()
    ax = fig.subplots()
    ax.plot([1, 2, 3], [1.0, 2.0, 3.0], label="up", color="#4c6a9c")
    ax.plot([1, 2, 3], [5.0, 4.0, np.nan], label="down", color="#b13507")  # ends at x=2
    ax.plot([1, 2, 3], [0.0, 0.0, 0.0], label="_hidden")
    ax.legend()
    labels = S.label_line_ends(ax, values=True)
    assert [t.get_text() for t in labels] == ["up 3", "down 4"]
    assert [t.xy for t in labels] == [(3.0, 3.0), (2.0, 4.0)]
    assert [t.get_color() for t in labels] == ["#4c6a9c", "#b13507"]
    assert all(t.get_fontweight() == "bold" and t.get_gid() == "end-label" for t in labels)
    assert ax.get_legend() is None


def test_label_line_ends_moves_labels_of_lines_ending_together_apart():
    fig = Figure(dpi=100)
    ax = fig.subplots()
    for name in ["a", "b", "c"]:
        ax.plot([0, 1], [0.0, 10.0], label=name)  # all three end at the same point
    ax.set_ylim(0, 100)
    labels = S.label_line_ends(ax, gap_pt=11)
    offsets = sorted(t.xyann[1] for t in labels)
    assert np.diff(offsets).min() >= 11 - 1e-9
    assert abs(sum(offsets)) < 11  # the block stays centred on the common end point


def test_label_line_ends_at_right_puts_labels_outside_the_axes():
    fig = Figure()
    ax = fig.subplots()
    ax.plot([0, 1], [0, 1], label="short")
    ax.plot([0, 5], [0, 3], label="long")
    ax.set_xlim(0, 10)
    labels = S.label_line_ends(ax, at="right")
    assert [t.xy[0] for t in labels] == [1.0, 1.0]  # axes fraction: the right edge
    assert [t.xy[1] for t in labels] == [1.0, 3.0]


def test_source_short_forms(sources):
    short = [S.source_short(row) for row in sources.to_dict("records")]
    assert short == [
        "UNODC (2025)",
        "World Bank (2026)",
        "UNTC, UNODC, press releases (2025)",
        "United Nations (2021)",
    ]


def test_source_line_cites_the_registry_and_the_package_version(sources):
    fig = Figure(figsize=(8, 5))
    S.add_source_line(fig, ["alpha", "beta", "alpha"], sources=sources, note="A note.")
    assert gid_texts(fig, "source") == [
        f"Sources: UNODC (2025); World Bank (2026); tipstats {tipstats.__version__}"
    ]
    assert gid_texts(fig, "note") == ["A note."]
    single = Figure()
    S.add_source_line(single, ["delta"], sources=sources)
    assert gid_texts(single, "source") == [f"Source: United Nations (2021); tipstats {tipstats.__version__}"]


def test_source_line_refuses_a_source_the_registry_does_not_know(sources):
    with pytest.raises(KeyError, match="nowhere"):
        S.add_source_line(Figure(), ["alpha", "nowhere"], sources=sources)


def test_same_producer_different_works_are_told_apart(sources):
    twins = pd.concat([sources.iloc[[0]], sources.iloc[[0]].assign(source_id="alpha2", title="Text figures: shares",
                                                                     citation="UNODC, GLOTIP", as_of="2024",
                                                                     date_published=None)])  # fmt: skip
    text = S.source_text(["alpha", "alpha2"], twins)
    assert "UNODC, Country data (2025)" in text and "UNODC, Text figures (2024)" in text


def test_title_and_subtitle_sit_at_the_same_place_on_every_figure():
    small, large = Figure(figsize=(6, 4)), Figure(figsize=(10, 8))
    for fig in (small, large):
        S.add_title(fig, "The point", "What is plotted")
    for gid in ("title", "subtitle"):
        (a,), (b,) = S.texts(small, gid), S.texts(large, gid)
        # same distance in inches from the top-left corner
        assert (1 - a.get_position()[1]) * 4 == pytest.approx((1 - b.get_position()[1]) * 8)
        assert a.get_position()[0] * 6 == pytest.approx(b.get_position()[0] * 10)
    assert gid_texts(small, "title") == ["The point"] and gid_texts(small, "subtitle") == ["What is plotted"]


def test_axis_title_is_horizontal_above_the_axis():
    fig = Figure()
    ax = fig.subplots()
    ax.set_ylabel("rotated")
    text = S.axis_title(ax, "Parties")
    assert text.get_rotation() == 0 and text.xy == (0, 1) and text.xyann[1] > 0
    assert ax.get_ylabel() == ""


def test_event_rule_is_a_dashed_labelled_vertical_line():
    fig = Figure()
    ax = fig.subplots()
    ax.plot([DAY("2000-01-01"), DAY("2010-01-01")], [0, 1])
    line, label = S.add_event_rule(ax, DAY("2003-12-25"), "Protocol in force")
    assert line.get_gid() == "event-rule" and line.get_linestyle() == "--"
    xdata = {pd.Timestamp(x) if not isinstance(x, float) else x for x in line.get_xdata()}
    assert len(xdata) == 1
    assert label.get_text() == "Protocol in force" and label.xy[1] == pytest.approx(0.99)


def test_start_at_zero_keeps_the_top():
    fig = Figure()
    ax = fig.subplots()
    ax.bar([1, 2], [5, 8])
    ax.set_ylim(3, 9)
    S.start_at_zero(ax)
    assert ax.get_ylim() == (0, 9)


def test_style_sets_the_pinned_font_palette_and_salt():
    import matplotlib as mpl

    with S.style_context():
        assert mpl.rcParams["font.sans-serif"][0] == "DejaVu Sans"
        assert mpl.rcParams["svg.hashsalt"] == "tipstats"
        colours = [c["color"].lower().lstrip("#") for c in mpl.rcParams["axes.prop_cycle"]]
        assert colours == [c.lstrip("#") for c in S.PALETTE]
        assert mpl.rcParams["axes.grid"] and mpl.rcParams["axes.grid.axis"] == "y"
    assert mpl.rcParams["svg.hashsalt"] != "tipstats"  # the style does not leak out of the block


# -- saving: byte-identical files ---------------------------------------------------------------

DRAW_AND_SAVE = """
import sys
import pandas as pd
from tipstats.figures import style as S
with S.style_context():
    fig, ax = S.new_figure("Title", "Subtitle", source_ids=[])
ax.plot(pd.to_datetime(["2001-01-01", "2005-06-01"]), [1, 3], label="a line")
S.label_line_ends(ax)
S.add_event_rule(ax, pd.Timestamp("2003-12-25"), "event")
S.save(fig, sys.argv[1])
"""


def test_saved_files_are_byte_identical_across_processes(tmp_path):
    for run in ("one", "two"):
        subprocess.run([sys.executable, "-c", DRAW_AND_SAVE, str(tmp_path / run / "fig")], check=True)
    for suffix in (".svg", ".png"):
        one, two = (tmp_path / run / f"fig{suffix}" for run in ("one", "two"))
        assert one.read_bytes() == two.read_bytes(), suffix
    svg = (tmp_path / "one" / "fig.svg").read_text()
    assert "<dc:date>" not in svg and "Matplotlib v" not in svg
    assert b"Software" not in (tmp_path / "one" / "fig.png").read_bytes()


# -- the registry -------------------------------------------------------------------------------


def test_registry_names_are_stable_and_documented():
    expected = {
        "ratification_timeline", "ratification_gap", "legislation_counts", "conviction_rates_by_cohort",
        "event_study_estimators", "coverage_heatmap", "convictions_specification_curve",
        "victim_shares_by_edition", "exploitation_shares_by_edition",
        "trust_fund_overview", "trust_fund_calls",
    }  # fmt: skip
    assert set(figures.list_figures()) == expected
    for name, spec in figures.FIGURES.items():
        assert spec.name == name and getattr(figures, name) is spec.function
        assert spec.caption and set(spec.datasets) <= set(list_datasets())
        assert (REPO / "notebooks" / f"{spec.notebook}.ipynb").exists()


def figure_data() -> set[str]:
    """``FIGURE_DATA`` of the make fragment: the datasets ``make figures`` depends on."""
    text = (REPO / "mk" / "datasets.mk").read_text().replace("\\\n", " ")
    return set(re.search(r"^FIGURE_DATA := (.*)$", text, re.M).group(1).split())


def test_make_fragment_lists_every_dataset_a_figure_draws_from():
    used = {d for spec in figures.FIGURES.values() for d in spec.datasets}
    assert used <= figure_data() <= set(list_datasets())


def test_draw_rejects_an_unknown_name():
    with pytest.raises(KeyError, match="known figures"):
        figures.draw("no_such_figure")


# -- what each figure draws, on hand-made data --------------------------------------------------


def _events(rows):
    columns = ["treaty", "participant", "iso3", "source_id", "date_basis", "action_date", "action_date_precision",
               "action_date_earliest", "action_date_latest", "action_type"]  # fmt: skip
    frame = pd.DataFrame(rows, columns=columns)
    for c in ("action_date", "action_date_earliest", "action_date_latest"):
        frame[c] = pd.to_datetime(frame[c])
    return frame


@pytest.fixture
def treaty_events():
    day = lambda t, p, iso, d, src="untc_tip_2018": (t, p, iso, src, "stated", d, "day", d, d, "ratification")  # noqa: E731
    return _events(
        [
            day("tip_protocol", "A", "AAA", "2002-05-01"),
            day("tip_protocol", "B", "BBB", "2004-03-01"),
            day("tip_protocol", "C", "CCC", "2010-07-01"),
            day("tip_protocol", "D", "DDD", "2017-12-29"),
            day("tip_protocol", "E", "EEE", "2020-03-30", "a76120"),
            (
                "tip_protocol",
                "F",
                "FFF",
                "tip_evidence_five_states",
                "inferred_reporting_period",
                None,
                "window",
                "2019-04-01",
                "2020-03-31",
                "accession",
            ),  # fmt: skip
            day("som_protocol", "A", "AAA", "2003-01-01", "untc_som_2018"),
            day("untoc", "A", "AAA", "2001-01-01", "untc_untoc_2014"),
            day("untoc", "B", "BBB", "2002-01-01", "untc_untoc_2014"),
        ]
    )


@pytest.fixture
def party_counts():
    frame = pd.DataFrame(
        {
            "date": ["2018-01-15", "2021-06-09", "2024"],
            "date_precision": ["day", "day", "year"],
            "date_earliest": pd.to_datetime(["2018-01-15", "2021-06-09", "2024-01-01"]),
            "date_latest": pd.to_datetime(["2018-01-15", "2021-06-09", "2024-12-31"]),
            "treaty": "tip_protocol",
            "parties": pd.array([4, 6, 9], dtype="Int64"),
            "parties_as_given": ["4", "6", "9"],
            "qualifier": [None, None, None],
            "source_id": ["tip_party_counts", "a76120", "tip_party_counts"],
        }
    )
    return frame


@pytest.fixture
def treaty_sources():
    ids = [
        "untc_tip_2018",
        "untc_som_2018",
        "untc_untoc_2014",
        "a76120",
        "tip_evidence_five_states",
        "tip_party_counts",
    ]
    return pd.DataFrame({"source_id": ids, "producer": ids, "title": ids, "citation": [f"{i} (2020), x" for i in ids],
                         "date_published": None, "as_of": None})  # fmt: skip


def test_ratification_timeline_draws_known_parties_counts_and_events(
    treaty_events, party_counts, treaty_sources
):
    fig = figures.ratification_timeline(
        treaty_events, party_counts, treaty_sources, claims_registry=claims_registry()
    )
    ax = fig.axes[0]
    lines = named_lines(ax)
    assert set(lines) == {"Trafficking Protocol", "Smuggling Protocol", "Convention (UNTOC)"}
    tip = lines["Trafficking Protocol"]
    # steps: A 2002, B 2004, C 2010, D 2017, E 2020-03-30, F at the end of its window 2020-03-31
    assert list(dict.fromkeys(tip.get_ydata())) == [0, 1, 2, 3, 4, 5, 6]
    from matplotlib.dates import date2num

    xy = tip.get_xydata()  # x as matplotlib date numbers
    assert xy[xy[:, 0] == date2num(DAY("2020-03-31")), 1].tolist() == [
        6
    ]  # F counts from the end of its window
    assert xy[xy[:, 0] == date2num(DAY("2020-03-30")), 1].tolist() == [5]
    assert gid_texts(fig, "end-label") == [
        "Convention\n(UNTOC) 2",
        "Smuggling Protocol 1",
        "Trafficking Protocol 6",
    ]
    # each label is anchored at its own line's last point, not at the right edge of the axes
    for label, name in zip(
        S.texts(fig, "end-label"),
        ["Convention (UNTOC)", "Smuggling Protocol", "Trafficking Protocol"],
        strict=True,
    ):
        x_end = np.asarray(ax.convert_xunits(lines[name].get_xdata()), dtype=float)[-1]
        assert label.xycoords == "data" and label.xy[0] == pytest.approx(x_end)
    official = [line for line in ax.get_lines() if line.get_gid() == "official-counts"]
    assert list(official[0].get_ydata()) == [4.0, 6.0, 9.0]
    assert any(line.get_gid() == "event-rule" for line in ax.get_lines())
    assert gid_texts(fig, "event-label") == ["Protocol in force\n(25 Dec 2003)"]
    assert gid_texts(fig, "period-label") == ["Reporting\nperiod"]
    assert gid_texts(fig, "title") == ["Trafficking Protocol parties rose from 1 in 2003 to 4 by 2017"]
    assert all(f"{i} (2020)" in flat(fig, "source") for i in ("untc_tip_2018", "a76120"))


def test_reporting_period_comes_from_the_claims_registry(treaty_events, party_counts, treaty_sources):
    registry = claims_registry(p04_period_start="2018-01-01", p04_period_end="2018-12-31")
    fig = figures.ratification_timeline(treaty_events, party_counts, treaty_sources, claims_registry=registry)
    (band,) = S.artists(fig, "period")
    from matplotlib.dates import date2num

    assert band.get_x() == pytest.approx(date2num(DAY("2018-01-01")))
    assert band.get_x() + band.get_width() == pytest.approx(date2num(DAY("2018-12-31")))


def test_ratification_gap_names_every_later_accession_and_the_gap(
    treaty_events, party_counts, treaty_sources
):
    fig = figures.ratification_gap(
        treaty_events, party_counts, treaty_sources, claims_registry=claims_registry()
    )
    labels = gid_texts(fig, "accession-label")
    # after the table's last action (D, 2017-12-29): F (window) and E (the report)
    assert labels == [
        "1  F: Apr 2019-Mar 2020 (US TIP report period)",
        "2  E: 30 Mar 2020 (A/76/120, para. 5)",
    ]
    # the latest count (9 in 2024) against the 6 parties the rows know
    assert gid_texts(fig, "gap-label") == ["gap 3"]
    assert gid_texts(fig, "title") == ["Dated rows match the report's 6 parties, but miss 3 of 9 by 2024"]
    assert any(len(a.get_paths()) for a in S.artists(fig, "window-band"))


@pytest.fixture
def panel():
    rows = [("AAA", 2000, 0), ("BBB", 2000, 1), ("CCC", 2000, pd.NA),
            ("AAA", 2001, 2), ("BBB", 2001, 1), ("CCC", 2001, 0),
            ("AAA", 2002, 2), ("BBB", 2002, 2), ("CCC", 2002, 2)]  # fmt: skip
    frame = pd.DataFrame(rows, columns=["iso3", "year", "level"]).assign(source_id="kelley_panel")
    frame["level"] = frame["level"].astype("Int64")
    return frame


@pytest.fixture
def counts():
    return pd.DataFrame(
        {
            "count_id": ["x", "y", "z"],
            "edition": ["GLOTIP 2018", None, "GLOTIP 2014"],
            "date_or_period": ["August 2018", "August 2020", "2014"],
            "reference_year": pd.array([2018, 2020, 2014], dtype="Int64"),
            "reference_date": pd.to_datetime(["2018-08-01", "2020-08-01", None]),
            "countries_with_legislation": pd.array([168, 169, pd.NA], dtype="Int64"),
            "countries_assessed": pd.array([181, 181, pd.NA], dtype="Int64"),
            "share_percent": [np.nan, np.nan, 90.0],
            "qualifier": [None, None, None],
            "source_id": ["kelley_panel", "a76120", "kelley_panel"],
        }
    )


def test_legislation_counts_draws_levels_and_published_counts_apart(panel, counts, sources):
    src = pd.concat(
        [
            sources,
            sources.iloc[[3]].assign(source_id="a76120"),
            sources.iloc[[0]].assign(source_id="kelley_panel"),
        ]
    )
    fig = figures.legislation_counts(panel, counts, src)
    ax = fig.axes[0]
    lines = named_lines(ax)
    assert list(lines["Full"].get_ydata()) == [0, 1, 3]
    assert list(lines["Partial"].get_ydata()) == [1, 1, 0]
    assert list(lines["None"].get_ydata()) == [1, 1, 0]  # CCC 2000 has no level: not counted
    assert sorted(gid_texts(fig, "end-label")) == ["Full 3", "None 0", "Partial 0"]
    points = gid_texts(fig, "point-label")
    assert points == ["168 of 181 (August 2018, GLOTIP 2018)", "169 of 181 (August 2020, A/76/120)"]
    assert "90%" in flat(fig, "note")  # a share is stated in the note, not drawn on the count axis
    assert gid_texts(fig, "title") == ["Countries with full criminalisation rose from 0 in 2000 to 3 in 2002"]


def _shares(member: str, rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(
        rows, columns=["basis", "edition", "year", "year_or_period", member, "share", "n_countries"]
    )
    frame["year"] = frame["year"].astype("Int64")
    frame["n_countries"] = frame["n_countries"].astype("Int64")
    frame["among"] = "all"
    frame["value_as_given"] = frame["share"].astype(str)
    frame["source_id"] = np.where(frame["basis"] == "published", "alpha", "beta")
    return frame


def test_victim_shares_draw_published_and_computed_with_the_report_threshold(sources):
    P, C = "published", "computed"
    shares = _shares(
        "group",
        [(P, "GLOTIP 2020", 2004, "2004", "children", 13.0, None), (P, "GLOTIP 2020", 2018, "2018", "children", 34.0, None),
         (P, "GLOTIP 2020", 2018, "2018", "girls", 19.0, None), (P, "GLOTIP 2018", 2018, "2018", "girls", 23.0, None),
         (C, None, 2010, "2010", "women", 50.0, 9), (C, None, 2010, "2010", "men", 20.0, 9),
         (C, None, 2010, "2010", "girls", 18.0, 9), (C, None, 2010, "2010", "boys", 12.0, 9),
         (C, None, 2011, "2011", "women", 40.0, 11), (C, None, 2011, "2011", "men", 20.0, 11),
         (C, None, 2011, "2011", "girls", 25.0, 11), (C, None, 2011, "2011", "boys", 15.0, 11)],
    )  # fmt: skip
    fig = figures.victim_shares_by_edition(shares, sources, claims_registry(p38a_children_over_30="25"))
    left, right = fig.axes[0], fig.axes[1]
    children = named_lines(left)["Children"]
    assert list(children.get_ydata()) == [13.0, 34.0]
    girls = named_lines(left)["Girls"]
    assert np.isnan(girls.get_ydata()[0])  # 19 and 23 conflict for 2018: no line through them
    assert list(named_lines(right)["Children"].get_ydata()) == [30.0, 40.0]  # girls + boys, computed
    reference = [line for line in right.get_lines() if line.get_gid() == "reference-line"]
    assert list(reference[0].get_ydata()) == [25.0, 25.0]  # read from the registry, not typed
    strip = fig.axes[3]
    assert [p.get_height() for p in strip.patches] == [9.0, 11.0]
    # the computed panel has no 2018: nothing to reconcile in the title
    assert gid_texts(fig, "title") == [
        "GLOTIP's share of children among detected victims rose from 13% (2004) to 34% (2018)"
    ]


@pytest.mark.parametrize(
    ("girls", "boys", "said"),
    [
        (10.0, 5.0, "; the 12 countries reporting all four groups give 15% for 2018"),  # 15% against 34%
        (20.0, 13.0, ""),  # 33% against 34%: the same story, nothing to reconcile
    ],
)
def test_victim_title_says_when_the_computed_panel_gives_another_value(sources, girls, boys, said):
    P, C = "published", "computed"
    shares = _shares(
        "group",
        [(P, "GLOTIP 2020", 2004, "2004", "children", 13.0, None), (P, "GLOTIP 2020", 2018, "2018", "children", 34.0, None),
         (C, None, 2018, "2018", "women", 50.0, 12), (C, None, 2018, "2018", "men", 100 - 50.0 - girls - boys, 12),
         (C, None, 2018, "2018", "girls", girls, 12), (C, None, 2018, "2018", "boys", boys, 12)],
    )  # fmt: skip
    fig = figures.victim_shares_by_edition(shares, sources, claims_registry(p38a_children_over_30="25"))
    assert flat(fig, "title") == (
        "GLOTIP's share of children among detected victims rose from 13% (2004) to 34% (2018)" + said
    )


def test_exploitation_shares_mark_periods_and_list_what_is_not_drawn(sources):
    P = "published"
    shares = _shares(
        "form",
        [(P, "GLOTIP 2012", None, "2007-2010", "sexual_exploitation", 58.0, None),
         (P, "GLOTIP 2020", 2018, "2018", "sexual_exploitation", 50.0, None),
         (P, "GLOTIP 2020", 2018, "2018", "forced_labour", 38.0, None),
         (P, "GLOTIP 2024", 2022, "2022", "forced_labour", 42.0, None),
         (P, "GLOTIP 2024", 2022, "2022", "sexual_exploitation", 38.0, None),
         (P, "GLOTIP 2018", 2016, "2016", "forced_labour", np.nan, None)],
    )  # fmt: skip
    fig = figures.exploitation_shares_by_edition(shares, sources)
    left = fig.axes[0]
    spans = [line for line in left.get_lines() if line.get_label() == "_period"]
    assert [list(line.get_xdata()) for line in spans] == [[2007.0, 2010.0]]
    assert sorted(gid_texts(fig, "point-label")) == ["38%", "50%"]  # the edition the report cites
    assert "Not drawn: 1 published quotation" in flat(fig, "note")
    assert gid_texts(fig, "title") == [
        "Forced labour overtook sexual exploitation in the published shares (2022)"
    ]


@pytest.fixture
def trust_fund():
    rows = [
        (
            "unvtf_001",
            "cumulative_contributions_since_inception",
            7.0,
            "USD million",
            "more than",
            "2019-12-31",
        ),
        ("unvtf_002", "contributions_received_in_year", 0.5, "USD million", "close to", "2019"),
        ("unvtf_003", "cumulative_grants_awarded_since_inception", 4.8, "USD million", None, "2021-03-08"),
        ("unvtf_004", "cumulative_projects_funded", 155.0, "projects", "more than", "2023-05-23"),
        ("unvtf_005", "victims_assisted_per_year", 2000.0, "persons per year", "some", "2011-2014"),
        (
            "unvtf_006",
            "victims_assisted_per_year",
            3000.0,
            "persons per year",
            "around",
            "undated (older page)",
        ),
        ("unvtf_007", "call4_projects_awarded", 32.0, "projects", None, "2020"),
        ("unvtf_008", "call4_sgp2_projects_awarded", 16.0, "projects", None, "2020-08-28"),
        ("unvtf_009", "call7_sgp1_projects_awarded", 10.0, "projects", None, "2023-05-23"),
        ("unvtf_010", "call7_sgp2_projects_awarded", 7.0, "projects", None, "2023-11"),
        ("unvtf_011", "call1_grants_total", 750000.0, "USD", None, "2011-2014"),
        ("unvtf_012", "call5_applications_received", 400.0, "applications", None, "2021-11-09"),
    ]
    frame = pd.DataFrame(
        rows, columns=["figure_id", "quantity", "value", "unit", "qualifier", "date_or_period"]
    )
    frame["date"] = pd.to_datetime(
        frame["date_or_period"].where(frame["date_or_period"].str.fullmatch(r"\d{4}-\d{2}-\d{2}"))
    )
    frame["source_id"] = "alpha"
    return frame


def test_trust_fund_overview_keeps_qualifiers_and_reads_the_report_from_the_registry(trust_fund, sources):
    src = pd.concat([sources, sources.iloc[[3]].assign(source_id="a76120")])
    fig = figures.trust_fund_overview(trust_fund, src, claims_registry(p75_funding_target="2"))
    labels = gid_texts(fig, "point-label")
    assert "more than 7 (Dec 2019)" in labels and "7.9 (A/76/120)" in labels
    assert "some 2,000 (2011-2014)" in labels and "more than 3,500 (A/76/120)" in labels
    assert not any("3,000" in label for label in labels)  # undated: not drawn
    assert "1 undated figure" in flat(fig, "note")
    (target,) = S.artists(fig, "target-line")
    assert list(target.get_ydata()) == [2.0, 2.0]  # the registry's target, in USD million
    assert gid_texts(fig, "title") == ["Contributions in 2020 reached 40% of the fund's annual target"]
    markers = {(p.get_marker(), p.get_markerfacecolor() == "white") for p in S.artists(fig, "sourced-point")}
    assert ("^", False) in markers and ("o", True) in markers and ("o", False) in markers


def test_trust_fund_calls_draws_whole_calls_and_sub_programmes_side_by_side(trust_fund, sources):
    src = pd.concat([sources, sources.iloc[[3]].assign(source_id="a76120")])
    fig = figures.trust_fund_calls(trust_fund, src, claims_registry())
    projects = fig.axes[0]
    bars = sorted((round(p.get_x() + p.get_width() / 2, 2), p.get_height()) for p in projects.patches)
    # call 4's sub-programme 2 (16) is part of its 32 and is not drawn beside it
    assert bars == [(4.0, 32.0), (6.79, 10.0), (7.21, 7.0)]
    grants = fig.axes[1]
    assert [p.get_height() for p in grants.patches] == [0.75]
    assert "32\n(A/76/120)" in gid_texts(fig, "report-label") and "about 500\n(A/76/120)" in gid_texts(
        fig, "report-label"
    )
    assert gid_texts(fig, "title") == [
        "Call 4 funded the most projects (32); call 5 drew the most proposals (400)"
    ]
    assert "to 2019; the UNODC source dates them to 2020" in flat(fig, "note")


@pytest.fixture
def conviction_inputs():
    convictions = pd.DataFrame(
        {"iso3": ["AAA"], "year": [2003], "source_id": "alpha", "population_source_id": "beta"}
    )
    legislation = pd.DataFrame({"iso3": ["AAA", "BBB"], "yardstick": ["kelley_full_criminalisation", "us_tip_report_law"],
                                "source_id": ["delta", "gamma"]})  # fmt: skip
    return convictions, legislation


def test_conviction_rates_draw_the_analysis_table_with_treatment_bands(conviction_inputs, sources):
    rows = []
    for sample in ("all reporting", "balanced"):
        for treatment, shift in (("lower", -0.05), ("middle", 0.0), ("upper", 0.05)):
            for cohort, base in (("before 2003", 0.3), ("2003-2008", 0.2)):
                for year in (2003, 2004):
                    rows.append((sample, treatment, cohort, year, 5, base + shift + (year - 2003) * 0.1))
    rates = pd.DataFrame(
        rows, columns=["sample", "suppressed", "cohort", "year", "n_countries", "pooled_rate_per_100k"]
    )
    fig = figures.conviction_rates_by_cohort(*conviction_inputs, sources, rates=rates)
    left = fig.axes[0]
    assert np.allclose(named_lines(left)["before 2003"].get_ydata(), [0.3, 0.4])
    assert len(S.artists(fig, "treatment-band")) == 4
    assert gid_texts(fig, "title") == [
        "Countries legislating before 2003 had the highest rate in 2 of 2 years (balanced panel)"
    ]
    source = flat(fig, "source")
    assert "UNODC (2025)" in source and "World Bank (2026)" in source and "United Nations (2021)" in source
    assert "UNTC" not in source  # the US TIP rows of `legislation` are not used by the analysis


def _comparison(robust_shift: float) -> pd.DataFrame:
    """A made-up estimator comparison: every specification of the design, intervals +-0.5 around the estimate."""
    from tipstats.analysis.convictions import staggered_design as sd

    specs = [sd.PREVIOUS, *sd.SPECIFICATIONS]
    rows = []
    for estimator, control in specs:
        label = sd.specification_label(estimator, control)
        for e in range(-5, 11):
            est = (
                0.0
                if e == -1
                else (robust_shift if e >= 0 else 0.0) - (0.2 if label == sd.PREVIOUS_LABEL else 0)
            )
            rows.append((sd.YARDSTICK_KELLEY, estimator, control, label, e, est, est - 0.5, est + 0.5, 30, 40, 10,
                         2003, 2014))  # fmt: skip
    columns = ["yardstick", "estimator", "control", "specification", "event_time", "estimate", "ci_low", "ci_high",
               "n_units", "n_countries", "n_controls", "first_year", "last_year"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def test_event_study_estimators_draw_the_two_way_path_beside_the_robust_ones(conviction_inputs, sources):
    table = _comparison(0.0)
    fig = figures.event_study_estimators(*conviction_inputs, sources, comparison=table)
    top, low = fig.axes[:2]
    drawn = [line for line in top.get_lines() if line.get_gid() == "estimates"]
    # both two-way paths and the four robust ones above, the Poisson one below
    assert [line.get_label() for line in drawn] == list(figures.convictions.SHORT_LABELS.values())
    previous = table[table["estimator"].eq("twfe") & table["control"].eq("legislating_only")]
    assert np.allclose(drawn[0].get_ydata(), previous["estimate"])
    assert len([line for line in low.get_lines() if line.get_gid() == "estimates"]) == 1
    assert gid_texts(fig, "title") == [
        "None of 4 robust estimators finds conviction rates changed after criminalisation"
    ]
    assert gid_texts(fig, "event-label")[0] == "Year of full\ncriminalisation"
    rules = [line for line in top.get_lines() if line.get_gid() == "event-rule"]
    assert [tuple(line.get_xdata()) for line in rules] == [(0, 0)]
    assert "10 or more: -0.20" in flat(fig, "subtitle")


def test_event_study_estimators_title_follows_the_robust_intervals(conviction_inputs, sources):
    fig = figures.event_study_estimators(*conviction_inputs, sources, comparison=_comparison(1.0))
    assert flat(fig, "title") == (
        "Conviction rates changed after criminalisation: 44 of 44 robust estimates differ from zero"
    )


def test_coverage_heatmap_colours_each_status(conviction_inputs, sources):
    grid = pd.DataFrame(
        {
            "iso3": ["AAA", "AAA", "BBB", "BBB"],
            "cohort": ["before 2003", "before 2003", "2003-2008", "2003-2008"],
            "year": [2003, 2004, 2003, 2004],
            "status": ["numeric", "suppressed", "missing", "numeric"],
        }
    )
    fig = figures.coverage_heatmap(*conviction_inputs, sources, coverage=grid)
    (mesh,) = S.artists(fig, "coverage")
    colours = [tuple(np.round(c, 3)) for c in mesh.to_rgba(mesh.get_array().ravel())]
    from matplotlib.colors import to_rgba

    expected = [tuple(np.round(to_rgba(figures.convictions.STATUS_COLOURS[s]), 3)) for s in grid["status"]]
    assert colours == expected
    assert gid_texts(fig, "cohort-label") == ["before 2003\n(1 countries)", "2003-2008\n(1 countries)"]
    assert gid_texts(fig, "title") == ["Convictions data cover 1 countries in 2003 and at most 2 (2004)"]


# -- the real data ------------------------------------------------------------------------------


def test_every_figure_draws_from_the_processed_data_and_writes_identically(tmp_path, monkeypatch):
    """With only the datasets ``make figures`` depends on: a figure reading another one fails here."""
    import os

    from tipstats.paths import processed_dir

    data = tmp_path / "data"
    data.mkdir()
    for name in figure_data():
        os.symlink(processed_dir() / f"{name}.csv", data / f"{name}.csv")
    monkeypatch.setenv("TIPSTATS_DATA_DIR", str(data))
    first = figures.write_all(tmp_path / "one")
    names = {p.stem for p in first if p.suffix == ".png"}
    assert names == set(figures.FIGURES)
    index = (tmp_path / "one" / "index.md").read_text()
    assert all(f"![{name}]({name}.png)" in index for name in figures.FIGURES)
    second = figures.write_all(tmp_path / "two", names=["ratification_gap", "trust_fund_calls"])
    for path in second:
        if path.suffix in (".svg", ".png"):
            assert (
                hashlib.sha256(path.read_bytes()).digest()
                == hashlib.sha256((tmp_path / "one" / path.name).read_bytes()).digest()
            ), path.name


def test_real_figures_cite_only_registry_sources_and_state_the_report_values(tmp_path):
    sources = tipstats.load("sources")
    fig = figures.ratification_gap()
    assert gid_texts(fig, "source")[0].startswith("Sources: ")
    registry = figures._claims.registry()
    report_178 = figures._claims.value(registry, "p05_parties_178")
    assert f"{report_178:g} (A/76/120" in " ".join(gid_texts(fig, "point-label"))
    assert len(sources) > 0
