"""The filter sets of the chain lists (链上企业, 补链招商目标, 配套关系): one per list, shared
by the page, the API and the Excel export."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet

from xinzhi.accounts.models import Jurisdiction, User
from xinzhi.chains.choices import MemberRole, Position, TargetSource, TargetStatus
from xinzhi.chains.models import Chain, GapTarget, Membership, Node, SupplyRelation


class _ChainFilters(django_filters.FilterSet):
    """产业链 and 环节 filters common to the lists."""

    chain = django_filters.ModelChoiceFilter(
        label="产业链",
        field_name="node__chain",
        queryset=Chain.objects.filter(is_active=True),
        empty_label="全部产业链",
    )
    node = django_filters.ModelChoiceFilter(
        label="环节",
        queryset=Node.objects.filter(chain__is_active=True).select_related("chain"),
        empty_label="全部环节",
    )

    def __init__(self, data=None, queryset=None, *, user: User, **kwargs) -> None:  # noqa: ANN001, ANN003
        super().__init__(data, queryset=queryset, **kwargs)
        self.user = user

    @property
    def form(self) -> forms.Form:
        form = super().form
        for f in form.fields.values():  # small Bootstrap controls, as in the other filter bars
            small = "form-select" if isinstance(f.widget, forms.Select) else "form-control"
            f.widget.attrs.setdefault("class", f"{small} {small}-sm")
        return form


class MembershipFilterSet(_ChainFilters):
    q = django_filters.CharFilter(label="关键词", method="filter_q")
    role = django_filters.ChoiceFilter(
        label="链上角色", choices=MemberRole.choices, empty_label="全部角色"
    )
    position = django_filters.ChoiceFilter(
        label="产业链位置",
        field_name="node__position",
        choices=Position.choices,
        empty_label="全部位置",
    )
    jurisdiction = django_filters.ModelChoiceFilter(
        label="所属板块",
        queryset=Jurisdiction.objects.none(),
        method="filter_jurisdiction",
        empty_label="全部板块",
    )

    class Meta:
        model = Membership
        fields = ["q", "chain", "node", "role", "position", "jurisdiction"]

    def __init__(self, data=None, queryset=None, *, user: User, **kwargs) -> None:  # noqa: ANN001, ANN003
        super().__init__(data, queryset=queryset, user=user, **kwargs)
        self.filters["jurisdiction"].queryset = user.visible_jurisdictions()

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(enterprise__name__contains=value) | Q(outside_name__contains=value)
        )

    def filter_jurisdiction(self, queryset: QuerySet, name: str, value: Jurisdiction) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(enterprise__jurisdiction_id__in=value.subtree_ids())


class TargetFilterSet(_ChainFilters):
    q = django_filters.CharFilter(label="关键词", method="filter_q")
    status = django_filters.ChoiceFilter(
        label="状态", choices=TargetStatus.choices, empty_label="全部状态"
    )
    source = django_filters.ChoiceFilter(
        label="来源", choices=TargetSource.choices, empty_label="全部来源"
    )
    region = django_filters.CharFilter(label="所在地", field_name="region")

    class Meta:
        model = GapTarget
        fields = ["q", "chain", "node", "status", "source", "region"]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__contains=value) | Q(reason__contains=value))


class SupplyFilterSet(_ChainFilters):
    q = django_filters.CharFilter(label="关键词", method="filter_q")
    year = django_filters.NumberFilter(label="年度", field_name="year")
    local = django_filters.BooleanFilter(
        label="本地供应商", field_name="supplier", lookup_expr="isnull", exclude=True
    )
    region = django_filters.CharFilter(label="供应商所在地", field_name="supplier_region")

    class Meta:
        model = SupplyRelation
        fields = ["q", "chain", "node", "year", "local", "region"]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(buyer__name__contains=value)
            | Q(supplier_name__contains=value)
            | Q(product__contains=value)
        )
