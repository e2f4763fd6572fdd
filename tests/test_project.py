"""The project's own promises: dependencies agree, layout, and a light import."""

import ast
import importlib
import inspect
import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent


def requirement_name(requirement):
    return re.split(r"[<>=!~ \[;]", requirement.strip(), maxsplit=1)[0].lower()


def conda_dependencies():
    """environment.yml's dependencies as {name: the rest of the line}, e.g. {"plotly": ">=6.1,<8"}."""
    found, inside = {}, False
    for line in (ROOT / "environment.yml").read_text().splitlines():
        if line.startswith("dependencies:"):
            inside = True
        elif inside and line.strip().startswith("- "):
            spec = line.strip()[2:].strip()
            found[requirement_name(spec)] = spec[len(requirement_name(spec)):].strip()
        elif inside and line.strip() and not line.startswith(" "):
            inside = False
    return found


def runtime_dependencies():
    """pyproject.toml's runtime dependencies as {name: version range}."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return {requirement_name(requirement): requirement[len(requirement_name(requirement)):].strip()
            for requirement in project["dependencies"]}


def test_runtime_dependencies_are_what_a_notebook_using_gdviz_imports():
    # JupyterLab and Voila are the `lab` extra, the export tool's needs the `export` extra.
    assert set(runtime_dependencies()) == {"numpy", "plotly", "ipywidgets", "anywidget", "nbformat"}


def test_environment_yml_has_every_runtime_dependency_in_the_same_range_plus_lab_and_voila():
    conda = conda_dependencies()
    for name, versions in runtime_dependencies().items():
        assert conda.get(name) == versions, f"{name}: environment.yml says {conda.get(name)!r}"
    assert {"jupyterlab", "voila"} <= set(conda)


def test_environment_pins_an_exact_python_and_binder_installs_the_package():
    text = (ROOT / "environment.yml").read_text()
    assert re.search(r"^\s*- python=3\.\d+\s*$", text, re.MULTILINE)
    post_build = (ROOT / "postBuild").read_text()
    assert "python -m pip install --no-deps ." in post_build


def binder_badges(markdown):
    """The README's Binder badges, [![alt](image)](link), as {alt: (owner/repo, ref, urlpath)}."""
    badges = {}
    for alt, link in re.findall(r"\[!\[([^\]]*)\]\([^)]*\)\]\(([^)\s]+)\)", markdown):
        url = urlsplit(link)
        if url.netloc != "mybinder.org":
            continue
        provider, owner, repo, ref = url.path.removeprefix("/v2/").split("/", 3)
        assert provider == "gh", f"{alt}: {link} is not a GitHub repository"
        (urlpath,) = parse_qs(url.query)["urlpath"]
        badges[alt] = (f"{owner}/{repo}", ref, urlpath)
    return badges


def test_the_binder_badges_open_files_that_exist_in_what_environment_yml_installs():
    badges = binder_badges((ROOT / "README.md").read_text())
    assert set(badges) == {"Binder", "Explorer in Voila"}
    assert len({(repo, ref) for repo, ref, _ in badges.values()}) == 1  # one repository, one ref
    lab, voila = badges["Binder"][2], badges["Explorer in Voila"][2]
    assert lab.startswith("lab/tree/") and (ROOT / lab.removeprefix("lab/tree/")).is_file()
    notebook = Path(voila.removeprefix("voila/render/"))
    assert voila.startswith("voila/render/") and notebook.parts[0] == "notebooks"
    assert (ROOT / notebook).is_file() and notebook.suffix == ".ipynb"
    assert {"jupyterlab", "voila"} <= set(conda_dependencies())  # what the two badges open


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_lecture_opens_a_notebook_in_voila_in_presentation_mode():
    """The README's lecture command: `make -n` prints what it would run, and runs nothing."""
    # Run from `make test` this is a sub-make: leave out the outer make's settings and its
    # "Entering directory" lines.
    outer = ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")
    env = {key: value for key, value in os.environ.items() if key not in outer}

    def dry_run(*arguments):
        printed = subprocess.run(["make", "--no-print-directory", "-n", "lecture", *arguments], cwd=ROOT,
                                 env=env, capture_output=True, text=True, check=True).stdout
        return printed.strip().splitlines()[-1]

    assert dry_run() == "GDVIZ_PRESENTATION=1 .venv/bin/voila notebooks/explorer.ipynb"
    assert dry_run("NOTEBOOK=06_learning_rate").endswith("voila notebooks/06_learning_rate.ipynb")
    assert (ROOT / "notebooks" / "explorer.ipynb").is_file()


