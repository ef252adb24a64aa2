# fleetbox: every target sets up (or reuses) .venv from pyproject.toml first, so on a fresh
# machine `make serve` and `make test` are all the set-up there is.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8080

.DEFAULT_GOAL := help
.PHONY: help serve test lint format bench speed clean system-packages screenshot

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

serve: $(STAMP) ## run the sandbox on http://127.0.0.1:$(PORT)
	$(BIN)/fleetbox serve --port $(PORT)

test: lint system-packages ## run the linter, then the test suite (unit, HTTP, Schemathesis, concurrency) on every CPU
	$(BIN)/pytest -n auto

system-packages: ## install the Debian packages the tests start for real (.ci/debian-packages) when missing
	.ci/ensure-debian-packages

screenshot: $(STAMP) system-packages ## take docs/dashboard.png of the dashboard with the tests' headless chromium
	$(BIN)/python -m tests.dashboard.screenshot docs/dashboard.png

lint: $(STAMP) ## check formatting and lint rules (ruff, configured in pyproject.toml)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

format: $(STAMP) ## format the tree and apply the linter's safe fixes
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP) ## measure start-up, then benchmark the sandbox against Stoplight Prism (needs wrk and npm)
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/bench.py $(BENCH_ARGS)

speed: $(STAMP) ## time the three profiles' full checks against the sandbox (medians of 3 runs)
	$(BIN)/python bench/check_speed.py

clean: ## remove the virtual environment and caches
	rm -rf $(VENV) .pytest_cache .hypothesis schemathesis-report
