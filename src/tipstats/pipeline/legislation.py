"""Build ``legislation``, ``legislation_panel`` and ``legislation_counts``.

* ``legislation``: per country, the calendar year of full criminalisation derived here from Kelley's
  panel (``crim == 1``; fallback: first ``crimlevel == 2``), with ISO3 codes from the derived per-country
  Kelley file (matched on the COW code); plus, as separate rows, the later laws of the 2014-2021 evidence file.
* ``legislation_panel``: Kelley's country-year level, with full criminalisation carried forward to 2014.
* ``legislation_counts``: UNODC's published counts (GLOTIP text figures and A/76/120 paragraph 6).

Every function below except :func:`build` is pure (frames in, frames out).
"""

from __future__ import annotations

import re

import pandas as pd

from tipstats import sources
from tipstats.errors import DataValidationError, Failure, row_number
from tipstats.pipeline.countries import with_country_columns
from tipstats.pipeline.legislation_counts import (
    counts_dataset,
    counts_from_text_figures,
    parse_report_legislation_count,
)
from tipstats.report import MONTH_NUMBERS, REPORT_SUBJECT
from tipstats.schemas.legislation import FLAG_SEPARATOR, KELLEY_LAST_YEAR

# The sources read, asked of the registry by their raw model (the report by its subject).
KELLEY_PANEL_MODEL = "legislation:RawKelleyPanel"
KELLEY_BY_COUNTRY_MODEL = "legislation:RawKelleyByCountry"
KELLEY_FIG63_MODEL = "legislation:RawKelleyFigure63"
EVIDENCE_MODEL = "legislation:RawLegislationEvidence"
TEXT_FIGURES_MODEL = "victims:RawTextFigures"

KELLEY_YARDSTICK = "kelley_full_criminalisation"
EVIDENCE_YARDSTICK = "us_tip_report_law"
# Countries whose level below 2 in 2011 was never updated: their later status is unknown.
KELLEY_UPDATE_YEAR = 2011
# A/76/120 counts legislation "by August 2020" (paragraph 6).
A76120_REFERENCE = (2020, 8)

LEGISLATION_COLUMNS = [
    "iso3",
    "yardstick",
    "country",
    "year",
    "month",
    "year_basis",
    "date_as_given",
    "date_kind",
    "level_at_last_observation",
    "first_year_observed",
    "last_year_observed",
    "law_as_named",
    "assessment_in_source",
    "flags",
    "quote",
    "note",
    "source_id",
    "source_url",
]


def _join_flags(flags: list[str]) -> str | None:
    return FLAG_SEPARATOR.join(flags) if flags else None


def _int(value) -> int | None:
    return None if pd.isna(value) else int(value)


# -- Kelley panel ------------------------------------------------------------------------------


def typed_panel(raw: pd.DataFrame) -> pd.DataFrame:
    """The raw panel with integer columns (nullable where the source has gaps); order kept."""
    out = pd.DataFrame({"country": raw["country"], "ccode": raw["ccode"].astype(int)})
    out["year"] = raw["year"].astype(int)
    for column in ["crimlevel", "adjcrimlevel", "month", "crim"]:
        out[column] = pd.array(pd.to_numeric(raw[column]), dtype="Int64")
    out.index = raw.index
    return out


def find_artefacts(panel: pd.DataFrame) -> pd.Series:
    """Level-2 values that a later, lower level of the same country contradicts.

    Kelley's levels never fall (a full law is not repealed in these data), so a 2 followed by a
    lower value is a coding artefact. In the 2015 file this is Bosnia and Herzegovina's 1967 value.
    """
    flagged = pd.Series(False, index=panel.index)
    for _, group in panel.sort_values(["ccode", "year"]).groupby("ccode"):
        later_min = None  # lowest level observed in any later year
        for index in reversed(group.index):
            value = group.at[index, "crimlevel"]
            if pd.isna(value):
                continue
            if value == 2 and later_min is not None and later_min < 2:
                flagged[index] = True
            later_min = value if later_min is None else min(later_min, value)
    return flagged


