"""The one filter set of an application list (申报列表), shared by page, ranking, API and export."""

from __future__ import annotations

import django_filters
from django.db.models import F, Q, QuerySet

from xinzhi.accounts.models import Jurisdiction, User
from xinzhi.calls.choices import ApplicationStatus
from xinzhi.calls.models import Application, Call, Category

SORT_CHOICES = [
    ("number", "申报编号"),
    ("rank", "综合得分（高→低）"),
    ("-submitted_at", "提交时间（新→旧）"),
    ("applicant_name", "申报单位"),
]


class ApplicationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label="关键词", method="filter_q")
    category = django_filters.ModelChoiceFilter(
        label="申报类别", queryset=Category.objects.none(), empty_label="全部类别"
    )
    status = django_filters.ChoiceFilter(
        label="状态", choices=ApplicationStatus.choices, empty_label="全部状态"
    )
    jurisdiction = django_filters.ModelChoiceFilter(
        label="所属板块",
        queryset=Jurisdiction.objects.none(),
        method="filter_jurisdiction",
        empty_label="全部板块",
    )
    # 决定日期: the applications behind 科技项目认定数 (dashboards' drill-down, with status).
    decided_from = django_filters.DateFilter(
        label="决定日期起", field_name="decided_at", lookup_expr="date__gte"
    )
    decided_to = django_filters.DateFilter(
        label="决定日期止", field_name="decided_at", lookup_expr="date__lte"
    )
    sort = django_filters.ChoiceFilter(
        label="排序", choices=SORT_CHOICES, method="filter_sort", empty_label=None
    )

    class Meta:
        model = Application
        fields = ["q", "category", "status", "jurisdiction", "decided_from", "decided_to", "sort"]

    def __init__(
        self,
        data=None,  # noqa: ANN001
        queryset=None,  # noqa: ANN001
        *,
        user: User,
        call: Call,
        default_sort: str = "number",
        **kwargs,  # noqa: ANN003
    ) -> None:
        data = data.copy() if data is not None else {}
        if hasattr(data, "setdefault"):
            data.setdefault("sort", default_sort)
        super().__init__(data, queryset=queryset, **kwargs)
        self.user = user
        self.call = call
        self.filters["category"].queryset = Category.objects.filter(call=call)
        self.filters["jurisdiction"].queryset = user.visible_jurisdictions()

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value)
            | Q(title__contains=value)
            | Q(applicant_name__contains=value)
        )

    def filter_jurisdiction(self, queryset: QuerySet, name: str, value: Jurisdiction) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(applicant_jurisdiction_id__in=value.subtree_ids())

    def filter_sort(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "rank":
            return queryset.order_by(F("aggregate_score").desc(nulls_last=True), "number")
        if value in dict(SORT_CHOICES):
            return queryset.order_by(value, "number")
        return queryset
