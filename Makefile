# Tadrib — `make help` lists the targets.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
SETTINGS ?= cms.settings.dev
MANAGE := DJANGO_SETTINGS_MODULE=$(SETTINGS) $(PY) manage.py
# Values that only let production settings load for `make check`; never used to serve.
CHECK_ENV := DJANGO_SETTINGS_MODULE=cms.settings.production DJANGO_ALLOWED_HOSTS=tadrib.example.org \
	DJANGO_SECRET_KEY=check-only-$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')

.DEFAULT_GOAL := help
.PHONY: help install translations static db run test lint mypy check messages docker-smoke bench clean

help: ## Show this help
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

# Each step says what it does: the first run installs for a few minutes without other output.
STEP := @printf '\n==> %s\n'

$(VENV)/.installed: requirements.txt requirements-dev.txt constraints.txt
	$(STEP) "Installing the pinned Python packages into $(VENV) (first run: 2 to 4 minutes; later runs skip this)"
	test -x $(PY) || python3 -m venv $(VENV)
	$(VENV)/bin/pip install --disable-pip-version-check -q -r requirements-dev.txt -c constraints.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	$(STEP) "Installing the test tools from npm (axe-core)"
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed ## Create .venv and install the pinned requirements

translations: install ## Compile locale/*.po into .mo (with polib; GNU gettext not needed)
	$(STEP) "Compiling the Arabic and French translations"
	$(MANAGE) compile_translations -v 0

# Hashed, brotli/gzip-compressed copies under staticfiles/, served with a year's cache as in
# production. Redone only when static/ or the installed packages (Wagtail's files) change.
STATIC_SOURCES := $(shell find static $(wildcard */static) -type f 2>/dev/null)
staticfiles/staticfiles.json: $(VENV)/.installed $(STATIC_SOURCES)
	$(STEP) "Collecting, hashing and compressing the static files (about 30 s; later runs skip this)"
	$(MANAGE) collectstatic --noinput -v 0
	touch $@

static: staticfiles/staticfiles.json ## Collect the static files (hashed, compressed) as production does

db: translations ## Migrate the database and put the site structure in place
	$(STEP) "Migrating the database (first run: about a minute) and putting the site in place"
	$(MANAGE) migrate --noinput
	$(MANAGE) setup_site

run: db static ## Set up, load the demo, serve on http://127.0.0.1:$(PORT) with the background worker
	$(STEP) "Loading the demo courses and accounts (first run: about a minute; later runs change nothing)"
	$(MANAGE) seed_demo
	$(STEP) "Serving on http://127.0.0.1:$(PORT)/ with the background worker (Ctrl-C stops both; e-mails are printed here without EMAIL_URL). Sign in as investigator, trainer, manager or admin; password: $${DEMO_PASSWORD:-tadrib-demo-2026}"
	@# Both run in the background of this shell, which stops both when either ends or on
	@# Ctrl-C or SIGTERM (make passes SIGTERM on to it): no process is left behind.
	@trap 'kill -TERM $$worker $$web 2>/dev/null; wait' INT TERM EXIT; \
	DJANGO_SETTINGS_MODULE=$(SETTINGS) $(PY) manage.py tasks_worker & worker=$$!; \
	DJANGO_SETTINGS_MODULE=$(SETTINGS) $(VENV)/bin/gunicorn cms.wsgi:application \
		--bind 127.0.0.1:$(PORT) --workers 2 --access-logfile - --graceful-timeout 5 & web=$$!; \
	wait -n

# Test processes side by side (pytest-xdist), a file's tests kept in one process so that its
# module-wide servers start once; TEST_WORKERS=0 runs everything in this process.
TEST_WORKERS ?= 2
test: translations node_modules/.installed ## Set up and run every test
	$(STEP) "Running the test suite in $(TEST_WORKERS) processes (about 8 minutes; browser tests skip without Chromium)"
	$(VENV)/bin/pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

lint: install mypy ## ruff check, ruff format --check, djhtml --check, mypy
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djhtml --check $$(git ls-files '*.html')

# Type-checked first: the pure rules and the services (writes) of every app.
MYPY_FILES = $(wildcard */scoring.py */progress.py */statistics.py */rules.py */serials.py */services.py */*/services.py)
mypy: install ## mypy (with django-stubs) on the pure rule modules and the services
	$(VENV)/bin/mypy $(MYPY_FILES)

check: translations ## Django checks, migrations in step, check --deploy with production settings
	$(MANAGE) check --fail-level WARNING
	$(MANAGE) makemigrations --check --dry-run
	$(CHECK_ENV) $(PY) manage.py check --deploy --fail-level WARNING

messages: install ## Extract interface strings into locale/ar and locale/fr (needs GNU gettext)
	$(MANAGE) makemessages -l ar -l fr --no-obsolete --ignore='.venv/*' --ignore='node_modules/*' --ignore='staticfiles/*'

bench: translations ## Throughput ratios and page weight, production-like (apt-get install -y wrk chromium)
	$(PY) bench/run.py $(BENCH_ARGS)

docker-smoke: ## Build the image with buildah and prove it migrates and answers /healthz
	bash scripts/docker-smoke.sh

clean: ## Remove the virtualenv, node_modules, compiled catalogues and the local database
	rm -rf $(VENV) node_modules staticfiles db.sqlite3* locale/*/LC_MESSAGES/*.mo
