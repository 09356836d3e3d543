"""The home page: core renders it, accounts and enterprises register their parts (core.home)."""

import datetime as dt

import pytest
from django.urls import reverse

from xinzhi.accounts.services import user_create
from xinzhi.enterprises.models import TitleHeld

pytestmark = pytest.mark.django_db


def test_an_officer_sees_the_counts_of_their_own_jurisdiction(client, users, make_enterprise):
    own = make_enterprise("高新区企业", "gxq")
    make_enterprise("高新区企业二", "gxq")
    other = make_enterprise("西太湖企业", "xth")
    TitleHeld.objects.unscoped().create(enterprise=own, title="hnte")
    TitleHeld.objects.unscoped().create(
        enterprise=own,
        title="tech_sme",
        valid_until=dt.date(2000, 12, 31),  # expired
    )
    TitleHeld.objects.unscoped().create(enterprise=other, title="hnte")
    client.force_login(users["gxq"])

    overview = client.get(reverse("core:home")).context["overview"]

    assert overview["enterprise_count"] == 2
    assert overview["ladder"] == [
        ("科技型中小企业", 0),
        ("高新技术企业", 1),
        ("瞪羚企业", 0),
        ("种子独角兽", 0),
        ("潜在独角兽", 0),
        ("独角兽", 0),
        ("上市企业", 0),
        ("专精特新“小巨人”", 0),
    ]


def test_experts_and_enterprise_users_are_sent_to_their_own_pages(client, users, make_enterprise):
    firm = make_enterprise("自家企业", "gxq")
    firm_user = user_create(
        username="firm", password="xinzhi-test-pass", role="enterprise", enterprise_id=firm.pk
    )

    client.force_login(users["expert"])
    assert client.get(reverse("core:home"))["Location"] == reverse("calls:reviews")
    client.force_login(firm_user)
    assert client.get(reverse("core:home"))["Location"] == reverse("portal:home")
