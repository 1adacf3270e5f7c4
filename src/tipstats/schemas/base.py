"""Shared pieces of every pandera model, and the one way to validate a frame."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pandera.pandas as pa

from tipstats.errors import DataValidationError, failures_from_schema_errors

# Facts used by several models live here, once.
TIP_PROTOCOL_ADOPTED = pd.Timestamp("2000-11-15")
TIP_PROTOCOL_IN_FORCE = pd.Timestamp("2003-12-25")
# Latest plausible date of any event in the sources (their newest pages date from 2026).
LATEST_SOURCE_DATE = pd.Timestamp("2026-12-31")
ISO3_PATTERN = r"^[A-Z]{3}$"


def field(description: str, *, unit: str | None = None, **kwargs: Any) -> Any:
    """A pandera ``Field`` whose description (and unit) feed the codebook and descriptor."""
    metadata = {"unit": unit} if unit else None
    return pa.Field(description=description, metadata=metadata, **kwargs)


class RawModel(pa.DataFrameModel):
    """A raw file as received: every column text; only what the builders rely on is checked."""

    class Config:
        strict = True
        coerce = False


class ProcessedModel(pa.DataFrameModel):
    """What users are promised: exact columns, exact dtypes."""

    class Config:
        strict = True
        coerce = True
        ordered = True


def validate(model: type[pa.DataFrameModel], frame: pd.DataFrame, file: str) -> pd.DataFrame:
    """Validate lazily (every failure at once) and raise :class:`DataValidationError`."""
    frame = frame.reset_index(drop=True)
    try:
        return model.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        raise DataValidationError(failures_from_schema_errors(exc, file)) from None
    except pa.errors.SchemaError as exc:  # pragma: no cover - lazy=True normally collects
        raise DataValidationError(
            failures_from_schema_errors(pa.errors.SchemaErrors(model.to_schema(), [exc], frame), file)
        ) from None


def column_docs(model: type[pa.DataFrameModel]) -> list[dict[str, Any]]:
    """Name, dtype, unit, description and nullability of every column, in order."""
    schema = model.to_schema()
    rows = []
    for name, column in schema.columns.items():
        rows.append(
            {
                "name": name,
                "dtype": str(column.dtype),
                "unit": (column.metadata or {}).get("unit", ""),
                "description": column.description or "",
                "nullable": bool(column.nullable),
                "unique": bool(column.unique),
            }
        )
    return rows
