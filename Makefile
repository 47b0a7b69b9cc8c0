# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/tending
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test test-sqlite test-postgres lint bench setup chromium clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Tending needs Python 3.11 ($(PYTHON) not found)"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)
	mkdir -p var

# Start the web server and the worker side by side on SQLite; Ctrl+C stops both.
run: setup
	$(BIN)/tending migrate --noinput
	@echo ""
	@echo "  Tending is starting at http://127.0.0.1:8000"
	@echo "  (emails, such as sign-up links, are printed here while EMAIL_HOST is unset)"
	@echo ""
	@$(BIN)/tending worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=$${DEBUG:-true} $(BIN)/tending serve --host 127.0.0.1 --port 8000

# Debian's Chromium for the browser tests; never a browser a tool downloads.
chromium:
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "Browser tests need Debian's Chromium: sudo apt-get install chromium"; exit 1; fi; }

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test-sqlite: setup chromium
	$(BIN)/pytest

test-postgres: setup chromium
	DATABASE_URL=$(PG_URL) $(BIN)/pytest

test: lint test-sqlite test-postgres

bench: setup
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) var/static
