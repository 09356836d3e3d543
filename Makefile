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
	@echo ""
	@echo "  新质平台已启动 Xinzhi is running:  http://127.0.0.1:$(PORT)/"
	@echo "  演示账号 demo logins (密码 password: xinzhi-demo)"
	@echo "    admin   区管理员 bureau admin"
	@echo "    gxq     板块专员 武进国家高新区 officer"
	@echo "    xth     板块专员 常州西太湖科技产业园 officer"
	@echo "    expert  评审专家 reviewer"
	@echo "    leader  领导 leader"
	@echo "  API 文档: http://127.0.0.1:$(PORT)/api/docs   按 Ctrl+C 停止"
	@echo ""
	$(RUN)/gunicorn config.wsgi:application --bind 127.0.0.1:$(PORT) --workers 2 --threads 4 \
		--no-control-socket --access-logfile - --log-level warning

test: install
	scripts/ensure-chromium
	$(RUN)/ruff check .
	$(RUN)/pytest
	@if [ -n "$$XINZHI_TEST_POSTGRES_URL" ]; then \
		echo "== PostgreSQL pass =="; \
		DATABASE_URL="$$XINZHI_TEST_POSTGRES_URL" $(RUN)/pytest -m "not browser"; \
	else \
		echo "== PostgreSQL pass skipped: XINZHI_TEST_POSTGRES_URL is not set (.ci/run sets it) =="; \
	fi

bench: install
	$(RUN)/python bench/run_all.py

clean:
	rm -rf var/xinzhi.sqlite3* var/static var/test-artifacts
