# Bridgework: `make run` serves the demo practice, `make test` runs the whole suite.
# The first of these that really runs (a pyenv shim for a version not selected does not).
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do $$p -c '' 2>/dev/null && { command -v $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app practice
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test lint migrate seed clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet -e '.[postgres]'
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet -e '.[postgres,test]'
	touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	$(FLASK) db upgrade
	$(FLASK) seed-demo --if-empty
	$(FLASK) demo-logins
	$(FLASK) run --host $(HOST) --port $(PORT)

test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

migrate: $(VENV)/.installed-run
	$(FLASK) db upgrade

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
