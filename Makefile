# SurveyPlace: `make demo` serves the platform with demo data; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
LOCK := requirements/test.txt
STAMP := $(VENV)/.installed-$(shell sha1sum $(LOCK) | cut -c1-12)

.PHONY: demo test venv lock upgrade audit messages lint

venv: $(STAMP)

# The environment is made from the lock and nothing else: exact versions, every file checked against its hash, wheels
# only (so no build step fetches an unpinned setuptools). When the lock changes the environment is made anew, so a
# package dropped from the lock does not linger. The stamp's name carries the lock's hash.
$(STAMP): $(LOCK)
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes --only-binary :all: -r $(LOCK)
	touch $@

# Regenerate requirements/*.txt after editing the ranges in pyproject.toml; versions already locked stay when allowed.
lock: venv
	$(PY) scripts/lockfile.py lock

# Move every package to the newest release the ranges allow, install it, and run the suite on it.
upgrade: venv
	$(PY) scripts/lockfile.py lock --upgrade
	$(MAKE) test

# Check every locked version against PyPI's advisory database (needs pypi.org's JSON API). --strict fails when a
# package could not be looked up, so an unreachable database never passes for a clean audit.
audit: venv
	$(VENV)/bin/pip-audit --strict --disable-pip --require-hashes --progress-spinner off -r $(LOCK)

# `make demo PORT=8123` serves elsewhere; the links in the demo's emails follow the port (SITE_URL).
PORT ?= 8000
DEMO_ENV := DJANGO_SETTINGS_MODULE=config.settings.local SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)}

demo: venv
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py load_demo
	@echo "Serving http://127.0.0.1:$(PORT)  (Ctrl+C to stop)"
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: venv
	$(PY) -m pytest $(PYTEST_ARGS)

# Regenerate the translation catalogue after changing strings, then compile it (needs gettext).
messages: venv
	$(PY) manage.py makemessages --locale zh_Hant --ignore '.venv/*' --ignore 'bench/*' --no-obsolete
	$(PY) manage.py compilemessages --locale zh_Hant --ignore '.venv/*'

lint: venv
	$(VENV)/bin/ruff check .
