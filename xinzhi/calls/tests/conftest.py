"""Fixtures of the call engine tests: calls in a given stage, applications, reviewers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from xinzhi.calls import services
from xinzhi.calls.choices import Stage
from xinzhi.calls.models import Application, Call
from xinzhi.calls.services import CategorySpec


def set_stage(call: Call, stage: str, **fields) -> Call:
    Call.objects.filter(pk=call.pk).update(stage=stage, **fields)
    call.refresh_from_db()
    return call


@pytest.fixture
def make_call(users):
    def make(
        kind="certification",
        *,
        stage=Stage.SUBMISSION,
        categories=None,
        days_left=10,
        reviewers=3,
        aggregation="mean",
        name=None,
        stages=None,
    ):
        now = timezone.now()
        call = services.call_create(
            actor=users["admin"],
            data={
                "name": name
                or (
                    "2024年度区科技项目认定"
                    if kind == "certification"
                    else "2024年度科普和学术项目"
                ),
                "kind": kind,
                "year": 2024,
                "opens_at": now - dt.timedelta(days=30),
                "closes_at": now + dt.timedelta(days=days_left),
                "reviewers_per_application": reviewers,
                "aggregation": aggregation,
                "certificate_prefix": "WJRD2024-" if kind == "certification" else "",
            },
            categories=categories or [CategorySpec("区科技项目认定")],
            stages=stages,
        )
        return set_stage(call, stage)

    return make


@pytest.fixture
def cert_call(make_call):
    return make_call()


@pytest.fixture
def science_call(make_call):
    return make_call(
        "science_academic",
        categories=[
            CategorySpec("科普阵地建设项目", Decimal(50000), ["venue", "venue_area"]),
            CategorySpec("科学普及活动开展", Decimal(30000), ["audience", "activity_date"]),
            CategorySpec("学术交流活动", Decimal(20000), ["organiser"]),
            CategorySpec("软科学课题研究", Decimal(3000), ["topic", "municipal_no"]),
        ],
    )


@pytest.fixture
def make_application(users):
    def make(call, enterprise, *, actor=None, submit=True, title=None, field="", **data):
        application = services.application_create(
            actor=actor or users["admin"],
            call=call,
            category=call.categories.first(),
            enterprise=enterprise,
            data={"title": title or f"{enterprise.name}项目", "field": field, **data},
        )
        if submit:
            application = services.application_submit(
                actor=actor or users["admin"], application=application
            )
        return application

    return make


@pytest.fixture
def reviewers(db):
    from xinzhi.accounts.services import user_create

    def make(username, employer, expertise):
        return user_create(
            username=username,
            password="xinzhi-test-pass",
            role="reviewer",
            full_name=username.upper(),
            employer=employer,
            expertise=expertise,
        )

    return {
        "r1": make("r1", "常州大学", "新能源、先进制造"),
        "r2": make("r2", "河海大学常州校区", "先进制造"),
        "r3": make("r3", "江苏理工学院", "新能源"),
        "r4": make("r4", "常州工学院", "生物医药"),
    }


def scored(call: Call, application: Application, reviewer, marks: list[int], **kwargs):
    """Assign `reviewer` (if needed) and submit `marks` in rubric order."""
    from xinzhi.calls.models import Assignment

    assignment = (
        Assignment.objects.unscoped().filter(application=application, reviewer=reviewer).first()
    )
    if assignment is None:
        admin = type(reviewer).objects.get(username="admin")
        assignment = services.assignment_create(
            actor=admin, application=application, reviewer=reviewer
        )
    criteria = list(call.criteria.all())
    return services.score_submit(
        actor=reviewer,
        assignment=assignment,
        items={c.pk: Decimal(m) for c, m in zip(criteria, marks, strict=True)},
        **kwargs,
    )
