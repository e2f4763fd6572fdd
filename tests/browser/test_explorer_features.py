"""The Explorer's newer features in a real page, in Voila and in JupyterLab, found by role and name.

The step explained follows the step slider; a pinned walk stays drawn while alpha moves; a typed
formula redraws the surface and a bad one is refused in the status line; the share button's link
opens the same view in a new Voila page; hovering a walk's point tells its step, w and loss.
Each test drives the page by keys and clicks, as a student does, and reads what plotly.js drew
(`gd.data`) or the page's text; the tests of a front end share one page and run in file order.
"""

import json
import re

import numpy as np
import pytest

import gdviz
from gdviz import optimizers

pytestmark = pytest.mark.browser

# What the page shows of the Explorer's figure: a trace's data by role (its meta), the title.
TRACE_JS = """(role) => {
  const gd = document.querySelector('.js-plotly-plot');
  const trace = gd && (gd.data || []).find((t) => t.meta === role);
  if (!trace) return null;
  const number = (u) => (u === null ? null : Number(u));
  const plain = (values) => (values === undefined || values === null) ? [] : Array.from(values,
      (v) => (v !== null && typeof v === 'object') ? Array.from(v, number) : number(v));
  const text = trace.text ? Array.from(trace.text) : [];
  return {x: plain(trace.x), y: plain(trace.y), z: plain(trace.z), text: text};
}"""
TITLE_JS = "() => document.querySelector('.js-plotly-plot').layout.title.text"
EXPLANATION_JS = "() => { const e = document.querySelector('.gdviz-step'); return e ? e.innerText : ''; }"


def trace(tab, role: str) -> dict:
    return tab.page.evaluate(TRACE_JS, role)


def explanation(tab) -> str:
    return tab.page.evaluate(EXPLANATION_JS)


def wait_for_explanation(tab, pattern: str) -> str:
    tab.page.wait_for_function(f"() => /{pattern}/.test(({EXPLANATION_JS})())", timeout=30_000, polling=100)
    return explanation(tab)


def wait_for_points(tab, role: str, more_than: int = 0, timeout_ms: int = 30_000) -> None:
    found = f"(role) => {{ const t = ({TRACE_JS})(role); return t && t.x.length > {more_than}; }}"
    tab.page.wait_for_function(found, arg=role, timeout=timeout_ms, polling=100)


def wait_for_empty(tab, role: str) -> None:
    tab.page.wait_for_function(f"(role) => {{ const t = ({TRACE_JS})(role); return t && t.x.length === 0; }}",
                               arg=role, timeout=30_000, polling=100)


def surface_corner(tab) -> float | None:
    z = trace(tab, "surface")["z"]
    return z[0][0] if z else None


def wait_for_corner(tab, value: float) -> None:
    tab.page.wait_for_function(f"(value) => {{ const t = ({TRACE_JS})('surface'); "
                               "return !!t && t.z.length > 0 && t.z[0][0] === value; }", arg=value,
                               timeout=30_000, polling=100)


def check_explanation_follows_the_step_slider(tab, controls, settled):
    settled(tab)
    step = controls.slider("step of Chad's walk shown")
    tab.press_and_time(step, "Home")
    text = wait_for_explanation(tab, "^step 0 of")
    assert "plain descent" in text and "w(1) = w(0) - α g(0)" in text, text
    step.press("ArrowRight")
    text = wait_for_explanation(tab, "^step 1 of")
    assert "g(1) = ∇L(w(1))" in text and "w(2) = w(1) - α g(1)" in text, text
    return text


def check_a_pinned_walk_stays_while_alpha_moves(tab, controls, settled):
    settled(tab)
    assert trace(tab, "map_trail pinned")["x"] == [], "the pinned walk's traces are there, empty"
    tab.page.get_by_role("button", name="pin this walk", exact=True).click()
    wait_for_points(tab, "map_trail pinned")
    settled(tab)
    pinned = trace(tab, "map_trail pinned")
    live = trace(tab, "map_trail")
    assert pinned["x"] == pytest.approx(live["x"]) and pinned["y"] == pytest.approx(live["y"])
    (label,) = trace(tab, "map_trail pinned label")["text"]
    assert label.startswith("pinned: plain descent, α = "), label
    tab.press_and_time(controls.slider("learning rate alpha"), "ArrowRight")
    settled(tab)
    assert trace(tab, "map_trail") != live, "the live walk moved with alpha"
    assert trace(tab, "map_trail pinned") == pinned, "the pinned walk stayed as it was"
    assert len(trace(tab, "loss_curve pinned")["y"]) == len(pinned["x"]), "with its own loss curve"
    unpin = tab.page.get_by_role("button", name="unpin the pinned walk", exact=True)
    unpin.focus()
    tab.page.keyboard.press("Enter")  # a keyboard works it too
    wait_for_empty(tab, "map_trail pinned")
    tab.page.get_by_role("button", name="pin this walk", exact=True).wait_for(timeout=10_000)


