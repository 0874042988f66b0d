"""Sampled mutation testing of the packages whose code also runs in kernels and workers.

Usage::

    python tests/mutation_sample.py map                 # which tests reach which lines
    python tests/mutation_sample.py run [--per-package N] [--seed S] [--jobs J]
    python tests/mutation_sample.py score               # per package, with every survivor
    python tests/mutation_sample.py check --key clean/rows.py:274 [TEST ...]  # a survivor again

``make mutation`` runs the three steps after mutmut. mutmut covers the pure modules
(``[tool.mutmut]``); it cannot cover ``clean/``, ``raw/``, ``report/`` and ``publish/``: their
code runs in Jupyter kernels and worker processes, where mutmut's trampolines neither see which
tests reach a function nor switch the mutant on, and the package is too large to try every
mutant in one sitting. So this script:

- **maps** every line of the package to the tests that execute it, with pytest-cov's contexts
  per test in the test process and coverage's ``patch = subprocess`` in kernels and workers
  (a subprocess is credited to the test running when it started: ``PYTEST_CURRENT_TEST``);
- **draws** a fixed-seed sample of the mutants that mutmut's own operators make of each
  package (``mutmut.mutation.file_mutation.create_mutations``), the same count per package,
  leaving out the modules mutmut tries whole (``clean/cells.py``);
- **tries** each mutant as a real edit of a copy of ``src`` that ``PYTHONPATH`` puts first, so
  kernels, workers and ``ntm`` subprocesses run it too, with the tests that reach its line,
  fastest file first, stopping at the first failure.

It never edits the working tree: the map and the mutants live in ``mutants/sample/``, made from
the committed tree (``git archive HEAD``), and ``run`` refuses a map of another commit. Results
are saved after each mutant, so an interrupted run resumes where it stopped. A mutant that no
test reaches counts as survived; a timeout counts as killed (the mutant hung the code), as in
mutmut. A survivor read and found equivalent is listed, with why, in
``tests/mutation_equivalent.toml`` and left out of the score. Exit 1 from ``score`` when a
package scores under the goal of TESTING.md.
"""

from __future__ import annotations

import argparse
import difflib
import fnmatch
import json
import os
import random
import shutil
import subprocess
import sys
import tarfile
import time
import tomllib
import xml.etree.ElementTree as ET
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "mutants" / "sample"
PACKAGES = ("clean", "raw", "report", "publish")
GOAL = 0.85
KILLED = {"killed", "timeout"}
#: coverage of the mapping run. In the test process pytest-cov switches the context at each
#: test; every Python subprocess (kernels, workers, the CLI) starts coverage from this file
#: through coverage's .pth hook and ``COVERAGE_PROCESS_START``, and takes as its context the
#: test that was running when it started (``PYTEST_CURRENT_TEST``, read in the subprocess)
COVERAGE_RC = """\
[run]
parallel = true
patch =
    _exit
    fork
context = ${PYTEST_CURRENT_TEST-}
source_pkgs = ntm_analysis
data_file = %(data)s
"""
#: set COVERAGE_PROCESS_START after the start of the test process, so that only the
#: subprocesses start coverage from it; the test process has pytest-cov's
PYTEST_WITH_SUBPROCESS_COVERAGE = ("import os, sys; os.environ['COVERAGE_PROCESS_START'] = "
                                   "sys.argv.pop(1); import pytest; sys.exit(pytest.main())")


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, check=True, capture_output=True,
                          text=True).stdout.strip()


def _tree(commit: str) -> Path:
    """The committed tree at ``commit`` in ``mutants/sample/tree`` (made once per commit)."""
    tree = WORK / "tree"
    stamp = tree / ".commit"
    if stamp.exists() and stamp.read_text() == commit:
        return tree
    shutil.rmtree(tree, ignore_errors=True)
    tree.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", "--format=tar", commit], cwd=ROOT, check=True,
                             capture_output=True).stdout
    tar_path = WORK / "tree.tar"
    tar_path.write_bytes(archive)
    with tarfile.open(tar_path) as tar:
        tar.extractall(tree, filter="data")
    tar_path.unlink()
    node_modules = ROOT / "tests" / "a11y" / "node_modules"  # axe-core: installed, not committed
    if node_modules.exists():
        (tree / "tests" / "a11y" / "node_modules").symlink_to(node_modules)
    stamp.write_text(commit)
    return tree


