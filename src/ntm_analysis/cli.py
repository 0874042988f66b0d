"""The ``ntm`` command line: ``ntm inventory``, ``ntm clean``, ``ntm check``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import config
from .errors import NtmError
from .messages import msg, set_language


def _cmd_inventory(args: argparse.Namespace) -> int:
    from .criteria import periods_table
    from .inventory import inventory, unlisted_missing
    from .units import registry

    raw = Path(args.raw)
    if not raw.is_dir():
        print(msg("raw_dir_missing", path=raw), file=sys.stderr)
        return 2
    table = inventory(raw)
    print(msg("inventory_title", path=raw))
    headers = msg("inventory_header").split("|")
    shown = table.assign(
        rows=table.rows.map(lambda n: "?" if n is None else str(int(n))),
        source=[
            f"{r.publisher} — {r.title} ({r.date})" if r.listed else msg("inventory_unlisted")
            for r in table.itertuples()
        ],
    )[["file", "rows", "source"]]
    shown.columns = headers
    print(format_table(shown))
    _, missing = unlisted_missing(raw)
    if missing:
        print(msg("inventory_missing", n=len(missing), files=", ".join(missing)))
    sets = periods_table()
    print(msg("inventory_criteria", sets="; ".join(
        f"{r.level} {r.period}: {r.total}" for r in sets.itertuples())))
    reg = registry(config.DEFAULT_PROVINCE_CODE)
    communes = reg.communes()
    print(msg("inventory_units", province=reg.get("province", config.DEFAULT_PROVINCE_CODE).name,
              districts=len(reg.districts()), communes=len(communes),
              rural=int((communes.unit_type == "Xã").sum())))
    return 0


def format_table(frame) -> str:
    """Return ``frame`` as a plain left-aligned text table (for terminals and cron logs)."""
    cells = [list(map(str, frame.columns))] + [
        ["" if v is None else str(v) for v in row] for row in frame.itertuples(index=False)
    ]
    widths = [max(len(r[i]) for r in cells) for i in range(len(cells[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of ``ntm``."""
    parser = argparse.ArgumentParser(prog="ntm", description="ntm-analysis")
    parser.add_argument("--lang", choices=["vi", "en"], default=None,
                        help="language of messages (default vi, or NTM_LANG)")
    sub = parser.add_subparsers(dest="command", required=True)

    inv = sub.add_parser("inventory", help="list raw files with row counts and sources")
    inv.add_argument("--raw", default=str(config.RAW_DIR))
    inv.set_defaults(func=_cmd_inventory)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run ``ntm`` and return its exit code."""
    args = build_parser().parse_args(argv)
    if args.lang:
        set_language(args.lang)
    try:
        return int(args.func(args))
    except NtmError as exc:
        print(str(exc), file=sys.stderr)
        return exc.exit_code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
