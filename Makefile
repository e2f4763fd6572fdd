# The two commands of the README: `make lab` and `make test`.
# Each builds .venv on first use from nothing but python3, and again
# whenever pyproject.toml changes.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: lab test html benchmark clean

$(INSTALLED): pyproject.toml
	@$(PYTHON) -c "import venv, ensurepip" 2>/dev/null || { \
		echo "python3 cannot build a venv here: install it first (Debian: apt-get install python3-venv)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(INSTALLED)

# JupyterLab refuses to run as root unless told; containers often are root.
lab: $(INSTALLED)
	$(BIN)/jupyter lab notebooks/ $(if $(filter 0,$(shell id -u)),--allow-root)

test: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest tests --nbval-lax --nbval-current-env notebooks

# Every notebook executed and written as a standalone page that plays offline.
html: $(INSTALLED)
	$(BIN)/python -m gdviz.export build/html

benchmark: $(INSTALLED)
	for script in benchmarks/*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) build
