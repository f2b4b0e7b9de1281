# Everything a fresh machine needs: `make demo` and `make test` do their own set-up.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
OUTPUT ?= output

.PHONY: install demo test lint bench bench-extraction clean

install: $(STAMP)

# Re-run the install whenever the declared dependencies change.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

demo: install
	$(BIN)/newsarchiver demo --output $(OUTPUT)

lint: install
	$(BIN)/ruff check newsarchiver tests bench
	$(BIN)/ruff format --check newsarchiver tests bench
	$(BIN)/mypy

test: install lint
	$(BIN)/pytest

# Speed and memory, each against a baseline measured in the same run (not part of `make test`).
bench: install
	$(BIN)/python bench/crawl.py
	$(BIN)/python bench/query.py
	$(BIN)/python bench/extraction.py

# Extraction quality against trafilatura, readability-lxml and the visible-text floor.
bench-extraction: install
	$(BIN)/python bench/extraction.py

clean:
	rm -rf $(VENV) $(OUTPUT) .pytest_cache .mypy_cache .ruff_cache *.egg-info
