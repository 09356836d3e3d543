"""Reads of the enterprise master record; every one takes the acting user."""

from __future__ import annotations

import decimal
import json
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Field,
    FilteredRelation,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.dateparse import parse_date

from xinzhi.accounts.models import User
from xinzhi.core import aggregates
from xinzhi.core.models import AuditEvent
from xinzhi.core.scoping import Scope, ScopedModel
from xinzhi.core.timeline import TimelineItem
from xinzhi.enterprises.choices import EnterpriseScale, TitleType
from xinzhi.enterprises.filters import TITLE_GROUPS, EnterpriseFilterSet
from xinzhi.enterprises.models import (
    AnnualFigures,
    Enterprise,
    Incident,
    IntellectualProperty,
    TitleHeld,
)

ENTERPRISE_SCOPE = Scope(jurisdiction="enterprise__jurisdiction", enterprise="enterprise_id")


def visible_through_enterprise(model: type[ScopedModel], user: User) -> QuerySet:
    """`model.objects.visible_to(user)` for a model scoped through its enterprise, with a
    jurisdiction scope tested as EXISTS on the enterprise (same rows).

    As a join filter on the enterprise's jurisdiction, SQLite's planner may start from the
    jurisdiction's enterprises (an index of 35k entries for 高新区 at 100k enterprises) and
    look each one up in `model`'s table: when statistics favour it (evaluations: 11 rows per
    enterprise, then a sort of all of them) or when `model` has none yet (an empty table).
    As EXISTS, the query starts from `model`'s own rows and indexes whatever the statistics
    say. Other scopes (the district, an enterprise's own account) keep `visible_to`.
    """
    if model.SCOPE != ENTERPRISE_SCOPE or not aggregates.scope_key(user).startswith("j:"):
        return model.objects.visible_to(user)
    visible = Enterprise.objects.visible_to(user).filter(pk=OuterRef("enterprise_id"))
    return model.objects.unscoped().filter(Exists(visible))


def enterprise_filterset(*, user: User, params: Mapping[str, Any]) -> EnterpriseFilterSet:
    """The bound filter set over the enterprises `user` may see."""
    return EnterpriseFilterSet(
        params,
        queryset=Enterprise.objects.visible_to(user).select_related("jurisdiction"),
        user=user,
    )


def enterprise_list(
    *, user: User, params: Mapping[str, Any], filterset: EnterpriseFilterSet | None = None
) -> tuple[QuerySet, int]:
    """Filtered enterprises with the chosen year's figures and current titles prefetched.

    Pass the page's `filterset` to reuse it instead of building a second one.
    """
    filterset = filterset or enterprise_filterset(user=user, params=params)
    year = filterset.figures_year
    return _with_list_prefetches(filterset.qs, year), year


def _with_list_prefetches(queryset: QuerySet, year: int) -> QuerySet:
    """What each row of the list shows: the year's figures and the current titles."""
    today = timezone.localdate()
    return queryset.prefetch_related(
        Prefetch(
            "figures", queryset=AnnualFigures.all_objects.filter(year=year), to_attr="year_figures"
        ),
        Prefetch(
            "titles",
            queryset=TitleHeld.all_objects.filter(
                Q(valid_until__isnull=True) | Q(valid_until__gte=today)
            ).order_by("title"),
            to_attr="current_titles",
        ),
    )


# Sorts by one year's figure (largest first); the list page walks the figures index for these.
FIGURE_SORTS = {"-revenue": "revenue", "-rd_expense": "rd_expense"}
WALK_ROWS = 1_000  # pages starting past this many rows sort instead of walking the index