def _env(src: Path, tree: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(src), "NTM_PROJECT_ROOT": str(tree)}


def _pytest(tests: list[str], src: Path, tree: Path, *flags: str,
            timeout: float | None = None) -> subprocess.CompletedProcess:
    """Run ``tests`` of ``tree`` against the package in ``src``."""
    # a doctest is collected from ``src`` too: pytest imports a module given by path from
    # the folder above its package, ahead of PYTHONPATH
    ids = [f"{src}/{t.removeprefix('src/')}" if t.startswith("src/") else t for t in tests]
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "--no-header", *flags, *ids], cwd=tree, env=_env(src, tree),
                          capture_output=True, text=True, timeout=timeout)


def _module(path: str) -> str | None:
    """``…/src/ntm_analysis/clean/pipeline.py`` → ``clean/pipeline.py``; None outside it."""
    _, sep, tail = path.replace(os.sep, "/").rpartition("/ntm_analysis/")
    return tail if sep else None


def _nodeid(context: str) -> str | None:
    """The test of a coverage context: ``tests/x.py::t[a]|run`` or ``tests/x.py::t[a] (call)``."""
    for part in context.split("|"):
        for phase in (" (setup)", " (call)", " (teardown)"):
            part = part.removesuffix(phase)
        if "::" in part:
            return part
    return None


def _durations(junit: Path) -> dict[str, float]:
    """Seconds per test from pytest's JUnit XML (classname and name rebuilt into node ids)."""
    seconds = {}
    for case in ET.parse(junit).getroot().iter("testcase"):
        classname, name = case.get("classname", ""), case.get("name", "")
        parts = classname.split(".")
        for cut in range(len(parts), 0, -1):  # the file is the longest prefix that exists
            candidate = "/".join(parts[:cut]) + ".py"
            if (ROOT / candidate).exists() or candidate.startswith("src/"):
                nodeid = "::".join([candidate, *parts[cut:], name])
                seconds[nodeid] = float(case.get("time", 0))
                break
    return seconds


def build_map(tests: list[str]) -> int:
    """Run the whole suite under coverage and save, per package line, the tests that reach it."""
    commit = _git("rev-parse", "HEAD")
    tree = _tree(commit)
    data = WORK / "coverage.db"
    for old in WORK.glob("coverage.db*"):
        old.unlink()
    rc = WORK / "coverage.ini"
    rc.write_text(COVERAGE_RC % {"data": data})
    junit = WORK / "junit.xml"
    started = time.perf_counter()
    run = subprocess.run(
        [sys.executable, "-c", PYTEST_WITH_SUBPROCESS_COVERAGE, str(rc), "-q", "-p",
         "no:cacheprovider", "--no-header",
         f"--cov-config={rc}", "--cov=ntm_analysis", "--cov-context=test", "--cov-report=",
         f"--junitxml={junit}", *tests],
        cwd=tree, env=_env(tree / "src", tree))
    print(f"mapping run: exit {run.returncode} in {time.perf_counter() - started:.0f} s")
    if run.returncode != 0:
        print("the suite must pass on the committed tree before mutants can be judged")
        return 1
    return _write_map(commit, tree, rc, data, junit)


