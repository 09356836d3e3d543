"""Filter sets of the candidate lists (候选名单: page, API, export) and the stage list (page)."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, QuerySet

from xinzhi.accounts.models import Jurisdiction, User
from xinzhi.cultivation.choices import CANDIDATE_READINESS, Readiness
from xinzhi.cultivation.models import TrackChange
from xinzhi.enterprises.models import Enterprise

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
    readiness = django_filters.ChoiceFilter(
        label="结论",
        choices=[
            (Readiness.ELIGIBLE, "符合"),
            (Readiness.TO_VERIFY, "待核实"),
            (Readiness.DATA_MISSING, "数据不全（待补数据）"),
        ],
        method="filter_readiness",
        empty_label="符合与待核实",
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
        # EXISTS rather than a join filter, like the scope (selectors.evaluations_in_scope): the
        # planner then starts from the candidate index whatever its statistics say.
        enterprises = Enterprise.all_objects.filter(
            pk=OuterRef("enterprise_id"), jurisdiction_id__in=value.subtree_ids()
        )
        return queryset.filter(Exists(enterprises))

    def filter_readiness(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # 数据不全 is a data-collection worklist, shown only when asked for (never a candidate).
        return queryset.filter(readiness__in=[value] if value else CANDIDATE_READINESS)

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("readiness"):
            queryset = queryset.filter(readiness__in=CANDIDATE_READINESS)
        return queryset

    def filter_sort(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "-score":
            return queryset.order_by("-score_max", "-score_min", "enterprise__name")
        if value == "name":
            return queryset.order_by("enterprise__name", "id")
        # Eligible first, then the smallest worst-case shortfall of points, the highest score;
        # ties in the enterprises' order of entry, as the candidate index holds them: a page
        # then stops after 50 rows, where a tie by name sorted a whole tie group (7.6k rows at
        # 100k enterprises, 30 ms). Sorting by name is the "name" choice.
        return queryset.order_by("readiness", "score_gap", "-score_max", "enterprise_id", "id")


class StageFilterSet(django_filters.FilterSet):
    """The stage list (培育阶段名单): the tracks at the stage, by 板块; with a date range, the
    tracks that entered the stage in it, wherever they are now — the records behind 申报高企数
    and 科小入库评价数 (dashboards' drill-down)."""

    jurisdiction = django_filters.ModelChoiceFilter(
        label="所属板块",
        queryset=Jurisdiction.objects.none(),
        method="filter_jurisdiction",
        empty_label="全部板块",
    )
    entered_from = django_filters.DateFilter(label="进入阶段日期起", method="filter_entered")
    entered_to = django_filters.DateFilter(label="进入阶段日期止", method="filter_entered")

    def __init__(self, data=None, queryset=None, *, user: User, stage: str, **kwargs) -> None:  # noqa: ANN001, ANN003
        super().__init__(data, queryset=queryset, **kwargs)
        self.stage = stage
        self.filters["jurisdiction"].queryset = user.visible_jurisdictions()

    def filter_jurisdiction(self, queryset: QuerySet, name: str, value: Jurisdiction) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(enterprise__jurisdiction_id__in=value.subtree_ids())

    def filter_entered(self, queryset: QuerySet, name: str, value: object) -> QuerySet:
        if name != "entered_from" and self.form.cleaned_data.get("entered_from"):
            return queryset  # both ends are applied once, by the first
        start, end = (self.form.cleaned_data.get(k) for k in ("entered_from", "entered_to"))
        moves = TrackChange.all_objects.filter(track_id=OuterRef("pk"), to_stage=self.stage)
        if start:
            moves = moves.filter(changed_on__gte=start)
        if end:
            moves = moves.filter(changed_on__lte=end)
        return queryset.filter(Exists(moves))

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        if not (data.get("entered_from") or data.get("entered_to")):
            queryset = queryset.filter(stage=self.stage)
        return queryset