def derive_kelley(panel: pd.DataFrame, label: str) -> pd.DataFrame:
    """One row per Kelley country (by COW code): year, month and observation span of full criminalisation.

    Rules: ``year`` is the calendar year with ``crim == 1``; a country with no such event but a
    ``crimlevel == 2`` takes the first year with level 2 (Angola); the month is ``month`` on that year's
    row. Artefacts (see :func:`find_artefacts`) are ignored. Levels come from ``crimlevel``.
    """
    panel = panel.copy()
    panel["artefact"] = find_artefacts(panel)
    panel["level"] = panel["crimlevel"].mask(panel["artefact"])
    failures: list[Failure] = []
    rows = []
    for ccode, group in panel.sort_values(["ccode", "year"]).groupby("ccode", sort=True):
        group = group.set_index("year")
        observed = group["level"].dropna()
        events = group.index[group["crim"].eq(1).fillna(False)]
        flags: list[str] = []
        if len(events) > 1:
            failures += [
                Failure(
                    label,
                    None,
                    "crim",
                    "at most one crim == 1 event per country",
                    f"ccode {ccode}",
                    kind="rule",
                )
            ]
            continue
        full_years = observed.index[observed == 2]
        if len(events) == 1:
            year, basis = int(events[0]), "crim_event"
            if year not in full_years:
                failures.append(
                    Failure(
                        label,
                        None,
                        "crimlevel",
                        "crimlevel == 2 in the crim == 1 year",
                        f"ccode {ccode}",
                        kind="rule",
                    )
                )
        elif len(full_years):
            year, basis = int(full_years.min()), "first_crimlevel_2"
            flags.append("year_from_first_crimlevel_2")
        else:
            year, basis = None, None
        if observed.empty:
            first = last = level_last = None
            flags.append("no_kelley_data")
        else:
            first, last = int(observed.index.min()), int(observed.index.max())
            level_last = int(observed.iloc[-1])
            if level_last < 2:
                flags.append("not_full_at_last_observation")
                if last == KELLEY_UPDATE_YEAR:
                    flags.append("not_updated_after_2011")
        if level_last is not None and level_last < 2 and year is not None:
            failures.append(
                Failure(
                    label,
                    None,
                    "crimlevel",
                    "no fall below 2 after full criminalisation",
                    f"ccode {ccode}",
                    kind="rule",
                )
            )
        if group["artefact"].any():
            flags.append("isolated_1967_level_2_ignored")
        month = None
        if year is not None:
            month = _int(group.at[year, "month"])
            adjusted = group["adjcrimlevel"]
            now, before = adjusted.get(year), adjusted.get(year - 1)
            if pd.notna(now) and pd.notna(before) and now < before:
                flags.append("adjcrimlevel_drops_in_event_year")
        rows.append(
            {
                "ccode": int(ccode),
                "country": group["country"].iloc[0],
                "year": year,
                "month": month,
                "year_basis": basis,
                "level_at_last_observation": level_last,
                "first_year_observed": first,
                "last_year_observed": last,
                "flags": _join_flags(flags),
            }
        )
    if failures:
        raise DataValidationError(failures)
    out = pd.DataFrame(rows)
    for column in ["year", "month", "level_at_last_observation", "first_year_observed", "last_year_observed"]:
        out[column] = pd.array(out[column], dtype="Int64")
    return out


def iso3_by_ccode(by_country: pd.DataFrame) -> pd.DataFrame:
    """COW code -> ISO3 (and Kelley name) from the derived per-country file."""
    return pd.DataFrame(
        {
            "ccode": by_country["ccode_cow"].astype(int),
            "iso3": by_country["iso3"],
            "country_kelley": by_country["country_kelley"],
        }
    )


