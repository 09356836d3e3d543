"""The filter sets of 科技金融's lists, each shared by its page, API list and Excel export."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from xinzhi.accounts.models import Jurisdiction, User
from xinzhi.finance.choices import (
    InstitutionStatus,
    LoanStatus,
    OrderStatus,
    Region,
    RoundName,
    ServiceType,
)
from xinzhi.finance.models import (
    Bank,
    EquityRound,
    Loan,
    LoanProduct,
    ServiceInstitution,
    VoucherGrant,
    VoucherOrder,
)


class _ScopedFilterSet(django_filters.FilterSet):
    """Common: 板块 choices from the user's own subtree, enterprise keyword."""

    jurisdiction_path = "enterprise__jurisdiction_id"
    enterprise_path = "enterprise"

    def __init__(self, data=None, queryset=None, *, user: User, **kwargs) -> None:  # noqa: ANN001, ANN003
        super().__init__(data, queryset=queryset, **kwargs)
        self.user = user
        if "jurisdiction" in self.filters:
            self.filters["jurisdiction"].queryset = user.visible_jurisdictions()

    def filter_jurisdiction(self, queryset: QuerySet, name: str, value: Jurisdiction) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(**{f"{self.jurisdiction_path}__in": value.subtree_ids()})

    def filter_enterprise(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        path = self.enterprise_path
        return queryset.filter(
            Q(**{f"{path}__name__contains": value}) | Q(**{f"{path}__credit_code": value.upper()})
        )


def _jurisdiction_filter() -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        label="所属板块",
        queryset=Jurisdiction.objects.none(),
        method="filter_jurisdiction",
        empty_label="全部板块",
    )


class LoanFilterSet(_ScopedFilterSet):
    q = django_filters.CharFilter(label="企业", method="filter_enterprise")
    product = django_filters.ModelChoiceFilter(
        label="贷款产品", queryset=LoanProduct.objects.all(), empty_label="全部产品"
    )
    bank = django_filters.ModelChoiceFilter(
        label="银行", queryset=Bank.objects.all(), empty_label="全部银行"
    )
    status = django_filters.ChoiceFilter(
        label="状态", choices=LoanStatus.choices, empty_label="全部状态"
    )
    jurisdiction = _jurisdiction_filter()
    disbursed_from = django_filters.DateFilter(
        label="放款日期起", field_name="disbursed_on", lookup_expr="gte"
    )
    disbursed_to = django_filters.DateFilter(
        label="放款日期止", field_name="disbursed_on", lookup_expr="lte"
    )

    class Meta:
        model = Loan
        fields = [
            "q",
            "product",
            "bank",
            "status",
            "jurisdiction",
            "disbursed_from",
            "disbursed_to",
        ]


class OrderFilterSet(_ScopedFilterSet):
    jurisdiction_path = "grant__enterprise__jurisdiction_id"
    enterprise_path = "grant__enterprise"

    q = django_filters.CharFilter(label="企业", method="filter_enterprise")
    institution = django_filters.ModelChoiceFilter(
        label="服务机构", queryset=ServiceInstitution.objects.all(), empty_label="全部机构"
    )
    service_type = django_filters.ChoiceFilter(
        label="服务类型", choices=ServiceType.choices, empty_label="全部类型"
    )
    status = django_filters.ChoiceFilter(
        label="状态", choices=OrderStatus.choices, empty_label="全部状态"
    )
    cross_region = django_filters.BooleanFilter(label="跨区订单", field_name="is_cross_region")
    jurisdiction = _jurisdiction_filter()
    effective_from = django_filters.DateFilter(
        label="生效日期起", field_name="effective_on", lookup_expr="gte"
    )
    effective_to = django_filters.DateFilter(
        label="生效日期止", field_name="effective_on", lookup_expr="lte"
    )

    class Meta:
        model = VoucherOrder
        fields = [
            "q",
            "institution",
            "service_type",
            "status",
            "cross_region",
            "jurisdiction",
            "effective_from",
            "effective_to",
        ]


class RoundFilterSet(_ScopedFilterSet):
    q = django_filters.CharFilter(label="企业", method="filter_enterprise")
    round_name = django_filters.ChoiceFilter(
        label="轮次", choices=RoundName.choices, empty_label="全部轮次"
    )
    jurisdiction = _jurisdiction_filter()
    closed_from = django_filters.DateFilter(
        label="交割日期起", field_name="closed_on", lookup_expr="gte"
    )
    closed_to = django_filters.DateFilter(
        label="交割日期止", field_name="closed_on", lookup_expr="lte"
    )

    class Meta:
        model = EquityRound
        fields = ["q", "round_name", "jurisdiction", "closed_from", "closed_to"]


class GrantFilterSet(_ScopedFilterSet):
    q = django_filters.CharFilter(label="企业", method="filter_enterprise")
    jurisdiction = _jurisdiction_filter()
    valid_on = django_filters.DateFilter(label="有效日期", method="filter_valid_on")

    class Meta:
        model = VoucherGrant
        fields = ["q", "jurisdiction", "valid_on"]

    def filter_valid_on(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(granted_on__lte=value, use_by__gte=value)


class InstitutionFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label="机构名称", field_name="name", lookup_expr="contains")
    region = django_filters.ChoiceFilter(
        label="所在省市", choices=Region.choices, empty_label="全部省市"
    )
    city = django_filters.CharFilter(label="城市", field_name="city")
    service_type = django_filters.ChoiceFilter(
        label="服务类型",
        choices=ServiceType.choices,
        method="filter_service_type",
        empty_label="全部类型",
    )
    status = django_filters.ChoiceFilter(
        label="状态", choices=InstitutionStatus.choices, empty_label="全部状态"
    )

    class Meta:
        model = ServiceInstitution
        fields = ["q", "region", "city", "service_type", "status"]

    def __init__(self, data=None, queryset=None, *, user: User, **kwargs) -> None:  # noqa: ANN001, ANN003
        super().__init__(data, queryset=queryset, **kwargs)
        self.user = user

    def filter_service_type(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        # JSON containment is not on SQLite: the code is matched inside the stored JSON text.
        return queryset.filter(service_types__icontains=f'"{value}"')
