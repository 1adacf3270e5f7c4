"""The results cache: computed once per set of inputs, recomputed when any input changes, never wrong."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from tipstats import cache
from tipstats.paths import REFERENCE_DIR


class Counter:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> pd.DataFrame:
        self.calls += 1
        return pd.DataFrame({"run": [self.calls]})


@pytest.fixture
def cache_folder(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("TIPSTATS_CACHE_DIR", str(folder))
    return folder


def test_a_result_is_computed_once_while_its_inputs_stay_the_same(cache_folder):
    compute = Counter()
    first = cache.cached_frame("example", compute)
    second = cache.cached_frame("example", compute)
    assert compute.calls == 1 and first.equals(second)
    second.loc[0, "run"] = 99  # a caller changing its copy does not change the kept one
    assert cache.cached_frame("example", compute)["run"].tolist() == [1]
    assert [p.name.split("-")[0] for p in cache_folder.iterdir()] == ["example"]


def test_a_changed_reference_file_gives_a_new_key_and_a_new_result(cache_folder, tmp_path, monkeypatch):
    reference = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, reference)
    monkeypatch.setattr(cache, "REFERENCE_DIR", reference)
    compute = Counter()
    cache.cached_frame("example", compute)
    before = cache.inputs_key()
    with (reference / "claims.csv").open("a", encoding="utf-8") as handle:
        handle.write("\n")
    assert cache.inputs_key() != before
    assert cache.cached_frame("example", compute)["run"].tolist() == [2]
    assert len(list(cache_folder.glob("example-*.pickle"))) == 1  # the stale copy is dropped


def test_a_changed_dataset_descriptor_gives_a_new_key(tmp_path, monkeypatch):
    from tipstats.paths import processed_dir

    data = tmp_path / "processed"
    shutil.copytree(processed_dir(), data)
    monkeypatch.setenv("TIPSTATS_DATA_DIR", str(data))
    before = cache.inputs_key()
    descriptor = data / "datapackage.json"
    descriptor.write_text(descriptor.read_text(encoding="utf-8").replace('"sha256"', '"sha256" ', 1))
    assert cache.inputs_key() != before


def test_off_unwritable_or_damaged_caches_compute_and_never_fail(tmp_path, monkeypatch):
    compute = Counter()
    monkeypatch.setenv("TIPSTATS_CACHE_DIR", cache.OFF)
    cache.cached_frame("example", compute)
    cache.cached_frame("example", compute)
    assert compute.calls == 2

    blocker = tmp_path / "a file, not a folder"
    blocker.write_text("x")
    monkeypatch.setenv("TIPSTATS_CACHE_DIR", str(blocker / "cache"))
    assert cache.cached_frame("example", compute)["run"].tolist() == [3]

    folder = tmp_path / "damaged"
    monkeypatch.setenv("TIPSTATS_CACHE_DIR", str(folder))
    cache.cached_frame("example", compute)
    for path in folder.glob("example-*.pickle"):
        path.write_bytes(b"not a pickle")
    assert cache.cached_frame("example", compute)["run"].tolist() == [5]


def test_a_result_that_keep_refuses_is_computed_again(cache_folder):
    compute = Counter()
    cache.cached_frame("example", compute, keep=lambda frame: False)
    cache.cached_frame("example", compute, keep=lambda frame: False)
    assert compute.calls == 2 and not list(cache_folder.glob("*.pickle"))


def test_the_kept_audit_is_the_audit(cache_folder):
    import tipstats
    from tipstats.claims_audit.registry import load_registry

    first = tipstats.audit()
    assert list(cache_folder.glob("claims_audit-*.pickle"))
    kept = tipstats.audit()
    fresh = tipstats.audit(registry=load_registry())  # an explicit registry is never served from the cache
    pd.testing.assert_frame_equal(first, kept)
    pd.testing.assert_frame_equal(kept, fresh)
    pd.testing.assert_frame_equal(
        tipstats.audit(notebook="01-ratification"),
        tipstats.audit(notebook="01-ratification", registry=load_registry()),
    )


def test_an_analysis_on_the_packaged_data_is_computed_once_and_one_on_given_frames_always(cache_folder):
    calls = []

    @cache.cached_when_default
    def rates(
        convictions: pd.DataFrame | None = None, *, window: tuple[int, int] = (2003, 2018)
    ) -> pd.DataFrame:
        calls.append((convictions is None, window))
        return pd.DataFrame({"n": [len(calls)], "start": [window[0]]})

    assert rates()["n"].tolist() == [1]
    assert rates()["n"].tolist() == [1]  # kept
    assert rates(window=(2003, 2018))["n"].tolist() == [1]  # the same call spelled out
    assert rates(window=(2005, 2018))["start"].tolist() == [2005]  # other options: another result
    given = pd.DataFrame({"x": [1]})
    rates(given)
    rates(given)
    assert calls == [(True, (2003, 2018)), (True, (2005, 2018)), (False, (2003, 2018)), (False, (2003, 2018))]


def test_the_convictions_tables_come_from_the_same_computation_as_the_figures_and_the_audit(cache_folder):
    import tipstats
    from tipstats.analysis import convictions as analysis

    first = analysis.verdicts()
    assert len(list(cache_folder.glob("*verdicts*.pickle"))) == 1
    pd.testing.assert_frame_equal(first, analysis.verdicts())
    pd.testing.assert_frame_equal(first, analysis.verdicts(tipstats.load("convictions")))


def test_figures_and_the_audit_draw_the_convictions_analysis_from_the_tables_computation(
    cache_folder, tmp_path
):
    # A figure or the audit that loads the datasets itself and passes them on bypasses the cache and pays
    # for the whole analysis again (the specification curve figure once did: 7 s of every build).
    import tipstats
    from tipstats import figures
    from tipstats.analysis.convictions import write_tables
    from tipstats.claims_audit.registry import load_registry

    write_tables(tmp_path / "tables")
    cache.COMPUTED.clear()
    for name in figures.FIGURES:
        figures.draw(name)
    tipstats.audit(registry=load_registry())
    assert dict(cache.COMPUTED) == {}


def test_a_notebook_audit_computes_only_its_own_claims_and_agrees_with_the_whole(cache_folder):
    # notebooks 01, 02, 04 and 05 close with tipstats.audit(notebook=...): with an empty cache (a notebook run
    # beside the build's tables step) it once computed the whole audit, the convictions analysis included (26 s)
    import tipstats
    from tipstats.claims_audit import NOTEBOOKS, READING_COLUMNS

    cache.COMPUTED.clear()
    own = {notebook: tipstats.audit(notebook=notebook) for notebook in ("01-ratification", "05-trust-fund")}
    assert dict(cache.COMPUTED) == {}  # none of the convictions analysis
    whole = tipstats.audit()
    for notebook in NOTEBOOKS:
        expected = whole.loc[whole["see_also"] == notebook, READING_COLUMNS].reset_index(drop=True)
        got = own.get(notebook)
        pd.testing.assert_frame_equal(got if got is not None else tipstats.audit(notebook=notebook), expected)


def test_an_analysis_computes_with_one_thread_whatever_the_caller_set(cache_folder, monkeypatch):
    import os

    import scipy.linalg  # noqa: F401  (its BLAS loaded, so that the caller's limit below reaches it too)
    from threadpoolctl import threadpool_info, threadpool_limits

    def blas_threads() -> dict[str, int]:
        return {lib["filepath"]: lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"}

    seen = []

    rayon = []

    @cache.cached_when_default
    def analysis(frame: pd.DataFrame | None = None) -> pd.DataFrame:
        seen.append(blas_threads())
        rayon.append(os.environ.get("RAYON_NUM_THREADS"))
        return pd.DataFrame({"x": [1]})

    monkeypatch.setenv("RAYON_NUM_THREADS", "4")
    with threadpool_limits(limits=2, user_api="blas"):
        before = blas_threads()
        analysis(pd.DataFrame({"x": [0]}))  # computed: frames of the caller's own
        analysis()  # computed once, then kept
        analysis()
        after = blas_threads()
    # the caller's two threads (a single-threaded build, as diff-diff's own OpenBLAS, stays at 1)
    assert 2 in before.values()
    assert len(seen) == 2 and all(set(threads.values()) == {1} for threads in seen)
    assert len(seen[0]) >= 2  # numpy's BLAS and scipy's own
    assert after == before  # the caller's setting is back afterwards
    assert rayon == ["1", "1"] and os.environ.get("RAYON_NUM_THREADS") == "4"  # diff-diff's pool: the same


# The last bits of a fit depend on how many threads split its sums: the same figure came out with other pixels
# from a shell (two BLAS threads) than from make (one), through results kept in the cache.
EVENT_STUDY = """
import hashlib, sys
import pandas as pd
from tipstats.analysis.convictions import staggered_design as sd
table = sd.estimator_comparison(yardsticks=(sd.YARDSTICK_KELLEY,))
print(hashlib.sha256(pd.util.hash_pandas_object(table, index=True).to_numpy().tobytes()).hexdigest())
"""


def test_the_event_study_has_the_same_bits_whatever_the_thread_counts_of_the_environment():
    # BLAS threads (OPENBLAS_NUM_THREADS) and diff-diff's Rust pool (RAYON_NUM_THREADS, else one per core: another
    # machine's count) both changed the last bits
    import os
    import subprocess
    import sys

    runs = []
    for threads in ("1", "3"):
        env = {**os.environ, "OPENBLAS_NUM_THREADS": threads, "OMP_NUM_THREADS": threads}
        env.update({"RAYON_NUM_THREADS": threads, "TIPSTATS_CACHE_DIR": "off"})
        runs.append(
            subprocess.Popen([sys.executable, "-c", EVENT_STUDY], env=env, stdout=subprocess.PIPE, text=True)
        )
    digests = [run.communicate(timeout=300)[0].strip() for run in runs]
    assert all(run.returncode == 0 for run in runs)
    assert digests[0] == digests[1] and len(digests[0]) == 64


FIRST_FIGURE = """
import sys
import tipstats
from tipstats.figures import _claims
frame = _claims.registry()
tipstats.audit(notebook="02-legislation")  # how every notebook closes
print(len(frame), "pandera" in sys.modules)
"""


def test_a_notebook_reads_the_validated_registry_without_pandera_once_it_is_kept(cache_folder):
    # The first figure of every notebook validated the claims registry, importing pandera (and with it
    # hypothesis): most of a second per notebook. Kept once validated, it is read back without either.
    import subprocess
    import sys

    from tipstats.claims_audit.registry import load_registry

    runs = [
        subprocess.run(
            [sys.executable, "-c", FIRST_FIGURE], capture_output=True, text=True, check=True
        ).stdout.split()
        for _ in range(2)
    ]
    rows = str(len(load_registry()))
    assert runs == [[rows, "True"], [rows, "False"]]  # validated once, then read back
    assert len(list(cache_folder.glob("tipstats.claims_audit.registry.load_registry-*.pickle"))) == 1
