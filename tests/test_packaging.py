"""What `pip install gdviz` brings, and that it is enough to show the course's figures and apps.

These tests run twice in CI. In the development venv (`make test`) they check the declared
metadata against pyproject.toml and the installed versions against the declared ranges. In
the venv of `make test-oldest`, a plain `pip install .` held at tests/oldest-versions.txt, the
variable GDVIZ_BARE_INSTALL=1 is set and the same tests check that install instead: no Jupyter
server in it, exactly the oldest versions, and the tests importing the installed copy.
"""

import importlib.metadata as metadata
import os
import re
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

from packaging.requirements import Requirement  # a dependency of plotly, so always present
from packaging.version import Version

import gdviz

ROOT = Path(__file__).resolve().parent.parent
OLDEST_VERSIONS = ROOT / "tests" / "oldest-versions.txt"
BARE_INSTALL = os.environ.get("GDVIZ_BARE_INSTALL", "") not in ("", "0")
# What a plain install must not pull in: the servers belong to the `lab` extra.
SERVERS = {"jupyterlab", "notebook", "voila", "jupyter-server"}


def normalized(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def declared():
    """pyproject.toml's runtime requirements, by normalized name."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = [Requirement(text) for text in project["dependencies"]]
    return {normalized(requirement.name): requirement for requirement in requirements}


def oldest():
    """tests/oldest-versions.txt as {normalized name: pinned version}."""
    pins = {}
    for line in OLDEST_VERSIONS.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, version = line.split("==")
            pins[normalized(name)] = Version(version)
    return pins


def test_each_runtime_dependency_has_a_floor_pinned_in_oldest_versions_and_a_cap():
    pins = oldest()
    assert set(pins) == set(declared())
    for name, requirement in declared().items():
        operators = {spec.operator: Version(spec.version) for spec in requirement.specifier}
        assert set(operators) == {">=", "<"}, f"{requirement}: give a floor and a cap"
        assert pins[name] == operators[">="], f"{name}: the floor is not the version tested as oldest"
        assert pins[name] in requirement.specifier


def test_the_installed_metadata_keeps_jupyterlab_and_voila_in_the_lab_extra():
    requirements = [Requirement(text) for text in metadata.requires("gdviz")]
    unconditional = {normalized(r.name) for r in requirements if r.marker is None}
    assert unconditional == set(declared()), "gdviz's installed metadata is stale: reinstall it"
    in_lab = {normalized(r.name) for r in requirements
              if r.marker is not None and r.marker.evaluate({"extra": "lab"})}
    assert {"jupyterlab", "voila"} <= in_lab
    for requirement in requirements:
        if normalized(requirement.name) in SERVERS:
            assert requirement.marker is not None, f"{requirement} is a runtime dependency"
            assert not requirement.marker.evaluate({"extra": "export"})
            assert not requirement.marker.evaluate({"extra": "test"})
    if BARE_INSTALL:
        installed = {normalized(dist.metadata["Name"]) for dist in metadata.distributions()}
        assert not installed & SERVERS, f"a plain install brought {sorted(installed & SERVERS)}"


def test_installed_versions_are_the_oldest_in_a_bare_install_and_in_range_elsewhere():
    for name, requirement in declared().items():
        installed = Version(metadata.version(name))
        if BARE_INSTALL:
            assert installed == oldest()[name], f"{name} {installed}, not the oldest supported"
        else:
            assert installed in requirement.specifier, f"{name} {installed} is outside {requirement}"


def test_the_tests_import_the_installed_copy_in_a_bare_install_and_the_tree_elsewhere():
    home = Path(sysconfig.get_paths()["purelib"]) if BARE_INSTALL else ROOT
    assert Path(gdviz.__file__).resolve().is_relative_to(home.resolve())


def test_figures_and_apps_show_in_a_kernel_whose_jupyterlab_lives_in_another_environment(tmp_path):
    """A common setup: `jupyter lab` from one environment runs a kernel from another, where only
    gdviz was installed. A kernel shows figures with plotly's `plotly_mimetype` renderer, which
    refuses to work without nbformat; and plotly 6.0 failed to show any FigureWidget there, as it
    read the version of a JupyterLab its kernel could not import. Here the kernel's stand-in is
    started by a process named like JupyterLab's, the way plotly looks for it."""
    launcher = tmp_path / "jupyter-lab"
    launcher.write_text('#!/bin/sh\n"$KERNEL_PYTHON" -c "$KERNEL_CODE"\n')
    launcher.chmod(0o755)
    code = "\n".join([
        "import plotly.graph_objects as go",
        "from gdviz.apps import Explorer",
        "go.Figure(go.Scatter(y=[1.0, 2.0])).show()",
        "go.FigureWidget()._repr_mimebundle_()",
        "Explorer('bowl')._repr_mimebundle_()",
        "print('shown')",
    ])
    env = {**os.environ, "PLOTLY_RENDERER": "plotly_mimetype", "KERNEL_PYTHON": sys.executable,
           "KERNEL_CODE": code}
    kernel = subprocess.run([str(launcher)], env=env, cwd=tmp_path, capture_output=True, text=True,
                            timeout=120)
    assert kernel.returncode == 0, kernel.stderr[-3000:]
    assert kernel.stdout.splitlines()[-1] == "shown"
