"""Build ``victim_shares`` and ``exploitation_shares``: shares of detected victims by group and by form of
exploitation, as GLOTIP editions published them and as computed from the dataUNODC table.

Load: the GLOTIP text figures (raw) and ``glotip`` (built before).
Process: :func:`parse_share` and :func:`classify_share` read a quoted figure; :func:`published_shares`
keeps every quotation; :func:`computed_victim_shares` and :func:`computed_exploitation_shares` derive
global shares per year; :func:`shares_sum_failures` checks that every complete set of quoted shares adds
up to 100 within the source's rounding, reported at the raw file's row.
Save: ``build(ctx)`` returns the two frames; ``tipstats.pipeline`` validates and writes them.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pandas as pd

from tipstats.errors import DataValidationError, Failure, row_number
from tipstats.pipeline.glotip import ADULT, CHILD, DETECTED, MAIN_RELEASE, OTHER_FORMS
from tipstats.schemas.victims import (
    EXPLOITATION_FORMS,
    EXPLOITATION_PARTITIONS,
    SET_KEY,
    VICTIM_GROUPS,
    VICTIM_PARTITIONS,
    partition_sum_ok,
)

TEXT_FIGURES = "glotip_text_figures"

# -- quoted shares: which victims a text figure is a share of -------------------------------------

VICTIM_QUANTITIES = [
    (r"share of detected victims: (?P<member>.+)", "all"),
    (r"(?:share of )?girls among detected child victims", "children"),
    (r"female share among detected victims of trafficking for forced labour", "forced_labour"),
]
VICTIM_LABELS = {
    "adult women": "women",
    "women": "women",
    "adult men": "men",
    "men": "men",
    "girls": "girls",
    "boys": "boys",
    "children": "children",
    "children (minors)": "children",
    "children (girls+boys)": "children",
    "women and girls": "women_and_girls",
    "female (women+girls)": "women_and_girls",
}
# groups implied by the quantity itself (no ": member" part)
VICTIM_IMPLIED = {"children": "girls", "forced_labour": "women_and_girls"}
EXPLOITATION_QUANTITIES = [
    (r"share (?:of detected victims )?by form: (?P<member>.+)", "all"),
    (r"share of detected (?P<among>girls|boys|women) trafficked for (?P<member>.+)", None),
]
FORM_LABELS = {
    "sexual exploitation": "sexual_exploitation",
    "forced labour": "forced_labour",
    "other purposes": "other_forms",
    "forced criminal activity": "forced_criminal_activity",
    "forced criminality": "forced_criminal_activity",
    "begging": "begging",
    "forced marriage, organ removal, other purposes": "forced_marriage_organ_removal_other",
}
assert set(VICTIM_LABELS.values()) <= set(VICTIM_GROUPS)
assert set(FORM_LABELS.values()) <= set(EXPLOITATION_FORMS)

_SHARE = r"(?P<share>\d{1,3}(?:\.\d+)?)"
_HEDGES = r"around|about|over|some|nearly|almost|more than|less than"
SHARE_FORMS = [
    re.compile(rf"^{_SHARE}$"),
    re.compile(rf"^(?P<qualifier>{_HEDGES})\s+{_SHARE}$"),
    re.compile(rf"^{_SHARE}\s+\((?P<qualifier>{_HEDGES})\)$"),
    re.compile(rf"^{_SHARE}\s+\((?P<remark>[^)]*)\)$"),
]


def parse_share(value: str, quote: str = "") -> tuple[float | None, str | None, str | None]:
    """(share, qualifier, remark) of a quoted share; share None for words or ranges.

    The qualifier is the hedge written with the value ('74 (around)', 'over 74'), or, failing that, a hedge
    written in the quote right before the same number and a per-cent sign ('some 59 per cent').

    >>> parse_share("74 (around)")
    (74.0, 'around', None)
    >>> parse_share("59", "accounting for some 59 per cent, while")
    (59.0, 'some', None)
    >>> parse_share("one out of three")
    (None, None, None)
    """
    text = value.strip()
    for pattern in SHARE_FORMS:
        m = pattern.match(text)
        if m:
            share = float(m["share"])
            qualifier = m.groupdict().get("qualifier")
            remark = m.groupdict().get("remark")
            if qualifier is None and quote:
                near = re.search(
                    rf"\b({_HEDGES})\s+{re.escape(m['share'])}\s*(?:per ?cent|percent|%|pc)",
                    quote,
                    flags=re.IGNORECASE,
                )
                if near:
                    qualifier = near.group(1).lower()
            return share, qualifier, remark
    return None, None, None


def _classify(quantity: str, patterns, labels, implied) -> tuple[str | None, str | None]:
    for pattern, among in patterns:
        m = re.fullmatch(pattern, quantity)
        if m is None:
            continue
        group_among = m.groupdict().get("among") or among
        member = m.groupdict().get("member")
        if member is None:
            return group_among, implied[group_among]
        return group_among, labels.get(member.strip())
    return None, None


def classify_share(quantity: str) -> tuple[str | None, str | None, str | None]:
    """(kind, among, member) of a text figure's quantity: kind 'group' (a victim group) or 'form' (a form
    of exploitation); among and member None when the quantity is not such a share; member None when it
    is, but names a group or form with no label.

    >>> classify_share("share of detected victims: adult women")
    ('group', 'all', 'women')
    >>> classify_share("share of detected boys trafficked for forced labour")
    ('form', 'boys', 'forced_labour')
    >>> classify_share("countries covered by the report")
    (None, None, None)
    """
    among, member = _classify(quantity, VICTIM_QUANTITIES, VICTIM_LABELS, VICTIM_IMPLIED)
    if among is not None:
        return "group", among, member
    among, member = _classify(quantity, EXPLOITATION_QUANTITIES, FORM_LABELS, {})
    if among is not None:
        return "form", among, member
    return None, None, None


def page_url(text: str) -> str | None:
    """The page address of a text figure's ``source_url`` cell (None where it holds a note instead)."""
    return text if re.match(r"^https?://", text) else None


