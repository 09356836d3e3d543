"""The one filter set of the enterprise list, shared by the page, the API and the export."""

from __future__ import annotations

import re

import django_filters
from django.db.models import Exists, F, FilteredRelation, OuterRef, Q, QuerySet
from django.utils import timezone

from xinzhi.accounts.models import Jurisdiction, User
from xinzhi.enterprises.choices import EnterpriseScale, TitleType
from xinzhi.enterprises.models import Enterprise, TitleHeld
from xinzhi.enterprises.validators import credit_code_problem, normalize_credit_code

CODE_PREFIX = re.compile(r"[0-9][0-9A-Z]{3,17}")
SORT_CHOICES = [
    ("name", "企业名称"),
    ("-registered_on", "成立日期（新→旧）"),
    ("registered_on", "成立日期（旧→新）"),
    ("-revenue", "销售收入（高→低）"),
    ("-rd_expense", "研发费用（高→低）"),
    ("-updated_at", "最近更新"),
]
# A `title` value naming several titles, as an indicator counts them together
# (获评独角兽企业（潜在独角兽企业）数, the dashboards' drill-down).
TITLE_GROUPS = {"unicorn_or_potential": (TitleType.UNICORN, TitleType.POTENTIAL_UNICORN)}
TITLE_CHOICES = [*TitleType.choices, ("unicorn_or_potential", "独角兽或潜在独角兽")]


def default_figures_year() -> int:
    """The last complete fiscal year."""
    return timezone.localdate().year - 1


def year_choices() -> list[tuple[int, str]]:
    latest = default_figures_year()
    return [(y, f"{y}年") for y in range(latest, latest - 6, -1)]


class EnterpriseFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label="关键词", method="filter_q")
    jurisdiction = django_filters.ModelChoiceFilter(
        label="所属板块",
        queryset=Jurisdiction.objects.none(),
        method="filter_jurisdiction",
        empty_label="全部板块",
    )
    title = django_filters.ChoiceFilter(
        label="资质", choices=TITLE_CHOICES, method="filter_title", empty_label="全部资质"
    )
    # With `title`: enterprises whose title was awarded (认定日期) in the range, valid today or
    # not — the records behind an indicator such as 获评瞪羚企业数 (dashboards' drill-down).
    awarded_from = django_filters.DateFilter(label="认定日期起", method="filter_awarded")
    awarded_to = django_filters.DateFilter(label="认定日期止", method="filter_awarded")
    tag = django_filters.CharFilter(label="产业标签", method="filter_tag")
    scale = django_filters.ChoiceFilter(
        label="规模", choices=EnterpriseScale.choices, empty_label="全部规模"
    )
    year = django_filters.ChoiceFilter(
        label="数据年度", choices=[], method="filter_year", empty_label=None
    )
    sort = django_filters.ChoiceFilter(
        label="排序", choices=SORT_CHOICES, method="filter_sort", empty_label=None
    )

    class Meta:
        model = Enterprise
        fields = [
            "q",
            "jurisdiction",
            "title",
            "awarded_from",
            "awarded_to",
            "tag",
            "scale",
            "year",
            "sort",
        ]

    def __init__(self, data=None, queryset=None, *, user: User, **kwargs) -> None:  # noqa: ANN001, ANN003
        if data is not None:
            data = data.copy()
            data.setdefault("year", str(default_figures_year()))
            data.setdefault("sort", "name")
        super().__init__(data, queryset=queryset, **kwargs)
        self.user = user
        self.filters["jurisdiction"].queryset = user.visible_jurisdictions()
        self.filters["year"].extra["choices"] = year_choices()

    @property
    def figures_year(self) -> int:
        if self.is_bound and self.is_valid() and self.form.cleaned_data.get("year"):
            return int(self.form.cleaned_data["year"])
        return default_figures_year()

    @property
    def credit_code_hint(self) -> str:
        """Why a full 18-character code cannot match: every stored code passed validation."""
        value = (self.data.get("q") or "").strip() if self.is_bound else ""
        code = normalize_credit_code(value).upper()
        return (credit_code_problem(code) or "") if len(code) == 18 else ""

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        code = normalize_credit_code(value).upper()
        if CODE_PREFIX.fullmatch(code):
            return queryset.filter(Q(credit_code__startswith=code) | Q(name__contains=value))
        return queryset.filter(name__contains=value)

    def filter_jurisdiction(self, queryset: QuerySet, name: str, value: Jurisdiction) -> QuerySet:
        return queryset.filter(jurisdiction_id__in=value.subtree_ids()) if value else queryset

    def filter_title(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        titles = TITLE_GROUPS.get(value, (value,))
        awarded = {k: self.form.cleaned_data.get(k) for k in ("awarded_from", "awarded_to")}
        if any(awarded.values()):
            held = TitleHeld.all_objects.filter(title__in=titles)
            if awarded["awarded_from"]:
                held = held.filter(valid_from__gte=awarded["awarded_from"])
            if awarded["awarded_to"]:
                held = held.filter(valid_from__lte=awarded["awarded_to"])
            return queryset.filter(pk__in=held.values("enterprise_id"))
        today = timezone.localdate()
        # A correlated EXISTS (one lookup in the enterprise's titles per row read), not
        # IN (subquery): SQLite builds the IN list of every holder first (28k 高企 at 100k
        # enterprises, 20-30 ms) even for a page that reads 50 rows by name or walks the
        # revenue index. A count costs the same either way (~30 ms for 高新区's 高企); the
        # list's count under a 资质 alone comes from the cached home counts.
        valid = TitleHeld.all_objects.filter(enterprise_id=OuterRef("pk"), title__in=titles).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=today)
        )
        return queryset.filter(Exists(valid))

    def filter_awarded(self, queryset: QuerySet, name: str, value: object) -> QuerySet:
        # Read by filter_title: the range narrows a title, it filters nothing on its own.
        return queryset

    def filter_tag(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        through = Enterprise.tags.through.objects.filter(tag__name=value)
        return queryset.filter(pk__in=through.values("enterprise_id"))

    def filter_year(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        # The year chooses which figures the list shows and sorts by; it hides nobody.
        return queryset

    def filter_sort(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value in ("-revenue", "-rd_expense"):
            column = value.lstrip("-")
            queryset = queryset.annotate(
                fy=FilteredRelation("figures", condition=Q(figures__year=self.figures_year))
            )
            return queryset.order_by(F(f"fy__{column}").desc(nulls_last=True), "id")
        if value in dict(SORT_CHOICES):
            return queryset.order_by(value, "id")
        return queryset
