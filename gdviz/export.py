"""Export the course as standalone HTML pages that play with no kernel and no network.

    python -m gdviz.export OUTDIR [NOTEBOOK ...] [--no-code] [--timeout SECONDS]

Each notebook (by default every `notebooks/*.ipynb` under the current folder)
is executed top to bottom in a fresh kernel and written to OUTDIR as one HTML
page, with an `index.html` linking them all. A lecturer can copy OUTDIR to a
USB stick and open the pages in any browser, offline. OUTDIR then holds:

    index.html, <notebook>.html ...   the pages, small (the figures' data and the prose)
    plotly.min.js                     plotly.js, once, about 5 MB
    mathjax/                          MathJax 2, once, about 8 MB

- plotly figures, Chad's animations included, are drawn by plotly.js, which
  every page loads from the one copy beside it by a relative link, so a
  ▶ Play button works with no server and no internet, and the course's
  pages do not each carry a copy of it;
- an ipywidgets app needs a running kernel, so in its place the page says so;
- the notebooks' formulas, written in LaTeX, are typeset by MathJax 2 from a
  copy written once beside the pages (OUTDIR/mathjax, about 8 MB), taken
  from the PyPI package jupyter-server-mathjax, so they typeset with no
  network in a page opened from disk;
- the page loads nothing from the network (nbconvert's require.js, MathJax
  and mermaid links to a CDN are left out).

With `--no-code` the pages leave out the code cells (their source and the
In/Out prompts), keeping the prose and what the code drew: pages for a
lecture, where the figures matter and the code would only fill the screen.

The kernel runs with `PLOTLY_RENDERER=plotly_mimetype`, so that `fig.show()`
records the figure itself (its JSON) rather than a renderer's HTML; the page
is then written from that JSON by `plotly.io.to_html`.
"""

import argparse
import html
import importlib.util
import os
import shutil
import sys
from pathlib import Path

import nbformat
import plotly.io as pio
from jinja2 import DictLoader
from nbclient import NotebookClient
from nbconvert import HTMLExporter
from plotly.offline import get_plotlyjs

PLOTLY_MIME = "application/vnd.plotly.v1+json"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

MATHJAX_PACKAGE = "jupyter_server_mathjax"  # PyPI: jupyter-server-mathjax, MathJax 2.7 in its static/
MATHJAX_FOLDER = "mathjax"  # beside the pages, shared by all of them
PLOTLY_FILE = "plotly.min.js"  # beside the pages, shared by all of them