def check_a_typed_formula_redraws_the_surface(tab, controls, settled):
    settled(tab)
    tab.page.get_by_role("combobox", name="landscape", exact=True).select_option("custom")
    box = tab.page.get_by_role("textbox", name="your formula L(x, y)", exact=True)
    box.wait_for(timeout=30_000)
    settled(tab)
    box.fill("x**2 + y**2 + x*y")
    box.press("Enter")
    wait_for_corner(tab, 27)  # at the mesh's first corner (-3, -3): 9 + 9 + 9
    settled(tab)
    assert "x**2 + y**2 + x*y" in tab.page.evaluate(
        "() => document.querySelector('.js-plotly-plot').layout.annotations[0].text")
    box.fill("x**2 +* y")
    box.press("Enter")
    tab.page.get_by_text(re.compile(r"^Error: ValueError: formula")).wait_for(timeout=30_000)
    settled(tab)
    assert surface_corner(tab) == 27, "the last good surface stays"
    assert "x**2 +* y" in controls.status()
    box.fill("x**2 + 3*y**2")  # a good one again: 9 + 27 = 36 at the corner, and the error is gone
    box.press("Enter")
    wait_for_corner(tab, 36)
    settled(tab)
    assert not controls.status().startswith("Error")


HOVER_JS = """([role, index]) => {
  const gd = document.querySelector('.js-plotly-plot');
  const trace = gd.data.find((t) => t.meta === role);
  const full = gd._fullData.find((t) => t.meta === role);
  const xa = gd._fullLayout[full.xaxis.replace('x', 'xaxis')];
  const ya = gd._fullLayout[full.yaxis.replace('y', 'yaxis')];
  const x = trace.x ? Number(trace.x[index]) : full.x0 + full.dx * index;
  gd.scrollIntoView({block: 'center'});
  const box = gd.getBoundingClientRect();
  return [box.left + xa._offset + xa.c2p(x), box.top + ya._offset + ya.c2p(Number(trace.y[index]))];
}"""


def check_hover_tells_step_w_and_loss(tab, settled):
    settled(tab)
    for role in ("loss_curve", "map_trail"):
        x, y = tab.page.evaluate(HOVER_JS, [role, 1])
        tab.page.mouse.move(x, y)
        label = tab.page.locator(".hoverlayer .hovertext").first
        label.wait_for(timeout=10_000)
        text = label.text_content()  # SVG text: the template's lines run together
        assert re.search(r"step 1(?!\d)", text) and "w = (" in text and "loss" in text, (role, text)
        tab.page.mouse.move(5, 5)


# --------------------------------------------------------------------------- Voila


def test_voila_the_explanation_follows_the_step_slider(explorer_in_voila, settled, named_controls):
    check_explanation_follows_the_step_slider(explorer_in_voila, named_controls(explorer_in_voila), settled)


def test_voila_hover_tells_step_w_and_loss(explorer_in_voila, settled):
    check_hover_tells_step_w_and_loss(explorer_in_voila, settled)


def test_voila_a_pinned_walk_stays_while_alpha_moves(explorer_in_voila, settled, named_controls):
    check_a_pinned_walk_stays_while_alpha_moves(explorer_in_voila, named_controls(explorer_in_voila), settled)


def test_voila_a_typed_formula_redraws_the_surface(explorer_in_voila, settled, named_controls):
    check_a_typed_formula_redraws_the_surface(explorer_in_voila, named_controls(explorer_in_voila), settled)


LINK_JS = """() => {
  const link = Array.from(document.querySelectorAll('a')).find((a) => a.textContent.startsWith('?'));
  return link ? [link.getAttribute('href'), new URL(link.getAttribute('href'), location.href).href] : null;
}"""


