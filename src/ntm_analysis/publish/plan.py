"""Planning a report run, before any kernel starts: check the arguments and templates, list
one job per report, and hash each job's inputs so that an unchanged report is skipped.

Everything here is cheap (no kernel, no heavy import): an up-to-date re-run stays fast.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from .. import __version__, config
from ..clean.cells import parse_as_of
from ..errors import BatchError, UnitNotFoundError
from ..messages import check_language, msg
from ..reference.eras import province_pair, successor_labels
from ..reference.units import ERA_2025, LEGACY, Unit, derived_key, registry, units_2025
from ..text import slug
from .job import OK, UP_TO_DATE, WORKBOOK_DIR, Job

OVERVIEW_SLUG = "tong-quan"
NEW_OVERVIEW_SLUG = "tong-quan-tu-2025"
PARAMETERS = ("district", "as_of", "lang", "processed_dir")
OVERVIEW_PARAMETERS = ("as_of", "lang", "processed_dir")
COMMUNE_PARAMETERS = ("commune", "province", "as_of", "lang", "processed_dir")
NEW_OVERVIEW_PARAMETERS = ("province", "as_of", "lang", "processed_dir")
#: ``--era``: the legacy district reports, the 2025-era commune reports, or both
ERA_CHOICES = (LEGACY, ERA_2025, "all")


@dataclass
class ReportOptions:
    """The settings of one ``ntm report`` run."""

    districts: list[str] | None = None
    communes: list[str] | None = None  # 2025-era communes (``--commune``)
    era: str = "all"  # one of ERA_CHOICES
    as_of: str | None = None
    lang: str = "vi"
    raw_dir: Path = config.RAW_DIR
    processed_dir: Path = config.PROCESSED_DIR
    out_dir: Path = config.REPORTS_DIR
    jobs: int = os.cpu_count() or 1
    template: Path = config.NOTEBOOKS_DIR / "district_report.ipynb"
    overview_template: Path = config.NOTEBOOKS_DIR / "province_overview.ipynb"
    commune_template: Path = config.NOTEBOOKS_DIR / "commune_report.ipynb"
    new_overview_template: Path = config.NOTEBOOKS_DIR / "province_overview_2025.ipynb"
    national_template: Path = config.NOTEBOOKS_DIR / "national_overview.ipynb"
    force: bool = False
    scheduler: str | None = None
    timeout: int = 600
    wait: float = 0.0
    province_code: str = config.DEFAULT_PROVINCE_CODE  # legacy era: the district reports'
    province: str | None = None  # ``--province``: a province of either era, name or code
    fresh_interpreter: bool = False
    pdf: bool = False  # ``--pdf``: an A4 PDF of every page too (publish/pdf.py)
    #: the digest of the processed tables, standing for the raw folder in every page's key
    #: (a national run's province slice, already cleaned): no cleaning, no raw digest
    data_key: str | None = None


@dataclass
class Selection:
    """What a run produces, decided before any kernel starts."""

    districts: list[Unit]  # legacy era
    communes: list[Unit]  # 2025 era
    overview: bool  # the legacy province overview
    new_overview: bool  # the 2025-era province overview
    legacy_province: str  # GSO code, legacy era
    new_province: str  # GSO code, 2025 era
    as_of: str | None  # ISO date or None (latest)


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


@functools.cache
def code_digest(package_dir: Path = config.PACKAGE_DIR) -> str:
    """One hash of the code and data a page is made with: every source, template and
    reference file of the package (its version string alone stays the same while the code
    changes), and the unit data of ``vietnamadminunits`` (its version, the sizes and times
    of its data files: ``units.derived_key``'s own description of it)."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(p for p in Path(package_dir).rglob("*")
                       if p.is_file() and p.suffix in (".py", ".csv", ".j2", ".json", ".css")):
        digest.update(f"{path.relative_to(package_dir).as_posix()}\0{file_digest(path)}\n"
                      .encode())
    digest.update(derived_key().encode())
    return digest.hexdigest()


def job_hash(raw: str, template: Path, parameters: dict, code: str | None = None) -> str:
    """Hash of everything a report depends on: raw data, template, parameters, and the code
    and reference data that make the page (:func:`code_digest` unless ``code`` is given)."""
    public = {k: v for k, v in parameters.items() if k != "processed_dir"}
    text = json.dumps({"raw": raw, "template": file_digest(template), "parameters": public,
                       "code": code if code is not None else code_digest()},
                      sort_keys=True, ensure_ascii=False)
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
    """True when the previous run produced this report, page and workbook, from the same
    inputs."""
    entry = previous.get("reports", {}).get(job.slug, {})
    out = Path(job.out_dir)
    return (entry.get("status") in (OK, UP_TO_DATE) and entry.get("input_hash") == job.input_hash
            and (out / f"{job.slug}.html").exists()
            and (out / WORKBOOK_DIR / f"{job.slug}.xlsx").exists())


