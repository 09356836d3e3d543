"""An enterprise user reaches nothing of another enterprise, on every page and API operation.

The permission table (core/tests/test_permission_table.py) asks every endpoint as the world's
own enterprise user (`firm`). Here a second enterprise user, of another enterprise in the
*same* 板块 (so jurisdiction scope cannot be what hides the rows), asks the same endpoints with
the same objects: where `firm` is let in to its own enterprise's object, `firm2` gets 404; where
a list answers 200 it must not mention the world's enterprise; where `firm` is refused by role
(403) `firm2` is refused too (403, or 404 when the scope answers first); everywhere else the
answer is `firm`'s. A new page or endpoint joins automatically.
"""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from xinzhi.core.tests.test_permission_table import (  # noqa: F401 - `world` is a fixture
    API,
    BODIES,
    PAGES,
    _kwargs,
    _operations,
    _pages,
    _row,
    api_url,
    world,
)

# Endpoints where the world's own enterprise user gets in (its own object) and another
# enterprise's user must get 404.
OWN_OBJECT_PAGES = {
    "calls:application",
    "chains:enterprise_panel",
    "finance:enterprise_panel",
    "calls:application_edit",
    "calls:attachment",
    "cultivation:health_card",
    "cultivation:what_if",
    "enterprises:detail",
    "portal:declaration",
    "portal:enterprise_accounts",
}
OWN_OBJECT_API = {
    "GET /api/calls/applications/{application_id}",
    "GET /api/cultivation/enterprises/{enterprise_id}/evaluation",
    "GET /api/enterprises/{enterprise_id}",
    "GET /api/portal/declarations/{declaration_id}",
}
# Where `firm` reaches a write on its own object and gets a business refusal (400) or a
# redirect back to its object, `firm2` does not reach the object at all.
OTHER = {
    "cultivation:move": 404,
    "POST /api/calls/applications/{application_id}/submit": 404,
    "POST /api/calls/applications/{application_id}/withdraw": 404,
}
SECRET = "甲科技有限公司"  # the world's enterprise


@pytest.fixture
def firm2(world, make_enterprise):  # noqa: F811 - the imported fixture
    from xinzhi.accounts.services import user_create

    other = make_enterprise("乙光电有限公司", "gxq", revenue=3000)
    return user_create(
        username="firm2", password="xinzhi-test-pass", role="enterprise", enterprise_id=other.pk
    )


def _expected(key: str, firm_code: int, own: set[str]) -> set[int]:
    if key in OTHER:
        return {OTHER[key]}
    if key in own:
        return {404}
    if firm_code == 403:
        # A role refusal for `firm`; for `firm2` the object is also out of scope, which may
        # answer first (404). Either way nothing is shown or changed.
        return {403, 404}
    return {firm_code}


@pytest.mark.parametrize("name,route", _pages())
def test_page_as_another_enterprise(client, world, firm2, name, route):  # noqa: F811
    _, ids = world
    url = reverse(name, kwargs=_kwargs(name, route, ids))
    client.force_login(firm2)
    response = client.get(url)
    firm_code = _row(PAGES[name])["firm"]
    assert response.status_code in _expected(name, firm_code, OWN_OBJECT_PAGES), url
    public = _row(PAGES[name])["anon"] == 200  # e.g. the 公示 page: public by design
    if response.status_code == 200 and not public:
        assert SECRET not in response.content.decode(), url


@pytest.mark.parametrize("method,path", _operations())
def test_api_as_another_enterprise(client, world, firm2, method, path):  # noqa: F811
    _, ids = world
    url = api_url(path, ids)
    key = f"{method} {path}"
    body = json.dumps(BODIES[key](ids)) if key in BODIES else "{}"
    client.force_login(firm2)
    if method == "GET":
        response = client.get(url)
    else:
        response = client.generic(method, url, body, content_type="application/json")
    firm_code = _row(API[key])["firm"]
    assert response.status_code in _expected(key, firm_code, OWN_OBJECT_API), url
    if response.status_code == 200:
        assert SECRET not in response.content.decode(), url
