"""Bounded schemathesis run against the API: no answer may be a 5xx or stray from the schema.

The data is the demo (one load per module, rolled back at the end); every generated request runs
in a savepoint that is rolled back, so examples do not depend on each other and the run is
deterministic (derandomised Hypothesis, fixed example counts). Run it longer with
`XINZHI_FUZZ_EXAMPLES=500 .venv/bin/pytest xinzhi/api/tests/test_fuzz.py` (docs/operations.md).
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.db import transaction
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


@pytest.fixture(scope="module")
def fuzz_world(django_db_setup, django_db_blocker):
    """The demo data with an API token per role; ids by parameter name to aim requests at."""
    from django.test import Client

    from xinzhi.accounts.models import Jurisdiction, User
    from xinzhi.accounts.services import api_token_create
    from xinzhi.attraction.models import Lead, Stage
    from xinzhi.calls.models import Application, Assignment, Call
    from xinzhi.cultivation.choices import LADDER_FAMILIES
    from xinzhi.demo.services import demo_load
    from xinzhi.enterprises.models import Enterprise

    with django_db_blocker.unblock(), transaction.atomic():
        demo_load(synthetic=10)
        tokens = {
            role: api_token_create(user=User.objects.get(username=role), name="fuzz")[1]
            for role in ROLES
        }
        ids = {
            "enterprise_id": list(Enterprise.objects.unscoped().values_list("pk", flat=True)),
            "lead_id": list(_all(Lead).values_list("pk", flat=True)),
            "call_id": list(_all(Call).values_list("pk", flat=True)),
            "application_id": list(Application.objects.unscoped().values_list("pk", flat=True)),
            "assignment_id": list(_all(Assignment).values_list("pk", flat=True)),
            "jurisdiction": list(_all(Jurisdiction).values_list("pk", flat=True)),
            "officer": list(_all(User).values_list("pk", flat=True)),
            "stage": list(_all(Stage).values_list("pk", flat=True)),
            "family": list(LADDER_FAMILIES),
        }
        document = Client().get("/api/openapi.json", HTTP_AUTHORIZATION=f"Bearer {tokens['admin']}")
        assert document.status_code == 200
        schema = schemathesis.openapi.from_dict(document.json())
        yield {"tokens": tokens, "ids": ids, "schema": schema, "app": get_wsgi_application()}
        transaction.set_rollback(True)


def _all(model):
    manager = model.objects
    return manager.unscoped() if hasattr(manager, "unscoped") else manager.all()


def _aim(case, ids: dict[str, list], data: st.DataObject) -> None:
    """Point most id-like parameters at rows that exist, so requests get past the 404."""
    for container in (case.path_parameters, case.query, case.body):
        if not isinstance(container, dict):
            continue
        for name in list(container):
            if name in ids and ids[name] and data.draw(st.integers(0, 3)) > 0:
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
        _aim(case, fuzz_world["ids"], data)
        with transaction.atomic():
            response = case.call(app=fuzz_world["app"], headers=headers)
            transaction.set_rollback(True)
        case.validate_response(response, checks=CHECKS, headers=headers)

    run()