SHARE_UNITS = ("percent", "text")

# The text figures' pages are "mostly secondary (news, NGO, library and blog pages reproducing GLOTIP
# findings)"; the UN-hosted ones are on these domains (data/raw/glotip/README.md, "Nature of sources").
UN_HOSTS = ("un.org", "unodc.org", "unvienna.org")


def page_kind(url: str | None) -> str:
    """'UN-hosted page' or 'secondary page (<host>), not a UN publication' for a figure's address.

    >>> page_kind("https://www.unodc.org/x"), page_kind("https://epthinktank.eu/2024/11/28/y")
    ('UN-hosted page', 'secondary page (epthinktank.eu), not a UN publication')
    """
    if url is None:
        return "secondary page without an address, not a UN publication"
    host = re.sub(r"^www\.", "", urlsplit(url).hostname or "")
    if any(host == h or host.endswith("." + h) for h in UN_HOSTS):
        return "UN-hosted page"
    return f"secondary page ({host}), not a UN publication"


def quoted_share_sets(figures: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The text figures that are shares of a victim group ('group') or a form of exploitation ('form'),
    with the columns :func:`partition_sum_ok` needs (as ``published_shares`` gives them), on the index of
    ``figures``. Rows the builder rejects (unknown label, unit other than percent or text) are left out.
    """
    rows: dict[str, list[dict]] = {"group": [], "form": []}
    index: dict[str, list] = {"group": [], "form": []}
    for i, row in zip(figures.index, figures.itertuples(index=False), strict=True):
        kind, among, member = classify_share(str(row.quantity).strip())
        if member is None or row.unit not in SHARE_UNITS:
            continue
        share, _, _ = parse_share(str(row.value))
        rows[kind].append(
            {
                "basis": "published",
                "edition": row.edition,
                "release": None,
                "year_or_period": row.year_or_period,
                "source_url": page_url(str(row.source_url)),
                "among": among,
                kind: member,
                "share": share,
            }
        )
        index[kind].append(i)
    columns = [*SET_KEY, "share"]
    return {
        kind: pd.DataFrame(rows[kind], index=index[kind], columns=[*columns, kind]).astype(
            {"share": "float64"}
        )
        for kind in rows
    }


# -- published shares -----------------------------------------------------------------------------


def _year_of(period: pd.Series) -> pd.Series:
    """The data year where the period is one year ('2018', '2014 (or most recent; ...)'); else missing."""
    m = period.str.extract(r"^(\d{4})(?:\s*\(or most recent[^)]*\))?$", expand=False)
    return m.astype("Int64")


def published_shares(figures: pd.DataFrame, label: str = TEXT_FIGURES) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(victim_shares, exploitation_shares) rows with basis 'published' from the GLOTIP text figures.

    A row whose quantity reads like a share of victims but maps to no known group or form is an error,
    so that no quoted share is silently dropped.
    """
    out = {"group": [], "form": []}
    failures: list[Failure] = []
    for i, row in enumerate(figures.itertuples(index=False)):  # 136 rows: small
        quantity = row.quantity.strip()
        kind, among, member = classify_share(quantity)
        if among is None:
            if re.match(r"share (?:of detected|by form)", quantity):
                failures.append(
                    Failure(label, row_number(i), "quantity", "known share quantity", quantity, "rule")
                )
            continue
        if member is None:
            failures.append(
                Failure(label, row_number(i), "quantity", "known group or form", quantity, "rule")
            )
            continue
        if row.unit not in SHARE_UNITS:
            failures.append(Failure(label, row_number(i), "unit", "percent or text", row.unit, "rule"))
            continue
        share, qualifier, remark = parse_share(row.value, row.quote)
        url = page_url(row.source_url)
        note = f"quantity as given: {quantity}"
        if remark:
            note += f"; value remark: {remark}"
        if url is None:
            note += f"; page: {row.source_url}"
        note += f"; rests on a {page_kind(url)}"
        out[kind].append(
            {
                "basis": "published",
                "edition": row.edition,
                "year": pd.NA,
                "year_or_period": row.year_or_period,
                "among": among,
                kind: member,
                "share": share,
                "qualifier": qualifier,
                "value_as_given": row.value,
                "n_countries": pd.NA,
                "n_victims": pd.NA,
                "release": None,
                "figure_id": row.figure_id,
                "source_id": TEXT_FIGURES,
                "source_url": url,
                "note": note,
            }
        )
    if failures:
        raise DataValidationError(failures)
    frames = []
    for kind in ("group", "form"):
        frame = pd.DataFrame(out[kind], columns=_share_columns(kind))
        frame["year"] = _year_of(frame["year_or_period"].astype("str"))
        frame["share"] = frame["share"].astype("float64")
        frames.append(_note_conflicts(frame, kind))
    return frames[0], frames[1]


def _share_columns(member: str) -> list[str]:
    return [
        "basis",
        "edition",
        "year",
        "year_or_period",
        "among",
        member,
        "share",
        "qualifier",
        "value_as_given",
        "n_countries",
        "n_victims",
        "release",
        "figure_id",
        "source_id",
        "source_url",
        "note",
    ]


def _note_conflicts(frame: pd.DataFrame, member: str) -> pd.DataFrame:
    """Append to ``note`` the other quotations of the same edition, period, among and group/form."""
    if frame.empty:
        return frame
    key = ["edition", "year_or_period", "among", member]
    frame = frame.copy()
    shares = frame.groupby(key, dropna=False)["share"].transform("nunique")
    texts = frame.groupby(key, dropna=False)["value_as_given"].transform("nunique")
    listing = (
        frame.assign(q=frame["figure_id"] + " ('" + frame["value_as_given"] + "')")
        .groupby(key, dropna=False)["q"]
        .transform("; ".join)
    )
    some_words = frame["share"].isna().groupby([frame[k] for k in key], dropna=False).transform("any")
    conflict = (shares > 1) | ((texts > 1) & some_words)
    wording = (texts > 1) & ~conflict
    frame.loc[conflict, "note"] += "; conflicting quotations kept, none preferred: " + listing[conflict]
    frame.loc[wording, "note"] += "; quoted with different wording: " + listing[wording]
    return frame


# -- computed shares ------------------------------------------------------------------------------

SEX_AGE_GROUPS = {
    ("Female", ADULT): "women",
    ("Female", CHILD): "girls",
    ("Male", ADULT): "men",
    ("Male", CHILD): "boys",
}
FORM_OF_CATEGORY = {
    "Sexual exploitation": "sexual_exploitation",
    "Forced labour": "forced_labour",
    OTHER_FORMS: "other_forms",
}


def _computed_rows(
    cells: pd.DataFrame, member: str, members: list[str], definition: str, release: str, source_id: str | None
) -> pd.DataFrame:
    """Shares per year from one row per (iso3, year, member) with columns n_rows, n_numeric, total.

    A country-year enters when every member has at least one row and every row is numeric. No cells (a
    release or a selection without any) give no rows.
    """
    if cells.empty:
        return _computed_frame([], member)
    wide = cells.pivot_table(
        index=["iso3", "year"],
        columns=member,
        values=["n_rows", "n_numeric", "total"],
        aggfunc="sum",
        fill_value=0,
    )
    n_rows = wide["n_rows"].reindex(columns=members, fill_value=0)
    n_numeric = wide["n_numeric"].reindex(columns=members, fill_value=0)
    total = wide["total"].reindex(columns=members, fill_value=0)
    complete = (n_rows > 0).all(axis=1)
    numeric = (n_rows == n_numeric).all(axis=1)
    eligible = complete & numeric
    years = wide.index.get_level_values("year")
    per_year = pd.DataFrame(
        {
            "n_countries": eligible.groupby(years).sum(),
            "left_suppressed": (complete & ~numeric).groupby(years).sum(),
            "left_incomplete": (~complete).groupby(years).sum(),
        }
    )
    sums = total[eligible].groupby(years[eligible.to_numpy()]).sum()
    rows = []
    for year, counts in sums.iterrows():
        denominator = int(counts.sum())
        if denominator == 0:
            continue
        stats = per_year.loc[year]
        note = (
            f"{definition}; countries with every cell numeric: {int(stats['n_countries'])}; left out: "
            f"{int(stats['left_suppressed'])} with a '<5' cell, {int(stats['left_incomplete'])} with a missing cell"
        )
        for name in members:
            rows.append(
                {
                    "basis": "computed",
                    "edition": None,
                    "year": int(year),
                    "year_or_period": str(int(year)),
                    "among": "all",
                    member: name,
                    "share": 100.0 * int(counts[name]) / denominator,
                    "qualifier": None,
                    "value_as_given": None,
                    "n_countries": int(stats["n_countries"]),
                    "n_victims": int(counts[name]),
                    "release": release,
                    "figure_id": None,
                    "source_id": source_id,
                    "source_url": None,
                    "note": note,
                }
            )
    return _computed_frame(rows, member)


def _computed_frame(rows: list[dict], member: str) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=_share_columns(member))
    for column in ("year", "n_countries", "n_victims"):
        frame[column] = frame[column].astype("Int64")
    frame["share"] = frame["share"].astype("float64")
    return frame