def imported_modules(path):
    """What a source file imports: 'plotly.io', or for relative imports '..figures', '.run.Trajectory'."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            names.add(module)
            names.update(f"{module.rstrip('.')}.{alias.name}" if node.module else module + alias.name
                         for alias in node.names)
    return names


def test_core_modules_import_numpy_only():
    # Everything but the drawing layers (figures, apps) and the export tool: the maths, the
    # experiments, the exercises, each a module or a package.
    package = ROOT / "gdviz"
    drawing = {package / "figures", package / "apps", package / "export.py"}
    core = [path for path in package.rglob("*.py") if not any(path.is_relative_to(d) for d in drawing)]
    assert {"landscapes.py", "optimizers.py", "run.py"} <= {path.name for path in core}
    for path in core:
        for name in imported_modules(path):
            inside = name.lstrip(".") if name.startswith(".") else name.removeprefix("gdviz.")
            where = f"{path.relative_to(ROOT)} imports {name}"
            assert name.split(".")[0] not in ("plotly", "ipywidgets", "anywidget"), where
            assert inside.split(".")[0] not in ("figures", "apps") or inside == name, where


def test_figures_do_not_import_widgets():
    for path in (ROOT / "gdviz" / "figures").rglob("*.py"):
        for name in imported_modules(path):
            assert name.split(".")[0] not in ("ipywidgets", "anywidget"), f"{path.relative_to(ROOT)}: {name}"


EXPERIMENTING = ("gdviz.experiments", "gdviz.run", "gdviz.batch", "gdviz.optimizers")


def _imported(base, name):
    """What `from base import name` binds: the attribute of the module, else its submodule."""
    try:
        return getattr(importlib.import_module(base), name)
    except AttributeError:
        return importlib.import_module(f"{base}.{name}")


def _bindings(tree, module):
    """{local name: the object an import binds to it}, the imports of module `module` done for real."""
    bound = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name if alias.asname else alias.name.split(".")[0]
                bound[alias.asname or top] = importlib.import_module(top)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = ".".join(module.split(".")[:-node.level])
                base = f"{parent}.{base}" if base else parent
            for alias in node.names:
                if alias.name == "*":
                    everything = importlib.import_module(base)
                    bound.update({name: getattr(everything, name) for name in everything.__all__})
                else:
                    bound[alias.asname or alias.name] = _imported(base, alias.name)
    return bound


def _called(node, bound):
    """The object a call's function names through imported names (`learning_rate.alpha_sweep`), else None."""
    attributes = []
    while isinstance(node, ast.Attribute):
        attributes.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name) or node.id not in bound:
        return None
    found = bound[node.id]
    for attribute in reversed(attributes):
        found = getattr(found, attribute, None)
    return found


def experiment_calls(source, module):
    """Calls in `source` (module `module`) of a function of gdviz.experiments, run, batch or optimizers.

    Calling a class of theirs (a result type) is not running an experiment, nor is reading a constant.
    """
    tree = ast.parse(source)
    bound = _bindings(tree, module)
    found = []
    for node in ast.walk(tree):
        called = _called(node.func, bound) if isinstance(node, ast.Call) else None
        home = getattr(called, "__module__", None) or ""
        if not inspect.isclass(called) and any(home == name or home.startswith(name + ".")
                                               for name in EXPERIMENTING):
            found.append(f"line {node.lineno}: {home}.{called.__qualname__}")
    return found


