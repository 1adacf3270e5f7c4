"""Every dataset loads and validates; metadata are complete and up to date with the models."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

import tipstats
from tipstats.datasets import DATASETS
from tipstats.metadata import CODEBOOK, DESCRIPTOR, codebook, descriptor, model_info

NAMES = list(DATASETS)


@pytest.mark.parametrize("name", NAMES)
def test_dataset_loads_validated_and_sourced(name):
    frame = tipstats.load(name)
    assert len(frame) > 0
    source_columns = [c for c in frame.columns if c == "source_id" or c.endswith("_source_id")]
    assert "source_id" in source_columns, f"{name} has no source_id column"
    assert frame["source_id"].notna().all()
    registry = set(pd.read_csv("data/reference/sources.csv", dtype=str)["source_id"])
    for column in source_columns:
        assert set(frame[column].dropna()) <= registry, column


@pytest.mark.parametrize("name", NAMES)
def test_model_documents_every_column(name):
    info = model_info(name)
    assert info["title"] and len(info["description"]) > 40
    assert info["key"], f"{name} declares no key"
    assert info["as_of"]
    for column in info["columns"]:
        assert len(column["description"]) >= 8, f"{name}.{column['name']} is undocumented"
    frame = tipstats.load(name)
    assert not frame.duplicated(info["key"]).any(), f"{name} key {info['key']} is not unique"


@pytest.mark.parametrize("name", NAMES)
def test_named_loader_docstring_tables_every_column(name):
    loader = getattr(tipstats, f"load_{name}")
    frame = loader()
    pd.testing.assert_frame_equal(frame, tipstats.load(name))
    for column in frame.columns:
        assert column in loader.__doc__


def test_describe_gives_sources_with_citation_and_licence():
    info = tipstats.describe("treaty_events")
    ids = set(info.sources["source_id"])
    assert {"untc_tip_2018", "a76120"} <= ids
    assert (info.sources["citation"].str.len() > 0).all() and (info.sources["licence"].str.len() > 0).all()
    assert info.caveats


def test_load_returns_a_copy():
    first = tipstats.load("countries")
    first.loc[0, "name"] = "changed"
    assert tipstats.load("countries").loc[0, "name"] != "changed"


def test_unknown_dataset_names_the_known_ones():
    with pytest.raises(KeyError, match="treaty_events"):
        tipstats.load("treaties")


def test_codebook_and_descriptor_are_up_to_date_with_models(processed_dir):
    datasets = {name: tipstats.load(name) for name in NAMES}
    assert (processed_dir / CODEBOOK).read_text(encoding="utf-8") == codebook(datasets)
    committed = json.loads((processed_dir / DESCRIPTOR).read_text(encoding="utf-8"))
    assert committed == descriptor(processed_dir, datasets)


def test_descriptor_lists_every_dataset_with_hash_and_size(processed_dir):
    committed = json.loads((processed_dir / DESCRIPTOR).read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in committed["resources"]}
    assert set(resources) == set(NAMES)
    for resource in resources.values():
        assert resource["hash"].startswith("sha256:") and resource["bytes"] > 0
        assert resource["sources"] and resource["licenses"]


@pytest.mark.slow
def test_frictionless_validates_the_data_package(processed_dir):
    exe = [sys.executable, "-m", "frictionless", "validate", str(processed_dir / DESCRIPTOR)]
    out = subprocess.run(exe, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout[-3000:]


def test_known_source_facts_are_present():
    events = tipstats.load("treaty_events")
    untc = events[(events["treaty"] == "tip_protocol") & (events["source_id"] == "untc_tip_2018")]
    assert (untc["action_date"] < "2018-01-01").sum() == 173
    report = events[events["source_id"] == "a76120"].set_index("participant")["action_date"]
    assert report.to_dict() == {
        "Brunei Darussalam": pd.Timestamp("2020-03-30"),
        "Comoros": pd.Timestamp("2020-06-23"),
        "Nepal": pd.Timestamp("2020-06-16"),
    }
    counts = tipstats.load("party_counts")
    assert ((counts["source_id"] == "a76120") & (counts["parties"] == 178)).any()


@pytest.mark.parametrize("name", NAMES)
def test_fast_load_equals_full_validation(name):
    """The hash-verified path returns exactly what the full pandera model returns."""
    pd.testing.assert_frame_equal(tipstats.load(name), tipstats.load(name, validate="full"))


def test_an_edited_processed_file_is_validated_in_full(tmp_path, processed_dir, monkeypatch):
    import shutil

    for path in processed_dir.iterdir():
        shutil.copy(path, tmp_path / path.name)
    target = tmp_path / "trust_fund.csv"
    text = target.read_text(encoding="utf-8").splitlines()
    header = text[0].split(",")
    cells = text[1].split(",")
    cells[header.index("value")] = "-1"  # a negative amount: only the full model catches it
    target.write_text("\n".join([text[0], ",".join(cells), *text[2:]]) + "\n", encoding="utf-8")
    monkeypatch.setenv("TIPSTATS_DATA_DIR", str(tmp_path))
    from tipstats.errors import DataValidationError

    with pytest.raises(DataValidationError) as info:
        tipstats.load("trust_fund")
    assert any(f.column == "value" and f.row == 2 for f in info.value.failures)


def test_load_rejects_an_unknown_validation_mode():
    with pytest.raises(ValueError, match="auto"):
        tipstats.load("countries", validate="none")


def test_a_hash_verified_load_needs_no_pandera_and_an_edited_file_brings_it(tmp_path, processed_dir):
    """Every dataset loads by the fast path without importing the validation library; a file whose bytes
    differ from the descriptor's hash is validated in full by pandera."""
    import os
    import shutil

    code = (
        "import sys, tipstats\n"
        "for name in tipstats.list_datasets():\n"
        "    tipstats.load(name)\n"
        "print('pandera' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    for path in processed_dir.iterdir():
        shutil.copy(path, tmp_path / path.name)
    from tipstats.io import write_csv

    edited = tipstats.load("trust_fund")
    edited.loc[0, "note"] = "edited by hand"  # still valid, but no longer the bytes the build validated
    write_csv(edited, tmp_path / "trust_fund.csv")
    code = "import sys, tipstats\nframe = tipstats.load('trust_fund')\nprint(frame.loc[0, 'note'], 'pandera' in sys.modules)\n"
    env = {**os.environ, "TIPSTATS_DATA_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "edited by hand True"


@pytest.mark.parametrize("name", NAMES)
def test_the_generated_dtypes_are_what_the_model_coerces_to(name):
    from tipstats._loaders import COLUMNS
    from tipstats.datasets import get
    from tipstats.io import promised_dtype

    schema = get(name).model_class().to_schema()
    assert [column for column, _ in COLUMNS[name]] == list(schema.columns)
    for column, kind in COLUMNS[name]:
        assert promised_dtype(kind) == schema.columns[column].dtype.type, (name, column)


def test_the_fast_path_names_the_file_when_its_columns_differ(tmp_path, processed_dir, monkeypatch):
    """A file whose hash matches the descriptor but whose header differs from the model (a model changed
    after the build) is refused by the fast path, with the file named."""
    import hashlib
    import json
    import shutil

    for path in processed_dir.iterdir():
        shutil.copy(path, tmp_path / path.name)
    target = tmp_path / "trust_fund.csv"
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("figure_id", "figure", 1), encoding="utf-8")
    descriptor_path = tmp_path / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        if resource["name"] == "trust_fund":
            resource["hash"] = "sha256:" + hashlib.sha256(target.read_bytes()).hexdigest()
    descriptor_path.write_text(json.dumps(descriptor), encoding="utf-8")
    monkeypatch.setenv("TIPSTATS_DATA_DIR", str(tmp_path))
    with pytest.raises(ValueError, match=r"trust_fund\.csv: columns"):
        tipstats.load("trust_fund")
