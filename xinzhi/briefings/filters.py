"""The one filter set of the 统计报告 list (by period, 统计范围, version and status)."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, QuerySet

from xinzhi.accounts.models import User
from xinzhi.accounts.permissions import sees_whole_district
from xinzhi.briefings.choices import BriefingStatus
from xinzhi.briefings.models import Briefing

DISTRICT = "district"


class BriefingFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label="年度", field_name="year")
    month = django_filters.ChoiceFilter(
        label="月份", choices=[(m, f"{m}月") for m in range(1, 13)], empty_label="全部月份"
    )
    unit = django_filters.ChoiceFilter(
        label="统计范围", method="filter_unit", choices=[], empty_label="全部范围"
    )
    status = django_filters.ChoiceFilter(
        label="状态", choices=BriefingStatus.choices, empty_label="全部状态"
    )
    latest = django_filters.BooleanFilter(
        label="仅看最新版", method="filter_latest", widget=django_filters.widgets.BooleanWidget()
    )

    class Meta:
        model = Briefing
        fields = ["year", "month", "unit", "status", "latest"]

    def __init__(self, data=None, queryset=None, *, user: User, **kwargs) -> None:  # noqa: ANN001, ANN003
        super().__init__(data, queryset=queryset, **kwargs)
        self.user = user
        boroughs = user.visible_jurisdictions().filter(parent__isnull=False)
        choices = [(str(j.pk), j.label) for j in boroughs]
        if sees_whole_district(user):
            choices.insert(0, (DISTRICT, "全区"))
        self.filters["unit"].extra["choices"] = choices

    def filter_unit(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(unit_key=value) if value else queryset

    def filter_latest(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if not value:
            return queryset
        newer = Briefing.all_objects.filter(
            year=OuterRef("year"),
            month=OuterRef("month"),
            unit_key=OuterRef("unit_key"),
            edition__gt=OuterRef("edition"),
        )
        return queryset.filter(~Exists(newer))