def _write_map(commit: str, tree: Path, rc: Path, data: Path, junit: Path) -> int:
    import coverage  # only this step reads coverage data: mutmut's run step needs none

    # pytest-cov has combined what ended before it: --append adds what processes that ended
    # later wrote (a pool's kernels), where a plain combine would replace the whole file
    subprocess.run([sys.executable, "-m", "coverage", "combine", f"--rcfile={rc}",
                    "--append", "--keep", "-q"], cwd=tree, check=False)
    cov = coverage.Coverage(data_file=str(data), config_file=str(rc))
    cov.load()
    covered = cov.get_data()
    lines: dict[str, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    for measured in covered.measured_files():
        module = _module(measured)
        if module is None or module.split("/")[0] not in PACKAGES:
            continue
        for line, contexts in (covered.contexts_by_lineno(measured) or {}).items():
            for context in contexts:
                nodeid = _nodeid(context)
                if nodeid:
                    lines[module][line].add(nodeid)
    mapping = {"commit": commit, "durations": _durations(junit),
               "lines": {m: {str(n): sorted(t) for n, t in ls.items()} for m, ls in lines.items()}}
    (WORK / "map.json").write_text(json.dumps(mapping))
    reached = sum(len(ls) for ls in lines.values())
    print(f"map of {commit[:7]}: {reached} lines of {len(lines)} modules reached")
    return 0


@dataclass
class Mutant:
    key: str  # module:index among the module's mutants
    package: str
    module: str
    line: int
    lines: list[int]  # the lines whose tests are tried: the node's and its statement's first
    diff: str
    status: str = "pending"
    tests: int = 0
    seconds: float = 0.0
    failed: str = ""


class _Module:
    """The mutants mutmut makes of one module, rendered into source one at a time."""

    def __init__(self, tree: Path, module: str):
        import libcst as cst  # mutmut's parser: only the draw needs it
        from libcst.metadata import MetadataWrapper, ParentNodeProvider, PositionProvider
        from mutmut.mutation.file_mutation import create_mutations

        self.module = module
        path = tree / "src" / "ntm_analysis" / module
        self.code = path.read_text(encoding="utf-8")
        self.cst, self.mutations, _, _ = create_mutations(str(path), self.code)
        wrapper = MetadataWrapper(self.cst, unsafe_skip_copy=True)
        self.positions = wrapper.resolve(PositionProvider)
        self.parents = wrapper.resolve(ParentNodeProvider)
        self._statement = (cst.BaseStatement, cst.Module)
        self._definition = (cst.FunctionDef, cst.ClassDef)
        self._function = cst.FunctionDef

    def render(self, index: int) -> tuple[int, list[int], str, str] | None:
        """(first line, lines tried, mutated source, diff) of one mutant; None when a no-op."""
        from mutmut.mutation.file_mutation import deep_replace

        mutation = self.mutations[index]
        text = deep_replace(self.cst, mutation.original_node, mutation.mutated_node).code
        if text == self.code:
            return None
        node = mutation.original_node
        start, end = self.positions[node].start.line, self.positions[node].end.line
        # coverage records a statement on its first line: a node inside a statement of
        # several lines is reached when that line is
        while not isinstance(node, self._statement) and node in self.parents:
            node = self.parents[node]
        first = self.positions[node].start.line if node in self.positions else start
        if isinstance(node, self._definition):  # a default or decorator: used by its body
            return self._made(start, range(first, self.positions[node].end.line + 1), text)
        while node in self.parents and not isinstance(node, self._function):
            node = self.parents[node]
        if not isinstance(node, self._function):  # run at import, by whichever test was first:
            return self._made(start, range(1, self.code.count("\n") + 2), text)  # all its tests
        return self._made(start, {first, *range(start, end + 1)}, text)

    def _made(self, start: int, lines, text: str) -> tuple[int, list[int], str, str]:
        diff = "".join(difflib.unified_diff(self.code.splitlines(True), text.splitlines(True),
                                            n=0)).split("\n", 2)[-1]
        return start, sorted(lines), text, diff.strip()


def _by_mutmut(path: Path) -> bool:
    """Whether mutmut tries every mutant of this module (``[tool.mutmut] only_mutate``)."""
    with open(ROOT / "pyproject.toml", "rb") as toml:
        patterns = tomllib.load(toml)["tool"]["mutmut"]["only_mutate"]
    return any(fnmatch.fnmatch(str(path), pattern) for pattern in patterns)


def _draw(tree: Path, per_package: int, seed: int) -> tuple[list[Mutant], dict[str, str]]:
    """``per_package`` mutants of each package, drawn with a fixed seed among all of them."""
    chosen: list[Mutant] = []
    sources: dict[str, str] = {}
    for package in PACKAGES:
        modules = [_Module(tree, f"{package}/{path.name}") for path in
                   sorted((tree / "src" / "ntm_analysis" / package).glob("*.py"))
                   if not _by_mutmut(path.relative_to(tree))]
        pool = [(m, i) for m in modules for i in range(len(m.mutations))]
        random.Random(f"{seed}:{package}").shuffle(pool)
        drawn = 0
        for module, index in pool:
            if drawn == per_package:
                break
            made = module.render(index)
            if made is None:
                continue
            line, lines, text, diff = made
            key = f"{module.module}:{index}"
            chosen.append(Mutant(key, package, module.module, line, lines, diff))
            sources[key] = text
            drawn += 1
        print(f"{package}: {len(pool)} mutants, {drawn} drawn", flush=True)
    return chosen, sources


def _tests_for(mutant: Mutant, mapping: dict) -> list[str]:
    """The tests that reach the mutant's line, file by file, the fastest file first."""
    reached = mapping["lines"].get(mutant.module, {})
    tests = {t for line in mutant.lines for t in reached.get(str(line), [])}
    durations = mapping["durations"]
    by_file: dict[str, list[str]] = defaultdict(list)
    for nodeid in tests:
        by_file[nodeid.split("::")[0]].append(nodeid)
    files = sorted(by_file, key=lambda f: sum(durations.get(t, 1.0) for t in by_file[f]))
    return [t for f in files for t in sorted(by_file[f])]


def _try(mutant: Mutant, text: str, tests: list[str], tree: Path, src: Path,
         durations: dict[str, float]) -> Mutant:
    if not tests:
        mutant.status = "no tests"
        return mutant
    target = src / "ntm_analysis" / mutant.module
    original = target.read_text(encoding="utf-8")
    target.write_text(text, encoding="utf-8")
    # a test's own time, three times over, plus the start of pytest and of its kernels
    limit = 60 + 3 * sum(durations.get(t, 5.0) for t in tests)
    started = time.perf_counter()
    try:
        run = _pytest(tests, src, tree, "-x", timeout=limit)
        # exit 1: a test failed; 2: the mutant broke the collection (an import); 3: pytest
        # itself; 4 and 5 (a test not found, none run) say nothing of the mutant
        mutant.status = {0: "survived", 4: "error", 5: "error"}.get(run.returncode, "killed")
        failed = [ln for ln in run.stdout.splitlines() if ln.startswith(("FAILED", "ERROR"))]
        mutant.failed = failed[0] if failed else ""  # whole: the control runs that test
    except subprocess.TimeoutExpired:
        mutant.status = "timeout"
    finally:
        target.write_text(original, encoding="utf-8")
        shutil.rmtree(target.parent / "__pycache__", ignore_errors=True)
    mutant.tests = len(tests)
    mutant.seconds = round(time.perf_counter() - started, 1)
    return mutant


def run(per_package: int, seed: int, jobs: int) -> int:
    mapping_file = WORK / "map.json"
    if not mapping_file.exists():
        print("no map: run `python tests/mutation_sample.py map` first")
        return 1
    mapping = json.loads(mapping_file.read_text())
    tree = _tree(mapping["commit"])
    results_file = WORK / "results.json"
    done = {}
    if results_file.exists():
        saved = json.loads(results_file.read_text())
        # the draw of a seed is one order: a smaller sample is the start of a larger one
        if (saved["commit"], saved["seed"]) == (mapping["commit"], seed):
            done = {m["key"]: Mutant(**m) for m in saved["mutants"] if m["status"] != "pending"}
    chosen, sources = _draw(tree, per_package, seed)
    results = {m.key: done.get(m.key, m) for m in chosen}
    todo = [m for m in chosen if m.key not in done]
    print(f"{len(todo)} mutants to try ({len(done)} already tried) with {jobs} workers",
          flush=True)

    def save() -> None:
        payload = {"commit": mapping["commit"], "seed": seed, "per_package": per_package,
                   "mutants": [asdict(m) for m in results.values()]}
        tmp = results_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(payload, ensure_ascii=False, indent=1))
        os.replace(tmp, results_file)  # an interrupted run keeps what it had

    srcs = []
    for worker in range(jobs):
        src = WORK / f"src-{worker}"
        shutil.rmtree(src, ignore_errors=True)
        shutil.copytree(tree / "src", src, ignore=shutil.ignore_patterns("__pycache__"))
        srcs.append(src)
    queue = list(todo)

    def worker(index: int) -> None:
        while queue:
            mutant = queue.pop(0)
            _try(mutant, sources[mutant.key], _tests_for(mutant, mapping), tree, srcs[index],
                 mapping["durations"])
            results[mutant.key] = mutant
            save()
            print(f"{mutant.status:9} {mutant.seconds:6.1f} s {mutant.tests:4d} tests  "
                  f"{mutant.module}:{mutant.line}", flush=True)

    with ThreadPoolExecutor(jobs) as pool:
        for future in [pool.submit(worker, i) for i in range(jobs)]:
            future.result()
    _control(results, tree, srcs[0])
    save()
    return score()


