"""``tipstats validate``: raw files (schema and sha256) and processed datasets, all failures at once."""

from __future__ import annotations

from pathlib import Path

from tipstats.datasets import DATASETS
from tipstats.errors import DataValidationError, Failure
from tipstats.io import read_processed_csv
from tipstats.metadata import DESCRIPTOR, descriptor_resources
from tipstats.pipeline import BuildContext, validate_raw
from tipstats.schemas.base import validate
from tipstats.sources import integrity_failures, read_registry, sha256_of, unregistered_files


def validate_processed(processed_dir: Path) -> list[Failure]:
    failures: list[Failure] = []
    for spec in DATASETS.values():
        path = Path(processed_dir) / spec.filename
        if not path.exists():
            failures.append(Failure(str(path), None, None, "processed file exists", None, kind="parse"))
            continue
        model = spec.model_class()
        try:
            validate(model, read_processed_csv(path, model.to_schema()), str(path))
        except DataValidationError as exc:
            failures += exc.failures
        except (ValueError, TypeError) as exc:
            failures.append(
                Failure(str(path), None, None, "file reads with the model's dtypes", str(exc), kind="parse")
            )
    return failures


def validate_descriptor(processed_dir: Path) -> list[Failure]:
    """The folder as a whole: ``datapackage.json`` parses, lists every dataset, and each file's bytes
    and sha256 are the ones it records (a truncated, edited or missing file is named)."""
    path = Path(processed_dir) / DESCRIPTOR

    def failure(file: Path, check: str, value: object = None) -> Failure:
        return Failure(str(file), None, None, check, value, kind="descriptor")

    if not path.exists():
        return [failure(path, "the descriptor exists (run `tipstats build`)")]
    try:
        recorded = descriptor_resources(path)
    except ValueError as exc:
        return [failure(path, "the descriptor is JSON with a resource list", str(exc))]
    failures = []
    for name, spec in DATASETS.items():
        file = Path(processed_dir) / spec.filename
        entry = recorded.get(name)
        if entry is None:
            failures.append(failure(path, f"the descriptor lists dataset {name!r}"))
        elif file.exists():
            size, digest = file.stat().st_size, sha256_of(file)
            if size != entry.get("bytes"):
                failures.append(failure(file, f"bytes equal the descriptor's {entry.get('bytes')}", size))
            if f"sha256:{digest}" != entry.get("hash"):
                failures.append(failure(file, "sha256 equals the descriptor's", digest[:12] + "…"))
    return failures


def validate_all(raw_dir: Path, processed_dir: Path, reference_dir: Path) -> list[Failure]:
    registry = read_registry(reference_dir)
    ctx = BuildContext(Path(raw_dir), Path(reference_dir), registry)
    raw = integrity_failures(raw_dir, registry) + unregistered_files(raw_dir, registry) + validate_raw(ctx)
    return raw + validate_descriptor(processed_dir) + validate_processed(processed_dir)
