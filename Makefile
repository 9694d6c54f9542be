# SurveyPlace: `make demo` serves the platform with demo data; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)

.PHONY: demo test venv messages lint

venv: $(STAMP)

# Re-install whenever pyproject.toml changes; the stamp's name carries the file's hash.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

demo: venv
	DJANGO_SETTINGS_MODULE=config.settings.local $(PY) manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=config.settings.local $(PY) manage.py load_demo
	@echo "Serving http://127.0.0.1:8000  (Ctrl+C to stop)"
	DJANGO_SETTINGS_MODULE=config.settings.local $(PY) manage.py runserver 127.0.0.1:8000

test: venv
	$(PY) -m pytest $(PYTEST_ARGS)

# Regenerate the translation catalogue after changing strings, then compile it (needs gettext).
messages: venv
	$(PY) manage.py makemessages --locale zh_Hant --ignore '.venv/*' --ignore 'bench/*' --no-obsolete
	$(PY) manage.py compilemessages --locale zh_Hant --ignore '.venv/*'

lint: venv
	$(VENV)/bin/ruff check .
