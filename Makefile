# Truce Explorer. `make run` and `make test` set everything up from a fresh clone.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 1
# Every absolute link (canonical, og:url, Atom ids, CSV urls) is made from BASE_URL, never from the
# request's Host header. Set it to the public origin in production.
BASE_URL ?= http://$(HOST):$(PORT)
export HOST PORT BASE_URL

.PHONY: run serve setup migrate seed check test test-fast bench lint tools clean messages

# The interface's languages besides English (app/i18n.py); their catalogs are app/locales/*/LC_MESSAGES.
LOCALES := uk ru
CATALOGS := $(foreach l,$(LOCALES),app/locales/$(l)/LC_MESSAGES/messages.mo)
# What `pybabel extract` collects besides _ and ngettext: N_ marks a label table's msgids, and
# pgettext a msgid with its context.
BABEL_KEYWORDS := -k N_ -k pgettext:1c,2

$(BIN)/truce: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

# The compiled catalogs are built here, never committed.
app/locales/%/LC_MESSAGES/messages.mo: app/locales/%/LC_MESSAGES/messages.po $(BIN)/truce
	$(BIN)/pybabel compile --statistics -l $* -d app/locales -D messages

setup: $(BIN)/truce $(CATALOGS)

## messages: collect the interface strings into app/locales/messages.pot and merge them into each catalog
messages: $(BIN)/truce
	$(BIN)/pybabel extract --add-location=file --sort-output -F babel.cfg $(BABEL_KEYWORDS) --project="Truce Explorer" -o app/locales/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i app/locales/messages.pot -d app/locales -D messages

migrate: setup
	$(BIN)/truce migrate

seed: migrate
	$(BIN)/truce import seeds

check: setup
	$(BIN)/truce check seeds

## run: venv, install, migrate, import seeds/, serve at http://$(HOST):$(PORT) with $(WORKERS) worker(s)
run: seed
	$(BIN)/truce serve --host $(HOST) --port $(PORT) --workers $(WORKERS)

# Node tools for the accessibility and HTML checks (axe-core, the Nu HTML Checker), from the npm registry.
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --silent
	@touch $@

tools: node_modules/.installed

## test: everything, including the browser tests when Chromium is installed (REQUIRE_BROWSER=1 makes them mandatory)
test: setup tools
	$(BIN)/python -m pytest

test-fast: setup
	$(BIN)/python -m pytest -m "not browser"

## bench: import, page timings and weights, SQL counts, CSV streaming, RSS and wrk at seed, 20k and 200k
## (synthetic data cached in .bench-cache/; prints figures; asserts nothing). BENCH_ARGS=--sizes=seed,20k
bench: setup
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python tests/perf/bench.py $(BENCH_ARGS)

lint: setup
	$(BIN)/hadolint --failure-threshold warning Dockerfile

clean:
	rm -rf $(VENV) node_modules data tests/artifacts .bench-cache
