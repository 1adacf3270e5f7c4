"""The plumbing every dataset relies on: tolerant raw reading, errors, atomic writes, the sources registry."""

from __future__ import annotations

import hashlib
import socket
import subprocess
import sys

import pandas as pd
import pytest

from tipstats.errors import DataValidationError, Failure, row_number
from tipstats.io import read_raw_csv, write_csv
from tipstats.sources import integrity_failures, read_registry


def test_row_numbers_follow_a_spreadsheet():
    assert row_number(0) == 2  # header is row 1
    assert row_number(9) == 11


def test_read_raw_csv_normalises_bom_crlf_and_header_space(tmp_path):
    plain = tmp_path / "plain.csv"
    plain.write_bytes(b"a,b\n1,<5\n2,\n")
    variant = tmp_path / "variant.csv"
    variant.write_bytes(b"\xef\xbb\xbf a ,b \r\n1,<5\r\n2,\r\n")
    left, right = read_raw_csv(plain, "plain"), read_raw_csv(variant, "variant")
    pd.testing.assert_frame_equal(left, right)
    assert left.loc[0, "b"] == "<5" and pd.isna(left.loc[1, "b"])


def test_non_utf8_bytes_are_reported_with_their_row(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"a,b\n1,2\n3,\xff\xfe\n")
    with pytest.raises(DataValidationError) as info:
        read_raw_csv(path, "bad.csv")
    failure = info.value.failures[0]
    assert failure.file == "bad.csv" and failure.row == 3 and failure.kind == "parse"


@pytest.mark.parametrize("content", [b"", b"   \n", b"a,b\n"])
def test_empty_or_header_only_file_fails(tmp_path, content):
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    with pytest.raises(DataValidationError, match="empty.csv"):
        read_raw_csv(path, "empty.csv")


def test_write_csv_is_deterministic_and_uses_iso_dates(tmp_path):
    frame = pd.DataFrame({"d": pd.to_datetime(["2020-03-30", None]), "x": [1.5, None]})
    write_csv(frame, tmp_path / "a.csv")
    write_csv(frame, tmp_path / "b.csv")
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    assert (tmp_path / "a.csv").read_text() == "d,x\n2020-03-30,1.5\n,\n"


def test_failure_message_names_file_row_column_and_value():
    error = DataValidationError([Failure("data/raw/x.csv", 7, "share", "less_than_or_equal_to(100)", 104.0)])
    text = str(error)
    for part in ("data/raw/x.csv", "row 7", "'share'", "104.0"):
        assert part in text


def test_registry_hashes_match_the_raw_files(raw_dir, reference_dir):
    registry = read_registry(reference_dir)
    assert integrity_failures(raw_dir, registry) == []
    # independent recomputation for one file
    row = registry.set_index("source_id").loc["a76120"]
    digest = hashlib.sha256((raw_dir / row["raw_path"]).read_bytes()).hexdigest()
    assert digest == row["sha256"]


def test_integrity_check_names_a_changed_file(tmp_path, raw_dir, reference_dir):
    registry = read_registry(reference_dir)
    row = registry.set_index("source_id").loc["wb_population"]
    copy = tmp_path / row["raw_path"]
    copy.parent.mkdir(parents=True)
    copy.write_bytes((raw_dir / row["raw_path"]).read_bytes() + b"ZZZ,ZZZ,2000,1\n")
    failures = [f for f in integrity_failures(tmp_path, registry) if f.file == str(copy)]
    assert len(failures) == 1 and failures[0].kind == "integrity"


def test_every_raw_file_is_registered(raw_dir, reference_dir):
    registered = set(read_registry(reference_dir)["raw_path"].dropna())
    on_disk = {
        str(p.relative_to(raw_dir))
        for p in raw_dir.rglob("*")
        if p.is_file() and not p.name.endswith(".meta.yml") and p.name != "README.md"
    }
    assert on_disk == registered


def test_network_is_blocked_in_tests():
    with pytest.raises(RuntimeError, match="network"):
        socket.create_connection(("192.0.2.1", 80), timeout=1)


def test_import_tipstats_is_light():
    code = (
        "import sys, tipstats; heavy = [m for m in ('matplotlib', 'seaborn', 'statsmodels', 'pandera', 'nbclient') "
        "if m in sys.modules]; print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_cli_unknown_dataset_is_a_clear_error(capsys):
    from tipstats.cli import main

    assert main(["info", "no_such_dataset"]) == 2
    err = capsys.readouterr().err
    assert "unknown dataset 'no_such_dataset'" in err and "Traceback" not in err


def test_a_misspelt_dataset_name_gets_the_close_match(capsys):
    from tipstats.cli import main

    assert main(["info", "glotipp"]) == 2
    assert "unknown dataset 'glotipp' (did you mean 'glotip'?)" in capsys.readouterr().err


def test_treaty_constants_are_those_of_the_untc_record(raw_dir):
    """The adoption and entry-into-force dates used across the models come from the UNTC XML."""
    import re

    from tipstats.facts import TIP_PROTOCOL_ADOPTED, TIP_PROTOCOL_IN_FORCE

    text = (raw_dir / "treaty" / "XVIII-12-a.en.xml").read_bytes().decode("iso-8859-1")
    conclusion = re.search(r"<Conclusion>New York, (\d+ \w+ \d{4})</Conclusion>", text).group(1)
    entry = re.search(r"<EIF>.*?<Labeltext>\s*(\d+ \w+ \d{4})", text, re.S).group(1)
    assert pd.Timestamp(conclusion) == TIP_PROTOCOL_ADOPTED
    assert pd.Timestamp(entry) == TIP_PROTOCOL_IN_FORCE


def test_signature_period_is_the_one_the_untc_record_states(raw_dir):
    """Article 16 as the record's note words it: Palermo from 12 to 15 December 2000, then New York."""
    import re

    from tipstats.facts import TIP_PROTOCOL_SIGNATURE_CLOSES, TIP_PROTOCOL_SIGNATURE_OPENS

    text = " ".join((raw_dir / "treaty" / "XVIII-12-a.en.xml").read_bytes().decode("iso-8859-1").split())
    found = re.search(
        r"open for signature .*? from (\d+) to \d+ (\w+ \d{4}) at .*? until (\d+ \w+ \d{4})\.", text
    )
    assert found, "the signature clause is no longer in the record"
    opens, closes = pd.Timestamp(f"{found.group(1)} {found.group(2)}"), pd.Timestamp(found.group(3))
    assert (opens, closes) == (TIP_PROTOCOL_SIGNATURE_OPENS, TIP_PROTOCOL_SIGNATURE_CLOSES)


def test_untc_header_counts_match_the_participants_table(raw_dir):
    import re

    text = (raw_dir / "treaty" / "XVIII-12-a.en.xml").read_bytes().decode("iso-8859-1")
    signatories = int(re.search(r"<Signatories>(\d+)</Signatories>", text).group(1))
    parties = int(re.search(r"<Parties>(\d+)</Parties>", text).group(1))
    table = pd.read_csv(raw_dir / "treaty" / "tip_protocol_participants.csv", dtype=str)
    assert (signatories, parties) == (
        table["signature_date"].notna().sum(),
        table["action_date"].notna().sum(),
    )
