"""Build the GLOTIP tidy table, ``glotip``, and the rows set aside, ``glotip_quarantine``.

Load: both dataUNODC releases and ``countries``.
Process: pure functions below (each takes and returns DataFrames, vectorised):

* :func:`parse_counts` reads dataUNODC count text ('<5', '1,192', '37').
* :func:`questionnaire_code_mask` finds the corrupted rows by rule.
* :func:`tidy_release` splits one release into kept rows and quarantined rows, resolving duplicate keys.
Save: ``build(ctx)`` returns the two frames; ``tipstats.pipeline`` validates and writes them. The share and
convictions builders (``pipeline/victims.py``, ``pipeline/convictions.py``) read ``glotip`` from here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tipstats.errors import DataValidationError, Failure, row_number
from tipstats.facts import SUPPRESSED_FLAG, SUPPRESSED_TEXT
from tipstats.sources import source_values

RAW_MODEL = "glotip:RawGlotip"
MAIN_RELEASE = "2025-04-14"
NON_COUNTRY_FILE = "glotip_non_country_codes.csv"

RAW_TO_QUARANTINE = {
    "Iso3_code": "iso3_code",
    "Country": "country",
    "Region": "region",
    "Subregion": "subregion",
    "Indicator": "indicator",
    "Dimension": "dimension",
    "Category": "category",
    "Sex": "sex",
    "Age": "age",
    "Year": "year",
    "Unit of measurement": "unit_of_measurement",
    "txtVALUE": "txt_value",
    "Source": "source",
}
RAW_COLUMNS = list(RAW_TO_QUARANTINE)
KEY_RAW = ["Iso3_code", "Indicator", "Dimension", "Category", "Sex", "Age", "Year"]
GLOTIP_COLUMNS = [
    "release",
    "iso3",
    "country",
    "indicator",
    "dimension",
    "category",
    "sex",
    "age",
    "year",
    "value",
    "value_flag",
    "duplicate_seq",
    "source_row",
    "source_id",
]
GLOTIP_SORT = ["release", "iso3", "indicator", "dimension", "category", "sex", "age", "year", "duplicate_seq"]
QUARANTINE_COLUMNS = [
    "release",
    "source_row",
    *RAW_TO_QUARANTINE.values(),
    "reason",
    "detail",
    "duplicate_of",
    "source_id",
]

DETECTED = "Detected trafficking victims"
OTHER_FORMS = "Other forms of exploitation"
CHILD, ADULT = "0 to 17 years", "18 years or over"

# -- counts -------------------------------------------------------------------------------------

# Digits, or digits grouped by thousands separators; at most 18 digits so the count fits an int64.
_NUMBER = r"(?:[0-9]{1,18}|[0-9]{1,3}(?:,[0-9]{3}){1,5})"
COUNT_CHECK = "count: '<5', digits, or digits with thousands separators ('1,192')"


def parse_counts(text: pd.Series) -> pd.DataFrame:
    """Parse dataUNODC count text.

    Returns a frame on the same index with ``value`` (nullable Int64; missing for '<5'), ``value_flag``
    ('suppressed_lt5' for '<5', else missing) and ``valid`` (False for any other text, which callers must
    report as an error: it is never silently missing).

    >>> parse_counts(pd.Series(["<5", "1,192", "37", "n/a"]))["value"].tolist()
    [<NA>, 1192, 37, <NA>]
    """
    s = text.astype("str")
    suppressed = s.eq(SUPPRESSED_TEXT).fillna(False).astype(bool)
    numeric = s.str.fullmatch(_NUMBER).fillna(False).astype(bool)
    digits = s.where(numeric).str.replace(",", "", regex=False)
    value = digits.astype("Int64")
    flag = pd.Series(pd.NA, index=s.index, dtype="str").mask(suppressed, SUPPRESSED_FLAG)
    return pd.DataFrame({"value": value, "value_flag": flag, "valid": numeric | suppressed}, index=s.index)


# -- corrupted rows -------------------------------------------------------------------------------

# A GLOTIP questionnaire item code in Category ('Q6.1_10s_2019'), or a value whose digits are the same
# code run together with a year: '61' + item number (1-2 digits) + year 2000-2049 ('61,102,019',
# '6,112,019'). No country reports millions of persons convicted; these are codes and dates.
QUESTIONNAIRE_CATEGORY = r"Q\d+(?:\.\d+)*_\d+s_\d{4}"
QUESTIONNAIRE_VALUE_DIGITS = r"61\d{1,2}20[0-4]\d"


def _questionnaire_parts(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    category = (
        frame["Category"].astype("str").str.fullmatch(QUESTIONNAIRE_CATEGORY).fillna(False).astype(bool)
    )
    digits = frame["txtVALUE"].astype("str").str.replace(",", "", regex=False)
    value = digits.str.fullmatch(QUESTIONNAIRE_VALUE_DIGITS).fillna(False).astype(bool)
    return category, value


def questionnaire_code_mask(frame: pd.DataFrame) -> pd.Series:
    """True for raw rows whose Category or txtVALUE is a questionnaire code (the documented corruption)."""
    category, value = _questionnaire_parts(frame)
    return category | value


def _questionnaire_detail(category: pd.Series, value: pd.Series) -> pd.Series:
    both = "Category is a questionnaire item code and txtVALUE is an item code run together with a year"
    only_category = "Category is a questionnaire item code"
    only_value = "txtVALUE is a questionnaire item code ('61' + item) run together with a year, not a count"
    out = pd.Series(only_value, index=category.index, dtype="str")
    out = out.mask(category & value, both).mask(category & ~value, only_category)
    return out


# -- one release --------------------------------------------------------------------------------


def _sorted_values(frame: pd.DataFrame, by: list[str]) -> pd.Series:
    """The txtVALUEs of each group, sorted and joined: a multiset fingerprint (one row per group)."""
    ordered = frame.sort_values(by + ["txtVALUE"])
    return ordered.groupby(by, dropna=False)["txtVALUE"].agg("|".join)


def _listed_entries(frame: pd.DataFrame, non_country: pd.DataFrame) -> pd.Series:
    """The reviewed reason for each raw row whose (Iso3_code, Country) is a listed non-country entry."""
    key = frame["Iso3_code"].fillna("") + "\x1f" + frame["Country"].fillna("")
    listed = non_country["code_as_given"].fillna("") + "\x1f" + non_country["country_as_given"].fillna("")
    reasons = pd.Series(non_country["reason"].to_numpy(), index=listed.to_numpy())
    return key.map(reasons[~reasons.index.duplicated()])


def tidy_release(
    raw: pd.DataFrame,
    release: str,
    country_codes: pd.Series | set[str],
    label: str,
    non_country: pd.DataFrame | None = None,
    *,
    source_id: str,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split one raw release into ``glotip`` rows and ``glotip_quarantine`` rows.

    Rules, in this order (a row gets the first that applies):

    1. questionnaire_code: :func:`questionnaire_code_mask`.
    2. no_iso3_code / not_a_country: the (Iso3_code, Country) entry is listed for this release in the
       reviewed ``data/reference/glotip_non_country_codes.csv`` (``non_country``: columns code_as_given,
       country_as_given, reason; the ``countries`` builder checks that the list is exactly the
       entries that are not countries). Any other code not in ``countries`` is an error.
    3. Keys (Iso3, Indicator, Dimension, Category, Sex, Age, Year) that occur more than once:
       'Other forms of exploitation': every row is kept, numbered ``duplicate_seq`` in source order
       (unlabelled sub-forms); Dimension 'Total' sex sub-rows with Age 'Total': every row of the key is
       quarantined (sex_total_repeats_age_groups); otherwise exact copies keep the first row
       (exact_duplicate for the others) and differing values are an error.

    Any count text other than '<5', digits or digits with thousands separators is an error.
    """
    codes = set(country_codes)
    if non_country is None:
        non_country = pd.DataFrame(columns=["code_as_given", "country_as_given", "reason"], dtype="str")
    frame = raw[RAW_COLUMNS].copy()
    frame.index = pd.RangeIndex(len(frame))
    frame["source_row"] = row_number(0) + np.arange(len(frame), dtype="int64")
    failures: list[Failure] = []

    reason = pd.Series(pd.NA, index=frame.index, dtype="str")
    detail = pd.Series(pd.NA, index=frame.index, dtype="str")

    def assign(mask: pd.Series, why: str, words: pd.Series | str) -> None:
        new = mask & reason.isna()
        reason.loc[new] = why
        detail.loc[new] = words if isinstance(words, str) else words[new]

    in_category, in_value = _questionnaire_parts(frame)
    assign(in_category | in_value, "questionnaire_code", _questionnaire_detail(in_category, in_value))
    listed = _listed_entries(frame, non_country)
    code_as_given = frame["Iso3_code"].fillna("")
    assign(
        listed.notna() & code_as_given.eq(""),
        "no_iso3_code",
        "listed in " + NON_COUNTRY_FILE + ": " + listed.fillna(""),
    )
    assign(listed.notna(), "not_a_country", "listed in " + NON_COUNTRY_FILE + ": " + listed.fillna(""))
    unknown = ~frame["Iso3_code"].isin(codes) & reason.isna()
    for i in frame.index[unknown]:
        failures.append(
            Failure(
                label,
                int(frame.at[i, "source_row"]),
                "Iso3_code",
                f"iso3 in countries (or the entry listed in {NON_COUNTRY_FILE})",
                frame.at[i, "Iso3_code"],
                kind="rule",
            )
        )

    live = reason.isna()
    counts = parse_counts(frame["txtVALUE"])
    for i in frame.index[live & ~counts["valid"]]:
        failures.append(
            Failure(
                label,
                int(frame.at[i, "source_row"]),
                "txtVALUE",
                COUNT_CHECK,
                frame.at[i, "txtVALUE"],
                kind="rule",
            )
        )

    # duplicate keys among the rows still live
    live_rows = frame[live]
    size = live_rows.groupby(KEY_RAW, dropna=False)["source_row"].transform("size")
    repeated = live_rows[size > 1]
    is_other = repeated["Category"].eq(OTHER_FORMS).fillna(False)
    is_sex_total = (
        repeated["Dimension"].eq("Total")
        & repeated["Category"].eq("Total").fillna(False)
        & repeated["Sex"].ne("Total")
        & repeated["Age"].eq("Total")
    )
    sex_total = repeated[is_sex_total & ~is_other]
    if len(sex_total):
        person = ["Iso3_code", "Indicator", "Year", "Sex"]
        pairs = _sorted_values(sex_total, person).rename("pair")
        wanted = pd.MultiIndex.from_frame(sex_total[person])
        ages = live_rows[
            live_rows["Dimension"].eq("Total")
            & live_rows["Category"].eq("Total").fillna(False)
            & live_rows["Age"].isin([CHILD, ADULT])
        ]
        ages = ages[pd.MultiIndex.from_frame(ages[person]).isin(wanted)]
        age_values = _sorted_values(ages, person).rename("ages")
        match = pairs.to_frame().join(age_values, how="left")
        same = (match["pair"] == match["ages"]).fillna(False).rename("same")
        same_row = sex_total[person].merge(same.reset_index(), on=person, how="left")["same"].fillna(False)
        same_row.index = sex_total.index
        words = pd.Series(
            "key occurs more than once; the values do not equal this sex's age-group rows",
            index=sex_total.index,
        ).mask(
            same_row.astype(bool),
            "key occurs more than once; the values equal this sex's '0 to 17 years' and '18 years or over' "
            "rows (kept), so none of them is the sex total",
        )
        in_pairs = pd.Series(frame.index.isin(sex_total.index), index=frame.index)
        assign(in_pairs, "sex_total_repeats_age_groups", words.reindex(frame.index))

    rest = repeated[~is_sex_total & ~is_other]
    duplicate_of = pd.Series(pd.NA, index=frame.index, dtype="Int64")
    if len(rest):
        first = rest.groupby(RAW_COLUMNS, dropna=False)["source_row"].transform("first")
        copies = rest[first != rest["source_row"]]
        still = rest.drop(copies.index)
        conflict = still.groupby(KEY_RAW, dropna=False)["source_row"].transform("size") > 1
        for i in still.index[conflict]:
            failures.append(
                Failure(
                    label,
                    int(frame.at[i, "source_row"]),
                    "txtVALUE",
                    "unique key (Iso3, Indicator, Dimension, Category, Sex, Age, Year) or an exact copy",
                    frame.at[i, "txtVALUE"],
                    kind="rule",
                )
            )
        exact = pd.Series(frame.index.isin(copies.index), index=frame.index)
        assign(exact, "exact_duplicate", "exact copy of an earlier row (all fields equal)")
        duplicate_of.loc[copies.index] = first[copies.index].astype("int64").to_numpy()

    if failures:
        raise DataValidationError(failures)

    keep = reason.isna()
    kept = frame[keep]
    out = pd.DataFrame(
        {
            "release": release,
            "iso3": kept["Iso3_code"],
            "country": kept["Country"],
            "indicator": kept["Indicator"],
            "dimension": kept["Dimension"],
            "category": kept["Category"],
            "sex": kept["Sex"],
            "age": kept["Age"],
            "year": kept["Year"].astype("int64"),
            "value": counts.loc[keep, "value"],
            "value_flag": counts.loc[keep, "value_flag"],
            "duplicate_seq": kept.groupby(KEY_RAW, dropna=False).cumcount().astype("int64") + 1,
            "source_row": kept["source_row"].astype("int64"),
            "source_id": source_id,
        }
    )

    dropped = frame[~keep].rename(columns=RAW_TO_QUARANTINE)
    dropped.insert(0, "release", release)
    dropped["reason"] = reason[~keep]
    dropped["detail"] = detail[~keep]
    dropped["duplicate_of"] = duplicate_of[~keep]
    dropped["source_id"] = source_id
    return out[GLOTIP_COLUMNS], dropped[QUARANTINE_COLUMNS]


