"""Results that take seconds to compute, kept until what they are computed from changes.

The claims audit and the convictions analysis fit count models (statsmodels), which costs a few
seconds; the notebooks, the tables and ``tipstats claims`` all want the same result of the same
data. :func:`cached_frame` computes a table once and gives the stored copy back while its *key*
is unchanged. The key is a hash of everything the result can depend on:

- the processed folder's ``datapackage.json`` (it holds every dataset's SHA-256);
- every file of the reviewed reference folder (the claims registry, the non-claims list, ...);
- the size and modification time of every raw file (the audit reads the report text and a few
  raw files directly);
- the source of the ``tipstats`` package itself, its version and those of the libraries that compute
  (:data:`LIBRARIES`).

Where: ``$TIPSTATS_CACHE_DIR`` if set (``off`` turns the cache off), else ``.make/cache`` in a
source checkout, else ``~/.cache/tipstats`` (``$XDG_CACHE_HOME``). A cache that cannot be read or
written is skipped silently: the result is then computed, never wrong.
"""

from __future__ import annotations

import collections
import contextlib
import hashlib
import os
import pickle
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import pandas as pd

from tipstats.paths import PACKAGE_DIR, RAW_DIR, REFERENCE_DIR, REPO_DIR, processed_dir

OFF = "off"
LIBRARIES = ("pandas", "numpy", "scipy", "statsmodels", "pandera")


def cache_dir() -> Path | None:
    """The folder results are kept in, or None when the cache is off."""
    override = os.environ.get("TIPSTATS_CACHE_DIR")
    if override:
        return None if override == OFF else Path(override)
    if (REPO_DIR / "pyproject.toml").is_file() and (REPO_DIR / "src" / "tipstats").is_dir():
        return REPO_DIR / ".make" / "cache"
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "tipstats"


def _files(folder: Path, pattern: str = "*") -> list[Path]:
    return sorted(p for p in Path(folder).rglob(pattern) if p.is_file() and "__pycache__" not in p.parts)


def inputs_key() -> str:
    """A hash of the data, the reference files, the raw files' sizes and dates, and the code."""
    from tipstats import __version__

    digest = hashlib.sha256(__version__.encode())
    for library in LIBRARIES:  # results change with the libraries that compute them
        try:
            digest.update(f"{library}={metadata.version(library)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library} absent".encode())
    descriptor = processed_dir() / "datapackage.json"
    digest.update(descriptor.read_bytes() if descriptor.is_file() else b"no descriptor")
    for path in _files(REFERENCE_DIR):
        digest.update(path.name.encode() + path.read_bytes())
    for path in _files(RAW_DIR):
        info = path.stat()
        digest.update(f"{path.relative_to(RAW_DIR)}:{info.st_size}:{info.st_mtime_ns}".encode())
    for path in _files(PACKAGE_DIR, "*.py"):
        digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()


@contextlib.contextmanager
def one_thread():
    """A context in which the libraries that split sums between threads use one thread, so that a result has the
    same bits whatever the machine's cores and the caller's settings.

    - BLAS (numpy's and scipy's OpenBLAS): a result computed with two threads differs in its last bits from one
      computed with one, enough to move a pixel of a figure (``OPENBLAS_NUM_THREADS`` of the caller); limited with
      threadpoolctl while the context lasts.
    - diff-diff's Rust backend (rayon): its thread pool has one thread per core unless ``RAYON_NUM_THREADS`` says
      otherwise, and its sums differ with the count. The pool is made at its first use in a process, so the
      variable is set here for that moment (and put back after); a process that used diff-diff's parallel code
      before its first tipstats computation keeps the pool it made.
    The models here are small: one thread is also the faster.
    """
    previous = os.environ.get("RAYON_NUM_THREADS")
    os.environ["RAYON_NUM_THREADS"] = "1"
    try:
        try:
            from threadpoolctl import threadpool_limits
        except ImportError:  # no analysis extra (which brings it): nothing computed then uses BLAS much
            yield
            return
        # scipy brings its own BLAS, and the limit reaches only the libraries loaded when it is set
        with contextlib.suppress(ImportError):
            import scipy.linalg  # noqa: F401
        with threadpool_limits(limits=1, user_api="blas"):
            yield
    finally:
        if previous is None:
            os.environ.pop("RAYON_NUM_THREADS", None)
        else:
            os.environ["RAYON_NUM_THREADS"] = previous


def cached_frame(
    name: str, compute: Callable[[], pd.DataFrame], *, keep: Callable[[pd.DataFrame], bool] | None = None
) -> pd.DataFrame:
    """``compute()``, or the copy kept from an earlier call with the same :func:`inputs_key`.

    ``keep``: whether a computed frame may be kept (e.g. not when a computation failed).
    """
    folder = cache_dir()
    if folder is None:
        with one_thread():
            return compute()
    try:
        path = folder / f"{name}-{inputs_key()}.pickle"
    except OSError:
        with one_thread():
            return compute()
    try:
        with path.open("rb") as handle:
            frame = pickle.load(handle)  # written by this module only (below), never received
        if isinstance(frame, pd.DataFrame):
            return frame.copy()
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
        pass
    with one_thread():
        frame = compute()
    if keep is None or keep(frame):
        _store(folder, name, path, frame)
    return frame.copy()


def _store(folder: Path, name: str, path: Path, frame: pd.DataFrame) -> None:
    """Keep ``frame`` at ``path`` (whole or not at all) and drop older copies of ``name``."""
    from tipstats.io import write_atomically

    try:
        write_atomically(pickle.dumps(frame, protocol=pickle.HIGHEST_PROTOCOL), path)
        for older in folder.glob(f"{name}-*.pickle"):
            if older != path:
                older.unlink(missing_ok=True)
    except OSError:
        pass


#: How often each :func:`cached_when_default` function was computed in this process (cache misses and
#: calls on frames of the caller's own): a caller that passes frames it loaded itself bypasses the cache
#: without a sign, and the tests read this to catch it.
COMPUTED: collections.Counter[str] = collections.Counter()


def cached_when_default(function: Callable[..., pd.DataFrame]) -> Callable[..., pd.DataFrame]:
    """Decorate an analysis function so that a call on the packaged datasets is computed once.

    A call in which every DataFrame argument is left at None (the function then loads the packaged
    datasets) goes through :func:`cached_frame`, keyed by the function and its other arguments; a call
    given any frame of its own is always computed. This is how the tables, the figures, the claims
    audit and the notebooks share one computation per data change.
    """
    import functools
    import inspect

    signature = inspect.signature(function)
    frame_parameters = [name for name, p in signature.parameters.items() if "DataFrame" in str(p.annotation)]

    qualified = f"{function.__module__}.{function.__qualname__}"

    def compute(*args, **kwargs) -> pd.DataFrame:
        COMPUTED[qualified] += 1
        return function(*args, **kwargs)

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        if any(bound.arguments.get(name) is not None for name in frame_parameters):
            with one_thread():  # as cached_frame computes
                return compute(*args, **kwargs)
        others = {k: v for k, v in bound.arguments.items() if k not in frame_parameters}
        options = hashlib.sha256(repr(sorted(others.items())).encode()).hexdigest()[:16]
        return cached_frame(f"{qualified}.{options}", lambda: compute(*args, **kwargs))

    return wrapper
