"""Build ``reference/data/gso_aliases.csv``: GSO's spellings of unit names that differ from
the ``vietnamadminunits`` package's, for the same GSO code (pre-July-2025 units).

Input: ``flat-divisions.json`` of the ``vietnam-provinces`` package, version 0.6.0, whose data
is GSO's list of 04/01/2025 (``__data_version__``). That package is not a dependency of the
project: install it in a scratch environment and pass the file::

    pip download --no-deps -d /tmp/vp vietnam-provinces==0.6.0 && unzip -d /tmp/vp /tmp/vp/*.whl
    python scripts/gso_aliases.py /tmp/vp/vietnam_provinces/data/flat-divisions.json

Only spelling variants are kept: the same unit type, a name that the package's rules do not
already match (tone placement, i/y), and at most two letters apart once accents and spaces
are removed (a rename such as Tân Lập → Tân Yên is three or more apart). A variant whose key
is also the key of another unit under the same parent is left out: an alias never makes a
name ambiguous.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

from ntm_analysis.reference import units as U

OUT = Path(__file__).resolve().parents[1] / "src/ntm_analysis/reference/data/gso_aliases.csv"
SOURCE = "GSO, Danh mục đơn vị hành chính (04/01/2025), via vietnam-provinces 0.6.0"


def distance(a: str, b: str) -> int:
    """Levenshtein distance between two short strings."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def variant(gso: str, official: str, siblings: set[str]) -> bool:
    if U.name_type(gso) != U.name_type(official):
        return False
    a, b = U.name_key(gso), U.name_key(official, fix_tones=False)
    if a == b or U.iy_key(a) == U.iy_key(b) or a in siblings:
        return False
    return distance(U.plain_key(a).replace(" ", ""), U.plain_key(b).replace(" ", "")) <= 2


def main(path: str) -> None:
    gso = json.loads(Path(path).read_text(encoding="utf-8"))
    table = U.legacy_table()
    communes = {r.wardCode.lstrip("0"): r for r in table.itertuples()
                if isinstance(r.wardCode, str)}
    districts = {r.districtCode.lstrip("0"): r
                 for r in table.drop_duplicates("districtCode").itertuples()}
    keys: dict[tuple[str, str], set[str]] = {}  # (level, parent): keys of the official names
    for r in table.itertuples():
        keys.setdefault(("district", r.provinceCode), set()).add(
            U.name_key(r.district, fix_tones=False))
        if isinstance(r.ward, str):
            keys.setdefault(("commune", r.districtCode), set()).add(
                U.name_key(r.ward, fix_tones=False))
    rows, seen = [], set()
    for w in gso:
        for level, code, name, known in (
                ("district", str(w["district_code"]), w["district_name"], districts),
                ("commune", str(w["ward_code"]), w["ward_name"], communes)):
            r = known.get(code)
            if r is None or (level, code) in seen:
                continue
            seen.add((level, code))
            official, unit_code, parent = ((r.district, r.districtCode, r.provinceCode)
                                           if level == "district" else
                                           (r.ward, r.wardCode, r.districtCode))
            if variant(name, official, keys[(level, parent)]):
                rows.append({"level": level, "code": unit_code, "name": name,
                             "official_name": official, "source": SOURCE})
    rows.sort(key=lambda x: (x["level"], x["code"]))
    with OUT.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} aliases → {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
