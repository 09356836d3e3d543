"""Reads of the briefings app: briefings in the caller's scope, their snapshots as figures, the
sentence templates as specs, and the live figures the dashboards compute."""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from xinzhi.accounts.models import Jurisdiction, User
from xinzhi.briefings.filters import BriefingFilter
from xinzhi.briefings.models import Briefing, BriefingFigure, Section, SentenceTemplate
from xinzhi.briefings.phrasing import SectionSpec, Sentence
from xinzhi.dashboards import selectors as dashboards
from xinzhi.dashboards.figures import CityRanking, IndicatorFigure, Period, TargetFigure

Unit = tuple[int | None, str]


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def previous_month(today: dt.date) -> tuple[int, int]:
    """(year, month) of the month before `today`: the month a briefing is usually written for."""
    first = today.replace(day=1) - dt.timedelta(days=1)
    return first.year, first.month


def district_name() -> str:
    """The district's short name (武进区), from the jurisdiction tree's root."""
    root = Jurisdiction.objects.filter(parent__isnull=True).order_by("sort_order", "id").first()
    return root.label if root is not None else "全区"


def visible_units(*, user: User) -> list[Unit]:
    """(None or 板块 id, name) the user may report on, the district first (from dashboards)."""
    return dashboards.visible_units(user=user)


def indicator_choices() -> list[tuple[str, str]]:
    """(code, name) of the active indicators (the dashboards' library)."""
    return dashboards.indicator_choices()


def live_figures(*, user: User, year: int, month: int, units: list[Unit]) -> list[IndicatorFigure]:
    """1—N月 figures of each unit, as the dashboards compute them now (scoped to `user`)."""
    through = month_end(year, month)
    figures: list[IndicatorFigure] = []
    for unit_id, _name in units:
        figures.extend(
            dashboards.indicator_figures(
                user=user, year=year, through=through, jurisdiction_id=unit_id
            )
        )
    return figures


def report_units(*, user: User, jurisdiction_id: int | None) -> list[Unit]:
    """The columns of a report on `jurisdiction_id`: the district and every 板块 the user sees,
    or the one 板块. Raises LookupError for a unit the user may not report on."""
    units = visible_units(user=user)
    if jurisdiction_id is None:
        if not units or units[0][0] is not None:
            raise LookupError(jurisdiction_id)
        return units
    chosen = [unit for unit in units if unit[0] == jurisdiction_id]
    if not chosen:
        raise LookupError(jurisdiction_id)
    return chosen


def briefing_list(*, user: User, params: dict | None = None) -> BriefingFilter:
    """统计报告 list: the briefings the user may see, filtered (page and any export share it)."""
    queryset = Briefing.objects.visible_to(user).select_related("jurisdiction", "generated_by")
    return BriefingFilter(params or None, queryset=queryset, user=user)


def briefing_get(*, user: User, pk: int) -> Briefing:
    """One briefing in the user's scope; 404 outside it."""
    return get_object_or_404(Briefing.objects.visible_to(user), pk=pk)


def briefing_rows(briefing: Briefing) -> QuerySet[BriefingFigure]:
    return BriefingFigure.all_objects.filter(briefing=briefing).order_by("order")


def snapshot_figures(briefing: Briefing) -> list[IndicatorFigure]:
    """The briefing's stored figures, as the `IndicatorFigure`s they were taken from."""
    return [row_figure(row) for row in briefing_rows(briefing)]


def row_figure(row: BriefingFigure) -> IndicatorFigure:
    period = Period(
        year=row.period_end.year,
        start=row.period_start,
        end=row.period_end,
        cumulative=row.cumulative,
        label=row.period_label,
        elapsed=row.elapsed,
    )
    targets = tuple(
        TargetFigure(
            level=item["level"],
            level_label=item["level_label"],
            value=Decimal(item["value"]),
            progress=None if item["progress"] is None else Decimal(item["progress"]),
        )
        for item in row.targets
    )
    ranking = (
        CityRanking(rank=row.city_rank, among=row.city_among or 0, source=row.city_rank_source)
        if row.city_rank is not None
        else None
    )
    return IndicatorFigure(
        code=row.code,
        name=row.name,
        unit=row.unit,
        period=period,
        jurisdiction_id=row.unit_id,
        jurisdiction_name=row.jurisdiction_name,
        actual=row.actual,
        targets=targets,
        source=row.source,
        source_note=row.source_note,
        city_ranking=ranking,
        drilldown_url=None,
    )


def sections() -> QuerySet[Section]:
    return Section.objects.prefetch_related("sentences").order_by("order", "id")


def template_list() -> QuerySet[SentenceTemplate]:
    return SentenceTemplate.objects.select_related("section").order_by(
        "section__order", "section_id", "order", "id"
    )


def template_specs() -> list[SectionSpec]:
    """The templates as the renderer reads them: sections in order, active sentences in order."""
    specs = []
    for section in sections():
        sentences = sorted(
            (s for s in section.sentences.all() if s.is_active), key=lambda s: (s.order, s.pk)
        )
        specs.append(
            SectionSpec(
                title=section.title,
                opening=section.opening,
                sentences=tuple(
                    Sentence(code=s.code, text=s.text, rank_text=s.rank_text, joiner=s.joiner)
                    for s in sentences
                ),
            )
        )
    return specs


def scope_name(unit_id: int | None, unit_name: str) -> str:
    """What {范围} reads: 全区 for the district, the 板块's name otherwise."""
    return "全区" if unit_id is None else unit_name
