"""`make html`'s pages, opened from disk with the network refused: Chad's walk plays, the maths is typeset.

The same for `make html-lecture`'s pages (`--no-code`), which must also show no code at all.
"""

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
# MathJax typesets first and reads its web font after: wait up to 30 s for the font, then let
# MATHS_JS's answer say whether it came.
FONT_WAIT_JS = """async () => { const loaded = () => [...document.fonts].some(
        f => f.family.startsWith('STIXMathJax') && f.status === 'loaded');
    for (let tries = 0; tries < 300 && !loaded(); tries++) await new Promise(r => setTimeout(r, 100)); }"""


# What a code cell of SMALL_NOTEBOOK shows when its source is on the page.
CODE_WORDS = ["import gdviz", "gdviz.run(", "animated_figure(", "StopConditions("]
# Where nbconvert's pages put a code cell's source and its In/Out prompts.
CODE_PARTS = ".jp-CodeCell .jp-InputArea, .jp-InputArea-editor, .cm-editor, .jp-InputPrompt, .jp-OutputPrompt"


@pytest.fixture(scope="module")
def small_notebook(tmp_path_factory):
    """One small notebook: maths, an animation, an app."""
    source = tmp_path_factory.mktemp("export") / "small.ipynb"
    kernel = {"name": "python3", "language": "python", "display_name": "Python 3"}
    cells = [nbformat.v4.new_markdown_cell(MATHS)]
    cells += [nbformat.v4.new_code_cell(text) for text in SMALL_NOTEBOOK]
    nbformat.write(nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": kernel}), source)
    return source


@pytest.fixture(scope="module")
def exported(small_notebook):
    """The small notebook exported with `python -m gdviz.export`, as `make html` does."""
    outdir = small_notebook.parent / "html"
    assert export.main([str(outdir), str(small_notebook)]) == 0
    return outdir


@pytest.fixture(scope="module")
def exported_without_code(small_notebook):
    """The small notebook exported with `python -m gdviz.export --no-code`, as `make html-lecture` does."""
    outdir = small_notebook.parent / "html-lecture"
    assert export.main([str(outdir), str(small_notebook), "--no-code"]) == 0
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


def play_chad(page):
    """Press Play in the page's one figure and wait for Chad to move; returns the number of frames,
    where he stood before and where he stands after."""
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length === 1", timeout=60_000)
    frames, *before = page.evaluate(CHAD_JS)
    page.locator(".js-plotly-plot").get_by_text("Play").first.click()
    page.wait_for_function("""() => { const gd = document.querySelector('.js-plotly-plot');
        return gd._fullData.find(t => t.name === 'Chad').x[0] > -1.0; }""", timeout=60_000)
    _, *after = page.evaluate(CHAD_JS)
    return frames, before, after


def assert_walked(frames, before, after):
    assert frames == 21  # one per point of the walk: 20 updates
    assert before == pytest.approx([-2.0, 1.5])
    assert np.hypot(*after) < np.hypot(*before)  # he walked towards the minimum at (0, 0)


def assert_plotly_linked_once(outdir):
    """plotly.js is one file beside the pages, which link it rather than carry it (~5 MB each)."""
    assert [path.relative_to(outdir).as_posix() for path in outdir.rglob("plotly*.js")] == ["plotly.min.js"]
    assert (outdir / "plotly.min.js").stat().st_size > 1_000_000
    page = (outdir / "small.html").read_text(encoding="utf-8")
    assert len(page.encode()) < 1_000_000
    assert page.count('src="plotly.min.js"') == 1


def test_an_exported_page_plays_chad_offline(browser, exported, artifacts):
    """Open the page with the network blocked, press Play: Chad moves, drawn by the plotly.js beside it."""
    page_path = exported / "small.html"
    assert page_path.is_file() and "small.html" in (exported / "index.html").read_text()
    assert_plotly_linked_once(exported)

    def play(page):
        walk = play_chad(page)
        notes = page.get_by_text("An interactive app goes here").count()
        code = page.locator(CODE_PARTS).count()
        page.screenshot(path=str(artifacts / "exported_page_offline.png"), full_page=True)
        return walk, notes, code, page.inner_text("body")

    (walk, notes, code, text), remote, errors = open_offline(browser, page_path, play)
    assert_walked(*walk)
    assert notes == 1
    assert code > 0 and all(words in text for words in CODE_WORDS)  # the code is on show here
    assert remote == [] and errors == []


def test_a_page_without_code_plays_chad_and_typesets_its_maths_offline(browser, exported_without_code,
                                                                        artifacts):
    """`--no-code`: none of the code is on the page, while the prose, its maths, the animation and the
    app's note all are, from file:// with no network."""
    page_path = exported_without_code / "small.html"
    assert_plotly_linked_once(exported_without_code)

    def read(page):
        page.wait_for_function("document.querySelectorAll('.MathJax_Display .MathJax').length > 0",
                               timeout=60_000)
        page.evaluate(FONT_WAIT_JS)
        maths = page.evaluate(MATHS_JS)
        walk = play_chad(page)
        notes = page.get_by_text("An interactive app goes here").count()
        code = page.locator(CODE_PARTS).count()
        page.screenshot(path=str(artifacts / "exported_page_without_code_offline.png"), full_page=True)
        return maths, walk, notes, code, page.inner_text("body")

    (maths, walk, notes, code, text), remote, errors = open_offline(browser, page_path, read)
    assert code == 0
    assert not [words for words in CODE_WORDS if words in text]
    assert "In [" not in text and "Out[" not in text
    assert_walked(*walk)
    assert notes == 1
    assert maths["inline"] == 2 and maths["displayed"] == 1 and maths["font"] and not maths["dollars"]
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
