"""Computations (计算口径): how each computed indicator counts the other apps' records.

A computation names the rows of a period in the acting user's scope (`visible_to(user)`) and how
they are measured; `count` gives the figure over a jurisdiction subtree (or everything the user
sees), `by_unit` the figure of every jurisdiction in one grouped query (各板块比较).
The indicator library (`Indicator.computation`) names one of these keys; an indicator without a
key is typed in (`ManualValue`). The drill-down link opens the app's own scoped list, filtered
to the records behind the figure, where that list has the filters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.db.models import Count, QuerySet, Sum
from django.urls import reverse

from xinzhi.attraction.choices import STAGE_REGISTERED
from xinzhi.attraction.models import StageChange
from xinzhi.calls.choices import ApplicationStatus, CallKind
from xinzhi.calls.models import Application
from xinzhi.cultivation.choices import LadderStage
from xinzhi.cultivation.models import TrackChange
from xinzhi.enterprises.choices import TitleType
from xinzhi.enterprises.models import TitleHeld
from xinzhi.finance.models import Loan
from xinzhi.projects.models import MonthlyReport
from xinzhi.rewards.models import Payment

if TYPE_CHECKING:
    from xinzhi.accounts.models import User

ZERO = Decimal(0)
WUKEDAI = "wukedai"
STAGE_SIGNED = "signed"


@dataclass(frozen=True)
class Computation:
    """A computed indicator: the scoped rows of the period and how they are measured."""

    key: str
    label: str  # 口径, shown with the figure
    rows: Callable[[User, dt.date, dt.date], QuerySet]  # scoped, within the period
    measure: str = "count"  # "count" rows, "distinct" values of `field`, "sum" of `field`
    field: str = "pk"
    divisor: int = 1  # reward payments are stored in 元, reported in 万元
    drilldown: Callable[..., str | None] | None = None

    def _aggregate(self) -> Count | Sum:
        if self.measure == "sum":
            return Sum(self.field)
        return Count(self.field, distinct=self.measure == "distinct")

    def _value(self, raw: object) -> Decimal:
        value = Decimal(raw or 0)
        return (value / self.divisor).quantize(Decimal("0.01")) if self.divisor != 1 else value

    def _path(self, queryset: QuerySet) -> str:
        return f"{queryset.model.SCOPE.jurisdiction}_id"

    def count(
        self, *, user: User, start: dt.date, end: dt.date, units: list[int] | None
    ) -> Decimal:
        """The figure over `units` (a jurisdiction subtree; None: all the user sees)."""
        queryset = self.rows(user, start, end)
        if units is not None:
            queryset = queryset.filter(**{f"{self._path(queryset)}__in": units})
        return self._value(queryset.aggregate(v=self._aggregate())["v"])

    def by_unit(self, *, user: User, start: dt.date, end: dt.date) -> dict[int, Decimal]:
        """The figure per jurisdiction (leaf) in one query; a record belongs to one unit, so a
        subtree's figure is the sum over its units (各板块比较)."""
        queryset = self.rows(user, start, end)
        path = self._path(queryset)
        grouped = queryset.order_by().values(path).annotate(v=self._aggregate())
        return {row[path]: self._value(row["v"]) for row in grouped}


@dataclass(frozen=True)
class NetIncrease(Computation):
    """净增: rows valid at `end` minus rows valid the day before `start`."""

    valid_on: Callable[[User, dt.date], QuerySet] | None = None

    def _both(self, user: User, start: dt.date, end: dt.date) -> tuple[QuerySet, QuerySet]:
        assert self.valid_on is not None
        return self.valid_on(user, start - dt.timedelta(days=1)), self.valid_on(user, end)

    def count(
        self, *, user: User, start: dt.date, end: dt.date, units: list[int] | None
    ) -> Decimal:
        before, after = self._both(user, start, end)
        if units is not None:
            path = f"{before.model.SCOPE.jurisdiction}_id__in"
            before, after = before.filter(**{path: units}), after.filter(**{path: units})
        aggregate = Count(self.field, distinct=True)
        return Decimal(
            (after.aggregate(v=aggregate)["v"] or 0) - (before.aggregate(v=aggregate)["v"] or 0)
        )

    def by_unit(self, *, user: User, start: dt.date, end: dt.date) -> dict[int, Decimal]:
        before, after = self._both(user, start, end)
        path = f"{before.model.SCOPE.jurisdiction}_id"
        result: dict[int, Decimal] = {}
        for queryset, sign in ((after, 1), (before, -1)):
            grouped = queryset.order_by().values(path).annotate(v=Count(self.field, distinct=True))
            for row in grouped:
                result[row[path]] = result.get(row[path], Decimal(0)) + sign * row["v"]
        return result


def _ladder_applications(family: str) -> Callable[[User, dt.date, dt.date], QuerySet]:
    def rows(user: User, start: dt.date, end: dt.date) -> QuerySet:
        return TrackChange.objects.visible_to(user).filter(
            track__family=family,
            to_stage=LadderStage.APPLY,
            changed_on__gte=start,
            changed_on__lte=end,
        )

    return rows


