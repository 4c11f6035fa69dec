# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
FLASK := LMS_ENV=development $(BIN)/flask --app wsgi
SOURCES := lms courses cohorts assignments advice

.PHONY: run test install translations messages lint bench clean icaljs screenshots

run: install translations  ## set up, migrate, seed the demo once, serve on $(PORT)
	$(FLASK) db upgrade
	$(FLASK) lms seed-demo
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

test: install translations icaljs  ## set up and run the whole suite (lint included)
	$(BIN)/ruff check .
	$(BIN)/pytest

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

# From npm, exactly as locked: Mozilla's ical.js for the feed tests (tests/calendar/clients.py)
# and axe-core for the accessibility checks (tests/e2e/axe.py). Without npm the step is
# left out and those tests skip, saying why (CI requires them).
ifneq ($(shell command -v npm 2>/dev/null),)
icaljs: node_modules/.installed
else
icaljs:
	@echo "npm not found: the tests that run ical.js (tests/calendar) or axe-core (tests/e2e) will be skipped"
endif

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

translations: install  ## compile the catalogs, so screens are German from the first start
	$(BIN)/pybabel compile -d lms/translations

messages: install  ## extract marked strings and merge them into the catalogs
	$(BIN)/pybabel extract -F babel.cfg -k _l -o lms/translations/messages.pot $(SOURCES)
	$(BIN)/pybabel update -N -i lms/translations/messages.pot -d lms/translations

lint: install
	$(BIN)/ruff check .

bench: install translations  ## queries per page, and each key page's throughput against bare Flask
	LMS_BENCHMARKS=1 $(BIN)/pytest tests/benchmarks -s
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python -m tests.benchmarks.pages

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache node_modules

screenshots: install  ## each role's key pages at 390 and 1280 px, from the demo `make run` serves
	$(BIN)/python -m tests.e2e.screenshots --base-url http://127.0.0.1:$(PORT) --out docs/screenshots