def _failed_test(line: str) -> str:
    """The test of pytest's "FAILED tests/x.py::t - message" line (after "check: ")."""
    test = line.removeprefix("check: ").split(" ", 1)[1]  # after FAILED or ERROR
    return test.split(" - ")[0]


def _control(results: dict[str, Mutant], tree: Path, src: Path) -> None:
    """Run each test that killed a mutant once more without any mutant: a test that fails
    on the unchanged code as well (its order, its environment) killed nothing, and the
    mutants it was credited with go back to ``unsure``."""
    # a kill made by check is of the working tree's tests, on its code
    failed = {(_failed_test(m.failed), m.failed.startswith("check: ")) for m in results.values()
              if m.status == "killed" and "::" in m.failed}
    bad = set()
    for nodeid, checked in sorted(failed):
        where, code = (ROOT, ROOT / "src") if checked else (tree, src)
        if _pytest([nodeid], code, where).returncode != 0:
            bad.add(nodeid)
    print(f"control: {len(failed)} tests that killed a mutant, run on the unchanged code: "
          f"{len(bad)} failed there too{': ' + ', '.join(sorted(bad)) if bad else ''}")
    for mutant in results.values():
        if mutant.status == "killed" and any(n in mutant.failed for n in bad):
            mutant.status = "unsure"


