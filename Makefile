# Havainto: `make run` serves the product, `make test` runs the whole suite.
# Both install everything first (system packages with apt when run as root).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
APT_RUN := libvoikko1 voikko-fi gettext
APT_TEST := $(APT_RUN) chromium
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-test system system-test compile serve bench bench-search lint messages eval

run: install
	$(BIN)/havainto migrate --noinput
	$(BIN)/havainto demo --if-empty
	@# Sentence embeddings of reports that have none (a minute or two the first time), on two
	@# threads: nothing else runs yet.
	HAVAINTO_EMBED_THREADS=$${HAVAINTO_EMBED_THREADS:-2} $(BIN)/havainto embed
	@# The task worker (search index, embeddings, suggestions, mail) runs beside the server and
	@# stops with it.
	$(BIN)/havainto db_worker & worker=$$!; trap 'kill $$worker' EXIT INT TERM; \
	  $(BIN)/havainto runserver $(HOST):$(PORT)

test: install-test
	$(BIN)/ruff check havainto
	$(BIN)/ruff format --check havainto
	$(BIN)/havainto makemigrations --check --dry-run
	$(BIN)/pytest -q $(PYTEST_ARGS)

install: system $(STAMP) compile

install-test: system-test $(STAMP) compile node_modules/.installed

# Translations are compiled from the committed .po catalogues on every run (fast).
compile: $(STAMP)
	cd havainto && ../$(BIN)/havainto compilemessages -v0

system:
	@bash scripts/apt-install.sh $(APT_RUN)

system-test:
	@bash scripts/apt-install.sh $(APT_TEST)

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch node_modules/.installed

serve: install
	$(BIN)/gunicorn havainto.wsgi --bind $(HOST):$(PORT) --workers 2

bench: install
	$(BIN)/python scripts/bench.py

# Search page and inbox free text against a database that already holds many reports (not a
# test; docs/benchmarks.md says how to make the 1,000,000-report one).
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/hv_bench
bench-search: install
	$(BIN)/python scripts/bench_search.py --database-url $(BENCH_DATABASE_URL)

# Text-intelligence evaluation on ../shared/eval (development data; not needed to run the product).
eval: install
	$(BIN)/python scripts/eval.py

lint: install
	$(BIN)/ruff check havainto
	$(BIN)/ruff format --check havainto

messages: install
	cd havainto && ../$(BIN)/havainto makemessages -l fi -l sv --no-obsolete --add-location file
