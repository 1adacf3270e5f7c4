"""The origin records beside the raw data, the registry generated from them, and builders asking it."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest

from tipstats import sources
from tipstats.loaders import load
from tipstats.paths import RAW_DIR, REFERENCE_DIR
from tipstats.pipeline import BuildContext
from tipstats.pipeline import treaty as treaty_builder
from tipstats.pipeline import trust_fund as trust_fund_builder
from tipstats.raw import raw_model, raw_models
from tipstats.schemas.base import RawModel
from tipstats.sources import read_registry

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def tool():
    spec = importlib.util.spec_from_file_location(
        "make_sources_registry", REPO / "tools" / "make_sources_registry.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_registry_is_what_the_tool_generates_from_the_records(tool):
    text = tool.render(tool.registry_rows(tool.record_paths()))
    assert (REFERENCE_DIR / "sources.csv").read_text(encoding="utf-8") == text
    assert tool.main(["--check"]) == 0


def test_every_raw_file_has_a_record_and_every_record_a_file(tool):
    files = {p.relative_to(RAW_DIR).as_posix() for p in tool.raw_files()}
    records = {
        p.relative_to(RAW_DIR).as_posix().removesuffix(tool.RECORD_SUFFIX)
        for p in tool.record_paths(RAW_DIR, REFERENCE_DIR)
        if p.is_relative_to(RAW_DIR)
    }
    assert files == records
    reference_records = [p for p in tool.record_paths() if not p.is_relative_to(RAW_DIR)]
    for path in reference_records:  # a source without a raw file: its record is beside its own file
        assert (path.parent / path.name.removesuffix(tool.RECORD_SUFFIX)).with_suffix(".csv").is_file()


def test_record_hashes_match_the_files(tool):
    for path in tool.record_paths():
        assert tool.stale_fields(tool.read_record(path)) == {}, path


def test_every_folder_readme_is_in_the_repository():
    registry = read_registry()
    for readme in registry["readme"].dropna():
        assert (REPO / readme).is_file(), readme
    for folder in {Path(p).parts[0] for p in registry["raw_path"].dropna()}:
        assert (RAW_DIR / folder / "README.md").is_file(), folder


def test_every_raw_model_named_exists_and_every_csv_has_one():
    registry = read_registry()
    models = raw_models(registry)
    for source_id in models:
        assert issubclass(raw_model(source_id, registry), RawModel), source_id
    csvs = set(registry.loc[registry["raw_path"].fillna("").str.endswith(".csv"), "source_id"])
    assert csvs == set(models)


def test_a_stale_hash_fails_and_refresh_rewrites_it(tool, tmp_path):
    raw = tmp_path / "raw"
    (raw / "trust_fund").mkdir(parents=True)
    name = "trust_fund/unvtf_figures.csv"
    shutil.copy(RAW_DIR / name, raw / name)
    record = raw / (name + tool.RECORD_SUFFIX)
    shutil.copy(RAW_DIR / (name + tool.RECORD_SUFFIX), record)
    assert tool.registry_rows([record], raw)  # fresh
    with (raw / name).open("ab") as handle:
        handle.write(b"\n")
    with pytest.raises(tool.StaleRecord, match="sha256, bytes"):
        tool.registry_rows([record], raw)
    tool.refresh_record(record, tool.stale_fields(tool.read_record(record, raw), raw))
    (row,) = tool.registry_rows([record], raw)
    assert row["bytes"] == str((raw / name).stat().st_size)
    before = (RAW_DIR / (name + tool.RECORD_SUFFIX)).read_text(encoding="utf-8").splitlines()
    after = record.read_text(encoding="utf-8").splitlines()
    changed = [b.split(":")[0] for a, b in zip(before, after, strict=True) if a != b]
    assert changed == ["sha256", "bytes"]  # the rest of the record is left as written


def test_a_record_with_an_unquoted_date_is_refused(tool, tmp_path):
    raw = tmp_path / "raw"
    (raw / "report").mkdir(parents=True)
    name = "report/A-76-120.txt"
    record = raw / (name + tool.RECORD_SUFFIX)
    text = (RAW_DIR / (name + tool.RECORD_SUFFIX)).read_text(encoding="utf-8")
    record.write_text(text.replace("as_of: '2021-07-08'", "as_of: 2021-07-08"), encoding="utf-8")
    with pytest.raises(ValueError, match="as_of must be text"):
        tool.read_record(record, raw)


def test_source_ids_filter_by_subject_model_and_role():
    registry = read_registry()
    assert sources.source_id(registry, subject="report") == "a76120"
    assert sources.source_values(registry, "treaty", raw_model="treaty:RawParticipants") == {
        "untc_som_2018": "som_protocol",
        "untc_tip_2018": "tip_protocol",
        "untc_untoc_2014": "untoc",
    }
    with pytest.raises(KeyError, match="expected one"):
        sources.source_id(registry, subject="treaty")
    with pytest.raises(KeyError, match="not a column"):
        sources.source_ids(registry, colour="red")


def _renamed(registry: pd.DataFrame, old: str, new: str) -> pd.DataFrame:
    out = registry.copy()
    out.loc[out["source_id"] == old, "source_id"] = new
    return out


def test_builders_read_the_ids_the_registry_gives():
    registry = _renamed(read_registry(), "unvtf_figures", "unvtf_renamed")
    ctx = BuildContext(RAW_DIR, REFERENCE_DIR, registry)
    built = trust_fund_builder.build(ctx)["trust_fund"]
    assert set(built["source_id"]) == {"unvtf_renamed"}


def test_treaty_builder_reads_the_participant_tables_and_treaties_the_registry_names():
    registry = _renamed(read_registry(), "untc_som_2018", "untc_smuggling")
    registry.loc[registry["source_id"] == "untc_untoc_2014", "raw_model"] = pd.NA  # no longer a table
    ctx = BuildContext(RAW_DIR, REFERENCE_DIR, registry)
    ctx.outputs.update(country_names=load("country_names"), countries=load("countries"))
    events = treaty_builder.build(ctx)["treaty_events"]
    by_source = events.groupby("source_id")["treaty"].unique().map(list).to_dict()
    assert by_source["untc_smuggling"] == ["som_protocol"]
    assert "untc_som_2018" not in by_source and "untc_untoc_2014" not in by_source
    assert "untoc" not in set(events["treaty"])


def test_the_library_does_not_need_yaml():
    src = REPO / "src" / "tipstats"
    assert not [p for p in src.rglob("*.py") if "import yaml" in p.read_text(encoding="utf-8")]
