"""Shared test set-up: no network at run time, and paths to the repository's data."""

from __future__ import annotations

import socket
from collections import defaultdict

import pytest

from tipstats.paths import RAW_DIR, REFERENCE_DIR, REPO_PROCESSED_DIR


class NetworkBlocked(RuntimeError):
    pass


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    """Nothing reaches the network at run time: any socket connection fails the test."""

    def guard(*args, **kwargs):
        raise NetworkBlocked("tests must not use the network")

    # Local kernels (notebook tests) talk over loopback and Unix sockets; only remote hosts are blocked.
    real_connect = socket.socket.connect

    def connect(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and (host.startswith("127.") or host in {"localhost", "::1"} or "/" in host):
            return real_connect(self, address)
        guard()

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: guard())


@pytest.fixture(scope="session")
def raw_dir():
    return RAW_DIR


@pytest.fixture(scope="session")
def reference_dir():
    return REFERENCE_DIR


@pytest.fixture(scope="session")
def processed_dir():
    return REPO_PROCESSED_DIR


# -- one real build per test session ------------------------------------------------------------


class _RecordingOutputs(dict):
    """``ctx.outputs`` that notes which datasets the running subject reads."""

    def __init__(self, reads: dict[str, set[str]]):
        super().__init__()
        self.reads, self.subject = reads, None

    def __getitem__(self, name):
        self.reads[self.subject].add(name)
        return super().__getitem__(name)

    def get(self, name, default=None):
        self.reads[self.subject].add(name)
        return super().get(name, default)

    def __contains__(self, name):
        self.reads[self.subject].add(name)
        return super().__contains__(name)


class RealBuild:
    """The build of data/raw, made once per session: its validated raw frames, its datasets, and which raw
    sources and datasets each subject read (so a test that corrupts one file rebuilds only what reads it)."""

    def __init__(self):
        from tipstats.datasets import DATASETS, SUBJECTS
        from tipstats.pipeline import BuildContext, run_builders, validate_raw
        from tipstats.sources import read_registry

        self.registry = read_registry(REFERENCE_DIR)
        self.reads: dict[str | None, set[str]] = defaultdict(set)  # None: raw validation, before any subject
        self.subjects = SUBJECTS
        outputs = _RecordingOutputs(self.reads)
        reads = self.reads

        class Recording(BuildContext):
            def raw(self, source_id):
                reads[outputs.subject].add(source_id)
                return super().raw(source_id)

            def raw_file(self, source_id):
                reads[outputs.subject].add(source_id)
                return super().raw_file(source_id)

            def text(self, source_id):
                reads[outputs.subject].add(source_id)
                return super().text(source_id)

        ctx = Recording(RAW_DIR, REFERENCE_DIR, self.registry, outputs=outputs)
        assert validate_raw(ctx) == []
        for subject in SUBJECTS:
            outputs.subject = subject
            run_builders(ctx, (subject,))
        self.raw_frames = dict(ctx._raw_cache)
        self.datasets = {name: dict.__getitem__(outputs, name) for name in DATASETS}
        self.subject_of = {name: spec.subject for name, spec in DATASETS.items()}

    def affected_subjects(self, source_id: str) -> tuple[str, ...]:
        """The subjects that read ``source_id``, and every later subject that reads one of their datasets."""
        affected: list[str] = []
        for subject in self.subjects:
            read = self.reads[subject]
            upstream = {self.subject_of[name] for name in read if name in self.subject_of}
            if source_id in read or upstream & set(affected):
                affected.append(subject)
        return tuple(affected)

    def rebuild_with(self, raw_dir, source_id: str):
        """Validate and build from ``raw_dir`` as ``tipstats build`` does, re-reading only ``source_id`` and
        rerunning only the subjects it reaches; returns the DataValidationError, or None when all passed."""
        from tipstats.errors import DataValidationError
        from tipstats.pipeline import BuildContext, run_builders, validate_raw

        cache = {sid: frame for sid, frame in self.raw_frames.items() if sid != source_id}
        ctx = BuildContext(raw_dir, REFERENCE_DIR, self.registry, _raw_cache=cache)
        failures = validate_raw(ctx)
        subjects = self.affected_subjects(source_id)
        ctx.outputs = {n: f for n, f in self.datasets.items() if self.subject_of[n] not in subjects}
        try:
            run_builders(ctx, subjects)
        except DataValidationError as exc:
            failures += exc.failures
        return DataValidationError(failures) if failures else None


@pytest.fixture(scope="session")
def real_build() -> RealBuild:
    return RealBuild()


@pytest.fixture(scope="session")
def built(real_build) -> dict:
    """Every dataset of the real build, validated (shared by the topic test files)."""
    return real_build.datasets
