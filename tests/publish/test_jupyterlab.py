"""The analyst's path: the project's JupyterLab, in Chromium, runs the district report and
the exploration notebook."""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from browser import CHROMIUM_ARGS
from playwright.sync_api import sync_playwright

from ntm_analysis import config
from ntm_analysis.clean import clean, write_outputs

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(chromium, tmp_path_factory):
    root = tmp_path_factory.mktemp("lab")
    processed = root / "processed"
    write_outputs(clean(config.RAW_DIR), processed)
    # a copy of the notebooks, so that JupyterLab's autosave never touches the repository
    shutil.copytree(config.NOTEBOOKS_DIR, root / "notebooks")
    port, token = free_port(), secrets.token_hex(16)
    # render every cell (no windowing), so that the page holds the whole notebook
    settings = root / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    env = {**os.environ, "NTM_PROCESSED_DIR": str(processed),
           "JUPYTERLAB_SETTINGS_DIR": str(root / "settings"),
           "JUPYTER_RUNTIME_DIR": str(root / "runtime"),
           "JUPYTERLAB_WORKSPACES_DIR": str(root / "workspaces")}
    log = (root / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
         "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
         "--ServerApp.port_retries=0"],
        env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
            break
        except OSError:
            if server.poll() is not None:
                pytest.fail((root / "server.log").read_text()[-2000:])
            time.sleep(0.5)
    else:
        pytest.fail("JupyterLab did not start")
    yield base, token
    server.terminate()
    server.wait(timeout=30)
    log.close()


def run_all(page, base: str, token: str, notebook: str) -> str:
    """Open ``notebook`` in JupyterLab, Run > Run All Cells, wait until every code cell has
    run, check that none failed; the notebook's text."""
    # a workspace of its own: a notebook another test opened is not restored beside it
    workspace = notebook.removesuffix(".ipynb").replace("_", "-")
    page.goto(f"{base}/lab/workspaces/{workspace}/tree/notebooks/{notebook}?token={token}")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
    # wait for the kernel, then Run > Run All Cells
    page.wait_for_selector("text=Python 3 (ipykernel) | Idle", timeout=90_000)
    page.click("li.lm-MenuBar-item:has-text('Run')")
    page.click("li.lm-Menu-item:has-text('Run All Cells')")
    # every code cell has run: its prompt shows a number, not "[*]" or "[ ]"
    page.wait_for_function(
        "() => { const p = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];"
        " return p.length > 0 && p.every(e => /\\[\\d+\\]/.test(e.textContent)); }",
        timeout=180_000)
    errors = page.locator(".jp-OutputArea-output[data-mime-type*='stderr'], "
                          "[data-mime-type='application/vnd.jupyter.error']")
    text = page.text_content(".jp-Notebook")
    assert "Traceback" not in text and errors.count() == 0
    return text


@pytest.fixture
def page(chromium):
    """A page of a fresh headless Chromium, closed after the test."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser.new_page(viewport={"width": 1400, "height": 1000})
        browser.close()


def test_the_exploration_notebook_runs_in_jupyterlab(lab, page):
    text = run_all(page, *lab, "kham_pha.ipynb")
    assert "Phi Thông" in text  # the communes closest to the advanced standard
    assert page.locator(".jp-OutputArea-output img").count() == 2


def test_district_report_runs_in_jupyterlab(lab, page):
    text = run_all(page, *lab, "district_report.ipynb")
    assert "Huyện An Biên" in text and "Còn thiếu" in text  # the gap table
    assert page.locator(".jp-OutputArea-output table").count() >= 2  # headline, gaps
    # the trend charts; every unit of An Biên has all its criteria, so in place of an
    # empty gap chart there is one line saying so
    assert page.locator(".jp-OutputArea-output img").count() >= 1
    assert "không còn khoảng cách" in text
