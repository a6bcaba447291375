"""A learner's first steps in a real browser: JupyterLab 4 with nbgrader's extension, in Debian's Chromium.

Playwright drives /usr/bin/chromium (installed by `make setup` / `.ci/run` through .ci/install-chromium;
Playwright never downloads a browser, and nothing here touches the network). JupyterLab runs on a free
local port with a temporary root holding a copy of a release notebook and a fully solved copy of it.
The learner's path:

1. run all cells of the untouched notebook: one calm "not written yet" line, no traceback;
2. write the first function (the reference from solutions/), run it and its examples: the success line;
3. Validate while the other stubs remain: nbgrader reports a failure that names the next function;
4. Validate a fully solved notebook: success.

Screenshots of each step go to a temporary folder; a failure lists them. Skips where Chromium cannot run.
"""

import inspect
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

import nbformat
import psutil
import pytest

from conftest import ROOT, reference

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (`pip install -r requirements.lock`)"
)

LESSON = "01-functions"
FIRST, NEXT = "sq", "add"  # the notebook's first two functions, in order
ALL_PASSED = "All examples passed."  # the examples' success line, the same in every lesson
NOT_WRITTEN = "`{function}` is not written yet"  # the examples' calm line for an untouched stub
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
START_TIMEOUT = 90  # seconds for JupyterLab to answer
RUN_TIMEOUT = 60_000  # milliseconds for cells, Validate and page loads
# JupyterLab settings for a test: every cell in the page (not only the visible ones), no news pop-up.
SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}


def solved(nb, lesson):
    """`nb` with every answer cell holding the reference function from solutions/."""
    module = reference(lesson)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and cell.cell_type == "code":
            cell.source = reference_source(module, meta["grade_id"])
    return nb


def reference_source(module, function):
    return textwrap.dedent(inspect.getsource(getattr(module, function))).strip("\n")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url, server, log):
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"JupyterLab exited with status {server.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/api/status", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"JupyterLab did not answer within {START_TIMEOUT} s:\n{log.read_text()[-3000:]}")


def stop(server):
    """SIGTERM makes jupyter_server shut every kernel down; then make sure nothing it started lives on."""
    try:
        started = psutil.Process(server.pid).children(recursive=True)  # kernels, and anything they started
    except psutil.NoSuchProcess:
        started = []
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
    _gone, alive = psutil.wait_procs(started, timeout=10)
    for process in alive:
        process.kill()
    psutil.wait_procs(alive, timeout=5)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on a free local port, serving a temporary root; stopped with its kernels at the end."""
    home = tmp_path_factory.mktemp("lab")
    root = home / "root"
    (root / "lesson").mkdir(parents=True)
    (root / "solved").mkdir()
    release = ROOT / "release" / LESSON / f"{LESSON}.ipynb"
    shutil.copy(release, root / "lesson" / release.name)
    nbformat.write(solved(nbformat.read(release, as_version=4), LESSON), root / "solved" / release.name)
    for name, values in SETTINGS.items():
        path = home / "settings" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(home / "config"),  # none of the user's own Jupyter configuration
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
        "IPYTHONDIR": str(home / "ipython"),
    }
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        "--IdentityProvider.token=",
        "--ServerApp.password=",
        f"--ServerApp.root_dir={root}",
    ]
    if os.geteuid() == 0:
        command.append("--allow-root")  # JupyterLab refuses to start as root without it
    log = home / "jupyterlab.log"
    with open(log, "w") as out:  # cwd is the root: nbgrader's Validate reads nbgrader_config.py from there
        server = subprocess.Popen(command, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_up(url, server, log)
        yield url
    finally:
        stop(server)


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    """A Chromium page; skips with the reason where Chromium cannot be launched."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (.ci/install-chromium installs Debian's chromium)")
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_api.sync_playwright() as playwright:
        try:
            context = playwright.chromium.launch_persistent_context(
                str(profile),
                executable_path=str(CHROMIUM),
                headless=True,
                args=CHROMIUM_ARGS,
                viewport={"width": 1400, "height": 1000},
            )
        except Exception as exc:  # noqa: BLE001 - any launch failure means: no browser test on this machine
            pytest.skip(f"Chromium cannot be launched here: {exc}".splitlines()[0])
        try:
            yield context.pages[0] if context.pages else context.new_page()
        finally:
            context.close()


