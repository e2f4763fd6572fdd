# The two commands of the README: `make lab` and `make test`.
# Each builds .venv on first use from nothing but python3, and again
# whenever pyproject.toml changes.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

# `make test-oldest`: gdviz as a plain `pip install .` brings it, at the oldest versions it supports.
OLDEST_VENV := .venv-oldest
OLDEST_VERSIONS := tests/oldest-versions.txt
# The unit tests: everything but the real-browser tests and the notebook files (those need the
# `lab` and `export` extras, which a plain install does not have).
UNIT_TESTS := tests --ignore=tests/browser --ignore=tests/test_notebooks.py

# Notebook 7 for the browser tests, in a venv of its own: installed beside Voila, its page
# extension breaks Voila's pages (and Voila's breaks Notebook 7's). gdviz goes in with -e, so the
# page modules (anywidget, ipywidgets, plotly) match the kernel's.
NOTEBOOK7_VENV := .venv-notebook7
NOTEBOOK7_INSTALLED := $(NOTEBOOK7_VENV)/.installed

.PHONY: lab lecture test test-run test-look screenshots test-oldest test-notebook7 html html-lecture benchmark clean check-python

check-python:
	@$(PYTHON) -c "import venv, ensurepip" 2>/dev/null || { \
		echo "python3 cannot build a venv here: install it first (Debian: apt-get install python3-venv)"; exit 1; }

$(INSTALLED): pyproject.toml
	@$(MAKE) --no-print-directory check-python
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[lab,export,test]'
	touch $(INSTALLED)

# JupyterLab refuses to run as root unless told; containers often are root.
lab: $(INSTALLED)
	$(BIN)/jupyter lab notebooks/ $(if $(filter 0,$(shell id -u)),--allow-root)

$(NOTEBOOK7_INSTALLED): pyproject.toml
	@$(MAKE) --no-print-directory check-python
	test -x $(NOTEBOOK7_VENV)/bin/python || $(PYTHON) -m venv $(NOTEBOOK7_VENV)
	$(NOTEBOOK7_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(NOTEBOOK7_VENV)/bin/python -m pip install --quiet -e . 'notebook>=7,<8'
	touch $(NOTEBOOK7_INSTALLED)

# One notebook in Voila, no code on screen, presentation mode on: `make lecture NOTEBOOK=06_learning_rate`.
NOTEBOOK ?= explorer
lecture: $(INSTALLED)
	GDVIZ_PRESENTATION=1 $(BIN)/voila notebooks/$(NOTEBOOK).ipynb

# `make test`: ruff, the unit tests, every notebook under nbval, and (where Chromium is) the course
# in Voila and the Explorer and one lesson in JupyterLab, on two pytest-xdist workers (the browser
# tests on one of them, with the files that fit beside them on the other); its wall time, venv
# included, is printed last. The budget it keeps is in the README's testing section.
test:
	@start=$$(date +%s); $(MAKE) --no-print-directory test-run; status=$$?; \
	echo "make test: wall time $$(( $$(date +%s) - start )) s (budget: 480 s)"; exit $$status

test-run: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n 2 tests --nbval-lax --nbval-current-env notebooks -m "not look and not slow_machine" \
		--ignore=tests/browser/test_explorer_in_notebook7.py

# What a person sees, beyond `make test`'s normal-mode look: the lecture view (presentation mode)
# in a projector's two windows, every notebook in Voila; the Explorer and a lesson in JupyterLab,
# both modes; every app's page in Voila with Chromium's CPU throttled 4x (a slower machine). Two
# workers; `.ci/run` calls it after `make test`.
test-look: $(INSTALLED)
	@start=$$(date +%s); $(BIN)/python -m pytest -n 2 tests/browser -m "look or slow_machine"; status=$$?; \
	echo "make test-look: wall time $$(( $$(date +%s) - start )) s (budget: 480 s)"; exit $$status

# A picture of every notebook, whole, in each mode and size the look tests use, for people to look
# at: build/screenshots/{normal,presentation}-{width}-{notebook}.png (JupyterLab's: lab-{notebook}).
screenshots: $(INSTALLED)
	GDVIZ_SCREENSHOTS=build/screenshots $(BIN)/python -m pytest \
		tests/browser/test_notebooks_in_voila.py tests/browser/test_look_presentation.py \
		tests/browser/test_look_in_lab.py

# The Explorer driven by keyboard in Jupyter Notebook 7, whose page binds the arrow keys to moving
# between cells. `.ci/run` calls it after `make test`.
test-notebook7: $(INSTALLED) $(NOTEBOOK7_INSTALLED)
	$(BIN)/python -m pytest tests/browser/test_explorer_in_notebook7.py

# The unit tests again, in a venv rebuilt from nothing every time: gdviz installed without
# extras and without -e, its dependencies held at the oldest supported versions, plus pytest and
# hypothesis. `python -P` keeps the working tree off sys.path, so the tests import the installed
# copy. GDVIZ_BARE_INSTALL=1 makes tests/test_packaging.py check that this venv holds no Jupyter
# server and exactly the pinned versions. pytest exits non-zero when no test ran, so does this.
test-oldest: check-python
	rm -rf $(OLDEST_VENV)
	$(PYTHON) -m venv $(OLDEST_VENV)
	$(OLDEST_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(OLDEST_VENV)/bin/python -m pip install --quiet -c $(OLDEST_VERSIONS) . 'pytest>=8' 'hypothesis>=6.100'
	GDVIZ_BARE_INSTALL=1 $(OLDEST_VENV)/bin/python -P -m pytest $(UNIT_TESTS)

# Every notebook executed and written as a standalone page that plays offline.
html: $(INSTALLED)
	$(BIN)/python -m gdviz.export build/html

# The same pages without the code cells, for a lecture: the prose and the figures only.
html-lecture: $(INSTALLED)
	$(BIN)/python -m gdviz.export build/html-lecture --no-code

benchmark: $(INSTALLED)
	for script in benchmarks/*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) $(OLDEST_VENV) $(NOTEBOOK7_VENV) build
