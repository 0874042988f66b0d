"""Print the mutation score of the last ``mutmut run``, per module, and its survivors.

The score is killed / (all mutants); a timeout counts as killed (the mutant broke the code
badly enough to hang it), a mutant no test reaches counts as survived. Exit 1 below the goal
of TESTING.md (90 %), so that ``make mutation`` fails when the habit slips.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

GOAL = 0.90
KILLED = {"killed", "timeout"}


def results() -> list[tuple[str, str]]:
    mutmut = Path(sys.executable).with_name("mutmut")
    out = subprocess.run([str(mutmut), "results", "--all", "true"], capture_output=True,
                         text=True, check=True).stdout
    rows = []
    for line in out.splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if sep and "__mutmut_" in name:
            rows.append((name, status))
    return rows


def module_of(name: str) -> str:
    """``ntm_analysis.method.gaps.x_unit_gaps__mutmut_3`` → ``ntm_analysis.method.gaps``."""
    parts = name.split("__mutmut_")[0].split(".")
    return ".".join(p for p in parts if not p.startswith("x"))


def main() -> int:
    rows = results()
    if not rows:
        print("no mutmut results: run `mutmut run` first")
        return 1
    by_module: dict[str, Counter] = defaultdict(Counter)
    for name, status in rows:
        by_module[module_of(name)][status] += 1
    print(f"{'module':40} {'mutants':>8} {'killed':>7} {'survived':>9} {'score':>7}")
    for module, counts in sorted(by_module.items()):
        total = sum(counts.values())
        killed = sum(counts[s] for s in KILLED)
        print(f"{module:40} {total:8d} {killed:7d} {total - killed:9d} {killed / total:7.1%}")
    total = len(rows)
    killed = sum(1 for _, s in rows if s in KILLED)
    unchecked = sum(1 for _, s in rows if s == "not checked")
    score = killed / total
    print(f"{'all':40} {total:8d} {killed:7d} {total - killed:9d} {score:7.1%}"
          f"   (goal {GOAL:.0%})")
    if unchecked:  # an interrupted run: say so, and what the checked part scores
        print(f"run incomplete: {unchecked} mutants not checked (counted as survived above); "
              f"of the {total - unchecked} checked, {killed / (total - unchecked):.1%} killed")
    print("survivors (`mutmut show NAME` shows the change):")
    for name, status in rows:
        if status not in KILLED:
            print(f"  {status:10} {name}")
    return 0 if score >= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