def _cell_stats(rows: pd.DataFrame, member: str) -> pd.DataFrame:
    return (
        rows.assign(numeric=rows["value"].notna(), v=rows["value"].fillna(0).astype("int64"))
        .groupby(["iso3", "year", member])
        .agg(n_rows=("numeric", "size"), n_numeric=("numeric", "sum"), total=("v", "sum"))
        .reset_index()
    )


def computed_victim_shares(glotip: pd.DataFrame, release: str = MAIN_RELEASE) -> pd.DataFrame:
    """Per year: women, girls, men and boys as shares of detected victims, over the countries whose four
    Sex x Age cells (Dimension 'Total') are all present and numeric that year."""
    g = glotip[
        (glotip["release"] == release)
        & (glotip["indicator"] == DETECTED)
        & (glotip["dimension"] == "Total")
        & (glotip["category"] == "Total")
        & glotip["sex"].isin(["Female", "Male"])
        & glotip["age"].isin([CHILD, ADULT])
    ]
    if (g["duplicate_seq"] > 1).any():
        raise ValueError("Sex x Age victim cells are not unique")
    g = g.assign(
        group=(g["sex"] + "|" + g["age"]).map({f"{s}|{a}": v for (s, a), v in SEX_AGE_GROUPS.items()})
    )
    definition = "Detected trafficking victims, Dimension Total: Female/Male x 0 to 17 / 18 years or over"
    members = ["women", "girls", "men", "boys"]
    return _computed_rows(_cell_stats(g, "group"), "group", members, definition, release, _source_of(g))


