"""Every notebook with an app, in Voila on a machine four times slower than this one: each app is
drawn, goes live, answers a key within `ANSWER_S`, and anywidget never gives up on a figure.

Chromium's CPU is throttled 4x through the DevTools protocol (`Emulation.setCPUThrottlingRate`),
the way a busy Binder, an old laptop or a lecturer's laptop while projecting runs the page.
anywidget gives a widget's front-end module 2 s to load, then rejects it with "[anywidget] Failed
to initialize model." and drops every later message from the kernel to that widget: its figure
would stop following its sliders. Here that error fails the test, as does an app that does not
answer. The lesson apps are drawn still and go live one after another (`gdviz.apps._pacer`),
so a student who reads the page first finds every app live, and that student is the one timed
here. A key pressed while the page still loads modules waits for the page's main thread: 5 to 9 s
on these pages, measured once (the kernel's side of that path, the still picture redrawn and
the update that reaches a figure still loading, is tested in tests/test_pacer.py). Each app is
found by its class (`gdviz-app`), its first slider by role, moved by the keyboard; it answers
when its figure draws something new. Marker `slow_machine`: these run in `make test-look`.
The times are printed in the summary.
"""

import contextlib
import time

import pytest
from look import SETTLED_JS
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from test_notebooks_in_voila import GRAPHS_JS, PLOTLY_SNAPSHOT_IN_VOILA

pytestmark = [pytest.mark.browser, pytest.mark.slow_machine]

SLOWDOWN = 4
ANSWER_S = 10
LIVE_WITHIN_S = 120  # after the page is drawn: a throttled page loads a figure's module in seconds
# Every lesson app of the course, each on the page that shows it, four of them beside the Explorer
# (which 00, 12 and 13 show alone, as explorer.ipynb does).
WITH_APPS = ["01_parameterized_learning", "04_vanilla_gradient_descent", "05_curvature", "06_learning_rate",
             "07_beyond_quadratics", "08_gd_on_a_classifier", "09_stochastic_gradient_descent",
             "10_beyond_vanilla", "11_why_momentum_works"]

# Per app on the page: whether its graph is drawn, and a fingerprint of what its figure shows (its
# traces' first numbers), which a key that moves anything changes.
APPS_JS = """() => Array.from(document.querySelectorAll('.gdviz-app')).map((app) => {
  const gd = app.querySelector('.js-plotly-plot');
  const traces = (gd && gd.data) || [];
  const numbers = traces.map((t) => ['x', 'y', 'z'].map((k) => Array.from(t[k] || []).slice(0, 40)
    .map((v) => (Array.isArray(v) ? v.slice(0, 5).join(',') : String(v))).join(' ')).join('|'));
  const sliders = app.querySelectorAll('[role=slider], input[type=range]').length;
  // Drawn: plotly has laid the figure out (a quiz's figure may start with nothing to show).
  return {drawn: !!(gd && gd._fullLayout && gd.querySelector('.main-svg')), shows: numbers.join('#'),
          sliders: sliders};
})"""


# Watch app `index`'s figure in the page: the time of the next keydown, and of the first check (every
# 20 ms) at which what its figure shows differs from now.
WATCH_JS = """(index) => {
  const shows = () => (APPS)()[index].shows;
  const answer = {before: shows(), pressed: null, seen: null};
  window.__gdvizAnswer = answer;
  window.addEventListener('keydown', () => { answer.pressed = performance.now(); },
                          {capture: true, once: true});
  const timer = setInterval(() => {
    if (answer.pressed !== null && shows() !== answer.before) {
      answer.seen = performance.now();
      clearInterval(timer);
    }
  }, 20);
  setTimeout(() => clearInterval(timer), 60000);
}""".replace("(APPS)", f"({APPS_JS})")


def apps_drawn(page, timeout_s=180):
    """The page's apps once every one has its graph drawn and their count has stopped changing."""
    deadline, previous = time.monotonic() + timeout_s, None
    while time.monotonic() < deadline:
        page.wait_for_timeout(500)
        apps = page.evaluate(APPS_JS)
        counted = [app["drawn"] for app in apps]
        if apps and all(counted) and counted == previous:
            return apps
        previous = counted
    raise AssertionError(f"apps not all drawn within {timeout_s} s: {page.evaluate(APPS_JS)}")


def pressed(page, index):
    """Press the right arrow on app `index`'s first slider: seconds until its figure showed a change
    (None if it never did within `ANSWER_S` and a margin), and the slider's name. Timed in the page,
    from the keydown to the first frame whose figure differs: polling from here would add each
    round trip to a throttled page to the answer."""
    slider = page.locator(".gdviz-app").nth(index).get_by_role("slider").first
    slider.focus()
    page.evaluate(WATCH_JS, index)
    page.keyboard.press("ArrowRight")
    with contextlib.suppress(PlaywrightTimeout):  # a late or missing answer is named by the caller
        page.wait_for_function("() => window.__gdvizAnswer.seen !== null",
                               timeout=ANSWER_S * 1000 + 5_000, polling=200)
    answer = page.evaluate("() => window.__gdvizAnswer")
    seconds = None if answer["seen"] is None else (answer["seen"] - answer["pressed"]) / 1000
    return seconds, slider.get_attribute("aria-label")


@pytest.mark.parametrize("name", WITH_APPS)
def test_every_app_answers_on_a_machine_four_times_slower(tab, voila_normal_server, name, report_line):
    """Open the page as a student who reads first: once everything on it is drawn, the apps go live
    one after another with no error from anywidget; then a key on each app is answered."""
    page = tab.page
    page.set_viewport_size({"width": 1366, "height": 900})
    devtools = page.context.new_cdp_session(page)
    devtools.send("Emulation.setCPUThrottlingRate", {"rate": SLOWDOWN})
    started = time.monotonic()
    server = voila_normal_server
    page.goto(f"{server.url}voila/render/{name}.ipynb?token={server.token}", timeout=300_000)
    page.wait_for_function("() => document.readyState === 'complete' && !document.getElementById('loading')",
                           timeout=300_000, polling=500)
    apps = apps_drawn(page)
    opened = time.monotonic() - started
    assert all(graph["filled"] for graph in page.evaluate(GRAPHS_JS)), f"{name}: a figure drawn empty"
    # Every app's figure drawn live (`look.SETTLED_JS`). A figure is drawn only after its module
    # has loaded, and anywidget's 2 s had then run out for every widget made before it: a give-up,
    # had there been one, is in the page's log by now.
    page.wait_for_function(SETTLED_JS, timeout=LIVE_WITHIN_S * 1000, polling=250)
    all_live = time.monotonic() - started
    failed = [error for error in tab.errors if "[anywidget]" in error]
    assert not failed, f"{name} at {SLOWDOWN}x slower: {failed}"
    answers = []
    for index, app in enumerate(apps):
        if not app["sliders"]:
            continue
        seconds, label = pressed(page, index)
        assert seconds is not None and seconds < ANSWER_S, (
            f"{name}: app {index} ({label}) did not answer a key within {ANSWER_S} s at {SLOWDOWN}x "
            f"slower (answered after {seconds} s)")
        answers.append(f"{seconds:.1f}")
    assert answers, f"{name}: no app with a slider found"
    tab.errors[:] = [error for error in tab.errors if not PLOTLY_SNAPSHOT_IN_VOILA.match(error)]
    report_line(f"Voila, {name}, CPU {SLOWDOWN}x slower: {len(apps)} app(s) drawn {opened:.0f} s after "
                f"navigation, all live at {all_live:.0f} s; keys answered in {', '.join(answers)} s")