def attach_iso3(frame: pd.DataFrame, codes: pd.DataFrame, label: str) -> pd.DataFrame:
    """Add ``iso3`` by COW code; a code without ISO3 fails (with the panel's first row of that code)."""
    merged = frame.merge(codes[["ccode", "iso3"]], on="ccode", how="left", validate="many_to_one")
    missing = merged[merged["iso3"].isna()]
    if len(missing):
        raise DataValidationError(
            Failure(label, None, "ccode", "COW code has an ISO3 in kelley_by_country", int(c), kind="rule")
            for c in sorted(missing["ccode"].unique())
        )
    return merged


def kelley_rows(derived: pd.DataFrame, source_id: str) -> pd.DataFrame:
    """The Kelley part of ``legislation`` (derived frame must already carry ``iso3``)."""
    out = derived.copy()
    out["yardstick"] = KELLEY_YARDSTICK
    for column in [
        "date_as_given",
        "date_kind",
        "law_as_named",
        "assessment_in_source",
        "quote",
        "note",
        "source_url",
    ]:
        out[column] = None
    out["source_id"] = source_id
    return out[LEGISLATION_COLUMNS]


# -- 2014-2021 evidence --------------------------------------------------------------------------

_DATE = re.compile(r"(?:(\d{1,2})\s+)?(" + "|".join(MONTH_NUMBERS) + r")\s+(\d{4})", re.IGNORECASE)
_ASSENT = re.compile(
    r"assented\s+(?:(\d{1,2})\s+)?(" + "|".join(MONTH_NUMBERS) + r")?\s*(\d{4})", re.IGNORECASE
)
_PARTIAL = re.compile(r"some forms|partial|not in line|inconsistent", re.IGNORECASE)
_FINES = re.compile(r"fines? in lieu", re.IGNORECASE)


def evidence_year(date_as_given: str, year_as_given: str | None, date_kind: str) -> dict:
    """Year, month, basis and date flags of one evidence row, by one documented rule.

    The rule: the enactment year (enactment, passage, signature into law, penal-code revision: the
    year the row gives). Where the row dates the entry into force ("commencement"), the assent date is
    used if the row also gives one; otherwise the entry-into-force year, flagged. No year is guessed:
    a row dated only by a report period keeps a missing year. The month is the month of a written
    date in the same year.
    """
    flags: list[str] = []
    if year_as_given is None or pd.isna(year_as_given):
        return {"year": None, "month": None, "year_basis": None, "flags": ["year_unknown_period_only"]}
    year = int(year_as_given)
    if date_kind.strip().lower().startswith("commencement"):
        assent = _ASSENT.search(date_as_given)
        if assent:
            assent_year = int(assent.group(3))
            month = MONTH_NUMBERS[assent.group(2).lower()] if assent.group(2) else None
            if assent_year != year:
                flags.append("enactment_and_entry_into_force_years_differ")
            return {"year": assent_year, "month": month, "year_basis": "assent", "flags": flags}
        basis = "entry_into_force"
        flags.append("year_is_entry_into_force")
    else:
        basis = "enactment"
    month = None
    for match in _DATE.finditer(date_as_given):
        if int(match.group(3)) == year:
            month = MONTH_NUMBERS[match.group(2).lower()]
            break
    return {"year": year, "month": month, "year_basis": basis, "flags": flags}


