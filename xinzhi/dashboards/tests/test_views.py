"""Pages: the cockpit, the screen, the comparison and the admin's rows, in every scope."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from xinzhi.dashboards.models import CityRanking, Indicator, ManualValue, Target

PERIOD = {"year": 2024, "month": 9}


@pytest.fixture
def targets(world, users, jurisdictions):
    from xinzhi.dashboards import services

    attracted = Indicator.objects.get(code="attracted_tsme")
    services.target_save(
        actor=users["admin"],
        data={"indicator": attracted, "year": 2024, "level": "city", "value": Decimal(2)},
    )
    services.target_save(
        actor=users["admin"],
        data={
            "indicator": attracted,
            "year": 2024,
            "level": "district",
            "value": Decimal(2),
            "jurisdiction": jurisdictions["gxq"],
        },
    )
    services.city_ranking_save(
        actor=users["admin"],
        data={
            "indicator": attracted,
            "year": 2024,
            "month": 9,
            "rank": 1,
            "among": 7,
            "source": "常州市科技局《2024年1—9月科技创新主要指标通报》",
        },
    )


@pytest.mark.django_db
def test_leader_cockpit_shows_actual_target_and_rank(world, targets, users, login):
    page = login(users["leader"]).get(reverse("dashboards:cockpit"), PERIOD)
    assert page.status_code == 200
    html = page.content.decode()
    card = html.split('data-testid="card-attracted_tsme"')[1].split('data-testid="card-')[0]
    assert '<span class="xz-stat" data-testid="actual">3</span>' in card
    assert 'data-testid="target-city">2</strong>（完成150.0%）' in card
    assert "全市第1" in card and "常州市科技局《2024年1—9月科技创新主要指标通报》" in card
    assert "快于序时进度" in card


@pytest.mark.django_db
def test_officer_cockpit_counts_own_board_with_its_target_and_no_city_rank(
    world, targets, users, login
):
    page = login(users["gxq"]).get(reverse("dashboards:cockpit"), PERIOD)
    html = page.content.decode()
    card = html.split('data-testid="card-attracted_tsme"')[1].split('data-testid="card-')[0]
    assert '<span class="xz-stat" data-testid="actual">2</span>' in card
    assert 'data-testid="target-district">2</strong>（完成100.0%）' in card
    assert "全市第" not in card
    assert "武进国家高新区" in html


@pytest.mark.django_db
def test_officer_asking_for_another_board_gets_404(world, users, login, jurisdictions):
    client = login(users["gxq"])
    for name in ("dashboards:cockpit", "dashboards:screen"):
        answer = client.get(reverse(name), {**PERIOD, "jurisdiction": jurisdictions["xth"].pk})
        assert answer.status_code == 404


@pytest.mark.django_db
def test_screen_has_no_menu_and_refreshes(world, users, login):
    html = login(users["leader"]).get(reverse("dashboards:screen"), PERIOD).content.decode()
    assert '<meta http-equiv="refresh" content="300">' in html
    assert "xz-navbar" not in html


@pytest.mark.django_db
def test_compare_ranks_boards_from_live_data(world, users, login, jurisdictions):
    html = login(users["admin"]).get(reverse("dashboards:compare"), PERIOD).content.decode()
    block = html.split('data-testid="compare-attracted_tsme"')[1].split('data-testid="compare-')[0]
    gxq = block.split(f'data-testid="cell-{jurisdictions["gxq"].pk}"')[1].split("</tr>")[0]
    htz = block.split(f'data-testid="cell-{jurisdictions["htz"].pk}"')[1].split("</tr>")[0]
    xth = block.split(f'data-testid="cell-{jurisdictions["xth"].pk}"')[1].split("</tr>")[0]
    assert '<td data-testid="rank">1</td>' in gxq and 'data-testid="actual">2<' in gxq
    assert '<td data-testid="rank">2</td>' in htz and 'data-testid="actual">1<' in htz
    assert '<td data-testid="rank">3</td>' in xth and 'data-testid="actual">0<' in xth


@pytest.mark.django_db
def test_compare_is_for_district_roles(world, users, login):
    assert login(users["gxq"]).get(reverse("dashboards:compare")).status_code == 403


@pytest.mark.django_db
def test_admin_creates_a_target_in_the_page(world, users, login):
    indicator = Indicator.objects.get(code="hnte_applications")
    answer = login(users["admin"]).post(
        reverse("dashboards:target_create"),
        {"indicator": indicator.pk, "year": 2024, "level": "district", "value": "6"},
    )
    assert answer.status_code == 302
    target = Target.objects.unscoped().get(indicator=indicator)
    assert (target.year, target.jurisdiction_id, target.value, target.set_by) == (
        2024,
        None,
        Decimal(6),
        users["admin"],
    )


@pytest.mark.django_db
def test_a_second_district_target_at_the_same_level_is_refused_in_chinese(world, users, login):
    indicator = Indicator.objects.get(code="hnte_applications")
    client = login(users["admin"])
    url = reverse("dashboards:target_create")
    data = {"indicator": indicator.pk, "year": 2024, "level": "district", "value": "6"}
    client.post(url, data)
    answer = client.post(url, {**data, "value": "9"})
    assert answer.status_code == 200
    assert "该指标在该年度、该板块已有同一层级的目标，请修改原目标。" in answer.content.decode()
    assert list(Target.objects.unscoped().values_list("value", flat=True)) == [Decimal(6)]


@pytest.mark.django_db
def test_stale_edit_is_refused_and_changes_nothing(world, users, login):
    from xinzhi.dashboards import services

    indicator = Indicator.objects.get(code="talents_attracted")
    value = services.manual_value_save(
        actor=users["admin"],
        data={
            "indicator": indicator,
            "year": 2023,
            "month": 12,
            "value": Decimal("3.66"),
            "source_note": "区人才办",
        },
    )
    services.manual_value_save(
        actor=users["admin"], data={"value": Decimal("3.7")}, manual_value=value, expected_version=1
    )
    answer = login(users["admin"]).post(
        reverse("dashboards:value_edit", args=[value.pk]),
        {
            "indicator": indicator.pk,
            "year": 2023,
            "month": 12,
            "value": "9",
            "source_note": "区人才办",
            "version": 1,
        },
    )
    assert answer.status_code == 200
    assert "该记录已被他人修改" in answer.content.decode()
    assert ManualValue.objects.unscoped().get().value == Decimal("3.7")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["leader", "gxq", "expert"])
def test_only_the_admin_keeps_targets_values_and_rankings(world, users, login, role):
    ranking = CityRanking.objects.create(
        indicator=Indicator.objects.get(code="gazelle_titles"),
        year=2024,
        month=9,
        rank=1,
        among=7,
        source="通报",
    )
    client = login(users[role])
    for kind in ("target", "value", "ranking"):
        assert client.get(reverse(f"dashboards:{kind}_list")).status_code == 403
        assert client.get(reverse(f"dashboards:{kind}_create")).status_code == 403
    delete = reverse("dashboards:ranking_delete", args=[ranking.pk])
    assert client.post(delete, {"version": 1}).status_code == 403
    assert CityRanking.objects.filter(pk=ranking.pk).exists()


@pytest.mark.django_db
def test_admin_deletes_a_ranking(world, users, login):
    ranking = CityRanking.objects.create(
        indicator=Indicator.objects.get(code="gazelle_titles"),
        year=2024,
        month=9,
        rank=1,
        among=7,
        source="通报",
    )
    client = login(users["admin"])
    answer = client.post(reverse("dashboards:ranking_delete", args=[ranking.pk]), {"version": 1})
    assert answer.status_code == 302
    assert not CityRanking.objects.exists()


def test_through_date_of_running_month_is_today():
    from xinzhi.dashboards.periods import parse_through

    assert parse_through(year=2026, month=12, today=dt.date(2026, 12, 2)) == dt.date(2026, 12, 2)


@pytest.mark.django_db
def test_admin_edits_the_library_in_django_admin(world, users, login):
    indicator = Indicator.objects.get(code="talents_attracted")
    client = login(users["admin"])
    page = client.get(reverse("admin:dashboards_indicator_change", args=[indicator.pk]))
    assert page.status_code == 200
    assert "手工填报" in page.content.decode()
    listing = client.get(reverse("admin:dashboards_indicator_changelist"))
    assert "申报高企数" in listing.content.decode()


@pytest.mark.django_db
def test_compare_query_count_does_not_grow_with_the_boards(world, users, login, jurisdictions):
    """One grouped query per computed indicator, whatever the number of 板块."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from xinzhi.accounts.models import Jurisdiction

    client = login(users["admin"])
    url = reverse("dashboards:compare")
    client.get(url, PERIOD)  # warm the session and the subtree cache
    with CaptureQueriesContext(connection) as before:
        client.get(url, PERIOD)
    for code in ("ntz", "lyz", "xyz"):
        Jurisdiction.objects.create(
            code=code, name=f"{code}镇", kind="town", parent=jurisdictions["district"]
        )
    client.get(url, PERIOD)
    with CaptureQueriesContext(connection) as after:
        page = client.get(url, PERIOD)
    assert "ntz镇" in page.content.decode()
    assert len(after.captured_queries) == len(before.captured_queries)
