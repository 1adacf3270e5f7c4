"""``tipstats build``: raw files -> validated processed datasets, written all or nothing.

Each topic module (``tipstats.pipeline.<topic>``) has one function ``build(ctx)`` that reads
its raw inputs through ``ctx``, derives its datasets with pure pandas code and returns
them by name. This module validates both sides and writes the results atomically.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from tipstats import raw as raw_io
from tipstats.datasets import DATASETS, TOPICS
from tipstats.errors import DataValidationError, Failure
from tipstats.io import atomic_directory, read_raw_csv, write_csv
from tipstats.paths import RAW_DIR, REFERENCE_DIR, REPO_PROCESSED_DIR
from tipstats.schemas.base import validate
from tipstats.sources import integrity_failures, read_registry


class UpstreamFailed(KeyError):
    """A builder asked for the output of a topic that failed earlier in the same build."""


class Outputs(dict):
    """``ctx.outputs``: datasets built so far; asking for one whose topic failed raises :class:`UpstreamFailed`.

    While ``reads`` is a set, it collects the names a builder looks at (for :func:`reuse_unchanged_topics`).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.failed: set[str] = set()
        self.reads: set[str] | None = None

    def __missing__(self, name: str):
        if name in self.failed:
            raise UpstreamFailed(name)
        raise KeyError(f"dataset {name!r} is not built yet: its topic must come earlier in TOPICS")

    def __getitem__(self, name: str) -> pd.DataFrame:
        if self.reads is not None:
            self.reads.add(name)
        return super().__getitem__(name)

    def get(self, name: str, default=None):
        return self[name] if name in self else default  # noqa: SIM401 (self.get would recurse)

    def __contains__(self, name: object) -> bool:
        if self.reads is not None and isinstance(name, str):
            self.reads.add(name)
        return super().__contains__(name)

    def _read_all(self) -> None:
        if self.reads is not None:
            self.reads.update(super().keys())

    def keys(self):
        self._read_all()
        return super().keys()

    def values(self):
        self._read_all()
        return super().values()

    def items(self):
        self._read_all()
        return super().items()

    def __iter__(self):
        self._read_all()
        return super().__iter__()


@dataclass
class BuildContext:
    """What a topic builder may read: raw files by source_id, reference files, earlier outputs."""

    raw_dir: Path
    reference_dir: Path
    registry: pd.DataFrame
    outputs: dict[str, pd.DataFrame] = field(default_factory=Outputs)
    _raw_cache: dict[str, pd.DataFrame] = field(default_factory=dict)
    # while a topic runs under reuse_unchanged_topics(): the files it read -> their sha256
    _deps: dict[tuple[str, str], str | None] | None = None

    def _note(self, kind: str, name: str) -> None:
        if self._deps is not None and (kind, name) not in self._deps:
            self._deps[(kind, name)] = _current(self, (kind, name))

    def raw_path(self, source_id: str) -> str:
        rows = self.registry.loc[self.registry["source_id"] == source_id, "raw_path"]
        if rows.empty or pd.isna(rows.iloc[0]):
            raise KeyError(f"source {source_id!r} has no raw file in the registry")
        return str(rows.iloc[0])

    def raw(self, source_id: str) -> pd.DataFrame:
        """The raw CSV of ``source_id`` as text, validated by its raw model (copy)."""
        self._note("raw", self.raw_path(source_id))
        if source_id not in self._raw_cache:
            self._raw_cache[source_id] = raw_io.read_raw(
                self.raw_dir, source_id, self.raw_path(source_id), self.registry
            )
        return self._raw_cache[source_id].copy()

    def raw_file(self, source_id: str) -> Path:
        self._note("raw", self.raw_path(source_id))
        return Path(self.raw_dir) / self.raw_path(source_id)

    def text(self, source_id: str) -> str:
        self._note("raw", self.raw_path(source_id))
        return raw_io.read_text(self.raw_dir, self.raw_path(source_id))

    def reference(self, filename: str) -> pd.DataFrame:
        """A reviewed reference file (``data/reference/<filename>``) as text columns."""
        self._note("reference", filename)
        path = Path(self.reference_dir) / filename
        return read_raw_csv(path, str(path))


# -- reuse of unchanged topics (off unless asked for) ----------------------------------------------
#
# A test suite that builds hundreds of times, each time with one raw file changed, need not rerun the
# topics that file does not reach. Under ``reuse_unchanged_topics()`` a topic is skipped when every
# file it read has the same bytes, and every dataset it read has the same content, as in an earlier
# successful build of this process; its validated datasets are then reused. Builders read only
# through ``ctx`` (CONTRIBUTING), which is what makes their inputs known. `tipstats build` never
# turns this on.

_REUSE = False
_TOPIC_MEMO: dict[str, list[tuple[dict, dict[str, pd.DataFrame]]]] = {}
MEMO_PER_TOPIC = 4


@contextlib.contextmanager
def reuse_unchanged_topics() -> Iterator[None]:
    """Within this block, builds reuse a topic's datasets when none of its inputs changed (see above)."""
    global _REUSE
    previous, _REUSE = _REUSE, True
    try:
        yield
    finally:
        _REUSE = previous


def clear_topic_memo() -> None:
    _TOPIC_MEMO.clear()


