"""`make html`'s pages, opened from disk with the network refused: Chad's animation plays."""

import nbformat
import numpy as np
import pytest

from gdviz import export

pytestmark = pytest.mark.browser

SMALL_NOTEBOOK = [
    "import gdviz\n"
    "trajectory = gdviz.run(gdviz.optimizers.gradient_descent('bowl', (-2.0, 1.5), alpha=0.1), max_steps=20)",
    "gdviz.figures.animated_figure('bowl', trajectory).show()",
    "gdviz.apps.StopConditions('bowl')",
]

# Where Chad stands in the page's animated figure, and how many frames it holds.
CHAD_JS = """() => { const gd = document.querySelector('.js-plotly-plot');
    const trace = gd._fullData.find(t => t.name === 'Chad');
    return [gd._transitionData._frames.length, trace.x[0], trace.y[0]]; }"""


def test_an_exported_page_plays_chad_offline(browser, tmp_path, artifacts):
    """Export one small notebook, open it with the network blocked, press Play: Chad moves."""
    source = tmp_path / "small.ipynb"
    kernel = {"name": "python3", "language": "python", "display_name": "Python 3"}
    cells = [nbformat.v4.new_code_cell(text) for text in SMALL_NOTEBOOK]
    nbformat.write(nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": kernel}), source)
    outdir = tmp_path / "html"
    assert export.main([str(outdir), str(source)]) == 0
    page_path = outdir / "small.html"
    assert page_path.is_file() and "small.html" in (outdir / "index.html").read_text()

    remote, errors = [], []
    # A context of its own: the shared one lets only the local servers through, not file:// pages.
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    try:
        def block(route):
            if route.request.url.startswith(("file:", "data:", "blob:")):
                route.continue_()
            else:  # the page must not need the network: record and refuse
                remote.append(route.request.url)
                route.abort()

        context.route("**/*", block)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(page_path.as_uri())
        page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length === 1", timeout=60_000)
        frames, *before = page.evaluate(CHAD_JS)
        page.locator(".js-plotly-plot").get_by_text("Play").first.click()
        page.wait_for_function("""() => { const gd = document.querySelector('.js-plotly-plot');
            return gd._fullData.find(t => t.name === 'Chad').x[0] > -1.0; }""", timeout=60_000)
        _, *after = page.evaluate(CHAD_JS)
        notes = page.get_by_text("An interactive app goes here").count()
        page.screenshot(path=str(artifacts / "exported_page_offline.png"), full_page=True)
    finally:
        context.close()
    assert frames == 21  # one per point of the walk: 20 updates
    assert before == pytest.approx([-2.0, 1.5])
    assert np.hypot(*after) < np.hypot(*before)  # he walked towards the minimum at (0, 0)
    assert notes == 1
    assert remote == [] and errors == []