def _change(diff: str) -> str:
    """A mutant's diff without its line numbers: what stays true when code above it moves."""
    return "\n".join(ln for ln in diff.splitlines() if not ln.startswith("@@")).strip()


def _equivalents() -> dict[tuple[str, str], str]:
    """{(module, change): why} of the survivors read and found equivalent
    (``tests/mutation_equivalent.toml``): no input the code can receive tells them apart."""
    with open(ROOT / "tests" / "mutation_equivalent.toml", "rb") as toml:
        return {(m["module"], m["change"].strip()): m["why"]
                for m in tomllib.load(toml)["mutant"]}


def score() -> int:
    results_file = WORK / "results.json"
    if not results_file.exists():
        print("no results: run `python tests/mutation_sample.py run` first")
        return 1
    saved = json.loads(results_file.read_text())
    mutants = [Mutant(**m) for m in saved["mutants"]]
    equivalent = _equivalents()
    why = {}
    for m in mutants:
        if m.status == "survived" and (m.module, _change(m.diff)) in equivalent:
            m.status, why[m.key] = "equivalent", equivalent[(m.module, _change(m.diff))]
    print(f"commit {saved['commit'][:7]}, seed {saved['seed']}, "
          f"{saved['per_package']} mutants drawn per package")
    # the score leaves the equivalent mutants out: no test can kill them
    print(f"{'package':10} {'mutants':>8} {'killed':>7} {'equivalent':>11} {'survived':>9} "
          f"{'score':>7}")
    low = False
    for package in PACKAGES:
        mine = [m for m in mutants if m.package == package and m.status != "pending"]
        if not mine:
            continue
        killed = sum(m.status in KILLED for m in mine)
        same = sum(m.status == "equivalent" for m in mine)
        rate = killed / (len(mine) - same) if len(mine) > same else 1.0
        low |= rate < GOAL
        print(f"{package:10} {len(mine):8d} {killed:7d} {same:11d} "
              f"{len(mine) - killed - same:9d} {rate:7.1%}")
    pending = sum(m.status == "pending" for m in mutants)
    if pending:
        print(f"run incomplete: {pending} mutants not tried")
    print("survivors:")
    for m in mutants:
        if m.status not in KILLED | {"pending"}:
            print(f"  {m.status:10} {m.key} (line {m.line})\n    "
                  + m.diff.replace("\n", "\n    ")
                  + (f"\n    why: {why[m.key]}" if m.key in why else ""))
    return 1 if low or pending else 0


