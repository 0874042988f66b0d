"""Project hygiene: dependencies agree, notebooks carry no outputs, raw files are sourced."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

from ntm_analysis import config
from ntm_analysis.raw.inventory import inventory, unlisted_missing

ROOT = config.PROJECT_ROOT


def _name(spec: str) -> tuple[str, str]:
    match = re.match(r"\s*([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?\s*(.*)", spec)
    return match.group(1).lower().replace("_", "-"), match.group(2).replace(" ", "")


def test_environment_yml_matches_pyproject_runtime_dependencies():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = dict(_name(s) for s in project["dependencies"])
    extras = {_name(s)[0] for specs in project["optional-dependencies"].values() for s in specs}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda, pip = {}, {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip.update(_name(s) for s in dep["pip"] if not s.startswith("-e"))
        else:
            conda.update([_name(dep)])
    declared = {k: v for k, v in {**conda, **pip}.items() if k not in {"python", "pip"}}
    runtime_in_env = {k: v for k, v in declared.items() if k not in extras}
    assert runtime_in_env == runtime, (
        f"only in environment.yml: {sorted(set(runtime_in_env) - set(runtime))}; "
        f"only in pyproject: {sorted(set(runtime) - set(runtime_in_env))}; "
        f"versions differ: {[k for k, v in runtime.items() if runtime_in_env.get(k, v) != v]}"
    )
    assert env["channels"] == ["conda-forge"]


def test_notebooks_are_committed_without_outputs():
    dirty = []
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        if any(c.get("outputs") or c.get("execution_count") for c in nb["cells"]
               if c["cell_type"] == "code"):
            dirty.append(path.name)
    assert not dirty, f"notebooks with outputs (clear them before committing): {dirty}"


def test_every_shipped_raw_file_is_listed_in_sources_yml():
    unlisted, missing = unlisted_missing(config.RAW_DIR)
    assert not unlisted, f"raw files not in sources.yml: {unlisted}"
    assert not missing, f"sources.yml lists absent files: {missing}"
    sources = yaml.safe_load((config.RAW_DIR / "sources.yml").read_text(encoding="utf-8"))
    for entry in sources["files"]:
        for key in ("publisher", "title", "date", "transcribed_by", "notes"):
            assert entry.get(key), f"{entry['file']}: sources.yml entry lacks {key}"


def test_inventory_counts_rows_of_the_shipped_files():
    table = inventory(config.RAW_DIR).set_index("file")
    assert table.loc["kien_giang_ntm_facts_2010_2025.csv", "rows"] == 87
    assert table.loc["bao_cao_thang_5_2022_tallies.csv", "rows"] == 10
    assert table.listed.all()


def test_ntm_inventory_command_prints_every_file_and_the_reference_tables():
    out = subprocess.run([sys.executable, "-m", "ntm_analysis.cli", "inventory"],
                         capture_output=True, text=True, check=True).stdout
    for name in ("kien_giang_ntm_facts_2010_2025.csv", "bao_cao_thang_5_2022_tallies.csv"):
        assert name in out
    assert "huyen_ntm 2021-2025: 9" in out and "15" in out and "116" in out


def test_inventory_flags_an_unlisted_file(tmp_path):
    (tmp_path / "sources.yml").write_text("files: []\n", encoding="utf-8")
    (tmp_path / "extra.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    assert unlisted_missing(tmp_path) == (["extra.csv"], [])
    out = subprocess.run([sys.executable, "-m", "ntm_analysis.cli", "--lang", "en", "inventory",
                          "--raw", str(tmp_path)], capture_output=True, text=True).stdout
    assert "NOT LISTED in sources.yml" in out


def test_ntm_inventory_on_a_missing_folder_exits_2(tmp_path):
    result = subprocess.run([sys.executable, "-m", "ntm_analysis.cli", "inventory", "--raw",
                             str(tmp_path / "nope")], capture_output=True, text=True)
    assert result.returncode == 2 and "--raw" in result.stderr


def test_make_help_lists_every_target():
    out = subprocess.run(["make", "-s", "help"], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    targets = re.findall(r"^([a-z][a-z-]+):", (ROOT / "Makefile").read_text(), re.M)
    for target in targets:
        assert f"make {target}" in out, f"make help does not list {target}"


def test_the_schemas_check_the_columns_of_the_processed_contract():
    from ntm_analysis import processed
    from ntm_analysis.clean import schemas

    tables = {"tallies": schemas.TALLIES_TABLE, "facts": schemas.FACTS_TABLE,
              "criteria_status": schemas.CRITERIA_STATUS_TABLE,
              "rejected": schemas.REJECTED_TABLE}
    for name, schema in tables.items():
        assert tuple(schema.columns) == processed.COLUMNS[name], name


def test_every_rating_has_a_colour_and_a_label_in_both_languages():
    from ntm_analysis.messages import CATALOGUE
    from ntm_analysis.method import RATINGS
    from ntm_analysis.report.style import RATING_COLORS

    assert set(RATING_COLORS) == set(RATINGS)
    assert all(f"rating_{r}" in CATALOGUE for r in RATINGS)


def test_no_catalogue_key_is_written_twice():
    """A dict literal keeps the last of two equal keys without a word: the first text would
    be lost unseen."""
    import ast

    from ntm_analysis import messages

    tree = ast.parse(Path(messages.__file__).read_text(encoding="utf-8"))
    catalogue = next(node.value for node in ast.walk(tree) if isinstance(node, ast.AnnAssign)
                     and getattr(node.target, "id", None) == "CATALOGUE")
    keys = [key.value for key in catalogue.keys]
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)


def test_every_catalogue_key_has_both_languages_and_every_key_asked_for_exists():
    """Each entry is (Vietnamese, English), both written; every key the code passes as a
    literal to ``msg`` or a page's ``t`` is in the catalogue (a missing one would be a
    KeyError on a user's screen)."""
    import ast

    from ntm_analysis import config
    from ntm_analysis.messages import CATALOGUE

    assert all(len(texts) == 2 and all(t.strip() for t in texts)
               for texts in CATALOGUE.values())
    asked = set()
    for path in config.PACKAGE_DIR.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)
                    and getattr(node.func, "id", getattr(node.func, "attr", None))
                    in ("msg", "t")):
                asked.add(node.args[0].value)
    assert asked and asked <= set(CATALOGUE), sorted(asked - set(CATALOGUE))
