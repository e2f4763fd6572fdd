"""`make html`'s pages, opened from disk with the network refused: Chad's walk plays, the maths is typeset."""

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
# Markdown with maths, as the notebooks write it: inline, and displayed.
MATHS = ("A step of $\\alpha$ times the slope: $w \\leftarrow w - \\alpha \\nabla L(w)$.\n\n"
         "$$L(w + d) \\approx L(w) + \\nabla L(w) \\cdot d$$")

# Where Chad stands in the page's animated figure, and how many frames it holds.
CHAD_JS = """() => { const gd = document.querySelector('.js-plotly-plot');
    const trace = gd._fullData.find(t => t.name === 'Chad');
    return [gd._transitionData._frames.length, trace.x[0], trace.y[0]]; }"""

# What MathJax drew: its formulas (inline and displayed), whether its own web font loaded, and
# any $ left as text.
MATHS_JS = """() => { const prose = document.querySelector('.jp-RenderedMarkdown');
    const drawn = [...prose.querySelectorAll('.MathJax')];
    return {inline: drawn.filter(m => !m.closest('.MathJax_Display')).length,
            displayed: prose.querySelectorAll('.MathJax_Display').length,
            font: [...document.fonts].some(f => f.family.startsWith('STIXMathJax') && f.status === 'loaded'),
            dollars: prose.innerText.includes('$')}; }"""


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """One small notebook (maths, an animation, an app) exported with `python -m gdviz.export`."""
    folder = tmp_path_factory.mktemp("export")
    source = folder / "small.ipynb"
    kernel = {"name": "python3", "language": "python", "display_name": "Python 3"}
    cells = [nbformat.v4.new_markdown_cell(MATHS)]
    cells += [nbformat.v4.new_code_cell(text) for text in SMALL_NOTEBOOK]
    nbformat.write(nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": kernel}), source)
    outdir = folder / "html"
    assert export.main([str(outdir), str(source)]) == 0
    return outdir


def open_offline(browser, page_path, visit):
    """Open a page from disk with every request to the network refused; returns what
    `visit(page)` returns, the remote requests tried and the page's errors."""
    remote, errors = [], []
    # A context of its own: the shared one lets only the local servers through, not file:// pages.
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    try:
        def block(route):
            # about:blank is MathJax probing for web fonts, not a request that leaves the machine
            if route.request.url.startswith(("file:", "data:", "blob:", "about:")):
                route.continue_()
            else:  # the page must not need the network: record and refuse
                remote.append(route.request.url)
                route.abort()

        context.route("**/*", block)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(page_path.as_uri())
        result = visit(page)
    finally:
        context.close()
    return result, remote, errors


def test_an_exported_page_plays_chad_offline(browser, exported, artifacts):
    """Open the page with the network blocked, press Play: Chad moves."""
    page_path = exported / "small.html"
    assert page_path.is_file() and "small.html" in (exported / "index.html").read_text()

    def play(page):
        page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length === 1", timeout=60_000)
        frames, *before = page.evaluate(CHAD_JS)
        page.locator(".js-plotly-plot").get_by_text("Play").first.click()
        page.wait_for_function("""() => { const gd = document.querySelector('.js-plotly-plot');
            return gd._fullData.find(t => t.name === 'Chad').x[0] > -1.0; }""", timeout=60_000)
        _, *after = page.evaluate(CHAD_JS)
        notes = page.get_by_text("An interactive app goes here").count()
        page.screenshot(path=str(artifacts / "exported_page_offline.png"), full_page=True)
        return frames, before, after, notes

    (frames, before, after, notes), remote, errors = open_offline(browser, page_path, play)
    assert frames == 21  # one per point of the walk: 20 updates
    assert before == pytest.approx([-2.0, 1.5])
    assert np.hypot(*after) < np.hypot(*before)  # he walked towards the minimum at (0, 0)
    assert notes == 1
    assert remote == [] and errors == []


def test_an_exported_page_typesets_its_maths_offline(browser, exported, artifacts):
    """MathJax, copied once beside the pages, typesets the prose's formulas from file:// with no network."""
    page_path = exported / "small.html"
    assert (exported / export.MATHJAX_FOLDER / "MathJax.js").is_file()
    assert page_path.read_text().count("MathJax.js") == 1  # a link to the one copy, not MathJax inline

    def read_maths(page):
        page.wait_for_function("document.querySelectorAll('.MathJax_Display .MathJax').length > 0",
                               timeout=60_000)
        prose = page.locator(".jp-RenderedMarkdown").first
        prose.screenshot(path=str(artifacts / "exported_maths_offline.png"))
        return page.evaluate(MATHS_JS)

    maths, remote, errors = open_offline(browser, page_path, read_maths)
    assert maths["inline"] == 2 and maths["displayed"] == 1
    assert maths["font"]  # drawn in MathJax's own font, read from the copy beside the page
    assert not maths["dollars"]  # no formula left as raw TeX
    assert remote == [] and errors == []
