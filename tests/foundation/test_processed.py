"""When are the processed tables stale? When one is missing or a raw file is newer than the
oldest of them: a scheduled run must re-clean before it publishes (README, Reports)."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from ntm_analysis import processed


@pytest.fixture
def folders(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "processed"
    raw.mkdir()
    (raw / "sub").mkdir()
    (raw / "sub" / "tallies.csv").write_text("a\n1\n", encoding="utf-8")
    for path in processed.paths(out).values():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"table")
    return raw, out


def set_mtime(path, seconds: float) -> None:
    os.utime(path, (seconds, seconds))


def test_tables_newer_than_every_raw_file_are_fresh(folders):
    raw, out = folders
    set_mtime(raw / "sub" / "tallies.csv", 1_000)
    for path in processed.paths(out).values():
        set_mtime(path, 2_000)
    assert not processed.is_stale(raw, out)


@pytest.mark.parametrize("table", ["tallies", "facts", "rejected"])
def test_a_raw_file_newer_than_any_table_makes_them_stale(folders, table):
    raw, out = folders
    for path in processed.paths(out).values():
        set_mtime(path, 2_000)
    set_mtime(processed.paths(out)[table], 1_000)
    set_mtime(raw / "sub" / "tallies.csv", 1_500)  # in a subfolder: raw is read recursively
    assert processed.is_stale(raw, out)


def test_a_missing_table_is_stale(folders):
    raw, out = folders
    processed.paths(out)["facts"].unlink()
    assert processed.is_stale(raw, out)


def test_reference_date_is_the_latest_date_of_either_table_unless_given():
    tables = {"tallies": pd.DataFrame({"as_of": pd.to_datetime(["2022-05-31"])}),
              "facts": pd.DataFrame({"as_of": pd.to_datetime(["2024-02-20", "2021-01-01"])})}
    assert processed.reference_date(tables) == pd.Timestamp("2024-02-20")
    assert processed.reference_date(tables, "2023-01-01") == pd.Timestamp("2023-01-01")


def test_a_report_reads_its_own_era_and_province_and_the_national_facts():
    """Codes were reused on 01/07/2025: 91 is Kiên Giang before and the new An Giang after;
    89 the former An Giang. A page of one never reads the others' rows."""
    rows = pd.DataFrame({"admin_era": ["legacy", "2025", "legacy", None],
                         "province_code": ["91", "91", "89", None],
                         "what": ["Kiên Giang", "An Giang (new)", "An Giang (old)", "country"]})
    tables = {"tallies": rows, "facts": rows, "criteria_status": rows.iloc[:0],
              "rejected": rows}
    kien_giang = processed.scoped(tables, "legacy", "91")
    new_an_giang = processed.scoped(tables, "2025", "91")
    assert kien_giang["tallies"].what.tolist() == ["Kiên Giang", "country"]
    assert new_an_giang["facts"].what.tolist() == ["An Giang (new)", "country"]
    assert processed.scoped(tables, "legacy", "89")["facts"].what.tolist() == [
        "An Giang (old)", "country"]
    assert kien_giang["rejected"] is tables["rejected"]  # rejected rows name no era