# nbconvert's JupyterLab template, without the three scripts it fetches from a CDN
# (require.js, MathJax, mermaid): plotly.js from the copy beside the pages where require.js
# was (after the setting that tells it MathJax is the page's own, which it reads as it
# loads), and MathJax from the copy beside the pages, in the one configuration that package
# ships whole (TeX in, HTML-CSS out) with its STIX-Web fonts, which browsers load from a
# subfolder of a page opened from disk.
_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}
<script type="text/javascript">window.PlotlyConfig = {MathJaxConfig: "local"};</script>
<script type="text/javascript" src="{{ resources.plotly_url | e }}"></script>
{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}
<script type="text/x-mathjax-config">
MathJax.Hub.Config({
    tex2jax: {inlineMath: [["$", "$"]], displayMath: [["$$", "$$"]], processEscapes: true,
              processEnvironments: true},
    "HTML-CSS": {availableFonts: [], imageFont: null, preferredFont: null, webFont: "STIX-Web"},
    displayAlign: "center",
    messageStyle: "none"
});
</script>
<script type="text/javascript" src="{{ resources.mathjax_url }}?config=TeX-AMS-MML_HTMLorMML-full"></script>
{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
"""

APP_NOTE = ("<div style=\"border-left: 4px solid #ff7f0e; padding: 0.5em 1em; background: #fff6ee\">"
            "<b>An interactive app goes here.</b> Its sliders need a running Python kernel: open this "
            "notebook in JupyterLab (or on Binder) to use it.</div>")


def execute(notebook, folder, timeout=600):
    """Run every cell in a fresh kernel started in `folder`; returns the notebook, with outputs."""
    env = {**os.environ, "PLOTLY_RENDERER": "plotly_mimetype"}
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(folder)}}, record_timing=False)
    client.execute(env=env)
    return notebook


def static_outputs(notebook):
    """Turn live outputs into ones a static page can show, in place; returns the notebook.

    A plotly figure's JSON becomes the HTML that draws it (frames, Play button
    and all), relying on the plotly.js that the page loads; a widget view
    becomes a note saying the app needs a kernel.
    """
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data")
            if not data:
                continue
            if PLOTLY_MIME in data:
                figure = dict(data[PLOTLY_MIME])
                config = figure.pop("config", None)
                page = pio.to_html(figure, config=config, include_plotlyjs=False, full_html=False,
                                   auto_play=False, validate=False)
                output["data"] = {"text/html": page}
            elif WIDGET_MIME in data:
                output["data"] = {"text/html": APP_NOTE}
    notebook.metadata.pop("widgets", None)
    return notebook


def mathjax_source():
    """The MathJax 2 folder that the package jupyter-server-mathjax installs; an error naming it if absent."""
    spec = importlib.util.find_spec(MATHJAX_PACKAGE)
    folder = None if spec is None or spec.origin is None else Path(spec.origin).parent / "static"
    if folder is None or not (folder / "MathJax.js").is_file():
        raise RuntimeError("the export typesets formulas with MathJax from the package "
                           "jupyter-server-mathjax, which is not installed: python -m pip install "
                           "'gdviz[export]' (or python -m pip install jupyter-server-mathjax)")
    return folder


def copy_mathjax(outdir):
    """Copy MathJax beside the pages, once, as OUTDIR/mathjax; returns that folder.

    Only English of its 40-odd menu translations is copied.
    """
    source = mathjax_source()
    target = Path(outdir) / MATHJAX_FOLDER

    def other_languages(folder, names):
        return [name for name in names if name != "en"] if Path(folder).name == "localization" else []

    shutil.copytree(source, target, ignore=other_languages, dirs_exist_ok=True)
    return target


def write_plotlyjs(outdir):
    """Write plotly.js, once, as OUTDIR/plotly.min.js, for every page to load; returns that file.

    It is the plotly.js of the installed plotly package, the one its figures'
    JSON was written for.
    """
    target = Path(outdir) / PLOTLY_FILE
    target.write_text(get_plotlyjs(), encoding="utf-8")
    return target


def to_html(notebook, title, mathjax_url=f"{MATHJAX_FOLDER}/MathJax.js", plotly_url=PLOTLY_FILE,
            code=True):
    """A whole HTML page for an executed notebook, nothing fetched from the network.

    Its figures are drawn by the plotly.js at `plotly_url` and its formulas
    typeset by the MathJax at `mathjax_url`: by default the copies that
    `write_plotlyjs` and `copy_mathjax` write beside the pages, so that both
    are links relative to the page. With `code=False` the code cells' source
    and the In/Out prompts are left out; the prose and the outputs stay.
    """
    for name, url in (("mathjax_url", mathjax_url), ("plotly_url", plotly_url)):
        if not isinstance(url, str) or not url.strip():
            raise ValueError(f"{name} must be the address of the script, relative to the page; got {url!r}")
    exporter = HTMLExporter(template_name="lab", extra_loaders=[DictLoader({"offline.html.j2": _TEMPLATE})],
                            template_file="offline.html.j2", mathjax_url=mathjax_url,
                            exclude_input=not code, exclude_input_prompt=not code,
                            exclude_output_prompt=not code)
    resources = {"plotly_url": plotly_url, "metadata": {"name": title}}
    body, _ = exporter.from_notebook_node(static_outputs(notebook), resources=resources)
    return body


def export_notebook(path, outdir, timeout=600, code=True):
    """Execute one notebook and write it as OUTDIR/<name>.html; returns the page's path.

    With `code=False` the page leaves out the code cells. It links the copies of
    plotly.js and MathJax that `write_plotlyjs` and `copy_mathjax` write into OUTDIR.
    """
    path = Path(path)
    notebook = nbformat.read(path, as_version=4)
    execute(notebook, path.parent.resolve(), timeout)
    page = Path(outdir) / f"{path.stem}.html"
    page.write_text(to_html(notebook, path.stem, code=code), encoding="utf-8")
    return page


def write_index(pages, outdir):
    """An index.html linking the exported pages, in order."""
    items = "\n".join(f'<li><a href="{html.escape(page.name)}">{html.escape(page.stem)}</a></li>'
                      for page in pages)
    index = Path(outdir) / "index.html"
    index.write_text("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                     "<title>gdviz: the course</title></head>\n<body><h1>gdviz: gradient descent with Chad"
                     f"</h1>\n<p>Open a notebook; animations play offline.</p>\n<ol>\n{items}\n</ol>\n"
                     "</body></html>\n", encoding="utf-8")
    return index


def main(argv=None):
    """Command line: python -m gdviz.export OUTDIR [NOTEBOOK ...] [--no-code] [--timeout SECONDS]."""
    parser = argparse.ArgumentParser(prog="python -m gdviz.export", description=(
        "Execute the course notebooks and write them as standalone HTML pages that play offline."))
    parser.add_argument("outdir", type=Path, help="folder for the HTML pages (created if missing)")
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to export (default: every notebooks/*.ipynb here)")
    parser.add_argument("--timeout", type=int, default=600, help="seconds allowed per cell (default 600)")
    parser.add_argument("--no-code", dest="code", action="store_false",
                        help="leave out the code cells; the prose and what they drew stay (for a lecture)")
    arguments = parser.parse_args(argv)
    if arguments.timeout <= 0:
        parser.error(f"--timeout must be a positive number of seconds, not {arguments.timeout}")
    if arguments.outdir.exists() and not arguments.outdir.is_dir():
        parser.error(f"OUTDIR {arguments.outdir} exists and is not a folder")
    notebooks = arguments.notebooks or sorted(Path("notebooks").glob("*.ipynb"))
    if not notebooks:
        parser.error("no notebooks given and none found in ./notebooks")
    missing = [str(path) for path in notebooks if not path.is_file()]
    if missing:
        parser.error(f"no such notebook: {', '.join(missing)}")
    try:
        mathjax_source()
    except RuntimeError as error:
        parser.error(str(error))
    arguments.outdir.mkdir(parents=True, exist_ok=True)
    copy_mathjax(arguments.outdir)
    write_plotlyjs(arguments.outdir)
    pages = []
    for path in notebooks:
        print(f"exporting {path} ...", file=sys.stderr, flush=True)
        pages.append(export_notebook(path, arguments.outdir, arguments.timeout, arguments.code))
    index = write_index(pages, arguments.outdir)
    print(f"wrote {len(pages)} pages and {index}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