def glotip_from_raw(
    raws: dict[str, pd.DataFrame],
    country_codes: pd.Series,
    labels: dict[str, str],
    non_country: pd.DataFrame | None = None,
    *,
    source_ids: dict[str, str],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Both releases: (glotip, glotip_quarantine), sorted; all failures of both raised at once.

    ``source_ids`` maps each release to its source_id; ``non_country`` is the reviewed list of
    non-country entries (with a ``source_id`` column).
    """
    kept, dropped, failures = [], [], []
    for release, raw in raws.items():
        listed = None
        if non_country is not None:
            listed = non_country[non_country["source_id"] == source_ids[release]]
        try:
            k, d = tidy_release(
                raw, release, country_codes, labels[release], listed, source_id=source_ids[release]
            )
        except DataValidationError as exc:
            failures += exc.failures
            continue
        kept.append(k)
        dropped.append(d)
    if failures:
        raise DataValidationError(failures)
    glotip = pd.concat(kept, ignore_index=True).sort_values(GLOTIP_SORT, na_position="first", kind="stable")
    quarantine = pd.concat(dropped, ignore_index=True).sort_values(["release", "source_row"], kind="stable")
    return glotip.reset_index(drop=True), quarantine.reset_index(drop=True)


# -- build ----------------------------------------------------------------------------------------


def release_source_ids(registry: pd.DataFrame) -> dict[str, str]:
    """release -> source_id of each dataUNODC release, as the sources registry records them."""
    return {release: sid for sid, release in source_values(registry, "release", raw_model=RAW_MODEL).items()}


def build(ctx) -> dict[str, pd.DataFrame]:
    countries = ctx.outputs["countries"]
    source_ids = release_source_ids(ctx.registry)
    raws = {release: ctx.raw(source_id) for release, source_id in source_ids.items()}
    labels = {release: str(ctx.raw_file(source_id)) for release, source_id in source_ids.items()}
    non_country = ctx.reference(NON_COUNTRY_FILE)
    glotip, quarantine = glotip_from_raw(raws, countries["iso3"], labels, non_country, source_ids=source_ids)
    return {"glotip": glotip, "glotip_quarantine": quarantine}
