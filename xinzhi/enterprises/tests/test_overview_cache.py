"""The home page's counts come from a cache that equals the live counts for every viewer and
is invalidated by each service that changes them."""

import datetime as dt

import pytest
from django.db import transaction

from xinzhi.core import aggregates
from xinzhi.enterprises import services
from xinzhi.enterprises.models import TitleHeld
from xinzhi.enterprises.selectors import _home_overview_live, home_overview

ROLES = ("admin", "leader", "gxq", "xth", "htz")


def _counts(overview: dict) -> tuple[int, dict[str, int]]:
    return overview["enterprise_count"], {label: n for label, n in overview["ladder"] if n}


@pytest.fixture
def district(make_enterprise):
    """高新区: 3 firms (2 高企, one expired); 西太湖: 1 科技型中小企业; 湖塘科技产业园: 1 高企."""
    firms = {
        "g1": make_enterprise("常州高新一号科技有限公司", "gxq"),
        "g2": make_enterprise("常州高新二号科技有限公司", "gxq"),
        "g3": make_enterprise("常州高新三号科技有限公司", "gxq"),
        "x1": make_enterprise("常州西太湖一号科技有限公司", "xth"),
        "h1": make_enterprise("常州湖塘一号科技有限公司", "htkjy"),
    }
    later, earlier = dt.date(2099, 1, 1), dt.date(2001, 1, 1)
    for key, title, until in [
        ("g1", "hnte", later),
        ("g1", "hnte", earlier),  # an older certificate: counted once by enterprise
        ("g2", "hnte", None),
        ("g3", "hnte", earlier),  # expired
        ("x1", "tech_sme", later),
        ("h1", "hnte", later),
    ]:
        TitleHeld.objects.unscoped().create(enterprise=firms[key], title=title, valid_until=until)
    return firms


EXPECTED = {
    "admin": (5, {"高新技术企业": 3, "科技型中小企业": 1}),
    "leader": (5, {"高新技术企业": 3, "科技型中小企业": 1}),
    "gxq": (3, {"高新技术企业": 2}),
    "xth": (1, {"科技型中小企业": 1}),
    "htz": (1, {"高新技术企业": 1}),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_cached_counts_equal_live_counts_for_every_role(users, district, role):
    user = users[role]
    first = home_overview(user)
    second = home_overview(user)
    assert _counts(first) == _counts(second) == _counts(_home_overview_live(user))
    assert _counts(first) == EXPECTED[role]


@pytest.mark.django_db
def test_counts_are_cached_and_each_scope_has_its_own(users, district, django_assert_num_queries):
    home_overview(users["gxq"])
    with django_assert_num_queries(1):  # the topic versions only
        assert _counts(home_overview(users["gxq"])) == EXPECTED["gxq"]
    # A write that bypasses the services is not seen until the cache expires ...
    TitleHeld.objects.unscoped().create(enterprise=district["g3"], title="hnte")
    assert _counts(home_overview(users["gxq"])) == EXPECTED["gxq"]
    # ... and another jurisdiction's viewer never gets 高新区's cached counts.
    assert _counts(home_overview(users["xth"])) == EXPECTED["xth"]


@pytest.mark.django_db
def test_title_add_invalidates(users, district, django_capture_on_commit_callbacks):
    assert _counts(home_overview(users["gxq"])) == EXPECTED["gxq"]
    assert _counts(home_overview(users["admin"])) == EXPECTED["admin"]
    with django_capture_on_commit_callbacks(execute=True):
        services.title_add(
            actor=users["gxq"],
            enterprise=district["g3"],
            data={"title": "hnte", "valid_until": dt.date(2099, 1, 1)},
        )
    assert _counts(home_overview(users["gxq"])) == (3, {"高新技术企业": 3})
    assert _counts(home_overview(users["admin"])) == (5, {"高新技术企业": 4, "科技型中小企业": 1})
    assert _counts(home_overview(users["xth"])) == EXPECTED["xth"]


@pytest.mark.django_db
def test_enterprise_create_invalidates(
    users, jurisdictions, district, django_capture_on_commit_callbacks
):
    from conftest import make_credit_code

    assert _counts(home_overview(users["xth"])) == EXPECTED["xth"]
    with django_capture_on_commit_callbacks(execute=True):
        services.enterprise_create(
            actor=users["xth"],
            data={
                "credit_code": make_credit_code(),
                "name": "常州西太湖二号科技有限公司",
                "jurisdiction": jurisdictions["xth"],
            },
        )
    assert _counts(home_overview(users["xth"])) == (2, {"科技型中小企业": 1})
    assert _counts(home_overview(users["leader"]))[0] == 6


@pytest.mark.django_db
def test_moving_an_enterprise_moves_its_counts(
    users, jurisdictions, district, django_capture_on_commit_callbacks
):
    assert _counts(home_overview(users["gxq"])) == EXPECTED["gxq"]
    assert _counts(home_overview(users["xth"])) == EXPECTED["xth"]
    with django_capture_on_commit_callbacks(execute=True):
        services.enterprise_update(
            actor=users["admin"],
            enterprise=district["g1"],
            expected_version=district["g1"].version,
            data={"jurisdiction": jurisdictions["xth"]},
        )
    assert _counts(home_overview(users["gxq"])) == (2, {"高新技术企业": 1})
    assert _counts(home_overview(users["xth"])) == (2, {"高新技术企业": 1, "科技型中小企业": 1})


@pytest.mark.django_db
def test_an_update_that_moves_nothing_keeps_the_cache(
    users, district, django_capture_on_commit_callbacks
):
    # Its verdicts are re-evaluated (that topic moves); what the home page counts does not.
    home_topics = [aggregates.ENTERPRISES, aggregates.TITLES, aggregates.TRACKS]
    before = aggregates.versions(home_topics)
    with django_capture_on_commit_callbacks(execute=True):
        services.enterprise_update(
            actor=users["gxq"],
            enterprise=district["g1"],
            expected_version=district["g1"].version,
            data={"industry": "电子"},
        )
    assert aggregates.versions(home_topics) == before


@pytest.mark.django_db
def test_a_rolled_back_change_bumps_nothing(users, district, django_capture_on_commit_callbacks):
    before = aggregates.versions([aggregates.TITLES])
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.title_add(actor=users["gxq"], enterprise=district["g3"], data={"title": "hnte"})
        raise RuntimeError
    assert callbacks == []
    assert aggregates.versions([aggregates.TITLES]) == before


@pytest.mark.django_db
def test_home_page_shows_the_counts(users, district, login):
    response = login(users["gxq"]).get("/")
    assert response.status_code == 200
    assert response.context["overview"]["enterprise_count"] == 3
    assert dict(response.context["overview"]["ladder"])["高新技术企业"] == 2