def evidence_rows(raw: pd.DataFrame, kelley: pd.DataFrame, source_id: str) -> pd.DataFrame:
    """The 2014-2021 evidence rows of ``legislation`` (yardstick ``us_tip_report_law``).

    ``kelley`` (the Kelley rows, with ``iso3``) is used only for the flag saying that a law dated
    within Kelley's period (to 2014) is not full in Kelley's coding.
    """
    kelley_level = kelley.set_index("iso3")["level_at_last_observation"]
    rows = []
    for _, src in raw.iterrows():
        parsed = evidence_year(src["date_or_year_as_given"], src["year_as_given"], src["date_kind"])
        flags = list(parsed["flags"])
        assessment = src["us_tip_assessment_in_source"]
        if _PARTIAL.search(assessment):
            flags.append("partial_or_not_in_line_by_us_yardstick")
        if _FINES.search(assessment):
            flags.append("fine_in_lieu_of_prison_allowed")
        year, month = parsed["year"], parsed["month"]
        level = kelley_level.get(src["iso3"])
        if year is not None and year <= KELLEY_LAST_YEAR and pd.notna(level) and level < 2:
            flags.append("dated_within_kelley_period_but_kelley_not_full")
        if year is not None and (year, month or 1) > A76120_REFERENCE:
            flags.append("after_a76120_reference_date")
        rows.append(
            {
                "iso3": src["iso3"],
                "yardstick": EVIDENCE_YARDSTICK,
                "country": src["country"],
                "year": year,
                "month": month,
                "year_basis": parsed["year_basis"],
                "date_as_given": src["date_or_year_as_given"],
                "date_kind": src["date_kind"],
                "level_at_last_observation": None,
                "first_year_observed": None,
                "last_year_observed": None,
                "law_as_named": src["law_as_named_in_source"],
                "assessment_in_source": assessment,
                "flags": _join_flags(flags),
                "quote": src["quote"],
                "note": src["note"],
                "source_id": source_id,
                "source_url": src["source_url"],
            }
        )
    out = pd.DataFrame(rows, columns=LEGISLATION_COLUMNS)
    for column in ["year", "month", "level_at_last_observation", "first_year_observed", "last_year_observed"]:
        out[column] = pd.array(out[column], dtype="Int64")
    return out


# -- panel -------------------------------------------------------------------------------------


def panel_rows(panel: pd.DataFrame, codes: pd.DataFrame, label: str, source_id: str) -> pd.DataFrame:
    """``legislation_panel``: every source row, artefacts set aside, full criminalisation carried forward.

    A country whose last observed level is 2 gets level 2 (``carried_forward``) for every later year to
    2014, replacing empty source rows or adding rows. Lower levels are never carried forward.
    """
    panel = panel.copy()
    panel["artefact"] = find_artefacts(panel)
    out = pd.DataFrame(
        {
            "ccode": panel["ccode"],
            "year": panel["year"],
            "level": panel["crimlevel"].mask(panel["artefact"]),
            "note": None,
        }
    )
    out["value_status"] = out["level"].notna().map({True: "observed", False: "missing"})
    out.loc[panel["artefact"], "note"] = (
        "source crimlevel 2 set aside: isolated value followed by missing years and then by level 0 "
        "(pre-independence artefact)"
    )
    observed = out[out["level"].notna()].sort_values(["ccode", "year"])
    last = observed.groupby("ccode").tail(1)
    carry = last[last["level"] == 2]
    added = []
    for row in carry.itertuples(index=False):
        for year in range(int(row.year) + 1, KELLEY_LAST_YEAR + 1):
            added.append({"ccode": row.ccode, "year": year})
    if added:
        added_frame = pd.DataFrame(added)
        key = out[["ccode", "year"]].merge(added_frame, on=["ccode", "year"], how="left", indicator=True)
        replace = (key["_merge"] == "both").to_numpy()
        out.loc[replace, "level"] = 2
        out.loc[replace, "value_status"] = "carried_forward"
        existing = set(zip(out["ccode"], out["year"], strict=True))
        new = added_frame[
            [(c, y) not in existing for c, y in zip(added_frame["ccode"], added_frame["year"], strict=True)]
        ]
        new = new.assign(level=2, note=None, value_status="carried_forward")
        out = pd.concat([out, new], ignore_index=True)
    out["level"] = pd.array(out["level"], dtype="Int64")
    out = attach_iso3(out, codes, label)
    out["source_id"] = source_id
    out = out[["iso3", "year", "level", "value_status", "note", "source_id"]]
    return out.sort_values(["iso3", "year"]).reset_index(drop=True)


# -- checks ------------------------------------------------------------------------------------