def _titles_awarded(*titles: str) -> Callable[[User, dt.date, dt.date], QuerySet]:
    def rows(user: User, start: dt.date, end: dt.date) -> QuerySet:
        return TitleHeld.objects.visible_to(user).filter(
            title__in=titles, valid_from__gte=start, valid_from__lte=end
        )

    return rows


def _hnte_valid_on(user: User, day: dt.date) -> QuerySet:
    held = TitleHeld.objects.visible_to(user).filter(title=TitleType.HNTE, valid_from__lte=day)
    return held.exclude(valid_until__lt=day)


def _hnte_valid_at_end(user: User, start: dt.date, end: dt.date) -> QuerySet:
    return _hnte_valid_on(user, end)


def _leads_reaching(stage_code: str) -> Callable[[User, dt.date, dt.date], QuerySet]:
    def rows(user: User, start: dt.date, end: dt.date) -> QuerySet:
        return StageChange.objects.visible_to(user).filter(
            to_stage__code=stage_code, changed_on__gte=start, changed_on__lte=end
        )

    return rows


def _recognitions(user: User, start: dt.date, end: dt.date) -> QuerySet:
    """区科技项目认定: approved applications of 认定 calls decided in the period."""
    return Application.objects.visible_to(user).filter(
        call__kind=CallKind.CERTIFICATION,
        status=ApplicationStatus.APPROVED,
        decided_at__date__gte=start,
        decided_at__date__lte=end,
    )


def _wukedai(user: User, start: dt.date, end: dt.date) -> QuerySet:
    return Loan.objects.visible_to(user).filter(
        product__code=WUKEDAI, disbursed_on__gte=start, disbursed_on__lte=end
    )


def _project_reports(user: User, start: dt.date, end: dt.date) -> QuerySet:
    """区重点项目完成投资 (万元): the monthly reports of the period's months."""
    return MonthlyReport.objects.visible_to(user).filter(
        month__gte=start.replace(day=1), month__lte=end
    )


def _payments(user: User, start: dt.date, end: dt.date) -> QuerySet:
    return Payment.objects.visible_to(user).filter(paid_on__gte=start, paid_on__lte=end)


# --- drill-downs: the existing scoped lists, filtered ------------------------------------------
# Every list linked here takes `jurisdiction` (a 板块 and its subtree): the figures narrow a
# district link to a 板块 by adding it.


def _url(name: str, **params: object) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{reverse(name)}?{query}" if query else reverse(name)


def wukedai_drilldown(*, start: dt.date, end: dt.date, jurisdiction_id: int | None) -> str:
    from xinzhi.finance.models import LoanProduct

    product = LoanProduct.objects.filter(code=WUKEDAI).values_list("pk", flat=True).first()
    return _url(
        "finance:loan_list",
        product=product,
        disbursed_from=start.isoformat(),
        disbursed_to=end.isoformat(),
        jurisdiction=jurisdiction_id,
    )


def reward_paid_drilldown(*, start: dt.date, end: dt.date, jurisdiction_id: int | None) -> str:
    """The entitlements paid in the period (one payment each), of whatever year they are for."""
    return _url(
        "rewards:list",
        paid_from=start.isoformat(),
        paid_to=end.isoformat(),
        jurisdiction=jurisdiction_id,
    )


def recognitions_drilldown(
    *, start: dt.date, end: dt.date, jurisdiction_id: int | None
) -> str | None:
    """The approvals of the one 认定 call decided in the period: the application list is per
    call, so a period whose approvals span several calls has no single list (no link)."""
    calls = set(
        Application.all_objects.filter(
            call__kind=CallKind.CERTIFICATION,
            status=ApplicationStatus.APPROVED,
            decided_at__date__gte=start,
            decided_at__date__lte=end,
        ).values_list("call_id", flat=True)
    )
    if len(calls) != 1:
        return None
    query = urlencode(
        {
            "status": ApplicationStatus.APPROVED,
            "decided_from": start.isoformat(),
            "decided_to": end.isoformat(),
            **({"jurisdiction": jurisdiction_id} if jurisdiction_id else {}),
        }
    )
    return f"{reverse('calls:applications', args=[calls.pop()])}?{query}"


def key_projects_drilldown(*, start: dt.date, end: dt.date, jurisdiction_id: int | None) -> str:
    """The key projects whose monthly reports of the period's months make up the sum."""
    return _url(
        "projects:list",
        reported_from=start.replace(day=1).isoformat(),
        reported_to=end.isoformat(),
        jurisdiction=jurisdiction_id,
    )


