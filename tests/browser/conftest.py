"""Fixtures for the real-browser tests: a JupyterLab server, a Voila server and headless Chromium.

The tests here meet the course the way a student does: a real ``jupyter lab`` (and ``voila``)
process serves a temporary copy of ``notebooks/``, and Debian's Chromium, driven by the
``playwright`` Python package, opens it, runs it and presses keys.

Conventions
-----------
- Every server runs on 127.0.0.1 on a free port, with HOME and the Jupyter, IPython and XDG
  folders pointed at a temporary directory, and is stopped through its process group when the
  session ends, also after a failure. Its log is kept next to the screenshots.
- The kernel is this interpreter (``sys.executable``): a kernelspec written into the temporary
  Jupyter data folder says so, and ``JUPYTER_PREFER_ENV_PATH=0`` makes it win over any other.
- Every test fails on JavaScript errors (console errors and uncaught page errors) and leaves a
  screenshot in an artifacts folder that is printed at the end of the run, together with the
  timings and websocket byte counts the tests measured (printed, never asserted).
- Without Chromium or playwright the tests are skipped with one line of reason; with
  ``GDVIZ_REQUIRE_BROWSER=1`` a missing browser is a failure instead. The browser is Debian's
  ``/usr/bin/chromium`` (``apt-get install chromium``), or the binary named by ``GDVIZ_CHROMIUM``;
  never a build downloaded by ``playwright install``.
- Pages may only reach the local servers: every other request is blocked, so a result never
  depends on the network.

Select or deselect these tests with ``-m browser`` / ``-m "not browser"``.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"
CHROMIUM = os.environ.get("GDVIZ_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SERVER_START_TIMEOUT = 90  # seconds; a cold JupyterLab start on 2 busy cores takes ~5 to 15 s

# Lines collected by the tests and printed in the terminal summary (timings, websocket bytes).
REPORT: list[str] = []
ARTIFACTS: list[Path] = []


def report(line: str) -> None:
    """Queue ``line`` for the end-of-run summary (printed, never asserted)."""
    REPORT.append(line)


def notebook_names() -> list[str]:
    """The notebooks of the course, found when the tests are collected."""
    return sorted(path.name for path in NOTEBOOKS.glob("*.ipynb"))


# --------------------------------------------------------------------------- pytest hooks


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives a real JupyterLab or Voila page in headless Chromium")
    config.addinivalue_line("markers", "look: the lecture view, in `make test-look` only")
    config.addinivalue_line("markers", "slow_machine: apps, CPU throttled 4x; in make test-look")


def pytest_generate_tests(metafunc):
    if "notebook_name" in metafunc.fixturenames:
        metafunc.parametrize("notebook_name", notebook_names())


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed"
    if not os.access(CHROMIUM, os.X_OK):
        return f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium)"
    return None


def browser_required() -> bool:
    return os.environ.get("GDVIZ_REQUIRE_BROWSER", "") not in ("", "0")


def pytest_collection_modifyitems(config, items):
    reason = browser_missing()
    if reason is None or browser_required():
        return  # run them; when required and missing, the `browser` fixture fails with the reason
    skip = pytest.mark.skip(reason=f"browser tests skipped: {reason}")
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


# The summary lines travel on each test's reports, so that they reach the terminal also when the
# tests run in a pytest-xdist worker (`make test` runs two), whose REPORT list the controller
# never sees; tests/conftest.py prints them (the controller never loads this conftest).
SUMMARY_KEY = "gdviz browser summary"
_passed_on = 0


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    global _passed_on
    outcome = yield
    lines = REPORT[_passed_on:] + [f"screenshots and server logs: {folder}" for folder in ARTIFACTS]
    _passed_on = len(REPORT)
    ARTIFACTS.clear()
    outcome.get_result().user_properties.extend((SUMMARY_KEY, line) for line in lines)


# --------------------------------------------------------------------------- servers


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def private_environment(home: Path) -> dict[str, str]:
    """os.environ with every per-user Jupyter, IPython and XDG folder moved under ``home``, except
    the two that hold kernels' sockets (`KERNELS_OVER_IPC`), which go in a short folder of /tmp: a
    Unix socket's path may not pass 107 characters."""
    sockets = Path(tempfile.mkdtemp(prefix="gdviz-", dir="/tmp"))
    folders = {
        "HOME": home,
        "JUPYTER_CONFIG_DIR": home / ".jupyter",
        "JUPYTER_DATA_DIR": home / ".local/share/jupyter",
        "JUPYTER_RUNTIME_DIR": sockets / "runtime",
        "IPYTHONDIR": home / ".ipython",
        "XDG_CONFIG_HOME": home / ".config",
        "XDG_DATA_HOME": home / ".local/share",
        "XDG_CACHE_HOME": home / ".cache",
        "XDG_RUNTIME_DIR": home / ".run",
        "TMPDIR": sockets / "tmp",  # Voila keeps its kernels' connection files in a temporary folder
    }
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("JUPYTER", "IPYTHON"))}
    env.update({key: str(folder) for key, folder in folders.items()})
    # Inside a virtualenv Jupyter would search the environment's folders before the user's; we
    # want the kernelspec written below (the user's) to be the one used.
    env["JUPYTER_PREFER_ENV_PATH"] = "0"
    env["PYTHONUNBUFFERED"] = "1"
    return env


