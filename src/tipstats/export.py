"""``tipstats export``: the datasets as files for other tools (Excel, Stata, R, Arrow), with their codebook.

Formats: ``csv`` (as in ``data/processed``), ``parquet`` (pyarrow), ``xlsx`` (XlsxWriter; a sheet
``data`` and a sheet ``columns`` with each column's type, unit and description; a control character,
which a worksheet cannot hold, is written as U+FFFD: one in ``treaty_events.note``, a damaged apostrophe
of the UNTC source), ``dta`` (Stata 118,
pandas' own writer, with the dataset title as data label and each column's description, cut to
Stata's 80 characters, as variable label). pyarrow and XlsxWriter come with the ``export`` extra.

The folder gets one file per dataset, ``codebook.md`` (every column, unit, caveat and source) and
``sources`` always (the citations). It must be new, empty or an earlier export (marker
``.tipstats-export``): any other folder, ``data/processed`` included, is refused and nothing is
touched. Files are written to a staging folder that replaces the target whole (:mod:`tipstats.publish`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd

FORMATS = ("csv", "parquet", "xlsx", "dta")
#: The extra module each format needs (none: pandas alone).
NEEDS = {"parquet": "pyarrow", "xlsx": "xlsxwriter"}
CODEBOOK = "codebook.md"
EXPORT_MARKER = ".tipstats-export"
# A fixed date for the files' internal time stamps, so that two exports of the same data are identical.
STAMP = dt.datetime(2000, 1, 1)
STATA_LABEL = 80  # Stata's limit on data and variable labels
EXCEL_CELL = 32767  # Excel's limit on the characters of a cell
REPLACEMENT = "\ufffd"  # for a control character a worksheet cannot hold


def own_files(names: Iterable[str]) -> set[str]:
    """Every file name an export of ``names`` can write (in any format)."""
    return {CODEBOOK, EXPORT_MARKER} | {f"{n}.{fmt}" for n in names for fmt in FORMATS}


def refuse_unless_export_folder(target: Path) -> None:
    """An export replaces only a new or empty folder, or an earlier export (not a build, not your files)."""
    from tipstats.publish import OutputFolderError

    if target.is_dir() and any(target.iterdir()) and not (target / EXPORT_MARKER).is_file():
        shown = ", ".join(sorted(e.name for e in target.iterdir())[:3])
        raise OutputFolderError(
            f"{target}: refusing to export into a folder that is not an earlier export (it holds {shown}). "
            "Export into a new or empty folder. Nothing was touched."
        )


def _selection(datasets: Sequence[str] | None) -> list[str]:
    from tipstats.datasets import get, list_datasets

    chosen = list(list_datasets()) if not datasets else [get(n).name for n in datasets]
    if "sources" not in chosen:
        chosen.append("sources")  # the citation of every source_id
    return chosen


def export(out_dir: Path | str, fmt: str = "csv", datasets: Sequence[str] | None = None) -> list[Path]:
    """Write ``datasets`` (default: every dataset) to ``out_dir`` in format ``fmt``; the files written.

    >>> import tempfile, tipstats.export as ex
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     [p.name for p in ex.export(f"{tmp}/out", "csv", ["population"])]
    ['population.csv', 'sources.csv', 'codebook.md']
    """
    from tipstats.datasets import unknown_name_message
    from tipstats.loaders import load
    from tipstats.metadata import codebook
    from tipstats.publish import published_directory

    if fmt not in FORMATS:
        raise ValueError(unknown_name_message("format", fmt, FORMATS))
    if fmt in NEEDS:
        from tipstats.optional import require

        require(NEEDS[fmt], f"tipstats export --format {fmt}")
    names = _selection(datasets)
    frames = {name: load(name) for name in names}
    target = Path(out_dir)
    refuse_unless_export_folder(target)
    with published_directory(target, own_files(names)) as staging:
        (staging / EXPORT_MARKER).write_text(
            "This folder was written by `tipstats export`; the next export into it replaces it whole.\n",
            encoding="utf-8",
        )
        for name, frame in frames.items():
            WRITERS[fmt](name, frame, staging / f"{name}.{fmt}")
        (staging / CODEBOOK).write_text(codebook(frames), encoding="utf-8")
    return [target / f"{name}.{fmt}" for name in names] + [target / CODEBOOK]


def _columns(name: str) -> pd.DataFrame:
    from tipstats.metadata import model_info

    return pd.DataFrame(model_info(name)["columns"])[["name", "dtype", "unit", "nullable", "description"]]


def _csv(name: str, frame: pd.DataFrame, path: Path) -> None:
    from tipstats.io import write_csv

    write_csv(frame, path)


def _parquet(name: str, frame: pd.DataFrame, path: Path) -> None:
    frame.to_parquet(path, engine="pyarrow", index=False)


#: Characters a worksheet cannot hold (XML 1.0 forbids them): the C0 controls but tab, line feed, return.
ILLEGAL_CHARACTERS = r"[\x00-\x08\x0b\x0c\x0e-\x1f]"


def _xlsx(name: str, frame: pd.DataFrame, path: Path) -> None:
    frame = frame.copy()
    for column in frame.columns:
        if frame[column].dtype == "str":
            frame[column] = frame[column].str.replace(ILLEGAL_CHARACTERS, REPLACEMENT, regex=True)
    too_long = [
        c for c in frame.columns if frame[c].dtype == "str" and (frame[c].str.len() > EXCEL_CELL).any()
    ]
    if too_long:
        raise ValueError(f"{name}: cells of {too_long} exceed Excel's {EXCEL_CELL} characters")
    # XlsxWriter streams the rows (constant_memory) about twice as fast as openpyxl's write-only workbook;
    # text stays text (no formulas from a leading "=", no hyperlinks, no numbers from digits); a fixed
    # creation date makes the zip's time stamps and the document properties the same on every export
    import xlsxwriter

    options = {
        "constant_memory": True,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
        "default_date_format": "yyyy-mm-dd",
    }
    with xlsxwriter.Workbook(path, options) as book:
        book.set_properties({"created": STAMP})
        for sheet_name, table in (("data", frame), ("columns", _columns(name))):
            sheet = book.add_worksheet(sheet_name)
            sheet.write_row(0, 0, [str(c) for c in table.columns])
            values = [_cells(table[c]) for c in table.columns]
            for row, cells in enumerate(zip(*values, strict=True), start=1):
                sheet.write_row(row, 0, cells)


def _cells(column: pd.Series) -> list:
    """A column as Python values for a worksheet: missing values None (an empty cell), dates as datetimes."""
    if pd.api.types.is_datetime64_any_dtype(column):
        return [None if pd.isna(v) else v.to_pydatetime() for v in column]
    return column.astype(object).where(column.notna(), None).tolist()


def _stata_name(column: str) -> str:
    return column[:32]


def _dta(name: str, frame: pd.DataFrame, path: Path) -> None:
    from tipstats.metadata import model_info

    info = model_info(name)
    out = frame.copy()
    dates = {c: "td" for c in out.columns if pd.api.types.is_datetime64_any_dtype(out[c])}
    for column in out.columns:
        if out[column].dtype == "str":  # Stata has no missing string: an empty one, as in the CSV
            out[column] = out[column].fillna("").astype(object)
        elif isinstance(out[column].dtype, pd.Int64Dtype):  # Stata's missing number for <NA>
            out[column] = out[column].astype("float64")
    labels = {c["name"]: c["description"][:STATA_LABEL] for c in info["columns"]}
    out.to_stata(
        path,
        write_index=False,
        version=118,
        convert_dates=dates,
        data_label=info["title"][:STATA_LABEL],
        variable_labels=labels,
        time_stamp=STAMP,
        convert_strl=[c for c in out.columns if out[c].dtype == object and (out[c].str.len() > 2045).any()],
    )


WRITERS = {"csv": _csv, "parquet": _parquet, "xlsx": _xlsx, "dta": _dta}
