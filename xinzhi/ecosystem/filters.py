"""The one filter set of each 创新生态 list, shared by its page, API and Excel export."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from xinzhi.accounts.models import Jurisdiction, User
from xinzhi.ecosystem.choices import (
    AWARDED,
    Award,
    Board,
    CarrierKind,
    CarrierLevel,
    ListingStage,
)
from xinzhi.ecosystem.models import Carrier, Competition, CompetitionEntry, ListingCandidate


class _ScopedFilterSet(django_filters.FilterSet):
    """Offers only the viewer's 板块 in the jurisdiction filter (a foreign one is an error)."""

    def __init__(self, data=None, queryset=None, *, user: User, **kwargs) -> None:  # noqa: ANN001, ANN003
        super().__init__(data, queryset=queryset, **kwargs)
        self.user = user
        self.filters["jurisdiction"].queryset = user.visible_jurisdictions()

    def filter_jurisdiction(self, queryset: QuerySet, name: str, value: Jurisdiction) -> QuerySet:
        return queryset.filter(**{f"{name}__in": value.subtree_ids()}) if value else queryset


class CarrierFilterSet(_ScopedFilterSet):
    q = django_filters.CharFilter(label="关键词", method="filter_q")
    kind = django_filters.ChoiceFilter(
        label="载体类型", choices=CarrierKind.choices, empty_label="全部类型"
    )
    level = django_filters.ChoiceFilter(
        label="级别", choices=CarrierLevel.choices, empty_label="全部级别"
    )
    jurisdiction = django_filters.ModelChoiceFilter(
        label="所在板块",
        field_name="jurisdiction_id",
        queryset=Jurisdiction.objects.none(),
        method="filter_jurisdiction",
        empty_label="全部板块",
    )
    active = django_filters.BooleanFilter(label="运行中", field_name="is_active")

    class Meta:
        model = Carrier
        fields = ["q", "kind", "level", "jurisdiction", "active"]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__contains=value) | Q(host__contains=value) | Q(focus__contains=value)
        )


class EntryFilterSet(_ScopedFilterSet):
    q = django_filters.CharFilter(label="关键词", method="filter_q")
    competition = django_filters.ModelChoiceFilter(
        label="大赛", queryset=Competition.objects.all(), empty_label="全部大赛"
    )
    year = django_filters.NumberFilter(label="年度", field_name="competition__year")
    track = django_filters.CharFilter(label="赛道/行业赛", field_name="track")
    award = django_filters.ChoiceFilter(label="奖项", choices=Award.choices, empty_label="全部奖项")
    awarded = django_filters.BooleanFilter(label="仅看获奖", method="filter_awarded")
    outside = django_filters.BooleanFilter(label="仅看未注册团队", method="filter_outside")
    jurisdiction = django_filters.ModelChoiceFilter(
        label="对接板块",
        field_name="jurisdiction_id",
        queryset=Jurisdiction.objects.none(),
        method="filter_jurisdiction",
        empty_label="全部板块",
    )

    class Meta:
        model = CompetitionEntry
        fields = [
            "q",
            "competition",
            "year",
            "track",
            "award",
            "awarded",
            "outside",
            "jurisdiction",
        ]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(project_name__contains=value)
            | Q(team_name__contains=value)
            | Q(enterprise__name__contains=value)
        )

    def filter_awarded(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(award__in=AWARDED) if value else queryset.exclude(award__in=AWARDED)

    def filter_outside(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(enterprise__isnull=value)


class ListingFilterSet(_ScopedFilterSet):
    q = django_filters.CharFilter(
        label="企业名称", field_name="enterprise__name", lookup_expr="contains"
    )
    board = django_filters.ChoiceFilter(
        label="拟上市板块", choices=Board.choices, empty_label="全部板块"
    )
    stage = django_filters.ChoiceFilter(
        label="所处阶段", choices=ListingStage.choices, empty_label="全部阶段"
    )
    listed = django_filters.BooleanFilter(label="已上市/挂牌", method="filter_listed")
    jurisdiction = django_filters.ModelChoiceFilter(
        label="所属板块",
        field_name="enterprise__jurisdiction_id",
        queryset=Jurisdiction.objects.none(),
        method="filter_jurisdiction",
        empty_label="全部板块",
    )

    class Meta:
        model = ListingCandidate
        fields = ["q", "board", "stage", "listed", "jurisdiction"]

    def filter_listed(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        listed = Q(stage=ListingStage.LISTED)
        return queryset.filter(listed) if value else queryset.exclude(listed)
