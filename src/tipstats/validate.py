"""``tipstats validate``: raw files (schema and sha256) and processed datasets, all failures at once."""

from __future__ import annotations

from pathlib import Path

from tipstats.datasets import DATASETS
from tipstats.errors import DataValidationError, Failure
from tipstats.io import read_processed_csv
from tipstats.pipeline import BuildContext, validate_raw
from tipstats.schemas.base import validate
from tipstats.sources import integrity_failures, read_registry


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


def validate_all(raw_dir: Path, processed_dir: Path, reference_dir: Path) -> list[Failure]:
    registry = read_registry(reference_dir)
    ctx = BuildContext(Path(raw_dir), Path(reference_dir), registry)
    return integrity_failures(raw_dir, registry) + validate_raw(ctx) + validate_processed(processed_dir)
