"""The atomic-write contract of ``storage``: a writer that fails half-way leaves the old file
untouched and no temporary file behind; the temporary file is beside the final one (so that
``os.replace`` is a rename on one file system) and is never the final path itself."""

from __future__ import annotations

import os
import stat

import pandas as pd
import pytest

from ntm_analysis import storage

OLD = "nội dung cũ / old content\n"


class HalfWritten(RuntimeError):
    pass


def half_then_raise(seen: list):
    def writer(tmp):
        seen.append(tmp)
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write("nửa tệp / half a fi")
            handle.flush()
        raise HalfWritten("killed mid-write")
    return writer


def test_a_writer_that_fails_half_way_leaves_the_old_file_and_no_temporary(tmp_path):
    final = tmp_path / "bao-cao.html"
    final.write_text(OLD, encoding="utf-8")
    seen: list = []
    with pytest.raises(HalfWritten):
        storage.write_atomic(final, half_then_raise(seen))
    assert final.read_text(encoding="utf-8") == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bao-cao.html"]
    (tmp,) = seen
    assert tmp.parent == final.parent and tmp != final and tmp.name.startswith(".bao-cao.html.")


def test_a_new_file_is_absent_until_the_writer_has_finished(tmp_path):
    final = tmp_path / "sub" / "tallies.parquet"
    existed_during: list[bool] = []

    def writer(tmp):
        tmp.write_bytes(b"x" * 10)
        existed_during.append(final.exists())

    storage.write_atomic(final, writer)
    assert existed_during == [False] and final.read_bytes() == b"x" * 10


def test_written_files_get_ordinary_permissions(tmp_path):
    final = storage.write_text(tmp_path / "index.html", "<p>ok</p>")
    mode = stat.S_IMODE(final.stat().st_mode)
    umask = os.umask(0)
    os.umask(umask)
    assert mode == 0o666 & ~umask  # not mkstemp's 0600: others can read a published page


def test_a_failing_csv_writer_keeps_the_previous_table(tmp_path, monkeypatch):
    import pyarrow.csv

    final = tmp_path / "rejected.csv"
    storage.write_csv_for_excel(final, pd.DataFrame({"xã": ["Đông Yên"]}))
    before = final.read_bytes()
    assert before.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for Vietnamese
    assert pd.read_csv(final, encoding="utf-8-sig").to_dict("list") == {"xã": ["Đông Yên"]}

    def half(table, out):
        out.write(b'"x\xc3\xa3"\n"Nam')
        raise HalfWritten("disk full")

    monkeypatch.setattr(pyarrow.csv, "write_csv", half)
    with pytest.raises(HalfWritten):
        storage.write_csv_for_excel(final, pd.DataFrame({"xã": ["Nam Yên"]}))
    assert final.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["rejected.csv"]


# ---- the cache of derived tables ----------------------------------------------------------
DERIVED = pd.DataFrame({"old_code": ["30985", "30988"], "new_code": ["30985", None]},
                       dtype="str")


def counted(calls: list):
    def build():
        calls.append(1)
        return DERIVED.copy()
    return build


def test_a_cached_table_is_built_once_per_key_and_read_back_equal(tmp_path):
    calls: list = []
    first = storage.cached_frame("crosswalk", "pkg 1.0", counted(calls), tmp_path)
    again = storage.cached_frame("crosswalk", "pkg 1.0", counted(calls), tmp_path)
    assert len(calls) == 1
    pd.testing.assert_frame_equal(again, first)
    storage.cached_frame("crosswalk", "pkg 1.1", counted(calls), tmp_path)  # new data: rebuilt
    assert len(calls) == 2 and len(list(tmp_path.glob("crosswalk-*.parquet"))) == 2


def test_a_damaged_or_unwritable_cache_is_built_around(tmp_path):
    calls: list = []
    storage.cached_frame("crosswalk", "k", counted(calls), tmp_path)
    [path] = tmp_path.glob("crosswalk-*.parquet")
    path.write_bytes(b"PAR1 cut short")
    pd.testing.assert_frame_equal(storage.cached_frame("crosswalk", "k", counted(calls),
                                                       tmp_path), DERIVED)
    assert len(calls) == 2
    blocked = tmp_path / "a-file-not-a-folder"
    blocked.write_text("")
    pd.testing.assert_frame_equal(storage.cached_frame("crosswalk", "k", counted(calls),
                                                       blocked), DERIVED)
    pd.testing.assert_frame_equal(storage.cached_frame("crosswalk", "k", counted(calls),
                                                       None), DERIVED)
    assert len(calls) == 4
