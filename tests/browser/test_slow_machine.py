"""Every notebook with an app, in Voila on a machine four times slower than this one: each app is
drawn, answers a key within `ANSWER_S`, and anywidget never gives up on a figure.

Chromium's CPU is throttled 4x through the DevTools protocol (`Emulation.setCPUThrottlingRate`),
the way a busy Binder, an old laptop or a lecturer's laptop while projecting runs the page.
anywidget gives a widget's front-end module 2 s to load, then rejects it with "[anywidget] Failed
to initialize model." and drops every later message from the kernel to that widget: its figure
would stop following its sliders. Here that error fails the test, as does an app that does not
answer. Each app is found by its class (`gdviz-app`), its first slider by role, moved by the
keyboard; it answers when its figure draws something new. Marker `slow_machine`: these run in
`make test-slow-machine`, which CI does not run yet: on this 2-core machine beside make test-look's
other worker, a lesson app's first use took 6 to 9 s and once left the Explorer below it without an
answer for 15 s, so they are not yet steady enough to gate a change. The answer times are printed
in the summary.

"""

import contextlib
import time

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from test_notebooks_in_voila import GRAPHS_JS, PLOTLY_SNAPSHOT_IN_VOILA

pytestmark = [pytest.mark.browser, pytest.mark.slow_machine]

SLOWDOWN = 4
ANSWER_S = 10
# Every app of the course, each on a page that shows it: the pages with several apps (01, 04, 06,
# 08) and one page for each app shown alone; 05's is the one the last test reaches for.
WITH_APPS = ["01_parameterized_learning", "04_vanilla_gradient_descent", "06_learning_rate",
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
        page.wait_for_timeout(1_000)
        apps = page.evaluate(APPS_JS)
        counted = [app["drawn"] for app in apps]
        if apps and all(counted) and counted == previous:
            return apps
        previous = counted
    raise AssertionError(f"apps not all drawn within {timeout_s} s: {page.evaluate(APPS_JS)}")


@pytest.mark.parametrize("name", WITH_APPS)
def test_every_app_answers_on_a_machine_four_times_slower(tab, voila_normal_server, name, report_line):
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
    answers = []
    for index, app in enumerate(apps):
        if not app["sliders"]:
            continue
        slider = page.locator(".gdviz-app").nth(index).get_by_role("slider").first
        slider.focus()
        # Timed in the page, from the keydown to the first frame whose figure differs: polling from
        # here would add each round trip to a throttled page to the answer.
        page.evaluate(WATCH_JS, index)
        page.keyboard.press("ArrowRight")
        with contextlib.suppress(PlaywrightTimeout):  # a late or missing answer is named below
            page.wait_for_function("() => window.__gdvizAnswer.seen !== null",
                                   timeout=ANSWER_S * 1000 + 5_000, polling=200)
        answer = page.evaluate("() => window.__gdvizAnswer")
        seconds = None if answer["seen"] is None else (answer["seen"] - answer["pressed"]) / 1000
        assert seconds is not None and seconds < ANSWER_S, (
            f"{name}: app {index} ({slider.get_attribute('aria-label')}) did not answer a key within "
            f"{ANSWER_S} s at {SLOWDOWN}x slower (answered after {seconds} s)")
        answers.append(seconds)
    assert answers, f"{name}: no app with a slider found"
    page.wait_for_timeout(2_500)  # past anywidget's 2 s, so a late give-up is seen here
    failed = [error for error in tab.errors if "[anywidget]" in error]
    assert not failed, f"{name} at {SLOWDOWN}x slower: {failed}"
    tab.errors[:] = [error for error in tab.errors if not PLOTLY_SNAPSHOT_IN_VOILA.match(error)]
    report_line(f"Voila, {name}, CPU {SLOWDOWN}x slower: {len(apps)} app(s) drawn {opened:.0f} s after "
                f"navigation; keys answered in {', '.join(f'{s:.1f}' for s in answers)} s")


# Whether the app's figure is its live FigureWidget: drawn, and no longer inside the `Output` that
# shows the still picture (ipywidgets gives an Output's view the class `widget-output`).
LIVE_JS = """(index) => {
  const app = document.querySelectorAll('.gdviz-app')[index];
  const gd = app && app.querySelector('.js-plotly-plot');
  return !!(gd && gd._fullLayout && !gd.closest('.widget-output'));
}"""


def test_an_app_goes_live_while_the_student_reaches_for_a_control(tab, voila_normal_server, report_line):
    """Tab to a slider of an app drawn still, read it for a moment, then press: the figure became
    live on the focus, so the key is answered as fast as any later one."""
    page, name = tab.page, "05_curvature"
    page.context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": SLOWDOWN})
    server = voila_normal_server
    page.goto(f"{server.url}voila/render/{name}.ipynb?token={server.token}", timeout=300_000)
    page.wait_for_function("() => document.readyState === 'complete' && !document.getElementById('loading')",
                           timeout=300_000, polling=500)
    apps_drawn(page)
    assert not page.evaluate(LIVE_JS, 0), f"{name}: the app was live before anyone used it"
    slider = page.locator(".gdviz-app").first.get_by_role("slider").first
    focused = time.monotonic()
    slider.focus()
    page.wait_for_function(LIVE_JS, arg=0, timeout=ANSWER_S * 1000, polling=100)
    live = time.monotonic() - focused
    page.wait_for_timeout(1_000)
    before = page.evaluate(APPS_JS)[0]["shows"]
    pressed = time.monotonic()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"(before) => ({APPS_JS})()[0].shows !== before", arg=before,
                           timeout=ANSWER_S * 1000, polling=50)
    answered = time.monotonic() - pressed
    assert not [error for error in tab.errors if "[anywidget]" in error]
    tab.errors[:] = [error for error in tab.errors if not PLOTLY_SNAPSHOT_IN_VOILA.match(error)]
    report_line(f"Voila, {name}, CPU {SLOWDOWN}x slower: live {live:.1f} s after a slider took the focus; "
                f"a key pressed after that answered in {answered:.1f} s")