def test_the_experiment_call_finder_finds_each_way_of_calling():
    source = ("from ..experiments import learning_rate\nfrom .. import experiments, optimizers, run\n"
              "from ..experiments.probing import ProbeErrors, probe_errors\nfrom ..experiments.race import "
              "RACE_OPTIMIZERS\nimport gdviz\nimport gdviz.run as running\n"
              "learning_rate.alpha_sweep('bowl')\nexperiments.race('bowl')\nprobe_errors('bowl')\nrun(None)\n"
              "optimizers.momentum(None, None, 1)\ngdviz.run(None)\nrunning.run(None)\n"
              "isinstance(1, ProbeErrors)\nRACE_OPTIMIZERS.index('adam')\n"
              "gdviz.landscapes.get('bowl').mesh(9)\n")
    calls = experiment_calls(source, "gdviz.figures.example")
    assert [call.split(": ")[1] for call in calls] == [
        "gdviz.experiments.learning_rate.alpha_sweep", "gdviz.experiments.race.race",
        "gdviz.experiments.probing.probe_errors", "gdviz.run.run", "gdviz.optimizers.momentum",
        "gdviz.run.run", "gdviz.run.run"]


def test_figures_draw_results_and_run_no_experiment():
    # A builder draws the result handed to it; running a walk, a tuning or a sweep is an experiment's job.
    for path in sorted((ROOT / "gdviz" / "figures").glob("*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        where = f"{path.relative_to(ROOT)} runs an experiment"
        assert experiment_calls(path.read_text(), module) == [], where


# One name per lesson: its module in every layer that has one (experiments, figures, exercises, apps)
# is named after it. Renumbering the course changes the notebooks' file names only.
LESSONS = {
    "scoring": "01_parameterized_learning",
    "slices": "02_the_loss_landscape",
    "probing": "03_meet_chad",
    "stopping": "04_vanilla_gradient_descent",
    "curvature": "05_curvature",
    "learning_rate": "06_learning_rate",
    "smoothness": "07_beyond_quadratics",
    "training": "08_gd_on_a_classifier",
    "minibatches": "09_stochastic_gradient_descent",
    "race": "10_beyond_vanilla",
    "momentum": "11_why_momentum_works",
    "second_order": "12_second_order",
    "neural_landscape": "13_neural_network_landscape",
}
# What is not a lesson's: what several lessons share, and the Explorer, which serves several.
SHARED_MODULES = {
    "experiments": {"_many_starts", "_mapping", "_sgd_batches", "_tuning"},
    "figures": {"data", "explorer", "explorer_data", "explorer_pinned", "robot", "style", "theme", "walks"},
    "exercises": {"_verdict"},
    "apps": {"_base", "_lesson", "_pacer", "_plotly_compat", "_words", "controls", "explorer",
             "explorer_compare", "explorer_controls", "explorer_sharing", "explorer_state", "explorer_step"},
}


def layer_modules(layer):
    return {path.stem for path in (ROOT / "gdviz" / layer).glob("*.py")} - {"__init__"}


def test_each_lesson_has_one_notebook_and_each_notebook_one_lesson_name():
    assert len(set(LESSONS.values())) == len(LESSONS)
    for notebook in LESSONS.values():
        assert (ROOT / "notebooks" / f"{notebook}.ipynb").is_file(), notebook


@pytest.mark.parametrize("layer", sorted(SHARED_MODULES))
def test_every_module_of_a_layer_is_named_after_its_lesson_or_listed_as_shared(layer):
    modules = layer_modules(layer)
    assert SHARED_MODULES[layer] <= modules, f"gdviz/{layer}: listed as shared but gone"
    strangers = modules - SHARED_MODULES[layer] - set(LESSONS)
    assert not strangers, (f"gdviz/{layer}: {sorted(strangers)} are neither a lesson's name in LESSONS nor "
                           "shared; a lesson keeps one name in every layer")
    for name in sorted(modules & set(LESSONS)):  # and says which lesson it is, in its first line
        path = ROOT / "gdviz" / layer / f"{name}.py"
        number = LESSONS[name][:2]
        first_line = ast.get_docstring(ast.parse(path.read_text())).splitlines()[0]
        assert f"({number}" in first_line, f"{path.relative_to(ROOT)}: its first line names lesson {number}"


def test_every_lesson_in_the_table_has_modules():
    found = set().union(*(layer_modules(layer) for layer in SHARED_MODULES))
    assert set(LESSONS) <= found, f"lessons with no module: {sorted(set(LESSONS) - found)}"