def validate(options: ReportOptions) -> Selection:
    """Check everything before any kernel starts; return what the run produces."""
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
    if options.era not in ERA_CHOICES:
        raise BatchError(msg("bad_era_arg", value=options.era, choices=", ".join(ERA_CHOICES)))
    legacy, new = province_pair(options.province or None, options.province_code)
    named = bool(options.districts or options.communes)  # naming units runs only those
    want_legacy = options.era in (LEGACY, "all") and (not named or bool(options.districts))
    want_new = options.era in (ERA_2025, "all") and (not named or bool(options.communes))
    districts, communes = [], []
    if want_legacy:
        reg = registry(legacy)
        districts = ([reg.resolve_district(d, legacy) for d in options.districts]
                     if options.districts else
                     [reg.get("district", code) for code in reg.districts(legacy).code])
        check_template(Path(options.template), PARAMETERS)
        if not named:
            check_template(Path(options.overview_template), OVERVIEW_PARAMETERS)
    if want_new:
        reg = registry(new, ERA_2025)
        communes = ([_new_commune(c, new) for c in options.communes]
                    if options.communes else
                    [reg.get("commune", code)
                     for code in reg.communes(province_code=new).code])
        check_template(Path(options.commune_template), COMMUNE_PARAMETERS)
        if not named:
            check_template(Path(options.new_overview_template), NEW_OVERVIEW_PARAMETERS)
    return Selection(districts, communes, want_legacy and not named, want_new and not named,
                     legacy, new, as_of)


def _new_commune(name: str, province: str) -> Unit:
    """A 2025-era commune named on the command line; an old commune's name is refused with
    its successor as the suggestion ("Đông Yên" → "Xã An Biên (An Giang)")."""
    try:
        return registry(province, ERA_2025).resolve_commune(name, province, prefer_type="Xã")
    except UnitNotFoundError as exc:
        later = successor_labels(name, province)
        if later:
            raise UnitNotFoundError("commune", name, exc.parent, later) from None
        raise


def plan(options: ReportOptions, selection: Selection) -> list[Job]:
    """One job per district and per commune, and the overviews when no unit was named."""
    raw = options.data_key or raw_digest(options.raw_dir)
    processed = str(Path(options.processed_dir).resolve())
    out = str(Path(options.out_dir).resolve())
    as_of = selection.as_of
    jobs = []

    def add(job_slug: str, name: str, template: Path, params: dict) -> None:
        template = Path(template).resolve()
        # a page of a --pdf run links its PDF: with or without, two different pages
        key = {**params, "pdf": True} if options.pdf else params
        jobs.append(Job(job_slug, name, str(template), params, out,
                        job_hash(raw, template, key), options.timeout,
                        fresh_interpreter=options.fresh_interpreter, pdf=options.pdf))

    common = {"as_of": as_of, "lang": options.lang, "processed_dir": processed}
    if selection.overview:
        add(OVERVIEW_SLUG, msg("index_overview", lang=options.lang), options.overview_template,
            common)
    if selection.new_overview:
        add(NEW_OVERVIEW_SLUG, msg("index_new_overview", lang=options.lang),
            options.new_overview_template, {"province": selection.new_province, **common})
    for unit in selection.districts:
        add(slug(unit.name), unit.full_name, options.template, {"district": unit.code, **common})
    for unit in selection.communes:
        add(commune_slug(unit), unit.full_name, options.commune_template,
            {"commune": unit.code, "province": selection.new_province, **common})
    return jobs


def commune_slug(unit: Unit) -> str:
    """The file name of a 2025-era commune's page: its type too (``xa-an-bien``), so that it
    never meets a district's (``an-bien``)."""
    return page_slug(unit.code, unit.full_name, unit.parent_code)


def page_slug(code: str, full_name: str, province_code: str | None) -> str:
    """``slug(full_name)``, with the unit's code added when another commune of its province
    has the same slug: names that differ only by accents (Xã Sơn Hà and Xã Sơn Hạ, Quảng
    Ngãi) would write one page over the other."""
    name = slug(full_name)
    return f"{name}-{code}" if (province_code, name) in _shared_slugs() else name


@functools.cache
def _shared_slugs() -> frozenset[tuple[str, str]]:
    """(province, slug) of the 2025-era units whose slug another unit of the province has."""
    table = units_2025()
    keys = list(zip(table.provinceCode, table.ward.map(slug), strict=True))
    seen: dict[tuple[str, str], int] = {}
    for key in keys:
        seen[key] = seen.get(key, 0) + 1
    return frozenset(k for k, n in seen.items() if n > 1)
