"""The project's own promises: dependencies agree, layout, and a light import."""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def requirement_name(requirement):
    return re.split(r"[<>=!~ \[;]", requirement.strip(), maxsplit=1)[0].lower()


def conda_dependencies():
    names, inside = set(), False
    for line in (ROOT / "environment.yml").read_text().splitlines():
        if line.startswith("dependencies:"):
            inside = True
        elif inside and line.strip().startswith("- "):
            names.add(requirement_name(line.strip()[2:]))
        elif inside and line.strip() and not line.startswith(" "):
            inside = False
    return names


def test_every_runtime_dependency_is_in_environment_yml():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = {requirement_name(requirement) for requirement in project["dependencies"]}
    assert runtime == {"numpy", "plotly", "ipywidgets", "anywidget", "jupyterlab"}
    assert runtime <= conda_dependencies()


def test_environment_pins_an_exact_python_and_binder_installs_the_package():
    text = (ROOT / "environment.yml").read_text()
    assert re.search(r"^\s*- python=3\.\d+\s*$", text, re.MULTILINE)
    post_build = (ROOT / "postBuild").read_text()
    assert "python -m pip install --no-deps ." in post_build


def test_the_readme_gives_the_two_commands_and_ci_runs_one_of_them():
    readme = (ROOT / "README.md").read_text()
    assert "make lab" in readme and "make test" in readme and "mybinder.org" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_importing_gdviz_does_not_pull_in_plotly_or_widgets():
    code = "import sys, gdviz; print(sorted(m for m in ('plotly', 'ipywidgets') if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]"


def test_core_modules_import_numpy_only():
    numpy_only = ("landscapes", "gradients", "optimizers", "run", "data", "classifier", "exercises",
                  "_checks")
    for module in numpy_only:
        source = (ROOT / "gdviz" / f"{module}.py").read_text()
        assert "plotly" not in source and "ipywidgets" not in source, module
