"""Computations (计算口径): how each computed indicator counts the other apps' records.

Each computation takes the acting user (their scope applies first), the period and the units
(the jurisdiction subtree to count, None for everything the user sees) and returns a Decimal.
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
    key: str
    label: str  # 口径, shown with the figure
    count: Callable[..., Decimal]
    drilldown: Callable[..., str | None] | None = None


def _scoped(model: type, user: User, units: list[int] | None) -> QuerySet:
    """The model's rows the user sees, within the units' subtree when given."""
    queryset = model.objects.visible_to(user)
    if units is None:
        return queryset
    return queryset.filter(**{f"{model.SCOPE.jurisdiction}_id__in": units})


def _distinct(queryset: QuerySet, field: str) -> Decimal:
    return Decimal(queryset.aggregate(n=Count(field, distinct=True))["n"] or 0)


def _ladder_applications(family: str) -> Callable[..., Decimal]:
    def count(*, user: User, start: dt.date, end: dt.date, units: list[int] | None) -> Decimal:
        changes = _scoped(TrackChange, user, units).filter(
            track__family=family,
            to_stage=LadderStage.APPLY,
            changed_on__gte=start,
            changed_on__lte=end,
        )
        return _distinct(changes, "track__enterprise")

    return count


def _titles_awarded(*titles: str) -> Callable[..., Decimal]:
    def count(*, user: User, start: dt.date, end: dt.date, units: list[int] | None) -> Decimal:
        held = _scoped(TitleHeld, user, units).filter(
            title__in=titles, valid_from__gte=start, valid_from__lte=end
        )
        return _distinct(held, "enterprise")

    return count


def _hnte_valid_on(user: User, units: list[int] | None, day: dt.date) -> int:
    held = _scoped(TitleHeld, user, units).filter(title=TitleType.HNTE, valid_from__lte=day)
    held = held.exclude(valid_until__lt=day)
    return held.aggregate(n=Count("enterprise", distinct=True))["n"] or 0


def hnte_net_increase(
    *, user: User, start: dt.date, end: dt.date, units: list[int] | None
) -> Decimal:
    """净增高企: enterprises with a valid 高企 title at `end` minus those before `start`."""
    before = _hnte_valid_on(user, units, start - dt.timedelta(days=1))
    return Decimal(_hnte_valid_on(user, units, end) - before)


def _leads_reaching(stage_code: str) -> Callable[..., Decimal]:
    def count(*, user: User, start: dt.date, end: dt.date, units: list[int] | None) -> Decimal:
        changes = _scoped(StageChange, user, units).filter(
            to_stage__code=stage_code, changed_on__gte=start, changed_on__lte=end
        )
        return _distinct(changes, "lead")

    return count


def project_recognitions(
    *, user: User, start: dt.date, end: dt.date, units: list[int] | None
) -> Decimal:
    """区科技项目认定: approved applications of 认定 calls decided in the period."""
    approved = _scoped(Application, user, units).filter(
        call__kind=CallKind.CERTIFICATION,
        status=ApplicationStatus.APPROVED,
        decided_at__date__gte=start,
        decided_at__date__lte=end,
    )
    return Decimal(approved.count())


def _wukedai(user: User, start: dt.date, end: dt.date, units: list[int] | None) -> QuerySet:
    return _scoped(Loan, user, units).filter(
        product__code=WUKEDAI, disbursed_on__gte=start, disbursed_on__lte=end
    )


def wukedai_households(
    *, user: User, start: dt.date, end: dt.date, units: list[int] | None
) -> Decimal:
    return _distinct(_wukedai(user, start, end, units), "enterprise")


def wukedai_amount(*, user: User, start: dt.date, end: dt.date, units: list[int] | None) -> Decimal:
    total = _wukedai(user, start, end, units).aggregate(s=Sum("disbursed_amount"))["s"]
    return total or ZERO


def key_project_investment(
    *, user: User, start: dt.date, end: dt.date, units: list[int] | None
) -> Decimal:
    """区重点项目完成投资 (万元): the monthly reports of the period's months."""
    reports = _scoped(MonthlyReport, user, units).filter(
        month__gte=start.replace(day=1), month__lte=end
    )
    return reports.aggregate(s=Sum("invested_month"))["s"] or ZERO


def reward_paid(*, user: User, start: dt.date, end: dt.date, units: list[int] | None) -> Decimal:
    """政策兑现拨付金额 (万元): payments recorded in the period (stored in 元)."""
    total = _scoped(Payment, user, units).filter(paid_on__gte=start, paid_on__lte=end)
    yuan = total.aggregate(s=Sum("amount_yuan"))["s"] or ZERO
    return (yuan / 10000).quantize(Decimal("0.01"))


# --- drill-downs: the existing scoped lists, filtered ------------------------------------------


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
        ),
        Computation(
            "tsme_evaluations",
            "培育跃升路径中科技型中小企业进入“申报”阶段的企业数（按进入日期）",
            _ladder_applications("tech_sme"),
        ),
        Computation(
            "unicorn_titles",
            "认定日期在统计期内的独角兽、潜在独角兽资质（按企业计）",
            _titles_awarded(TitleType.UNICORN, TitleType.POTENTIAL_UNICORN),
        ),
        Computation(
            "gazelle_titles",
            "认定日期在统计期内的瞪羚企业资质（按企业计）",
            _titles_awarded(TitleType.GAZELLE),
            _titles_drilldown(TitleType.GAZELLE),
        ),
        Computation(
            "tsme_new",
            "认定日期在统计期内的科技型中小企业资质（按企业计）",
            _titles_awarded(TitleType.TECH_SME),
            _titles_drilldown(TitleType.TECH_SME),
        ),
        Computation(
            "hnte_net_increase",
            "期末有效高企数减期初有效高企数",
            hnte_net_increase,
        ),
        Computation(
            "attracted_tsme",
            "统计期内进入“落地注册”阶段的招商项目数",
            _leads_reaching(STAGE_REGISTERED),
            _leads_drilldown(STAGE_REGISTERED),
        ),
        Computation(
            "tech_projects_attracted",
            "统计期内进入“签约”阶段的招商项目数",
            _leads_reaching(STAGE_SIGNED),
            _leads_drilldown(STAGE_SIGNED),
        ),
        Computation(
            "project_recognitions",
            "区科技项目认定通知中决定“通过”的申报数（按决定日期）",
            project_recognitions,
        ),
        Computation(
            "wukedai_households",
            "武科贷放款日期在统计期内的企业户数",
            wukedai_households,
            wukedai_drilldown,
        ),
        Computation(
            "wukedai_amount",
            "武科贷放款日期在统计期内的放款金额合计（万元）",
            wukedai_amount,
            wukedai_drilldown,
        ),
        Computation(
            "key_project_investment",
            "区重点项目月报中统计期各月的当月完成投资合计（万元）",
            key_project_investment,
        ),
        Computation(
            "reward_paid",
            "政策兑现拨付日期在统计期内的拨付金额合计（万元）",
            reward_paid,
        ),
    )
}


def computation_choices() -> list[tuple[str, str]]:
    return [("", "手工填报")] + [(c.key, c.label) for c in COMPUTATIONS.values()]
