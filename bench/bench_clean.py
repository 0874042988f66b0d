"""Benchmark `ntm clean` on a generated, messy national-scale tally sheet.

Generates one CSV: every pre-2025 commune-level unit of the country (about 10,000) at two
commune levels, plus every district, at N dates (default 50, about one million rows), with
names, dates and tallies written in the many ways districts write them and about 1% bad
rows. Then, in fresh processes, times a bare ``pandas.read_csv`` of the file (the baseline)
and ``ntm clean`` on it, each ``--repeat`` times, and prints medians, rows per second, peak
memory (max RSS of the child process) and the ratio to the baseline.

    make bench-clean                   # or: .venv/bin/python bench/bench_clean.py --dates 50
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
from unidecode import unidecode

from ntm_analysis.reference.units import legacy_table

RNG_SEED = 20221231
BASELINE = ("import pandas as pd, sys\nfor path in sys.argv[1:]:\n"
            "    pd.read_csv(path, dtype=str, keep_default_na=False)")


def name_variants(full: pd.Series, short: pd.Series, is_xa: pd.Series,
                  rng: np.random.Generator) -> np.ndarray:
    """Spell each name one of five ways. Towns and wards keep their type word, since a
    district may have a xã and a thị trấn of the same name."""
    choice = rng.integers(0, 5, len(full))
    options = np.select(
        [choice == 0, choice == 1, choice == 2, choice == 3],
        [short, full.map(unidecode), full.map(lambda s: unicodedata.normalize("NFD", s)),
         full.str.upper()],
        default="X. " + short,
    )
    keeps_type = ~is_xa.to_numpy() & ((choice == 0) | (choice == 4))
    return np.where(keeps_type, full.to_numpy(), options)


def generate(path: Path, n_dates: int, seed: int = RNG_SEED, after_merger: float = 0.0) -> int:
    """Write the national sheet; ``after_merger`` of its rows (a share) are moved to dates
    after 01/07/2025 with their old names kept and their province written as the new one
    (the most common mistake of 2026 data: each is rejected naming its successor)."""
    rng = np.random.default_rng(seed)
    units = legacy_table()
    units = units[units.wardShort.notna()].reset_index(drop=True)
    is_xa = units.wardType == "Xã"
    short = units.wardShort.str.replace(r" \((?:Xã|Thị trấn|Phường)\)$", "", regex=True)
    commune_names = pd.Series(name_variants(units.ward, short, is_xa, rng))
    dates = pd.date_range("2020-03-31", periods=n_dates, freq="ME")
    formats = np.array(["iso", "dmy"])
    iso, dmy = dates.strftime("%Y-%m-%d").to_numpy(), dates.strftime("%d/%m/%Y").to_numpy()
    frames = []
    for level, total in (("xã NTM", 19), ("NTM nâng cao", 19)):
        n = len(units) * n_dates
        met = rng.integers(0, total + 1, n)
        tally_form = rng.integers(0, 3, n)
        tally = np.where(tally_form == 0, [f"{m}/{total}" for m in met],
                         np.where(tally_form == 1, [f"đạt {m}/{total} tiêu chí" for m in met],
                                  [f"{m} trên {total}" for m in met]))
        date_index = np.tile(np.arange(n_dates), len(units))
        fmt = formats[rng.integers(0, 2, n)]
        frames.append(pd.DataFrame({
            "STT": np.arange(n),
            "Ngày": np.where(fmt == formats[0], iso[date_index], dmy[date_index]),
            "Tỉnh": np.repeat(units.provinceShort.to_numpy(), n_dates),
            "Huyện": np.repeat(units.district.to_numpy(), n_dates),
            "Xã": np.repeat(commune_names.to_numpy(), n_dates),
            "Cấp độ": level,
            "Kết quả": tally,
            "Nguồn": "Báo cáo tổng hợp",
        }))
    districts = units.drop_duplicates("districtCode")
    n = len(districts) * n_dates
    frames.append(pd.DataFrame({
        "STT": np.arange(n),
        "Ngày": np.tile(dates.strftime("%d/%m/%Y").to_numpy(), len(districts)),
        "Tỉnh": np.repeat(districts.provinceShort.to_numpy(), n_dates),
        "Huyện": np.repeat(districts.district.to_numpy(), n_dates),
        "Xã": "",
        "Cấp độ": "huyện NTM",
        "Kết quả": [f"{m}/9" for m in rng.integers(0, 10, n)],
        "Nguồn": "Báo cáo tổng hợp",
    }))
    sheet = pd.concat(frames, ignore_index=True)
    if after_merger:
        from ntm_analysis.reference.eras import crosswalk

        walk = crosswalk().dropna(subset=["new_province_name"])
        successor = dict(zip(walk.old_province_code, walk.new_province_name, strict=False))
        old_codes = dict(zip(units.provinceShort, units.provinceCode, strict=False))
        moved = rng.random(len(sheet)) < after_merger
        sheet.loc[moved, "Tỉnh"] = sheet.loc[moved, "Tỉnh"].map(old_codes).map(successor)
        sheet.loc[moved, "Ngày"] = rng.choice(["31/10/2025", "30/11/2025", "31/12/2025"],
                                              int(moved.sum()))
    bad = rng.random(len(sheet)) < 0.01
    kind = rng.integers(0, 3, len(sheet))
    sheet.loc[bad & (kind == 0), "Kết quả"] = "20/19"
    sheet.loc[bad & (kind == 1), "Xã"] = sheet.loc[bad & (kind == 1), "Xã"] + "x"
    sheet.loc[bad & (kind == 2), "Ngày"] = "32/13/2022"
    sheet = sheet.sample(frac=1, random_state=seed).reset_index(drop=True)
    sheet["STT"] = np.arange(1, len(sheet) + 1)
    sheet.to_csv(path, index=False)
    return len(sheet)


def tally_sheet(communes: int, days: int, seed: int = RNG_SEED) -> pd.DataFrame:
    """``communes`` × ``days`` ordinary commune tallies of Kiên Giang, one per day."""
    rng = np.random.default_rng(seed)
    units = legacy_table()
    units = units[(units.provinceCode == "91") & (units.wardType == "Xã")].head(communes)
    dates = pd.date_range("2015-01-01", periods=days, freq="D").strftime("%d/%m/%Y")
    frame = pd.DataFrame({
        "Ngày": np.repeat(dates, len(units)),
        "Huyện": np.tile(units.districtShort.to_numpy(), days),
        "Xã": np.tile(units.wardShort.to_numpy(), days),
        "Cấp độ": "nâng cao",
        "Kết quả": [f"{m}/19" for m in rng.integers(5, 20, days * len(units))],
    })
    return frame.assign(Nguồn="bench").reset_index(drop=True)


def conflict_sheet(rows: int, keys: int, seed: int = RNG_SEED) -> pd.DataFrame:
    """``rows`` tallies falling on ``keys`` (unit, level, date) keys with differing values:
    a sheet whose date column was filled wrongly."""
    frame = tally_sheet(60, -(-keys // 60), seed).head(keys)
    frame = frame.iloc[np.arange(rows) % keys].reset_index(drop=True)
    frame["Kết quả"] = [f"{m % 20}/19" for m in range(rows)]
    return frame


def write_xlsx(path: Path, frame: pd.DataFrame) -> None:
    """The same rows as a workbook (openpyxl, write-only: the way a program exports)."""
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Số liệu")
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append(list(row))
    book.save(path)


def timed(cmd: list[str]) -> tuple[float, float, str]:
    """Run ``cmd`` in a fresh process; return (seconds, peak RSS in MB, stdout)."""
    code = (
        "import resource, subprocess, sys, time, json;"
        "t = time.perf_counter();"
        "p = subprocess.run(sys.argv[1:], capture_output=True, text=True);"
        "dt = time.perf_counter() - t;"
        "rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024;"
        "print(json.dumps([dt, rss, p.returncode, p.stdout[-2000:], p.stderr[-2000:]]))"
    )
    out = subprocess.run([sys.executable, "-c", code, *cmd], capture_output=True, text=True,
                         check=True).stdout
    seconds, rss, rc, stdout, stderr = json.loads(out)
    if rc not in (0, 1):
        raise SystemExit(f"{cmd} failed ({rc}): {stderr}")
    return seconds, rss, stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dates", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="folder to keep the generated sheet in")
    parser.add_argument("--scenario",
                        choices=["national", "duplicates", "files", "old-names", "all"],
                        default="all",
                        help="national: 1 M rows against read_csv; duplicates: 1 M rows, each "
                             "row 4 times in 3 files, against read_csv; files: 200k rows as "
                             "XLSX against CSV, and 40k conflicting rows against 200k "
                             "ordinary; old-names: 1 M rows, a third dated after the merger "
                             "with the old names, against read_csv")
    args = parser.parse_args()
    if args.scenario in ("files", "all"):
        files_scenario(Path(args.keep or tempfile.mkdtemp(prefix="ntm-bench-")) / "files",
                       args.repeat)
    if args.scenario in ("duplicates", "all"):
        duplicates_scenario(Path(args.keep or tempfile.mkdtemp(prefix="ntm-bench-")) /
                            "duplicates", args.repeat)
    if args.scenario in ("old-names", "all"):
        old_names_scenario(Path(args.keep or tempfile.mkdtemp(prefix="ntm-bench-")) /
                           "old-names", args.dates, args.repeat)
    if args.scenario in ("files", "duplicates", "old-names"):
        return

    work = Path(args.keep or tempfile.mkdtemp(prefix="ntm-bench-"))
    raw, out = work / "raw", work / "processed"
    raw.mkdir(parents=True, exist_ok=True)
    sheet = raw / "national.csv"
    t0 = time.perf_counter()
    rows = generate(sheet, args.dates)
    print(f"generated {rows:,} rows ({sheet.stat().st_size / 1e6:.0f} MB) in "
          f"{time.perf_counter() - t0:.1f} s -> {sheet}")
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
          f"{platform.python_version()}, pandas {pd.__version__}")
    compare("national sheet", [sheet], raw, out, args.repeat)


def compare(label: str, files: list[Path], raw: Path, out: Path, repeat: int) -> None:
    """Time read_csv of ``files`` and ``ntm clean`` of ``raw``, interleaved, fresh processes;
    print the runs, the accounting line of the last clean, the medians and their ratio."""
    ntm = [sys.executable, "-m", "ntm_analysis.cli", "clean", "--raw", str(raw), "--out",
           str(out)]
    base, clean = [], []
    for i in range(repeat):
        base.append(timed([sys.executable, "-c", BASELINE, *map(str, files)]))
        clean.append(timed(ntm))
        print(f"run {i + 1}: read_csv {base[-1][0]:.2f} s, ntm clean {clean[-1][0]:.2f} s "
              f"({clean[-1][1]:.0f} MB peak)", flush=True)
    b = statistics.median(s for s, _, _ in base)
    c = statistics.median(s for s, _, _ in clean)
    peak = max(m for _, m, _ in clean)
    print("\n" + clean[-1][2].strip())
    print(f"\n{label}: medians of {repeat} runs: read_csv {b:.2f} s, ntm clean {c:.2f} s, "
          f"peak {peak:.0f} MB")
    print(f"ratio ntm clean / read_csv ({label}): {c / b:.1f}x (goal <= 8x)\n")


def old_names_scenario(work: Path, n_dates: int, repeat: int) -> None:
    """The national sheet with a third of its rows dated after 01/07/2025 under their old
    names (each a successor look-up, then a rejection naming the new unit)."""
    raw = work / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    sheet = raw / "old_names.csv"
    t0 = time.perf_counter()
    rows = generate(sheet, n_dates, after_merger=1 / 3)
    print(f"generated {rows:,} rows, a third after the merger under old names, in "
          f"{time.perf_counter() - t0:.1f} s -> {sheet}")
    compare("old names after the merger", [sheet], raw, work / "processed", repeat)


def duplicates_scenario(work: Path, repeat: int, n_dates: int = 12) -> None:
    """A sheet sent again and again: the rows of a national sheet at ``n_dates`` dates
    (about 250,000) written to three files, and repeated once more inside the first: each
    row is there 4 times, about one million rows in all."""
    raw = work / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    generate(work / "rows.csv", n_dates)
    rows = pd.read_csv(work / "rows.csv", dtype=str, keep_default_na=False)
    files = [raw / f"bao_cao_{name}.csv" for name in ("thang_1", "thang_2", "thang_3")]
    twice = pd.concat([rows, rows]).sample(frac=1, random_state=RNG_SEED)
    for path, frame in zip(files, (twice, rows, rows), strict=True):
        frame.assign(STT=np.arange(1, len(frame) + 1)).to_csv(path, index=False)
    total = 4 * len(rows)
    print(f"generated {len(rows):,} distinct rows, {total:,} rows in 3 files in "
          f"{time.perf_counter() - t0:.1f} s -> {raw}")
    compare("duplicate-heavy sheet", files, raw, work / "processed", repeat)


def files_scenario(work: Path, repeat: int) -> None:
    """XLSX against CSV of the same 200,000 rows, and 40,000 conflicting rows against the
    200,000 ordinary ones, each ``ntm clean`` in a fresh process, interleaved."""
    sheets = {"csv": tally_sheet(60, 3334), "conflicts": conflict_sheet(40_000, 648)}
    sheets["xlsx"] = sheets["csv"]
    t0 = time.perf_counter()
    for name, frame in sheets.items():
        raw = work / name / "raw"
        raw.mkdir(parents=True, exist_ok=True)
        if name == "xlsx":
            write_xlsx(raw / "sheet.xlsx", frame)
        else:
            frame.to_csv(raw / "sheet.csv", index=False)
    print(f"generated 200,000 rows (CSV, XLSX) and 40,000 conflicting rows in "
          f"{time.perf_counter() - t0:.1f} s -> {work}")
    times: dict[str, list[tuple[float, float, str]]] = {name: [] for name in sheets}
    for i in range(repeat):
        for name in sheets:
            raw = work / name / "raw"
            times[name].append(timed([sys.executable, "-m", "ntm_analysis.cli", "clean",
                                      "--raw", str(raw), "--out", str(raw.parent / "out")]))
        print(f"run {i + 1}: " + ", ".join(f"{n} {t[-1][0]:.2f} s ({t[-1][1]:.0f} MB)"
                                           for n, t in times.items()))
    med = {n: statistics.median(s for s, _, _ in t) for n, t in times.items()}
    print("\n" + times["conflicts"][-1][2].strip().splitlines()[-3])
    print(f"\nmedians of {repeat} runs: " + ", ".join(f"{n} {m:.2f} s" for n, m in med.items()))
    print(f"ratio XLSX / CSV (200,000 rows): {med['xlsx'] / med['csv']:.2f}x (goal <= 1.5x)")
    print(f"ratio 40,000 conflicting / 200,000 ordinary: {med['conflicts'] / med['csv']:.2f}x "
          f"(goal < 1)\n")


if __name__ == "__main__":
    main()
