"""Planning a report run, before any kernel starts: check the arguments and templates, list
one job per report, and hash each job's inputs so that an unchanged report is skipped.

Everything here is cheap (no kernel, no heavy import): an up-to-date re-run stays fast.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from .. import __version__, config
from ..clean.cells import parse_as_of
from ..errors import BatchError
from ..messages import check_language, msg
from ..reference.units import registry
from ..text import slug
from .job import OK, UP_TO_DATE, Job

OVERVIEW_SLUG = "tong-quan"
PARAMETERS = ("district", "as_of", "lang", "processed_dir")
OVERVIEW_PARAMETERS = ("as_of", "lang", "processed_dir")


@dataclass
class ReportOptions:
    """The settings of one ``ntm report`` run."""

    districts: list[str] | None = None
    as_of: str | None = None
    lang: str = "vi"
    raw_dir: Path = config.RAW_DIR
    processed_dir: Path = config.PROCESSED_DIR
    out_dir: Path = config.REPORTS_DIR
    jobs: int = os.cpu_count() or 1
    template: Path = config.NOTEBOOKS_DIR / "district_report.ipynb"
    overview_template: Path = config.NOTEBOOKS_DIR / "province_overview.ipynb"
    force: bool = False
    scheduler: str | None = None
    timeout: int = 600
    wait: float = 0.0
    province_code: str = config.DEFAULT_PROVINCE_CODE
    fresh_interpreter: bool = False


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def raw_digest(raw_dir: Path) -> str:
    """One hash of every file under the raw folder (names and contents)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in Path(raw_dir).rglob("*") if p.is_file()):
        digest.update(f"{path.relative_to(raw_dir).as_posix()}\0{file_digest(path)}\n".encode())
    return digest.hexdigest()


def job_hash(raw: str, template: Path, parameters: dict) -> str:
    """Hash of everything a report depends on: raw data, template, parameters, version."""
    public = {k: v for k, v in parameters.items() if k != "processed_dir"}
    text = json.dumps({"raw": raw, "template": file_digest(template), "parameters": public,
                       "version": __version__}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def template_parameters(template: Path) -> set[str]:
    """Names assigned in the template's ``parameters`` cell (BatchError when it has none).

    Reads the notebook as JSON and the cell with ``ast``: no kernel, no heavy imports, so an
    up-to-date re-run stays fast.
    """
    if not template.is_file():
        raise BatchError(msg("template_missing", path=template))
    try:
        cells = json.loads(template.read_text(encoding="utf-8"))["cells"]
    except (ValueError, KeyError) as exc:
        raise BatchError(msg("template_missing", path=template)) from exc
    for cell in cells:
        if cell.get("cell_type") == "code" and "parameters" in cell.get("metadata", {}).get(
                "tags", []):
            source = cell["source"] if isinstance(cell["source"], str) else "".join(
                cell["source"])
            return {target.id for node in ast.parse(source).body
                    if isinstance(node, ast.Assign | ast.AnnAssign)
                    for target in (node.targets if isinstance(node, ast.Assign)
                                   else [node.target])
                    if isinstance(target, ast.Name)}
    raise BatchError(msg("template_no_parameters", path=template))


def check_template(template: Path, names: tuple[str, ...]) -> None:
    """Refuse to pass parameters the template does not declare (papermill only warns)."""
    declared = template_parameters(template)
    missing = [n for n in names if n not in declared]
    if missing:
        raise BatchError(msg("template_unknown_parameters", path=template,
                             names=", ".join(missing)))


def load_manifest(out_dir: Path) -> dict:
    """The previous run's manifest, or an empty one."""
    path = Path(out_dir) / "manifest.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def up_to_date(job: Job, previous: dict) -> bool:
    """True when the previous run produced this report from the same inputs."""
    entry = previous.get("reports", {}).get(job.slug, {})
    return (entry.get("status") in (OK, UP_TO_DATE) and entry.get("input_hash") == job.input_hash
            and (Path(job.out_dir) / f"{job.slug}.html").exists())


def validate(options: ReportOptions) -> tuple[list, str | None]:
    """Check everything before any kernel starts; return (district units, ISO as-of)."""
    try:
        check_language(options.lang)
    except ValueError as exc:
        raise BatchError(str(exc)) from None
    if options.scheduler:
        try:  # the optional `cluster` extra, checked before anything starts
            import distributed  # noqa: F401
        except ImportError:
            raise BatchError(msg("cluster_missing")) from None
    as_of = None
    if options.as_of:
        parsed = parse_as_of(options.as_of)
        if parsed.error:
            raise BatchError(msg("bad_date_arg", value=options.as_of))
        as_of = parsed.day.strftime("%Y-%m-%d")
    reg = registry(options.province_code)
    if options.districts:
        units = [reg.resolve_district(d, options.province_code) for d in options.districts]
    else:
        units = [reg.get("district", code) for code in reg.districts(options.province_code).code]
    check_template(Path(options.template), PARAMETERS)
    if not options.districts:
        check_template(Path(options.overview_template), OVERVIEW_PARAMETERS)
    return units, as_of


def plan(options: ReportOptions, units: list, as_of: str | None) -> list[Job]:
    """One job per district (and the overview when no district was named)."""
    raw = raw_digest(options.raw_dir)
    processed = str(Path(options.processed_dir).resolve())
    out = str(Path(options.out_dir).resolve())
    template = Path(options.template).resolve()
    jobs = []
    for unit in units:
        params = {"district": unit.code, "as_of": as_of, "lang": options.lang,
                  "processed_dir": processed}
        jobs.append(Job(slug(unit.name), unit.full_name, str(template), params, out,
                        job_hash(raw, template, params), options.timeout,
                        fresh_interpreter=options.fresh_interpreter))
    if not options.districts:
        overview = Path(options.overview_template).resolve()
        params = {"as_of": as_of, "lang": options.lang, "processed_dir": processed}
        jobs.append(Job(OVERVIEW_SLUG, msg("index_overview", lang=options.lang), str(overview),
                        params, out, job_hash(raw, overview, params), options.timeout,
                        fresh_interpreter=options.fresh_interpreter))
    return jobs
