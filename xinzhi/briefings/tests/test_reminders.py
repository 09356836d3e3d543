"""The admin's 工作台 line: last month's briefing not generated, in the first ten days."""

import datetime as dt

import pytest

from xinzhi.briefings import services
from xinzhi.notifications.services import due_items

pytestmark = pytest.mark.django_db


def _lines(user, today):
    return [i.title for i in due_items(today=today, user=user) if i.key.startswith("briefing:")]


def test_the_admin_is_reminded_until_the_briefing_exists(world):
    admin = world["users"]["admin"]
    assert _lines(admin, dt.date(2024, 10, 3)) == ["上月科技工作月报未生成（2024年9月）"]
    assert _lines(admin, dt.date(2024, 10, 11)) == []  # after the first ten days
    assert _lines(world["users"]["leader"], dt.date(2024, 10, 3)) == []
    assert _lines(world["users"]["gxq"], dt.date(2024, 10, 3)) == []
    everyone = [i for i in due_items(today=dt.date(2024, 10, 3)) if i.key.startswith("briefing:")]
    assert [(i.recipient_id, i.url) for i in everyone] == [
        (admin.pk, "/briefings/generate/?year=2024&month=9")
    ]
    services.briefing_generate(actor=admin, year=2024, month=9, jurisdiction_id=None)
    assert _lines(admin, dt.date(2024, 10, 3)) == []
    # January reminds of December of the year before
    assert _lines(admin, dt.date(2025, 1, 2)) == ["上月科技工作月报未生成（2024年12月）"]


def test_the_generate_page_takes_the_reminders_period(client, world):
    client.force_login(world["users"]["admin"])
    page = client.get("/briefings/generate/?year=2024&month=9").content.decode()
    assert 'value="2024"' in page and '<option value="9" selected>' in page
