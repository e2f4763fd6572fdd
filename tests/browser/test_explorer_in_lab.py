"""The Explorer in JupyterLab, driven the way a student drives it: keys on sliders, the Play button.

Each check compares Chad's position as the page draws it (``gd.data`` of the plotly graph, the
trace named "Chad": x = w1, y = w2, z = loss) with the position the kernel computed: the same
trace in the app's FigureWidget, and the app's trajectory at its current step, read by running
code in the notebook's kernel. The tests share one page and run in file order.
"""

import pytest

from gdviz.figures.explorer import SENSOR_STYLE

pytestmark = pytest.mark.browser

# Python run in the notebook's kernel: find the Explorer the notebook displayed (the notebook
# need not have named it).
FIND_APP = """
import gc as _gc
from gdviz.apps import Explorer as _Explorer
_gdviz_apps = [_o for _o in _gc.get_objects() if isinstance(_o, _Explorer)]
assert len(_gdviz_apps) == 1, f"expected one Explorer in the kernel, found {len(_gdviz_apps)}"
_gdviz_app = _gdviz_apps[0]
"""
# Chad in the kernel's FigureWidget, and where the kernel's walk puts him at the current step.
KERNEL_CHAD = """[
    {axis: [float(v) for v in getattr(trace, axis)] for axis in "xyz"}
    for trace in _gdviz_app.figure.data if trace.name == "Chad"
]"""
KERNEL_WALK = """{
    "step": _gdviz_app.step.value,
    "w": [float(v) for v in _gdviz_app.trajectory.w[_gdviz_app.step.value]],
    "loss": float(_gdviz_app.trajectory.loss[_gdviz_app.step.value]),
    "start": [float(v) for v in _gdviz_app.trajectory.w[0]],
}"""
APP_ERROR = "None if _gdviz_app.error is None else f'{type(_gdviz_app.error).__name__}: {_gdviz_app.error}'"

SAME = {"rel": 1e-9, "abs": 1e-12}  # the page gets the kernel's float64 values, not re-computed ones

# Chad's sensor label as plotly.js resolved it (its style comes from the figure's template) and
# every annotation text drawn in the graph.
PAGE_LABEL_JS = """() => {
  const gd = document.querySelector('.js-plotly-plot');
  const note = gd._fullLayout.scene.annotations[0];
  const drawn = Array.from(gd.querySelectorAll('.annotation-text'), (element) => element.textContent);
  return {text: note.text, bgcolor: note.bgcolor, drawn: drawn};
}"""


def numbers(chad: list[dict]) -> list[float]:
    """All of Chad's coordinates in one flat list, for comparisons."""
    return [value for trace in chad for axis in "xyz" for value in (trace[axis] or [])]


def kernel(notebook, expression: str):
    notebook.kernel_execute(FIND_APP)
    return notebook.kernel_json(expression)


def press(notebook, target, key: str) -> float:
    """Press ``key`` on ``target``; seconds until Chad moved. Names the app's own error if he did not."""
    try:
        return notebook.tab.press_and_time(target, key)
    except Exception as error:
        raise AssertionError(f"Chad did not move after {key}; the Explorer's error: "
                             f"{kernel(notebook, APP_ERROR)}") from error  # fmt: skip


def assert_page_shows_kernels_chad(notebook) -> None:
    """Chad in the page == Chad in the kernel's figure == the kernel's walk at its current step."""
    assert kernel(notebook, APP_ERROR) is None
    in_page = numbers(notebook.tab.chad())
    assert len(in_page) == 3, f"expected one trace named Chad with one point, got {notebook.tab.chad()}"
    assert in_page == pytest.approx(numbers(kernel(notebook, KERNEL_CHAD)), **SAME)
    walk = kernel(notebook, KERNEL_WALK)
    assert in_page == pytest.approx([*walk["w"], walk["loss"]], **SAME)


