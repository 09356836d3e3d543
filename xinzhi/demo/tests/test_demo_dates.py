"""The demo's dates that matter are relative to the day it is loaded (not frozen in one year)."""

import datetime as dt

import pytest
from django.utils import timezone

from xinzhi.accounts.models import User
from xinzhi.attraction.filters import stale_q
from xinzhi.attraction.models import Lead
from xinzhi.calls.models import Application, Assignment, Call
from xinzhi.demo.services import demo_load
from xinzhi.enterprises.models import Enterprise, TitleHeld


def _local(moment: dt.datetime) -> dt.date:
    return timezone.localdate(moment)


@pytest.mark.parametrize("today", [dt.date(2025, 9, 15), dt.date(2026, 3, 2)])
def test_dates_that_matter_follow_the_load_day(db, today):
    demo_load(synthetic=60, today=today)

    # One call open for applications, closing 30 days after the load day.
    open_calls = Call.objects.filter(is_demo=True, stage="submission")
    assert [c.name for c in open_calls] == [f"{today.year}年度科普和学术项目"]
    call = open_calls.get()
    assert _local(call.opens_at) == today - dt.timedelta(days=10)
    assert _local(call.closes_at) == today + dt.timedelta(days=30)
    assert Application.objects.unscoped().filter(call=call, status="submitted").count() == 43
    assert Application.objects.unscoped().filter(call=call, status="draft").count() == 5

    # Reviews in progress: the second batch closed five weeks ago and is in 专家评审.
    second = Call.objects.get(is_demo=True, name__endswith="区科技项目认定（第二批）")
    assert second.stage == "expert_review"
    assert _local(second.closes_at) == today - dt.timedelta(days=35)
    open_reviews = Assignment.objects.unscoped().filter(
        application__call=second, current_score__isnull=True
    )
    assert open_reviews.count() == 18
    assert open_reviews.filter(reviewer__username="expert").count() == 3

    # Results published recently: the first batch, 12 days before the load day.
    first = Call.objects.get(is_demo=True, name__endswith="区科技项目认定（第一批）")
    assert _local(first.results_published_at) == today - dt.timedelta(days=12)
    assert Application.objects.unscoped().filter(call=first, status="approved").count() == 57

    # Follow-ups of active 招商 projects: overdue and due within the coming week.
    active = Lead.objects.unscoped().filter(is_demo=True, status="active")
    assert active.filter(next_follow_up_on__lt=today).count() == 99
    week = (today, today + dt.timedelta(days=7))
    assert active.filter(next_follow_up_on__range=week).count() == 26
    # Stale leads: idle longer than their stage allows.
    assert active.filter(stale_q(today)).count() == 67

    # Titles expiring within 90 days (高企 certificates among them), e.g. 奕威's in 60 days.
    soon = TitleHeld.objects.unscoped().filter(
        valid_until__gt=today, valid_until__lte=today + dt.timedelta(days=90)
    )
    assert soon.count() == 9
    assert soon.filter(title="hnte").count() == 5
    yiwei = Enterprise.objects.unscoped().get(name="奕威汽车电子科技（常州）有限公司")
    assert TitleHeld.objects.unscoped().get(enterprise=yiwei, title="hnte").valid_until == (
        today + dt.timedelta(days=60)
    )
    # The seeds' historical facts stay as they are.
    youci = Enterprise.objects.unscoped().get(name="常州优磁科技有限公司")
    titles = dict(
        TitleHeld.objects.unscoped().filter(enterprise=youci).values_list("title", "valid_from")
    )
    assert titles["talent"] == dt.date(2021, 9, 1)
    assert titles["seed_unicorn"] == dt.date(2023, 12, 1)


def test_an_officer_can_apply_to_the_open_call_on_the_load_day(db):
    from xinzhi.calls import services

    demo_load(synthetic=60)  # loaded today, as `seed_demo` does
    call = Call.objects.get(is_demo=True, stage="submission")
    assert _local(call.closes_at) > timezone.localdate()
    officer = User.objects.get(username="gxq")
    enterprise = (
        Enterprise.objects.visible_to(officer)
        .exclude(call_applications__call=call)
        .order_by("pk")[0]
    )
    category = call.categories.get(name="学术交流活动")
    application = services.application_create(
        actor=officer,
        call=call,
        category=category,
        enterprise=enterprise,
        data={
            "title": "新能源汽车产业青年学者沙龙",
            "summary": "面向区内企业研发人员的学术交流。",
            "field": "学术交流",
            "requested_amount_yuan": 8000,
            "extra": {"organiser": "武进区机械工程学会", "activity_date": "2027-01-10"},
        },
    )  # check_deadline defaults to True: the call is open today
    submitted = services.application_submit(actor=officer, application=application)
    assert submitted.status == "submitted"