def check(keys: list[str], tests: list[str]) -> int:
    """Try drawn mutants again against the working tree's tests (``tests``, or those the map
    names): how a test written for a survivor is shown to kill it. The change is made to
    the module as it is now; a mutant whose lines are gone is refused."""
    mapping = json.loads((WORK / "map.json").read_text())
    saved = {m["key"]: Mutant(**m) for m in json.loads((WORK / "results.json").read_text())
             ["mutants"]}
    src = WORK / "src-check"
    alive = 0
    for key in keys:
        mutant = saved[key]
        text = _apply(mutant, (ROOT / "src" / "ntm_analysis" / mutant.module)
                      .read_text(encoding="utf-8"))
        if text is None:
            print(f"{key}: the lines it changes are no longer in {mutant.module}: "
                  "map and draw again")
            return 1
        shutil.rmtree(src, ignore_errors=True)
        shutil.copytree(ROOT / "src", src, ignore=shutil.ignore_patterns("__pycache__"))
        _try(mutant, text, tests or _tests_for(mutant, mapping), ROOT, src,
             mapping["durations"])
        alive += mutant.status not in KILLED
        print(f"{mutant.status:9} {key}  {mutant.failed}")
        if mutant.status in KILLED:  # the score is of the suite as it is now
            mutant.failed = f"check: {mutant.failed}"
            _update(mutant)
    return 1 if alive else 0


def _apply(mutant: Mutant, code: str) -> str | None:
    """The mutant's change made to ``code`` (the module as it is now, which may have moved
    since the draw): its removed lines, where they are nearest to where they were, replaced
    by its added lines."""
    diff = mutant.diff.splitlines()
    old = [ln[1:] for ln in diff if ln.startswith("-")]
    new = [ln[1:] for ln in diff if ln.startswith("+")]
    lines = code.splitlines()
    found = [i for i in range(len(lines)) if old and lines[i:i + len(old)] == old]
    if not found:
        return None
    at = min(found, key=lambda i: abs(i + 1 - mutant.line))
    return "\n".join(lines[:at] + new + lines[at + len(old):]) + "\n"


def _update(mutant: Mutant) -> None:
    results_file = WORK / "results.json"
    saved = json.loads(results_file.read_text())
    saved["mutants"] = [asdict(mutant) if m["key"] == mutant.key else m
                        for m in saved["mutants"]]
    tmp = results_file.with_suffix(".check")
    tmp.write_text(json.dumps(saved, ensure_ascii=False, indent=1))
    os.replace(tmp, results_file)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("step", choices=["map", "run", "score", "check"])
    parser.add_argument("--key", action="append", default=[],
                        help="check: a drawn mutant (module:index), once per mutant")
    parser.add_argument("--per-package", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("tests", nargs="*",
                        help="map, check: these tests only (default: all, those that reach it)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_intermixed_args(argv)
    if args.step == "map":
        return build_map(args.tests)
    if args.step == "check":
        return check(args.key, args.tests)
    if args.step == "run":
        return run(args.per_package, args.seed, args.jobs)
    return score()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