def write_kernelspec(env: dict[str, str]) -> None:
    """Make kernel "python3" this very interpreter, so the notebooks import the gdviz under test."""
    spec_dir = Path(env["JUPYTER_DATA_DIR"]) / "kernels" / "python3"
    spec_dir.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec, indent=1))


def write_lab_settings(env: dict[str, str]) -> None:
    """Keep JupyterLab from asking to fetch news (a toast over the page) or checking for updates."""
    labconfig = Path(env["JUPYTER_CONFIG_DIR"]) / "labconfig"
    labconfig.mkdir(parents=True, exist_ok=True)
    overrides = {
        "@jupyterlab/apputils-extension:notification": {"checkForUpdates": False, "fetchNews": "false"},
    }
    (labconfig / "default_setting_overrides.json").write_text(json.dumps(overrides))


@dataclass
class Server:
    """A Jupyter-family server process started by a fixture."""

    name: str
    process: subprocess.Popen
    url: str  # base url, ending in "/"
    token: str
    root: Path  # the folder it serves
    log: Path

    def api(self, method: str, path: str) -> object:
        """Call the REST API (JupyterLab only) and return the decoded JSON, or None."""
        request = urllib.request.Request(
            self.url + path.lstrip("/"), method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def log_tail(self, lines: int = 40) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def shutdown_kernels(self) -> None:
        """Shut every kernel down, so the next test starts from a quiet server."""
        for session in self.api("GET", "api/sessions") or []:
            self.api("DELETE", f"api/sessions/{session['id']}")


def start_server(name: str, command: list[str], env: dict, cwd: Path, log: Path) -> subprocess.Popen:
    with open(log, "wb") as log_file:
        # A new session makes the server the leader of its own process group, which teardown
        # signals as a whole, so nothing it started outlives the tests.
        return subprocess.Popen(
            command, cwd=cwd, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
        )


def wait_until_ready(server: Server, probe: str) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"{server.name} exited with {server.process.returncode}:\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(server.url + probe, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    pytest.fail(f"{server.name} not ready after {SERVER_START_TIMEOUT} s:\n{server.log_tail()}")


def stop_server(server: Server) -> None:
    """SIGTERM the server's process group (it shuts its kernels down), SIGKILL if it lingers."""
    for sig, grace in ((signal.SIGTERM, 20), (signal.SIGKILL, 5)):
        try:
            os.killpg(server.process.pid, sig)
        except ProcessLookupError:
            break
        try:
            server.process.wait(timeout=grace)
            break
        except subprocess.TimeoutExpired:
            continue


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("browser-artifacts")
    ARTIFACTS.append(folder)
    return folder


@pytest.fixture(scope="session")
def jupyter_home(tmp_path_factory) -> tuple[dict[str, str], Path]:
    """A private environment and a copy of notebooks/ to serve, so runs never write into the repo."""
    home = tmp_path_factory.mktemp("jupyter-home")
    env = private_environment(home)
    write_kernelspec(env)
    write_lab_settings(env)
    root = home / "notebooks"
    shutil.copytree(NOTEBOOKS, root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return env, root


# Kernels talk to their server over Unix sockets, not TCP ports: two servers starting kernels at
# once (`make test-look`'s workers do) each picked a free port and one lost the race to bind it
# ("ZMQError: Address already in use", the kernel dead before its first reply).
KERNELS_OVER_IPC = "--KernelManager.transport=ipc"


def serve_jupyter(name: str, python: str, module: str, app_options: list[str], jupyter_home, artifacts):
    """Start ``python -m module`` (a Jupyter server app) on the notebook copy; yield it, then stop it."""
    env, root = jupyter_home
    port, token = free_port(), secrets.token_hex(16)
    log = artifacts / f"{name.replace(' ', '-')}.log"
    command = [
        python, "-m", module,
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        "--ServerApp.terminals_enabled=False",
        "--ServerApp.allow_root=True",  # CI runs as root in a throw-away machine
        KERNELS_OVER_IPC,
        *app_options,
    ]  # fmt: skip
    process = start_server(name, command, env, root, log)
    server = Server(name, process, f"http://127.0.0.1:{port}/", token, root, log)
    try:
        wait_until_ready(server, f"api/status?token={token}")
        yield server
    finally:
        stop_server(server)


@pytest.fixture(scope="session")
def lab_server(browser, jupyter_home, artifacts):
    """A real ``jupyter lab`` serving the notebook copy, exposing ``window.jupyterapp`` to tests."""
    yield from serve_jupyter("jupyter lab", sys.executable, "jupyterlab", [
        "--LabApp.expose_app_in_browser=True",
        "--LabApp.news_url=None",
        "--LabApp.extension_manager=readonly",  # no PyPI look-ups from the extension manager
    ], jupyter_home, artifacts)


# Notebook 7 lives in a venv of its own (`make test` builds it): beside Voila, each one's page
# extension breaks the other's pages. Its kernel is still this interpreter (the kernelspec).
NOTEBOOK7_PYTHON = Path(os.environ.get("GDVIZ_NOTEBOOK7_PYTHON", REPO / ".venv-notebook7" / "bin" / "python"))


@pytest.fixture(scope="session")
def notebook7_server(browser, jupyter_home, artifacts):
    """A real Jupyter Notebook 7 (``jupyter notebook``) serving the same copy, app exposed as in Lab."""
    if not os.access(NOTEBOOK7_PYTHON, os.X_OK):
        reason = f"no Notebook 7 venv at {NOTEBOOK7_PYTHON} (`make test` builds it)"
        if browser_required():
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    yield from serve_jupyter("jupyter notebook", str(NOTEBOOK7_PYTHON), "notebook",
                             ["--JupyterNotebookApp.expose_app_in_browser=True"], jupyter_home, artifacts)


def serve_voila(target: str, label: str, jupyter_home, artifacts, presentation: bool = False):
    """Start ``voila target`` (a notebook, or the folder) on the notebook copy; yield it, then stop it.

    With ``presentation`` its kernels start in gdviz's presentation mode (GDVIZ_PRESENTATION=1),
    as `make lecture` starts them.
    """
    env, root = jupyter_home
    env = {**env, "GDVIZ_PRESENTATION": "1" if presentation else "0"}
    port, token = free_port(), secrets.token_hex(16)
    log = artifacts / f"{label.replace(' ', '-')}.log"
    command = [
        sys.executable, "-m", "voila", target,
        "--no-browser",
        "--Voila.ip=127.0.0.1",
        f"--Voila.port={port}",
        "--Voila.port_retries=0",
        f"--Voila.token={token}",
        KERNELS_OVER_IPC,
    ]  # fmt: skip
    process = start_server(label, command, env, root, log)
    server = Server(label, process, f"http://127.0.0.1:{port}/", token, root, log)
    try:
        wait_until_ready(server, "voila/templates/lab/static/voila.js")  # a static file: no kernel started
        yield server
    finally:
        stop_server(server)


@pytest.fixture(scope="session")
def voila_server(browser, jupyter_home, artifacts):
    """``voila explorer.ipynb``: the classroom view, outputs only."""
    yield from serve_voila("explorer.ipynb", "voila", jupyter_home, artifacts)


@pytest.fixture(scope="session")
def voila_normal_server(browser, jupyter_home, artifacts):
    """``voila`` on the notebook folder, presentation mode off: a course notebook as a student sees it."""
    yield from serve_voila(".", "voila normal", jupyter_home, artifacts)


@pytest.fixture(scope="session")
def voila_course_server(browser, jupyter_home, artifacts):
    """``voila`` on the whole notebook folder, in presentation mode: any course notebook as a lecture page."""
    yield from serve_voila(".", "voila course", jupyter_home, artifacts, presentation=True)


# --------------------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium through playwright (never a downloaded browser build)."""
    reason = browser_missing()
    if reason is not None:
        if browser_required():
            pytest.fail(f"GDVIZ_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
        pytest.skip(f"browser tests skipped: {reason}")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()
    finally:
        playwright.stop()


# Console noise that says nothing about our notebooks. Each entry is a regular expression
# matched against the console message text, with the reason it is harmless.
BENIGN_CONSOLE_ERRORS = [
    # Voila's "lab" template links two Font Awesome 5 stylesheets from a CDN; the tests block every
    # request that leaves 127.0.0.1 (see `browser_context`), and Voila's own bundle already carries the
    # same Font Awesome 5 styles and fonts, so the icons render without them.
    r"cdn\.jsdelivr\.net/npm/@fortawesome/fontawesome-free@.*\.css",
]
# Uncaught errors in a front end's own code, matched against message and stack, each with why it
# is not ours. Each one seen is still printed in the summary.
BENIGN_PAGE_ERRORS = [
    # Notebook 7.6's keyboard-shortcut settings code reads the schema of a plugin it has not loaded;
    # it happens on every Notebook 7 page here, before any cell runs, with or without gdviz's apps.
    r"reading 'schema'\)[\s\S]*/static/notebook/notebook_core\.",
]


# Every trace named "Chad" in the page's (first) plotly graph, as plain lists of numbers; installed
# in every page as window.__gdvizReadChad.
READ_CHAD_JS = """window.__gdvizReadChad = () => {
  const gd = document.querySelector('.js-plotly-plot');
  if (!gd || !gd.data) return null;
  const plain = (values) => (values === undefined || values === null) ? null : Array.from(values, Number);
  return gd.data.filter((trace) => trace.name === 'Chad')
    .map((trace) => ({x: plain(trace.x), y: plain(trace.y), z: plain(trace.z)}));
}"""

# Remember where Chad is, then note the page time of the next keydown and of Chad's first move.
WATCH_CHAD_JS = """() => {
  const read = window.__gdvizReadChad;
  const move = {baseline: JSON.stringify(read()), pressed: null, moved: null};
  window.__gdvizMove = move;
  const onKey = () => { move.pressed = performance.now(); };
  window.addEventListener('keydown', onKey, {capture: true, once: true});  // first to hear a key
  const timer = setInterval(() => {
    if (move.pressed !== null && JSON.stringify(read()) !== move.baseline) {
      move.moved = performance.now();
      clearInterval(timer);
    }
  }, 5);
  setTimeout(() => clearInterval(timer), 60000);
}"""

# Collect every distinct position Chad takes in the page, sampled every 20 ms for up to 60 s.
TRACK_CHAD_JS = """() => {
  const read = window.__gdvizReadChad;
  const seen = new Set([JSON.stringify(read())]);
  window.__gdvizTrail = seen;
  const timer = setInterval(() => seen.add(JSON.stringify(read())), 20);
  setTimeout(() => clearInterval(timer), 60000);
}"""


@dataclass
class Tab:
    """A Chromium page plus what the tests watch on it: JS errors and websocket traffic."""

    page: object
    errors: list[str] = field(default_factory=list)
    # Kernel websocket traffic: [bytes received, bytes sent, frames received, frames sent].
    kernel_traffic: list[int] = field(default_factory=lambda: [0, 0, 0, 0])
    errors_checked: int = 0  # errors before this index were reported by an earlier `finish`
    # Frames that echo plotly's page reports (`_js2py_*` state) back to the page: see
    # gdviz/apps/_plotly_compat.py, QuietFigureWidget.
    plotly_echoes: int = 0

    def watch(self) -> None:
        self.page.on("console", self._on_console)
        self.page.on("pageerror", self._on_page_error)
        self.page.on("websocket", self._on_websocket)

    def _on_console(self, message) -> None:
        if message.type != "error":
            return
        text = message.text
        location = message.location.get("url", "") if message.location else ""
        if any(re.search(pattern, f"{text} {location}") for pattern in BENIGN_CONSOLE_ERRORS):
            return
        self.errors.append(f"console error: {text} ({location})")

    def _on_page_error(self, error) -> None:
        text = f"{error} {error.stack or ''}"
        if any(re.search(pattern, text) for pattern in BENIGN_PAGE_ERRORS):
            report(f"tolerated, not ours: {str(error)[:100]}")
            return
        self.errors.append(f"page error: {error}")

    def _on_websocket(self, websocket) -> None:
        if "/channels" not in websocket.url:  # only kernel channels: the widget and plotly traffic
            return

        def count(index, payload):
            data = payload.encode() if isinstance(payload, str) else payload
            self.kernel_traffic[index] += len(data)
            self.kernel_traffic[index + 2] += 1
            if index == 0 and b"echo_update" in data and b"_js2py_" in data:
                self.plotly_echoes += 1

        websocket.on("framereceived", lambda payload: count(0, payload))
        websocket.on("framesent", lambda payload: count(1, payload))

    def chad(self) -> list[dict] | None:
        """Chad as the page draws him: every trace named "Chad" in the plotly graph's ``gd.data``."""
        return self.page.evaluate("() => window.__gdvizReadChad()")

    def wait_for_graph(self, timeout_ms: int = 60_000) -> None:
        self.page.wait_for_function(
            "() => { const chad = window.__gdvizReadChad(); return !!chad && chad.length > 0; }",
            timeout=timeout_ms,
            polling=200,
        )

    def press_and_time(self, target, key: str, timeout_ms: int = 30_000) -> float:
        """Press ``key`` on ``target`` (a playwright Locator); return seconds until Chad moves in the page.

        The clock is the page's: from the keydown event to the first 5 ms poll that sees
        ``gd.data`` for Chad differ from before the press.
        """
        target.focus()
        self.page.evaluate(WATCH_CHAD_JS)
        self.page.keyboard.press(key)
        self.page.wait_for_function("() => window.__gdvizMove.moved !== null", timeout=timeout_ms, polling=20)
        move = self.page.evaluate("() => window.__gdvizMove")
        return (move["moved"] - move["pressed"]) / 1000

    def track_chad(self) -> None:
        """Start collecting Chad's distinct positions in the page (see ``positions_seen``)."""
        self.page.evaluate(TRACK_CHAD_JS)

    def positions_seen(self) -> int:
        return self.page.evaluate("() => window.__gdvizTrail.size")

    def traffic(self) -> tuple[int, int]:
        """(bytes received, bytes sent) on kernel websockets so far."""
        return self.kernel_traffic[0], self.kernel_traffic[1]

    def screenshot(self, artifacts: Path, name: str) -> None:
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_")
        try:
            self.page.screenshot(path=str(artifacts / f"{safe}.png"), full_page=True, timeout=30_000)
        except Exception as error:  # a broken page must still report its JS errors
            report(f"{name}: no screenshot ({error})")

    def finish(self, artifacts: Path, name: str) -> None:
        """Screenshot to the artifacts folder, then fail on any JS error not yet reported."""
        self.screenshot(artifacts, name)
        new_errors = self.errors[self.errors_checked :]
        self.errors_checked = len(self.errors)
        if new_errors:
            pytest.fail("JavaScript errors in the page:\n" + "\n".join(new_errors), pytrace=False)


@pytest.fixture(scope="session")
def browser_context(browser):
    """One browser profile for all tests, so JupyterLab's own scripts come from the HTTP cache."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    # Only the local servers: the course must work offline, and a test must not wait on the network.
    context.route(re.compile(r"^(?![a-z]+://127\.0\.0\.1[:/])[a-z]+://"), lambda route: route.abort())
    context.add_init_script(READ_CHAD_JS)
    yield context
    context.close()


def open_tab(browser_context) -> Tab:
    tab = Tab(browser_context.new_page())
    tab.watch()
    tab.page.set_default_timeout(60_000)
    return tab


@pytest.fixture
def tab(browser_context, artifacts, request):
    """A fresh page; screenshot and JS-error check when the test ends, pass or fail."""
    tab = open_tab(browser_context)
    try:
        yield tab
        tab.finish(artifacts, request.node.name)
    finally:
        tab.page.close()


# --------------------------------------------------------------------------- JupyterLab page

# Is the current tab the notebook `path`, loaded, with a connected kernel that is idle?
NOTEBOOK_READY_JS = """(path) => {
  const app = window.jupyterapp;
  const panel = app && app.shell.currentWidget;
  if (!panel || !panel.context || panel.context.path !== path || !panel.context.isReady) return false;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  return !!kernel && kernel.connectionStatus === 'connected' && kernel.status === 'idle';
}"""

# Start "Run All Cells" without waiting for it; the promise's outcome lands in a global.
RUN_ALL_JS = """() => {
  window.__gdvizRunAll = null;
  window.jupyterapp.commands.execute('notebook:run-all-cells').then(
    (ok) => { window.__gdvizRunAll = {ok: ok}; },
    (error) => { window.__gdvizRunAll = {ok: false, error: String(error)}; });
}"""

RUN_ALL_DONE_JS = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  return window.__gdvizRunAll !== null && panel.sessionContext.session.kernel.status === 'idle';
}"""

# The notebook model as the page holds it: per non-empty code cell, execution count and outputs.
NOTEBOOK_STATE_JS = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const cells = [];
  const model = panel.content.model;
  for (let i = 0; i < model.cells.length; i++) {
    const cell = model.cells.get(i);
    if (cell.type !== 'code' || cell.sharedModel.getSource().trim() === '') continue;
    const outputs = [];
    for (let j = 0; j < cell.outputs.length; j++) {
      const output = cell.outputs.get(j).toJSON();
      outputs.push({type: output.output_type, ename: output.ename || '', evalue: output.evalue || ''});
    }
    cells.push({index: i, count: cell.executionCount, outputs: outputs});
  }
  return {run: window.__gdvizRunAll, kernel: panel.sessionContext.session.kernel.status, cells: cells};
}"""

# Run `code` in the notebook's kernel, outside the notebook, and return what it printed.
KERNEL_EXECUTE_JS = """async (code) => {
  const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  const future = kernel.requestExecute({code: code, silent: false, store_history: false});
  let text = '';
  let error = null;
  future.onIOPub = (message) => {
    const kind = message.header.msg_type;
    if (kind === 'stream' && message.content.name === 'stdout') text += message.content.text;
    if (kind === 'error') error = message.content.ename + ': ' + message.content.evalue;
  };
  await future.done;
  if (error) throw new Error(error);
  return text;
}"""


class LabNotebook:
    """One notebook opened in JupyterLab (or in Notebook 7, which shares its page API) in a Chromium tab."""

    def __init__(self, server: Server, tab: Tab, name: str, notebook7: bool = False):
        self.server, self.tab, self.page, self.name = server, tab, tab.page, name
        self.notebook7 = notebook7

    def open(self, timeout_ms: int = 90_000) -> LabNotebook:
        if self.notebook7:
            self.page.goto(f"{self.server.url}notebooks/{self.name}?token={self.server.token}")
        else:  # `reset` starts from an empty workspace, so tabs opened by earlier tests are not restored.
            self.page.goto(f"{self.server.url}lab/tree/{self.name}?reset&token={self.server.token}")
        self.page.wait_for_function(NOTEBOOK_READY_JS, arg=self.name, timeout=timeout_ms, polling=200)
        return self

    def run_all(self, timeout_ms: int = 180_000) -> dict:
        """Run every cell, wait for the kernel to be idle, and return the page's notebook state."""
        self.page.evaluate(RUN_ALL_JS)
        self.page.wait_for_function(RUN_ALL_DONE_JS, timeout=timeout_ms, polling=250)
        # Widgets keep talking after the last cell (plotly reports its first draw to the
        # kernel, which goes busy again): wait for quiet, then for idle once more.
        settle(self.tab)
        self.page.wait_for_function(RUN_ALL_DONE_JS, timeout=timeout_ms, polling=250)
        return self.page.evaluate(NOTEBOOK_STATE_JS)

    def kernel_execute(self, code: str) -> str:
        """Run ``code`` in this notebook's kernel and return its stdout."""
        return self.page.evaluate(KERNEL_EXECUTE_JS, code)

    def kernel_json(self, expression: str) -> object:
        """Evaluate a Python expression in the kernel and return it through JSON."""
        return json.loads(self.kernel_execute(f"import json as _json; print(_json.dumps({expression}))"))


@pytest.fixture
def open_notebook(lab_server):
    """``open_notebook(tab, name)``: open a notebook in JupyterLab; its kernel is shut down afterwards."""
    yield lambda tab, name: LabNotebook(lab_server, tab, name).open()
    lab_server.shutdown_kernels()


@pytest.fixture
def write_notebook():
    """``write_notebook(path, sources)``: a notebook of code cells, one per source, run by this kernel."""

    def write(path: Path, sources: list[str]) -> None:
        cells = [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                  "source": source} for source in sources]
        kernel = {"name": "python3", "display_name": "Python 3", "language": "python"}
        path.write_text(json.dumps({"cells": cells, "metadata": {"kernelspec": kernel}, "nbformat": 4,
                                    "nbformat_minor": 5}))

    return write


@pytest.fixture
def report_line():
    """``report_line(text)``: add a line to the printed end-of-run summary."""
    return report


# --------------------------------------------------------------------------- the Explorer

EXPLORER_NOTEBOOK = "explorer.ipynb"


def require_explorer_notebook(root: Path) -> None:
    if not (root / EXPLORER_NOTEBOOK).exists():
        pytest.fail(f"notebooks/{EXPLORER_NOTEBOOK} is missing: the Explorer tests open it", pytrace=False)


def settle(tab: Tab, quiet_ms: int = 600, timeout_ms: int = 30_000) -> None:
    """Wait until no kernel websocket frame has arrived for ``quiet_ms`` (the page has caught up)."""
    deadline = time.monotonic() + timeout_ms / 1000
    last, quiet_since = tuple(tab.kernel_traffic), time.monotonic()
    while time.monotonic() < deadline:
        tab.page.wait_for_timeout(100)  # lets playwright deliver the websocket events
        now = tuple(tab.kernel_traffic)
        if now != last:
            last, quiet_since = now, time.monotonic()
        elif time.monotonic() - quiet_since >= quiet_ms / 1000:
            return


def open_explorer(browser_context, server, artifacts, notebook7=False):
    """explorer.ipynb opened and run once in JupyterLab (or Notebook 7); yields the LabNotebook."""
    front_end = "Notebook 7" if notebook7 else "JupyterLab"
    require_explorer_notebook(server.root)
    tab = open_tab(browser_context)
    notebook = LabNotebook(server, tab, EXPLORER_NOTEBOOK, notebook7)
    try:
        started = time.monotonic()
        notebook.open()
        state = notebook.run_all()
        errors = [out for cell in state["cells"] for out in cell["outputs"] if out["type"] == "error"]
        assert not errors, f"{EXPLORER_NOTEBOOK} raised in {front_end}: {errors}"
        tab.wait_for_graph()
        seconds = time.monotonic() - started
        settle(tab)
        received, sent = tab.traffic()
        report(
            f"{front_end}, open the Explorer: graph drawn {seconds:.1f} s after navigation; "
            f"kernel websocket {received:,} B received, {sent:,} B sent"
        )
        yield notebook
    except BaseException:
        tab.screenshot(artifacts, f"{front_end}_explorer_setup")
        for error in tab.errors:
            report(f"{front_end} explorer setup: {error}")
        raise
    finally:
        tab.page.close()
        server.shutdown_kernels()


@pytest.fixture(scope="module")
def lab_explorer(browser_context, lab_server, artifacts):
    """explorer.ipynb opened and run once in JupyterLab, shared by one module's tests."""
    yield from open_explorer(browser_context, lab_server, artifacts)


@pytest.fixture(scope="module")
def notebook7_explorer(browser_context, notebook7_server, artifacts):
    """explorer.ipynb opened and run once in Notebook 7, shared by one module's tests."""
    yield from open_explorer(browser_context, notebook7_server, artifacts, notebook7=True)


@pytest.fixture
def explorer_in_notebook7(notebook7_explorer, artifacts, request):
    """The shared Notebook 7 page; this test's screenshot and JS-error check when it ends."""
    yield notebook7_explorer
    notebook7_explorer.tab.finish(artifacts, request.node.name)


@pytest.fixture
def explorer_in_lab(lab_explorer, artifacts, request):
    """The shared Explorer page; this test's screenshot and JS-error check when it ends."""
    yield lab_explorer
    lab_explorer.tab.finish(artifacts, request.node.name)


@pytest.fixture(scope="module")
def voila_explorer(browser_context, voila_server, artifacts):
    """explorer.ipynb rendered by Voila in a Chromium tab, shared by one module's tests."""
    require_explorer_notebook(voila_server.root)
    tab = open_tab(browser_context)
    try:
        started = time.monotonic()
        tab.page.goto(f"{voila_server.url}?token={voila_server.token}")
        tab.wait_for_graph(timeout_ms=120_000)
        seconds = time.monotonic() - started
        settle(tab)
        received, sent = tab.traffic()
        report(
            f"Voila, open the Explorer: graph drawn {seconds:.1f} s after navigation; "
            f"kernel websocket {received:,} B received, {sent:,} B sent"
        )
        yield tab
    except BaseException:
        tab.screenshot(artifacts, "voila_explorer_setup")
        for error in tab.errors:
            report(f"voila_explorer setup: {error}")
        raise
    finally:
        tab.page.close()


@pytest.fixture
def explorer_in_voila(voila_explorer, artifacts, request):
    yield voila_explorer
    voila_explorer.finish(artifacts, request.node.name)


@pytest.fixture
def settled():
    """``settled(tab)``: wait until the kernel websocket has been quiet for a moment."""
    return settle


# --------------------------------------------------------------------------- named controls

# The Explorer's sliders, by the names a screen reader announces (gdviz.apps.controls).
EXPLORER_SLIDERS = ("learning rate alpha", "most steps Chad may take", "Chad's start, w1", "Chad's start, w2",
                    "step of Chad's walk shown")
# A value as a person reads it: at most 6 significant digits, never 0.09999999999999999.
READABLE_NUMBER = re.compile(r"-?(\d{1,6}|\d*\.\d{1,6})(e[+-]\d\d)?")


class NamedControls:
    """The Explorer's controls found as a screen reader finds them: by role and accessible name."""

    def __init__(self, tab: Tab):
        self.tab, self.page = tab, tab.page

    def slider(self, name: str):
        return self.page.get_by_role("slider", name=name, exact=True)

    def readout(self, name: str):
        """The text box beside a slider, where a value can be typed."""
        return self.page.get_by_role("textbox", name=f"{name}, type a value", exact=True)

    def play(self):
        return self.page.get_by_role("button", name="play Chad's walk", exact=True)

    def pause(self):
        return self.page.get_by_role("button", name="pause Chad's walk", exact=True)

    def status(self) -> str:
        """The Explorer's status line: the one live region (role status) that says what Chad did."""
        regions = self.page.get_by_role("status").filter(has_text=re.compile(r"steps?|Error"))
        assert regions.count() == 1, f"expected one status line, found {regions.count()}"
        return regions.first.inner_text()

    def check_every_slider(self) -> dict[str, str]:
        """Every expected slider is there once, named, with a readable value; returns {name: value}."""
        values = {}
        for name in EXPLORER_SLIDERS:
            slider = self.slider(name)
            assert slider.count() == 1, f"no single slider named {name!r} (found {slider.count()})"
            text = slider.get_attribute("aria-valuetext")
            assert text is not None and READABLE_NUMBER.fullmatch(text), f"{name} reads {text!r}"
            assert self.readout(name).input_value() == text
            values[name] = text
        unnamed = self.page.evaluate("""() => Array.from(
            document.querySelectorAll('[role=slider], input[type=range]'))
            .filter((s) => !(s.getAttribute('aria-label') || s.getAttribute('aria-labelledby'))).length""")
        assert unnamed == 0, f"{unnamed} slider(s) without an accessible name"
        return values

    def tab_order(self, start, presses: int) -> list[str]:
        """Focus ``start``, press Tab ``presses`` times; the accessible name of each control reached."""
        start.focus()
        names = []
        for _ in range(presses):
            self.page.keyboard.press("Tab")
            names.append(self.page.evaluate("""() => { const e = document.activeElement;
                return e.getAttribute('aria-label') || e.innerText || e.tagName; }""").strip())
        return names


    def drive_by_keyboard(self, front_end: str) -> None:
        """What a keyboard-only student does, checked at each step: the same in every front end.

        Tab from the alpha slider reaches its text box and then the next slider; ArrowRight on
        alpha moves Chad and the status line (a live region) says something new; Enter on
        "play Chad's walk" plays his walk and turns the button into "pause Chad's walk", whose
        Enter stops it; Home on the step slider puts Chad back on his start.
        """
        before = self.check_every_slider()
        alpha = self.slider("learning rate alpha")
        reached = self.tab_order(alpha, 2)
        assert reached == ["learning rate alpha, type a value", "most steps Chad may take"], reached

        settle(self.tab)
        status_before = self.status()
        seconds = self.tab.press_and_time(alpha, "ArrowRight")
        settle(self.tab)
        after = self.check_every_slider()
        assert float(after["learning rate alpha"]) > float(before["learning rate alpha"])
        assert self.status() != status_before, "the status line did not change after alpha did"
        report(f"{front_end}, keyboard: ArrowRight on the slider named 'learning rate alpha' moved Chad "
               f"{seconds:.3f} s after the key press; status now: {self.status()!r}")

        self.tab.track_chad()
        self.play().focus()
        self.page.keyboard.press("Enter")
        self.pause().wait_for(timeout=10_000)  # the same button, renamed while the walk plays
        self.page.wait_for_function("() => window.__gdvizTrail.size >= 4", timeout=60_000, polling=100)
        self.pause().focus()
        self.page.keyboard.press("Enter")
        self.play().wait_for(timeout=10_000)
        settle(self.tab)
        assert self.tab.positions_seen() >= 4

        self.tab.press_and_time(self.slider("step of Chad's walk shown"), "Home")
        settle(self.tab)
        assert self.slider("step of Chad's walk shown").get_attribute("aria-valuetext") == "0"


@pytest.fixture
def named_controls():
    """``named_controls(tab)``: the Explorer's controls on that page, found by role and name."""
    return NamedControls
