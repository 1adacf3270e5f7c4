"""``tipstats export``: the datasets as files for other tools (Excel, Stata, R, Arrow), with their codebook.

Formats: ``csv`` (as in ``data/processed``), ``parquet`` (pyarrow), ``xlsx`` (openpyxl; a sheet
``data`` and a sheet ``columns`` with each column's type, unit and description; a control character,
which a worksheet cannot hold, is written as U+FFFD: one in ``treaty_events.note``, a damaged apostrophe
of the UNTC source), ``dta`` (Stata 118,
pandas' own writer, with the dataset title as data label and each column's description, cut to
Stata's 80 characters, as variable label). pyarrow and openpyxl come with the ``export`` extra.

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
NEEDS = {"parquet": "pyarrow", "xlsx": "openpyxl"}
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


def _xlsx(name: str, frame: pd.DataFrame, path: Path) -> None:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    frame = frame.copy()
    for column in frame.columns:
        if frame[column].dtype == "str":  # control characters a worksheet cannot hold
            frame[column] = frame[column].str.replace(ILLEGAL_CHARACTERS_RE, REPLACEMENT, regex=True)
    too_long = [
        c for c in frame.columns if frame[c].dtype == "str" and (frame[c].str.len() > EXCEL_CELL).any()
    ]
    if too_long:
        raise ValueError(f"{name}: cells of {too_long} exceed Excel's {EXCEL_CELL} characters")
    # openpyxl's write-only workbook streams the rows: half the time of pandas' to_excel on glotip
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    book.properties.created = STAMP
    book.properties.modified = STAMP
    for sheet_name, table in (("data", frame), ("columns", _columns(name))):
        sheet = book.create_sheet(sheet_name)
        sheet.append([str(c) for c in table.columns])
        values = [table[c].astype(object).where(table[c].notna(), None).tolist() for c in table.columns]
        for row in zip(*values, strict=True):
            sheet.append(list(row))
    book.save(path)
    _fixed_zip_times(path)


def _fixed_zip_times(path: Path) -> None:
    """Rewrite a zip (an xlsx) with every entry, and the workbook's modified time, at :data:`STAMP`: two
    exports give the same bytes."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as archive:
        entries = [(info, archive.read(info)) for info in archive.infolist()]
    tmp = path.with_name(f".{path.name}.tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for info, data in entries:
            if info.filename == "docProps/core.xml":  # openpyxl stamps the time of saving
                stamp = STAMP.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
            fixed = zipfile.ZipInfo(info.filename, date_time=STAMP.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(fixed, data)
    tmp.replace(path)


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