def computed_exploitation_shares(glotip: pd.DataFrame, release: str = MAIN_RELEASE) -> pd.DataFrame:
    """Per year: sexual exploitation, forced labour and other forms as shares of detected victims, over the
    countries with all three forms present and numeric (other forms: the sum of all its rows)."""
    f = glotip[
        (glotip["release"] == release)
        & (glotip["indicator"] == DETECTED)
        & (glotip["dimension"] == "by form of exploitation")
        & (glotip["sex"] == "Total")
        & (glotip["age"] == "Total")
        & glotip["category"].isin(list(FORM_OF_CATEGORY))
    ]
    single = f["category"] != OTHER_FORMS
    if (f.loc[single, "duplicate_seq"] > 1).any():
        raise ValueError("sexual exploitation / forced labour rows are not unique per country-year")
    f = f.assign(form=f["category"].map(FORM_OF_CATEGORY))
    definition = (
        "Detected trafficking victims by form of exploitation, Sex and Age Total; other_forms = sum of the "
        "'Other forms of exploitation' rows"
    )
    members = ["sexual_exploitation", "forced_labour", "other_forms"]
    return _computed_rows(_cell_stats(f, "form"), "form", members, definition, release, _source_of(f))


def _source_of(rows: pd.DataFrame) -> str | None:
    """The source_id of the glotip rows a share is computed from (one release: one source)."""
    ids = rows["source_id"].dropna().unique()
    if len(ids) > 1:
        raise ValueError(f"computed shares mix sources: {sorted(ids)}")
    return str(ids[0]) if len(ids) else None


