"""The ladder dashboard's counts come from a cache that equals the live counts for every viewer
and is invalidated by each service that changes them."""

import datetime as dt

import pytest
from django.utils import timezone

from xinzhi.cultivation.models import Evaluation
from xinzhi.cultivation.selectors import expiring_titles, funnel, ladder_overview
from xinzhi.cultivation.services import evaluations_refresh, track_move
from xinzhi.enterprises.models import Enterprise
from xinzhi.enterprises.services import title_add

ROLES = ("admin", "leader", "gxq", "xth", "htz")

pytestmark = pytest.mark.django_db


def _live(user) -> dict:
    return {"funnel": funnel(user=user), "expiring_count": expiring_titles(user=user).count()}


def _row(overview: dict, family: str) -> dict:
    return next(row for row in overview["funnel"]["rows"] if row["family"] == family)


@pytest.fixture
def ladder(qualified, users, django_capture_on_commit_callbacks):
    """Two qualified firms in 高新区, one in 西太湖; 高新区's first is being nurtured for 高企."""
    firms = [qualified("常州梯队一号科技有限公司"), qualified("常州梯队二号科技有限公司")]
    firms.append(qualified("常州梯队三号科技有限公司", jurisdiction="xth"))
    evaluations_refresh(Enterprise.objects.unscoped())
    with django_capture_on_commit_callbacks(execute=True):
        track_move(actor=users["gxq"], enterprise=firms[0], family="hnte", to_stage="nurture")
    return firms


@pytest.mark.parametrize("role", ROLES)
def test_cached_counts_equal_live_counts_for_every_role(users, ladder, role):
    user = users[role]
    assert ladder_overview(user=user) == ladder_overview(user=user) == _live(user)
    nurtured = {"admin": 1, "leader": 1, "gxq": 1, "xth": 0, "htz": 0}[role]
    assert _row(ladder_overview(user=user), "hnte")["stages"][1] == nurtured


def test_track_move_invalidates(users, ladder, django_capture_on_commit_callbacks):
    assert _row(ladder_overview(user=users["gxq"]), "hnte")["stages"][:3] == [0, 1, 0]
    with django_capture_on_commit_callbacks(execute=True):
        track_move(actor=users["gxq"], enterprise=ladder[1], family="hnte", to_stage="apply")
    assert _row(ladder_overview(user=users["gxq"]), "hnte")["stages"][:3] == [0, 1, 1]
    assert _row(ladder_overview(user=users["xth"]), "hnte")["stages"][:3] == [0, 0, 0]
    assert ladder_overview(user=users["gxq"]) == _live(users["gxq"])


def test_evaluations_refresh_invalidates(users, ladder, django_capture_on_commit_callbacks):
    before = _row(ladder_overview(user=users["admin"]), "tech_sme")["candidates"]
    assert before == 3
    # The first firm's verdicts vanish behind the services' back: the cache still says 3 ...
    Evaluation.objects.unscoped().filter(enterprise=ladder[0]).delete()
    assert _row(ladder_overview(user=users["admin"]), "tech_sme")["candidates"] == 3
    # ... until a refresh (of another firm) stores verdicts and bumps the version.
    with django_capture_on_commit_callbacks(execute=True):
        evaluations_refresh(Enterprise.objects.unscoped().filter(pk=ladder[1].pk))
    assert _row(ladder_overview(user=users["admin"]), "tech_sme")["candidates"] == 2
    assert ladder_overview(user=users["admin"]) == _live(users["admin"])


def test_title_add_invalidates_the_expiring_count(
    users, ladder, django_capture_on_commit_callbacks
):
    assert ladder_overview(user=users["gxq"])["expiring_count"] == 0
    soon = timezone.localdate() + dt.timedelta(days=30)
    with django_capture_on_commit_callbacks(execute=True):
        title_add(
            actor=users["gxq"],
            enterprise=ladder[1],
            data={"title": "hnte", "valid_until": soon},
        )
    assert ladder_overview(user=users["gxq"])["expiring_count"] == 1
    assert ladder_overview(user=users["xth"])["expiring_count"] == 0


def test_dashboard_page_shows_the_counts(users, ladder, login):
    response = login(users["gxq"]).get("/cultivation/")
    assert response.status_code == 200
    assert _row(response.context, "hnte")["stages"][1] == 1
