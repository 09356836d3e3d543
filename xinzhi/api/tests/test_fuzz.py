"""Bounded schemathesis run against the API: no answer may be a 5xx or stray from the schema.

Every operation in the served OpenAPI document is called with a 板块 officer's and the admin's
API token, on demo data loaded once for the module (rolled back at the end). Each generated
request runs in a savepoint that is rolled back, so examples do not depend on each other, and
Hypothesis is derandomised with a fixed number of examples, so a run is repeatable. Checks: no
5xx, only declared status codes and content types, bodies that match the declared schemas.
Run it longer: `XINZHI_FUZZ_EXAMPLES=500 .venv/bin/pytest xinzhi/api/tests/test_fuzz.py`.
"""

from __future__ import annotations

import os
import time

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, connection, transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from xinzhi.api.api import api

EXAMPLES = int(os.environ.get("XINZHI_FUZZ_EXAMPLES", "25"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
ROLES = ["gxq", "admin"]  # a 板块 officer and the bureau admin
OPERATIONS = [
    (method.upper(), path)
    for path, methods in api.get_openapi_schema(path_prefix="/api/")["paths"].items()
    for method in methods
]


def _load_world() -> None:
    """The demo, with fewer synthetic enterprises and leads than `make demo` (time)."""
    from xinzhi.attraction import demo as attraction_demo
    from xinzhi.calls import demo as calls_demo
    from xinzhi.cultivation import demo as cultivation_demo
    from xinzhi.demo import services as demo

    demo.jurisdictions_load()
    admin = next(u for u in demo.demo_users_create() if u.username == "admin")
    demo.story_enterprises_create(actor=admin)
    demo.generate_enterprises(8, seed=demo.DEMO_SEED)
    cultivation_demo.load_demo(admin=admin, seed=demo.DEMO_SEED)
    attraction_demo.load_demo(admin=admin, seed=demo.DEMO_SEED, synthetic=12)
    calls_demo.load_demo(admin=admin, seed=demo.DEMO_SEED)
    from xinzhi.projects import demo as projects_demo

    projects_demo.load_demo(admin=admin, seed=demo.DEMO_SEED, synthetic=6, funded=4)


def _model(app_label: str, name: str):
    from django.apps import apps

    return apps.get_model(app_label, name)


def _all(model):
    manager = model.objects
    return manager.unscoped() if hasattr(manager, "unscoped") else manager.all()


def _ids(user) -> dict[str, list]:
    """Values to aim parameters at: the user's own rows first, then some of everybody's."""
    from xinzhi.accounts.models import Jurisdiction, User
    from xinzhi.attraction.models import Lead, Stage
    from xinzhi.calls.models import Application, Assignment, Call
    from xinzhi.cultivation.choices import LADDER_FAMILIES
    from xinzhi.enterprises.models import Enterprise

    def pks(model) -> list[int]:
        manager = model.objects
        own = manager.visible_to(user) if hasattr(manager, "visible_to") else manager.all()
        own_pks = list(own.order_by("pk").values_list("pk", flat=True)[:40])
        return own_pks + list(_all(model).order_by("-pk").values_list("pk", flat=True)[:10])

    return {
        "enterprise_id": pks(Enterprise),
        "lead_id": pks(Lead),
        "call_id": pks(Call),
        "application_id": pks(Application),
        "assignment_id": pks(Assignment),
        "jurisdiction": pks(Jurisdiction),
        "officer": pks(User),
        "stage": pks(Stage),
        "family": list(LADDER_FAMILIES),
        "project_id": pks(_model("projects", "KeyProject")),
        "funded_id": pks(_model("projects", "FundedProject")),
        "version": [1, 2],  # what unchanged demo rows hold, so some writes get past the 409
    }


def _sequences() -> list[tuple[str, int | None]]:
    """PostgreSQL's sequences and their positions (a rollback does not move them back)."""
    if connection.vendor != "postgresql":
        return []  # SQLite's AUTOINCREMENT counters roll back with the transaction
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT format('%I.%I', schemaname, sequencename), last_value FROM pg_sequences"
        )
        return cursor.fetchall()


def _restore(sequences: list[tuple[str, int | None]]) -> None:
    """Put the sequences back, so later tests see the ids they would have without this module."""
    with connection.cursor() as cursor:
        for name, last_value in sequences:
            if last_value is None:
                cursor.execute("SELECT setval(%s, 1, false)", [name])
            else:
                cursor.execute("SELECT setval(%s, %s, true)", [name, last_value])


@pytest.fixture(scope="module")
def fuzz_world(django_db_setup, django_db_blocker):
    """The demo data, an API token per role, and per role the values to aim parameters at."""
    from xinzhi.accounts.models import User
    from xinzhi.accounts.services import api_token_create

    # As Django's test client does: the WSGI handler must not close the connection after a
    # request, or PostgreSQL loses the transaction the data lives in.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    with django_db_blocker.unblock():
        sequences = _sequences()
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            started = time.monotonic()
            _load_world()
            print(f"fuzz data loaded in {time.monotonic() - started:.1f}s")
            users = {role: User.objects.get(username=role) for role in ROLES}
            tokens = {
                role: api_token_create(user=user, name="fuzz")[1] for role, user in users.items()
            }
            ids = {role: _ids(user) for role, user in users.items()}
            app = get_wsgi_application()
            # The document as served, so what is fuzzed is what clients read.
            schema = schemathesis.openapi.from_wsgi(
                "/api/openapi.json", app, headers={"Authorization": f"Bearer {tokens['admin']}"}
            )
            yield {"tokens": tokens, "ids": ids, "schema": schema, "app": app}
            transaction.set_rollback(True)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        with django_db_blocker.unblock():
            _restore(sequences)


def _aim(case, ids: dict[str, list], data: st.DataObject) -> None:
    """Point most id-like parameters at rows that exist, so requests get past the 404."""
    for container in (case.path_parameters, case.query, case.body):
        if not isinstance(container, dict):
            continue
        for name in list(container):
            if name in ids and data.draw(st.integers(0, 3)) > 0:
                container[name] = data.draw(st.sampled_from(ids[name]))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_api_fuzz(fuzz_world, db, role, method, path):
    operation = fuzz_world["schema"][path][method]
    headers = {"Authorization": f"Bearer {fuzz_world['tokens'][role]}"}
    strategy = st.one_of(
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    )

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy, data=st.data())
    def run(case, data):
        _aim(case, fuzz_world["ids"][role], data)
        with transaction.atomic():
            response = case.call(app=fuzz_world["app"], headers=headers)
            transaction.set_rollback(True)  # also recovers PostgreSQL after a failed statement
        case.validate_response(response, checks=CHECKS, headers=headers)

    run()
