"""Write data/reference/sources.csv from the origin records beside the data.

Each raw file ``data/raw/<subject>/<file>`` has its origin record ``<file>.meta.yml`` next to it
(producer, citation, dates, licence, sha256, raw model, caveats); a source without a raw file
(the reviewed ``data/reference/country_names.csv``) has its record next to its own file.

Usage:
  python tools/make_sources_registry.py            # fails if a record's sha256 or bytes is stale
  python tools/make_sources_registry.py --refresh  # rewrite sha256 and bytes in the records from the files
  python tools/make_sources_registry.py --check    # fails if sources.csv differs from the records
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import re
import sys
from pathlib import Path

import yaml

from tipstats.sources import RECORD_SUFFIX, raw_data_files

REPO = Path(__file__).resolve().parents[1]
RAW = REPO / "data" / "raw"
REFERENCE = REPO / "data" / "reference"
OUT = REFERENCE / "sources.csv"

# Column order of sources.csv; new columns go at the end so that the order stays stable.
FIELDS = [
    "source_id", "producer", "title", "citation", "url", "repository", "commit", "path_in_repository",
    "date_published", "as_of", "date_received", "licence", "raw_path", "sha256", "bytes", "caveats",
    "subject", "raw_model", "treaty", "release", "name_column", "code_column", "received_as", "readme",
    "delimiter",
]  # fmt: skip
TEXT_FIELDS = [f for f in FIELDS if f not in {"bytes", "caveats"}]
CAVEAT_SEPARATOR = " "


class StaleRecord(ValueError):
    """A record's sha256 or bytes no longer describes its file."""


def record_paths(raw_dir: Path = RAW, reference_dir: Path = REFERENCE) -> list[Path]:
    return sorted([*raw_dir.rglob(f"*{RECORD_SUFFIX}"), *reference_dir.glob(f"*{RECORD_SUFFIX}")])


def raw_files(raw_dir: Path = RAW) -> list[Path]:
    """Every data file under data/raw (the package's one rule: not records, READMEs or hidden files)."""
    return raw_data_files(raw_dir)


def read_record(path: Path, raw_dir: Path = RAW) -> dict:
    """One record, checked: every field present, text fields text, caveats a list of text."""
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(record, dict) or sorted(record) != sorted(FIELDS):
        raise ValueError(f"{path}: fields must be exactly {FIELDS}")
    for name in TEXT_FIELDS:
        if not isinstance(record[name], str):
            raise ValueError(f"{path}: {name} must be text (quote dates and years), not {record[name]!r}")
    caveats = record["caveats"]
    if not isinstance(caveats, list) or not all(isinstance(c, str) and c for c in caveats):
        raise ValueError(f"{path}: caveats must be a list of plain-language strings")
    if not (record["bytes"] == "" if not record["raw_path"] else isinstance(record["bytes"], int)):
        raise ValueError(f"{path}: bytes must be a whole number for a raw file, empty otherwise")
    if record["raw_path"]:
        expected = raw_dir / (record["raw_path"] + RECORD_SUFFIX)
        if path.resolve() != expected.resolve():
            raise ValueError(f"{path}: the record of raw_path {record['raw_path']!r} lives at {expected}")
    return record


def file_facts(raw_path: str, raw_dir: Path = RAW) -> tuple[str, int]:
    data = (raw_dir / raw_path).read_bytes()
    return hashlib.sha256(data).hexdigest(), len(data)


def stale_fields(record: dict, raw_dir: Path = RAW) -> dict[str, object]:
    """sha256 and bytes as the file has them, where the record says otherwise."""
    if not record["raw_path"]:
        return {}
    sha256, size = file_facts(record["raw_path"], raw_dir)
    actual = {"sha256": sha256, "bytes": size}
    return {name: value for name, value in actual.items() if record[name] != value}


def refresh_record(path: Path, fresh: dict[str, object]) -> None:
    """Rewrite the sha256 and bytes lines of one record in place (the rest of the file is left as written)."""
    text = path.read_text(encoding="utf-8")
    for name, value in fresh.items():
        text, count = re.subn(rf"(?m)^{name}:.*$", f"{name}: {value}", text)
        if count != 1:
            raise ValueError(f"{path}: expected one line '{name}: ...'")
    path.write_text(text, encoding="utf-8")


def registry_rows(paths: list[Path], raw_dir: Path = RAW) -> list[dict[str, str]]:
    """The registry rows, ordered by source_id; raises StaleRecord if a hash no longer matches its file."""
    rows = []
    for path in paths:
        record = read_record(path, raw_dir)
        stale = stale_fields(record, raw_dir)
        if stale:
            raise StaleRecord(f"{path}: {', '.join(stale)} differ from the file; run with --refresh")
        row = {name: record[name] for name in TEXT_FIELDS}
        row["bytes"] = str(record["bytes"])
        row["caveats"] = CAVEAT_SEPARATOR.join(record["caveats"])
        rows.append(row)
    ids = [row["source_id"] for row in rows]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    if duplicated:
        raise ValueError(f"source_id given by more than one record: {duplicated}")
    return sorted(rows, key=lambda row: row["source_id"])


def render(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows({name: row[name] for name in FIELDS} for row in rows)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--refresh", action="store_true", help="write each file's sha256 and bytes into its record"
    )
    mode.add_argument("--check", action="store_true", help="only check that sources.csv is up to date")
    args = parser.parse_args(argv)
    paths = record_paths()
    if args.refresh:
        for path in paths:
            stale = stale_fields(read_record(path))
            if stale:
                refresh_record(path, stale)
                print(f"refreshed {path.relative_to(REPO)}: {', '.join(stale)}")
    try:
        text = render(registry_rows(paths))
    except StaleRecord as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.check:
        if not OUT.is_file() or OUT.read_text(encoding="utf-8") != text:
            print(
                f"error: {OUT.relative_to(REPO)} differs from the origin records; run {Path(__file__).name}",
                file=sys.stderr,
            )
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(REPO)} ({len(paths)} sources)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
