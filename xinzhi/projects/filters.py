"""The filter sets of the project lists, each shared by its page, API list and Excel export."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, F, OuterRef, Q, QuerySet

from xinzhi.accounts.models import Jurisdiction, User
from xinzhi.projects.choices import FundedStage, Level, ProjectStatus, Signal
from xinzhi.projects.delays import signal_q
from xinzhi.projects.models import MonthlyReport, ProjectType

SORT_CHOICES = [
    ("signal", "预警优先（滞后→缺报→正常）"),
    ("-total_investment", "总投资（高→低）"),
    ("name", "项目名称"),
    ("-year", "列入年度（新→旧）"),
]
FUNDED_SORT_CHOICES = [
    ("-year", "立项年度（新→旧）"),
    ("-funding_grant", "财政资助（高→低）"),
    ("ends_on", "实施结束日期"),
    ("name", "项目名称"),
]


class _ScopedFilterSet(django_filters.FilterSet):
    jurisdiction = django_filters.ModelChoiceFilter(
        label="所属板块",
        queryset=Jurisdiction.objects.none(),
        method="filter_jurisdiction",
        empty_label="全部板块",
    )

    def __init__(
        self, data=None, queryset=None, *, user: User, default_sort: str, **kwargs
    ) -> None:  # noqa: ANN001, ANN003
        if data is not None:
            data = data.copy()
            data.setdefault("sort", default_sort)
        super().__init__(data, queryset=queryset, **kwargs)
        self.user = user
        self.filters["jurisdiction"].queryset = user.visible_jurisdictions()

    def filter_jurisdiction(self, queryset: QuerySet, name: str, value: Jurisdiction) -> QuerySet:
        return queryset.filter(jurisdiction_id__in=value.subtree_ids()) if value else queryset


class KeyProjectFilterSet(_ScopedFilterSet):
    """区重点项目: type, 板块, status, colour, late only; the queryset carries `signal`."""

    q = django_filters.CharFilter(label="关键词", method="filter_q")
    project_type = django_filters.ModelChoiceFilter(
        label="项目类型", queryset=ProjectType.objects.all(), empty_label="全部类型"
    )
    status = django_filters.ChoiceFilter(
        label="项目状态", choices=ProjectStatus.choices, empty_label="全部状态"
    )
    signal = django_filters.ChoiceFilter(
        label="预警状态", choices=Signal.choices, method="filter_signal", empty_label="全部"
    )
    late = django_filters.BooleanFilter(label="仅看滞后", method="filter_late")
    industry = django_filters.CharFilter(label="产业链/行业", field_name="industry")
    year = django_filters.NumberFilter(label="列入年度", field_name="year")
    # Projects with a monthly report of a month in the range: those behind 区重点项目完成投资
    # (dashboards' drill-down); a date counts its whole month, as the indicator does.
    reported_from = django_filters.DateFilter(label="月报月份起", method="filter_reported")
    reported_to = django_filters.DateFilter(label="月报月份止", method="filter_reported")
    sort = django_filters.ChoiceFilter(
        label="排序", choices=SORT_CHOICES, method="filter_sort", empty_label=None
    )

    def __init__(self, data=None, queryset=None, *, user: User, **kwargs) -> None:  # noqa: ANN001, ANN003
        super().__init__(data, queryset, user=user, default_sort="signal", **kwargs)

    def filter_reported(self, queryset: QuerySet, name: str, value: object) -> QuerySet:
        if name != "reported_from" and self.form.cleaned_data.get("reported_from"):
            return queryset  # both ends are applied once, by the first
        start, end = (self.form.cleaned_data.get(k) for k in ("reported_from", "reported_to"))
        reports = MonthlyReport.all_objects.filter(project_id=OuterRef("pk"))
        if start:
            reports = reports.filter(month__gte=start.replace(day=1))
        if end:
            reports = reports.filter(month__lte=end)
        return queryset.filter(Exists(reports))

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__contains=value)
            | Q(owner_name__contains=value)
            | Q(enterprise__name__contains=value)
        )

    def filter_signal(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(signal_q(value)) if value else queryset

    def filter_late(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        late = signal_q(Signal.RED)
        return queryset.filter(late) if value else queryset.exclude(late)

    def filter_sort(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "signal":
            # Red first (longest late first), then amber, then green.
            return queryset.order_by(
                "signal_rank", F("late_since").asc(nulls_last=True), "name", "id"
            )
        if value in dict(SORT_CHOICES):
            return queryset.order_by(value, "id")
        return queryset


class FundedProjectFilterSet(_ScopedFilterSet):
    """科技计划项目: level, programme, year, stage, 板块."""

    q = django_filters.CharFilter(label="关键词", method="filter_q")
    level = django_filters.ChoiceFilter(
        label="项目级别", choices=Level.choices, empty_label="全部级别"
    )
    programme = django_filters.CharFilter(
        label="计划类别", field_name="programme", lookup_expr="contains"
    )
    year = django_filters.NumberFilter(label="立项年度", field_name="year")
    stage = django_filters.ChoiceFilter(
        label="项目阶段", choices=FundedStage.choices, empty_label="全部阶段"
    )
    sort = django_filters.ChoiceFilter(
        label="排序", choices=FUNDED_SORT_CHOICES, method="filter_sort", empty_label=None
    )

    def __init__(self, data=None, queryset=None, *, user: User, **kwargs) -> None:  # noqa: ANN001, ANN003
        super().__init__(data, queryset, user=user, default_sort="-year", **kwargs)

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__contains=value) | Q(enterprise__name__contains=value) | Q(code__contains=value)
        )

    def filter_sort(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value in dict(FUNDED_SORT_CHOICES):
            return queryset.order_by(value, "name", "id")
        return queryset