def check_iso3_in_countries(frame: pd.DataFrame, countries: pd.Series, label: str) -> None:
    known = set(countries)
    bad = frame.index[~frame["iso3"].isin(known)]
    if len(bad):
        raise DataValidationError(
            Failure(label, row_number(i), "iso3", "iso3 in countries", frame.at[i, "iso3"], kind="rule")
            for i in bad
        )


def check_against_by_country(derived: pd.DataFrame, by_country: pd.DataFrame, label: str) -> list[Failure]:
    """tipstats' derivation must give the derived file's year of full criminalisation (cross-check)."""
    theirs = by_country.assign(ccode=by_country["ccode_cow"].astype(int)).set_index("ccode")
    failures = []
    for row in derived.itertuples(index=False):
        expected = theirs.at[row.ccode, "year_full_criminalization"]
        expected = None if pd.isna(expected) else int(expected)
        if _int(row.year) != expected:
            failures.append(
                Failure(
                    label,
                    None,
                    "year_full_criminalization",
                    f"equals the panel's ({row.year})",
                    expected,
                    kind="rule",
                )
            )
    return failures


def check_against_figure(derived: pd.DataFrame, figure: pd.DataFrame, label: str) -> list[Failure]:
    """Cumulative crim events per year must equal the book's Figure 6.3 series."""
    events = derived.loc[derived["year_basis"] == "crim_event", "year"].astype(int)
    failures = []
    for i, row in figure.iterrows():
        year, expected = int(row["Year"]), int(row["Criminalized human trafficking"])
        actual = int((events <= year).sum())
        if actual != expected:
            failures.append(
                Failure(
                    label,
                    row_number(i),
                    "Criminalized human trafficking",
                    f"equals the panel's {actual}",
                    expected,
                    kind="rule",
                )
            )
    return failures


def build(ctx) -> dict[str, pd.DataFrame]:
    kelley_panel, kelley_by_country, kelley_fig63, evidence_id, text_figures = (
        sources.source_id(ctx.registry, raw_model=model)
        for model in [
            KELLEY_PANEL_MODEL,
            KELLEY_BY_COUNTRY_MODEL,
            KELLEY_FIG63_MODEL,
            EVIDENCE_MODEL,
            TEXT_FIGURES_MODEL,
        ]
    )
    report_id = sources.source_id(ctx.registry, subject=REPORT_SUBJECT)
    panel_label = str(ctx.raw_file(kelley_panel))
    by_country = ctx.raw(kelley_by_country)
    panel = typed_panel(ctx.raw(kelley_panel))
    codes = iso3_by_ccode(by_country)

    derived = derive_kelley(panel, panel_label)
    failures = check_against_by_country(derived, by_country, str(ctx.raw_file(kelley_by_country)))
    failures += check_against_figure(derived, ctx.raw(kelley_fig63), str(ctx.raw_file(kelley_fig63)))
    if failures:
        raise DataValidationError(failures)
    derived = attach_iso3(derived, codes, panel_label)

    countries = ctx.outputs["countries"]["iso3"]
    evidence_raw = ctx.raw(evidence_id)
    check_iso3_in_countries(codes, countries, str(ctx.raw_file(kelley_by_country)))
    check_iso3_in_countries(evidence_raw, countries, str(ctx.raw_file(evidence_id)))

    kelley = kelley_rows(derived, kelley_panel)
    evidence = evidence_rows(evidence_raw, kelley, evidence_id)
    legislation = pd.concat([kelley, evidence], ignore_index=True)
    legislation = legislation.sort_values(["iso3", "yardstick"]).reset_index(drop=True)

    counts = counts_dataset(
        counts_from_text_figures(ctx.raw(text_figures), str(ctx.raw_file(text_figures)), text_figures),
        ctx.parse_text(report_id, parse_report_legislation_count, report_id),
    )
    return {
        "legislation": legislation,
        "legislation_panel": with_country_columns(
            panel_rows(panel, codes, panel_label, kelley_panel), ctx.outputs["countries"]
        ),
        "legislation_counts": counts,
    }