# -- build ----------------------------------------------------------------------------------------

SHARES_SUM_CHECK = (
    "value: a complete set of shares (one page, GLOTIP report and period) does not add up to 100 within the "
    "source's rounding"
)


def shares_sum_failures(figures: pd.DataFrame, label: str = TEXT_FIGURES) -> list[Failure]:
    """Every quoted share that belongs to a complete set not adding up to 100, at its raw row."""
    sets = quoted_share_sets(figures)
    failures: list[Failure] = []
    for kind, partitions in (("group", VICTIM_PARTITIONS), ("form", EXPLOITATION_PARTITIONS)):
        ok = partition_sum_ok(sets[kind], kind, partitions)
        for index in ok.index[~ok]:
            position = figures.index.get_loc(index)
            failures.append(
                Failure(
                    label,
                    row_number(position),
                    "value",
                    SHARES_SUM_CHECK,
                    figures.loc[index, "value"],
                    "rule",
                )
            )
    return failures


def build(ctx) -> dict[str, pd.DataFrame]:
    figures = ctx.raw(TEXT_FIGURES)
    label = str(ctx.raw_file(TEXT_FIGURES))
    failures = shares_sum_failures(figures, label)
    if failures:
        raise DataValidationError(failures)
    glotip = ctx.outputs["glotip"]
    victims_published, forms_published = published_shares(figures, label)
    victim_shares = pd.concat([victims_published, computed_victim_shares(glotip)], ignore_index=True)
    exploitation_shares = pd.concat(
        [forms_published, computed_exploitation_shares(glotip)], ignore_index=True
    )
    return {
        "victim_shares": _sort_shares(victim_shares, "group"),
        "exploitation_shares": _sort_shares(exploitation_shares, "form"),
    }


def _sort_shares(frame: pd.DataFrame, member: str) -> pd.DataFrame:
    order = ["basis", "edition", "release", "year_or_period", "among", member, "figure_id"]
    return frame.sort_values(order, na_position="first", kind="stable").reset_index(drop=True)
