"""Cross-app fixtures: two sibling jurisdictions, one user per role, enterprises in each."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import random
from decimal import Decimal

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API + live_server

_codes = itertools.count(1)


@pytest.fixture(autouse=True)
def _clear_cache():
    """Primary keys are reused between tests, so cached subtrees must not outlive a test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def jurisdictions(db):
    """武进区 → 高新区, 西太湖, 湖塘镇 → 湖塘科技产业园."""
    from xinzhi.accounts.models import Jurisdiction

    district = Jurisdiction.objects.create(code="wujin", name="常州市武进区", kind="district")
    gxq = Jurisdiction.objects.create(
        code="wjhtz",
        name="武进国家高新技术产业开发区",
        short_name="武进国家高新区",
        kind="park",
        parent=district,
    )
    xth = Jurisdiction.objects.create(
        code="xth", name="常州西太湖科技产业园", kind="park", parent=district
    )
    htz = Jurisdiction.objects.create(code="htz", name="湖塘镇", kind="town", parent=district)
    htkjy = Jurisdiction.objects.create(
        code="htkjy", name="湖塘科技产业园", kind="park", parent=htz
    )
    return {"district": district, "gxq": gxq, "xth": xth, "htz": htz, "htkjy": htkjy}


@pytest.fixture
def users(jurisdictions):
    from xinzhi.accounts.services import user_create

    def make(username, role, jurisdiction=None):
        return user_create(
            username=username,
            password="xinzhi-test-pass",
            role=role,
            full_name=username.upper(),
            jurisdiction=jurisdiction,
        )

    return {
        "admin": make("admin", "admin"),
        "gxq": make("gxq", "officer", jurisdictions["gxq"]),
        "xth": make("xth", "officer", jurisdictions["xth"]),
        "htz": make("htz", "officer", jurisdictions["htz"]),
        "leader": make("leader", "leader"),
        "expert": make("expert", "reviewer"),
    }


def make_credit_code() -> str:
    from xinzhi.enterprises.uscc import make_credit_code as make

    return make(random.Random(next(_codes)))


@pytest.fixture
def make_enterprise(jurisdictions):
    from xinzhi.enterprises.models import AnnualFigures, Enterprise

    def make(name, jurisdiction="gxq", revenue=None, year=2025, **fields):
        enterprise = Enterprise.objects.unscoped().create(
            credit_code=make_credit_code(),
            name=name,
            jurisdiction=jurisdictions[jurisdiction],
            registered_on=fields.pop("registered_on", dt.date(2018, 5, 1)),
            **fields,
        )
        if revenue is not None:
            AnnualFigures.objects.unscoped().create(
                enterprise=enterprise,
                year=year,
                employees=100,
                tech_staff=20,
                revenue=Decimal(revenue),
                rd_expense=Decimal(revenue) / 20,
            )
        return enterprise

    return make


@pytest.fixture
def login(client):
    def do(user):
        client.force_login(user)
        return client

    return do


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def artifacts_dir():
    path = os.path.join(os.path.dirname(__file__), "var", "test-artifacts")
    os.makedirs(path, exist_ok=True)
    return path
