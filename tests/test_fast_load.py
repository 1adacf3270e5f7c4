"""The hash-verified load's speed-ups change nothing it returns: the hash computed beside the parse, text columns
left to pandas' inference (pyarrow strings), a large file's bytes read through an in-memory file."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

import tipstats
from tipstats import io as tio
from tipstats import loaders
from tipstats._loaders import COLUMNS
from tipstats.errors import DataValidationError


@pytest.fixture
def fresh_cache():
    loaders._load_validated.cache_clear()
    yield
    loaders._load_validated.cache_clear()


def test_a_large_file_reads_the_same_through_memory_as_from_a_buffer(processed_dir, monkeypatch):
    raw = (processed_dir / "glotip.csv").read_bytes()
    kinds = dict(COLUMNS["glotip"])
    assert len(raw) >= tio._MEMFD_MIN_BYTES  # the dataset the in-memory file is for
    sources = []
    real = pd.read_csv

    def spy(source, **options):
        sources.append(source)
        return real(source, **options)

    monkeypatch.setattr(tio.pd, "read_csv", spy)
    through_memory = tio.read_typed_csv(raw, kinds)
    via_memfd = isinstance(sources[0], str) and sources[0].startswith("/proc/self/fd/")
    assert via_memfd == (tio._STR.storage == "pyarrow" and hasattr(tio.os, "memfd_create"))
    monkeypatch.setattr(tio, "_MEMFD_MIN_BYTES", 1 << 40)
    from_buffer = tio.read_typed_csv(raw, kinds)
    pd.testing.assert_frame_equal(through_memory, from_buffer)


def test_text_columns_keep_their_text_whatever_pandas_would_infer():
    data = b"code,flag,empty,word,n\n001,True,,a,1\n010,False,,b,2\n"
    kinds = {"code": "str", "flag": "str", "empty": "str", "word": "str", "n": "int64"}
    frame = tio.read_typed_csv(data, kinds)
    assert frame["code"].tolist() == ["001", "010"]
    assert frame["flag"].tolist() == ["True", "False"]
    assert frame["empty"].isna().all() and frame["word"].tolist() == ["a", "b"]
    for column in ("code", "flag", "empty", "word"):
        assert frame[column].dtype == tio._STR, column


def test_the_hash_beside_the_parse_gives_the_full_models_frame(monkeypatch, fresh_cache):
    monkeypatch.setattr(loaders, "_HASH_BESIDE_BYTES", 0)  # every file through the second thread
    for name in ("trust_fund", "treaty_status"):
        pd.testing.assert_frame_equal(tipstats.load(name), tipstats.load(name, validate="full"))


def test_with_the_hash_beside_the_parse_an_edited_file_is_still_validated_in_full(
    tmp_path, processed_dir, monkeypatch, fresh_cache
):
    for path in processed_dir.iterdir():
        shutil.copy(path, tmp_path / path.name)
    target = tmp_path / "trust_fund.csv"
    lines = target.read_text(encoding="utf-8").splitlines()
    header, cells = lines[0].split(","), lines[1].split(",")
    cells[header.index("value")] = "-1"  # parses, but only the full model refuses it
    target.write_text("\n".join([lines[0], ",".join(cells), *lines[2:]]) + "\n", encoding="utf-8")
    monkeypatch.setenv("TIPSTATS_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(loaders, "_HASH_BESIDE_BYTES", 0)
    with pytest.raises(DataValidationError) as info:
        tipstats.load("trust_fund")
    assert any(f.column == "value" and f.row == 2 for f in info.value.failures)


def test_what_a_caller_changes_in_a_loaded_frame_never_reaches_the_next_load():
    import numpy as np

    original = tipstats.load("convictions")
    frame = tipstats.load("convictions")
    frame.loc[frame.index[0], "iso3"] = "XXX"
    frame.iloc[1, frame.columns.get_loc("year")] = -1
    frame["year"] += 1000
    del frame["source_id"]
    frame.index = frame.index + 1
    frame["new"] = 1
    series = tipstats.load("convictions")["year"]
    series.iloc[0] = 0
    with pytest.raises(ValueError):  # copy-on-write hands out read-only arrays
        tipstats.load("convictions")["year"].to_numpy()[0] = 0
    pd.testing.assert_frame_equal(tipstats.load("convictions"), original)
    assert not np.shares_memory(frame["year"].to_numpy(), original["year"].to_numpy())