def test_alpha_arrow_key_moves_chad_to_the_kernels_point(explorer_in_lab, settled, report_line,
                                                          named_controls):
    """One key press: Chad, his label and the kernel agree; plotly's page reports are not echoed.

    The last check guards `gdviz.apps._plotly_compat.QuietFigureWidget`: without it ipywidgets
    sends each report plotly.js makes after an update back to the page (about 16 kB a key press).
    """
    notebook, tab = explorer_in_lab, explorer_in_lab.tab
    alpha_before, log_step = kernel(notebook, "[_gdviz_app.alpha.value, _gdviz_app.alpha.step]")
    settled(tab)
    chad_before = numbers(tab.chad())
    received_before, sent_before = tab.traffic()
    echoes_before = tab.plotly_echoes

    seconds = press(notebook, named_controls(tab).slider("learning rate alpha"), "ArrowRight")
    settled(tab)
    received, sent = tab.traffic()
    report_line(
        f"JupyterLab, ArrowRight on alpha: Chad moved {seconds:.3f} s after the key press; "
        f"kernel websocket {received - received_before:,} B received, {sent - sent_before:,} B sent"
    )

    # One key press is one slider step: the exponent of the log slider grows by `step`.
    alpha_after = kernel(notebook, "_gdviz_app.alpha.value")
    assert alpha_after == pytest.approx(alpha_before * 10**log_step, rel=1e-9)
    assert numbers(tab.chad()) != chad_before
    assert_page_shows_kernels_chad(notebook)
    # His sensor label moved with him: its text is drawn, in the template's style.
    label = tab.page.evaluate(PAGE_LABEL_JS)
    sensor = kernel(notebook, "_gdviz_app.figure.layout.scene.annotations[0].text")
    assert label["text"] == sensor and sensor in label["drawn"]
    assert label["bgcolor"] == SENSOR_STYLE["bgcolor"]
    assert tab.plotly_echoes == echoes_before, "plotly's page reports came back as echo_update"


def test_play_walks_chad_through_several_positions(explorer_in_lab, settled, named_controls):
    notebook, tab = explorer_in_lab, explorer_in_lab.tab
    controls = named_controls(tab)
    settled(tab)
    tab.track_chad()
    controls.play().click()
    tab.page.wait_for_function("() => window.__gdvizTrail.size >= 4", timeout=60_000, polling=100)
    controls.pause().click()  # pause, so page and kernel come to rest on one step
    settled(tab)
    assert tab.positions_seen() >= 4
    assert_page_shows_kernels_chad(notebook)


def test_typed_start_point_restarts_the_walk_there(explorer_in_lab, settled, report_line, named_controls):
    notebook, tab = explorer_in_lab, explorer_in_lab.tab
    low, high, grid, start_x, start_y = kernel(
        notebook,
        "[_gdviz_app.start_x.min, _gdviz_app.start_x.max, _gdviz_app.start_x.step, "
        "_gdviz_app.start_x.value, _gdviz_app.start_y.value]",
    )
    # Pick a point on the slider's grid low + k * step, about a third of the way along w1, that
    # the two-decimal readout can show exactly.
    third = round((high - low) / 3 / grid)
    new_x = next(
        low + k * grid
        for k in sorted(range(1, round((high - low) / grid)), key=lambda k: abs(k - third))
        if abs(round(low + k * grid, 2) - (low + k * grid)) < 1e-9
    )
    assert new_x != pytest.approx(start_x)
    settled(tab)

    # Type it into the slider's readout, as a student would, and press Enter.
    controls = named_controls(tab)
    readout = controls.readout("Chad's start, w1")
    readout.click()
    tab.page.keyboard.press("Control+A")
    tab.page.keyboard.type(f"{new_x:.2f}")
    press(notebook, readout, "Enter")
    settled(tab)
    assert kernel(notebook, "_gdviz_app.start_x.value") == pytest.approx(new_x, abs=1e-9)
    assert kernel(notebook, KERNEL_WALK)["start"] == pytest.approx([new_x, start_y], abs=1e-9)
    assert_page_shows_kernels_chad(notebook)

    # The walk now begins there: Home on the step slider puts Chad on his start.
    received_before, sent_before = tab.traffic()
    seconds = press(notebook, controls.slider("step of Chad's walk shown"), "Home")
    settled(tab)
    received, sent = tab.traffic()
    report_line(
        f"JupyterLab, Home on step: Chad moved {seconds:.3f} s after the key press; "
        f"kernel websocket {received - received_before:,} B received, {sent - sent_before:,} B sent"
    )
    assert kernel(notebook, "_gdviz_app.step.value") == 0
    x, y, _ = numbers(tab.chad())
    assert (x, y) == pytest.approx((new_x, start_y), abs=1e-9)
    assert_page_shows_kernels_chad(notebook)


def test_a_keyboard_alone_drives_the_explorer(explorer_in_lab, named_controls):
    """Found by role and name, operated by keys only: see `NamedControls.drive_by_keyboard`."""
    named_controls(explorer_in_lab.tab).drive_by_keyboard("JupyterLab")
    assert_page_shows_kernels_chad(explorer_in_lab)
