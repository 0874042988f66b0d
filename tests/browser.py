"""The Chromium the browser and JupyterLab tests drive: found on the machine, or installed.

``find_browser`` looks for a Chromium or Chrome that Playwright can drive: ``$NTM_BROWSER``,
then Debian's ``chromium``, ``google-chrome`` and the like on the PATH, then Playwright's own
browser in its cache. ``python tests/browser.py --ensure`` (run by ``make test``) installs
Playwright's Chromium with Playwright's own installer when there is none; on a machine that
cannot download it, the browser tests are skipped with one loud line, unless
``NTM_REQUIRE_BROWSER=1`` (set by ``.ci/run``) turns a missing browser into a failure.

Run as a script rather than imported by ``conftest`` for the install, so that a slow download
is visible in ``make test``'s output instead of hidden in pytest's collection.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# the search `ntm report --pdf` uses, and its arguments for a browser without a network
from ntm_analysis.publish.pdf import BROWSER_ARGS, browser_path

REQUIRE_ENV = "NTM_REQUIRE_BROWSER"
CHROMIUM_ARGS = BROWSER_ARGS  # what the browser tests launch Chromium with
INSTALL = [sys.executable, "-m", "playwright", "install", "chromium"]
MISSING = ("NO BROWSER: the browser and JupyterLab tests are SKIPPED. No Chromium or Chrome "
           "was found and Playwright's could not be installed. Get one with "
           "`apt-get install chromium` or `.venv/bin/python -m playwright install chromium`, "
           "or point NTM_BROWSER at a Chrome binary.")


def required() -> bool:
    """True when a missing browser must fail the run instead of skipping tests (CI)."""
    return os.environ.get(REQUIRE_ENV, "") not in ("", "0")


def playwright_browser() -> str | None:
    """The Chromium in Playwright's cache, when it has been installed."""
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            path = p.chromium.executable_path
    except Exception:  # no driver, or no browser known to it: treated as absent
        return None
    return path if Path(path).is_file() else None


def find_browser() -> str | None:
    """Path of a Chromium or Chrome the tests can drive, or None."""
    return browser_path() or playwright_browser()


def ensure_browser() -> str | None:
    """Find a browser; when there is none, install Playwright's Chromium and look again."""
    path = find_browser()
    if path is None:
        print("No Chromium found; trying Playwright's installer: " + " ".join(INSTALL[1:]),
              flush=True)
        try:
            subprocess.run(INSTALL, timeout=900, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            print(f"Playwright's installer did not finish: {exc}", flush=True)
        path = find_browser()
    return path


def main(argv: list[str]) -> int:
    path = ensure_browser() if "--ensure" in argv else find_browser()
    if path:
        print(f"Browser for the tests: {path}")
        return 0
    banner = "!" * 78
    print(f"{banner}\n{MISSING}\n{banner}", flush=True)
    return 1 if required() else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