class FiguresSorted:
    """The filtered list in a year's revenue (or R&D expense) order, sliced for a page.

    The queryset's own SQL sorts every matching enterprise by a LEFT JOIN to the year's figures
    (linear in the matches: 137 ms for the 28k 高企 at 100k enterprises). A page is instead read
    by walking the `(year, -revenue, enterprise)` index from the top and keeping the figures
    whose enterprise is in the list (EXISTS), so page 1 reads about 50 ÷ (share of matches)
    index entries; enterprises without that year's figure follow, by id, as NULLS LAST puts
    them. Same rows and order as the queryset; `count()` is the queryset's.
    """

    def __init__(self, queryset: QuerySet, *, year: int, column: str) -> None:
        self.queryset = queryset
        self.year = year
        self.column = column
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            self._count = self.queryset.count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def _figures(self) -> QuerySet:
        return AnnualFigures.all_objects.filter(year=self.year, **{f"{self.column}__isnull": False})

    def __getitem__(self, key: slice) -> list[Enterprise]:
        start, stop = key.start or 0, key.stop if key.stop is not None else self.count()
        if start >= WALK_ROWS:
            # Deep pages: a walk would read ever more figures the narrower the list; sorting the
            # matches costs the same at any depth (and pages stop at 10,000 rows).
            return list(self.queryset[start:stop])
        members = self.queryset.order_by().filter(pk=OuterRef("enterprise_id"))
        walked = (
            self._figures()
            .filter(Exists(members))
            .order_by(f"-{self.column}", "enterprise_id")
            .values_list("enterprise_id", flat=True)
        )
        ids = list(walked[start:stop])
        if len(ids) < stop - start:
            # Past the last enterprise with the figure (only the list's last pages get here).
            skip = max(0, start - walked.count())
            rest = self.queryset.exclude(pk__in=self._figures().values("enterprise_id"))
            rest = rest.order_by("id").values_list("id", flat=True)
            ids += list(rest[skip : skip + stop - start - len(ids)])
        # The ids passed the list's filters and scope above: read those rows by key alone.
        by_key = Enterprise.all_objects.select_related("jurisdiction").filter(pk__in=ids)
        rows = {e.pk: e for e in _with_list_prefetches(by_key, self.year)}
        return [rows[pk] for pk in ids]


def enterprise_count(*, user: User, filterset: EnterpriseFilterSet) -> int | None:
    """The list's row count from the home page's cached counts when nothing but a 资质 narrows
    it (year and sort hide nobody), else None (count the rows).

    Counting the 28k current 高企 at 100k enterprises costs ~30 ms and building the holders'
    list ~20 ms per request; the cached counts are renewed when a service changes enterprises
    or titles, and each day (titles expire at midnight).
    """
    if not filterset.is_valid():
        return None
    data = filterset.form.cleaned_data
    # A 认定日期 range or a group of titles counts other rows than the holders counted at home.
    narrowing = ("q", "jurisdiction", "tag", "scale", "awarded_from", "awarded_to")
    if any(data.get(name) for name in narrowing) or data.get("title") in TITLE_GROUPS:
        return None
    overview = home_overview(user)
    if "title_counts" not in overview:  # cached before the counts were kept
        return None
    title = data.get("title")
    return overview["title_counts"].get(title, 0) if title else overview["enterprise_count"]


def enterprise_rows(queryset: QuerySet, filterset: EnterpriseFilterSet) -> QuerySet | FiguresSorted:
    """What the list page paginates: the queryset, or its index walk for a figures sort."""
    sort = filterset.form.cleaned_data.get("sort") if filterset.is_valid() else ""
    if sort in FIGURE_SORTS:
        return FiguresSorted(queryset, year=filterset.figures_year, column=FIGURE_SORTS[sort])
    return queryset


EXPORT_CHUNK = 2_000


# The enterprise's own columns of the export, read as plain values (exports.enterprise_columns),
# then the year's figures joined (`export_year`).
EXPORT_FIELDS = (
    "id",
    "credit_code",
    "name",
    "jurisdiction__short_name",
    "jurisdiction__name",
    "registered_on",
    "industry",
    "hightech_field",
    "scale",
    "legal_representative",
    "contact_name",
    "contact_phone",
    "address",
    "is_demo",
    "export_year__employees",
    "export_year__revenue",
    "export_year__rd_expense",
)
# Read as the database returns them and converted by `_export_tuples`: Django's generic
# per-value converters (text dates, 0/1 flags and float amounts on SQLite) cost about a third
# of reading the rows.
RAW_EXPORT_FIELDS = frozenset(
    {"registered_on", "is_demo", "export_year__revenue", "export_year__rd_expense"}
)