def frame_fingerprint(frame: pd.DataFrame) -> str:
    """sha256 of a frame's columns, dtypes, index and values."""
    digest = hashlib.sha256()
    digest.update(repr([str(c) for c in frame.columns]).encode())
    digest.update(repr([str(t) for t in frame.dtypes]).encode())
    digest.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    return digest.hexdigest()


def _current(ctx: BuildContext, key: tuple[str, str]) -> str | None:
    kind, name = key
    if kind == "raw":
        path = Path(ctx.raw_dir) / name
        return raw_io.file_sha256(path) if path.is_file() else None
    if kind == "reference":
        path = Path(ctx.reference_dir) / name
        return raw_io.file_sha256(path) if path.is_file() else None
    if kind == "output":
        frame = dict.get(ctx.outputs, name)
        return None if frame is None else frame_fingerprint(frame)
    if kind == "registry":
        return frame_fingerprint(ctx.registry)
    raise ValueError(kind)  # pragma: no cover


def _memo_lookup(ctx: BuildContext, topic: str) -> dict[str, pd.DataFrame] | None:
    for deps, frames in _TOPIC_MEMO.get(topic, []):
        if all(_current(ctx, key) == value for key, value in deps.items()):
            return frames
    return None


def _memo_store(topic: str, deps: dict, frames: dict[str, pd.DataFrame]) -> None:
    entries = _TOPIC_MEMO.setdefault(topic, [])
    entries.insert(0, (deps, {name: frame.copy() for name, frame in frames.items()}))
    del entries[MEMO_PER_TOPIC:]


@dataclass
class BuildResult:
    out_dir: Path
    datasets: dict[str, pd.DataFrame]
    warnings: list[Failure]


def validate_raw(ctx: BuildContext) -> list[Failure]:
    """Read and validate every raw CSV that has a model; return all failures."""
    failures: list[Failure] = []
    for source_id in raw_io.raw_models(ctx.registry):
        try:
            ctx.raw(source_id)
        except DataValidationError as exc:
            failures += exc.failures
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


def run_builders(ctx: BuildContext) -> dict[str, pd.DataFrame]:
    """Run every topic builder in order and validate each dataset against its processed model.

    Failures of every topic are collected and raised together. A topic that needs a dataset
    whose topic failed is skipped: its failure would only repeat the first one.
    """
    failures: list[Failure] = []
    outputs = ctx.outputs if isinstance(ctx.outputs, Outputs) else Outputs(ctx.outputs)
    ctx.outputs = outputs
    for topic in TOPICS:
        mine = {name for name, spec in DATASETS.items() if spec.topic == topic}
        if _REUSE:
            reused = _memo_lookup(ctx, topic)
            if reused is not None:
                for name, frame in reused.items():
                    dict.__setitem__(outputs, name, frame.copy())
                continue
        module = importlib.import_module(f"tipstats.pipeline.{topic}")
        ctx._deps, outputs.reads = ({}, set()) if _REUSE else (None, None)
        try:
            built = module.build(ctx)
        except DataValidationError as exc:
            failures += exc.failures
            outputs.failed |= mine
            continue
        except UpstreamFailed:
            outputs.failed |= mine
            continue
        finally:
            deps, reads = ctx._deps, outputs.reads
            ctx._deps, outputs.reads = None, None
        validated: dict[str, pd.DataFrame] = {}
        for name, frame in built.items():
            spec = DATASETS[name]
            try:
                validated[name] = validate(spec.model_class(), frame, f"{name} (processed)")
            except DataValidationError as exc:
                failures += [trace_to_raw(ctx, name, frame, f) for f in exc.failures]
                outputs.failed.add(name)
        for name, frame in validated.items():
            dict.__setitem__(outputs, name, frame)
        if deps is not None and len(validated) == len(built):
            deps.update({("output", name): _current(ctx, ("output", name)) for name in sorted(reads or ())})
            deps[("registry", "")] = _current(ctx, ("registry", ""))
            _memo_store(topic, deps, validated)
    if failures:
        raise DataValidationError(failures)
    missing = set(DATASETS) - set(dict.keys(outputs))
    if missing:
        raise RuntimeError(f"no builder returned: {', '.join(sorted(missing))}")
    return {name: dict.__getitem__(outputs, name) for name in DATASETS}


def build(
    raw_dir: Path = RAW_DIR,
    out_dir: Path = REPO_PROCESSED_DIR,
    reference_dir: Path = REFERENCE_DIR,
) -> BuildResult:
    """Build every dataset from ``raw_dir`` into ``out_dir``; nothing is written unless all validate."""
    from tipstats.metadata import write_metadata

    registry = read_registry(reference_dir)
    ctx = BuildContext(Path(raw_dir), Path(reference_dir), registry)
    failures = validate_raw(ctx)
    if failures:
        raise DataValidationError(failures)
    datasets = run_builders(ctx)
    warnings = integrity_failures(raw_dir, registry)
    with atomic_directory(Path(out_dir)) as staging:
        for name, frame in datasets.items():
            write_csv(frame, staging / DATASETS[name].filename)
        write_metadata(staging, datasets)
    return BuildResult(Path(out_dir), datasets, warnings)
