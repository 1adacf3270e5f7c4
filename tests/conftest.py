"""Shared test set-up: no network at run time, and paths to the repository's data."""

from __future__ import annotations

import socket

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
