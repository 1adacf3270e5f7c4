"""Bad input: every raw CSV of the registry, corrupted in each way a user or an attacker might, must fail the build
clearly (exit 1; file, row, column and value named; no traceback) and leave the output folder as it was.

How the suite is organised
- The files come from the sources registry (``data/reference/sources.csv``), read here with the csv
  module, so a new raw file is covered as soon as it is registered (``test_every_raw_csv_is_covered``).
- Generic corruptions (a column dropped, added or renamed; an empty file; a header only; a truncated
  last line; a byte that is not UTF-8) are derived from each file's own header and its raw model.
- File-specific corruptions (which column holds a count, a date, a share, a country name, the key)
  are in ``FILE_CASES``; where one does not apply to a file, the table says why (``NotApplicable``).
- Each case writes only the corrupted file; every other file of the raw folder is a symbolic link to
  ``data/raw``. The build runs in-process (``tipstats.cli.main``), and ``tipstats.raw`` keeps the
  validated frames of unchanged files (keyed by sha256), so a case costs little more than parsing
  the one corrupted file. Two cases also run the real console script in a subprocess.
- Harmless variations (byte-order mark, other line ends, white space around header names) must build
  and give the same processed bytes: see ``test_harmless_variations_give_identical_output``.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd
import pytest

from tipstats.cli import main
from tipstats.errors import DataValidationError
from tipstats.facts import LATEST_SOURCE_DATE
from tipstats.paths import RAW_DIR, REFERENCE_DIR, REPO_PROCESSED_DIR
from tipstats.publish import MARKER
from tipstats.raw import raw_model, raw_models
from tipstats.sources import read_registry

# -- the registry, read independently of tipstats ------------------------------------------------


def _registry(column: str = "raw_path") -> dict[str, str]:
    with (REFERENCE_DIR / "sources.csv").open(encoding="utf-8", newline="") as handle:
        return {row["source_id"]: row[column] for row in csv.DictReader(handle) if row["raw_path"]}


RAW_PATHS = _registry()
DELIMITERS = {sid: d or "," for sid, d in _registry("delimiter").items()}
RAW_CSVS = {sid: path for sid, path in RAW_PATHS.items() if path.endswith(".csv")}

# "In the future": after the newest date any source can carry (the sources' newest pages date from 2026).
FUTURE_YEAR = str(LATEST_SOURCE_DATE.year + 1)
FUTURE_DATE = f"{FUTURE_YEAR}-01-15"


# -- a raw file as records ---------------------------------------------------------------------


@dataclass(frozen=True)
class RawText:
    header: list[str]
    rows: list[list[str]]
    newline: str  # "\n" or "\r\n", as in the file
    delimiter: str = ","  # as received (the registry's `delimiter`)

    def to_bytes(self, header: list[str] | None = None, rows: list[list[str]] | None = None) -> bytes:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator=self.newline, delimiter=self.delimiter)
        writer.writerow(self.header if header is None else header)
        writer.writerows(self.rows if rows is None else rows)
        return buffer.getvalue().encode("utf-8")

    def column(self, name: str) -> int:
        return self.header.index(name)


@cache
def raw_text(source_id: str) -> RawText:
    data = (RAW_DIR / RAW_CSVS[source_id]).read_bytes()
    text = data.decode("utf-8-sig")
    newline = "\r\n" if "\r\n" in text else "\n"
    delimiter = DELIMITERS[source_id]
    records = list(csv.reader(io.StringIO(text.replace("\r\n", "\n")), delimiter=delimiter))
    records = [r for r in records if r]
    return RawText(records[0], records[1:], newline, delimiter)


def model_columns(source_id: str) -> list[str]:
    """The raw model's column names (the file's headers), in the model's order."""
    return list(raw_model(source_id).to_schema().columns)


# -- corruptions ---------------------------------------------------------------------------------

NOVALUE = object()


@dataclass(frozen=True)
class Expect:
    """What the error message must name. ``row`` is a spreadsheet row (header = row 1)."""

    row: int | None = None
    column: str | None = None
    value: object = NOVALUE


@dataclass(frozen=True)
class NotApplicable:
    reason: str


Where = dict[str, str] | Callable[[dict[str, str]], bool] | None


@dataclass(frozen=True)
class Edit:
    """Change cells of one data row (the first that matches ``where``), or append a changed copy of it.

    ``cells`` maps a column to its new value (or to a function of the old value). The message must
    name the row, the column ``report`` and that column's new value (``report=None``: row only).
    """

    cells: dict[str, str | Callable[[str], str]]
    report: str | None
    where: Where = None
    duplicate: bool = False

    def apply(self, raw: RawText) -> tuple[bytes, Expect]:
        index = find_row(raw, self.where or (lambda r: all(r[c] for c in self.cells)))
        row = list(raw.rows[index])
        for column, new in self.cells.items():
            position = raw.column(column)
            row[position] = new(row[position]) if callable(new) else new
        rows = [list(r) for r in raw.rows]
        if self.duplicate:
            rows.append(row)
            number = len(rows) + 1
        else:
            rows[index] = row
            number = index + 2
        value = row[raw.column(self.report)] if self.report else NOVALUE
        return raw.to_bytes(rows=rows), Expect(number, self.report, value)


def find_row(raw: RawText, where: Where) -> int:
    for index, values in enumerate(raw.rows):
        record = dict(zip(raw.header, values, strict=True))
        if callable(where):
            if where(record):
                return index
        elif all(record[k] == v for k, v in where.items()):
            return index
    raise LookupError(f"no row matches {where!r}")


def missing_column(sid: str, raw: RawText) -> tuple[bytes, Expect]:
    name = next(c for c in model_columns(sid) if c in raw.header)
    keep = [i for i, c in enumerate(raw.header) if c != name]
    pick = lambda values: [values[i] for i in keep]  # noqa: E731
    return raw.to_bytes(pick(raw.header), [pick(r) for r in raw.rows]), Expect(column=name)


def extra_column(sid: str, raw: RawText) -> tuple[bytes, Expect]:
    return raw.to_bytes(raw.header + ["extra_column"], [r + ["x"] for r in raw.rows]), Expect(
        column="extra_column"
    )


def renamed_header(sid: str, raw: RawText) -> tuple[bytes, Expect]:
    name = next(c for c in model_columns(sid) if c in raw.header)
    header = [f"{c}_renamed" if c == name else c for c in raw.header]
    return raw.to_bytes(header=header), Expect(column=name)


