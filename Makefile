# fieldkit: `make demo` opens the app on a demo compound; `make test` runs the whole suite.
# Both set everything up from a fresh clone: a virtual environment in .venv, the device
# package with its dev extras and the office server (sync/), and the system packages the
# tests need (as root).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO_DIR ?= $(CURDIR)/.demo
DEMO_ARGS ?=
# Test workers: one per core, at least 2 and at most 4 (each journey runs a demo and its
# office server; most of a test's time is spent waiting on those processes).
WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); [ "$$n" -gt 4 ] && n=4; \
	[ "$$n" -lt 2 ] && n=2; echo $$n)

.PHONY: setup system-deps demo test lint soak bench clean

$(STAMP): pyproject.toml sync/pyproject.toml
	@$(PYTHON) scripts/check_python.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@# the server first: it names this checkout's fieldkit, which the next line makes editable
	$(BIN)/python -m pip install --quiet -e ./sync
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

setup: $(STAMP)

system-deps:
	@sh scripts/system-deps.sh

demo: setup
	$(BIN)/fieldkit demo --folder $(DEMO_DIR) $(DEMO_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

test: setup system-deps lint
	$(BIN)/python -m pytest -q -m "not soak" -n $(WORKERS) --dist loadfile --durations=30

soak: setup system-deps
	$(BIN)/python -m pytest -q -m soak

bench: setup
	@for f in bench/*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis .demo
