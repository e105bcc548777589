# Two commands for a newcomer: `make run` and `make test`. See README.md.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run cluster setup install install-dev system-libs translations messages test lint format bench bench-cluster screenshots clean

run: setup ## Set up everything and serve the demo site on http://127.0.0.1:8000 (or PORT=…)
	@echo "Serving on http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	@echo "With the task worker beside it; alert e-mails are written to var/mail/."
	HOST=$(HOST) PORT=$(PORT) DJANGO_SETTINGS_MODULE=config.settings.dev PYTHON=$(BIN)/python bash bin/serve-dev

# Several app nodes on this machine sharing PostgreSQL and Redis (docs/operations.md,
# "Several app nodes"): NODES=2 gunicorn processes from BASE_PORT=8001, the task worker
# and the deadline job. DATABASE_URL must name a PostgreSQL database.
cluster: install translations ## Two app nodes on :8001 and :8002 sharing DATABASE_URL (PostgreSQL) and CACHE_URL (Redis)
	DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-config.settings.dev} PAGE_CACHE_SECONDS=$${PAGE_CACHE_SECONDS:-600} \
		BIN=$(BIN) HOST=$(HOST) bash deploy/cluster/run-nodes

setup: install translations ## Virtualenv, packages, database, demo content
	mkdir -p var
	DJANGO_SETTINGS_MODULE=config.settings.dev $(BIN)/python manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=config.settings.dev $(BIN)/python manage.py load_demo_data --port $(PORT)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: system-libs $(VENV)/.installed
install-dev: system-libs $(VENV)/.installed-dev

# WeasyPrint (the case records' PDFs) draws text with Pango, which a fresh Debian
# may lack. Running as root, it is installed with apt, as bin/ensure-chromium does
# for Chromium; otherwise a missing Pango is reported and only the PDFs fail.
PANGO_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
HAS_PANGO := $(PYTHON) -c "import ctypes.util as u, sys; sys.exit(not (u.find_library('pangoft2-1.0') and u.find_library('harfbuzz-subset')))"

system-libs: ## Pango for the PDFs (installed with apt when run as root on Debian)
	@$(HAS_PANGO) || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Pango for WeasyPrint…"; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get update -qq >/dev/null && apt-get install -y -qq $(PANGO_PACKAGES) >/dev/null || true; \
	  fi; \
	  $(HAS_PANGO) || echo "WARNING: Pango is missing, so record PDFs cannot be made;" \
	    "install $(PANGO_PACKAGES)." >&2; \
	}

translations: install ## Compile the committed .po catalogues into .mo
	$(BIN)/python bin/compile_translations.py

messages: install ## Re-extract translatable strings (needs GNU gettext's xgettext)
	DJANGO_SETTINGS_MODULE=config.settings.dev $(BIN)/python manage.py makemessages \
		--locale vi --locale en --ignore '.venv/*' --ignore 'var/*' --ignore 'bench/*' --no-obsolete

test: install-dev translations ## Lint, unit tests on SQLite and PostgreSQL, browser tests
	bash bin/run-tests

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Figures of the site under load beside same-run ceilings (see bench/README.md);
# BENCH_ARGS=--quick for a short smoke run, BENCH_ARGS=--rebuild to rebuild the datasets.
bench: translations ## Build the bench datasets, measure, write bench/RESULTS.md
	bash bin/ensure-bench-tools
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# The province on PostgreSQL, two app nodes behind Varnish, with faults (bench/README.md,
# "The cluster bench"); writes var/bench/RESULTS-cluster.md. BENCH_ARGS=--quick: small
# province, 2 s per figure; BENCH_ARGS="--scale full" builds the province if missing.
bench-cluster: translations ## The province on PostgreSQL behind Varnish, with faults
	bash bin/ensure-bench-tools
	$(BIN)/python bench/cluster.py $(BENCH_ARGS)

screenshots: install-dev translations ## Admin screens in Vietnamese at 1366x900 and 360x640 into var/screenshots/png/
	bash bin/ensure-chromium
	$(BIN)/python bin/screenshots.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