def empty_file(sid: str, raw: RawText) -> tuple[bytes, Expect]:
    return b"", Expect()


def header_only(sid: str, raw: RawText) -> tuple[bytes, Expect]:
    return raw.to_bytes(rows=[]), Expect()


def truncated_last_line(sid: str, raw: RawText) -> tuple[bytes, Expect]:
    """The last line cut after the first half of its cells, as an interrupted copy leaves it."""
    last = raw.rows[-1]
    kept = RawText(raw.header, raw.rows[:-1] + [last[: max(1, len(last) // 2)]], raw.newline, raw.delimiter)
    data = kept.to_bytes()
    return data[: -len(raw.newline)], Expect(row=len(raw.rows) + 1)


def non_utf8_bytes(sid: str, raw: RawText) -> tuple[bytes, Expect]:
    """A Latin-1 byte in the first cell of the second data row."""
    marker = "\x00MARK\x00"
    rows = [list(r) for r in raw.rows]
    rows[1][0] = rows[1][0] + marker
    data = raw.to_bytes(rows=rows).replace(marker.encode(), b"\xe9")
    return data, Expect(row=3, column=raw.header[0])


GENERIC: dict[str, Callable[[str, RawText], tuple[bytes, Expect]]] = {
    "missing_column": missing_column,
    "extra_column": extra_column,
    "renamed_header": renamed_header,
    "empty_file": empty_file,
    "header_only": header_only,
    "truncated_last_line": truncated_last_line,
    "non_utf8_bytes": non_utf8_bytes,
}

SPECIFIC = (
    "wrong_type",
    "duplicate_key",
    "unknown_country",
    "date_before_2000",
    "date_in_future",
    "negative_count",
    "share_above_100",
    "shares_not_100",
    "population_zero",
)


def same_precision(date: str) -> Callable[[str], str]:
    """``date`` cut to the precision of the old value ('2020-03' -> month), a full day for an empty cell."""
    return lambda old: date[: len(old)] if old else date


def minus(n: int) -> Callable[[str], str]:
    return lambda old: str(int(old) - n)


NO_COUNT = NotApplicable("no column of counts")
NO_SHARE = NotApplicable("no column of shares")
NO_SHARES = NotApplicable("no group of shares")
NO_COUNTRY = NotApplicable("no country name or code (global figures)")
NO_POPULATION = NotApplicable("no population column")
UNKNOWN_NAME = "Atlantis"  # a name no source uses
UNKNOWN_CODE = "QZQ"  # ISO 3166 user-assigned range: never a country's code


def participants(early: str) -> dict[str, Edit | NotApplicable]:
    return {
        "wrong_type": Edit({"action_date": "21 Aug 2002"}, "action_date"),
        "duplicate_key": Edit({}, "participant", where=lambda r: True, duplicate=True),
        "unknown_country": Edit({"participant": UNKNOWN_NAME}, "participant"),
        "date_before_2000": Edit({"signature_date": early}, "signature_date"),
        "date_in_future": Edit({"action_date": FUTURE_DATE}, "action_date"),
        "negative_count": NO_COUNT,
        "share_above_100": NO_SHARE,
        "shares_not_100": NO_SHARES,
        "population_zero": NO_POPULATION,
    }


def party_counts(count: str) -> dict[str, Edit | NotApplicable]:
    return {
        "wrong_type": Edit({"date": "26/09/2008"}, "date"),
        "duplicate_key": Edit({}, "date", where=lambda r: True, duplicate=True),
        "unknown_country": NotApplicable("counts of parties, no country"),
        "date_before_2000": Edit({"date": "1999-12-31"}, "date"),
        "date_in_future": Edit({"date": FUTURE_DATE}, "date"),
        "negative_count": Edit({count: "-5"}, count, where=lambda r: r[count].isdigit()),
        "share_above_100": NO_SHARE,
        "shares_not_100": NO_SHARES,
        "population_zero": NO_POPULATION,
    }


def evidence(has_dates: bool) -> dict[str, Edit | NotApplicable]:
    # a dated row without a derived deposit date, so that only the date's own checks can catch it (round
    # 2 gives no dates at all: the date is then written into an empty cell, as a user adding one would)
    def dated(r: dict[str, str]) -> bool:
        return bool(r["date_as_given_iso"] or not has_dates) and not r["implied_deposit_date_derived"]

    return {
        "wrong_type": Edit({"date_as_given_iso": "12 Oct 2019"}, "date_as_given_iso", where=dated),
        # several rows per participant by design, but one page's statement of one kind only once
        "duplicate_key": Edit({}, "participant", where=lambda r: True, duplicate=True),
        "unknown_country": Edit({"participant": UNKNOWN_NAME}, "participant"),
        "date_before_2000": Edit(
            {"date_as_given_iso": same_precision("1999-12-31")}, "date_as_given_iso", where=dated
        ),
        "date_in_future": Edit(
            {"date_as_given_iso": same_precision(FUTURE_DATE)}, "date_as_given_iso", where=dated
        ),
        "negative_count": NO_COUNT,
        "share_above_100": NO_SHARE,
        "shares_not_100": NO_SHARES,
        "population_zero": NO_POPULATION,
    }


def us_tip(count: str) -> dict[str, Edit | NotApplicable]:
    return {
        "wrong_type": Edit({count: "n/a"}, count),
        "duplicate_key": Edit({}, "Year", where=lambda r: True, duplicate=True),
        "unknown_country": NO_COUNTRY,
        "date_before_2000": Edit({"Year": "1999"}, "Year"),
        "date_in_future": Edit({"Year": FUTURE_YEAR}, "Year"),
        "negative_count": Edit({count: "-5"}, count),
        "share_above_100": NO_SHARE,
        "shares_not_100": NO_SHARES,
        "population_zero": NO_POPULATION,
    }


def glotip() -> dict[str, Edit | NotApplicable]:
    total = {"Dimension": "Total", "Category": "Total", "Sex": "Total", "Age": "Total"}

    def total_count(r: dict[str, str]) -> bool:
        return all(r[k] == v for k, v in total.items()) and r["txtVALUE"].isdigit() and r["Iso3_code"] != ""

    return {
        "wrong_type": Edit({"txtVALUE": "twelve"}, "txtVALUE", where=total_count),
        # the Total/Total/Total/Total row of a country, indicator and year is unique (README): repeat it
        # with another count, so that it is not an exact duplicate (those the builder quarantines)
        "duplicate_key": Edit(
            {"txtVALUE": lambda v: str(int(v) + 1)}, "txtVALUE", where=total_count, duplicate=True
        ),
        "unknown_country": Edit(
            {"Iso3_code": UNKNOWN_CODE, "Country": UNKNOWN_NAME}, "Country", where=total_count
        ),
        "date_before_2000": Edit({"Year": "1999"}, "Year", where=total_count),
        "date_in_future": Edit({"Year": FUTURE_YEAR}, "Year", where=total_count),
        "negative_count": Edit({"txtVALUE": "-5"}, "txtVALUE", where=total_count),
        "share_above_100": NotApplicable("counts only; shares are computed from them"),
        "shares_not_100": NotApplicable("counts only; shares are computed from them"),
        "population_zero": NO_POPULATION,
    }


def text_figures() -> dict[str, Edit | NotApplicable]:
    def share(r: dict[str, str]) -> bool:
        return r["unit"] == "percent" and r["value"].isdigit()

    def count(r: dict[str, str]) -> bool:
        return r["unit"].startswith(("countries", "persons", "states")) and r["value"].isdigit()

    return {
        "wrong_type": NotApplicable(
            "values are text by design: verbal figures ('one out of three') are kept as written; numeric "
            "ones are checked as shares (share_above_100, shares_not_100) and counts (negative_count)"
        ),
        "duplicate_key": Edit({}, "figure_id", where=lambda r: True, duplicate=True),
        "unknown_country": NO_COUNTRY,
        "date_before_2000": Edit({"year_or_period": "1999"}, "year_or_period", where=share),
        "date_in_future": Edit({"year_or_period": FUTURE_YEAR}, "year_or_period", where=share),
        "negative_count": Edit({"value": "-5"}, "value", where=count),
        "share_above_100": Edit({"value": "104"}, "value", where=share),
        # GLOTIP 2020's sex and age shares for 2004 (women, men, girls, boys) are a complete set:
        # 20 points off one of them is far beyond rounding, and keeps the share within 0-100
        "shares_not_100": Edit({"value": minus(20)}, "value", where={"figure_id": "g20_sexage_women_2004"}),
        "population_zero": NO_POPULATION,
    }


def _wb_aggregates() -> set[str]:
    with (REFERENCE_DIR / "wb_aggregates.csv").open(encoding="utf-8", newline="") as handle:
        return {row["code"] for row in csv.DictReader(handle)}


def population() -> dict[str, Edit | NotApplicable]:
    def country(r: dict[str, str]) -> bool:
        return r["Country Code"] not in _wb_aggregates()

    return {
        "wrong_type": Edit({"Value": "about 55 thousand"}, "Value", where=country),
        "duplicate_key": Edit({}, "Country Code", where=country, duplicate=True),
        "unknown_country": Edit({"Country Name": UNKNOWN_NAME, "Country Code": UNKNOWN_CODE}, "Country Name"),
        # the World Bank series start in 1960
        "date_before_2000": Edit({"Year": "1959"}, "Year", where=country),
        "date_in_future": Edit({"Year": FUTURE_YEAR}, "Year", where=country),
        "negative_count": Edit({"Value": "-5"}, "Value", where=country),
        "share_above_100": NO_SHARE,
        "shares_not_100": NO_SHARES,
        "population_zero": Edit({"Value": "0"}, "Value", where=country),
    }


FILE_CASES: dict[str, dict[str, Edit | NotApplicable]] = {
    "untc_tip_2018": participants("1999-12-12"),
    "untc_som_2018": participants("1999-12-12"),
    "untc_untoc_2014": participants("1999-12-12"),
    "tip_party_counts": party_counts("parties"),
    "tip_party_counts_2018_2024": party_counts("parties"),
    "tip_evidence": evidence(has_dates=True),
    "tip_evidence_five_states": evidence(has_dates=False),
    "kelley_panel": {
        "wrong_type": Edit({"year": "1967.0"}, "year"),
        "duplicate_key": Edit({}, "ccode", where=lambda r: True, duplicate=True),
        "unknown_country": Edit({"country": UNKNOWN_NAME}, "country"),
        # the panel runs 1967-2014 (legislation README)
        "date_before_2000": Edit({"year": "1966"}, "year", where=lambda r: r["year"] == "1967"),
        "date_in_future": Edit({"year": FUTURE_YEAR}, "year"),
        "negative_count": NotApplicable("levels 0-2, not counts"),
        "share_above_100": NO_SHARE,
        "shares_not_100": NO_SHARES,
        "population_zero": NO_POPULATION,
    },
    "kelley_by_country": {
        "wrong_type": Edit({"year_full_criminalization": "2008/09"}, "year_full_criminalization"),
        "duplicate_key": Edit({}, "iso3", where=lambda r: True, duplicate=True),
        "unknown_country": Edit({"country_kelley": UNKNOWN_NAME}, "country_kelley"),
        "date_before_2000": Edit({"year_full_criminalization": "1966"}, "year_full_criminalization"),
        "date_in_future": Edit({"year_full_criminalization": FUTURE_YEAR}, "year_full_criminalization"),
        "negative_count": NotApplicable("years and levels, not counts"),
        "share_above_100": NO_SHARE,
        "shares_not_100": NO_SHARES,
        "population_zero": NO_POPULATION,
    },
    "kelley_fig6_3": {
        "wrong_type": Edit({"Criminalized human trafficking": "four"}, "Criminalized human trafficking"),
        "duplicate_key": Edit({}, "Year", where=lambda r: True, duplicate=True),
        "unknown_country": NO_COUNTRY,
        "date_before_2000": Edit({"Year": "1999"}, "Year"),
        "date_in_future": Edit({"Year": FUTURE_YEAR}, "Year"),
        "negative_count": Edit({"Criminalized human trafficking": "-5"}, "Criminalized human trafficking"),
        "share_above_100": NO_SHARE,
        "shares_not_100": NO_SHARES,
        "population_zero": NO_POPULATION,
    },
    "legislation_evidence_2014_2021": {
        "wrong_type": Edit({"year_as_given": "July 2016"}, "year_as_given"),
        "duplicate_key": Edit({}, "iso3", where=lambda r: True, duplicate=True),
        "unknown_country": Edit({"country": UNKNOWN_NAME}, "country"),
        "date_before_2000": Edit({"year_as_given": "1999"}, "year_as_given"),
        "date_in_future": Edit({"year_as_given": FUTURE_YEAR}, "year_as_given"),
        "negative_count": NO_COUNT,
        "share_above_100": NO_SHARE,
        "shares_not_100": NO_SHARES,
        "population_zero": NO_POPULATION,
    },
    "glotip_2025": glotip(),
    "glotip_2023": glotip(),
    "glotip_text_figures": text_figures(),
    "us_tip_law_enforcement": us_tip("Convictions"),
    "us_tip_law_enforcement_2022_2023": us_tip("Convictions"),
    "wb_population": population(),
    "unsd_m49": {
        "wrong_type": Edit({"M49 Code": "4"}, "M49 Code"),  # codes are zero-padded to three digits
        "duplicate_key": Edit({}, "M49 Code", where=lambda r: True, duplicate=True),
        "unknown_country": NotApplicable("the table defines the codes; it lists areas no other source has"),
        "date_before_2000": NotApplicable("no dates"),
        "date_in_future": NotApplicable("no dates"),
        "negative_count": NO_COUNT,
        "share_above_100": NO_SHARE,
        "shares_not_100": NO_SHARES,
        "population_zero": NO_POPULATION,
    },
    "unvtf_figures": {
        "wrong_type": Edit({"value": "4,8"}, "value", where={"unit": "USD million"}),
        # the same quantity and date may come from two pages (rows 37-38), but not twice from one page
        "duplicate_key": Edit({}, "quantity", where=lambda r: True, duplicate=True),
        "unknown_country": NO_COUNTRY,
        # the Trust Fund was set up in 2010 (trust_fund README: figures 2010-2023)
        "date_before_2000": Edit({"fiscal_year_or_date": "1999-12-31"}, "fiscal_year_or_date"),
        "date_in_future": Edit({"fiscal_year_or_date": FUTURE_DATE}, "fiscal_year_or_date"),
        "negative_count": Edit({"value": "-5"}, "value", where={"unit": "projects"}),
        "share_above_100": NO_SHARE,
        "shares_not_100": NO_SHARES,
        "population_zero": NO_POPULATION,
    },
}


def cases() -> list:
    params = []
    for sid in sorted(RAW_CSVS):
        for name in GENERIC:
            params.append(pytest.param(sid, name, id=f"{sid}-{name}"))
        for name, case in FILE_CASES.get(sid, {}).items():
            if isinstance(case, Edit):
                params.append(pytest.param(sid, name, id=f"{sid}-{name}"))
    return params


def corrupt(sid: str, name: str) -> tuple[bytes, Expect]:
    raw = raw_text(sid)
    if name in GENERIC:
        return GENERIC[name](sid, raw)
    case = FILE_CASES[sid][name]
    assert isinstance(case, Edit)
    return case.apply(raw)


# -- running a build on a raw folder ----------------------------------------------------------------


def raw_folder(target: Path, replace: dict[str, bytes]) -> Path:
    """A raw folder whose files are links to ``data/raw``, except the ones in ``replace`` (written)."""
    for path in sorted(RAW_DIR.rglob("*")):
        if not path.is_file():
            continue
        relative = path.relative_to(RAW_DIR).as_posix()
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        if relative in replace:
            destination.write_bytes(replace[relative])
        else:
            destination.symlink_to(path)
    return target


def run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, out.getvalue(), err.getvalue()


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def previous_output(tmp_path) -> Path:
    """An output folder that already holds something: the last good build, marked as one."""
    out = tmp_path / "out"
    (out / "nested").mkdir(parents=True)
    (out / MARKER).write_text("an earlier build\n")
    (out / "population.csv").write_bytes(b"iso3,year,population,source_id\nABW,2000,1,wb_population\n")
    (out / "nested" / "keep.txt").write_bytes(b"kept\n")
    return out


def message_block(err: str, file: str) -> list[str]:
    """The table lines printed under ``file`` (see ``tipstats.cli._print_failures``)."""
    lines = err.splitlines()
    block: list[str] = []
    for i, line in enumerate(lines):
        if line == f"  {file}":
            for following in lines[i + 1 :]:
                if not following.startswith("    "):
                    break
                block.append(following)
    return block


def shown(value: object) -> str:
    return repr(value) if isinstance(value, str) else str(value)


def assert_reported(err: str, file: str, expect: Expect) -> None:
    assert "Traceback" not in err
    block = message_block(err, file)
    assert block, f"the message does not name {file}:\n{err}"
    if expect.row is None and expect.column is None and expect.value is NOVALUE:
        return
    for line in block[1:]:
        cells = line.split()
        if expect.row is not None and cells[0] != str(expect.row):
            continue
        # a processed column traced back to its raw row may differ in case ('year' for 'Year')
        if expect.column is not None and expect.column.lower() not in line.lower():
            continue
        # a key of several columns shows its values together ('ABW, 1960')
        if expect.value is not NOVALUE and str(expect.value) not in line:
            continue
        return
    pytest.fail(
        f"no failure names row {expect.row}, column {expect.column!r}, value {expect.value!r}:\n{err}"
    )


# -- the tests ------------------------------------------------------------------------------------


def test_every_raw_csv_is_covered():
    """Every raw CSV of the registry has a raw model and a row in the corruption table, and the table
    names every file-specific corruption for every file (a case, or the reason it does not apply)."""
    on_disk = {p.relative_to(RAW_DIR).as_posix() for p in RAW_DIR.rglob("*.csv")}
    assert set(RAW_CSVS.values()) == on_disk
    assert set(RAW_CSVS) == set(raw_models(read_registry()))
    assert set(FILE_CASES) == set(RAW_CSVS)
    for sid, table in FILE_CASES.items():
        assert set(table) == set(SPECIFIC), sid
    exercised = {p.values[0] for p in cases()}
    assert exercised == set(RAW_CSVS)
    # the list, each exercised on at least one file
    kinds = {p.values[1] for p in cases()}
    assert kinds == set(GENERIC) | set(SPECIFIC)


def test_corruption_helpers_change_what_they_say():
    """The corruption helpers, checked on a hand-made file."""
    raw = RawText(["a", "b", "c"], [["1", "x", "2000"], ["2", "y", "2001"]], "\n")
    data, expect = Edit({"c": "1999"}, "c", where={"a": "2"}).apply(raw)
    assert data == b"a,b,c\n1,x,2000\n2,y,1999\n" and expect == Expect(3, "c", "1999")
    data, expect = Edit({"b": "z"}, "a", where=lambda r: True, duplicate=True).apply(raw)
    assert data.endswith(b"2,y,2001\n1,z,2000\n") and expect == Expect(4, "a", "1")
    data, expect = truncated_last_line("x", RawText(["a", "b", "c", "d"], [["1", "2", "3", "4"]] * 2, "\r\n"))
    assert data == b"a,b,c,d\r\n1,2,3,4\r\n1,2" and expect.row == 3
    data, expect = non_utf8_bytes("x", raw)
    assert data == b"a,b,c\n1,x,2000\n2\xe9,y,2001\n" and expect == Expect(3, "a")


def reported(exc) -> str:
    """The failures as the CLI prints them."""
    from tipstats.cli import _print_failures

    stream = io.StringIO()
    _print_failures(exc, stream=stream)
    return stream.getvalue()


@pytest.mark.parametrize(("source_id", "corruption"), cases())
def test_bad_input_is_reported_with_file_row_column_and_value(tmp_path, real_build, source_id, corruption):
    """Every corruption of every raw CSV, validated and built as `tipstats build` does; only the subjects
    the corrupted file reaches are rebuilt (the others are the session's real build)."""
    data, expect = corrupt(source_id, corruption)
    raw_path = RAW_CSVS[source_id]
    assert data != (RAW_DIR / raw_path).read_bytes()
    raw = raw_folder(tmp_path / "raw", {raw_path: data})
    exc = real_build.rebuild_with(raw, source_id)
    assert exc is not None, f"{source_id}: {corruption} passed the build"
    assert_reported(reported(exc), str(raw / raw_path), expect)


def one_case_per_corruption() -> list:
    first: dict[str, object] = {}
    for param in cases():
        first.setdefault(param.values[1], param)
    return list(first.values())


@pytest.mark.parametrize(("source_id", "corruption"), one_case_per_corruption())
def test_bad_input_through_the_cli_fails_clearly_and_changes_nothing(
    tmp_path, previous_output, source_id, corruption
):
    """Each kind of corruption once through the whole command: exit 1, the file, row, column and value
    named, no traceback, the previous output untouched and no staging folder left."""
    data, expect = corrupt(source_id, corruption)
    raw_path = RAW_CSVS[source_id]
    raw = raw_folder(tmp_path / "raw", {raw_path: data})
    before = snapshot(previous_output)

    code, out, err = run_cli("build", "--raw-dir", raw, "--out-dir", previous_output)

    assert code == 1, f"exit {code}\n{out}\n{err}"
    assert "Traceback" not in err
    assert_reported(err, str(raw / raw_path), expect)
    assert "Nothing was written" in err
    assert snapshot(previous_output) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "raw"]  # no staging folder left behind


@pytest.mark.parametrize(
    ("source_id", "corruption"),
    [
        ("tip_evidence", "unknown_country"),
        ("wb_population", "population_zero"),
        ("kelley_panel", "duplicate_key"),
        ("glotip_text_figures", "shares_not_100"),
    ],
)
def test_rebuilding_only_the_subjects_a_file_reaches_reports_what_the_cli_reports(
    tmp_path, real_build, source_id, corruption
):
    """The suite's shortcut (subjects the corrupted file does not reach are not rebuilt) gives exactly the
    failures of a full `tipstats build`."""
    data, _ = corrupt(source_id, corruption)
    raw = raw_folder(tmp_path / "raw", {RAW_CSVS[source_id]: data})
    code, _, err = run_cli("build", "--raw-dir", raw, "--out-dir", tmp_path / "out")
    assert code == 1
    assert err.startswith(reported(real_build.rebuild_with(raw, source_id)))


def test_the_subjects_a_file_reaches_follow_the_datasets_they_read(real_build):
    """The shortcut's map of reads, checked on facts of the pipeline: population feeds convictions,
    the dataUNODC table feeds the tidy table and, through it, shares and convictions."""
    assert {"population", "convictions"} <= set(real_build.affected_subjects("wb_population"))
    glotip = real_build.affected_subjects("glotip_2025")
    assert {"glotip", "victims", "convictions"} <= set(glotip)
    assert "treaty" not in real_build.affected_subjects("unvtf_figures")


# two cases through the real console script: exit code and no traceback, without and with --debug


def _console_script() -> list[str]:
    script = Path(sys.executable).with_name("tipstats")
    return [str(script)] if script.exists() else [sys.executable, "-m", "tipstats"]


@pytest.mark.parametrize("debug", [[], ["--debug"]], ids=["plain", "debug"])
def test_console_script_exit_code_and_no_traceback(tmp_path, previous_output, debug):
    sid = "wb_population"
    data, expect = FILE_CASES[sid]["negative_count"].apply(raw_text(sid))
    raw = raw_folder(tmp_path / "raw", {RAW_CSVS[sid]: data})
    before = snapshot(previous_output)
    done = subprocess.run(
        [*_console_script(), *debug, "build", "--raw-dir", str(raw), "--out-dir", str(previous_output)],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr  # a data failure is not a crash, with or without --debug
    assert_reported(done.stderr, str(raw / RAW_CSVS[sid]), expect)
    assert snapshot(previous_output) == before


def test_debug_shows_the_traceback_of_a_crash_and_plain_mode_hides_it(tmp_path, monkeypatch):
    """--debug is for crashes (bugs), not for data failures: plain mode prints one line and exits 2."""
    import tipstats.pipeline

    def crash(*args, **kwargs):
        raise TypeError("a bug")

    monkeypatch.setattr(tipstats.pipeline, "build", crash)
    code, _, err = run_cli("build", "--out-dir", tmp_path / "out")
    assert code == 2 and "TypeError: a bug" in err and "Traceback" not in err and "--debug" in err
    with pytest.raises(TypeError, match="a bug"):
        run_cli("--debug", "build", "--out-dir", tmp_path / "out")
    with pytest.raises(TypeError, match="a bug"):
        run_cli("build", "--debug", "--out-dir", tmp_path / "out")


# -- harmless variations -------------------------------------------------------------------------


def with_bom(data: bytes) -> bytes:
    """A byte-order mark added, or taken away from a file received with one."""
    return data[3:] if data.startswith(b"\xef\xbb\xbf") else b"\xef\xbb\xbf" + data


def swap_line_ends(data: bytes) -> bytes:
    return data.replace(b"\r\n", b"\n") if b"\r\n" in data else data.replace(b"\n", b"\r\n")


def padded_header(data: bytes, delimiter: str = ",") -> bytes:
    """White space around every header name (the data lines are left byte for byte)."""
    bom = data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    end = text.index("\n") + 1
    newline = "\r\n" if text[:end].endswith("\r\n") else "\n"
    names = next(csv.reader(io.StringIO(text[:end]), delimiter=delimiter))
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=newline, delimiter=delimiter).writerow([f" {n}  " for n in names])
    return (b"\xef\xbb\xbf" if bom else b"") + (buffer.getvalue() + text[end:]).encode("utf-8")


VARIATIONS = {"bom": with_bom, "line_ends": swap_line_ends, "header_whitespace": padded_header}


def _varied(variation: str, sid: str) -> bytes:
    data = (RAW_DIR / RAW_CSVS[sid]).read_bytes()
    vary = VARIATIONS[variation]
    return vary(data, DELIMITERS[sid]) if vary is padded_header else vary(data)


def test_variation_helpers_on_a_small_file():
    assert with_bom(b"a\n1\n") == b"\xef\xbb\xbfa\n1\n" and with_bom(b"\xef\xbb\xbfa\n") == b"a\n"
    assert swap_line_ends(b"a\r\n1\r\n") == b"a\n1\n" and swap_line_ends(b"a\n1\n") == b"a\r\n1\r\n"
    assert padded_header(b'"a","b"\r\n"1","2"\r\n') == b' a  , b  \r\n"1","2"\r\n'


@pytest.mark.parametrize("variation", sorted(VARIATIONS))
def test_each_variation_reads_as_the_same_text(tmp_path, variation):
    """Per file (cheap): the tolerant reader gives the same text frame for the varied bytes."""
    from tipstats.io import read_raw_csv

    for sid, raw_path in sorted(RAW_CSVS.items()):
        original = RAW_DIR / raw_path
        varied = tmp_path / f"{sid}.csv"
        delimiter = DELIMITERS[sid]
        varied.write_bytes(_varied(variation, sid))
        assert varied.read_bytes() != original.read_bytes()
        pd.testing.assert_frame_equal(
            read_raw_csv(varied, sid, delimiter=delimiter), read_raw_csv(original, sid, delimiter=delimiter)
        )


@pytest.fixture(scope="session")
def reference_build(tmp_path_factory) -> Path:
    """The build from data/raw that test_reliability.py also uses (made once, shared by the workers)."""
    from test_reliability import shared_build

    return shared_build(tmp_path_factory, "1")


@pytest.mark.slow
@pytest.mark.parametrize("variation", sorted(VARIATIONS))
def test_harmless_variations_give_identical_output(tmp_path, reference_build, variation):
    """Every raw CSV varied at once: the build succeeds and writes the same bytes as from data/raw."""
    replace = {p: _varied(variation, sid) for sid, p in RAW_CSVS.items()}
    raw = raw_folder(tmp_path / "raw", replace)
    out = tmp_path / "out"
    code, _, err = run_cli("build", "--raw-dir", raw, "--out-dir", out)
    assert code == 0, err
    assert "Traceback" not in err
    built = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    expected = {p.relative_to(reference_build).as_posix(): p.read_bytes() for p in reference_build.rglob("*")}
    assert built.keys() == expected.keys()
    for name in sorted(built):
        assert built[name] == expected[name], name
    # the changed bytes are reported as a warning (integrity), not as a failure
    assert "warning:" in err and "sha256" in err


# -- the folders as a whole: files the registry does not know, the processed descriptor ---------------


@pytest.mark.slow
def test_a_raw_file_the_registry_does_not_know_is_a_build_warning_and_a_validate_failure(tmp_path):
    raw = raw_folder(tmp_path / "raw", {})
    stray = raw / "glotip" / "data_glotip_2026-01-01.csv"  # a user adding a year of data
    stray.write_bytes(b"Iso3_code,txtVALUE\nFRA,1\n")
    code, out, err = run_cli("build", "--raw-dir", raw, "--out-dir", tmp_path / "out")
    assert code == 0 and f"warning: {stray}: not known to the sources registry" in err
    assert "data_glotip_2026-01-01.csv.meta.yml" in err and "make_sources_registry.py --refresh" in err
    code, out, _ = run_cli("validate", "--raw-dir", raw, "--processed-dir", tmp_path / "out")
    assert code == 1 and "does not know" in out and str(stray) in out
    assert (
        out.count("\n  /") == 1
    )  # the one stray file, and nothing else (origin records and READMEs are known)


def _processed_copy(target: Path) -> Path:
    shutil.copytree(REPO_PROCESSED_DIR, target)
    return target


@pytest.mark.parametrize("damage", ["truncated descriptor", "deleted descriptor", "edited dataset"])
def test_validate_checks_the_processed_folder_against_its_descriptor(tmp_path, damage):
    processed = _processed_copy(tmp_path / "processed")
    descriptor = processed / "datapackage.json"
    if damage == "truncated descriptor":
        descriptor.write_bytes(descriptor.read_bytes()[:500])
        named = str(descriptor)
    elif damage == "deleted descriptor":
        descriptor.unlink()
        named = str(descriptor)
    else:
        population = processed / "population.csv"
        population.write_bytes(population.read_bytes().replace(b"\n", b"\n\n", 1)[:-1] + b"\n")
        named = str(population)
    code, out, _ = run_cli("validate", "--processed-dir", processed)
    assert code == 1 and "descriptor (datapackage.json)" in out and f"  {named}\n" in out


def test_a_truncated_descriptor_breaks_loading_with_an_error_that_names_it(tmp_path, monkeypatch):
    from tipstats import loaders

    processed = _processed_copy(tmp_path / "processed")
    descriptor = processed / "datapackage.json"
    descriptor.write_bytes(descriptor.read_bytes()[:500])
    monkeypatch.setenv("TIPSTATS_DATA_DIR", str(processed))
    loaders._load_validated.cache_clear()
    with pytest.raises(ValueError, match=re.escape(str(descriptor))):
        loaders.load("population")


def test_every_problem_is_listed_at_once_model_and_rule_failures_in_two_files(tmp_path):
    """Three faults in two files: a date out of range and an unknown country in one, a bad count in the other.

    The raw models fail two rows; the treaty builder's own rules still run on the rows that passed, so
    the unknown country is listed in the same report, and nothing is written.
    """
    from tipstats.pipeline import build

    evidence = "treaty/tip_protocol_post2017_evidence.csv"
    counts = "treaty/tip_protocol_party_counts.csv"
    ev_lines = (RAW_DIR / evidence).read_bytes().decode("utf-8").splitlines(keepends=True)
    assert ev_lines[1].startswith("Bangladesh,entry_into_force_date,") and ",2019-10-12," in ev_lines[1]
    ev_lines[1] = ev_lines[1].replace(",2019-10-12,", ",1999-10-12,", 1)  # before the Protocol existed
    assert ev_lines[2].startswith("Bangladesh,statement,")
    ev_lines[2] = ev_lines[2].replace("Bangladesh", "Atlantis", 1)  # a country nobody knows
    count_lines = (RAW_DIR / counts).read_bytes().decode("utf-8").splitlines(keepends=True)
    assert count_lines[1].startswith("2008-09-26,124,")
    count_lines[1] = count_lines[1].replace(",124,", ",-124,", 1)  # a negative number of parties
    raw = raw_folder(
        tmp_path / "raw",
        {evidence: "".join(ev_lines).encode("utf-8"), counts: "".join(count_lines).encode("utf-8")},
    )
    out = tmp_path / "out"
    with pytest.raises(DataValidationError) as info:
        build(raw_dir=raw, out_dir=out)
    found = {(Path(f.file).name, f.row, f.column, str(f.value)) for f in info.value.failures}
    assert ("tip_protocol_post2017_evidence.csv", 2, "date_as_given_iso", "1999-10-12") in found
    assert ("tip_protocol_party_counts.csv", 2, "parties", "-124") in found
    unknown = [f for f in info.value.failures if str(f.value) == "Atlantis"]
    assert (
        unknown and Path(unknown[0].file).name == "tip_protocol_post2017_evidence.csv" and unknown[0].row == 3
    )
    assert not out.exists()  # all or nothing


def _reference_copy(target: Path, edit: Callable[[list[list[str]]], None]) -> Path:
    """``data/reference`` copied to ``target`` with ``sources.csv`` rows edited in place (header is rows[0])."""
    shutil.copytree(REFERENCE_DIR, target)
    with open(target / "sources.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    edit(rows)
    with open(target / "sources.csv", "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return target


def test_the_sources_registry_is_validated_and_reported_at_its_rows(tmp_path, previous_output):
    def damage(rows):
        header = rows[0]
        rows[3][header.index("licence")] = ""  # a blank required cell (spreadsheet row 4)
        # a repeated id: spreadsheet rows 3 and the last
        rows[-1][header.index("source_id")] = rows[2][header.index("source_id")]

    reference = _reference_copy(tmp_path / "reference", damage)
    before = snapshot(previous_output)
    for command in (["build", "--out-dir", previous_output], ["validate"]):
        code, out, err = run_cli(*command, "--reference-dir", reference)
        text = out + err
        assert code == 1, text
        assert "internal error" not in text and "Traceback" not in text
        lines = message_block(text, str(reference / "sources.csv"))
        assert any(re.match(r"\s*4\s+licence\b", line) for line in lines), lines
        assert [line.split()[0] for line in lines if "value is unique" in line] == [
            "3",
            str(len(rows_of(reference))),
        ], lines
    assert snapshot(previous_output) == before


@pytest.mark.parametrize(
    ("edit", "line", "check"),
    [
        (lambda text: "", None, "has text"),
        (
            lambda text: text.replace("169 countries had adopted", "1690 countries had adopted"),
            "paragraph 6",
            "cannot exceed",
        ),
        (
            lambda text: text.replace("the following 48 Member States", "the following 47 Member States"),
            "paragraph 7",
            "lists 48 names, but says 47",
        ),
    ],
    ids=["emptied", "count_above_assessed", "list_length"],
)
def test_the_report_text_is_an_input_reported_at_the_file_and_its_line(
    tmp_path, previous_output, edit, line, check
):
    from tipstats.report import paragraph_line, report_text

    text = report_text()
    changed = edit(text)
    assert changed != text
    raw = raw_folder(tmp_path / "raw", {"report/A-76-120.txt": changed.encode("utf-8")})
    before = snapshot(previous_output)
    code, out, err = run_cli("build", "--raw-dir", raw, "--out-dir", previous_output)
    assert code == 1, out + err
    lines = message_block(out + err, str(raw / "report" / "A-76-120.txt"))
    assert any(check in entry for entry in lines), lines
    if line is not None:  # at the line its paragraph starts on, not at a processed dataset's row
        expected = paragraph_line(text, int(line.split()[1]))
        assert any(entry.split()[0] == str(expected) for entry in lines if check in entry), lines
    assert "(processed)" not in out + err
    assert snapshot(previous_output) == before


def rows_of(reference: Path) -> list[list[str]]:
    with open(reference / "sources.csv", newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


# -- meaning, not only form: rules that a source gives -------------------------------------------

PARTICIPANTS = "treaty/tip_protocol_participants.csv"
EVIDENCE = "treaty/tip_protocol_post2017_evidence.csv"
COUNTS = "treaty/tip_protocol_party_counts.csv"
LATER_COUNTS = "treaty/tip_protocol_party_counts_2018_2024.csv"


def _edited_lines(path: str, edits: dict[int, tuple[str, str]], append: str = "") -> bytes:
    """The raw file with ``old`` replaced by ``new`` on each spreadsheet row (asserting it is there)."""
    lines = (RAW_DIR / path).read_bytes().decode("utf-8").splitlines(keepends=True)
    for row, (old, new) in edits.items():
        assert old in lines[row - 1], (path, row, lines[row - 1])
        lines[row - 1] = lines[row - 1].replace(old, new, 1)
    return ("".join(lines) + append).encode("utf-8")


def _failures_of(tmp_path, replace: dict[str, bytes]) -> list:
    from tipstats.pipeline import build

    out = tmp_path / "out"
    with pytest.raises(DataValidationError) as info:
        build(raw_dir=raw_folder(tmp_path / "raw", replace), out_dir=out)
    assert not out.exists()
    return info.value.failures


def _at(failures, file: str, row: int, column: str, words: str) -> bool:
    return any(
        Path(f.file).name == Path(file).name
        and f.row == row
        and column in (f.column or "")
        and words in f.check
        for f in failures
    )


@pytest.mark.parametrize(
    ("edits", "row", "column", "words"),
    [
        # Albania signed on 12 Dec 2000: a day before the Protocol opened for signature cannot be true
        ({3: (",2000-12-12,2002-08-21,ratification,12 Dec 2000,", ",2000-12-11,2002-08-21,ratification,11 Dec 2000,")},
         3, "signature_date", "signature period"),
        # ... nor a day after it closed (Algeria, ratified in 2004)
        ({4: (",2001-06-06,2004-03-09,ratification,6 Jun 2001,", ",2003-01-10,2004-03-09,ratification,10 Jan 2003,")},
         4, "signature_date", "signature period"),
        # the ISO date no longer says what the row's own text says
        ({3: (",2002-08-21,ratification,", ",2002-08-22,ratification,")}, 3, "action_date", "source_action_text"),
        # Afghanistan's '15 Aug 2014 a' is an accession, not a ratification
        ({2: (",2014-08-15,accession,", ",2014-08-15,ratification,")}, 2, "action_type", "source_action_text"),
        # an instrument deposited before the signature, named at the raw row (not a processed one)
        ({4: (",2004-03-09,ratification,6 Jun 2001,9 Mar 2004,", ",2001-01-10,ratification,6 Jun 2001,10 Jan 2001,")},
         4, "signature_date", "action_date on or after signature_date"),
    ],
    ids=["signature_before_opening", "signature_after_closing", "action_date_vs_text", "action_type_vs_mark",
         "action_before_signature"],
)  # fmt: skip
def test_untc_rows_that_cannot_be_true_fail_at_their_raw_row(tmp_path, edits, row, column, words):
    failures = _failures_of(tmp_path, {PARTICIPANTS: _edited_lines(PARTICIPANTS, edits)})
    assert _at(failures, PARTICIPANTS, row, column, words), [f.as_line() for f in failures]
    assert not any("(processed)" in f.file or "[dataset" in f.check for f in failures)


def test_an_unknown_country_does_not_hide_a_meaning_problem_in_the_same_file(tmp_path):
    edits = {
        2: ("Afghanistan,", "Afghanistann,"),
        3: (
            ",2000-12-12,2002-08-21,ratification,12 Dec 2000,",
            ",2000-12-11,2002-08-21,ratification,11 Dec 2000,",
        ),
    }
    failures = _failures_of(tmp_path, {PARTICIPANTS: _edited_lines(PARTICIPANTS, edits)})
    assert _at(failures, PARTICIPANTS, 2, "participant", "country_names")
    assert _at(failures, PARTICIPANTS, 3, "signature_date", "signature period")


def test_two_official_counts_of_one_day_must_agree_unless_the_conflict_is_recorded(tmp_path):
    # the US Mission's page gives 178 on 2020-10-09; a second file saying 177 that day cannot both be true
    lines = (RAW_DIR / LATER_COUNTS).read_bytes().decode("utf-8").splitlines()
    new_row = len(lines) + 1
    extra = "2020-10-09,177,,UNODC press release,https://example.org/count,a second count of the same day\n"
    failures = _failures_of(tmp_path, {LATER_COUNTS: _edited_lines(LATER_COUNTS, {}, extra)})
    assert _at(failures, COUNTS, 11, "parties", "one count of parties")
    assert _at(failures, LATER_COUNTS, new_row, "parties", "one count of parties")

    # recorded as a conflict, both are kept and the build passes
    from tipstats.pipeline import build

    noted = extra.replace(
        "a second count of the same day", "conflict with the US Mission's 178 (kept on purpose)"
    )
    result = build(
        raw_dir=raw_folder(tmp_path / "raw2", {LATER_COUNTS: _edited_lines(LATER_COUNTS, {}, noted)}),
        out_dir=tmp_path / "out2",
    )
    day = result.datasets["party_counts"].query("date == '2020-10-09'")
    assert sorted(day["parties"].tolist()) == [177, 178]


def test_two_sources_dating_one_action_in_windows_that_do_not_meet_fail_at_both_rows(tmp_path):
    from tipstats.report import paragraph_line, report_text

    # the evidence file's 'ratified ... in 2020' made 2019: A/76/120 dates Nepal's accession 16 June 2020
    edits = {
        10: (
            ',"""Nepal ratified the Palermo Protocol in 2020.""",2020,',
            ',"""Nepal ratified the Palermo Protocol in 2020.""",2019,',
        )
    }
    failures = _failures_of(tmp_path, {EVIDENCE: _edited_lines(EVIDENCE, edits)})
    assert _at(failures, EVIDENCE, 10, "action_date", "one date for the action of NPL")
    assert _at(
        failures,
        "A-76-120.txt",
        paragraph_line(report_text(), 5),
        "action_date",
        "one date for the action of NPL",
    )


@pytest.mark.parametrize("date", [20210609, None, "", "yesterday", float("nan"), ["2021-06-09"]])
def test_parties_as_of_refuses_what_is_not_a_date(date):
    import tipstats

    with pytest.raises(ValueError, match=r"^date must be a date such as '2021-06-09'.*not "):
        tipstats.parties_as_of(date)


@pytest.mark.parametrize(
    "call", ["parties_as_of", "party_count_as_of", "party_count_range", "known_vs_official"]
)
def test_an_unknown_treaty_is_refused_with_the_close_match(call):
    import tipstats

    args = () if call == "known_vs_official" else ("2021-06-09",)
    with pytest.raises(
        ValueError, match=r"unknown treaty 'tip_protocoll' \(did you mean 'tip_protocol'\?\); one of: "
    ):
        getattr(tipstats, call)(*args, treaty="tip_protocoll")


def test_dates_of_every_accepted_kind_give_the_same_parties():
    import datetime

    import numpy as np

    import tipstats

    counts = {
        len(tipstats.parties_as_of(d))
        for d in ("2021-06-09", datetime.date(2021, 6, 9), datetime.datetime(2021, 6, 9, 18), pd.Timestamp("2021-06-09"),
                  np.datetime64("2021-06-09"))
    }  # fmt: skip
    assert counts == {tipstats.party_count_as_of("2021-06-09")}
