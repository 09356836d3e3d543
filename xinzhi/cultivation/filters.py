"""Filter set of the candidate lists (候选名单), shared by the page, the API and the export."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet

from xinzhi.accounts.models import Jurisdiction, User
from xinzhi.cultivation.choices import Verdict

SORT_CHOICES = [
    ("gap", "差距从小到大"),
    ("-score", "得分从高到低"),
    ("name", "企业名称"),
]


class CandidateFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="企业名称", field_name="enterprise__name", lookup_expr="contains"
    )
    jurisdiction = django_filters.ModelChoiceFilter(
        label="所属板块",
        queryset=Jurisdiction.objects.none(),
        method="filter_jurisdiction",
        empty_label="全部板块",
    )
    verdict = django_filters.ChoiceFilter(
        label="结论",
        choices=[(Verdict.ELIGIBLE, "符合"), (Verdict.POSSIBLE, "可能符合")],
        empty_label="符合与可能符合",
    )
    sort = django_filters.ChoiceFilter(
        label="排序", choices=SORT_CHOICES, method="filter_sort", empty_label=None
    )

    def __init__(self, data=None, queryset=None, *, user: User, **kwargs) -> None:  # noqa: ANN001, ANN003
        if data is not None:
            data = data.copy()
            data.setdefault("sort", "gap")
        super().__init__(data, queryset=queryset, **kwargs)
        self.filters["jurisdiction"].queryset = user.visible_jurisdictions()

    def filter_jurisdiction(self, queryset: QuerySet, name: str, value: Jurisdiction) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(enterprise__jurisdiction_id__in=value.subtree_ids())

    def filter_sort(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "-score":
            return queryset.order_by("-score_max", "-score_min", "enterprise__name")
        if value == "name":
            return queryset.order_by("enterprise__name", "id")
        # Eligible first, then the smallest worst-case shortfall of points.
        return queryset.order_by("verdict", "score_gap", "-score_max", "enterprise__name", "id")
