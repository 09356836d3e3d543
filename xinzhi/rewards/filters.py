"""The one filter set of the entitlement list (兑现事项), shared by page, API and export."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from xinzhi.accounts.models import Jurisdiction, User
from xinzhi.rewards.choices import EntitlementStatus
from xinzhi.rewards.models import Entitlement, RewardItem

SORT_CHOICES = [
    ("jurisdiction", "板块"),
    ("-amount_yuan", "金额（高→低）"),
    ("enterprise", "企业名称"),
    ("item", "奖补事项"),
]
SORT_ORDER = {
    "jurisdiction": ("jurisdiction__sort_order", "enterprise__name", "item__sort_order", "id"),
    "-amount_yuan": ("-amount_yuan", "enterprise__name", "id"),
    "enterprise": ("enterprise__name", "item__sort_order", "id"),
    "item": ("item__sort_order", "enterprise__name", "id"),
}


def paid_range(params: Mapping[str, Any]) -> bool:
    """Whether `params` ask for a 拨付日期 range: it spans entitlement years (no default year)."""
    return any(params.get(k) for k in ("paid_from", "paid_to"))


class EntitlementFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(label="年度", field_name="year")
    q = django_filters.CharFilter(label="企业名称", method="filter_q")
    item = django_filters.ModelChoiceFilter(
        label="奖补事项", queryset=RewardItem.objects.none(), empty_label="全部事项"
    )
    status = django_filters.ChoiceFilter(
        label="状态", choices=EntitlementStatus.choices, empty_label="全部状态"
    )
    jurisdiction = django_filters.ModelChoiceFilter(
        label="所属板块",
        queryset=Jurisdiction.objects.none(),
        method="filter_jurisdiction",
        empty_label="全部板块",
    )
    # The entitlements paid (拨付日期) in a range, of any year: the records behind 政策兑现拨付金额
    # (dashboards' drill-down); the page and the API then leave the year unset.
    paid_from = django_filters.DateFilter(
        label="拨付日期起", field_name="payment__paid_on", lookup_expr="gte"
    )
    paid_to = django_filters.DateFilter(
        label="拨付日期止", field_name="payment__paid_on", lookup_expr="lte"
    )
    sort = django_filters.ChoiceFilter(
        label="排序", choices=SORT_CHOICES, method="filter_sort", empty_label=None
    )

    class Meta:
        model = Entitlement
        fields = ["year", "q", "item", "status", "jurisdiction", "paid_from", "paid_to", "sort"]

    def __init__(self, data=None, queryset=None, *, user: User, **kwargs) -> None:  # noqa: ANN001, ANN003
        data = data.copy() if data is not None else {}
        if hasattr(data, "setdefault"):
            data.setdefault("sort", "jurisdiction")
        super().__init__(data, queryset=queryset, **kwargs)
        self.user = user
        self.filters["item"].queryset = RewardItem.objects.select_related("policy")
        self.filters["jurisdiction"].queryset = user.visible_jurisdictions()

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(enterprise__name__contains=value) | Q(enterprise__credit_code=value.upper())
        )

    def filter_jurisdiction(self, queryset: QuerySet, name: str, value: Jurisdiction) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(jurisdiction_id__in=value.subtree_ids())

    def filter_sort(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.order_by(*SORT_ORDER.get(value, SORT_ORDER["jurisdiction"]))