def enterprise_export_rows(queryset: QuerySet, year: int) -> Iterator[tuple[Any, ...]]:
    """The list's enterprises for the Excel export (企业名录导出), streamed as tuples.

    Each tuple holds the cells of `exports.enterprise_columns` in order. The enterprises and
    the year's figures are read in one query with `values_list`, and per chunk of 2,000 their
    current titles and tags as plain values: building a model instance per row cost more than
    writing its 17 cells (7.9k rows per CPU second end to end, against 40k for the writer).
    """
    fields = [
        ExpressionWrapper(F(name), output_field=Field()) if name in RAW_EXPORT_FIELDS else name
        for name in EXPORT_FIELDS
    ]
    rows = (
        queryset.prefetch_related(None)
        .annotate(export_year=FilteredRelation("figures", condition=Q(figures__year=year)))
        .values_list(*fields)
    )
    batch: list[tuple[Any, ...]] = []
    for row in rows.iterator(chunk_size=EXPORT_CHUNK):
        batch.append(row)
        if len(batch) == EXPORT_CHUNK:
            yield from _export_tuples(batch)
            batch = []
    yield from _export_tuples(batch)


def bound_in(values: list[int] | list[str]) -> RawSQL:
    """Ids (or texts) as one bound parameter for `__in`: Django prepares each element of an
    `__in` list in Python (~20 ms per 2,000 ids), which cost the export and the import more
    than their queries."""
    if connection.vendor == "postgresql":
        if values and isinstance(values[0], str):
            return RawSQL("SELECT unnest(%s::text[])", (list(values),))
        return RawSQL("SELECT unnest(%s::bigint[])", (list(values),))
    return RawSQL("SELECT value FROM json_each(%s)", (json.dumps(values),))


def _amount_reader() -> Callable[[Any], Decimal | None]:
    """A stored amount as Django's reader and `core.limits.DecimalField` give it: on SQLite a
    float or integer rounded to 15 significant digits, then to the field's decimal places;
    non-finite → empty."""
    field = AnnualFigures._meta.get_field("revenue")
    places = Decimal(1).scaleb(-field.decimal_places)
    context, from_float = field.context, decimal.Context(prec=15).create_decimal_from_float
    sqlite = connection.vendor == "sqlite"

    def amount(value: Any) -> Decimal | None:
        if value is None:
            return None
        if sqlite:
            number = Decimal(value) if value.__class__ in (int, str) else from_float(value)
            value = number.quantize(places, context=context)
        return value if value.is_finite() else None

    return amount


def _export_tuples(batch: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    if not batch:
        return []
    ids = bound_in([row[0] for row in batch])
    titles: dict[int, list[str]] = defaultdict(list)
    today = timezone.localdate()
    labels = dict(TitleType.choices)
    current = TitleHeld.all_objects.filter(enterprise_id__in=ids).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    )
    for enterprise_id, title, name in current.order_by("title", "id").values_list(
        "enterprise_id", "title", "name"
    ):
        titles[enterprise_id].append(name or labels.get(title, title))
    tags: dict[int, list[str]] = defaultdict(list)
    through = Enterprise.tags.through.objects.filter(enterprise_id__in=ids)
    for enterprise_id, tag in through.order_by("tag__name").values_list(
        "enterprise_id", "tag__name"
    ):
        tags[enterprise_id].append(tag)
    scales = dict(EnterpriseScale.choices)
    join, amount = "、".join, _amount_reader()
    return [
        (
            code,
            name,
            short_name or jurisdiction_name,  # Jurisdiction.label
            registered_on if registered_on.__class__ is not str else parse_date(registered_on),
            industry,
            hightech_field,
            scales.get(scale, scale),  # get_scale_display()
            join(tags.get(pk, ())),
            join(titles.get(pk, ())),
            employees,
            amount(revenue),
            amount(rd_expense),
            legal_representative,
            contact_name,
            contact_phone,
            address,
            "示例数据" if is_demo else "",
        )
        for (
            pk,
            code,
            name,
            short_name,
            jurisdiction_name,
            registered_on,
            industry,
            hightech_field,
            scale,
            legal_representative,
            contact_name,
            contact_phone,
            address,
            is_demo,
            employees,
            revenue,
            rd_expense,
        ) in batch
    ]


def enterprise_get(*, user: User, pk: int) -> Enterprise:
    """One enterprise `user` may see; raises Enterprise.DoesNotExist otherwise (→ 404)."""
    return (
        Enterprise.objects.visible_to(user)
        .select_related("jurisdiction")
        .prefetch_related("tags")
        .get(pk=pk)
    )


def enterprise_figures(*, user: User, enterprise: Enterprise) -> list[AnnualFigures]:
    return list(
        AnnualFigures.objects.visible_to(user).filter(enterprise=enterprise).order_by("year")
    )


