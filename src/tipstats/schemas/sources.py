"""The sources registry: as a dataset (:class:`Sources`), and as the file every command reads (:class:`RawSourcesRegistry`)."""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

from tipstats.schemas.base import ProcessedModel, field


class Sources(ProcessedModel):
    """One row per source: who said it, when, under which licence, and the raw file's hash."""

    source_id: Series[str] = field(
        "Identifier used in every dataset's `source_id` column.", unique=True, str_matches=r"^[a-z0-9_]+$"
    )
    producer: Series[str] = field("Who produced the data or statement.")
    title: Series[str] = field("Title of the source.")
    citation: Series[str] = field("Full citation, in the form to use.")
    url: Series[str] = field("Address of the source page or download, where one is known.", nullable=True)
    repository: Series[str] = field(
        "GitHub repository (owner/name) the file was taken from, if any.", nullable=True
    )
    commit: Series[str] = field(
        "Commit of that repository, if any.", nullable=True, str_matches=r"^[0-9a-f]{40}$"
    )
    path_in_repository: Series[str] = field("Path of the file in that repository, if any.", nullable=True)
    date_published: Series[str] = field(
        "Date the source was published or committed, as precise as known.", nullable=True
    )
    as_of: Series[str] = field("Date (or year) the data refer to, as precise as known.", nullable=True)
    date_received: Series[str] = field("Date tipstats took its copy of the raw file.", nullable=True)
    licence: Series[str] = field("Licence or terms of use.")
    raw_path: Series[str] = field(
        "Path of the raw file under data/raw/, if the source is a file.", nullable=True
    )
    sha256: Series[str] = field(
        "SHA-256 of the raw file's bytes at intake.", nullable=True, str_matches=r"^[0-9a-f]{64}$"
    )
    bytes: Series["Int64"] = field("Size of the raw file at intake.", unit="bytes", nullable=True, gt=0)
    caveats: Series[str] = field("Plain-language caveats about the source.", nullable=True)
    subject: Series[str] = field(
        "Subject folder of the source (data/raw/<subject>/); `countries` for the reviewed names."
    )
    raw_model: Series[str] = field(
        "Pandera model the raw CSV must satisfy (`topic:ModelName` in tipstats.schemas); missing for sources "
        "read as text.",
        nullable=True,
    )
    treaty: Series[str] = field(
        "Treaty whose participants the table lists (UNTC participant tables).", nullable=True
    )
    release: Series[str] = field(
        "dataUNODC release date of the file (dataUNODC country datasets).", nullable=True
    )
    name_column: Series[str] = field(
        "Column of the raw file that holds country names, if any.", nullable=True
    )
    code_column: Series[str] = field(
        "Column of the raw file that gives a country code beside the name, if any.", nullable=True
    )
    received_as: Series[str] = field(
        "Path of the file in the shared source folder when tipstats received it (its name then).",
        nullable=True,
    )
    readme: Series[str] = field("README of the source's folder, in the repository.", nullable=True)
    delimiter: Series[str] = field(
        "Cell separator of the raw file as received (',' or ';'); missing for a file that is not a CSV.",
        nullable=True,
        isin=[",", ";"],
    )

    class Config:
        title = "Sources registry"
        description = (
            "Every source that a curated row cites: producer, title, full citation, address, repository and "
            "commit, dates, licence, the SHA-256 of the raw file as received, its raw model and the role builders read "
            "it in. Generated from the origin records data/raw/<subject>/<file>.meta.yml."
        )
        metadata = {"key": ["source_id"], "as_of": "2026-11-29", "caveats": []}


class RawSourcesRegistry(pa.DataFrameModel):
    """``data/reference/sources.csv`` as read (text): the checks every command relies on.

    Generated from the origin records, but an input all the same: a blank cell or a repeated
    ``source_id`` is reported at its registry row, like a fault in a raw CSV.
    """

    source_id: Series[str] = pa.Field(unique=True, str_matches=r"^[a-z0-9_]+$")
    producer: Series[str] = pa.Field()
    title: Series[str] = pa.Field()
    citation: Series[str] = pa.Field()
    url: Series[str] = pa.Field(nullable=True)
    repository: Series[str] = pa.Field(nullable=True)
    commit: Series[str] = pa.Field(nullable=True, str_matches=r"^[0-9a-f]{40}$")
    path_in_repository: Series[str] = pa.Field(nullable=True)
    date_published: Series[str] = pa.Field(nullable=True)
    as_of: Series[str] = pa.Field()
    date_received: Series[str] = pa.Field(nullable=True)
    licence: Series[str] = pa.Field()
    raw_path: Series[str] = pa.Field(nullable=True, unique=True, str_matches=r"^[a-z_]+/[^/]+$")
    sha256: Series[str] = pa.Field(nullable=True, str_matches=r"^[0-9a-f]{64}$")
    bytes: Series[str] = pa.Field(nullable=True, str_matches=r"^[1-9][0-9]*$")
    caveats: Series[str] = pa.Field()
    subject: Series[str] = pa.Field(str_matches=r"^[a-z_]+$")
    raw_model: Series[str] = pa.Field(nullable=True, str_matches=r"^[a-z_]+:Raw[A-Za-z0-9]+$")
    treaty: Series[str] = pa.Field(nullable=True)
    release: Series[str] = pa.Field(nullable=True)
    name_column: Series[str] = pa.Field(nullable=True)
    code_column: Series[str] = pa.Field(nullable=True)
    received_as: Series[str] = pa.Field(nullable=True)
    readme: Series[str] = pa.Field(nullable=True)
    delimiter: Series[str] = pa.Field(nullable=True, isin=[",", ";"])

    class Config:
        strict = True
        coerce = False

    @pa.dataframe_check(error="raw_path, sha256 and bytes are all given or all empty")
    def file_fields_together(cls, df):
        given = df[["raw_path", "sha256", "bytes"]].notna()
        return given.all(axis=1) | ~given.any(axis=1)

    @pa.dataframe_check(error="a raw_model needs a raw_path")
    def model_has_file(cls, df):
        return df["raw_model"].isna() | df["raw_path"].notna()
