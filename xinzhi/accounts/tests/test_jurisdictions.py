import pytest

from xinzhi.accounts.models import Jurisdiction
from xinzhi.accounts.services import jurisdictions_load, user_create
from xinzhi.core.exceptions import ApplicationError


def test_wujin_tree_loads_as_data_and_reloads_idempotently(db):
    assert jurisdictions_load() == 15
    assert jurisdictions_load() == 15
    assert Jurisdiction.objects.count() == 15
    district = Jurisdiction.objects.get(code="wujin")
    park = Jurisdiction.objects.get(name="湖塘科技产业园")
    town = Jurisdiction.objects.get(name="湖塘镇")
    assert park.path == f"/{district.pk}/{town.pk}/{park.pk}/"
    assert sorted(town.subtree_ids()) == sorted([town.pk, park.pk])
    names = set(Jurisdiction.objects.values_list("name", flat=True))
    assert {
        "武进国家高新技术产业开发区",
        "常州西太湖科技产业园",
        "湖塘科技产业园",
        "牛塘镇",
    } <= names


def test_moving_a_unit_rewrites_its_subtree_paths(db):
    jurisdictions_load()
    town = Jurisdiction.objects.get(code="htz")
    park = Jurisdiction.objects.get(code="htkjy")
    new_parent = Jurisdiction.objects.get(code="wjhtz")
    town.parent = new_parent
    town.save()
    park.refresh_from_db()
    assert park.path == f"{new_parent.path}{town.pk}/{park.pk}/"
    assert park.pk in new_parent.subtree_ids()


def test_officer_needs_a_jurisdiction(db):
    with pytest.raises(ApplicationError, match="板块专员必须指定所属板块"):
        user_create(username="x", password="xinzhi-test-pass", role="officer")
