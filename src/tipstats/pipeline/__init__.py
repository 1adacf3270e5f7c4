"""``tipstats build``: raw files -> validated processed datasets, written all or nothing.

Each subject module (``tipstats.pipeline.<subject>``) has one function ``build(ctx)`` that reads
its raw inputs through ``ctx``, derives its datasets with pure pandas code and returns
them by name. This module validates both sides and writes the results atomically.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from tipstats import progress
from tipstats import raw as raw_io
from tipstats.datasets import DATASETS, SUBJECTS
from tipstats.errors import DataValidationError, Failure, PartialBuild
from tipstats.io import read_raw_csv, write_csv
from tipstats.paths import RAW_DIR, REFERENCE_DIR, REPO_PROCESSED_DIR
from tipstats.publish import published_directory, refuse_unless_replaceable
from tipstats.schemas.base import validate
from tipstats.sources import integrity_failures, read_registry, unregistered_files


@dataclass
class BuildContext:
    """What a subject builder may read: raw files by source_id, reference files, earlier outputs."""

    raw_dir: Path
    reference_dir: Path
    registry: pd.DataFrame
    outputs: dict[str, pd.DataFrame] = field(default_factory=dict)
    # validated raw frames of this build, by source_id: each raw file is parsed and validated once
    _raw_cache: dict[str, pd.DataFrame] = field(default_factory=dict)
    # raw files with rows that failed their model: what remains is read, and marks the reader partial
    raw_failures: dict[str, list[Failure]] = field(default_factory=dict)
    #: source_ids read since the last :meth:`reads_since` mark
    _read: set[str] = field(default_factory=set)

    def raw_path(self, source_id: str) -> str:
        rows = self.registry.loc[self.registry["source_id"] == source_id, "raw_path"]
        if rows.empty or pd.isna(rows.iloc[0]):
            raise KeyError(f"source {source_id!r} has no raw file in the registry")
        return str(rows.iloc[0])

    def raw(self, source_id: str) -> pd.DataFrame:
        """The raw CSV of ``source_id`` as text, validated by its raw model (copy).

        After :func:`validate_raw`, a file with failing rows gives the rows that passed (their
        index is the file's, so rules still name the right row); a file unusable as a whole
        raises :class:`UnusableInput` (its failures are already reported).
        """
        self._read.add(source_id)
        if source_id not in self._raw_cache:
            if source_id in self.raw_failures:
                raise UnusableInput(source_id)
            self._raw_cache[source_id] = raw_io.read_raw(
                self.raw_dir, source_id, self.raw_path(source_id), self.registry
            )
        return self._raw_cache[source_id].copy()

    def partial_reads(self) -> set[str]:
        """Sources read since the last call whose rows did not all pass their model (and forget them)."""
        read, self._read = self._read, set()
        return read & set(self.raw_failures)

    def raw_file(self, source_id: str) -> Path:
        return Path(self.raw_dir) / self.raw_path(source_id)

    def text(self, source_id: str) -> str:
        self._read.add(source_id)
        if source_id in self.raw_failures:
            raise UnusableInput(source_id)
        return raw_io.read_text(self.raw_dir, self.raw_path(source_id))

    def parse_text(self, source_id: str, parser, *args):
        """``parser(text, *args)`` on the text of ``source_id``; what it cannot read is a failure at the file.

        A :class:`~tipstats.report.ReportTextError` (or ValueError) becomes a failure that names the
        file and, where the parser says which paragraph it read, the line that paragraph starts on.
        """
        from tipstats.report import paragraph_line

        text = self.text(source_id)
        try:
            return parser(text, *args)
        except ValueError as exc:
            line = paragraph_line(text, getattr(exc, "paragraph", None))
            raise DataValidationError(
                [
                    Failure(
                        str(self.raw_file(source_id)),
                        line,
                        None,
                        f"reads as expected ({exc})",
                        None,
                        kind="parse",
                    )
                ]
            ) from None

    def reference(self, filename: str) -> pd.DataFrame:
        """A reviewed reference file (``data/reference/<filename>``) as text columns."""
        path = Path(self.reference_dir) / filename
        return read_raw_csv(path, str(path))


@dataclass
class BuildResult:
    out_dir: Path
    datasets: dict[str, pd.DataFrame]
    warnings: list[Failure]
    unregistered: list[Failure] = field(default_factory=list)  # raw files nothing reads


class UnusableInput(KeyError):
    """A raw file whose failures leave nothing to read (already reported by :func:`validate_raw`)."""


def validate_raw(ctx: BuildContext) -> list[Failure]:
    """Read and validate every raw CSV that has a model; return all failures.

    The rows that pass stay readable through ``ctx.raw`` so that the builders' own rules still
    run on them: one build lists every problem at once.
    """
    from tipstats.report import REPORT_SUBJECT, text_failures
    from tipstats.sources import source_ids

    failures: list[Failure] = []
    for source_id in source_ids(ctx.registry, subject=REPORT_SUBJECT):
        try:
            found = text_failures(ctx.text(source_id), str(ctx.raw_file(source_id)))
        except DataValidationError as exc:  # missing, or not UTF-8
            found = exc.failures
        if found:
            failures += found
            ctx.raw_failures[source_id] = found
    for source_id in raw_io.raw_models(ctx.registry):
        if source_id in ctx._raw_cache:  # read and validated already
            continue
        progress.step(f"checking {ctx.raw_path(source_id)}")
        rows, found = raw_io.read_raw_passing(ctx.raw_dir, source_id, ctx.raw_path(source_id), ctx.registry)
        if found:
            failures += found
            ctx.raw_failures[source_id] = found
        if rows is not None:
            ctx._raw_cache[source_id] = rows
    return failures


SOURCE_ROW = "source_row"


def trace_to_raw(ctx: BuildContext, name: str, frame: pd.DataFrame, failure: Failure) -> Failure:
    """A failure in a processed row, reported at the raw file and row it came from, where the dataset says.

    A processed dataset with ``source_id`` and ``source_row`` columns (the spreadsheet row of the raw
    file) lets a person go straight to the cell to fix; the dataset and its row stay in the check text.
    """
    if failure.row is None or not {"source_id", SOURCE_ROW} <= set(frame.columns):
        return failure
    position = failure.row - 2  # spreadsheet row -> position in the frame that was validated
    if not 0 <= position < len(frame):
        return failure
    record = frame.iloc[position]
    source_id, source_row = record["source_id"], record[SOURCE_ROW]
    if pd.isna(source_id) or pd.isna(source_row) or source_id not in raw_io.raw_models(ctx.registry):
        return failure
    try:
        file = str(ctx.raw_file(str(source_id)))
    except KeyError:
        return failure
    return Failure(
        file, int(source_row), failure.column, f"{failure.check} [dataset {name}, row {failure.row}]",
        failure.value, failure.kind,
    )  # fmt: skip


def _unique(failures: list[Failure]) -> list[Failure]:
    """Each failure once (two builders reading one raw file may find the same unknown name)."""
    return list(dict.fromkeys(failures))


def run_builders(ctx: BuildContext, subjects: tuple[str, ...] = SUBJECTS) -> dict[str, pd.DataFrame]:
    """Run the builders of ``subjects`` in order and validate each dataset against its processed model.

    Failures of every subject are collected and raised together. A subject that needs a dataset
    whose subject failed is skipped: its failure would only repeat the first one. A subject built
    from raw files with failing rows (see :func:`validate_raw`) has its rules run but returns no
    dataset. Datasets already in ``ctx.outputs`` (from an earlier run) are what later subjects read.
    """
    failures: list[Failure] = []
    failed: set[str] = set()
    # outputs built from what passed (see PartialBuild): the later subjects' rules run on them, but
    # none of those subjects' datasets are published
    partial: set[str] = set()
    for subject in subjects:
        mine = {name for name, spec in DATASETS.items() if spec.subject == subject}
        progress.step(f"building {subject}")
        module = importlib.import_module(f"tipstats.pipeline.{subject}")
        ctx.partial_reads()  # start this subject's count afresh
        try:
            built = module.build(ctx)
        except PartialBuild as exc:
            failures += exc.failures
            failed |= mine
            partial |= set(exc.outputs)
            ctx.outputs.update(exc.outputs)
            ctx.partial_reads()
            continue
        except DataValidationError as exc:
            failures += exc.failures
            failed |= mine
            ctx.partial_reads()
            continue
        except UnusableInput:  # its failures are already listed
            failed |= mine
            ctx.partial_reads()
            continue
        except Exception as exc:
            upstream = isinstance(exc, KeyError) and exc.args and exc.args[0] in failed
            if upstream or ctx.partial_reads() or partial:
                # an upstream dataset failed, or a rule could not run on the rows that passed:
                # either way the failures that caused it are listed already
                failed |= mine
                continue
            raise
        if ctx.partial_reads() or partial:
            # built from the rows that passed: its rules have run; its datasets are incomplete, so
            # they are neither validated as a whole nor given to the subjects that read them
            failed |= mine
            continue
        for name, frame in built.items():
            try:
                ctx.outputs[name] = validate(DATASETS[name].model_class(), frame, f"{name} (processed)")
            except DataValidationError as exc:
                failures += [trace_to_raw(ctx, name, frame, f) for f in exc.failures]
                failed.add(name)
    if failures:
        raise DataValidationError(_unique(failures))
    wanted = [name for name, spec in DATASETS.items() if spec.subject in subjects and name not in failed]
    missing = set(wanted) - set(ctx.outputs)
    if missing:
        raise RuntimeError(f"no builder returned: {', '.join(sorted(missing))}")
    return {name: ctx.outputs[name] for name in wanted}


def build(
    raw_dir: Path = RAW_DIR,
    out_dir: Path = REPO_PROCESSED_DIR,
    reference_dir: Path = REFERENCE_DIR,
) -> BuildResult:
    """Build every dataset from ``raw_dir`` into ``out_dir``; nothing is written unless all validate."""
    from tipstats.metadata import CODEBOOK, DESCRIPTOR, write_metadata

    own_files = [*(spec.filename for spec in DATASETS.values()), DESCRIPTOR, CODEBOOK]
    refuse_unless_replaceable(Path(out_dir), own_files)  # before any work: a refused folder costs nothing
    registry = read_registry(reference_dir)
    ctx = BuildContext(Path(raw_dir), Path(reference_dir), registry)
    failures = validate_raw(ctx)
    try:
        datasets = run_builders(ctx)
    except DataValidationError as exc:
        raise DataValidationError(_unique([*failures, *exc.failures])) from None
    if failures:
        raise DataValidationError(failures)
    warnings = integrity_failures(raw_dir, registry)
    progress.step("writing")
    with published_directory(Path(out_dir), own_files) as staging:
        for name, frame in datasets.items():
            write_csv(frame, staging / DATASETS[name].filename)
        write_metadata(staging, datasets)
    return BuildResult(Path(out_dir), datasets, warnings, unregistered_files(raw_dir, registry))
