# Recours: `make demo` to try it, `make test` to check it. Nothing else is needed.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8000
DEMO_ENV := RECOURS_MODE=demo DEBUG=1 PORT=$(PORT)

.PHONY: demo test bench install check lint format messages clean

$(STAMP): requirements/dev.lock
	bash scripts/install-system-packages fonts
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements/dev.lock
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(DEMO_ENV) $(PY) manage.py migrate --no-input
	$(DEMO_ENV) $(PY) manage.py seed_demo
	$(DEMO_ENV) $(PY) manage.py seed_observatory_demo
	$(DEMO_ENV) $(PY) manage.py seed_console_demo
	@echo "Recours demo: http://127.0.0.1:$(PORT)/technopolice/  (mails are written under var/mail/)"
	$(DEMO_ENV) $(PY) manage.py serve_demo 127.0.0.1:$(PORT)

test: $(STAMP)
	$(PY) -m pytest -n 2 --dist loadgroup --cov --cov-report=term $(PYTEST_ARGS)

# Benchmarks print their tables and keep JSON under var/bench/ (never part of `make test`).
bench: $(STAMP)
	bash scripts/install-system-packages
	$(PY) bench/load.py
	$(PY) bench/dossier.py
	$(PY) bench/observatory.py
	$(PY) bench/at_rest.py
	$(PY) bench/transparency.py
	$(PY) bench/verify_load.py
	$(PY) bench/console.py
	$(PY) bench/mail.py

# What CI checks besides the tests.
check: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(DEMO_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(DEMO_ENV) $(PY) manage.py compilemessages --ignore=.venv
	git diff --exit-code -- recours/locale

lint: $(STAMP)
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

# Refresh the French and English catalogues from the code and templates.
messages: $(STAMP)
	cd recours && DEBUG=1 ../$(PY) ../manage.py makemessages -l en -l fr --no-obsolete --no-location
	$(DEMO_ENV) $(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var .pytest_cache test-artifacts