def _ladder_drilldown(family: str) -> Callable[..., str]:
    def url(*, start: dt.date, end: dt.date, jurisdiction_id: int | None) -> str:
        query = urlencode(
            {
                "entered_from": start.isoformat(),
                "entered_to": end.isoformat(),
                **({"jurisdiction": jurisdiction_id} if jurisdiction_id else {}),
            }
        )
        path = reverse("cultivation:stage_list", args=[family, LadderStage.APPLY])
        return f"{path}?{query}"

    return url


def _titles_drilldown(title: str) -> Callable[..., str]:
    def url(*, start: dt.date, end: dt.date, jurisdiction_id: int | None) -> str:
        return _url(
            "enterprises:list",
            title=title,
            awarded_from=start.isoformat(),
            awarded_to=end.isoformat(),
            jurisdiction=jurisdiction_id,
        )

    return url


def _leads_drilldown(stage_code: str) -> Callable[..., str | None]:
    def url(*, start: dt.date, end: dt.date, jurisdiction_id: int | None) -> str | None:
        from xinzhi.attraction.models import Stage

        stage = Stage.objects.filter(code=stage_code).values_list("pk", flat=True).first()
        if stage is None:
            return None
        return _url(
            "attraction:lead_list",
            reached=stage,
            reached_from=start.isoformat(),
            reached_to=end.isoformat(),
            jurisdiction=jurisdiction_id,
        )

    return url


COMPUTATIONS: dict[str, Computation] = {
    c.key: c
    for c in (
        Computation(
            "hnte_applications",
            "培育跃升路径中高企进入“申报”阶段的企业数（按进入日期）",
            _ladder_applications("hnte"),
            "distinct",
            "track__enterprise",
            drilldown=_ladder_drilldown("hnte"),
        ),
        Computation(
            "tsme_evaluations",
            "培育跃升路径中科技型中小企业进入“申报”阶段的企业数（按进入日期）",
            _ladder_applications("tech_sme"),
            "distinct",
            "track__enterprise",
            drilldown=_ladder_drilldown("tech_sme"),
        ),
        Computation(
            "unicorn_titles",
            "认定日期在统计期内的独角兽、潜在独角兽资质（按企业计）",
            _titles_awarded(TitleType.UNICORN, TitleType.POTENTIAL_UNICORN),
            "distinct",
            "enterprise",
            drilldown=_titles_drilldown("unicorn_or_potential"),  # the list's group of both
        ),
        Computation(
            "gazelle_titles",
            "认定日期在统计期内的瞪羚企业资质（按企业计）",
            _titles_awarded(TitleType.GAZELLE),
            "distinct",
            "enterprise",
            drilldown=_titles_drilldown(TitleType.GAZELLE),
        ),
        Computation(
            "tsme_new",
            "认定日期在统计期内的科技型中小企业资质（按企业计）",
            _titles_awarded(TitleType.TECH_SME),
            "distinct",
            "enterprise",
            drilldown=_titles_drilldown(TitleType.TECH_SME),
        ),
        NetIncrease(
            "hnte_net_increase",
            "期末有效高企数减期初有效高企数",
            _hnte_valid_at_end,  # minus those valid the day before the start (valid_on)
            "distinct",
            "enterprise",
            valid_on=_hnte_valid_on,
        ),
        Computation(
            "attracted_tsme",
            "统计期内进入“落地注册”阶段的招商项目数",
            _leads_reaching(STAGE_REGISTERED),
            "distinct",
            "lead",
            drilldown=_leads_drilldown(STAGE_REGISTERED),
        ),
        Computation(
            "tech_projects_attracted",
            "统计期内进入“签约”阶段的招商项目数",
            _leads_reaching(STAGE_SIGNED),
            "distinct",
            "lead",
            drilldown=_leads_drilldown(STAGE_SIGNED),
        ),
        Computation(
            "project_recognitions",
            "区科技项目认定通知中决定“通过”的申报数（按决定日期）",
            _recognitions,
            drilldown=recognitions_drilldown,
        ),
        Computation(
            "wukedai_households",
            "武科贷放款日期在统计期内的企业户数",
            _wukedai,
            "distinct",
            "enterprise",
            drilldown=wukedai_drilldown,
        ),
        Computation(
            "wukedai_amount",
            "武科贷放款日期在统计期内的放款金额合计（万元）",
            _wukedai,
            "sum",
            "disbursed_amount",
            drilldown=wukedai_drilldown,
        ),
        Computation(
            "key_project_investment",
            "区重点项目月报中统计期各月的当月完成投资合计（万元）",
            _project_reports,
            "sum",
            "invested_month",
            drilldown=key_projects_drilldown,
        ),
        Computation(
            "reward_paid",
            "政策兑现拨付日期在统计期内的拨付金额合计（万元）",
            _payments,
            "sum",
            "amount_yuan",
            divisor=10000,
            drilldown=reward_paid_drilldown,
        ),
    )
}


def computation_choices() -> list[tuple[str, str]]:
    return [("", "手工填报")] + [(c.key, c.label) for c in COMPUTATIONS.values()]
