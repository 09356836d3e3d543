"""Call engine API (项目申报与评审): validate, call one selector or service, serialise."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from xinzhi.accounts import permissions
from xinzhi.accounts.models import User
from xinzhi.api.bounds import field_bounds
from xinzhi.api.errors import answers
from xinzhi.calls import selectors, services
from xinzhi.calls.models import Application, Assignment, Call, ReviewerRelation
from xinzhi.core.errors import require_valid_filters
from xinzhi.core.limits import limited_decimal
from xinzhi.enterprises.models import Enterprise

router = Router(tags=["项目申报与评审"])
GrantAmount = limited_decimal(Application, "grant_amount_yuan")


class CategoryOut(Schema):
    id: int
    name: str
    cap_yuan: Decimal | None = Field(None, description="资助上限（元）")
    required_fields: list[str]


class CriterionOut(Schema):
    id: int
    name: str
    weight: Decimal = Field(..., description="权重（%）")
    max_score: Decimal
    min_score: Decimal | None
    descriptor: str


class CallOut(Schema):
    id: int
    name: str
    kind: str
    kind_display: str = Field(..., alias="get_kind_display")
    year: int
    opens_at: dt.datetime
    closes_at: dt.datetime
    stage: str
    stage_display: str = Field(..., alias="get_stage_display")
    stages: list[str]
    reviewers_per_application: int
    aggregation: str
    results_published_at: dt.datetime | None
    is_demo: bool


class CallDetail(CallOut):
    categories: list[CategoryOut] = Field(..., alias="category_list")
    criteria: list[CriterionOut] = Field(..., alias="criterion_list")


class ApplicationFilterParams(Schema):
    q: str | None = Field(None, description="申报编号、项目名称或申报单位片段")
    category: int | None = None
    status: str | None = Field(None, description="draft, submitted, withdrawn, in_review …")
    jurisdiction: int | None = Field(None, description="所属板块编号（含下级）")
    decided_from: dt.date | None = Field(None, description="决定日期起")
    decided_to: dt.date | None = Field(None, description="决定日期止")
    sort: str | None = Field(None, description="number, rank, -submitted_at, applicant_name")
    page: int = Field(1, ge=1)
    page_size: int = Field(50, ge=1, le=200)


class ApplicationOut(Schema):
    id: int
    call_id: int
    number: str
    title: str
    category: str = Field(..., alias="category.name")
    applicant_name: str
    applicant_jurisdiction_id: int
    enterprise_id: int | None
    lead_id: int | None
    status: str
    status_display: str = Field(..., alias="status_label")
    requested_amount_yuan: Decimal | None
    submitted_at: dt.datetime | None
    scores_count: int
    aggregate_score: Decimal | None
    below_threshold: bool
    certificate_no: str
    grant_amount_yuan: Decimal | None
    is_demo: bool
    version: int


class ApplicationPage(Schema):
    count: int
    page: int
    pages: int
    results: list[ApplicationOut]


class RankingItem(ApplicationOut):
    rank: int | None
    tied: bool


class ScoreIn(Schema):
    items: dict[int, Decimal] = Field(..., description="{指标编号: 得分}")
    comment: str = ""


class ScoreOut(Schema):
    id: int
    version: int
    items: dict[str, str]
    total: Decimal
    comment: str
    reason: str
    submitted_at: dt.datetime


class AssignmentOut(Schema):
    id: int
    application: ApplicationOut
    scored: bool = Field(..., alias="is_scored")
    withdrawn: bool = Field(..., alias="is_withdrawn", description="因回避撤回")
    withdrawn_reason: str
    rescore_reason: str = Field(..., description="重新评分申请理由")
    rescore_pending: bool = Field(..., description="已申请重新评分，待区管理员批准")
    rescore_approved: bool = Field(..., description="已批准，可提交新版本")


class RescoreRequestIn(Schema):
    reason: str = Field(
        ..., description="重新评分理由", **field_bounds(Assignment, "rescore_reason")
    )


class RelationIn(Schema):
    reviewer_id: int
    enterprise_id: int
    relation: str = Field(
        ..., description="利益关系说明", **field_bounds(ReviewerRelation, "relation")
    )


class RelationOut(Schema):
    id: int
    reviewer_id: int
    enterprise_id: int
    relation: str
    withdrawn_assignments: list[int] = Field(..., description="因此撤回的评审任务编号")


class DecisionIn(Schema):
    approved: bool
    certificate_no: str = Field("", **field_bounds(Application, "certificate_no"))
    grant_amount_yuan: GrantAmount | None = Field(None, description="资助金额（元）")
    note: str = Field("", **field_bounds(Application, "decision_note"))


class DrawOut(Schema):
    assigned: int
    skipped: int
    short: list[str]


def _call(request: HttpRequest, call_id: int) -> Call:
    try:
        return selectors.call_get(user=request.user, pk=call_id)
    except Call.DoesNotExist as exc:
        raise Http404 from exc


def _application(request: HttpRequest, application_id: int) -> Application:
    try:
        return selectors.application_get(user=request.user, pk=application_id)
    except Application.DoesNotExist as exc:
        raise Http404 from exc


def _params(filters: Schema) -> dict[str, str]:
    return {k: str(v) for k, v in filters.dict(exclude={"page", "page_size"}).items() if v}


def _detail(call: Call) -> Call:
    call.category_list = list(call.categories.all())
    call.criterion_list = list(call.criteria.all())
    return call


@router.get("", response=answers(list[CallOut]), summary="申报通知列表")
def call_list(request: HttpRequest) -> list[Call]:
    return selectors.call_list(user=request.user)


@router.get(
    "/{int:call_id}", response=answers(CallDetail, 404), summary="申报通知详情（类别、评分细则）"
)
def call_detail(request: HttpRequest, call_id: int) -> Call:
    return _detail(_call(request, call_id))


@router.get(
    "/{int:call_id}/applications",
    response=answers(ApplicationPage, 400, 404, 422),
    summary="申报列表（与页面相同的筛选）",
)
def application_list(
    request: HttpRequest, call_id: int, filters: Query[ApplicationFilterParams]
) -> dict:
    call = _call(request, call_id)
    filterset = selectors.application_filterset(
        user=request.user, call=call, params=_params(filters)
    )
    require_valid_filters(filterset)
    queryset = filterset.qs
    page = Paginator(queryset, filters.page_size).get_page(filters.page)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "results": selectors.applicant_view(request.user, list(page.object_list)),
    }


@router.get(
    "/{int:call_id}/ranking",
    response=answers(list[RankingItem], 400, 404, 422),
    summary="评审排名（并列同名次）",
)
def ranking(request: HttpRequest, call_id: int, filters: Query[ApplicationFilterParams]) -> list:
    call = _call(request, call_id)
    permissions.require(permissions.sees_ranking(request.user))
    rows = list(selectors.ranking(user=request.user, call=call, params=_params(filters)))
    for row in rows:
        row.tied = row.tie_count > 1 and row.aggregate_score is not None
        if row.aggregate_score is None:
            row.rank = None
    return rows


@router.post(
    "/{int:call_id}/close", response=answers(CallOut, 400, 404), summary="截止申报（区管理员）"
)
def call_close(request: HttpRequest, call_id: int) -> Call:
    return services.call_close(actor=request.user, call=_call(request, call_id))


@router.post(
    "/{int:call_id}/advance",
    response=answers(CallOut, 400, 404),
    summary="进入下一阶段（区管理员）",
)
def call_advance(request: HttpRequest, call_id: int) -> Call:
    return services.call_advance(actor=request.user, call=_call(request, call_id))


@router.post(
    "/{int:call_id}/draw",
    response=answers(DrawOut, 400, 404),
    summary="随机抽取评审专家（区管理员）",
)
def call_draw(request: HttpRequest, call_id: int) -> services.DrawResult:
    return services.reviewers_draw(actor=request.user, call=_call(request, call_id))


@router.post(
    "/{int:call_id}/publish",
    response=answers(CallOut, 400, 404),
    summary="发布评审结果（区管理员）",
)
def call_publish(request: HttpRequest, call_id: int) -> Call:
    return services.call_publish(actor=request.user, call=_call(request, call_id))


@router.get(
    "/applications/{int:application_id}", response=answers(ApplicationOut, 404), summary="申报详情"
)
def application_detail(request: HttpRequest, application_id: int) -> Application:
    return selectors.applicant_view(request.user, [_application(request, application_id)])[0]


@router.post(
    "/applications/{int:application_id}/submit",
    response=answers(ApplicationOut, 400, 404),
    summary="提交申报",
)
def application_submit(request: HttpRequest, application_id: int) -> Application:
    application = _application(request, application_id)
    return services.application_submit(actor=request.user, application=application)


@router.post(
    "/applications/{int:application_id}/withdraw",
    response=answers(ApplicationOut, 400, 404),
    summary="撤回申报",
)
def application_withdraw(request: HttpRequest, application_id: int) -> Application:
    application = _application(request, application_id)
    return services.application_withdraw(actor=request.user, application=application)


@router.post(
    "/applications/{int:application_id}/decision",
    response=answers(ApplicationOut, 400, 404, 422),
    summary="作出决定（区管理员）",
)
def application_decide(
    request: HttpRequest, application_id: int, payload: DecisionIn
) -> Application:
    application = _application(request, application_id)
    return services.application_decide(
        actor=request.user,
        application=application,
        approved=payload.approved,
        certificate_no=payload.certificate_no,
        grant_amount_yuan=payload.grant_amount_yuan,
        note=payload.note,
    )


@router.get("/reviews", response=answers(list[AssignmentOut]), summary="我的评审任务")
def review_list(request: HttpRequest) -> list[Assignment]:
    return selectors.review_tasks(user=request.user)


def _assignment(request: HttpRequest, assignment_id: int) -> Assignment:
    try:
        return selectors.review_get(user=request.user, pk=assignment_id)
    except Assignment.DoesNotExist as exc:
        raise Http404 from exc


@router.post(
    "/reviews/{int:assignment_id}/scores",
    response=answers(ScoreOut, 400, 404, 422),
    summary="提交评分（提交后冻结；重新评分须经区管理员批准申请）",
)
def score_submit(request: HttpRequest, assignment_id: int, payload: ScoreIn):  # noqa: ANN201
    return services.score_submit(
        actor=request.user,
        assignment=_assignment(request, assignment_id),
        items=payload.items,
        comment=payload.comment,
    )


@router.post(
    "/reviews/{int:assignment_id}/rescore-request",
    response=answers(AssignmentOut, 400, 404, 422),
    summary="申请重新评分（专家本人，填写理由）",
)
def rescore_request(
    request: HttpRequest, assignment_id: int, payload: RescoreRequestIn
) -> Assignment:
    assignment = services.rescore_request(
        actor=request.user,
        assignment=_assignment(request, assignment_id),
        reason=payload.reason,
    )
    selectors.applicant_view(request.user, [assignment.application])
    return assignment


@router.post(
    "/reviews/{int:assignment_id}/rescore-approval",
    response=answers(AssignmentOut, 400, 404),
    summary="批准重新评分（区管理员）",
)
def rescore_approve(request: HttpRequest, assignment_id: int) -> Assignment:
    return services.rescore_approve(
        actor=request.user, assignment=_assignment(request, assignment_id)
    )


@router.post(
    "/reviewer-relations",
    response=answers(RelationOut, 400, 404, 422),
    summary="登记利益关系（专家本人或区管理员；撤回该专家对该企业未决申报的评审任务）",
)
def relation_declare(request: HttpRequest, payload: RelationIn) -> dict:
    # Refuse by role before looking anything up, so ids are not probed.
    permissions.require(
        permissions.can_manage_calls(request.user) or request.user.pk == payload.reviewer_id,
        "只有专家本人或区管理员可以登记利益关系。",
    )
    reviewer = User.objects.filter(pk=payload.reviewer_id).first()
    enterprise = Enterprise.objects.unscoped().filter(pk=payload.enterprise_id).first()
    if reviewer is None or enterprise is None:
        raise Http404
    result = services.reviewer_relation_declare(
        actor=request.user, reviewer=reviewer, enterprise=enterprise, relation=payload.relation
    )
    return {
        "id": result.relation.pk,
        "reviewer_id": reviewer.pk,
        "enterprise_id": enterprise.pk,
        "relation": result.relation.relation,
        "withdrawn_assignments": [a.pk for a in result.withdrawn],
    }
