# Everything a fresh machine needs: `make demo` and `make test` do their own set-up.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
OUTPUT ?= output

.PHONY: install system-packages demo test lint bench bench-extraction clean

install: $(STAMP)

# Debian packages the tests use as real, independent tools: chromium (the web page test),
# wget (WARC files made by another tool, for `newsarchiver import`) and redis-server (the
# scale-out tests run a real Redis). Installed when missing.
SYSTEM_COMMANDS := chromium wget redis-server
system-packages:
	@missing=""; for c in $(SYSTEM_COMMANDS); do command -v $$c >/dev/null || missing="$$missing $$c"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq$$missing >/dev/null; \
	fi

# Re-run the install whenever the declared dependencies change.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/newsarchiver setup-replay
	@touch $(STAMP)

demo: install
	$(BIN)/newsarchiver demo --output $(OUTPUT)

lint: install
	$(BIN)/ruff check newsarchiver tests bench
	$(BIN)/ruff format --check newsarchiver tests bench
	$(BIN)/mypy

test: install system-packages lint
	$(BIN)/pytest

# Speed and memory, each against a baseline measured in the same run (not part of `make test`).
# bench/throughput.py serves its site with Debian's nginx, installed here when missing.
bench: install system-packages
	@command -v nginx >/dev/null || test -x /usr/sbin/nginx || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nginx-light >/dev/null; }
	$(BIN)/python bench/throughput.py
	$(BIN)/python bench/gzip_levels.py
	$(BIN)/python bench/scaleout.py
	$(BIN)/python bench/crawl.py
	$(BIN)/python bench/bigsitemap.py
	$(BIN)/python bench/memory.py
	$(BIN)/python bench/query.py
	$(BIN)/python bench/history.py
	$(BIN)/python bench/replay.py
	$(BIN)/python bench/extraction.py

# Extraction quality against trafilatura, readability-lxml and the visible-text floor.
bench-extraction: install
	$(BIN)/python bench/extraction.py

clean:
	rm -rf $(VENV) $(OUTPUT) .pytest_cache .mypy_cache .ruff_cache *.egg-info
