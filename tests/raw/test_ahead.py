"""Files read one ahead of the cleaner: in order, never more than one ahead, and a read's
error raised where its file is taken. Each read waits on a gate the test opens: no sleeps."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from ntm_analysis.raw import ahead
from ntm_analysis.raw.ahead import ReadAhead

WAIT = 30  # seconds before a missed event fails the test instead of hanging it


@pytest.fixture
def gated(monkeypatch):
    """A reader whose reads start when called and finish when the test opens their gate."""
    began: dict[Path, threading.Event] = {}
    gates: dict[Path, threading.Event] = {}
    order: list[Path] = []

    def read(path: Path, raw_dir: Path):
        order.append(path)
        began.setdefault(path, threading.Event()).set()
        assert gates.setdefault(path, threading.Event()).wait(WAIT)
        if path.name == "broken.csv":
            raise ValueError("the reader broke")
        return [path.name], []

    def gate(path: Path) -> threading.Event:
        return gates.setdefault(path, threading.Event())

    def started(path: Path) -> threading.Event:
        return began.setdefault(path, threading.Event())

    monkeypatch.setattr(ahead, "read_file", read)
    return order, gate, started


def test_files_are_read_in_order_one_ahead(gated, tmp_path):
    order, gate, started = gated
    paths = [tmp_path / f"{name}.csv" for name in ("a", "b", "c")]
    with ReadAhead(paths, tmp_path) as reader:
        assert started(paths[0]).wait(WAIT)
        assert order == paths[:1] and reader.ahead == paths[:1]  # b waits for a's taking
        gate(paths[0]).set()
        assert reader.take(paths[0]) == (["a.csv"], [])
        assert reader.ahead == [paths[1]]  # one file ahead, never two
        assert started(paths[1]).wait(WAIT)
        assert order == paths[:2] and not started(paths[2]).is_set()
        gate(paths[1]).set()
        gate(paths[2]).set()
        assert reader.take(paths[1]) == (["b.csv"], [])
        assert reader.take(paths[2]) == (["c.csv"], [])
    assert order == paths  # each read once


def test_a_read_that_raises_raises_where_its_file_is_taken(gated, tmp_path):
    _, gate, _ = gated
    broken, good = tmp_path / "broken.csv", tmp_path / "good.csv"
    gate(broken).set()
    gate(good).set()
    with ReadAhead([broken, good], tmp_path) as reader:
        with pytest.raises(ValueError, match="the reader broke"):
            reader.take(broken)
        assert reader.take(good) == (["good.csv"], [])


def test_a_file_not_listed_is_read_when_taken(gated, tmp_path):
    order, gate, _ = gated
    other = tmp_path / "other.csv"
    gate(other).set()
    with ReadAhead([], tmp_path) as reader:
        assert reader.take(other) == (["other.csv"], [])
    assert order == [other]
