import pytest

from xinzhi.core.scoping import ScopeError, scopes_disabled
from xinzhi.enterprises.models import AnnualFigures, Enterprise


def test_unscoped_query_of_a_scoped_model_fails_loudly(make_enterprise):
    make_enterprise("常州甲科技有限公司")
    with pytest.raises(ScopeError, match="visible_to"):
        list(Enterprise.objects.all())
    with pytest.raises(ScopeError):
        Enterprise.objects.filter(name__contains="甲")
    with pytest.raises(ScopeError):
        AnnualFigures.objects.count()


def test_reverse_relation_inherits_the_guard(make_enterprise, jurisdictions):
    make_enterprise("常州甲科技有限公司")
    with pytest.raises(ScopeError):
        list(jurisdictions["gxq"].enterprises.all())


def test_scopes_disabled_is_explicit(make_enterprise):
    make_enterprise("常州甲科技有限公司")
    with scopes_disabled():
        assert Enterprise.objects.count() == 1


def test_each_role_sees_exactly_its_jurisdiction(make_enterprise, users):
    a = make_enterprise("高新区企业", "gxq")
    b = make_enterprise("西太湖企业", "xth")
    c = make_enterprise("湖塘园区企业", "htkjy")

    def names(user):
        return sorted(Enterprise.objects.visible_to(user).values_list("name", flat=True))

    assert names(users["gxq"]) == [a.name]
    assert names(users["xth"]) == [b.name]
    # A town officer sees the park inside the town.
    assert names(users["htz"]) == [c.name]
    assert names(users["admin"]) == sorted([a.name, b.name, c.name])
    assert names(users["leader"]) == sorted([a.name, b.name, c.name])
    assert names(users["expert"]) == []


def test_enterprise_user_sees_only_its_own_record(make_enterprise, users):
    from xinzhi.accounts.services import user_create

    own = make_enterprise("自家企业", "gxq")
    make_enterprise("邻居企业", "gxq")
    user = user_create(
        username="firm", password="xinzhi-test-pass", role="enterprise", enterprise_id=own.pk
    )
    assert list(Enterprise.objects.visible_to(user)) == [own]


def test_anonymous_and_inactive_users_see_nothing(make_enterprise, users):
    from django.contrib.auth.models import AnonymousUser

    make_enterprise("高新区企业", "gxq")
    assert Enterprise.objects.visible_to(AnonymousUser()).count() == 0
    users["gxq"].is_active = False
    assert Enterprise.objects.visible_to(users["gxq"]).count() == 0
