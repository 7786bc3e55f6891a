# Bridgework: `make run` serves the demo practice, `make test` runs the whole suite.
# The first Python 3.11+ that actually runs (pyenv shims may exist for versions not selected).
PYTHON ?= $(shell for p in python3 python3.13 python3.12 python3.11; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$p; break; }; \
	done)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app practice
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test lint migrate seed clean bench

$(BIN)/activate:
	@test -n "$(PYTHON)" || { echo "Bridgework needs Python 3.11 or newer on PATH."; exit 1; }
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
	$(FLASK) load-library
	$(FLASK) seed-demo --if-empty
	$(FLASK) demo-logins
	@# The worker (mail, reminders, periodic jobs) runs beside the web server and stops with it.
	@# Links in development mail point at this server unless PUBLIC_BASE_URL says otherwise.
	export PUBLIC_BASE_URL="$${PUBLIC_BASE_URL:-http://$(HOST):$(PORT)}"; \
	$(FLASK) worker & worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(FLASK) run --host $(HOST) --port $(PORT)

test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

# The large practice (tenth and full size) under gunicorn -w 2, every role's pages measured;
# PostgreSQL too when DATABASE_URL points at it. Not part of `make test`. See README.
bench: $(VENV)/.installed-run
	command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
	$(BIN)/python -m bench.run $(BENCH_ARGS)

migrate: $(VENV)/.installed-run
	$(FLASK) db upgrade

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