class Learner:
    """What a learner does in JupyterLab, by mouse and keyboard; screenshots each step."""

    def __init__(self, page, url, shots):
        self.page, self.url, self.shots, self.taken = page, url, shots, []

    def shot(self, name):
        path = self.shots / f"{len(self.taken) + 1:02d}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        self.taken.append(path)

    def open(self, path):
        self.page.goto(f"{self.url}/lab/tree/{path}?reset")  # ?reset: only this notebook, no restored tabs
        self.wait_idle()

    def wait_idle(self):
        sync_api.expect(self.page.locator("#jp-main-statusbar")).to_contain_text(
            "Python 3 (ipykernel) | Idle", timeout=RUN_TIMEOUT
        )
        busy = self.page.locator(".jp-NotebookPanel:visible .jp-InputPrompt", has_text="[*]")
        sync_api.expect(busy).to_have_count(0, timeout=RUN_TIMEOUT)

    def menu(self, menu, item):
        self.page.locator(".lm-MenuBar-item", has_text=menu).first.click()
        self.page.locator(".lm-Menu-item", has_text=item).first.click()

    def run_all(self):
        self.menu("Run", "Run All Cells")
        self.page.wait_for_timeout(500)  # the kernel reports busy first
        self.wait_idle()

    def code_cell(self, text):
        return self.page.locator(".jp-NotebookPanel:visible .jp-CodeCell", has_text=text).first

    def outputs(self):
        return "\n".join(self.page.locator(".jp-NotebookPanel:visible .jp-OutputArea").all_inner_texts())

    def show(self, text):
        """Scroll the first output holding `text` into view (for the screenshot), if there is one."""
        output = self.page.locator(".jp-NotebookPanel:visible .jp-OutputArea-output", has_text=text).first
        if output.count():
            output.scroll_into_view_if_needed()

    def write(self, cell, code):
        """Replace a cell's code as typing would, then run it and the cell below it (its examples)."""
        cell.locator(".cm-content").click()
        self.page.keyboard.press("Control+A")
        self.page.keyboard.insert_text(code)
        self.page.keyboard.press("Shift+Enter")
        self.page.keyboard.press("Shift+Enter")
        self.page.wait_for_timeout(500)
        self.wait_idle()

    def validate(self):
        """Click nbgrader's Validate button; return the text of its result dialog, then close it."""
        self.page.locator(".jp-NotebookPanel:visible .validate-button").click()
        dialog = self.page.locator(".jp-Dialog", has_text="Validation Results")
        sync_api.expect(dialog).to_be_visible(timeout=RUN_TIMEOUT)
        text = dialog.inner_text()
        self.shot("validate")
        dialog.locator("button", has_text="Ok").click()
        sync_api.expect(dialog).to_have_count(0)
        return text


def test_a_learner_runs_writes_and_validates_in_jupyterlab(page, lab, tmp_path):  # no lab without a browser
    learner = Learner(page, lab, tmp_path)
    module = reference(LESSON)
    try:
        learner.open(f"lesson/{LESSON}.ipynb")
        learner.run_all()
        learner.show(NOT_WRITTEN.format(function=FIRST))
        learner.shot("untouched-run-all")
        shown = learner.outputs()
        assert NOT_WRITTEN.format(function=FIRST) in shown, shown
        assert "Traceback" not in shown and "---->" not in shown, shown

        stub = learner.code_cell(f"def {FIRST}(")
        learner.write(stub, reference_source(module, FIRST))
        learner.shot(f"{FIRST}-written")
        examples = stub.locator("xpath=following-sibling::div[contains(@class, 'jp-CodeCell')][1]")
        assert ALL_PASSED in examples.locator(".jp-OutputArea").inner_text()

        learner.run_all()  # now the next untouched function stops the notebook, calmly
        learner.show(NOT_WRITTEN.format(function=NEXT))
        learner.shot("run-all-again")
        shown = learner.outputs()
        assert NOT_WRITTEN.format(function=NEXT) in shown and "Traceback" not in shown, shown

        verdict = learner.validate()  # saves first, then nbgrader runs the notebook on the server
        assert "Success" not in verdict and "failed" in verdict, verdict
        assert NOT_WRITTEN.format(function=NEXT) in verdict, verdict

        learner.open(f"solved/{LESSON}.ipynb")
        verdict = learner.validate()
        assert "Success! Your notebook passes all the tests." in verdict, verdict
    except (AssertionError, sync_api.Error) as exc:
        try:
            learner.shot("failure")
        except sync_api.Error:
            pass
        shots = "\n".join(f"  {p}" for p in learner.taken)
        raise AssertionError(f"{exc}\nScreenshots of each step:\n{shots}") from exc