def test_voila_the_share_link_opens_the_same_view(explorer_in_voila, settled, tab, voila_server, report_line):
    page = explorer_in_voila
    settled(page)
    page.page.get_by_role("button", name="share this view", exact=True).click()
    page.page.wait_for_function(LINK_JS, timeout=30_000, polling=100)
    href, url = page.page.evaluate(LINK_JS)
    assert href.startswith("?formula=") and "token" not in href, "relative to the page, and no secret in it"
    chad = page.chad()
    step_text = explanation(page)
    # The server asks for its token; a class's server would not (the app ignores "token").
    tab.page.goto(f"{url}&token={voila_server.token}")
    tab.wait_for_graph(timeout_ms=120_000)
    settled(tab)
    report_line(f"Voila, a shared link opened the view: {href[:80]}...")
    assert [value for t in tab.chad() for axis in "xyz" for value in t[axis]] == pytest.approx(
        [value for t in chad for axis in "xyz" for value in t[axis]], rel=1e-9, abs=1e-12)
    assert tab.page.evaluate(TITLE_JS) == page.page.evaluate(TITLE_JS)
    assert explanation(tab) == step_text


def test_voila_a_hand_written_link_opens_its_view(tab, voila_server, settled):
    # alpha=0.05, off the slider's grid, is walked as given: a link means exactly what it says.
    tab.page.goto(f"{voila_server.url}?landscape=ravine&optimizer=momentum&alpha=0.05&beta=0.8&step=3"
                  f"&token={voila_server.token}")
    tab.wait_for_graph(timeout_ms=120_000)
    settled(tab)
    walk = gdviz.run(optimizers.momentum("ravine", (-2.5, 2.0), 0.05, beta=0.8), max_steps=100,
                     grad_below=1e-3)
    (chad,) = tab.chad()
    assert [*chad["x"], *chad["y"]] == pytest.approx(list(walk.w[3]), rel=1e-9, abs=1e-12)
    assert "ravine" in tab.page.evaluate(TITLE_JS) and explanation(tab).startswith("step 3 of")
    assert tab.page.get_by_text(re.compile(r"^Error")).count() == 0


# --------------------------------------------------------------------------- JupyterLab

FIND_APP = """
import gc as _gc
from gdviz.apps import Explorer as _Explorer
_gdviz_apps = [_o for _o in _gc.get_objects() if isinstance(_o, _Explorer)]
assert len(_gdviz_apps) == 1, f"expected one Explorer in the kernel, found {len(_gdviz_apps)}"
_gdviz_app = _gdviz_apps[0]
"""


def kernel(notebook, expression: str):
    notebook.kernel_execute(FIND_APP)
    return notebook.kernel_json(expression)


def test_lab_the_explanation_follows_the_step_slider(explorer_in_lab, settled, named_controls):
    tab = explorer_in_lab.tab
    text = check_explanation_follows_the_step_slider(tab, named_controls(tab), settled)
    w = kernel(explorer_in_lab, "[float(v) for v in _gdviz_app.trajectory.w[1]]")
    assert f"w(1) = ({w[0]:.4g}, {w[1]:.4g})" in text


def test_lab_hover_tells_step_w_and_loss(explorer_in_lab, settled):
    check_hover_tells_step_w_and_loss(explorer_in_lab.tab, settled)


def test_lab_a_pinned_walk_stays_while_alpha_moves(explorer_in_lab, settled, named_controls):
    tab = explorer_in_lab.tab
    check_a_pinned_walk_stays_while_alpha_moves(tab, named_controls(tab), settled)
    assert kernel(explorer_in_lab, "_gdviz_app.pinned is None and _gdviz_app.error is None")


def test_lab_a_typed_formula_redraws_the_surface(explorer_in_lab, settled, named_controls):
    tab = explorer_in_lab.tab
    check_a_typed_formula_redraws_the_surface(tab, named_controls(tab), settled)
    assert kernel(explorer_in_lab, "_gdviz_app.state()['landscape']") == {
        "formula": "x**2 + 3*y**2", "domain": [[-3.0, 3.0], [-3.0, 3.0]]}


def test_lab_share_shows_the_line_to_paste(explorer_in_lab, settled):
    tab = explorer_in_lab.tab
    settled(tab)
    tab.page.get_by_role("button", name="share this view", exact=True).click()
    line = tab.page.get_by_text(re.compile(r"^To get this view in a notebook"))
    line.wait_for(timeout=30_000)
    assert tab.page.evaluate(LINK_JS) is None, "no page address to link to in JupyterLab"
    shown = tab.page.locator("code", has_text="Explorer.from_state(").first.inner_text()
    state = kernel(explorer_in_lab, "_gdviz_app.state()")
    assert shown.startswith("from gdviz.apps import Explorer; Explorer.from_state({")
    assert json.loads(json.dumps(state)) == state and f"'formula': {state['landscape']['formula']!r}" in shown
    assert np.isfinite(state["alpha"])
