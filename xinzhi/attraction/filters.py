"""The one filter set of the lead list (招商项目), shared by the page, board, API and export."""

from __future__ import annotations

import datetime as dt

import django_filters
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from xinzhi.accounts import permissions
from xinzhi.accounts.models import Jurisdiction, User
from xinzhi.attraction.choices import Channel, LeadStatus
from xinzhi.attraction.models import Lead, Stage, StageChange

SORT_CHOICES = [
    ("-last_activity_on", "最近动态（新→旧）"),
    ("last_activity_on", "最近动态（旧→新）"),
    ("next_follow_up_on", "下次跟进日期"),
    ("-planned_investment", "计划投资额（高→低）"),
    ("stage", "阶段"),
    ("name", "项目名称"),
]


def stale_q(today: dt.date | None = None) -> Q:
    """Leads with no activity for longer than their stage's 停滞预警天数 (one query for stages)."""
    today = today or timezone.localdate()
    condition = Q(pk__in=[])
    for stage in Stage.objects.filter(stale_after_days__isnull=False):
        cutoff = today - dt.timedelta(days=stage.stale_after_days)
        condition |= Q(stage_id=stage.pk, last_activity_on__lt=cutoff)
    return condition & Q(status=LeadStatus.ACTIVE)


def responsible_officers(user: User) -> QuerySet[User]:
    """Officers and admins working within `user`'s 板块 (负责人 choices, the officer filter).

    Officers of other 板块 are neither offered nor named; the district's admins always are.
    """
    officers = User.objects.filter(role__in=("officer", "admin"), is_active=True)
    if not (permissions.sees_whole_district(user) and user.jurisdiction_id is None):
        officers = officers.filter(
            Q(jurisdiction_id__in=user.visible_jurisdiction_ids())
            | Q(role="admin", jurisdiction__isnull=True)
            | Q(pk=user.pk)
        )
    return officers.order_by("username")


class LeadFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label="关键词", method="filter_q")
    stage = django_filters.ModelChoiceFilter(
        label="阶段", queryset=Stage.objects.filter(is_active=True), empty_label="全部阶段"
    )
    channel = django_filters.ChoiceFilter(
        label="招商渠道", choices=Channel.choices, empty_label="全部渠道"
    )
    region = django_filters.CharFilter(label="来源地区", field_name="source_region")
    segment = django_filters.CharFilter(label="产业链", field_name="segment")
    jurisdiction = django_filters.ModelChoiceFilter(
        label="所属板块",
        queryset=Jurisdiction.objects.none(),
        method="filter_jurisdiction",
        empty_label="全部板块",
    )
    officer = django_filters.ModelChoiceFilter(
        label="责任人", queryset=User.objects.none(), empty_label="全部责任人"
    )
    status = django_filters.ChoiceFilter(
        label="项目状态", choices=LeadStatus.choices, empty_label="全部状态"
    )
    stale = django_filters.BooleanFilter(label="仅看停滞", method="filter_stale")
    # Leads that reached a stage (e.g. 落地注册) within the dates: the records behind an indicator
    # such as 招引科技型中小微企业数 (dashboards' drill-down).
    reached = django_filters.ModelChoiceFilter(
        label="进入阶段",
        queryset=Stage.objects.filter(is_active=True),
        method="filter_reached",
        empty_label="全部阶段",
    )
    reached_from = django_filters.DateFilter(label="进入日期起", method="filter_reached_on")
    reached_to = django_filters.DateFilter(label="进入日期止", method="filter_reached_on")
    sort = django_filters.ChoiceFilter(
        label="排序", choices=SORT_CHOICES, method="filter_sort", empty_label=None
    )

    class Meta:
        model = Lead
        fields = [
            "q",
            "stage",
            "channel",
            "region",
            "segment",
            "jurisdiction",
            "officer",
            "status",
            "stale",
            "reached",
            "reached_from",
            "reached_to",
            "sort",
        ]

    def __init__(self, data=None, queryset=None, *, user: User, **kwargs) -> None:  # noqa: ANN001, ANN003
        if data is not None:
            data = data.copy()
            data.setdefault("sort", "-last_activity_on")
        super().__init__(data, queryset=queryset, **kwargs)
        self.user = user
        self.filters["jurisdiction"].queryset = user.visible_jurisdictions()
        self.filters["officer"].queryset = responsible_officers(user)

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__contains=value) | Q(team_leader__contains=value) | Q(summary__contains=value)
        )

    def filter_jurisdiction(self, queryset: QuerySet, name: str, value: Jurisdiction) -> QuerySet:
        return queryset.filter(jurisdiction_id__in=value.subtree_ids()) if value else queryset

    def filter_stale(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(stale_q()) if value else queryset.exclude(stale_q())

    def filter_reached(self, queryset: QuerySet, name: str, value: Stage | None) -> QuerySet:
        if not value:
            return queryset
        changes = StageChange.all_objects.filter(to_stage=value)
        if self.form.cleaned_data.get("reached_from"):
            changes = changes.filter(changed_on__gte=self.form.cleaned_data["reached_from"])
        if self.form.cleaned_data.get("reached_to"):
            changes = changes.filter(changed_on__lte=self.form.cleaned_data["reached_to"])
        return queryset.filter(pk__in=changes.values("lead_id"))

    def filter_reached_on(self, queryset: QuerySet, name: str, value: object) -> QuerySet:
        # Read by filter_reached: the dates narrow a stage, they filter nothing on their own.
        return queryset

    def filter_sort(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "stage":
            return queryset.order_by("stage__order", "-last_activity_on", "id")
        if value == "next_follow_up_on":
            return queryset.order_by("next_follow_up_on", "id")
        if value == "-planned_investment":
            return queryset.order_by(F("planned_investment").desc(nulls_last=True), "id")
        if value in dict(SORT_CHOICES):
            return queryset.order_by(value, "-id")
        return queryset