def enterprise_titles(*, user: User, enterprise: Enterprise) -> list[TitleHeld]:
    return list(
        TitleHeld.objects.visible_to(user)
        .filter(enterprise=enterprise)
        .order_by("-valid_from", "-id")
    )


def enterprise_ip(*, user: User, enterprise: Enterprise) -> list[IntellectualProperty]:
    return list(
        IntellectualProperty.objects.visible_to(user)
        .filter(enterprise=enterprise)
        .order_by("-granted_on", "id")
    )


def enterprise_incidents(*, user: User, enterprise: Enterprise) -> list[Incident]:
    return list(
        Incident.objects.visible_to(user)
        .filter(enterprise=enterprise)
        .order_by(F("occurred_on").desc(nulls_first=True), "-id")
    )


def enterprise_ip_summary(rights: list[IntellectualProperty]) -> dict[str, int]:
    class_one = [r for r in rights if r.ip_class == "Ⅰ类"]
    return {
        "class1": len(class_one),
        "class1_self_developed": sum(1 for r in class_one if r.self_developed),
        "class1_high_value": sum(1 for r in class_one if r.high_value),
        "class2": len(rights) - len(class_one),
    }


def enterprise_audit_events(*, user: User, enterprise: Enterprise, limit: int = 100) -> list:
    return list(
        AuditEvent.objects.visible_to(user)
        .filter(enterprise_id=enterprise.pk)
        .order_by("-created_at", "-id")[:limit]
    )


def enterprise_chart(figures: list[AnnualFigures]) -> dict[str, list]:
    """Revenue and R&D intensity by year, for the ECharts chart on the detail page."""
    years, revenue, rd, intensity = [], [], [], []
    for row in figures:
        years.append(str(row.year))
        revenue.append(float(row.revenue) if row.revenue is not None else None)
        rd.append(float(row.rd_expense) if row.rd_expense is not None else None)
        ratio = row.rd_intensity
        intensity.append(round(float(ratio) * 100, 2) if ratio is not None else None)
    return {
        "kind": "revenueRd",
        "years": years,
        "revenue": revenue,
        "rd": rd,
        "intensity": intensity,
    }


def enterprise_timeline_items(enterprise: Enterprise, user: User) -> list[TimelineItem]:
    """The master record's own events: founding, titles, yearly figures, edits."""
    items: list[TimelineItem] = []
    if enterprise.registered_on:
        items.append(TimelineItem(enterprise.registered_on, "成立", "企业注册成立"))
    for title in enterprise_titles(user=user, enterprise=enterprise):
        if title.valid_from:
            level = title.get_level_display() if title.level else ""
            items.append(
                TimelineItem(
                    title.valid_from,
                    "资质",
                    f"获评{level}{title.display_name}",
                    title.certificate_no and f"证书编号 {title.certificate_no}",
                )
            )
    for event in enterprise_audit_events(user=user, enterprise=enterprise, limit=30):
        if (
            event.action == AuditEvent.Action.CREATE
            and event.object_type == "enterprises.enterprise"
        ):
            items.append(
                TimelineItem(
                    timezone.localdate(event.created_at), "入库", f"{event.actor_name} 录入企业库"
                )
            )
    return items


HOME_LADDER_TITLES = (
    TitleType.TECH_SME,
    TitleType.HNTE,
    TitleType.GAZELLE,
    TitleType.SEED_UNICORN,
    TitleType.POTENTIAL_UNICORN,
    TitleType.UNICORN,
    TitleType.LISTED,
    TitleType.LITTLE_GIANT,
)


def home_overview(user: User) -> dict[str, Any]:
    """Enterprise and current-title counts inside the user's jurisdiction (首页), cached."""
    return aggregates.cached(
        "home",
        user=user,
        topics=(aggregates.ENTERPRISES, aggregates.TITLES),
        compute=lambda: _home_overview_live(user),
    )


def _home_overview_live(user: User) -> dict[str, Any]:
    today = timezone.localdate()
    titles = (
        TitleHeld.objects.visible_to(user)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .values("title")
        .annotate(n=Count("enterprise", distinct=True))
    )
    by_title = {row["title"]: row["n"] for row in titles}
    return {
        "enterprise_count": Enterprise.objects.visible_to(user).count(),
        "ladder": [(TitleType(code).label, by_title.get(code, 0)) for code in HOME_LADDER_TITLES],
        # enterprises holding each title now: the list's count under a 资质 filter
        "title_counts": by_title,
    }
