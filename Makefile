# 新质 Xinzhi — two commands: `make demo` and `make test`.
SHELL := /bin/sh
PORT ?= 8000
PYTHON := $(shell scripts/find-python)
UV := var/tools/bin/uv
VENV := .venv
RUN := $(VENV)/bin
export DJANGO_SETTINGS_MODULE ?= config.settings.base

.PHONY: demo test install serve lint bench clean

$(UV):
	@test -n "$(PYTHON)" || (echo "Python >= 3.12 not found" >&2; exit 1)
	$(PYTHON) -m venv var/tools
	var/tools/bin/pip install -q "uv==0.13.9"

install: $(UV)
	$(UV) sync --frozen --python $(PYTHON) --quiet

demo: install
	$(RUN)/python manage.py migrate --noinput -v0
	$(RUN)/python manage.py seed_demo
	@# gunicorn prints the address and the logins once it is listening (config/gunicorn.py);
	@# the task worker (imports, large exports, re-evaluation) runs beside it and stops with it.
	XINZHI_BIND=127.0.0.1:$(PORT) XINZHI_WORKERS=2 XINZHI_DEMO_BANNER=true \
		$(RUN)/python scripts/together \
		$(RUN)/gunicorn -c config/gunicorn.py config.wsgi:application -- \
		$(RUN)/python manage.py db_worker --no-reload --interval 1 --verbosity 0

test: install
	scripts/ensure-chromium
	$(RUN)/ruff check .
	$(RUN)/ruff format --check .
	$(RUN)/lint-imports
	DJANGO_SETTINGS_MODULE=config.settings.test $(RUN)/pytest
	@if [ -n "$$XINZHI_TEST_POSTGRES_URL" ]; then \
		echo "== PostgreSQL pass =="; \
		DATABASE_URL="$$XINZHI_TEST_POSTGRES_URL" DJANGO_SETTINGS_MODULE=config.settings.test \
			$(RUN)/pytest -m "not browser"; \
	else \
		echo "== PostgreSQL pass skipped: XINZHI_TEST_POSTGRES_URL is not set (.ci/run sets it) =="; \
	fi

bench: install
	$(RUN)/python bench/run_all.py

clean:
	rm -rf var/xinzhi.sqlite3* var/static var/test-artifacts
